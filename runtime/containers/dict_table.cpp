// DictTable: the parts of the compact dict that never call back into Python code —
// appending, deleting, growing and compacting. The searches that do call back are
// templates in dict_table.hpp.
#include "runtime/containers/dict_table.hpp"

namespace asy::containers {

std::uint64_t next_table_version() {
    // One counter for all tables, so versions are unique across them. The interpreter
    // is single-threaded; 2^64 changes will not happen.
    static std::uint64_t counter = 0;
    return ++counter;
}

DictTable::DictTable()
    : m_slots(min_slots, slot_empty),
      m_usable(usable_for(min_slots)),
      m_version(next_table_version()),
      m_keys_version(m_version) {}

void DictTable::bump_versions(bool keys_changed) {
    m_version = next_table_version();
    if (keys_changed) m_keys_version = m_version;
}

std::size_t DictTable::slot_of(std::int64_t hash, std::size_t index) const {
    const std::size_t m = mask();
    std::uint64_t perturb = static_cast<std::uint64_t>(hash);
    std::size_t i = static_cast<std::size_t>(hash) & m;
    // The entry was placed somewhere along its own probe sequence, so following the same
    // sequence reaches it before any empty slot.
    while (m_slots[i] != static_cast<std::int64_t>(index)) {
        assert(m_slots[i] != slot_empty && "entry missing from its probe sequence");
        perturb >>= perturb_shift;
        i = (i * 5 + static_cast<std::size_t>(perturb) + 1) & m;
    }
    return i;
}

std::size_t DictTable::free_slot(std::int64_t hash) const {
    const std::size_t m = mask();
    std::uint64_t perturb = static_cast<std::uint64_t>(hash);
    std::size_t i = static_cast<std::size_t>(hash) & m;
    // A deleted slot may be reused: searches step over deleted slots, and a new key goes
    // wherever a search for it would look first.
    while (m_slots[i] >= 0) {
        perturb >>= perturb_shift;
        i = (i * 5 + static_cast<std::size_t>(perturb) + 1) & m;
    }
    return i;
}

void DictTable::append_new(Value key, std::int64_t hash, Value value) {
    assert(!key.is_null() && !value.is_null());
    if (m_entries.size() >= m_usable) {
        // Grow by CPython's rule: room for three times the live pairs, so that a dict
        // that only grows resizes rarely and one that churns compacts its deleted entries.
        resize(m_used * 3);
    }
    m_slots[free_slot(hash)] = static_cast<std::int64_t>(m_entries.size());
    m_entries.push_back(DictEntry{hash, key, value});
    ++m_used;
    bump_versions(true);
}

void DictTable::set_value(std::size_t index, Value value) {
    assert(is_live(index) && !value.is_null());
    m_entries[index].value = value;
    bump_versions(false);
}

void DictTable::erase(std::size_t index) {
    assert(is_live(index));
    m_slots[slot_of(m_entries[index].hash, index)] = slot_deleted;
    // The entry keeps its position (iteration order stays put) until the next compaction.
    m_entries[index].key = Value::null();
    m_entries[index].value = Value::null();
    --m_used;
    bump_versions(true);
}

DictEntry DictTable::pop_last() {
    assert(m_used > 0);
    // Deleted entries at the end are dropped on the way to the newest live one.
    while (m_entries.back().key.is_null()) m_entries.pop_back();
    const DictEntry last = m_entries.back();
    m_slots[slot_of(last.hash, m_entries.size() - 1)] = slot_deleted;
    m_entries.pop_back();
    --m_used;
    ++m_layout;
    bump_versions(true);
    return last;
}

void DictTable::clear() {
    m_slots.assign(min_slots, slot_empty);
    m_entries.clear();
    m_entries.shrink_to_fit();
    m_usable = usable_for(min_slots);
    m_used = 0;
    ++m_layout;
    bump_versions(true);
}

void DictTable::reserve(std::size_t count) {
    // After a resize to `count` there is room for `count` live pairs.
    if (count > m_used && count - m_used > m_usable - m_entries.size()) resize(count);
}

void DictTable::resize(std::size_t min_used) {
    // The smallest power of two whose usable two thirds hold min_used pairs.
    std::size_t slot_count = min_slots;
    while (usable_for(slot_count) < min_used) slot_count *= 2;

    // Compact: keep the live entries, in order, and drop the deleted ones.
    std::vector<DictEntry> live;
    live.reserve(usable_for(slot_count));
    for (const DictEntry& e : m_entries)
        if (!e.key.is_null()) live.push_back(e);
    m_entries = std::move(live);

    m_slots.assign(slot_count, slot_empty);
    for (std::size_t index = 0; index < m_entries.size(); ++index)
        m_slots[free_slot(m_entries[index].hash)] = static_cast<std::int64_t>(index);
    m_usable = usable_for(slot_count);
    ++m_layout;
    bump_versions(true);
}

}  // namespace asy::containers
