// Float formatting is CPython's Python/pystrtod.c, format_float_short, on top of C++'s
// std::to_chars, which gives the same correctly rounded digits as CPython's dtoa.c:
// the shortest round-trip digits for repr, or exactly rounded digits for a precision.
#include "runtime/numeric/float_format.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <string>

namespace asy::numeric {

namespace {

// A finite double as dtoa.c describes it: value = 0.<digits> * 10**decpt, with no
// trailing zeros in `digits`. Zero is "0" with decpt 1.
struct DecimalDigits {
    std::string digits;
    int decpt = 1;
    bool negative = false;
};

// Strips trailing zeros; an all-zero result becomes "0" with decpt 1, as dtoa.c says it.
void normalise(DecimalDigits& d) {
    while (!d.digits.empty() && d.digits.back() == '0') d.digits.pop_back();
    if (d.digits.empty()) {
        d.digits = "0";
        d.decpt = 1;
    }
}

// Reads "d.ddde+XX" as std::to_chars writes scientific notation.
DecimalDigits from_scientific(std::string_view text) {
    DecimalDigits d;
    std::size_t e = text.find('e');
    for (char c : text.substr(0, e)) {
        if (c != '.') d.digits.push_back(c);
    }
    int exponent = std::atoi(std::string(text.substr(e + 1)).c_str());
    d.decpt = exponent + 1;
    normalise(d);
    return d;
}

// The digits of |value| in one of dtoa.c's modes: 0 = shortest round trip, 2 = `ndigits`
// significant digits, 3 = `ndigits` digits after the decimal point.
DecimalDigits dtoa(double value, int mode, int ndigits) {
    double magnitude = std::fabs(value);
    DecimalDigits d;
    if (mode == 3) {
        // Up to 309 integer digits, a point and the requested fraction.
        std::string buffer(static_cast<std::size_t>(ndigits) + 320, '\0');
        auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), magnitude,
                                    std::chars_format::fixed, ndigits);
        std::string_view text(buffer.data(), static_cast<std::size_t>(result.ptr - buffer.data()));
        std::size_t point = text.find('.');
        d.decpt = static_cast<int>(point == std::string_view::npos ? text.size() : point);
        for (char c : text) {
            if (c == '.') continue;
            // Leading zeros move the decimal point instead of being digits.
            if (d.digits.empty() && c == '0') {
                --d.decpt;
                continue;
            }
            d.digits.push_back(c);
        }
        normalise(d);
    } else {
        char buffer[64];
        auto result = mode == 0
            ? std::to_chars(buffer, buffer + sizeof buffer, magnitude, std::chars_format::scientific)
            : std::to_chars(buffer, buffer + sizeof buffer, magnitude, std::chars_format::scientific, ndigits - 1);
        d = from_scientific(std::string_view(buffer, static_cast<std::size_t>(result.ptr - buffer)));
    }
    d.negative = std::signbit(value);
    return d;
}

} // namespace

std::string double_to_string(double value, char code, int precision, DoubleFormatFlags flags) {
    // Upper-case codes differ only in the letters they print.
    bool upper = code == 'E' || code == 'F' || code == 'G';
    if (upper) code = static_cast<char>(code - 'A' + 'a');

    std::string out;
    if (std::isnan(value) || std::isinf(value)) {
        // A nan never shows a sign; an infinity shows '-' or, when asked, '+'.
        if (std::isinf(value) && value < 0) out += '-';
        else if (flags.always_add_sign) out += '+';
        out += std::isnan(value) ? (upper ? "NAN" : "nan") : (upper ? "INF" : "inf");
        return out;
    }

    // Choose dtoa.c's mode as PyOS_double_to_string does.
    int mode = 0;
    switch (code) {
    case 'e': mode = 2; ++precision; break;   // 1 digit before the point + precision after
    case 'f': mode = 3; break;
    case 'g': mode = 2; if (precision == 0) precision = 1; break;  // 0 significant digits means 1
    default: mode = 0; break;                 // 'r'
    }
    DecimalDigits d = dtoa(value, mode, precision);
    const std::string& digits = d.digits;
    int digits_len = static_cast<int>(digits.size());
    int decpt = d.decpt;

    // 'z': a negative number that printed as zero loses its sign.
    bool negative = d.negative;
    if (flags.no_negative_zero && negative && digits == "0") negative = false;

    // Think of `digits` padded with zeros on both sides forever; the output is the slice
    // [vdigits_start, vdigits_end) of that, with a point inserted at decpt.
    bool use_exponent = false;
    int vdigits_end = digits_len;
    switch (code) {
    case 'e':
        use_exponent = true;
        vdigits_end = precision;
        break;
    case 'f':
        vdigits_end = decpt + precision;
        break;
    case 'g':
        // Exponent notation when the exponent is below -4 or at least the precision.
        if (decpt <= -4 || decpt > (flags.add_dot_0 ? precision - 1 : precision)) use_exponent = true;
        if (flags.alternate) vdigits_end = precision;
        break;
    default:
        // repr switches to exponent notation at 1e16 and below 1e-4.
        if (decpt <= -4 || decpt > 16) use_exponent = true;
        break;
    }

    int exponent = 0;
    if (use_exponent) {
        exponent = decpt - 1;
        decpt = 1;
    }
    // The point must fall inside the slice; add_dot_0 keeps one digit after it.
    int vdigits_start = decpt <= 0 ? decpt - 1 : 0;
    if (!use_exponent && flags.add_dot_0) vdigits_end = std::max(vdigits_end, decpt + 1);
    else vdigits_end = std::max(vdigits_end, decpt);

    if (negative) out += '-';
    else if (flags.always_add_sign) out += '+';

    // Zeros on the left of the digits (and the point, when it is among them).
    if (decpt <= 0) {
        out.append(static_cast<std::size_t>(decpt - vdigits_start), '0');
        out += '.';
        out.append(static_cast<std::size_t>(-decpt), '0');
    } else {
        out.append(static_cast<std::size_t>(-vdigits_start), '0');
    }
    // The digits, with the point when it falls inside them.
    if (0 < decpt && decpt <= digits_len) {
        out.append(digits, 0, static_cast<std::size_t>(decpt));
        out += '.';
        out.append(digits, static_cast<std::size_t>(decpt), std::string::npos);
    } else {
        out += digits;
    }
    // Zeros on the right (and the point, when it lies beyond the digits).
    if (digits_len < decpt) {
        out.append(static_cast<std::size_t>(decpt - digits_len), '0');
        out += '.';
        out.append(static_cast<std::size_t>(vdigits_end - decpt), '0');
    } else {
        out.append(static_cast<std::size_t>(vdigits_end - digits_len), '0');
    }
    // A point with nothing after it stays only in the '#' form.
    if (out.back() == '.' && !flags.alternate) out.pop_back();

    if (use_exponent) {
        // At least two exponent digits, with a sign: 1e+16, 1e-05.
        out += upper ? 'E' : 'e';
        out += exponent < 0 ? '-' : '+';
        int magnitude = exponent < 0 ? -exponent : exponent;
        if (magnitude < 10) out += '0';
        out += std::to_string(magnitude);
    }
    return out;
}

std::string float_repr(double value) {
    return double_to_string(value, 'r', 0, DoubleFormatFlags{.add_dot_0 = true});
}

// ---------------------------------------------------------------------------------------
// Parsing

namespace {

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool equals_ignoring_case(std::string_view text, std::string_view lower) {
    if (text.size() != lower.size()) return false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        if (c != lower[i]) return false;
    }
    return true;
}

// Skips a run of digits and reports whether there was at least one.
bool skip_digits(std::string_view s, std::size_t& i) {
    std::size_t start = i;
    while (i < s.size() && is_digit(s[i])) ++i;
    return i > start;
}

} // namespace

std::optional<double> parse_float(std::string_view text) {
    // Underscores are allowed only between two digits (PEP 515); they are removed before
    // the number itself is read.
    std::string cleaned;
    cleaned.reserve(text.size());
    char previous = '\0';
    for (char c : text) {
        if (c == '_') {
            if (!is_digit(previous)) return std::nullopt;
        } else {
            if (previous == '_' && !is_digit(c)) return std::nullopt;
            cleaned.push_back(c);
        }
        previous = c;
    }
    if (previous == '_') return std::nullopt;

    std::string_view s = cleaned;
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_space(s.back())) s.remove_suffix(1);

    bool negative = false;
    std::string_view body = s;
    if (!body.empty() && (body[0] == '+' || body[0] == '-')) {
        negative = body[0] == '-';
        body.remove_prefix(1);
    }
    if (equals_ignoring_case(body, "inf") || equals_ignoring_case(body, "infinity")) {
        return negative ? -HUGE_VAL : HUGE_VAL;
    }
    if (equals_ignoring_case(body, "nan")) return std::nan("");

    // digits [. digits] | . digits, then an optional exponent; nothing else may follow.
    std::size_t i = 0;
    bool integer_digits = skip_digits(body, i);
    bool fraction_digits = false;
    if (i < body.size() && body[i] == '.') {
        ++i;
        fraction_digits = skip_digits(body, i);
    }
    if (!integer_digits && !fraction_digits) return std::nullopt;
    if (i < body.size() && (body[i] == 'e' || body[i] == 'E')) {
        ++i;
        if (i < body.size() && (body[i] == '+' || body[i] == '-')) ++i;
        if (!skip_digits(body, i)) return std::nullopt;
    }
    if (i != body.size()) return std::nullopt;

    // The grammar is checked, so strtod reads exactly this text; it rounds correctly and
    // turns overflow into inf and underflow into zero or a subnormal, which is what
    // Python wants too (errno's ERANGE is ignored for that reason).
    std::string number(s);
    errno = 0;
    double result = std::strtod(number.c_str(), nullptr);
    return result;
}

} // namespace asy::numeric
