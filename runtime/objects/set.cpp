// set and frozenset: the Python types on containers/set_table.hpp. The set algebra follows
// CPython's setobject.c step for step (which operand is copied, which one is iterated,
// when the table is presized), because a set prints in slot order: doing the same steps
// is what makes `print({1, 2} | {3})` show what CPython shows.
#include "runtime/objects/set.hpp"

#include "runtime/objects/container_types.hpp"
#include "runtime/objects/container_util.hpp"
#include "runtime/objects/dict.hpp"
#include "runtime/objects/iterators.hpp"
#include "runtime/objects/slot_methods.hpp"
#include "runtime/objects/str.hpp"
#include "runtime/vm.hpp"

namespace asy {

using containers::SetTable;
using containers::Verdict;

namespace {

// set or frozenset, or a subclass of either.
Set* as_any_set(VM& vm, Value value) {
    if (Set* s = as_instance<Set>(value, vm.types().set)) return s;
    return as_instance<Set>(value, vm.types().frozenset);
}

bool is_frozen(VM& vm, const Set* set) { return is_subtype(set->type, vm.types().frozenset); }

// The builtin type a set operation's result has: set or frozenset, never a subclass.
Type* base_type(VM& vm, const Set* set) { return is_frozen(vm, set) ? vm.types().frozenset : vm.types().set; }

Set* allocate_set(VM& vm, Type* type) { return vm.heap().allocate<Set>(type); }

// The comparison the table calls on hash collisions.
auto equality(VM& vm) {
    return [&vm](Value a, Value b) { return equal_verdict(vm, a, b); };
}

// hash(key) for a set operation. A set used as a key is looked up as the equal frozenset
// would be ({1} in {frozenset({1})} is True), so its hash is the frozenset hash.
bool key_hash(VM& vm, Value key, std::int64_t& out) {
    if (Set* s = as_instance<Set>(key, vm.types().set)) {
        out = s->table.frozenset_hash();
        return true;
    }
    return ops::hash(vm, key, out);
}

bool add_key(VM& vm, Set* set, Value key) {
    std::int64_t hash = 0;
    if (!ops::hash(vm, key, hash)) return false;
    Root keep(vm, key);
    return set->table.add(key, hash, equality(vm)) != SetTable::Added::Error;
}

// 1 if `key` is in the set, 0 if not, -1 after raising.
int contains_key(VM& vm, Set* set, Value key) {
    std::int64_t hash = 0;
    if (!key_hash(vm, key, hash)) return -1;
    const auto found = set->table.find(key, hash, equality(vm));
    if (found.status == SetTable::Status::Error) return -1;
    return found.status == SetTable::Status::Found ? 1 : 0;
}

// 1 if `key` was removed, 0 if it was absent, -1 after raising.
int discard_key(VM& vm, Set* set, Value key) {
    std::int64_t hash = 0;
    if (!key_hash(vm, key, hash)) return -1;
    const auto found = set->table.discard(key, hash, equality(vm));
    if (found.status == SetTable::Status::Error) return -1;
    return found.status == SetTable::Status::Found ? 1 : 0;
}

// Calls visit(key, hash) for each key of a set, in slot order, re-reading the table
// size each step (a comparison inside `visit` may change the set).
template <class Visit>
bool for_each_key(const Set* set, Visit&& visit) {
    for (std::size_t i = 0; i < set->table.slot_count(); ++i) {
        const containers::SetSlot slot = set->table.slot(i);
        if (slot.key.is_null()) continue;
        if (!visit(slot.key, slot.hash)) return false;
    }
    return true;
}

// set.update(other) for one iterable (CPython's set_update_internal).
bool update_from(VM& vm, Set* set, Value other) {
    if (Set* source = as_any_set(vm, other)) return set->table.merge(source->table, equality(vm));
    if (Dict* dict = as_exact<Dict>(other, vm.types().dict)) {
        // Keys of a dict come with their hashes; presize once as CPython does.
        set->table.presize_for(dict->count);
        for (std::size_t i = 0; i < dict->entries.size(); ++i) {
            const DictEntry entry = dict->entries[i];
            if (entry.key.is_null()) continue;
            if (set->table.add(entry.key, entry.hash, equality(vm)) == SetTable::Added::Error) return false;
        }
        return true;
    }
    return for_each_item(vm, other, [&](Value key) { return add_key(vm, set, key); });
}

// A new set of `type` holding the items of `iterable` (or nothing for null).
Value make_set(VM& vm, Type* type, Value iterable) {
    Root result(vm, allocate_set(vm, type));
    if (!iterable.is_null() && !update_from(vm, result.as<Set>(), iterable)) return Value::null();
    return result.get();
}

Value copy_set(VM& vm, Set* set) { return make_set(vm, base_type(vm, set), Value::from_object(set)); }

// ---------------------------------------------------------------- the algebra (CPython's steps)

// so & other for one other iterable.
Value intersection(VM& vm, Set* so, Value other) {
    Root keep_so(vm, so);
    Root result(vm, allocate_set(vm, base_type(vm, so)));
    Set* out = result.as<Set>();
    if (Set* other_set = as_any_set(vm, other)) {
        // Iterate over the smaller set, look keys up in the larger one.
        Set* small = other_set;
        Set* large = so;
        if (other_set->table.size() > so->table.size()) std::swap(small, large);
        const bool ok = for_each_key(small, [&](Value key, std::int64_t hash) {
            Root k(vm, key);
            const auto found = large->table.find(key, hash, equality(vm));
            if (found.status == SetTable::Status::Error) return false;
            if (found.status == SetTable::Status::Found)
                return out->table.add(key, hash, equality(vm)) != SetTable::Added::Error;
            return true;
        });
        return ok ? result.get() : Value::null();
    }
    const bool ok = for_each_item(vm, other, [&](Value key) {
        std::int64_t hash = 0;
        if (!ops::hash(vm, key, hash)) return false;
        Root k(vm, key);
        const auto found = so->table.find(key, hash, equality(vm));
        if (found.status == SetTable::Status::Error) return false;
        if (found.status == SetTable::Status::Found)
            return out->table.add(key, hash, equality(vm)) != SetTable::Added::Error;
        return true;
    });
    return ok ? result.get() : Value::null();
}

// so -= other, in place.
bool difference_update(VM& vm, Set* so, Value other) {
    if (Set* other_set = as_any_set(vm, other)) {
        if (other_set == so) {
            so->table.clear();
            return true;
        }
        const bool ok = for_each_key(other_set, [&](Value key, std::int64_t hash) {
            Root k(vm, key);
            return so->table.discard(key, hash, equality(vm)).status != SetTable::Status::Error;
        });
        if (!ok) return false;
    } else {
        const bool ok = for_each_item(vm, other, [&](Value key) { return discard_key(vm, so, key) >= 0; });
        if (!ok) return false;
    }
    // Many deletions leave many deleted slots: rebuild if over a quarter of the table.
    so->table.compact_if_sparse();
    return true;
}

// so - other, for one other iterable.
Value difference(VM& vm, Set* so, Value other) {
    Root keep_so(vm, so);
    std::size_t other_size = 0;
    bool sized = false;
    if (Set* other_set = as_any_set(vm, other)) {
        other_size = other_set->table.size();
        sized = true;
    } else if (Dict* dict = as_exact<Dict>(other, vm.types().dict)) {
        other_size = dict->count;
        sized = true;
    }
    // When so is much larger than other, copy so and remove other's keys from the copy.
    if (!sized || (so->table.size() >> 2) > other_size) {
        Root result(vm, copy_set(vm, so));
        if (result.get().is_null() || !difference_update(vm, result.as<Set>(), other)) return Value::null();
        return result.get();
    }
    // Otherwise iterate over so and keep the keys other lacks.
    Root result(vm, allocate_set(vm, base_type(vm, so)));
    Set* out = result.as<Set>();
    Set* other_set = as_any_set(vm, other);
    Dict* other_dict = other_set ? nullptr : static_cast<Dict*>(other.as_object());
    const bool ok = for_each_key(so, [&](Value key, std::int64_t hash) {
        Root k(vm, key);
        int found;
        if (other_set) {
            const auto lookup = other_set->table.find(key, hash, equality(vm));
            if (lookup.status == SetTable::Status::Error) return false;
            found = lookup.status == SetTable::Status::Found;
        } else {
            const Value value = dict_get(vm, other_dict, key);
            if (value.is_null() && vm.has_exception()) return false;
            found = !value.is_null();
        }
        if (found) return true;
        return out->table.add(key, hash, equality(vm)) != SetTable::Added::Error;
    });
    return ok ? result.get() : Value::null();
}

// so ^= other, in place.
bool symmetric_difference_update(VM& vm, Set* so, Value other) {
    if (as_any_set(vm, other) == so) {
        so->table.clear();
        return true;
    }
    Root keep_so(vm, so);
    // Toggle each key of other: remove it if present, else add it.
    auto toggle = [&](Value key, std::int64_t hash) {
        Root k(vm, key);
        const auto removed = so->table.discard(key, hash, equality(vm));
        if (removed.status == SetTable::Status::Error) return false;
        if (removed.status == SetTable::Status::Found) return true;
        return so->table.add(key, hash, equality(vm)) != SetTable::Added::Error;
    };
    if (Dict* dict = as_exact<Dict>(other, vm.types().dict)) {
        for (std::size_t i = 0; i < dict->entries.size(); ++i) {
            const DictEntry entry = dict->entries[i];
            if (!entry.key.is_null() && !toggle(entry.key, entry.hash)) return false;
        }
        return true;
    }
    // Anything else is made a set first, so duplicates in it toggle only once.
    Root other_set(vm, as_any_set(vm, other) ? other : make_set(vm, vm.types().set, other));
    if (other_set.get().is_null()) return false;
    return for_each_key(other_set.as<Set>(), toggle);
}

// so ^ other: CPython copies *other* and toggles so's keys into it.
Value symmetric_difference(VM& vm, Set* so, Value other) {
    Root keep_so(vm, so);
    Root result(vm, make_set(vm, base_type(vm, so), other));
    if (result.get().is_null()) return Value::null();
    if (!symmetric_difference_update(vm, result.as<Set>(), Value::from_object(so))) return Value::null();
    return result.get();
}

// so <= other. Truth::Error after raising.
Truth is_subset(VM& vm, Set* so, Set* other) {
    if (so->table.size() > other->table.size()) return Truth::False;
    Truth answer = Truth::True;
    for_each_key(so, [&](Value key, std::int64_t hash) {
        Root k(vm, key);
        const auto found = other->table.find(key, hash, equality(vm));
        if (found.status == SetTable::Status::Error) {
            answer = Truth::Error;
            return false;
        }
        if (found.status == SetTable::Status::Missing) {
            answer = Truth::False;
            return false;
        }
        return true;
    });
    return answer;
}

// The argument of issubset & co. as a set: itself, or a new set of its items.
Value as_set_argument(VM& vm, Value other) {
    if (as_any_set(vm, other)) return other;
    return make_set(vm, vm.types().set, other);
}

// ---------------------------------------------------------------- slots

Set* self_of(Value self) { return static_cast<Set*>(self.as_object()); }

String* set_repr(VM& vm, Value self) {
    Set* set = self_of(self);
    const std::string name(type_name_of(set->type));
    if (set->table.size() == 0) return new_string(vm, name + "()");
    ReprGuard guard(set);
    if (guard.recursive()) return new_string(vm, name + "(...)");
    std::vector<Value> keys;
    RootVector keep(vm, keys);
    for_each_key(set, [&](Value key, std::int64_t) {
        keys.push_back(key);
        return true;
    });
    // An exact set prints as {1, 2}; frozensets and subclasses name their class around it.
    if (set->type == vm.types().set) return repr_sequence(vm, "{", keys, "}");
    return repr_sequence(vm, name + "({", keys, "})");
}

bool set_hash(VM& vm, Value self, std::int64_t&) {
    vm.raise_error(Error::unhashable, ops::type_name(vm, self));
    return false;
}

bool frozenset_hash(VM&, Value self, std::int64_t& out) {
    Set* set = self_of(self);
    if (set->hash == -1) set->hash = set->table.frozenset_hash();
    out = set->hash;
    return true;
}

Value set_compare(VM& vm, Value self, Value other, CompareOp op) {
    Set* a = as_any_set(vm, self);
    Set* b = as_any_set(vm, other);
    if (!a || !b) return vm.not_implemented();
    const std::size_t na = a->table.size();
    const std::size_t nb = b->table.size();
    Truth result = Truth::False;
    switch (op) {
    case CompareOp::Eq:
    case CompareOp::Ne:
        result = na != nb ? Truth::False : is_subset(vm, a, b);
        if (result != Truth::Error && op == CompareOp::Ne) result = result == Truth::True ? Truth::False : Truth::True;
        break;
    case CompareOp::Le: result = is_subset(vm, a, b); break;
    case CompareOp::Ge: result = is_subset(vm, b, a); break;
    case CompareOp::Lt: result = na >= nb ? Truth::False : is_subset(vm, a, b); break;
    case CompareOp::Gt: result = na <= nb ? Truth::False : is_subset(vm, b, a); break;
    }
    if (result == Truth::Error) return Value::null();
    return Value::from_bool(result == Truth::True);
}

Value set_iter(VM& vm, Value self) { return new_set_iterator(vm, self); }

std::int64_t set_length(VM&, Value self) { return static_cast<std::int64_t>(self_of(self)->table.size()); }

int set_contains(VM& vm, Value self, Value item) { return contains_key(vm, self_of(self), item); }

Value set_binary(VM& vm, BinaryOp op, Value left, Value right) {
    Set* a = as_any_set(vm, left);
    Set* b = as_any_set(vm, right);
    // Set operators need sets on both sides ({1} | [2] is a TypeError; .union accepts it).
    if (!a || !b) return vm.not_implemented();
    switch (op) {
    case BinaryOp::Or: {
        Root result(vm, copy_set(vm, a));
        if (result.get().is_null() || !update_from(vm, result.as<Set>(), right)) return Value::null();
        return result.get();
    }
    case BinaryOp::And: return intersection(vm, a, right);
    case BinaryOp::Subtract: return difference(vm, a, right);
    case BinaryOp::Xor: return symmetric_difference(vm, a, right);
    default: return vm.not_implemented();
    }
}

// |= &= -= ^= on a mutable set: change it in place and return it.
Value set_inplace(VM& vm, BinaryOp op, Value left, Value right) {
    Set* a = as_instance<Set>(left, vm.types().set);
    if (!a || !as_any_set(vm, right)) return vm.not_implemented();
    switch (op) {
    case BinaryOp::Or:
        if (!update_from(vm, a, right)) return Value::null();
        return left;
    case BinaryOp::And: {
        Root result(vm, intersection(vm, a, right));
        if (result.get().is_null()) return Value::null();
        a->table.swap(result.as<Set>()->table);
        return left;
    }
    case BinaryOp::Subtract:
        if (!difference_update(vm, a, right)) return Value::null();
        return left;
    case BinaryOp::Xor:
        if (!symmetric_difference_update(vm, a, right)) return Value::null();
        return left;
    default: return vm.not_implemented();
    }
}

void set_trace(Object* self, Tracer& tracer) {
    static_cast<Set*>(self)->table.trace([&](Value key) { tracer.mark(key); });
}

Value set_construct(VM& vm, Value cls, CallArgs args) {
    Type* type = static_cast<Type*>(cls.as_object());
    Root result(vm, allocate_set(vm, type));
    // A subclass is filled by __init__ (set.__init__ unless it overrides it).
    if (type != vm.types().set) return result.get();
    if (args.keyword_count() > 0) return vm.raise(vm.types().type_error, "set() takes no keyword arguments");
    if (!check_positional(vm, args, "set", 0, 1)) return Value::null();
    if (args.positional_count() == 1 && !update_from(vm, result.as<Set>(), args[0])) return Value::null();
    return result.get();
}

Value frozenset_construct(VM& vm, Value cls, CallArgs args) {
    Type* type = static_cast<Type*>(cls.as_object());
    if (type == vm.types().frozenset) {
        if (args.keyword_count() > 0) return vm.raise(vm.types().type_error, "frozenset() takes no keyword arguments");
        if (!check_positional(vm, args, "frozenset", 0, 1)) return Value::null();
        // Immutable: frozenset(fs) can be fs itself.
        if (args.positional_count() == 1 && as_exact<Set>(args[0], vm.types().frozenset)) return args[0];
    }
    return make_set(vm, type, args.positional_count() >= 1 ? args[0] : Value::null());
}

// ---------------------------------------------------------------- methods

Set* self_set(VM& vm, CallArgs args, std::string_view name) {
    if (args.positional_count() >= 1) {
        if (Set* s = as_any_set(vm, args[0])) return s;
    }
    return method_self<Set>(vm, args, vm.types().set, name);
}

Set* self_mutable(VM& vm, CallArgs args, std::string_view name) {
    return method_self<Set>(vm, args, vm.types().set, name);
}

Value set_add_method(VM& vm, CallArgs args) {
    Set* set = self_mutable(vm, args, "add");
    if (!set || !check_one_argument(vm, args.without_self(), "set.add")) return Value::null();
    return add_key(vm, set, args[1]) ? Value::none() : Value::null();
}

Value set_remove(VM& vm, CallArgs args) {
    Set* set = self_mutable(vm, args, "remove");
    if (!set || !check_one_argument(vm, args.without_self(), "set.remove")) return Value::null();
    const int removed = discard_key(vm, set, args[1]);
    if (removed < 0) return Value::null();
    if (removed == 0) return raise_key_error(vm, args[1]);
    return Value::none();
}

Value set_discard(VM& vm, CallArgs args) {
    Set* set = self_mutable(vm, args, "discard");
    if (!set || !check_one_argument(vm, args.without_self(), "set.discard")) return Value::null();
    return discard_key(vm, set, args[1]) < 0 ? Value::null() : Value::none();
}

Value set_pop(VM& vm, CallArgs args) {
    Set* set = self_mutable(vm, args, "pop");
    if (!set || !check_no_arguments(vm, args.without_self(), "set.pop")) return Value::null();
    if (set->table.size() == 0) return vm.raise(vm.types().key_error, "pop from an empty set");
    return set->table.pop();
}

Value set_clear(VM& vm, CallArgs args) {
    Set* set = self_mutable(vm, args, "clear");
    if (!set || !check_no_arguments(vm, args.without_self(), "set.clear")) return Value::null();
    set->table.clear();
    return Value::none();
}

Value set_copy(VM& vm, CallArgs args) {
    Set* set = self_set(vm, args, "copy");
    if (!set || !check_no_arguments(vm, args.without_self(), "copy")) return Value::null();
    // An exact frozenset is immutable: its copy is itself.
    if (set->type == vm.types().frozenset) return args[0];
    return copy_set(vm, set);
}

Value set_union(VM& vm, CallArgs args) {
    Set* set = self_set(vm, args, "union");
    if (!set || !check_no_keywords(vm, args, "union")) return Value::null();
    Root result(vm, copy_set(vm, set));
    if (result.get().is_null()) return Value::null();
    for (std::size_t i = 1; i < args.positional_count(); ++i)
        if (!update_from(vm, result.as<Set>(), args[i])) return Value::null();
    return result.get();
}

Value set_intersection(VM& vm, CallArgs args) {
    Set* set = self_set(vm, args, "intersection");
    if (!set || !check_no_keywords(vm, args, "intersection")) return Value::null();
    if (args.positional_count() == 1) return copy_set(vm, set);
    Root result(vm, Value::from_object(set));
    for (std::size_t i = 1; i < args.positional_count(); ++i) {
        result.set(intersection(vm, result.as<Set>(), args[i]));
        if (result.get().is_null()) return Value::null();
    }
    return result.get();
}

Value set_difference(VM& vm, CallArgs args) {
    Set* set = self_set(vm, args, "difference");
    if (!set || !check_no_keywords(vm, args, "difference")) return Value::null();
    if (args.positional_count() == 1) return copy_set(vm, set);
    Root result(vm, difference(vm, set, args[1]));
    if (result.get().is_null()) return Value::null();
    for (std::size_t i = 2; i < args.positional_count(); ++i)
        if (!difference_update(vm, result.as<Set>(), args[i])) return Value::null();
    return result.get();
}

Value set_symmetric_difference(VM& vm, CallArgs args) {
    Set* set = self_set(vm, args, "symmetric_difference");
    if (!set || !check_one_argument(vm, args.without_self(), "symmetric_difference")) return Value::null();
    return symmetric_difference(vm, set, args[1]);
}

Value set_update(VM& vm, CallArgs args) {
    Set* set = self_mutable(vm, args, "update");
    if (!set || !check_no_keywords(vm, args, "update")) return Value::null();
    for (std::size_t i = 1; i < args.positional_count(); ++i)
        if (!update_from(vm, set, args[i])) return Value::null();
    return Value::none();
}

Value set_intersection_update(VM& vm, CallArgs args) {
    Set* set = self_mutable(vm, args, "intersection_update");
    if (!set || !check_no_keywords(vm, args, "intersection_update")) return Value::null();
    Root result(vm, Value::from_object(set));
    for (std::size_t i = 1; i < args.positional_count(); ++i) {
        result.set(intersection(vm, result.as<Set>(), args[i]));
        if (result.get().is_null()) return Value::null();
    }
    if (result.as<Set>() != set) set->table.swap(result.as<Set>()->table);
    return Value::none();
}

Value set_difference_update(VM& vm, CallArgs args) {
    Set* set = self_mutable(vm, args, "difference_update");
    if (!set || !check_no_keywords(vm, args, "difference_update")) return Value::null();
    for (std::size_t i = 1; i < args.positional_count(); ++i)
        if (!difference_update(vm, set, args[i])) return Value::null();
    return Value::none();
}

Value set_symmetric_difference_update(VM& vm, CallArgs args) {
    Set* set = self_mutable(vm, args, "symmetric_difference_update");
    if (!set || !check_one_argument(vm, args.without_self(), "symmetric_difference_update")) return Value::null();
    return symmetric_difference_update(vm, set, args[1]) ? Value::none() : Value::null();
}

Value set_issubset(VM& vm, CallArgs args) {
    Set* set = self_set(vm, args, "issubset");
    if (!set || !check_one_argument(vm, args.without_self(), "issubset")) return Value::null();
    Root other(vm, as_set_argument(vm, args[1]));
    if (other.get().is_null()) return Value::null();
    const Truth t = is_subset(vm, set, other.as<Set>());
    return t == Truth::Error ? Value::null() : Value::from_bool(t == Truth::True);
}

Value set_issuperset(VM& vm, CallArgs args) {
    Set* set = self_set(vm, args, "issuperset");
    if (!set || !check_one_argument(vm, args.without_self(), "issuperset")) return Value::null();
    Root other(vm, as_set_argument(vm, args[1]));
    if (other.get().is_null()) return Value::null();
    const Truth t = is_subset(vm, other.as<Set>(), set);
    return t == Truth::Error ? Value::null() : Value::from_bool(t == Truth::True);
}

Value set_isdisjoint(VM& vm, CallArgs args) {
    Set* set = self_set(vm, args, "isdisjoint");
    if (!set || !check_one_argument(vm, args.without_self(), "isdisjoint")) return Value::null();
    bool disjoint = true;
    bool ok;
    if (Set* other = as_any_set(vm, args[1])) {
        // Iterate over the smaller set.
        Set* small = other->table.size() < set->table.size() ? other : set;
        Set* large = small == set ? other : set;
        ok = for_each_key(small, [&](Value key, std::int64_t hash) {
            Root k(vm, key);
            const auto found = large->table.find(key, hash, equality(vm));
            if (found.status == SetTable::Status::Error) return false;
            disjoint = found.status == SetTable::Status::Missing;
            return disjoint;
        });
        if (!disjoint) ok = true;
    } else {
        ok = for_each_item(vm, args[1], [&](Value key) {
            const int found = contains_key(vm, set, key);
            if (found < 0) return false;
            disjoint = found == 0;
            return disjoint;
        });
    }
    return ok ? Value::from_bool(disjoint) : Value::null();
}

Value set_init(VM& vm, CallArgs args) {
    Set* set = self_mutable(vm, args, "__init__");
    if (!set || !check_positional(vm, args.without_self(), "set", 0, 1)) return Value::null();
    set->table.clear();
    if (args.positional_count() == 2 && !update_from(vm, set, args[1])) return Value::null();
    return Value::none();
}

Value set_contains_method(VM& vm, CallArgs args) {
    Set* set = self_set(vm, args, "__contains__");
    if (!set || !check_one_argument(vm, args.without_self(), "__contains__")) return Value::null();
    const int found = contains_key(vm, set, args[1]);
    return found < 0 ? Value::null() : Value::from_bool(found == 1);
}

Value set_len_method(VM& vm, CallArgs args) {
    Set* set = self_set(vm, args, "__len__");
    if (!set || !check_no_arguments(vm, args.without_self(), "__len__")) return Value::null();
    return Value::from_small_int(static_cast<std::int64_t>(set->table.size()));
}

void fill_common(VM& vm, Type* type) {
    type->repr = set_repr;
    type->compare = set_compare;
    type->iter = set_iter;
    type->length = set_length;
    type->contains = set_contains;
    type->binary = set_binary;
    type->trace = set_trace;
    type->finalize = finalize_object<Set>;
    type->flags |= TypeFlagBaseType;
    define_method(vm, type, "copy", set_copy);
    define_method(vm, type, "union", set_union);
    define_method(vm, type, "intersection", set_intersection);
    define_method(vm, type, "difference", set_difference);
    define_method(vm, type, "symmetric_difference", set_symmetric_difference);
    define_method(vm, type, "issubset", set_issubset);
    define_method(vm, type, "issuperset", set_issuperset);
    define_method(vm, type, "isdisjoint", set_isdisjoint);
    define_method(vm, type, "__contains__", set_contains_method);
    define_method(vm, type, "__len__", set_len_method);
}

}  // namespace

Value new_set_from(VM& vm, Type* type, Value iterable) { return make_set(vm, type, iterable); }

Value new_set(VM& vm) { return Value::from_object(allocate_set(vm, vm.types().set)); }

bool set_add(VM& vm, Value set, Value item) { return add_key(vm, self_of(set), item); }

void init_set_types(VM& vm) {
    Type* set = vm.types().set;
    fill_common(vm, set);
    set->hash = set_hash;
    set->inplace = set_inplace;
    set->construct = set_construct;
    define_method(vm, set, "add", set_add_method);
    define_method(vm, set, "remove", set_remove);
    define_method(vm, set, "discard", set_discard);
    define_method(vm, set, "pop", set_pop);
    define_method(vm, set, "clear", set_clear);
    define_method(vm, set, "update", set_update);
    define_method(vm, set, "intersection_update", set_intersection_update);
    define_method(vm, set, "difference_update", set_difference_update);
    define_method(vm, set, "symmetric_difference_update", set_symmetric_difference_update);
    define_method(vm, set, "__init__", set_init);

    Type* frozenset = vm.types().frozenset;
    fill_common(vm, frozenset);
    frozenset->hash = frozenset_hash;
    frozenset->construct = frozenset_construct;
    // __repr__, __eq__, __add__... by name, for subclasses and explicit calls.
    slot_methods::define_all<&BuiltinTypes::set>(vm);
    slot_methods::define_all<&BuiltinTypes::frozenset>(vm);
}

}  // namespace asy
