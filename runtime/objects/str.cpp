// The str type: immutable UTF-8 text indexed by code point. Slots (repr, hash, comparison,
// +, *, %, indexing, slicing, `in`, iteration, format) and the methods, each a thin layer
// that checks Python arguments and calls the engines in text/ (utf8.hpp for Unicode,
// str_algorithms.hpp for searching and splitting, format_spec.hpp for format()).
// str.format and % live in str_format.cpp.
#include "runtime/objects/str.hpp"

#include "runtime/objects/bytes.hpp"
#include "runtime/objects/container_util.hpp"
#include "runtime/objects/dict.hpp"
#include "runtime/objects/list.hpp"
#include "runtime/objects/numbers.hpp"
#include "runtime/objects/slice.hpp"
#include "runtime/objects/str_format.hpp"
#include "runtime/objects/tuple.hpp"
#include "runtime/ops.hpp"
#include "runtime/text/format_spec.hpp"
#include "runtime/text/str_algorithms.hpp"
#include "runtime/text/utf8.hpp"
#include "runtime/vm.hpp"

namespace asy {

namespace {

// A str may not grow past this many bytes: asking for more is a MemoryError rather than an
// allocation failure that ends the process.
constexpr std::uint64_t max_str_bytes = std::uint64_t{1} << 32;

// str_iterator: walks a string one code point at a time.
struct StrIterator : Object {
    // The String; null once exhausted.
    Value string;
    // Byte offset of the next code point.
    std::size_t position = 0;
};

String* as_str(VM& vm, Value value) { return as_instance<String>(value, vm.types().str); }

text::Text text_of(const String* s) {
    return text::Text{s->utf8, text::Encoding::Str, s->is_ascii, s->length};
}

Value str_value(VM& vm, std::string text) {
    return Value::from_object(new_string(vm, std::move(text)));
}

// The self of a str method, or nullptr after raising.
String* self_str(VM& vm, CallArgs args, std::string_view name) {
    return method_self<String>(vm, args, vm.types().str, name);
}

// A str argument, or nullptr after raising "replace() argument 1 must be str, not int".
String* str_argument(VM& vm, Value value, std::string_view function, int position) {
    if (String* s = as_str(vm, value)) return s;
    vm.raise_format(vm.types().type_error, "{}() argument {} must be str, not {}", function, position,
                    ops::type_name(vm, value));
    return nullptr;
}

// An int argument ("'str' object cannot be interpreted as an integer").
bool int_argument(VM& vm, Value value, std::int64_t& out) {
    int status = clamped_index_value(vm, value, out);
    if (status == 0) vm.raise_error(Error::len_returned_non_int, ops::type_name(vm, value));
    return status == 1;
}

// The optional start and end arguments of find/count/startswith...: None or an index.
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

Value new_str_list(VM& vm, const std::vector<std::string>& pieces) {
    std::vector<Value> items;
    items.reserve(pieces.size());
    RootVector root(vm, items);
    for (const std::string& piece : pieces) items.push_back(string_value(vm, piece));
    return Value::from_object(new_list(vm, std::move(items)));
}

// ---------------------------------------------------------------------------------------
// Slots

String* str_repr(VM& vm, Value self) { return new_string(vm, text::repr(static_cast<String*>(self.as_object())->utf8)); }

String* str_str(VM& vm, Value self) {
    auto* s = static_cast<String*>(self.as_object());
    if (s->type == vm.types().str) return s;
    return new_string(vm, std::string_view(s->utf8));  // a subclass instance becomes a plain str
}

bool str_hash(VM&, Value self, std::int64_t& out) {
    out = string_hash(static_cast<String*>(self.as_object()));
    return true;
}

Value str_compare(VM& vm, Value self, Value other, CompareOp op) {
    String* a = static_cast<String*>(self.as_object());
    String* b = as_str(vm, other);
    if (!b) return vm.not_implemented();
    // UTF-8 byte order is code point order, so comparing bytes compares as Python does.
    int c = op == CompareOp::Eq || op == CompareOp::Ne ? (string_equals(a, b) ? 0 : 1) : a->utf8.compare(b->utf8);
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

Value str_repeat(VM& vm, String* s, Value count_value) {
    std::int64_t count = 0;
    if (!is_int(vm, count_value)) {
        // An object with __index__ repeats like an int ("ab" * obj), as in CPython's sq_repeat.
        const int status = index_value(vm, count_value, count);
        if (status < 0) return Value::null();
        if (status == 0) {
            return vm.raise_format(vm.types().type_error, "can't multiply sequence by non-int of type '{}'",
                                   ops::type_name(vm, count_value));
        }
    } else if (!int_fits_int64(count_value, count)) {
        if (int_to_big(count_value).sign() < 0) count = 0;
        else return vm.raise(vm.types().overflow_error, "cannot fit 'int' into an index-sized integer");
    }
    if (count <= 0 || s->utf8.empty()) return string_value(vm, "");
    if (static_cast<std::uint64_t>(count) > max_str_bytes / s->utf8.size()) return vm.raise(vm.types().memory_error);
    std::string out;
    out.reserve(s->utf8.size() * static_cast<std::size_t>(count));
    for (std::int64_t i = 0; i < count; ++i) out += s->utf8;
    return str_value(vm, std::move(out));
}

bool is_user_class(Value value) {
    return value.is_object() && (value.as_object()->type->flags & TypeFlagHeap);
}

Value str_binary(VM& vm, BinaryOp op, Value left, Value right) {
    auto n = static_cast<int>(op);
    if (n >= inplace_offset) op = static_cast<BinaryOp>(n - inplace_offset);
    String* a = as_str(vm, left);
    String* b = as_str(vm, right);
    switch (op) {
    case BinaryOp::Add:
        if (a && b) {
            if (a->utf8.size() + b->utf8.size() > max_str_bytes) return vm.raise(vm.types().memory_error);
            return str_value(vm, a->utf8 + b->utf8);
        }
        // Leave `str + obj` to obj's __radd__ when it is a user class.
        if (!a || is_user_class(right)) return vm.not_implemented();
        return vm.raise_format(vm.types().type_error, "can only concatenate str (not \"{}\") to str",
                               ops::type_name(vm, right));
    case BinaryOp::Multiply:
        // A user class's __rmul__ / __mul__ wins over __index__-based repetition.
        if (a && !b) {
            if (is_user_class(right) && !type_lookup(type_of(vm, right), vm.intern("__rmul__")).is_null())
                return vm.not_implemented();
            return str_repeat(vm, a, right);
        }
        if (b && !a) {
            if (is_user_class(left) && !type_lookup(type_of(vm, left), vm.intern("__mul__")).is_null())
                return vm.not_implemented();
            return str_repeat(vm, b, left);
        }
        return vm.raise_format(vm.types().type_error, "can't multiply sequence by non-int of type '{}'",
                               ops::type_name(vm, right));
    case BinaryOp::Remainder:
        if (a) return str_percent_format(vm, a, right);
        return vm.not_implemented();
    default:
        return vm.not_implemented();
    }
}

std::int64_t str_length(VM&, Value self) { return static_cast<String*>(self.as_object())->length; }

int str_bool(VM&, Value self) { return !static_cast<String*>(self.as_object())->utf8.empty(); }

Value str_getitem(VM& vm, Value self, Value key) {
    auto* s = static_cast<String*>(self.as_object());
    if (auto* slice = as_exact<Slice>(key, vm.types().slice)) {
        containers::SliceIndices indices{};
        if (!resolve_slice(vm, slice, s->length, indices)) return Value::null();
        if (indices.step == 1 && indices.length == s->length && s->type == vm.types().str) return self;
        return str_value(vm, text::slice(s->utf8, s->is_ascii, indices.start, indices.step, indices.length));
    }
    std::int64_t index = 0;
    int status = index_value(vm, key, index);
    if (status == 0) {
        return vm.raise_format(vm.types().type_error, "string indices must be integers, not '{}'", ops::type_name(vm, key));
    }
    if (status < 0) return Value::null();
    std::int64_t position = wrap_index(index, s->length);
    if (position < 0) return vm.raise(vm.types().index_error, "string index out of range");
    return string_value(vm, text::code_point_at(s->utf8, position, s->is_ascii));
}

int str_contains(VM& vm, Value self, Value item) {
    String* needle = as_str(vm, item);
    if (!needle) {
        vm.raise_format(vm.types().type_error, "'in <string>' requires string as left operand, not {}",
                        ops::type_name(vm, item));
        return -1;
    }
    return static_cast<String*>(self.as_object())->utf8.find(needle->utf8) != std::string::npos;
}

Value str_iter(VM& vm, Value self) {
    auto* iterator = vm.heap().allocate<StrIterator>(vm.types().str_iterator);
    iterator->string = self;
    return Value::from_object(iterator);
}

Value str_iterator_next(VM& vm, Value self) {
    auto* iterator = static_cast<StrIterator*>(self.as_object());
    if (iterator->string.is_null()) return Value::null();
    const std::string& utf8 = static_cast<String*>(iterator->string.as_object())->utf8;
    if (iterator->position >= utf8.size()) {
        iterator->string = Value::null();
        return Value::null();
    }
    std::size_t start = iterator->position;
    (void)text::decode_next(utf8, iterator->position);
    return string_value(vm, std::string_view(utf8).substr(start, iterator->position - start));
}

Value iterator_self(VM&, Value self) { return self; }

void str_iterator_trace(Object* self, Tracer& tracer) { tracer.mark(static_cast<StrIterator*>(self)->string); }

String* str_format_slot(VM& vm, Value self, String* spec) {
    auto* s = static_cast<String*>(self.as_object());
    if (spec->utf8.empty()) return str_str(vm, self);
    auto parsed = text::parse_format_spec(spec->utf8, 's', '<', "str");
    if (auto* error = std::get_if<text::FormatError>(&parsed)) {
        vm.raise(vm.types().value_error, error->message);
        return nullptr;
    }
    text::FormatResult result = text::format_str(s->utf8, std::get<text::FormatSpec>(parsed));
    if (auto* error = std::get_if<text::FormatError>(&result)) {
        vm.raise(vm.types().value_error, error->message);
        return nullptr;
    }
    return new_string(vm, std::move(std::get<std::string>(result)));
}

// ---------------------------------------------------------------------------------------
// str(object='') and str(bytes, encoding, errors)

Value str_construct_exact(VM& vm, CallArgs args);

// str(...) for str itself or a subclass: a subclass instance is a String of that class.
Value str_construct(VM& vm, Value cls, CallArgs args) {
    Value result = str_construct_exact(vm, args);
    if (result.is_null() || !cls.is_object() || cls.as_object() == vm.types().str) return result;
    auto* type = static_cast<Type*>(cls.as_object());
    const std::string& utf8 = static_cast<String*>(result.as_object())->utf8;
    String* instance = vm.heap().allocate<String>(type, utf8);
    instance->length = text::count_code_points(instance->utf8);
    instance->is_ascii = instance->length == static_cast<std::int64_t>(instance->utf8.size());
    return Value::from_object(instance);
}

Value str_construct_exact(VM& vm, CallArgs args) {
    static const Signature signature{"str", {"object", "encoding", "errors"}, 0, 0};
    Value bound[3];
    if (!bind_arguments(vm, args, signature, bound)) return Value::null();
    if (bound[0].is_null()) return string_value(vm, "");
    if (bound[1].is_null() && bound[2].is_null()) {
        String* s = ops::str(vm, bound[0]);
        return s ? Value::from_object(s) : Value::null();
    }
    // Decoding: the object must be bytes-like.
    Value object = bound[0];
    if (!object.is_object() || (object.as_object()->type != vm.types().bytes && object.as_object()->type != vm.types().bytearray)) {
        if (as_str(vm, object)) return vm.raise(vm.types().type_error, "decoding str is not supported");
        return vm.raise_format(vm.types().type_error, "decoding to str: need a bytes-like object, {} found",
                               ops::type_name(vm, object));
    }
    std::string_view encoding = "utf-8", errors = "strict";
    if (!bound[1].is_null()) {
        String* e = str_argument(vm, bound[1], "str", 2);
        if (!e) return Value::null();
        encoding = e->utf8;
    }
    if (!bound[2].is_null()) {
        String* e = str_argument(vm, bound[2], "str", 3);
        if (!e) return Value::null();
        errors = e->utf8;
    }
    return decode_bytes(vm, static_cast<Bytes*>(object.as_object())->data, encoding, errors);
}

// ---------------------------------------------------------------------------------------
// Methods: case and classes

using TextTransform = std::string (*)(std::string_view);

template <TextTransform transform>
Value str_transform_method(VM& vm, CallArgs args) {
    String* s = self_str(vm, args, "str method");
    if (!s || !check_no_arguments(vm, args.without_self(), "str method")) return Value::null();
    return str_value(vm, transform(s->utf8));
}

using CharPredicate = bool (*)(char32_t);

// str.isX(): true when the string is non-empty and every character passes.
template <CharPredicate predicate>
Value str_all_chars(VM& vm, CallArgs args) {
    String* s = self_str(vm, args, "isX");
    if (!s) return Value::null();
    if (s->utf8.empty()) return Value::from_bool(false);
    for (std::size_t pos = 0; pos < s->utf8.size();) {
        if (!predicate(text::decode_next(s->utf8, pos))) return Value::from_bool(false);
    }
    return Value::from_bool(true);
}

// isupper / islower: at least one cased character, and no cased character of the other case.
template <bool upper>
Value str_case_check(VM& vm, CallArgs args) {
    String* s = self_str(vm, args, upper ? "isupper" : "islower");
    if (!s) return Value::null();
    bool cased = false;
    for (std::size_t pos = 0; pos < s->utf8.size();) {
        char32_t c = text::decode_next(s->utf8, pos);
        if (upper ? (text::is_lower(c) || text::is_title(c)) : (text::is_upper(c) || text::is_title(c))) {
            return Value::from_bool(false);
        }
        if (upper ? text::is_upper(c) : text::is_lower(c)) cased = true;
    }
    return Value::from_bool(cased);
}

Value str_istitle(VM& vm, CallArgs args) {
    String* s = self_str(vm, args, "istitle");
    if (!s) return Value::null();
    return Value::from_bool(text::is_title_string(s->utf8));
}

Value str_isprintable(VM& vm, CallArgs args) {
    String* s = self_str(vm, args, "isprintable");
    if (!s) return Value::null();
    for (std::size_t pos = 0; pos < s->utf8.size();) {
        if (!text::is_printable(text::decode_next(s->utf8, pos))) return Value::from_bool(false);
    }
    return Value::from_bool(true);  // '' is printable
}

Value str_isascii(VM& vm, CallArgs args) {
    String* s = self_str(vm, args, "isascii");
    if (!s) return Value::null();
    return Value::from_bool(s->is_ascii);
}

Value str_isidentifier(VM& vm, CallArgs args) {
    String* s = self_str(vm, args, "isidentifier");
    if (!s) return Value::null();
    if (s->utf8.empty()) return Value::from_bool(false);
    std::size_t pos = 0;
    if (!text::is_identifier_start(text::decode_next(s->utf8, pos))) return Value::from_bool(false);
    while (pos < s->utf8.size()) {
        if (!text::is_identifier_continue(text::decode_next(s->utf8, pos))) return Value::from_bool(false);
    }
    return Value::from_bool(true);
}

// ---------------------------------------------------------------------------------------
// Methods: searching

enum class SearchKind { Find, RFind, Index, RIndex, Count };

template <SearchKind kind>
Value str_search(VM& vm, CallArgs args) {
    constexpr const char* name = kind == SearchKind::Find    ? "find"
                                 : kind == SearchKind::RFind ? "rfind"
                                 : kind == SearchKind::Index ? "index"
                                 : kind == SearchKind::RIndex ? "rindex"
                                                              : "count";
    String* s = self_str(vm, args, name);
    if (!s || !check_no_keywords(vm, args, name) || !check_positional(vm, args.without_self(), name, 1, 3)) {
        return Value::null();
    }
    String* sub = as_str(vm, args[1]);
    if (!sub) {
        return vm.raise_format(vm.types().type_error, "must be str, not {}", ops::type_name(vm, args[1]));
    }
    text::IndexRange range{};
    if (!read_range(vm, args, 2, s->length, range)) return Value::null();
    text::Text t = text_of(s);
    if constexpr (kind == SearchKind::Count) return int_from_int64(vm, text::count(t, sub->utf8, range));
    std::int64_t found = (kind == SearchKind::Find || kind == SearchKind::Index) ? text::find(t, sub->utf8, range)
                                                                                 : text::rfind(t, sub->utf8, range);
    if ((kind == SearchKind::Index || kind == SearchKind::RIndex) && found < 0) {
        return vm.raise(vm.types().value_error, "substring not found");
    }
    return int_from_int64(vm, found);
}

template <bool starts>
Value str_starts_ends(VM& vm, CallArgs args) {
    constexpr const char* name = starts ? "startswith" : "endswith";
    String* s = self_str(vm, args, name);
    if (!s || !check_no_keywords(vm, args, name) || !check_positional(vm, args.without_self(), name, 1, 3)) {
        return Value::null();
    }
    text::IndexRange range{};
    if (!read_range(vm, args, 2, s->length, range)) return Value::null();
    text::Text t = text_of(s);
    auto test = [&](const String* affix) {
        return starts ? text::starts_with(t, affix->utf8, range) : text::ends_with(t, affix->utf8, range);
    };
    if (String* affix = as_str(vm, args[1])) return Value::from_bool(test(affix));
    if (auto* tuple = as_instance<Tuple>(args[1], vm.types().tuple)) {
        for (Value item : tuple->items) {
            String* affix = as_str(vm, item);
            if (!affix) {
                return vm.raise_format(vm.types().type_error, "tuple for {} must only contain str, not {}", name,
                                       ops::type_name(vm, item));
            }
            if (test(affix)) return Value::from_bool(true);
        }
        return Value::from_bool(false);
    }
    return vm.raise_format(vm.types().type_error, "{} first arg must be str or a tuple of str, not {}", name,
                           ops::type_name(vm, args[1]));
}

// ---------------------------------------------------------------------------------------
// Methods: splitting and joining

// Reads split's (sep=None, maxsplit=-1); `separator` stays nullptr for None.
bool read_split_arguments(VM& vm, CallArgs args, std::string_view name, String*& separator, std::int64_t& maxsplit) {
    const Signature signature{name, {"sep", "maxsplit"}, 0, 0};
    Value bound[2];
    if (!bind_arguments(vm, args.without_self(), signature, bound)) return false;
    separator = nullptr;
    maxsplit = -1;
    if (!bound[0].is_null() && !bound[0].is_none()) {
        separator = as_str(vm, bound[0]);
        if (!separator) {
            vm.raise_format(vm.types().type_error, "must be str or None, not {}", ops::type_name(vm, bound[0]));
            return false;
        }
        if (separator->utf8.empty()) {
            vm.raise(vm.types().value_error, "empty separator");
            return false;
        }
    }
    if (!bound[1].is_null() && !int_argument(vm, bound[1], maxsplit)) return false;
    return true;
}

template <bool from_right>
Value str_split(VM& vm, CallArgs args) {
    constexpr const char* name = from_right ? "rsplit" : "split";
    String* s = self_str(vm, args, name);
    String* separator = nullptr;
    std::int64_t maxsplit = -1;
    if (!s || !read_split_arguments(vm, args, name, separator, maxsplit)) return Value::null();
    text::Text t = text_of(s);
    std::vector<std::string> pieces;
    if (separator) pieces = from_right ? text::rsplit(t, separator->utf8, maxsplit) : text::split(t, separator->utf8, maxsplit);
    else pieces = from_right ? text::rsplit_whitespace(t, maxsplit) : text::split_whitespace(t, maxsplit);
    return new_str_list(vm, pieces);
}

Value str_splitlines(VM& vm, CallArgs args) {
    String* s = self_str(vm, args, "splitlines");
    if (!s) return Value::null();
    static const Signature signature{"splitlines", {"keepends"}, 0, 0};
    Value bound[1];
    if (!bind_arguments(vm, args.without_self(), signature, bound)) return Value::null();
    bool keepends = false;
    if (!bound[0].is_null()) {
        Truth t = ops::truthy(vm, bound[0]);
        if (t == Truth::Error) return Value::null();
        keepends = t == Truth::True;
    }
    return new_str_list(vm, text::splitlines(text_of(s), keepends));
}

Value str_join(VM& vm, CallArgs args) {
    String* s = self_str(vm, args, "join");
    if (!s) return Value::null();
    if (args.positional_count() != 2 || args.keyword_count() != 0) {  // CPython's METH_O message
        if (args.keyword_count() != 0) return vm.raise(vm.types().type_error, "str.join() takes no keyword arguments");
        return vm.raise_format(vm.types().type_error, "str.join() takes exactly one argument ({} given)",
                               args.positional_count() - 1);
    }
    Root iterator(vm, ops::iter(vm, args[1]));
    if (iterator.get().is_null()) {
        if (!vm.exception_matches(vm.types().type_error)) return Value::null();
        vm.clear_exception();
        return vm.raise(vm.types().type_error, "can only join an iterable");
    }
    std::vector<Value> items;
    RootVector root(vm, items);
    if (!collect_items(vm, iterator.get(), items)) return Value::null();
    std::vector<std::string_view> parts;
    parts.reserve(items.size());
    std::uint64_t total = 0;
    for (std::size_t i = 0; i < items.size(); ++i) {
        String* part = as_str(vm, items[i]);
        if (!part) {
            return vm.raise_format(vm.types().type_error, "sequence item {}: expected str instance, {} found", i,
                                   ops::type_name(vm, items[i]));
        }
        total += part->utf8.size() + s->utf8.size();
        parts.push_back(part->utf8);
    }
    if (total > max_str_bytes) return vm.raise(vm.types().memory_error);
    return str_value(vm, text::join(s->utf8, parts));
}

template <bool from_right>
Value str_partition(VM& vm, CallArgs args) {
    constexpr const char* name = from_right ? "rpartition" : "partition";
    String* s = self_str(vm, args, name);
    if (!s || !check_positional(vm, args.without_self(), name, 1, 1)) return Value::null();
    String* separator = as_str(vm, args[1]);
    if (!separator) return vm.raise_format(vm.types().type_error, "must be str, not {}", ops::type_name(vm, args[1]));
    if (separator->utf8.empty()) return vm.raise(vm.types().value_error, "empty separator");
    auto parts = from_right ? text::rpartition(text_of(s), separator->utf8) : text::partition(text_of(s), separator->utf8);
    std::vector<Value> items;
    RootVector root(vm, items);
    for (const std::string& part : parts) items.push_back(string_value(vm, part));
    return Value::from_object(new_tuple(vm, std::move(items)));
}

// ---------------------------------------------------------------------------------------
// Methods: stripping, replacing, padding

template <text::StripSide side>
Value str_strip(VM& vm, CallArgs args) {
    constexpr const char* name = side == text::StripSide::Left ? "lstrip" : side == text::StripSide::Right ? "rstrip" : "strip";
    String* s = self_str(vm, args, name);
    if (!s || !check_no_keywords(vm, args, name) || !check_positional(vm, args.without_self(), name, 0, 1)) {
        return Value::null();
    }
    std::optional<std::string_view> chars;
    if (args.positional_count() > 1 && !args[1].is_none()) {
        String* c = as_str(vm, args[1]);
        if (!c) return vm.raise_format(vm.types().type_error, "{} arg must be None or str", name);
        chars = c->utf8;
    }
    return str_value(vm, text::strip(text_of(s), chars, side));
}

Value str_replace(VM& vm, CallArgs args) {
    String* s = self_str(vm, args, "replace");
    if (!s || !check_no_keywords(vm, args, "replace") || !check_positional(vm, args.without_self(), "replace", 2, 3)) {
        return Value::null();
    }
    String* old = str_argument(vm, args[1], "replace", 1);
    if (!old) return Value::null();
    String* replacement = str_argument(vm, args[2], "replace", 2);
    if (!replacement) return Value::null();
    std::int64_t count = -1;
    if (args.positional_count() > 3 && !int_argument(vm, args[3], count)) return Value::null();
    return str_value(vm, text::replace(text_of(s), old->utf8, replacement->utf8, count));
}

template <bool prefix>
Value str_remove_affix(VM& vm, CallArgs args) {
    constexpr const char* name = prefix ? "removeprefix" : "removesuffix";
    String* s = self_str(vm, args, name);
    if (!s || !check_positional(vm, args.without_self(), name, 1, 1)) return Value::null();
    String* affix = str_argument(vm, args[1], name, 1);
    if (!affix) return Value::null();
    std::string_view view = s->utf8;
    if (prefix && view.starts_with(affix->utf8)) return string_value(vm, view.substr(affix->utf8.size()));
    if (!prefix && view.ends_with(affix->utf8) && !affix->utf8.empty()) {
        return string_value(vm, view.substr(0, view.size() - affix->utf8.size()));
    }
    return args[0];
}

enum class PadKind { Center, Left, Right };

template <PadKind kind>
Value str_pad(VM& vm, CallArgs args) {
    constexpr const char* name = kind == PadKind::Center ? "center" : kind == PadKind::Left ? "ljust" : "rjust";
    String* s = self_str(vm, args, name);
    if (!s || !check_no_keywords(vm, args, name) || !check_positional(vm, args.without_self(), name, 1, 2)) {
        return Value::null();
    }
    std::int64_t width = 0;
    if (!int_argument(vm, args[1], width)) return Value::null();
    std::string_view fill = " ";
    if (args.positional_count() > 2) {
        String* f = as_str(vm, args[2]);
        if (!f) {
            return vm.raise_format(vm.types().type_error, "{}() argument 2 must be str, not {}", name,
                                   ops::type_name(vm, args[2]));
        }
        if (f->length != 1) return vm.raise(vm.types().type_error, "The fill character must be exactly one character long");
        fill = f->utf8;
    }
    if (width > 0 && static_cast<std::uint64_t>(width) * fill.size() > max_str_bytes) return vm.raise(vm.types().memory_error);
    text::Text t = text_of(s);
    if (kind == PadKind::Center) return str_value(vm, text::center(t, width, fill));
    if (kind == PadKind::Left) return str_value(vm, text::ljust(t, width, fill));
    return str_value(vm, text::rjust(t, width, fill));
}

Value str_zfill(VM& vm, CallArgs args) {
    String* s = self_str(vm, args, "zfill");
    if (!s || !check_positional(vm, args.without_self(), "zfill", 1, 1)) return Value::null();
    std::int64_t width = 0;
    if (!int_argument(vm, args[1], width)) return Value::null();
    if (width > 0 && static_cast<std::uint64_t>(width) > max_str_bytes) return vm.raise(vm.types().memory_error);
    return str_value(vm, text::zfill(text_of(s), width));
}

Value str_expandtabs(VM& vm, CallArgs args) {
    String* s = self_str(vm, args, "expandtabs");
    if (!s) return Value::null();
    static const Signature signature{"expandtabs", {"tabsize"}, 0, 0};
    Value bound[1];
    if (!bind_arguments(vm, args.without_self(), signature, bound)) return Value::null();
    std::int64_t tabsize = 8;
    if (!bound[0].is_null() && !int_argument(vm, bound[0], tabsize)) return Value::null();
    return str_value(vm, text::expandtabs(text_of(s), tabsize));
}

// ---------------------------------------------------------------------------------------
// Methods: encoding, formatting, translation

Value str_encode(VM& vm, CallArgs args) {
    String* s = self_str(vm, args, "encode");
    if (!s) return Value::null();
    static const Signature signature{"encode", {"encoding", "errors"}, 0, 0};
    Value bound[2];
    if (!bind_arguments(vm, args.without_self(), signature, bound)) return Value::null();
    std::string encoding = "utf-8", errors = "strict";
    if (!bound[0].is_null()) {
        String* e = str_argument(vm, bound[0], "encode", 1);
        if (!e) return Value::null();
        encoding = e->utf8;
    }
    if (!bound[1].is_null()) {
        String* e = str_argument(vm, bound[1], "encode", 2);
        if (!e) return Value::null();
        errors = e->utf8;
    }
    std::string normalized = text::to_lower(encoding);
    for (char& c : normalized) {
        if (c == '_') c = '-';
    }
    if (normalized == "utf-8" || normalized == "utf8") return Value::from_object(new_bytes(vm, s->utf8));
    bool ascii = normalized == "ascii" || normalized == "us-ascii";
    bool latin1 = normalized == "latin-1" || normalized == "latin1" || normalized == "iso-8859-1" || normalized == "iso8859-1";
    if (!ascii && !latin1) return vm.raise_format(vm.types().lookup_error, "unknown encoding: {}", encoding);
    char32_t limit = ascii ? 0x80 : 0x100;
    std::string out;
    std::int64_t index = 0;
    for (std::size_t pos = 0; pos < s->utf8.size(); ++index) {
        char32_t c = text::decode_next(s->utf8, pos);
        if (c < limit) {
            out += static_cast<char>(c);
        } else if (errors == "ignore") {
        } else if (errors == "replace") {
            out += '?';
        } else {
            std::string shown = text::ascii_repr(text::encode_utf8(c));
            return vm.raise_format(vm.types().unicode_encode_error,
                                   "'{}' codec can't encode character {} in position {}: ordinal not in range({})",
                                   ascii ? "ascii" : "latin-1", shown, index, ascii ? 128 : 256);
        }
    }
    return Value::from_object(new_bytes(vm, out));
}

Value str_format_method(VM& vm, CallArgs args) {
    String* s = self_str(vm, args, "__format__");
    if (!s || !check_positional(vm, args, "__format__", 2, 2)) return Value::null();
    String* spec = as_str(vm, args[1]);
    if (!spec) {
        return vm.raise_format(vm.types().type_error, "__format__() argument must be str, not {}", ops::type_name(vm, args[1]));
    }
    String* result = str_format_slot(vm, args[0], spec);
    return result ? Value::from_object(result) : Value::null();
}

// str.maketrans(x[, y[, z]]): a dict from code points to code points, strings or None.
Value str_maketrans(VM& vm, CallArgs args) {
    if (!check_positional(vm, args, "maketrans", 1, 3)) return Value::null();
    Root table(vm, new_dict(vm));
    Dict* dict = table.as<Dict>();
    if (args.positional_count() == 1) {
        auto* source = as_instance<Dict>(args[0], vm.types().dict);
        if (!source) {
            return vm.raise(vm.types().type_error, "if you give only one argument to maketrans it must be a dict");
        }
        for (const auto& entry : source->entries) {
            if (entry.key.is_null()) continue;
            Value key = entry.key;
            if (String* k = as_str(vm, key)) {
                if (k->length != 1) return vm.raise(vm.types().value_error, "string keys in translate table must be of length 1");
                std::size_t pos = 0;
                key = Value::from_small_int(text::decode_next(k->utf8, pos));
            } else if (!is_int(vm, key)) {
                return vm.raise(vm.types().type_error, "keys in translate table must be strings or integers");
            }
            if (!dict_set(vm, dict, key, entry.value)) return Value::null();
        }
        return table.get();
    }
    String* x = as_str(vm, args[0]);
    String* y = as_str(vm, args[1]);
    if (!x || !y) return vm.raise(vm.types().type_error, "maketrans() arguments must be str");
    if (x->length != y->length) {
        return vm.raise(vm.types().value_error, "the first two maketrans arguments must have equal length");
    }
    std::u32string from = text::decode(x->utf8), to = text::decode(y->utf8);
    for (std::size_t i = 0; i < from.size(); ++i) {
        if (!dict_set(vm, dict, Value::from_small_int(from[i]), Value::from_small_int(to[i]))) return Value::null();
    }
    if (args.positional_count() == 3) {
        String* z = as_str(vm, args[2]);
        if (!z) return vm.raise(vm.types().type_error, "maketrans() argument 3 must be str");
        for (char32_t c : text::decode(z->utf8)) {
            if (!dict_set(vm, dict, Value::from_small_int(c), Value::none())) return Value::null();
        }
    }
    return table.get();
}

Value str_translate(VM& vm, CallArgs args) {
    String* s = self_str(vm, args, "translate");
    if (!s || !check_positional(vm, args.without_self(), "translate", 1, 1)) return Value::null();
    Value table = args[1];
    std::string out;
    for (std::size_t pos = 0; pos < s->utf8.size();) {
        std::size_t start = pos;
        char32_t c = text::decode_next(s->utf8, pos);
        Value mapped = ops::getitem(vm, table, Value::from_small_int(c));
        if (mapped.is_null()) {
            if (vm.exception_matches(vm.types().lookup_error)) {
                vm.clear_exception();
                out.append(s->utf8, start, pos - start);
                continue;
            }
            return Value::null();
        }
        if (mapped.is_none()) continue;
        if (String* m = as_str(vm, mapped)) {
            out += m->utf8;
        } else if (is_int(vm, mapped)) {
            std::int64_t code = 0;
            if (!int_fits_int64(mapped, code) || code < 0 || code > 0x10FFFF) {
                return vm.raise(vm.types().value_error, "character mapping must be in range(0x110000)");
            }
            text::append_utf8(out, static_cast<char32_t>(code));
        } else {
            return vm.raise(vm.types().type_error, "character mapping must return integer, None or str");
        }
    }
    return str_value(vm, std::move(out));
}

Value str_getnewargs(VM& vm, CallArgs args) {
    String* s = self_str(vm, args, "__getnewargs__");
    if (!s) return Value::null();
    Value items[] = {string_value(vm, s->utf8)};
    return Value::from_object(new_tuple(vm, items));
}

}  // namespace

// bytes.decode / str(bytes, encoding): UTF-8 (strict, replace, ignore), ASCII and Latin-1.
Value decode_bytes(VM& vm, std::string_view data, std::string_view encoding, std::string_view errors) {
    std::string normalized = text::to_lower(encoding);
    for (char& c : normalized) {
        if (c == '_') c = '-';
    }
    if (normalized == "utf-8" || normalized == "utf8") {
        if (auto error = text::validate_utf8(data)) {
            if (errors == "replace" || errors == "ignore") return string_value(vm, text::decode_lossy(data, errors == "replace"));
            char byte[8];
            std::snprintf(byte, sizeof byte, "0x%02x", static_cast<unsigned>(static_cast<unsigned char>(data[error->start])));
            if (error->end - error->start > 1) {
                return vm.raise_format(vm.types().unicode_decode_error,
                                       "'utf-8' codec can't decode bytes in position {}-{}: {}", error->start,
                                       error->end - 1, error->reason);
            }
            return vm.raise_format(vm.types().unicode_decode_error, "'utf-8' codec can't decode byte {} in position {}: {}",
                                   byte, error->start, error->reason);
        }
        return string_value(vm, data);
    }
    bool ascii = normalized == "ascii" || normalized == "us-ascii";
    bool latin1 = normalized == "latin-1" || normalized == "latin1" || normalized == "iso-8859-1" || normalized == "iso8859-1";
    if (!ascii && !latin1) return vm.raise_format(vm.types().lookup_error, "unknown encoding: {}", encoding);
    std::string out;
    for (std::size_t i = 0; i < data.size(); ++i) {
        auto byte = static_cast<unsigned char>(data[i]);
        if (ascii && byte >= 0x80) {
            if (errors == "ignore") continue;
            if (errors == "replace") {
                text::append_utf8(out, 0xFFFD);
                continue;
            }
            return vm.raise_format(vm.types().unicode_decode_error,
                                   "'ascii' codec can't decode byte 0x{:02x} in position {}: ordinal not in range(128)",
                                   static_cast<unsigned>(byte), i);
        }
        text::append_utf8(out, byte);
    }
    return string_value(vm, out);
}

void init_str_type(VM& vm) {
    Type* type = vm.types().str;
    type->repr = str_repr;
    type->str = str_str;
    type->hash = str_hash;
    type->compare = str_compare;
    type->binary = str_binary;
    type->length = str_length;
    type->boolean = str_bool;
    type->getitem = str_getitem;
    type->contains = str_contains;
    type->iter = str_iter;
    type->format = str_format_slot;
    type->construct = str_construct;
    type->finalize = finalize_object<String>;
    type->flags |= TypeFlagBaseType;

    Type* iterator = vm.types().str_iterator;
    iterator->iter = iterator_self;
    iterator->next = str_iterator_next;
    iterator->trace = str_iterator_trace;

    struct Method {
        const char* name;
        NativeFunction function;
    };
    static const Method methods[] = {
        {"upper", str_transform_method<text::to_upper>},
        {"lower", str_transform_method<text::to_lower>},
        {"casefold", str_transform_method<text::casefold>},
        {"swapcase", str_transform_method<text::swapcase>},
        {"title", str_transform_method<text::title>},
        {"capitalize", str_transform_method<text::capitalize>},
        {"isalpha", str_all_chars<text::is_alpha>},
        {"isdigit", str_all_chars<text::is_digit>},
        {"isdecimal", str_all_chars<text::is_decimal>},
        {"isnumeric", str_all_chars<text::is_numeric>},
        {"isalnum", str_all_chars<text::is_alnum>},
        {"isspace", str_all_chars<text::is_space>},
        {"isupper", str_case_check<true>},
        {"islower", str_case_check<false>},
        {"istitle", str_istitle},
        {"isprintable", str_isprintable},
        {"isascii", str_isascii},
        {"isidentifier", str_isidentifier},
        {"find", str_search<SearchKind::Find>},
        {"rfind", str_search<SearchKind::RFind>},
        {"index", str_search<SearchKind::Index>},
        {"rindex", str_search<SearchKind::RIndex>},
        {"count", str_search<SearchKind::Count>},
        {"startswith", str_starts_ends<true>},
        {"endswith", str_starts_ends<false>},
        {"split", str_split<false>},
        {"rsplit", str_split<true>},
        {"splitlines", str_splitlines},
        {"join", str_join},
        {"partition", str_partition<false>},
        {"rpartition", str_partition<true>},
        {"strip", str_strip<text::StripSide::Both>},
        {"lstrip", str_strip<text::StripSide::Left>},
        {"rstrip", str_strip<text::StripSide::Right>},
        {"replace", str_replace},
        {"removeprefix", str_remove_affix<true>},
        {"removesuffix", str_remove_affix<false>},
        {"center", str_pad<PadKind::Center>},
        {"ljust", str_pad<PadKind::Left>},
        {"rjust", str_pad<PadKind::Right>},
        {"zfill", str_zfill},
        {"expandtabs", str_expandtabs},
        {"encode", str_encode},
        {"format", str_format},
        {"format_map", str_format_map},
        {"translate", str_translate},
        {"__format__", str_format_method},
        {"__getnewargs__", str_getnewargs},
    };
    for (const Method& method : methods) define_method(vm, type, method.name, method.function);
    define_static_method(vm, type, "maketrans", str_maketrans);
}

}  // namespace asy
