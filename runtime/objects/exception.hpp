// Exception objects (BaseException and every subclass, builtin or user-defined) and
// traceback entries. Implemented in objects/exception.cpp (runtime lead). Raise exceptions
// through the VM (vm.hpp), not by building these by hand.
#pragma once

#include "runtime/object.hpp"

namespace asy {

struct Code;

// One line of a traceback: where a frame was when the exception passed through it.
struct Traceback : Object {
    // The next (more recent, deeper) entry, or nullptr for the frame that raised.
    Traceback* next = nullptr;
    // The code that was running, and the instruction offset (for its line and column).
    Code* code = nullptr;
    int offset = 0;
    int line = 0;
};

struct BaseExceptionObject : Object {
    // Instance attributes of user exception classes (e.g. self.code = 3).
    Dict* dict = nullptr;
    // The constructor's arguments (.args); str(e) is args[0] when there is exactly one.
    Tuple* args = nullptr;
    // __traceback__: the first Traceback entry (outermost frame), or nullptr.
    Traceback* traceback = nullptr;
    // __context__: the exception being handled when this one was raised (implicit chaining), or null.
    Value context;
    // __cause__: set by `raise X from Y`, or null.
    Value cause;
    // __suppress_context__: set by `raise ... from ...`.
    bool suppress_context = false;
    // Extra per-class data: StopIteration.value, SystemExit.code, KeyError's key, OSError's
    // errno... null when unused.
    Value value;
};

}  // namespace asy
