// The list type: its slots (repr, comparison, indexing and slicing, + and *), its methods
// (append ... sort) and list(). The struct and new_list are shared (objects/list.hpp,
// objects/core.cpp); sorting uses the engine in containers/stable_sort.hpp.
#include "runtime/objects/list.hpp"

#include "runtime/containers/stable_sort.hpp"
#include "runtime/objects/container_types.hpp"
#include "runtime/objects/container_util.hpp"
#include "runtime/objects/iterators.hpp"
#include "runtime/objects/slot_methods.hpp"
#include "runtime/objects/slice.hpp"
#include "runtime/objects/str.hpp"
#include "runtime/objects/tuple.hpp"
#include "runtime/vm.hpp"

#include <algorithm>

namespace asy {

using containers::SliceIndices;
using containers::Verdict;

namespace {

// A list may not grow past this many items: asking for more is a MemoryError, as in
// CPython, rather than an allocation failure that ends the process.
constexpr std::size_t max_list_size = std::size_t{1} << 32;

List* as_list(VM& vm, Value value) { return as_instance<List>(value, vm.types().list); }

// The self of a list method, or nullptr after raising.
List* self_list(VM& vm, CallArgs args, std::string_view name) {
    return method_self<List>(vm, args, vm.types().list, name);
}

// Reads an int argument of a method ("'str' object cannot be interpreted as an integer").
bool int_argument(VM& vm, Value value, std::int64_t& out) {
    const int status = index_value(vm, value, out);
    if (status == 0) vm.raise_error(Error::len_returned_non_int, ops::type_name(vm, value));
    return status == 1;
}

// The items `value` holds for slice assignment and +=: a snapshot, so that `a[:] = a`
// and `a += a` see the list as it was.
bool items_of(VM& vm, Value value, std::vector<Value>& out) {
    if (const std::vector<Value>* items = exact_sequence_items(vm, value)) {
        out = *items;
        return true;
    }
    return collect_items(vm, value, out);
}

// ---------------------------------------------------------------- slots

String* list_repr(VM& vm, Value self) {
    List* list = static_cast<List*>(self.as_object());
    if (list->items.empty()) return new_string(vm, std::string_view("[]"));
    ReprGuard guard(list);
    if (guard.recursive()) return new_string(vm, std::string_view("[...]"));
    return repr_sequence(vm, "[", list->items, "]");
}

bool list_hash(VM& vm, Value self, std::int64_t&) {
    vm.raise_error(Error::unhashable, ops::type_name(vm, self));
    return false;
}

Value list_compare(VM& vm, Value self, Value other, CompareOp op) {
    List* a = as_list(vm, self);
    List* b = as_list(vm, other);
    if (!a || !b) return vm.not_implemented();
    return compare_sequences(vm, a->items, b->items, op);
}

Value list_iter(VM& vm, Value self) { return new_sequence_iterator(vm, vm.types().list_iterator, self); }

std::int64_t list_length(VM&, Value self) {
    return static_cast<std::int64_t>(static_cast<List*>(self.as_object())->items.size());
}

// Resolves a slice against the list's length as it is after the slice's __index__ calls.
bool resolve_list_slice(VM& vm, const List* list, const Slice* slice, SliceIndices& out) {
    containers::SliceSpec spec;
    if (!unpack_slice(vm, slice, spec)) return false;
    out = *containers::adjust_slice(spec, static_cast<std::int64_t>(list->items.size()));
    return true;
}

// The items that a resolved slice selects.
std::vector<Value> slice_items(const std::vector<Value>& items, const SliceIndices& s) {
    std::vector<Value> out;
    out.reserve(static_cast<std::size_t>(s.length));
    for (std::int64_t i = 0, at = s.start; i < s.length; ++i, at += s.step) out.push_back(items[static_cast<std::size_t>(at)]);
    return out;
}

Value list_getitem(VM& vm, Value self, Value key) {
    List* list = static_cast<List*>(self.as_object());
    if (auto* slice = as_exact<Slice>(key, vm.types().slice)) {
        SliceIndices s;
        if (!resolve_list_slice(vm, list, slice, s)) return Value::null();
        return Value::from_object(new_list(vm, slice_items(list->items, s)));
    }
    std::int64_t index = 0;
    const int status = index_value(vm, key, index);
    if (status < 0) return Value::null();
    if (status == 0)
        return vm.raise_format(vm.types().type_error, "list indices must be integers or slices, not {}",
                               ops::type_name(vm, key));
    const std::int64_t at = wrap_index(index, static_cast<std::int64_t>(list->items.size()));
    if (at < 0) return vm.raise(vm.types().index_error, "list index out of range");
    return list->items[static_cast<std::size_t>(at)];
}

// del list[slice].
void delete_slice(List* list, const SliceIndices& s) {
    auto& items = list->items;
    if (s.length <= 0) return;
    if (s.step == 1) {
        items.erase(items.begin() + s.start, items.begin() + s.start + s.length);
        return;
    }
    // Walk the selected positions upwards so that a negative step needs no special case.
    std::int64_t low = s.step > 0 ? s.start : s.start + (s.length - 1) * s.step;
    const std::int64_t stride = s.step > 0 ? s.step : -s.step;
    std::vector<Value> kept;
    kept.reserve(items.size() - static_cast<std::size_t>(s.length));
    std::int64_t next_removed = low;
    std::int64_t removed = 0;
    for (std::int64_t i = 0; i < static_cast<std::int64_t>(items.size()); ++i) {
        if (removed < s.length && i == next_removed) {
            ++removed;
            next_removed += stride;
            continue;
        }
        kept.push_back(items[static_cast<std::size_t>(i)]);
    }
    items = std::move(kept);
}

// list[slice] = value.
bool assign_slice(VM& vm, List* list, const Slice* slice, Value value) {
    std::vector<Value> incoming;
    RootVector keep(vm, incoming);
    containers::SliceSpec spec;
    if (!unpack_slice(vm, slice, spec)) return false;
    const bool extended = spec.step.value_or(1) != 1;
    // The new items: a snapshot, so that `a[:] = a` sees the list as it was.
    if (const std::vector<Value>* items = exact_sequence_items(vm, value)) {
        incoming = *items;
    } else {
        Root iterator(vm, ops::iter(vm, value));
        if (iterator.get().is_null()) {
            if (vm.exception_matches(vm.types().type_error)) {
                vm.clear_exception();
                vm.raise(vm.types().type_error, extended ? "must assign iterable to extended slice" : "can only assign an iterable");
            }
            return false;
        }
        if (!collect_items(vm, iterator.get(), incoming)) return false;
    }
    // Only now, after any user code has run, is the list's length final.
    const auto s = *containers::adjust_slice(spec, static_cast<std::int64_t>(list->items.size()));
    auto& items = list->items;
    if (!extended) {
        // A simple slice is replaced by any number of items; an empty or reversed range
        // (a[5:2] = ...) inserts at its start.
        const std::int64_t start = s.start;
        const std::int64_t stop = std::max(s.stop, start);
        if (items.size() - static_cast<std::size_t>(stop - start) + incoming.size() > max_list_size) {
            vm.raise(vm.types().memory_error);
            return false;
        }
        items.erase(items.begin() + start, items.begin() + stop);
        items.insert(items.begin() + start, incoming.begin(), incoming.end());
        return true;
    }
    // An extended slice is replaced item for item: the sizes must match.
    if (static_cast<std::int64_t>(incoming.size()) != s.length) {
        vm.raise_format(vm.types().value_error, "attempt to assign sequence of size {} to extended slice of size {}",
                        incoming.size(), s.length);
        return false;
    }
    for (std::int64_t i = 0, at = s.start; i < s.length; ++i, at += s.step)
        items[static_cast<std::size_t>(at)] = incoming[static_cast<std::size_t>(i)];
    return true;
}

bool list_setitem(VM& vm, Value self, Value key, Value value) {
    List* list = static_cast<List*>(self.as_object());
    if (auto* slice = as_exact<Slice>(key, vm.types().slice)) {
        if (!value.is_null()) return assign_slice(vm, list, slice, value);
        SliceIndices s;
        if (!resolve_list_slice(vm, list, slice, s)) return false;
        delete_slice(list, s);
        return true;
    }
    std::int64_t index = 0;
    const int status = index_value(vm, key, index);
    if (status < 0) return false;
    if (status == 0) {
        vm.raise_format(vm.types().type_error, "list indices must be integers or slices, not {}", ops::type_name(vm, key));
        return false;
    }
    const std::int64_t at = wrap_index(index, static_cast<std::int64_t>(list->items.size()));
    if (at < 0) {
        vm.raise(vm.types().index_error, "list assignment index out of range");
        return false;
    }
    if (value.is_null())
        list->items.erase(list->items.begin() + at);
    else
        list->items[static_cast<std::size_t>(at)] = value;
    return true;
}

int list_contains(VM& vm, Value self, Value item) {
    List* list = static_cast<List*>(self.as_object());
    const std::int64_t at = find_item(vm, list->items, item, 0, static_cast<std::int64_t>(list->items.size()));
    return at == -2 ? -1 : (at >= 0 ? 1 : 0);
}

// True when `value`'s class is a builtin one, so that it cannot have an __radd__ that
// should get its turn before a list reports an unsupported operand.
bool is_builtin_value(Value value) {
    return !value.is_object() || (value.as_object()->type->flags & TypeFlagHeap) == 0;
}

// items * count, or null after raising.
bool repeat_into(VM& vm, const std::vector<Value>& items, std::int64_t count, std::vector<Value>& out) {
    if (count <= 0 || items.empty()) return true;
    if (static_cast<std::uint64_t>(count) > max_list_size / items.size()) {
        vm.raise(vm.types().memory_error);
        return false;
    }
    out.reserve(items.size() * static_cast<std::size_t>(count));
    // Copy the source first: `items` may be `out`'s own source when multiplying in place.
    const std::vector<Value> source = items;
    for (std::int64_t i = 0; i < count; ++i) out.insert(out.end(), source.begin(), source.end());
    return true;
}

Value list_binary(VM& vm, BinaryOp op, Value left, Value right) {
    List* a = as_list(vm, left);
    if (op == BinaryOp::Add) {
        if (!a) return vm.not_implemented();
        List* b = as_list(vm, right);
        if (!b) {
            if (!is_builtin_value(right)) return vm.not_implemented();
            return vm.raise_format(vm.types().type_error, "can only concatenate list (not \"{}\") to list",
                                   ops::type_name(vm, right));
        }
        std::vector<Value> items;
        items.reserve(a->items.size() + b->items.size());
        items.insert(items.end(), a->items.begin(), a->items.end());
        items.insert(items.end(), b->items.begin(), b->items.end());
        return Value::from_object(new_list(vm, std::move(items)));
    }
    if (op == BinaryOp::Multiply) {
        // Either side may be the list: [0] * 3 and 3 * [0].
        List* list = a ? a : as_list(vm, right);
        const Value count_value = a ? right : left;
        if (!list) return vm.not_implemented();
        std::int64_t count = 0;
        const int status = index_value(vm, count_value, count);
        if (status < 0) return Value::null();
        if (status == 0) {
            if (!is_builtin_value(count_value)) return vm.not_implemented();
            return vm.raise_format(vm.types().type_error, "can't multiply sequence by non-int of type '{}'",
                                   ops::type_name(vm, count_value));
        }
        std::vector<Value> items;
        if (!repeat_into(vm, list->items, count, items)) return Value::null();
        return Value::from_object(new_list(vm, std::move(items)));
    }
    return vm.not_implemented();
}

// += extends with any iterable; *= repeats in place. Both return the list itself.
Value list_inplace(VM& vm, BinaryOp op, Value left, Value right) {
    List* list = as_list(vm, left);
    if (!list) return vm.not_implemented();
    if (op == BinaryOp::Add) {
        std::vector<Value> incoming;
        RootVector keep(vm, incoming);
        if (!items_of(vm, right, incoming)) return Value::null();
        list->items.insert(list->items.end(), incoming.begin(), incoming.end());
        return left;
    }
    if (op == BinaryOp::Multiply) {
        std::int64_t count = 0;
        const int status = index_value(vm, right, count);
        if (status < 0) return Value::null();
        if (status == 0) {
            if (!is_builtin_value(right)) return vm.not_implemented();
            return vm.raise_format(vm.types().type_error, "can't multiply sequence by non-int of type '{}'",
                                   ops::type_name(vm, right));
        }
        std::vector<Value> items;
        if (!repeat_into(vm, list->items, count, items)) return Value::null();
        list->items = std::move(items);
        return left;
    }
    return vm.not_implemented();
}

void list_trace(Object* self, Tracer& tracer) { tracer.mark(static_cast<List*>(self)->items); }

// list(iterable=()), also for subclasses of list.
Value list_construct(VM& vm, Value cls, CallArgs args) {
    if (static_cast<Type*>(cls.as_object()) == vm.types().list) {
        if (args.keyword_count() > 0) return vm.raise(vm.types().type_error, "list() takes no keyword arguments");
        if (!check_positional(vm, args, "list", 0, 1)) return Value::null();
    }
    Type* type = static_cast<Type*>(cls.as_object());
    Root list(vm, vm.heap().allocate<List>(type, std::vector<Value>{}));
    // A subclass is filled by __init__ (list.__init__ unless it overrides it), which may
    // take other arguments; only list itself fills here.
    if (type == vm.types().list && args.positional_count() == 1 && !collect_items(vm, args[0], list.as<List>()->items))
        return Value::null();
    return list.get();
}

// ---------------------------------------------------------------- methods

Value list_append(VM& vm, CallArgs args) {
    List* list = self_list(vm, args, "append");
    if (!list || !check_one_argument(vm, args.without_self(), "list.append")) return Value::null();
    list->items.push_back(args[1]);
    return Value::none();
}

Value list_extend(VM& vm, CallArgs args) {
    List* list = self_list(vm, args, "extend");
    if (!list || !check_one_argument(vm, args.without_self(), "list.extend")) return Value::null();
    std::vector<Value> incoming;
    RootVector keep(vm, incoming);
    if (!items_of(vm, args[1], incoming)) return Value::null();
    list->items.insert(list->items.end(), incoming.begin(), incoming.end());
    return Value::none();
}

Value list_insert(VM& vm, CallArgs args) {
    List* list = self_list(vm, args, "insert");
    if (!list || !check_no_keywords(vm, args, "insert") || !check_positional(vm, args.without_self(), "insert", 2, 2))
        return Value::null();
    std::int64_t index = 0;
    if (!int_argument(vm, args[1], index)) return Value::null();
    // Out-of-range positions clamp to the ends: insert never fails.
    const auto length = static_cast<std::int64_t>(list->items.size());
    if (index < 0) index = std::max<std::int64_t>(index + length, 0);
    index = std::min(index, length);
    list->items.insert(list->items.begin() + index, args[2]);
    return Value::none();
}

Value list_pop(VM& vm, CallArgs args) {
    List* list = self_list(vm, args, "pop");
    if (!list || !check_no_keywords(vm, args, "pop") || !check_positional(vm, args.without_self(), "pop", 0, 1))
        return Value::null();
    std::int64_t index = -1;
    if (args.positional_count() == 2 && !int_argument(vm, args[1], index)) return Value::null();
    if (list->items.empty()) return vm.raise(vm.types().index_error, "pop from empty list");
    const std::int64_t at = wrap_index(index, static_cast<std::int64_t>(list->items.size()));
    if (at < 0) return vm.raise(vm.types().index_error, "pop index out of range");
    const Value item = list->items[static_cast<std::size_t>(at)];
    list->items.erase(list->items.begin() + at);
    return item;
}

Value list_remove(VM& vm, CallArgs args) {
    List* list = self_list(vm, args, "remove");
    if (!list || !check_one_argument(vm, args.without_self(), "list.remove")) return Value::null();
    const std::int64_t at = find_item(vm, list->items, args[1], 0, static_cast<std::int64_t>(list->items.size()));
    if (at == -2) return Value::null();
    if (at == -1) return vm.raise(vm.types().value_error, "list.remove(x): x not in list");
    list->items.erase(list->items.begin() + at);
    return Value::none();
}

// The start/stop arguments of index(): clamped like slice bounds.
bool search_bounds(VM& vm, CallArgs args, std::size_t first, std::int64_t length, std::int64_t& start, std::int64_t& stop) {
    start = 0;
    stop = length;
    for (std::size_t i = first; i < args.positional_count() && i < first + 2; ++i) {
        std::int64_t bound = 0;
        const int status = clamped_index_value(vm, args[i], bound);
        if (status < 0) return false;
        if (status == 0) {
            vm.raise(vm.types().type_error, "slice indices must be integers or have an __index__ method");
            return false;
        }
        if (bound < 0) bound = std::max<std::int64_t>(bound + length, 0);
        (i == first ? start : stop) = bound;
    }
    return true;
}

Value list_index(VM& vm, CallArgs args) {
    List* list = self_list(vm, args, "index");
    if (!list || !check_no_keywords(vm, args, "index") || !check_positional(vm, args.without_self(), "index", 1, 3))
        return Value::null();
    std::int64_t start = 0;
    std::int64_t stop = 0;
    if (!search_bounds(vm, args, 2, static_cast<std::int64_t>(list->items.size()), start, stop)) return Value::null();
    const std::int64_t at = find_item(vm, list->items, args[1], start, stop);
    if (at == -2) return Value::null();
    if (at == -1) {
        String* text = ops::repr(vm, args[1]);
        if (!text) return Value::null();
        return vm.raise_format(vm.types().value_error, "{} is not in list", text->view());
    }
    return Value::from_small_int(at);
}

Value list_count(VM& vm, CallArgs args) {
    List* list = self_list(vm, args, "count");
    if (!list || !check_one_argument(vm, args.without_self(), "list.count")) return Value::null();
    std::int64_t count = 0;
    for (std::size_t i = 0; i < list->items.size(); ++i) {
        const Verdict v = equal_verdict(vm, list->items[i], args[1]);
        if (v == Verdict::Error) return Value::null();
        count += v == Verdict::Yes;
    }
    return Value::from_small_int(count);
}

Value list_reverse(VM& vm, CallArgs args) {
    List* list = self_list(vm, args, "reverse");
    if (!list || !check_no_arguments(vm, args.without_self(), "list.reverse")) return Value::null();
    std::reverse(list->items.begin(), list->items.end());
    return Value::none();
}

Value list_copy(VM& vm, CallArgs args) {
    List* list = self_list(vm, args, "copy");
    if (!list || !check_no_arguments(vm, args.without_self(), "list.copy")) return Value::null();
    return Value::from_object(new_list(vm, std::span<const Value>(list->items)));
}

Value list_clear(VM& vm, CallArgs args) {
    List* list = self_list(vm, args, "clear");
    if (!list || !check_no_arguments(vm, args.without_self(), "list.clear")) return Value::null();
    list->items.clear();
    return Value::none();
}

Value list_init(VM& vm, CallArgs args) {
    List* list = self_list(vm, args, "__init__");
    if (!list || !check_positional(vm, args.without_self(), "list", 0, 1)) return Value::null();
    list->items.clear();
    if (args.positional_count() == 2 && !collect_items(vm, args[1], list->items)) return Value::null();
    return Value::none();
}

Value list_reversed(VM& vm, CallArgs args) {
    List* list = self_list(vm, args, "__reversed__");
    if (!list || !check_no_arguments(vm, args.without_self(), "list.__reversed__")) return Value::null();
    return new_list_reverse_iterator(vm, args[0]);
}

Value list_len_method(VM& vm, CallArgs args) {
    List* list = self_list(vm, args, "__len__");
    if (!list || !check_no_arguments(vm, args.without_self(), "list.__len__")) return Value::null();
    return Value::from_small_int(static_cast<std::int64_t>(list->items.size()));
}

Value list_getitem_method(VM& vm, CallArgs args) {
    if (!self_list(vm, args, "__getitem__") || !check_one_argument(vm, args.without_self(), "list.__getitem__"))
        return Value::null();
    return list_getitem(vm, args[0], args[1]);
}

Value list_contains_method(VM& vm, CallArgs args) {
    if (!self_list(vm, args, "__contains__") || !check_one_argument(vm, args.without_self(), "list.__contains__"))
        return Value::null();
    const int found = list_contains(vm, args[0], args[1]);
    return found < 0 ? Value::null() : Value::from_bool(found == 1);
}

}  // namespace

// list.sort(*, key=None, reverse=False) and the heart of sorted(). The items are taken out
// of the list while sorting, as CPython does, so that a key function or comparison that
// changes the list is detected ("list modified during sort") instead of corrupting it.
Value sort_list(VM& vm, List* list, Value key, bool reverse) {
    Root keep_list(vm, list);
    std::vector<Value> items = std::move(list->items);
    list->items.clear();
    RootVector keep_items(vm, items);
    // The sort keys: the items themselves, or key(item) for each.
    std::vector<Value> keys;
    RootVector keep_keys(vm, keys);
    bool ok = true;
    if (!key.is_null() && !key.is_none()) {
        keys.reserve(items.size());
        for (Value item : items) {
            const Value args[] = {item};
            const Value k = vm.call(key, args);
            if (k.is_null()) {
                ok = false;
                break;
            }
            keys.push_back(k);
        }
    }
    std::vector<Value> sorted;
    if (ok) {
        const std::vector<Value>& by = keys.empty() ? items : keys;
        // Sort positions rather than Values: the Values stay in the rooted vectors above,
        // and the engine's scratch space holds only integers the collector need not see.
        std::vector<std::size_t> order(items.size());
        for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
        std::vector<std::size_t> scratch;
        ok = containers::stable_sort(std::span<std::size_t>(order), scratch,
                                     [&](std::size_t a, std::size_t b) { return less_verdict(vm, by[a], by[b]); },
                                     reverse);
        // Even after a failed comparison the order is a permutation: apply it, as CPython
        // leaves a partially sorted list behind.
        sorted.reserve(items.size());
        for (std::size_t i : order) sorted.push_back(items[i]);
    } else {
        sorted = items;
    }
    const bool modified = !list->items.empty();
    list->items = std::move(sorted);
    if (!ok) return Value::null();
    if (modified) return vm.raise(vm.types().value_error, "list modified during sort");
    return Value::none();
}

namespace {

Value list_sort(VM& vm, CallArgs args) {
    List* list = self_list(vm, args, "sort");
    if (!list) return Value::null();
    if (args.positional_count() > 1)
        return vm.raise(vm.types().type_error, "sort() takes no positional arguments");
    static const Signature signature{"sort", {"key", "reverse"}, 0, 0, 0};
    Value bound[2];
    if (!bind_arguments(vm, args.without_self(), signature, bound)) return Value::null();
    bool reverse = false;
    if (!bound[1].is_null()) {
        const Truth t = ops::truthy(vm, bound[1]);
        if (t == Truth::Error) return Value::null();
        reverse = t == Truth::True;
    }
    return sort_list(vm, list, bound[0], reverse);
}

}  // namespace

void init_list_type(VM& vm) {
    Type* type = vm.types().list;
    type->repr = list_repr;
    type->hash = list_hash;
    type->compare = list_compare;
    type->iter = list_iter;
    type->length = list_length;
    type->getitem = list_getitem;
    type->setitem = list_setitem;
    type->contains = list_contains;
    type->binary = list_binary;
    type->inplace = list_inplace;
    type->trace = list_trace;
    type->finalize = finalize_object<List>;
    type->construct = list_construct;
    type->flags |= TypeFlagBaseType;

    define_method(vm, type, "append", list_append);
    define_method(vm, type, "extend", list_extend);
    define_method(vm, type, "insert", list_insert);
    define_method(vm, type, "pop", list_pop);
    define_method(vm, type, "remove", list_remove);
    define_method(vm, type, "index", list_index);
    define_method(vm, type, "count", list_count);
    define_method(vm, type, "sort", list_sort);
    define_method(vm, type, "reverse", list_reverse);
    define_method(vm, type, "copy", list_copy);
    define_method(vm, type, "clear", list_clear);
    define_method(vm, type, "__init__", list_init);
    define_method(vm, type, "__reversed__", list_reversed);
    define_method(vm, type, "__len__", list_len_method);
    define_method(vm, type, "__getitem__", list_getitem_method);
    define_method(vm, type, "__contains__", list_contains_method);
    // __repr__, __eq__, __add__... by name, for subclasses and explicit calls.
    slot_methods::define_all<&BuiltinTypes::list>(vm);
}

}  // namespace asy
