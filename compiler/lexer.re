// The lexer: source text -> tokens. re2c matches one token at a time; the hand-written driver
// around it keeps the stack of indentation levels and emits NEWLINE, INDENT and DEDENT, the way
// MicroPython's py/lexer.c and CPython's Parser/tokenizer.c do. Errors become a SyntaxError
// value and stop the lexer; the tokens before the error are kept.
#include "compiler/lexer.hpp"

#include <array>
#include <cstdio>
#include <cstring>
#include <cstdint>
#include <string>
#include <unordered_map>

namespace asy {

std::string_view token_kind_name(TokenKind kind) {
    switch (kind) {
    case TokenKind::EndOfFile: return "end of file";
    case TokenKind::Newline: return "NEWLINE";
    case TokenKind::Indent: return "INDENT";
    case TokenKind::Dedent: return "DEDENT";
    case TokenKind::Name: return "name";
    case TokenKind::Number: return "number";
    case TokenKind::String: return "string";
    case TokenKind::False: return "'False'";
    case TokenKind::None: return "'None'";
    case TokenKind::True: return "'True'";
    case TokenKind::And: return "'and'";
    case TokenKind::As: return "'as'";
    case TokenKind::Assert: return "'assert'";
    case TokenKind::Async: return "'async'";
    case TokenKind::Await: return "'await'";
    case TokenKind::Break: return "'break'";
    case TokenKind::Class: return "'class'";
    case TokenKind::Continue: return "'continue'";
    case TokenKind::Def: return "'def'";
    case TokenKind::Del: return "'del'";
    case TokenKind::Elif: return "'elif'";
    case TokenKind::Else: return "'else'";
    case TokenKind::Except: return "'except'";
    case TokenKind::Finally: return "'finally'";
    case TokenKind::For: return "'for'";
    case TokenKind::From: return "'from'";
    case TokenKind::Global: return "'global'";
    case TokenKind::If: return "'if'";
    case TokenKind::Import: return "'import'";
    case TokenKind::In: return "'in'";
    case TokenKind::Is: return "'is'";
    case TokenKind::Lambda: return "'lambda'";
    case TokenKind::Nonlocal: return "'nonlocal'";
    case TokenKind::Not: return "'not'";
    case TokenKind::Or: return "'or'";
    case TokenKind::Pass: return "'pass'";
    case TokenKind::Raise: return "'raise'";
    case TokenKind::Return: return "'return'";
    case TokenKind::Try: return "'try'";
    case TokenKind::While: return "'while'";
    case TokenKind::With: return "'with'";
    case TokenKind::Yield: return "'yield'";
    case TokenKind::LeftParen: return "'('";
    case TokenKind::RightParen: return "')'";
    case TokenKind::LeftBracket: return "'['";
    case TokenKind::RightBracket: return "']'";
    case TokenKind::LeftBrace: return "'{'";
    case TokenKind::RightBrace: return "'}'";
    case TokenKind::Colon: return "':'";
    case TokenKind::Comma: return "','";
    case TokenKind::Semicolon: return "';'";
    case TokenKind::Plus: return "'+'";
    case TokenKind::Minus: return "'-'";
    case TokenKind::Star: return "'*'";
    case TokenKind::Slash: return "'/'";
    case TokenKind::VerticalBar: return "'|'";
    case TokenKind::Ampersand: return "'&'";
    case TokenKind::Less: return "'<'";
    case TokenKind::Greater: return "'>'";
    case TokenKind::Equal: return "'='";
    case TokenKind::Dot: return "'.'";
    case TokenKind::Percent: return "'%'";
    case TokenKind::EqualEqual: return "'=='";
    case TokenKind::NotEqual: return "'!='";
    case TokenKind::LessEqual: return "'<='";
    case TokenKind::GreaterEqual: return "'>='";
    case TokenKind::Tilde: return "'~'";
    case TokenKind::Circumflex: return "'^'";
    case TokenKind::LeftShift: return "'<<'";
    case TokenKind::RightShift: return "'>>'";
    case TokenKind::DoubleStar: return "'**'";
    case TokenKind::PlusEqual: return "'+='";
    case TokenKind::MinusEqual: return "'-='";
    case TokenKind::StarEqual: return "'*='";
    case TokenKind::SlashEqual: return "'/='";
    case TokenKind::PercentEqual: return "'%='";
    case TokenKind::AmpersandEqual: return "'&='";
    case TokenKind::VerticalBarEqual: return "'|='";
    case TokenKind::CircumflexEqual: return "'^='";
    case TokenKind::LeftShiftEqual: return "'<<='";
    case TokenKind::RightShiftEqual: return "'>>='";
    case TokenKind::DoubleStarEqual: return "'**='";
    case TokenKind::DoubleSlash: return "'//'";
    case TokenKind::DoubleSlashEqual: return "'//='";
    case TokenKind::At: return "'@'";
    case TokenKind::AtEqual: return "'@='";
    case TokenKind::Arrow: return "'->'";
    case TokenKind::Ellipsis: return "'...'";
    case TokenKind::ColonEqual: return "':='";
    case TokenKind::Error: return "error";
    }
    return "?";
}

namespace {

// Decodes one UTF-8 sequence at `p` (the text was validated before lexing starts).
char32_t decode_utf8(const unsigned char* p, int* length) {
    if (p[0] < 0x80) { *length = 1; return p[0]; }
    if (p[0] < 0xE0) { *length = 2; return ((p[0] & 0x1Fu) << 6) | (p[1] & 0x3Fu); }
    if (p[0] < 0xF0) { *length = 3; return ((p[0] & 0x0Fu) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu); }
    *length = 4;
    return ((p[0] & 0x07u) << 18) | ((p[1] & 0x3Fu) << 12) | ((p[2] & 0x3Fu) << 6) | (p[3] & 0x3Fu);
}

void append_utf8(std::string& out, char32_t c) {
    if (c < 0x80) {
        out += static_cast<char>(c);
    } else if (c < 0x800) {
        out += static_cast<char>(0xC0 | (c >> 6));
        out += static_cast<char>(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
        out += static_cast<char>(0xE0 | (c >> 12));
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (c & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (c >> 18));
        out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (c & 0x3F));
    }
}

// Python identifiers may use any Unicode letter (PEP 3131). Without the Unicode tables we
// accept every non-ASCII code point except the blocks that hold only punctuation, symbols,
// spaces and emoji, so `café` works and `€` or `→` is reported as an invalid character.
bool is_identifier_code_point(char32_t c) {
    if (c < 0x80) return false;
    if (c < 0xC0) return c == 0xAA || c == 0xB5 || c == 0xBA;  // Latin-1 punctuation and signs
    if (c == 0xD7 || c == 0xF7) return false;                   // × and ÷
    if (c >= 0x2000 && c <= 0x206F) return false;               // general punctuation, spaces
    if (c >= 0x20A0 && c <= 0x20CF) return false;               // currency symbols
    if (c >= 0x2190 && c <= 0x2BFF) return false;               // arrows, maths, boxes, dingbats
    if (c >= 0x2E00 && c <= 0x2E7F) return false;               // supplemental punctuation
    if (c >= 0x3000 && c <= 0x3004) return false;               // CJK spaces and marks
    if (c >= 0x3008 && c <= 0x3020) return false;               // CJK brackets
    if (c >= 0xD800 && c <= 0xF8FF) return false;               // surrogates, private use
    if (c >= 0xFE10 && c <= 0xFE6F) return false;               // vertical and small forms
    if (c == 0xFEFF) return false;                              // byte order mark
    if (c >= 0xFF01 && c <= 0xFF0F) return false;               // fullwidth punctuation
    if (c >= 0xFF1A && c <= 0xFF20) return false;
    if (c >= 0xFF3B && c <= 0xFF40) return false;
    if (c >= 0xFF5B && c <= 0xFF65) return false;
    if (c >= 0xFFF0 && c <= 0xFFFF) return false;               // specials
    if (c >= 0x1F000 && c <= 0x1FAFF) return false;             // emoji and pictographs
    if (c >= 0xE0000) return false;                             // tags, private use planes
    return true;
}

const std::unordered_map<std::string_view, TokenKind>& keywords() {
    static const std::unordered_map<std::string_view, TokenKind> table = {
        {"False", TokenKind::False}, {"None", TokenKind::None}, {"True", TokenKind::True},
        {"and", TokenKind::And}, {"as", TokenKind::As}, {"assert", TokenKind::Assert},
        {"async", TokenKind::Async}, {"await", TokenKind::Await}, {"break", TokenKind::Break},
        {"class", TokenKind::Class}, {"continue", TokenKind::Continue}, {"def", TokenKind::Def},
        {"del", TokenKind::Del}, {"elif", TokenKind::Elif}, {"else", TokenKind::Else},
        {"except", TokenKind::Except}, {"finally", TokenKind::Finally}, {"for", TokenKind::For},
        {"from", TokenKind::From}, {"global", TokenKind::Global}, {"if", TokenKind::If},
        {"import", TokenKind::Import}, {"in", TokenKind::In}, {"is", TokenKind::Is},
        {"lambda", TokenKind::Lambda}, {"nonlocal", TokenKind::Nonlocal}, {"not", TokenKind::Not},
        {"or", TokenKind::Or}, {"pass", TokenKind::Pass}, {"raise", TokenKind::Raise},
        {"return", TokenKind::Return}, {"try", TokenKind::Try}, {"while", TokenKind::While},
        {"with", TokenKind::With}, {"yield", TokenKind::Yield},
    };
    return table;
}

// Checks that `text` is valid UTF-8, as CPython does before tokenizing. Returns the byte
// offset of the first bad byte and a reason, or -1.
long find_invalid_utf8(std::string_view text, const char** reason) {
    const auto* p = reinterpret_cast<const unsigned char*>(text.data());
    const std::size_t n = text.size();
    std::size_t i = 0;
    while (i < n) {
        unsigned char c = p[i];
        if (c < 0x80) { ++i; continue; }
        int length = 0;
        char32_t min = 0;
        if (c >= 0xC2 && c <= 0xDF) { length = 2; min = 0x80; }
        else if (c >= 0xE0 && c <= 0xEF) { length = 3; min = 0x800; }
        else if (c >= 0xF0 && c <= 0xF4) { length = 4; min = 0x10000; }
        else { *reason = "invalid start byte"; return static_cast<long>(i); }
        if (i + length > n) { *reason = "unexpected end of data"; return static_cast<long>(i); }
        for (int k = 1; k < length; ++k) {
            if ((p[i + k] & 0xC0) != 0x80) { *reason = "invalid continuation byte"; return static_cast<long>(i); }
        }
        int ignored = 0;
        char32_t cp = decode_utf8(p + i, &ignored);
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
            *reason = "invalid continuation byte";
            return static_cast<long>(i);
        }
        i += length;
    }
    return -1;
}

bool is_hex_digit(unsigned char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
int hex_value(unsigned char c) {
    if (c >= '0' && c <= '9') return c - '0';
    return (c | 0x20) - 'a' + 10;
}

class Lexer {
public:
    Lexer(const SourceFile& source, std::string_view text, int line, int column, bool fragment)
        : m_source(source), m_text(text), m_buffer(text), m_line(line), m_first_line(line),
          m_first_column(column), m_fragment(fragment) {
        m_begin = reinterpret_cast<const unsigned char*>(m_buffer.c_str());
        m_limit = m_begin + m_buffer.size();
        m_cursor = m_begin;
        m_line_start = m_begin;
        m_column_mark = m_begin;
        m_column_at_mark = column;
    }

    LexResult run() {
        const char* reason = nullptr;
        long bad = find_invalid_utf8(m_text, &reason);
        if (bad >= 0) {
            // Position the error on the line holding the bad byte; count columns in bytes
            // up to it, since the line cannot be decoded.
            const unsigned char* p = m_begin + bad;
            while (m_cursor < p) {
                if (*m_cursor == '\n') { ++m_line; m_line_start = m_cursor + 1; }
                ++m_cursor;
            }
            m_column_mark = m_line_start;
            m_column_at_mark = m_line == m_first_line ? m_first_column : 1;
            char message[160];
            std::snprintf(message, sizeof message, "(unicode error) 'utf-8' codec can't decode byte 0x%02x in position %ld: %s",
                          static_cast<unsigned>(*p), bad, reason);
            int column = m_column_at_mark + static_cast<int>(p - m_line_start);
            fail(Span{m_line, column, m_line, column + 1}, message);
            return finish();
        }
        // A UTF-8 byte order mark at the start of a file is not part of the program.
        if (!m_fragment && m_buffer.compare(0, 3, "\xEF\xBB\xBF") == 0) {
            m_cursor += 3;
            m_line_start = m_cursor;
            m_column_mark = m_cursor;
        }
        while (!m_error && !m_done) {
            if (m_at_line_start && m_brackets.empty() && !m_fragment) {
                lex_indentation();
                if (m_error || m_done) break;
            }
            lex_token();
        }
        return finish();
    }

private:
    // ------------------------------------------------------------ positions

    // The 1-based column of byte `p` on the current line, counting code points. Tokens are
    // asked for in order, so counting on from the last answer keeps this linear.
    int column_of(const unsigned char* p) {
        if (p < m_column_mark || m_column_mark < m_line_start) {
            m_column_mark = m_line_start;
            m_column_at_mark = m_line == m_first_line ? m_first_column : 1;
        }
        while (m_column_mark < p) {
            if ((*m_column_mark & 0xC0) != 0x80) ++m_column_at_mark;
            ++m_column_mark;
        }
        // A position in the middle of a character counts as that character.
        return m_column_at_mark;
    }

    Span span_of(const unsigned char* start, const unsigned char* end) {
        int column = column_of(start);
        return Span{m_line, column, m_line, column_of(end)};
    }

    std::string_view text_of(const unsigned char* start, const unsigned char* end) const {
        return m_text.substr(static_cast<std::size_t>(start - m_begin), static_cast<std::size_t>(end - start));
    }

    void new_line(const unsigned char* next_line_start) {
        ++m_line;
        m_line_start = next_line_start;
        m_column_mark = next_line_start;
        m_column_at_mark = 1;
    }

    // ------------------------------------------------------------ output

    Token& emit(TokenKind kind, const unsigned char* start, const unsigned char* end) {
        Token token;
        token.kind = kind;
        token.text = text_of(start, end);
        token.span = span_of(start, end);
        m_tokens.push_back(std::move(token));
        return m_tokens.back();
    }

    void emit_at(TokenKind kind, Span span) {
        Token token;
        token.kind = kind;
        token.span = span;
        m_tokens.push_back(std::move(token));
    }

    void fail(Span span, std::string message, SyntaxErrorKind kind = SyntaxErrorKind::SyntaxError) {
        if (m_error) return;
        m_error = make_syntax_error(m_source, span, std::move(message), kind);
        m_done = true;
    }

    LexResult finish() {
        LexResult result;
        if (m_error) {
            Token error_token;
            error_token.kind = TokenKind::Error;
            error_token.span = m_error->span;
            m_tokens.push_back(std::move(error_token));
        }
        result.tokens = std::move(m_tokens);
        result.error = std::move(m_error);
        result.input_incomplete = m_incomplete;
        return result;
    }

    // ------------------------------------------------------------ indentation

    // At the start of a line outside brackets: measure the indentation and compare it with
    // the stack of open blocks. Lines holding only spaces or a comment don't count: they
    // produce no tokens at all, so they never open or close a block.
    void lex_indentation() {
        for (;;) {
            int column = 0;      // tabs advance to the next multiple of 8, as in CPython
            int alt_column = 0;  // tabs count as 1: the two must agree, or tabs and spaces were mixed
            const unsigned char* p = m_cursor;
            for (;; ++p) {
                if (*p == ' ') { ++column; ++alt_column; }
                else if (*p == '\t') { column = (column / 8 + 1) * 8; ++alt_column; }
                else if (*p == '\f') { column = 0; alt_column = 0; }
                else break;
            }
            if (p >= m_limit) {  // only spaces before the end of the text
                m_cursor = p;
                end_of_input();
                return;
            }
            if (*p == '#' || *p == '\n' || *p == '\r') {
                // A blank or comment-only line: skip it whole.
                while (p < m_limit && *p != '\n' && *p != '\r') ++p;
                if (p >= m_limit) { m_cursor = p; end_of_input(); return; }
                if (*p == '\r' && p[1] == '\n') ++p;
                ++p;
                m_cursor = p;
                new_line(p);
                continue;
            }
            m_cursor = p;
            m_at_line_start = false;
            Span here = span_of(p, p);
            if (column == m_indents.back()) {
                if (alt_column != m_alt_indents.back()) tab_error(here);
            } else if (column > m_indents.back()) {
                if (alt_column <= m_alt_indents.back()) { tab_error(here); return; }
                if (static_cast<int>(m_indents.size()) > max_indent_depth) {
                    fail(here, "too many levels of indentation", SyntaxErrorKind::IndentationError);
                    return;
                }
                m_indents.push_back(column);
                m_alt_indents.push_back(alt_column);
                // CPython points "unexpected indent" at the last character of the indentation.
                int c = here.column > 1 ? here.column - 1 : 1;
                emit_at(TokenKind::Indent, Span{m_line, c, m_line, here.column});
            } else {
                while (m_indents.size() > 1 && column < m_indents.back()) {
                    m_indents.pop_back();
                    m_alt_indents.pop_back();
                    emit_at(TokenKind::Dedent, here);
                }
                if (column != m_indents.back()) {
                    // CPython reports this one just past the end of the line.
                    const unsigned char* end = p;
                    while (end < m_limit && *end != '\n' && *end != '\r') ++end;
                    int c = column_of(end);
                    fail(Span{m_line, c, m_line, c}, "unindent does not match any outer indentation level",
                         SyntaxErrorKind::IndentationError);
                    return;
                }
                if (alt_column != m_alt_indents.back()) tab_error(here);
            }
            return;
        }
    }

    void tab_error(Span here) {
        fail(Span{here.line, 1, here.line, 1}, "inconsistent use of tabs and spaces in indentation",
             SyntaxErrorKind::TabError);
    }

    // The text has ended. Close the last logical line and every open block, as CPython's
    // tokenizer does, so the grammar never has to special-case the end of the file.
    void end_of_input() {
        m_done = true;
        const unsigned char* end = m_limit;
        if (!m_brackets.empty()) {
            const OpenBracket& open = m_brackets.back();
            std::string message = "'";
            message += open.bracket;
            message += "' was never closed";
            fail(open.span, message);
            m_incomplete = true;
            return;
        }
        if (m_fragment) {
            emit_at(TokenKind::EndOfFile, span_of(end, end));
            return;
        }
        Span here = span_of(end, end);
        if (!m_tokens.empty() && m_tokens.back().kind != TokenKind::Newline && m_tokens.back().kind != TokenKind::Dedent) {
            emit_at(TokenKind::Newline, Span{here.line, here.column, here.line, here.column + 1});
        }
        for (std::size_t i = 1; i < m_indents.size(); ++i) emit_at(TokenKind::Dedent, here);
        m_indents.resize(1);
        emit_at(TokenKind::EndOfFile, here);
    }

    // ------------------------------------------------------------ brackets

    // Both return false after reporting an error, and then no token is emitted for the
    // bracket: the lexer's error must be what the parser finds there.
    bool open_bracket(char bracket, const unsigned char* start) {
        Span span = span_of(start, start + 1);
        if (static_cast<int>(m_brackets.size()) >= max_bracket_depth) {
            fail(span, "too many nested parentheses");
            return false;
        }
        m_brackets.push_back(OpenBracket{bracket, span});
        return true;
    }

    bool close_bracket(char bracket, const unsigned char* start) {
        Span span = span_of(start, start + 1);
        if (m_brackets.empty()) {
            std::string message = "unmatched '";
            message += bracket;
            message += "'";
            fail(span, message);
            return false;
        }
        const OpenBracket open = m_brackets.back();
        const char expected = open.bracket == '(' ? ')' : open.bracket == '[' ? ']' : '}';
        if (bracket != expected) {
            std::string message = "closing parenthesis '";
            message += bracket;
            message += "' does not match opening parenthesis '";
            message += open.bracket;
            message += "'";
            if (open.span.line != m_line) message += " on line " + std::to_string(open.span.line);
            fail(span, message);
            return false;
        }
        m_brackets.pop_back();
        return true;
    }

    // ------------------------------------------------------------ tokens

    void lex_token();
    void lex_name(const unsigned char* start, const unsigned char* end);
    void lex_number(const unsigned char* start, const unsigned char* end, const char* kind);
    void lex_string(const unsigned char* start, const unsigned char* quote);
    void invalid_character(const unsigned char* start);

    struct OpenBracket {
        char bracket;
        Span span;
    };

    // The file, for error messages.
    const SourceFile& m_source;
    // The text being lexed, inside m_source.text: token texts point into it.
    std::string_view m_text;
    // A copy of the text ending in a NUL, which re2c uses as its end-of-input sentinel.
    std::string m_buffer;
    const unsigned char* m_begin = nullptr;
    const unsigned char* m_limit = nullptr;
    const unsigned char* m_cursor = nullptr;
    // The first byte of the current physical line.
    const unsigned char* m_line_start = nullptr;
    // A byte on the current line whose column is known, so column_of can count on from it.
    const unsigned char* m_column_mark = nullptr;
    int m_column_at_mark = 1;
    // The current physical line number.
    int m_line = 1;
    // Where the text starts: (1, 1) for a file, somewhere inside an f-string for a fragment.
    int m_first_line = 1;
    int m_first_column = 1;
    // Lexing an f-string expression: no indentation, and newlines are ordinary spaces.
    bool m_fragment = false;
    // The indentation of each open block, innermost last; column 0 is always there.
    std::vector<int> m_indents{0};
    std::vector<int> m_alt_indents{0};
    // Open brackets, innermost last: inside them newlines and indentation mean nothing.
    std::vector<OpenBracket> m_brackets;
    // The next token is the first of a logical line, so indentation must be measured.
    bool m_at_line_start = true;
    bool m_done = false;
    bool m_incomplete = false;
    std::vector<Token> m_tokens;
    std::optional<SyntaxError> m_error;
};

/*!re2c
    re2c:define:YYCTYPE = "unsigned char";
    re2c:yyfill:enable = 0;
    re2c:eof = 0;
    re2c:define:YYCURSOR = "cursor";
    re2c:define:YYMARKER = "marker";
    re2c:define:YYLIMIT = "m_limit";

    digit      = [0-9];
    digitpart  = digit ("_"? digit)*;
    nonzero    = [1-9] ("_"? digit)*;
    zeros      = "0"+ ("_"? "0")*;
    hexint     = "0" [xX] ("_"? [0-9a-fA-F])+;
    octint     = "0" [oO] ("_"? [0-7])+;
    binint     = "0" [bB] ("_"? [01])+;
    fraction   = "." digitpart;
    exponent   = [eE] [+-]? digitpart;
    pointfloat = digitpart? fraction | digitpart ".";
    float      = pointfloat | (digitpart | pointfloat) exponent;

    ascii_start    = [a-zA-Z_];
    ascii_continue = [a-zA-Z0-9_];
    utf8_byte      = [\x80-\xff];
    newline        = "\r\n" | "\n" | "\r";
    str_prefix     = 'r' | 'u' | 'b' | 'br' | 'rb' | 'f' | 'fr' | 'rf';
*/

void Lexer::lex_token() {
    const unsigned char* cursor = m_cursor;
    const unsigned char* marker = cursor;
    for (;;) {
        const unsigned char* start = cursor;
        auto advance = [&](TokenKind kind) {
            emit(kind, start, cursor);
            m_cursor = cursor;
        };
        /*!re2c
            $ {
                m_cursor = cursor;
                end_of_input();
                return;
            }
            [ \t\f]+ { continue; }
            "#" [^\n\r\x00]* { continue; }
            "\\" newline {
                new_line(cursor);
                if (cursor >= m_limit) {
                    fail(span_of(start, start + 1), "unexpected EOF while parsing");
                    m_incomplete = true;
                    m_cursor = cursor;
                    return;
                }
                continue;
            }
            "\\" {
                if (cursor >= m_limit) {
                    fail(span_of(start, start + 1), "unexpected EOF while parsing");
                    m_incomplete = true;
                } else {
                    fail(span_of(cursor, cursor + 1), "unexpected character after line continuation character");
                }
                m_cursor = cursor;
                return;
            }
            newline {
                if (m_brackets.empty() && !m_fragment) {
                    emit(TokenKind::Newline, start, cursor);
                    m_tokens.back().span.end_column = m_tokens.back().span.column + 1;
                    new_line(cursor);
                    m_at_line_start = true;
                    m_cursor = cursor;
                    return;
                }
                new_line(cursor);
                continue;
            }

            str_prefix? ['"] {
                lex_string(start, cursor - 1);
                return;
            }
            (ascii_start | utf8_byte) (ascii_continue | utf8_byte)* {
                lex_name(start, cursor);
                return;
            }

            "0"+ ("_"? "0")* ("_"? [1-9]) ("_"? digit)* {
                m_cursor = cursor;
                fail(span_of(start, cursor - 1), "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers");
                return;
            }
            hexint { m_cursor = cursor; lex_number(start, cursor, "hexadecimal"); return; }
            octint { m_cursor = cursor; lex_number(start, cursor, "octal"); return; }
            binint { m_cursor = cursor; lex_number(start, cursor, "binary"); return; }
            (nonzero | zeros | float) {
                m_cursor = cursor;
                lex_number(start, cursor, "decimal");
                return;
            }
            (digitpart | float) [jJ] {
                m_cursor = cursor;
                fail(span_of(start, cursor), "asy does not support complex numbers");
                return;
            }
            "0" [xXoObB] {
                m_cursor = cursor;
                const char* kind = (start[1] | 0x20) == 'x' ? "hexadecimal" : (start[1] | 0x20) == 'o' ? "octal" : "binary";
                if (*cursor >= '0' && *cursor <= '9' && cursor < m_limit) {
                    fail(span_of(cursor, cursor + 1), std::string("invalid digit '") + static_cast<char>(*cursor) + "' in " + kind + " literal");
                } else {
                    fail(span_of(cursor, cursor + 1), std::string("invalid ") + kind + " literal");
                }
                return;
            }

            "(" { if (open_bracket('(', start)) advance(TokenKind::LeftParen); return; }
            "[" { if (open_bracket('[', start)) advance(TokenKind::LeftBracket); return; }
            "{" { if (open_bracket('{', start)) advance(TokenKind::LeftBrace); return; }
            ")" { if (close_bracket(')', start)) advance(TokenKind::RightParen); return; }
            "]" { if (close_bracket(']', start)) advance(TokenKind::RightBracket); return; }
            "}" { if (close_bracket('}', start)) advance(TokenKind::RightBrace); return; }

            ":"   { advance(TokenKind::Colon); return; }
            ","   { advance(TokenKind::Comma); return; }
            ";"   { advance(TokenKind::Semicolon); return; }
            "+"   { advance(TokenKind::Plus); return; }
            "-"   { advance(TokenKind::Minus); return; }
            "*"   { advance(TokenKind::Star); return; }
            "/"   { advance(TokenKind::Slash); return; }
            "|"   { advance(TokenKind::VerticalBar); return; }
            "&"   { advance(TokenKind::Ampersand); return; }
            "<"   { advance(TokenKind::Less); return; }
            ">"   { advance(TokenKind::Greater); return; }
            "="   { advance(TokenKind::Equal); return; }
            "."   { advance(TokenKind::Dot); return; }
            "%"   { advance(TokenKind::Percent); return; }
            "=="  { advance(TokenKind::EqualEqual); return; }
            "!="  { advance(TokenKind::NotEqual); return; }
            "<="  { advance(TokenKind::LessEqual); return; }
            ">="  { advance(TokenKind::GreaterEqual); return; }
            "~"   { advance(TokenKind::Tilde); return; }
            "^"   { advance(TokenKind::Circumflex); return; }
            "<<"  { advance(TokenKind::LeftShift); return; }
            ">>"  { advance(TokenKind::RightShift); return; }
            "**"  { advance(TokenKind::DoubleStar); return; }
            "+="  { advance(TokenKind::PlusEqual); return; }
            "-="  { advance(TokenKind::MinusEqual); return; }
            "*="  { advance(TokenKind::StarEqual); return; }
            "/="  { advance(TokenKind::SlashEqual); return; }
            "%="  { advance(TokenKind::PercentEqual); return; }
            "&="  { advance(TokenKind::AmpersandEqual); return; }
            "|="  { advance(TokenKind::VerticalBarEqual); return; }
            "^="  { advance(TokenKind::CircumflexEqual); return; }
            "<<=" { advance(TokenKind::LeftShiftEqual); return; }
            ">>=" { advance(TokenKind::RightShiftEqual); return; }
            "**=" { advance(TokenKind::DoubleStarEqual); return; }
            "//"  { advance(TokenKind::DoubleSlash); return; }
            "//=" { advance(TokenKind::DoubleSlashEqual); return; }
            "@"   { advance(TokenKind::At); return; }
            "@="  { advance(TokenKind::AtEqual); return; }
            "->"  { advance(TokenKind::Arrow); return; }
            "..." { advance(TokenKind::Ellipsis); return; }
            ":="  { advance(TokenKind::ColonEqual); return; }

            * {
                m_cursor = cursor;
                invalid_character(start);
                return;
            }
        */
    }
}

void Lexer::invalid_character(const unsigned char* start) {
    if (*start == 0 && start < m_limit) {
        fail(span_of(start, start + 1), "source code cannot contain null bytes");
        return;
    }
    if (*start < 0x80) {
        if (*start < 0x20 || *start == 0x7F) {
            char message[64];
            std::snprintf(message, sizeof message, "invalid non-printable character U+%04X", static_cast<unsigned>(*start));
            fail(span_of(start, start + 1), message);
        } else {
            // `$`, `?`, `!` and the backquote are no token at all; CPython just says so.
            fail(span_of(start, start + 1), "invalid syntax");
        }
        return;
    }
    int length = 0;
    char32_t c = decode_utf8(start, &length);
    char code[16];
    std::snprintf(code, sizeof code, "U+%04X", static_cast<unsigned>(c));
    std::string message = "invalid character '";
    message.append(reinterpret_cast<const char*>(start), static_cast<std::size_t>(length));
    message += "' (";
    message += code;
    message += ")";
    fail(span_of(start, start + length), message);
}

void Lexer::lex_name(const unsigned char* start, const unsigned char* end) {
    // The rule took every non-ASCII byte; check that each character may be in a name.
    for (const unsigned char* p = start; p < end;) {
        int length = 1;
        if (*p >= 0x80) {
            char32_t c = decode_utf8(p, &length);
            if (!is_identifier_code_point(c)) {
                m_cursor = p + length;
                invalid_character(p);
                return;
            }
        }
        p += length;
    }
    m_cursor = end;
    std::string_view text = text_of(start, end);
    auto keyword = keywords().find(text);
    emit(keyword == keywords().end() ? TokenKind::Name : keyword->second, start, end);
}

void Lexer::lex_number(const unsigned char* start, const unsigned char* end, const char* kind) {
    // A number must not run straight into a name: `1abc`, `1_`, `0x1g` are typos.
    unsigned char next = *end;
    // CPython still accepts a keyword glued to a number, `1if x else y`, with a warning.
    static const char* const glued_keywords[] = {"and", "else", "for", "if", "in", "is", "not", "or"};
    for (const char* keyword : glued_keywords) {
        std::size_t length = std::char_traits<char>::length(keyword);
        if (static_cast<std::size_t>(m_limit - end) >= length &&
            std::memcmp(end, keyword, length) == 0) {
            unsigned char after = end + length < m_limit ? end[length] : ' ';
            if (!((after >= 'a' && after <= 'z') || (after >= 'A' && after <= 'Z') || (after >= '0' && after <= '9') ||
                  after == '_' || after >= 0x80)) {
                emit(TokenKind::Number, start, end);
                return;
            }
        }
    }
    if (end < m_limit && ((next >= 'a' && next <= 'z') || (next >= 'A' && next <= 'Z') || (next >= '0' && next <= '9') ||
                          next == '_' || next >= 0x80)) {
        std::string message = std::string("invalid ") + kind + " literal";
        const bool bad_digit = next >= '0' && next <= '9' && std::string_view(kind) != "decimal";
        if (bad_digit) {
            message = std::string("invalid digit '") + static_cast<char>(next) + "' in " + kind + " literal";
            fail(span_of(end, end + 1), message);
        } else if (std::string_view(kind) == "decimal") {
            fail(span_of(start, start + 1), message);
        } else {
            fail(span_of(end, end + 1), message);
        }
        return;
    }
    emit(TokenKind::Number, start, end);
}

void Lexer::lex_string(const unsigned char* start, const unsigned char* quote) {
    bool is_raw = false, is_bytes = false, is_fstring = false;
    for (const unsigned char* p = start; p < quote; ++p) {
        switch (*p | 0x20) {
        case 'r': is_raw = true; break;
        case 'b': is_bytes = true; break;
        case 'f': is_fstring = true; break;
        default: break;
        }
    }
    const unsigned char q = *quote;
    const bool triple = quote[1] == q && quote[2] == q;
    const unsigned char* body_start = quote + (triple ? 3 : 1);
    const int start_line = m_line;
    const Span start_span = span_of(start, start);
    const int body_column = column_of(body_start);
    // Find the closing quote. Escapes are decoded afterwards; here a backslash only means
    // "the next character does not end the string".
    const unsigned char* p = body_start;
    const unsigned char* body_end = nullptr;
    while (!body_end) {
        if (p >= m_limit || (*p == '\0' && p >= m_limit)) {
            std::string message = triple ? "unterminated triple-quoted string literal (detected at line "
                                         : "unterminated string literal (detected at line ";
            // A newline that ends the text does not begin another line.
            const bool ends_with_newline = p > body_start && (p[-1] == '\n' || p[-1] == '\r');
            message += std::to_string(ends_with_newline ? m_line - 1 : m_line) + ")";
            fail(Span{start_line, start_span.column, start_line, start_span.column}, message);
            m_incomplete = triple;
            m_cursor = p;
            return;
        }
        unsigned char c = *p;
        if (c == '\\') {
            ++p;
            if (p >= m_limit) continue;  // reported as unterminated above
            if (*p == '\r' && p[1] == '\n') ++p;
            if (*p == '\n' || *p == '\r') {
                new_line(p + 1);
            }
            ++p;
        } else if (c == '\n' || c == '\r') {
            if (!triple) {
                std::string message = "unterminated string literal (detected at line " + std::to_string(m_line) + ")";
                fail(Span{start_line, start_span.column, start_line, start_span.column}, message);
                m_cursor = p;
                return;
            }
            if (c == '\r' && p[1] == '\n') ++p;
            ++p;
            new_line(p);
        } else if (c == q && (!triple || (p[1] == q && p[2] == q))) {
            body_end = p;
            p += triple ? 3 : 1;
        } else {
            ++p;
        }
    }
    m_cursor = p;
    Token token;
    token.kind = TokenKind::String;
    token.text = text_of(start, p);
    token.span = Span{start_line, start_span.column, m_line, column_of(p)};
    token.is_bytes = is_bytes;
    token.is_fstring = is_fstring;
    token.is_raw = is_raw;
    token.body_line = start_line;
    token.body_column = body_column;
    std::string_view body = text_of(body_start, body_end);
    if (is_bytes) {
        for (unsigned char c : body) {
            if (c >= 0x80) {
                fail(token.span, "bytes can only contain ASCII literal characters");
                return;
            }
        }
    }
    // Newlines inside the literal read "\n" whatever the file used ("\r\n" or "\r").
    std::string normalized;
    if (body.find('\r') != std::string_view::npos && !is_fstring) {
        normalized = normalize_newlines(body);
        body = normalized;
    }
    if (is_fstring || is_raw) {
        token.value = std::string(body);
    } else {
        std::string error;
        if (!decode_string_escapes(body, is_bytes, token.value, &error)) {
            fail(token.span, error);
            return;
        }
    }
    m_tokens.push_back(std::move(token));
}

}  // namespace

std::string normalize_newlines(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\r') {
            out += '\n';
            if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
        } else {
            out += text[i];
        }
    }
    return out;
}

bool decode_string_escapes(std::string_view body, bool is_bytes, std::string& out, std::string* error) {
    out.reserve(body.size());
    auto unicode_error = [&](std::size_t from, std::size_t to, const char* what) {
        char message[200];
        std::snprintf(message, sizeof message,
                      "(unicode error) '%s' codec can't decode bytes in position %zu-%zu: %s",
                      "unicodeescape", from, to, what);
        *error = message;
        return false;
    };
    const std::size_t n = body.size();
    for (std::size_t i = 0; i < n; ++i) {
        unsigned char c = static_cast<unsigned char>(body[i]);
        if (c != '\\') {
            out += static_cast<char>(c);
            continue;
        }
        std::size_t escape_start = i;
        if (i + 1 >= n) { out += '\\'; break; }
        unsigned char e = static_cast<unsigned char>(body[++i]);
        switch (e) {
        case '\n': break;  // a backslash at the end of a line joins the lines
        case '\r':
            if (i + 1 < n && body[i + 1] == '\n') ++i;
            break;
        case '\\': out += '\\'; break;
        case '\'': out += '\''; break;
        case '"': out += '"'; break;
        case 'a': out += '\a'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'v': out += '\v'; break;
        case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7': {
            unsigned value = e - '0';
            for (int k = 0; k < 2 && i + 1 < n && body[i + 1] >= '0' && body[i + 1] <= '7'; ++k) {
                value = value * 8 + static_cast<unsigned>(body[++i] - '0');
            }
            if (is_bytes) out += static_cast<char>(value & 0xFF);
            else append_utf8(out, value);
            break;
        }
        case 'x': {
            if (i + 2 < n && is_hex_digit(static_cast<unsigned char>(body[i + 1])) &&
                is_hex_digit(static_cast<unsigned char>(body[i + 2]))) {
                unsigned value = hex_value(static_cast<unsigned char>(body[i + 1])) * 16 +
                                 hex_value(static_cast<unsigned char>(body[i + 2]));
                i += 2;
                if (is_bytes) out += static_cast<char>(value);
                else append_utf8(out, value);
            } else {
                std::size_t end = i;
                while (end + 1 < n && end - i < 2 && is_hex_digit(static_cast<unsigned char>(body[end + 1]))) ++end;
                return unicode_error(escape_start, end, "truncated \\xXX escape");
            }
            break;
        }
        case 'u':
        case 'U': {
            if (is_bytes) {  // bytes have no \u escapes: the backslash stays
                out += '\\';
                out += static_cast<char>(e);
                break;
            }
            int digits = e == 'u' ? 4 : 8;
            char32_t value = 0;
            for (int k = 0; k < digits; ++k) {
                if (i + 1 >= n || !is_hex_digit(static_cast<unsigned char>(body[i + 1]))) {
                    return unicode_error(escape_start, i, e == 'u' ? "truncated \\uXXXX escape" : "truncated \\UXXXXXXXX escape");
                }
                value = value * 16 + static_cast<char32_t>(hex_value(static_cast<unsigned char>(body[++i])));
            }
            if (value > 0x10FFFF) return unicode_error(escape_start, i, "illegal Unicode character");
            append_utf8(out, value);
            break;
        }
        case 'N':
            if (!is_bytes) {
                *error = "asy does not support \\N{...} escapes";
                return false;
            }
            out += "\\N";
            break;
        default:
            // An unknown escape keeps its backslash (CPython warns; the value is the same).
            out += '\\';
            out += static_cast<char>(e);
            break;
        }
    }
    return true;
}

LexResult tokenize(const SourceFile& source) {
    Lexer lexer(source, source.text, 1, 1, false);
    return lexer.run();
}

LexResult tokenize_fragment(const SourceFile& source, std::string_view text, int line, int column) {
    Lexer lexer(source, text, line, column, true);
    return lexer.run();
}

}  // namespace asy
