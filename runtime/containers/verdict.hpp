// Verdict: the answer of a Python comparison that may fail. The container engines in this
// directory (dict and set tables, the sort) call back into comparisons that can run user
// code (`__eq__`, `__lt__`), and that code may raise; the engines stop and hand the error on.
#pragma once

#include <cstdint>

namespace asy::containers {

// Yes and No are the comparison's answer; Error means an exception is pending (set by
// whoever ran the comparison) and the engine must stop and report it.
enum class Verdict : std::int8_t { No, Yes, Error };

}  // namespace asy::containers
