// Classes: the `type` metatype (calling a class makes an instance, type(x), attribute access
// on classes), the class statement (__build_class__), the generic slots that make user
// classes' dunder methods (__eq__, __len__, __add__...) work through ops.hpp, object's own
// methods, and the descriptor types property, staticmethod, classmethod and super.
#include "runtime/objects/dict.hpp"
#include "runtime/objects/int.hpp"
#include "runtime/objects/list.hpp"
#include "runtime/objects/str.hpp"
#include "runtime/objects/tuple.hpp"
#include "runtime/ops.hpp"
#include "runtime/vm_internal.hpp"

namespace asy {

// ---------------------------------------------------------------- helpers

static bool is_type(VM& vm, Value v) { return v.is_object() && is_subtype(v.as_object()->type, vm.types().type); }
static Type* as_type(Value v) { return static_cast<Type*>(v.as_object()); }
static bool is_str(VM& vm, Value v) { return v.is_object() && is_subtype(v.as_object()->type, vm.types().str); }

// Calls a plain function found on the class of `self`, with self first.
static Value call_attribute(VM& vm, Value attribute, Value self, std::span<const Value> args) {
    std::vector<Value> all;
    all.reserve(args.size() + 1);
    all.push_back(self);
    all.insert(all.end(), args.begin(), args.end());
    RootVector root(vm, all);
    return vm.call(attribute, all);
}

Value call_dunder(VM& vm, Value self, String* name, std::span<const Value> args, bool& found) {
    Type* type = type_of(vm, self);
    Value attribute = type_lookup(type, name);
    found = !attribute.is_null();
    if (!found) return Value::null();
    Type* kind = attribute.is_object() ? attribute.as_object()->type : nullptr;
    if (kind == vm.types().function ||
        (kind == vm.types().native_function && static_cast<NativeFunctionObject*>(attribute.as_object())->owner))
        return call_attribute(vm, attribute, self, args);
    // A descriptor or callable object: bind through normal attribute access, then call.
    Value bound = ops::getattr(vm, self, name);
    if (bound.is_null()) return bound;
    Root root(vm, bound);
    return vm.call(bound, args);
}

// ---------------------------------------------------------------- user-class slots

// Looks `name` up on the class of `self`: null if absent or None.
static Value dunder(VM& vm, Value self, const char* name) {
    return type_lookup(type_of(vm, self), vm.intern(name));
}

static Value call_named(VM& vm, Value self, const char* name, std::span<const Value> args, bool& found) {
    return call_dunder(vm, self, vm.intern(name), args, found);
}

static String* checked_string(VM& vm, Value result, Error error) {
    if (result.is_null()) return nullptr;
    if (!is_str(vm, result)) {
        vm.raise_error(error, ops::type_name(vm, result));
        return nullptr;
    }
    return static_cast<String*>(result.as_object());
}

static String* user_repr(VM& vm, Value self) {
    bool found;
    Value r = call_named(vm, self, "__repr__", {}, found);
    if (!found) return ops::default_repr(vm, self);
    return checked_string(vm, r, Error::repr_returned_non_string);
}

static String* user_str(VM& vm, Value self) {
    bool found;
    Value r = call_named(vm, self, "__str__", {}, found);
    if (!found) return ops::repr(vm, self);
    return checked_string(vm, r, Error::str_returned_non_string);
}

static bool user_hash(VM& vm, Value self, std::int64_t& out) {
    Value method = dunder(vm, self, "__hash__");
    if (method.is_none()) return ops::hash_unhashable(vm, self, out);
    bool found;
    Value r = call_named(vm, self, "__hash__", {}, found);
    if (!found) {
        out = static_cast<std::int64_t>(self.bits() >> 4) & 0x0FFFFFFFFFFFFFFF;
        return true;
    }
    if (r.is_null()) return false;
    if (r.is_small_int()) {
        out = r.as_small_int();
        if (out == -1) out = -2;
        return true;
    }
    if (r.is_bool()) {
        out = r.as_bool();
        return true;
    }
    if (is_int(vm, r)) {  // a big int: used as is when it fits 64 bits, else hash(int) (CPython)
        Root keep(vm, r);  // int_to_int64's OverflowError allocates
        if (int_to_int64(vm, r, out)) {
            if (out == -1) out = -2;
            return true;
        }
        vm.clear_exception();
        return ops::hash(vm, r, out);
    }
    vm.raise_error(Error::hash_returned_non_int);
    return false;
}

static Value user_compare(VM& vm, Value self, Value other, CompareOp op) {
    static const char* const names[] = {"__lt__", "__le__", "__eq__", "__ne__", "__gt__", "__ge__"};
    bool found;
    Value r = call_named(vm, self, names[static_cast<int>(op)], std::span<const Value>(&other, 1), found);
    if (found) return r;
    // object.__ne__: the opposite of __eq__, unless that is NotImplemented.
    if (op == CompareOp::Ne) {
        Value eq = call_named(vm, self, "__eq__", std::span<const Value>(&other, 1), found);
        if (!found || eq.is_null() || eq.is(vm.not_implemented())) return found ? eq : vm.not_implemented();
        Root root(vm, eq);
        Truth t = ops::truthy(vm, eq);
        if (t == Truth::Error) return Value::null();
        return Value::from_bool(t == Truth::False);
    }
    return vm.not_implemented();
}

static bool user_setattr(VM& vm, Value self, String* name, Value value) {
    bool found;
    Value name_value = Value::from_object(name);
    if (value.is_null()) {
        Value r = call_named(vm, self, "__delattr__", std::span<const Value>(&name_value, 1), found);
        if (!found) return ops::generic_setattr(vm, self, name, value);
        return !r.is_null();
    }
    Value args[2] = {name_value, value};
    Value r = call_named(vm, self, "__setattr__", std::span<const Value>(args, 2), found);
    if (!found) return ops::generic_setattr(vm, self, name, value);
    return !r.is_null();
}

static Value user_getattribute(VM& vm, Value self, String* name) {
    bool found;
    Value name_value = Value::from_object(name);
    Value r = call_named(vm, self, "__getattribute__", std::span<const Value>(&name_value, 1), found);
    if (!found) return ops::generic_getattr(vm, self, name);
    if (r.is_null() && vm.exception_matches(vm.types().attribute_error)) {
        Value hook = dunder(vm, self, "__getattr__");
        if (!hook.is_null()) {
            vm.clear_exception();
            return call_named(vm, self, "__getattr__", std::span<const Value>(&name_value, 1), found);
        }
    }
    return r;
}

static Value user_call(VM& vm, Value self, CallArgs args) {
    Value method = dunder(vm, self, "__call__");
    if (method.is_null()) return vm.raise_error(Error::not_callable, ops::type_name(vm, self));
    std::vector<Value> all;
    all.reserve(args.count + 1);
    all.push_back(self);
    all.insert(all.end(), args.values, args.values + args.count);
    RootVector root(vm, all);
    return vm.call(method, all, args.kwnames);
}

static Value user_iter(VM& vm, Value self) {
    bool found;
    Value r = call_named(vm, self, "__iter__", {}, found);
    if (!found) return vm.raise_error(Error::not_iterable, ops::type_name(vm, self));
    return r;
}

static Value user_next(VM& vm, Value self) {
    bool found;
    Value r = call_named(vm, self, "__next__", {}, found);
    if (!found) return vm.raise_error(Error::not_an_iterator, ops::type_name(vm, self));
    return r;
}

static std::int64_t user_length(VM& vm, Value self) {
    bool found;
    Value r = call_named(vm, self, "__len__", {}, found);
    if (!found) {
        vm.raise_error(Error::no_len, ops::type_name(vm, self));
        return -1;
    }
    if (r.is_null()) return -1;
    if (r.is_bool()) return r.as_bool();
    if (!r.is_small_int()) {
        vm.raise_error(Error::len_returned_non_int, ops::type_name(vm, r));
        return -1;
    }
    if (r.as_small_int() < 0) {
        vm.raise_error(Error::len_negative);
        return -1;
    }
    return r.as_small_int();
}

static int user_bool(VM& vm, Value self) {
    bool found;
    Value r = call_named(vm, self, "__bool__", {}, found);
    if (!found) {
        if (!dunder(vm, self, "__len__").is_null()) {
            std::int64_t n = user_length(vm, self);
            return n < 0 ? -1 : n != 0;
        }
        return 1;
    }
    if (r.is_null()) return -1;
    if (!r.is_bool()) {
        vm.raise_error(Error::bool_returned_non_bool, ops::type_name(vm, r));
        return -1;
    }
    return r.as_bool();
}

static Value user_getitem(VM& vm, Value self, Value key) {
    bool found;
    Value r = call_named(vm, self, "__getitem__", std::span<const Value>(&key, 1), found);
    if (!found) return vm.raise_error(Error::not_subscriptable, ops::type_name(vm, self));
    return r;
}

static bool user_setitem(VM& vm, Value self, Value key, Value value) {
    bool found;
    if (value.is_null()) {
        Value r = call_named(vm, self, "__delitem__", std::span<const Value>(&key, 1), found);
        if (!found) {
            vm.raise_error(Error::no_item_deletion, ops::type_name(vm, self));
            return false;
        }
        return !r.is_null();
    }
    Value args[2] = {key, value};
    Value r = call_named(vm, self, "__setitem__", std::span<const Value>(args, 2), found);
    if (!found) {
        vm.raise_error(Error::no_item_assignment, ops::type_name(vm, self));
        return false;
    }
    return !r.is_null();
}

static int user_contains(VM& vm, Value self, Value item) {
    bool found;
    Value r = call_named(vm, self, "__contains__", std::span<const Value>(&item, 1), found);
    if (!found) {
        // Fall back to iteration, as ops::contains does for types without the slot.
        Value iterator = ops::iter(vm, self);
        if (iterator.is_null()) return -1;
        Root root(vm, iterator);
        while (true) {
            Value v = ops::next(vm, iterator);
            if (v.is_null()) return vm.has_exception() ? -1 : 0;
            Truth t = ops::equals(vm, v, item);
            if (t != Truth::False) return t == Truth::Error ? -1 : 1;
        }
    }
    if (r.is_null()) return -1;
    Root root(vm, r);
    Truth t = ops::truthy(vm, r);
    return t == Truth::Error ? -1 : t == Truth::True;
}

// Dunder names of BinaryOp values 0..12.
static const char* const binary_names[] = {"add", "and", "floordiv", "lshift", "matmul", "mul", "mod",
                                           "or",  "pow", "rshift",   "sub",    "truediv", "xor"};

static Value user_binary(VM& vm, BinaryOp op, Value a, Value b) {
    const std::string base = binary_names[static_cast<int>(op)];
    Type* ta = type_of(vm, a);
    Type* tb = type_of(vm, b);
    String* forward = vm.intern("__" + base + "__");
    String* reflected = vm.intern("__r" + base + "__");
    bool found;
    const bool b_heap = (tb->flags & TypeFlagHeap) && ta != tb;
    // A subclass operand's reflected method goes first.
    bool reflected_done = false;
    if (b_heap && is_subtype(tb, ta) && !type_lookup(tb, reflected).is_null()) {
        Value r = call_dunder(vm, b, reflected, std::span<const Value>(&a, 1), found);
        if (r.is_null() || !r.is(vm.not_implemented())) return r;
        reflected_done = true;
    }
    if (ta->flags & TypeFlagHeap) {
        Value r = call_dunder(vm, a, forward, std::span<const Value>(&b, 1), found);
        if (found && (r.is_null() || !r.is(vm.not_implemented()))) return r;
    }
    if (b_heap && !reflected_done) {
        Value r = call_dunder(vm, b, reflected, std::span<const Value>(&a, 1), found);
        if (found) return r;
    }
    return vm.not_implemented();
}

static Value user_inplace(VM& vm, BinaryOp op, Value a, Value b) {
    String* name = vm.intern(std::string("__i") + binary_names[static_cast<int>(op)] + "__");
    bool found;
    Value r = call_dunder(vm, a, name, std::span<const Value>(&b, 1), found);
    return found ? r : vm.not_implemented();
}

static Value user_unary(VM& vm, UnaryOp op, Value self) {
    const char* name = op == UnaryOp::Negative ? "__neg__" : op == UnaryOp::Positive ? "__pos__" : "__invert__";
    bool found;
    Value r = call_named(vm, self, name, {}, found);
    return found ? r : vm.not_implemented();
}

static String* user_format(VM& vm, Value self, String* spec) {
    bool found;
    Value spec_value = Value::from_object(spec);
    Value r = call_named(vm, self, "__format__", std::span<const Value>(&spec_value, 1), found);
    if (!found) {
        if (spec->utf8.empty()) return ops::str(vm, self);
        vm.raise_error(Error::format_spec_non_empty, ops::type_name(vm, self));
        return nullptr;
    }
    return checked_string(vm, r, Error::format_returned_non_string);
}

// True when the class (or a user base) defines `name` in asy code.
static bool defines(Type* type, VM& vm, const char* name) {
    Value v = type_lookup(type, vm.intern(name));
    if (v.is_null()) return false;
    // Methods of builtin types are native functions: those keep their C++ slots.
    if (v.is_object() && (v.as_object()->type == vm.types().staticmethod ||
                          v.as_object()->type == vm.types().classmethod))
        v = static_cast<StaticMethod*>(v.as_object())->function;
    return !(v.is_object() && v.as_object()->type == vm.types().native_function);
}

// Points the slots of a user class at the generic dunder callers wherever asy code defines
// the method, keeping the base's C++ slots elsewhere.
static void update_user_slots(VM& vm, Type* type) {
    Type* base = type->base;
    auto pick = [&](auto& slot, auto generic, auto base_slot, std::initializer_list<const char*> names) {
        bool user = false;
        for (const char* name : names) user = user || defines(type, vm, name);
        slot = user ? generic : base_slot;
    };
    pick(type->repr, &user_repr, base->repr, {"__repr__"});
    pick(type->str, &user_str, base->str, {"__str__"});
    pick(type->hash, &user_hash, base->hash, {"__hash__"});
    pick(type->compare, &user_compare, base->compare, {"__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__"});
    pick(type->getattr, &user_getattribute, base->getattr, {"__getattribute__"});
    pick(type->setattr, &user_setattr, base->setattr, {"__setattr__", "__delattr__"});
    pick(type->call, &user_call, base->call, {"__call__"});
    pick(type->iter, &user_iter, base->iter, {"__iter__"});
    pick(type->next, &user_next, base->next, {"__next__"});
    pick(type->length, &user_length, base->length, {"__len__"});
    pick(type->boolean, &user_bool, base->boolean, {"__bool__", "__len__"});
    pick(type->getitem, &user_getitem, base->getitem, {"__getitem__"});
    pick(type->setitem, &user_setitem, base->setitem, {"__setitem__", "__delitem__"});
    pick(type->contains, &user_contains, base->contains, {"__contains__"});
    pick(type->unary, &user_unary, base->unary, {"__neg__", "__pos__", "__invert__"});
    pick(type->format, &user_format, base->format, {"__format__"});
    bool any_binary = false;
    bool any_inplace = false;
    for (const char* name : binary_names) {
        std::string n = name;
        any_binary = any_binary || defines(type, vm, ("__" + n + "__").c_str()) ||
                     defines(type, vm, ("__r" + n + "__").c_str());
        any_inplace = any_inplace || defines(type, vm, ("__i" + n + "__").c_str());
    }
    type->binary = any_binary ? &user_binary : base->binary;
    type->inplace = any_inplace ? &user_inplace : base->inplace;
    // A user __hash__ of None means unhashable (set when __eq__ is defined without __hash__).
    Value hash = type_lookup(type, vm.names().hash);
    if (hash.is_none()) type->hash = &user_hash;
    type->construct = base->construct;
    type->trace = base->trace;
    type->finalize = base->finalize;
}

// ---------------------------------------------------------------- instances

static void instance_trace(Object* self, Tracer& tracer) { tracer.mark(static_cast<Instance*>(self)->dict); }

static Value instance_construct(VM& vm, Value cls, CallArgs) {
    return Value::from_object(vm.heap().allocate<Instance>(as_type(cls)));
}

// object.__init__(self, *args)
static Value object_init(VM& vm, CallArgs args) {
    if (args.count > 1) {
        Type* type = type_of(vm, args[0]);
        if (defines(type, vm, "__init__") || !defines(type, vm, "__new__"))
            return vm.raise(vm.types().type_error, "object.__init__() takes exactly one argument (the instance to initialize)");
    }
    return Value::none();
}

// object.__new__(cls, *args)
static Value object_new(VM& vm, CallArgs args) {
    if (args.count == 0) return vm.raise(vm.types().type_error, "object.__new__(): not enough arguments");
    if (!is_type(vm, args[0]))
        return vm.raise_format(vm.types().type_error, "object.__new__(X): X is not a type object ({})",
                               ops::type_name(vm, args[0]));
    Type* type = as_type(args[0]);
    if (type->construct) return type->construct(vm, args[0], CallArgs(std::span<const Value>(args.values, 1)));
    return vm.raise_error(Error::cannot_create_instances, type->name->view());
}

static Value object_repr_method(VM& vm, CallArgs args) {
    if (args.count < 1) return vm.raise_error(Error::descriptor_needs_argument, "__repr__");
    return Value::from_object(ops::default_repr(vm, args[0]));
}

static Value object_str_method(VM& vm, CallArgs args) {
    if (args.count < 1) return vm.raise_error(Error::descriptor_needs_argument, "__str__");
    String* s = ops::repr(vm, args[0]);
    return s ? Value::from_object(s) : Value::null();
}

static Value object_eq_method(VM& vm, CallArgs args) {
    if (args.count != 2) return vm.raise(vm.types().type_error, "expected 1 argument");
    return args[0].is(args[1]) ? Value::from_bool(true) : vm.not_implemented();
}

static Value object_ne_method(VM& vm, CallArgs args) {
    if (args.count != 2) return vm.raise(vm.types().type_error, "expected 1 argument");
    Value eq = ops::compare(vm, args[0], args[1], CompareOp::Eq);
    if (eq.is_null() || eq.is(vm.not_implemented())) return eq;
    Truth t = ops::truthy(vm, eq);
    if (t == Truth::Error) return Value::null();
    return Value::from_bool(t == Truth::False);
}

static Value object_hash_method(VM&, CallArgs args) {
    return Value::from_small_int(static_cast<std::int64_t>(args[0].bits() >> 4) & 0x00007FFFFFFFFFFF);
}

static Value object_setattr_method(VM& vm, CallArgs args) {
    if (args.count != 3 || !is_str(vm, args[1])) return vm.raise(vm.types().type_error, "expected 2 arguments");
    String* name = vm.intern(static_cast<String*>(args[1].as_object())->view());
    return ops::generic_setattr(vm, args[0], name, args[2]) ? Value::none() : Value::null();
}

static Value object_delattr_method(VM& vm, CallArgs args) {
    if (args.count != 2 || !is_str(vm, args[1])) return vm.raise(vm.types().type_error, "expected 1 argument");
    String* name = vm.intern(static_cast<String*>(args[1].as_object())->view());
    return ops::generic_setattr(vm, args[0], name, Value::null()) ? Value::none() : Value::null();
}

static Value object_getattribute_method(VM& vm, CallArgs args) {
    if (args.count != 2 || !is_str(vm, args[1])) return vm.raise(vm.types().type_error, "expected 1 argument");
    String* name = vm.intern(static_cast<String*>(args[1].as_object())->view());
    return ops::generic_getattr_nohook(vm, args[0], name);
}

static Value object_format_method(VM& vm, CallArgs args) {
    if (args.count != 2 || !is_str(vm, args[1])) return vm.raise(vm.types().type_error, "expected 1 argument");
    if (!static_cast<String*>(args[1].as_object())->utf8.empty())
        return vm.raise_error(Error::format_spec_non_empty, ops::type_name(vm, args[0]));
    String* s = ops::str(vm, args[0]);
    return s ? Value::from_object(s) : Value::null();
}

// ---------------------------------------------------------------- type

Value type_call(VM& vm, Value cls, CallArgs args) {
    Type* type = as_type(cls);
    if (type == vm.types().type) {
        if (args.positional_count() == 1 && args.keyword_count() == 0) return Value::from_object(type_of(vm, args[0]));
        if (args.positional_count() != 3) return vm.raise(vm.types().type_error, "type() takes 1 or 3 arguments");
        // type(name, bases, dict): a class made by hand.
        if (!is_str(vm, args[0]) || !as_instance<Tuple>(args[1], vm.types().tuple) ||
            !as_instance<Dict>(args[2], vm.types().dict))
            return vm.raise(vm.types().type_error, "type.__new__() argument 1 must be str");
        return vm.raise(vm.types().type_error, "asy does not support type(name, bases, dict) yet");
    }
    // A user __new__ makes the object; otherwise the layout's constructor does.
    Value new_method = type_lookup(type, vm.names().new_);
    Value instance;
    const bool user_new = defines(type, vm, "__new__");
    if (user_new) {
        Value function = new_method.as_object()->type == vm.types().staticmethod
                             ? static_cast<StaticMethod*>(new_method.as_object())->function
                             : new_method;
        std::vector<Value> all;
        all.reserve(args.count + 1);
        all.push_back(cls);
        all.insert(all.end(), args.values, args.values + args.count);
        RootVector root(vm, all);
        instance = vm.call(function, all, args.kwnames);
    } else if (type->construct) {
        // A user class that defines neither __init__ nor __new__ takes no arguments.
        if ((type->flags & TypeFlagHeap) && type->layout == InstanceLayout::Instance && args.count > 0 &&
            !defines(type, vm, "__init__"))
            return vm.raise_error(Error::object_takes_no_arguments, type->name->view());
        instance = type->construct(vm, cls, args);
    } else {
        return vm.raise_error(Error::cannot_create_instances, type->name->view());
    }
    if (instance.is_null()) return instance;
    // __init__ runs only for instances of the class (and for builtins, only if asy code or an
    // exception class defines one).
    if (!is_subtype(type_of(vm, instance), type)) return instance;
    Value init = type_lookup(type, vm.names().init);
    if (init.is_null()) return instance;
    bool native_object_init = init.is_object() && init.as_object()->type == vm.types().native_function &&
                              static_cast<NativeFunctionObject*>(init.as_object())->function == object_init;
    if (native_object_init) return instance;
    if (!(type->flags & TypeFlagHeap) && init.is_object() && init.as_object()->type == vm.types().native_function &&
        !is_subtype(type, vm.types().base_exception))
        return instance;
    Root instance_root(vm, instance);
    std::vector<Value> all;
    all.reserve(args.count + 1);
    all.push_back(instance);
    all.insert(all.end(), args.values, args.values + args.count);
    RootVector root(vm, all);
    Value result = vm.call(init, all, args.kwnames);
    if (result.is_null()) return result;
    if (!result.is_none()) return vm.raise_error(Error::init_returned_non_none, ops::type_name(vm, result));
    return instance;
}

static String* type_repr(VM& vm, Value self) {
    Type* type = as_type(self);
    if (type->module && type->module->view() != "builtins")
        return new_string(vm, fmt::format("<class '{}.{}'>", type->module->view(), type->qualname->view()));
    return new_string(vm, fmt::format("<class '{}'>", type->qualname->view()));
}

// Attribute access on a class: class attributes without instance binding.
static Value type_getattr(VM& vm, Value self, String* name) {
    Type* type = as_type(self);
    if (name == vm.names().name) return Value::from_object(type->name);
    if (name == vm.names().qualname) return Value::from_object(type->qualname);
    if (name == vm.names().module)
        return Value::from_object(type->module ? type->module : vm.intern("builtins"));
    if (name == vm.names().dict) return Value::from_object(type->dict);
    if (name == vm.names().class_) return Value::from_object(type_of(vm, self));
    if (name->view() == "__base__") return type->base ? Value::from_object(type->base) : Value::none();
    if (name->view() == "__bases__") {
        if (!type->base) return Value::from_object(vm.empty_tuple());
        Value base = Value::from_object(type->base);
        return Value::from_object(new_tuple(vm, std::span<const Value>(&base, 1)));
    }
    if (name->view() == "__mro__") {
        std::vector<Value> items;
        for (Type* t : type->mro) items.push_back(Value::from_object(t));
        return Value::from_object(new_tuple(vm, std::move(items)));
    }
    Value attribute = type_lookup(type, name);
    if (!attribute.is_null()) {
        if (!attribute.is_object()) return attribute;
        Type* kind = attribute.as_object()->type;
        if (kind == vm.types().staticmethod) return static_cast<StaticMethod*>(attribute.as_object())->function;
        if (kind == vm.types().classmethod)
            return Value::from_object(vm.heap().allocate<BoundMethod>(
                vm.types().bound_method, static_cast<ClassMethod*>(attribute.as_object())->function, self));
        if ((kind->flags & TypeFlagHeap) && kind != vm.types().property) {
            Value get = type_lookup(kind, vm.names().get);
            if (!get.is_null()) {
                Value args[3] = {attribute, Value::none(), self};
                return vm.call(get, std::span<const Value>(args, 3));
            }
        }
        return attribute;
    }
    if (name == vm.names().doc) return Value::none();
    // Methods of `type` itself (mro()...), bound to the class.
    Value meta = type_lookup(type_of(vm, self), name);
    if (!meta.is_null()) {
        if (meta.is_object() && meta.as_object()->type == vm.types().native_function)
            return Value::from_object(vm.heap().allocate<BoundMethod>(vm.types().bound_method, meta, self));
        return meta;
    }
    return vm.raise_error(Error::type_no_attribute, type->name->view(), name->view());
}

static bool type_setattr(VM& vm, Value self, String* name, Value value) {
    Type* type = as_type(self);
    if (!(type->flags & TypeFlagHeap)) {
        vm.raise_error(Error::cant_set_builtin_attribute, name->view(), type->name->view());
        return false;
    }
    if (name == vm.names().name && is_str(vm, value)) {
        type->name = vm.intern(static_cast<String*>(value.as_object())->view());
        return true;
    }
    if (name == vm.names().qualname && is_str(vm, value)) {
        type->qualname = vm.intern(static_cast<String*>(value.as_object())->view());
        return true;
    }
    if (name == vm.names().module && is_str(vm, value))  // C.__module__ = "m": the repr follows
        type->module = vm.intern(static_cast<String*>(value.as_object())->view());
    if (value.is_null()) {
        if (!dict_delete_str(vm, type->dict, name)) {
            vm.raise_error(Error::type_no_attribute, type->name->view(), name->view());
            return false;
        }
    } else {
        dict_set_str(vm, type->dict, name, value);
    }
    if (name->utf8.starts_with("__")) {
        update_user_slots(vm, type);  // resets construct/trace from the base: restore the instance ones
        if (type->layout == InstanceLayout::Instance) {
            type->construct = instance_construct;
            type->trace = instance_trace;
            type->finalize = nullptr;
        }
    }
    return true;
}

static Value type_mro_method(VM& vm, CallArgs args) {
    Type* type = as_type(args[0]);
    std::vector<Value> items;
    for (Type* t : type->mro) items.push_back(Value::from_object(t));
    return Value::from_object(new_list(vm, std::move(items)));
}

static Value type_subclasses_method(VM& vm, CallArgs) { return Value::from_object(new_list(vm)); }

// ---------------------------------------------------------------- the class statement

Value builtin_build_class(VM& vm, CallArgs args) {
    if (args.positional_count() < 2) return vm.raise(vm.types().type_error, "__build_class__: not enough arguments");
    Value body = args[0];
    if (!body.is_object() || body.as_object()->type != vm.types().function)
        return vm.raise(vm.types().type_error, "__build_class__: func must be a function");
    if (!is_str(vm, args[1])) return vm.raise(vm.types().type_error, "__build_class__: name is not a string");
    auto* function = static_cast<Function*>(body.as_object());
    String* name = vm.intern(static_cast<String*>(args[1].as_object())->view());
    Root name_root(vm, name);

    // Single inheritance: one base (object when none is given).
    Type* base = vm.types().object;
    const std::size_t nbases = args.positional_count() - 2;
    if (nbases > 1) {
        // `class A(B, object)` is still single inheritance.
        std::vector<Type*> real;
        for (std::size_t i = 2; i < args.positional_count(); ++i) {
            if (!is_type(vm, args[i])) return vm.raise_error(Error::bases_must_be_types);
            if (as_type(args[i]) != vm.types().object) real.push_back(as_type(args[i]));
        }
        if (real.size() > 1) return vm.raise_error(Error::multiple_inheritance, name->view());
        if (real.size() == 1) base = real[0];
    } else if (nbases == 1) {
        if (!is_type(vm, args[2])) return vm.raise_error(Error::bases_must_be_types);
        base = as_type(args[2]);
    }
    if (!(base->flags & TypeFlagBaseType)) return vm.raise_error(Error::not_acceptable_base, base->name->view());
    if (base->layout == InstanceLayout::Builtin && base != vm.types().object)
        return vm.raise_format(vm.types().type_error, "asy does not support subclassing '{}' yet", base->name->view());

    // Run the body with a fresh namespace as its locals.
    Root namespace_root(vm, new_dict(vm));
    Dict* ns = namespace_root.as<Dict>();
    Frame* frame = prepare_call(vm, function, nullptr, 0, nullptr);
    if (!frame) return Value::null();
    frame->locals = ns;
    frame->is_entry = true;
    vm.frames.push_back(frame);
    Value result = run_frame(vm, frame);
    if (result.is_null()) return result;

    // The class object.
    Type* type = vm.heap().allocate<Type>(vm.types().type);
    Root type_root(vm, type);
    type->name = name;
    type->qualname = name;
    Value qualname = dict_get_str(ns, vm.names().qualname);
    if (!qualname.is_null() && is_str(vm, qualname)) {
        type->qualname = vm.intern(static_cast<String*>(qualname.as_object())->view());
        dict_delete_str(vm, ns, vm.names().qualname);
    }
    Value module = dict_get_str(ns, vm.names().module);
    if (module.is_null()) {
        module = dict_get_str(function->globals, vm.names().name);
        if (!module.is_null()) dict_set_str(vm, ns, vm.names().module, module);
    }
    type->module = !module.is_null() && is_str(vm, module) ? vm.intern(static_cast<String*>(module.as_object())->view())
                                                           : vm.intern("__main__");
    type->base = base;
    type->mro.push_back(type);
    type->mro.insert(type->mro.end(), base->mro.begin(), base->mro.end());
    type->dict = ns;
    type->flags = TypeFlagHeap | TypeFlagBaseType | (base->flags & TypeFlagException);
    if (base->layout == InstanceLayout::Builtin) {
        // Deriving from object: a plain instance with an attribute dict.
        Instance probe;
        type->layout = InstanceLayout::Instance;
        type->dict_offset =
            static_cast<std::uint32_t>(reinterpret_cast<char*>(&probe.dict) - reinterpret_cast<char*>(&probe));
    } else {
        type->layout = base->layout;
        type->dict_offset = base->dict_offset;
    }
    // Defining __eq__ without __hash__ makes instances unhashable, as in CPython.
    if (!dict_get_str(ns, vm.names().eq).is_null() && dict_get_str(ns, vm.names().hash).is_null())
        dict_set_str(vm, ns, vm.names().hash, Value::none());
    // A __new__ in a class body is a static method implicitly; __init_subclass__ a class method.
    update_user_slots(vm, type);
    if (type->layout == InstanceLayout::Instance) {
        type->construct = instance_construct;
        type->trace = instance_trace;
        type->finalize = nullptr;
    }
    // Zero-argument super() finds the class through the __class__ cell.
    Value cell = dict_get_str(ns, vm.names().classcell);
    if (!cell.is_null()) {
        if (cell.is_object() && cell.as_object()->type == vm.types().cell)
            static_cast<Cell*>(cell.as_object())->value = Value::from_object(type);
        dict_delete_str(vm, ns, vm.names().classcell);
    }
    if (result.is_object() && result.as_object()->type == vm.types().cell)
        static_cast<Cell*>(result.as_object())->value = Value::from_object(type);
    // Descriptors learn their names: __set_name__(owner, name).
    std::vector<DictEntry> entries = ns->entries;
    for (const DictEntry& entry : entries) {
        if (entry.key.is_null() || !entry.value.is_object()) continue;
        Type* kind = entry.value.as_object()->type;
        if (!(kind->flags & TypeFlagHeap)) continue;
        Value hook = type_lookup(kind, vm.names().set_name);
        if (hook.is_null()) continue;
        Value hook_args[3] = {entry.value, Value::from_object(type), entry.key};
        if (vm.call(hook, std::span<const Value>(hook_args, 3)).is_null()) return Value::null();
    }
    // The base's __init_subclass__ (a user-defined one only).
    for (std::size_t i = 1; i < type->mro.size(); ++i) {
        Value hook = dict_get_str(type->mro[i]->dict, vm.names().init_subclass);
        if (hook.is_null()) continue;
        if (hook.is_object() && hook.as_object()->type == vm.types().function) {
            Value self = Value::from_object(type);
            if (vm.call(hook, std::span<const Value>(&self, 1), args.kwnames).is_null()) return Value::null();
        } else if (hook.is_object() && hook.as_object()->type == vm.types().classmethod) {
            Value self = Value::from_object(type);
            if (vm.call(static_cast<ClassMethod*>(hook.as_object())->function, std::span<const Value>(&self, 1))
                    .is_null())
                return Value::null();
        }
        break;
    }
    return Value::from_object(type);
}

// ---------------------------------------------------------------- property, staticmethod, classmethod

static void property_trace(Object* self, Tracer& tracer) {
    auto* p = static_cast<Property*>(self);
    tracer.mark(p->getter);
    tracer.mark(p->setter);
    tracer.mark(p->deleter);
    tracer.mark(p->doc);
}

static Value property_construct(VM& vm, Value, CallArgs args) {
    static const Signature signature{"property", {"fget", "fset", "fdel", "doc"}, 0, 0, 4};
    Value values[4];
    if (!bind_arguments(vm, args, signature, values)) return Value::null();
    auto* property = vm.heap().allocate<Property>(vm.types().property);
    property->getter = values[0].is_null() ? Value::none() : values[0];
    property->setter = values[1].is_null() ? Value::none() : values[1];
    property->deleter = values[2].is_null() ? Value::none() : values[2];
    property->doc = values[3].is_null() ? Value::none() : values[3];
    if (property->doc.is_none() && !property->getter.is_none()) {
        Root root(vm, property);
        Value doc = ops::getattr_optional(vm, property->getter, vm.names().doc);
        if (doc.is_null() && vm.has_exception()) return Value::null();
        if (!doc.is_null()) property->doc = doc;
    }
    return Value::from_object(property);
}

// property.setter(f) / getter / deleter: a copy with one accessor replaced.
static Value property_copy(VM& vm, CallArgs args, int which) {
    if (args.count != 2) return vm.raise(vm.types().type_error, "expected 1 argument");
    auto* old = static_cast<Property*>(args[0].as_object());
    auto* property = vm.heap().allocate<Property>(vm.types().property);
    property->getter = which == 0 ? args[1] : old->getter;
    property->setter = which == 1 ? args[1] : old->setter;
    property->deleter = which == 2 ? args[1] : old->deleter;
    property->doc = old->doc;
    return Value::from_object(property);
}
static Value property_getter(VM& vm, CallArgs args) { return property_copy(vm, args, 0); }
static Value property_setter(VM& vm, CallArgs args) { return property_copy(vm, args, 1); }
static Value property_deleter(VM& vm, CallArgs args) { return property_copy(vm, args, 2); }

static Value property_getattr(VM& vm, Value self, String* name) {
    auto* p = static_cast<Property*>(self.as_object());
    if (name->view() == "fget") return p->getter;
    if (name->view() == "fset") return p->setter;
    if (name->view() == "fdel") return p->deleter;
    if (name == vm.names().doc) return p->doc;
    return ops::generic_getattr(vm, self, name);
}

static void wrapper_trace(Object* self, Tracer& tracer) { tracer.mark(static_cast<StaticMethod*>(self)->function); }

static Value staticmethod_construct(VM& vm, Value, CallArgs args) {
    if (!check_positional(vm, args, "staticmethod", 1, 1)) return Value::null();
    auto* wrapper = vm.heap().allocate<StaticMethod>(vm.types().staticmethod);
    wrapper->function = args[0];
    return Value::from_object(wrapper);
}

static Value classmethod_construct(VM& vm, Value, CallArgs args) {
    if (!check_positional(vm, args, "classmethod", 1, 1)) return Value::null();
    auto* wrapper = vm.heap().allocate<ClassMethod>(vm.types().classmethod);
    wrapper->function = args[0];
    return Value::from_object(wrapper);
}

static Value wrapper_getattr(VM& vm, Value self, String* name) {
    if (name->view() == "__func__") return static_cast<StaticMethod*>(self.as_object())->function;
    return ops::generic_getattr(vm, self, name);
}

// Calling a staticmethod object directly calls its function (Python 3.10+).
static Value staticmethod_call(VM& vm, Value self, CallArgs args) {
    return vm.call(static_cast<StaticMethod*>(self.as_object())->function, args);
}

// ---------------------------------------------------------------- super

static void super_trace(Object* self, Tracer& tracer) {
    auto* s = static_cast<Super*>(self);
    tracer.mark(s->start);
    tracer.mark(s->self);
    tracer.mark(s->self_type);
}

static Value super_construct(VM& vm, Value, CallArgs args) {
    if (!check_positional(vm, args, "super", 0, 2)) return Value::null();
    Type* start = nullptr;
    Value self;
    if (args.positional_count() == 0) {
        // Zero-argument form: the calling function's first argument and its __class__ cell.
        if (vm.frames.empty()) return vm.raise_error(Error::super_no_arguments);
        Frame* frame = vm.frames.back();
        const Code* code = frame->code;
        if (code->code->argcount == 0) return vm.raise_error(Error::super_no_arguments);
        self = frame->slots[0];
        // A first argument captured by a closure lives in its cell.
        for (std::size_t i = 0; i < code->code->cellvars.size(); ++i) {
            if (code->cell_names[i] == code->varnames[0]) {
                Value cell = frame->slots[code->varnames.size() + i];
                if (cell.is_object() && cell.as_object()->type == vm.types().cell)
                    self = static_cast<Cell*>(cell.as_object())->value;
            }
        }
        if (self.is_null()) return vm.raise(vm.types().runtime_error, "super(): arg[0] deleted");
        String* class_name = vm.names().class_;
        for (std::size_t i = 0; i < code->cell_names.size(); ++i) {
            if (code->cell_names[i] != class_name) continue;
            Value cell = frame->slots[code->varnames.size() + i];
            if (cell.is_object() && cell.as_object()->type == vm.types().cell) {
                Value cls = static_cast<Cell*>(cell.as_object())->value;
                if (cls.is_null()) return vm.raise(vm.types().runtime_error, "super(): empty __class__ cell");
                if (!is_type(vm, cls)) return vm.raise(vm.types().runtime_error, "super(): __class__ is not a type");
                start = as_type(cls);
            }
        }
        if (!start) return vm.raise(vm.types().runtime_error, "super(): __class__ cell not found");
    } else {
        if (!is_type(vm, args[0]))
            return vm.raise_format(vm.types().type_error, "super() argument 1 must be a type, not {}",
                                   ops::type_name(vm, args[0]));
        start = as_type(args[0]);
        if (args.positional_count() == 1) return vm.raise(vm.types().runtime_error, "asy does not support unbound super objects");
        self = args[1];
    }
    Type* self_type;
    if (is_type(vm, self) && is_subtype(as_type(self), start)) {
        self_type = as_type(self);
    } else if (is_subtype(type_of(vm, self), start)) {
        self_type = type_of(vm, self);
    } else {
        return vm.raise_error(Error::super_bad_self);
    }
    Root self_root(vm, self);
    auto* s = vm.heap().allocate<Super>(vm.types().super);
    s->start = start;
    s->self = self;
    s->self_type = self_type;
    return Value::from_object(s);
}

static Value super_getattr(VM& vm, Value object, String* name) {
    auto* s = static_cast<Super*>(object.as_object());
    const auto& mro = s->self_type->mro;
    std::size_t i = 0;
    while (i < mro.size() && mro[i] != s->start) ++i;
    for (++i; i < mro.size(); ++i) {
        Value attribute = dict_get_str(mro[i]->dict, name);
        if (attribute.is_null()) continue;
        if (!attribute.is_object()) return attribute;
        Type* kind = attribute.as_object()->type;
        const bool self_is_class = is_type(vm, s->self) && as_type(s->self) == s->self_type;
        if (kind == vm.types().function || kind == vm.types().native_function) {
            if (self_is_class) return attribute;
            return Value::from_object(vm.heap().allocate<BoundMethod>(vm.types().bound_method, attribute, s->self));
        }
        if (kind == vm.types().staticmethod) return static_cast<StaticMethod*>(attribute.as_object())->function;
        if (kind == vm.types().classmethod)
            return Value::from_object(vm.heap().allocate<BoundMethod>(
                vm.types().bound_method, static_cast<ClassMethod*>(attribute.as_object())->function,
                Value::from_object(s->self_type)));
        if (kind == vm.types().property) {
            Value getter = static_cast<Property*>(attribute.as_object())->getter;
            return vm.call(getter, std::span<const Value>(&s->self, 1));
        }
        return attribute;
    }
    if (name == vm.names().class_) return Value::from_object(vm.types().super);
    return vm.raise_format(vm.types().attribute_error, "'super' object has no attribute '{}'", name->view());
}

static String* super_repr(VM& vm, Value self) {
    auto* s = static_cast<Super*>(self.as_object());
    return new_string(vm, fmt::format("<super: <class '{}'>, <{} object>>", s->start->name->view(),
                                      s->self_type->name->view()));
}

// ---------------------------------------------------------------- init

void init_class_support(VM& vm) {
    BuiltinTypes& t = vm.types();
    t.type->repr = type_repr;
    t.type->getattr = type_getattr;
    t.type->setattr = type_setattr;
    define_method(vm, t.type, "mro", type_mro_method);
    define_method(vm, t.type, "__subclasses__", type_subclasses_method);

    define_method(vm, t.object, "__init__", object_init);
    define_static_method(vm, t.object, "__new__", object_new);
    define_method(vm, t.object, "__repr__", object_repr_method);
    define_method(vm, t.object, "__str__", object_str_method);
    define_method(vm, t.object, "__eq__", object_eq_method);
    define_method(vm, t.object, "__ne__", object_ne_method);
    define_method(vm, t.object, "__hash__", object_hash_method);
    define_method(vm, t.object, "__setattr__", object_setattr_method);
    define_method(vm, t.object, "__delattr__", object_delattr_method);
    define_method(vm, t.object, "__getattribute__", object_getattribute_method);
    define_method(vm, t.object, "__format__", object_format_method);

    t.property->trace = property_trace;
    t.property->construct = property_construct;
    t.property->getattr = property_getattr;
    define_method(vm, t.property, "getter", property_getter);
    define_method(vm, t.property, "setter", property_setter);
    define_method(vm, t.property, "deleter", property_deleter);

    t.staticmethod->trace = wrapper_trace;
    t.staticmethod->construct = staticmethod_construct;
    t.staticmethod->getattr = wrapper_getattr;
    t.staticmethod->call = staticmethod_call;
    t.classmethod->trace = wrapper_trace;
    t.classmethod->construct = classmethod_construct;
    t.classmethod->getattr = wrapper_getattr;

    t.super->trace = super_trace;
    t.super->construct = super_construct;
    t.super->getattr = super_getattr;
    t.super->repr = super_repr;

    define_builtin(vm, "__build_class__", builtin_build_class);
}

}  // namespace asy
