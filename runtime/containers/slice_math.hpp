// Slice and range arithmetic, in plain int64 with no Python objects: how `seq[a:b:c]` picks
// indices (CPython's PySlice_Unpack + PySlice_AdjustIndices, also slice.indices), and how a
// range computes its length, items and membership without materialising anything.
// runtime/objects/{slice,range,list,tuple}.cpp turn the Python values into these numbers
// (a huge int bound is clamped by the caller first, as CPython's _PyEval_SliceIndex does).
#pragma once

#include <cstdint>
#include <limits>
#include <optional>

namespace asy::containers {

// Py_ssize_t's range: the bounds that huge slice indices are clamped to.
inline constexpr std::int64_t ssize_max = std::numeric_limits<std::int64_t>::max();
inline constexpr std::int64_t ssize_min = std::numeric_limits<std::int64_t>::min();

// A slice's parts as given: nullopt stands for None (omitted).
struct SliceSpec {
    std::optional<std::int64_t> start;
    std::optional<std::int64_t> stop;
    std::optional<std::int64_t> step;
};

// A slice resolved against a sequence length: the indices start, start+step, ... (length
// of them), all inside the sequence.
struct SliceIndices {
    std::int64_t start;
    std::int64_t stop;
    std::int64_t step;
    std::int64_t length;
};

// Resolves `spec` against a sequence of `length` items. Returns nullopt only when the step
// is zero: the caller raises ValueError("slice step cannot be zero").
[[nodiscard]] std::optional<SliceIndices> adjust_slice(const SliceSpec& spec, std::int64_t length);

// The number of indices start, start+step, ... before reaching stop (step != 0), for
// already-adjusted bounds.
[[nodiscard]] std::int64_t slice_length(std::int64_t start, std::int64_t stop, std::int64_t step);

// Range arithmetic. A range(start, stop, step) with step != 0 and int64 bounds.
struct RangeSpec {
    std::int64_t start;
    std::int64_t stop;
    std::int64_t step;
};

// len(range): always fits in uint64; the caller raises OverflowError
// ("Python int too large to convert to C ssize_t") if it exceeds int64.
[[nodiscard]] std::uint64_t range_length(const RangeSpec& r);
// r[index] for 0 <= index < range_length(r); exact (the result lies between start and stop).
[[nodiscard]] std::int64_t range_item(const RangeSpec& r, std::uint64_t index);
// `value in r`.
[[nodiscard]] bool range_contains(const RangeSpec& r, std::int64_t value);
// r.index(value), for a value that range_contains() accepted.
[[nodiscard]] std::uint64_t range_index(const RangeSpec& r, std::int64_t value);
// r[slice] is another range; nullopt when its bounds overflow int64 (the caller raises
// OverflowError; CPython would use big ints). `indices` is the slice adjusted to len(r).
[[nodiscard]] std::optional<RangeSpec> range_slice(const RangeSpec& r, const SliceIndices& indices);

}  // namespace asy::containers
