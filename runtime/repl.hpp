// The interactive REPL: what `asy` does with no program at a terminal. runtime/main.cpp
// calls run_repl; runtime/repl.cpp reads entries with libedit through the event loop and
// runs each one on the session's single loop, so tasks keep running while the prompt waits.
#pragma once

#include "runtime/interpreter.hpp"

namespace asy {

// Runs the REPL on the terminal until Ctrl-D, :quit or sys.exit(); returns the exit status
// (0, or the code given to sys.exit()).
int run_repl(const RunOptions& options);

}  // namespace asy
