// Generators, coroutines and async generators: objects that own a suspended frame. Resuming
// one re-enters the dispatch loop with its frame (vm.resume); a yield returns from that loop.
// Implemented in runtime/coroutine.cpp (runtime lead).
#pragma once

#include "runtime/object.hpp"

namespace asy {

struct Frame;
struct Code;

enum class GeneratorState : std::uint8_t {
    // Made by the call, body not started.
    Created,
    // Stopped at a yield or await.
    Suspended,
    // Its frame is on the VM's frame stack right now.
    Running,
    // Returned or raised; the frame is gone.
    Finished,
};

struct Generator : Object {
    // The body's frame while the generator can still run; nullptr once finished.
    Frame* frame = nullptr;
    GeneratorState state = GeneratorState::Created;
    // The code of the body (for repr, name and cr_code).
    Code* code = nullptr;
    // __name__ and __qualname__.
    String* name = nullptr;
    String* qualname = nullptr;
    // The exception being handled inside the body when it suspended (its own sys.exc_info),
    // swapped with the VM's on resume and suspend.
    Value handled_exception = Value::none();
    // For coroutines: true once awaited (or sent into), for "coroutine ... was never awaited".
    bool started = false;
};

}  // namespace asy
