// explain_stuck (stuck_explainer.hpp): the wait-for graph of the loop's unfinished tasks.
//
// Who could complete what a task waits on is found in the live frames of the other tasks:
// a variable (local, closure cell or global) of one of their frames that holds the very
// object waited on (the Event, Queue, Lock or Future), used in that frame's code as
// `var.set()`, `var.put(...)`, `var.release()`... That is a guess from the code, not a proof,
// and it says so ("could").

#include "runtime/teaching/stuck_explainer.hpp"

#include "runtime/frame.hpp"
#include "runtime/objects/dict.hpp"
#include "runtime/objects/function.hpp"
#include "runtime/objects/generator.hpp"
#include "runtime/objects/str.hpp"
#include "runtime/objects/tuple.hpp"
#include "runtime/teaching/task_info.hpp"
#include "runtime/vm.hpp"
#include "stdlib/native/asyncio.hpp"

#include <algorithm>
#include <set>
#include <string>
#include <vector>

namespace asy::teaching {

namespace {

// The methods that complete something another task may be waiting for.
bool is_completing_method(std::string_view name)
{
    static constexpr std::string_view names[] = {"set", "set_result", "set_exception", "release", "put",
                                                 "put_nowait", "notify", "notify_all", "cancel"};
    return std::find(std::begin(names), std::end(names), name) != std::end(names);
}

// A place in some frame's code where a variable holding the object is used.
struct Use {
    // The variable's name, the method called on it ("" when just loaded) and the line.
    std::string variable;
    std::string method;
    int line;
    // True when the use comes after the instruction the frame is stopped at.
    bool ahead;
};

// The uses of `target` in `frame`'s code: every load of a variable whose value is `target`,
// with the method called on it when a method load follows.
std::vector<Use> uses_of(VM& vm, const Frame* frame, const Object* target)
{
    std::vector<Use> uses;
    const Code* code = frame->code;
    const CodeObject& object = *code->code;
    const std::size_t nlocals = object.varnames.size();
    const std::uint32_t here = frame->generator != nullptr ? frame->current : (frame->pc > 0 ? frame->pc - 1 : 0);
    for (std::uint32_t offset = 0; offset < object.instructions.size(); ++offset) {
        const Instruction instruction = object.instructions[offset];
        const std::uint32_t arg = operand_of(instruction);
        Value value;
        std::string variable;
        switch (opcode_of(instruction)) {
        case Opcode::LOAD_FAST:
            if (arg < nlocals) {
                value = frame->slots[arg];
                variable = object.varnames[arg];
            }
            break;
        case Opcode::LOAD_DEREF: {
            const Value cell = frame->slots[nlocals + arg];
            if (cell.is_object() && cell.as_object()->type == vm.types().cell) {
                value = static_cast<Cell*>(cell.as_object())->value;
                variable = code->cell_names[arg]->utf8;
            }
            break;
        }
        case Opcode::LOAD_GLOBAL:
        case Opcode::LOAD_NAME:
            if (arg < code->names.size() && frame->globals != nullptr) {
                value = dict_get_str(frame->globals, code->names[arg]);
                variable = code->names[arg]->utf8;
            }
            break;
        default:
            break;
        }
        if (!value.is_object() || value.as_object() != target)
            continue;
        std::string method;
        if (offset + 1 < object.instructions.size()) {
            const Instruction next = object.instructions[offset + 1];
            const Opcode op = opcode_of(next);
            if ((op == Opcode::LOAD_METHOD || op == Opcode::LOAD_ATTR) && operand_of(next) < code->names.size())
                method = code->names[operand_of(next)]->utf8;
        }
        const int line = offset < object.positions.size() ? object.positions[offset].line : 0;
        uses.push_back(Use{variable, method, line, offset > here});
    }
    return uses;
}

// One unfinished task, as the graph sees it.
struct Node {
    TaskObject* task;
    std::string name;
    // Where the program waits ("deadlock.asy:9"): the innermost frame outside the stdlib.
    std::string where;
    const Frame* program_frame = nullptr;
    // What it awaits, in words, and the object behind it (an Event, a Queue, a Future...).
    std::string awaits;
    const Object* resource = nullptr;
    // Tasks it waits for, with the reason shown on the edge.
    std::vector<std::pair<std::size_t, std::string>> edges;
};

// The object a task really waits on: for a library wait (Event.wait, Queue.get), the
// library object (the innermost stdlib frame's `self`); else the future itself.
const Object* waited_resource(const TaskObject* task, const std::vector<AwaitLink>& chain)
{
    for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
        if (!is_stdlib_file(it->file))
            break;
        const CodeObject& code = *it->frame->code->code;
        if (!code.varnames.empty() && code.varnames[0] == "self" && it->frame->slots[0].is_object())
            return it->frame->slots[0].as_object();
    }
    return task->waiter.is_object() ? task->waiter.as_object() : nullptr;
}

// True when one of the future's done callbacks is an asy function whose closure holds
// `target` (how gather() ties its children to the future its caller awaits).
bool callback_refers_to(VM& vm, const FutureObject* future, const Object* target)
{
    for (Value callback : future->callbacks) {
        if (!callback.is_object() || callback.as_object()->type != vm.types().function)
            continue;
        const Tuple* closure = static_cast<Function*>(callback.as_object())->closure;
        if (closure == nullptr)
            continue;
        for (Value cell : closure->items)
            if (cell.is_object() && cell.as_object()->type == vm.types().cell &&
                static_cast<Cell*>(cell.as_object())->value.is_object() &&
                static_cast<Cell*>(cell.as_object())->value.as_object() == target)
                return true;
    }
    return false;
}

// Finds a cycle in the graph through depth-first search; returns its nodes, or nothing.
bool find_cycle(const std::vector<Node>& nodes, std::size_t at, std::vector<int>& state,
                std::vector<std::size_t>& path, std::vector<std::size_t>& cycle)
{
    state[at] = 1;
    path.push_back(at);
    for (const auto& [next, reason] : nodes[at].edges) {
        if (state[next] == 1) {
            auto from = std::find(path.begin(), path.end(), next);
            cycle.assign(from, path.end());
            return true;
        }
        if (state[next] == 0 && find_cycle(nodes, next, state, path, cycle))
            return true;
    }
    path.pop_back();
    state[at] = 2;
    return false;
}

}  // namespace

void explain_stuck(VM& vm, const LoopObject* loop, std::ostream& out)
{
    std::vector<Node> nodes;
    for (TaskObject* task = loop->first_task; task != nullptr; task = task->next_task) {
        if (task->state != FutureState::Pending)
            continue;
        Node node{task, task_name(vm, task), "", nullptr, describe_wait(vm, task), nullptr, {}};
        const std::vector<AwaitLink> chain = await_chain(vm, task);
        for (const AwaitLink& link : chain) {
            if (!is_stdlib_file(link.file)) {
                node.where = short_file(link.file) + ":" + std::to_string(link.line);
                node.program_frame = link.frame;
            }
        }
        node.resource = waited_resource(task, chain);
        nodes.push_back(node);
    }

    out << "asy: the program is stuck: no task can run, and no timer, I/O, child process or signal\n"
           "can ever wake one (CPython would hang here). What each task waits for:\n";
    const Type* task_type = asyncio_state(vm).types.task;
    std::vector<std::string> orphans;
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        Node& node = nodes[i];
        // The variable the program waits through, when a frame of its own holds it.
        std::string through;
        if (node.program_frame != nullptr && node.resource != nullptr)
            for (const Use& use : uses_of(vm, node.program_frame, node.resource)) {
                through = use.variable;
                break;
            }
        out << "  " << node.name << " (" << coroutine_name(vm, node.task) << ")"
            << (node.where.empty() ? "" : " at " + node.where) << " awaits " << node.awaits
            << (through.empty() ? "" : " on " + through) << '\n';

        const Value waiter = node.task->waiter;
        if (waiter.is_object() && waiter.as_object()->type == task_type) {
            for (std::size_t j = 0; j < nodes.size(); ++j)
                if (nodes[j].task == waiter.as_object())
                    node.edges.emplace_back(j, "awaits it");
            continue;
        }
        // gather(): the children whose done callbacks complete the awaited future.
        bool through_children = false;
        if (waiter.is_object()) {
            for (std::size_t j = 0; j < nodes.size(); ++j) {
                if (j != i && callback_refers_to(vm, nodes[j].task, waiter.as_object())) {
                    node.edges.emplace_back(j, "gathers it");
                    through_children = true;
                }
            }
        }
        if (through_children) {
            out << "      which ends when all of these end:";
            for (const auto& [child, reason] : node.edges)
                out << ' ' << nodes[child].name;
            out << '\n';
            continue;
        }
        // Anything else: which other task's code could complete the object.
        bool any = false;
        for (std::size_t j = 0; j < nodes.size() && node.resource != nullptr; ++j) {
            if (j == i)
                continue;
            for (const AwaitLink& link : await_chain(vm, nodes[j].task)) {
                if (is_stdlib_file(link.file))
                    continue;
                for (const Use& use : uses_of(vm, link.frame, node.resource)) {
                    if (!is_completing_method(use.method))
                        continue;
                    out << "      " << nodes[j].name << " (" << coroutine_name(vm, nodes[j].task)
                        << ") could complete it: " << use.variable << "." << use.method << "() at "
                        << short_file(link.file) << ":" << use.line;
                    if (use.ahead)
                        out << ",\n      but " << nodes[j].name << " is stuck at line " << link.line
                            << ", before it gets there";
                    out << '\n';
                    node.edges.emplace_back(j, use.variable + "." + use.method + "()");
                    any = true;
                }
            }
        }
        if (!any) {
            out << "      nothing that is still running could ever complete it\n";
            orphans.push_back(node.name);
        }
    }

    std::vector<int> state(nodes.size(), 0);
    std::vector<std::size_t> path;
    std::vector<std::size_t> cycle;
    for (std::size_t i = 0; i < nodes.size() && cycle.empty(); ++i)
        if (state[i] == 0)
            find_cycle(nodes, i, state, path, cycle);
    if (!cycle.empty()) {
        out << "Deadlock: a cycle of tasks waiting for each other: ";
        for (std::size_t index : cycle)
            out << nodes[index].name << " -> ";
        out << nodes[cycle.front()].name << '\n';
    }
    for (const std::string& orphan : orphans)
        out << "Orphan: " << orphan << " waits for something no remaining task will ever complete\n";
}

}  // namespace asy::teaching
