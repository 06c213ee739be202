// Modules and imports: `import x` finds x among the loaded modules (sys.modules), the native
// modules registered by name (math, time...), x.asy beside the main script, and the stdlib
// embedded in the binary, in that order. A source module is compiled, registered before its
// body runs (so circular imports see the partial module), and run with its dict as globals.
#include "compiler/compiler.hpp"
#include "compiler/parse.hpp"
#include "compiler/source.hpp"
#include "runtime/embedded_stdlib.hpp"
#include "runtime/objects/dict.hpp"
#include "runtime/objects/int.hpp"
#include "runtime/objects/list.hpp"
#include "runtime/objects/module.hpp"
#include "runtime/objects/str.hpp"
#include "runtime/objects/tuple.hpp"
#include "runtime/ops.hpp"
#include "runtime/streams.hpp"
#include "runtime/vm_internal.hpp"
#include "stdlib/native/asyncio.hpp"

#include <fstream>
#include <sstream>

namespace asy {

void VM::register_native_module(std::string_view name, NativeModuleInit init) {
    native_modules[std::string(name)] = init;
}

// ---------------------------------------------------------------- running source

// Raises the SyntaxError (or IndentationError...) of a module that does not compile.
static void raise_syntax_error(VM& vm, const SyntaxError& error) {
    Type* type = error.kind == SyntaxErrorKind::IndentationError ? vm.types().indentation_error
                 : error.kind == SyntaxErrorKind::TabError      ? vm.types().tab_error
                                                                : vm.types().syntax_error;
    vm.raise(type, error.message);
    // Printing an uncaught one shows CPython's layout (file, line, source, caret).
    std::string text = format_syntax_error(error);
    if (!text.empty() && text.back() != '\n') text += '\n';
    as_exception(vm.exception())->value = Value::from_object(new_string(vm, text));
}

bool exec_module_source(VM& vm, const SourceFile& source, Module* module) {
    ParseResult parsed = parse_module(source);
    if (parsed.error) {
        raise_syntax_error(vm, *parsed.error);
        return false;
    }
    CompileResult compiled = compile_module(*parsed.module, source);
    if (compiled.error) {
        raise_syntax_error(vm, *compiled.error);
        return false;
    }
    Root module_root(vm, module);
    Code* code = load_code(vm, compiled.code);
    Root code_root(vm, code);
    Frame* frame = acquire_frame(vm, code);
    frame->globals = module->dict;
    frame->builtins = vm.builtins();
    frame->is_entry = true;
    vm.frames.push_back(frame);
    ++vm.native_depth;
    Value result = run_frame(vm, frame);
    --vm.native_depth;
    return !result.is_null();
}

// ---------------------------------------------------------------- finding modules

static bool read_file(const std::string& path, std::string& out) {
    std::ifstream file(path, std::ios::binary);
    if (!file) return false;
    std::ostringstream text;
    text << file.rdbuf();
    out = text.str();
    return true;
}

// Where the source of module `name` ("a.b") is: a file path or an embedded path, and whether
// it is a package (an __init__.asy).
struct ModuleSource {
    std::string filename;
    std::string text;
    bool is_package = false;
};

static bool find_source_module(VM& vm, const std::string& name, ModuleSource& found) {
    std::string relative = name;
    for (char& c : relative)
        if (c == '.') c = '/';
    const std::string directory = vm.script_directory.empty() ? "." : vm.script_directory;
    for (bool package : {false, true}) {
        std::string path = directory + "/" + relative + (package ? "/__init__.asy" : ".asy");
        if (read_file(path, found.text)) {
            found.filename = path;
            found.is_package = package;
            return true;
        }
    }
    for (const EmbeddedFile& file : embedded_stdlib()) {
        for (bool package : {false, true}) {
            std::string path = relative + (package ? "/__init__.asy" : ".asy");
            if (file.path == path) {
                found.filename = "<stdlib>/" + path;
                found.text = std::string(file.source);
                found.is_package = package;
                return true;
            }
        }
    }
    return false;
}

// Imports one fully qualified module (its parent package must be imported already).
// CPython's ImportError carries .name (the module) and .path: set them on the pending one.
static void set_import_error_attributes(VM& vm, Value name, Value path) {
    Root name_root(vm, name);
    Root path_root(vm, path);
    Root exception(vm, vm.take_exception());
    if (exception.get().is_null()) return;
    if (!ops::setattr(vm, exception.get(), vm.intern("name"), name) ||
        !ops::setattr(vm, exception.get(), vm.intern("path"), path))
        vm.clear_exception();
    vm.restore_exception(exception.get());
}

static Value load_module(VM& vm, const std::string& name) {
    Value existing = dict_get_str(vm.modules, vm.intern(name));
    if (!existing.is_null()) return existing;

    auto native = vm.native_modules.find(name);
    if (native != vm.native_modules.end()) {
        Root module(vm, new_module(vm, name));
        dict_set_str(vm, vm.modules, vm.intern(name), module);
        if (!native->second(vm, module.as<Module>())) {
            dict_delete_str(vm, vm.modules, vm.intern(name));
            return Value::null();
        }
        return module;
    }

    ModuleSource found;
    if (!find_source_module(vm, name, found)) {
        vm.raise_error(Error::no_module, name);
        set_import_error_attributes(vm, Value::from_object(vm.intern(name)), Value::none());
        return Value::null();
    }
    auto source = std::make_unique<SourceFile>();
    source->filename = found.filename;
    source->text = std::move(found.text);
    const SourceFile& kept = *source;
    vm.sources.push_back(std::move(source));

    Root module(vm, new_module(vm, name));
    Dict* dict = module.as<Module>()->dict;
    dict_set_str(vm, dict, vm.names().file, Value::from_object(new_string(vm, kept.filename)));
    if (found.is_package) {
        dict_set_str(vm, dict, vm.intern("__path__"), Value::from_object(new_list(vm)));
        dict_set_str(vm, dict, vm.intern("__package__"), Value::from_object(vm.intern(name)));
    } else {
        auto dot = name.rfind('.');
        dict_set_str(vm, dict, vm.intern("__package__"),
                     Value::from_object(vm.intern(dot == std::string::npos ? "" : name.substr(0, dot))));
    }
    // Registered before the body runs, so circular imports find the partial module.
    dict_set_str(vm, vm.modules, vm.intern(name), module);
    if (!exec_module_source(vm, kept, module.as<Module>())) {
        dict_delete_str(vm, vm.modules, vm.intern(name));
        return Value::null();
    }
    // The module may have replaced itself in sys.modules.
    Value final_module = dict_get_str(vm.modules, vm.intern(name));
    return final_module.is_null() ? module.get() : final_module;
}

// Imports "a.b.c": a, then a.b, then a.b.c, binding each as an attribute of its parent.
static Value import_dotted(VM& vm, const std::string& name) {
    Value parent = Value::null();
    Root parent_root(vm, parent);
    std::size_t start = 0;
    while (true) {
        std::size_t dot = name.find('.', start);
        std::string prefix = name.substr(0, dot);
        Value module = load_module(vm, prefix);
        if (module.is_null()) return module;
        if (!parent_root.get().is_null()) {
            std::string last = prefix.substr(start);
            Root module_root(vm, module);
            if (!ops::setattr(vm, parent_root.get(), vm.intern(last), module)) return Value::null();
        }
        parent_root.set(module);
        if (dot == std::string::npos) return module;
        start = dot + 1;
    }
}

// The package that a relative import in `globals` is relative to.
static bool resolve_relative(VM& vm, Dict* globals, const std::string& name, std::int64_t level, std::string& out) {
    Value package = dict_get_str(globals, vm.intern("__package__"));
    std::string base;
    if (!package.is_null() && package.is_object() && package.as_object()->type == vm.types().str) {
        base = static_cast<String*>(package.as_object())->utf8;
    } else {
        Value module_name = dict_get_str(globals, vm.names().name);
        if (!module_name.is_null() && module_name.is_object() && module_name.as_object()->type == vm.types().str) {
            base = static_cast<String*>(module_name.as_object())->utf8;
            if (dict_get_str(globals, vm.intern("__path__")).is_null()) {
                auto dot = base.rfind('.');
                base = dot == std::string::npos ? "" : base.substr(0, dot);
            }
        }
    }
    if (base.empty()) {
        vm.raise_error(Error::relative_import_no_parent);
        return false;
    }
    for (std::int64_t i = 1; i < level; ++i) {
        auto dot = base.rfind('.');
        if (dot == std::string::npos) {
            vm.raise(vm.types().import_error, "attempted relative import beyond top-level package");
            return false;
        }
        base = base.substr(0, dot);
    }
    out = name.empty() ? base : base + "." + name;
    return true;
}

Value import_name(VM& vm, String* name, Value fromlist, Value level, Frame* frame) {
    std::int64_t depth = level.is_small_int() ? level.as_small_int() : 0;
    std::string full = name->utf8;
    if (depth > 0 && !resolve_relative(vm, frame->globals, name->utf8, depth, full)) return Value::null();
    Value module = import_dotted(vm, full);
    if (module.is_null()) return module;
    const bool has_fromlist = !fromlist.is_none() && !fromlist.is_null() &&
                              !(fromlist.is_object() && fromlist.as_object()->type == vm.types().tuple &&
                                static_cast<Tuple*>(fromlist.as_object())->items.empty());
    if (has_fromlist || depth > 0) {
        // `from a.b import c`: the leaf module a.b.
        return module;
    }
    // `import a.b`: the name bound is the top package a.
    auto dot = full.find('.');
    if (dot == std::string::npos) return module;
    return dict_get_str(vm.modules, vm.intern(full.substr(0, dot)));
}

Value import_from(VM& vm, Value module, String* name) {
    Value v = ops::getattr_optional(vm, module, name);
    if (!v.is_null() || vm.has_exception()) return v;
    // A submodule not imported yet: `from package import submodule`.
    Value module_name = ops::getattr_optional(vm, module, vm.names().name);
    std::string module_text = module_name.is_object() && module_name.as_object()->type == vm.types().str
                                  ? static_cast<String*>(module_name.as_object())->utf8
                                  : "?";
    if (module.is_object() && module.as_object()->type == vm.types().module &&
        !dict_get_str(static_cast<Module*>(module.as_object())->dict, vm.intern("__path__")).is_null()) {
        Value sub = import_dotted(vm, module_text + "." + name->utf8);
        if (!sub.is_null()) return sub;
        if (!vm.exception_matches(vm.types().module_not_found_error)) return sub;
        vm.clear_exception();
    }
    Value file = ops::getattr_optional(vm, module, vm.names().file);
    if (file.is_null() && vm.has_exception()) return Value::null();
    Root file_root(vm, file);
    if (file.is_object() && file.as_object()->type == vm.types().str)
        vm.raise_error(Error::cannot_import_name, name->view(), module_text,
                       static_cast<String*>(file.as_object())->view());
    else
        vm.raise_error(Error::cannot_import_name_unknown, name->view(), module_text);
    set_import_error_attributes(vm, module_name.is_object() && module_name.as_object()->type == vm.types().str
                                        ? module_name
                                        : Value::none(),
                                file.is_object() && file.as_object()->type == vm.types().str ? file : Value::none());
    return Value::null();
}

bool import_star(VM& vm, Value module, Dict* into) {
    if (!module.is_object() || module.as_object()->type != vm.types().module) {
        vm.raise(vm.types().type_error, "import * expects a module");
        return false;
    }
    Dict* dict = static_cast<Module*>(module.as_object())->dict;
    Value all = dict_get_str(dict, vm.names().all);
    std::vector<DictEntry> entries = dict->entries;
    if (!all.is_null()) {
        Value iterator = ops::iter(vm, all);
        if (iterator.is_null()) return false;
        Root root(vm, iterator);
        while (true) {
            Value item = ops::next(vm, iterator);
            if (item.is_null()) return !vm.has_exception();
            if (!item.is_object() || item.as_object()->type != vm.types().str) {
                vm.raise(vm.types().type_error, "Item in __all__ must be str");
                return false;
            }
            String* key = vm.intern(static_cast<String*>(item.as_object())->view());
            Value value = ops::getattr(vm, module, key);
            if (value.is_null()) return false;
            dict_set_str(vm, into, key, value);
        }
    }
    for (const DictEntry& entry : entries) {
        if (entry.key.is_null() || !entry.key.is_object() || entry.key.as_object()->type != vm.types().str) continue;
        auto* key = static_cast<String*>(entry.key.as_object());
        if (key->utf8.starts_with("_")) continue;
        dict_set_str(vm, into, vm.intern(key->view()), entry.value);
    }
    return true;
}

Module* VM::import_module(std::string_view name) {
    Value module = import_dotted(*this, std::string(name));
    if (module.is_null()) return nullptr;
    return static_cast<Module*>(module.as_object());
}

// ---------------------------------------------------------------- a minimal sys

static Value sys_exit(VM& vm, CallArgs args) {
    if (!check_positional(vm, args, "exit", 0, 1)) return Value::null();
    if (args.positional_count() == 0) return vm.raise(vm.types().system_exit);
    Value code = args[0];
    Value exception = new_exception(vm, vm.types().system_exit, std::span<const Value>(&code, 1));
    set_pending_exception(vm, exception);
    return Value::null();
}

static Value sys_getrecursionlimit(VM& vm, CallArgs args) {
    if (!check_no_arguments(vm, args, "getrecursionlimit")) return Value::null();
    return Value::from_small_int(vm.recursion_limit);
}

static Value sys_setrecursionlimit(VM& vm, CallArgs args) {
    if (!check_one_argument(vm, args, "setrecursionlimit")) return Value::null();
    if (!args[0].is_small_int()) return vm.raise(vm.types().type_error, "'float' object cannot be interpreted as an integer");
    std::int64_t limit = args[0].as_small_int();
    if (limit < 1) return vm.raise(vm.types().value_error, "recursion limit must be greater or equal than 1");
    // Beyond this the C++ stack of re-entrant native calls could overflow.
    vm.recursion_limit = static_cast<int>(std::min<std::int64_t>(limit, 100000));
    return Value::none();
}

static Value sys_exc_info(VM& vm, CallArgs) {
    Value e = vm.handled_exception;
    if (!is_exception_instance(vm, e)) {
        Value nones[3] = {Value::none(), Value::none(), Value::none()};
        return Value::from_object(new_tuple(vm, std::span<const Value>(nones, 3)));
    }
    auto* object = as_exception(e);
    Value items[3] = {Value::from_object(object->type), e,
                      object->traceback ? Value::from_object(object->traceback) : Value::none()};
    return Value::from_object(new_tuple(vm, std::span<const Value>(items, 3)));
}

static bool init_sys(VM& vm, Module* module) {
    define_function(vm, module, "exit", sys_exit);
    define_function(vm, module, "getrecursionlimit", sys_getrecursionlimit);
    define_function(vm, module, "setrecursionlimit", sys_setrecursionlimit);
    define_function(vm, module, "exc_info", sys_exc_info);
    std::vector<Value> argv;
    RootVector root(vm, argv);
    for (const std::string& arg : vm.argv) argv.push_back(Value::from_object(new_string(vm, arg)));
    dict_set_str(vm, module->dict, vm.intern("argv"), Value::from_object(new_list(vm, std::move(argv))));
    dict_set_str(vm, module->dict, vm.intern("modules"), Value::from_object(vm.modules));
    Value maxsize = int_from_int64(vm, INT64_MAX);
    if (maxsize.is_null()) return false;
    dict_set_str(vm, module->dict, vm.intern("maxsize"), maxsize);
    dict_set_str(vm, module->dict, vm.intern("platform"), Value::from_object(vm.intern("linux")));
    return true;
}

void init_module_support(VM& vm) {
    vm.register_native_module("sys", init_sys);
    // _asyncio, the native half of asyncio (async engineer: stdlib/native/asyncio_loop.cpp).
    register_asyncio_module(vm);
    // _streams, TCP, DNS and subprocesses on libuv (streams engineer: runtime/streams.cpp).
    register_streams_module(vm);
}

}  // namespace asy
