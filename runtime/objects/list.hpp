// list: a mutable sequence. The struct is shared (the VM builds lists for BUILD_LIST and
// comprehensions); the list type's methods, repr, sorting and slicing live in
// objects/list.cpp (containers).
#pragma once

#include "runtime/object.hpp"

#include <span>
#include <vector>

namespace asy {

struct List : Object {
    explicit List(std::vector<Value> values) : items(std::move(values)) {}
    // The items, in order.
    std::vector<Value> items;

    [[nodiscard]] std::size_t size() const { return items.size(); }
};

// A new list of the given items (copied).
[[nodiscard]] List* new_list(VM& vm, std::span<const Value> items = {});
[[nodiscard]] List* new_list(VM& vm, std::vector<Value>&& items);

}  // namespace asy
