// Frame: one activation of asy code (a function call, a module or class body, a generator's
// body). Frames are plain C++ blocks, not GC objects: the VM lists the running ones in
// vm.frames, a suspended generator owns its own, and both are traced from there. A frame and
// its variable and value-stack slots are one allocation, and finished frames go back to a
// pool, so an asy call allocates nothing.
#pragma once

#include "runtime/objects/function.hpp"
#include "runtime/value.hpp"

#include <cstdint>

namespace asy {

struct Dict;
struct Generator;

struct Frame {
    // The code being run.
    Code* code = nullptr;
    // The function called, or nullptr for module code run directly.
    Function* function = nullptr;
    // Where LOAD_GLOBAL looks: the module's namespace, then the builtins.
    Dict* globals = nullptr;
    Dict* builtins = nullptr;
    // The namespace of *_NAME instructions (module and class bodies); nullptr in functions.
    Dict* locals = nullptr;
    // The generator or coroutine that owns this frame, or nullptr.
    Generator* generator = nullptr;
    // Index of the next instruction to run.
    std::uint32_t pc = 0;
    // The instruction running (or that last ran): tracebacks and line numbers use it.
    std::uint32_t current = 0;
    // One past the top of the value stack. The dispatch loop keeps it in a register and
    // stores it here before every instruction, so the collector sees exactly the live values.
    Value* sp = nullptr;
    // When this frame returns (or raises), the dispatch loop returns to the native code that
    // started it (vm.call, generator resume) instead of continuing in the caller frame.
    bool is_entry = false;
    // Number of Values in `slots` (variables + stack).
    std::uint32_t capacity = 0;
    // Index of the pool bucket this frame's size belongs to.
    std::uint32_t size_class = 0;
    // The variable slots: code->varnames, then cells (cellvars, freevars), then the value stack.
    Value* slots = nullptr;

    [[nodiscard]] Value* stack_base() const { return slots + code->nlocalsplus; }
    [[nodiscard]] int line() const;
};

class Tracer;
class VM;

// Takes a frame for `code` from the pool (or allocates one); variables start null.
Frame* acquire_frame(VM& vm, Code* code);
// Returns a frame to the pool.
void release_frame(VM& vm, Frame* frame);
// Frees the pool's frames (VM shutdown).
void free_frame_pool(VM& vm);
// Marks everything a frame references.
void trace_frame(const Frame* frame, Tracer& tracer);

}  // namespace asy
