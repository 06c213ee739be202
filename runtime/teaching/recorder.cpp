// Recorder (recorder.hpp): turns loop events into lanes, steps, wakes and instants.

#include "runtime/teaching/recorder.hpp"

#include "runtime/objects/str.hpp"
#include "runtime/ops.hpp"
#include "runtime/teaching/mistake_checks.hpp"
#include "runtime/teaching/task_info.hpp"
#include "runtime/vm.hpp"
#include "stdlib/native/asyncio.hpp"

namespace asy::teaching {

namespace {

TaskObject* as_task(VM& vm, Value value)
{
    return as_instance<TaskObject>(value, asyncio_state(vm).types.task);
}

// The exception's class name, without running any asy code.
std::string exception_name(Value exception)
{
    if (!exception.is_object())
        return "?";
    const Type* type = exception.as_object()->type;
    return type->name ? type->name->utf8 : "?";
}

}  // namespace

Recorder::Recorder()
{
    // Lane 0: the loop itself, for timers and I/O that belong to no task.
    m_log.lanes.push_back(Lane{0, "event loop", "", "", 0.0, -1.0, "", {}, {}, {}});
}

Lane& Recorder::lane_of(Value task_value, double time)
{
    VM& vm = *m_vm;
    auto* task = static_cast<TaskObject*>(task_value.as_object());
    if (auto found = m_lanes.find(task); found != m_lanes.end())
        return m_log.lanes[static_cast<std::size_t>(found->second)];
    const int id = static_cast<int>(m_log.lanes.size());
    m_lanes.emplace(task, id);
    m_log.lanes.push_back(Lane{id, task_name(vm, task), coroutine_name(vm, task), program_location(vm), time, -1.0,
                               "", {}, {}, {}});
    return m_log.lanes.back();
}

void Recorder::attribute_wakes(int from, double time)
{
    for (auto& [lane, progress] : m_progress) {
        if (progress.waiting_on == nullptr || lane == from)
            continue;
        const auto* future = static_cast<const FutureObject*>(progress.waiting_on);
        if (future->state != FutureState::Pending) {
            progress.woken_by = from;
            progress.woken_at = time;
            progress.waiting_on = nullptr;
        }
    }
}

void Recorder::close_open_step(double time)
{
    if (m_open_lane < 0)
        return;
    Progress& progress = m_progress[m_open_lane];
    if (progress.step_start >= 0.0) {
        Lane& lane = m_log.lanes[static_cast<std::size_t>(m_open_lane)];
        lane.steps.push_back(Step{progress.step_start, time, "the next turn (a bare yield, sleep(0))", false});
        progress.step_start = -1.0;
        m_last_lane = m_open_lane;
        attribute_wakes(m_open_lane, time);
    }
    m_open_lane = -1;
}

void Recorder::on_event(const LoopEvent& event)
{
    VM& vm = *m_vm;
    if (m_origin < 0.0)
        m_origin = event.time;
    const double time = event.time - m_origin;
    m_log.end = std::max(m_log.end, time);

    // Steps never overlap: a new step, a timer or I/O means the last step is over.
    if (event.kind == LoopEventKind::StepStarted || event.kind == LoopEventKind::TimerFired ||
        event.kind == LoopEventKind::IoReady)
        close_open_step(time);

    TaskObject* task = as_task(vm, event.subject);
    if (task == nullptr) {
        // Timers and I/O of something that is not a task (a call_later handle, a stream).
        if (event.kind == LoopEventKind::TimerFired)
            m_log.lanes[0].instants.push_back(Instant{time, "timer", ""});
        else if (event.kind == LoopEventKind::IoReady)
            m_log.lanes[0].instants.push_back(Instant{time, "I/O ready", ""});
        return;
    }
    Lane& lane = lane_of(event.subject, time);
    const int id = lane.id;
    Progress& progress = m_progress[id];

    switch (event.kind) {
    case LoopEventKind::TaskCreated:
        lane.instants.push_back(Instant{time, "created", lane.created_at.empty() ? "" : "at " + lane.created_at});
        break;
    case LoopEventKind::StepStarted:
        m_open_lane = id;
        progress.step_start = time;
        progress.waiting_on = nullptr;
        progress.awaited = !task->callbacks.empty();
        if (progress.woken_by >= 0) {
            lane.wakes.push_back(Wake{progress.woken_by, progress.woken_at, time});
            progress.woken_by = -1;
        }
        break;
    case LoopEventKind::Suspended: {
        const double start = progress.step_start < 0.0 ? time : progress.step_start;
        lane.steps.push_back(Step{start, time, describe_wait(vm, task), false});
        progress.step_start = -1.0;
        m_open_lane = -1;
        const Value waiter = task->waiter;
        if (waiter.is_object() && as_instance<FutureObject>(waiter, asyncio_state(vm).types.future) != nullptr)
            progress.waiting_on = waiter.as_object();
        m_last_lane = id;
        attribute_wakes(id, time);
        break;
    }
    case LoopEventKind::Woken:
        // A task woken by a done callback (gather) was woken by whoever ran just before.
        if (progress.woken_by < 0 && progress.waiting_on != nullptr && m_last_lane != id) {
            progress.woken_by = m_last_lane;
            progress.woken_at = time;
        }
        break;
    case LoopEventKind::Cancelled: {
        const Value current = task->loop ? task->loop->current_task : Value::null();
        std::string by;
        if (TaskObject* canceller = as_task(vm, current); canceller != nullptr && canceller != task)
            by = "by " + task_name(vm, canceller);
        lane.instants.push_back(Instant{time, "cancel requested", by});
        break;
    }
    case LoopEventKind::Finished: {
        if (task->state == FutureState::Cancelled)
            lane.outcome = "cancelled";
        else if (!task->exception.is_null())
            lane.outcome = "raised " + exception_name(task->exception);
        else
            lane.outcome = "returned";
        if (!task->exception.is_null())
            lane.instants.push_back(Instant{time, "exception", exception_name(task->exception)});
        if (progress.step_start >= 0.0)
            lane.steps.push_back(Step{progress.step_start, time, lane.outcome, true});
        lane.finished = time;
        m_open_lane = -1;
        check_finished_task(vm, task, progress.awaited, lane.created_at);
        m_last_lane = id;
        attribute_wakes(id, time);
        m_progress.erase(id);
        m_lanes.erase(task);
        break;
    }
    case LoopEventKind::TimerFired:
        lane.instants.push_back(Instant{time, "timer", ""});
        break;
    case LoopEventKind::IoReady:
        lane.instants.push_back(Instant{time, "I/O ready", ""});
        break;
    }
}

}  // namespace asy::teaching
