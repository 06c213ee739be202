// Tests for the parser (compiler/parser.y, parse.cpp, fstring.cpp): the AST of every
// statement and expression form, Python's precedence rules, f-strings, CPython's syntax error
// messages and positions, the REPL's "needs more input" rule, and robustness against
// malformed and deeply nested input. Expected trees are printed by ast_printer.hpp; each one
// was checked against CPython 3.11 with ast_printer.py.
#include <catch2/catch.hpp>

#include <chrono>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "compiler/parse.hpp"
#include "tests/unit/compiler/ast_printer.hpp"

using asy::SourceFile;

namespace {

// The tree of `text` in the printer's notation, one line per statement, or "error: ...".
std::string tree(const std::string& text) {
    SourceFile source{"<test>", text};
    asy::ParseResult result = asy::parse_module(source);
    if (result.error) return "error: " + result.error->message;
    std::string out = asy::test::AstPrinter().module(*result.module);
    if (!out.empty() && out.back() == '\n') out.pop_back();
    return out;
}

// The error for `text` as "Kind: message @line:column".
std::string error(const std::string& text) {
    SourceFile source{"<test>", text};
    asy::ParseResult result = asy::parse_module(source);
    if (!result.error) return "no error";
    const asy::SyntaxError& e = *result.error;
    return std::string(asy::syntax_error_class_name(e.kind)) + ": " + e.message + " @" + std::to_string(e.span.line) +
           ":" + std::to_string(e.span.column);
}

bool more(const std::string& text) {
    SourceFile source{"<stdin>", text};
    return asy::needs_more_input(source);
}

}  // namespace

TEST_CASE("parser: trees match CPython's ast", "[parser]") {
    // {source, the tree CPython 3.11 builds for it}
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"1 + 2 * 3",
         "(Add 1 (Mult 2 3))"},
        {"(1 + 2) * 3",
         "(Mult (Add 1 2) 3)"},
        {"-2 ** 2",
         "(USub (Pow 2 2))"},
        {"2 ** -1",
         "(Pow 2 (USub 1))"},
        {"a ** b ** c",
         "(Pow a (Pow b c))"},
        {"a - b - c",
         "(Sub (Sub a b) c)"},
        {"a / b // c % d @ e",
         "(MatMult (Mod (FloorDiv (Div a b) c) d) e)"},
        {"not a == b",
         "(Not (Compare a Eq b))"},
        {"a or b and not c",
         "(Or a (And b (Not c)))"},
        {"a or b or c",
         "(Or a b c)"},
        {"(a or b) or c",
         "(Or (Or a b) c)"},
        {"a and b and c",
         "(And a b c)"},
        {"a < b <= c",
         "(Compare a Lt b LtE c)"},
        {"a is not b",
         "(Compare a IsNot b)"},
        {"a not in b",
         "(Compare a NotIn b)"},
        {"a | b ^ c & d",
         "(BitOr a (BitXor b (BitAnd c d)))"},
        {"a << b + c >> d",
         "(RShift (LShift a (Add b c)) d)"},
        {"~a + -b",
         "(Add (Invert a) (USub b))"},
        {"x if y else z if w else v",
         "(IfExp y x (IfExp w z v))"},
        {"lambda x: x if x else y",
         "(Lambda (args x) (IfExp x x y))"},
        {"await a ** b",
         "(Pow (Await a) b)"},
        {"-a.b[c](d)",
         "(USub (Call ([] (. a b) c) d))"},
        {"a if b else c or d",
         "(IfExp b a (Or c d))"},
        {"(1,)",
         "(Tuple 1)"},
        {"()",
         "(Tuple)"},
        {"[]",
         "(List)"},
        {"{}",
         "(Dict)"},
        {"{1, 2}",
         "(Set 1 2)"},
        {"{1: 2, **a}",
         "(Dict 1:2 **a)"},
        {"[1, *a]",
         "(List 1 (* a))"},
        {"(a)",
         "a"},
        {"x[1:2, ::3]",
         "([] x (Tuple (Slice 1 2 _) (Slice _ _ 3)))"},
        {"x[:]",
         "([] x (Slice _ _ _))"},
        {"x[a:=1]",
         "([] x (:= a 1))"},
        {"x[1,]",
         "([] x (Tuple 1))"},
        {"x[*a]",
         "([] x (Tuple (* a)))"},
        {"...",
         "Ellipsis"},
        {"None, True, False",
         "(Tuple None True False)"},
        {"f(a, *b, c=1, **d)",
         "(Call f a (* b) c=1 **d)"},
        {"f(x for x in y)",
         "(Call f (GeneratorExp x (for x in y)))"},
        {"[x for x in y if x if z for w in x]",
         "(ListComp x (for x in y if x if z) (for w in x))"},
        {"{k: v for k, v in d.items()}",
         "(DictComp k:v (for (Tuple k v) in (Call (. d items))))"},
        {"{x async for x in y}",
         "(SetComp x (async for x in y))"},
        {"(yield)",
         "(Yield _)"},
        {"'a' 'b' 'c'",
         "'abc'"},
        {"b'a' b'\\xff'",
         "b'a\\xff'"},
        {"0x10 + 0o10 + 0b10 + 1_000",
         "(Add (Add (Add 16 8) 2) 1000)"},
        {"1.5 + 1. + .5 + 1e3",
         "(Add (Add (Add 1.5f 1f) 0.5f) 1000f)"},
        {"9223372036854775807, 9223372036854775808, 0xFFFFFFFFFFFFFFFFFF",
         "(Tuple 9223372036854775807 9223372036854775808 4722366482869645213695)"},
        {"x = y = 1",
         "(Assign [x y] 1)"},
        {"a, *b = c",
         "(Assign [(Tuple a (* b))] c)"},
        {"[a, (b, c)] = d",
         "(Assign [(List a (Tuple b c))] d)"},
        {"x += 1",
         "(AugAssign x Add 1)"},
        {"x //= 2",
         "(AugAssign x FloorDiv 2)"},
        {"x: int = 1",
         "(AnnAssign x int 1)"},
        {"x: int",
         "(AnnAssign x int _)"},
        {"(x): int",
         "(AnnAssign x int _ notsimple)"},
        {"a.b: int = 1",
         "(AnnAssign (. a b) int 1 notsimple)"},
        {"del a, b[0], c.d",
         "(Delete a ([] b 0) (. c d))"},
        {"del (a, b)",
         "(Delete (Tuple a b))"},
        {"pass; break; continue",
         "(Pass)\n(Break)\n(Continue)"},
        {"return",
         "(Return _)"},
        {"return 1, *a",
         "(Return (Tuple 1 (* a)))"},
        {"raise",
         "(Raise _ _)"},
        {"raise E from e",
         "(Raise E e)"},
        {"global a, b",
         "(Global a b)"},
        {"nonlocal a",
         "(Nonlocal a)"},
        {"assert x, 'msg'",
         "(Assert x 'msg')"},
        {"import a.b as c, d",
         "(Import a.b as c d)"},
        {"from . import x",
         "(ImportFrom . x)"},
        {"from ..a.b import (c as d, e,)",
         "(ImportFrom ..a.b c as d e)"},
        {"from ... import x",
         "(ImportFrom ... x)"},
        {"from m import *",
         "(ImportFrom m *)"},
        {"if a:\n    b\nelif c:\n    d\nelse:\n    e",
         "(If a [b] [(If c [d] [e])])"},
        {"while a:\n    b\nelse:\n    c",
         "(While a [b] [c])"},
        {"for a, b in c:\n    d\nelse:\n    e",
         "(For (Tuple a b) c [d] [e])"},
        {"try:\n    a\nexcept (A, B) as e:\n    b\nexcept C:\n    c\nexcept:\n    d\nelse:\n    e\nfinally:\n    f",
         "(Try [a] (except (Tuple A B) as e [b]) (except C [c]) (except _ [d]) [e] [f])"},
        {"try:\n    a\nexcept* E as e:\n    b",
         "(TryStar [a] (except E as e [b]) [] [])"},
        {"try:\n    a\nfinally:\n    b",
         "(Try [a] [] [b])"},
        {"with a as b, c:\n    d",
         "(With a as b c [d])"},
        {"with (a as b, c as d,):\n    e",
         "(With a as b c as d [e])"},
        {"with (a, b) as c:\n    d",
         "(With (Tuple a b) as c [d])"},
        {"def f(a, b=1, /, c=2, *args, d, e=3, **kw) -> int:\n    return a",
         "(FunctionDef f (args po(a b) c *args kw:d kw:e **kw defaults(1 2) kw_defaults(_ 3)) [(Return a)] -> int)"},
        {"def f(a: int, *, b: str = 'x'): pass",
         "(FunctionDef f (args a:int kw:b:str kw_defaults('x')) [(Pass)])"},
        {"@dec\n@dec2(1)\ndef f(): pass",
         "(FunctionDef f (args) [(Pass)] @[dec (Call dec2 1)])"},
        {"@dataclass\nclass C(B, metaclass=M):\n    x: int = 0",
         "(ClassDef C [B metaclass=M] [(AnnAssign x int 0)] @[dataclass])"},
        {"async def f():\n    await g()\n    async for x in y: pass\n    async with a as b: pass",
         "(AsyncFunctionDef f (args) [(Await (Call g)) (AsyncFor x y [(Pass)] []) (AsyncWith a as b [(Pass)])])"},
        {"def g():\n    x = yield 1\n    yield from y",
         "(FunctionDef g (args) [(Assign [x] (Yield 1)) (YieldFrom y)])"},
        {"if (n := len(a)) > 10: pass",
         "(If (Compare (:= n (Call len a)) Gt 10) [(Pass)] [])"},
        {"lambda: 0",
         "(Lambda (args) 0)"},
        {"lambda *a, **k: 0",
         "(Lambda (args *a **k) 0)"},
        {"lambda a, /, b=1, *, c: 0",
         "(Lambda (args po(a) b kw:c defaults(1) kw_defaults(_)) 0)"},
        {"f'a{b}c'",
         "(f 'a' (fv b) 'c')"},
        {"f'{x!r} {y!s:>10} {z!a}'",
         "(f (fv x !r) ' ' (fv y !s :(f '>10')) ' ' (fv z !a))"},
        {"f'{x:{w}.{p}f}'",
         "(f (fv x :(f (fv w) '.' (fv p) 'f')))"},
        {"f'{x=}'",
         "(f 'x=' (fv x !r))"},
        {"f'{x = !s}'",
         "(f 'x = ' (fv x !s))"},
        {"f'{x=:>4}'",
         "(f 'x=' (fv x :(f '>4')))"},
        {"f'{{}}{a}'",
         "(f '{}' (fv a))"},
        {"f'{a}' 'b' f'{c}'",
         "(f (fv a) 'b' (fv c))"},
        {"f''",
         "(f)"},
        {"f'plain'",
         "(f 'plain')"},
        {"rf'\\d{x}'",
         "(f '\\\\d' (fv x))"},
        {"f'{a[\"k\"]}'",
         "(f (fv ([] a 'k')))"},
        {"f'{(lambda: 1)()}'",
         "(f (fv (Call (Lambda (args) 1))))"},
        {"f'{x:%H:%M}'",
         "(f (fv x :(f '%H:%M')))"},
        {"f'{a, b}'",
         "(f (fv (Tuple a b)))"},
        {"f'''{\na\n}'''",
         "(f (fv a))"},
        {"f'{3.14:.1f}'",
         "(f (fv 3.1400000000000001f :(f '.1f')))"},
    };
    for (const auto& [source, expected] : cases) {
        INFO(source);
        CHECK(tree(source) == expected);
    }
}

TEST_CASE("parser: spans of nodes", "[parser]") {
    SourceFile source{"<test>", "x = foo(1,\n        2) + y\n"};
    asy::ParseResult result = asy::parse_module(source);
    REQUIRE(result.module);
    const auto* assign = asy::ast::as<asy::ast::Assign>(result.module->body.at(0).get());
    REQUIRE(assign);
    CHECK(assign->span.line == 1);
    CHECK(assign->span.column == 1);
    CHECK(assign->span.end_line == 2);
    CHECK(assign->span.end_column == 15);
    const auto* sum = asy::ast::as<asy::ast::BinOp>(assign->value.get());
    REQUIRE(sum);
    CHECK(sum->span.column == 5);
    const auto* call = asy::ast::as<asy::ast::Call>(sum->left.get());
    REQUIRE(call);
    CHECK(call->span.end_line == 2);
    CHECK(call->span.end_column == 11);
    CHECK(call->args.at(1)->span.line == 2);
    CHECK(call->args.at(1)->span.column == 9);
}

TEST_CASE("parser: a compound statement ends where its last statement does", "[parser]") {
    SourceFile source{"<test>", "if x:\n    y = 1\n    z()\n\nw = 2\n"};
    asy::ParseResult result = asy::parse_module(source);
    REQUIRE(result.module);
    const auto& stmt = *result.module->body.at(0);
    CHECK(stmt.span.line == 1);
    CHECK(stmt.span.end_line == 3);
    CHECK(stmt.span.end_column == 8);
    CHECK(result.module->body.at(1)->span.line == 5);
}

TEST_CASE("parser: f-string expressions have their real positions", "[parser]") {
    SourceFile source{"<test>", "s = f'ab{x + y!r}'\n"};
    asy::ParseResult result = asy::parse_module(source);
    REQUIRE(result.module);
    const auto* assign = asy::ast::as<asy::ast::Assign>(result.module->body.at(0).get());
    const auto* joined = asy::ast::as<asy::ast::JoinedStr>(assign->value.get());
    REQUIRE(joined);
    REQUIRE(joined->values.size() == 2);
    const auto* field = asy::ast::as<asy::ast::FormattedValue>(joined->values[1].get());
    REQUIRE(field);
    CHECK(field->conversion == 'r');
    CHECK(field->value->span.column == 10);
    CHECK(field->value->span.end_column == 15);
    CHECK(error("s = 1\ns = f'ab{x y}'\n") == "SyntaxError: f-string: invalid syntax. Perhaps you forgot a comma? @2:10");
}

TEST_CASE("parser: syntax errors read as CPython's", "[parser][errors]") {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"if x\n    pass\n", "SyntaxError: expected ':' @1:5"},
        {"for x in y\n    pass\n", "SyntaxError: expected ':' @1:11"},
        {"def f()\n    pass\n", "SyntaxError: expected ':' @1:8"},
        {"if x:\npass\n", "IndentationError: expected an indented block after 'if' statement on line 1 @2:1"},
        {"x = 1\ndef f():\nreturn 1\n",
         "IndentationError: expected an indented block after function definition on line 2 @3:1"},
        {"class C:\n\nx = 1\n", "IndentationError: expected an indented block after class definition on line 1 @3:1"},
        {"for x in y:\n    pass\nelse:\nz\n",
         "IndentationError: expected an indented block after 'else' statement on line 3 @4:1"},
        {"  x = 1\n", "IndentationError: unexpected indent @1:2"},
        {"x = 1\n    y = 2\n", "IndentationError: unexpected indent @2:4"},
        {"if x:\n    a\n  b\n", "IndentationError: unindent does not match any outer indentation level @3:4"},
        {"x = (1,\n", "SyntaxError: '(' was never closed @1:5"},
        {"x = 1)\n", "SyntaxError: unmatched ')' @1:6"},
        {"f(a b)\n", "SyntaxError: invalid syntax. Perhaps you forgot a comma? @1:3"},
        {"[1, 2 3]\n", "SyntaxError: invalid syntax. Perhaps you forgot a comma? @1:5"},
        {"f() = 1\n", "SyntaxError: cannot assign to function call here. Maybe you meant '==' instead of '='? @1:1"},
        {"1 = x\n", "SyntaxError: cannot assign to literal here. Maybe you meant '==' instead of '='? @1:1"},
        {"True = 1\n", "SyntaxError: cannot assign to True @1:1"},
        {"a = 1 = b\n", "SyntaxError: cannot assign to literal @1:5"},
        {"exec 'x'\n", "SyntaxError: Missing parentheses in call to 'exec'. Did you mean exec(...)? @1:1"},
        {"a + 1 = 2\n", "SyntaxError: cannot assign to expression here. Maybe you meant '==' instead of '='? @1:1"},
        {"if x = 1:\n    pass\n", "SyntaxError: invalid syntax. Maybe you meant '==' or ':=' instead of '='? @1:4"},
        {"f(a.b=1)\n", "SyntaxError: expression cannot contain assignment, perhaps you meant \"==\"? @1:3"},
        {"x = f(a=1, b)\n", "SyntaxError: positional argument follows keyword argument @1:12"},
        {"f(**a, *b)\n", "SyntaxError: iterable argument unpacking follows keyword argument unpacking @1:8"},
        {"f(x for x in y, 1)\n", "SyntaxError: Generator expression must be parenthesized @1:3"},
        {"def f(a=1, b): pass\n", "SyntaxError: non-default argument follows default argument @1:12"},
        {"def f(*): pass\n", "SyntaxError: named arguments must follow bare * @1:7"},
        {"(a, b) += 1\n", "SyntaxError: 'tuple' is an illegal expression for augmented assignment @1:1"},
        {"del f()\n", "SyntaxError: cannot delete function call @1:5"},
        {"for f() in x: pass\n", "SyntaxError: cannot assign to function call @1:5"},
        {"a, b: int\n", "SyntaxError: only single target (not tuple) can be annotated @1:1"},
        {"x = yield = 1\n", "SyntaxError: assignment to yield expression not possible @1:5"},
        {"print 'hello'\n", "SyntaxError: Missing parentheses in call to 'print'. Did you mean print(...)? @1:1"},
        {"x = 1 if 2\n", "SyntaxError: expected 'else' after 'if' expression @1:5"},
        {"x = {1: 2, 3}\n", "SyntaxError: ':' expected after dictionary key @1:12"},
        {"try:\n    pass\nx = 1\n", "SyntaxError: expected 'except' or 'finally' block @3:1"},
        {"try:\n    x\nexcept A, B:\n    y\n", "SyntaxError: multiple exception types must be parenthesized @3:9"},
        {"match x:\n    case 1:\n        pass\n", "SyntaxError: asy does not support `match` statements yet @1:1"},
        {"x = 'abc\n", "SyntaxError: unterminated string literal (detected at line 1) @1:5"},
        {"x = 1j\n", "SyntaxError: asy does not support complex numbers @1:5"},
        {"x = f'{}'\n", "SyntaxError: f-string: empty expression not allowed @1:8"},
        {"x = f'{a'\n", "SyntaxError: f-string: expecting '}' @1:9"},
        {"x = f'}'\n", "SyntaxError: f-string: single '}' is not allowed @1:7"},
        {"x = f'{a:{b:{c}}}'\n", "SyntaxError: f-string: expressions nested too deeply @1:13"},
        {"x = f'{a!x}'\n", "SyntaxError: f-string: invalid conversion character: expected 's', 'r', or 'a' @1:10"},
        {"x = 'a' b'b'\n", "SyntaxError: cannot mix bytes and nonbytes literals @1:5"},
        {"try:\n    a\nexcept A:\n    b\nexcept* B:\n    c\n",
         "SyntaxError: cannot have both 'except' and 'except*' on the same 'try' @1:1"},
        {"x := 1\n", "SyntaxError: invalid syntax: unexpected ':=' @1:3"},
        {"x = )\n", "SyntaxError: unmatched ')' @1:5"},
        {"else:\n    pass\n", "SyntaxError: invalid syntax: unexpected 'else' (expected an expression) @1:1"},
        {"x = 5 +\n", "SyntaxError: invalid syntax: unexpected end of line (expected an expression) @1:8"},
    };
    for (const auto& [source, expected] : cases) {
        INFO(source);
        CHECK(error(source) == expected);
    }
}

TEST_CASE("parser: the first error wins, whether the lexer's or the parser's", "[parser][errors]") {
    // As in CPython, a tokenizer error anywhere in the file beats a parse error...
    CHECK(error("x = = 1\ny = 'abc\n") == "SyntaxError: unterminated string literal (detected at line 2) @2:5");
    CHECK(error("f(a b)\nx = 1)\n") == "SyntaxError: unmatched ')' @2:6");
    // ... except an indentation error,
    CHECK(error("x = = 1\nif x:\n    a\n  b\n") ==
          "SyntaxError: invalid syntax: unexpected '=' (expected an expression or 'yield') @1:5");
    // and a bracket never closed counts only when the parse error is on a later line.
    CHECK(error("x = (1, 2\ny = 3\n") == "SyntaxError: '(' was never closed @1:5");
    CHECK(error("x = (1 2,\n") == "SyntaxError: invalid syntax. Perhaps you forgot a comma? @1:6");
    // The lexer's error on line 1 comes first.
    CHECK(error("y = $\nx = = 1\n") == "SyntaxError: invalid syntax @1:5");
}

TEST_CASE("parser: format_syntax_error lays the error out as CPython does", "[parser][errors]") {
    SourceFile source{"demo.asy", "def f():\n    if x = 1:\n        pass\n"};
    asy::ParseResult result = asy::parse_module(source);
    REQUIRE(result.error);
    CHECK(asy::format_syntax_error(*result.error) ==
          "  File \"demo.asy\", line 2, column 8\n"
          "    if x = 1:\n"
          "       ^^^^^\n"
          "SyntaxError: invalid syntax. Maybe you meant '==' or ':=' instead of '='?\n");
}

TEST_CASE("parser: needs_more_input for the REPL", "[parser][repl]") {
    CHECK_FALSE(more("x = 1\n"));
    CHECK_FALSE(more("x = = 1\n"));  // an error, not an unfinished statement
    CHECK(more("x = (1,\n"));
    CHECK(more("x = '''abc\n"));
    CHECK(more("x = 1 + \\\n"));
    CHECK(more("if x:\n"));
    CHECK(more("def f():\n"));
    CHECK(more("@dec\n"));
    CHECK(more("if x:\n    y = 1\n"));  // a block ends with an empty line
    CHECK_FALSE(more("if x:\n    y = 1\n\n"));
    CHECK_FALSE(more("if x:\n    y = 1\n   \n"));
    CHECK(more("if x:\n    y = 1\nelse:\n"));
    CHECK_FALSE(more("if x\n"));
    CHECK(more("if x: pass\n"));  // CPython's REPL waits here too
    CHECK_FALSE(more("if x: pass\n\n"));
    // A block header nested in another block: the DEDENTs before the end do not end it.
    CHECK(more("async def f():\n    for i in range(3):\n"));
    CHECK(more("class C:\n    def m(self):\n"));
    CHECK_FALSE(more("print(1)\n"));
}

TEST_CASE("parser: deep nesting is an error, not a crash", "[parser][limits]") {
    CHECK(error(std::string(10000, '(') + "1" + std::string(10000, ')')) ==
          "SyntaxError: too many nested parentheses @1:201");
    CHECK(error(std::string(199, '[') + std::string(199, ']')) == "no error");
    std::string minus = "x = " + std::string(100000, '-') + "1\n";
    CHECK(error(minus).rfind("SyntaxError: too many nested expressions on one line", 0) == 0);
    std::string sum = "x = 1";
    for (int i = 0; i < 50000; ++i) sum += "+1";
    CHECK(error(sum).rfind("SyntaxError: too many nested expressions on one line", 0) == 0);
    std::string power = "x = 2";
    for (int i = 0; i < 50000; ++i) power += "**2";
    CHECK(error(power).rfind("SyntaxError: too many nested expressions on one line", 0) == 0);
    std::string fstring = "x = ";
    for (int i = 0; i < 20; ++i) fstring += "f'{";
    CHECK(error(fstring) != "no error");
    // Long flat data is fine: commas and literals add no depth.
    std::string list = "x = [";
    for (int i = 0; i < 20000; ++i) list += "1, ";
    list += "]\n";
    CHECK(error(list) == "no error");
}

TEST_CASE("parser: random and mutated input never crashes or hangs", "[parser][fuzz]") {
    const std::vector<std::string> seeds = {
        "def f(a, b=1, *c, d, **e):\n    return [x async for x in y if x]\n",
        "class C(B, metaclass=M):\n    @property\n    def x(self) -> int:\n        return self._x\n",
        "x = f'{a!r:>{w}} {b=}' + 'c' b'' rb'\\x'\n",
        "try:\n    a = {1: 2, **b}\nexcept* (E, F) as e:\n    raise X from e\nfinally:\n    pass\n",
        "async def main():\n    async with a as b, c:\n        await sleep(0.1)\n    for i in range(10):\n        if i % 2: continue\n",
        "with (open(x) as f, open(y) as g):\n    lambda *a, **k: (yield)\n",
        "x[1:2, ::3], *y = z = (a := 1) if b else -c ** ~d\n",
        "from ...a.b import (c as d, e,)\nimport f.g as h\nglobal i\ndel j[0], k.l\n",
    };
    const std::string alphabet = "()[]{}:;,.=+-*/%<>!@&|^~'\"\\#\n \t\r\x01\xc3\xa9\xff" "0123456789abcdefxyzjJ_";
    const std::vector<std::string> words = {"if", "else", "def", "async", "await", "lambda", "yield", "for", "in",
                                            "not", "is", "f'", "'''", "\"\"\"", "\n    ", "\n", "\\\n", "(", ")",
                                            "*", "**", ":=", "...", "{", "}", "b'", "rf'", "match", "class"};
    std::mt19937 random(20251122);
    auto pick = [&](std::size_t n) { return static_cast<std::size_t>(random() % n); };
    const auto start = std::chrono::steady_clock::now();
    int parsed = 0;
    for (int round = 0; round < 600; ++round) {
        std::string text;
        if (round % 3 == 0) {
            // Pure noise.
            const std::size_t length = pick(80);
            for (std::size_t i = 0; i < length; ++i) text += alphabet[pick(alphabet.size())];
        } else {
            // A real program with a few bytes inserted, deleted or replaced.
            text = seeds[pick(seeds.size())];
            const std::size_t edits = 1 + pick(4);
            for (std::size_t e = 0; e < edits && !text.empty(); ++e) {
                const std::size_t at = pick(text.size());
                switch (pick(4)) {
                case 0: text.erase(at, 1 + pick(3)); break;
                case 1: text.insert(at, 1, alphabet[pick(alphabet.size())]); break;
                case 2: text[at] = alphabet[pick(alphabet.size())]; break;
                default: text.insert(at, words[pick(words.size())]); break;
                }
            }
        }
        SourceFile source{"<fuzz>", text};
        asy::ParseResult result = asy::parse_module(source);
        // Exactly one of the two is set, and an error always says where it is.
        CHECK((result.module != nullptr) != result.error.has_value());
        if (result.error) {
            CHECK_FALSE(result.error->message.empty());
            CHECK(result.error->span.line >= 1);
            CHECK(result.error->message != "syntax error");
            (void)asy::format_syntax_error(*result.error);
        } else {
            ++parsed;
        }
        (void)asy::needs_more_input(source);
    }
    CHECK(parsed > 0);
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(20));
}
