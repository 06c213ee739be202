// Declarations shared by the runtime lead's files (vm.cpp, call.cpp, core_types.cpp,
// exceptions.cpp, classes.cpp, coroutine.cpp, modules.cpp, interpreter.cpp). Not a contract
// for other engineers: use vm.hpp and ops.hpp instead.
#pragma once

#include "runtime/frame.hpp"
#include "runtime/objects/exception.hpp"
#include "runtime/objects/function.hpp"
#include "runtime/objects/generator.hpp"
#include "runtime/vm.hpp"

#include <iosfwd>
#include <memory>

namespace asy {

struct SourceFile;

// ---- the dispatch loop (vm.cpp)
// Runs `frame` (already on vm.frames, with is_entry set) until it returns, yields or raises.
// `throwing`: start by raising the pending exception at the frame's current instruction
// (generator.throw). Returns the returned/yielded value, or null after raising; whether it
// yielded is left in vm.last_run_yielded.
Value run_frame(VM& vm, Frame* frame, bool throwing = false);

// ---- calls (call.cpp)
// callable(*args) for any callable; args are count Values with kwnames naming the last ones.
Value call_object(VM& vm, Value callable, const Value* args, std::size_t count, const Tuple* kwnames);
// Makes the frame of a call of an asy function and binds its arguments; nullptr after raising
// (TypeError for bad arguments, RecursionError). The frame is not yet on vm.frames.
Frame* prepare_call(VM& vm, Function* function, const Value* args, std::size_t count, const Tuple* kwnames);
// Whether calling functions of this code creates a generator/coroutine instead of running.
inline bool is_generator_code(const Code* code) {
    return code->code->flags & (CO_GENERATOR | CO_COROUTINE | CO_ASYNC_GENERATOR);
}
// Turns a prepared frame of generator code into a generator/coroutine object.
Value make_generator(VM& vm, Function* function, Frame* frame);

// ---- code loading (vm.cpp)
Code* load_code(VM& vm, const std::shared_ptr<const CodeObject>& code);
Function* new_function(VM& vm, Code* code, Dict* globals);

// ---- exceptions (exceptions.cpp)
// A new exception of class `type` (a builtin layout) with the given args.
Value new_exception(VM& vm, Type* type, std::span<const Value> args);
// Makes an exception instance from what `raise X` got: an instance, or a class to call.
// Returns null after raising (e.g. TypeError when X is not an exception).
Value exception_instance(VM& vm, Value raised);
// Sets the pending exception, chaining the handled one as its __context__.
void set_pending_exception(VM& vm, Value exception);
// Prepends a traceback entry for `frame` at instruction `offset` to the exception.
void add_traceback(VM& vm, Value exception, Frame* frame, std::uint32_t offset);
// Prints "Traceback (most recent call last): ..." for an uncaught exception, with chained ones.
void print_exception(VM& vm, Value exception, std::ostream& out);
// The BaseExceptionObject of an exception Value (must be one).
inline BaseExceptionObject* as_exception(Value value) {
    return static_cast<BaseExceptionObject*>(value.as_object());
}
bool is_exception_instance(VM& vm, Value value);
void init_exception_types(VM& vm);
// The source text for a file name loaded earlier (for tracebacks), or nullptr.
const SourceFile* find_source(VM& vm, std::string_view filename);

// ---- classes (classes.cpp)
// type(obj) / type(name, bases, dict) and calling a class: `type`'s call slot.
Value type_call(VM& vm, Value cls, CallArgs args);
// builtins.__build_class__(body, name, *bases).
Value builtin_build_class(VM& vm, CallArgs args);
void init_class_support(VM& vm);
// Looks `name` up on the object's class and calls it with (self, *args); `found` false when
// the class has no such attribute (nothing raised then).
Value call_dunder(VM& vm, Value self, String* name, std::span<const Value> args, bool& found);

// ---- generators (coroutine.cpp)
void init_generator_types(VM& vm);
ResumeResult resume_generator(VM& vm, Generator* generator, Value value, Value exception, Value& out);
// The value of a StopIteration being handled: its .value (args[0]) or None.
Value stop_iteration_value(VM& vm, Value exception);

// ---- modules (modules.cpp)
Value import_name(VM& vm, String* name, Value fromlist, Value level, Frame* frame);
Value import_from(VM& vm, Value module, String* name);
bool import_star(VM& vm, Value module, Dict* into);
void init_module_support(VM& vm);
// Compiles and runs `source` as the body of `module`; false after raising.
bool exec_module_source(VM& vm, const SourceFile& source, Module* module);

// ---- core types (core_types.cpp)
void init_core_types(VM& vm);
// The temporary print/len/repr builtins, used until the builtins engineer's replace them.
void init_fallback_builtins(VM& vm);

}  // namespace asy
