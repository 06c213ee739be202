// Tests for runtime/containers/tuple_hash.hpp against hashes printed by CPython 3.11.
#include <catch2/catch.hpp>

#include <initializer_list>

#include "runtime/containers/tuple_hash.hpp"

using asy::containers::TupleHash;

namespace {

std::int64_t hash_tuple(std::initializer_list<std::int64_t> item_hashes) {
    TupleHash h;
    for (std::int64_t item : item_hashes) h.add(item);
    return h.finish(item_hashes.size());
}

}  // namespace

TEST_CASE("tuple hash matches CPython", "[tuple_hash]") {
    CHECK(hash_tuple({}) == 5740354900026072187);
    CHECK(hash_tuple({1}) == -6644214454873602895);
    CHECK(hash_tuple({1, 2}) == -3550055125485641917);
    // hash((1, (2, 3))): the inner tuple's hash is an item hash like any other.
    CHECK(hash_tuple({1, hash_tuple({2, 3})}) == 7267574591690527098);
    // hash(-1) is -2 in Python, so (-1,) hashes as (-2,).
    CHECK(hash_tuple({-2}) == 8078679518589016365);
}
