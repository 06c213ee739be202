// The hash table behind dict and every namespace (objects/dict.hpp): insertion-ordered
// entries plus an open-addressing index, as CPython's compact dict. Lookups hash the key once
// and compare by identity before calling __eq__. The dict type's Python methods are in dict.cpp.
#include "runtime/objects/dict.hpp"

#include "runtime/ops.hpp"
#include "runtime/objects/str.hpp"
#include "runtime/vm.hpp"

namespace asy {

Dict* new_dict(VM& vm) { return vm.heap().allocate<Dict>(vm.types().dict); }

void dict_trace(Object* self, Tracer& tracer) {
    for (const DictEntry& entry : static_cast<Dict*>(self)->entries) {
        tracer.mark(entry.key);
        tracer.mark(entry.value);
    }
}

// Rebuilds the index for at least `live` entries, dropping deleted entries.
static void rebuild(Dict* dict, std::size_t live) {
    std::vector<DictEntry> compacted;
    compacted.reserve(live + 1);
    for (const DictEntry& entry : dict->entries)
        if (!entry.key.is_null()) compacted.push_back(entry);
    dict->entries = std::move(compacted);
    // Keep the table at most 2/3 full.
    std::size_t size = 8;
    while (size * 2 < (live + 1) * 3) size *= 2;
    dict->index.assign(size, Dict::empty_slot);
    const std::size_t mask = size - 1;
    for (std::size_t i = 0; i < dict->entries.size(); ++i) {
        std::size_t slot = static_cast<std::uint64_t>(dict->entries[i].hash) & mask;
        while (dict->index[slot] != Dict::empty_slot) slot = (slot + 1) & mask;
        dict->index[slot] = static_cast<std::int32_t>(i);
    }
}

namespace {

// Result of probing for a key: the index slot where it is or where it would go.
struct Probe {
    std::size_t slot = 0;      // index slot holding the entry, or the slot to insert into
    std::int32_t entry = -1;   // position in entries, or -1 when absent
    bool error = false;        // __eq__ raised
};

// Key equality with identity first and a fast path for two strs.
int keys_equal(VM& vm, Value a, Value b) {
    if (a.is(b)) return 1;
    if (a.is_object() && b.is_object() && a.as_object()->type == vm.types().str &&
        b.as_object()->type == vm.types().str)
        return string_equals(static_cast<String*>(a.as_object()), static_cast<String*>(b.as_object()));
    if (a.is_small_int() && b.is_small_int()) return 0;
    Truth t = ops::equals(vm, a, b);
    return t == Truth::Error ? -1 : static_cast<int>(t);
}

Probe probe(VM& vm, Dict* dict, Value key, std::int64_t hash) {
    Probe result;
    if (dict->index.empty()) return result;
    const std::size_t mask = dict->index.size() - 1;
    std::size_t slot = static_cast<std::uint64_t>(hash) & mask;
    std::size_t first_deleted = SIZE_MAX;
    // The dict may change while __eq__ runs; remember its shape to notice.
    const std::uint64_t version = dict->version;
    while (true) {
        std::int32_t position = dict->index[slot];
        if (position == Dict::empty_slot) {
            result.slot = first_deleted != SIZE_MAX ? first_deleted : slot;
            return result;
        }
        if (position == Dict::deleted_slot) {
            if (first_deleted == SIZE_MAX) first_deleted = slot;
        } else {
            const DictEntry& entry = dict->entries[static_cast<std::size_t>(position)];
            if (entry.hash == hash) {
                int equal = keys_equal(vm, entry.key, key);
                if (equal < 0) {
                    result.error = true;
                    return result;
                }
                if (dict->version != version) {
                    // Mutated by __eq__: start again (CPython restarts the lookup too).
                    return probe(vm, dict, key, hash);
                }
                if (equal) {
                    result.slot = slot;
                    result.entry = position;
                    return result;
                }
            }
        }
        slot = (slot + 1) & mask;
    }
}

}  // namespace

static bool hash_key(VM& vm, Value key, std::int64_t& hash) {
    if (key.is_object() && key.as_object()->type == vm.types().str) {
        hash = string_hash(static_cast<String*>(key.as_object()));
        return true;
    }
    return ops::hash(vm, key, hash);
}

Value dict_get(VM& vm, Dict* dict, Value key) {
    std::int64_t hash;
    if (!hash_key(vm, key, hash)) return Value::null();
    Probe p = probe(vm, dict, key, hash);
    if (p.error || p.entry < 0) return Value::null();
    return dict->entries[static_cast<std::size_t>(p.entry)].value;
}

static void insert_new(Dict* dict, Value key, Value value, std::int64_t hash) {
    // Grow (or compact away deleted entries) before the index is 2/3 full.
    if ((dict->entries.size() + 1) * 3 > dict->index.size() * 2) rebuild(dict, dict->count + 1);
    const std::size_t mask = dict->index.size() - 1;
    std::size_t slot = static_cast<std::uint64_t>(hash) & mask;
    while (dict->index[slot] >= 0) slot = (slot + 1) & mask;
    dict->index[slot] = static_cast<std::int32_t>(dict->entries.size());
    dict->entries.push_back(DictEntry{key, value, hash});
    ++dict->count;
    ++dict->version;
}

bool dict_set(VM& vm, Dict* dict, Value key, Value value) {
    std::int64_t hash;
    if (!hash_key(vm, key, hash)) return false;
    Probe p = probe(vm, dict, key, hash);
    if (p.error) return false;
    if (p.entry >= 0) {
        dict->entries[static_cast<std::size_t>(p.entry)].value = value;
        ++dict->version;
        return true;
    }
    insert_new(dict, key, value, hash);
    return true;
}

int dict_delete(VM& vm, Dict* dict, Value key) {
    std::int64_t hash;
    if (!hash_key(vm, key, hash)) return -1;
    Probe p = probe(vm, dict, key, hash);
    if (p.error) return -1;
    if (p.entry < 0) return 0;
    dict->index[p.slot] = Dict::deleted_slot;
    DictEntry& entry = dict->entries[static_cast<std::size_t>(p.entry)];
    entry.key = Value::null();
    entry.value = Value::null();
    --dict->count;
    ++dict->version;
    // Trailing deleted entries can simply go, which keeps popitem-style use compact.
    // (Safe because no index slot refers to a deleted entry.)
    while (!dict->entries.empty() && dict->entries.back().key.is_null()) {
        dict->entries.pop_back();
    }
    return 1;
}

// Probing for a str key needs no VM: str equality runs no Python code.
static std::int32_t find_str(const Dict* dict, const String* key, std::size_t* slot_out = nullptr) {
    if (dict->index.empty()) return -1;
    const std::int64_t hash = string_hash(key);
    const std::size_t mask = dict->index.size() - 1;
    std::size_t slot = static_cast<std::uint64_t>(hash) & mask;
    while (true) {
        std::int32_t position = dict->index[slot];
        if (position == Dict::empty_slot) return -1;
        if (position >= 0) {
            const DictEntry& entry = dict->entries[static_cast<std::size_t>(position)];
            if (entry.key.is_object() && entry.key.as_object() == key) {
                if (slot_out) *slot_out = slot;
                return position;
            }
            if (entry.hash == hash && entry.key.is_object() && entry.key.as_object()->type == key->type &&
                string_equals(static_cast<const String*>(entry.key.as_object()), key)) {
                if (slot_out) *slot_out = slot;
                return position;
            }
        }
        slot = (slot + 1) & mask;
    }
}

Value dict_get_str(const Dict* dict, const String* key) {
    std::int32_t position = find_str(dict, key);
    return position < 0 ? Value::null() : dict->entries[static_cast<std::size_t>(position)].value;
}

void dict_set_str(VM&, Dict* dict, String* key, Value value) {
    std::int32_t position = find_str(dict, key);
    if (position >= 0) {
        dict->entries[static_cast<std::size_t>(position)].value = value;
        ++dict->version;
        return;
    }
    insert_new(dict, Value::from_object(key), value, string_hash(key));
}

bool dict_delete_str(VM&, Dict* dict, const String* key) {
    std::size_t slot = 0;
    std::int32_t position = find_str(dict, key, &slot);
    if (position < 0) return false;
    dict->index[slot] = Dict::deleted_slot;
    dict->entries[static_cast<std::size_t>(position)].key = Value::null();
    dict->entries[static_cast<std::size_t>(position)].value = Value::null();
    --dict->count;
    ++dict->version;
    return true;
}

void dict_clear(Dict* dict) {
    dict->entries.clear();
    dict->index.clear();
    dict->count = 0;
    ++dict->version;
}

}  // namespace asy
