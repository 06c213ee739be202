// mistake_checks.hpp: the checks, their messages and --strict.

#include "runtime/teaching/mistake_checks.hpp"

#include "runtime/frame.hpp"
#include "runtime/objects/generator.hpp"
#include "runtime/objects/str.hpp"
#include "runtime/teaching/task_info.hpp"
#include "runtime/vm.hpp"
#include "stdlib/native/asyncio.hpp"

#include <iostream>
#include <string>

namespace asy::teaching {

namespace {

bool g_strict = false;
int g_mistakes = 0;

// Prints "file:line: warning: what" and "  hint: ...". Under --strict, raises RuntimeError
// with the same text and returns false.
// Prints "file:line: warning: what" and "  hint: ...".
void print_mistake(const std::string& where, const std::string& what, const std::string& hint)
{
    ++g_mistakes;
    std::cout.flush();
    std::cerr << (where.empty() ? "asy" : where) << ": " << (g_strict ? "error" : "warning") << ": " << what
              << "\n    hint: " << hint << '\n';
    std::cerr.flush();
}

bool report(VM& vm, const std::string& where, const std::string& what, const std::string& hint)
{
    print_mistake(where, what, hint);
    if (!g_strict)
        return true;
    vm.raise(vm.types().runtime_error, what + " (--strict)");
    return false;
}

}  // namespace

void set_strict(bool strict)
{
    g_strict = strict;
}

int mistakes_found()
{
    return g_mistakes;
}

bool check_dropped_value(VM& vm, Frame* frame, std::uint32_t pc, Value value)
{
    if (!value.is_object() || value.as_object()->type != vm.types().coroutine)
        return true;
    auto* coroutine = static_cast<Generator*>(value.as_object());
    if (coroutine->started || coroutine->state != GeneratorState::Created)
        return true;
    const auto& positions = frame->code->code->positions;
    const int line = pc > 0 && pc - 1 < positions.size() ? positions[pc - 1].line : 0;
    const std::string name = coroutine->qualname ? coroutine->qualname->utf8 : "?";
    const std::string where = short_file(frame->code->code->filename) + ":" + std::to_string(line);
    return report(vm, where, "coroutine '" + name + "' was created but never awaited: did you forget await?",
                  "write `await " + name + "(...)` to run it now, or `asyncio.create_task(" + name +
                      "(...))` to run it alongside");
}

bool check_blocking_call(VM& vm, std::string_view what, std::string_view alternative)
{
    LoopObject* loop = asyncio_state(vm).running_loop;
    if (loop == nullptr || loop->current_task.is_null())
        return true;
    return report(vm, program_location(vm),
                  std::string(what) + " blocks the whole event loop: no other task runs meanwhile",
                  "inside a coroutine use `" + std::string(alternative) + "`");
}

void check_finished_task(VM& vm, const TaskObject* task, bool awaited, const std::string& created_at)
{
    const std::string name = task_name(vm, task);
    if (task->state == FutureState::Finished && task->exception.is_null() && task->cancels_requested > 0) {
        // cancel() was asked for and not taken back (uncancel), yet the coroutine returned.
        print_mistake(created_at, "task " + name + " (" + coroutine_name(vm, task) +
                                      ") was cancelled but finished normally: an except clause swallowed its "
                                      "CancelledError",
                      "after cleaning up in `except asyncio.CancelledError:`, `raise` it again");
        return;
    }
    if (task->state == FutureState::Finished && !task->exception.is_null() && !awaited) {
        const Type* type = task->exception.as_object()->type;
        print_mistake(created_at, "task " + name + " (" + coroutine_name(vm, task) + ") failed with " +
                                      (type->name ? type->name->utf8 : "an exception") +
                                      " and nothing awaits it: its exception may never be retrieved",
                      "keep the task and `await` it, or use asyncio.gather / asyncio.TaskGroup");
    }
}

}  // namespace asy::teaching
