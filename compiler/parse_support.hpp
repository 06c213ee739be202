// Helper types for the grammar (parser.y): the pieces that grammar rules hand to each other
// before they become AST nodes, such as the items of an argument list. Only the front end
// uses them; the rest of the compiler sees the AST alone.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "compiler/ast.hpp"

namespace asy::front {

// One item of `def f(...)` or `lambda ...:` before the rules of Python's parameter lists are
// checked: `a`, `a: int`, `a=1`, `/`, `*`, `*args`, `**kwargs`.
struct ParamItem {
    enum class Kind { Plain, Slash, Star, DoubleStar };
    Kind kind = Kind::Plain;
    // The parameter; empty name for `/` and a bare `*`.
    ast::Arg arg;
    // `= default`, or null.
    ast::ExprPtr default_value;
    Span span;
};

// One item of a call's argument list: `x`, `*xs`, `name=x`, `**kw`, or `x for x in xs`.
struct CallItem {
    enum class Kind { Positional, Starred, Keyword, DoubleStarred };
    Kind kind = Kind::Positional;
    std::optional<std::string> name;
    ast::ExprPtr value;
    // The item was a bare generator expression, `f(x for x in y)`.
    bool is_generator = false;
    Span span;
};

// The elements of a parenthesised, bracketed or braced display before we know what it is:
// `(a)`, `(a,)`, `(a for a in b)`, `[a, *b]`, `{a: 1}`, `{a, b}`.
struct Display {
    ast::ExprList elements;      // for sets, lists and tuples
    ast::ExprList keys;          // for dicts; null key for `**mapping`
    ast::ExprList values;
    bool is_dict = false;
    bool has_comma = false;      // a comma makes `(a,)` a tuple
    std::vector<ast::Comprehension> generators;  // non-empty for a comprehension
};

// The `from` part of `from ..a.b import c`.
struct ImportSource {
    int level = 0;
    std::string module;
};

// One `except` clause, and whether it was `except*`.
struct HandlerItem {
    ast::ExceptHandler handler;
    bool is_star = false;
};

// The clauses after a `try` block.
struct TryTail {
    std::vector<ast::ExceptHandler> handlers;
    ast::StmtList orelse;
    ast::StmtList finalbody;
    int star_handlers = 0;   // how many were `except*`
};

// One `op expr` step of a comparison chain.
struct CompareStep {
    ast::CompareOperator op = ast::CompareOperator::Eq;
    ast::ExprPtr right;
};

// Moves every element of `from` onto the end of `into`.
template <typename T>
void append(std::vector<T>& into, std::vector<T>&& from) {
    for (auto& item : from) into.push_back(std::move(item));
}

}  // namespace asy::front
