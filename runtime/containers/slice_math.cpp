// Slice and range arithmetic (see slice_math.hpp). Every step follows CPython's rule so
// that out-of-range and negative indices clamp exactly as Python programs expect.
#include "runtime/containers/slice_math.hpp"

namespace asy::containers {

std::int64_t slice_length(std::int64_t start, std::int64_t stop, std::int64_t step) {
    // Differences are taken in uint64: start - stop may not fit in int64.
    if (step < 0) {
        if (stop >= start) return 0;
        const std::uint64_t span = static_cast<std::uint64_t>(start) - static_cast<std::uint64_t>(stop) - 1;
        return static_cast<std::int64_t>(span / (0 - static_cast<std::uint64_t>(step)) + 1);
    }
    if (start >= stop) return 0;
    const std::uint64_t span = static_cast<std::uint64_t>(stop) - static_cast<std::uint64_t>(start) - 1;
    return static_cast<std::int64_t>(span / static_cast<std::uint64_t>(step) + 1);
}

std::optional<SliceIndices> adjust_slice(const SliceSpec& spec, std::int64_t length) {
    std::int64_t step = spec.step.value_or(1);
    if (step == 0) return std::nullopt;
    // -step must be representable, so the most negative step is clamped (as CPython does).
    if (step < -ssize_max) step = -ssize_max;

    // An omitted bound means "from the end the step walks away from".
    std::int64_t start = spec.start ? *spec.start : (step < 0 ? ssize_max : 0);
    std::int64_t stop = spec.stop ? *spec.stop : (step < 0 ? ssize_min : ssize_max);

    // A negative index counts from the end; what is still outside the sequence is clamped
    // to just before the first item or just past the last one, depending on the direction.
    auto adjust = [&](std::int64_t index) {
        if (index < 0) {
            index += length;
            if (index < 0) index = step < 0 ? -1 : 0;
        } else if (index >= length) {
            index = step < 0 ? length - 1 : length;
        }
        return index;
    };
    start = adjust(start);
    stop = adjust(stop);
    return SliceIndices{start, stop, step, slice_length(start, stop, step)};
}

std::uint64_t range_length(const RangeSpec& r) {
    const auto start = static_cast<std::uint64_t>(r.start);
    const auto stop = static_cast<std::uint64_t>(r.stop);
    if (r.step > 0) {
        if (r.start >= r.stop) return 0;
        return (stop - start - 1) / static_cast<std::uint64_t>(r.step) + 1;
    }
    if (r.start <= r.stop) return 0;
    return (start - stop - 1) / (0 - static_cast<std::uint64_t>(r.step)) + 1;
}

std::int64_t range_item(const RangeSpec& r, std::uint64_t index) {
    // Wrapping uint64 arithmetic is exact here because the true result fits in int64.
    return static_cast<std::int64_t>(static_cast<std::uint64_t>(r.start) + index * static_cast<std::uint64_t>(r.step));
}

bool range_contains(const RangeSpec& r, std::int64_t value) {
    std::uint64_t offset;
    std::uint64_t step;
    if (r.step > 0) {
        if (value < r.start || value >= r.stop) return false;
        offset = static_cast<std::uint64_t>(value) - static_cast<std::uint64_t>(r.start);
        step = static_cast<std::uint64_t>(r.step);
    } else {
        if (value > r.start || value <= r.stop) return false;
        offset = static_cast<std::uint64_t>(r.start) - static_cast<std::uint64_t>(value);
        step = 0 - static_cast<std::uint64_t>(r.step);
    }
    // Inside the bounds, the value must also be a whole number of steps from start.
    return offset % step == 0;
}

std::uint64_t range_index(const RangeSpec& r, std::int64_t value) {
    if (r.step > 0)
        return (static_cast<std::uint64_t>(value) - static_cast<std::uint64_t>(r.start)) / static_cast<std::uint64_t>(r.step);
    return (static_cast<std::uint64_t>(r.start) - static_cast<std::uint64_t>(value)) / (0 - static_cast<std::uint64_t>(r.step));
}

namespace {

// a * b in int64, or nullopt on overflow.
std::optional<std::int64_t> checked_mul(std::int64_t a, std::int64_t b) {
    if (a == 0 || b == 0) return 0;
    // -1 is special: -INT64_MIN overflows, and p / -1 below would too.
    if (a == -1) return b == ssize_min ? std::nullopt : std::optional<std::int64_t>(-b);
    if (b == -1) return a == ssize_min ? std::nullopt : std::optional<std::int64_t>(-a);
    // Multiply with wrap-around, then check that dividing undoes it.
    const auto product = static_cast<std::int64_t>(static_cast<std::uint64_t>(a) * static_cast<std::uint64_t>(b));
    if (product / a != b) return std::nullopt;
    return product;
}

// a + b in int64, or nullopt on overflow.
std::optional<std::int64_t> checked_add(std::int64_t a, std::int64_t b) {
    if ((b > 0 && a > ssize_max - b) || (b < 0 && a < ssize_min - b)) return std::nullopt;
    return a + b;
}

// a + b * c in int64, or nullopt on overflow.
std::optional<std::int64_t> add_mul(std::int64_t a, std::int64_t b, std::int64_t c) {
    const auto product = checked_mul(b, c);
    if (!product) return std::nullopt;
    return checked_add(a, *product);
}

}  // namespace

std::optional<RangeSpec> range_slice(const RangeSpec& r, const SliceIndices& indices) {
    // range(start, stop, step)[i:j:k] is range(start + i*step, start + j*step, step*k).
    const auto start = add_mul(r.start, indices.start, r.step);
    const auto stop = add_mul(r.start, indices.stop, r.step);
    const auto step = checked_mul(r.step, indices.step);
    if (!start || !stop || !step) return std::nullopt;
    return RangeSpec{*start, *stop, *step};
}

}  // namespace asy::containers
