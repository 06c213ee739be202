// Tests for runtime/containers/stable_sort.hpp: stability (also with reverse), agreement
// with std::stable_sort, the comparison order CPython uses first, and safety when the
// comparison fails or contradicts itself.
#include <catch2/catch.hpp>

#include <algorithm>
#include <random>
#include <utility>
#include <vector>

#include "runtime/containers/stable_sort.hpp"

using asy::containers::stable_sort;
using asy::containers::Verdict;

namespace {

// An item sorted by `key`; `tag` records the original position to observe stability.
struct Item {
    int key;
    int tag;
    bool operator==(const Item&) const = default;
};

Verdict by_key(const Item& a, const Item& b) { return a.key < b.key ? Verdict::Yes : Verdict::No; }

std::vector<Item> random_items(std::mt19937& rng, std::size_t n, int distinct) {
    std::vector<Item> items;
    for (std::size_t i = 0; i < n; ++i) items.push_back(Item{static_cast<int>(rng() % distinct), static_cast<int>(i)});
    return items;
}

std::vector<int> tags(const std::vector<Item>& items) {
    std::vector<int> out;
    for (const Item& i : items) out.push_back(i.tag);
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace

TEST_CASE("stable_sort agrees with std::stable_sort", "[stable_sort]") {
    std::mt19937 rng(42);
    std::vector<Item> scratch;
    for (std::size_t n : {0, 1, 2, 3, 10, 63, 64, 65, 100, 257, 1000, 5000}) {
        for (int distinct : {2, 10, 1000000}) {
            auto items = random_items(rng, n, distinct);
            auto expected = items;
            std::stable_sort(expected.begin(), expected.end(), [](const Item& a, const Item& b) { return a.key < b.key; });
            REQUIRE(stable_sort(std::span<Item>(items), scratch, by_key));
            CHECK(items == expected);
        }
    }
}

TEST_CASE("stable_sort handles runs: ascending, descending, sawtooth", "[stable_sort]") {
    std::vector<Item> scratch;
    std::vector<Item> items;
    for (int i = 0; i < 3000; ++i) items.push_back(Item{(i % 500 < 250) ? i % 250 : 500 - i % 500, i});
    auto expected = items;
    std::stable_sort(expected.begin(), expected.end(), [](const Item& a, const Item& b) { return a.key < b.key; });
    REQUIRE(stable_sort(std::span<Item>(items), scratch, by_key));
    CHECK(items == expected);
}

TEST_CASE("stable_sort with reverse keeps equal items in original order", "[stable_sort]") {
    // sorted([(1,'a'), (0,'b'), (1,'c'), (0,'d')], key=first, reverse=True) in CPython:
    // [(1,'a'), (1,'c'), (0,'b'), (0,'d')].
    std::vector<Item> items{{1, 0}, {0, 1}, {1, 2}, {0, 3}};
    std::vector<Item> scratch;
    REQUIRE(stable_sort(std::span<Item>(items), scratch, by_key, true));
    CHECK(items == std::vector<Item>{{1, 0}, {1, 2}, {0, 1}, {0, 3}});
}

TEST_CASE("stable_sort asks CPython's first question first", "[stable_sort]") {
    // sorted([1, 'a', 2]) fails with "'<' not supported between instances of 'str' and
    // 'int'": the first comparison is items[1] < items[0].
    std::vector<int> items{10, 20, 30};
    std::vector<int> scratch;
    std::vector<std::pair<int, int>> asked;
    auto record = [&](int a, int b) {
        asked.emplace_back(a, b);
        return Verdict::Error;
    };
    CHECK_FALSE(stable_sort(std::span<int>(items), scratch, record));
    REQUIRE(asked.size() == 1);
    CHECK(asked[0] == std::pair<int, int>{20, 10});
    CHECK(items == std::vector<int>{10, 20, 30});
}

TEST_CASE("stable_sort stops at an error and keeps a permutation", "[stable_sort]") {
    std::mt19937 rng(7);
    std::vector<Item> scratch;
    for (int fail_after : {0, 1, 5, 50, 500, 5000, 20000}) {
        auto items = random_items(rng, 3000, 100);
        int calls = 0;
        bool called_after_error = false;
        auto failing = [&](const Item& a, const Item& b) {
            if (calls > fail_after) called_after_error = true;
            if (calls++ == fail_after) return Verdict::Error;
            return by_key(a, b);
        };
        CHECK_FALSE(stable_sort(std::span<Item>(items), scratch, failing));
        CHECK_FALSE(called_after_error);
        std::vector<int> all(3000);
        for (int i = 0; i < 3000; ++i) all[i] = i;
        CHECK(tags(items) == all);
    }
}

TEST_CASE("stable_sort survives an inconsistent comparison", "[stable_sort]") {
    std::mt19937 rng(99);
    std::vector<Item> scratch;
    for (std::size_t n : {5, 64, 200, 4000}) {
        auto items = random_items(rng, n, 50);
        auto coin = [&](const Item&, const Item&) { return rng() % 2 ? Verdict::Yes : Verdict::No; };
        REQUIRE(stable_sort(std::span<Item>(items), scratch, coin));
        std::vector<int> all(n);
        for (std::size_t i = 0; i < n; ++i) all[i] = static_cast<int>(i);
        CHECK(tags(items) == all);
    }
}
