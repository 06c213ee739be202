// BigInt: an arbitrary-precision integer with Python's semantics, as a small RAII wrapper
// over GMP's mpz_t. It knows nothing of Values or heap objects: runtime/objects/int.cpp
// stores one inside its int object and uses it when a result leaves the small-int range.
// Operations that Python can refuse (division by zero, a too-large float) are reported
// through return values, and the caller raises the Python exception.
#pragma once

#include <gmp.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace asy::numeric {

class BigInt {
public:
    BigInt();
    explicit BigInt(std::int64_t value);
    BigInt(const BigInt& other);
    BigInt(BigInt&& other) noexcept;
    BigInt& operator=(const BigInt& other);
    BigInt& operator=(BigInt&& other) noexcept;
    ~BigInt();

    // The integer part of a finite double, truncated toward zero as int(3.9) == 3.
    // The caller checks for inf and nan first (they have their own errors).
    static BigInt from_double(double value);

    // Parses `text` as int(text, base) does: surrounding whitespace, a sign, a base prefix
    // (0x, 0o, 0b) when it agrees with `base`, and single underscores between digits.
    // Base 0 reads the base from the prefix, and then forbids leading zeros ("010").
    // Returns nothing for an invalid literal; the caller builds CPython's message with
    // invalid_literal_message. `base` must be 0 or 2..36.
    static std::optional<BigInt> parse(std::string_view text, int base);

    // --- Inspection -------------------------------------------------------------------
    [[nodiscard]] int sign() const { return mpz_sgn(m_value); }
    [[nodiscard]] bool is_zero() const { return sign() == 0; }
    [[nodiscard]] bool fits_int64() const;
    // Only when fits_int64().
    [[nodiscard]] std::int64_t to_int64() const;
    // int.bit_length(): bits of |x|, 0 for zero.
    [[nodiscard]] std::uint64_t bit_length() const;
    // Popcount of |x|, as int.bit_count().
    [[nodiscard]] std::uint64_t bit_count() const;

    // The nearest double, ties to even, as float(x). Nothing when the magnitude is too
    // large: the caller raises OverflowError("int too large to convert to float").
    [[nodiscard]] std::optional<double> to_double() const;

    // Digits in base 2..36, lower case, with a leading '-' for negatives and no prefix.
    [[nodiscard]] std::string to_string(int base = 10) const;

    // hash(x) exactly as CPython on 64-bit: |x| mod (2**61 - 1) with x's sign, -1 -> -2.
    [[nodiscard]] std::int64_t hash() const;

    [[nodiscard]] int compare(const BigInt& other) const { return mpz_cmp(m_value, other.m_value); }
    [[nodiscard]] int compare(std::int64_t other) const;
    // Compares exactly with a double (no rounding of either side); the caller handles nan.
    // inf compares above every int.
    [[nodiscard]] int compare_double(double other) const;

    friend bool operator==(const BigInt& a, const BigInt& b) { return a.compare(b) == 0; }
    friend bool operator==(const BigInt& a, std::int64_t b) { return a.compare(b) == 0; }

    // --- Arithmetic -------------------------------------------------------------------
    friend BigInt operator+(const BigInt& a, const BigInt& b);
    friend BigInt operator-(const BigInt& a, const BigInt& b);
    friend BigInt operator*(const BigInt& a, const BigInt& b);
    [[nodiscard]] BigInt negated() const;
    [[nodiscard]] BigInt absolute() const;

    // Python's // and %: the quotient rounds toward minus infinity, so the remainder has
    // the divisor's sign (-7 // 2 == -4, -7 % 2 == 1). The divisor must not be zero.
    [[nodiscard]] static BigInt floor_divide(const BigInt& a, const BigInt& b);
    [[nodiscard]] static BigInt modulo(const BigInt& a, const BigInt& b);
    [[nodiscard]] static std::pair<BigInt, BigInt> divmod(const BigInt& a, const BigInt& b);

    // a / b as a correctly rounded double, as CPython's int true division. Nothing on
    // overflow: OverflowError("integer division result too large for a float"). b != 0.
    [[nodiscard]] static std::optional<double> true_divide(const BigInt& a, const BigInt& b);

    // base ** exponent for exponent >= 0 (a negative exponent gives a float: the caller's
    // job). Exponents beyond 2**32 are refused by the caller for memory's sake.
    [[nodiscard]] static BigInt pow(const BigInt& base, std::uint64_t exponent);
    // pow(base, exponent, modulus) with Python's sign rule for the result (that of the
    // modulus). A negative exponent means the modular inverse: nothing when base has none
    // (ValueError "base is not invertible for the given modulus"). modulus != 0.
    [[nodiscard]] static std::optional<BigInt> pow_mod(const BigInt& base, const BigInt& exponent,
                                                       const BigInt& modulus);

    // Shifts by a non-negative count; >> rounds toward minus infinity (-1 >> 5 == -1).
    [[nodiscard]] BigInt shifted_left(std::uint64_t count) const;
    [[nodiscard]] BigInt shifted_right(std::uint64_t count) const;

    // Bitwise operators on the infinite two's complement form, as Python: -1 & 0xff == 255.
    friend BigInt operator&(const BigInt& a, const BigInt& b);
    friend BigInt operator|(const BigInt& a, const BigInt& b);
    friend BigInt operator^(const BigInt& a, const BigInt& b);
    // ~x == -x - 1.
    [[nodiscard]] BigInt inverted() const;

    [[nodiscard]] static BigInt gcd(const BigInt& a, const BigInt& b);
    // Integer square root of a non-negative number (math.isqrt).
    [[nodiscard]] BigInt isqrt() const;
    // n! for n >= 0 (math.factorial).
    [[nodiscard]] static BigInt factorial(std::uint64_t n);

    // The raw mpz_t, for code that needs a GMP function not wrapped here.
    [[nodiscard]] mpz_srcptr raw() const { return m_value; }
    [[nodiscard]] mpz_ptr raw() { return m_value; }

private:
    mpz_t m_value;
};

// "invalid literal for int() with base 10: 'abc'": `quoted` is the repr() of the text the
// user passed, which only the str layer can build.
std::string invalid_literal_message(int base, std::string_view quoted);

} // namespace asy::numeric
