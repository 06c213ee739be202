// int: arbitrary-precision integers. Ints that fit in 48 bits are inline Values (value.hpp);
// larger ones are BigInt objects wrapping a GMP mpz_t. Every function here returns a small
// int Value whenever the result fits, so a BigInt always holds a value outside the small
// range. The int type (and bool, its subclass) lives in objects/int*.cpp (numbers & text).
#pragma once

#include "runtime/object.hpp"

#include <gmp.h>

#include <cstdint>
#include <string_view>

namespace asy {

struct BigInt : Object {
    BigInt() { mpz_init(value); }
    ~BigInt() { mpz_clear(value); }
    BigInt(const BigInt&) = delete;
    BigInt& operator=(const BigInt&) = delete;
    // The value; never within [Value::small_int_min, Value::small_int_max].
    mpz_t value;
};

// The int `i`: inline when it fits, a BigInt otherwise.
[[nodiscard]] Value int_from_int64(VM& vm, std::int64_t i);
// The int written in decimal (optional leading '-'), as the compiler gives big constants.
[[nodiscard]] Value int_from_decimal(VM& vm, std::string_view digits);
// Normalises an mpz result: inline when it fits, else a new BigInt (copies `value`).
[[nodiscard]] Value int_from_mpz(VM& vm, const mpz_t value);
// True for int values (small or BigInt, and bool, which subclasses int).
[[nodiscard]] bool is_int(VM& vm, Value value);
// Converts an int (or bool) to int64_t; false after raising OverflowError
// ("Python int too large to convert to C ssize_t" style message of the caller's choosing)
// or TypeError if `value` is not an int.
[[nodiscard]] bool int_to_int64(VM& vm, Value value, std::int64_t& out);

}  // namespace asy
