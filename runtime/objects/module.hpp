// Module objects: a namespace dict with a name. Scripts, imported .asy files, embedded stdlib
// files and native modules (math, time...) are all Modules. Implemented in objects/module.cpp
// (runtime lead).
#pragma once

#include "runtime/object.hpp"

namespace asy {

struct Module : Object {
    // The module's globals (__dict__); holds __name__, __file__ when it has one, and the rest.
    Dict* dict = nullptr;
    // __name__, e.g. "__main__", "math", "asyncio.queues".
    String* name = nullptr;
};

// A new module named `name` with a fresh dict holding __name__ (and __builtins__ for .asy modules).
[[nodiscard]] Module* new_module(VM& vm, std::string_view name);

}  // namespace asy
