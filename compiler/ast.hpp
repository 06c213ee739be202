// The abstract syntax tree: what the parser builds and the compiler reads. Node kinds and
// field names follow CPython's `ast` module (Python 3.11), so `python3 -c "import ast;
// print(ast.dump(ast.parse(src)))"` is a guide to what any asy program parses into.
// Differences: no expression contexts (the compiler knows a target by where it stands),
// no type comments, and annotations are kept but never evaluated.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "compiler/source.hpp"

namespace asy::ast {

struct Expr;
struct Stmt;
using ExprPtr = std::unique_ptr<Expr>;
using StmtPtr = std::unique_ptr<Stmt>;
using ExprList = std::vector<ExprPtr>;
using StmtList = std::vector<StmtPtr>;

// ---------------------------------------------------------------- operators

enum class BinaryOperator { Add, Sub, Mult, MatMult, Div, FloorDiv, Mod, Pow, LShift, RShift, BitOr, BitXor, BitAnd };
enum class UnaryOperator { Invert, Not, UAdd, USub };
enum class BoolOperator { And, Or };
enum class CompareOperator { Eq, NotEq, Lt, LtE, Gt, GtE, Is, IsNot, In, NotIn };

// ---------------------------------------------------------------- constants

// The value of a literal. Integers that fit in 64 bits are stored as such; larger ones keep
// their decimal digits (the runtime turns them into big ints). Strings are UTF-8.
struct NoneLiteral {};
struct EllipsisLiteral {};
struct BigIntLiteral { std::string decimal_digits; };
struct BytesLiteral { std::string bytes; };
using ConstantValue = std::variant<NoneLiteral, bool, std::int64_t, BigIntLiteral, double, std::string, BytesLiteral,
                                   EllipsisLiteral>;

// ---------------------------------------------------------------- expressions

enum class ExprKind {
    BoolOp, NamedExpr, BinOp, UnaryOp, Lambda, IfExp, Dict, Set, ListComp, SetComp, DictComp, GeneratorExp,
    Await, Yield, YieldFrom, Compare, Call, FormattedValue, JoinedStr, Constant, Attribute, Subscript, Starred,
    Name, List, Tuple, Slice,
};

struct Expr {
    ExprKind kind;
    Span span;
    explicit Expr(ExprKind k) : kind(k) {}
    virtual ~Expr() = default;
};

// Each node type knows its kind, so `make<BinOp>()` and `as<BinOp>(expr)` need no argument.
#define ASY_EXPR_NODE(Name) static constexpr ExprKind node_kind = ExprKind::Name; Name() : Expr(ExprKind::Name) {}

struct BoolOp : Expr { ASY_EXPR_NODE(BoolOp)
    BoolOperator op = BoolOperator::And;
    ExprList values;  // two or more: `a and b and c` is one node
};
struct NamedExpr : Expr { ASY_EXPR_NODE(NamedExpr)
    ExprPtr target;  // always a Name
    ExprPtr value;
};
struct BinOp : Expr { ASY_EXPR_NODE(BinOp)
    ExprPtr left;
    BinaryOperator op = BinaryOperator::Add;
    ExprPtr right;
};
struct UnaryOp : Expr { ASY_EXPR_NODE(UnaryOp)
    UnaryOperator op = UnaryOperator::Not;
    ExprPtr operand;
};

struct Arg {
    std::string name;
    ExprPtr annotation;  // may be null; never evaluated
    Span span;
};

// A parameter list. `defaults` belong to the last len(defaults) of posonlyargs + args;
// `kw_defaults` is parallel to kwonlyargs with null where there is no default.
struct Arguments {
    std::vector<Arg> posonlyargs;
    std::vector<Arg> args;
    std::optional<Arg> vararg;
    std::vector<Arg> kwonlyargs;
    ExprList kw_defaults;
    std::optional<Arg> kwarg;
    ExprList defaults;
};

struct Lambda : Expr { ASY_EXPR_NODE(Lambda)
    Arguments args;
    ExprPtr body;
};
struct IfExp : Expr { ASY_EXPR_NODE(IfExp)
    ExprPtr test;
    ExprPtr body;
    ExprPtr orelse;
};
struct Dict : Expr { ASY_EXPR_NODE(Dict)
    ExprList keys;  // a null key means `**values[i]`
    ExprList values;
};
struct Set : Expr { ASY_EXPR_NODE(Set)
    ExprList elts;
};

// One `for target in iter if cond...` clause of a comprehension.
struct Comprehension {
    ExprPtr target;
    ExprPtr iter;
    ExprList ifs;
    bool is_async = false;
};

struct ListComp : Expr { ASY_EXPR_NODE(ListComp)
    ExprPtr elt;
    std::vector<Comprehension> generators;
};
struct SetComp : Expr { ASY_EXPR_NODE(SetComp)
    ExprPtr elt;
    std::vector<Comprehension> generators;
};
struct DictComp : Expr { ASY_EXPR_NODE(DictComp)
    ExprPtr key;
    ExprPtr value;
    std::vector<Comprehension> generators;
};
struct GeneratorExp : Expr { ASY_EXPR_NODE(GeneratorExp)
    ExprPtr elt;
    std::vector<Comprehension> generators;
};
struct Await : Expr { ASY_EXPR_NODE(Await)
    ExprPtr value;
};
struct Yield : Expr { ASY_EXPR_NODE(Yield)
    ExprPtr value;  // may be null
};
struct YieldFrom : Expr { ASY_EXPR_NODE(YieldFrom)
    ExprPtr value;
};
struct Compare : Expr { ASY_EXPR_NODE(Compare)
    ExprPtr left;
    std::vector<CompareOperator> ops;  // `a < b < c`: ops [Lt, Lt], comparators [b, c]
    ExprList comparators;
};

// `name=value` in a call; a null name means `**value`.
struct Keyword {
    std::optional<std::string> arg;
    ExprPtr value;
    Span span;
};

struct Call : Expr { ASY_EXPR_NODE(Call)
    ExprPtr func;
    ExprList args;  // may contain Starred for *iterable
    std::vector<Keyword> keywords;
};

// One `{value!conversion:format_spec}` inside an f-string.
struct FormattedValue : Expr { ASY_EXPR_NODE(FormattedValue)
    ExprPtr value;
    // 0 (none), 's', 'r' or 'a'.
    char conversion = 0;
    ExprPtr format_spec;  // a JoinedStr, or null
};
// An f-string: Constant str pieces and FormattedValues, in order. `f"{x=}"` is expanded by
// the parser into Constant("x=") followed by FormattedValue(x, 'r').
struct JoinedStr : Expr { ASY_EXPR_NODE(JoinedStr)
    ExprList values;
};
struct Constant : Expr { ASY_EXPR_NODE(Constant)
    ConstantValue value;
};
struct Attribute : Expr { ASY_EXPR_NODE(Attribute)
    ExprPtr value;
    std::string attr;
};
struct Subscript : Expr { ASY_EXPR_NODE(Subscript)
    ExprPtr value;
    ExprPtr slice;  // a Slice, a Tuple (for a[1:2, 3]) or any expression
};
struct Starred : Expr { ASY_EXPR_NODE(Starred)
    ExprPtr value;
};
struct Name : Expr { ASY_EXPR_NODE(Name)
    std::string id;
};
struct List : Expr { ASY_EXPR_NODE(List)
    ExprList elts;
};
struct Tuple : Expr { ASY_EXPR_NODE(Tuple)
    ExprList elts;
};
struct Slice : Expr { ASY_EXPR_NODE(Slice)
    ExprPtr lower;  // each may be null
    ExprPtr upper;
    ExprPtr step;
};

#undef ASY_EXPR_NODE

// ---------------------------------------------------------------- statements

enum class StmtKind {
    FunctionDef, ClassDef, Return, Delete, Assign, AugAssign, AnnAssign, For, While, If, With, Raise, Try,
    Assert, Import, ImportFrom, Global, Nonlocal, Expr, Pass, Break, Continue,
};

struct Stmt {
    StmtKind kind;
    Span span;
    explicit Stmt(StmtKind k) : kind(k) {}
    virtual ~Stmt() = default;
};

#define ASY_STMT_NODE(Name) static constexpr StmtKind node_kind = StmtKind::Name; Name() : Stmt(StmtKind::Name) {}

struct FunctionDef : Stmt { ASY_STMT_NODE(FunctionDef)
    std::string name;
    Arguments args;
    StmtList body;
    ExprList decorator_list;
    ExprPtr returns;  // annotation, may be null; never evaluated
    bool is_async = false;
};
struct ClassDef : Stmt { ASY_STMT_NODE(ClassDef)
    std::string name;
    ExprList bases;
    std::vector<Keyword> keywords;
    StmtList body;
    ExprList decorator_list;
};
struct Return : Stmt { ASY_STMT_NODE(Return)
    ExprPtr value;  // may be null
};
struct Delete : Stmt { ASY_STMT_NODE(Delete)
    ExprList targets;
};
struct Assign : Stmt { ASY_STMT_NODE(Assign)
    ExprList targets;  // `a = b = 1` has two targets
    ExprPtr value;
};
struct AugAssign : Stmt { ASY_STMT_NODE(AugAssign)
    ExprPtr target;
    BinaryOperator op = BinaryOperator::Add;
    ExprPtr value;
};
struct AnnAssign : Stmt { ASY_STMT_NODE(AnnAssign)
    ExprPtr target;
    ExprPtr annotation;  // never evaluated
    ExprPtr value;       // may be null
    bool simple = true;  // target is a plain name, not in parentheses
};
struct For : Stmt { ASY_STMT_NODE(For)
    ExprPtr target;
    ExprPtr iter;
    StmtList body;
    StmtList orelse;
    bool is_async = false;
};
struct While : Stmt { ASY_STMT_NODE(While)
    ExprPtr test;
    StmtList body;
    StmtList orelse;
};
struct If : Stmt { ASY_STMT_NODE(If)
    ExprPtr test;
    StmtList body;
    StmtList orelse;  // an elif is an If alone in orelse
};

struct WithItem {
    ExprPtr context_expr;
    ExprPtr optional_vars;  // may be null
};

struct With : Stmt { ASY_STMT_NODE(With)
    std::vector<WithItem> items;
    StmtList body;
    bool is_async = false;
};
struct Raise : Stmt { ASY_STMT_NODE(Raise)
    ExprPtr exc;    // may be null (bare raise)
    ExprPtr cause;  // may be null
};

struct ExceptHandler {
    ExprPtr type;  // may be null (bare except)
    std::optional<std::string> name;
    StmtList body;
    Span span;
};

struct Try : Stmt { ASY_STMT_NODE(Try)
    StmtList body;
    std::vector<ExceptHandler> handlers;
    StmtList orelse;
    StmtList finalbody;
    bool is_star = false;  // `except*`
};
struct Assert : Stmt { ASY_STMT_NODE(Assert)
    ExprPtr test;
    ExprPtr msg;  // may be null
};

struct Alias {
    std::string name;  // dotted for `import a.b`; "*" for `from m import *`
    std::optional<std::string> asname;
    Span span;
};

struct Import : Stmt { ASY_STMT_NODE(Import)
    std::vector<Alias> names;
};
struct ImportFrom : Stmt { ASY_STMT_NODE(ImportFrom)
    std::string module;  // "" for `from . import x`
    std::vector<Alias> names;
    int level = 0;       // number of leading dots
};
struct Global : Stmt { ASY_STMT_NODE(Global)
    std::vector<std::string> names;
};
struct Nonlocal : Stmt { ASY_STMT_NODE(Nonlocal)
    std::vector<std::string> names;
};
struct ExprStmt : Stmt { static constexpr StmtKind node_kind = StmtKind::Expr; ExprStmt() : Stmt(StmtKind::Expr) {}
    ExprPtr value;
};
struct Pass : Stmt { ASY_STMT_NODE(Pass) };
struct Break : Stmt { ASY_STMT_NODE(Break) };
struct Continue : Stmt { ASY_STMT_NODE(Continue) };

#undef ASY_STMT_NODE

// A whole file (or one REPL entry).
struct Module {
    StmtList body;
};

// ---------------------------------------------------------------- helpers

// Allocates a node with its span: `auto n = make<ast::BinOp>(span);`.
template <typename Node>
std::unique_ptr<Node> make(Span span) {
    auto node = std::make_unique<Node>();
    node->span = span;
    return node;
}

// Checked downcast by kind: `if (auto* call = as<ast::Call>(expr)) ...`; null if the kind differs.
template <typename Node, typename Base>
Node* as(Base* node) {
    return node && node->kind == Node::node_kind ? static_cast<Node*>(node) : nullptr;
}
template <typename Node, typename Base>
const Node* as(const Base* node) {
    return node && node->kind == Node::node_kind ? static_cast<const Node*>(node) : nullptr;
}

}  // namespace asy::ast
