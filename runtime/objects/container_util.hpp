// Helpers shared by the container types (list, tuple, dict, set, range) and the builtin
// functions: reading index arguments, resolving slice objects, walking any iterable,
// guarding repr against self-reference, raising KeyError with the key itself, and adapting
// ops' comparisons to the engines in runtime/containers/. Implemented in container_util.cpp.
#pragma once

#include "runtime/containers/slice_math.hpp"
#include "runtime/containers/verdict.hpp"
#include "runtime/heap.hpp"
#include "runtime/object.hpp"
#include "runtime/ops.hpp"
#include "runtime/vm.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace asy {

struct Slice;
struct String;

// ---------------------------------------------------------------- indices

// Reads an int-like value (int, bool, or an object with __index__) as int64. Returns 1 and
// sets `out`; 0 when the value is not int-like (nothing raised: the caller words the
// TypeError, "list indices must be integers or slices, not str"); -1 after raising. An int
// beyond int64 raises IndexError "cannot fit 'int' into an index-sized integer".
int index_value(VM& vm, Value value, std::int64_t& out);

// Like index_value, but an int beyond int64 is clamped to the int64 range (slice bounds).
int clamped_index_value(VM& vm, Value value, std::int64_t& out);

// Reads a slice object's parts as int64 (PySlice_Unpack): false after raising "slice
// indices must be integers or None or have an __index__ method" or "slice step cannot be
// zero". It may run __index__, which may change a list: take the length only afterwards.
[[nodiscard]] bool unpack_slice(VM& vm, const Slice* slice, containers::SliceSpec& out);
// unpack_slice, then containers::adjust_slice against `length`, for immutable sequences.
[[nodiscard]] bool resolve_slice(VM& vm, const Slice* slice, std::int64_t length, containers::SliceIndices& out);

// Turns a possibly negative index into a position in [0, length), or -1 if out of range.
[[nodiscard]] inline std::int64_t wrap_index(std::int64_t index, std::int64_t length) {
    if (index < 0) index += length;
    return (index < 0 || index >= length) ? -1 : index;
}

// ---------------------------------------------------------------- iteration

// Calls visit(Value item) -> bool for every item of `iterable`; stops early when visit
// returns false. Returns false after raising (including a raise inside `visit`, which must
// return false with an exception pending). Lists and tuples are walked by index, re-reading
// the length each step, so a list that grows while visited is safe.
template <class Visit>
[[nodiscard]] bool for_each_item(VM& vm, Value iterable, Visit&& visit);

// Appends every item of `iterable` to `out`. `out` must be rooted by the caller (RootVector).
[[nodiscard]] bool collect_items(VM& vm, Value iterable, std::vector<Value>& out);

// ---------------------------------------------------------------- comparisons

// ops::equals as a Verdict, for the dict/set tables. Both values are kept alive meanwhile.
[[nodiscard]] containers::Verdict equal_verdict(VM& vm, Value a, Value b);
// a < b as a Verdict, for sorting.
[[nodiscard]] containers::Verdict less_verdict(VM& vm, Value a, Value b);

// Lexicographic comparison of two sequences, as list and tuple compare: the first unequal
// pair decides with `op`, else the lengths do. The result as a bool Value, or null after raising.
[[nodiscard]] Value compare_sequences(VM& vm, const std::vector<Value>& a, const std::vector<Value>& b, CompareOp op);

// Position of the first item equal to `item` in items[start, stop), -1 if none, -2 after raising.
[[nodiscard]] std::int64_t find_item(VM& vm, const std::vector<Value>& items, Value item, std::int64_t start,
                                     std::int64_t stop);

// ---------------------------------------------------------------- repr

// Guards a container's repr against containing itself: while a guard for an object lives,
// a nested repr of the same object sees recursive() and prints "[...]", "{...}" instead.
class ReprGuard {
public:
    explicit ReprGuard(const Object* object);
    ~ReprGuard();
    ReprGuard(const ReprGuard&) = delete;
    ReprGuard& operator=(const ReprGuard&) = delete;
    [[nodiscard]] bool recursive() const { return m_recursive; }

private:
    const Object* m_object;
    bool m_recursive;
};

// Bounds how deeply container operations may recurse in C++ (the repr of a list inside a
// list inside..., == between nested tuples, hashing nested tuples): past the limit a
// RecursionError is raised instead of overflowing the C++ stack. One guard per level.
class NestingGuard {
public:
    explicit NestingGuard(VM& vm);
    ~NestingGuard() { --depth(); }
    NestingGuard(const NestingGuard&) = delete;
    NestingGuard& operator=(const NestingGuard&) = delete;
    // False when this level is one too many; the caller raises with raise_nesting_error.
    [[nodiscard]] bool ok() const { return m_ok; }

private:
    static int& depth();
    bool m_ok;
};
// Raises RecursionError("maximum recursion depth exceeded" + `while`) and returns null.
Value raise_nesting_error(VM& vm, std::string_view while_doing = "");

// Appends repr(value) to `out`; false after raising.
[[nodiscard]] bool append_repr(VM& vm, std::string& out, Value value);
// "open" + repr(items) joined by ", " + "close" (the body of list and tuple reprs).
[[nodiscard]] String* repr_sequence(VM& vm, std::string_view open, const std::vector<Value>& items,
                                    std::string_view close);

// ---------------------------------------------------------------- errors and arguments

// raise KeyError(key): the exception carries the key itself, so str(e) is repr(key).
Value raise_key_error(VM& vm, Value key);
// The value of keyword argument `name` among args' keywords, or null.
[[nodiscard]] Value keyword_argument(CallArgs args, std::string_view name);
// A string Value.
[[nodiscard]] Value make_str(VM& vm, std::string text);
// A type's __name__ as text.
[[nodiscard]] std::string_view type_name_of(const Type* type);
// A native method's self, checked: the object as T if it is an instance of `type`, else
// nullptr after raising "descriptor 'name' for 'list' objects doesn't apply to a 'int' object".
template <class T>
T* method_self(VM& vm, CallArgs args, Type* type, std::string_view name);

// ---------------------------------------------------------------- template definitions

// The items of an exact list or tuple (whose iteration runs no user code), else nullptr.
const std::vector<Value>* exact_sequence_items(VM& vm, Value value);

template <class Visit>
bool for_each_item(VM& vm, Value iterable, Visit&& visit) {
    if (const std::vector<Value>* items = exact_sequence_items(vm, iterable)) {
        // By index, re-reading the size each step: `visit` may run user code that changes
        // the list (Python's list iterator behaves the same way).
        for (std::size_t i = 0; i < items->size(); ++i)
            if (!visit((*items)[i])) return !vm.has_exception();
        return true;
    }
    Root iterator(vm, ops::iter(vm, iterable));
    if (iterator.get().is_null()) return false;
    for (;;) {
        const Value item = ops::next(vm, iterator.get());
        // Null is exhaustion, or an error if one is pending.
        if (item.is_null()) return !vm.has_exception();
        if (!visit(item)) return !vm.has_exception();
    }
}

template <class T>
T* method_self(VM& vm, CallArgs args, Type* type, std::string_view name) {
    if (args.positional_count() >= 1) {
        if (T* self = as_instance<T>(args[0], type)) return self;
    }
    if (args.positional_count() == 0) {
        // "unbound method list.append() needs an argument"
        vm.raise_error(Error::descriptor_needs_argument, std::string(type_name_of(type)) + "." + std::string(name));
        return nullptr;
    }
    vm.raise_error(Error::descriptor_doesnt_apply, name, std::string_view(type_name_of(type)),
                   ops::type_name(vm, args[0]));
    return nullptr;
}

}  // namespace asy
