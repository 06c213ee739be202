// render_task_tree (task_tree.hpp): reads the running loop's list of unfinished tasks and
// draws them as a tree, each task under the one that awaits it. It only reads objects (no
// asy code runs, nothing is allocated on the asy heap), so it can print at any moment.

#include "runtime/task_tree.hpp"

#include "runtime/frame.hpp"
#include "runtime/objects/function.hpp"
#include "runtime/objects/generator.hpp"
#include "runtime/objects/str.hpp"
#include "runtime/objects/tuple.hpp"
#include "runtime/vm.hpp"
#include "stdlib/native/asyncio.hpp"

#include <fmt/format.h>

#include <set>
#include <string>
#include <vector>

namespace asy {

namespace {

// What the renderer knows about one task.
struct TaskNode {
    TaskObject* task = nullptr;
    // The tasks it awaits, drawn under it.
    std::vector<TaskObject*> children;
    // True when some other task awaits this one (then it is not a root).
    bool awaited = false;
};

// The task's name: the one given to create_task(name=) or set_name(), else "Task-N".
std::string task_name(VM& vm, const TaskObject* task)
{
    if (const auto* text = as_instance<String>(task->name, vm.types().str))
        return text->utf8;
    return "Task-" + std::to_string(task->number);
}

// A coroutine (or generator) object, or null for anything else.
Generator* as_generator(VM& vm, Value value)
{
    if (!value.is_object())
        return nullptr;
    const Type* type = value.as_object()->type;
    if (type != vm.types().coroutine && type != vm.types().generator)
        return nullptr;
    return static_cast<Generator*>(value.as_object());
}

// Where the task's coroutine stands: "main (<stdin>:3) > helper (<stdin>:7)", one entry per
// coroutine in the chain of awaits, outermost first. A suspended frame keeps what it awaits
// on top of its value stack (the receiver of SEND), which is how the chain is followed.
std::string suspension_point(VM& vm, const TaskObject* task)
{
    std::string where;
    Generator* coroutine = as_generator(vm, task->coro);
    // A chain longer than this is surely a cycle in corrupted state; stop rather than spin.
    for (int depth = 0; coroutine != nullptr && coroutine->frame != nullptr && depth < 64; ++depth) {
        const Frame* frame = coroutine->frame;
        if (!where.empty())
            where += " > ";
        const std::string name = coroutine->qualname ? coroutine->qualname->utf8 : frame->code->code->qualname;
        where += fmt::format("{} ({}:{})", name, frame->code->code->filename, frame->line());
        if (coroutine->state != GeneratorState::Suspended || frame->sp <= frame->stack_base())
            break;
        coroutine = as_generator(vm, frame->sp[-1]);
    }
    return where;
}

// True when one of the future's done callbacks is an asy function whose closure holds
// `target`: how gather() links each child to the future its caller awaits (the child's
// callback updates the gathering future).
bool callback_refers_to(VM& vm, const FutureObject* future, Value target)
{
    for (Value callback : future->callbacks) {
        if (!callback.is_object() || callback.as_object()->type != vm.types().function)
            continue;
        const Tuple* closure = static_cast<Function*>(callback.as_object())->closure;
        if (closure == nullptr)
            continue;
        for (Value cell : closure->items) {
            if (cell.is_object() && cell.as_object()->type == vm.types().cell &&
                static_cast<Cell*>(cell.as_object())->value.is(target))
                return true;
        }
    }
    return false;
}

// The state column: running, ready to run, or what the task waits for.
std::string task_state(VM& vm, const LoopObject* loop, const TaskNode& self, const std::vector<TaskNode>& nodes)
{
    const TaskObject* task = self.task;
    if (loop->current_task.is_object() && loop->current_task.as_object() == task)
        return "running";
    const Value waiter = task->waiter;
    if (!waiter.is_object()) {
        // A native awaitable driven directly: create_task(sleep(5)).
        if (task->coro.is_object() && task->coro.as_object()->type == asyncio_state(vm).types.sleep)
            return fmt::format("sleeping, sleep({})", static_cast<SleepObject*>(task->coro.as_object())->delay);
        return "ready";
    }
    const AsyncioTypes& types = asyncio_state(vm).types;
    if (waiter.as_object()->type == types.sleep)
        return fmt::format("sleeping, sleep({})", static_cast<SleepObject*>(waiter.as_object())->delay);
    for (const TaskNode& node : nodes) {
        if (waiter.as_object() == node.task)
            return "waiting for " + task_name(vm, node.task);
    }
    // A future that other tasks complete (gather): they are drawn below.
    if (!self.children.empty())
        return fmt::format("waiting for {} task{} (gather)", self.children.size(), self.children.size() == 1 ? "" : "s");
    return "waiting for a future";
}

// Draws `node` and, below it, the tasks it awaits. `prefix` is the indentation of its
// children's lines; `seen` stops a task awaited twice (or a cycle) from being drawn twice.
void draw(VM& vm, const LoopObject* loop, const std::vector<TaskNode>& nodes, std::size_t index,
          const std::string& lead, const std::string& prefix, std::set<const TaskObject*>& seen, std::ostream& out)
{
    const TaskNode& node = nodes[index];
    out << lead << task_name(vm, node.task) << "  " << task_state(vm, loop, node, nodes);
    const std::string where = suspension_point(vm, node.task);
    if (!where.empty())
        out << "  at " << where;
    if (!seen.insert(node.task).second) {
        out << "  (shown above)\n";
        return;
    }
    out << '\n';
    for (std::size_t i = 0; i < node.children.size(); ++i) {
        const bool last = i + 1 == node.children.size();
        for (std::size_t j = 0; j < nodes.size(); ++j) {
            if (nodes[j].task == node.children[i])
                draw(vm, loop, nodes, j, prefix + (last ? "└── " : "├── "), prefix + (last ? "    " : "│   "),
                     seen, out);
        }
    }
}

}  // namespace

void render_task_tree(VM& vm, std::ostream& out)
{
    const LoopObject* loop = asyncio_state(vm).running_loop;
    if (loop == nullptr) {
        out << "no event loop is running\n";
        return;
    }
    std::vector<TaskNode> nodes;
    for (TaskObject* task = loop->first_task; task != nullptr; task = task->next_task)
        nodes.push_back(TaskNode{task, {}, false});
    if (nodes.empty()) {
        out << "no tasks\n";
        return;
    }
    // Who awaits whom: a task waiting on another task directly, or on a future that the
    // other task's done callback completes (gather).
    const Type* task_type = asyncio_state(vm).types.task;
    for (TaskNode& awaiter : nodes) {
        const Value waiter = awaiter.task->waiter;
        if (!waiter.is_object())
            continue;
        for (TaskNode& awaited : nodes) {
            if (&awaited == &awaiter)
                continue;
            const bool direct = waiter.as_object() == awaited.task;
            const bool through_future = waiter.as_object()->type != task_type &&
                                        callback_refers_to(vm, awaited.task, waiter);
            if (direct || through_future) {
                awaiter.children.push_back(awaited.task);
                awaited.awaited = true;
            }
        }
    }
    std::set<const TaskObject*> seen;
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        if (!nodes[i].awaited)
            draw(vm, loop, nodes, i, "", "", seen, out);
    }
    // Tasks awaiting each other in a cycle have no root; show them all the same.
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        if (seen.count(nodes[i].task) == 0)
            draw(vm, loop, nodes, i, "", "", seen, out);
    }
}

}  // namespace asy
