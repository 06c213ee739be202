// The front end's public entry: source text in, AST (ast.hpp) or one SyntaxError out.
// The lexer (lexer.re) and the grammar (parser.y) sit behind it.
#pragma once

#include <memory>
#include <optional>

#include "compiler/ast.hpp"
#include "compiler/source.hpp"

namespace asy {

struct ParseResult {
    // The module, or null if there was an error.
    std::unique_ptr<ast::Module> module;
    // The first syntax error in the file, as CPython would report it.
    std::optional<SyntaxError> error;
};

// Parses a whole file (or one REPL entry).
[[nodiscard]] ParseResult parse_module(const SourceFile& source);

// For the REPL: true when `source` is the beginning of a program that needs more lines: an
// open bracket, an open triple-quoted string, a backslash at the end, a block header with no
// body yet, or (as in CPython's REPL) a compound statement not yet ended by a blank line.
[[nodiscard]] bool needs_more_input(const SourceFile& source);

}  // namespace asy
