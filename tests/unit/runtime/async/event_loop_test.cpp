// Tests of runtime/event_loop.cpp: each test schedules callbacks that count or record
// themselves, runs the loop, checks the counts and the order, and ends by checking that the
// loop closed with no libuv handle left open [libuv test/test-timer.c].

#include "runtime/event_loop.hpp"
#include "runtime/teaching/shuffle_policy.hpp"
#include "runtime/teaching/virtual_clock.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <vector>

using namespace asy;
using asy::teaching::ShufflePolicy;
using asy::teaching::VirtualClock;

namespace {

// What the test callbacks write to: the order in which they ran, by their numbers.
std::vector<std::int64_t> g_ran;

// A callback that records its argument (a small int) in g_ran.
bool record(EventLoop&, Value, Value argument)
{
    g_ran.push_back(argument.as_small_int());
    return true;
}

const CallbackKind record_kind{"record", record, nullptr};

Callback recording(std::int64_t n)
{
    return Callback{&record_kind, Value::none(), Value::from_small_int(n)};
}

// A callback that is cancelled when its target is True, as a cancelled TimerHandle is.
bool target_is_true(Value target, Value)
{
    return target.is_true();
}

const CallbackKind cancellable_kind{"cancellable", record, target_is_true};

// A callback that schedules another one: it must run on the next turn, not this one.
bool record_and_reschedule(EventLoop& loop, Value, Value argument)
{
    g_ran.push_back(argument.as_small_int());
    loop.call_soon(recording(argument.as_small_int() + 100));
    return true;
}

const CallbackKind reschedule_kind{"reschedule", record_and_reschedule, nullptr};

bool stop_loop(EventLoop& loop, Value, Value)
{
    loop.stop();
    return true;
}

// A callback that aborts the loop, as one with a pending SystemExit does.
bool abort_loop(EventLoop&, Value, Value)
{
    g_ran.push_back(-1);
    return false;
}

const CallbackKind abort_kind{"abort", abort_loop, nullptr};

const CallbackKind stop_kind{"stop", stop_loop, nullptr};

// An observer that counts the events of each kind.
struct CountingObserver final : Observer {
    int timers_fired = 0;
    int io_ready = 0;
    void on_event(const LoopEvent& event) override
    {
        if (event.kind == LoopEventKind::TimerFired)
            ++timers_fired;
        if (event.kind == LoopEventKind::IoReady)
            ++io_ready;
    }
};

}  // namespace

TEST_CASE("call_soon callbacks run once each, in FIFO order", "[event_loop]")
{
    g_ran.clear();
    EventLoop loop;
    for (int i = 0; i < 5; ++i)
        loop.call_soon(recording(i));
    CHECK(loop.ready_count() == 5);
    CHECK(loop.run_forever() == LoopExit::Idle);
    CHECK(g_ran == std::vector<std::int64_t>{0, 1, 2, 3, 4});
    CHECK(loop.ready_count() == 0);
    loop.close();
    CHECK(loop.is_closed());
}

TEST_CASE("a callback scheduled during a turn runs on the next turn", "[event_loop]")
{
    g_ran.clear();
    EventLoop loop;
    loop.call_soon(Callback{&reschedule_kind, Value::none(), Value::from_small_int(1)});
    loop.call_soon(Callback{&reschedule_kind, Value::none(), Value::from_small_int(2)});
    loop.call_soon(recording(50));
    CHECK(loop.run_once() == TurnResult::More);
    CHECK(g_ran == std::vector<std::int64_t>{1, 2, 50});
    CHECK(loop.ready_count() == 2);
    CHECK(loop.run_once() == TurnResult::Idle);
    CHECK(g_ran == std::vector<std::int64_t>{1, 2, 50, 101, 102});
    CHECK(loop.live_handle_count() == 0);
}

TEST_CASE("timers fire in deadline order, ties in scheduling order", "[event_loop]")
{
    g_ran.clear();
    EventLoop loop;
    const double now = loop.time();
    loop.call_at(now + 0.030, recording(3));
    loop.call_at(now + 0.010, recording(1));
    loop.call_at(now + 0.020, recording(2));
    loop.call_at(now + 0.020, recording(22));
    loop.call_at(now - 1.0, recording(0));  // already past: ready on the first turn
    loop.run_forever();
    CHECK(g_ran == std::vector<std::int64_t>{0, 1, 2, 22, 3});
    // The loop really waited for the last deadline.
    CHECK(loop.time() - now >= 0.030);
    CHECK(loop.timer_count() == 0);
    loop.close();
}

TEST_CASE("ready callbacks run before timers that become due in the same turn", "[event_loop]")
{
    g_ran.clear();
    EventLoop loop;
    loop.call_later(0.0, recording(2));
    loop.call_soon(recording(1));
    loop.run_forever();
    // As in CPython: the timer is moved behind the callbacks already in the ready queue.
    CHECK(g_ran == std::vector<std::int64_t>{1, 2});
}

TEST_CASE("cancelled callbacks and timers are skipped", "[event_loop]")
{
    g_ran.clear();
    EventLoop loop;
    loop.call_soon(Callback{&cancellable_kind, Value::from_bool(true), Value::from_small_int(1)});
    loop.call_soon(Callback{&cancellable_kind, Value::from_bool(false), Value::from_small_int(2)});
    loop.call_later(0.001, Callback{&cancellable_kind, Value::from_bool(true), Value::from_small_int(3)});
    loop.call_later(0.002, Callback{&cancellable_kind, Value::from_bool(false), Value::from_small_int(4)});
    loop.run_forever();
    CHECK(g_ran == std::vector<std::int64_t>{2, 4});
    loop.close();
}

TEST_CASE("stop() ends run_forever after the current turn", "[event_loop]")
{
    g_ran.clear();
    EventLoop loop;
    loop.call_soon(Callback{&stop_kind, Value::none(), Value::none()});
    loop.call_soon(recording(1));
    loop.call_later(10.0, recording(2));
    CHECK(loop.run_forever() == LoopExit::Stopped);
    CHECK(g_ran == std::vector<std::int64_t>{1});
    CHECK(loop.timer_count() == 1);
    CHECK_FALSE(loop.is_running());
    // Closing drops the pending timer; no handle stays open.
    loop.close();
    CHECK(loop.is_closed());
}

TEST_CASE("a callback that aborts ends run_forever at once, keeping the rest", "[event_loop]")
{
    g_ran.clear();
    EventLoop loop;
    loop.call_soon(recording(1));
    loop.call_soon(Callback{&abort_kind, Value::none(), Value::none()});
    loop.call_soon(recording(2));
    CHECK(loop.run_forever() == LoopExit::Aborted);
    CHECK(g_ran == std::vector<std::int64_t>{1, -1});
    CHECK_FALSE(loop.is_running());
    // The callback after the aborting one is still queued and runs next time.
    CHECK(loop.run_forever() == LoopExit::Idle);
    CHECK(g_ran == std::vector<std::int64_t>{1, -1, 2});
    loop.close();
}

TEST_CASE("a virtual clock makes sleeps instant and exact", "[event_loop]")
{
    g_ran.clear();
    VirtualClock clock(100.0);
    EventLoop loop(clock);
    loop.call_later(3600.0, recording(2));
    loop.call_later(60.0, recording(1));
    const double real_start = monotonic_clock().now();
    loop.run_forever();
    CHECK(g_ran == std::vector<std::int64_t>{1, 2});
    CHECK(loop.time() == 3700.0);
    CHECK(monotonic_clock().now() - real_start < 1.0);
    loop.close();
}

TEST_CASE("a seeded shuffle policy replays the same order", "[event_loop]")
{
    auto run_with_seed = [](std::uint64_t seed) {
        g_ran.clear();
        ShufflePolicy policy(seed);
        EventLoop loop;
        loop.set_policy(policy);
        for (int i = 0; i < 20; ++i)
            loop.call_soon(recording(i));
        loop.run_forever();
        loop.close();
        return g_ran;
    };
    const auto first = run_with_seed(42);
    const auto again = run_with_seed(42);
    CHECK(first == again);
    CHECK(first.size() == 20);
    auto sorted = first;
    std::sort(sorted.begin(), sorted.end());
    for (int i = 0; i < 20; ++i)
        CHECK(sorted[static_cast<std::size_t>(i)] == i);
    // Twenty items in their original order by chance has odds 1 in 20!.
    std::vector<std::int64_t> fifo(20);
    for (int i = 0; i < 20; ++i)
        fifo[static_cast<std::size_t>(i)] = i;
    CHECK(first != fifo);
}

TEST_CASE("the observer hears timers and I/O", "[event_loop]")
{
    g_ran.clear();
    CountingObserver observer;
    VirtualClock clock;
    EventLoop loop(clock);
    loop.set_observer(&observer);
    loop.call_later(1.0, recording(1));
    loop.call_later(2.0, recording(2));
    loop.post_io_ready(recording(3));
    loop.run_forever();
    CHECK(observer.timers_fired == 2);
    CHECK(observer.io_ready == 1);
    CHECK(g_ran == std::vector<std::int64_t>{3, 1, 2});
}

TEST_CASE("100,000 timers are cheap and fire in order", "[event_loop]")
{
    g_ran.clear();
    VirtualClock clock;
    EventLoop loop(clock);
    constexpr int count = 100'000;
    for (int i = count - 1; i >= 0; --i)
        loop.call_at(1.0 + i * 1e-6, recording(i));
    CHECK(loop.timer_count() == count);
    loop.run_forever();
    REQUIRE(g_ran.size() == count);
    CHECK(std::is_sorted(g_ran.begin(), g_ran.end()));
    // One heap entry per sleeping task: a few dozen bytes, not a libuv handle each.
    CHECK(sizeof(Timer) <= 48);
}

namespace {

// A libuv timer owned by UvHandle, as a TimerHandle or a stream would own its handle.
int g_uv_fired = 0;
int g_closed = 0;

void on_uv_timer(uv_timer_t* handle)
{
    ++g_uv_fired;
    auto* loop = static_cast<EventLoop*>(handle->data);
    loop->post_io_ready(recording(7));
}

void on_closed(void* context)
{
    ++*static_cast<int*>(context);
}

}  // namespace

TEST_CASE("UvHandle closes its handle and frees it in the close callback", "[uv_handle]")
{
    g_ran.clear();
    g_uv_fired = 0;
    g_closed = 0;
    EventLoop loop;
    {
        UvHandle<uv_timer_t> timer;
        REQUIRE(timer.init(uv_timer_init, loop.uv_loop()) == 0);
        timer.get()->data = &loop;
        uv_timer_start(timer.get(), on_uv_timer, 1, 0);
        CHECK(loop.live_handle_count() == 1);
        // The libuv timer keeps the loop alive until it fires; its I/O callback then runs.
        loop.run_forever();
        CHECK(g_uv_fired == 1);
        CHECK(g_ran == std::vector<std::int64_t>{7});

        UvHandle<uv_timer_t> moved = std::move(timer);
        CHECK_FALSE(timer);
        CHECK(moved);
        moved.close(on_closed, &g_closed);
        CHECK_FALSE(moved);
        // Closing is asynchronous: the callback comes on the next turn.
        CHECK(g_closed == 0);
        loop.run_once();
        CHECK(g_closed == 1);
    }
    CHECK(loop.live_handle_count() == 0);
    loop.close();
}

TEST_CASE("a UvHandle destroyed while open is closed by its destructor", "[uv_handle]")
{
    EventLoop loop;
    {
        UvHandle<uv_timer_t> timer;
        REQUIRE(timer.init(uv_timer_init, loop.uv_loop()) == 0);
        CHECK(loop.live_handle_count() == 1);
    }
    CHECK(loop.live_handle_count() == 0);
    // close() runs the pending close callback; it must find nothing left open.
    loop.close();
}
