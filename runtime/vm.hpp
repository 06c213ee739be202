// The VM: one interpreter's whole state (heap, builtin types, interned strings, modules, the
// frames of the running code) and the API native code uses to talk to it: raising
// exceptions, calling asy callables, defining builtin methods and native modules.
//
// ERRORS. Python exceptions are values, never C++ exceptions. A native function or slot that
// fails raises with one of the vm.raise... functions (which set the pending exception) and
// returns its failure value: Value::null() (what every raise function returns, so
// `return vm.raise(...)` works), nullptr, -1 or false. A caller that sees a failure value
// returns its own failure value, passing the exception up, until the dispatch loop unwinds it
// into an `except` handler. Iterators' next slots signal exhaustion with null and NO pending
// exception.
//
// CALLS. A native function receives CallArgs: every argument in one array (positional first,
// then keyword values) plus the tuple of keyword names. Methods defined with define_method
// receive `self` as args[0]. The arrays live on the VM stack, so they are GC roots for the
// whole call (heap.hpp, "the rooting rule").
#pragma once

#include "runtime/heap.hpp"
#include "runtime/object.hpp"
#include "runtime/objects/function.hpp"
#include "runtime/objects/tuple.hpp"
#include "runtime/value.hpp"

#include <fmt/format.h>

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace asy {

struct Module;
struct Frame;
struct SourceFile;
struct SyntaxError;

// ---------------------------------------------------------------- builtin types

// Every builtin class. The VM creates them all (name, base, layout) before any init function
// runs, so init functions can refer to each other's types freely; each init function then
// fills its types' slots and dicts.
struct BuiltinTypes {
    // ---- core (runtime lead)
    Type* object = nullptr;
    Type* type = nullptr;
    Type* none_type = nullptr;
    Type* not_implemented_type = nullptr;
    Type* ellipsis_type = nullptr;
    Type* function = nullptr;
    Type* native_function = nullptr;   // "builtin_function_or_method"
    Type* bound_method = nullptr;      // "method"
    Type* code = nullptr;
    Type* cell = nullptr;
    Type* module = nullptr;
    Type* traceback = nullptr;
    Type* property = nullptr;
    Type* staticmethod = nullptr;
    Type* classmethod = nullptr;
    Type* super = nullptr;
    Type* generator = nullptr;
    Type* coroutine = nullptr;
    Type* coroutine_wrapper = nullptr;
    Type* async_generator = nullptr;
    // ---- numbers and text
    Type* int_ = nullptr;
    Type* bool_ = nullptr;
    Type* float_ = nullptr;
    Type* complex = nullptr;
    Type* str = nullptr;
    Type* bytes = nullptr;
    Type* bytearray = nullptr;
    Type* str_iterator = nullptr;
    Type* bytes_iterator = nullptr;
    // ---- containers and builtins
    Type* list = nullptr;
    Type* tuple = nullptr;
    Type* dict = nullptr;
    Type* set = nullptr;
    Type* frozenset = nullptr;
    Type* range = nullptr;
    Type* slice = nullptr;
    Type* list_iterator = nullptr;
    Type* list_reverseiterator = nullptr;
    Type* tuple_iterator = nullptr;
    Type* range_iterator = nullptr;
    Type* set_iterator = nullptr;
    Type* dict_keys = nullptr;
    Type* dict_values = nullptr;
    Type* dict_items = nullptr;
    Type* dict_keyiterator = nullptr;
    Type* dict_valueiterator = nullptr;
    Type* dict_itemiterator = nullptr;
    Type* enumerate = nullptr;
    Type* zip = nullptr;
    Type* map = nullptr;
    Type* filter = nullptr;
    Type* reversed = nullptr;
    Type* callable_iterator = nullptr;  // iter(callable, sentinel)
    Type* seq_iterator = nullptr;       // "iterator": iter() over __getitem__
    // ---- exceptions: base_exception, exception, value_error, type_error ... (exception_types.def)
#define EXCEPTION(field, name, base) Type* field = nullptr;
#include "runtime/exception_types.def"
#undef EXCEPTION
};

// Messages of errors.def, by name.
enum class Error : std::uint16_t {
#define ERROR(name, type, text) name,
#include "runtime/errors.def"
#undef ERROR
};

// ---------------------------------------------------------------- call arguments

struct CallArgs {
    // All arguments: positional ones first, then the values of keyword arguments.
    const Value* values = nullptr;
    std::size_t count = 0;
    // Names (interned Strings) of the last kwnames->size() values, or nullptr when none.
    const Tuple* kwnames = nullptr;

    CallArgs() = default;
    CallArgs(std::span<const Value> all, const Tuple* names = nullptr)
        : values(all.data()), count(all.size()), kwnames(names) {}

    [[nodiscard]] std::size_t keyword_count() const { return kwnames ? kwnames->size() : 0; }
    [[nodiscard]] std::size_t positional_count() const { return count - keyword_count(); }
    [[nodiscard]] std::span<const Value> positional() const { return {values, positional_count()}; }
    // Positional argument i (i < positional_count()); for methods, args[0] is self.
    Value operator[](std::size_t i) const { return values[i]; }
    [[nodiscard]] String* keyword_name(std::size_t i) const {
        return reinterpret_cast<String*>(kwnames->items[i].as_object());
    }
    [[nodiscard]] Value keyword_value(std::size_t i) const { return values[positional_count() + i]; }
    // The same arguments minus the first positional one (a method's self).
    [[nodiscard]] CallArgs without_self() const {
        CallArgs rest;
        rest.values = values + 1;
        rest.count = count - 1;
        rest.kwnames = kwnames;
        return rest;
    }
};

// The parameters of a native function, for bind_arguments. Example, for
// `sorted(iterable, /, *, key=None, reverse=False)`:
//   static const Signature signature{"sorted", {"iterable", "key", "reverse"}, 1, 1, 1};
struct Signature {
    // The function's name as messages show it ("sorted", "list.sort" is just "sort").
    std::string_view name;
    // Parameter names in order.
    std::vector<std::string_view> parameters;
    // How many leading parameters cannot be passed by keyword.
    std::size_t positional_only = 0;
    // How many leading parameters are required.
    std::size_t required = 0;
    // Index of the first keyword-only parameter (parameters.size() when none).
    std::size_t keyword_only_from = static_cast<std::size_t>(-1);
};

// Binds `args` to `signature`: out[i] receives the argument of parameters[i], or null when it
// was not given (an optional parameter). `out` has signature.parameters.size() slots.
// Returns false after raising CPython's argument-clinic TypeErrors ("sort() takes at most 0
// positional arguments (1 given)", "'foo' is an invalid keyword argument for sort()",
// "sorted() missing required argument 'iterable' (pos 1)", "argument for f() given by name
// ('x') and position (1)").
[[nodiscard]] bool bind_arguments(VM& vm, CallArgs args, const Signature& signature, Value* out);
// The simple checks most builtins need, with CPython's messages:
// "len() takes no keyword arguments"
[[nodiscard]] bool check_no_keywords(VM& vm, CallArgs args, std::string_view name);
// "len() takes exactly one argument (2 given)" (METH_O style; also rejects keywords)
[[nodiscard]] bool check_one_argument(VM& vm, CallArgs args, std::string_view name);
// "f() takes no arguments (1 given)" (METH_NOARGS style; also rejects keywords)
[[nodiscard]] bool check_no_arguments(VM& vm, CallArgs args, std::string_view name);
// "sorted expected 1 argument, got 0", "min expected at least 1 argument, got 0",
// "getattr expected at most 3 arguments, got 4" (_PyArg_CheckPositional; `name` has no "()").
[[nodiscard]] bool check_positional(VM& vm, CallArgs args, std::string_view name, std::size_t min, std::size_t max);

// ---------------------------------------------------------------- native modules

// Fills a native module's namespace (define_function...). Returns false after raising.
using NativeModuleInit = bool (*)(VM& vm, Module* module);

// ---------------------------------------------------------------- coroutine driving

// What happened when a generator or coroutine was resumed (VM::resume).
enum class ResumeResult : std::uint8_t {
    // It suspended at a yield/await; the out value is what it yielded.
    Yielded,
    // It finished; the out value is its return value.
    Returned,
    // It raised; the exception is pending in the VM (vm.take_exception()).
    Raised,
};

// ---------------------------------------------------------------- the VM

class VM {
public:
    VM();
    ~VM();
    VM(const VM&) = delete;
    VM& operator=(const VM&) = delete;

    [[nodiscard]] Heap& heap() { return *m_heap; }
    [[nodiscard]] BuiltinTypes& types() { return m_types; }

    // ---- singletons
    [[nodiscard]] Value not_implemented() const { return m_not_implemented; }
    [[nodiscard]] Value ellipsis() const { return m_ellipsis; }
    [[nodiscard]] Tuple* empty_tuple() const { return m_empty_tuple; }

    // ---- interned strings
    // The canonical String for `text`: the same object for the same text for the VM's
    // lifetime. Names in code objects and attribute names are interned.
    String* intern(std::string_view text);
    // Well-known names, interned at start-up: vm.names().init is "__init__".
    struct Names {
#define ASY_NAME(field, text) String* field = nullptr;
#include "runtime/names.def"
#undef ASY_NAME
    };
    [[nodiscard]] const Names& names() const { return m_names; }

    // ---- raising (each returns Value::null(), the failure value of natives)
    // Raises `type(message)`.
    Value raise(Type* type, std::string_view message);
    // Raises `type()` with no arguments.
    Value raise(Type* type);
    // Raises `type(fmt::format(format, args...))`.
    template <class... Args>
    Value raise_format(Type* type, fmt::format_string<Args...> format, Args&&... args) {
        return raise(type, fmt::format(format, std::forward<Args>(args)...));
    }
    // Raises one of errors.def's messages with its exception class.
    template <class... Args>
    Value raise_error(Error error, Args&&... args) {
        return raise(error_type(error), fmt::vformat(error_text(error), fmt::make_format_args(args...)));
    }
    // Raises an exception instance, or a class (instantiated with no arguments). A value that
    // is neither raises TypeError "exceptions must derive from BaseException".
    Value raise_value(Value exception);

    // ---- the pending exception
    [[nodiscard]] bool has_exception() const { return !m_exception.is_null(); }
    // The pending exception (an exception instance), or null.
    [[nodiscard]] Value exception() const { return m_exception; }
    // Returns the pending exception and clears it.
    Value take_exception();
    void clear_exception() { m_exception = Value::null(); }
    // Makes `exception` pending again exactly as it is (no __context__ chaining): for
    // re-raising an exception that was caught, or passing one on.
    void restore_exception(Value exception) { m_exception = exception; }
    // True when an exception is pending and is an instance of `type` (or a subclass).
    [[nodiscard]] bool exception_matches(const Type* type) const;

    // ---- calling
    // callable(*args) with `kwnames` naming the last arguments: the result, or null after
    // raising. Re-enters the dispatch loop for asy functions; safe from any native code.
    // The callable, the argument array and kwnames are kept alive for the whole call.
    Value call(Value callable, std::span<const Value> args, const Tuple* kwnames = nullptr);
    Value call(Value callable, CallArgs args);
    // self.name(*args): looks the method up (instance attributes included) and calls it.
    Value call_method(Value self, String* name, std::span<const Value> args);

    // ---- generators and coroutines (for the event loop)
    // Resumes a generator or coroutine, sending `value` into it (None to start it), or
    // throwing `exception` into it when that is not null. Runs until it yields, returns or
    // raises, without C++ recursion across yields. The yielded/returned value is put in `out`.
    ResumeResult resume(Value generator, Value value, Value exception, Value& out);

    // ---- modules
    // Makes `import name` find a module filled by `init` (math, time, sys...).
    void register_native_module(std::string_view name, NativeModuleInit init);
    // The builtins module and its namespace (print, len, ValueError...).
    [[nodiscard]] Module* builtins_module() const { return m_builtins_module; }
    [[nodiscard]] Dict* builtins() const { return m_builtins; }
    // `import name` from native code (e.g. the event loop importing asyncio): the module, or
    // nullptr after raising.
    Module* import_module(std::string_view name);

    // ---- running programs (interpreter.cpp)
    // Compiles `source` and runs it as the module __main__: 0, or after an uncaught
    // exception, prints the traceback to stderr and returns 1 (or SystemExit's code).
    int run_main(const SourceFile& source, const std::vector<std::string>& argv);
    // sys.argv for the program.
    std::vector<std::string> argv;

    // ---- limits
    // The maximum depth of nested asy calls (sys.setrecursionlimit).
    int recursion_limit = 1000;

    // ---- internals shared by the runtime lead's files (vm.cpp, ops.cpp, exceptions.cpp...)
    Type* error_type(Error error);
    static std::string_view error_text(Error error);
    void mark_roots(Tracer& tracer);
    // Frames that are running, innermost last (non-owning; frames are GC-traced through here).
    std::vector<Frame*> frames;
    // The exception being handled (sys.exc_info()), or None: saved/restored by PUSH_EXC_INFO /
    // POP_EXCEPT, so `raise` inside a handler chains __context__.
    Value handled_exception = Value::none();
    // How many times native code re-entered the dispatch loop (bounded, to protect the C++ stack).
    int native_depth = 0;
    // Loaded modules by name (sys.modules).
    Dict* modules = nullptr;
    // Native modules not yet imported.
    std::unordered_map<std::string, NativeModuleInit> native_modules;
    // The directory of the main script, searched by import.
    std::string script_directory;
    // Every SourceFile loaded so far (tracebacks print their lines), kept alive here.
    std::vector<std::unique_ptr<SourceFile>> sources;
    // Frames not in use, reused by calls to avoid allocation (see frame.hpp), one bucket per
    // power-of-two size.
    std::vector<Frame*> frame_pool[32];
    // Set by the dispatch loop when the frame it ran yielded rather than returned.
    bool last_run_yielded = false;

private:
    std::unique_ptr<Heap> m_heap;
    BuiltinTypes m_types;
    Names m_names;
    Value m_exception;
    Value m_not_implemented;
    Value m_ellipsis;
    Tuple* m_empty_tuple = nullptr;
    Module* m_builtins_module = nullptr;
    // The builtins module's dict (read by every call, so kept at hand).
    Dict* m_builtins = nullptr;
    // The intern table: text -> canonical String. Its strings are roots (never collected).
    std::unordered_map<std::string_view, String*> m_interned;

    friend class Heap;
    friend void init_core_types(VM& vm);
};

// ---------------------------------------------------------------- defining natives

// A new native function object named `name`.
NativeFunctionObject* make_native_function(VM& vm, std::string_view name, NativeFunction function,
                                           Type* owner = nullptr);
// Puts a method in a builtin type's dict: `list.append` calls list_append(vm, [self, item]).
void define_method(VM& vm, Type* type, std::string_view name, NativeFunction function);
// A static method (`dict.fromkeys` style without cls, e.g. `str.maketrans`): called without self.
void define_static_method(VM& vm, Type* type, std::string_view name, NativeFunction function);
// A class method: called with the class as args[0] (e.g. `dict.fromkeys`, `int.from_bytes`).
void define_class_method(VM& vm, Type* type, std::string_view name, NativeFunction function);
// A read-only (or, with a setter, writable) attribute computed by native code, e.g.
// `range.start`: getter(vm, [self]); setter(vm, [self, value]) returns None or null.
void define_property(VM& vm, Type* type, std::string_view name, NativeFunction getter,
                     NativeFunction setter = nullptr);
// A plain class attribute (e.g. `int.__doc__`, constants).
void define_attribute(VM& vm, Type* type, std::string_view name, Value value);
// A function in a module's namespace (`math.sqrt`).
void define_function(VM& vm, Module* module, std::string_view name, NativeFunction function);
// A builtin function (print, len...), in the builtins module.
void define_builtin(VM& vm, std::string_view name, NativeFunction function);
// A builtin name bound to any value (e.g. `True`-like constants, classes).
void define_builtin_value(VM& vm, std::string_view name, Value value);
// Creates a new builtin class (for types not in BuiltinTypes, e.g. a native module's type).
// Slots are inherited from `base`; fill in the rest. `layout` is the base's unless given.
Type* make_builtin_type(VM& vm, std::string_view name, Type* base, std::uint32_t flags = 0);

}  // namespace asy
