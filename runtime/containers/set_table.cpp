// SetTable: the parts of the set table that never call back into Python code — growing,
// deleting, popping and the frozenset hash. The searches are templates in set_table.hpp.
#include "runtime/containers/set_table.hpp"

namespace asy::containers {

std::uint64_t SetTable::next_set_version() {
    // Unique across all sets; the interpreter is single-threaded.
    static std::uint64_t counter = 0;
    return ++counter;
}

SetTable::SetTable() : m_slots(min_slots), m_version(next_set_version()) {}

void SetTable::insert_clean(std::vector<SetSlot>& slots, Value key, std::int64_t hash) {
    const std::size_t m = slots.size() - 1;
    std::uint64_t perturb = static_cast<std::uint64_t>(hash);
    std::size_t i = static_cast<std::size_t>(hash) & m;
    for (;;) {
        // The same probe order as a search: slot i, then up to linear_probes neighbours.
        const std::size_t probes = (i + linear_probes <= m) ? linear_probes : 0;
        for (std::size_t j = i; j <= i + probes; ++j) {
            if (slots[j].key.is_null()) {
                slots[j] = SetSlot{hash, key};
                return;
            }
        }
        perturb >>= perturb_shift;
        i = (i * 5 + 1 + static_cast<std::size_t>(perturb)) & m;
    }
}

void SetTable::resize(std::size_t min_used) {
    // The smallest power of two strictly greater than min_used.
    std::size_t new_size = min_slots;
    while (new_size <= min_used) new_size <<= 1;
    // A smallest table with nothing deleted stays as it is (CPython skips the rebuild, and
    // a rebuild could move keys that once reused deleted slots).
    if (new_size == min_slots && m_slots.size() == min_slots && m_fill == m_used) return;

    std::vector<SetSlot> old = std::move(m_slots);
    m_slots.assign(new_size, SetSlot{});
    // Live keys move over in the old slot order; deleted slots vanish.
    for (const SetSlot& s : old)
        if (!s.key.is_null()) insert_clean(m_slots, s.key, s.hash);
    m_fill = m_used;
    ++m_layout;
    changed();
}

void SetTable::grow_if_full() {
    // CPython grows when live plus deleted slots reach 60% of the table: by 4x while the
    // set is small, by 2x once it is large, to bound the memory of huge sets.
    if (m_fill * 5 < mask() * 3) return;
    resize(m_used > 50000 ? m_used * 2 : m_used * 4);
}

void SetTable::presize_for(std::size_t incoming) {
    if ((m_fill + incoming) * 5 >= mask() * 3) resize((m_used + incoming) * 2);
}

void SetTable::remove_at(std::size_t i) {
    assert(is_live(i));
    // Deleted, not empty: a search for a key placed beyond this slot must keep going.
    m_slots[i] = SetSlot{deleted_hash, Value::null()};
    --m_used;
    changed();
}

Value SetTable::pop() {
    assert(m_used > 0);
    std::size_t i = m_finger & mask();
    while (m_slots[i].key.is_null()) i = (i + 1) & mask();
    const Value key = m_slots[i].key;
    remove_at(i);
    m_finger = i + 1;
    return key;
}

void SetTable::compact_if_sparse() {
    if (m_fill - m_used <= mask() / 4) return;
    resize(m_used > 50000 ? m_used * 2 : m_used * 4);
}

void SetTable::clear() {
    m_slots.assign(min_slots, SetSlot{});
    m_slots.shrink_to_fit();
    m_fill = m_used = 0;
    m_finger = 0;
    ++m_layout;
    changed();
}

void SetTable::swap(SetTable& other) {
    std::swap(m_slots, other.m_slots);
    std::swap(m_fill, other.m_fill);
    std::swap(m_used, other.m_used);
    std::swap(m_finger, other.m_finger);
    ++m_layout;
    ++other.m_layout;
    changed();
    other.changed();
}

namespace {

// Spreads a key hash's bits before xor-ing, so that sets of small ints (whose hashes are
// the ints themselves) do not cancel out into equal frozenset hashes.
std::uint64_t shuffle_bits(std::uint64_t h) {
    return ((h ^ 89869747ULL) ^ (h << 16)) * 3644798167ULL;
}

}  // namespace

std::int64_t SetTable::frozenset_hash() const {
    // Xor is commutative, so the hash does not depend on the slot order.
    std::uint64_t hash = 0;
    for (const SetSlot& s : m_slots)
        if (!s.key.is_null()) hash ^= shuffle_bits(static_cast<std::uint64_t>(s.hash));
    // Mix in the size, then disperse patterns that nested frozensets would produce.
    hash ^= (static_cast<std::uint64_t>(m_used) + 1) * 1927868237ULL;
    hash ^= (hash >> 11) ^ (hash >> 25);
    hash = hash * 69069U + 907133923ULL;
    // -1 is not a valid Python hash (it means "error" in CPython's C API).
    if (hash == static_cast<std::uint64_t>(-1)) hash = 590923713ULL;
    return static_cast<std::int64_t>(hash);
}

}  // namespace asy::containers
