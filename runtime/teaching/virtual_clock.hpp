// The clock of --virtual-time: time that only moves when the event loop would otherwise
// block with nothing to do but wait for a timer, and then jumps straight to that timer. A
// program that sleeps an hour finishes in milliseconds and prints what it prints in real time.
#pragma once

#include "runtime/event_loop.hpp"

#include <cstdint>

namespace asy::teaching {

// Virtual time with one rule for real I/O: while a libuv handle or request is active (a
// socket, a child process, a DNS lookup), the loop must really wait for it, so the clock
// lets libuv block for the real time left to the next timer and then moves by the real time
// that passed. Only when nothing but timers is left does it jump. (A program with a
// listening server therefore sleeps in real time; one with only tasks and timers does not.)
class VirtualClock final : public Clock {
public:
    // The clock starts at `start` virtual seconds (a unit test may want a time far from 0).
    explicit VirtualClock(double start = 0.0) : m_now(start) {}
    [[nodiscard]] double now() override;
    [[nodiscard]] double arm(double deadline) override;
    void blocked_for(double seconds) override { m_now = now() + seconds; }
    // The libuv loop whose handles count as pending I/O; set when asyncio makes a loop.
    void watch(uv_loop_t* loop) { m_uv_loop = loop; }

private:
    // The current virtual time in seconds.
    double m_now;
    // While a real wait is under way: uv_hrtime() when it began, else 0.
    std::uint64_t m_real_wait_start = 0;
    // The deadline the real wait is for; virtual time never passes it.
    double m_real_wait_deadline = 0.0;
    // The loop checked for pending I/O, or null (then there is never any).
    uv_loop_t* m_uv_loop = nullptr;
};

// The one virtual clock of the process (configure() makes it the default clock).
[[nodiscard]] VirtualClock& virtual_clock();

}  // namespace asy::teaching
