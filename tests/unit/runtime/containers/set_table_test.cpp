// Tests for runtime/containers/set_table.hpp. The expected orders were printed by
// CPython 3.11 (`list(s)` for the same operations on small ints): a set iterates in slot
// order, so matching them shows that the table places keys exactly as CPython does.
#include <catch2/catch.hpp>

#include <vector>

#include "runtime/containers/set_table.hpp"

using asy::Value;
using asy::containers::SetTable;
using asy::containers::Verdict;

namespace {

Value num(std::int64_t i) { return Value::from_small_int(i); }
std::int64_t hash_of(std::int64_t i) { return i == -1 ? -2 : i; }
Verdict same_int(Value a, Value b) { return a.as_small_int() == b.as_small_int() ? Verdict::Yes : Verdict::No; }

void add(SetTable& s, std::int64_t k) { REQUIRE(s.add(num(k), hash_of(k), same_int) != SetTable::Added::Error); }
void discard(SetTable& s, std::int64_t k) { (void)s.discard(num(k), hash_of(k), same_int); }

std::vector<std::int64_t> order(const SetTable& s) {
    std::vector<std::int64_t> keys;
    for (std::size_t i = 0; i < s.slot_count(); ++i)
        if (s.is_live(i)) keys.push_back(s.slot(i).key.as_small_int());
    return keys;
}

}  // namespace

TEST_CASE("set table order matches CPython after adds and growth", "[set_table]") {
    SetTable s;
    for (std::int64_t k : {5, 13, 21, 29, 37, 3, 100, 8, 16, 24}) add(s, k);
    CHECK(order(s) == std::vector<std::int64_t>{3, 100, 37, 5, 8, 13, 16, 21, 24, 29});
    // Deleted slots are reused by the next key that probes past them.
    discard(s, 13);
    discard(s, 3);
    add(s, 45);
    add(s, 13);
    CHECK(order(s) == std::vector<std::int64_t>{100, 37, 5, 8, 45, 13, 16, 21, 24, 29});
    CHECK(s.size() == 10);
}

TEST_CASE("set table order matches CPython for a larger set", "[set_table]") {
    SetTable s;
    for (std::int64_t k = 0; k < 200; k += 7) add(s, k);
    CHECK(order(s) == std::vector<std::int64_t>{0, 133, 7, 140, 14, 147, 21, 154, 28, 161, 35, 168, 42, 175, 49,
                                                182, 56, 189, 63, 196, 70, 77, 84, 91, 98, 105, 112, 119, 126});
}

TEST_CASE("set table merge into an empty table matches CPython's copy", "[set_table]") {
    SetTable s;
    for (std::int64_t k : {1, 17, 33, 49, 65}) add(s, k);
    CHECK(order(s) == std::vector<std::int64_t>{65, 1, 33, 49, 17});
    SetTable copy;
    REQUIRE(copy.merge(s, same_int));
    CHECK(order(copy) == std::vector<std::int64_t>{65, 1, 33, 49, 17});
}

TEST_CASE("set table union by merge matches CPython", "[set_table]") {
    SetTable a;
    SetTable b;
    for (std::int64_t k : {1, 2, 3, 4}) add(a, k);
    for (std::int64_t k : {3, 4, 5, 6}) add(b, k);
    SetTable result;
    REQUIRE(result.merge(a, same_int));
    REQUIRE(result.merge(b, same_int));
    CHECK(order(result) == std::vector<std::int64_t>{1, 2, 3, 4, 5, 6});
}

TEST_CASE("set table pop scans from a finger as CPython does", "[set_table]") {
    SetTable s;
    for (std::int64_t x = 0; x < 20; ++x) add(s, x * x);
    std::vector<std::int64_t> popped;
    for (int i = 0; i < 5; ++i) popped.push_back(s.pop().as_small_int());
    CHECK(popped == std::vector<std::int64_t>{0, 1, 256, 4, 9});
    CHECK(order(s) == std::vector<std::int64_t>{16, 144, 25, 289, 36, 169, 49, 64, 196, 324, 81, 225, 100, 361, 121});
}

TEST_CASE("frozenset hash matches CPython", "[set_table]") {
    SetTable empty;
    CHECK(empty.frozenset_hash() == 133146708735736);
    SetTable one;
    add(one, 1);
    CHECK(one.frozenset_hash() == -558064481276695278);
    SetTable three;
    for (std::int64_t k : {1, 2, 3}) add(three, k);
    CHECK(three.frozenset_hash() == -272375401224217160);
    SetTable hundred;
    for (std::int64_t k = 0; k < 100; ++k) add(hundred, k);
    CHECK(hundred.frozenset_hash() == 4411996150312757951);
}

TEST_CASE("set table handles failing and mutating comparisons", "[set_table]") {
    SetTable s;
    (void)s.add(num(1), 42, same_int);
    auto failing = [](Value, Value) { return Verdict::Error; };
    CHECK(s.add(num(2), 42, failing) == SetTable::Added::Error);
    CHECK(s.find(num(2), 42, failing).status == SetTable::Status::Error);
    CHECK(s.size() == 1);

    bool done = false;
    auto clearing = [&](Value, Value) {
        if (!done) {
            done = true;
            s.clear();
        }
        return Verdict::No;
    };
    CHECK(s.add(num(2), 42, clearing) == SetTable::Added::Added);
    CHECK(order(s) == std::vector<std::int64_t>{2});
}
