// Calls: binding arguments to an asy function's parameters (with CPython's TypeError texts),
// calling any callable from native code, and the helpers natives use to check their own
// arguments and to define methods, properties and builtins.
#include "runtime/objects/dict.hpp"
#include "runtime/objects/module.hpp"
#include "runtime/objects/str.hpp"
#include "runtime/objects/tuple.hpp"
#include "runtime/ops.hpp"
#include "runtime/vm_internal.hpp"

#include <string>

namespace asy {

// The most nested re-entries of the dispatch loop from native code (each costs C++ stack).
static constexpr int max_native_depth = 600;

// ---------------------------------------------------------------- asy functions

// "'a'", "'a' and 'b'", "'a', 'b', and 'c'": how CPython lists missing parameters.
static std::string quoted_list(const std::vector<String*>& names) {
    std::string text;
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (i > 0) text += names.size() == 2 ? " and " : (i + 1 == names.size() ? ", and " : ", ");
        text += "'" + names[i]->utf8 + "'";
    }
    return text;
}

// Index of parameter `name` among those that may be passed by keyword, or -1.
static int keyword_parameter(const Code* code, const String* name) {
    const CodeObject& co = *code->code;
    const int first = co.posonlyargcount;
    const int end = co.argcount + co.kwonlyargcount;
    for (int i = first; i < end; ++i)
        if (code->varnames[static_cast<std::size_t>(i)] == name) return i;
    for (int i = first; i < end; ++i)
        if (string_equals(code->varnames[static_cast<std::size_t>(i)], name)) return i;
    return -1;
}

// The general case of binding: keywords, defaults, *args, **kwargs. Fills frame->slots;
// returns false after raising.
static bool bind_general(VM& vm, Function* function, Frame* frame, const Value* args, std::size_t count,
                         const Tuple* kwnames) {
    Code* code = function->code;
    const CodeObject& co = *code->code;
    Value* locals = frame->slots;
    const std::string& qualname = function->qualname->utf8;
    const std::size_t nkw = kwnames ? kwnames->size() : 0;
    const std::size_t npos = count - nkw;
    const auto argcount = static_cast<std::size_t>(co.argcount);
    const auto kwonly = static_cast<std::size_t>(co.kwonlyargcount);
    const bool has_varargs = co.flags & CO_VARARGS;
    const bool has_varkw = co.flags & CO_VARKEYWORDS;
    std::size_t next_slot = argcount + kwonly;

    // Positional arguments fill the first parameters; extras go to *args.
    const std::size_t direct = std::min(npos, argcount);
    for (std::size_t i = 0; i < direct; ++i) locals[i] = args[i];
    if (has_varargs) {
        Tuple* rest = npos > argcount ? new_tuple(vm, std::span<const Value>(args + argcount, npos - argcount))
                                      : vm.empty_tuple();
        locals[next_slot++] = Value::from_object(rest);
    }
    Dict* kwargs = nullptr;
    if (has_varkw) {
        kwargs = new_dict(vm);
        locals[next_slot++] = Value::from_object(kwargs);
    }

    // Keyword arguments go to the parameter of that name, or to **kwargs.
    std::vector<String*> positional_only_passed;
    for (std::size_t k = 0; k < nkw; ++k) {
        auto* name = static_cast<String*>(kwnames->items[k].as_object());
        Value value = args[npos + k];
        int index = keyword_parameter(code, name);
        if (index < 0) {
            if (kwargs) {
                if (!dict_set(vm, kwargs, Value::from_object(name), value)) return false;
                continue;
            }
            // A positional-only parameter's name used as a keyword gets its own message.
            for (int i = 0; i < co.posonlyargcount; ++i)
                if (string_equals(code->varnames[static_cast<std::size_t>(i)], name))
                    positional_only_passed.push_back(name);
            if (!positional_only_passed.empty()) continue;
            vm.raise_error(Error::unexpected_keyword, qualname, name->view());
            return false;
        }
        if (!locals[index].is_null()) {
            vm.raise_error(Error::multiple_values, qualname, name->view());
            return false;
        }
        locals[index] = value;
    }
    if (!positional_only_passed.empty()) {
        std::string names;
        for (std::size_t i = 0; i < positional_only_passed.size(); ++i) {
            if (i) names += ", ";
            names += positional_only_passed[i]->utf8;
        }
        vm.raise_error(Error::positional_only_as_keyword, qualname, names);
        return false;
    }

    // Too many positional arguments (only now, so that keyword-only ones can be counted).
    const std::size_t ndefaults = function->defaults ? function->defaults->size() : 0;
    if (npos > argcount && !has_varargs) {
        std::size_t kwonly_given = 0;
        for (std::size_t i = argcount; i < argcount + kwonly; ++i) kwonly_given += !locals[i].is_null();
        std::string takes;
        bool plural = argcount != 1;
        if (ndefaults) {
            takes = "from " + std::to_string(argcount - ndefaults) + " to " + std::to_string(argcount);
            plural = true;
        } else {
            takes = std::to_string(argcount);
        }
        std::string given = std::to_string(npos);
        if (kwonly_given) {
            given += std::string(" positional argument") + (npos != 1 ? "s" : "") + " (and " +
                     std::to_string(kwonly_given) + " keyword-only argument" + (kwonly_given != 1 ? "s" : "") + ")";
        }
        vm.raise_format(vm.types().type_error, "{}() takes {} positional argument{} but {} {} given", qualname,
                        takes, plural ? "s" : "", given, (npos == 1 && !kwonly_given) ? "was" : "were");
        return false;
    }

    // Missing positional parameters take their defaults.
    std::vector<String*> missing;
    for (std::size_t i = npos; i < argcount; ++i) {
        if (!locals[i].is_null()) continue;
        if (i + ndefaults >= argcount) {
            locals[i] = function->defaults->items[i + ndefaults - argcount];
        } else {
            missing.push_back(code->varnames[i]);
        }
    }
    if (!missing.empty()) {
        vm.raise_error(Error::missing_positional, qualname, missing.size(), missing.size() == 1 ? "" : "s",
                       quoted_list(missing));
        return false;
    }
    for (std::size_t i = argcount; i < argcount + kwonly; ++i) {
        if (!locals[i].is_null()) continue;
        Value fallback = function->kwdefaults ? dict_get_str(function->kwdefaults, code->varnames[i]) : Value::null();
        if (fallback.is_null()) {
            missing.push_back(code->varnames[i]);
        } else {
            locals[i] = fallback;
        }
    }
    if (!missing.empty()) {
        vm.raise_error(Error::missing_keyword_only, qualname, missing.size(), missing.size() == 1 ? "" : "s",
                       quoted_list(missing));
        return false;
    }
    return true;
}

Frame* prepare_call(VM& vm, Function* function, const Value* args, std::size_t count, const Tuple* kwnames) {
    if (static_cast<int>(vm.frames.size()) >= vm.recursion_limit) {
        vm.raise_error(Error::recursion);
        return nullptr;
    }
    Code* code = function->code;
    const CodeObject& co = *code->code;
    Frame* frame = acquire_frame(vm, code);
    frame->function = function;
    frame->globals = function->globals;
    frame->builtins = vm.builtins();
    // The fast path: exactly the positional parameters, nothing else.
    const bool simple = !kwnames && count == static_cast<std::size_t>(co.argcount) && co.kwonlyargcount == 0 &&
                        !(co.flags & (CO_VARARGS | CO_VARKEYWORDS));
    const bool has_cells = code->nlocalsplus != static_cast<int>(co.varnames.size());
    if (simple) {
        for (std::size_t i = 0; i < count; ++i) frame->slots[i] = args[i];
        if (!has_cells) return frame;
    }
    // Binding may allocate (*args, **kwargs, cells), so the frame goes on the frame stack for
    // the collector to see what is already in it.
    frame->sp = frame->slots + code->nlocalsplus;
    vm.frames.push_back(frame);
    bool ok = simple || bind_general(vm, function, frame, args, count, kwnames);
    if (ok) {
        // Cells for captured variables; a captured parameter starts with the argument's value.
        const std::size_t nlocals = co.varnames.size();
        for (std::size_t i = 0; i < co.cellvars.size(); ++i) {
            Value initial = Value::null();
            for (std::size_t j = 0; j < nlocals; ++j)
                if (code->varnames[j] == code->cell_names[i]) initial = frame->slots[j];
            frame->slots[nlocals + i] = Value::from_object(vm.heap().allocate<Cell>(vm.types().cell, initial));
        }
        if (function->closure) {
            for (std::size_t i = 0; i < co.freevars.size(); ++i)
                frame->slots[nlocals + co.cellvars.size() + i] = function->closure->items[i];
        }
    }
    vm.frames.pop_back();
    if (!ok) {
        release_frame(vm, frame);
        return nullptr;
    }
    return frame;
}

// ---------------------------------------------------------------- any callable

// Runs a prepared frame to completion from native code.
static Value run_new_frame(VM& vm, Function* function, Frame* frame) {
    if (is_generator_code(function->code)) return make_generator(vm, function, frame);
    if (vm.native_depth >= max_native_depth) {
        release_frame(vm, frame);
        return vm.raise_error(Error::recursion);
    }
    frame->is_entry = true;
    vm.frames.push_back(frame);
    ++vm.native_depth;
    Value result = run_frame(vm, frame);
    --vm.native_depth;
    return result;
}

// [self, args...] in a rooted vector, for calling a method's function.
static Value call_with_self(VM& vm, Value function, Value self, const Value* args, std::size_t count,
                            const Tuple* kwnames) {
    std::vector<Value> all;
    all.reserve(count + 1);
    all.push_back(self);
    all.insert(all.end(), args, args + count);
    RootVector root(vm, all);
    Root function_root(vm, function);
    return call_object(vm, function, all.data(), all.size(), kwnames);
}

Value call_object(VM& vm, Value callable, const Value* args, std::size_t count, const Tuple* kwnames) {
    if (callable.is_object()) {
        Object* object = callable.as_object();
        Type* type = object->type;
        if (type == vm.types().function) {
            auto* function = static_cast<Function*>(object);
            Frame* frame = prepare_call(vm, function, args, count, kwnames);
            if (!frame) return Value::null();
            return run_new_frame(vm, function, frame);
        }
        if (type == vm.types().native_function) {
            auto* native = static_cast<NativeFunctionObject*>(object);
            Root keep(vm, callable);
            if (!native->self.is_null()) {
                // A builtin method bound to its object: self goes first.
                std::vector<Value> all;
                all.reserve(count + 1);
                all.push_back(native->self);
                all.insert(all.end(), args, args + count);
                RootVector root(vm, all);
                return native->function(vm, CallArgs(std::span<const Value>(all), kwnames));
            }
            return native->function(vm, CallArgs(std::span<const Value>(args, count), kwnames));
        }
        if (type == vm.types().bound_method) {
            auto* method = static_cast<BoundMethod*>(object);
            return call_with_self(vm, method->function, method->self, args, count, kwnames);
        }
    }
    Type* type = type_of(vm, callable);
    if (type->call) return type->call(vm, callable, CallArgs(std::span<const Value>(args, count), kwnames));
    return vm.raise_error(Error::not_callable, ops::type_name(vm, callable));
}

// Native callers' argument arrays are often C++ locals, so the call keeps them (and the
// callable and keyword names) alive itself.
Value VM::call(Value callable, std::span<const Value> args, const Tuple* kwnames) {
    Root callable_root(*this, callable);
    Root kwnames_root(*this, kwnames);
    m_heap->push_root_span(args.data(), args.size());
    Value result = call_object(*this, callable, args.data(), args.size(), kwnames);
    m_heap->pop_root_span();
    return result;
}

Value VM::call(Value callable, CallArgs args) {
    return call(callable, std::span<const Value>(args.values, args.count), args.kwnames);
}

Value VM::call_method(Value self, String* name, std::span<const Value> args) {
    Value method = ops::getattr(*this, self, name);
    if (method.is_null()) return method;
    Root root(*this, method);
    return call_object(*this, method, args.data(), args.size(), nullptr);
}

// ---------------------------------------------------------------- argument checks for natives

bool check_no_keywords(VM& vm, CallArgs args, std::string_view name) {
    if (args.keyword_count() == 0) return true;
    vm.raise_format(vm.types().type_error, "{}() takes no keyword arguments", name);
    return false;
}

bool check_one_argument(VM& vm, CallArgs args, std::string_view name) {
    if (!check_no_keywords(vm, args, name)) return false;
    if (args.positional_count() == 1) return true;
    vm.raise_format(vm.types().type_error, "{}() takes exactly one argument ({} given)", name, args.positional_count());
    return false;
}

bool check_no_arguments(VM& vm, CallArgs args, std::string_view name) {
    if (!check_no_keywords(vm, args, name)) return false;
    if (args.positional_count() == 0) return true;
    vm.raise_format(vm.types().type_error, "{}() takes no arguments ({} given)", name, args.positional_count());
    return false;
}

bool check_positional(VM& vm, CallArgs args, std::string_view name, std::size_t min, std::size_t max) {
    if (!check_no_keywords(vm, args, name)) return false;
    const std::size_t n = args.positional_count();
    if (n < min) {
        vm.raise_format(vm.types().type_error, "{} expected {}{} argument{}, got {}", name,
                        min == max ? "" : "at least ", min, min == 1 ? "" : "s", n);
        return false;
    }
    if (n > max) {
        vm.raise_format(vm.types().type_error, "{} expected {}{} argument{}, got {}", name,
                        min == max ? "" : "at most ", max, max == 1 ? "" : "s", n);
        return false;
    }
    return true;
}

bool bind_arguments(VM& vm, CallArgs args, const Signature& signature, Value* out) {
    const std::size_t nparams = signature.parameters.size();
    const std::size_t keyword_only_from = std::min(signature.keyword_only_from, nparams);
    const std::size_t npos = args.positional_count();
    for (std::size_t i = 0; i < nparams; ++i) out[i] = Value::null();
    if (npos > keyword_only_from) {
        const bool exact = signature.required == keyword_only_from;
        vm.raise_format(vm.types().type_error, "{}() takes {} {} positional argument{} ({} given)", signature.name,
                        exact ? "exactly" : "at most", keyword_only_from, keyword_only_from == 1 ? "" : "s", npos);
        return false;
    }
    for (std::size_t i = 0; i < npos; ++i) out[i] = args[i];
    for (std::size_t k = 0; k < args.keyword_count(); ++k) {
        String* name = args.keyword_name(k);
        std::size_t index = nparams;
        for (std::size_t i = signature.positional_only; i < nparams; ++i)
            if (signature.parameters[i] == name->view()) index = i;
        if (index == nparams) {
            vm.raise_format(vm.types().type_error, "'{}' is an invalid keyword argument for {}()", name->view(),
                            signature.name);
            return false;
        }
        if (!out[index].is_null()) {
            vm.raise_format(vm.types().type_error, "argument for {}() given by name ('{}') and position ({})",
                            signature.name, name->view(), index + 1);
            return false;
        }
        out[index] = args.keyword_value(k);
    }
    for (std::size_t i = 0; i < signature.required; ++i) {
        if (out[i].is_null()) {
            vm.raise_format(vm.types().type_error, "{}() missing required argument '{}' (pos {})", signature.name,
                            signature.parameters[i], i + 1);
            return false;
        }
    }
    return true;
}

// ---------------------------------------------------------------- defining natives

NativeFunctionObject* make_native_function(VM& vm, std::string_view name, NativeFunction function, Type* owner) {
    Root name_root(vm, vm.intern(name));
    auto* native = vm.heap().allocate<NativeFunctionObject>(vm.types().native_function);
    native->function = function;
    native->name = name_root.as<String>();
    native->owner = owner;
    return native;
}

void define_method(VM& vm, Type* type, std::string_view name, NativeFunction function) {
    NativeFunctionObject* native = make_native_function(vm, name, function, type);
    dict_set_str(vm, type->dict, native->name, Value::from_object(native));
}

void define_static_method(VM& vm, Type* type, std::string_view name, NativeFunction function) {
    Root native(vm, make_native_function(vm, name, function));
    auto* wrapper = vm.heap().allocate<StaticMethod>(vm.types().staticmethod);
    wrapper->function = native;
    dict_set_str(vm, type->dict, native.as<NativeFunctionObject>()->name, Value::from_object(wrapper));
}

void define_class_method(VM& vm, Type* type, std::string_view name, NativeFunction function) {
    Root native(vm, make_native_function(vm, name, function));
    auto* wrapper = vm.heap().allocate<ClassMethod>(vm.types().classmethod);
    wrapper->function = native;
    dict_set_str(vm, type->dict, native.as<NativeFunctionObject>()->name, Value::from_object(wrapper));
}

void define_property(VM& vm, Type* type, std::string_view name, NativeFunction getter, NativeFunction setter) {
    Root get(vm, make_native_function(vm, name, getter, type));
    Root set(vm, setter ? Value::from_object(make_native_function(vm, name, setter, type)) : Value::none());
    auto* property = vm.heap().allocate<Property>(vm.types().property);
    property->getter = get;
    property->setter = set;
    property->deleter = Value::none();
    property->doc = Value::none();
    dict_set_str(vm, type->dict, vm.intern(name), Value::from_object(property));
}

void define_attribute(VM& vm, Type* type, std::string_view name, Value value) {
    Root root(vm, value);
    dict_set_str(vm, type->dict, vm.intern(name), value);
}

void define_function(VM& vm, Module* module, std::string_view name, NativeFunction function) {
    Root module_root(vm, module);
    NativeFunctionObject* native = make_native_function(vm, name, function);
    native->data = Value::from_object(module);
    dict_set_str(vm, module->dict, native->name, Value::from_object(native));
}

void define_builtin(VM& vm, std::string_view name, NativeFunction function) {
    define_function(vm, vm.builtins_module(), name, function);
}

void define_builtin_value(VM& vm, std::string_view name, Value value) {
    Root root(vm, value);
    dict_set_str(vm, vm.builtins(), vm.intern(name), value);
}

}  // namespace asy
