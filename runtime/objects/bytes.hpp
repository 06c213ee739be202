// bytes: an immutable sequence of bytes. The struct is shared (the VM loads bytes
// constants); the bytes type lives in objects/bytes*.cpp (numbers & text).
#pragma once

#include "runtime/object.hpp"

#include <string>
#include <string_view>

namespace asy {

struct Bytes : Object {
    explicit Bytes(std::string contents) : data(std::move(contents)) {}
    // The bytes themselves (any values, not text).
    std::string data;
    // hash(b), computed on first use; -1 until then.
    mutable std::int64_t hash = -1;
};

// A new bytes object holding `data`. Defined in objects/bytes.cpp (numbers & text).
[[nodiscard]] Bytes* new_bytes(VM& vm, std::string_view data);

}  // namespace asy
