// The observer behind --trace and --timeline: it hears every event of the event loop
// (event_loop.hpp, Observer) and writes it down in an EventLog, with names and places
// resolved at once, while the objects still exist.
#pragma once

#include "runtime/event_loop.hpp"
#include "runtime/teaching/event_log.hpp"

#include <unordered_map>

namespace asy {

class VM;
struct Object;

namespace teaching {

class Recorder final : public Observer {
public:
    Recorder();
    void set_vm(VM* vm) { m_vm = vm; }
    void on_event(const LoopEvent& event) override;
    [[nodiscard]] const EventLog& log() const { return m_log; }
    [[nodiscard]] EventLog& log() { return m_log; }

private:
    // The lane of a task, made on first sight (a task created before the observer listened).
    Lane& lane_of(Value task, double time);
    // The task whose step just ended (`from`) may have completed what other tasks wait on:
    // each such task remembers that `from` woke it.
    void attribute_wakes(int from, double time);

    // The VM whose tasks are observed (for names and places).
    VM* m_vm = nullptr;
    EventLog m_log;
    // Loop time of the first event: times in the log count from it.
    double m_origin = -1.0;
    // The lane of each task that has not finished. Finished tasks leave the map, so an
    // address reused by a later object cannot be mistaken for them.
    std::unordered_map<const Object*, int> m_lanes;
    // Per lane: start of the step running now (negative when none), the future it waits on
    // (not owned: the task's `waiter` keeps it alive while it waits), and who woke it.
    struct Progress {
        double step_start = -1.0;
        const Object* waiting_on = nullptr;
        int woken_by = -1;
        double woken_at = 0.0;
        // Whether someone (a task, gather) waited for this task when its step began.
        bool awaited = false;
    };
    std::unordered_map<int, Progress> m_progress;
    // A step that ended without a Suspended event (a bare `yield`, sleep(0): the task is just
    // queued again) is closed when the loop moves on to anything else.
    void close_open_step(double time);
    // The lane whose step is running now, or -1.
    int m_open_lane = -1;
    // The lane whose step ended last: what completed a future from a done callback (gather)
    // ran right after it.
    int m_last_lane = 0;
};

}  // namespace teaching
}  // namespace asy
