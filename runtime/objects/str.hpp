// str: immutable Unicode text, stored as UTF-8. The struct and its few core functions are
// shared by the whole runtime (names, attribute lookups, messages); the str type's methods,
// repr, formatting and slicing live in objects/str*.cpp (numbers & text).
#pragma once

#include "runtime/object.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace asy {

struct String : Object {
    explicit String(std::string text) : utf8(std::move(text)) {}
    // The text, UTF-8 encoded (always valid UTF-8: asy has no surrogates).
    std::string utf8;
    // Length in code points (len(s)); equal to utf8.size() when is_ascii.
    std::int64_t length = 0;
    // hash(s), computed on first use by string_hash; -1 until then.
    mutable std::int64_t hash = -1;
    // Every code point is < 128, so indexing by code point is indexing by byte.
    bool is_ascii = true;
    // This is the VM's canonical String for its text (see VM::intern): two interned strings
    // are equal exactly when they are the same object.
    bool interned = false;

    [[nodiscard]] std::string_view view() const { return utf8; }
};

// A new str holding `utf8` (which must be valid UTF-8). Computes length and is_ascii.
[[nodiscard]] String* new_string(VM& vm, std::string_view utf8);
// The same, taking ownership of a std::string to avoid a copy.
[[nodiscard]] String* new_string(VM& vm, std::string&& utf8);
// new_string wrapped in a Value.
[[nodiscard]] Value string_value(VM& vm, std::string_view utf8);
// hash(s): cached in s->hash. The same for equal strings; not CPython's (which is randomised
// per process anyway, so no program may depend on it).
std::int64_t string_hash(const String* s);
// Content equality (pointer equality first, so interned strings compare in one step).
bool string_equals(const String* a, const String* b);
// Number of code points in valid UTF-8 text.
std::int64_t utf8_length(std::string_view utf8);

}  // namespace asy
