// The json module: dumps/dump turn Python values into JSON text exactly as CPython's encoder
// writes it (separators, indentation, ensure_ascii escapes, float reprs), and loads/load
// parse JSON into dicts, lists, strs, ints, floats, bools and None, with CPython's error
// messages ("Expecting value: line 1 column 1 (char 0)"). Hand-written rather than on a
// JSON library, because the exact output format is the point.
#include "stdlib/native/native_modules.hpp"

#include "runtime/containers/stable_sort.hpp"
#include "runtime/numeric/float_format.hpp"
#include "runtime/objects/container_types.hpp"
#include "runtime/objects/container_util.hpp"
#include "runtime/objects/dict.hpp"
#include "runtime/objects/int.hpp"
#include "runtime/objects/list.hpp"
#include "runtime/objects/module.hpp"
#include "runtime/objects/str.hpp"
#include "runtime/objects/tuple.hpp"
#include "runtime/vm.hpp"

#include <cmath>
#include <cstdlib>
#include <string>

namespace asy {

namespace {

// ---------------------------------------------------------------- encoding

// Appends `text` as a JSON string literal.
void encode_string(std::string_view text, bool ensure_ascii, std::string& out) {
    static const char hex[] = "0123456789abcdef";
    auto escape_unit = [&](std::uint32_t unit) {
        out += "\\u";
        for (int shift = 12; shift >= 0; shift -= 4) out += hex[(unit >> shift) & 0xF];
    };
    out += '"';
    for (std::size_t i = 0; i < text.size();) {
        const auto byte = static_cast<unsigned char>(text[i]);
        switch (byte) {
        case '"': out += "\\\""; ++i; continue;
        case '\\': out += "\\\\"; ++i; continue;
        case '\n': out += "\\n"; ++i; continue;
        case '\r': out += "\\r"; ++i; continue;
        case '\t': out += "\\t"; ++i; continue;
        case '\b': out += "\\b"; ++i; continue;
        case '\f': out += "\\f"; ++i; continue;
        default: break;
        }
        if (byte < 0x20 || (ensure_ascii && byte == 0x7F)) {
            escape_unit(byte);
            ++i;
            continue;
        }
        if (byte < 0x80 || !ensure_ascii) {
            out += static_cast<char>(byte);
            ++i;
            continue;
        }
        // Decode one UTF-8 sequence (the text is valid UTF-8) and escape it as \uXXXX,
        // or as a surrogate pair beyond the Basic Multilingual Plane.
        const int length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : 2;
        std::uint32_t code = byte & (length == 4 ? 0x07 : length == 3 ? 0x0F : 0x1F);
        for (int k = 1; k < length && i + k < text.size(); ++k)
            code = (code << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
        i += length;
        if (code >= 0x10000) {
            code -= 0x10000;
            escape_unit(0xD800 + (code >> 10));
            escape_unit(0xDC00 + (code & 0x3FF));
        } else {
            escape_unit(code);
        }
    }
    out += '"';
}

class Encoder {
public:
    Encoder(VM& vm) : m_vm(vm) {}

    // Options, as json.dumps's keyword arguments set them.
    bool ensure_ascii = true;
    bool allow_nan = true;
    bool sort_keys = false;
    bool skip_keys = false;
    bool check_circular = true;
    bool has_indent = false;
    std::string indent;
    std::string item_separator = ", ";
    std::string key_separator = ": ";
    // default=: called for values JSON cannot represent; null when not given.
    Value fallback;

    bool encode(Value value, std::string& out, int level) {
        VM& vm = m_vm;
        NestingGuard nesting(vm);
        if (!nesting.ok()) {
            raise_nesting_error(vm, " while encoding a JSON object");
            return false;
        }
        if (value.is_none()) {
            out += "null";
            return true;
        }
        if (value.is_bool()) {
            out += value.as_bool() ? "true" : "false";
            return true;
        }
        if (auto* s = as_instance<String>(value, vm.types().str)) {
            encode_string(s->view(), ensure_ascii, out);
            return true;
        }
        if (value.is_small_int()) {
            out += std::to_string(value.as_small_int());
            return true;
        }
        if (is_int(vm, value)) return append_repr(vm, out, value);
        if (value.is_double() || as_instance<Object>(value, vm.types().float_)) {
            return encode_float(value, out);
        }
        if (as_instance<List>(value, vm.types().list) || as_instance<Tuple>(value, vm.types().tuple))
            return encode_array(value, out, level);
        if (auto* dict = as_instance<Dict>(value, vm.types().dict)) return encode_object(dict, out, level);
        if (!fallback.is_null()) {
            if (!enter(value)) return false;
            const Value args[] = {value};
            Root replacement(vm, vm.call(fallback, args));
            if (replacement.get().is_null()) return false;
            const bool ok = encode(replacement.get(), out, level);
            leave(value);
            return ok;
        }
        vm.raise_format(vm.types().type_error, "Object of type {} is not JSON serializable", ops::type_name(vm, value));
        return false;
    }

private:
    bool encode_float(Value value, std::string& out) {
        double d = 0;
        if (value.is_double()) {
            d = value.as_double();
        } else {
            // A float subclass: float(value).
            const Value args[] = {value};
            const Value as_float = m_vm.call(Value::from_object(m_vm.types().float_), args);
            if (as_float.is_null()) return false;
            d = as_float.as_double();
        }
        if (std::isfinite(d)) {
            out += numeric::float_repr(d);
            return true;
        }
        if (!allow_nan) {
            m_vm.raise(m_vm.types().value_error, "Out of range float values are not JSON compliant");
            return false;
        }
        out += std::isnan(d) ? "NaN" : (d > 0 ? "Infinity" : "-Infinity");
        return true;
    }

    // Circular-reference detection: containers currently being encoded.
    bool enter(Value container) {
        if (!check_circular || !container.is_object()) return true;
        for (const Object* o : m_stack)
            if (o == container.as_object()) {
                m_vm.raise(m_vm.types().value_error, "Circular reference detected");
                return false;
            }
        m_stack.push_back(container.as_object());
        return true;
    }
    void leave(Value container) {
        if (check_circular && container.is_object() && !m_stack.empty()) m_stack.pop_back();
    }

    // What goes between items: the separator, then with indent a newline and the new level's indent.
    void open_level(std::string& out, int level, std::string& separator) {
        separator = item_separator;
        if (!has_indent) return;
        std::string newline_indent = "\n";
        for (int i = 0; i < level + 1; ++i) newline_indent += indent;
        separator += newline_indent;
        out += newline_indent;
    }
    void close_level(std::string& out, int level) {
        if (!has_indent) return;
        out += '\n';
        for (int i = 0; i < level; ++i) out += indent;
    }

    bool encode_array(Value value, std::string& out, int level) {
        const std::vector<Value>& items = as_instance<List>(value, m_vm.types().list)
                                              ? static_cast<List*>(value.as_object())->items
                                              : static_cast<Tuple*>(value.as_object())->items;
        if (items.empty()) {
            out += "[]";
            return true;
        }
        if (!enter(value)) return false;
        out += '[';
        std::string separator;
        open_level(out, level, separator);
        for (std::size_t i = 0; i < items.size(); ++i) {
            if (i > 0) out += separator;
            if (!encode(items[i], out, level + 1)) return false;
        }
        close_level(out, level);
        out += ']';
        leave(value);
        return true;
    }

    // A dict key as JSON text (keys must become strings), or false to skip / after raising.
    bool key_text(Value key, std::string& text, bool& skip) {
        VM& vm = m_vm;
        skip = false;
        if (auto* s = as_instance<String>(key, vm.types().str)) {
            text = s->utf8;
        } else if (key.is_double()) {
            std::string out;
            if (!encode_float(key, out)) return false;
            text = out;
        } else if (key.is_bool()) {
            text = key.as_bool() ? "true" : "false";
        } else if (key.is_none()) {
            text = "null";
        } else if (is_int(vm, key)) {
            String* repr = ops::repr(vm, key);
            if (!repr) return false;
            text = repr->utf8;
        } else if (skip_keys) {
            skip = true;
        } else {
            vm.raise_format(vm.types().type_error, "keys must be str, int, float, bool or None, not {}",
                            ops::type_name(vm, key));
            return false;
        }
        return true;
    }

    bool encode_object(Dict* dict, std::string& out, int level) {
        VM& vm = m_vm;
        if (dict->count == 0) {
            out += "{}";
            return true;
        }
        const Value self = Value::from_object(dict);
        if (!enter(self)) return false;
        // A snapshot of the pairs, sorted by key if asked (Python's sorted(d.items())).
        std::vector<Value> keys;
        std::vector<Value> values;
        RootVector keep_keys(vm, keys);
        RootVector keep_values(vm, values);
        for (const DictEntry& entry : dict->entries) {
            if (entry.key.is_null()) continue;
            keys.push_back(entry.key);
            values.push_back(entry.value);
        }
        std::vector<std::size_t> order(keys.size());
        for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
        if (sort_keys) {
            std::vector<std::size_t> scratch;
            if (!containers::stable_sort(std::span<std::size_t>(order), scratch,
                                         [&](std::size_t a, std::size_t b) { return less_verdict(vm, keys[a], keys[b]); }))
                return false;
        }
        out += '{';
        std::string separator;
        open_level(out, level, separator);
        bool first = true;
        for (std::size_t i : order) {
            std::string text;
            bool skip = false;
            if (!key_text(keys[i], text, skip)) return false;
            if (skip) continue;
            if (!first) out += separator;
            first = false;
            encode_string(text, ensure_ascii, out);
            out += key_separator;
            if (!encode(values[i], out, level + 1)) return false;
        }
        close_level(out, level);
        out += '}';
        leave(self);
        return true;
    }

    VM& m_vm;
    std::vector<const Object*> m_stack;
};

// Reads dumps()'s keyword arguments into an Encoder; false after raising.
bool configure(VM& vm, Encoder& encoder, CallArgs args) {
    bool separators_given = false;
    for (std::size_t i = 0; i < args.keyword_count(); ++i) {
        const std::string_view name = args.keyword_name(i)->view();
        const Value value = args.keyword_value(i);
        auto truth = [&](bool& into) {
            const Truth t = ops::truthy(vm, value);
            if (t == Truth::Error) return false;
            into = t == Truth::True;
            return true;
        };
        if (name == "ensure_ascii") {
            if (!truth(encoder.ensure_ascii)) return false;
        } else if (name == "allow_nan") {
            if (!truth(encoder.allow_nan)) return false;
        } else if (name == "sort_keys") {
            if (!truth(encoder.sort_keys)) return false;
        } else if (name == "skipkeys") {
            if (!truth(encoder.skip_keys)) return false;
        } else if (name == "check_circular") {
            if (!truth(encoder.check_circular)) return false;
        } else if (name == "indent") {
            if (value.is_none()) continue;
            encoder.has_indent = true;
            if (auto* s = as_instance<String>(value, vm.types().str)) {
                encoder.indent = s->utf8;
            } else {
                std::int64_t spaces = 0;
                const int status = index_value(vm, value, spaces);
                if (status < 0) return false;
                if (status == 0) {
                    vm.raise_format(vm.types().type_error, "can't multiply sequence by non-int of type '{}'",
                                    ops::type_name(vm, value));
                    return false;
                }
                encoder.indent.assign(static_cast<std::size_t>(spaces > 0 ? spaces : 0), ' ');
            }
        } else if (name == "separators") {
            if (value.is_none()) continue;
            std::vector<Value> parts;
            RootVector keep(vm, parts);
            if (!collect_items(vm, value, parts)) return false;
            auto* item = parts.size() == 2 ? as_instance<String>(parts[0], vm.types().str) : nullptr;
            auto* key = parts.size() == 2 ? as_instance<String>(parts[1], vm.types().str) : nullptr;
            if (!item || !key) {
                vm.raise(vm.types().value_error, "separators must be a (item_separator, key_separator) pair of strs");
                return false;
            }
            encoder.item_separator = item->utf8;
            encoder.key_separator = key->utf8;
            separators_given = true;
        } else if (name == "default") {
            if (!value.is_none()) encoder.fallback = value;
        } else if (name == "cls") {
            if (!value.is_none()) {
                vm.raise(vm.types().type_error, "asy's json does not support cls= yet");
                return false;
            }
        } else {
            vm.raise_format(vm.types().type_error, "dumps() got an unexpected keyword argument '{}'", name);
            return false;
        }
    }
    // With an indent, items end their lines: the default item separator loses its space.
    if (encoder.has_indent && !separators_given) encoder.item_separator = ",";
    return true;
}

Value json_dumps(VM& vm, CallArgs args) {
    if (!check_positional(vm, CallArgs(args.positional()), "dumps", 1, 1)) return Value::null();
    Encoder encoder(vm);
    if (!configure(vm, encoder, args)) return Value::null();
    Root fallback(vm, encoder.fallback);
    std::string out;
    if (!encoder.encode(args[0], out, 0)) return Value::null();
    return make_str(vm, std::move(out));
}

// dump(obj, fp, **kw): dumps(obj, **kw) written to fp.
Value json_dump(VM& vm, CallArgs args) {
    if (!check_positional(vm, CallArgs(args.positional()), "dump", 2, 2)) return Value::null();
    Encoder encoder(vm);
    if (!configure(vm, encoder, args)) return Value::null();
    Root fallback(vm, encoder.fallback);
    std::string out;
    if (!encoder.encode(args[0], out, 0)) return Value::null();
    return write_to_file(vm, args[1], out) ? Value::none() : Value::null();
}

// ---------------------------------------------------------------- decoding

class Decoder {
public:
    Decoder(VM& vm, std::string_view text, std::vector<Value>& keep) : m_vm(vm), m_text(text), m_keep(keep) {}

    // Parses the whole document: one value, surrounded by whitespace only.
    Value parse_document() {
        skip_whitespace();
        const Value value = parse_value(0);
        if (value.is_null()) return value;
        skip_whitespace();
        if (m_pos != m_text.size()) return fail("Extra data", m_pos);
        return value;
    }

private:
    // Raises JSONDecodeError("msg: line L column C (char P)"), positions in characters.
    Value fail(std::string_view message, std::size_t byte_pos) {
        std::size_t chars = 0;
        std::size_t line = 1;
        std::size_t column_start = 0;  // char index just after the last newline
        for (std::size_t i = 0; i < byte_pos && i < m_text.size(); ++i) {
            if ((static_cast<unsigned char>(m_text[i]) & 0xC0) == 0x80) continue;
            ++chars;
            if (m_text[i] == '\n') {
                ++line;
                column_start = chars;
            }
        }
        const std::size_t column = chars - column_start + 1;
        Type* type = m_vm.types().value_error;
        const Value json = dict_get_str(m_vm.modules, m_vm.intern("json"));
        if (auto* module = as_instance<Module>(json, m_vm.types().module)) {
            const Value error_type = dict_get_str(module->dict, m_vm.intern("JSONDecodeError"));
            if (error_type.is_object()) type = static_cast<Type*>(error_type.as_object());
        }
        return m_vm.raise_format(type, "{}: line {} column {} (char {})", message, line, column, chars);
    }

    void skip_whitespace() {
        while (m_pos < m_text.size() &&
               (m_text[m_pos] == ' ' || m_text[m_pos] == '\t' || m_text[m_pos] == '\n' || m_text[m_pos] == '\r'))
            ++m_pos;
    }

    bool starts_with(std::string_view word) const { return m_text.substr(m_pos, word.size()) == word; }

    Value keep(Value value) {
        if (!value.is_null()) m_keep.push_back(value);
        return value;
    }

    Value parse_value(int depth) {
        (void)depth;
        NestingGuard nesting(m_vm);
        if (!nesting.ok()) return raise_nesting_error(m_vm, " while decoding a JSON array from a unicode string");
        if (m_pos >= m_text.size()) return fail("Expecting value", m_pos);
        const char c = m_text[m_pos];
        if (c == '"') return parse_string();
        if (c == '{') return parse_object(depth);
        if (c == '[') return parse_array(depth);
        if (starts_with("null")) {
            m_pos += 4;
            return Value::none();
        }
        if (starts_with("true")) {
            m_pos += 4;
            return Value::from_bool(true);
        }
        if (starts_with("false")) {
            m_pos += 5;
            return Value::from_bool(false);
        }
        if (starts_with("NaN")) {
            m_pos += 3;
            return Value::from_double(std::nan(""));
        }
        if (starts_with("Infinity")) {
            m_pos += 8;
            return Value::from_double(HUGE_VAL);
        }
        if (starts_with("-Infinity")) {
            m_pos += 9;
            return Value::from_double(-HUGE_VAL);
        }
        if (c == '-' || (c >= '0' && c <= '9')) return parse_number();
        return fail("Expecting value", m_pos);
    }

    // -?(0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?: an int without fraction and exponent.
    Value parse_number() {
        const std::size_t start = m_pos;
        auto digit = [&](std::size_t i) { return i < m_text.size() && m_text[i] >= '0' && m_text[i] <= '9'; };
        std::size_t i = m_pos;
        if (m_text[i] == '-') ++i;
        if (!digit(i)) return fail("Expecting value", start);
        if (m_text[i] == '0') {
            ++i;
        } else {
            while (digit(i)) ++i;
        }
        bool is_float = false;
        if (i < m_text.size() && m_text[i] == '.' && digit(i + 1)) {
            is_float = true;
            ++i;
            while (digit(i)) ++i;
        }
        if (i < m_text.size() && (m_text[i] == 'e' || m_text[i] == 'E')) {
            std::size_t j = i + 1;
            if (j < m_text.size() && (m_text[j] == '+' || m_text[j] == '-')) ++j;
            if (digit(j)) {
                is_float = true;
                i = j;
                while (digit(i)) ++i;
            }
        }
        m_pos = i;
        const std::string literal(m_text.substr(start, i - start));
        if (is_float) return Value::from_double(std::strtod(literal.c_str(), nullptr));
        if (literal.size() <= 15) return int_from_int64(m_vm, std::strtoll(literal.c_str(), nullptr, 10));
        return keep(int_from_decimal(m_vm, literal));
    }

    // Appends code point `code` to `out` as UTF-8.
    static void append_utf8(std::string& out, std::uint32_t code) {
        if (code < 0x80) {
            out += static_cast<char>(code);
        } else if (code < 0x800) {
            out += static_cast<char>(0xC0 | (code >> 6));
            out += static_cast<char>(0x80 | (code & 0x3F));
        } else if (code < 0x10000) {
            out += static_cast<char>(0xE0 | (code >> 12));
            out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (code & 0x3F));
        } else {
            out += static_cast<char>(0xF0 | (code >> 18));
            out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
            out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (code & 0x3F));
        }
    }

    // Four hex digits at `at`, or -1.
    long hex4(std::size_t at) const {
        if (at + 4 > m_text.size()) return -1;
        long value = 0;
        for (std::size_t k = at; k < at + 4; ++k) {
            const char c = m_text[k];
            int d;
            if (c >= '0' && c <= '9') d = c - '0';
            else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
            else if (c >= 'A' && c <= 'F') d = c - 'A' + 10;
            else return -1;
            value = value * 16 + d;
        }
        return value;
    }

    // A string literal into `out`; false after raising.
    bool scan_string(std::string& out) {
        const std::size_t start = m_pos;  // the opening quote
        ++m_pos;
        for (;;) {
            if (m_pos >= m_text.size()) {
                fail("Unterminated string starting at", start);
                return false;
            }
            const auto c = static_cast<unsigned char>(m_text[m_pos]);
            if (c == '"') {
                ++m_pos;
                return true;
            }
            if (c < 0x20) {
                fail("Invalid control character at", m_pos);
                return false;
            }
            if (c != '\\') {
                out += static_cast<char>(c);
                ++m_pos;
                continue;
            }
            // An escape.
            if (m_pos + 1 >= m_text.size()) {
                fail("Unterminated string starting at", start);
                return false;
            }
            const char e = m_text[m_pos + 1];
            switch (e) {
            case '"': out += '"'; break;
            case '\\': out += '\\'; break;
            case '/': out += '/'; break;
            case 'b': out += '\b'; break;
            case 'f': out += '\f'; break;
            case 'n': out += '\n'; break;
            case 'r': out += '\r'; break;
            case 't': out += '\t'; break;
            case 'u': {
                long code = hex4(m_pos + 2);
                if (code < 0) {
                    fail("Invalid \\uXXXX escape", m_pos + 1);
                    return false;
                }
                m_pos += 6;
                // A high surrogate followed by an escaped low surrogate is one character.
                if (code >= 0xD800 && code <= 0xDBFF && starts_with("\\u")) {
                    const long low = hex4(m_pos + 2);
                    if (low >= 0xDC00 && low <= 0xDFFF) {
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
                        m_pos += 6;
                    }
                }
                // asy strings are valid UTF-8: a lone surrogate becomes U+FFFD.
                if (code >= 0xD800 && code <= 0xDFFF) code = 0xFFFD;
                append_utf8(out, static_cast<std::uint32_t>(code));
                continue;
            }
            default:
                fail("Invalid \\escape", m_pos);
                return false;
            }
            m_pos += 2;
        }
    }

    Value parse_string() {
        std::string text;
        if (!scan_string(text)) return Value::null();
        return keep(make_str(m_vm, std::move(text)));
    }

    Value parse_array(int depth) {
        ++m_pos;  // [
        Root list(m_vm, new_list(m_vm));
        keep(list.get());
        skip_whitespace();
        if (m_pos < m_text.size() && m_text[m_pos] == ']') {
            ++m_pos;
            return list.get();
        }
        for (;;) {
            skip_whitespace();
            const Value item = parse_value(depth + 1);
            if (item.is_null()) return item;
            list.as<List>()->items.push_back(item);
            skip_whitespace();
            if (m_pos < m_text.size() && m_text[m_pos] == ']') {
                ++m_pos;
                return list.get();
            }
            if (m_pos >= m_text.size() || m_text[m_pos] != ',') return fail("Expecting ',' delimiter", m_pos);
            ++m_pos;
        }
    }

    Value parse_object(int depth) {
        ++m_pos;  // {
        Root dict(m_vm, new_dict(m_vm));
        keep(dict.get());
        skip_whitespace();
        if (m_pos < m_text.size() && m_text[m_pos] == '}') {
            ++m_pos;
            return dict.get();
        }
        for (;;) {
            skip_whitespace();
            if (m_pos >= m_text.size() || m_text[m_pos] != '"')
                return fail("Expecting property name enclosed in double quotes", m_pos);
            const Value key = parse_string();
            if (key.is_null()) return key;
            skip_whitespace();
            if (m_pos >= m_text.size() || m_text[m_pos] != ':') return fail("Expecting ':' delimiter", m_pos);
            ++m_pos;
            skip_whitespace();
            const Value value = parse_value(depth + 1);
            if (value.is_null()) return value;
            if (!dict_set(m_vm, dict.as<Dict>(), key, value)) return Value::null();
            skip_whitespace();
            if (m_pos < m_text.size() && m_text[m_pos] == '}') {
                ++m_pos;
                return dict.get();
            }
            if (m_pos >= m_text.size() || m_text[m_pos] != ',') return fail("Expecting ',' delimiter", m_pos);
            ++m_pos;
        }
    }

    VM& m_vm;
    std::string_view m_text;
    // Every object made so far, rooted until the parse ends.
    std::vector<Value>& m_keep;
    // Byte position of the next character.
    std::size_t m_pos = 0;
};

Value decode(VM& vm, Value document) {
    auto* text = as_instance<String>(document, vm.types().str);
    if (!text)
        return vm.raise_format(vm.types().type_error, "the JSON object must be str, bytes or bytearray, not {}",
                               ops::type_name(vm, document));
    Root keep_text(vm, document);
    std::vector<Value> keep;
    RootVector keep_root(vm, keep);
    Decoder decoder(vm, text->view(), keep);
    return decoder.parse_document();
}

Value json_loads(VM& vm, CallArgs args) {
    if (!check_positional(vm, CallArgs(args.positional()), "loads", 1, 1)) return Value::null();
    return decode(vm, args[0]);
}

// load(fp): loads(fp.read()).
Value json_load(VM& vm, CallArgs args) {
    if (!check_positional(vm, CallArgs(args.positional()), "load", 1, 1)) return Value::null();
    Root text(vm, vm.call_method(args[0], vm.intern("read"), {}));
    if (text.get().is_null()) return Value::null();
    return decode(vm, text.get());
}

}  // namespace

bool init_json_module(VM& vm, Module* module) {
    Root module_root(vm, module);
    define_function(vm, module, "dumps", json_dumps);
    define_function(vm, module, "dump", json_dump);
    define_function(vm, module, "loads", json_loads);
    define_function(vm, module, "load", json_load);
    // JSONDecodeError is a ValueError, so `except ValueError` catches bad JSON too.
    Type* error = make_builtin_type(vm, "JSONDecodeError", vm.types().value_error,
                                    TypeFlagBaseType | TypeFlagException);
    error->module = module->name;
    dict_set_str(vm, module->dict, error->name, Value::from_object(error));
    return true;
}

}  // namespace asy
