// Mistakes caught where they happen: each is reported on stderr with file:line and a
// one-line hint, and --strict makes it an error (a RuntimeError raised at that point, and
// exit status 1 at the end). The checks sit where the mistake shows:
//   - a coroutine created and dropped without await: the VM's POP_TOP, at the end of the
//     statement (runtime/vm.cpp);
//   - a blocking call inside a coroutine (time.sleep): stdlib/native/time.cpp;
//   - a swallowed CancelledError, a failure nobody awaits: the recorder (below).
#pragma once

#include "runtime/value.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace asy {

class VM;
struct Frame;
struct TaskObject;

namespace teaching {

void set_strict(bool strict);
// How many mistakes were reported so far.
[[nodiscard]] int mistakes_found();

// POP_TOP discarded `value` in `frame` (pc: the instruction after it). When it is a
// coroutine that never started, reports it; returns false when --strict raised.
[[nodiscard]] bool check_dropped_value(VM& vm, Frame* frame, std::uint32_t pc, Value value);

// A blocking call (`what`, e.g. "time.sleep()") is about to run; inside a running event loop
// it stops every task, so report it with the non-blocking `alternative`. Returns false when
// --strict raised.
[[nodiscard]] bool check_blocking_call(VM& vm, std::string_view what, std::string_view alternative);

// Mistakes the loop's events show (recorder.cpp, when --trace, --timeline or --strict put a
// recorder on the loop): a task that finished normally although it was cancelled (its
// CancelledError was swallowed), and a task that failed while nobody waits for it. They are
// reported, never raised (no asy code runs inside the observer); --strict still makes the
// exit status 1.
// `awaited`: whether the task had done callbacks (an awaiting task, gather) when its last
// step began; `created_at` is where the program made it.
void check_finished_task(VM& vm, const TaskObject* task, bool awaited, const std::string& created_at);

}  // namespace teaching
}  // namespace asy
