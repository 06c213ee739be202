// The policy of --shuffle=SEED: among the callbacks ready in a turn of the event loop, run a
// pseudo-randomly chosen one next. Races that FIFO order hides show up, and the same seed
// replays the very same interleaving, so a wrong result can be studied again and again.
#pragma once

#include "runtime/event_loop.hpp"

#include <cstdint>

namespace asy::teaching {

class ShufflePolicy final : public SchedulingPolicy {
public:
    explicit ShufflePolicy(std::uint64_t seed) : m_state(seed) {}
    [[nodiscard]] std::size_t pick(std::size_t count) override;

    // How many of the ready callbacks, oldest first, the next one is drawn from.
    static constexpr std::size_t window = 64;

private:
    // splitmix64 (Steele, Lea and Flood, 2014): one 64-bit word of state, a few lines of
    // code, and the same sequence on every platform and standard library for a given seed.
    [[nodiscard]] std::uint64_t next();

    // The generator's state: the seed, advanced by a constant at each draw.
    std::uint64_t m_state;
};

}  // namespace asy::teaching
