// Source text and compile-time errors: finding a line of a file, and printing a SyntaxError
// the way CPython does (file and line, the source line, a caret under the culprit).
#include "compiler/source.hpp"

namespace asy {

std::string_view SourceFile::line_text(int line) const {
    if (line < 1) return {};
    std::string_view rest = text;
    // Skip line - 1 line breaks; "\r\n" and a lone "\r" end a line too, as in the lexer.
    for (int current = 1; current < line; ++current) {
        std::size_t end = rest.find_first_of("\r\n");
        if (end == std::string_view::npos) return {};
        if (rest[end] == '\r' && end + 1 < rest.size() && rest[end + 1] == '\n') ++end;
        rest.remove_prefix(end + 1);
    }
    std::size_t end = rest.find_first_of("\r\n");
    return end == std::string_view::npos ? rest : rest.substr(0, end);
}

std::string_view syntax_error_class_name(SyntaxErrorKind kind) {
    switch (kind) {
    case SyntaxErrorKind::SyntaxError: return "SyntaxError";
    case SyntaxErrorKind::IndentationError: return "IndentationError";
    case SyntaxErrorKind::TabError: return "TabError";
    }
    return "SyntaxError";
}

SyntaxError make_syntax_error(const SourceFile& source, Span span, std::string message, SyntaxErrorKind kind) {
    SyntaxError error;
    error.kind = kind;
    error.message = std::move(message);
    error.filename = source.filename;
    error.span = span;
    error.source_line = std::string(source.line_text(span.line));
    return error;
}

namespace {

// Counts the code points in `text`, which is how columns are measured.
int count_code_points(std::string_view text) {
    int count = 0;
    for (unsigned char c : text) {
        if ((c & 0xC0) != 0x80) ++count;
    }
    return count;
}

}  // namespace

std::string format_syntax_error(const SyntaxError& error) {
    std::string out = "  File \"" + error.filename + "\", line " + std::to_string(error.span.line);
    if (error.span.column > 0) out += ", column " + std::to_string(error.span.column);
    out += "\n";
    std::string_view line = error.source_line;
    if (!line.empty()) {
        // CPython prints the line without its indentation and moves the caret to match.
        std::size_t indent = line.find_first_not_of(" \t\f");
        if (indent == std::string_view::npos) indent = line.size();
        std::string_view shown = line.substr(indent);
        // Trailing spaces are dropped too.
        while (!shown.empty() && (shown.back() == ' ' || shown.back() == '\t')) shown.remove_suffix(1);
        out += "    ";
        out += shown;
        out += "\n";
        const int shown_length = count_code_points(shown);
        int column = error.span.column - static_cast<int>(indent);  // 1-based within `shown`
        if (column >= 1) {
            if (column > shown_length + 1) column = shown_length + 1;
            int width = 1;
            if (error.span.end_line == error.span.line && error.span.end_column > error.span.column) {
                width = error.span.end_column - error.span.column;
            } else if (error.span.end_line > error.span.line) {
                width = shown_length + 1 - column;  // underline to the end of the line
            }
            if (width < 1) width = 1;
            if (column + width > shown_length + 2) width = shown_length + 2 - column;
            if (width < 1) width = 1;
            out += "    ";
            out += std::string(static_cast<std::size_t>(column - 1), ' ');
            out += std::string(static_cast<std::size_t>(width), '^');
            out += "\n";
        }
    }
    out += syntax_error_class_name(error.kind);
    out += ": ";
    out += error.message;
    out += "\n";
    return out;
}

}  // namespace asy
