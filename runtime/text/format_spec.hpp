// The format-spec mini-language of format(), str.format and f-strings:
//     [[fill]align][sign][z][#][0][width][grouping][.precision][type]
// parsed once into a FormatSpec, then applied to an int, a float or a str. Everything here
// is plain C++ on UTF-8 strings; runtime/objects/*.cpp call it from their __format__ and
// raise the FormatError it reports. The rules and messages are CPython's
// Python/formatter_unicode.c.
#pragma once

#include "runtime/numeric/big_int.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace asy::text {

// A Python exception to raise, as data: which class and CPython's message.
struct FormatError {
    enum class Kind { ValueError, OverflowError };
    Kind kind = Kind::ValueError;
    std::string message;
};

// Either the formatted text or the error.
using FormatResult = std::variant<std::string, FormatError>;

struct FormatSpec {
    // The padding character, UTF-8 encoded (one code point).
    std::string fill = " ";
    // '<', '>', '^', '=' ; the object's default when not given.
    char align = '>';
    // '+', '-', ' ', or '\0' when not given.
    char sign = '\0';
    // 'z': negative zero becomes zero (floats only).
    bool no_negative_zero = false;
    // '#': 0x/0o/0b prefixes, a point that always shows.
    bool alternate = false;
    // -1 when not given.
    std::int64_t width = -1;
    // ',' or '_', or '\0' for none.
    char grouping = '\0';
    // -1 when not given.
    std::int64_t precision = -1;
    // The presentation type: 'd', 'x', 'f', 's'..., or the object's default when not given
    // ('s' for str, 'd' for int, '\0' for float). A code point, so that a stray non-ASCII
    // letter can be named in the error message.
    char32_t type = '\0';
};

// Parses `spec` for an object whose defaults are `default_type` ('s' for str, 'd' for int,
// '\0' for float) and `default_align` ('<' for str, '>' for numbers); `type_name` is used in
// messages ("Invalid format specifier '...' for object of type 'int'").
[[nodiscard]] std::variant<FormatSpec, FormatError> parse_format_spec(std::string_view spec, char default_type,
                                                                      char default_align, std::string_view type_name);

// format(i, spec) for an int (type_name is "int" or "bool" for messages). Float
// presentation types convert to a double first (OverflowError when it is too large).
[[nodiscard]] FormatResult format_int(const numeric::BigInt& value, const FormatSpec& spec,
                                      std::string_view type_name = "int");
[[nodiscard]] FormatResult format_int(std::int64_t value, const FormatSpec& spec, std::string_view type_name = "int");

// format(x, spec) for a float.
[[nodiscard]] FormatResult format_float(double value, const FormatSpec& spec, std::string_view type_name = "float");

// format(s, spec) for a str (UTF-8): precision truncates, width pads, both in code points.
[[nodiscard]] FormatResult format_str(std::string_view value, const FormatSpec& spec, std::string_view type_name = "str");

// Pads `text` (UTF-8) to `width` code points with `fill` according to `align` ('<', '>', '^').
[[nodiscard]] std::string pad_text(std::string_view text, std::int64_t width, char align, std::string_view fill);

} // namespace asy::text
