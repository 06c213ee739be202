// Constructors of the shared core objects (str, tuple, list) that every part of the runtime
// builds, and the str hash and equality the dict table relies on. The Python-visible types
// themselves (methods, repr, slicing) are in str*.cpp, tuple.cpp and list.cpp.
#include "runtime/objects/list.hpp"
#include "runtime/objects/str.hpp"
#include "runtime/objects/tuple.hpp"
#include "runtime/vm.hpp"

namespace asy {

std::int64_t utf8_length(std::string_view utf8) {
    // Every code point has exactly one byte that is not a continuation byte (10xxxxxx).
    std::int64_t count = 0;
    for (unsigned char byte : utf8) count += (byte & 0xC0) != 0x80;
    return count;
}

static String* finish_string(String* s) {
    s->length = utf8_length(s->utf8);
    s->is_ascii = s->length == static_cast<std::int64_t>(s->utf8.size());
    return s;
}

String* new_string(VM& vm, std::string_view utf8) {
    return finish_string(vm.heap().allocate<String>(vm.types().str, std::string(utf8)));
}

String* new_string(VM& vm, std::string&& utf8) {
    return finish_string(vm.heap().allocate<String>(vm.types().str, std::move(utf8)));
}

Value string_value(VM& vm, std::string_view utf8) { return Value::from_object(new_string(vm, utf8)); }

std::int64_t string_hash(const String* s) {
    if (s->hash != -1) return s->hash;
    // FNV-1a: simple and good enough for a teaching interpreter. CPython randomises str
    // hashes per process, so no correct program depends on the exact values.
    std::uint64_t h = 14695981039346656037ull;
    for (unsigned char byte : s->utf8) {
        h ^= byte;
        h *= 1099511628211ull;
    }
    auto result = static_cast<std::int64_t>(h >> 1);  // non-negative, so never -1
    s->hash = result;
    return result;
}

bool string_equals(const String* a, const String* b) {
    if (a == b) return true;
    // Two different interned strings never have the same text.
    if (a->interned && b->interned) return false;
    return a->utf8 == b->utf8;
}

Tuple* new_tuple(VM& vm, std::span<const Value> items) {
    if (items.empty() && vm.empty_tuple()) return vm.empty_tuple();
    return vm.heap().allocate<Tuple>(vm.types().tuple, std::vector<Value>(items.begin(), items.end()));
}

Tuple* new_tuple(VM& vm, std::vector<Value>&& items) {
    if (items.empty() && vm.empty_tuple()) return vm.empty_tuple();
    return vm.heap().allocate<Tuple>(vm.types().tuple, std::move(items));
}

List* new_list(VM& vm, std::span<const Value> items) {
    return vm.heap().allocate<List>(vm.types().list, std::vector<Value>(items.begin(), items.end()));
}

List* new_list(VM& vm, std::vector<Value>&& items) {
    return vm.heap().allocate<List>(vm.types().list, std::move(items));
}

}  // namespace asy
