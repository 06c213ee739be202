// SetTable: the hash table behind set and frozenset, a faithful copy of CPython 3.11's
// setobject.c layout. Unlike a dict, a set iterates in slot order, not insertion order, so
// `print({3, 1, 2})` shows `{1, 2, 3}` only if the table places keys exactly where CPython
// does: the same probe sequence (a run of linear probes, then perturbed jumps), the same
// growth rule and the same reuse of deleted slots. runtime/objects/set.cpp builds the
// Python types on it; like DictTable it takes hashes from the caller and an equality
// callback that may fail or mutate the table.
#pragma once

#include <cassert>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "runtime/containers/verdict.hpp"
#include "runtime/value.hpp"

namespace asy::containers {

// One slot of the table. Three states, as in CPython: empty (null key, hash 0), deleted
// (null key, hash -1; a search must step over it) and live (a key).
struct SetSlot {
    // The key's Python hash; 0 in an empty slot and -1 in a deleted one.
    std::int64_t hash = 0;
    // The key, or null in an empty or deleted slot.
    Value key;
};

class SetTable {
public:
    enum class Status : std::uint8_t { Found, Missing, Error };
    struct Lookup {
        Status status;
        // The slot holding the key when status is Found.
        std::size_t slot;
    };
    enum class Added : std::uint8_t { Added, Present, Error };

    SetTable();

    // Live keys (len(s)).
    [[nodiscard]] std::size_t size() const { return m_used; }
    // Iterate i in [0, slot_count()) and skip slots that are not live: that is set order.
    [[nodiscard]] std::size_t slot_count() const { return m_slots.size(); }
    [[nodiscard]] const SetSlot& slot(std::size_t i) const { return m_slots[i]; }
    [[nodiscard]] bool is_live(std::size_t i) const { return !m_slots[i].key.is_null(); }
    // Changes whenever keys come or go, for iterators that must notice
    // "Set changed size during iteration" and for the VM's caches.
    [[nodiscard]] std::uint64_t version() const { return m_version; }

    // Looks `key` up; `equal(stored_key, key)` as for DictTable::find.
    template <class Equal>
    [[nodiscard]] Lookup find(Value key, std::int64_t hash, Equal&& equal);
    // s.add(key).
    template <class Equal>
    [[nodiscard]] Added add(Value key, std::int64_t hash, Equal&& equal);
    // s.discard(key): Found if it was there (and is now gone).
    template <class Equal>
    [[nodiscard]] Lookup discard(Value key, std::int64_t hash, Equal&& equal);

    // Adds every key of `other` (set.update with a set): CPython's set_merge, which presizes
    // once and, into an empty table, copies without comparing.
    template <class Equal>
    [[nodiscard]] bool merge(const SetTable& other, Equal&& equal);
    // Before adding `incoming` keys from a dict, grow once as CPython does, so that the
    // resulting slot order matches.
    void presize_for(std::size_t incoming);

    // Deletes the live key in slot `i`.
    void remove_at(std::size_t i);
    // set.pop(): removes and returns a key, scanning on from where the last pop stopped.
    // The table must not be empty.
    Value pop();
    // After many deletions (difference_update), rebuild the table if over a quarter of
    // it is deleted slots, as CPython does.
    void compact_if_sparse();
    // Empties the table back to its smallest size.
    void clear();
    // Exchanges contents with `other` (in-place intersection builds a new table and swaps).
    void swap(SetTable& other);

    // hash(frozenset): CPython's order-independent combination of the key hashes.
    [[nodiscard]] std::int64_t frozenset_hash() const;

    // Calls visit(Value) for every live key, for the garbage collector.
    template <class Visit>
    void trace(Visit&& visit) const {
        for (const SetSlot& s : m_slots)
            if (!s.key.is_null()) visit(s.key);
    }

private:
    // A search first tries this many neighbouring slots (cheap, cache-friendly), then jumps.
    static constexpr std::size_t linear_probes = 9;
    static constexpr unsigned perturb_shift = 5;
    // The smallest table, as CPython's PySet_MINSIZE.
    static constexpr std::size_t min_slots = 8;
    static constexpr std::int64_t deleted_hash = -1;

    [[nodiscard]] std::size_t mask() const { return m_slots.size() - 1; }
    [[nodiscard]] bool is_empty_slot(std::size_t i) const {
        return m_slots[i].key.is_null() && m_slots[i].hash == 0;
    }
    // Rebuilds the table with the smallest power-of-two size above `min_used`.
    void resize(std::size_t min_used);
    // Places a key known to be absent into a table with no deleted slots.
    static void insert_clean(std::vector<SetSlot>& slots, Value key, std::int64_t hash);
    // After a new key took an empty slot: grow when the table is over 60% full.
    void grow_if_full();
    void changed() { m_version = next_set_version(); }
    static std::uint64_t next_set_version();

    std::vector<SetSlot> m_slots;
    // Slots that are live or deleted (CPython's `fill`): only empty slots end a search.
    std::size_t m_fill = 0;
    // Live keys.
    std::size_t m_used = 0;
    // Where the next pop() starts looking (CPython's `finger`).
    std::size_t m_finger = 0;
    std::uint64_t m_version;
    // Changes whenever slot positions may change meaning (resize, clear, swap), so a search
    // interrupted by user code knows to restart.
    std::uint64_t m_layout = 0;
};

// ---- template definitions

template <class Equal>
SetTable::Lookup SetTable::find(Value key, std::int64_t hash, Equal&& equal) {
restart:
    const std::uint64_t layout = m_layout;
    std::size_t m = mask();
    std::uint64_t perturb = static_cast<std::uint64_t>(hash);
    std::size_t i = static_cast<std::size_t>(hash) & m;
    for (;;) {
        // Look at slot i and, while they exist, the linear_probes slots after it.
        std::size_t probes = (i + linear_probes <= m) ? linear_probes : 0;
        std::size_t j = i;
        for (;;) {
            if (is_empty_slot(j)) return {Status::Missing, 0};
            const Value stored = m_slots[j].key;
            if (m_slots[j].hash == hash && !stored.is_null()) {
                if (stored.is(key)) return {Status::Found, j};
                const Verdict verdict = equal(stored, key);
                if (verdict == Verdict::Error) return {Status::Error, 0};
                // A comparison that changed the table: start again.
                if (layout != m_layout || !m_slots[j].key.is(stored)) goto restart;
                if (verdict == Verdict::Yes) return {Status::Found, j};
                m = mask();
            }
            if (probes == 0) break;
            --probes;
            ++j;
        }
        perturb >>= perturb_shift;
        i = (i * 5 + 1 + static_cast<std::size_t>(perturb)) & m;
    }
}

template <class Equal>
SetTable::Added SetTable::add(Value key, std::int64_t hash, Equal&& equal) {
    assert(!key.is_null());
restart:
    const std::uint64_t layout = m_layout;
    std::size_t m = mask();
    std::uint64_t perturb = static_cast<std::uint64_t>(hash);
    std::size_t i = static_cast<std::size_t>(hash) & m;
    // The first deleted slot met on the way: a new key goes there rather than further on.
    std::size_t free_slot = 0;
    bool have_free_slot = false;
    for (;;) {
        std::size_t probes = (i + linear_probes <= m) ? linear_probes : 0;
        std::size_t j = i;
        for (;;) {
            if (is_empty_slot(j)) {
                if (have_free_slot) {
                    m_slots[free_slot] = SetSlot{hash, key};
                    ++m_used;
                    changed();
                    return Added::Added;
                }
                m_slots[j] = SetSlot{hash, key};
                ++m_fill;
                ++m_used;
                changed();
                grow_if_full();
                return Added::Added;
            }
            const Value stored = m_slots[j].key;
            if (m_slots[j].hash == hash && !stored.is_null()) {
                if (stored.is(key)) return Added::Present;
                const Verdict verdict = equal(stored, key);
                if (verdict == Verdict::Yes) return Added::Present;
                if (verdict == Verdict::Error) return Added::Error;
                if (layout != m_layout || !m_slots[j].key.is(stored)) goto restart;
                m = mask();
            } else if (stored.is_null() && m_slots[j].hash == deleted_hash && !have_free_slot) {
                free_slot = j;
                have_free_slot = true;
            }
            if (probes == 0) break;
            --probes;
            ++j;
        }
        perturb >>= perturb_shift;
        i = (i * 5 + 1 + static_cast<std::size_t>(perturb)) & m;
    }
}

template <class Equal>
SetTable::Lookup SetTable::discard(Value key, std::int64_t hash, Equal&& equal) {
    const Lookup found = find(key, hash, std::forward<Equal>(equal));
    if (found.status == Status::Found) remove_at(found.slot);
    return found;
}

template <class Equal>
bool SetTable::merge(const SetTable& other, Equal&& equal) {
    if (&other == this || other.m_used == 0) return true;
    // One big resize first, expecting few keys in common.
    if ((m_fill + other.m_used) * 5 >= mask() * 3) resize((m_used + other.m_used) * 2);

    // Into an empty table of the same size with nothing deleted: copy slot for slot.
    if (m_fill == 0 && m_slots.size() == other.m_slots.size() && other.m_fill == other.m_used) {
        m_slots = other.m_slots;
        m_fill = other.m_fill;
        m_used = other.m_used;
        changed();
        return true;
    }
    // Into an empty table: the keys are distinct, so place them without comparing.
    if (m_fill == 0) {
        for (const SetSlot& s : other.m_slots)
            if (!s.key.is_null()) insert_clean(m_slots, s.key, s.hash);
        m_fill = m_used = other.m_used;
        changed();
        return true;
    }
    // Otherwise add one by one. `equal` may mutate `other`, so re-read its size and copy
    // each slot before using it.
    for (std::size_t i = 0; i < other.m_slots.size(); ++i) {
        const SetSlot s = other.m_slots[i];
        if (s.key.is_null()) continue;
        if (add(s.key, s.hash, equal) == Added::Error) return false;
    }
    return true;
}

}  // namespace asy::containers
