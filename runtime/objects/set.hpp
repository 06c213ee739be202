// set and frozenset: the VM only needs to build sets (BUILD_SET, set comprehensions); the
// struct and everything else live in objects/set.cpp (containers).
#pragma once

#include "runtime/object.hpp"

namespace asy {

// A new empty set. Defined in objects/set.cpp (containers).
[[nodiscard]] Value new_set(VM& vm);
// set.add(item): true, or false after raising (unhashable item). Defined in objects/set.cpp.
[[nodiscard]] bool set_add(VM& vm, Value set, Value item);

}  // namespace asy
