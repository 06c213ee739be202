// EventLoop: the scheduler under asyncio. It owns one uv_loop_t, a FIFO queue of ready
// callbacks and a heap of timers, and runs them in the order CPython 3.11's
// BaseEventLoop._run_once does, so conforming programs print the same thing. The native
// Future/Task (stdlib/native/asyncio_*.cpp) schedule their steps here; libuv only waits.
//
// Three things are replaceable without touching the loop (DESIGN.md section 4): the Clock
// (real or virtual time), the SchedulingPolicy (which ready callback runs next) and the
// Observer (who hears about task events).
#pragma once

#include "runtime/uv_handle.hpp"
#include "runtime/value.hpp"

#include <uv.h>

#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <vector>

namespace asy {

class EventLoop;

// ---------------------------------------------------------------------------------------
// Callbacks. A ready callback is three words and a pointer to a static table that says what
// to do with them, so that scheduling never allocates a closure (no std::function).

// What a kind of callback does. One static CallbackKind exists per kind ("task step",
// "call_soon handle", "test counter"...).
struct CallbackKind {
    // A short name for tracing and for the observer ("task step", "handle").
    const char* name;
    // Runs the callback. `target` and `argument` are the values stored in the Callback.
    // Returns false to stop the loop at once, leaving the rest of the turn for later: an
    // exception that must leave the loop (SystemExit, KeyboardInterrupt) is pending.
    bool (*run)(EventLoop& loop, Value target, Value argument);
    // Says whether the callback was cancelled after it was scheduled (a cancelled
    // TimerHandle, a task woken by something else first); such callbacks are skipped and
    // dropped. Null when this kind can never be cancelled.
    bool (*is_cancelled)(Value target, Value argument);
};

// One scheduled callback: `kind->run(loop, target, argument)`.
struct Callback {
    // What to do; never null in a queued callback.
    const CallbackKind* kind = nullptr;
    // Usually the object the callback acts on: a Task, a Handle holding an asy callable.
    Value target;
    // A second value for the callback: a value to send into a task, a wake-up number...
    Value argument;
};

// A timer waiting in the heap: a callback and the loop time at which it becomes ready.
struct Timer {
    // Loop time (seconds, Clock::now) when the callback becomes ready.
    double when;
    // Ties between equal deadlines go to the timer scheduled first.
    std::uint64_t sequence;
    // What to run then.
    Callback callback;
};

// ---------------------------------------------------------------------------------------
// Clock: the time behind loop.time(), sleep, timeouts and time.monotonic().

class Clock {
public:
    virtual ~Clock() = default;
    // The current time in seconds. Only differences mean something.
    [[nodiscard]] virtual double now() = 0;
    // The loop has nothing ready to run and its earliest timer is due at `deadline`. Returns
    // how many seconds libuv may block waiting for I/O before the loop looks at its timers
    // again. A real clock returns the time left; a virtual clock jumps to the deadline and
    // returns 0, which is what makes its sleeps instant.
    [[nodiscard]] virtual double arm(double deadline) = 0;
    // A blocking time.sleep(seconds) has just ended. Real time saw it pass already; a virtual
    // clock moves by it, so that time.monotonic() reads as it would in CPython.
    virtual void blocked_for(double) {}
};

// Real, monotonic time: CLOCK_MONOTONIC through uv_hrtime, the clock CPython's
// time.monotonic() and loop.time() read on Linux.
class MonotonicClock final : public Clock {
public:
    [[nodiscard]] double now() override;
    [[nodiscard]] double arm(double deadline) override;
};

// The one real clock of the process.
[[nodiscard]] Clock& monotonic_clock();

// The clock new loops use and time.monotonic() reads: the monotonic clock unless replaced
// (--virtual-time replaces it with the VirtualClock of runtime/teaching/virtual_clock.hpp).
// Replacing it affects loops created afterwards.
[[nodiscard]] Clock& default_clock();
// Makes `clock` (which must live until it is replaced) the default; nullptr restores the real one.
void set_default_clock(Clock* clock);

// ---------------------------------------------------------------------------------------
// SchedulingPolicy: which ready callback runs next.
//
// Each turn of the loop runs the callbacks that were ready when the turn began (a callback
// scheduled during the turn waits for the next one, as in CPython). Before running each of
// them the loop asks the policy to pick one among the `count` not yet run, by their index
// in arrival order.

class SchedulingPolicy {
public:
    virtual ~SchedulingPolicy() = default;
    // Returns an index in [0, count); count is at least 1.
    [[nodiscard]] virtual std::size_t pick(std::size_t count) = 0;
};

// CPython's order: first come, first served.
class FifoPolicy final : public SchedulingPolicy {
public:
    [[nodiscard]] std::size_t pick(std::size_t) override { return 0; }
};

// The seeded random order of --shuffle=SEED is runtime/teaching/shuffle_policy.hpp.

// ---------------------------------------------------------------------------------------
// Observer: hears every event that matters to a learner. Tracing, timelines and the
// REPL's :tasks listen here. With no observer the cost is one null test per event.

enum class LoopEventKind {
    TaskCreated,   // subject: the new task
    StepStarted,   // subject: the task about to run one step
    Suspended,     // subject: the task; detail: what it waits on (a future, a sleep)
    Woken,         // subject: the task; detail: what woke it
    Cancelled,     // subject: the task whose cancel() was requested
    Finished,      // subject: the task, now done (result, exception or cancelled)
    TimerFired,    // subject: the timer's target; detail: its argument
    IoReady,       // subject: the object whose I/O completed
};

// One event, passed by reference and valid only during the call.
struct LoopEvent {
    // What happened.
    LoopEventKind kind;
    // Who it happened to (see LoopEventKind).
    Value subject;
    // A second object when the kind has one, otherwise null.
    Value detail;
    // The loop time of the event.
    double time;
};

class Observer {
public:
    virtual ~Observer() = default;
    virtual void on_event(const LoopEvent& event) = 0;
};

// ---------------------------------------------------------------------------------------
// The loop itself.

// How a turn of the loop (run_once) ended.
enum class TurnResult {
    // Something may still happen: callbacks are ready, timers wait, or libuv handles are active.
    More,
    // Nothing can ever happen again.
    Idle,
    // A callback returned false: an exception must propagate out of the loop.
    Aborted,
};

// Why run_forever returned.
enum class LoopExit {
    // stop() was called.
    Stopped,
    // Nothing was left that could ever happen (CPython would wait forever here).
    Idle,
    // A callback returned false (see CallbackKind::run).
    Aborted,
};

// Called at the start of every EventLoop::close(), before the loop checks that no handle
// was left open: the owners of long-lived handles (streams, servers, child processes, see
// runtime/streams.cpp) close the ones a program left open. Hooks run in the order added.
using LoopCloseHook = void (*)(EventLoop& loop);
void add_loop_close_hook(LoopCloseHook hook);

class EventLoop {
public:
    // Uses the default clock (default_clock()) and FIFO scheduling.
    EventLoop();
    // Uses `clock`, which must outlive the loop.
    explicit EventLoop(Clock& clock);
    // Closes the loop if close() was not called.
    ~EventLoop();

    EventLoop(const EventLoop&) = delete;
    EventLoop& operator=(const EventLoop&) = delete;

    // --- scheduling ---------------------------------------------------------------------
    // Appends a callback to the ready queue (loop.call_soon).
    void call_soon(const Callback& callback);
    // Schedules a callback to become ready at loop time `when` (loop.call_at). A deadline in
    // the past makes it ready on the next turn.
    void call_at(double when, const Callback& callback);
    // The same, `delay` seconds from now (loop.call_later).
    void call_later(double delay, const Callback& callback) { call_at(time() + delay, callback); }
    // Called by a libuv callback when I/O completed: queues the callback that continues the
    // work, and tells the observer.
    void post_io_ready(const Callback& callback);

    // --- running ------------------------------------------------------------------------
    // One turn: wait for I/O (or not, when something is ready), move due timers to the ready
    // queue, then run the callbacks that were ready at that point.
    TurnResult run_once();
    // Turns until stop() is called (loop.run_forever), until nothing can happen any more, or
    // until a callback aborts.
    LoopExit run_forever();
    // Makes run_forever return after the current turn (loop.stop).
    void stop() { m_stopping = true; }
    // Releases everything: the wake-up timer, then each handle still closing. Checks with
    // uv_walk that no libuv handle was left open (a leak is reported on stderr and closed).
    // Closing twice does nothing.
    void close();

    [[nodiscard]] bool is_running() const { return m_running; }
    [[nodiscard]] bool is_closed() const { return m_closed; }
    // The loop's clock (loop.time()).
    [[nodiscard]] double time() { return m_clock->now(); }
    [[nodiscard]] Clock& clock() { return *m_clock; }
    [[nodiscard]] uv_loop_t* uv_loop() { return &m_uv_loop; }

    // Ready callbacks and timers not yet run (cancelled ones may still be counted).
    [[nodiscard]] std::size_t ready_count() const { return m_ready.size(); }
    [[nodiscard]] std::size_t timer_count() const { return m_timers.size(); }
    // Counts libuv handles that are open and not closing (the loop's own timer excluded).
    [[nodiscard]] int live_handle_count();

    // Whatever the loop's owner needs in its callbacks (the asyncio module keeps its VM here).
    void set_context(void* context) { m_context = context; }
    [[nodiscard]] void* context() const { return m_context; }

    // --- replaceable parts ---------------------------------------------------------------
    // Replaces the scheduling policy; it must outlive the loop or be replaced again first.
    void set_policy(SchedulingPolicy& policy) { m_policy = &policy; }
    // Sets the observer, or removes it with nullptr.
    void set_observer(Observer* observer) { m_observer = observer; }
    [[nodiscard]] Observer* observer() const { return m_observer; }
    // Tells the observer about an event; nearly free when nobody listens.
    void notify(LoopEventKind kind, Value subject, Value detail = Value::null())
    {
        if (m_observer != nullptr) [[unlikely]]
            notify_observer(kind, subject, detail);
    }

    // --- garbage collection --------------------------------------------------------------
    // Calls mark(value) for every value the loop keeps alive: each queued callback's target
    // and argument, and each timer's. Values pinned by libuv handles are marked by their
    // owners (streams.cpp), tasks by the task registry (stdlib/native/asyncio_task.cpp).
    template <typename Mark>
    void trace(Mark&& mark) const
    {
        for (const Callback& callback : m_ready) {
            mark(callback.target);
            mark(callback.argument);
        }
        for (const Timer& timer : m_timers) {
            mark(timer.callback.target);
            mark(timer.callback.argument);
        }
        mark(m_current.target);
        mark(m_current.argument);
    }

private:
    void init_uv_loop();
    // Moves every timer whose deadline has passed into the ready queue, in deadline order.
    void move_due_timers();
    // Lets libuv wait for I/O (or just poll it when `block` is false), bounded by the
    // earliest timer.
    void wait_for_events(bool block);
    void notify_observer(LoopEventKind kind, Value subject, Value detail);
    [[nodiscard]] static bool cancelled(const Callback& callback)
    {
        return callback.kind->is_cancelled != nullptr
            && callback.kind->is_cancelled(callback.target, callback.argument);
    }

    // libuv's loop, embedded: it lives exactly as long as the EventLoop.
    uv_loop_t m_uv_loop;
    // Bounds libuv's wait by the earliest asy timer. One uv timer serves every asy timer,
    // which keeps a sleeping task down to one heap entry.
    UvHandle<uv_timer_t> m_wake_up;
    // Callbacks ready to run, oldest first (CPython's loop._ready).
    std::deque<Callback> m_ready;
    // The callback running now. It has left the queue, and its target may have no other
    // reference (a call_soon Handle), so the collector finds it here.
    Callback m_current;
    // A min-heap on (when, sequence) (CPython's loop._scheduled).
    std::vector<Timer> m_timers;
    // The sequence number of the next timer.
    std::uint64_t m_next_sequence = 0;
    // Where time comes from; never null.
    Clock* m_clock;
    // Which ready callback runs next; never null.
    SchedulingPolicy* m_policy;
    // The default policy, used until set_policy.
    FifoPolicy m_fifo;
    // See set_context; null until set.
    void* m_context = nullptr;
    // Who hears about events; null when nobody listens.
    Observer* m_observer = nullptr;
    // True while run_forever runs, to refuse running the loop inside itself.
    bool m_running = false;
    // Set by stop(); run_forever returns at the end of the current turn.
    bool m_stopping = false;
    // Set by close().
    bool m_closed = false;
};

}  // namespace asy
