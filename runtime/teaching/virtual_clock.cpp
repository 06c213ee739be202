// VirtualClock (virtual_clock.hpp): jumps to the next timer when only timers are left, and
// follows real time while real I/O is pending.

#include "runtime/teaching/virtual_clock.hpp"

#include <algorithm>

namespace asy::teaching {

double VirtualClock::now()
{
    // A real wait for I/O ended (or is still going on): virtual time moves by the real time
    // that passed, but never beyond the timer the wait was bounded by.
    if (m_real_wait_start != 0) {
        const double elapsed = static_cast<double>(uv_hrtime() - m_real_wait_start) / 1e9;
        m_now = std::min(m_real_wait_deadline, std::max(m_now, m_now + elapsed));
        m_real_wait_start = 0;
    }
    return m_now;
}

double VirtualClock::arm(double deadline)
{
    const double current = now();
    if (m_uv_loop != nullptr && uv_loop_alive(m_uv_loop)) {
        // Real I/O is pending: wait for it in real time, at most until the next timer.
        m_real_wait_start = uv_hrtime();
        m_real_wait_deadline = std::max(current, deadline);
        return std::max(0.0, deadline - current);
    }
    // Nothing but timers: nothing can happen before the deadline, so jump to it.
    m_now = std::max(current, deadline);
    return 0.0;
}

VirtualClock& virtual_clock()
{
    static VirtualClock clock;
    return clock;
}

}  // namespace asy::teaching
