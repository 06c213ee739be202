// str.format / str.format_map and the % operator of str: the two ways Python builds text
// from a template. Implemented in objects/str_format.cpp on the format-spec engine
// (text/format_spec.hpp) and ops::format for each replacement field.
#pragma once

#include "runtime/object.hpp"
#include "runtime/vm.hpp"

namespace asy {

// str.format(*args, **kwargs) as a method: args[0] is the template.
Value str_format(VM& vm, CallArgs args);
// str.format_map(mapping).
Value str_format_map(VM& vm, CallArgs args);
// template % values: `values` is a tuple (one value per conversion), a mapping (for
// %(name)s), or a single value. The result, or null after raising.
Value str_percent_format(VM& vm, String* format, Value values);

}  // namespace asy
