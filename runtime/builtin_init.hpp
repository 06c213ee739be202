// Start-up of the builtin types. The VM creates every Type of BuiltinTypes first (names,
// bases, layouts, empty dicts), then calls these in order, so each may use any type:
//   1. init_core_types        (runtime lead: object, type, function, exceptions, module...)
//   2. init_numbers_and_text  (int, bool, float, complex, str, bytes, bytearray: slots,
//                              methods, and their builtins such as int(), str(), ord(), chr())
//   3. init_containers_and_builtins (list, tuple, dict, set, frozenset, range, slice, iterators,
//                              and builtin functions: print, len, sorted, min, max, iter, ...)
// Each init function fills slots (type->repr = ...), defines methods (define_method) and
// registers builtins (define_builtin). The type objects' `construct` slot is what calling the
// class does: `list(x)` calls types().list->construct(vm, list_type, args).
//
// Until an engineer defines their function, a stub in runtime/stubs/ stands in for it: when you
// write yours, delete your stub file (runtime/stubs/numbers_and_text_stub.cpp or
// runtime/stubs/containers_and_builtins_stub.cpp) in the same change.
#pragma once

namespace asy {

class VM;

void init_core_types(VM& vm);
void init_numbers_and_text(VM& vm);
void init_containers_and_builtins(VM& vm);

}  // namespace asy
