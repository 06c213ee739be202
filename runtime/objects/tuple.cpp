// The tuple type: repr, hashing (CPython's xxHash-based tuple hash, containers/tuple_hash.hpp),
// comparison, indexing and slicing, + and *, count/index and tuple(). The struct and
// new_tuple are shared (objects/tuple.hpp, objects/core.cpp).
#include "runtime/objects/tuple.hpp"

#include "runtime/containers/tuple_hash.hpp"
#include "runtime/objects/container_types.hpp"
#include "runtime/objects/container_util.hpp"
#include "runtime/objects/iterators.hpp"
#include "runtime/objects/slot_methods.hpp"
#include "runtime/objects/slice.hpp"
#include "runtime/objects/str.hpp"
#include "runtime/vm.hpp"

#include <algorithm>

namespace asy {

using containers::Verdict;

namespace {

// Tuples longer than this are refused with MemoryError rather than crashing the process.
constexpr std::size_t max_tuple_size = std::size_t{1} << 32;

Tuple* as_tuple(VM& vm, Value value) { return as_instance<Tuple>(value, vm.types().tuple); }

Tuple* self_tuple(VM& vm, CallArgs args, std::string_view name) {
    return method_self<Tuple>(vm, args, vm.types().tuple, name);
}

bool is_builtin_value(Value value) {
    return !value.is_object() || (value.as_object()->type->flags & TypeFlagHeap) == 0;
}

// ---------------------------------------------------------------- slots

String* tuple_repr(VM& vm, Value self) {
    Tuple* tuple = static_cast<Tuple*>(self.as_object());
    if (tuple->items.empty()) return new_string(vm, std::string_view("()"));
    ReprGuard guard(tuple);
    if (guard.recursive()) return new_string(vm, std::string_view("(...)"));
    // A one-item tuple keeps its comma: (1,).
    return repr_sequence(vm, "(", tuple->items, tuple->items.size() == 1 ? ",)" : ")");
}

bool tuple_hash(VM& vm, Value self, std::int64_t& out) {
    Tuple* tuple = static_cast<Tuple*>(self.as_object());
    NestingGuard nesting(vm);
    if (!nesting.ok()) {
        raise_nesting_error(vm);
        return false;
    }
    containers::TupleHash hash;
    for (Value item : tuple->items) {
        std::int64_t item_hash = 0;
        if (!ops::hash(vm, item, item_hash)) return false;
        hash.add(item_hash);
    }
    out = hash.finish(tuple->items.size());
    return true;
}

Value tuple_compare(VM& vm, Value self, Value other, CompareOp op) {
    Tuple* a = as_tuple(vm, self);
    Tuple* b = as_tuple(vm, other);
    if (!a || !b) return vm.not_implemented();
    return compare_sequences(vm, a->items, b->items, op);
}

Value tuple_iter(VM& vm, Value self) { return new_sequence_iterator(vm, vm.types().tuple_iterator, self); }

std::int64_t tuple_length(VM&, Value self) {
    return static_cast<std::int64_t>(static_cast<Tuple*>(self.as_object())->items.size());
}

Value tuple_getitem(VM& vm, Value self, Value key) {
    Tuple* tuple = static_cast<Tuple*>(self.as_object());
    const auto length = static_cast<std::int64_t>(tuple->items.size());
    if (auto* slice = as_exact<Slice>(key, vm.types().slice)) {
        containers::SliceIndices s;
        if (!resolve_slice(vm, slice, length, s)) return Value::null();
        // t[:] of an exact tuple is the tuple itself: it cannot change.
        if (s.step == 1 && s.length == length && tuple->type == vm.types().tuple) return self;
        std::vector<Value> items;
        items.reserve(static_cast<std::size_t>(s.length));
        for (std::int64_t i = 0, at = s.start; i < s.length; ++i, at += s.step)
            items.push_back(tuple->items[static_cast<std::size_t>(at)]);
        return Value::from_object(new_tuple(vm, std::move(items)));
    }
    std::int64_t index = 0;
    const int status = index_value(vm, key, index);
    if (status < 0) return Value::null();
    if (status == 0)
        return vm.raise_format(vm.types().type_error, "tuple indices must be integers or slices, not {}",
                               ops::type_name(vm, key));
    const std::int64_t at = wrap_index(index, length);
    if (at < 0) return vm.raise(vm.types().index_error, "tuple index out of range");
    return tuple->items[static_cast<std::size_t>(at)];
}

int tuple_contains(VM& vm, Value self, Value item) {
    Tuple* tuple = static_cast<Tuple*>(self.as_object());
    const std::int64_t at = find_item(vm, tuple->items, item, 0, static_cast<std::int64_t>(tuple->items.size()));
    return at == -2 ? -1 : (at >= 0 ? 1 : 0);
}

Value tuple_binary(VM& vm, BinaryOp op, Value left, Value right) {
    Tuple* a = as_tuple(vm, left);
    if (op == BinaryOp::Add) {
        if (!a) return vm.not_implemented();
        Tuple* b = as_tuple(vm, right);
        if (!b) {
            if (!is_builtin_value(right)) return vm.not_implemented();
            return vm.raise_format(vm.types().type_error, "can only concatenate tuple (not \"{}\") to tuple",
                                   ops::type_name(vm, right));
        }
        std::vector<Value> items;
        items.reserve(a->items.size() + b->items.size());
        items.insert(items.end(), a->items.begin(), a->items.end());
        items.insert(items.end(), b->items.begin(), b->items.end());
        return Value::from_object(new_tuple(vm, std::move(items)));
    }
    if (op == BinaryOp::Multiply) {
        Tuple* tuple = a ? a : as_tuple(vm, right);
        const Value count_value = a ? right : left;
        if (!tuple) return vm.not_implemented();
        std::int64_t count = 0;
        const int status = index_value(vm, count_value, count);
        if (status < 0) return Value::null();
        if (status == 0) {
            if (!is_builtin_value(count_value)) return vm.not_implemented();
            return vm.raise_format(vm.types().type_error, "can't multiply sequence by non-int of type '{}'",
                                   ops::type_name(vm, count_value));
        }
        if (count == 1 && tuple->type == vm.types().tuple) return Value::from_object(tuple);
        std::vector<Value> items;
        if (count > 0 && !tuple->items.empty()) {
            if (static_cast<std::uint64_t>(count) > max_tuple_size / tuple->items.size())
                return vm.raise(vm.types().memory_error);
            items.reserve(tuple->items.size() * static_cast<std::size_t>(count));
            for (std::int64_t i = 0; i < count; ++i) items.insert(items.end(), tuple->items.begin(), tuple->items.end());
        }
        return Value::from_object(new_tuple(vm, std::move(items)));
    }
    return vm.not_implemented();
}

void tuple_trace(Object* self, Tracer& tracer) { tracer.mark(static_cast<Tuple*>(self)->items); }

// tuple(iterable=()), also for subclasses.
Value tuple_construct(VM& vm, Value cls, CallArgs args) {
    Type* type = static_cast<Type*>(cls.as_object());
    if (args.keyword_count() > 0 && type == vm.types().tuple)
        return vm.raise(vm.types().type_error, "tuple() takes no keyword arguments");
    if (!check_positional(vm, args, "tuple", 0, 1)) return Value::null();
    if (type == vm.types().tuple) {
        if (args.positional_count() == 0) return Value::from_object(vm.empty_tuple());
        // A tuple is immutable, so tuple(t) can be t itself.
        if (as_exact<Tuple>(args[0], vm.types().tuple)) return args[0];
    }
    std::vector<Value> items;
    RootVector keep(vm, items);
    if (args.positional_count() == 1 && !collect_items(vm, args[0], items)) return Value::null();
    if (type == vm.types().tuple) return Value::from_object(new_tuple(vm, std::move(items)));
    return Value::from_object(vm.heap().allocate<Tuple>(type, std::move(items)));
}

// ---------------------------------------------------------------- methods

Value tuple_count(VM& vm, CallArgs args) {
    Tuple* tuple = self_tuple(vm, args, "count");
    if (!tuple || !check_one_argument(vm, args.without_self(), "tuple.count")) return Value::null();
    std::int64_t count = 0;
    for (Value item : tuple->items) {
        const Verdict v = equal_verdict(vm, item, args[1]);
        if (v == Verdict::Error) return Value::null();
        count += v == Verdict::Yes;
    }
    return Value::from_small_int(count);
}

Value tuple_index(VM& vm, CallArgs args) {
    Tuple* tuple = self_tuple(vm, args, "index");
    if (!tuple || !check_no_keywords(vm, args, "index") || !check_positional(vm, args.without_self(), "index", 1, 3))
        return Value::null();
    const auto length = static_cast<std::int64_t>(tuple->items.size());
    std::int64_t bounds[2] = {0, length};
    for (std::size_t i = 2; i < args.positional_count(); ++i) {
        std::int64_t bound = 0;
        const int status = clamped_index_value(vm, args[i], bound);
        if (status < 0) return Value::null();
        if (status == 0)
            return vm.raise(vm.types().type_error, "slice indices must be integers or have an __index__ method");
        if (bound < 0) bound = std::max<std::int64_t>(bound + length, 0);
        bounds[i - 2] = bound;
    }
    const std::int64_t at = find_item(vm, tuple->items, args[1], bounds[0], bounds[1]);
    if (at == -2) return Value::null();
    if (at == -1) return vm.raise(vm.types().value_error, "tuple.index(x): x not in tuple");
    return Value::from_small_int(at);
}

Value tuple_len_method(VM& vm, CallArgs args) {
    Tuple* tuple = self_tuple(vm, args, "__len__");
    if (!tuple || !check_no_arguments(vm, args.without_self(), "tuple.__len__")) return Value::null();
    return Value::from_small_int(static_cast<std::int64_t>(tuple->items.size()));
}

Value tuple_getitem_method(VM& vm, CallArgs args) {
    if (!self_tuple(vm, args, "__getitem__") || !check_one_argument(vm, args.without_self(), "tuple.__getitem__"))
        return Value::null();
    return tuple_getitem(vm, args[0], args[1]);
}

Value tuple_contains_method(VM& vm, CallArgs args) {
    if (!self_tuple(vm, args, "__contains__") || !check_one_argument(vm, args.without_self(), "tuple.__contains__"))
        return Value::null();
    const int found = tuple_contains(vm, args[0], args[1]);
    return found < 0 ? Value::null() : Value::from_bool(found == 1);
}

}  // namespace

void init_tuple_type(VM& vm) {
    Type* type = vm.types().tuple;
    type->repr = tuple_repr;
    type->hash = tuple_hash;
    type->compare = tuple_compare;
    type->iter = tuple_iter;
    type->length = tuple_length;
    type->getitem = tuple_getitem;
    type->contains = tuple_contains;
    type->binary = tuple_binary;
    type->trace = tuple_trace;
    type->finalize = finalize_object<Tuple>;
    type->construct = tuple_construct;
    type->flags |= TypeFlagBaseType;

    define_method(vm, type, "count", tuple_count);
    define_method(vm, type, "index", tuple_index);
    define_method(vm, type, "__len__", tuple_len_method);
    define_method(vm, type, "__getitem__", tuple_getitem_method);
    define_method(vm, type, "__contains__", tuple_contains_method);
    // __repr__, __eq__, __add__... by name, for subclasses and explicit calls.
    slot_methods::define_all<&BuiltinTypes::tuple>(vm);
}

}  // namespace asy
