// TupleHash: hash(tuple) as CPython 3.11 computes it, an xxHash-style accumulation of the
// item hashes. runtime/objects/tuple.cpp feeds it each item's hash (which may fail, so the
// loop stays with the caller). The same values as CPython matter little for output, but
// they keep set and dict orders of tuple keys identical to CPython's.
#pragma once

#include <cstddef>
#include <cstdint>

namespace asy::containers {

class TupleHash {
public:
    // Mixes in the hash of the next item.
    void add(std::int64_t item_hash) {
        m_acc += static_cast<std::uint64_t>(item_hash) * prime_2;
        m_acc = (m_acc << 31) | (m_acc >> 33);  // rotate left by 31
        m_acc *= prime_1;
    }
    // The hash of a tuple of `length` items, all added.
    [[nodiscard]] std::int64_t finish(std::size_t length) const {
        // The length is mixed in so that hash(()) keeps its historical value.
        std::uint64_t acc = m_acc + (static_cast<std::uint64_t>(length) ^ (prime_5 ^ 3527539ULL));
        // -1 is not a valid Python hash.
        if (acc == static_cast<std::uint64_t>(-1)) return 1546275796;
        return static_cast<std::int64_t>(acc);
    }

private:
    // xxHash64's primes, as CPython uses them.
    static constexpr std::uint64_t prime_1 = 11400714785074694791ULL;
    static constexpr std::uint64_t prime_2 = 14029467366897019727ULL;
    static constexpr std::uint64_t prime_5 = 2870177450012600261ULL;

    std::uint64_t m_acc = prime_5;
};

}  // namespace asy::containers
