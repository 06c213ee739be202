// Tests of runtime/heap.hpp: the collector frees unreachable objects (cycles included) and
// keeps everything reachable from a root, however deep.
#include "runtime/heap.hpp"

#include "runtime/objects/list.hpp"
#include "runtime/vm.hpp"

#include <catch2/catch.hpp>

using namespace asy;

TEST_CASE("an unreachable cycle is collected", "[heap]") {
    VM vm;
    vm.heap().collect();
    const std::size_t before = vm.heap().object_count();
    {
        Root a(vm, new_list(vm));
        Root b(vm, new_list(vm));
        a.as<List>()->items.push_back(b);
        b.as<List>()->items.push_back(a);
        vm.heap().collect();
        REQUIRE(vm.heap().object_count() == before + 2);
    }
    // Allocate once more so the cycle is not "the newest object" either.
    Value unrelated = Value::from_object(new_list(vm));
    (void)unrelated;
    vm.heap().collect();
    REQUIRE(vm.heap().object_count() <= before + 1);
}

TEST_CASE("roots keep objects and everything they reference alive", "[heap]") {
    VM vm;
    Root head(vm, new_list(vm));
    // A long chain: marking must not recurse (a deep C++ recursion would overflow).
    List* tail = head.as<List>();
    for (int i = 0; i < 100000; ++i) {
        List* next = new_list(vm);
        tail->items.push_back(Value::from_object(next));
        tail = next;
    }
    tail->items.push_back(Value::from_small_int(42));
    vm.heap().collect();
    List* walk = head.as<List>();
    int length = 0;
    while (walk->items[0].is_object()) {
        walk = static_cast<List*>(walk->items[0].as_object());
        ++length;
    }
    REQUIRE(length == 100000);
    REQUIRE(walk->items[0].as_small_int() == 42);
}

TEST_CASE("a RootVector keeps a vector of temporaries alive", "[heap]") {
    VM vm;
    std::vector<Value> values;
    RootVector root(vm, values);
    for (int i = 0; i < 100; ++i) values.push_back(Value::from_object(new_list(vm)));
    vm.heap().collect();
    for (Value v : values) REQUIRE(static_cast<List*>(v.as_object())->items.empty());
}
