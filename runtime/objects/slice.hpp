// slice objects, built by BUILD_SLICE. The struct is shared so that sequence types can read
// slices; the slice type (repr, indices()) lives in objects/slice.cpp (containers).
#pragma once

#include "runtime/object.hpp"

namespace asy {

struct Slice : Object {
    Slice(Value start_value, Value stop_value, Value step_value)
        : start(start_value), stop(stop_value), step(step_value) {}
    // The three fields as given; None when omitted.
    Value start;
    Value stop;
    Value step;
};

// slice(start, stop, step). Defined in objects/slice.cpp (containers).
[[nodiscard]] Value new_slice(VM& vm, Value start, Value stop, Value step);

}  // namespace asy
