// Tests of runtime/value.hpp: every kind of value survives the round trip through one word.
#include "runtime/value.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

using asy::Value;

TEST_CASE("small ints keep their value across the whole 48-bit range", "[value]") {
    for (std::int64_t i : {std::int64_t{0}, std::int64_t{1}, std::int64_t{-1}, std::int64_t{123456789},
                           Value::small_int_min, Value::small_int_max}) {
        Value v = Value::from_small_int(i);
        REQUIRE(v.is_small_int());
        REQUIRE_FALSE(v.is_double());
        REQUIRE_FALSE(v.is_object());
        REQUIRE(v.as_small_int() == i);
    }
    REQUIRE_FALSE(Value::fits_small_int(Value::small_int_max + 1));
    REQUIRE_FALSE(Value::fits_small_int(Value::small_int_min - 1));
}

TEST_CASE("doubles are stored as themselves, every NaN as one NaN", "[value]") {
    for (double d : {0.0, -0.0, 1.5, -2.25, 1e308, std::numeric_limits<double>::infinity(),
                     -std::numeric_limits<double>::infinity(), std::numeric_limits<double>::denorm_min()}) {
        Value v = Value::from_double(d);
        REQUIRE(v.is_double());
        REQUIRE_FALSE(v.is_small_int());
        REQUIRE(std::signbit(v.as_double()) == std::signbit(d));
        REQUIRE(v.as_double() == d);
    }
    Value nan = Value::from_double(-std::numeric_limits<double>::quiet_NaN());
    REQUIRE(nan.is_double());
    REQUIRE(std::isnan(nan.as_double()));
}

TEST_CASE("None, bools and null are distinct singletons", "[value]") {
    REQUIRE(Value::none().is_none());
    REQUIRE(Value::from_bool(true).is_true());
    REQUIRE(Value::from_bool(false).is_false());
    REQUIRE(Value().is_null());
    REQUIRE_FALSE(Value::none().is(Value::null()));
    REQUIRE_FALSE(Value::from_bool(false).is(Value::from_small_int(0)));
    REQUIRE_FALSE(Value::none().is_double());
    REQUIRE_FALSE(Value::null().is_object());
}

TEST_CASE("object pointers round-trip", "[value]") {
    alignas(16) static char storage[64];
    auto* object = reinterpret_cast<asy::Object*>(storage);
    Value v = Value::from_object(object);
    REQUIRE(v.is_object());
    REQUIRE(v.as_object() == object);
    REQUIRE_FALSE(v.is_double());
}
