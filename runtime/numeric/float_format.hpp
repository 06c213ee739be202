// Floats to text and back, digit for digit as CPython: repr(x), the digit strings behind
// format(x, spec) and '%'-formatting, and float(text). text/format_spec.cpp adds width,
// alignment and grouping on top of the strings made here.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace asy::numeric {

// Options of double_to_string, named after CPython's Py_DTSF_* flags.
struct DoubleFormatFlags {
    // Put '+' before non-negative numbers.
    bool always_add_sign = false;
    // Make an integral result look like a float: '1.0' rather than '1' ('r' and 'g').
    bool add_dot_0 = false;
    // The '#' form: keep the decimal point and, for 'g', the trailing zeros.
    bool alternate = false;
    // The 'z' option: a result that rounds to zero loses its minus sign.
    bool no_negative_zero = false;
};

// PyOS_double_to_string: `code` is one of
//   'e' 'E'  exponent notation with `precision` digits after the point,
//   'f' 'F'  fixed point with `precision` digits after the point,
//   'g' 'G'  `precision` significant digits, exponent notation for large/small numbers,
//   'r'      the shortest string that reads back as the same double (precision unused).
// Upper-case codes give 'E' and 'INF'/'NAN'. Every result is correctly rounded, ties to
// even on the exact binary value (format(2.5, '.0f') == '2', format(0.125, '.2f') == '0.12').
[[nodiscard]] std::string double_to_string(double value, char code, int precision, DoubleFormatFlags flags = {});

// repr(x) and str(x): '0.1', '1e+16', '1e-05', '-0.0', 'inf', 'nan', '7.0'.
[[nodiscard]] std::string float_repr(double value);

// float(text) for a str argument: optional whitespace, a sign, then decimal digits with
// single underscores between digits, an optional point and exponent, or 'inf',
// 'infinity', 'nan' in any case. Nothing for anything else; the caller raises
// ValueError("could not convert string to float: " + repr(text)). Values beyond the
// double range become +-inf or +-0.0, as in CPython.
[[nodiscard]] std::optional<double> parse_float(std::string_view text);

} // namespace asy::numeric
