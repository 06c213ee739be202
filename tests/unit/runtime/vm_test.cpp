// Tests of the VM (runtime/vm.cpp and friends): small programs compiled by the real compiler
// run in a fresh VM; their results are read back from the module's globals.
#include "runtime/vm.hpp"

#include "compiler/source.hpp"
#include "runtime/objects/dict.hpp"
#include "runtime/objects/list.hpp"
#include "runtime/objects/module.hpp"
#include "runtime/objects/str.hpp"
#include "runtime/ops.hpp"
#include "runtime/vm_internal.hpp"

#include <catch2/catch.hpp>

#include <sstream>

using namespace asy;

namespace {

// One program run: a VM, its module, and whether the body finished without an exception.
struct Run {
    VM vm;
    Module* module = nullptr;
    bool ok = false;

    explicit Run(std::string text, bool stress = false) {
        vm.heap().set_stress(stress);
        auto source = std::make_unique<SourceFile>();
        source->filename = "<test>";
        source->text = std::move(text);
        const SourceFile& kept = *source;
        vm.sources.push_back(std::move(source));
        module = new_module(vm, "__main__");
        dict_set_str(vm, vm.modules, vm.intern("__main__"), Value::from_object(module));
        ok = exec_module_source(vm, kept, module);
        vm.heap().set_stress(false);
    }

    Value global(std::string_view name) { return dict_get_str(module->dict, vm.intern(name)); }
    std::int64_t integer(std::string_view name) { return global(name).as_small_int(); }
    std::string text(std::string_view name) {
        String* s = ops::str(vm, global(name));
        return s ? s->utf8 : "<error>";
    }
    std::string exception_text() {
        Value e = vm.exception();
        return ops::type_name(vm, e) + ": " + ops::exception_str(vm, e)->utf8;
    }
};

}  // namespace

TEST_CASE("functions, loops and arithmetic", "[vm]") {
    Run run(R"(
def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)
x = fib(15)
total = 0
for i in [1, 2, 3, 4]:
    total += i * i
big = 2 ** 10 - 24
)");
    REQUIRE(run.ok);
    REQUIRE(run.integer("x") == 610);
    REQUIRE(run.integer("total") == 30);
    REQUIRE(run.integer("big") == 1000);
}

TEST_CASE("the exception table unwinds to the innermost handler", "[vm][exceptions]") {
    Run run(R"(
log = []
def f():
    try:
        try:
            raise ValueError("a")
        finally:
            log.append("inner finally")
        log.append("not reached")
    except KeyError:
        log.append("wrong handler")
    except ValueError as e:
        log.append("caught " + str(e))
    else:
        log.append("else")
    finally:
        log.append("outer finally")
    return len(log)
n = f()
def g():
    for i in [1, 2, 3]:
        try:
            if i == 2:
                return i
        finally:
            log.append("loop finally " + str(i))
r = g()
)");
    REQUIRE(run.ok);
    REQUIRE(run.integer("n") == 3);
    REQUIRE(run.integer("r") == 2);
    REQUIRE(run.text("log") ==
            "['inner finally', 'caught a', 'outer finally', 'loop finally 1', 'loop finally 2']");
}

TEST_CASE("an uncaught exception stops the module with a traceback", "[vm][exceptions]") {
    Run run("def f(x):\n    return 10 // x\n\ny = 1\nf(0)\n");
    REQUIRE_FALSE(run.ok);
    REQUIRE(run.exception_text() == "ZeroDivisionError: integer division or modulo by zero");
    std::ostringstream out;
    print_exception(run.vm, run.vm.exception(), out);
    REQUIRE(out.str() ==
            "Traceback (most recent call last):\n"
            "  File \"<test>\", line 5, in <module>\n"
            "    f(0)\n"
            "  File \"<test>\", line 2, in f\n"
            "    return 10 // x\n"
            "ZeroDivisionError: integer division or modulo by zero\n");
}

TEST_CASE("implicit and explicit chaining set __context__ and __cause__", "[vm][exceptions]") {
    Run run(R"(
try:
    try:
        {}["k"]
    except KeyError:
        raise ValueError("v")
except ValueError as e:
    context = repr(e.__context__)
try:
    raise TypeError("t") from OSError("o")
except TypeError as e:
    cause = repr(e.__cause__)
    suppressed = e.__suppress_context__
)");
    REQUIRE(run.ok);
    REQUIRE(run.text("context") == "KeyError('k')");
    REQUIRE(run.text("cause") == "OSError('o')");
    REQUIRE(run.global("suppressed").is_true());
}

TEST_CASE("argument binding reports CPython's messages", "[vm][calls]") {
    Run run(R"(
def f(a, b, c=3, *, d):
    return a + b + c + d
messages = []
for call in [lambda: f(1), lambda: f(1, 2, 3, 4), lambda: f(1, 2, d=1, e=2),
             lambda: f(1, 2, a=1, d=1), lambda: f(1, 2)]:
    try:
        call()
    except TypeError as e:
        messages.append(str(e))
ok = f(1, 2, d=4) + f(b=1, a=1, c=1, d=1)
def g(*args, **kwargs):
    return len(args) * 10 + len(kwargs)
star = g(1, 2, x=1)
)");
    REQUIRE(run.ok);
    REQUIRE(run.text("messages") ==
            "[\"f() missing 1 required positional argument: 'b'\", "
            "'f() takes from 2 to 3 positional arguments but 4 were given', "
            "\"f() got an unexpected keyword argument 'e'\", "
            "\"f() got multiple values for argument 'a'\", "
            "\"f() missing 1 required keyword-only argument: 'd'\"]");
    REQUIRE(run.integer("ok") == 14);
    REQUIRE(run.integer("star") == 21);
}

TEST_CASE("deep recursion raises RecursionError", "[vm][calls]") {
    Run run(R"(
def down(n):
    return down(n + 1)
try:
    down(0)
except RecursionError as e:
    message = str(e)
)");
    REQUIRE(run.ok);
    REQUIRE(run.text("message") == "maximum recursion depth exceeded");
    REQUIRE(run.vm.frames.empty());
}

TEST_CASE("frames are reused from the pool", "[vm][frames]") {
    VM vm;
    Root code(vm, vm.heap().allocate<Code>(vm.types().code, std::make_shared<CodeObject>()));
    Frame* first = acquire_frame(vm, code.as<Code>());
    release_frame(vm, first);
    Frame* second = acquire_frame(vm, code.as<Code>());
    REQUIRE(second == first);
    release_frame(vm, second);
}

TEST_CASE("generators: send, throw, close and yield from", "[vm][generators]") {
    Run run(R"(
def counter():
    total = 0
    while True:
        try:
            x = yield total
        except ValueError:
            x = 100
        total += x
c = counter()
first = next(c)
a = c.send(5)
b = c.throw(ValueError)
c.close()
def inner():
    yield 1
    yield 2
    return "done"
def outer():
    result = yield from inner()
    yield result
items = [x for x in outer()]
)");
    REQUIRE(run.ok);
    REQUIRE(run.integer("first") == 0);
    REQUIRE(run.integer("a") == 5);
    REQUIRE(run.integer("b") == 105);
    REQUIRE(run.text("items") == "[1, 2, 'done']");
}

TEST_CASE("classes: inheritance, super, properties and dunders", "[vm][classes]") {
    Run run(R"(
class Base:
    def __init__(self, x):
        self.x = x
    def describe(self):
        return "Base " + str(self.x)
class Child(Base):
    def __init__(self, x, y):
        super().__init__(x)
        self.y = y
    def describe(self):
        return super().describe() + " Child " + str(self.y)
    @property
    def total(self):
        return self.x + self.y
    def __eq__(self, other):
        return self.total == other.total
    def __lt__(self, other):
        return self.total < other.total
c = Child(1, 2)
text = c.describe()
total = c.total
equal = Child(2, 1) == c
less = Child(0, 1) < c
name = repr(Child).split("'")[1]
)");
    REQUIRE(run.ok);
    REQUIRE(run.text("text") == "Base 1 Child 2");
    REQUIRE(run.integer("total") == 3);
    REQUIRE(run.global("equal").is_true());
    REQUIRE(run.global("less").is_true());
    REQUIRE(run.text("name") == "__main__.Child");
}

TEST_CASE("programs run with a collection at every allocation", "[vm][gc]") {
    Run run(R"(
class Node:
    def __init__(self, value, next):
        self.value = value
        self.next = next
def make(n):
    head = None
    for i in range(n):
        head = Node(i, head)
    return head
def total(node):
    s = 0
    while node is not None:
        s += node.value
        node = node.next
    return s
def gen(n):
    for i in range(n):
        yield [i] * 2
def closure(k):
    def add(x):
        return x + k
    return add
result = total(make(50)) + sum(x[0] for x in gen(10)) + closure(5)(1)
words = {str(i): [i, (i, i)] for i in range(20)}
try:
    raise ValueError("x" + str(len(words)))
except ValueError as e:
    message = str(e)
)",
            /*stress=*/true);
    REQUIRE(run.ok);
    REQUIRE(run.integer("result") == 1225 + 45 + 6);
    REQUIRE(run.text("message") == "x20");
}
