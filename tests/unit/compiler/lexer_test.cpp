// Tests for compiler/lexer.re: token kinds, values and positions, indentation, line joining,
// and every error the lexer reports (messages and positions as CPython 3.11 gives them).
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "compiler/lexer.hpp"

using asy::LexResult;
using asy::SourceFile;
using asy::Token;
using asy::TokenKind;

namespace {

// Lexes `text` and keeps the SourceFile alive as long as the tokens point into it.
struct Lexed {
    SourceFile source;
    LexResult result;
    explicit Lexed(std::string text) : source{"<test>", std::move(text)}, result(asy::tokenize(source)) {}
};

// The token kinds of `text`, one word each: "name = number NEWLINE end of file".
std::string kinds(const std::string& text) {
    Lexed lexed(text);
    std::string out;
    for (const Token& token : lexed.result.tokens) {
        if (!out.empty()) out += " ";
        std::string_view name = asy::token_kind_name(token.kind);
        if (name.size() > 2 && name.front() == '\'') name = name.substr(1, name.size() - 2);
        out += name;
    }
    return out;
}

// The error message of lexing `text`, and where it points ("message @line:column").
std::string lex_error(const std::string& text) {
    Lexed lexed(text);
    if (!lexed.result.error) return "no error";
    const auto& e = *lexed.result.error;
    return e.message + " @" + std::to_string(e.span.line) + ":" + std::to_string(e.span.column);
}

const Token& token_at(const Lexed& lexed, std::size_t index) { return lexed.result.tokens.at(index); }

}  // namespace

TEST_CASE("lexer: simple statement, kinds and positions", "[lexer]") {
    Lexed lexed("x = 42\n");
    REQUIRE_FALSE(lexed.result.error);
    CHECK(kinds("x = 42\n") == "name = number NEWLINE end of file");
    const Token& x = token_at(lexed, 0);
    CHECK(x.text == "x");
    CHECK(x.span.line == 1);
    CHECK(x.span.column == 1);
    CHECK(x.span.end_column == 2);
    const Token& number = token_at(lexed, 2);
    CHECK(number.text == "42");
    CHECK(number.span.column == 5);
    CHECK(number.span.end_column == 7);
    const Token& newline = token_at(lexed, 3);
    CHECK(newline.kind == TokenKind::Newline);
    CHECK(newline.span.column == 7);
}

TEST_CASE("lexer: a final NEWLINE is added when the file does not end with one", "[lexer]") {
    CHECK(kinds("x") == "name NEWLINE end of file");
    CHECK(kinds("") == "end of file");
    CHECK(kinds("\n\n# only a comment\n") == "end of file");
}

TEST_CASE("lexer: columns count code points, not bytes", "[lexer]") {
    Lexed lexed("é = 'ü' + x\n");
    REQUIRE_FALSE(lexed.result.error);
    CHECK(token_at(lexed, 0).kind == TokenKind::Name);
    CHECK(token_at(lexed, 0).span.end_column == 2);
    CHECK(token_at(lexed, 2).span.column == 5);  // the string
    CHECK(token_at(lexed, 2).span.end_column == 8);
    CHECK(token_at(lexed, 4).span.column == 11);  // x
}

TEST_CASE("lexer: keywords, soft keywords and Unicode names", "[lexer]") {
    CHECK(kinds("if else elif while for in not is and or") ==
          "if else elif while for in not is and or NEWLINE end of file");
    CHECK(kinds("async await lambda yield None True False") ==
          "async await lambda yield None True False NEWLINE end of file");
    // `match` and `case` are soft keywords: plain names to the lexer.
    CHECK(kinds("match case _") == "name name name NEWLINE end of file");
    CHECK(kinds("café naïve 日本 _x1") == "name name name name NEWLINE end of file");
}

TEST_CASE("lexer: operators and delimiters", "[lexer]") {
    CHECK(kinds("-> := **= //= ... @ @= << >>= != ==") ==
          "-> := **= //= ... @ @= << >>= != == NEWLINE end of file");
    CHECK(kinds("a.b(c)[d]{e}") == "name . name ( name ) [ name ] { name } NEWLINE end of file");
    CHECK(kinds("x**-y//z") == "name ** - name // name NEWLINE end of file");
}

TEST_CASE("lexer: numbers", "[lexer]") {
    for (const char* number : {"0", "00", "7", "1_000", "0x1F", "0XaB_cd", "0o17", "0b1010", "0B1_0", "1.5", "1.",
                               ".5", "1e10", "1E-3", "1_0.2_5e1_0", "0.0", "123456789012345678901234567890"}) {
        INFO(number);
        Lexed lexed(number);
        REQUIRE_FALSE(lexed.result.error);
        CHECK(token_at(lexed, 0).kind == TokenKind::Number);
        CHECK(token_at(lexed, 0).text == number);
    }
    CHECK(kinds("1if x else 2") == "number if name else number NEWLINE end of file");
    CHECK(kinds("x.real") == "name . name NEWLINE end of file");
}

TEST_CASE("lexer: number errors", "[lexer]") {
    CHECK(lex_error("1j") == "asy does not support complex numbers @1:1");
    CHECK(lex_error("x = 1.5J") == "asy does not support complex numbers @1:5");
    CHECK(lex_error("1abc") == "invalid decimal literal @1:1");
    CHECK(lex_error("x = 1_") == "invalid decimal literal @1:5");
    CHECK(lex_error("x = 0777") ==
          "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers @1:5");
    CHECK(lex_error("x = 0b2") == "invalid digit '2' in binary literal @1:7");
    CHECK(lex_error("x = 0o8") == "invalid digit '8' in octal literal @1:7");
    CHECK(lex_error("x = 0x") == "invalid hexadecimal literal @1:7");
    CHECK(lex_error("x = 0xg") == "invalid hexadecimal literal @1:7");
}

TEST_CASE("lexer: string values and escapes", "[lexer]") {
    auto value = [](const std::string& text) {
        Lexed lexed(text);
        REQUIRE_FALSE(lexed.result.error);
        REQUIRE(token_at(lexed, 0).kind == TokenKind::String);
        return token_at(lexed, 0).value;
    };
    CHECK(value("'abc'") == "abc");
    CHECK(value("\"abc\"") == "abc");
    CHECK(value(R"('a\nb\t\\\'\"')") == "a\nb\t\\'\"");
    CHECK(value(R"('\x41\101\u00e9\U0001F600')") == "AA\xC3\xA9\xF0\x9F\x98\x80");
    CHECK(value(R"('\q')") == "\\q");  // unknown escapes keep their backslash
    CHECK(value("'''a\nb'''") == "a\nb");
    CHECK(value("\"\"\"a\\\nb\"\"\"") == "ab");  // backslash-newline joins lines
    CHECK(value("'a\\\nb'") == "ab");
    CHECK(value(R"(r'\n\d')") == "\\n\\d");
    CHECK(value(R"(R"\n")") == "\\n");
    CHECK(value(R"(U'x')") == "x");
    CHECK(value("'''it's'''") == "it's");
}

TEST_CASE("lexer: string prefixes", "[lexer]") {
    Lexed lexed("b'\\xff\\u' Rb'\\x' f'{x}' rF'{y}\\n' u'z'\n");
    REQUIRE_FALSE(lexed.result.error);
    const Token& bytes = token_at(lexed, 0);
    CHECK(bytes.is_bytes);
    CHECK(bytes.value == std::string("\xff\\u"));
    const Token& raw_bytes = token_at(lexed, 1);
    CHECK(raw_bytes.is_bytes);
    CHECK(raw_bytes.is_raw);
    CHECK(raw_bytes.value == "\\x");
    const Token& fstring = token_at(lexed, 2);
    CHECK(fstring.is_fstring);
    CHECK(fstring.value == "{x}");
    CHECK(fstring.body_column == 20);
    const Token& raw_fstring = token_at(lexed, 3);
    CHECK(raw_fstring.is_fstring);
    CHECK(raw_fstring.is_raw);
    CHECK(raw_fstring.value == "{y}\\n");
    CHECK_FALSE(token_at(lexed, 4).is_bytes);
}

TEST_CASE("lexer: string errors", "[lexer]") {
    CHECK(lex_error("x = 'abc\n") == "unterminated string literal (detected at line 1) @1:5");
    CHECK(lex_error("x = 'abc") == "unterminated string literal (detected at line 1) @1:5");
    CHECK(lex_error("x = '''abc\n\n") == "unterminated triple-quoted string literal (detected at line 2) @1:5");
    CHECK(lex_error("x = 1\ny = \"\"\"abc\nd") == "unterminated triple-quoted string literal (detected at line 3) @2:5");
    CHECK(lex_error("x = b'\xc3\xa9'") == "bytes can only contain ASCII literal characters @1:5");
    CHECK(lex_error(R"(x = '\N{DASH}')") == "asy does not support \\N{...} escapes @1:5");
    CHECK(lex_error(R"(x = '\x4')") ==
          "(unicode error) 'unicodeescape' codec can't decode bytes in position 0-2: truncated \\xXX escape @1:5");
    CHECK(lex_error(R"(x = '\U00110000')") ==
          "(unicode error) 'unicodeescape' codec can't decode bytes in position 0-9: illegal Unicode character @1:5");
    Lexed open_triple("x = '''abc\n");
    CHECK(open_triple.result.input_incomplete);
    Lexed open_single("x = 'abc\n");
    CHECK_FALSE(open_single.result.input_incomplete);
}

TEST_CASE("lexer: indentation produces INDENT and DEDENT", "[lexer]") {
    CHECK(kinds("if x:\n    y\nz\n") == "if name : NEWLINE INDENT name NEWLINE DEDENT name NEWLINE end of file");
    CHECK(kinds("if x:\n  if y:\n    z\n") ==
          "if name : NEWLINE INDENT if name : NEWLINE INDENT name NEWLINE DEDENT DEDENT end of file");
    // Blank lines and comment-only lines, at any indentation, are ignored.
    CHECK(kinds("if x:\n\n        # comment\n  y\n   \n") ==
          "if name : NEWLINE INDENT name NEWLINE DEDENT end of file");
    // A tab counts to the next multiple of 8 -- consistently used, tabs are fine.
    CHECK(kinds("if x:\n\ty\n\tz\n") == "if name : NEWLINE INDENT name NEWLINE name NEWLINE DEDENT end of file");
}

TEST_CASE("lexer: implicit and explicit line joining", "[lexer]") {
    CHECK(kinds("x = (1,\n     2)\n") == "name = ( number , number ) NEWLINE end of file");
    CHECK(kinds("x = [\n1\n\n  ,2]\n") == "name = [ number , number ] NEWLINE end of file");
    CHECK(kinds("x = 1 + \\\n    2\n") == "name = number + number NEWLINE end of file");
    CHECK(kinds("x = {  # comment\n}\n") == "name = { } NEWLINE end of file");
    Lexed lexed("x = (1,\n  2)\n");
    CHECK(token_at(lexed, 5).span.line == 2);
    CHECK(token_at(lexed, 5).span.column == 3);
}

TEST_CASE("lexer: indentation errors", "[lexer]") {
    Lexed unindent("if x:\n    a\n  b\n");
    REQUIRE(unindent.result.error);
    CHECK(unindent.result.error->kind == asy::SyntaxErrorKind::IndentationError);
    CHECK(lex_error("if x:\n    a\n  b\n") == "unindent does not match any outer indentation level @3:4");
    Lexed tabs("if True:\n\tx\n        y\n");
    REQUIRE(tabs.result.error);
    CHECK(tabs.result.error->kind == asy::SyntaxErrorKind::TabError);
    CHECK(tabs.result.error->message == "inconsistent use of tabs and spaces in indentation");
    CHECK(tabs.result.error->span.line == 3);
    std::string deep;
    for (int i = 0; i < 120; ++i) deep += std::string(static_cast<std::size_t>(i), ' ') + "if x:\n";
    CHECK(lex_error(deep).rfind("too many levels of indentation", 0) == 0);
}

TEST_CASE("lexer: bracket errors", "[lexer]") {
    CHECK(lex_error("x = 1)") == "unmatched ')' @1:6");
    CHECK(lex_error("x = [1, 2)") == "closing parenthesis ')' does not match opening parenthesis '[' @1:10");
    CHECK(lex_error("x = [1,\n 2)") ==
          "closing parenthesis ')' does not match opening parenthesis '[' on line 1 @2:3");
    CHECK(lex_error("x = (1,\n") == "'(' was never closed @1:5");
    CHECK(lex_error("f(a, [b,\n") == "'[' was never closed @1:6");
    Lexed open("f(a,\n");
    CHECK(open.result.input_incomplete);
    CHECK(lex_error(std::string(10000, '(')) == "too many nested parentheses @1:201");
}

TEST_CASE("lexer: invalid characters and encodings", "[lexer]") {
    CHECK(lex_error("x = 1 \xe2\x82\xac") == "invalid character '\xe2\x82\xac' (U+20AC) @1:7");
    CHECK(lex_error("a ! b") == "invalid syntax @1:3");
    CHECK(lex_error("x = $") == "invalid syntax @1:5");
    CHECK(lex_error("x = \x01") == "invalid non-printable character U+0001 @1:5");
    CHECK(lex_error(std::string("x = 1\0", 6)) == "source code cannot contain null bytes @1:6");
    CHECK(lex_error("x = '\xff'") ==
          "(unicode error) 'utf-8' codec can't decode byte 0xff in position 5: invalid start byte @1:6");
    CHECK(lex_error("x = 1 \\ y") == "unexpected character after line continuation character @1:8");
    Lexed backslash("x = 1 + \\");
    CHECK(backslash.result.input_incomplete);
    // A byte order mark at the start of a file is skipped.
    CHECK(kinds("\xEF\xBB\xBFx") == "name NEWLINE end of file");
}

TEST_CASE("lexer: the tokens before an error are kept", "[lexer]") {
    Lexed lexed("a b $");
    REQUIRE(lexed.result.error);
    REQUIRE(lexed.result.tokens.size() == 3);
    CHECK(lexed.result.tokens[0].kind == TokenKind::Name);
    CHECK(lexed.result.tokens[1].kind == TokenKind::Name);
    CHECK(lexed.result.tokens[2].kind == TokenKind::Error);
}

TEST_CASE("lexer: fragments start where they stand in the file", "[lexer]") {
    SourceFile source{"<test>", "x = f'{a + b}'\n"};
    std::string_view text = std::string_view(source.text).substr(7, 5);  // "a + b"
    LexResult result = asy::tokenize_fragment(source, text, 1, 8);
    REQUIRE_FALSE(result.error);
    REQUIRE(result.tokens.size() == 4);
    CHECK(result.tokens[0].span.column == 8);
    CHECK(result.tokens[2].span.column == 12);
    CHECK(result.tokens[3].kind == TokenKind::EndOfFile);
}
