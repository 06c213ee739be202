// BigInt over GMP. Most operations are one mpz_ call; the ones that are not (conversion to
// double, true division, hashing, parsing) follow CPython's Objects/longobject.c so that
// every result, down to the last bit of a rounded float, is the one CPython gives.
#include "runtime/numeric/big_int.hpp"

#include <algorithm>
#include <bit>
#include <cfloat>
#include <cmath>
#include <utility>

namespace asy::numeric {

BigInt::BigInt() { mpz_init(m_value); }

BigInt::BigInt(std::int64_t value) {
    static_assert(sizeof(long) == sizeof(std::int64_t), "mpz_init_set_si takes a 64-bit long here");
    mpz_init_set_si(m_value, static_cast<long>(value));
}

BigInt::BigInt(const BigInt& other) { mpz_init_set(m_value, other.m_value); }

BigInt::BigInt(BigInt&& other) noexcept {
    // Steal the limbs and leave `other` a valid zero (mpz_swap with a fresh zero).
    mpz_init(m_value);
    mpz_swap(m_value, other.m_value);
}

BigInt& BigInt::operator=(const BigInt& other) {
    if (this != &other) mpz_set(m_value, other.m_value);
    return *this;
}

BigInt& BigInt::operator=(BigInt&& other) noexcept {
    mpz_swap(m_value, other.m_value);
    return *this;
}

BigInt::~BigInt() { mpz_clear(m_value); }

BigInt BigInt::from_double(double value) {
    BigInt result;
    // mpz_set_d truncates toward zero, which is exactly int(float).
    mpz_set_d(result.m_value, value);
    return result;
}

// ---------------------------------------------------------------------------------------
// Parsing

namespace {

bool is_ascii_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// The value of one digit character in bases up to 36, or 99 for anything else.
int digit_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'z') return c - 'a' + 10;
    if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
    return 99;
}

} // namespace

std::optional<BigInt> BigInt::parse(std::string_view text, int base) {
    // Whitespace around the literal is ignored: int("  42  ") == 42.
    std::size_t begin = 0, end = text.size();
    while (begin < end && is_ascii_space(text[begin])) ++begin;
    while (end > begin && is_ascii_space(text[end - 1])) --end;
    std::string_view s = text.substr(begin, end - begin);

    bool negative = false;
    if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
        negative = s[0] == '-';
        s.remove_prefix(1);
    }

    // A prefix names the base: for base 0 it chooses it, for base 16/8/2 it may be present.
    bool had_prefix = false;
    bool base0_leading_zero = false;
    if (s.size() >= 2 && s[0] == '0') {
        char p = static_cast<char>(s[1] | 0x20);  // ASCII lower case
        int prefix_base = p == 'x' ? 16 : p == 'o' ? 8 : p == 'b' ? 2 : 0;
        if (prefix_base != 0 && (base == 0 || base == prefix_base)) {
            base = prefix_base;
            s.remove_prefix(2);
            had_prefix = true;
        }
    }
    if (base == 0) {
        // No prefix: decimal, where a leading zero is only allowed if all digits are zeros
        // ("0", "00", "0_0"), because "010" would be ambiguous with old octal.
        base = 10;
        base0_leading_zero = !s.empty() && s[0] == '0';
    }

    // Collect the digits, checking that every underscore sits between two digits (or right
    // after a base prefix: int("0x_ff", 16) is valid).
    std::string digits;
    digits.reserve(s.size());
    bool previous_was_underscore = had_prefix;  // treat the prefix as a digit for "_" purposes
    bool previous_was_digit = had_prefix;
    for (char c : s) {
        if (c == '_') {
            if (!previous_was_digit) return std::nullopt;
            previous_was_digit = false;
            previous_was_underscore = true;
            continue;
        }
        if (digit_value(c) >= base) return std::nullopt;
        digits.push_back(c);
        previous_was_digit = true;
        previous_was_underscore = false;
    }
    if (digits.empty() || previous_was_underscore) return std::nullopt;
    if (base0_leading_zero && digits.find_first_not_of('0') != std::string::npos) return std::nullopt;

    BigInt result;
    if (mpz_set_str(result.m_value, digits.c_str(), base) != 0) return std::nullopt;
    if (negative) mpz_neg(result.m_value, result.m_value);
    return result;
}

std::string invalid_literal_message(int base, std::string_view quoted) {
    return "invalid literal for int() with base " + std::to_string(base) + ": " + std::string(quoted);
}

// ---------------------------------------------------------------------------------------
// Inspection

bool BigInt::fits_int64() const { return mpz_fits_slong_p(m_value) != 0; }

std::int64_t BigInt::to_int64() const { return mpz_get_si(m_value); }

std::uint64_t BigInt::bit_length() const {
    // mpz_sizeinbase(x, 2) is 1 for zero; Python says 0.
    return is_zero() ? 0 : mpz_sizeinbase(m_value, 2);
}

std::uint64_t BigInt::bit_count() const {
    BigInt magnitude = absolute();
    return mpz_popcount(magnitude.m_value);
}

int BigInt::compare(std::int64_t other) const {
    int c = mpz_cmp_si(m_value, static_cast<long>(other));
    return (c > 0) - (c < 0);
}

int BigInt::compare_double(double other) const {
    if (std::isinf(other)) return other > 0 ? -1 : 1;
    // Compare with floor(other) exactly; if equal, a fractional part makes `other` bigger.
    double floor_part = std::floor(other);
    BigInt floor_int = from_double(floor_part);
    int c = compare(floor_int);
    if (c != 0) return (c > 0) - (c < 0);
    return other > floor_part ? -1 : 0;
}

std::optional<double> BigInt::to_double() const {
    std::uint64_t bits = bit_length();
    // Up to 53 bits the conversion is exact.
    if (bits <= DBL_MANT_DIG) return mpz_get_d(m_value);
    if (bits > DBL_MAX_EXP) return std::nullopt;
    if (bits <= 64) {
        // The magnitude fits a uint64, whose conversion rounds to nearest, ties to even.
        BigInt magnitude = absolute();
        double d = static_cast<double>(static_cast<std::uint64_t>(mpz_get_ui(magnitude.m_value)));
        return sign() < 0 ? -d : d;
    }

    // Keep the top 55 bits (53 + a rounding bit + a sticky bit), round half to even by
    // hand, then scale back. This is CPython's _PyLong_Frexp.
    BigInt magnitude = absolute();
    std::uint64_t shift = bits - (DBL_MANT_DIG + 2);
    BigInt top;
    mpz_fdiv_q_2exp(top.m_value, magnitude.m_value, shift);
    std::uint64_t mantissa = mpz_get_ui(top.m_value);
    // The sticky bit: were any of the bits shifted out set?
    if (mpz_scan1(magnitude.m_value, 0) < shift) mantissa |= 1;
    // Round to 53 bits: the two low bits decide, with ties going to an even result.
    // (Adding 1 at bit 1 when bit 1 is set and bit 0 or bit 2 is set.)
    static const int half_even_table[8] = {0, -1, -2, 1, 0, -1, 2, 1};
    mantissa += static_cast<std::uint64_t>(static_cast<std::int64_t>(half_even_table[mantissa & 7]));
    double magnitude_double = std::ldexp(static_cast<double>(mantissa), static_cast<int>(shift));
    if (std::isinf(magnitude_double)) return std::nullopt;
    return sign() < 0 ? -magnitude_double : magnitude_double;
}

std::string BigInt::to_string(int base) const {
    // mpz_sizeinbase may overestimate by one; mpz_get_str writes the terminator.
    std::string out(mpz_sizeinbase(m_value, base) + 2, '\0');
    mpz_get_str(out.data(), base, m_value);
    out.resize(std::char_traits<char>::length(out.c_str()));
    return out;
}

std::int64_t BigInt::hash() const {
    // CPython hashes ints modulo the Mersenne prime 2**61 - 1, so hash(n) == n for small
    // n and equal numbers of any type (int, float, Fraction) hash alike.
    constexpr unsigned long modulus = (1UL << 61) - 1;
    unsigned long reduced = mpz_fdiv_ui(m_value, modulus);  // of x itself, in [0, modulus)
    std::int64_t result;
    if (sign() < 0) {
        // The hash of -n is -(hash(n)): reduce |x| and negate.
        BigInt magnitude = absolute();
        result = -static_cast<std::int64_t>(mpz_fdiv_ui(magnitude.m_value, modulus));
    } else {
        result = static_cast<std::int64_t>(reduced);
    }
    // -1 is the C API's error marker, so no hash is ever -1.
    return result == -1 ? -2 : result;
}

// ---------------------------------------------------------------------------------------
// Arithmetic

BigInt operator+(const BigInt& a, const BigInt& b) {
    BigInt r;
    mpz_add(r.m_value, a.m_value, b.m_value);
    return r;
}

BigInt operator-(const BigInt& a, const BigInt& b) {
    BigInt r;
    mpz_sub(r.m_value, a.m_value, b.m_value);
    return r;
}

BigInt operator*(const BigInt& a, const BigInt& b) {
    BigInt r;
    mpz_mul(r.m_value, a.m_value, b.m_value);
    return r;
}

BigInt BigInt::negated() const {
    BigInt r;
    mpz_neg(r.m_value, m_value);
    return r;
}

BigInt BigInt::absolute() const {
    BigInt r;
    mpz_abs(r.m_value, m_value);
    return r;
}

// GMP's fdiv ("floor division") family rounds the quotient toward minus infinity, which
// is Python's rule; the remainder then takes the divisor's sign.
BigInt BigInt::floor_divide(const BigInt& a, const BigInt& b) {
    BigInt q;
    mpz_fdiv_q(q.m_value, a.m_value, b.m_value);
    return q;
}

BigInt BigInt::modulo(const BigInt& a, const BigInt& b) {
    BigInt r;
    mpz_fdiv_r(r.m_value, a.m_value, b.m_value);
    return r;
}

std::pair<BigInt, BigInt> BigInt::divmod(const BigInt& a, const BigInt& b) {
    BigInt q, r;
    mpz_fdiv_qr(q.m_value, r.m_value, a.m_value, b.m_value);
    return {std::move(q), std::move(r)};
}

std::optional<double> BigInt::true_divide(const BigInt& a, const BigInt& b) {
    bool negative = (a.sign() < 0) != (b.sign() < 0);
    if (a.is_zero()) return negative ? -0.0 : 0.0;

    // Fast path: both exactly representable, so one IEEE division rounds correctly.
    std::uint64_t a_bits = a.bit_length(), b_bits = b.bit_length();
    if (a_bits <= DBL_MANT_DIG && b_bits <= DBL_MANT_DIG) {
        return mpz_get_d(a.m_value) / mpz_get_d(b.m_value);
    }

    // The general case is CPython's long_true_divide: scale a so that the integer
    // quotient has DBL_MANT_DIG + 2 or + 3 significant bits (fewer when the result is
    // subnormal), divide, fold the remainder into a sticky bit, round half to even, and
    // scale back with ldexp, which is then exact.
    std::int64_t diff = static_cast<std::int64_t>(a_bits) - static_cast<std::int64_t>(b_bits);
    if (diff > DBL_MAX_EXP) return std::nullopt;
    if (diff < DBL_MIN_EXP - DBL_MANT_DIG - 1) return negative ? -0.0 : 0.0;

    std::int64_t shift = std::max<std::int64_t>(diff, DBL_MIN_EXP) - DBL_MANT_DIG - 2;
    BigInt x = a.absolute();
    BigInt divisor = b.absolute();
    bool inexact = false;
    if (shift <= 0) {
        mpz_mul_2exp(x.m_value, x.m_value, static_cast<mp_bitcnt_t>(-shift));
    } else {
        // Bits shifted out of a make the quotient inexact.
        if (mpz_scan1(x.m_value, 0) < static_cast<mp_bitcnt_t>(shift)) inexact = true;
        mpz_fdiv_q_2exp(x.m_value, x.m_value, static_cast<mp_bitcnt_t>(shift));
    }
    BigInt remainder;
    mpz_fdiv_qr(x.m_value, remainder.m_value, x.m_value, divisor.m_value);
    if (!remainder.is_zero()) inexact = true;

    std::int64_t x_bits = static_cast<std::int64_t>(x.bit_length());
    std::int64_t extra_bits = std::max<std::int64_t>(x_bits, DBL_MIN_EXP - shift) - DBL_MANT_DIG;
    // x has at most DBL_MANT_DIG + 3 bits, so it fits a uint64 from here on.
    std::uint64_t low = mpz_get_ui(x.m_value) | (inexact ? 1 : 0);
    std::uint64_t mask = std::uint64_t{1} << (extra_bits - 1);
    if ((low & mask) && (low & (3 * mask - 1))) low += mask;
    low &= ~(2 * mask - 1);

    // The conversion is exact now; a result at or beyond 2**1024 becomes inf.
    double dx = static_cast<double>(low);
    double result = std::ldexp(dx, static_cast<int>(shift));
    if (std::isinf(result)) return std::nullopt;
    return negative ? -result : result;
}

BigInt BigInt::pow(const BigInt& base, std::uint64_t exponent) {
    BigInt r;
    mpz_pow_ui(r.m_value, base.m_value, exponent);
    return r;
}

std::optional<BigInt> BigInt::pow_mod(const BigInt& base, const BigInt& exponent, const BigInt& modulus) {
    BigInt m = modulus.absolute();
    BigInt r;
    if (exponent.sign() < 0) {
        // pow(b, -e, m) == pow(inverse(b), e, m); mpz_powm itself does this and reports
        // a missing inverse by dividing by zero, so check for the inverse first.
        BigInt inverse;
        if (mpz_invert(inverse.m_value, base.m_value, m.m_value) == 0) {
            // mpz_invert fails for |m| == 1 too, where every number is its own inverse (0).
            if (mpz_cmp_ui(m.m_value, 1) != 0) return std::nullopt;
        }
        BigInt positive = exponent.negated();
        mpz_powm(r.m_value, inverse.m_value, positive.m_value, m.m_value);
    } else {
        mpz_powm(r.m_value, base.m_value, exponent.m_value, m.m_value);
    }
    // mpz_powm gives a result in [0, |m|); Python's takes the sign of the modulus.
    if (modulus.sign() < 0 && !r.is_zero()) mpz_add(r.m_value, r.m_value, modulus.m_value);
    return r;
}

BigInt BigInt::shifted_left(std::uint64_t count) const {
    BigInt r;
    mpz_mul_2exp(r.m_value, m_value, count);
    return r;
}

BigInt BigInt::shifted_right(std::uint64_t count) const {
    BigInt r;
    mpz_fdiv_q_2exp(r.m_value, m_value, count);
    return r;
}

// GMP's logical operations already behave as on infinite two's complement numbers.
BigInt operator&(const BigInt& a, const BigInt& b) {
    BigInt r;
    mpz_and(r.m_value, a.m_value, b.m_value);
    return r;
}

BigInt operator|(const BigInt& a, const BigInt& b) {
    BigInt r;
    mpz_ior(r.m_value, a.m_value, b.m_value);
    return r;
}

BigInt operator^(const BigInt& a, const BigInt& b) {
    BigInt r;
    mpz_xor(r.m_value, a.m_value, b.m_value);
    return r;
}

BigInt BigInt::inverted() const {
    BigInt r;
    mpz_com(r.m_value, m_value);
    return r;
}

BigInt BigInt::gcd(const BigInt& a, const BigInt& b) {
    BigInt r;
    mpz_gcd(r.m_value, a.m_value, b.m_value);
    return r;
}

BigInt BigInt::isqrt() const {
    BigInt r;
    mpz_sqrt(r.m_value, m_value);
    return r;
}

BigInt BigInt::factorial(std::uint64_t n) {
    BigInt r;
    mpz_fac_ui(r.m_value, n);
    return r;
}

} // namespace asy::numeric
