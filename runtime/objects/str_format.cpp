// str.format and str % values. Both walk the template once, copying literal text and
// replacing each field: str.format after CPython's Objects/stringlib/unicode_format.h
// ("{name.attr[key]!r:spec}", with nested "{}" inside the spec), % after
// PyUnicode_Format ("%(key)-+ #0*.*d").
#include "runtime/objects/str_format.hpp"

#include "runtime/numeric/float_format.hpp"
#include "runtime/objects/container_util.hpp"
#include "runtime/objects/dict.hpp"
#include "runtime/objects/numbers.hpp"
#include "runtime/objects/str.hpp"
#include "runtime/objects/tuple.hpp"
#include "runtime/ops.hpp"
#include "runtime/text/utf8.hpp"

#include <cmath>

namespace asy {

namespace {

// ---------------------------------------------------------------------------------------
// str.format

// Where the values of a str.format call come from.
struct FormatSource {
    // Positional arguments (after the template).
    std::span<const Value> positional;
    // Keyword arguments: names and values, or a mapping for format_map.
    CallArgs keywords;
    Value mapping;
    // Automatic numbering state: the next "{}" index, and whether manual "{0}" was used.
    std::int64_t next_auto = 0;
    enum class Numbering { Unknown, Auto, Manual } numbering = Numbering::Unknown;
};

bool all_digits(std::string_view s) {
    if (s.empty()) return false;
    for (char c : s) {
        if (c < '0' || c > '9') return false;
    }
    return true;
}

// The value named by the first part of a field name ("0", "", "name").
Value lookup_argument(VM& vm, FormatSource& source, std::string_view name) {
    bool automatic = name.empty();
    if (automatic || all_digits(name)) {
        auto mode = automatic ? FormatSource::Numbering::Auto : FormatSource::Numbering::Manual;
        if (source.numbering != FormatSource::Numbering::Unknown && source.numbering != mode) {
            return vm.raise(vm.types().value_error, automatic
                                                        ? "cannot switch from manual field specification to automatic field numbering"
                                                        : "cannot switch from automatic field numbering to manual field specification");
        }
        source.numbering = mode;
        std::int64_t index = automatic ? source.next_auto++ : std::stoll(std::string(name.substr(0, 18)));
        if (index < 0 || static_cast<std::size_t>(index) >= source.positional.size()) {
            return vm.raise_format(vm.types().index_error, "Replacement index {} out of range for positional args tuple", index);
        }
        return source.positional[static_cast<std::size_t>(index)];
    }
    if (!source.mapping.is_null()) {
        Root key(vm, string_value(vm, name));
        return ops::getitem(vm, source.mapping, key.get());
    }
    for (std::size_t i = 0; i < source.keywords.keyword_count(); ++i) {
        if (source.keywords.keyword_name(i)->utf8 == name) return source.keywords.keyword_value(i);
    }
    Root key(vm, string_value(vm, name));
    return raise_key_error(vm, key.get());
}

// Resolves "name.attr[key]..." to a value.
Value resolve_field(VM& vm, FormatSource& source, std::string_view field) {
    std::size_t end = field.find_first_of(".[");
    std::string_view first = field.substr(0, end);
    Root value(vm, lookup_argument(vm, source, first));
    if (value.get().is_null()) return Value::null();
    std::size_t pos = end;
    while (pos != std::string_view::npos && pos < field.size()) {
        if (field[pos] == '.') {
            std::size_t next = field.find_first_of(".[", pos + 1);
            std::string_view attribute = field.substr(pos + 1, next == std::string_view::npos ? std::string_view::npos : next - pos - 1);
            if (attribute.empty()) return vm.raise(vm.types().value_error, "Empty attribute in format string");
            value.set(ops::getattr(vm, value.get(), vm.intern(attribute)));
            pos = next;
        } else {
            std::size_t close = field.find(']', pos);
            if (close == std::string_view::npos) return vm.raise(vm.types().value_error, "Missing ']' in format string");
            std::string_view key_text = field.substr(pos + 1, close - pos - 1);
            if (key_text.empty()) return vm.raise(vm.types().value_error, "Empty attribute in format string");
            Root key(vm, all_digits(key_text) ? int_from_decimal(vm, key_text) : string_value(vm, key_text));
            value.set(ops::getitem(vm, value.get(), key.get()));
            pos = close + 1;
            if (pos < field.size() && field[pos] != '.' && field[pos] != '[') {
                return vm.raise(vm.types().value_error, "Only '.' or '[' may follow ']' in format field specifier");
            }
        }
        if (value.get().is_null()) return Value::null();
    }
    return value.get();
}

// Formats `templ`, appending to `out`; `depth` limits nesting of specs ("{:{}}").
bool format_template(VM& vm, std::string_view templ, FormatSource& source, int depth, std::string& out) {
    if (depth < 0) {
        vm.raise(vm.types().value_error, "Max string recursion exceeded");
        return false;
    }
    std::size_t i = 0, n = templ.size();
    while (i < n) {
        char c = templ[i];
        if (c == '}') {
            if (i + 1 < n && templ[i + 1] == '}') {
                out += '}';
                i += 2;
                continue;
            }
            vm.raise(vm.types().value_error, "Single '}' encountered in format string");
            return false;
        }
        if (c != '{') {
            out += c;
            ++i;
            continue;
        }
        if (i + 1 < n && templ[i + 1] == '{') {
            out += '{';
            i += 2;
            continue;
        }
        // A field: find its closing brace, counting nested braces in the spec.
        std::size_t start = i + 1, j = start;
        int nesting = 1;
        while (j < n) {
            if (templ[j] == '{') ++nesting;
            else if (templ[j] == '}' && --nesting == 0) break;
            ++j;
        }
        if (j >= n) {
            vm.raise(vm.types().value_error, nesting > 1 || start < n ? "expected '}' before end of string"
                                                                       : "Single '{' encountered in format string");
            return false;
        }
        std::string_view field = templ.substr(start, j - start);
        i = j + 1;

        // field_name [! conversion] [: spec]; the name ends at the first '!' or ':' outside [].
        std::size_t name_end = 0;
        bool in_brackets = false;
        for (; name_end < field.size(); ++name_end) {
            char f = field[name_end];
            if (f == '[') in_brackets = true;
            else if (f == ']') in_brackets = false;
            else if (!in_brackets && (f == '!' || f == ':')) break;
        }
        std::string_view name = field.substr(0, name_end);
        char conversion = '\0';
        std::string_view spec;
        std::size_t rest = name_end;
        if (rest < field.size() && field[rest] == '!') {
            if (rest + 1 >= field.size()) {
                vm.raise(vm.types().value_error, "end of string while looking for conversion specifier");
                return false;
            }
            conversion = field[rest + 1];
            rest += 2;
            if (rest < field.size() && field[rest] != ':') {
                vm.raise(vm.types().value_error, "expected ':' after conversion specifier");
                return false;
            }
        }
        if (rest < field.size() && field[rest] == ':') spec = field.substr(rest + 1);

        Root value(vm, resolve_field(vm, source, name));
        if (value.get().is_null()) return false;
        if (conversion != '\0') {
            String* converted = nullptr;
            switch (conversion) {
            case 's': converted = ops::str(vm, value.get()); break;
            case 'r': converted = ops::repr(vm, value.get()); break;
            case 'a':
                converted = ops::repr(vm, value.get());
                if (converted && !converted->is_ascii) converted = new_string(vm, text::escape_non_ascii(converted->utf8));
                break;
            default:
                vm.raise_format(vm.types().value_error, "Unknown conversion specifier {}", std::string(1, conversion));
                return false;
            }
            if (!converted) return false;
            value.set(Value::from_object(converted));
        }
        // The spec may itself contain fields: "{:{width}.{precision}f}".
        std::string expanded_spec;
        if (spec.find('{') != std::string_view::npos) {
            if (!format_template(vm, spec, source, depth - 1, expanded_spec)) return false;
        } else {
            expanded_spec = spec;
        }
        String* formatted = ops::format(vm, value.get(), vm.intern(expanded_spec));
        if (!formatted) return false;
        out += formatted->utf8;
    }
    return true;
}

}  // namespace

Value str_format(VM& vm, CallArgs args) {
    String* templ = method_self<String>(vm, args, vm.types().str, "format");
    if (!templ) return Value::null();
    FormatSource source;
    source.positional = std::span<const Value>(args.values + 1, args.positional_count() - 1);
    source.keywords = args;
    std::string out;
    if (!format_template(vm, templ->utf8, source, 2, out)) return Value::null();
    return Value::from_object(new_string(vm, std::move(out)));
}

Value str_format_map(VM& vm, CallArgs args) {
    String* templ = method_self<String>(vm, args, vm.types().str, "format_map");
    if (!templ || !check_positional(vm, args.without_self(), "format_map", 1, 1)) return Value::null();
    FormatSource source;
    source.mapping = args[1];
    std::string out;
    if (!format_template(vm, templ->utf8, source, 2, out)) return Value::null();
    return Value::from_object(new_string(vm, std::move(out)));
}

// ---------------------------------------------------------------------------------------
// The % operator

namespace {

// One conversion's options: "%(key)-+ #0width.precision type".
struct PercentSpec {
    bool left = false, plus = false, space = false, alternate = false, zero = false;
    std::int64_t width = -1;
    std::int64_t precision = -1;
    char type = '\0';
};

// Pads a converted value: spaces (or zeros after the sign and prefix, for numbers).
std::string pad_percent(const PercentSpec& spec, std::string sign, std::string prefix, std::string body, bool numeric) {
    std::int64_t length = static_cast<std::int64_t>(sign.size() + prefix.size()) + text::count_code_points(body);
    std::string out;
    if (spec.width > length) {
        std::size_t padding = static_cast<std::size_t>(spec.width - length);
        if (spec.left) return sign + prefix + body + std::string(padding, ' ');
        if (spec.zero && numeric) return sign + prefix + std::string(padding, '0') + body;
        return std::string(padding, ' ') + sign + prefix + body;
    }
    return sign + prefix + body;
}

std::string sign_of(const PercentSpec& spec, bool negative) {
    if (negative) return "-";
    if (spec.plus) return "+";
    if (spec.space) return " ";
    return "";
}

// %d %i %u %o %x %X of an int Value.
bool format_percent_int(VM& vm, const PercentSpec& spec, Value value, std::string& out) {
    numeric::BigInt big = int_to_big(value);
    int base = spec.type == 'o' ? 8 : (spec.type == 'x' || spec.type == 'X') ? 16 : 10;
    std::string digits = big.absolute().to_string(base);
    if (spec.type == 'X') {
        for (char& c : digits) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    // A precision is a minimum number of digits.
    if (spec.precision > static_cast<std::int64_t>(digits.size())) {
        digits.insert(0, static_cast<std::size_t>(spec.precision) - digits.size(), '0');
    }
    std::string prefix;
    if (spec.alternate && base != 10) prefix = spec.type == 'o' ? "0o" : spec.type == 'x' ? "0x" : "0X";
    out += pad_percent(spec, sign_of(spec, big.sign() < 0), prefix, digits, true);
    (void)vm;
    return true;
}

bool format_percent_float(const PercentSpec& spec, double x, std::string& out) {
    numeric::DoubleFormatFlags flags;
    flags.alternate = spec.alternate;
    int precision = spec.precision < 0 ? 6 : static_cast<int>(std::min<std::int64_t>(spec.precision, 1000));
    std::string body = numeric::double_to_string(std::fabs(x), spec.type, precision, flags);
    bool negative = std::signbit(x) && !std::isnan(x);
    out += pad_percent(spec, sign_of(spec, negative), "", body, true);
    return true;
}

// One conversion of `value`, appended to `out`.
bool format_percent_value(VM& vm, const PercentSpec& spec, Value value, std::size_t position, std::string& out) {
    switch (spec.type) {
    case 's':
    case 'r':
    case 'a': {
        String* s = spec.type == 's' ? ops::str(vm, value) : ops::repr(vm, value);
        if (!s) return false;
        std::string body = spec.type == 'a' ? text::escape_non_ascii(s->utf8) : s->utf8;
        if (spec.precision >= 0 && spec.precision < text::count_code_points(body)) {
            body = body.substr(0, text::byte_offset(body, spec.precision, text::is_ascii(body)));
        }
        out += pad_percent(spec, "", "", body, false);
        return true;
    }
    case 'c': {
        std::string body;
        if (auto* s = as_instance<String>(value, vm.types().str)) {
            if (s->length != 1) {
                vm.raise(vm.types().type_error, "%c requires int or char");
                return false;
            }
            body = s->utf8;
        } else if (is_int(vm, value)) {
            std::int64_t code = 0;
            if (!int_fits_int64(value, code) || code < 0 || code > 0x10FFFF) {
                vm.raise(vm.types().overflow_error, "%c arg not in range(0x110000)");
                return false;
            }
            body = text::encode_utf8(static_cast<char32_t>(code));
        } else {
            vm.raise(vm.types().type_error, "%c requires int or char");
            return false;
        }
        out += pad_percent(spec, "", "", body, false);
        return true;
    }
    case 'd':
    case 'i':
    case 'u': {
        // A float is truncated to an int; other objects need __int__ / __index__.
        Root number(vm, value);
        if (value.is_double()) {
            number.set(int_from_double(vm, value.as_double()));
            if (number.get().is_null()) return false;
        } else if (!is_int(vm, value)) {
            vm.raise_format(vm.types().type_error, "%{} format: a real number is required, not {}", spec.type,
                            ops::type_name(vm, value));
            return false;
        }
        return format_percent_int(vm, spec, number.get(), out);
    }
    case 'o':
    case 'x':
    case 'X':
        if (!is_int(vm, value)) {
            vm.raise_format(vm.types().type_error, "%{} format: an integer is required, not {}", spec.type,
                            ops::type_name(vm, value));
            return false;
        }
        return format_percent_int(vm, spec, value, out);
    case 'e':
    case 'E':
    case 'f':
    case 'F':
    case 'g':
    case 'G': {
        double x = 0;
        if (!value.is_double() && !is_int(vm, value)) {
            vm.raise_format(vm.types().type_error, "must be real number, not {}", ops::type_name(vm, value));
            return false;
        }
        if (!real_to_double(vm, value, x)) return false;
        return format_percent_float(spec, x, out);
    }
    default: {
        char32_t c = static_cast<unsigned char>(spec.type);
        vm.raise_format(vm.types().value_error, "unsupported format character '{}' (0x{:x}) at index {}",
                        std::string(1, spec.type), static_cast<unsigned>(c), position);
        return false;
    }
    }
}

}  // namespace

Value str_percent_format(VM& vm, String* format, Value values) {
    // A tuple supplies one value per conversion; a mapping (not a str or tuple) supplies
    // values by key; anything else is the single value.
    std::vector<Value> items;
    Value mapping;
    if (auto* tuple = as_instance<Tuple>(values, vm.types().tuple)) {
        items = tuple->items;
    } else {
        items.push_back(values);
        bool is_text = as_instance<String>(values, vm.types().str) != nullptr;
        if (!is_text && values.is_object() && values.as_object()->type->getitem != nullptr) {
            mapping = values;
        }
    }
    RootVector root(vm, items);
    std::size_t next = 0;
    bool used_mapping = false;
    const std::string& templ = format->utf8;
    std::string out;
    std::size_t i = 0, n = templ.size();
    auto next_value = [&](Value& value) {
        if (next >= items.size()) {
            vm.raise(vm.types().type_error, "not enough arguments for format string");
            return false;
        }
        value = items[next++];
        return true;
    };
    while (i < n) {
        if (templ[i] != '%') {
            std::size_t j = templ.find('%', i);
            if (j == std::string::npos) j = n;
            out.append(templ, i, j - i);
            i = j;
            continue;
        }
        std::size_t start = i++;
        if (i >= n) return vm.raise(vm.types().value_error, "incomplete format");
        PercentSpec spec;
        Value value;
        bool have_value = false;
        if (templ[i] == '(') {
            if (mapping.is_null()) return vm.raise(vm.types().type_error, "format requires a mapping");
            int depth = 1;
            std::size_t key_start = ++i;
            while (i < n && depth > 0) {
                if (templ[i] == '(') ++depth;
                else if (templ[i] == ')') --depth;
                ++i;
            }
            if (depth > 0) return vm.raise(vm.types().value_error, "incomplete format key");
            Root key(vm, string_value(vm, std::string_view(templ).substr(key_start, i - 1 - key_start)));
            value = ops::getitem(vm, mapping, key.get());
            if (value.is_null()) return Value::null();
            have_value = true;
            used_mapping = true;
        }
        for (; i < n; ++i) {
            char f = templ[i];
            if (f == '-') spec.left = true;
            else if (f == '+') spec.plus = true;
            else if (f == ' ') spec.space = true;
            else if (f == '#') spec.alternate = true;
            else if (f == '0') spec.zero = true;
            else break;
        }
        // Width and precision: digits, or '*' to take them from the values.
        auto read_number = [&](std::int64_t& target) -> bool {
            if (i < n && templ[i] == '*') {
                ++i;
                Value v;
                if (!next_value(v)) return false;
                if (!is_int(vm, v)) {
                    vm.raise(vm.types().type_error, "* wants int");
                    return false;
                }
                if (!int_to_int64(vm, v, target)) return false;
                return true;
            }
            if (i < n && templ[i] >= '0' && templ[i] <= '9') {
                target = 0;
                while (i < n && templ[i] >= '0' && templ[i] <= '9') target = std::min<std::int64_t>(target * 10 + (templ[i++] - '0'), 1 << 30);
            }
            return true;
        };
        if (!read_number(spec.width)) return Value::null();
        if (spec.width < -1) {
            spec.left = true;
            spec.width = -spec.width;
        }
        if (i < n && templ[i] == '.') {
            ++i;
            spec.precision = 0;
            if (!read_number(spec.precision)) return Value::null();
        }
        // Length modifiers (h, l, L) are accepted and ignored, as in CPython.
        while (i < n && (templ[i] == 'h' || templ[i] == 'l' || templ[i] == 'L')) ++i;
        if (i >= n) return vm.raise(vm.types().value_error, "incomplete format");
        spec.type = templ[i++];
        // "%%" is a literal percent sign; a '%' after options is an unknown conversion,
        // reported (as CPython does) only once its argument has been taken.
        if (spec.type == '%' && i - start == 2) {
            out += '%';
            continue;
        }
        if (static_cast<unsigned char>(spec.type) >= 0x80) {
            // Report the whole code point, as CPython does.
            std::size_t pos = i - 1;
            char32_t c = text::decode_next(templ, pos);
            return vm.raise_format(vm.types().value_error, "unsupported format character '{}' (0x{:x}) at index {}",
                                   text::encode_utf8(c), static_cast<unsigned>(c), text::count_code_points(std::string_view(templ).substr(0, i - 1)));
        }
        if (!have_value && !next_value(value)) return Value::null();
        Root keep(vm, value);
        if (!format_percent_value(vm, spec, value, static_cast<std::size_t>(text::count_code_points(std::string_view(templ).substr(0, i - 1))), out)) {
            return Value::null();
        }
    }
    if (!used_mapping && next < items.size() && mapping.is_null()) {
        return vm.raise(vm.types().type_error, "not all arguments converted during string formatting");
    }
    return Value::from_object(new_string(vm, std::move(out)));
}

}  // namespace asy
