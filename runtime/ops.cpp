// The abstract object layer (ops.hpp): generic operations dispatched through type slots,
// with Python's rules for reflected operands, NotImplemented, descriptors and fallbacks.
// Builtin types plug in through their slots; user classes through the generic dunder slots
// of classes.cpp.
#include "runtime/ops.hpp"

#include "runtime/objects/dict.hpp"
#include "runtime/objects/iterators.hpp"
#include "runtime/objects/list.hpp"
#include "runtime/objects/str.hpp"
#include "runtime/objects/tuple.hpp"
#include "runtime/vm_internal.hpp"

#include <cmath>
#include <cstdio>

namespace asy::ops {

// ---------------------------------------------------------------- names and reprs

std::string type_name(VM& vm, Value value) { return type_of(vm, value)->name->utf8; }

String* default_repr(VM& vm, Value value) {
    Type* type = type_of(vm, value);
    const auto address = value.is_object() ? reinterpret_cast<std::uintptr_t>(value.as_object()) : 0;
    if (type->module && type->module->view() != "builtins")
        return new_string(vm, fmt::format("<{}.{} object at {:#x}>", type->module->view(), type->qualname->view(),
                                          address));
    return new_string(vm, fmt::format("<{} object at {:#x}>", type->qualname->view(), address));
}

// Reprs of inline values, for when the numbers engineer's slots are not there yet.
static String* inline_repr(VM& vm, Value value) {
    if (value.is_small_int()) return new_string(vm, std::to_string(value.as_small_int()));
    if (value.is_bool()) return vm.intern(value.as_bool() ? "True" : "False");
    if (value.is_none()) return vm.intern("None");
    if (value.is_double()) {
        char buffer[32];
        std::snprintf(buffer, sizeof buffer, "%.17g", value.as_double());
        return new_string(vm, std::string_view(buffer));
    }
    return nullptr;
}

// repr of a tuple, when the containers engineer's slot is not there yet.
static String* sequence_repr(VM& vm, const std::vector<Value>& items, const char* open, const char* close) {
    std::string text = open;
    std::vector<Value> copy = items;
    RootVector root(vm, copy);
    for (std::size_t i = 0; i < copy.size(); ++i) {
        if (i) text += ", ";
        String* item = repr(vm, copy[i]);
        if (!item) return nullptr;
        text += item->utf8;
    }
    if (copy.size() == 1 && std::string_view(open) == "(") text += ",";
    text += close;
    return new_string(vm, std::move(text));
}

String* repr(VM& vm, Value value) {
    Type* type = type_of(vm, value);
    if (type->repr) return type->repr(vm, value);
    if (String* s = inline_repr(vm, value)) return s;
    if (type == vm.types().str) {
        return new_string(vm, "'" + static_cast<String*>(value.as_object())->utf8 + "'");
    }
    if (type == vm.types().tuple) return sequence_repr(vm, static_cast<Tuple*>(value.as_object())->items, "(", ")");
    if (type == vm.types().list) return sequence_repr(vm, static_cast<List*>(value.as_object())->items, "[", "]");
    return default_repr(vm, value);
}

String* str(VM& vm, Value value) {
    Type* type = type_of(vm, value);
    if (type == vm.types().str) return static_cast<String*>(value.as_object());
    if (type->str) return type->str(vm, value);
    return repr(vm, value);
}

// ---------------------------------------------------------------- hashing

bool hash_unhashable(VM& vm, Value self, std::int64_t&) {
    vm.raise_error(Error::unhashable, type_name(vm, self));
    return false;
}

bool hash(VM& vm, Value value, std::int64_t& out) {
    Type* type = type_of(vm, value);
    if (type->hash) return type->hash(vm, value, out);
    if (value.is_small_int()) {
        out = value.as_small_int();
        if (out == -1) out = -2;
        return true;
    }
    if (value.is_bool()) {
        out = value.as_bool();
        return true;
    }
    if (value.is_double()) {
        double d = value.as_double();
        if (d == std::floor(d) && std::fabs(d) < 1e15) {
            out = static_cast<std::int64_t>(d);
            if (out == -1) out = -2;
        } else {
            out = static_cast<std::int64_t>(value.bits() >> 1);
        }
        return true;
    }
    if (type == vm.types().str) {
        out = string_hash(static_cast<String*>(value.as_object()));
        return true;
    }
    // object.__hash__: identity.
    out = static_cast<std::int64_t>(value.bits() >> 4) & 0x0FFFFFFFFFFFFFFF;
    return true;
}

// ---------------------------------------------------------------- comparison

static CompareOp swapped(CompareOp op) {
    switch (op) {
    case CompareOp::Lt: return CompareOp::Gt;
    case CompareOp::Le: return CompareOp::Ge;
    case CompareOp::Gt: return CompareOp::Lt;
    case CompareOp::Ge: return CompareOp::Le;
    default: return op;
    }
}

static const char* compare_symbol(CompareOp op) {
    static const char* const symbols[] = {"<", "<=", "==", "!=", ">", ">="};
    return symbols[static_cast<int>(op)];
}

// A number that is inline (int, bool, float), as a double, for the start-up fallback.
static bool inline_number(Value v, double& out) {
    if (v.is_small_int()) out = static_cast<double>(v.as_small_int());
    else if (v.is_double()) out = v.as_double();
    else if (v.is_bool()) out = v.as_bool();
    else return false;
    return true;
}

Value compare(VM& vm, Value a, Value b, CompareOp op) {
    Type* ta = type_of(vm, a);
    Type* tb = type_of(vm, b);
    bool tried_reflected = false;
    // A subclass's reflected method goes first, so it can override its base's comparison.
    if (ta != tb && tb->compare && is_subtype(tb, ta) && tb->compare != ta->compare) {
        Value r = tb->compare(vm, b, a, swapped(op));
        if (r.is_null() || !r.is(vm.not_implemented())) return r;
        tried_reflected = true;
    }
    if (ta->compare) {
        Value r = ta->compare(vm, a, b, op);
        if (r.is_null() || !r.is(vm.not_implemented())) return r;
    }
    if (!tried_reflected && tb->compare) {
        Value r = tb->compare(vm, b, a, swapped(op));
        if (r.is_null() || !r.is(vm.not_implemented())) return r;
    }
    double x, y;
    if (inline_number(a, x) && inline_number(b, y)) {
        switch (op) {
        case CompareOp::Lt: return Value::from_bool(x < y);
        case CompareOp::Le: return Value::from_bool(x <= y);
        case CompareOp::Eq: return Value::from_bool(x == y);
        case CompareOp::Ne: return Value::from_bool(x != y);
        case CompareOp::Gt: return Value::from_bool(x > y);
        case CompareOp::Ge: return Value::from_bool(x >= y);
        }
    }
    if (ta == vm.types().str && tb == vm.types().str) {
        int c = static_cast<String*>(a.as_object())->utf8.compare(static_cast<String*>(b.as_object())->utf8);
        switch (op) {
        case CompareOp::Lt: return Value::from_bool(c < 0);
        case CompareOp::Le: return Value::from_bool(c <= 0);
        case CompareOp::Eq: return Value::from_bool(c == 0);
        case CompareOp::Ne: return Value::from_bool(c != 0);
        case CompareOp::Gt: return Value::from_bool(c > 0);
        case CompareOp::Ge: return Value::from_bool(c >= 0);
        }
    }
    // The default: == and != compare identity; ordering is an error.
    if (op == CompareOp::Eq) return Value::from_bool(a.is(b));
    if (op == CompareOp::Ne) return Value::from_bool(!a.is(b));
    return vm.raise_error(Error::unorderable, compare_symbol(op), type_name(vm, a), type_name(vm, b));
}

Truth compare_bool(VM& vm, Value a, Value b, CompareOp op) {
    Value r = compare(vm, a, b, op);
    if (r.is_null()) return Truth::Error;
    if (r.is_bool()) return r.as_bool() ? Truth::True : Truth::False;
    Root root(vm, r);
    return truthy(vm, r);
}

Truth equals(VM& vm, Value a, Value b) {
    if (a.is(b)) return Truth::True;
    return compare_bool(vm, a, b, CompareOp::Eq);
}

// ---------------------------------------------------------------- truth

Truth truthy(VM& vm, Value value) {
    if (value.is_bool()) return value.as_bool() ? Truth::True : Truth::False;
    if (value.is_none()) return Truth::False;
    if (value.is_small_int()) return value.as_small_int() ? Truth::True : Truth::False;
    if (value.is_double()) return value.as_double() != 0.0 ? Truth::True : Truth::False;
    Type* type = value.as_object()->type;
    if (type->boolean) {
        int r = type->boolean(vm, value);
        return r < 0 ? Truth::Error : (r ? Truth::True : Truth::False);
    }
    if (type->length) {
        std::int64_t n = type->length(vm, value);
        return n < 0 ? Truth::Error : (n ? Truth::True : Truth::False);
    }
    if (type == vm.types().str) return static_cast<String*>(value.as_object())->utf8.empty() ? Truth::False : Truth::True;
    if (type == vm.types().list) return static_cast<List*>(value.as_object())->items.empty() ? Truth::False : Truth::True;
    if (type == vm.types().tuple) return static_cast<Tuple*>(value.as_object())->items.empty() ? Truth::False : Truth::True;
    if (type == vm.types().dict) return static_cast<Dict*>(value.as_object())->count ? Truth::True : Truth::False;
    return Truth::True;
}

// ---------------------------------------------------------------- attributes

// The instance dict of an object, or nullptr when its class gives instances none.
static Dict** instance_dict_slot(Type* type, Value object) {
    if (!type->dict_offset || !object.is_object()) return nullptr;
    return reinterpret_cast<Dict**>(reinterpret_cast<char*>(object.as_object()) + type->dict_offset);
}

// A user object with __get__ and __set__/__delete__ on its class is a data descriptor.
static bool is_data_descriptor(VM& vm, Value attribute) {
    if (!attribute.is_object()) return false;
    Type* type = attribute.as_object()->type;
    if (type == vm.types().property) return true;
    if (!(type->flags & TypeFlagHeap)) return false;
    return !type_lookup(type, vm.names().set).is_null() || !type_lookup(type, vm.names().delete_).is_null();
}

// Binds a class attribute found for `object` (of class `type`): functions become methods,
// properties run their getter, descriptors run __get__.
static Value bind_attribute(VM& vm, Value attribute, Value object, Type* type) {
    if (!attribute.is_object()) return attribute;
    Type* kind = attribute.as_object()->type;
    if (kind == vm.types().function ||
        (kind == vm.types().native_function && static_cast<NativeFunctionObject*>(attribute.as_object())->owner)) {
        return Value::from_object(vm.heap().allocate<BoundMethod>(vm.types().bound_method, attribute, object));
    }
    if (kind == vm.types().staticmethod) return static_cast<StaticMethod*>(attribute.as_object())->function;
    if (kind == vm.types().classmethod) {
        return Value::from_object(vm.heap().allocate<BoundMethod>(
            vm.types().bound_method, static_cast<ClassMethod*>(attribute.as_object())->function,
            Value::from_object(type)));
    }
    if (kind == vm.types().property) {
        auto* property = static_cast<Property*>(attribute.as_object());
        if (property->getter.is_none() || property->getter.is_null())
            return vm.raise_error(Error::property_unreadable);
        return vm.call(property->getter, std::span<const Value>(&object, 1));
    }
    if (kind->flags & TypeFlagHeap) {
        Value get = type_lookup(kind, vm.names().get);
        if (!get.is_null()) {
            Value args[3] = {attribute, object, Value::from_object(type)};
            return vm.call(get, std::span<const Value>(args, 3));
        }
    }
    return attribute;
}

Value generic_getattr_nohook(VM& vm, Value object, String* name) {
    Type* type = type_of(vm, object);
    Value attribute = type_lookup(type, name);
    Root attribute_root(vm, attribute);
    if (!attribute.is_null() && is_data_descriptor(vm, attribute)) return bind_attribute(vm, attribute, object, type);
    if (Dict** slot = instance_dict_slot(type, object); slot && *slot) {
        Value v = dict_get_str(*slot, name);
        if (!v.is_null()) return v;
    }
    if (!attribute.is_null()) return bind_attribute(vm, attribute, object, type);
    if (name == vm.names().class_) return Value::from_object(type);
    if (name == vm.names().dict) {
        if (Dict** slot = instance_dict_slot(type, object)) {
            if (!*slot) *slot = new_dict(vm);
            return Value::from_object(*slot);
        }
    }
    return vm.raise_error(Error::no_attribute, type->name->view(), name->view());
}

// object.__getattribute__ followed by CPython's slot_tp_getattr_hook rule: when it raises
// AttributeError (a miss, or a property getter raising it) a user class's __getattr__ runs.
Value generic_getattr(VM& vm, Value object, String* name) {
    Value r = generic_getattr_nohook(vm, object, name);
    if (!r.is_null()) return r;
    Type* type = type_of(vm, object);
    if (!(type->flags & TypeFlagHeap)) return r;
    Value hook = type_lookup(type, vm.names().getattr);
    if (hook.is_null() || !vm.exception_matches(vm.types().attribute_error)) return r;
    vm.clear_exception();
    Value args[2] = {object, Value::from_object(name)};
    return vm.call(hook, std::span<const Value>(args, 2));
}

bool generic_setattr(VM& vm, Value object, String* name, Value value) {
    Type* type = type_of(vm, object);
    Value attribute = type_lookup(type, name);
    if (!attribute.is_null() && attribute.is_object()) {
        Type* kind = attribute.as_object()->type;
        if (kind == vm.types().property) {
            auto* property = static_cast<Property*>(attribute.as_object());
            Value accessor = value.is_null() ? property->deleter : property->setter;
            if (accessor.is_none() || accessor.is_null()) {
                vm.raise_error(value.is_null() ? Error::property_no_deleter : Error::property_no_setter, name->view(),
                               type->name->view());
                return false;
            }
            Value args[2] = {object, value};
            Value r = vm.call(accessor, std::span<const Value>(args, value.is_null() ? 1 : 2));
            return !r.is_null();
        }
        if (kind->flags & TypeFlagHeap) {
            Value hook = type_lookup(kind, value.is_null() ? vm.names().delete_ : vm.names().set);
            if (!hook.is_null()) {
                Value args[3] = {attribute, object, value};
                return !vm.call(hook, std::span<const Value>(args, value.is_null() ? 2 : 3)).is_null();
            }
        }
    }
    Dict** slot = instance_dict_slot(type, object);
    if (!slot) {
        if (!attribute.is_null())
            vm.raise_error(Error::readonly_attribute, type->name->view(), name->view());
        else
            vm.raise_error(Error::no_attribute, type->name->view(), name->view());
        return false;
    }
    if (value.is_null()) {
        if (!*slot || !dict_delete_str(vm, *slot, name)) {
            vm.raise_error(Error::no_attribute, type->name->view(), name->view());
            return false;
        }
        return true;
    }
    if (!*slot) {
        Root root(vm, value);
        *slot = new_dict(vm);
    }
    dict_set_str(vm, *slot, name, value);
    return true;
}

Value getattr(VM& vm, Value object, String* name) {
    Type* type = type_of(vm, object);
    if (type->getattr) return type->getattr(vm, object, name);
    return generic_getattr(vm, object, name);
}

Value getattr_optional(VM& vm, Value object, String* name) {
    Value v = getattr(vm, object, name);
    if (v.is_null() && vm.exception_matches(vm.types().attribute_error)) vm.clear_exception();
    return v;
}

bool setattr(VM& vm, Value object, String* name, Value value) {
    Type* type = type_of(vm, object);
    if (type->setattr) return type->setattr(vm, object, name, value);
    return generic_setattr(vm, object, name, value);
}

bool delattr(VM& vm, Value object, String* name) { return setattr(vm, object, name, Value::null()); }

// ---------------------------------------------------------------- items

Value getitem(VM& vm, Value object, Value key) {
    Type* type = type_of(vm, object);
    if (type->getitem) return type->getitem(vm, object, key);
    if (type == vm.types().type) {
        // A class's __class_getitem__ (list[int]) is not supported.
        return vm.raise_error(Error::type_not_subscriptable, static_cast<Type*>(object.as_object())->name->view());
    }
    return vm.raise_error(Error::not_subscriptable, type->name->view());
}

bool setitem(VM& vm, Value object, Value key, Value value) {
    Type* type = type_of(vm, object);
    if (type->setitem) return type->setitem(vm, object, key, value);
    vm.raise_error(Error::no_item_assignment, type->name->view());
    return false;
}

bool delitem(VM& vm, Value object, Value key) {
    Type* type = type_of(vm, object);
    if (type->setitem) return type->setitem(vm, object, key, Value::null());
    vm.raise_error(Error::no_item_deletion, type->name->view());
    return false;
}

// ---------------------------------------------------------------- iteration

Value iter(VM& vm, Value value) {
    Type* type = type_of(vm, value);
    if (!type->iter) {
        // The old sequence protocol: anything with __getitem__ iterates from index 0.
        if (type->getitem && type != vm.types().type) return new_seq_iterator(vm, value);
        return vm.raise_error(Error::not_iterable, type->name->view());
    }
    Value iterator = type->iter(vm, value);
    if (iterator.is_null()) return iterator;
    Type* iterator_type = type_of(vm, iterator);
    if (!iterator_type->next) return vm.raise_error(Error::iter_returned_non_iterator, iterator_type->name->view());
    return iterator;
}

Value next(VM& vm, Value iterator) {
    Type* type = type_of(vm, iterator);
    if (!type->next) return vm.raise_error(Error::not_an_iterator, type->name->view());
    Value item = type->next(vm, iterator);
    if (item.is_null() && vm.exception_matches(vm.types().stop_iteration)) vm.clear_exception();
    return item;
}

std::int64_t len(VM& vm, Value value) {
    Type* type = type_of(vm, value);
    if (type->length) return type->length(vm, value);
    if (type == vm.types().str) return static_cast<String*>(value.as_object())->length;
    if (type == vm.types().list) return static_cast<std::int64_t>(static_cast<List*>(value.as_object())->items.size());
    if (type == vm.types().tuple) return static_cast<std::int64_t>(static_cast<Tuple*>(value.as_object())->items.size());
    if (type == vm.types().dict) return static_cast<std::int64_t>(static_cast<Dict*>(value.as_object())->count);
    vm.raise_error(Error::no_len, type->name->view());
    return -1;
}

Truth contains(VM& vm, Value container, Value item) {
    Type* type = type_of(vm, container);
    if (type->contains) {
        int r = type->contains(vm, container, item);
        return r < 0 ? Truth::Error : (r ? Truth::True : Truth::False);
    }
    if (!type->iter && !type->getitem) {
        vm.raise_error(Error::not_container, type->name->view());
        return Truth::Error;
    }
    Value iterator = iter(vm, container);
    if (iterator.is_null()) return Truth::Error;
    Root root(vm, iterator);
    while (true) {
        Value v = next(vm, iterator);
        if (v.is_null()) return vm.has_exception() ? Truth::Error : Truth::False;
        Truth t = equals(vm, v, item);
        if (t != Truth::False) return t;
    }
}

// ---------------------------------------------------------------- arithmetic

const char* binary_op_symbol(BinaryOp op) {
    static const char* const symbols[] = {"+",  "&",  "//",  "<<",  "@",  "*",  "%",  "|",  "** or pow()",
                                          ">>", "-",  "/",   "^",   "+=", "&=", "//=", "<<=", "@=",
                                          "*=", "%=", "|=",  "**=", ">>=", "-=", "/=", "^="};
    return symbols[static_cast<int>(op)];
}

Value binary_op(VM& vm, BinaryOp op, Value a, Value b) {
    const bool inplace = static_cast<int>(op) >= inplace_offset;
    const auto base = inplace ? static_cast<BinaryOp>(static_cast<int>(op) - inplace_offset) : op;
    Type* ta = type_of(vm, a);
    Type* tb = type_of(vm, b);
    if (inplace && ta->inplace) {
        Value r = ta->inplace(vm, base, a, b);
        if (r.is_null() || !r.is(vm.not_implemented())) return r;
    }
    BinarySlot slot_a = ta->binary;
    BinarySlot slot_b = tb != ta ? tb->binary : nullptr;
    if (slot_a == slot_b) slot_b = nullptr;
    // A subclass operand gets the first try (its __radd__ overrides its base's __add__).
    if (slot_b && is_subtype(tb, ta)) {
        Value r = slot_b(vm, base, a, b);
        if (r.is_null() || !r.is(vm.not_implemented())) return r;
        slot_b = nullptr;
    }
    if (slot_a) {
        Value r = slot_a(vm, base, a, b);
        if (r.is_null() || !r.is(vm.not_implemented())) return r;
    }
    if (slot_b) {
        Value r = slot_b(vm, base, a, b);
        if (r.is_null() || !r.is(vm.not_implemented())) return r;
    }
    // Start-up fallback for str + str until the str type's slots exist.
    if (base == BinaryOp::Add && ta == vm.types().str && tb == vm.types().str && !ta->binary) {
        return Value::from_object(new_string(vm, static_cast<String*>(a.as_object())->utf8 +
                                                     static_cast<String*>(b.as_object())->utf8));
    }
    if (base == BinaryOp::Power && !inplace)
        return vm.raise_error(Error::unsupported_pow, ta->name->view(), tb->name->view());
    return vm.raise_error(Error::unsupported_binary, binary_op_symbol(op), ta->name->view(), tb->name->view());
}

Value unary_op(VM& vm, UnaryOp op, Value value) {
    Type* type = type_of(vm, value);
    if (type->unary) {
        Value r = type->unary(vm, op, value);
        if (r.is_null() || !r.is(vm.not_implemented())) return r;
    }
    if (value.is_small_int() && op != UnaryOp::Invert) {
        std::int64_t i = value.as_small_int();
        return Value::from_small_int(op == UnaryOp::Negative ? -i : i);
    }
    if (value.is_double() && op != UnaryOp::Invert)
        return Value::from_double(op == UnaryOp::Negative ? -value.as_double() : value.as_double());
    const char* symbol = op == UnaryOp::Negative ? "-" : op == UnaryOp::Positive ? "+" : "~";
    return vm.raise_error(Error::bad_unary, symbol, type->name->view());
}

String* format(VM& vm, Value value, String* spec) {
    Type* type = type_of(vm, value);
    if (type->format) return type->format(vm, value, spec);
    if (spec->utf8.empty()) return str(vm, value);
    vm.raise_error(Error::format_spec_non_empty, type->name->view());
    return nullptr;
}

// ---------------------------------------------------------------- classes

Truth isinstance(VM& vm, Value value, Value cls) {
    if (cls.is_object() && cls.as_object()->type == vm.types().type)
        return is_subtype(type_of(vm, value), static_cast<Type*>(cls.as_object())) ? Truth::True : Truth::False;
    if (cls.is_object() && is_subtype(cls.as_object()->type, vm.types().type))
        return is_subtype(type_of(vm, value), static_cast<Type*>(cls.as_object())) ? Truth::True : Truth::False;
    if (auto* tuple = as_instance<Tuple>(cls, vm.types().tuple)) {
        for (Value item : tuple->items) {
            Truth t = isinstance(vm, value, item);
            if (t != Truth::False) return t;
        }
        return Truth::False;
    }
    vm.raise(vm.types().type_error, "isinstance() arg 2 must be a type, a tuple of types, or a union");
    return Truth::Error;
}

Truth issubclass(VM& vm, Value cls, Value base) {
    if (!cls.is_object() || !is_subtype(cls.as_object()->type, vm.types().type)) {
        vm.raise(vm.types().type_error, "issubclass() arg 1 must be a class");
        return Truth::Error;
    }
    if (base.is_object() && is_subtype(base.as_object()->type, vm.types().type))
        return is_subtype(static_cast<Type*>(cls.as_object()), static_cast<Type*>(base.as_object())) ? Truth::True
                                                                                                     : Truth::False;
    if (auto* tuple = as_instance<Tuple>(base, vm.types().tuple)) {
        for (Value item : tuple->items) {
            Truth t = issubclass(vm, cls, item);
            if (t != Truth::False) return t;
        }
        return Truth::False;
    }
    vm.raise(vm.types().type_error, "issubclass() arg 2 must be a class, a tuple of classes, or a union");
    return Truth::Error;
}

String* exception_str(VM& vm, Value exception) {
    Tuple* args = as_exception(exception)->args;
    if (!args || args->items.empty()) return vm.intern("");
    if (args->items.size() == 1) return str(vm, args->items[0]);
    return repr(vm, Value::from_object(args));
}

}  // namespace asy::ops
