// dict: the insertion-ordered hash table. Besides being the Python type, it stores every
// namespace: module globals, class dicts and instance attributes. The table itself (this
// header's functions) is core runtime, in objects/dict_core.cpp (runtime lead); the dict type's
// methods, views, repr and iterators live in objects/dict.cpp (containers).
//
// Layout, as CPython's compact dict: `entries` in insertion order (a deleted entry keeps its
// place with a null key), and `index`, an open-addressing table of positions in `entries`.
#pragma once

#include "runtime/object.hpp"

#include <cstdint>
#include <vector>

namespace asy {

struct DictEntry {
    // The key; null marks a deleted entry (skip it when iterating).
    Value key;
    Value value;
    // hash(key), kept so resizing never calls back into Python.
    std::int64_t hash = 0;
};

struct Dict : Object {
    // Entries in insertion order, including deleted ones (null key).
    std::vector<DictEntry> entries;
    // Open-addressing slots: an index into `entries`, or empty_slot / deleted_slot. Its size is
    // a power of two (or 0 for an empty dict).
    std::vector<std::int32_t> index;
    static constexpr std::int32_t empty_slot = -1;
    static constexpr std::int32_t deleted_slot = -2;
    // Number of live entries: len(d).
    std::size_t count = 0;
    // Increases on every insertion, deletion or value change, so caches (LOAD_GLOBAL) and
    // iterators ("dictionary changed size during iteration") can detect changes.
    std::uint64_t version = 1;

    [[nodiscard]] std::size_t size() const { return count; }
};

// A new empty dict.
[[nodiscard]] Dict* new_dict(VM& vm);

// d[key], or null when missing. May run __hash__/__eq__ of user keys, so it can also fail:
// then it returns null with an exception pending (check vm.has_exception()).
[[nodiscard]] Value dict_get(VM& vm, Dict* dict, Value key);
// d[key] = value: true, or false after raising (unhashable key, error in __eq__).
[[nodiscard]] bool dict_set(VM& vm, Dict* dict, Value key, Value value);
// del d[key]: 1 deleted, 0 missing (nothing raised), -1 after raising.
[[nodiscard]] int dict_delete(VM& vm, Dict* dict, Value key);

// Lookups by a str key, which cannot fail (str hashing and equality run no Python code).
// Fast for interned keys. Null when missing.
[[nodiscard]] Value dict_get_str(const Dict* dict, const String* key);
void dict_set_str(VM& vm, Dict* dict, String* key, Value value);
// True if the key was there.
bool dict_delete_str(VM& vm, Dict* dict, const String* key);
// Removes every entry.
void dict_clear(Dict* dict);

// Traces keys and values (the dict type's trace slot).
void dict_trace(Object* self, Tracer& tracer);

}  // namespace asy
