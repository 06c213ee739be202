# Tests, all run by ctest (README.md, "Tests"):
#   unit/compiler, unit/runtime   Catch2 executables built from tests/unit/**/*_test.cpp
#   script/<topic>/<name>         tests/scripts/<topic>/<name>.asy against its .out (and .exit)
#   conformance                   the shared CPython corpus, as a ratchet over a known-failures list
# With ASY_TEST_GC_STRESS=ON every test runs with ASY_GC_STRESS=1 in its environment, and
# with ASY_VIRTUAL_TIME=1 (asy --virtual-time): a collection at every allocation under
# AddressSanitizer makes a run so slow that sleeps a few milliseconds apart would swap; the
# normal pass tests timing, this one hunts memory bugs.

enable_testing()

find_package(Catch2 REQUIRED)

set(ASY_TESTS_DIR "${PROJECT_SOURCE_DIR}/tests")

# The environment of every test.
set(ASY_TEST_ENVIRONMENT "")
if(ASY_TEST_GC_STRESS)
    # Virtual time too, so that slowness cannot reorder sleeps (see the top of this file).
    list(APPEND ASY_TEST_ENVIRONMENT "ASY_GC_STRESS=1" "ASY_VIRTUAL_TIME=1")
endif()
if(ASY_SANITIZE)
    # A stack trace for every UBSan report makes it findable.
    list(APPEND ASY_TEST_ENVIRONMENT "UBSAN_OPTIONS=print_stacktrace=1")
endif()

# asy_add_test(NAME name COMMAND ...): add_test with asy's environment applied.
function(asy_add_test)
    cmake_parse_arguments(arg "" "NAME;TIMEOUT" "COMMAND" ${ARGN})
    add_test(NAME "${arg_NAME}" COMMAND ${arg_COMMAND})
    if(ASY_TEST_ENVIRONMENT)
        set_tests_properties("${arg_NAME}" PROPERTIES ENVIRONMENT "${ASY_TEST_ENVIRONMENT}")
    endif()
    if(arg_TIMEOUT)
        set_tests_properties("${arg_NAME}" PROPERTIES TIMEOUT "${arg_TIMEOUT}")
    endif()
endfunction()

# ---------------------------------------------------------------------------------------
# Catch2 unit tests. tests/unit mirrors the source tree (tests/unit/compiler/lexer_test.cpp
# tests compiler/lexer.re). The compiler's tests link only asy_compiler, so they build and
# run even while the runtime does not; every other *_test.cpp goes into asy_runtime_tests.
# Each executable is one ctest; run it directly for Catch2's own options
# (build/asy_compiler_tests --help, or a test name to run just that test).
file(GLOB_RECURSE ASY_COMPILER_TEST_SOURCES CONFIGURE_DEPENDS
    "${ASY_TESTS_DIR}/unit/compiler/*_test.cpp")
file(GLOB_RECURSE ASY_RUNTIME_TEST_SOURCES CONFIGURE_DEPENDS
    "${ASY_TESTS_DIR}/unit/*_test.cpp")
if(ASY_COMPILER_TEST_SOURCES)
    list(REMOVE_ITEM ASY_RUNTIME_TEST_SOURCES ${ASY_COMPILER_TEST_SOURCES})
endif()

# Catch2's main() is slow to compile, so both executables share one object file.
add_library(asy_catch_main OBJECT EXCLUDE_FROM_ALL "${ASY_TESTS_DIR}/unit/catch_main.cpp")
target_link_libraries(asy_catch_main PRIVATE Catch2::Catch2)

# asy_add_unit_tests(NAME executable LIBRARY library CTEST_NAME name SOURCES ...): nothing
# when there are no sources yet.
function(asy_add_unit_tests)
    cmake_parse_arguments(arg "" "NAME;LIBRARY;CTEST_NAME" "SOURCES" ${ARGN})
    if(NOT arg_SOURCES)
        return()
    endif()
    add_executable(${arg_NAME} ${arg_SOURCES})
    target_link_libraries(${arg_NAME} PRIVATE asy_catch_main ${arg_LIBRARY} Catch2::Catch2)
    asy_add_test(NAME "${arg_CTEST_NAME}" COMMAND ${arg_NAME})
endfunction()

asy_add_unit_tests(NAME asy_compiler_tests LIBRARY asy_compiler CTEST_NAME unit/compiler
    SOURCES ${ASY_COMPILER_TEST_SOURCES})
asy_add_unit_tests(NAME asy_runtime_tests LIBRARY asy_runtime CTEST_NAME unit/runtime
    SOURCES ${ASY_RUNTIME_TEST_SOURCES})

# ---------------------------------------------------------------------------------------
# Script tests: every tests/scripts/**/NAME.asy that has a NAME.out beside it.
file(GLOB_RECURSE ASY_SCRIPT_TESTS CONFIGURE_DEPENDS
    "${ASY_TESTS_DIR}/scripts/*.asy" "${ASY_TESTS_DIR}/scripts/*.out")
list(FILTER ASY_SCRIPT_TESTS INCLUDE REGEX "\\.asy$")
foreach(script IN LISTS ASY_SCRIPT_TESTS)
    string(REGEX REPLACE "\\.asy$" ".out" expected "${script}")
    if(NOT EXISTS "${expected}")
        continue()
    endif()
    file(RELATIVE_PATH name "${ASY_TESTS_DIR}/scripts" "${script}")
    string(REGEX REPLACE "\\.asy$" "" name "${name}")
    asy_add_test(NAME "script/${name}" TIMEOUT 120
        COMMAND bash "${ASY_TESTS_DIR}/run_script_test.sh" "$<TARGET_FILE:asy>" "${script}")
    # A test too big for a collection at every allocation (1,000 live connections) has a
    # NAME.no_gc_stress file beside it saying why; it still runs, without ASY_GC_STRESS.
    string(REGEX REPLACE "\\.asy$" ".no_gc_stress" no_gc_stress "${script}")
    if(EXISTS "${no_gc_stress}")
        set(environment ${ASY_TEST_ENVIRONMENT})
        list(REMOVE_ITEM environment "ASY_GC_STRESS=1")
        set_tests_properties("script/${name}" PROPERTIES ENVIRONMENT "${environment}")
    endif()
endforeach()

# ---------------------------------------------------------------------------------------
# The conformance ratchet over ../shared/conformance (see tests/conformance_ratchet.sh).
# The runner gives each case 10 s; a whole run of the corpus stays well under the timeout.
asy_add_test(NAME conformance TIMEOUT 1500
    COMMAND bash "${ASY_TESTS_DIR}/conformance_ratchet.sh" "$<TARGET_FILE:asy>")

# ---------------------------------------------------------------------------------------
# Every ```python block of tutorial.md followed by an ```output block runs under asy and must
# print that output, which must also be CPython's (tests/scripts/tutorial/*.out).
asy_add_test(NAME tutorial_examples TIMEOUT 300
    COMMAND bash "${ASY_TESTS_DIR}/check_tutorial.sh" "$<TARGET_FILE:asy>" "${PROJECT_SOURCE_DIR}/tutorial.md")

# ---------------------------------------------------------------------------------------
# The trace files of `asy --trace` (runtime/teaching/trace_writer.cpp) must be valid Chrome
# trace-event JSON; trace_check validates one with nlohmann::json, as CI may lack python3.
add_executable(asy_trace_check "${ASY_TESTS_DIR}/tools/trace_check.cpp")
target_link_libraries(asy_trace_check PRIVATE nlohmann_json::nlohmann_json)
asy_add_test(NAME teaching/trace TIMEOUT 60
    COMMAND bash "${ASY_TESTS_DIR}/tools/check_trace.sh" "$<TARGET_FILE:asy>" "$<TARGET_FILE:asy_trace_check>"
        "${PROJECT_SOURCE_DIR}/examples/workers.asy")

# ---------------------------------------------------------------------------------------
# The REPL's tests (tests/unit/runtime/repl_test.cpp) drive the real asy executable through
# a pseudo-terminal, so the runtime tests need it built and need to know where it is.
if(TARGET asy_runtime_tests)
    add_dependencies(asy_runtime_tests asy)
    target_compile_definitions(asy_runtime_tests PRIVATE ASY_EXECUTABLE="$<TARGET_FILE:asy>")
endif()
