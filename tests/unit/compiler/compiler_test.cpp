// Tests for compiler/compiler.cpp and compiler/emitter.cpp: the instruction shapes of the key
// constructs (compared with CPython 3.11's `dis` output, minus RESUME/PRECALL/CACHE), stack
// depths, exception tables, code object metadata, and compile errors with their positions.
#include "compiler_test_support.hpp"

using namespace asy;
using namespace asy::test;

namespace {

// Compiles `text` and checks the stack discipline of every code object in it.
Compiled compile_ok(const std::string& text, CompileMode mode = CompileMode::Module) {
    Compiled compiled = compile_text(text, mode);
    if (compiled.result.error) FAIL("unexpected error: " << format_syntax_error(*compiled.result.error));
    verify_stack(compiled.code());
    return compiled;
}

// Checks the error the whole front end reports for `text`. Some of these (invalid assignment
// targets, repeated keywords) the parser already catches, as CPython's does; the compiler
// checks them again for ASTs built by other means, so either stage may answer.
void check_error(const std::string& text, const std::string& message, int line, int column) {
    INFO(text);
    SourceFile source{"test.asy", text};
    ParseResult parsed = parse_module(source);
    std::optional<SyntaxError> error = parsed.error;
    if (!error) {
        CompileResult result = compile_module(*parsed.module, source);
        CHECK_FALSE(result.code);
        error = result.error;
    }
    REQUIRE(error);
    CHECK(error->message == message);
    CHECK(error->span.line == line);
    CHECK(error->span.column == column);
}

}  // namespace

TEST_CASE("module assignments use the name dictionary", "[compiler]") {
    auto c = compile_ok("x = 1\nprint(x)\n");
    CHECK(listing(c.code()) ==
          "LOAD_CONST 1\nSTORE_NAME x\nLOAD_NAME print\nLOAD_NAME x\nCALL 1\nPOP_TOP\nLOAD_CONST None\nRETURN_VALUE");
    CHECK(c.code().name == "<module>");
    CHECK(c.code().flags == 0);
}

TEST_CASE("functions use fast locals, globals and defaults", "[compiler]") {
    auto c = compile_ok("def f(a, b=2, *args, c, d=4, **kw):\n    x = a + b\n    return len(x)\n");
    CHECK(listing(c.code()) ==
          "LOAD_CONST (2,)\nLOAD_CONST 'd'\nLOAD_CONST 4\nBUILD_MAP 1\nLOAD_CONST <code object f at line 1>\n"
          "MAKE_FUNCTION 3\nSTORE_NAME f\nLOAD_CONST None\nRETURN_VALUE");
    const CodeObject& f = code_named(c, "f");
    CHECK(listing(f) == "LOAD_FAST a\nLOAD_FAST b\nBINARY_OP 0\nSTORE_FAST x\nLOAD_GLOBAL len\nLOAD_FAST x\nCALL 1\n"
                        "RETURN_VALUE");
    CHECK(f.argcount == 2);
    CHECK(f.kwonlyargcount == 2);
    CHECK(f.varnames == std::vector<std::string>{"a", "b", "c", "d", "args", "kw", "x"});
    CHECK(f.flags == (CO_OPTIMIZED | CO_NEWLOCALS | CO_VARARGS | CO_VARKEYWORDS));
    CHECK(f.qualname == "f");
    CHECK(f.first_line == 1);
    // The docstring slot: None when there is no docstring.
    REQUIRE(!f.constants.empty());
    CHECK(std::holds_alternative<NoneConstant>(f.constants[0]));
}

TEST_CASE("docstrings", "[compiler]") {
    auto c = compile_ok("'''mod'''\ndef f():\n    'fdoc'\n    return 1\nclass C:\n    'cdoc'\n");
    CHECK(listing(c.code()).rfind("LOAD_CONST 'mod'\nSTORE_NAME __doc__\n", 0) == 0);
    const CodeObject& f = code_named(c, "f");
    CHECK(std::get<std::string>(f.constants[0]) == "fdoc");
    CHECK(opcodes(f) == "LOAD_CONST RETURN_VALUE");
    CHECK(listing(code_named(c, "C")) ==
          "LOAD_NAME __name__\nSTORE_NAME __module__\nLOAD_CONST 'C'\nSTORE_NAME __qualname__\n"
          "LOAD_CONST 'cdoc'\nSTORE_NAME __doc__\nLOAD_CONST None\nRETURN_VALUE");
}

TEST_CASE("calls: plain, method, keywords, star-args", "[compiler]") {
    auto c = compile_ok("f(1, 2)\no.m(1)\no.m(a=1)\nf(1, *a, k=2, **kw)\nf(*a)\n");
    CHECK(listing(c.code()) ==
          "LOAD_NAME f\nLOAD_CONST 1\nLOAD_CONST 2\nCALL 2\nPOP_TOP\n"
          "LOAD_NAME o\nLOAD_METHOD m\nLOAD_CONST 1\nCALL_METHOD 1\nPOP_TOP\n"
          "LOAD_NAME o\nLOAD_ATTR m\nLOAD_CONST 1\nLOAD_CONST ('a',)\nCALL_KW 1\nPOP_TOP\n"
          "LOAD_NAME f\nLOAD_CONST 1\nBUILD_LIST 1\nLOAD_NAME a\nLIST_EXTEND\nLIST_TO_TUPLE\n"
          "LOAD_CONST 'k'\nLOAD_CONST 2\nBUILD_MAP 1\nLOAD_NAME kw\nDICT_MERGE\nCALL_FUNCTION_EX 1\nPOP_TOP\n"
          // A lone *iterable goes to CALL_FUNCTION_EX as it is, as in CPython 3.11, which then
          // reports "f() argument after * must be an iterable, not int" for a non-iterable.
          "LOAD_NAME f\nLOAD_NAME a\nCALL_FUNCTION_EX 0\nPOP_TOP\n"
          "LOAD_CONST None\nRETURN_VALUE");
}

TEST_CASE("closures: cells, free variables and nonlocal", "[compiler]") {
    auto c = compile_ok(
        "def outer(a):\n"
        "    b = 1\n"
        "    def inner():\n"
        "        nonlocal b\n"
        "        b += a\n"
        "        return b\n"
        "    return inner\n");
    const CodeObject& outer = code_named(c, "outer");
    CHECK(outer.cellvars == std::vector<std::string>{"a", "b"});
    CHECK(listing(outer) ==
          "LOAD_CONST 1\nSTORE_DEREF b\nLOAD_CLOSURE a\nLOAD_CLOSURE b\nBUILD_TUPLE 2\n"
          "LOAD_CONST <code object inner at line 3>\nMAKE_FUNCTION 8\nSTORE_FAST inner\nLOAD_FAST inner\nRETURN_VALUE");
    const CodeObject& inner = code_named(c, "inner");
    CHECK(inner.freevars == std::vector<std::string>{"a", "b"});
    CHECK(inner.qualname == "outer.<locals>.inner");
    CHECK((inner.flags & CO_NESTED) != 0);
    CHECK(listing(inner) == "LOAD_DEREF b\nLOAD_DEREF a\nBINARY_OP 13\nSTORE_DEREF b\nLOAD_DEREF b\nRETURN_VALUE");
}

TEST_CASE("global declarations inside functions", "[compiler]") {
    auto c = compile_ok("def f():\n    global g\n    g = 1\n    del g\n");
    CHECK(listing(code_named(c, "f")) == "LOAD_CONST 1\nSTORE_GLOBAL g\nDELETE_GLOBAL g\nLOAD_CONST None\nRETURN_VALUE");
}

TEST_CASE("if / elif / else and while with else", "[compiler]") {
    auto c = compile_ok("if a:\n    x = 1\nelif b:\n    x = 2\nelse:\n    x = 3\nwhile c:\n    break\nelse:\n    y = 1\n");
    CHECK(opcodes(c.code()) ==
          "LOAD_NAME POP_JUMP_IF_FALSE LOAD_CONST STORE_NAME JUMP LOAD_NAME POP_JUMP_IF_FALSE LOAD_CONST STORE_NAME "
          "JUMP LOAD_CONST STORE_NAME LOAD_NAME POP_JUMP_IF_FALSE JUMP LOAD_CONST STORE_NAME LOAD_CONST "
          "RETURN_VALUE");
}

TEST_CASE("for loops: break pops the iterator, continue jumps back", "[compiler]") {
    auto c = compile_ok("def f(xs):\n    for x in xs:\n        if x:\n            break\n        continue\n    else:\n"
                        "        return 0\n    return 1\n");
    CHECK(listing(code_named(c, "f")) ==
          "LOAD_FAST xs\nGET_ITER\nFOR_ITER 8\nSTORE_FAST x\nLOAD_FAST x\nPOP_JUMP_IF_FALSE 2\nPOP_TOP\nJUMP 10\n"
          "LOAD_CONST 0\nRETURN_VALUE\nLOAD_CONST 1\nRETURN_VALUE");
}

TEST_CASE("return inside for pops the iterator under the value", "[compiler]") {
    auto c = compile_ok("def f(xs):\n    for x in xs:\n        return x\n");
    CHECK(opcodes(code_named(c, "f")) ==
          "LOAD_FAST GET_ITER FOR_ITER STORE_FAST LOAD_FAST SWAP POP_TOP RETURN_VALUE LOAD_CONST RETURN_VALUE");
}

TEST_CASE("try / except as e matches CPython 3.11's shape", "[compiler]") {
    auto c = compile_ok("def f():\n    try:\n        g()\n    except E as e:\n        h(e)\n");
    const CodeObject& f = code_named(c, "f");
    CHECK(listing(f) ==
          "LOAD_GLOBAL g\nCALL 0\nPOP_TOP\nJUMP 26\n"       // 0-3: body, jump past the handlers
          "PUSH_EXC_INFO\nLOAD_GLOBAL E\nCHECK_EXC_MATCH\nPOP_JUMP_IF_FALSE 22\nSTORE_FAST e\n"  // 4-8
          "LOAD_GLOBAL h\nLOAD_FAST e\nCALL 1\nPOP_TOP\n"   // 9-12: handler body
          "POP_EXCEPT\nLOAD_CONST None\nSTORE_FAST e\nDELETE_FAST e\nJUMP 26\n"  // 13-17
          "LOAD_CONST None\nSTORE_FAST e\nDELETE_FAST e\nRERAISE 1\n"  // 18-21: cleanup of e
          "RERAISE 0\nCOPY 3\nPOP_EXCEPT\nRERAISE 1\n"  // 22: no handler matched; 23-25: cleanup
          "LOAD_CONST None\nRETURN_VALUE");
    REQUIRE(f.exception_table.size() == 4);
    CHECK(f.exception_table[0].start == 0);
    CHECK(f.exception_table[0].end == 3);
    CHECK(f.exception_table[0].target == 4);
    CHECK(f.exception_table[0].stack_depth == 0);
    CHECK_FALSE(f.exception_table[0].push_lasti);
    // The handler's own instructions are covered by the cleanup that restores the old exception.
    CHECK(f.exception_table[1].start == 4);
    CHECK(f.exception_table[1].target == 23);
    CHECK(f.exception_table[1].stack_depth == 1);
    CHECK(f.exception_table[1].push_lasti);
    // The handler body is covered by the `del e` clean-up.
    CHECK(f.exception_table[2].start == 9);
    CHECK(f.exception_table[2].end == 13);
    CHECK(f.exception_table[2].target == 18);
    CHECK(f.exception_table[2].stack_depth == 1);
    // ...and that clean-up by the outer one again.
    CHECK(f.exception_table[3].start == 18);
    CHECK(f.exception_table[3].target == 23);
}

TEST_CASE("nested try/finally: return runs every finally, inner entries first", "[compiler]") {
    auto c = compile_ok(
        "def f():\n"
        "    try:\n"
        "        try:\n"
        "            return g()\n"
        "        finally:\n"
        "            a()\n"
        "    finally:\n"
        "        b()\n");
    const CodeObject& f = code_named(c, "f");
    std::string ops = opcodes(f);
    // The return path calls a() then b() with the return value kept under them.
    CHECK(ops.rfind("LOAD_GLOBAL CALL LOAD_GLOBAL CALL POP_TOP LOAD_GLOBAL CALL POP_TOP RETURN_VALUE", 0) == 0);
    // g() is covered by the inner finally handler; the inner handler by the outer one.
    REQUIRE(f.exception_table.size() >= 2);
    auto covering = [&](std::uint32_t offset) -> const ExceptionTableEntry* {
        for (const auto& entry : f.exception_table)
            if (offset >= entry.start && offset < entry.end) return &entry;
        return nullptr;
    };
    const ExceptionTableEntry* first = covering(0);
    REQUIRE(first);
    CHECK(first->stack_depth == 0);
    CHECK(opcode_of(f.instructions[first->target]) == Opcode::PUSH_EXC_INFO);
    // While running a() on the return path the value is on the stack, covered by the outer handler.
    const ExceptionTableEntry* during_a = covering(3);
    REQUIRE(during_a);
    CHECK(during_a->target != first->target);
    CHECK(during_a->stack_depth == 0);
}

TEST_CASE("break and continue through finally and with", "[compiler]") {
    auto c = compile_ok(
        "def f(xs):\n"
        "    for x in xs:\n"
        "        with x:\n"
        "            try:\n"
        "                if x: break\n"
        "                continue\n"
        "            finally:\n"
        "                g()\n");
    const CodeObject& f = code_named(c, "f");
    std::string text = listing(f);
    // break: run the finally, call __exit__(None, None, None), pop the iterator, jump out.
    CHECK(text.find("LOAD_GLOBAL g\nCALL 0\nPOP_TOP\nLOAD_CONST None\nLOAD_CONST None\nLOAD_CONST None\nCALL 3\n"
                    "POP_TOP\nPOP_TOP\nJUMP") != std::string::npos);
}

TEST_CASE("with statement shape", "[compiler]") {
    auto c = compile_ok("with a as b:\n    c()\n");
    CHECK(opcodes(c.code()) ==
          "LOAD_NAME BEFORE_WITH STORE_NAME LOAD_NAME CALL POP_TOP LOAD_CONST LOAD_CONST LOAD_CONST CALL POP_TOP JUMP "
          "PUSH_EXC_INFO WITH_EXCEPT_START POP_JUMP_IF_TRUE RERAISE COPY POP_EXCEPT RERAISE POP_TOP POP_EXCEPT "
          "POP_TOP POP_TOP LOAD_CONST RETURN_VALUE");
    const auto& table = c.code().exception_table;
    REQUIRE(table.size() == 2);
    // The body unwinds to [__exit__] and pushes lasti.
    CHECK(table[0].start == 2);
    CHECK(table[0].end == 6);
    CHECK(table[0].stack_depth == 1);
    CHECK(table[0].push_lasti);
    CHECK(table[0].target == 12);
    CHECK(table[1].stack_depth == 3);
}

TEST_CASE("classes: build_class call, __classcell__ for super()", "[compiler]") {
    auto c = compile_ok("class C(B, metaclass=M):\n    x = 1\n    def m(self):\n        return super().m()\n");
    CHECK(listing(c.code()) ==
          "LOAD_BUILD_CLASS\nLOAD_CONST <code object C at line 1>\nMAKE_FUNCTION 0\nLOAD_CONST 'C'\nLOAD_NAME B\n"
          "LOAD_NAME M\nLOAD_CONST ('metaclass',)\nCALL_KW 4\nSTORE_NAME C\nLOAD_CONST None\nRETURN_VALUE");
    const CodeObject& body = code_named(c, "C");
    CHECK(body.cellvars == std::vector<std::string>{"__class__"});
    CHECK(listing(body) ==
          "LOAD_NAME __name__\nSTORE_NAME __module__\nLOAD_CONST 'C'\nSTORE_NAME __qualname__\nLOAD_CONST 1\n"
          "STORE_NAME x\nLOAD_CLOSURE __class__\nBUILD_TUPLE 1\nLOAD_CONST <code object m at line 3>\n"
          "MAKE_FUNCTION 8\nSTORE_NAME m\nLOAD_CLOSURE __class__\nCOPY 1\nSTORE_NAME __classcell__\nRETURN_VALUE");
    const CodeObject& m = code_named(c, "m");
    CHECK(m.freevars == std::vector<std::string>{"__class__"});
    CHECK(m.qualname == "C.m");
}

TEST_CASE("class bodies read enclosing function variables with LOAD_CLASSDEREF", "[compiler]") {
    auto c = compile_ok("def f():\n    x = 1\n    class C:\n        y = x\n        x = 2\n    return C\n");
    const CodeObject& body = code_named(c, "C");
    // x is assigned in the class, so the class reads its own dict (LOAD_NAME)...
    CHECK(listing(body).find("LOAD_NAME x") != std::string::npos);
    auto c2 = compile_ok("def f():\n    x = 1\n    class C:\n        y = x\n    return C\n");
    // ...but a name only read in the class comes from the enclosing function's cell.
    CHECK(listing(code_named(c2, "C")).find("LOAD_CLASSDEREF x") != std::string::npos);
    CHECK(code_named(c2, "C").qualname == "f.<locals>.C");
}

TEST_CASE("comprehensions are nested functions called with the first iterator", "[compiler]") {
    auto c = compile_ok("def f(xs, k):\n    return [x * k for x in xs if x]\n");
    CHECK(listing(code_named(c, "f")) ==
          "LOAD_CLOSURE k\nBUILD_TUPLE 1\nLOAD_CONST <code object <listcomp> at line 2>\nMAKE_FUNCTION 8\n"
          "LOAD_FAST xs\nGET_ITER\nCALL 1\nRETURN_VALUE");
    const CodeObject& comp = code_named(c, "<listcomp>");
    CHECK(comp.qualname == "f.<locals>.<listcomp>");
    CHECK(comp.argcount == 1);
    CHECK(comp.varnames.at(0) == ".0");
    CHECK(listing(comp) ==
          "BUILD_LIST 0\nLOAD_FAST .0\nFOR_ITER 11\nSTORE_FAST x\nLOAD_FAST x\nPOP_JUMP_IF_FALSE 2\nLOAD_FAST x\n"
          "LOAD_DEREF k\nBINARY_OP 5\nLIST_APPEND 2\nJUMP 2\nRETURN_VALUE");
}

TEST_CASE("generator expressions and dict/set comprehensions", "[compiler]") {
    auto c = compile_ok("g = (x for x in y for z in x)\nd = {k: v for k, v in p}\ns = {a for a in b}\n");
    const CodeObject& gen = code_named(c, "<genexpr>");
    CHECK(gen.flags & CO_GENERATOR);
    CHECK(opcodes(gen) ==
          "RETURN_GENERATOR POP_TOP LOAD_FAST FOR_ITER STORE_FAST LOAD_FAST GET_ITER FOR_ITER STORE_FAST LOAD_FAST "
          "YIELD_VALUE POP_TOP JUMP LOAD_CONST RETURN_VALUE");
    CHECK(opcodes(code_named(c, "<dictcomp>")) ==
          "BUILD_MAP LOAD_FAST FOR_ITER UNPACK_SEQUENCE STORE_FAST STORE_FAST LOAD_FAST LOAD_FAST MAP_ADD JUMP "
          "RETURN_VALUE");
    CHECK(opcodes(code_named(c, "<setcomp>")) ==
          "BUILD_SET LOAD_FAST FOR_ITER STORE_FAST LOAD_FAST SET_ADD JUMP RETURN_VALUE");
}

TEST_CASE("generators and yield from", "[compiler]") {
    auto c = compile_ok("def g():\n    x = yield 1\n    yield from x\n");
    const CodeObject& g = code_named(c, "g");
    CHECK(g.flags == (CO_OPTIMIZED | CO_NEWLOCALS | CO_GENERATOR));
    CHECK(listing(g) ==
          "RETURN_GENERATOR\nPOP_TOP\nLOAD_CONST 1\nYIELD_VALUE\nSTORE_FAST x\nLOAD_FAST x\nGET_YIELD_FROM_ITER\n"
          "LOAD_CONST None\nSEND 11\nYIELD_VALUE\nJUMP 8\nPOP_TOP\nLOAD_CONST None\nRETURN_VALUE");
}

TEST_CASE("coroutines: await, async for, async with", "[compiler]") {
    auto c = compile_ok(
        "async def main(xs):\n"
        "    await sleep(1)\n"
        "    async for x in xs:\n"
        "        pass\n"
        "    async with lock:\n"
        "        pass\n");
    const CodeObject& main = code_named(c, "main");
    CHECK(main.flags == (CO_OPTIMIZED | CO_NEWLOCALS | CO_COROUTINE));
    std::string ops = opcodes(main);
    CHECK(ops.rfind("RETURN_GENERATOR POP_TOP LOAD_GLOBAL LOAD_CONST CALL GET_AWAITABLE LOAD_CONST SEND YIELD_VALUE "
                    "JUMP POP_TOP LOAD_FAST GET_AITER GET_ANEXT LOAD_CONST SEND YIELD_VALUE JUMP STORE_FAST JUMP "
                    "END_ASYNC_FOR LOAD_GLOBAL BEFORE_ASYNC_WITH GET_AWAITABLE LOAD_CONST SEND YIELD_VALUE JUMP POP_TOP",
                    0) == 0);
    // GET_ANEXT .. the SEND loop is covered by a handler at END_ASYNC_FOR, which unwinds to [iterator].
    bool found = false;
    for (const auto& entry : main.exception_table) {
        if (opcode_of(main.instructions[entry.target]) == Opcode::END_ASYNC_FOR) {
            found = true;
            CHECK(entry.stack_depth == 1);
            CHECK_FALSE(entry.push_lasti);
            CHECK(opcode_of(main.instructions[entry.start]) == Opcode::GET_ANEXT);
        }
    }
    CHECK(found);
}

TEST_CASE("async generators and async comprehensions", "[compiler]") {
    auto c = compile_ok("async def agen():\n    yield 1\nasync def f(xs):\n    return [x async for x in xs]\n");
    const CodeObject& agen = code_named(c, "agen");
    CHECK(agen.flags & CO_ASYNC_GENERATOR);
    CHECK(opcodes(agen).find("ASYNC_GEN_WRAP YIELD_VALUE") != std::string::npos);
    const CodeObject& comp = code_named(c, "<listcomp>");
    CHECK(comp.flags & CO_COROUTINE);
    // The caller awaits the comprehension's coroutine.
    CHECK(opcodes(code_named(c, "f")).find("GET_AITER CALL GET_AWAITABLE LOAD_CONST SEND") != std::string::npos);
}

TEST_CASE("interactive mode prints expressions and allows top-level await", "[compiler]") {
    auto c = compile_ok("1 + 1\nx = 2\nx\n", CompileMode::Interactive);
    CHECK(opcodes(c.code()) ==
          "LOAD_CONST LOAD_CONST BINARY_OP PRINT_EXPR LOAD_CONST STORE_NAME LOAD_NAME PRINT_EXPR LOAD_CONST "
          "RETURN_VALUE");
    auto a = compile_ok("await sleep(0)\n", CompileMode::Interactive);
    CHECK(a.code().flags & CO_COROUTINE);
    CHECK(opcodes(a.code()).rfind("RETURN_GENERATOR POP_TOP", 0) == 0);
    auto plain = compile_ok("x = 1\n", CompileMode::Interactive);
    CHECK_FALSE(plain.code().flags & CO_COROUTINE);
}

TEST_CASE("assignment forms", "[compiler]") {
    auto c = compile_ok("a = b = 1\na, *b, c = x\no.x += 1\no[i] -= 1\n(y := 5)\n");
    CHECK(listing(c.code()) ==
          "LOAD_CONST 1\nCOPY 1\nSTORE_NAME a\nSTORE_NAME b\n"
          "LOAD_NAME x\nUNPACK_EX 257\nSTORE_NAME a\nSTORE_NAME b\nSTORE_NAME c\n"
          "LOAD_NAME o\nCOPY 1\nLOAD_ATTR x\nLOAD_CONST 1\nBINARY_OP 13\nSWAP 2\nSTORE_ATTR x\n"
          "LOAD_NAME o\nLOAD_NAME i\nCOPY 2\nCOPY 2\nBINARY_SUBSCR\nLOAD_CONST 1\nBINARY_OP 23\nSWAP 3\nSWAP 2\n"
          "STORE_SUBSCR\n"
          "LOAD_CONST 5\nCOPY 1\nSTORE_NAME y\nPOP_TOP\nLOAD_CONST None\nRETURN_VALUE");
}

TEST_CASE("expressions: chained comparison, boolean operators, f-strings, displays", "[compiler]") {
    auto c = compile_ok("r = a < b < c\nr = a and b or c\nr = f'x{a!r:>{w}}y'\nr = [1, *a]\nr = {**d, 'k': 1}\n"
                        "r = (1, 2, (3,))\nr = -5\nr = a[1:2]\n");
    CHECK(listing(c.code()) ==
          "LOAD_NAME a\nLOAD_NAME b\nSWAP 2\nCOPY 2\nCOMPARE_OP 0\nJUMP_IF_FALSE_OR_POP 9\nLOAD_NAME c\nCOMPARE_OP 0\n"
          "JUMP 11\nSWAP 2\nPOP_TOP\nSTORE_NAME r\n"
          "LOAD_NAME a\nJUMP_IF_FALSE_OR_POP 15\nLOAD_NAME b\nJUMP_IF_TRUE_OR_POP 17\nLOAD_NAME c\nSTORE_NAME r\n"
          "LOAD_CONST 'x'\nLOAD_NAME a\nLOAD_CONST '>'\nLOAD_NAME w\nFORMAT_VALUE\nBUILD_STRING\nFORMAT_VALUE\n"
          "LOAD_CONST 'y'\nBUILD_STRING\nSTORE_NAME r\n"
          "LOAD_CONST 1\nBUILD_LIST 1\nLOAD_NAME a\nLIST_EXTEND\nSTORE_NAME r\n"
          "BUILD_MAP 0\nLOAD_NAME d\nDICT_UPDATE\nLOAD_CONST 'k'\nLOAD_CONST 1\nBUILD_MAP 1\nDICT_UPDATE\nSTORE_NAME r\n"
          "LOAD_CONST (1, 2, (3,))\nSTORE_NAME r\n"
          "LOAD_CONST -5\nSTORE_NAME r\n"
          "LOAD_NAME a\nLOAD_CONST 1\nLOAD_CONST 2\nBUILD_SLICE\nBINARY_SUBSCR\nSTORE_NAME r\n"
          "LOAD_CONST None\nRETURN_VALUE");
}

TEST_CASE("imports", "[compiler]") {
    auto c = compile_ok("import a.b\nimport a.b.c as d\nfrom . import x as y\nfrom m import *\n");
    CHECK(listing(c.code()) ==
          "LOAD_CONST 0\nLOAD_CONST None\nIMPORT_NAME a.b\nSTORE_NAME a\n"
          "LOAD_CONST 0\nLOAD_CONST None\nIMPORT_NAME a.b.c\nIMPORT_FROM b\nSWAP 2\nPOP_TOP\nIMPORT_FROM c\nSTORE_NAME d\n"
          "POP_TOP\n"
          "LOAD_CONST 1\nLOAD_CONST ('x',)\nIMPORT_NAME \nIMPORT_FROM x\nSTORE_NAME y\nPOP_TOP\n"
          "LOAD_CONST 0\nLOAD_CONST ('*',)\nIMPORT_NAME m\nIMPORT_STAR\nLOAD_CONST None\nRETURN_VALUE");
}

TEST_CASE("assert and raise", "[compiler]") {
    auto c = compile_ok("assert x, 'm'\nraise E from c\n");
    CHECK(listing(c.code()) ==
          "LOAD_NAME x\nPOP_JUMP_IF_TRUE 6\nLOAD_ASSERTION_ERROR\nLOAD_CONST 'm'\nCALL 1\nRAISE_VARARGS 1\n"
          "LOAD_NAME E\nLOAD_NAME c\nRAISE_VARARGS 2");
}

TEST_CASE("private names are mangled inside classes", "[compiler]") {
    auto c = compile_ok("class C:\n    __x = 1\n    def m(self):\n        return self.__y\n");
    CHECK(listing(code_named(c, "C")).find("STORE_NAME _C__x") != std::string::npos);
    CHECK(listing(code_named(c, "m")).find("LOAD_ATTR _C__y") != std::string::npos);
}

TEST_CASE("lambdas and decorators", "[compiler]") {
    auto c = compile_ok("@d1\n@d2(1)\ndef f(): pass\ng = lambda x, y=1: x + y\n");
    CHECK(listing(c.code()).rfind("LOAD_NAME d1\nLOAD_NAME d2\nLOAD_CONST 1\nCALL 1\n"
                                  "LOAD_CONST <code object f at line 1>\nMAKE_FUNCTION 0\nCALL 1\nCALL 1\nSTORE_NAME f\n",
                                  0) == 0);
    const CodeObject& lambda = code_named(c, "<lambda>");
    CHECK(lambda.qualname == "<lambda>");
    CHECK(lambda.argcount == 2);
    CHECK(opcodes(lambda) == "LOAD_FAST LOAD_FAST BINARY_OP RETURN_VALUE");
}

TEST_CASE("except* compiles to CHECK_EG_MATCH and PREP_RERAISE_STAR", "[compiler]") {
    auto c = compile_ok("try:\n    f()\nexcept* ValueError as e:\n    g(e)\nexcept* TypeError:\n    pass\n");
    std::string ops = opcodes(c.code());
    CHECK(ops.find("CHECK_EG_MATCH") != std::string::npos);
    CHECK(ops.find("PREP_RERAISE_STAR") != std::string::npos);
}

TEST_CASE("instruction positions come from the AST", "[compiler]") {
    auto c = compile_ok("x = 1\n\ny = (a +\n     b)\n");
    const CodeObject& code = c.code();
    REQUIRE(code.positions.size() == code.instructions.size());
    CHECK(code.positions[0].line == 1);
    // BINARY_OP of `a + b` spans lines 3-4.
    for (std::size_t i = 0; i < code.instructions.size(); ++i) {
        if (opcode_of(code.instructions[i]) == Opcode::BINARY_OP) {
            CHECK(code.positions[i].line == 3);
            CHECK(code.positions[i].end_line == 4);
            CHECK(code.positions[i].column == 6);
        }
    }
}

TEST_CASE("max_stack is exact for a deep expression", "[compiler]") {
    auto c = compile_ok("x = f(a, b, (c, d, [e, g]))\n");
    // f a b c d e g -> 7 values at once.
    CHECK(c.code().max_stack == 7);
}

TEST_CASE("stack discipline holds for a program using every construct", "[compiler]") {
    compile_ok(
        "import os\n"
        "class A(object):\n"
        "    def __init__(self, *a, **k):\n"
        "        super().__init__()\n"
        "        self.x = [i for i in a if i]\n"
        "    async def run(self):\n"
        "        async with self.lock as l:\n"
        "            try:\n"
        "                async for v in self.q:\n"
        "                    if v is None: break\n"
        "                    await v\n"
        "            except (ValueError, TypeError) as e:\n"
        "                return e\n"
        "            except Exception:\n"
        "                raise\n"
        "            else:\n"
        "                return 1\n"
        "            finally:\n"
        "                for z in range(3):\n"
        "                    with open(z) as fh:\n"
        "                        continue\n"
        "def gen(n):\n"
        "    while n:\n"
        "        try:\n"
        "            n -= yield n\n"
        "        except GeneratorExit:\n"
        "            return\n"
        "        finally:\n"
        "            print(f'{n=}')\n"
        "    return {k: [v for v in k] for k in n} if n else None\n"
        "async def agen(xs):\n"
        "    return {k: [await v async for v in k] for k in xs}\n");
}

// ---------------------------------------------------------------- errors

TEST_CASE("compile errors have CPython's messages and positions", "[compiler][errors]") {
    check_error("return 1\n", "'return' outside function", 1, 1);
    check_error("x = 1\nbreak\n", "'break' outside loop", 2, 1);
    check_error("continue\n", "'continue' not properly in loop", 1, 1);
    check_error("f() = 1\n", "cannot assign to function call here. Maybe you meant '==' instead of '='?", 1, 1);
    check_error("(a, f()) = 1\n", "cannot assign to function call", 1, 5);
    check_error("for f() in x: pass\n", "cannot assign to function call", 1, 5);
    check_error("del f()\n", "cannot delete function call", 1, 5);
    check_error("f() += 1\n", "'function call' is an illegal expression for augmented assignment", 1, 1);
    check_error("a, *b, *c = x\n", "multiple starred expressions in assignment", 1, 1);
    check_error("f(x=1, x=2)\n", "keyword argument repeated: x", 1, 8);
    check_error("yield 1\n", "'yield' outside function", 1, 1);
    check_error("await x\n", "'await' outside function", 1, 1);
    check_error("def f():\n    await x\n", "'await' outside async function", 2, 5);
    check_error("async def f():\n    yield 1\n    return 2\n", "'return' with value in async generator", 3, 5);
    check_error("async def f():\n    yield from x\n", "'yield from' inside async function", 2, 5);
    check_error("def f():\n    async for x in y: pass\n", "'async for' outside async function", 2, 5);
    check_error("def f():\n    async with x: pass\n", "'async with' outside async function", 2, 5);
    check_error("def f():\n    return [x async for x in y]\n",
                "asynchronous comprehension outside of an asynchronous function", 2, 12);
    check_error("def g():\n    from m import *\n", "import * only allowed at module level", 2, 19);
    check_error("try:\n    pass\nexcept:\n    pass\nexcept E:\n    pass\n", "default 'except:' must be last", 3, 1);
    check_error("try:\n    pass\nexcept* E:\n    break\n",
                "'break', 'continue' and 'return' cannot appear in an except* block", 4, 5);
}

TEST_CASE("interactive mode still rejects await inside a plain function", "[compiler][errors]") {
    Compiled c = compile_text("def f():\n    await x\n", CompileMode::Interactive);
    REQUIRE(c.result.error);
    CHECK(c.result.error->message == "'await' outside async function");
}

TEST_CASE("__debug__ is the constant True", "[compiler]") {
    auto c = compile_ok("x = __debug__\n");
    CHECK(listing(c.code()) == "LOAD_CONST True\nSTORE_NAME x\nLOAD_CONST None\nRETURN_VALUE");
}

TEST_CASE("class with starred bases and keyword unpacking goes through CALL_FUNCTION_EX", "[compiler]") {
    auto c = compile_ok("class C(A, *bases, **kw):\n    pass\n");
    CHECK(opcodes(c.code()) ==
          "LOAD_BUILD_CLASS LOAD_CONST MAKE_FUNCTION LOAD_CONST LOAD_NAME BUILD_LIST LOAD_NAME LIST_EXTEND "
          "LIST_TO_TUPLE BUILD_MAP LOAD_NAME DICT_MERGE CALL_FUNCTION_EX STORE_NAME LOAD_CONST RETURN_VALUE");
}

TEST_CASE("qualnames: methods, nested classes, globals declared in the parent", "[compiler]") {
    auto c = compile_ok("class A:\n    class B:\n        def m(self):\n            return lambda: 0\n"
                        "def f():\n    global g\n    def g():\n        pass\n");
    CHECK(code_named(c, "B").qualname == "A.B");
    CHECK(code_named(c, "m").qualname == "A.B.m");
    CHECK(code_named(c, "<lambda>").qualname == "A.B.m.<locals>.<lambda>");
    // A function declared global in its parent is named as if at the top level.
    CHECK(code_named(c, "g").qualname == "g");
}

TEST_CASE("interactive mode allows top-level async for and async with", "[compiler]") {
    auto c = compile_ok("async for x in y:\n    x\nasync with m:\n    pass\n", CompileMode::Interactive);
    CHECK(c.code().flags & CO_COROUTINE);
    Compiled module = compile_text("async for x in y:\n    pass\n");
    REQUIRE(module.result.error);
    CHECK(module.result.error->message == "'async for' outside async function");
}

TEST_CASE("unreachable code is dropped", "[compiler]") {
    auto c = compile_ok("def f():\n    return 1\n    print('never')\n");
    CHECK(opcodes(code_named(c, "f")) == "LOAD_CONST RETURN_VALUE");
}

TEST_CASE("except handler names are cleared on every exit", "[compiler]") {
    auto c = compile_ok("def f():\n    for i in x:\n        try:\n            g()\n        except E as e:\n            break\n");
    // break inside `except E as e` pops the handler state and deletes e before leaving the loop.
    CHECK(listing(code_named(c, "f")).find("POP_EXCEPT\nLOAD_CONST None\nSTORE_FAST e\nDELETE_FAST e\nPOP_TOP\nJUMP") !=
          std::string::npos);
}

TEST_CASE("a method call in a multi-line chain is positioned at its name", "[compiler]") {
    auto c = compile_ok("x = (obj\n     .first()\n     .second())\n");
    const CodeObject& code = c.code();
    std::vector<int> call_lines;
    for (std::size_t i = 0; i < code.instructions.size(); ++i) {
        Opcode op = opcode_of(code.instructions[i]);
        if (op == Opcode::LOAD_METHOD || op == Opcode::CALL_METHOD) call_lines.push_back(code.positions[i].line);
    }
    CHECK(call_lines == std::vector<int>{2, 2, 3, 3});
    for (std::size_t i = 0; i < code.instructions.size(); ++i) {
        if (opcode_of(code.instructions[i]) == Opcode::LOAD_METHOD && code.positions[i].line == 3) {
            CHECK(code.positions[i].column == 7);
        }
    }
}
