// Tests for runtime/containers/slice_math.hpp. Expected values are CPython 3.11's
// slice(a, b, c).indices(n) and range results.
#include <catch2/catch.hpp>

#include <optional>

#include "runtime/containers/slice_math.hpp"

using namespace asy::containers;

namespace {

struct Case {
    std::optional<std::int64_t> start, stop, step;
    std::int64_t length;
    SliceIndices expected;
};

constexpr std::int64_t big = std::int64_t{1} << 62;

}  // namespace

TEST_CASE("adjust_slice matches slice.indices", "[slice_math]") {
    const std::optional<std::int64_t> none;
    const Case cases[] = {
        {none, none, none, 10, {0, 10, 1, 10}},
        {2, 5, none, 10, {2, 5, 1, 3}},
        {none, none, 3, 10, {0, 10, 3, 4}},
        {none, none, -1, 10, {9, -1, -1, 10}},
        {-3, none, none, 10, {7, 10, 1, 3}},
        {none, -7, none, 10, {0, 3, 1, 3}},
        {7, 2, -2, 10, {7, 2, -2, 3}},
        {-100, 100, none, 10, {0, 10, 1, 10}},
        {100, -100, -1, 10, {9, -1, -1, 10}},
        {none, none, -2, 0, {-1, -1, -2, 0}},
        {5, none, -1, 3, {2, -1, -1, 3}},
        {-1, -100, -3, 10, {9, -1, -3, 4}},
        {3, 3, none, 10, {3, 3, 1, 0}},
        {none, none, big, 10, {0, 10, big, 1}},
        {none, none, -ssize_max, 10, {9, -1, -ssize_max, 1}},
        {none, none, 1, 0, {0, 0, 1, 0}},
        {-2, none, -1, 5, {3, -1, -1, 4}},
    };
    for (const Case& c : cases) {
        const auto got = adjust_slice(SliceSpec{c.start, c.stop, c.step}, c.length);
        REQUIRE(got);
        CHECK(got->start == c.expected.start);
        CHECK(got->stop == c.expected.stop);
        CHECK(got->step == c.expected.step);
        CHECK(got->length == c.expected.length);
    }
    // The most negative step is clamped so that -step exists.
    CHECK(adjust_slice(SliceSpec{none, none, ssize_min}, 10)->step == -ssize_max);
    CHECK_FALSE(adjust_slice(SliceSpec{1, 2, 0}, 10));
}

TEST_CASE("range length, items, membership and index", "[slice_math]") {
    const RangeSpec r{10, 0, -3};  // 10, 7, 4, 1
    CHECK(range_length(r) == 4);
    CHECK(range_item(r, 3) == 1);
    CHECK(range_contains(r, 7));
    CHECK_FALSE(range_contains(r, 3));
    CHECK_FALSE(range_contains(r, 0));
    CHECK(range_index(r, 4) == 2);
    CHECK(range_length(RangeSpec{5, 5, 1}) == 0);
    CHECK(range_length(RangeSpec{5, 0, 1}) == 0);
    CHECK(range_length(RangeSpec{-5, 5, 2}) == 5);
    // The widest int64 range: its length needs all 64 bits.
    CHECK(range_length(RangeSpec{ssize_min, ssize_max, 1}) == ~std::uint64_t{0});
    CHECK(range_item(RangeSpec{ssize_min, ssize_max, 1}, ~std::uint64_t{0} - 1) == ssize_max - 1);
}

TEST_CASE("range slicing matches CPython", "[slice_math]") {
    const std::optional<std::int64_t> none;
    auto slice = [](RangeSpec r, SliceSpec s) {
        const auto indices = adjust_slice(s, static_cast<std::int64_t>(range_length(r)));
        return range_slice(r, *indices);
    };
    auto same = [](std::optional<RangeSpec> got, RangeSpec want) {
        return got && got->start == want.start && got->stop == want.stop && got->step == want.step;
    };
    CHECK(same(slice({0, 10, 1}, {2, 8, 2}), {2, 8, 2}));
    CHECK(same(slice({0, 10, 1}, {none, none, -1}), {9, -1, -1}));
    CHECK(same(slice({0, 10, 3}, {2, 8, 2}), {6, 12, 6}));
    CHECK(same(slice({10, 0, -3}, {none, none, -1}), {1, 13, 3}));
    CHECK(same(slice({5, 5, 1}, {none, none, -1}), {4, 4, -1}));
    CHECK(same(slice({0, -10, -1}, {none, none, -1}), {-9, 1, 1}));
    // Bounds beyond int64 are reported, not wrapped.
    CHECK_FALSE(slice({ssize_min, ssize_max, big}, {none, none, none}));
}
