// Value: every asy value in one 64-bit word (NaN-boxing). Floats are stored as themselves;
// small ints, bools, None and pointers to heap objects live in the payload of quiet NaNs
// that arithmetic never produces. So ints, floats, bools and None cost no allocation, and
// the VM's fast paths test a tag with one comparison.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>

namespace asy {

struct Object;

class Value {
public:
    // Ints in [small_int_min, small_int_max] are stored inline (48-bit payload); larger ones
    // are BigInt heap objects. Arithmetic checks the range and overflows into a BigInt.
    static constexpr std::int64_t small_int_min = -(std::int64_t{1} << 47);
    static constexpr std::int64_t small_int_max = (std::int64_t{1} << 47) - 1;

    // The default Value is null: "no value". It is not a Python value; it marks an empty
    // local slot or cell, a missing entry, and a native function's "an exception is pending"
    // result (see vm.hpp).
    constexpr Value() : m_bits(null_bits) {}

    static constexpr Value null() { return Value(null_bits); }
    static constexpr Value none() { return Value(none_bits); }
    static constexpr Value from_bool(bool b) { return Value(b ? true_bits : false_bits); }
    // Only for ints already known to be in the small range; see fits_small_int.
    static constexpr Value from_small_int(std::int64_t i) {
        return Value(int_tag | (static_cast<std::uint64_t>(i) & payload_mask));
    }
    static Value from_double(double d) {
        std::uint64_t bits = std::bit_cast<std::uint64_t>(d);
        // Every NaN is stored as the one canonical quiet NaN, so no double can collide with a tag.
        if (d != d) bits = canonical_nan_bits;
        return Value(bits);
    }
    static Value from_object(const Object* object) {
        return Value(object_tag | reinterpret_cast<std::uintptr_t>(object));
    }

    static constexpr bool fits_small_int(std::int64_t i) { return i >= small_int_min && i <= small_int_max; }

    [[nodiscard]] constexpr bool is_null() const { return m_bits == null_bits; }
    [[nodiscard]] constexpr bool is_none() const { return m_bits == none_bits; }
    [[nodiscard]] constexpr bool is_bool() const { return m_bits == true_bits || m_bits == false_bits; }
    [[nodiscard]] constexpr bool is_true() const { return m_bits == true_bits; }
    [[nodiscard]] constexpr bool is_false() const { return m_bits == false_bits; }
    [[nodiscard]] constexpr bool is_small_int() const { return (m_bits & tag_mask) == int_tag; }
    [[nodiscard]] constexpr bool is_double() const { return (m_bits & nan_box_mask) != nan_box_mask; }
    [[nodiscard]] constexpr bool is_object() const { return (m_bits & tag_mask) == object_tag; }

    [[nodiscard]] constexpr bool as_bool() const { return m_bits == true_bits; }
    [[nodiscard]] constexpr std::int64_t as_small_int() const {
        // Shift the 48-bit payload to the top and back down to sign-extend it.
        return static_cast<std::int64_t>(m_bits << 16) >> 16;
    }
    [[nodiscard]] double as_double() const { return std::bit_cast<double>(m_bits); }
    [[nodiscard]] Object* as_object() const {
        return reinterpret_cast<Object*>(static_cast<std::uintptr_t>(m_bits & payload_mask));
    }

    // Identity, as Python's `is`: same bits. (Equal floats are `is`-identical here, which
    // CPython does not promise either way.)
    [[nodiscard]] constexpr bool is(Value other) const { return m_bits == other.m_bits; }
    [[nodiscard]] constexpr std::uint64_t bits() const { return m_bits; }

private:
    explicit constexpr Value(std::uint64_t bits) : m_bits(bits) {}

    // A double is any bit pattern whose top 13 bits are not all ones with the sign set;
    // those patterns (negative quiet NaNs) are ours, told apart by the next 3 bits.
    static constexpr std::uint64_t nan_box_mask = 0xFFF8'0000'0000'0000;
    static constexpr std::uint64_t tag_mask = 0xFFFF'0000'0000'0000;
    static constexpr std::uint64_t payload_mask = 0x0000'FFFF'FFFF'FFFF;
    static constexpr std::uint64_t object_tag = 0xFFF9'0000'0000'0000;
    static constexpr std::uint64_t int_tag = 0xFFFA'0000'0000'0000;
    static constexpr std::uint64_t special_tag = 0xFFFB'0000'0000'0000;
    static constexpr std::uint64_t null_bits = special_tag | 0;
    static constexpr std::uint64_t none_bits = special_tag | 1;
    static constexpr std::uint64_t false_bits = special_tag | 2;
    static constexpr std::uint64_t true_bits = special_tag | 3;
    // The positive quiet NaN that every NaN result is folded into.
    static constexpr std::uint64_t canonical_nan_bits = 0x7FF8'0000'0000'0000;

    std::uint64_t m_bits;
};

static_assert(sizeof(Value) == 8, "a Value is one machine word");
static_assert(sizeof(void*) == 8, "NaN-boxing needs 64-bit pointers");

}  // namespace asy
