// Tokens: what the lexer (lexer.re) hands to the parser (parser.y). A token is a kind, the
// source text it covers, and where it stands; string tokens also carry their decoded value.
#pragma once

#include <string>
#include <string_view>

#include "compiler/source.hpp"

namespace asy {

enum class TokenKind {
    // Structure of the source: logical lines and indentation.
    EndOfFile,
    Newline,
    Indent,
    Dedent,

    // Tokens with a value.
    Name,
    Number,
    String,  // every kind of string literal: plain, raw, bytes, f-string (see Token's flags)

    // Keywords. `match` and `case` are soft keywords and come out as Name.
    False, None, True, And, As, Assert, Async, Await, Break, Class, Continue, Def, Del, Elif, Else,
    Except, Finally, For, From, Global, If, Import, In, Is, Lambda, Nonlocal, Not, Or, Pass, Raise,
    Return, Try, While, With, Yield,

    // Operators and delimiters, in the order of Python's token module.
    LeftParen, RightParen, LeftBracket, RightBracket, LeftBrace, RightBrace,
    Colon, Comma, Semicolon, Plus, Minus, Star, Slash, VerticalBar, Ampersand, Less, Greater, Equal,
    Dot, Percent, EqualEqual, NotEqual, LessEqual, GreaterEqual, Tilde, Circumflex, LeftShift,
    RightShift, DoubleStar, PlusEqual, MinusEqual, StarEqual, SlashEqual, PercentEqual,
    AmpersandEqual, VerticalBarEqual, CircumflexEqual, LeftShiftEqual, RightShiftEqual,
    DoubleStarEqual, DoubleSlash, DoubleSlashEqual, At, AtEqual, Arrow, Ellipsis, ColonEqual,

    // Not a real token: marks where the lexer stopped with an error (see LexResult::error).
    Error,
};

// The spelling of a token kind as a student would write it: "'('", "'if'", "NEWLINE", "name".
[[nodiscard]] std::string_view token_kind_name(TokenKind kind);

struct Token {
    // What sort of token this is.
    TokenKind kind = TokenKind::EndOfFile;
    // The exact source text, prefix and quotes included for strings; empty for
    // NEWLINE at end of file, INDENT and DEDENT.
    std::string_view text;
    // Where the token stands; end_column is one past its last character.
    Span span;

    // For String tokens only.
    // The decoded value: UTF-8 text, raw bytes for bytes literals, or for f-strings the
    // undecoded body between the quotes (the parser splits it into pieces).
    std::string value;
    // The literal had a b prefix.
    bool is_bytes = false;
    // The literal had an f prefix.
    bool is_fstring = false;
    // The literal had an r prefix (escapes are kept as written).
    bool is_raw = false;
    // Where the body (the text after the opening quotes) begins, for f-string positions.
    int body_line = 0;
    int body_column = 0;
};

}  // namespace asy
