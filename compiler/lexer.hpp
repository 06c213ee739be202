// The lexer turns source text into tokens, including the NEWLINE, INDENT and DEDENT tokens
// that give Python its block structure. The parser (parser.y, parse.cpp) reads the tokens.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/source.hpp"
#include "compiler/token.hpp"

namespace asy {

struct LexResult {
    // Every token up to the end of the text, ending with EndOfFile; or, if the lexer found
    // an error, every token before it followed by one Error token standing where it was.
    std::vector<Token> tokens;
    // The first error, if any. Tokens before it are still valid, so the parser can report an
    // earlier syntax error first, as CPython does.
    std::optional<SyntaxError> error;
    // The error happened only because the text stopped too early (an open bracket, an open
    // triple-quoted string, a backslash at the end): the REPL should ask for more lines.
    bool input_incomplete = false;
};

// Splits a whole file into tokens.
[[nodiscard]] LexResult tokenize(const SourceFile& source);

// Splits a piece of `source` (an expression inside an f-string) into tokens. `text` must
// point into source.text; `line` and `column` say where it begins. The piece is lexed as if
// it stood inside brackets: no NEWLINE, INDENT or DEDENT tokens, only EndOfFile at the end.
[[nodiscard]] LexResult tokenize_fragment(const SourceFile& source, std::string_view text, int line, int column);

// Decodes the backslash escapes of a (non-raw) string literal's body: "\n", "\x41",
// "\u00e9", octal, and a backslash before a newline (which joins the lines). Bytes literals
// have no \u escapes. On an error returns false with CPython's message in *error.
[[nodiscard]] bool decode_string_escapes(std::string_view body, bool is_bytes, std::string& out, std::string* error);

// Turns "\r\n" and a lone "\r" into "\n": how newlines inside string literals read.
[[nodiscard]] std::string normalize_newlines(std::string_view text);

// Limits, as in CPython's tokenizer.
// Brackets may nest this deep; deeper nesting would only grow the parser's stack.
inline constexpr int max_bracket_depth = 200;
// Blocks may nest this deep (CPython's MAXINDENT).
inline constexpr int max_indent_depth = 100;

}  // namespace asy
