// What the teaching tools say about a task, read straight from the objects: its name, where
// its coroutine stands, what it waits on, which line of the program made it. Nothing here
// runs asy code or allocates on the asy heap, so it can be called between any two steps.
#pragma once

#include "runtime/value.hpp"

#include <string>
#include <vector>

namespace asy {

class VM;
struct Frame;
struct TaskObject;
struct Generator;

namespace teaching {

// The task's name: create_task(name=) or set_name(), else "Task-N".
[[nodiscard]] std::string task_name(VM& vm, const TaskObject* task);
// The name of the coroutine the task runs ("worker"), or "?".
[[nodiscard]] std::string coroutine_name(VM& vm, const TaskObject* task);

// One coroutine in a task's chain of awaits.
struct AwaitLink {
    // The coroutine and its suspended (or running) frame.
    Generator* coroutine;
    const Frame* frame;
    // Its qualified name, file and line.
    std::string name;
    std::string file;
    int line;
};
// The chain of coroutines a task is suspended in, outermost (the task's own) first.
[[nodiscard]] std::vector<AwaitLink> await_chain(VM& vm, const TaskObject* task);

// What the task waits on, in words: "sleep(1.5)", "task worker-2", "Event.wait()", "a future".
[[nodiscard]] std::string describe_wait(VM& vm, const TaskObject* task);

// "file:line" of the innermost running frame that is not part of the embedded stdlib (where
// the program called create_task, gather...), or "" when there is none.
[[nodiscard]] std::string program_location(VM& vm);
// The line a frame is at: a suspended frame's current instruction, a running one's call.
[[nodiscard]] int frame_line(const Frame* frame);
// True for code of the embedded standard library ("<stdlib>/asyncio/locks.asy").
[[nodiscard]] bool is_stdlib_file(const std::string& file);
// The file name as messages show it: the path relative to the current directory when it is
// below it, else as is.
[[nodiscard]] std::string short_file(const std::string& file);

}  // namespace teaching
}  // namespace asy
