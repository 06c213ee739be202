// The live tasks of the running event loop as a tree of who awaits whom: what the REPL's
// :tasks command prints (runtime/repl.cpp), and what a dump on SIGQUIT can print too. Each
// line names a task, says what state it is in, and where its coroutine is suspended.
#pragma once

#include <ostream>

namespace asy {

class VM;

// Writes the tree of the running loop's unfinished tasks to `out`, for example:
//
//   Task-2  waiting for Task-3  at main (<stdin>:3)
//   └── Task-3  sleeping, sleep(100)  at worker (<stdin>:2)
//
// A task is drawn under the task that awaits it, directly or through gather(); tasks that
// nobody awaits are the roots, in creation order. Runs no asy code, so it is safe to call
// between any two steps of the loop.
void render_task_tree(VM& vm, std::ostream& out);

}  // namespace asy
