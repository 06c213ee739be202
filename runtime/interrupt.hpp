// Ctrl-C for code that never yields to the event loop. A SIGINT handler (the REPL's, see
// runtime/repl.cpp) sets interrupt_requested; the dispatch loop looks at it on every backward
// jump, so even `while True: pass` ends with KeyboardInterrupt, as in CPython. Nothing sets
// it while a script runs, which keeps the default behaviour of Ctrl-C there.
#pragma once

#include <csignal>

namespace asy {

// Set from a signal handler; cleared by whoever acts on it (the dispatch loop by raising
// KeyboardInterrupt, or the REPL when it finds the loop idle).
inline volatile std::sig_atomic_t interrupt_requested = 0;

}  // namespace asy
