// The slice type: what `a[1:2:3]` builds (BUILD_SLICE) and `slice(...)` makes. Sequence
// types read its fields through container_util's resolve_slice; this file gives Python code
// its repr, attributes, comparison and indices().
#include "runtime/objects/slice.hpp"

#include "runtime/objects/container_types.hpp"
#include "runtime/objects/container_util.hpp"
#include "runtime/objects/int.hpp"
#include "runtime/objects/str.hpp"
#include "runtime/objects/tuple.hpp"
#include "runtime/vm.hpp"

namespace asy {

Value new_slice(VM& vm, Value start, Value stop, Value step) {
    return Value::from_object(vm.heap().allocate<Slice>(vm.types().slice, start, stop, step));
}

namespace {

Slice* self_of(Value self) { return static_cast<Slice*>(self.as_object()); }

String* slice_repr(VM& vm, Value self) {
    const Slice* s = self_of(self);
    std::string out = "slice(";
    if (!append_repr(vm, out, s->start)) return nullptr;
    out += ", ";
    if (!append_repr(vm, out, s->stop)) return nullptr;
    out += ", ";
    if (!append_repr(vm, out, s->step)) return nullptr;
    out += ")";
    return new_string(vm, std::move(out));
}

// Slices compare as the tuples (start, stop, step).
Value slice_compare(VM& vm, Value self, Value other, CompareOp op) {
    const Slice* b = as_exact<Slice>(other, vm.types().slice);
    if (!b) return vm.not_implemented();
    const Slice* a = self_of(self);
    const std::vector<Value> left{a->start, a->stop, a->step};
    const std::vector<Value> right{b->start, b->stop, b->step};
    return compare_sequences(vm, left, right, op);
}

bool slice_hash(VM& vm, Value self, std::int64_t&) {
    // Slices are unhashable in Python 3.11 (3.12 changed that).
    vm.raise_error(Error::unhashable, ops::type_name(vm, self));
    return false;
}

void slice_trace(Object* self, Tracer& tracer) {
    const Slice* s = static_cast<Slice*>(self);
    tracer.mark(s->start);
    tracer.mark(s->stop);
    tracer.mark(s->step);
}

// slice(stop) / slice(start, stop[, step]).
Value slice_construct(VM& vm, Value, CallArgs args) {
    if (args.keyword_count() > 0) return vm.raise(vm.types().type_error, "slice() takes no keyword arguments");
    if (!check_positional(vm, args, "slice", 1, 3)) return Value::null();
    if (args.positional_count() == 1) return new_slice(vm, Value::none(), args[0], Value::none());
    return new_slice(vm, args[0], args[1], args.positional_count() == 3 ? args[2] : Value::none());
}

// slice.indices(length) -> (start, stop, step) for a sequence of that length.
Value slice_indices(VM& vm, CallArgs args) {
    Slice* slice = method_self<Slice>(vm, args, vm.types().slice, "indices");
    if (!slice || !check_one_argument(vm, args.without_self(), "slice.indices")) return Value::null();
    std::int64_t length = 0;
    const int status = index_value(vm, args[1], length);
    if (status < 0) return Value::null();
    if (status == 0) return vm.raise_error(Error::len_returned_non_int, ops::type_name(vm, args[1]));
    if (length < 0) return vm.raise(vm.types().value_error, "length should not be negative");
    containers::SliceIndices s;
    if (!resolve_slice(vm, slice, length, s)) return Value::null();
    Value parts[3] = {int_from_int64(vm, s.start), Value::null(), Value::null()};
    parts[1] = int_from_int64(vm, s.stop);
    parts[2] = int_from_int64(vm, s.step);
    return Value::from_object(new_tuple(vm, parts));
}

}  // namespace

void init_slice_type(VM& vm) {
    Type* type = vm.types().slice;
    type->repr = slice_repr;
    type->compare = slice_compare;
    type->hash = slice_hash;
    type->trace = slice_trace;
    type->construct = slice_construct;
    define_method(vm, type, "indices", slice_indices);
    define_property(vm, type, "start", [](VM&, CallArgs args) { return self_of(args[0])->start; });
    define_property(vm, type, "stop", [](VM&, CallArgs args) { return self_of(args[0])->stop; });
    define_property(vm, type, "step", [](VM&, CallArgs args) { return self_of(args[0])->step; });
}

}  // namespace asy
