// Python's float arithmetic rules, following CPython's Objects/floatobject.c.
#include "runtime/numeric/float_ops.hpp"

#include <charconv>
#include <cfloat>
#include <cmath>
#include <cstdlib>
#include <string>

namespace asy::numeric {

double float_modulo(double x, double y) {
    double mod = std::fmod(x, y);
    if (mod != 0.0) {
        // fmod keeps x's sign; Python wants y's, which one more y fixes.
        if ((y < 0) != (mod < 0)) mod += y;
    } else {
        // A zero remainder takes the divisor's sign: 6.0 % -3.0 == -0.0.
        mod = std::copysign(0.0, y);
    }
    return mod;
}

std::pair<double, double> float_divmod(double x, double y) {
    double mod = std::fmod(x, y);
    // x - mod is a multiple of y up to rounding, so this division is nearly exact.
    double div = (x - mod) / y;
    if (mod != 0.0) {
        if ((y < 0) != (mod < 0)) {
            mod += y;
            div -= 1.0;
        }
    } else {
        mod = std::copysign(0.0, y);
    }
    double floordiv;
    if (div != 0.0) {
        // Snap div to the nearest integer, which is the exact quotient.
        floordiv = std::floor(div);
        if (div - floordiv > 0.5) floordiv += 1.0;
    } else {
        // A zero quotient gets the sign that x / y would have.
        floordiv = std::copysign(0.0, x / y);
    }
    return {floordiv, mod};
}

namespace {

bool is_odd_integer(double x) { return std::fmod(std::fabs(x), 2.0) == 1.0; }

} // namespace

double float_pow(double x, double y, PowError& error) {
    error = PowError::None;
    // C's pow gets most special cases right; these are the ones Python spells out itself
    // (CPython float_pow), so that nan, inf and zero behave identically everywhere.
    if (y == 0.0) return 1.0;                               // x**0 is 1, even for nan
    if (std::isnan(x)) return x;
    if (std::isnan(y)) return x == 1.0 ? 1.0 : y;           // 1**nan is 1
    if (std::isinf(y)) {
        double magnitude = std::fabs(x);
        if (magnitude == 1.0) return 1.0;
        if ((y > 0.0) == (magnitude > 1.0)) return std::fabs(y);
        return 0.0;
    }
    if (std::isinf(x)) {
        bool odd = is_odd_integer(y);
        if (y > 0.0) return odd ? x : std::fabs(x);
        return odd ? std::copysign(0.0, x) : 0.0;
    }
    if (x == 0.0) {
        if (y < 0.0) {
            error = PowError::ZeroToNegative;
            return 0.0;
        }
        return is_odd_integer(y) ? x : 0.0;
    }
    bool negate = false;
    if (x < 0.0) {
        // A negative base needs an integral exponent for a real result.
        if (y != std::floor(y)) {
            error = PowError::ComplexResult;
            return 0.0;
        }
        x = -x;
        negate = is_odd_integer(y);
    }
    if (x == 1.0) return negate ? -1.0 : 1.0;
    double result = std::pow(x, y);
    // Overflow is an error; underflow to zero is not.
    if (std::isinf(result)) {
        error = PowError::Overflow;
        return 0.0;
    }
    return negate ? -result : result;
}

double float_round_half_even(double x) {
    double rounded = std::round(x);  // ties away from zero
    if (std::fabs(x - rounded) == 0.5) rounded = 2.0 * std::round(x / 2.0);
    return rounded;
}

std::optional<double> float_round(double x, std::int64_t ndigits) {
    // Beyond these bounds rounding changes nothing, or everything (CPython's NDIGITS_MAX,
    // NDIGITS_MIN: a double has at most 1074 + 53 significant decimal places).
    constexpr std::int64_t ndigits_max = static_cast<std::int64_t>((DBL_MANT_DIG - DBL_MIN_EXP) * 0.30103);
    constexpr std::int64_t ndigits_min = -static_cast<std::int64_t>((DBL_MAX_EXP + 1) * 0.30103);
    if (!std::isfinite(x) || x == 0.0) return x;
    if (ndigits > ndigits_max) return x;
    if (ndigits < ndigits_min) return 0.0 * x;

    // Write x's exact decimal value (at most 1074 digits after the point), round that
    // string half to even at the wanted place, and read the result back: exact decimal
    // rounding, like CPython's dtoa-based double_round.
    double magnitude = std::fabs(x);
    std::string exact(1500, '\0');
    auto end = std::to_chars(exact.data(), exact.data() + exact.size(), magnitude,
                             std::chars_format::fixed, 1100).ptr;
    exact.resize(static_cast<std::size_t>(end - exact.data()));
    std::size_t point = exact.find('.');
    std::string digits = exact.substr(0, point) + exact.substr(point + 1);
    // How many leading digits survive: the integer digits and ndigits more.
    std::int64_t keep = static_cast<std::int64_t>(point) + ndigits;  // digits kept
    // Prepend zeros so that at least one digit is kept and the round-up can carry.
    std::int64_t pad = keep < 1 ? 1 - keep : 0;
    digits.insert(0, static_cast<std::size_t>(pad + 1), '0');
    keep += pad + 1;
    // The last kept digit counts units of 10**-ndigits.
    std::int64_t exponent = -ndigits;

    std::string kept = digits.substr(0, static_cast<std::size_t>(keep));
    std::string_view dropped = std::string_view(digits).substr(static_cast<std::size_t>(keep));
    bool round_up = false;
    if (!dropped.empty() && dropped[0] >= '5') {
        bool rest_nonzero = dropped.find_first_not_of('0', 1) != std::string_view::npos;
        bool exact_half = dropped[0] == '5' && !rest_nonzero;
        round_up = !exact_half || (kept.back() - '0') % 2 == 1;
    }
    if (round_up) {
        std::size_t i = kept.size();
        while (i > 0) {
            --i;
            if (kept[i] == '9') {
                kept[i] = '0';
            } else {
                ++kept[i];
                break;
            }
        }
    }
    std::string text = kept + "e" + std::to_string(exponent);
    double result = std::strtod(text.c_str(), nullptr);
    if (std::isinf(result)) return std::nullopt;
    return std::copysign(result, x);
}

std::int64_t float_hash(double x) {
    // The value is reduced modulo the prime P = 2**61 - 1 exactly as an int with the same
    // value would be, 28 bits of mantissa at a time (CPython Python/pyhash.c).
    constexpr int hash_bits = 61;
    constexpr std::uint64_t modulus = (std::uint64_t{1} << hash_bits) - 1;
    if (std::isinf(x)) return x > 0 ? 314159 : -314159;
    if (std::isnan(x)) return 0;

    int e = 0;
    double m = std::frexp(x, &e);
    int sign = 1;
    if (m < 0) {
        sign = -1;
        m = -m;
    }
    std::uint64_t h = 0;
    while (m != 0.0) {
        h = ((h << 28) & modulus) | h >> (hash_bits - 28);
        m *= 268435456.0;  // 2**28
        e -= 28;
        auto y = static_cast<std::uint64_t>(m);  // the integer part
        m -= static_cast<double>(y);
        h += y;
        if (h >= modulus) h -= modulus;
    }
    // Multiplying by 2**e is a rotation modulo P, since 2**61 == 1 (mod P).
    e = e >= 0 ? e % hash_bits : hash_bits - 1 - ((-1 - e) % hash_bits);
    h = ((h << e) & modulus) | h >> (hash_bits - e);
    auto result = static_cast<std::int64_t>(h) * sign;
    return result == -1 ? -2 : result;
}

bool float_is_integer(double x) { return std::isfinite(x) && std::floor(x) == x; }

std::pair<BigInt, BigInt> float_as_integer_ratio(double x) {
    // x = m * 2**e with m having 53 bits; shift the power of two out of the fraction.
    int e = 0;
    double m = std::frexp(x, &e);
    for (int i = 0; i < 300 && m != std::floor(m); ++i) {
        m *= 2.0;
        --e;
    }
    BigInt numerator = BigInt::from_double(m);
    BigInt denominator(1);
    if (e > 0) numerator = numerator.shifted_left(static_cast<std::uint64_t>(e));
    else denominator = denominator.shifted_left(static_cast<std::uint64_t>(-e));
    // Reduce: both share only powers of two.
    BigInt g = BigInt::gcd(numerator, denominator);
    if (!(g == 1) && !g.is_zero()) {
        numerator = BigInt::floor_divide(numerator, g);
        denominator = BigInt::floor_divide(denominator, g);
    }
    return {std::move(numerator), std::move(denominator)};
}

} // namespace asy::numeric
