// tuple: an immutable sequence. The struct is shared (calls use tuples of keyword names, the
// VM builds them for BUILD_TUPLE and *args); the tuple type's methods, repr, hashing and
// slicing live in objects/tuple.cpp (containers).
#pragma once

#include "runtime/object.hpp"

#include <span>
#include <vector>

namespace asy {

struct Tuple : Object {
    explicit Tuple(std::vector<Value> values) : items(std::move(values)) {}
    // The items. Never resized after the tuple is visible to Python code.
    std::vector<Value> items;

    [[nodiscard]] std::size_t size() const { return items.size(); }
};

// A new tuple of the given items (copied). The VM keeps one shared empty tuple.
[[nodiscard]] Tuple* new_tuple(VM& vm, std::span<const Value> items);
[[nodiscard]] Tuple* new_tuple(VM& vm, std::vector<Value>&& items);

}  // namespace asy
