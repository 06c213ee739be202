// Tests for runtime/containers/dict_table.hpp: insertion order, deletion and reuse, growth,
// and the hard cases — comparisons that fail or mutate the table mid-lookup.
#include <catch2/catch.hpp>

#include <map>
#include <random>
#include <vector>

#include "runtime/containers/dict_table.hpp"

using asy::Value;
using asy::containers::DictTable;
using asy::containers::Verdict;

namespace {

Value num(std::int64_t i) { return Value::from_small_int(i); }
// Python's hash of a small int: the int itself, except that -1 (reserved) becomes -2.
std::int64_t hash_of(std::int64_t i) { return i == -1 ? -2 : i; }

// Small ints are equal exactly when their bits are, so only the identity shortcut should
// ever answer; this comparator counts how often the table asked anyway.
struct CountingEqual {
    int* calls;
    Verdict operator()(Value a, Value b) const {
        ++*calls;
        return a.as_small_int() == b.as_small_int() ? Verdict::Yes : Verdict::No;
    }
};

std::vector<std::int64_t> keys_in_order(const DictTable& t) {
    std::vector<std::int64_t> keys;
    for (std::size_t i = 0; i < t.entry_count(); ++i)
        if (t.is_live(i)) keys.push_back(t.entry(i).key.as_small_int());
    return keys;
}

}  // namespace

TEST_CASE("dict table keeps insertion order and replaces values in place", "[dict_table]") {
    DictTable t;
    int calls = 0;
    for (std::int64_t k : {5, 1, 9, 3}) REQUIRE(t.store(num(k), hash_of(k), num(k * 10), CountingEqual{&calls}) == DictTable::Stored::Inserted);
    REQUIRE(t.store(num(1), hash_of(1), num(111), CountingEqual{&calls}) == DictTable::Stored::Replaced);
    CHECK(keys_in_order(t) == std::vector<std::int64_t>{5, 1, 9, 3});
    const auto found = t.find(num(1), hash_of(1), CountingEqual{&calls});
    REQUIRE(found.status == DictTable::Status::Found);
    CHECK(t.value_at(found.index).as_small_int() == 111);
    CHECK(t.find(num(7), hash_of(7), CountingEqual{&calls}).status == DictTable::Status::Missing);
    // Identical keys never reach the comparator.
    CHECK(calls == 0);
}

TEST_CASE("dict table deletion keeps order and a re-inserted key goes last", "[dict_table]") {
    DictTable t;
    int calls = 0;
    for (std::int64_t k = 0; k < 5; ++k) (void)t.store(num(k), hash_of(k), num(k), CountingEqual{&calls});
    t.erase(t.find(num(2), hash_of(2), CountingEqual{&calls}).index);
    CHECK(t.size() == 4);
    (void)t.store(num(2), hash_of(2), num(2), CountingEqual{&calls});
    CHECK(keys_in_order(t) == std::vector<std::int64_t>{0, 1, 3, 4, 2});
    CHECK(t.pop_last().key.as_small_int() == 2);
    CHECK(t.pop_last().key.as_small_int() == 4);
    CHECK(keys_in_order(t) == std::vector<std::int64_t>{0, 1, 3});
}

TEST_CASE("dict table agrees with std::map over random churn", "[dict_table]") {
    DictTable t;
    std::map<std::int64_t, std::int64_t> model;
    std::mt19937 rng(1234);
    int calls = 0;
    for (int step = 0; step < 20000; ++step) {
        // Keys that collide a lot: multiples of 64 share low bits.
        const std::int64_t k = static_cast<std::int64_t>(rng() % 300) * 64 - 3000;
        const auto found = t.find(num(k), hash_of(k), CountingEqual{&calls});
        if (rng() % 3 == 0) {
            if (found.status == DictTable::Status::Found) t.erase(found.index);
            model.erase(k);
        } else {
            (void)t.store(num(k), hash_of(k), num(step), CountingEqual{&calls});
            model[k] = step;
        }
        REQUIRE(t.size() == model.size());
    }
    for (const auto& [k, v] : model) {
        const auto found = t.find(num(k), hash_of(k), CountingEqual{&calls});
        REQUIRE(found.status == DictTable::Status::Found);
        CHECK(t.value_at(found.index).as_small_int() == v);
    }
}

TEST_CASE("dict table reports a failing comparison", "[dict_table]") {
    DictTable t;
    (void)t.store(num(1), 42, num(1), [](Value, Value) { return Verdict::No; });
    // A different key with the same hash forces a comparison, which fails.
    auto failing = [](Value, Value) { return Verdict::Error; };
    CHECK(t.find(num(2), 42, failing).status == DictTable::Status::Error);
    CHECK(t.store(num(2), 42, num(2), failing) == DictTable::Stored::Error);
    CHECK(t.size() == 1);
}

TEST_CASE("dict table survives a comparison that mutates it", "[dict_table]") {
    DictTable t;
    auto never = [](Value, Value) { return Verdict::No; };
    for (std::int64_t k = 0; k < 4; ++k) (void)t.store(num(k), 7, num(k), never);
    SECTION("cleared mid-lookup") {
        bool done = false;
        auto clearing = [&](Value, Value) {
            if (!done) {
                done = true;
                t.clear();
            }
            return Verdict::No;
        };
        CHECK(t.find(num(99), 7, clearing).status == DictTable::Status::Missing);
        CHECK(t.size() == 0);
    }
    SECTION("grown mid-lookup") {
        bool done = false;
        auto growing = [&](Value, Value) {
            if (!done) {
                done = true;
                for (std::int64_t k = 100; k < 200; ++k) (void)t.store(num(k), k, num(k), never);
            }
            return Verdict::No;
        };
        CHECK(t.find(num(99), 7, growing).status == DictTable::Status::Missing);
        CHECK(t.size() == 104);
    }
    SECTION("the compared key deleted mid-lookup") {
        int calls = 0;
        auto deleting = [&](Value stored, Value) {
            if (++calls == 1) t.erase(t.find(stored, 7, never).index);
            return Verdict::Yes;
        };
        // The first answer is not trusted (its key is gone); the search restarts and finds
        // the next candidate.
        const auto found = t.find(num(99), 7, deleting);
        REQUIRE(found.status == DictTable::Status::Found);
        CHECK(t.size() == 3);
    }
}

TEST_CASE("dict table versions", "[dict_table]") {
    DictTable t;
    auto never = [](Value, Value) { return Verdict::No; };
    const auto v0 = t.version();
    (void)t.store(num(1), 1, num(1), never);
    const auto v1 = t.version();
    const auto k1 = t.keys_version();
    CHECK(v1 != v0);
    (void)t.store(num(1), 1, num(2), never);
    CHECK(t.version() != v1);
    // Overwriting a value keeps entry indices valid, so keys_version stays.
    CHECK(t.keys_version() == k1);
    t.erase(0);
    CHECK(t.keys_version() != k1);
    DictTable other;
    // Versions are unique across tables.
    CHECK(other.version() != t.version());
}
