// What the number and text types (int.cpp, float.cpp, str*.cpp, bytes.cpp) and the builtins
// and math module built on them share: moving ints between Values and numeric::BigInt,
// reading any real number as a double, decoding bytes. The Value-level int API every
// engineer uses is in int.hpp; this is the numbers & text engineer's own layer beneath it.
#pragma once

#include "runtime/numeric/big_int.hpp"
#include "runtime/objects/int.hpp"

#include <cstdint>
#include <string_view>

namespace asy {

// The value of an int (small, bool or BigInt object) as a numeric::BigInt. `value` must be
// an int (is_int).
[[nodiscard]] numeric::BigInt int_to_big(Value value);
// An int Value for `value`: inline when it fits the small range, else a new BigInt object.
[[nodiscard]] Value int_from_big(VM& vm, numeric::BigInt&& value);
// An int that fits in int64 (small ints, bools, and BigInts up to 64 bits) into `out`.
[[nodiscard]] bool int_fits_int64(Value value, std::int64_t& out);

// float(i) for an int: false after raising OverflowError("int too large to convert to float").
[[nodiscard]] bool int_to_double(VM& vm, Value value, double& out);

// Any real number as a double, as math functions and float arithmetic take them: a float,
// an int (OverflowError when too large) or an object with __float__ or __index__. false
// after raising TypeError("must be real number, not str").
[[nodiscard]] bool real_to_double(VM& vm, Value value, double& out);

// The int a float truncates to (int(x)): OverflowError "cannot convert float infinity to
// integer" or ValueError "cannot convert float NaN to integer" for those.
[[nodiscard]] Value int_from_double(VM& vm, double value);

// Exact comparison of an int with a float, for both types' comparison slots: -1, 0 or 1.
// Not for nan (every comparison with nan is false, decided by the caller).
[[nodiscard]] int compare_int_double(Value int_value, double d);

// hash() of an int, consistent with float's: hash(1) == hash(1.0).
[[nodiscard]] std::int64_t int_hash(Value value);

// A dunder method of x's class called with x alone (x.__float__()): `found` is false, and
// nothing is raised, when the class has none; otherwise the result, or null after raising.
[[nodiscard]] Value call_dunder_method(VM& vm, Value x, String* name, bool& found);

// The int operations, shared by int's slots and by builtins (divmod, pow, abs).
// Each returns the result, or null after raising.
[[nodiscard]] Value int_binary_op(VM& vm, BinaryOp op, Value left, Value right);
[[nodiscard]] Value int_divmod(VM& vm, Value left, Value right);
// pow(base, exponent, modulus) for three ints.
[[nodiscard]] Value int_pow_mod(VM& vm, Value base, Value exponent, Value modulus);

// float's arithmetic, for builtins (divmod) and int/float mixes.
[[nodiscard]] Value float_divmod_values(VM& vm, Value left, Value right);

// bytes.decode(encoding, errors) and str(bytes, encoding, errors): UTF-8 (errors 'strict',
// 'replace', 'ignore'), ASCII and Latin-1. The str, or null after raising
// UnicodeDecodeError or LookupError("unknown encoding: x").
[[nodiscard]] Value decode_bytes(VM& vm, std::string_view data, std::string_view encoding, std::string_view errors);

// Defines the dunder methods (__add__, __eq__, __len__...) of a builtin type on top of its
// slots (objects/dunder_methods.cpp): the number operators (and the bitwise ones when
// `integer`), or the sequence protocol.
void define_number_dunders(VM& vm, Type* type, bool integer);
void define_sequence_dunders(VM& vm, Type* type);

// Registration of each type's slots and methods; called by init_numbers_and_text.
void init_int_type(VM& vm);
void init_float_type(VM& vm);
void init_str_type(VM& vm);
void init_bytes_types(VM& vm);
void init_number_builtins(VM& vm);
void init_math_module(VM& vm);

}  // namespace asy
