// Tests for compiler/symtable.cpp: how names resolve in tricky programs (closures, nonlocal,
// global, class scopes that functions skip, comprehension scopes, the walrus operator), and
// the scope errors CPython reports.
#include "compiler_test_support.hpp"

#include "compiler/symtable.hpp"

using namespace asy;

namespace {

struct Analysed {
    std::unique_ptr<SourceFile> source;
    std::unique_ptr<ast::Module> module;
    std::unique_ptr<SymbolTable> table;
    std::optional<SyntaxError> error;
};

Analysed analyse(const std::string& text, bool top_level_await = false) {
    Analysed a;
    a.source = std::make_unique<SourceFile>();
    a.source->filename = "test.asy";
    a.source->text = text;
    ParseResult parsed = parse_module(*a.source);
    if (parsed.error) {
        // The parser catches a few of these first (duplicate arguments), as CPython's does.
        a.error = parsed.error;
        return a;
    }
    a.module = std::move(parsed.module);
    auto built = SymbolTable::build(*a.module, *a.source, top_level_await);
    if (auto* error = std::get_if<SyntaxError>(&built)) a.error = *error;
    else a.table = std::move(std::get<std::unique_ptr<SymbolTable>>(built));
    return a;
}

// The scope named `name`, depth-first.
const Scope* find_scope(const Scope* scope, const std::string& name) {
    if (scope->name == name) return scope;
    for (const Scope* child : scope->children)
        if (const Scope* found = find_scope(child, name)) return found;
    return nullptr;
}

const Scope& scope_named(const Analysed& a, const std::string& name) {
    REQUIRE(a.table);
    const Scope* scope = find_scope(a.table->module_scope(), name);
    REQUIRE(scope != nullptr);
    return *scope;
}

}  // namespace

TEST_CASE("module names are implicit globals or locals of the module", "[symtable]") {
    auto a = analyse("x = 1\nprint(x)\n");
    const Scope& module = *a.table->module_scope();
    CHECK(module.kind == ScopeKind::Module);
    CHECK(module.lookup("x") == NameScope::Local);
    CHECK(module.lookup("print") == NameScope::GlobalImplicit);
}

TEST_CASE("a captured local becomes a cell, the capture is free", "[symtable]") {
    auto a = analyse("def outer(p):\n    v = 1\n    def inner():\n        return v + p + g\n    return inner\n");
    const Scope& outer = scope_named(a, "outer");
    CHECK(outer.lookup("v") == NameScope::Cell);
    CHECK(outer.lookup("p") == NameScope::Cell);
    CHECK(outer.lookup("inner") == NameScope::Local);
    CHECK(outer.cellvars == std::vector<std::string>{"p", "v"});
    const Scope& inner = scope_named(a, "inner");
    CHECK(inner.lookup("v") == NameScope::Free);
    CHECK(inner.lookup("g") == NameScope::GlobalImplicit);
    CHECK(inner.freevars == std::vector<std::string>{"p", "v"});
    CHECK(inner.is_nested);
}

TEST_CASE("free variables pass through intermediate functions", "[symtable]") {
    auto a = analyse("def a():\n    x = 1\n    def b():\n        def c():\n            return x\n        return c\n"
                     "    return b\n");
    CHECK(scope_named(a, "a").lookup("x") == NameScope::Cell);
    CHECK(scope_named(a, "b").lookup("x") == NameScope::Free);
    CHECK(scope_named(a, "b").freevars == std::vector<std::string>{"x"});
    CHECK(scope_named(a, "c").lookup("x") == NameScope::Free);
}

TEST_CASE("nonlocal binds to the nearest enclosing function", "[symtable]") {
    auto a = analyse("def f():\n    n = 0\n    def inc():\n        nonlocal n\n        n += 1\n    return inc\n");
    CHECK(scope_named(a, "f").lookup("n") == NameScope::Cell);
    CHECK(scope_named(a, "inc").lookup("n") == NameScope::Free);
}

TEST_CASE("global declarations win over assignments", "[symtable]") {
    auto a = analyse("def f():\n    global g\n    g = 1\n    def h():\n        return g\n");
    CHECK(scope_named(a, "f").lookup("g") == NameScope::GlobalExplicit);
    // h sees no function binding of g: it is a global there too.
    CHECK(scope_named(a, "h").lookup("g") == NameScope::GlobalImplicit);
}

TEST_CASE("class scopes are skipped by the functions inside them", "[symtable]") {
    auto a = analyse("class C:\n    x = 1\n    def m(self):\n        return x\n");
    CHECK(scope_named(a, "C").lookup("x") == NameScope::Local);
    CHECK(scope_named(a, "m").lookup("x") == NameScope::GlobalImplicit);
}

TEST_CASE("a class local that is also free in a method is passed through", "[symtable]") {
    auto a = analyse("def f():\n    x = 1\n    class C:\n        x = 2\n        def m(self):\n            return x\n"
                     "    return C\n");
    const Scope& cls = scope_named(a, "C");
    CHECK(cls.lookup("x") == NameScope::Local);
    CHECK((cls.flags_of("x") & DefFreeClass) != 0);
    CHECK(cls.freevars == std::vector<std::string>{"x"});
    CHECK(scope_named(a, "m").lookup("x") == NameScope::Free);
    CHECK(scope_named(a, "f").lookup("x") == NameScope::Cell);
}

TEST_CASE("super() creates the implicit __class__ cell", "[symtable]") {
    auto a = analyse("class C(B):\n    def m(self):\n        return super().m()\n    def n(self):\n        return 1\n");
    const Scope& cls = scope_named(a, "C");
    CHECK(cls.needs_class_closure);
    CHECK(cls.cellvars == std::vector<std::string>{"__class__"});
    CHECK(scope_named(a, "m").lookup("__class__") == NameScope::Free);
    CHECK(scope_named(a, "n").freevars.empty());
    auto plain = analyse("class D:\n    def m(self):\n        return 1\n");
    CHECK_FALSE(scope_named(plain, "D").needs_class_closure);
}

TEST_CASE("comprehensions are function scopes; the first iterable is evaluated outside", "[symtable]") {
    auto a = analyse("class C:\n    xs = [1]\n    ys = [x for x in xs]\n    zs = [y for y in xs if y in xs]\n");
    const Scope& cls = scope_named(a, "C");
    CHECK(cls.lookup("xs") == NameScope::Local);
    const Scope& comp = *cls.children.at(0);
    CHECK(comp.kind == ScopeKind::Comprehension);
    CHECK(comp.name == "<listcomp>");
    CHECK(comp.parameters == std::vector<std::string>{".0"});
    CHECK(comp.lookup("x") == NameScope::Local);
    // The comprehension cannot see the class's xs: only the first iterable is evaluated in C.
    CHECK(comp.lookup("xs") == NameScope::GlobalImplicit);
    const Scope& comp2 = *cls.children.at(1);
    CHECK(comp2.lookup("xs") == NameScope::GlobalImplicit);
}

TEST_CASE("comprehension variables do not leak; captured function locals do", "[symtable]") {
    auto a = analyse("def f(k):\n    return [x * k for x in range(3)]\n");
    const Scope& f = scope_named(a, "f");
    CHECK(f.lookup("x") == NameScope::GlobalImplicit);
    CHECK(f.lookup("k") == NameScope::Cell);
    CHECK(scope_named(a, "<listcomp>").lookup("k") == NameScope::Free);
}

TEST_CASE("walrus in a comprehension binds in the enclosing function", "[symtable]") {
    auto a = analyse("def f(xs):\n    ys = [last := x for x in xs]\n    return last\n");
    CHECK(scope_named(a, "f").lookup("last") == NameScope::Cell);
    CHECK(scope_named(a, "<listcomp>").lookup("last") == NameScope::Free);
    auto m = analyse("ys = [last := x for x in xs]\n");
    CHECK(m.table->module_scope()->lookup("last") == NameScope::GlobalExplicit);
    CHECK(scope_named(m, "<listcomp>").lookup("last") == NameScope::GlobalExplicit);
}

TEST_CASE("generator and coroutine flags", "[symtable]") {
    auto a = analyse("def g():\n    yield 1\nasync def c():\n    await x\nasync def ag():\n    yield 1\n"
                     "def f():\n    return (x for x in y)\n");
    CHECK(scope_named(a, "g").is_generator);
    CHECK_FALSE(scope_named(a, "g").is_coroutine);
    CHECK(scope_named(a, "c").is_coroutine);
    CHECK(scope_named(a, "ag").is_coroutine);
    CHECK(scope_named(a, "ag").is_generator);
    CHECK_FALSE(scope_named(a, "f").is_generator);
    CHECK(scope_named(a, "<genexpr>").is_generator);
}

TEST_CASE("private names are mangled in class scopes", "[symtable]") {
    auto a = analyse("class C:\n    __x = 1\n    __y__ = 2\n");
    const Scope& cls = scope_named(a, "C");
    CHECK(cls.lookup("_C__x") == NameScope::Local);
    CHECK(cls.lookup("__y__") == NameScope::Local);
    CHECK(SymbolTable::mangle("_Cls", "__a") == "_Cls__a");
    CHECK(SymbolTable::mangle("___", "__a") == "__a");
    CHECK(SymbolTable::mangle("C", "__a.b") == "__a.b");
}

TEST_CASE("scope errors", "[symtable][errors]") {
    struct Case {
        const char* text;
        const char* message;
        int line;
    };
    const Case cases[] = {
        {"def f():\n    x = 1\n    global x\n", "name 'x' is assigned to before global declaration", 3},
        {"def f():\n    print(x)\n    global x\n", "name 'x' is used prior to global declaration", 3},
        {"def f(x):\n    global x\n", "name 'x' is parameter and global", 2},
        {"def f():\n    nonlocal q\n", "no binding for nonlocal 'q' found", 2},
        {"nonlocal x\n", "nonlocal declaration not allowed at module level", 1},
        {"def f(x, x):\n    pass\n", "duplicate argument 'x' in function definition", 1},
        {"class C:\n    [(y := 1) for x in z]\n",
         "assignment expression within a comprehension cannot be used in a class body", 2},
        {"[x := 1 for x in y]\n", "assignment expression cannot rebind comprehension iteration variable 'x'", 1},
        {"[y for y in (z := x)]\n", "assignment expression cannot be used in a comprehension iterable expression", 1},
        {"[(yield) for x in y]\n", "'yield' inside list comprehension", 1},
        {"def f():\n    x = 1\n    def g():\n        global x\n        nonlocal x\n",
         "name 'x' is nonlocal and global", 4},
    };
    for (const Case& c : cases) {
        INFO(c.text);
        auto a = analyse(c.text);
        REQUIRE(a.error);
        CHECK(a.error->message == c.message);
        CHECK(a.error->span.line == c.line);
    }
}
