// The main() of both unit-test executables (asy_compiler_tests, asy_runtime_tests).
// Catch2 writes it; the test files under tests/unit/ only contain TEST_CASEs.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
