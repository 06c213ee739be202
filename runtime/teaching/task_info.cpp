// task_info.hpp: reading names, await chains and locations out of tasks and frames.

#include "runtime/teaching/task_info.hpp"

#include "runtime/frame.hpp"
#include "runtime/objects/function.hpp"
#include "runtime/objects/generator.hpp"
#include "runtime/objects/str.hpp"
#include "runtime/vm.hpp"
#include "stdlib/native/asyncio.hpp"

#include <fmt/format.h>

#include <filesystem>

namespace asy::teaching {

namespace {

Generator* as_generator(VM& vm, Value value)
{
    if (!value.is_object())
        return nullptr;
    const Type* type = value.as_object()->type;
    if (type != vm.types().coroutine && type != vm.types().generator)
        return nullptr;
    return static_cast<Generator*>(value.as_object());
}

std::string number_text(double value)
{
    if (value == static_cast<double>(static_cast<long long>(value)))
        return std::to_string(static_cast<long long>(value));
    return fmt::format("{}", value);
}

}  // namespace

std::string task_name(VM& vm, const TaskObject* task)
{
    if (const auto* text = as_instance<String>(task->name, vm.types().str))
        return text->utf8;
    return "Task-" + std::to_string(task->number);
}

std::string coroutine_name(VM& vm, const TaskObject* task)
{
    if (Generator* coroutine = as_generator(vm, task->coro); coroutine && coroutine->qualname)
        return coroutine->qualname->utf8;
    if (task->coro.is_object() && task->coro.as_object()->type == asyncio_state(vm).types.sleep)
        return "sleep";
    return "?";
}

int frame_line(const Frame* frame)
{
    const auto& positions = frame->code->code->positions;
    // A frame that is suspended (or raised) records its instruction in `current`; a frame
    // that is calling out has stored pc, one past the call.
    if (frame->generator != nullptr && frame->generator->state != GeneratorState::Running)
        return frame->line();
    const std::uint32_t at = frame->pc > 0 ? frame->pc - 1 : 0;
    return at < positions.size() ? positions[at].line : 0;
}

bool is_stdlib_file(const std::string& file)
{
    return file.starts_with("<stdlib>");
}

std::string short_file(const std::string& file)
{
    std::error_code error;
    const std::filesystem::path here = std::filesystem::current_path(error);
    if (error || file.empty() || file[0] != '/')
        return file;
    const std::string prefix = here.string() + "/";
    if (file.starts_with(prefix))
        return file.substr(prefix.size());
    return file;
}

std::vector<AwaitLink> await_chain(VM& vm, const TaskObject* task)
{
    std::vector<AwaitLink> chain;
    Generator* coroutine = as_generator(vm, task->coro);
    // A chain longer than this is a cycle in broken state; stop rather than spin.
    for (int depth = 0; coroutine != nullptr && coroutine->frame != nullptr && depth < 64; ++depth) {
        const Frame* frame = coroutine->frame;
        const std::string name = coroutine->qualname ? coroutine->qualname->utf8 : frame->code->code->qualname;
        chain.push_back(AwaitLink{coroutine, frame, name, frame->code->code->filename, frame_line(frame)});
        // A suspended frame keeps what it awaits on top of its stack (the receiver of SEND).
        if (coroutine->state != GeneratorState::Suspended || frame->sp <= frame->stack_base())
            break;
        coroutine = as_generator(vm, frame->sp[-1]);
    }
    return chain;
}

std::string describe_wait(VM& vm, const TaskObject* task)
{
    const AsyncioTypes& types = asyncio_state(vm).types;
    const Value waiter = task->waiter;
    if (!waiter.is_object())
        return "nothing";
    if (waiter.as_object()->type == types.sleep)
        return "sleep(" + number_text(static_cast<SleepObject*>(waiter.as_object())->delay) + ")";
    if (waiter.as_object()->type == types.task)
        return "task " + task_name(vm, static_cast<TaskObject*>(waiter.as_object()));
    // The future of gather() is the only one with a cancel hook (asyncio.hpp, FutureObject).
    if (const auto* future = as_instance<FutureObject>(waiter, types.future); future && !future->cancel_hook.is_null())
        return "gather()";
    // A future made inside the library (Event.wait, Queue.get): name the library call
    // the program made, the first stdlib coroutine in the chain.
    for (const AwaitLink& link : await_chain(vm, task)) {
        if (is_stdlib_file(link.file))
            return link.name + "()";
    }
    return "a future";
}

std::string program_location(VM& vm)
{
    for (auto it = vm.frames.rbegin(); it != vm.frames.rend(); ++it) {
        const Frame* frame = *it;
        const std::string& file = frame->code->code->filename;
        if (!is_stdlib_file(file))
            return short_file(file) + ":" + std::to_string(frame_line(frame));
    }
    return "";
}

}  // namespace asy::teaching
