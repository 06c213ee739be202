// The start-up functions of the containers-and-builtins part of the runtime, one per file.
// runtime/builtins.cpp's init_containers_and_builtins calls them in order (builtin_init.hpp).
// Also the structs of the container types whose layout only this part needs (set, range).
#pragma once

#include "runtime/containers/set_table.hpp"
#include "runtime/object.hpp"

#include <cstdint>
#include <string_view>

namespace asy {

// set and frozenset (objects/set.cpp).
struct Set : Object {
    // The keys, laid out as CPython lays out a set (so iteration order matches).
    containers::SetTable table;
    // hash(frozenset), computed on first use; -1 until then. Unused by mutable sets.
    std::int64_t hash = -1;
};

// range(start, stop, step) with int64 bounds (objects/range.cpp).
struct Range : Object {
    std::int64_t start = 0;
    std::int64_t stop = 0;
    std::int64_t step = 1;
};

void init_list_type(VM& vm);
void init_tuple_type(VM& vm);
void init_dict_type(VM& vm);
void init_set_types(VM& vm);
void init_range_type(VM& vm);
void init_slice_type(VM& vm);
void init_file_type(VM& vm);
void init_builtin_functions(VM& vm);

struct List;

// list.sort(key=key, reverse=reverse) (objects/list.cpp), also behind sorted(): None, or
// null after raising. `key` may be null or None for "no key".
[[nodiscard]] Value sort_list(VM& vm, List* list, Value key, bool reverse);

// A new set or frozenset (`type` is vm.types().set, .frozenset or a subclass) holding the
// items of `iterable` (null for none); null after raising.
[[nodiscard]] Value new_set_from(VM& vm, Type* type, Value iterable);
// The text file object behind sys.stdout / sys.stderr / sys.stdin (objects/file.cpp).
[[nodiscard]] Value new_std_stream(VM& vm, int fd);
// Writes text to a file-like object: directly for asy's own file objects, through its
// `write` method otherwise. False after raising.
[[nodiscard]] bool write_to_file(VM& vm, Value file, std::string_view text);
// True for asy's own text file objects (open(), sys.stdout...).
[[nodiscard]] bool is_text_file(VM& vm, Value value);
// file.flush(), if it has one. False after raising.
[[nodiscard]] bool flush_file(VM& vm, Value file);

}  // namespace asy
