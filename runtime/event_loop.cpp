// EventLoop: one turn of the loop follows CPython 3.11's BaseEventLoop._run_once step by
// step (wait for I/O, move due timers to the ready queue, run what was ready), because the
// order in which tasks run is part of what asy promises to reproduce. libuv does only the
// waiting: I/O callbacks queue asy callbacks here instead of running asy code themselves.

#include "runtime/event_loop.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace asy {

// ---------------------------------------------------------------------------------------
// Clocks

double MonotonicClock::now()
{
    // uv_hrtime reads CLOCK_MONOTONIC in nanoseconds.
    return static_cast<double>(uv_hrtime()) / 1e9;
}

double MonotonicClock::arm(double deadline)
{
    return std::max(0.0, deadline - now());
}

Clock& monotonic_clock()
{
    static MonotonicClock clock;
    return clock;
}

namespace {
// Null while the real clock is the default.
Clock* g_default_clock = nullptr;
}  // namespace

namespace {
// The hooks of add_loop_close_hook.
std::vector<LoopCloseHook>& loop_close_hooks()
{
    static std::vector<LoopCloseHook> hooks;
    return hooks;
}
}  // namespace

void add_loop_close_hook(LoopCloseHook hook)
{
    loop_close_hooks().push_back(hook);
}

Clock& default_clock()
{
    return g_default_clock != nullptr ? *g_default_clock : monotonic_clock();
}

void set_default_clock(Clock* clock)
{
    g_default_clock = clock;
}

// ---------------------------------------------------------------------------------------
// The timer heap: std::push_heap builds a max-heap, so "less" here means "due later".

namespace {

bool due_later(const Timer& a, const Timer& b)
{
    if (a.when != b.when)
        return a.when > b.when;
    return a.sequence > b.sequence;
}

// The wake-up timer has nothing to do when it fires: its only job is to end libuv's wait.
void on_wake_up(uv_timer_t*) {}

// Counts the handles that are neither closing nor the loop's own wake-up timer.
struct HandleCount {
    uv_handle_t* wake_up;
    int count = 0;
};

void count_handle(uv_handle_t* handle, void* arg)
{
    auto* counter = static_cast<HandleCount*>(arg);
    if (handle != counter->wake_up && !uv_is_closing(handle))
        ++counter->count;
}

void report_and_close_handle(uv_handle_t* handle, void*)
{
    if (uv_is_closing(handle))
        return;
    std::fprintf(stderr, "asy: internal error: a libuv %s handle was left open at loop close\n",
                 uv_handle_type_name(handle->type));
    // Its memory is lost (its owner is gone), but the loop can at least be closed.
    uv_close(handle, nullptr);
}

}  // namespace

// ---------------------------------------------------------------------------------------
// Construction and destruction

EventLoop::EventLoop() : EventLoop(default_clock()) {}

EventLoop::EventLoop(Clock& clock) : m_clock(&clock), m_policy(&m_fifo)
{
    init_uv_loop();
}

EventLoop::~EventLoop()
{
    close();
}

void EventLoop::init_uv_loop()
{
    const int status = uv_loop_init(&m_uv_loop);
    // uv_loop_init fails only when the process is out of file descriptors or memory.
    if (status != 0) {
        std::fprintf(stderr, "asy: cannot create the event loop: %s\n", uv_strerror(status));
        std::abort();
    }
    m_uv_loop.data = this;
    const int timer_status = m_wake_up.init(uv_timer_init, &m_uv_loop);
    assert(timer_status == 0 && "uv_timer_init cannot fail on a fresh loop");
    (void)timer_status;
    m_wake_up.get()->data = this;
}

void EventLoop::close()
{
    if (m_closed)
        return;
    assert(!m_running && "EventLoop::close while the loop runs");
    m_closed = true;
    for (LoopCloseHook hook : loop_close_hooks())
        hook(*this);
    m_ready.clear();
    m_timers.clear();
    m_wake_up.close();
    // One non-blocking turn runs the close callbacks of every handle closed so far,
    // the wake-up timer included, which frees their memory.
    uv_run(&m_uv_loop, UV_RUN_NOWAIT);

    // Every handle must have been closed by its owner by now. A leak is asy's bug: say so
    // on stderr (the unit tests check live_handle_count() themselves), then close what is
    // left so that the loop can go. Not an assert: NDEBUG is never defined in asy's builds,
    // and a leaked socket must not turn a finished program into a crash.
    if (live_handle_count() != 0) {
        uv_walk(&m_uv_loop, report_and_close_handle, nullptr);
        uv_run(&m_uv_loop, UV_RUN_NOWAIT);
    }
    const int status = uv_loop_close(&m_uv_loop);
    assert(status == 0 && "uv_loop_close: handles or requests still active");
    (void)status;
}

int EventLoop::live_handle_count()
{
    HandleCount counter{m_wake_up.base()};
    uv_walk(&m_uv_loop, count_handle, &counter);
    return counter.count;
}

// ---------------------------------------------------------------------------------------
// Scheduling

void EventLoop::call_soon(const Callback& callback)
{
    assert(callback.kind != nullptr);
    m_ready.push_back(callback);
}

void EventLoop::call_at(double when, const Callback& callback)
{
    assert(callback.kind != nullptr);
    m_timers.push_back(Timer{when, m_next_sequence++, callback});
    std::push_heap(m_timers.begin(), m_timers.end(), due_later);
}

void EventLoop::post_io_ready(const Callback& callback)
{
    notify(LoopEventKind::IoReady, callback.target, callback.argument);
    call_soon(callback);
}

void EventLoop::notify_observer(LoopEventKind kind, Value subject, Value detail)
{
    const LoopEvent event{kind, subject, detail, time()};
    m_observer->on_event(event);
}

// ---------------------------------------------------------------------------------------
// Running

void EventLoop::wait_for_events(bool block)
{
    if (!block) {
        // Something is ready: only collect the I/O that has already completed.
        uv_run(&m_uv_loop, UV_RUN_NOWAIT);
        return;
    }
    if (m_timers.empty()) {
        // Only I/O can wake us. With no active handle nothing ever will, and blocking would
        // hang the program, so return and let run_once report that nothing is left.
        if (uv_loop_alive(&m_uv_loop))
            uv_run(&m_uv_loop, UV_RUN_ONCE);
        return;
    }
    // The clock decides how long the wait for the earliest timer really is.
    const double wait = m_clock->arm(m_timers.front().when);
    if (wait <= 0.0) {
        uv_run(&m_uv_loop, UV_RUN_NOWAIT);
        return;
    }
    // libuv counts in whole milliseconds; rounding up means we never wake before the
    // deadline (waking a little late is what every timer does).
    const auto milliseconds = static_cast<std::uint64_t>(std::ceil(wait * 1000.0));
    uv_update_time(&m_uv_loop);
    uv_timer_start(m_wake_up.get(), on_wake_up, milliseconds, 0);
    uv_run(&m_uv_loop, UV_RUN_ONCE);
    uv_timer_stop(m_wake_up.get());
}

void EventLoop::move_due_timers()
{
    if (m_timers.empty())
        return;
    const double now = time();
    while (!m_timers.empty() && m_timers.front().when <= now) {
        std::pop_heap(m_timers.begin(), m_timers.end(), due_later);
        const Callback callback = m_timers.back().callback;
        m_timers.pop_back();
        // A timer cancelled while it waited is dropped here rather than searched for when
        // it is cancelled (CPython does the same with its cancelled TimerHandles).
        if (cancelled(callback))
            continue;
        notify(LoopEventKind::TimerFired, callback.target, callback.argument);
        m_ready.push_back(callback);
    }
}

TurnResult EventLoop::run_once()
{
    assert(!m_closed && "EventLoop::run_once on a closed loop");
    // Cancelled timers at the front of the heap would otherwise bound the wait for nothing.
    while (!m_timers.empty() && cancelled(m_timers.front().callback)) {
        std::pop_heap(m_timers.begin(), m_timers.end(), due_later);
        m_timers.pop_back();
    }

    // Wait only when nothing is ready and nobody asked the loop to stop.
    wait_for_events(m_ready.empty() && !m_stopping);
    move_due_timers();

    // Run exactly the callbacks that are ready now. Those they schedule wait for the next
    // turn, so a task that keeps yielding cannot starve the timers and the I/O.
    for (std::size_t remaining = m_ready.size(); remaining > 0; --remaining) {
        const std::size_t index = m_policy->pick(remaining);
        assert(index < remaining && "SchedulingPolicy::pick out of range");
        Callback callback = m_ready[index];
        if (index == 0)
            m_ready.pop_front();
        else
            m_ready.erase(m_ready.begin() + static_cast<std::ptrdiff_t>(index));
        if (cancelled(callback))
            continue;
        m_current = callback;
        const bool go_on = callback.kind->run(*this, callback.target, callback.argument);
        m_current = Callback{};
        if (!go_on)
            return TurnResult::Aborted;
    }
    if (!m_ready.empty() || !m_timers.empty() || uv_loop_alive(&m_uv_loop))
        return TurnResult::More;
    return TurnResult::Idle;
}

LoopExit EventLoop::run_forever()
{
    assert(!m_running && "the event loop is already running");
    m_running = true;
    LoopExit exit = LoopExit::Idle;
    for (;;) {
        const TurnResult turn = run_once();
        if (turn == TurnResult::Aborted) {
            exit = LoopExit::Aborted;
            break;
        }
        // As in CPython, stop() takes effect at the end of the turn in which it was called.
        if (m_stopping) {
            exit = LoopExit::Stopped;
            break;
        }
        if (turn == TurnResult::Idle)
            break;
    }
    m_stopping = false;
    m_running = false;
    return exit;
}

}  // namespace asy
