// DictTable: the insertion-ordered hash table behind dict, laid out like CPython's compact
// dict. It knows nothing of Python objects: callers hash the key first and pass an equality
// callback, which may run user code, fail, or even mutate this very table. runtime/objects/
// dict.cpp builds the Python type on it; the VM's global-name caches use its versions.
//
// Layout: a dense `entries` array in insertion order ({hash, key, value}; a deleted entry
// keeps its place with a null key until the next resize compacts it away), and a sparse
// power-of-two `slots` array of entry indices searched by open addressing with CPython's
// perturbed probe sequence. Iteration walks `entries`, so order is insertion order.
#pragma once

#include <cassert>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "runtime/containers/verdict.hpp"
#include "runtime/value.hpp"

namespace asy::containers {

// One key/value pair of a dict, in insertion order.
struct DictEntry {
    // The key's Python hash, computed once when the pair is stored and never again.
    std::int64_t hash = 0;
    // The key; null marks a pair deleted since the last compaction.
    Value key;
    // The value stored under the key.
    Value value;
};

// A fresh number for every change of any table, so that a version seen once never
// comes back: a cache that remembers (table, version) can never be fooled by ABA.
std::uint64_t next_table_version();

class DictTable {
public:
    // What find() learned.
    enum class Status : std::uint8_t { Found, Missing, Error };
    struct Lookup {
        Status status;
        // The entry index of the key when status is Found.
        std::size_t index;
    };
    // What store() did.
    enum class Stored : std::uint8_t { Inserted, Replaced, Error };

    DictTable();

    // The number of live pairs (len(d)).
    [[nodiscard]] std::size_t size() const { return m_used; }
    // The number of entry positions, deleted ones included: iterate i in [0, entry_count())
    // and skip entries whose key is null.
    [[nodiscard]] std::size_t entry_count() const { return m_entries.size(); }
    [[nodiscard]] const DictEntry& entry(std::size_t index) const { return m_entries[index]; }
    [[nodiscard]] bool is_live(std::size_t index) const { return !m_entries[index].key.is_null(); }

    // Changes on every mutation: insertion, deletion, a stored value, clear, resize.
    [[nodiscard]] std::uint64_t version() const { return m_version; }
    // Changes only when keys come or go or entries move (insertion of a new key, deletion,
    // clear, compaction), not when a value is overwritten. An entry index remembered together
    // with keys_version() stays valid while it is unchanged, so a global-name cache can keep
    // the index and read the current value through value_at().
    [[nodiscard]] std::uint64_t keys_version() const { return m_keys_version; }
    [[nodiscard]] Value value_at(std::size_t index) const { return m_entries[index].value; }

    // Looks `key` (whose hash is `hash`) up. `equal(stored_key, key)` is asked only about a
    // stored key with the same hash that is not the very same Value; it may run user code,
    // which may fail (Error is returned at once) or mutate this table (the search then starts
    // over, as CPython's does). `equal` must keep its arguments alive across a collection.
    template <class Equal>
    [[nodiscard]] Lookup find(Value key, std::int64_t hash, Equal&& equal);

    // d[key] = value: replaces the value of an equal key, or appends a new pair.
    template <class Equal>
    [[nodiscard]] Stored store(Value key, std::int64_t hash, Value value, Equal&& equal);

    // Appends a pair whose key the caller knows is absent (a fresh copy of another dict, or
    // right after find() said Missing with no user code run since). No comparisons happen.
    void append_new(Value key, std::int64_t hash, Value value);
    // Overwrites the value of the live entry at `index`.
    void set_value(std::size_t index, Value value);
    // Deletes the live entry at `index` (found by find()).
    void erase(std::size_t index);
    // Removes and returns the newest pair (dict.popitem is LIFO). The table must not be empty.
    DictEntry pop_last();
    // Removes everything and returns to the smallest size.
    void clear();
    // Makes room for `count` live pairs without further resizes (dict.copy, fromkeys).
    void reserve(std::size_t count);

    // Calls visit(Value) for every live key and value, for the garbage collector.
    template <class Visit>
    void trace(Visit&& visit) const {
        for (const DictEntry& e : m_entries) {
            if (e.key.is_null()) continue;
            visit(e.key);
            visit(e.value);
        }
    }

private:
    // Slot contents other than an entry index: never used, or used once and since deleted.
    // A search stops at Empty but must step over Deleted, whose key may have collided.
    static constexpr std::int64_t slot_empty = -1;
    static constexpr std::int64_t slot_deleted = -2;
    // CPython's probe: the slot sequence depends on every bit of the hash, five at a time.
    static constexpr unsigned perturb_shift = 5;
    // The smallest slots array; a dict is never smaller.
    static constexpr std::size_t min_slots = 8;

    // At most two thirds of the slots hold entries, keeping probe sequences short.
    static std::size_t usable_for(std::size_t slot_count) { return slot_count * 2 / 3; }

    [[nodiscard]] std::size_t mask() const { return m_slots.size() - 1; }
    // Finds the slot holding entry `index` (which must be present).
    [[nodiscard]] std::size_t slot_of(std::int64_t hash, std::size_t index) const;
    // Finds an empty or deleted slot for a new key; there always is one.
    [[nodiscard]] std::size_t free_slot(std::int64_t hash) const;
    // Rebuilds the slots for at least `min_used` pairs, dropping deleted entries.
    void resize(std::size_t min_used);
    void bump_versions(bool keys_changed);

    // Entry indices (or slot_empty / slot_deleted), a power of two long. int64 keeps one code
    // path; the memory it costs over CPython's 1-8 byte slots is small beside the entries.
    std::vector<std::int64_t> m_slots;
    // The pairs in insertion order, deleted ones (null key) included until compaction.
    std::vector<DictEntry> m_entries;
    // How many entries may be appended before the slots must grow.
    std::size_t m_usable = 0;
    // Live pairs.
    std::size_t m_used = 0;
    std::uint64_t m_version;
    std::uint64_t m_keys_version;
    // Changes whenever an entry index may come to mean another pair (resize, clear,
    // pop_last): a lookup interrupted by user code compares it to know it must restart.
    std::uint64_t m_layout = 0;
};

// ---- template definitions

template <class Equal>
DictTable::Lookup DictTable::find(Value key, std::int64_t hash, Equal&& equal) {
restart:
    const std::uint64_t layout = m_layout;
    std::size_t m = mask();
    std::uint64_t perturb = static_cast<std::uint64_t>(hash);
    std::size_t i = static_cast<std::size_t>(hash) & m;
    for (;;) {
        const std::int64_t ix = m_slots[i];
        if (ix == slot_empty) return {Status::Missing, 0};
        if (ix >= 0) {
            const std::size_t index = static_cast<std::size_t>(ix);
            // Copies, not references: `equal` may reallocate m_entries.
            const Value stored = m_entries[index].key;
            // The same Value is the same key: no comparison, as Python's `is` shortcut.
            if (stored.is(key)) return {Status::Found, index};
            if (m_entries[index].hash == hash && !stored.is_null()) {
                const Verdict verdict = equal(stored, key);
                if (verdict == Verdict::Error) return {Status::Error, 0};
                // If the comparison changed the table under us, the slot we stand on may
                // mean something else now: start the search again from the top.
                if (layout != m_layout || index >= m_entries.size() || !m_entries[index].key.is(stored))
                    goto restart;
                if (verdict == Verdict::Yes) return {Status::Found, index};
                m = mask();
            }
        }
        perturb >>= perturb_shift;
        i = (i * 5 + static_cast<std::size_t>(perturb) + 1) & m;
    }
}

template <class Equal>
DictTable::Stored DictTable::store(Value key, std::int64_t hash, Value value, Equal&& equal) {
    const Lookup found = find(key, hash, std::forward<Equal>(equal));
    switch (found.status) {
    case Status::Error:
        return Stored::Error;
    case Status::Found:
        // Python keeps the first key and replaces only the value: {1: 'a', 1.0: 'b'} is {1: 'b'}.
        set_value(found.index, value);
        return Stored::Replaced;
    case Status::Missing:
        break;
    }
    append_new(key, hash, value);
    return Stored::Inserted;
}

}  // namespace asy::containers
