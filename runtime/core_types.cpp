// Start-up of the VM and its core types: the VM constructor creates every builtin class
// (BuiltinTypes), the interned names and the builtins module, then runs the init functions of
// builtin_init.hpp. This file also holds the core types' slots (object, type, NoneType,
// functions, methods, modules) and the raise functions of vm.hpp.
#include "compiler/source.hpp"
#include "runtime/builtin_init.hpp"
#include "runtime/objects/dict.hpp"
#include "runtime/objects/list.hpp"
#include "runtime/objects/module.hpp"
#include "runtime/objects/str.hpp"
#include "runtime/objects/tuple.hpp"
#include "runtime/ops.hpp"
#include "runtime/vm_internal.hpp"

#include <cstdio>
#include <iostream>

namespace asy {

// ---------------------------------------------------------------- types

static void type_trace(Object* self, Tracer& tracer) {
    auto* type = static_cast<Type*>(self);
    tracer.mark(type->name);
    tracer.mark(type->qualname);
    tracer.mark(type->module);
    tracer.mark(type->base);
    for (Type* t : type->mro) tracer.mark(t);
    tracer.mark(type->dict);
}

// Allocates a class object named `name` deriving from `base` (nullptr only for object).
Type* new_type(VM& vm, std::string_view name, Type* base, InstanceLayout layout, std::uint32_t flags) {
    Type* type = vm.heap().allocate<Type>(vm.types().type);
    Root root(vm, type);
    type->name = vm.intern(name);
    type->qualname = type->name;
    type->base = base;
    type->mro.push_back(type);
    if (base) type->mro.insert(type->mro.end(), base->mro.begin(), base->mro.end());
    type->layout = layout;
    type->flags = flags;
    type->dict_offset = base ? base->dict_offset : 0;
    type->trace = base ? base->trace : nullptr;
    type->finalize = base ? base->finalize : nullptr;
    type->dict = new_dict(vm);
    return type;
}

Type* make_builtin_type(VM& vm, std::string_view name, Type* base, std::uint32_t flags) {
    Type* type = new_type(vm, name, base, base ? base->layout : InstanceLayout::Builtin, flags);
    // Copy the base's slots now; the base is complete when a native module makes a type.
    if (base) {
        type->repr = base->repr;
        type->str = base->str;
        type->hash = base->hash;
        type->compare = base->compare;
        type->getattr = base->getattr;
        type->setattr = base->setattr;
        type->call = base->call;
        type->iter = base->iter;
        type->next = base->next;
        type->length = base->length;
        type->boolean = base->boolean;
        type->getitem = base->getitem;
        type->setitem = base->setitem;
        type->contains = base->contains;
        type->binary = base->binary;
        type->inplace = base->inplace;
        type->unary = base->unary;
        type->format = base->format;
    }
    return type;
}

// Fills the null slots of `type` from its base (after every init function has run).
static void inherit_slots(Type* type) {
    Type* base = type->base;
    if (!base) return;
#define INHERIT(slot) \
    if (!type->slot) type->slot = base->slot
    INHERIT(repr);
    INHERIT(str);
    INHERIT(hash);
    INHERIT(compare);
    INHERIT(getattr);
    INHERIT(setattr);
    INHERIT(call);
    INHERIT(iter);
    INHERIT(next);
    INHERIT(length);
    INHERIT(boolean);
    INHERIT(getitem);
    INHERIT(setitem);
    INHERIT(contains);
    INHERIT(binary);
    INHERIT(inplace);
    INHERIT(unary);
    INHERIT(format);
    INHERIT(trace);
    INHERIT(finalize);
    INHERIT(construct);
#undef INHERIT
}

Type* type_of(VM& vm, Value value) {
    if (value.is_object()) return value.as_object()->type;
    if (value.is_small_int()) return vm.types().int_;
    if (value.is_double()) return vm.types().float_;
    if (value.is_bool()) return vm.types().bool_;
    return vm.types().none_type;
}

Value type_lookup(Type* type, String* name) {
    for (Type* t : type->mro) {
        Value v = dict_get_str(t->dict, name);
        if (!v.is_null()) return v;
    }
    return Value::null();
}

bool is_subtype(const Type* type, const Type* base) {
    if (type == base) return true;
    for (const Type* t : type->mro)
        if (t == base) return true;
    return false;
}

// The byte offset of a struct member, measured on a real object (offsetof is not portable for
// structs that derive from Object).
template <class T, class M>
static std::uint32_t member_offset(M T::*member) {
    T probe;
    return static_cast<std::uint32_t>(reinterpret_cast<char*>(&(probe.*member)) - reinterpret_cast<char*>(&probe));
}

// ---------------------------------------------------------------- traces of core objects

static void instance_trace(Object* self, Tracer& tracer) { tracer.mark(static_cast<Instance*>(self)->dict); }

static void function_trace(Object* self, Tracer& tracer) {
    auto* f = static_cast<Function*>(self);
    tracer.mark(f->code);
    tracer.mark(f->globals);
    tracer.mark(f->defaults);
    tracer.mark(f->kwdefaults);
    tracer.mark(f->closure);
    tracer.mark(f->name);
    tracer.mark(f->qualname);
    tracer.mark(f->module);
    tracer.mark(f->doc);
    tracer.mark(f->dict);
}

static void native_function_trace(Object* self, Tracer& tracer) {
    auto* f = static_cast<NativeFunctionObject*>(self);
    tracer.mark(f->name);
    tracer.mark(f->owner);
    tracer.mark(f->self);
    tracer.mark(f->data);
}

static void bound_method_trace(Object* self, Tracer& tracer) {
    auto* m = static_cast<BoundMethod*>(self);
    tracer.mark(m->function);
    tracer.mark(m->self);
}

static void code_trace(Object* self, Tracer& tracer) {
    auto* code = static_cast<Code*>(self);
    tracer.mark(code->constants);
    for (String* s : code->names) tracer.mark(s);
    for (String* s : code->varnames) tracer.mark(s);
    for (String* s : code->cell_names) tracer.mark(s);
    for (const InlineCache& cache : code->caches) {
        tracer.mark(cache.value);
        tracer.mark(cache.attribute);
    }
    tracer.mark(code->name);
    tracer.mark(code->qualname);
    tracer.mark(code->filename);
}

static void cell_trace(Object* self, Tracer& tracer) { tracer.mark(static_cast<Cell*>(self)->value); }

static void module_trace(Object* self, Tracer& tracer) {
    auto* module = static_cast<Module*>(self);
    tracer.mark(module->dict);
    tracer.mark(module->name);
}

static void tuple_trace(Object* self, Tracer& tracer) { tracer.mark(static_cast<Tuple*>(self)->items); }
static void list_trace(Object* self, Tracer& tracer) { tracer.mark(static_cast<List*>(self)->items); }

// ---------------------------------------------------------------- core slots

static String* none_repr(VM& vm, Value) { return vm.intern("None"); }
static int none_bool(VM&, Value) { return 0; }
static String* not_implemented_repr(VM& vm, Value) { return vm.intern("NotImplemented"); }
static String* ellipsis_repr(VM& vm, Value) { return vm.intern("Ellipsis"); }

static String* function_repr(VM& vm, Value self) {
    auto* f = static_cast<Function*>(self.as_object());
    return new_string(vm, fmt::format("<function {} at {:#x}>", f->qualname->view(),
                                      reinterpret_cast<std::uintptr_t>(f)));
}

static String* native_function_repr(VM& vm, Value self) {
    auto* f = static_cast<NativeFunctionObject*>(self.as_object());
    if (f->owner)
        return new_string(vm, fmt::format("<method '{}' of '{}' objects>", f->name->view(), f->owner->name->view()));
    if (!f->self.is_null())
        return new_string(vm, fmt::format("<built-in method {} of {} object at {:#x}>", f->name->view(),
                                          ops::type_name(vm, f->self),
                                          reinterpret_cast<std::uintptr_t>(f->self.as_object())));
    return new_string(vm, fmt::format("<built-in function {}>", f->name->view()));
}

static String* bound_method_repr(VM& vm, Value self) {
    auto* m = static_cast<BoundMethod*>(self.as_object());
    String* self_repr = ops::repr(vm, m->self);
    if (!self_repr) return nullptr;
    if (m->function.is_object() && m->function.as_object()->type == vm.types().native_function) {
        auto* f = static_cast<NativeFunctionObject*>(m->function.as_object());
        return new_string(vm, fmt::format("<built-in method {} of {} object at {:#x}>", f->name->view(),
                                          ops::type_name(vm, m->self),
                                          reinterpret_cast<std::uintptr_t>(m->self.as_object())));
    }
    Value qualname = ops::getattr_optional(vm, m->function, vm.names().qualname);
    std::string name = "?";
    if (!qualname.is_null() && qualname.is_object() && qualname.as_object()->type == vm.types().str)
        name = static_cast<String*>(qualname.as_object())->utf8;
    return new_string(vm, fmt::format("<bound method {} of {}>", name, self_repr->view()));
}

static bool bound_method_compare_hash(VM& vm, Value self, std::int64_t& out) {
    auto* m = static_cast<BoundMethod*>(self.as_object());
    std::int64_t a, b;
    if (!ops::hash(vm, m->self, a) || !ops::hash(vm, m->function, b)) return false;
    out = (a ^ b) & 0x3fffffffffffffff;
    return true;
}

static Value bound_method_compare(VM& vm, Value self, Value other, CompareOp op) {
    if ((op != CompareOp::Eq && op != CompareOp::Ne) || !other.is_object() ||
        other.as_object()->type != vm.types().bound_method)
        return vm.not_implemented();
    auto* a = static_cast<BoundMethod*>(self.as_object());
    auto* b = static_cast<BoundMethod*>(other.as_object());
    bool equal = a->self.is(b->self) && a->function.is(b->function);
    return Value::from_bool(equal == (op == CompareOp::Eq));
}

static String* module_repr(VM& vm, Value self) {
    auto* module = static_cast<Module*>(self.as_object());
    Value file = dict_get_str(module->dict, vm.names().file);
    if (!file.is_null() && file.is_object() && file.as_object()->type == vm.types().str)
        return new_string(vm, fmt::format("<module '{}' from '{}'>", module->name->view(),
                                          static_cast<String*>(file.as_object())->view()));
    return new_string(vm, fmt::format("<module '{}' (built-in)>", module->name->view()));
}

static Value module_getattr(VM& vm, Value self, String* name) {
    auto* module = static_cast<Module*>(self.as_object());
    Value v = dict_get_str(module->dict, name);
    if (!v.is_null()) return v;
    if (name == vm.names().dict) return Value::from_object(module->dict);
    Value generic = ops::generic_getattr(vm, self, name);
    if (!generic.is_null() || !vm.exception_matches(vm.types().attribute_error)) return generic;
    vm.clear_exception();
    return vm.raise_error(Error::module_no_attribute, module->name->view(), name->view());
}

static bool module_setattr(VM& vm, Value self, String* name, Value value) {
    auto* module = static_cast<Module*>(self.as_object());
    if (value.is_null()) {
        if (!dict_delete_str(vm, module->dict, name)) {
            vm.raise_error(Error::module_no_attribute, module->name->view(), name->view());
            return false;
        }
        return true;
    }
    dict_set_str(vm, module->dict, name, value);
    return true;
}

Module* new_module(VM& vm, std::string_view name) {
    Root name_root(vm, vm.intern(name));
    Root dict(vm, new_dict(vm));
    auto* module = vm.heap().allocate<Module>(vm.types().module);
    module->name = name_root.as<String>();
    module->dict = dict.as<Dict>();
    dict_set_str(vm, module->dict, vm.names().name, name_root.get());
    dict_set_str(vm, module->dict, vm.names().doc, Value::none());
    return module;
}

// Attributes of functions: __name__, __qualname__, __module__, __doc__, __defaults__, __code__...
static Value function_getattr(VM& vm, Value self, String* name) {
    auto* f = static_cast<Function*>(self.as_object());
    if (name == vm.names().name) return Value::from_object(f->name);
    if (name == vm.names().qualname) return Value::from_object(f->qualname);
    if (name == vm.names().module) return f->module;
    if (name == vm.names().doc) return f->doc;
    if (name->view() == "__defaults__") return f->defaults ? Value::from_object(f->defaults) : Value::none();
    if (name->view() == "__code__") return Value::from_object(f->code);
    if (name == vm.names().dict) {
        if (!f->dict) f->dict = new_dict(vm);
        return Value::from_object(f->dict);
    }
    return ops::generic_getattr(vm, self, name);
}

static bool function_setattr(VM& vm, Value self, String* name, Value value) {
    auto* f = static_cast<Function*>(self.as_object());
    auto is_str = [&](Value v) { return v.is_object() && v.as_object()->type == vm.types().str; };
    if (name == vm.names().name && is_str(value)) {
        f->name = static_cast<String*>(value.as_object());
        return true;
    }
    if (name == vm.names().qualname && is_str(value)) {
        f->qualname = static_cast<String*>(value.as_object());
        return true;
    }
    if (name == vm.names().doc) {
        f->doc = value.is_null() ? Value::none() : value;
        return true;
    }
    if (name == vm.names().module) {
        f->module = value.is_null() ? Value::none() : value;
        return true;
    }
    return ops::generic_setattr(vm, self, name, value);
}

static Value bound_method_getattr(VM& vm, Value self, String* name) {
    auto* m = static_cast<BoundMethod*>(self.as_object());
    if (name->view() == "__self__") return m->self;
    if (name->view() == "__func__") return m->function;
    Value v = ops::generic_getattr(vm, self, name);
    if (!v.is_null() || !vm.exception_matches(vm.types().attribute_error)) return v;
    vm.clear_exception();
    return ops::getattr(vm, m->function, name);
}

static Value native_function_getattr(VM& vm, Value self, String* name) {
    auto* f = static_cast<NativeFunctionObject*>(self.as_object());
    if (name == vm.names().name) return Value::from_object(f->name);
    if (name == vm.names().qualname) {
        if (f->owner) return Value::from_object(new_string(vm, f->owner->name->utf8 + "." + f->name->utf8));
        return Value::from_object(f->name);
    }
    if (name->view() == "__self__") return f->self.is_null() ? Value::none() : f->self;
    if (name == vm.names().doc) return Value::none();
    return ops::generic_getattr(vm, self, name);
}

// Calling an instance of `object` itself: object() takes no arguments.
static Value object_construct(VM& vm, Value cls, CallArgs args) {
    auto* type = static_cast<Type*>(cls.as_object());
    if (args.count != 0 && type == vm.types().object)
        return vm.raise_error(Error::object_takes_no_arguments, "object");
    return Value::from_object(vm.heap().allocate<Object>(type));
}

// ---------------------------------------------------------------- fallback builtins

// The smallest print, repr, len... so programs run before the builtins engineer's versions
// replace them (init_containers_and_builtins runs later and redefines these names).
static Value fallback_print(VM& vm, CallArgs args) {
    std::string sep = " ";
    std::string end = "\n";
    for (std::size_t k = 0; k < args.keyword_count(); ++k) {
        Value v = args.keyword_value(k);
        std::string_view key = args.keyword_name(k)->view();
        if (v.is_none()) continue;
        String* s = ops::str(vm, v);
        if (!s) return Value::null();
        if (key == "sep") sep = s->utf8;
        else if (key == "end") end = s->utf8;
    }
    std::string out;
    for (std::size_t i = 0; i < args.positional_count(); ++i) {
        String* s = ops::str(vm, args[i]);
        if (!s) return Value::null();
        if (i) out += sep;
        out += s->utf8;
    }
    out += end;
    std::fwrite(out.data(), 1, out.size(), stdout);
    return Value::none();
}

static Value fallback_repr(VM& vm, CallArgs args) {
    if (!check_one_argument(vm, args, "repr")) return Value::null();
    String* s = ops::repr(vm, args[0]);
    return s ? Value::from_object(s) : Value::null();
}

static Value fallback_len(VM& vm, CallArgs args) {
    if (!check_one_argument(vm, args, "len")) return Value::null();
    std::int64_t n = ops::len(vm, args[0]);
    return n < 0 ? Value::null() : Value::from_small_int(n);
}

static Value fallback_isinstance(VM& vm, CallArgs args) {
    if (!check_positional(vm, args, "isinstance", 2, 2)) return Value::null();
    Truth t = ops::isinstance(vm, args[0], args[1]);
    return t == Truth::Error ? Value::null() : Value::from_bool(t == Truth::True);
}

static Value fallback_issubclass(VM& vm, CallArgs args) {
    if (!check_positional(vm, args, "issubclass", 2, 2)) return Value::null();
    Truth t = ops::issubclass(vm, args[0], args[1]);
    return t == Truth::Error ? Value::null() : Value::from_bool(t == Truth::True);
}

static Value fallback_getattr(VM& vm, CallArgs args) {
    if (!check_positional(vm, args, "getattr", 2, 3)) return Value::null();
    if (!args[1].is_object() || args[1].as_object()->type != vm.types().str)
        return vm.raise(vm.types().type_error, "attribute name must be string");
    String* name = vm.intern(static_cast<String*>(args[1].as_object())->view());
    if (args.positional_count() == 3) {
        Value v = ops::getattr_optional(vm, args[0], name);
        if (v.is_null() && !vm.has_exception()) return args[2];
        return v;
    }
    return ops::getattr(vm, args[0], name);
}

static Value fallback_setattr(VM& vm, CallArgs args) {
    if (!check_positional(vm, args, "setattr", 3, 3)) return Value::null();
    if (!args[1].is_object() || args[1].as_object()->type != vm.types().str)
        return vm.raise(vm.types().type_error, "attribute name must be string");
    String* name = vm.intern(static_cast<String*>(args[1].as_object())->view());
    return ops::setattr(vm, args[0], name, args[2]) ? Value::none() : Value::null();
}

static Value fallback_hasattr(VM& vm, CallArgs args) {
    if (!check_positional(vm, args, "hasattr", 2, 2)) return Value::null();
    if (!args[1].is_object() || args[1].as_object()->type != vm.types().str)
        return vm.raise(vm.types().type_error, "attribute name must be string");
    String* name = vm.intern(static_cast<String*>(args[1].as_object())->view());
    Value v = ops::getattr_optional(vm, args[0], name);
    if (v.is_null() && vm.has_exception()) return Value::null();
    return Value::from_bool(!v.is_null());
}

static Value fallback_iter(VM& vm, CallArgs args) {
    if (!check_positional(vm, args, "iter", 1, 1)) return Value::null();
    return ops::iter(vm, args[0]);
}

static Value fallback_next(VM& vm, CallArgs args) {
    if (!check_positional(vm, args, "next", 1, 2)) return Value::null();
    Value v = ops::next(vm, args[0]);
    if (v.is_null() && !vm.has_exception()) {
        if (args.positional_count() == 2) return args[1];
        return vm.raise(vm.types().stop_iteration);
    }
    return v;
}

static Value fallback_id(VM& vm, CallArgs args) {
    if (!check_one_argument(vm, args, "id")) return Value::null();
    Value v = args[0];
    auto bits = v.is_object() ? reinterpret_cast<std::uintptr_t>(v.as_object()) : v.bits() & 0xFFFFFFFFFFFF;
    return Value::from_small_int(static_cast<std::int64_t>(bits & 0x7FFFFFFFFFFF));
}

static Value fallback_hash(VM& vm, CallArgs args) {
    if (!check_one_argument(vm, args, "hash")) return Value::null();
    std::int64_t h;
    if (!ops::hash(vm, args[0], h)) return Value::null();
    return Value::fits_small_int(h) ? Value::from_small_int(h) : Value::from_double(static_cast<double>(h));
}

static Value fallback_callable(VM& vm, CallArgs args) {
    if (!check_one_argument(vm, args, "callable")) return Value::null();
    Value v = args[0];
    Type* t = type_of(vm, v);
    bool callable = t->call || t == vm.types().function || t == vm.types().native_function ||
                    t == vm.types().bound_method;
    return Value::from_bool(callable);
}

void init_fallback_builtins(VM& vm) {
    define_builtin(vm, "print", fallback_print);
    define_builtin(vm, "repr", fallback_repr);
    define_builtin(vm, "len", fallback_len);
    define_builtin(vm, "isinstance", fallback_isinstance);
    define_builtin(vm, "issubclass", fallback_issubclass);
    define_builtin(vm, "getattr", fallback_getattr);
    define_builtin(vm, "setattr", fallback_setattr);
    define_builtin(vm, "hasattr", fallback_hasattr);
    define_builtin(vm, "iter", fallback_iter);
    define_builtin(vm, "next", fallback_next);
    define_builtin(vm, "id", fallback_id);
    define_builtin(vm, "hash", fallback_hash);
    define_builtin(vm, "callable", fallback_callable);
}

// ---------------------------------------------------------------- init_core_types

void init_core_types(VM& vm) {
    BuiltinTypes& t = vm.types();
    t.type->trace = type_trace;
    t.type->finalize = finalize_object<Type>;
    t.type->call = type_call;

    t.object->construct = object_construct;
    t.object->flags |= TypeFlagBaseType;

    t.none_type->repr = none_repr;
    t.none_type->boolean = none_bool;
    t.not_implemented_type->repr = not_implemented_repr;
    t.ellipsis_type->repr = ellipsis_repr;

    t.function->trace = function_trace;
    t.function->repr = function_repr;
    t.function->getattr = function_getattr;
    t.function->setattr = function_setattr;
    t.function->dict_offset = member_offset(&Function::dict);

    t.native_function->trace = native_function_trace;
    t.native_function->repr = native_function_repr;
    t.native_function->getattr = native_function_getattr;

    t.bound_method->trace = bound_method_trace;
    t.bound_method->repr = bound_method_repr;
    t.bound_method->getattr = bound_method_getattr;
    t.bound_method->compare = bound_method_compare;
    t.bound_method->hash = bound_method_compare_hash;

    t.code->trace = code_trace;
    t.code->finalize = finalize_object<Code>;
    t.cell->trace = cell_trace;

    t.module->trace = module_trace;
    t.module->repr = module_repr;
    t.module->getattr = module_getattr;
    t.module->setattr = module_setattr;

    // The shared structs' GC hooks (their types' other slots belong to the containers and
    // text engineers, who may also set these).
    t.str->finalize = finalize_object<String>;
    t.tuple->trace = tuple_trace;
    t.tuple->finalize = finalize_object<Tuple>;
    t.list->trace = list_trace;
    t.list->finalize = finalize_object<List>;
    t.dict->trace = dict_trace;
    t.dict->finalize = finalize_object<Dict>;

    init_exception_types(vm);
    init_class_support(vm);
    init_generator_types(vm);
    init_module_support(vm);
    init_fallback_builtins(vm);
}

// ---------------------------------------------------------------- the VM

// The builtin types in creation order (bases first): field, Python name, base field, flags.
#define CORE_TYPES(X)                                                        \
    X(none_type, "NoneType", object, 0)                                      \
    X(not_implemented_type, "NotImplementedType", object, 0)                 \
    X(ellipsis_type, "ellipsis", object, 0)                                  \
    X(function, "function", object, 0)                                       \
    X(native_function, "builtin_function_or_method", object, 0)              \
    X(bound_method, "method", object, 0)                                     \
    X(code, "code", object, 0)                                               \
    X(cell, "cell", object, 0)                                               \
    X(module, "module", object, TypeFlagBaseType)                            \
    X(traceback, "traceback", object, 0)                                     \
    X(property, "property", object, TypeFlagBaseType)                        \
    X(staticmethod, "staticmethod", object, TypeFlagBaseType)                \
    X(classmethod, "classmethod", object, TypeFlagBaseType)                  \
    X(super, "super", object, TypeFlagBaseType)                              \
    X(generator, "generator", object, 0)                                     \
    X(coroutine, "coroutine", object, 0)                                     \
    X(coroutine_wrapper, "coroutine_wrapper", object, 0)                     \
    X(async_generator, "async_generator", object, 0)                         \
    X(int_, "int", object, TypeFlagBaseType)                                 \
    X(bool_, "bool", int_, 0)                                                \
    X(float_, "float", object, TypeFlagBaseType)                             \
    X(complex, "complex", object, TypeFlagBaseType)                          \
    X(str, "str", object, TypeFlagBaseType)                                  \
    X(bytes, "bytes", object, TypeFlagBaseType)                              \
    X(bytearray, "bytearray", object, TypeFlagBaseType)                      \
    X(str_iterator, "str_ascii_iterator", object, 0)                         \
    X(bytes_iterator, "bytes_iterator", object, 0)                           \
    X(list, "list", object, TypeFlagBaseType)                                \
    X(tuple, "tuple", object, TypeFlagBaseType)                              \
    X(dict, "dict", object, TypeFlagBaseType)                                \
    X(set, "set", object, TypeFlagBaseType)                                  \
    X(frozenset, "frozenset", object, TypeFlagBaseType)                      \
    X(range, "range", object, 0)                                             \
    X(slice, "slice", object, 0)                                             \
    X(list_iterator, "list_iterator", object, 0)                             \
    X(list_reverseiterator, "list_reverseiterator", object, 0)               \
    X(tuple_iterator, "tuple_iterator", object, 0)                           \
    X(range_iterator, "range_iterator", object, 0)                           \
    X(set_iterator, "set_iterator", object, 0)                               \
    X(dict_keys, "dict_keys", object, 0)                                     \
    X(dict_values, "dict_values", object, 0)                                 \
    X(dict_items, "dict_items", object, 0)                                   \
    X(dict_keyiterator, "dict_keyiterator", object, 0)                       \
    X(dict_valueiterator, "dict_valueiterator", object, 0)                   \
    X(dict_itemiterator, "dict_itemiterator", object, 0)                     \
    X(enumerate, "enumerate", object, TypeFlagBaseType)                      \
    X(zip, "zip", object, TypeFlagBaseType)                                  \
    X(map, "map", object, TypeFlagBaseType)                                  \
    X(filter, "filter", object, TypeFlagBaseType)                            \
    X(reversed, "reversed", object, TypeFlagBaseType)                        \
    X(callable_iterator, "callable_iterator", object, 0)                     \
    X(seq_iterator, "iterator", object, 0)

VM::VM() : m_heap(std::make_unique<Heap>(*this)) {
    // Nothing is reachable until the registry is filled in, so start-up never collects.
    m_heap->set_paused(true);

    // `object` and `type` refer to each other: make both, then tie the knot.
    m_types.type = m_heap->allocate<Type>(nullptr);
    m_types.type->type = m_types.type;
    m_types.object = m_heap->allocate<Type>(m_types.type);
    m_types.str = m_heap->allocate<Type>(m_types.type);
    m_types.dict = m_heap->allocate<Type>(m_types.type);
    // Interning needs the str type, dicts need the dict type: fill those two in first.
    for (Type* type : {m_types.object, m_types.type, m_types.str, m_types.dict}) {
        type->flags = TypeFlagBaseType;
        type->dict = m_heap->allocate<Dict>(m_types.dict);
    }
    m_types.object->name = intern("object");
    m_types.object->mro = {m_types.object};
    auto finish = [&](Type* type, const char* name) {
        type->name = intern(name);
        type->base = m_types.object;
        type->mro = {type, m_types.object};
    };
    finish(m_types.type, "type");
    finish(m_types.str, "str");
    finish(m_types.dict, "dict");
    for (Type* type : {m_types.object, m_types.type, m_types.str, m_types.dict}) type->qualname = type->name;
    m_types.type->finalize = finalize_object<Type>;
    m_types.type->trace = type_trace;
    m_types.dict->finalize = finalize_object<Dict>;
    m_types.dict->trace = dict_trace;
    m_types.str->finalize = finalize_object<String>;

#define MAKE_TYPE(field, name, base, flags) \
    if (!m_types.field) m_types.field = new_type(*this, name, m_types.base, InstanceLayout::Builtin, flags);
    CORE_TYPES(MAKE_TYPE)
#undef MAKE_TYPE
#define EXCEPTION(field, name, base)                                                                 \
    m_types.field = new_type(*this, name, m_types.base, InstanceLayout::Exception,                   \
                             TypeFlagBaseType | TypeFlagException);
#include "runtime/exception_types.def"
#undef EXCEPTION

#define ASY_NAME(field, text) m_names.field = intern(text);
#include "runtime/names.def"
#undef ASY_NAME

    m_not_implemented = Value::from_object(m_heap->allocate<Object>(m_types.not_implemented_type));
    m_ellipsis = Value::from_object(m_heap->allocate<Object>(m_types.ellipsis_type));
    m_empty_tuple = m_heap->allocate<Tuple>(m_types.tuple, std::vector<Value>{});
    modules = m_heap->allocate<Dict>(m_types.dict);
    m_builtins_module = new_module(*this, "builtins");
    m_builtins = m_builtins_module->dict;
    dict_set_str(*this, modules, m_builtins_module->name, Value::from_object(m_builtins_module));

    // Every builtin class is a builtins name.
    auto define_class = [&](Type* type) { dict_set_str(*this, builtins(), type->name, Value::from_object(type)); };
    for (Type* type : {m_types.object, m_types.type, m_types.int_, m_types.bool_, m_types.float_, m_types.complex,
                       m_types.str, m_types.bytes, m_types.bytearray, m_types.list, m_types.tuple, m_types.dict,
                       m_types.set, m_types.frozenset, m_types.range, m_types.slice, m_types.enumerate, m_types.zip,
                       m_types.map, m_types.filter, m_types.reversed, m_types.property, m_types.staticmethod,
                       m_types.classmethod, m_types.super})
        define_class(type);
#define EXCEPTION(field, name, base) define_class(m_types.field);
#include "runtime/exception_types.def"
#undef EXCEPTION
    define_builtin_value(*this, "None", Value::none());
    define_builtin_value(*this, "NotImplemented", m_not_implemented);
    define_builtin_value(*this, "Ellipsis", m_ellipsis);
    define_builtin_value(*this, "True", Value::from_bool(true));
    define_builtin_value(*this, "False", Value::from_bool(false));

    init_core_types(*this);
    init_numbers_and_text(*this);
    init_containers_and_builtins(*this);

    // Slots the init functions left empty come from the base class (bases were made first).
    std::vector<Type*> all;
    for (Type* const* field = reinterpret_cast<Type* const*>(&m_types);
         field < reinterpret_cast<Type* const*>(&m_types + 1); ++field)
        if (*field) all.push_back(*field);
    for (Type* type : all) inherit_slots(type);

    m_heap->set_paused(false);
}

VM::~VM() {
    frames.clear();
    free_frame_pool(*this);
}

String* VM::intern(std::string_view text) {
    auto found = m_interned.find(text);
    if (found != m_interned.end()) return found->second;
    String* s = new_string(*this, text);
    s->interned = true;
    m_interned.emplace(s->view(), s);
    return s;
}

void VM::mark_roots(Tracer& tracer) {
    // Every builtin class (BuiltinTypes is nothing but Type pointers).
    for (Type* const* field = reinterpret_cast<Type* const*>(&m_types);
         field < reinterpret_cast<Type* const*>(&m_types + 1); ++field)
        tracer.mark(*field);
    // Interned strings live as long as the VM (names in code objects point at them).
    for (const auto& [text, s] : m_interned) tracer.mark(s);
    tracer.mark(m_exception);
    tracer.mark(handled_exception);
    tracer.mark(m_not_implemented);
    tracer.mark(m_ellipsis);
    tracer.mark(m_empty_tuple);
    tracer.mark(m_builtins_module);
    tracer.mark(modules);
    // The running frames' variables and stacks.
    for (const Frame* frame : frames) trace_frame(frame, tracer);
}

// ---------------------------------------------------------------- raising

Type* VM::error_type(Error error) {
    switch (error) {
#define ERROR(name, type, text) \
    case Error::name: return m_types.type;
#include "runtime/errors.def"
#undef ERROR
    }
    return m_types.system_error;
}

std::string_view VM::error_text(Error error) {
    switch (error) {
#define ERROR(name, type, text) \
    case Error::name: return text;
#include "runtime/errors.def"
#undef ERROR
    }
    return "";
}

Value VM::raise(Type* type, std::string_view message) {
    Value text = Value::from_object(new_string(*this, message));
    Root root(*this, text);
    Value exception = new_exception(*this, type, std::span<const Value>(&text, 1));
    set_pending_exception(*this, exception);
    return Value::null();
}

Value VM::raise(Type* type) {
    Value exception = new_exception(*this, type, {});
    set_pending_exception(*this, exception);
    return Value::null();
}

Value VM::raise_value(Value exception) {
    Value instance = exception_instance(*this, exception);
    if (instance.is_null()) return instance;
    set_pending_exception(*this, instance);
    return Value::null();
}

Value VM::take_exception() {
    Value exception = m_exception;
    m_exception = Value::null();
    return exception;
}

bool VM::exception_matches(const Type* type) const {
    return !m_exception.is_null() && is_subtype(m_exception.as_object()->type, type);
}

}  // namespace asy
