// Float arithmetic with Python's rules where they differ from C's: floor division and
// modulo take the divisor's sign, round() is correctly rounded, hash() agrees with int's.
// Division by zero and overflow are preconditions or nullopt results; the caller raises.
#pragma once

#include "runtime/numeric/big_int.hpp"

#include <cstdint>
#include <optional>
#include <utility>

namespace asy::numeric {

// x % y with the sign of y (-7.5 % 2 == 0.5); a zero result keeps y's sign. y != 0.
[[nodiscard]] double float_modulo(double x, double y);
// divmod(x, y) == (x // y, x % y) for floats, as CPython's float_divmod. y != 0.
[[nodiscard]] std::pair<double, double> float_divmod(double x, double y);
[[nodiscard]] inline double float_floor_divide(double x, double y) { return float_divmod(x, y).first; }

// Python's pow for two floats. Nothing when Python raises:
//   ZeroDivisionError "0.0 cannot be raised to a negative power"  -> PowError::ZeroToNegative
//   a negative base with a fractional exponent has a complex result -> PowError::ComplexResult
//   OverflowError (34, 'Numerical result out of range')           -> PowError::Overflow
enum class PowError { None, ZeroToNegative, ComplexResult, Overflow };
[[nodiscard]] double float_pow(double x, double y, PowError& error);

// round(x, ndigits): the double nearest to x rounded to ndigits decimal places (negative
// ndigits round to tens, hundreds...), ties to even on x's exact value, so that
// round(2.675, 2) == 2.67. Nothing when the result overflows:
// OverflowError("rounded value too large to represent").
[[nodiscard]] std::optional<double> float_round(double x, std::int64_t ndigits);

// round(x) with one argument: the nearest integral double, ties to even. Finite x only.
[[nodiscard]] double float_round_half_even(double x);

// hash(x) as CPython's _Py_HashDouble: an integral float hashes like the equal int, and
// hash(1.5) == 1073741825. Infinities hash to +-314159; a nan is hashed by identity in
// CPython, so callers pass nan's object identity themselves (this returns 0 for it).
[[nodiscard]] std::int64_t float_hash(double x);

[[nodiscard]] bool float_is_integer(double x);

// x.as_integer_ratio() for finite x: the exact value as numerator / positive denominator.
[[nodiscard]] std::pair<BigInt, BigInt> float_as_integer_ratio(double x);

} // namespace asy::numeric
