// A libFuzzer target for the front end: any bytes must give an AST or one SyntaxError, never
// a crash, a hang or a sanitizer report. Not built by default; for example:
//   clang++ -std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined -I. -Ibuild/generated \
//     fuzz/parse_fuzz.cpp compiler/parse.cpp compiler/fstring.cpp compiler/source.cpp \
//     build/generated/lexer.cpp build/generated/parser.cpp -o parse_fuzz
//   ./parse_fuzz -max_len=4096 corpus/
#include <cstddef>
#include <cstdint>
#include <string>

#include "compiler/parse.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    asy::SourceFile source{"<fuzz>", std::string(reinterpret_cast<const char*>(data), size)};
    asy::ParseResult result = asy::parse_module(source);
    // Exactly one of the two is set.
    if ((result.module != nullptr) == result.error.has_value()) __builtin_trap();
    if (result.error) (void)asy::format_syntax_error(*result.error);
    (void)asy::needs_more_input(source);
    return 0;
}
