// The format-spec mini-language, after CPython's Python/formatter_unicode.c: parse the spec,
// check it against the object's kind, then lay a number out as
//     <left padding> <sign> <prefix> <sign padding> <grouped digits> <remainder> <right padding>
// where only one of the three paddings is ever non-empty.
#include "runtime/text/format_spec.hpp"

#include "runtime/numeric/float_format.hpp"
#include "runtime/text/utf8.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>

namespace asy::text {

namespace {

FormatError value_error(std::string message) { return {FormatError::Kind::ValueError, std::move(message)}; }

bool is_alignment(char32_t c) { return c == '<' || c == '>' || c == '=' || c == '^'; }
bool is_sign(char32_t c) { return c == '+' || c == '-' || c == ' '; }

// A presentation type as CPython names it in messages: the letter, or \x.. for others.
std::string type_code_text(char32_t type) {
    if (type > 32 && type < 128) return std::string(1, static_cast<char>(type));
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "\\x%x", static_cast<unsigned>(type));
    return buffer;
}

FormatError unknown_code(char32_t type, std::string_view type_name) {
    return value_error("Unknown format code '" + type_code_text(type) + "' for object of type '" +
                       std::string(type_name) + "'");
}

// Reads a run of decimal digits at `pos` into `out`; returns how many were read, or -1 when
// the number is absurdly large.
int read_integer(std::u32string_view spec, std::size_t& pos, std::int64_t& out) {
    int count = 0;
    out = 0;
    while (pos < spec.size() && spec[pos] >= '0' && spec[pos] <= '9') {
        if (out > (INT64_MAX - 9) / 10) return -1;
        out = out * 10 + static_cast<std::int64_t>(spec[pos] - '0');
        ++pos;
        ++count;
    }
    return count;
}

} // namespace

std::variant<FormatSpec, FormatError> parse_format_spec(std::string_view spec_utf8, char default_type,
                                                        char default_align, std::string_view type_name) {
    std::u32string spec = decode(spec_utf8);
    FormatSpec format;
    format.align = default_align;
    format.type = static_cast<char32_t>(default_type);
    std::size_t pos = 0, end = spec.size();
    bool fill_given = false, align_given = false;

    // [[fill]align]: a fill character only counts when an alignment follows it.
    if (end - pos >= 2 && is_alignment(spec[pos + 1])) {
        format.align = static_cast<char>(spec[pos + 1]);
        format.fill = encode_utf8(spec[pos]);
        fill_given = align_given = true;
        pos += 2;
    } else if (end - pos >= 1 && is_alignment(spec[pos])) {
        format.align = static_cast<char>(spec[pos]);
        align_given = true;
        ++pos;
    }
    if (pos < end && is_sign(spec[pos])) format.sign = static_cast<char>(spec[pos++]);
    if (pos < end && spec[pos] == 'z') {
        format.no_negative_zero = true;
        ++pos;
    }
    if (pos < end && spec[pos] == '#') {
        format.alternate = true;
        ++pos;
    }
    // A leading 0 (before the width) means zero padding after the sign, unless a fill or
    // alignment was already given.
    if (!fill_given && pos < end && spec[pos] == '0') {
        format.fill = "0";
        if (!align_given && default_align == '>') format.align = '=';
        ++pos;
    }
    int consumed = read_integer(spec, pos, format.width);
    if (consumed < 0) return value_error("Too many decimal digits in format string");
    if (consumed == 0) format.width = -1;

    if (pos < end && spec[pos] == ',') {
        format.grouping = ',';
        ++pos;
    }
    if (pos < end && spec[pos] == '_') {
        if (format.grouping != '\0') return value_error("Cannot specify both ',' and '_'.");
        format.grouping = '_';
        ++pos;
    }
    if (pos < end && spec[pos] == ',' && format.grouping == '_') return value_error("Cannot specify both ',' and '_'.");

    if (pos < end && spec[pos] == '.') {
        ++pos;
        consumed = read_integer(spec, pos, format.precision);
        if (consumed < 0) return value_error("Too many decimal digits in format string");
        if (consumed == 0) return value_error("Format specifier missing precision");
    }

    // At most one character, the type, may remain.
    if (end - pos > 1) {
        return value_error("Invalid format specifier '" + std::string(spec_utf8) + "' for object of type '" +
                           std::string(type_name) + "'");
    }
    if (end - pos == 1) format.type = spec[pos];

    // Grouping makes sense only for decimal presentations (PEP 378), and '_' also for
    // binary, octal and hex (PEP 515).
    if (format.grouping != '\0') {
        switch (format.type) {
        case 'd': case 'e': case 'f': case 'g': case 'E': case 'G': case '%': case 'F': case '\0':
            break;
        case 'b': case 'o': case 'x': case 'X':
            if (format.grouping == '_') break;
            [[fallthrough]];
        default:
            return value_error(std::string("Cannot specify '") + format.grouping + "' with '" +
                               type_code_text(format.type) + "'.");
        }
    }
    return format;
}

// ---------------------------------------------------------------------------------------
// Padding and number layout

std::string pad_text(std::string_view text, std::int64_t width, char align, std::string_view fill) {
    std::int64_t length = count_code_points(text);
    if (width <= length) return std::string(text);
    std::int64_t padding = width - length;
    std::int64_t left = align == '>' ? padding : align == '^' ? padding / 2 : 0;
    std::int64_t right = padding - left;
    std::string out;
    for (std::int64_t i = 0; i < left; ++i) out += fill;
    out += text;
    for (std::int64_t i = 0; i < right; ++i) out += fill;
    return out;
}

namespace {

// The digits with a separator every `group` digits from the right, first left-padded with
// zeros until the result is at least `min_width` characters (zero padding of "=" alignment
// is grouped too: format(1234, '010,') == '00,001,234'). CPython's
// _PyUnicode_InsertThousandsGrouping.
std::string group_digits(std::string_view digits, int group, char separator, std::int64_t min_width) {
    std::string reversed;
    auto remaining = static_cast<std::int64_t>(digits.size());
    std::size_t next = digits.size();  // digits[next - 1] is the next digit to copy
    auto take = [&](std::int64_t width) {
        std::int64_t chars = std::min(remaining, width);
        for (std::int64_t i = 0; i < chars; ++i) reversed += digits[--next];
        for (std::int64_t i = chars; i < width; ++i) reversed += '0';
        remaining -= chars;
    };
    if (group == 0) {
        take(std::max<std::int64_t>({remaining, min_width, 1}));
    } else {
        bool use_separator = false;
        while (true) {
            std::int64_t width = std::min<std::int64_t>(std::max<std::int64_t>({remaining, min_width, 1}), group);
            if (use_separator) reversed += separator;
            take(width);
            use_separator = true;
            min_width -= width;
            if (remaining <= 0 && min_width <= 0) break;
            min_width -= 1;  // the separator
        }
    }
    return std::string(reversed.rbegin(), reversed.rend());
}

// A number's parts, before layout.
struct NumberParts {
    // '-' for negative numbers, '\0' otherwise (the spec's sign option decides the rest).
    char sign = '\0';
    // "0x", "0b", "0o" in the '#' form.
    std::string prefix;
    // The integer digits, which grouping and zero padding apply to.
    std::string digits;
    // Everything after them: ".5", "e+10", "%", or a 'c' character.
    std::string remainder;
};

std::string layout_number(const NumberParts& parts, const FormatSpec& spec, int group, bool upper) {
    std::string sign;
    if (spec.sign == '+') sign = parts.sign == '-' ? "-" : "+";
    else if (spec.sign == ' ') sign = parts.sign == '-' ? "-" : " ";
    else if (parts.sign == '-') sign = "-";

    std::int64_t non_digits = static_cast<std::int64_t>(sign.size() + parts.prefix.size()) + count_code_points(parts.remainder);
    // With '0' fill and '=' alignment, the zeros go inside the digits, grouped.
    std::int64_t min_width = spec.fill == "0" && spec.align == '=' ? spec.width - non_digits : 0;
    char separator = spec.grouping == '_' ? '_' : ',';
    std::string grouped = parts.digits.empty() ? std::string()
                                               : group_digits(parts.digits, spec.grouping ? group : 0, separator, min_width);

    std::string prefix = parts.prefix;
    if (upper) {
        for (char& c : prefix) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        for (char& c : grouped) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }

    std::int64_t padding = spec.width - (non_digits + static_cast<std::int64_t>(grouped.size()));
    std::int64_t left = 0, inner = 0, right = 0;
    if (padding > 0) {
        switch (spec.align) {
        case '<': right = padding; break;
        case '^': left = padding / 2; right = padding - left; break;
        case '=': inner = padding; break;
        default: left = padding; break;
        }
    }
    std::string out;
    for (std::int64_t i = 0; i < left; ++i) out += spec.fill;
    out += sign;
    out += prefix;
    for (std::int64_t i = 0; i < inner; ++i) out += spec.fill;
    out += grouped;
    out += parts.remainder;
    for (std::int64_t i = 0; i < right; ++i) out += spec.fill;
    return out;
}

// Splits the output of double_to_string into sign, integer digits and the rest.
NumberParts split_float_text(const std::string& text) {
    NumberParts parts;
    std::size_t pos = 0;
    if (!text.empty() && text[0] == '-') {
        parts.sign = '-';
        pos = 1;
    }
    std::size_t digits_end = pos;
    while (digits_end < text.size() && text[digits_end] >= '0' && text[digits_end] <= '9') ++digits_end;
    parts.digits = text.substr(pos, digits_end - pos);
    parts.remainder = text.substr(digits_end);
    return parts;
}

// Shared by ints and floats: the float presentation types.
FormatResult format_double(double value, const FormatSpec& spec, std::string_view type_name) {
    char32_t type = spec.type;
    switch (type) {
    case '\0': case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': case 'n': case '%':
        break;
    default:
        return unknown_code(type, type_name);
    }
    numeric::DoubleFormatFlags flags;
    flags.alternate = spec.alternate;
    flags.no_negative_zero = spec.no_negative_zero;
    int default_precision = 6;
    char code = static_cast<char>(type);
    // No type: like repr without a precision, like 'g' (but always with a digit after
    // the point) with one.
    if (type == '\0') {
        flags.add_dot_0 = true;
        code = 'r';
        default_precision = 0;
    }
    if (type == 'n') code = 'g';
    bool percent = false;
    if (type == '%') {
        code = 'f';
        value *= 100;
        percent = true;
    }
    std::int64_t precision = spec.precision;
    if (precision < 0) precision = default_precision;
    else if (code == 'r') code = 'g';
    if (precision > 0x7FFFFFFF) return value_error("precision too big");

    std::string text = numeric::double_to_string(value, code, static_cast<int>(precision), flags);
    if (percent) text += '%';
    NumberParts parts = split_float_text(text);
    return layout_number(parts, spec, 3, false);
}

// Integer presentation types on the digits of |value| in the right base.
template <class ToDigits>
FormatResult format_integer(bool negative, ToDigits to_digits, const FormatSpec& spec, std::string_view type_name,
                            std::optional<std::int64_t> small_value) {
    switch (spec.type) {
    case 'b': case 'c': case 'd': case 'o': case 'x': case 'X': case 'n': case '\0': break;
    default: return unknown_code(spec.type, type_name);
    }
    if (spec.precision != -1) return value_error("Precision not allowed in integer format specifier");
    if (spec.no_negative_zero) return value_error("Negative zero coercion (z) not allowed in integer format specifier");
    NumberParts parts;
    int group = 3;
    if (spec.type == 'c') {
        if (spec.sign != '\0') return value_error("Sign not allowed with integer format specifier 'c'");
        if (spec.alternate) return value_error("Alternate form (#) not allowed with integer format specifier 'c'");
        if (!small_value) return FormatError{FormatError::Kind::OverflowError, "Python int too large to convert to C long"};
        if (*small_value < 0 || *small_value > 0x10FFFF) {
            return FormatError{FormatError::Kind::OverflowError, "%c arg not in range(0x110000)"};
        }
        // The character is laid out as "remainder": never grouped or zero-filled inside.
        parts.remainder = encode_utf8(static_cast<char32_t>(*small_value));
        return layout_number(parts, spec, 3, false);
    }
    int base = 10;
    switch (spec.type) {
    case 'b': base = 2; parts.prefix = "0b"; group = 4; break;
    case 'o': base = 8; parts.prefix = "0o"; group = 4; break;
    case 'x': case 'X': base = 16; parts.prefix = "0x"; group = 4; break;
    default: break;
    }
    if (!spec.alternate) parts.prefix.clear();
    parts.sign = negative ? '-' : '\0';
    parts.digits = to_digits(base);
    return layout_number(parts, spec, group, spec.type == 'X');
}

bool is_float_type(char32_t type) {
    switch (type) {
    case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': case '%': return true;
    default: return false;
    }
}

} // namespace

FormatResult format_int(const numeric::BigInt& value, const FormatSpec& spec, std::string_view type_name) {
    if (is_float_type(spec.type)) {
        std::optional<double> as_double = value.to_double();
        if (!as_double) return FormatError{FormatError::Kind::OverflowError, "int too large to convert to float"};
        return format_double(*as_double, spec, type_name);
    }
    std::optional<std::int64_t> small;
    if (value.fits_int64()) small = value.to_int64();
    numeric::BigInt magnitude = value.absolute();
    return format_integer(value.sign() < 0, [&](int base) { return magnitude.to_string(base); }, spec, type_name, small);
}

FormatResult format_int(std::int64_t value, const FormatSpec& spec, std::string_view type_name) {
    if (is_float_type(spec.type)) return format_double(static_cast<double>(value), spec, type_name);
    // |INT64_MIN| does not fit an int64; the unsigned magnitude does.
    std::uint64_t magnitude = value < 0 ? 0 - static_cast<std::uint64_t>(value) : static_cast<std::uint64_t>(value);
    auto to_digits = [&](int base) {
        char buffer[80];
        auto result = std::to_chars(buffer, buffer + sizeof buffer, magnitude, base);
        return std::string(buffer, result.ptr);
    };
    return format_integer(value < 0, to_digits, spec, type_name, value);
}

FormatResult format_float(double value, const FormatSpec& spec, std::string_view type_name) {
    return format_double(value, spec, type_name);
}

FormatResult format_str(std::string_view value, const FormatSpec& spec, std::string_view type_name) {
    if (spec.type != 's' && spec.type != '\0') return unknown_code(spec.type, type_name);
    if (spec.sign == ' ') return value_error("Space not allowed in string format specifier");
    if (spec.sign != '\0') return value_error("Sign not allowed in string format specifier");
    if (spec.no_negative_zero) return value_error("Negative zero coercion (z) not allowed in string format specifier");
    if (spec.alternate) return value_error("Alternate form (#) not allowed in string format specifier");
    if (spec.align == '=') return value_error("'=' alignment not allowed in string format specifier");

    std::string_view text = value;
    // The precision is the maximum number of code points shown.
    if (spec.precision >= 0 && spec.precision < count_code_points(text)) {
        text = text.substr(0, byte_offset(text, spec.precision, is_ascii(text)));
    }
    return pad_text(text, spec.width, spec.align, spec.fill);
}

} // namespace asy::text
