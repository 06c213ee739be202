// The dict type: repr, equality, item access with KeyError, `|`, the methods (get ... fromkeys),
// dict() and the three views (keys, values, items). The table itself is core runtime
// (objects/dict_core.cpp); the dict iterators are in objects/iterators.cpp.
#include "runtime/objects/dict.hpp"

#include "runtime/objects/container_types.hpp"
#include "runtime/objects/container_util.hpp"
#include "runtime/objects/iterators.hpp"
#include "runtime/objects/slot_methods.hpp"
#include "runtime/objects/list.hpp"
#include "runtime/objects/str.hpp"
#include "runtime/objects/tuple.hpp"
#include "runtime/vm.hpp"

namespace asy {

using containers::Verdict;

// keys(), values(), items(): live views of a dict.
struct DictView : Object {
    // The Dict viewed.
    Value dict;
};

namespace {

Dict* as_dict(VM& vm, Value value) { return as_instance<Dict>(value, vm.types().dict); }

Dict* self_dict(VM& vm, CallArgs args, std::string_view name) {
    return method_self<Dict>(vm, args, vm.types().dict, name);
}

// d[key] with a KeyError (or __missing__, for subclasses) when the key is absent.
Value lookup_or_raise(VM& vm, Dict* dict, Value key) {
    const Value value = dict_get(vm, dict, key);
    if (!value.is_null()) return value;
    if (vm.has_exception()) return Value::null();
    // A subclass may define __missing__ (collections.defaultdict-style classes do).
    if (dict->type != vm.types().dict) {
        const Value missing = type_lookup(dict->type, vm.names().missing);
        if (!missing.is_null()) {
            const Value args[] = {Value::from_object(dict), key};
            return vm.call(missing, args);
        }
    }
    return raise_key_error(vm, key);
}

// Copies every entry of `source` into `target`, keeping each key's stored hash.
bool merge_dict(VM& vm, Dict* target, Dict* source) {
    if (target == source) return true;
    // Into an empty exact dict, the table can be copied wholesale: no hashing, no __eq__.
    if (target->count == 0 && target->entries.empty()) {
        target->entries = source->entries;
        target->index = source->index;
        target->count = source->count;
        ++target->version;
        return true;
    }
    // Otherwise key by key, re-reading the source's size: __eq__ may change it.
    for (std::size_t i = 0; i < source->entries.size(); ++i) {
        const DictEntry entry = source->entries[i];
        if (entry.key.is_null()) continue;
        if (!dict_set(vm, target, entry.key, entry.value)) return false;
    }
    return true;
}

// dict.update's positional argument: a dict, anything with keys(), or an iterable of pairs.
bool update_from(VM& vm, Dict* dict, Value source) {
    if (Dict* other = as_dict(vm, source)) return merge_dict(vm, dict, other);
    Root keys_method(vm, ops::getattr_optional(vm, source, vm.names().keys));
    if (vm.has_exception()) return false;
    if (!keys_method.get().is_null()) {
        // A mapping: for k in source.keys(): dict[k] = source[k].
        Root keys(vm, vm.call(keys_method.get(), std::span<const Value>{}));
        if (keys.get().is_null()) return false;
        return for_each_item(vm, keys.get(), [&](Value key) {
            Root k(vm, key);
            const Value value = ops::getitem(vm, source, key);
            return !value.is_null() && dict_set(vm, dict, k.get(), value);
        });
    }
    // An iterable of pairs.
    std::size_t position = 0;
    return for_each_item(vm, source, [&](Value element) {
        std::vector<Value> pair;
        RootVector keep(vm, pair);
        Root element_root(vm, element);
        Root iterator(vm, ops::iter(vm, element));
        if (iterator.get().is_null()) {
            if (vm.exception_matches(vm.types().type_error)) {
                vm.clear_exception();
                vm.raise_format(vm.types().type_error,
                                "cannot convert dictionary update sequence element #{} to a sequence", position);
            }
            return false;
        }
        if (!collect_items(vm, iterator.get(), pair)) return false;
        if (pair.size() != 2) {
            vm.raise_format(vm.types().value_error, "dictionary update sequence element #{} has length {}; 2 is required",
                            position, pair.size());
            return false;
        }
        ++position;
        return dict_set(vm, dict, pair[0], pair[1]);
    });
}

// The keyword arguments of dict(...) and update(...): name=value pairs.
bool update_from_keywords(VM& vm, Dict* dict, CallArgs args) {
    for (std::size_t i = 0; i < args.keyword_count(); ++i)
        if (!dict_set(vm, dict, Value::from_object(args.keyword_name(i)), args.keyword_value(i))) return false;
    return true;
}

// ---------------------------------------------------------------- slots

String* dict_repr(VM& vm, Value self) {
    Dict* dict = static_cast<Dict*>(self.as_object());
    if (dict->count == 0) return new_string(vm, std::string_view("{}"));
    ReprGuard guard(dict);
    if (guard.recursive()) return new_string(vm, std::string_view("{...}"));
    NestingGuard nesting(vm);
    if (!nesting.ok()) {
        raise_nesting_error(vm, " while getting the repr of an object");
        return nullptr;
    }
    std::string out = "{";
    bool first = true;
    // By position with the size re-read: a key's or value's __repr__ may change the dict.
    for (std::size_t i = 0; i < dict->entries.size(); ++i) {
        const DictEntry entry = dict->entries[i];
        if (entry.key.is_null()) continue;
        Root key(vm, entry.key);
        Root value(vm, entry.value);
        if (!first) out += ", ";
        first = false;
        if (!append_repr(vm, out, key.get())) return nullptr;
        out += ": ";
        if (!append_repr(vm, out, value.get())) return nullptr;
    }
    out += "}";
    return new_string(vm, std::move(out));
}

bool dict_hash(VM& vm, Value self, std::int64_t&) {
    vm.raise_error(Error::unhashable, ops::type_name(vm, self));
    return false;
}

// Two dicts are equal when they have the same keys with equal values (order does not matter).
Truth dicts_equal(VM& vm, Dict* a, Dict* b) {
    if (a == b) return Truth::True;
    if (a->count != b->count) return Truth::False;
    NestingGuard nesting(vm);
    if (!nesting.ok()) {
        raise_nesting_error(vm, " in comparison");
        return Truth::Error;
    }
    for (std::size_t i = 0; i < a->entries.size(); ++i) {
        const DictEntry entry = a->entries[i];
        if (entry.key.is_null()) continue;
        Root key(vm, entry.key);
        Root value(vm, entry.value);
        const Value other = dict_get(vm, b, key.get());
        if (other.is_null()) return vm.has_exception() ? Truth::Error : Truth::False;
        const Verdict v = equal_verdict(vm, value.get(), other);
        if (v == Verdict::Error) return Truth::Error;
        if (v == Verdict::No) return Truth::False;
    }
    return Truth::True;
}

Value dict_compare(VM& vm, Value self, Value other, CompareOp op) {
    Dict* a = as_dict(vm, self);
    Dict* b = as_dict(vm, other);
    if (!a || !b || (op != CompareOp::Eq && op != CompareOp::Ne)) return vm.not_implemented();
    const Truth equal = dicts_equal(vm, a, b);
    if (equal == Truth::Error) return Value::null();
    return Value::from_bool((equal == Truth::True) == (op == CompareOp::Eq));
}

Value dict_iter(VM& vm, Value self) { return new_dict_iterator(vm, self, DictIterKind::Keys, false); }

std::int64_t dict_length(VM&, Value self) { return static_cast<std::int64_t>(static_cast<Dict*>(self.as_object())->count); }

Value dict_getitem(VM& vm, Value self, Value key) { return lookup_or_raise(vm, static_cast<Dict*>(self.as_object()), key); }

bool dict_setitem(VM& vm, Value self, Value key, Value value) {
    Dict* dict = static_cast<Dict*>(self.as_object());
    if (!value.is_null()) return dict_set(vm, dict, key, value);
    const int deleted = dict_delete(vm, dict, key);
    if (deleted < 0) return false;
    if (deleted == 0) {
        raise_key_error(vm, key);
        return false;
    }
    return true;
}

int dict_contains(VM& vm, Value self, Value key) {
    const Value value = dict_get(vm, static_cast<Dict*>(self.as_object()), key);
    if (!value.is_null()) return 1;
    return vm.has_exception() ? -1 : 0;
}

// A new exact dict with the entries of `source`.
Dict* copy_dict(VM& vm, Dict* source) {
    Root keep(vm, source);
    Dict* copy = new_dict(vm);
    (void)merge_dict(vm, copy, source);  // cannot fail: the copy is empty
    return copy;
}

Value dict_binary(VM& vm, BinaryOp op, Value left, Value right) {
    Dict* a = as_dict(vm, left);
    Dict* b = as_dict(vm, right);
    if (op != BinaryOp::Or || !a || !b) return vm.not_implemented();
    Root result(vm, copy_dict(vm, a));
    if (!merge_dict(vm, result.as<Dict>(), b)) return Value::null();
    return result.get();
}

Value dict_inplace(VM& vm, BinaryOp op, Value left, Value right) {
    Dict* dict = as_dict(vm, left);
    if (op != BinaryOp::Or || !dict) return vm.not_implemented();
    if (!update_from(vm, dict, right)) return Value::null();
    return left;
}

// dict(mapping_or_pairs=(), **kwargs), also for subclasses.
Value dict_construct(VM& vm, Value cls, CallArgs args) {
    Type* type = static_cast<Type*>(cls.as_object());
    Root dict(vm, vm.heap().allocate<Dict>(type));
    // A subclass is filled by __init__ (dict.__init__ unless it overrides it).
    if (type != vm.types().dict) return dict.get();
    if (!check_positional(vm, CallArgs(args.positional()), "dict", 0, 1)) return Value::null();
    if (args.positional_count() == 1 && !update_from(vm, dict.as<Dict>(), args[0])) return Value::null();
    if (!update_from_keywords(vm, dict.as<Dict>(), args)) return Value::null();
    return dict.get();
}

// ---------------------------------------------------------------- methods

Value dict_get_method(VM& vm, CallArgs args) {
    Dict* dict = self_dict(vm, args, "get");
    if (!dict || !check_no_keywords(vm, args, "get") || !check_positional(vm, args.without_self(), "get", 1, 2))
        return Value::null();
    const Value value = dict_get(vm, dict, args[1]);
    if (!value.is_null()) return value;
    if (vm.has_exception()) return Value::null();
    return args.positional_count() == 3 ? args[2] : Value::none();
}

Value dict_setdefault(VM& vm, CallArgs args) {
    Dict* dict = self_dict(vm, args, "setdefault");
    if (!dict || !check_no_keywords(vm, args, "setdefault") ||
        !check_positional(vm, args.without_self(), "setdefault", 1, 2))
        return Value::null();
    const Value value = dict_get(vm, dict, args[1]);
    if (!value.is_null()) return value;
    if (vm.has_exception()) return Value::null();
    const Value fallback = args.positional_count() == 3 ? args[2] : Value::none();
    if (!dict_set(vm, dict, args[1], fallback)) return Value::null();
    return fallback;
}

Value dict_pop(VM& vm, CallArgs args) {
    Dict* dict = self_dict(vm, args, "pop");
    if (!dict || !check_no_keywords(vm, args, "pop") || !check_positional(vm, args.without_self(), "pop", 1, 2))
        return Value::null();
    Root value(vm, dict_get(vm, dict, args[1]));
    if (value.get().is_null()) {
        if (vm.has_exception()) return Value::null();
        if (args.positional_count() == 3) return args[2];
        return raise_key_error(vm, args[1]);
    }
    if (dict_delete(vm, dict, args[1]) < 0) return Value::null();
    return value.get();
}

Value dict_popitem(VM& vm, CallArgs args) {
    Dict* dict = self_dict(vm, args, "popitem");
    if (!dict || !check_no_arguments(vm, args.without_self(), "dict.popitem")) return Value::null();
    if (dict->count == 0) return vm.raise(vm.types().key_error, "popitem(): dictionary is empty");
    // The newest entry goes first (LIFO), as in CPython 3.7+.
    std::size_t i = dict->entries.size();
    while (dict->entries[i - 1].key.is_null()) --i;
    const DictEntry entry = dict->entries[i - 1];
    const Value pair[] = {entry.key, entry.value};
    Root result(vm, new_tuple(vm, pair));
    if (dict_delete(vm, dict, entry.key) < 0) return Value::null();
    return result.get();
}

Value dict_update(VM& vm, CallArgs args) {
    Dict* dict = self_dict(vm, args, "update");
    if (!dict) return Value::null();
    if (args.positional_count() > 2)
        return vm.raise_format(vm.types().type_error, "update expected at most 1 argument, got {}",
                               args.positional_count() - 1);
    if (args.positional_count() == 2 && !update_from(vm, dict, args[1])) return Value::null();
    if (!update_from_keywords(vm, dict, args)) return Value::null();
    return Value::none();
}

Value make_view(VM& vm, CallArgs args, std::string_view name, Type* type) {
    Dict* dict = self_dict(vm, args, name);
    if (!dict || !check_no_arguments(vm, args.without_self(), name)) return Value::null();
    DictView* view = vm.heap().allocate<DictView>(type);
    view->dict = args[0];
    return Value::from_object(view);
}

Value dict_keys(VM& vm, CallArgs args) { return make_view(vm, args, "keys", vm.types().dict_keys); }
Value dict_values(VM& vm, CallArgs args) { return make_view(vm, args, "values", vm.types().dict_values); }
Value dict_items(VM& vm, CallArgs args) { return make_view(vm, args, "items", vm.types().dict_items); }

Value dict_copy(VM& vm, CallArgs args) {
    Dict* dict = self_dict(vm, args, "copy");
    if (!dict || !check_no_arguments(vm, args.without_self(), "dict.copy")) return Value::null();
    return Value::from_object(copy_dict(vm, dict));
}

Value dict_clear_method(VM& vm, CallArgs args) {
    Dict* dict = self_dict(vm, args, "clear");
    if (!dict || !check_no_arguments(vm, args.without_self(), "dict.clear")) return Value::null();
    dict_clear(dict);
    return Value::none();
}

// dict.fromkeys(iterable, value=None), a class method: args[0] is the class.
Value dict_fromkeys(VM& vm, CallArgs args) {
    if (!check_no_keywords(vm, args, "fromkeys") || !check_positional(vm, args.without_self(), "fromkeys", 1, 2))
        return Value::null();
    const Value fill = args.positional_count() == 3 ? args[2] : Value::none();
    Root result(vm, vm.call(args[0], std::span<const Value>{}));
    if (result.get().is_null()) return Value::null();
    Dict* dict = as_dict(vm, result.get());
    const bool ok = for_each_item(vm, args[1], [&](Value key) {
        if (dict) return dict_set(vm, dict, key, fill);
        return ops::setitem(vm, result.get(), key, fill);
    });
    return ok ? result.get() : Value::null();
}

Value dict_contains_method(VM& vm, CallArgs args) {
    if (!self_dict(vm, args, "__contains__") || !check_one_argument(vm, args.without_self(), "dict.__contains__"))
        return Value::null();
    const int found = dict_contains(vm, args[0], args[1]);
    return found < 0 ? Value::null() : Value::from_bool(found == 1);
}

Value dict_getitem_method(VM& vm, CallArgs args) {
    Dict* dict = self_dict(vm, args, "__getitem__");
    if (!dict || !check_one_argument(vm, args.without_self(), "dict.__getitem__")) return Value::null();
    return lookup_or_raise(vm, dict, args[1]);
}

Value dict_setitem_method(VM& vm, CallArgs args) {
    Dict* dict = self_dict(vm, args, "__setitem__");
    if (!dict || !check_positional(vm, args.without_self(), "__setitem__", 2, 2)) return Value::null();
    return dict_set(vm, dict, args[1], args[2]) ? Value::none() : Value::null();
}

Value dict_delitem_method(VM& vm, CallArgs args) {
    if (!self_dict(vm, args, "__delitem__") || !check_one_argument(vm, args.without_self(), "dict.__delitem__"))
        return Value::null();
    return dict_setitem(vm, args[0], args[1], Value::null()) ? Value::none() : Value::null();
}

Value dict_len_method(VM& vm, CallArgs args) {
    Dict* dict = self_dict(vm, args, "__len__");
    if (!dict || !check_no_arguments(vm, args.without_self(), "dict.__len__")) return Value::null();
    return Value::from_small_int(static_cast<std::int64_t>(dict->count));
}

Value dict_reversed(VM& vm, CallArgs args) {
    if (!self_dict(vm, args, "__reversed__") || !check_no_arguments(vm, args.without_self(), "dict.__reversed__"))
        return Value::null();
    return new_dict_iterator(vm, args[0], DictIterKind::Keys, true);
}

Value dict_init(VM& vm, CallArgs args) {
    Dict* dict = self_dict(vm, args, "__init__");
    if (!dict) return Value::null();
    if (args.positional_count() > 2)
        return vm.raise_format(vm.types().type_error, "dict expected at most 1 argument, got {}",
                               args.positional_count() - 1);
    if (args.positional_count() == 2 && !update_from(vm, dict, args[1])) return Value::null();
    if (!update_from_keywords(vm, dict, args)) return Value::null();
    return Value::none();
}

// ---------------------------------------------------------------- views

DictIterKind view_kind(VM& vm, const Object* view) {
    if (view->type == vm.types().dict_values) return DictIterKind::Values;
    if (view->type == vm.types().dict_items) return DictIterKind::Items;
    return DictIterKind::Keys;
}

Dict* view_dict(Value view) { return static_cast<Dict*>(static_cast<DictView*>(view.as_object())->dict.as_object()); }

String* view_repr(VM& vm, Value self) {
    // dict_keys(['a', 'b']): the type name around the repr of the view as a list.
    ReprGuard guard(self.as_object());
    const std::string_view name = type_name_of(self.as_object()->type);
    if (guard.recursive()) return new_string(vm, std::string(name) + "(...)");
    std::vector<Value> items;
    RootVector keep(vm, items);
    if (!collect_items(vm, self, items)) return nullptr;
    return repr_sequence(vm, std::string(name) + "([", items, "])");
}

std::int64_t view_length(VM&, Value self) { return static_cast<std::int64_t>(view_dict(self)->count); }

Value view_iter(VM& vm, Value self) {
    return new_dict_iterator(vm, static_cast<DictView*>(self.as_object())->dict, view_kind(vm, self.as_object()), false);
}

int view_contains(VM& vm, Value self, Value item) {
    Dict* dict = view_dict(self);
    switch (view_kind(vm, self.as_object())) {
    case DictIterKind::Keys: return dict_contains(vm, Value::from_object(dict), item);
    case DictIterKind::Items: {
        // (key, value) in d.items(): the key is there and its value equals.
        auto* pair = as_instance<Tuple>(item, vm.types().tuple);
        if (!pair || pair->items.size() != 2) return 0;
        const Value value = dict_get(vm, dict, pair->items[0]);
        if (value.is_null()) return vm.has_exception() ? -1 : 0;
        const Verdict v = equal_verdict(vm, value, pair->items[1]);
        return v == Verdict::Error ? -1 : (v == Verdict::Yes ? 1 : 0);
    }
    case DictIterKind::Values:
        for (std::size_t i = 0; i < dict->entries.size(); ++i) {
            const DictEntry entry = dict->entries[i];
            if (entry.key.is_null()) continue;
            const Verdict v = equal_verdict(vm, entry.value, item);
            if (v == Verdict::Error) return -1;
            if (v == Verdict::Yes) return 1;
        }
        return 0;
    }
    return 0;
}

// Keys and items views are set-like: ==, <, & | - ^ work as on the set of their items.
Value view_as_set(VM& vm, Value view) { return new_set_from(vm, vm.types().set, view); }

bool is_set_like(VM& vm, Value value) {
    if (!value.is_object()) return false;
    const Type* type = value.as_object()->type;
    return is_subtype(type, vm.types().set) || is_subtype(type, vm.types().frozenset) ||
           type == vm.types().dict_keys || type == vm.types().dict_items;
}

Value view_compare(VM& vm, Value self, Value other, CompareOp op) {
    if (view_kind(vm, self.as_object()) == DictIterKind::Values || !is_set_like(vm, other)) return vm.not_implemented();
    Root a(vm, view_as_set(vm, self));
    if (a.get().is_null()) return Value::null();
    Root b(vm, other.as_object()->type == vm.types().dict_keys || other.as_object()->type == vm.types().dict_items
                   ? view_as_set(vm, other)
                   : other);
    if (b.get().is_null()) return Value::null();
    return ops::compare(vm, a.get(), b.get(), op);
}

Value view_binary(VM& vm, BinaryOp op, Value left, Value right) {
    if (op != BinaryOp::And && op != BinaryOp::Or && op != BinaryOp::Subtract && op != BinaryOp::Xor)
        return vm.not_implemented();
    // Either operand may be the view; the other may be any iterable.
    auto set_of = [&](Value v) -> Value {
        if (v.is_object() && (v.as_object()->type == vm.types().dict_keys || v.as_object()->type == vm.types().dict_items))
            return view_as_set(vm, v);
        return new_set_from(vm, vm.types().set, v);
    };
    Root a(vm, set_of(left));
    if (a.get().is_null()) return Value::null();
    Root b(vm, set_of(right));
    if (b.get().is_null()) return Value::null();
    return ops::binary_op(vm, op, a.get(), b.get());
}

void view_trace(Object* self, Tracer& tracer) { tracer.mark(static_cast<DictView*>(self)->dict); }

Value view_reversed(VM& vm, CallArgs args) {
    if (args.positional_count() < 1 || !args[0].is_object()) return vm.raise(vm.types().type_error, "bad view");
    return new_dict_iterator(vm, static_cast<DictView*>(args[0].as_object())->dict, view_kind(vm, args[0].as_object()),
                             true);
}

Value view_isdisjoint(VM& vm, CallArgs args) {
    if (!check_one_argument(vm, args.without_self(), "isdisjoint")) return Value::null();
    bool disjoint = true;
    const bool ok = for_each_item(vm, args[1], [&](Value item) {
        const int found = view_contains(vm, args[0], item);
        if (found < 0) return false;
        if (found == 1) disjoint = false;
        return disjoint;
    });
    return ok ? Value::from_bool(disjoint) : Value::null();
}

void init_view_type(VM& vm, Type* type, bool set_like) {
    type->repr = view_repr;
    type->length = view_length;
    type->iter = view_iter;
    type->contains = view_contains;
    type->trace = view_trace;
    type->hash = nullptr;
    if (set_like) {
        type->compare = view_compare;
        type->binary = view_binary;
        define_method(vm, type, "isdisjoint", view_isdisjoint);
    }
    define_method(vm, type, "__reversed__", view_reversed);
}

void dict_finalize(Object* self) { static_cast<Dict*>(self)->~Dict(); }

}  // namespace

void init_dict_type(VM& vm) {
    Type* type = vm.types().dict;
    type->repr = dict_repr;
    type->hash = dict_hash;
    type->compare = dict_compare;
    type->iter = dict_iter;
    type->length = dict_length;
    type->getitem = dict_getitem;
    type->setitem = dict_setitem;
    type->contains = dict_contains;
    type->binary = dict_binary;
    type->inplace = dict_inplace;
    type->construct = dict_construct;
    if (!type->trace) type->trace = dict_trace;
    if (!type->finalize) type->finalize = dict_finalize;
    type->flags |= TypeFlagBaseType;

    define_method(vm, type, "get", dict_get_method);
    define_method(vm, type, "setdefault", dict_setdefault);
    define_method(vm, type, "pop", dict_pop);
    define_method(vm, type, "popitem", dict_popitem);
    define_method(vm, type, "update", dict_update);
    define_method(vm, type, "keys", dict_keys);
    define_method(vm, type, "values", dict_values);
    define_method(vm, type, "items", dict_items);
    define_method(vm, type, "copy", dict_copy);
    define_method(vm, type, "clear", dict_clear_method);
    define_class_method(vm, type, "fromkeys", dict_fromkeys);
    define_method(vm, type, "__contains__", dict_contains_method);
    define_method(vm, type, "__getitem__", dict_getitem_method);
    define_method(vm, type, "__setitem__", dict_setitem_method);
    define_method(vm, type, "__delitem__", dict_delitem_method);
    define_method(vm, type, "__len__", dict_len_method);
    define_method(vm, type, "__reversed__", dict_reversed);
    define_method(vm, type, "__init__", dict_init);

    init_view_type(vm, vm.types().dict_keys, true);
    init_view_type(vm, vm.types().dict_values, false);
    init_view_type(vm, vm.types().dict_items, true);
    // __repr__, __eq__, __add__... by name, for subclasses and explicit calls.
    slot_methods::define_all<&BuiltinTypes::dict>(vm);
}

}  // namespace asy
