// The range type: a lazy arithmetic progression. Length, indexing, slicing and membership
// are computed (containers/slice_math.hpp), never materialised. Bounds are int64: a range
// with a bound beyond that raises OverflowError, a deliberate limit (CPython would use big
// ints, which no classroom program needs for a range).
#include "runtime/objects/container_types.hpp"
#include "runtime/objects/container_util.hpp"
#include "runtime/objects/int.hpp"
#include "runtime/objects/iterators.hpp"
#include "runtime/objects/slot_methods.hpp"
#include "runtime/objects/slice.hpp"
#include "runtime/objects/str.hpp"
#include "runtime/objects/tuple.hpp"
#include "runtime/containers/tuple_hash.hpp"
#include "runtime/vm.hpp"

#include <limits>

namespace asy {

using containers::RangeSpec;
using containers::Verdict;

namespace {

Range* self_of(Value self) { return static_cast<Range*>(self.as_object()); }
RangeSpec spec_of(const Range* r) { return RangeSpec{r->start, r->stop, r->step}; }

Range* self_range(VM& vm, CallArgs args, std::string_view name) {
    return method_self<Range>(vm, args, vm.types().range, name);
}

Value make_range(VM& vm, std::int64_t start, std::int64_t stop, std::int64_t step) {
    Range* r = vm.heap().allocate<Range>(vm.types().range);
    r->start = start;
    r->stop = stop;
    r->step = step;
    return Value::from_object(r);
}

// len(r) as int64, or -1 after raising OverflowError (only for ranges of 2^63 items or more).
std::int64_t checked_length(VM& vm, const Range* r) {
    const std::uint64_t length = containers::range_length(spec_of(r));
    if (length > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
        vm.raise(vm.types().overflow_error, "Python int too large to convert to C ssize_t");
        return -1;
    }
    return static_cast<std::int64_t>(length);
}

// An argument of range(): an int (or __index__), within int64.
bool range_argument(VM& vm, Value value, std::int64_t& out) {
    const int status = index_value(vm, value, out);
    if (status == 0) vm.raise_error(Error::len_returned_non_int, ops::type_name(vm, value));
    if (status < 0 && vm.exception_matches(vm.types().index_error)) {
        // index_value words an oversized int for indexing; range reports it as overflow.
        vm.clear_exception();
        vm.raise(vm.types().overflow_error, "Python int too large to convert to C ssize_t");
    }
    return status == 1;
}

// The int64 value of `value` if it is an int, for the O(1) membership test.
bool exact_int(VM& vm, Value value, std::int64_t& out) {
    if (value.is_small_int()) {
        out = value.as_small_int();
        return true;
    }
    if (value.is_bool()) {
        out = value.as_bool() ? 1 : 0;
        return true;
    }
    if (value.is_object() && value.as_object()->type == vm.types().int_) {
        // A BigInt outside int64 lies outside every range; report "not an int64" and let
        // the caller say "not contained".
        return false;
    }
    return false;
}

bool is_int_value(VM& vm, Value value) {
    return value.is_small_int() || value.is_bool() || (value.is_object() && value.as_object()->type == vm.types().int_);
}

// ---------------------------------------------------------------- slots

String* range_repr(VM& vm, Value self) {
    const Range* r = self_of(self);
    if (r->step == 1) return new_string(vm, fmt::format("range({}, {})", r->start, r->stop));
    return new_string(vm, fmt::format("range({}, {}, {})", r->start, r->stop, r->step));
}

std::int64_t range_len(VM& vm, Value self) { return checked_length(vm, self_of(self)); }

int range_bool(VM&, Value self) { return containers::range_length(spec_of(self_of(self))) > 0 ? 1 : 0; }

Value range_getitem(VM& vm, Value self, Value key) {
    const Range* r = self_of(self);
    if (auto* slice = as_exact<Slice>(key, vm.types().slice)) {
        const std::int64_t length = checked_length(vm, r);
        if (length < 0) return Value::null();
        containers::SliceIndices s;
        if (!resolve_slice(vm, slice, length, s)) return Value::null();
        const auto sliced = containers::range_slice(spec_of(r), s);
        if (!sliced) return vm.raise(vm.types().overflow_error, "Python int too large to convert to C ssize_t");
        return make_range(vm, sliced->start, sliced->stop, sliced->step);
    }
    std::int64_t index = 0;
    const int status = index_value(vm, key, index);
    if (status < 0) return Value::null();
    if (status == 0)
        return vm.raise_format(vm.types().type_error, "range indices must be integers or slices, not {}",
                               ops::type_name(vm, key));
    const std::uint64_t length = containers::range_length(spec_of(r));
    // Negative indices count from the end; compare in uint64 as the length may exceed int64.
    std::uint64_t at;
    if (index < 0) {
        const std::uint64_t back = 0 - static_cast<std::uint64_t>(index);
        if (back > length) return vm.raise(vm.types().index_error, "range object index out of range");
        at = length - back;
    } else {
        at = static_cast<std::uint64_t>(index);
        if (at >= length) return vm.raise(vm.types().index_error, "range object index out of range");
    }
    return int_from_int64(vm, containers::range_item(spec_of(r), at));
}

// `value in r`: arithmetic for ints, a scan comparing with == for anything else (2.0 in
// range(3) is True), as CPython does.
int range_contains(VM& vm, Value self, Value value) {
    const Range* r = self_of(self);
    std::int64_t n = 0;
    if (exact_int(vm, value, n)) return containers::range_contains(spec_of(r), n) ? 1 : 0;
    if (is_int_value(vm, value)) return 0;  // an int beyond int64
    const std::uint64_t length = containers::range_length(spec_of(r));
    for (std::uint64_t i = 0; i < length; ++i) {
        const Value item = int_from_int64(vm, containers::range_item(spec_of(r), i));
        if (item.is_null()) return -1;
        const Verdict v = equal_verdict(vm, item, value);
        if (v == Verdict::Error) return -1;
        if (v == Verdict::Yes) return 1;
    }
    return 0;
}

Value range_iter(VM& vm, Value self) {
    const Range* r = self_of(self);
    return new_range_iterator(vm, r->start, r->step, containers::range_length(spec_of(r)));
}

// Ranges are equal when they produce the same sequence: range(0) == range(2, 2),
// range(0, 3, 2) == range(0, 4, 2).
bool same_sequence(const Range* a, const Range* b) {
    const std::uint64_t na = containers::range_length(spec_of(a));
    if (na != containers::range_length(spec_of(b))) return false;
    if (na == 0) return true;
    if (a->start != b->start) return false;
    return na == 1 || a->step == b->step;
}

Value range_compare(VM& vm, Value self, Value other, CompareOp op) {
    const Range* b = as_exact<Range>(other, vm.types().range);
    if (!b || (op != CompareOp::Eq && op != CompareOp::Ne)) return vm.not_implemented();
    return Value::from_bool(same_sequence(self_of(self), b) == (op == CompareOp::Eq));
}

// hash(r) is hash((len, start, step)), with None for what does not matter (as in CPython:
// equal ranges hash equal).
bool range_hash(VM& vm, Value self, std::int64_t& out) {
    const Range* r = self_of(self);
    const std::uint64_t length = containers::range_length(spec_of(r));
    Value parts[3] = {Value::none(), Value::none(), Value::none()};
    parts[0] = int_from_int64(vm, static_cast<std::int64_t>(length));
    if (length >= 1) parts[1] = int_from_int64(vm, r->start);
    if (length >= 2) parts[2] = int_from_int64(vm, r->step);
    containers::TupleHash hash;
    for (Value part : parts) {
        std::int64_t h = 0;
        if (part.is_null() || !ops::hash(vm, part, h)) return false;
        hash.add(h);
    }
    out = hash.finish(3);
    return true;
}

// range(stop) / range(start, stop[, step]).
Value range_construct(VM& vm, Value, CallArgs args) {
    if (args.keyword_count() > 0) return vm.raise(vm.types().type_error, "range() takes no keyword arguments");
    if (!check_positional(vm, args, "range", 1, 3)) return Value::null();
    std::int64_t bounds[3] = {0, 0, 1};
    if (args.positional_count() == 1) {
        if (!range_argument(vm, args[0], bounds[1])) return Value::null();
    } else {
        for (std::size_t i = 0; i < args.positional_count(); ++i)
            if (!range_argument(vm, args[i], bounds[i])) return Value::null();
    }
    if (bounds[2] == 0) return vm.raise(vm.types().value_error, "range() arg 3 must not be zero");
    return make_range(vm, bounds[0], bounds[1], bounds[2]);
}

// ---------------------------------------------------------------- methods

Value range_count(VM& vm, CallArgs args) {
    Range* r = self_range(vm, args, "count");
    if (!r || !check_one_argument(vm, args.without_self(), "range.count")) return Value::null();
    std::int64_t n = 0;
    if (exact_int(vm, args[1], n)) return Value::from_small_int(containers::range_contains(spec_of(r), n) ? 1 : 0);
    if (is_int_value(vm, args[1])) return Value::from_small_int(0);
    // Other values: count the items equal to it.
    std::int64_t count = 0;
    const std::uint64_t length = containers::range_length(spec_of(r));
    for (std::uint64_t i = 0; i < length; ++i) {
        const Value item = int_from_int64(vm, containers::range_item(spec_of(r), i));
        if (item.is_null()) return Value::null();
        const Verdict v = equal_verdict(vm, item, args[1]);
        if (v == Verdict::Error) return Value::null();
        count += v == Verdict::Yes;
    }
    return Value::from_small_int(count);
}

Value range_index(VM& vm, CallArgs args) {
    Range* r = self_range(vm, args, "index");
    if (!r || !check_one_argument(vm, args.without_self(), "range.index")) return Value::null();
    std::int64_t n = 0;
    if (exact_int(vm, args[1], n)) {
        if (containers::range_contains(spec_of(r), n))
            return int_from_int64(vm, static_cast<std::int64_t>(containers::range_index(spec_of(r), n)));
    } else if (!is_int_value(vm, args[1])) {
        const std::uint64_t length = containers::range_length(spec_of(r));
        for (std::uint64_t i = 0; i < length; ++i) {
            const Value item = int_from_int64(vm, containers::range_item(spec_of(r), i));
            if (item.is_null()) return Value::null();
            const Verdict v = equal_verdict(vm, item, args[1]);
            if (v == Verdict::Error) return Value::null();
            if (v == Verdict::Yes) return int_from_int64(vm, static_cast<std::int64_t>(i));
        }
    }
    String* text = ops::repr(vm, args[1]);
    if (!text) return Value::null();
    return vm.raise_format(vm.types().value_error, "{} is not in range", text->view());
}

Value range_reversed(VM& vm, CallArgs args) {
    Range* r = self_range(vm, args, "__reversed__");
    if (!r || !check_no_arguments(vm, args.without_self(), "range.__reversed__")) return Value::null();
    // The last item first, stepping back: no overflow, as every item lies within the bounds.
    const std::uint64_t length = containers::range_length(spec_of(r));
    if (length == 0) return new_range_iterator(vm, 0, 1, 0);
    const std::int64_t last = containers::range_item(spec_of(r), length - 1);
    // Negated in uint64: for step == INT64_MIN the result is INT64_MIN again, which is still
    // right because the iterator advances with wrap-around arithmetic.
    const auto back = static_cast<std::int64_t>(0 - static_cast<std::uint64_t>(r->step));
    return new_range_iterator(vm, last, back, length);
}

}  // namespace

void init_range_type(VM& vm) {
    Type* type = vm.types().range;
    type->repr = range_repr;
    type->length = range_len;
    type->boolean = range_bool;
    type->getitem = range_getitem;
    type->contains = range_contains;
    type->iter = range_iter;
    type->compare = range_compare;
    type->hash = range_hash;
    type->construct = range_construct;

    define_method(vm, type, "count", range_count);
    define_method(vm, type, "index", range_index);
    define_method(vm, type, "__reversed__", range_reversed);
    define_property(vm, type, "start", [](VM& vm, CallArgs args) { return int_from_int64(vm, self_of(args[0])->start); });
    define_property(vm, type, "stop", [](VM& vm, CallArgs args) { return int_from_int64(vm, self_of(args[0])->stop); });
    define_property(vm, type, "step", [](VM& vm, CallArgs args) { return int_from_int64(vm, self_of(args[0])->step); });
    // __repr__, __eq__, __add__... by name, for subclasses and explicit calls.
    slot_methods::define_all<&BuiltinTypes::range>(vm);
}

}  // namespace asy
