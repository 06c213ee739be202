// The sys module: the program's argv, exit(), the standard streams (as text file objects,
// runtime/objects/file.cpp), the recursion limit, the loaded modules and a few constants.
#include "stdlib/native/native_modules.hpp"

#include "runtime/objects/container_types.hpp"
#include "runtime/objects/container_util.hpp"
#include "runtime/objects/dict.hpp"
#include "runtime/objects/int.hpp"
#include "runtime/objects/list.hpp"
#include "runtime/objects/module.hpp"
#include "runtime/objects/str.hpp"
#include "runtime/objects/tuple.hpp"
#include "runtime/vm.hpp"

#include <limits>

namespace asy {

namespace {

// sys.exit(status=None): raises SystemExit(status); the interpreter exits with it.
Value sys_exit(VM& vm, CallArgs args) {
    if (!check_no_keywords(vm, args, "exit") || !check_positional(vm, args, "exit", 0, 1)) return Value::null();
    const Value exception = vm.call(Value::from_object(vm.types().system_exit), args.positional());
    if (exception.is_null()) return Value::null();
    return vm.raise_value(exception);
}

Value sys_getrecursionlimit(VM& vm, CallArgs args) {
    if (!check_no_arguments(vm, args, "getrecursionlimit")) return Value::null();
    return Value::from_small_int(vm.recursion_limit);
}

Value sys_setrecursionlimit(VM& vm, CallArgs args) {
    if (!check_one_argument(vm, args, "setrecursionlimit")) return Value::null();
    std::int64_t limit = 0;
    const int status = index_value(vm, args[0], limit);
    if (status == 0)
        return vm.raise_format(vm.types().type_error, "'{}' object cannot be interpreted as an integer",
                               ops::type_name(vm, args[0]));
    if (status < 0) return Value::null();
    if (limit < 1) return vm.raise(vm.types().value_error, "recursion limit must be greater or equal than 1");
    // Beyond this the C++ stack of native re-entries could overflow; keep the limit sane.
    constexpr std::int64_t ceiling = 1'000'000;
    vm.recursion_limit = static_cast<int>(limit > ceiling ? ceiling : limit);
    return Value::none();
}

// sys.exc_info(): (type, value, traceback) of the exception being handled, or Nones.
Value sys_exc_info(VM& vm, CallArgs args) {
    if (!check_no_arguments(vm, args, "exc_info")) return Value::null();
    const Value handled = vm.handled_exception;
    if (handled.is_null() || handled.is_none()) {
        const Value nones[] = {Value::none(), Value::none(), Value::none()};
        return Value::from_object(new_tuple(vm, nones));
    }
    Root traceback(vm, ops::getattr_optional(vm, handled, vm.intern("__traceback__")));
    if (traceback.get().is_null()) {
        if (vm.has_exception()) return Value::null();
        traceback.set(Value::none());
    }
    const Value parts[] = {Value::from_object(type_of(vm, handled)), handled, traceback.get()};
    return Value::from_object(new_tuple(vm, parts));
}

Value sys_intern(VM& vm, CallArgs args) {
    if (!check_one_argument(vm, args, "intern")) return Value::null();
    auto* s = as_exact<String>(args[0], vm.types().str);
    if (!s) return vm.raise_format(vm.types().type_error, "intern() argument must be str, not {}", ops::type_name(vm, args[0]));
    return Value::from_object(vm.intern(s->view()));
}

void set(VM& vm, Module* module, std::string_view name, Value value) {
    Root keep(vm, value);
    dict_set_str(vm, module->dict, vm.intern(name), value);
}

}  // namespace

bool init_sys_module(VM& vm, Module* module) {
    Root module_root(vm, module);
    define_function(vm, module, "exit", sys_exit);
    define_function(vm, module, "getrecursionlimit", sys_getrecursionlimit);
    define_function(vm, module, "setrecursionlimit", sys_setrecursionlimit);
    define_function(vm, module, "exc_info", sys_exc_info);
    define_function(vm, module, "intern", sys_intern);

    // argv: the script path (or "-c") and its arguments.
    {
        std::vector<Value> argv;
        RootVector keep(vm, argv);
        for (const std::string& arg : vm.argv) argv.push_back(make_str(vm, arg));
        set(vm, module, "argv", Value::from_object(new_list(vm, std::move(argv))));
    }
    {
        std::vector<Value> path;
        RootVector keep(vm, path);
        path.push_back(make_str(vm, vm.script_directory.empty() ? std::string(".") : vm.script_directory));
        set(vm, module, "path", Value::from_object(new_list(vm, std::move(path))));
    }
    set(vm, module, "modules", Value::from_object(vm.modules));
    set(vm, module, "stdin", new_std_stream(vm, 0));
    set(vm, module, "stdout", new_std_stream(vm, 1));
    set(vm, module, "stderr", new_std_stream(vm, 2));
    // The originals, as CPython keeps them for restoring.
    set(vm, module, "__stdin__", dict_get_str(module->dict, vm.intern("stdin")));
    set(vm, module, "__stdout__", dict_get_str(module->dict, vm.intern("stdout")));
    set(vm, module, "__stderr__", dict_get_str(module->dict, vm.intern("stderr")));

    // asy implements the language of CPython 3.11.
    set(vm, module, "version", make_str(vm, "3.11.0 (asy)"));
    {
        const Value parts[] = {Value::from_small_int(3), Value::from_small_int(11), Value::from_small_int(0),
                               make_str(vm, "final"), Value::from_small_int(0)};
        set(vm, module, "version_info", Value::from_object(new_tuple(vm, parts)));
    }
    set(vm, module, "platform", make_str(vm, "linux"));
    set(vm, module, "byteorder", make_str(vm, "little"));
    set(vm, module, "executable", make_str(vm, "asy"));
    const Value maxsize = int_from_int64(vm, std::numeric_limits<std::int64_t>::max());
    if (maxsize.is_null()) {
        vm.clear_exception();
    } else {
        set(vm, module, "maxsize", maxsize);
    }
    return true;
}

}  // namespace asy
