// bytes and bytearray: sequences of small ints (0..255) kept in a std::string. Both share
// the Bytes struct (objects/bytes.hpp); a bytearray is a Bytes whose type is bytearray and
// whose data may change. Searching, splitting and stripping reuse text/str_algorithms with
// byte indices and ASCII whitespace.
#include "runtime/objects/bytes.hpp"

#include "runtime/objects/container_util.hpp"
#include "runtime/objects/list.hpp"
#include "runtime/objects/numbers.hpp"
#include "runtime/objects/slice.hpp"
#include "runtime/objects/str.hpp"
#include "runtime/objects/str_format.hpp"
#include "runtime/objects/tuple.hpp"
#include "runtime/ops.hpp"
#include "runtime/text/str_algorithms.hpp"
#include "runtime/vm.hpp"

#include <algorithm>
#include <cstdio>

namespace asy {

namespace {

// bytes larger than this are a MemoryError rather than an allocation failure.
constexpr std::uint64_t max_bytes_size = std::uint64_t{1} << 32;

// bytes_iterator: walks a bytes or bytearray, yielding ints.
struct BytesIterator : Object {
    // The Bytes; null once exhausted.
    Value bytes;
    std::size_t position = 0;
};

bool is_bytearray(VM& vm, Value value) {
    return value.is_object() && is_subtype(value.as_object()->type, vm.types().bytearray);
}

// The Bytes struct of a bytes or bytearray value, or nullptr.
Bytes* as_bytes_like(VM& vm, Value value) {
    if (!value.is_object()) return nullptr;
    Type* type = value.as_object()->type;
    if (is_subtype(type, vm.types().bytes) || is_subtype(type, vm.types().bytearray)) return static_cast<Bytes*>(value.as_object());
    return nullptr;
}

Bytes* new_bytes_of_type(VM& vm, Type* type, std::string data) {
    if (data.size() > 4096) vm.heap().note_external_bytes(static_cast<std::ptrdiff_t>(data.size()));
    return vm.heap().allocate<Bytes>(type, std::move(data));
}

// A result of the same kind as `self`: bytes methods return bytes, bytearray's bytearrays.
Value same_kind(VM& vm, Value self, std::string data) {
    Type* type = is_bytearray(vm, self) ? vm.types().bytearray : vm.types().bytes;
    return Value::from_object(new_bytes_of_type(vm, type, std::move(data)));
}

text::Text text_of(const Bytes* b) { return text::bytes_text(b->data); }

// b'...' with CPython's quoting: ' unless the data has ' and no ".
std::string bytes_literal(std::string_view data) {
    bool has_single = data.find('\'') != std::string_view::npos;
    bool has_double = data.find('"') != std::string_view::npos;
    char quote = has_single && !has_double ? '"' : '\'';
    std::string out = "b";
    out += quote;
    for (unsigned char c : data) {
        if (c == static_cast<unsigned char>(quote) || c == '\\') {
            out += '\\';
            out += static_cast<char>(c);
        } else if (c == '\t') {
            out += "\\t";
        } else if (c == '\n') {
            out += "\\n";
        } else if (c == '\r') {
            out += "\\r";
        } else if (c < 0x20 || c >= 0x7F) {
            char buffer[8];
            std::snprintf(buffer, sizeof buffer, "\\x%02x", static_cast<unsigned>(c));
            out += buffer;
        } else {
            out += static_cast<char>(c);
        }
    }
    out += quote;
    return out;
}

// The bytes a "bytes-like" argument holds (bytes or bytearray), or nullptr after raising
// "a bytes-like object is required, not 'str'".
const std::string* buffer_argument(VM& vm, Value value) {
    if (Bytes* b = as_bytes_like(vm, value)) return &b->data;
    vm.raise_format(vm.types().type_error, "a bytes-like object is required, not '{}'", ops::type_name(vm, value));
    return nullptr;
}

// A search argument: bytes-like, or an int naming one byte.
bool needle_argument(VM& vm, Value value, std::string& out) {
    if (Bytes* b = as_bytes_like(vm, value)) {
        out = b->data;
        return true;
    }
    if (is_int(vm, value)) {
        std::int64_t byte = 0;
        if (!int_fits_int64(value, byte) || byte < 0 || byte > 255) {
            vm.raise(vm.types().value_error, "byte must be in range(0, 256)");
            return false;
        }
        out = std::string(1, static_cast<char>(byte));
        return true;
    }
    vm.raise_format(vm.types().type_error, "argument should be integer or bytes-like object, not '{}'",
                    ops::type_name(vm, value));
    return false;
}

// One byte value from an int ("an integer is required" / "byte must be in range(0, 256)").
bool byte_value(VM& vm, Value value, char& out) {
    std::int64_t byte = 0;
    int status = index_value(vm, value, byte);
    if (status == 0) {
        vm.raise_format(vm.types().type_error, "'{}' object cannot be interpreted as an integer", ops::type_name(vm, value));
        return false;
    }
    if (status < 0) return false;
    if (byte < 0 || byte > 255) {
        vm.raise(vm.types().value_error, "byte must be in range(0, 256)");
        return false;
    }
    out = static_cast<char>(byte);
    return true;
}

// The contents for bytes(x) / bytearray(x): an int (that many zeros), bytes-like, or an
// iterable of ints.
bool contents_of(VM& vm, Value source, std::string_view type_name, std::string& out) {
    if (Bytes* b = as_bytes_like(vm, source)) {
        out = b->data;
        return true;
    }
    if (as_instance<String>(source, vm.types().str)) {
        vm.raise(vm.types().type_error, "string argument without an encoding");
        return false;
    }
    if (is_int(vm, source)) {
        std::int64_t count = 0;
        if (!int_to_int64(vm, source, count)) return false;
        if (count < 0) {
            vm.raise(vm.types().value_error, "negative count");
            return false;
        }
        if (static_cast<std::uint64_t>(count) > max_bytes_size) {
            vm.raise(vm.types().memory_error);
            return false;
        }
        out.assign(static_cast<std::size_t>(count), '\0');
        return true;
    }
    Root iterator(vm, ops::iter(vm, source));
    if (iterator.get().is_null()) {
        if (!vm.exception_matches(vm.types().type_error)) return false;
        vm.clear_exception();
        vm.raise_format(vm.types().type_error, "cannot convert '{}' object to {}", ops::type_name(vm, source), type_name);
        return false;
    }
    return for_each_item(vm, iterator.get(), [&](Value item) {
        std::int64_t byte = 0;
        int status = index_value(vm, item, byte);
        if (status == 0) {
            vm.raise_format(vm.types().type_error, "'{}' object cannot be interpreted as an integer", ops::type_name(vm, item));
            return false;
        }
        if (status < 0) return false;
        if (byte < 0 || byte > 255) {
            vm.raise(vm.types().value_error, "bytes must be in range(0, 256)");
            return false;
        }
        out += static_cast<char>(byte);
        return true;
    });
}

// ---------------------------------------------------------------------------------------
// Slots

String* bytes_repr(VM& vm, Value self) {
    auto* b = static_cast<Bytes*>(self.as_object());
    if (is_bytearray(vm, self)) return new_string(vm, "bytearray(" + bytes_literal(b->data) + ")");
    return new_string(vm, bytes_literal(b->data));
}

bool bytes_hash(VM& vm, Value self, std::int64_t& out) {
    if (is_bytearray(vm, self)) {
        vm.raise_error(Error::unhashable, ops::type_name(vm, self));
        return false;
    }
    auto* b = static_cast<Bytes*>(self.as_object());
    if (b->hash == -1) {
        // FNV-1a, as str uses: any hash consistent with equality will do.
        std::uint64_t h = 14695981039346656037ull;
        for (unsigned char byte : b->data) {
            h ^= byte;
            h *= 1099511628211ull;
        }
        b->hash = static_cast<std::int64_t>(h >> 1);
    }
    out = b->hash;
    return true;
}

Value bytes_compare(VM& vm, Value self, Value other, CompareOp op) {
    Bytes* a = static_cast<Bytes*>(self.as_object());
    Bytes* b = as_bytes_like(vm, other);
    if (!b) return vm.not_implemented();
    int c = a->data.compare(b->data);
    switch (op) {
    case CompareOp::Lt: return Value::from_bool(c < 0);
    case CompareOp::Le: return Value::from_bool(c <= 0);
    case CompareOp::Eq: return Value::from_bool(c == 0);
    case CompareOp::Ne: return Value::from_bool(c != 0);
    case CompareOp::Gt: return Value::from_bool(c > 0);
    case CompareOp::Ge: return Value::from_bool(c >= 0);
    }
    return vm.not_implemented();
}

Value bytes_repeat(VM& vm, Value self, Value count_value) {
    auto* b = static_cast<Bytes*>(self.as_object());
    std::int64_t count = 0;
    if (!is_int(vm, count_value)) {
        const int status = index_value(vm, count_value, count);  // b"x" * obj_with___index__
        if (status < 0) return Value::null();
        if (status == 0) {
            return vm.raise_format(vm.types().type_error, "can't multiply sequence by non-int of type '{}'",
                                   ops::type_name(vm, count_value));
        }
    } else if (!int_fits_int64(count_value, count)) {
        count = int_to_big(count_value).sign() < 0 ? 0 : INT64_MAX;
    }
    if (count <= 0 || b->data.empty()) return same_kind(vm, self, "");
    if (static_cast<std::uint64_t>(count) > max_bytes_size / b->data.size()) return vm.raise(vm.types().memory_error);
    std::string out;
    out.reserve(b->data.size() * static_cast<std::size_t>(count));
    for (std::int64_t i = 0; i < count; ++i) out += b->data;
    return same_kind(vm, self, std::move(out));
}

std::string latin1_to_utf8(std::string_view data) {
    std::string out;
    out.reserve(data.size());
    for (unsigned char c : data) {
        if (c < 0x80) {
            out += static_cast<char>(c);
        } else {
            out += static_cast<char>(0xC0 | (c >> 6));
            out += static_cast<char>(0x80 | (c & 0x3F));
        }
    }
    return out;
}

// b"..." % values: formatted as str % values over the Latin-1 reading of the bytes (each
// bytes argument read the same way), then encoded back. Close to CPython for %d %s %x %f
// %c and friends with int, float and bytes arguments.
Value bytes_percent_format(VM& vm, Value self, Value values) {
    auto* format = static_cast<Bytes*>(self.as_object());
    auto latin1 = [&](Value v) -> Value {
        Bytes* b = as_bytes_like(vm, v);
        return b ? string_value(vm, latin1_to_utf8(b->data)) : v;
    };
    Value converted = values;
    if (values.is_object() && values.as_object()->type == vm.types().tuple) {
        std::vector<Value> items(static_cast<Tuple*>(values.as_object())->items);
        RootVector rooted(vm, items);
        for (Value& item : items) item = latin1(item);
        converted = Value::from_object(new_tuple(vm, std::span<const Value>(items)));
    } else {
        converted = latin1(values);
    }
    Root rooted_values(vm, converted);
    Root text(vm, new_string(vm, latin1_to_utf8(format->data)));
    Value result = str_percent_format(vm, static_cast<String*>(text.get().as_object()), converted);
    if (result.is_null()) return result;
    std::string_view utf8 = static_cast<String*>(result.as_object())->view();
    std::string out;
    out.reserve(utf8.size());
    for (std::size_t i = 0; i < utf8.size(); ++i) {
        auto c = static_cast<unsigned char>(utf8[i]);
        if (c < 0x80) {
            out += static_cast<char>(c);
        } else if ((c & 0xE0) == 0xC0 && i + 1 < utf8.size() && c <= 0xC3) {
            out += static_cast<char>(((c & 0x1F) << 6) | (static_cast<unsigned char>(utf8[i + 1]) & 0x3F));
            ++i;
        } else {
            return vm.raise(vm.types().value_error, "bytes formatting produced a character outside range(256)");
        }
    }
    return same_kind(vm, self, std::move(out));
}

Value bytes_binary(VM& vm, BinaryOp op, Value left, Value right) {
    auto n = static_cast<int>(op);
    if (n >= inplace_offset) op = static_cast<BinaryOp>(n - inplace_offset);
    Bytes* a = as_bytes_like(vm, left);
    Bytes* b = as_bytes_like(vm, right);
    if (op == BinaryOp::Add) {
        if (!a) return vm.not_implemented();
        if (!b) {
            return vm.raise_format(vm.types().type_error, "can't concat {} to {}", ops::type_name(vm, right),
                                   ops::type_name(vm, left));
        }
        return same_kind(vm, left, a->data + b->data);
    }
    if (op == BinaryOp::Multiply) {
        if (a && !b) return bytes_repeat(vm, left, right);
        if (b && !a) return bytes_repeat(vm, right, left);
    }
    if (op == BinaryOp::Remainder && a) return bytes_percent_format(vm, left, right);
    return vm.not_implemented();
}

// bytearray += bytes-like extends in place; everything else falls back to the binary slot.
Value bytearray_inplace(VM& vm, BinaryOp op, Value left, Value right) {
    Bytes* b = as_bytes_like(vm, right);
    if (op != BinaryOp::Add || !b || !is_bytearray(vm, left)) return vm.not_implemented();
    static_cast<Bytes*>(left.as_object())->data += b->data;
    return left;
}

std::int64_t bytes_length(VM&, Value self) { return static_cast<std::int64_t>(static_cast<Bytes*>(self.as_object())->data.size()); }

int bytes_bool(VM&, Value self) { return !static_cast<Bytes*>(self.as_object())->data.empty(); }

Value bytes_getitem(VM& vm, Value self, Value key) {
    auto* b = static_cast<Bytes*>(self.as_object());
    auto length = static_cast<std::int64_t>(b->data.size());
    if (auto* slice = as_exact<Slice>(key, vm.types().slice)) {
        containers::SliceIndices indices{};
        if (!resolve_slice(vm, slice, length, indices)) return Value::null();
        std::string out;
        out.reserve(static_cast<std::size_t>(indices.length));
        for (std::int64_t i = 0, index = indices.start; i < indices.length; ++i, index += indices.step) {
            out += b->data[static_cast<std::size_t>(index)];
        }
        return same_kind(vm, self, std::move(out));
    }
    std::int64_t index = 0;
    int status = index_value(vm, key, index);
    if (status == 0) {
        return vm.raise_format(vm.types().type_error, "byte indices must be integers or slices, not {}", ops::type_name(vm, key));
    }
    if (status < 0) return Value::null();
    std::int64_t position = wrap_index(index, length);
    if (position < 0) {
        return vm.raise(vm.types().index_error, is_bytearray(vm, self) ? "bytearray index out of range" : "index out of range");
    }
    return Value::from_small_int(static_cast<unsigned char>(b->data[static_cast<std::size_t>(position)]));
}

bool bytearray_setitem(VM& vm, Value self, Value key, Value value) {
    auto* b = static_cast<Bytes*>(self.as_object());
    auto length = static_cast<std::int64_t>(b->data.size());
    if (auto* slice = as_exact<Slice>(key, vm.types().slice)) {
        containers::SliceIndices indices{};
        if (!resolve_slice(vm, slice, length, indices)) return false;
        std::string replacement;
        if (!value.is_null() && !contents_of(vm, value, "bytearray", replacement)) return false;
        if (indices.step == 1) {
            auto start = static_cast<std::size_t>(indices.start);
            b->data.replace(start, static_cast<std::size_t>(indices.length), replacement);
            return true;
        }
        if (value.is_null()) {
            // Delete the selected bytes, from the highest index down.
            std::vector<std::int64_t> positions;
            for (std::int64_t i = 0, index = indices.start; i < indices.length; ++i, index += indices.step) positions.push_back(index);
            std::sort(positions.rbegin(), positions.rend());
            for (std::int64_t p : positions) b->data.erase(static_cast<std::size_t>(p), 1);
            return true;
        }
        if (static_cast<std::int64_t>(replacement.size()) != indices.length) {
            vm.raise_format(vm.types().value_error, "attempt to assign bytes of size {} to extended slice of size {}",
                            replacement.size(), indices.length);
            return false;
        }
        for (std::int64_t i = 0, index = indices.start; i < indices.length; ++i, index += indices.step) {
            b->data[static_cast<std::size_t>(index)] = replacement[static_cast<std::size_t>(i)];
        }
        return true;
    }
    std::int64_t index = 0;
    int status = index_value(vm, key, index);
    if (status == 0) {
        vm.raise_format(vm.types().type_error, "bytearray indices must be integers or slices, not {}", ops::type_name(vm, key));
        return false;
    }
    if (status < 0) return false;
    std::int64_t position = wrap_index(index, length);
    if (position < 0) {
        vm.raise(vm.types().index_error, value.is_null() ? "bytearray index out of range" : "bytearray index out of range");
        return false;
    }
    if (value.is_null()) {
        b->data.erase(static_cast<std::size_t>(position), 1);
        return true;
    }
    char byte = 0;
    if (!byte_value(vm, value, byte)) return false;
    b->data[static_cast<std::size_t>(position)] = byte;
    return true;
}

int bytes_contains(VM& vm, Value self, Value item) {
    std::string needle;
    if (!needle_argument(vm, item, needle)) return -1;
    return static_cast<Bytes*>(self.as_object())->data.find(needle) != std::string::npos;
}

Value bytes_iter(VM& vm, Value self) {
    auto* iterator = vm.heap().allocate<BytesIterator>(vm.types().bytes_iterator);
    iterator->bytes = self;
    return Value::from_object(iterator);
}

Value bytes_iterator_next(VM&, Value self) {
    auto* iterator = static_cast<BytesIterator*>(self.as_object());
    if (iterator->bytes.is_null()) return Value::null();
    const std::string& data = static_cast<Bytes*>(iterator->bytes.as_object())->data;
    if (iterator->position >= data.size()) {
        iterator->bytes = Value::null();
        return Value::null();
    }
    return Value::from_small_int(static_cast<unsigned char>(data[iterator->position++]));
}

Value iterator_self(VM&, Value self) { return self; }

void bytes_iterator_trace(Object* self, Tracer& tracer) { tracer.mark(static_cast<BytesIterator*>(self)->bytes); }

// ---------------------------------------------------------------------------------------
// bytes(...) and bytearray(...)

template <bool mutable_kind>
Value bytes_construct(VM& vm, Value, CallArgs args) {
    constexpr const char* name = mutable_kind ? "bytearray" : "bytes";
    static const Signature signature{name, {"source", "encoding", "errors"}, 0, 0};
    Value bound[3];
    if (!bind_arguments(vm, args, signature, bound)) return Value::null();
    Type* type = mutable_kind ? vm.types().bytearray : vm.types().bytes;
    std::string data;
    if (!bound[1].is_null() || !bound[2].is_null()) {
        auto* s = as_instance<String>(bound[0], vm.types().str);
        if (!s) {
            return vm.raise(vm.types().type_error, bound[1].is_null() ? "errors without a string argument"
                                                                      : "encoding without a string argument");
        }
        Value encoded = vm.call_method(bound[0], vm.intern("encode"),
                                       std::span<const Value>(bound + 1, bound[2].is_null() ? 1 : 2));
        if (encoded.is_null()) return encoded;
        data = static_cast<Bytes*>(encoded.as_object())->data;
    } else if (!bound[0].is_null()) {
        if (!mutable_kind && as_instance<Bytes>(bound[0], vm.types().bytes) && bound[0].as_object()->type == vm.types().bytes) {
            return bound[0];
        }
        if (!contents_of(vm, bound[0], name, data)) return Value::null();
    }
    return Value::from_object(new_bytes_of_type(vm, type, std::move(data)));
}

// ---------------------------------------------------------------------------------------
// Methods

Bytes* self_bytes(VM& vm, CallArgs args, std::string_view name) {
    if (args.positional_count() >= 1) {
        if (Bytes* b = as_bytes_like(vm, args[0])) return b;
    }
    return method_self<Bytes>(vm, args, vm.types().bytes, name);
}

Bytes* self_bytearray(VM& vm, CallArgs args, std::string_view name) {
    return method_self<Bytes>(vm, args, vm.types().bytearray, name);
}

bool read_range(VM& vm, CallArgs args, std::size_t first, std::int64_t length, text::IndexRange& out) {
    std::optional<std::int64_t> bounds[2];
    for (std::size_t i = 0; i < 2; ++i) {
        std::size_t position = first + i;
        if (position >= args.positional_count() || args[position].is_none()) continue;
        std::int64_t value = 0;
        int status = clamped_index_value(vm, args[position], value);
        if (status == 0) {
            vm.raise(vm.types().type_error, "slice indices must be integers or None or have an __index__ method");
            return false;
        }
        if (status < 0) return false;
        bounds[i] = value;
    }
    out = text::adjust_indices(bounds[0], bounds[1], length);
    return true;
}

Value bytes_list(VM& vm, Value self, const std::vector<std::string>& pieces) {
    std::vector<Value> items;
    items.reserve(pieces.size());
    RootVector root(vm, items);
    for (const std::string& piece : pieces) items.push_back(same_kind(vm, self, piece));
    return Value::from_object(new_list(vm, std::move(items)));
}

Value bytes_decode(VM& vm, CallArgs args) {
    Bytes* b = self_bytes(vm, args, "decode");
    if (!b) return Value::null();
    static const Signature signature{"decode", {"encoding", "errors"}, 0, 0};
    Value bound[2];
    if (!bind_arguments(vm, args.without_self(), signature, bound)) return Value::null();
    std::string encoding = "utf-8", errors = "strict";
    for (int i = 0; i < 2; ++i) {
        if (bound[i].is_null()) continue;
        auto* s = as_instance<String>(bound[i], vm.types().str);
        if (!s) {
            return vm.raise_format(vm.types().type_error, "decode() argument '{}' must be str, not {}",
                                   i == 0 ? "encoding" : "errors", ops::type_name(vm, bound[i]));
        }
        (i == 0 ? encoding : errors) = s->utf8;
    }
    return decode_bytes(vm, b->data, encoding, errors);
}

Value bytes_hex(VM& vm, CallArgs args) {
    Bytes* b = self_bytes(vm, args, "hex");
    if (!b) return Value::null();
    std::string separator;
    if (args.positional_count() > 1) {
        auto* s = as_instance<String>(args[1], vm.types().str);
        if (!s || s->length != 1) return vm.raise(vm.types().value_error, "sep must be length 1.");
        separator = s->utf8;
    }
    static const char digits[] = "0123456789abcdef";
    std::string out;
    for (std::size_t i = 0; i < b->data.size(); ++i) {
        if (i > 0) out += separator;
        auto byte = static_cast<unsigned char>(b->data[i]);
        out += digits[byte >> 4];
        out += digits[byte & 15];
    }
    return string_value(vm, out);
}

Value bytes_fromhex(VM& vm, CallArgs args) {
    // A class method: args[0] is the class.
    if (!check_positional(vm, args.without_self(), "fromhex", 1, 1)) return Value::null();
    auto* s = as_instance<String>(args[1], vm.types().str);
    if (!s) return vm.raise_format(vm.types().type_error, "fromhex() argument must be str, not {}", ops::type_name(vm, args[1]));
    std::string out;
    const std::string& text_value = s->utf8;
    auto hex = [](char c) { return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1; };
    for (std::size_t i = 0; i < text_value.size();) {
        if (text_value[i] == ' ') {
            ++i;
            continue;
        }
        int high = hex(text_value[i]);
        int low = i + 1 < text_value.size() ? hex(text_value[i + 1]) : -1;
        if (high < 0 || low < 0) {
            std::size_t position = high < 0 ? i : i + 1;
            return vm.raise_format(vm.types().value_error, "non-hexadecimal number found in fromhex() arg at position {}", position);
        }
        out += static_cast<char>(high * 16 + low);
        i += 2;
    }
    Type* type = args[0].is_object() && args[0].as_object() == vm.types().bytearray ? vm.types().bytearray : vm.types().bytes;
    return Value::from_object(new_bytes_of_type(vm, type, std::move(out)));
}

Value bytes_join(VM& vm, CallArgs args) {
    Bytes* b = self_bytes(vm, args, "join");
    if (!b || !check_positional(vm, args.without_self(), "join", 1, 1)) return Value::null();
    std::string out;
    std::size_t index = 0;
    bool ok = for_each_item(vm, args[1], [&](Value item) {
        Bytes* part = as_bytes_like(vm, item);
        if (!part) {
            vm.raise_format(vm.types().type_error, "sequence item {}: expected a bytes-like object, {} found", index,
                            ops::type_name(vm, item));
            return false;
        }
        if (index++ > 0) out += b->data;
        out += part->data;
        return true;
    });
    if (!ok) return Value::null();
    return same_kind(vm, args[0], std::move(out));
}

template <bool from_right>
Value bytes_split(VM& vm, CallArgs args) {
    constexpr const char* name = from_right ? "rsplit" : "split";
    Bytes* b = self_bytes(vm, args, name);
    if (!b) return Value::null();
    const Signature signature{name, {"sep", "maxsplit"}, 0, 0};
    Value bound[2];
    if (!bind_arguments(vm, args.without_self(), signature, bound)) return Value::null();
    std::int64_t maxsplit = -1;
    if (!bound[1].is_null() && !int_to_int64(vm, bound[1], maxsplit)) return Value::null();
    text::Text t = text_of(b);
    if (bound[0].is_null() || bound[0].is_none()) {
        return bytes_list(vm, args[0], from_right ? text::rsplit_whitespace(t, maxsplit) : text::split_whitespace(t, maxsplit));
    }
    const std::string* separator = buffer_argument(vm, bound[0]);
    if (!separator) return Value::null();
    if (separator->empty()) return vm.raise(vm.types().value_error, "empty separator");
    return bytes_list(vm, args[0], from_right ? text::rsplit(t, *separator, maxsplit) : text::split(t, *separator, maxsplit));
}

Value bytes_splitlines(VM& vm, CallArgs args) {
    Bytes* b = self_bytes(vm, args, "splitlines");
    if (!b) return Value::null();
    bool keepends = false;
    if (args.positional_count() > 1) {
        Truth t = ops::truthy(vm, args[1]);
        if (t == Truth::Error) return Value::null();
        keepends = t == Truth::True;
    }
    return bytes_list(vm, args[0], text::splitlines(text_of(b), keepends));
}

template <text::StripSide side>
Value bytes_strip(VM& vm, CallArgs args) {
    Bytes* b = self_bytes(vm, args, "strip");
    if (!b || !check_positional(vm, args.without_self(), "strip", 0, 1)) return Value::null();
    std::optional<std::string_view> chars;
    if (args.positional_count() > 1 && !args[1].is_none()) {
        const std::string* c = buffer_argument(vm, args[1]);
        if (!c) return Value::null();
        chars = *c;
    }
    return same_kind(vm, args[0], text::strip(text_of(b), chars, side));
}

enum class SearchKind { Find, RFind, Index, RIndex, Count };

template <SearchKind kind>
Value bytes_search(VM& vm, CallArgs args) {
    Bytes* b = self_bytes(vm, args, "find");
    if (!b || !check_positional(vm, args.without_self(), "find", 1, 3)) return Value::null();
    std::string needle;
    if (!needle_argument(vm, args[1], needle)) return Value::null();
    text::IndexRange range{};
    if (!read_range(vm, args, 2, static_cast<std::int64_t>(b->data.size()), range)) return Value::null();
    text::Text t = text_of(b);
    if constexpr (kind == SearchKind::Count) return int_from_int64(vm, text::count(t, needle, range));
    std::int64_t found = (kind == SearchKind::Find || kind == SearchKind::Index) ? text::find(t, needle, range)
                                                                                 : text::rfind(t, needle, range);
    if ((kind == SearchKind::Index || kind == SearchKind::RIndex) && found < 0) {
        return vm.raise(vm.types().value_error, "subsection not found");
    }
    return int_from_int64(vm, found);
}

template <bool starts>
Value bytes_starts_ends(VM& vm, CallArgs args) {
    constexpr const char* name = starts ? "startswith" : "endswith";
    Bytes* b = self_bytes(vm, args, name);
    if (!b || !check_positional(vm, args.without_self(), name, 1, 3)) return Value::null();
    text::IndexRange range{};
    if (!read_range(vm, args, 2, static_cast<std::int64_t>(b->data.size()), range)) return Value::null();
    text::Text t = text_of(b);
    auto test = [&](const std::string& affix) {
        return starts ? text::starts_with(t, affix, range) : text::ends_with(t, affix, range);
    };
    if (Bytes* affix = as_bytes_like(vm, args[1])) return Value::from_bool(test(affix->data));
    if (auto* tuple = as_instance<Tuple>(args[1], vm.types().tuple)) {
        for (Value item : tuple->items) {
            const std::string* affix = buffer_argument(vm, item);
            if (!affix) return Value::null();
            if (test(*affix)) return Value::from_bool(true);
        }
        return Value::from_bool(false);
    }
    return vm.raise_format(vm.types().type_error, "{} first arg must be bytes or a tuple of bytes, not {}", name,
                           ops::type_name(vm, args[1]));
}

Value bytes_replace(VM& vm, CallArgs args) {
    Bytes* b = self_bytes(vm, args, "replace");
    if (!b || !check_positional(vm, args.without_self(), "replace", 2, 3)) return Value::null();
    const std::string* old = buffer_argument(vm, args[1]);
    if (!old) return Value::null();
    const std::string* replacement = buffer_argument(vm, args[2]);
    if (!replacement) return Value::null();
    std::int64_t count = -1;
    if (args.positional_count() > 3 && !int_to_int64(vm, args[3], count)) return Value::null();
    return same_kind(vm, args[0], text::replace(text_of(b), *old, *replacement, count));
}

template <bool from_right>
Value bytes_partition(VM& vm, CallArgs args) {
    Bytes* b = self_bytes(vm, args, "partition");
    if (!b || !check_positional(vm, args.without_self(), "partition", 1, 1)) return Value::null();
    const std::string* separator = buffer_argument(vm, args[1]);
    if (!separator) return Value::null();
    if (separator->empty()) return vm.raise(vm.types().value_error, "empty separator");
    auto parts = from_right ? text::rpartition(text_of(b), *separator) : text::partition(text_of(b), *separator);
    std::vector<Value> items;
    RootVector root(vm, items);
    for (const std::string& part : parts) items.push_back(same_kind(vm, args[0], part));
    // bytes.partition returns the separator object itself when it was found.
    if (!is_bytearray(vm, args[0]) && !parts[1].empty()) items[1] = args[1];
    return Value::from_object(new_tuple(vm, std::move(items)));
}

// ASCII-only case mappings and classes, as bytes define them.
template <char (*map)(char)>
Value bytes_map(VM& vm, CallArgs args) {
    Bytes* b = self_bytes(vm, args, "upper");
    if (!b) return Value::null();
    std::string out = b->data;
    for (char& c : out) c = map(c);
    return same_kind(vm, args[0], std::move(out));
}

char ascii_upper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 32) : c; }
char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; }
char ascii_swap(char c) { return c >= 'a' && c <= 'z' ? ascii_upper(c) : ascii_lower(c); }

template <bool (*predicate)(unsigned char)>
Value bytes_all(VM& vm, CallArgs args) {
    Bytes* b = self_bytes(vm, args, "isalpha");
    if (!b) return Value::null();
    if (b->data.empty()) return Value::from_bool(false);
    for (unsigned char c : b->data) {
        if (!predicate(c)) return Value::from_bool(false);
    }
    return Value::from_bool(true);
}

bool byte_is_alpha(unsigned char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool byte_is_digit(unsigned char c) { return c >= '0' && c <= '9'; }
bool byte_is_alnum(unsigned char c) { return byte_is_alpha(c) || byte_is_digit(c); }
bool byte_is_space(unsigned char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

Value bytes_isascii(VM& vm, CallArgs args) {
    Bytes* b = self_bytes(vm, args, "isascii");
    if (!b) return Value::null();
    for (unsigned char c : b->data) {
        if (c >= 0x80) return Value::from_bool(false);
    }
    return Value::from_bool(true);
}

template <bool upper>
Value bytes_case_check(VM& vm, CallArgs args) {
    Bytes* b = self_bytes(vm, args, upper ? "isupper" : "islower");
    if (!b) return Value::null();
    bool cased = false;
    for (unsigned char c : b->data) {
        bool is_upper = c >= 'A' && c <= 'Z', is_lower = c >= 'a' && c <= 'z';
        if (upper ? is_lower : is_upper) return Value::from_bool(false);
        if (upper ? is_upper : is_lower) cased = true;
    }
    return Value::from_bool(cased);
}

template <int kind>
Value bytes_pad(VM& vm, CallArgs args) {
    Bytes* b = self_bytes(vm, args, "center");
    if (!b || !check_positional(vm, args.without_self(), "center", 1, 2)) return Value::null();
    std::int64_t width = 0;
    if (!int_to_int64(vm, args[1], width)) return Value::null();
    std::string fill = " ";
    if (args.positional_count() > 2) {
        Bytes* f = as_bytes_like(vm, args[2]);
        if (!f || f->data.size() != 1) {
            return vm.raise(vm.types().type_error, "center() argument 2 must be a byte string of length 1");
        }
        fill = f->data;
    }
    if (width > 0 && static_cast<std::uint64_t>(width) > max_bytes_size) return vm.raise(vm.types().memory_error);
    text::Text t = text_of(b);
    std::string out = kind == 0 ? text::center(t, width, fill) : kind == 1 ? text::ljust(t, width, fill) : text::rjust(t, width, fill);
    return same_kind(vm, args[0], std::move(out));
}

Value bytes_zfill(VM& vm, CallArgs args) {
    Bytes* b = self_bytes(vm, args, "zfill");
    if (!b || !check_positional(vm, args.without_self(), "zfill", 1, 1)) return Value::null();
    std::int64_t width = 0;
    if (!int_to_int64(vm, args[1], width)) return Value::null();
    if (width > 0 && static_cast<std::uint64_t>(width) > max_bytes_size) return vm.raise(vm.types().memory_error);
    return same_kind(vm, args[0], text::zfill(text_of(b), width));
}

// ---- bytearray's mutating methods

Value bytearray_append(VM& vm, CallArgs args) {
    Bytes* b = self_bytearray(vm, args, "append");
    if (!b || !check_positional(vm, args.without_self(), "append", 1, 1)) return Value::null();
    char byte = 0;
    if (!byte_value(vm, args[1], byte)) return Value::null();
    b->data += byte;
    return Value::none();
}

Value bytearray_extend(VM& vm, CallArgs args) {
    Bytes* b = self_bytearray(vm, args, "extend");
    if (!b || !check_positional(vm, args.without_self(), "extend", 1, 1)) return Value::null();
    std::string more;
    if (as_instance<String>(args[1], vm.types().str)) {
        return vm.raise(vm.types().type_error, "expected iterable of integers; got: 'str'");
    }
    if (!contents_of(vm, args[1], "bytearray", more)) return Value::null();
    b->data += more;
    return Value::none();
}

Value bytearray_pop(VM& vm, CallArgs args) {
    Bytes* b = self_bytearray(vm, args, "pop");
    if (!b || !check_positional(vm, args.without_self(), "pop", 0, 1)) return Value::null();
    if (b->data.empty()) return vm.raise(vm.types().index_error, "pop from empty bytearray");
    std::int64_t index = -1;
    if (args.positional_count() > 1 && !int_to_int64(vm, args[1], index)) return Value::null();
    std::int64_t position = wrap_index(index, static_cast<std::int64_t>(b->data.size()));
    if (position < 0) return vm.raise(vm.types().index_error, "pop index out of range");
    auto byte = static_cast<unsigned char>(b->data[static_cast<std::size_t>(position)]);
    b->data.erase(static_cast<std::size_t>(position), 1);
    return Value::from_small_int(byte);
}

Value bytearray_insert(VM& vm, CallArgs args) {
    Bytes* b = self_bytearray(vm, args, "insert");
    if (!b || !check_positional(vm, args.without_self(), "insert", 2, 2)) return Value::null();
    std::int64_t index = 0;
    if (!int_to_int64(vm, args[1], index)) return Value::null();
    char byte = 0;
    if (!byte_value(vm, args[2], byte)) return Value::null();
    auto length = static_cast<std::int64_t>(b->data.size());
    if (index < 0) index = std::max<std::int64_t>(index + length, 0);
    index = std::min(index, length);
    b->data.insert(static_cast<std::size_t>(index), 1, byte);
    return Value::none();
}

Value bytearray_remove(VM& vm, CallArgs args) {
    Bytes* b = self_bytearray(vm, args, "remove");
    if (!b || !check_positional(vm, args.without_self(), "remove", 1, 1)) return Value::null();
    char byte = 0;
    if (!byte_value(vm, args[1], byte)) return Value::null();
    std::size_t position = b->data.find(byte);
    if (position == std::string::npos) return vm.raise(vm.types().value_error, "value not found in bytearray");
    b->data.erase(position, 1);
    return Value::none();
}

Value bytearray_clear(VM& vm, CallArgs args) {
    Bytes* b = self_bytearray(vm, args, "clear");
    if (!b) return Value::null();
    b->data.clear();
    return Value::none();
}

Value bytearray_reverse(VM& vm, CallArgs args) {
    Bytes* b = self_bytearray(vm, args, "reverse");
    if (!b) return Value::null();
    std::reverse(b->data.begin(), b->data.end());
    return Value::none();
}

Value bytearray_copy(VM& vm, CallArgs args) {
    Bytes* b = self_bytearray(vm, args, "copy");
    if (!b) return Value::null();
    return Value::from_object(new_bytes_of_type(vm, vm.types().bytearray, b->data));
}

void define_shared_methods(VM& vm, Type* type) {
    struct Method {
        const char* name;
        NativeFunction function;
    };
    static const Method methods[] = {
        {"decode", bytes_decode},
        {"hex", bytes_hex},
        {"join", bytes_join},
        {"split", bytes_split<false>},
        {"rsplit", bytes_split<true>},
        {"splitlines", bytes_splitlines},
        {"strip", bytes_strip<text::StripSide::Both>},
        {"lstrip", bytes_strip<text::StripSide::Left>},
        {"rstrip", bytes_strip<text::StripSide::Right>},
        {"find", bytes_search<SearchKind::Find>},
        {"rfind", bytes_search<SearchKind::RFind>},
        {"index", bytes_search<SearchKind::Index>},
        {"rindex", bytes_search<SearchKind::RIndex>},
        {"count", bytes_search<SearchKind::Count>},
        {"startswith", bytes_starts_ends<true>},
        {"endswith", bytes_starts_ends<false>},
        {"replace", bytes_replace},
        {"partition", bytes_partition<false>},
        {"rpartition", bytes_partition<true>},
        {"upper", bytes_map<ascii_upper>},
        {"lower", bytes_map<ascii_lower>},
        {"swapcase", bytes_map<ascii_swap>},
        {"isalpha", bytes_all<byte_is_alpha>},
        {"isdigit", bytes_all<byte_is_digit>},
        {"isalnum", bytes_all<byte_is_alnum>},
        {"isspace", bytes_all<byte_is_space>},
        {"isupper", bytes_case_check<true>},
        {"islower", bytes_case_check<false>},
        {"isascii", bytes_isascii},
        {"center", bytes_pad<0>},
        {"ljust", bytes_pad<1>},
        {"rjust", bytes_pad<2>},
        {"zfill", bytes_zfill},
    };
    for (const Method& method : methods) define_method(vm, type, method.name, method.function);
    define_class_method(vm, type, "fromhex", bytes_fromhex);
}

void set_shared_slots(Type* type) {
    type->repr = bytes_repr;
    type->str = bytes_repr;
    type->hash = bytes_hash;
    type->compare = bytes_compare;
    type->binary = bytes_binary;
    type->length = bytes_length;
    type->boolean = bytes_bool;
    type->getitem = bytes_getitem;
    type->contains = bytes_contains;
    type->iter = bytes_iter;
    type->finalize = finalize_object<Bytes>;
}

}  // namespace

Bytes* new_bytes(VM& vm, std::string_view data) { return new_bytes_of_type(vm, vm.types().bytes, std::string(data)); }

void init_bytes_types(VM& vm) {
    Type* bytes = vm.types().bytes;
    set_shared_slots(bytes);
    bytes->construct = bytes_construct<false>;
    define_shared_methods(vm, bytes);

    Type* bytearray = vm.types().bytearray;
    set_shared_slots(bytearray);
    bytearray->setitem = bytearray_setitem;
    bytearray->inplace = bytearray_inplace;
    bytearray->construct = bytes_construct<true>;
    define_shared_methods(vm, bytearray);
    define_method(vm, bytearray, "append", bytearray_append);
    define_method(vm, bytearray, "extend", bytearray_extend);
    define_method(vm, bytearray, "pop", bytearray_pop);
    define_method(vm, bytearray, "insert", bytearray_insert);
    define_method(vm, bytearray, "remove", bytearray_remove);
    define_method(vm, bytearray, "clear", bytearray_clear);
    define_method(vm, bytearray, "reverse", bytearray_reverse);
    define_method(vm, bytearray, "copy", bytearray_copy);

    Type* iterator = vm.types().bytes_iterator;
    iterator->iter = iterator_self;
    iterator->next = bytes_iterator_next;
    iterator->trace = bytes_iterator_trace;
}

}  // namespace asy
