// "Why is it stuck?": when no task can run and nothing (a timer, I/O, a child process, a
// signal) can ever wake one, CPython waits forever. asy stops and explains instead: for each
// waiting task, what it awaits, and which other task could complete that (the line where it
// calls set(), put(), release()...); then the cycle of tasks waiting for each other, or the
// orphan that nobody could ever complete.
#pragma once

#include <ostream>

namespace asy {

class VM;
struct LoopObject;

namespace teaching {

// Writes the explanation for `loop`, whose run has nothing left that could happen.
void explain_stuck(VM& vm, const LoopObject* loop, std::ostream& out);

}  // namespace teaching
}  // namespace asy
