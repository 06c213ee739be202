// Source text and compile-time errors. The lexer, parser and compiler all read a SourceFile
// and report problems as a SyntaxError value; the CLI and the REPL print it with
// format_syntax_error, laid out as CPython does, so every stage reports errors the same way.
#pragma once

#include <string>
#include <string_view>

namespace asy {

// A position in a source file. Lines and columns start at 1, as in CPython's messages;
// columns count characters (code points), not bytes.
struct Span {
    int line = 0;
    int column = 0;
    int end_line = 0;
    int end_column = 0;
};

// One file of source text, kept alive for as long as anything (tokens, AST spans,
// error messages) may point into it.
struct SourceFile {
    // The name shown in errors and tracebacks: a path, "<stdin>" or "<string>".
    std::string filename;
    // The whole text, UTF-8.
    std::string text;

    // The text of line `line` (1-based) without its newline, or "" if out of range.
    [[nodiscard]] std::string_view line_text(int line) const;
};

// Which exception class a compile-time error becomes (the VM raises it, the CLI prints it).
enum class SyntaxErrorKind {
    SyntaxError,
    IndentationError,
    TabError,
};

// A compile-time error: the lexer, parser, scope analysis and compiler all produce these.
struct SyntaxError {
    SyntaxErrorKind kind = SyntaxErrorKind::SyntaxError;
    // CPython's message text, e.g. "expected ':'" or "invalid syntax".
    std::string message;
    std::string filename;
    // Where the caret goes; end_column > column draws ^^^ under a range.
    Span span;
    // The offending source line, without its newline.
    std::string source_line;
};

// Renders an error the way CPython prints it, plus the column in the header line:
//   File "demo.asy", line 3, column 9
//     if x = 1:
//          ^
//   SyntaxError: invalid syntax. Maybe you meant '==' or ':=' instead of '='?
[[nodiscard]] std::string format_syntax_error(const SyntaxError& error);

// The Python name of the error's class ("SyntaxError", "IndentationError", "TabError").
[[nodiscard]] std::string_view syntax_error_class_name(SyntaxErrorKind kind);

// Builds a SyntaxError at `span` in `source`, filling in the filename and source line.
[[nodiscard]] SyntaxError make_syntax_error(const SourceFile& source, Span span, std::string message,
                                            SyntaxErrorKind kind = SyntaxErrorKind::SyntaxError);

}  // namespace asy
