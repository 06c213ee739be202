// ShufflePolicy (shuffle_policy.hpp): splitmix64 picks which ready callback runs next.

#include "runtime/teaching/shuffle_policy.hpp"

namespace asy::teaching {

std::uint64_t ShufflePolicy::next()
{
    m_state += 0x9e3779b97f4a7c15ULL;
    std::uint64_t z = m_state;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

std::size_t ShufflePolicy::pick(std::size_t count)
{
    // With one callback there is nothing to choose, and drawing anyway would make a seed's
    // interleaving depend on turns where no choice was made.
    if (count <= 1)
        return 0;
    // Only the first `window` callbacks are candidates: the loop removes the one picked from
    // the middle of its queue, which costs as much as the index, and a turn with 100,000
    // ready tasks would otherwise take quadratic time. Races are between a few tasks that
    // are ready together, which the window still reorders freely.
    const std::size_t candidates = count < window ? count : window;
    // A plain modulo: its tiny bias does not matter here, and it is the same everywhere.
    return static_cast<std::size_t>(next() % candidates);
}

}  // namespace asy::teaching
