// Tests for compiler/disassembler.cpp: the `asy dis` listing shows source lines, operands
// with their meaning, jump targets, nested code objects and exception tables; constant reprs
// follow CPython.
#include "compiler_test_support.hpp"

#include <sstream>

using namespace asy;
using namespace asy::test;

namespace {

std::string dis(const std::string& text) {
    Compiled compiled = compile_text(text);
    REQUIRE(compiled.result.code);
    std::ostringstream out;
    disassemble(compiled.code(), compiled.source.get(), out);
    return out.str();
}

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

}  // namespace

TEST_CASE("listing shows source lines and explained operands", "[disassembler]") {
    std::string out = dis("x = 'hi'\nprint(x + 1.5)\n");
    INFO(out);
    CHECK(out.rfind("Disassembly of <code object <module> at line 1>:\n", 0) == 0);
    CHECK(contains(out, "   1  x = 'hi'\n"));
    CHECK(contains(out, "   2  print(x + 1.5)\n"));
    CHECK(contains(out, "LOAD_CONST               0 ('hi')"));
    CHECK(contains(out, "STORE_NAME               0 (x)"));
    CHECK(contains(out, "LOAD_CONST               1 (1.5)"));
    CHECK(contains(out, "BINARY_OP                0 (+)"));
    CHECK(contains(out, "CALL                     1\n"));
}

TEST_CASE("nested code objects, locals, jump targets and the exception table", "[disassembler]") {
    std::string out = dis("def f(a):\n    try:\n        return a\n    except E:\n        return 0\n");
    INFO(out);
    CHECK(contains(out, "LOAD_CONST               0 (<code object f at line 1>)"));
    CHECK(contains(out, "\nDisassembly of <code object f at line 1>:\n"));
    CHECK(contains(out, "LOAD_FAST                0 (a)"));
    CHECK(contains(out, "POP_JUMP_IF_FALSE"));
    CHECK(contains(out, "(to "));
    CHECK(contains(out, ">>"));
    CHECK(contains(out, "ExceptionTable:\n  0 to 0 -> "));
    CHECK(contains(out, " lasti\n"));
}

TEST_CASE("comparison, closures and MAKE_FUNCTION flags are explained", "[disassembler]") {
    std::string out = dis("def f(a=1):\n    def g():\n        return a < 2 and a is not None and a not in b\n");
    INFO(out);
    CHECK(contains(out, "MAKE_FUNCTION            1 (defaults)"));
    CHECK(contains(out, "MAKE_FUNCTION            8 (closure)"));
    CHECK(contains(out, "LOAD_CLOSURE             0 (a)"));
    CHECK(contains(out, "LOAD_DEREF               0 (a)"));
    CHECK(contains(out, "COMPARE_OP               0 (<)"));
    CHECK(contains(out, "IS_OP                    1 (is not)"));
    CHECK(contains(out, "CONTAINS_OP              1 (not in)"));
}

TEST_CASE("constant reprs follow CPython", "[disassembler]") {
    CHECK(constant_repr(Constant(NoneConstant{})) == "None");
    CHECK(constant_repr(Constant(true)) == "True");
    CHECK(constant_repr(Constant(std::int64_t{-42})) == "-42");
    CHECK(constant_repr(Constant(BigIntConstant{"123456789012345678901234567890"})) ==
          "123456789012345678901234567890");
    CHECK(constant_repr(Constant(1.0)) == "1.0");
    CHECK(constant_repr(Constant(0.1)) == "0.1");
    CHECK(constant_repr(Constant(1e16)) == "1e+16");
    CHECK(constant_repr(Constant(123456789012345.6)) == "123456789012345.6");
    CHECK(constant_repr(Constant(1.5e-5)) == "1.5e-05");
    CHECK(constant_repr(Constant(0.0001)) == "0.0001");
    CHECK(constant_repr(Constant(-0.0)) == "-0.0");
    CHECK(constant_repr(Constant(std::string("it's"))) == "\"it's\"");
    CHECK(constant_repr(Constant(std::string("a\nb'\""))) == "'a\\nb\\'\"'");
    CHECK(constant_repr(Constant(BytesConstant{std::string("a\x00\xff", 3)})) == "b'a\\x00\\xff'");
    auto one = std::make_shared<TupleConstant>();
    one->items.emplace_back(std::string("x"));
    CHECK(constant_repr(Constant(std::shared_ptr<const TupleConstant>(one))) == "('x',)");
    CHECK(constant_repr(Constant(EllipsisConstant{})) == "Ellipsis");
}

TEST_CASE("suspension points are the YIELD_VALUE after SEND", "[disassembler]") {
    Compiled compiled = compile_text("async def f():\n    await g()\ndef h():\n    yield 1\n");
    const CodeObject& f = code_named(compiled, "f");
    int points = 0;
    for (std::uint32_t i = 0; i < f.instructions.size(); ++i) points += is_suspension_point(f, i) ? 1 : 0;
    CHECK(points == 1);
    const CodeObject& h = code_named(compiled, "h");
    for (std::uint32_t i = 0; i < h.instructions.size(); ++i) CHECK_FALSE(is_suspension_point(h, i));
}

TEST_CASE("the listing marks each suspension point with ~>", "[disassembler]") {
    std::string out = dis("async def f():\n    await g()\n    await h()\ndef k():\n    yield 1\n");
    INFO(out);
    // One legend line for the coroutine, none for the plain generator.
    CHECK(contains(out, "(~> marks where an await can suspend it"));
    std::size_t marks = 0;
    for (std::size_t at = out.find("~>  "); at != std::string::npos; at = out.find("~>  ", at + 1)) ++marks;
    CHECK(marks == 2);
    CHECK(contains(out, "~>"));
    const std::size_t k = out.find("Disassembly of <code object k");
    REQUIRE(k != std::string::npos);
    CHECK(out.find("~>", k) == std::string::npos);
}
