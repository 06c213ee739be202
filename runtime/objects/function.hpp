// Callables: asy functions (a code object plus its globals, defaults and closure), native
// functions written in C++, and bound methods. Also Code, the GC object wrapping the
// compiler's CodeObject with its constants turned into Values, and Cell, a captured variable.
// Implemented in objects/function.cpp (runtime lead).
#pragma once

#include "compiler/code.hpp"
#include "runtime/object.hpp"

#include <memory>
#include <vector>

namespace asy {

struct CallArgs;
struct Module;

// A native function: receives every argument in `args` (for a method, `self` is args[0]) and
// returns the result, or Value::null() after raising (see vm.hpp, "Errors").
using NativeFunction = Value (*)(VM& vm, CallArgs args);

// One instruction's inline cache (LOAD_GLOBAL, LOAD_ATTR, LOAD_METHOD), kept beside the code.
struct InlineCache {
    // The dict version(s) the cached result is valid for; 0 means empty.
    std::uint64_t version = 0;
    std::uint64_t version2 = 0;
    // The cached object (a global's value, or the type whose attribute was looked up).
    Value value;
    // The cached attribute for LOAD_ATTR/LOAD_METHOD on `value` (a Type).
    Value attribute;
};

// A loaded code object: the compiler's CodeObject plus what the VM derives from it once.
struct Code : Object {
    explicit Code(std::shared_ptr<const CodeObject> code_object) : code(std::move(code_object)) {}
    std::shared_ptr<const CodeObject> code;
    // constants[i] as Values (nested code objects become Code objects).
    std::vector<Value> constants;
    // names[i] as interned Strings.
    std::vector<String*> names;
    // varnames, cellvars + freevars as interned Strings (for argument binding and errors).
    std::vector<String*> varnames;
    std::vector<String*> cell_names;
    // One cache per instruction (only LOAD_GLOBAL / LOAD_ATTR / LOAD_METHOD use theirs).
    std::vector<InlineCache> caches;
    // Local slots (varnames) + cells + free variables: the frame's variable area.
    int nlocalsplus = 0;
    // Copies of CodeObject fields the call path reads on every call (no shared_ptr hop).
    int argcount = 0;
    // The frame pool bucket that fits nlocalsplus + max_stack values.
    std::uint32_t frame_size_class = 0;
    // Calls with exactly `argcount` positional arguments need no binding work: no keyword-only
    // parameters, *args, **kwargs or cells, and the code is not a generator.
    bool simple_call = false;
    String* name = nullptr;
    String* qualname = nullptr;
    String* filename = nullptr;
};

// A captured variable, shared between the frame that owns it and the closures that read it.
struct Cell : Object {
    explicit Cell(Value initial) : value(initial) {}
    // The variable's value; null when unbound.
    Value value;
};

// A function defined in asy (def, lambda, comprehension, class body).
struct Function : Object {
    Code* code = nullptr;
    // The module namespace the function's globals come from.
    Dict* globals = nullptr;
    // Default values of the last positional parameters (__defaults__), or nullptr.
    Tuple* defaults = nullptr;
    // Defaults of keyword-only parameters (__kwdefaults__), or nullptr.
    Dict* kwdefaults = nullptr;
    // Cells of the free variables, in code->freevars order, or nullptr.
    Tuple* closure = nullptr;
    // __name__ and __qualname__ (assignable, so not taken from the code each time).
    String* name = nullptr;
    String* qualname = nullptr;
    // __module__ (the globals' __name__ when the function was made).
    Value module;
    // __doc__.
    Value doc;
    // Function attributes (f.x = 1); created on first use, else nullptr.
    Dict* dict = nullptr;
};

// A function implemented in C++: a builtin (len), a method of a builtin type (list.append),
// or a function of a native module.
struct NativeFunctionObject : Object {
    NativeFunction function = nullptr;
    // __name__ ("append").
    String* name = nullptr;
    // For a method of a builtin type, that type (so `list.append(3, 4)` can report
    // "descriptor 'append' for 'list' objects doesn't apply to a 'int' object"); else nullptr.
    Type* owner = nullptr;
    // For a builtin method bound to an object (`[].append`), the object, passed as args[0];
    // null otherwise.
    Value self;
    // Extra data a native closure may carry (e.g. the module of a module function); any Value.
    Value data;
};

// A function bound to an instance: `obj.method`. Calling it calls function(self, *args).
struct BoundMethod : Object {
    BoundMethod(Value function_value, Value self_value) : function(function_value), self(self_value) {}
    Value function;
    Value self;
};

// staticmethod(f) / classmethod(f): descriptors that change how a class attribute binds.
struct StaticMethod : Object {
    Value function;
};
struct ClassMethod : Object {
    Value function;
};

// property(fget, fset, fdel, doc).
struct Property : Object {
    Value getter;
    Value setter;
    Value deleter;
    Value doc;
};

// super(type, obj): attribute lookups start after `type` in type(obj)'s MRO.
struct Super : Object {
    Type* start = nullptr;
    // The object (or class, for classmethods) methods bind to.
    Value self;
    Type* self_type = nullptr;
};

}  // namespace asy
