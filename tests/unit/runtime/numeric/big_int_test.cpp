// Tests for runtime/numeric/big_int.cpp. Expected values come from CPython 3.11.
#include "runtime/numeric/big_int.hpp"

#include <catch2/catch.hpp>

using asy::numeric::BigInt;

namespace {

BigInt big(const char* text) { return *BigInt::parse(text, 10); }
BigInt two_to(unsigned n) { return BigInt::pow(BigInt(2), n); }

} // namespace

TEST_CASE("BigInt converts to and from int64 and strings", "[big_int]") {
    BigInt x(-42);
    CHECK(x.fits_int64());
    CHECK(x.to_int64() == -42);
    CHECK(two_to(100).to_string() == "1267650600228229401496703205376");
    CHECK(two_to(80).to_string(16) == "100000000000000000000");
    CHECK(BigInt(-255).to_string(16) == "-ff");
    CHECK(BigInt(5).to_string(2) == "101");
    CHECK(BigInt(8).to_string(8) == "10");
    CHECK(BigInt(0).to_string() == "0");
    CHECK_FALSE(two_to(63).fits_int64());
    CHECK(two_to(63).negated().fits_int64());
}

TEST_CASE("BigInt parses like int(text, base)", "[big_int]") {
    CHECK(BigInt::parse("0x_ff", 16)->to_int64() == 255);
    CHECK(BigInt::parse("0x_ff", 0)->to_int64() == 255);
    CHECK(BigInt::parse("0b101", 0)->to_int64() == 5);
    CHECK(BigInt::parse("0o17", 0)->to_int64() == 15);
    CHECK(BigInt::parse("0o17", 8)->to_int64() == 15);
    CHECK(BigInt::parse("00", 0)->to_int64() == 0);
    CHECK(BigInt::parse(" -1_000 ", 10)->to_int64() == -1000);
    CHECK(BigInt::parse("  42  ", 10)->to_int64() == 42);
    CHECK(BigInt::parse("+7", 10)->to_int64() == 7);
    CHECK(BigInt::parse("z", 36)->to_int64() == 35);
    CHECK(BigInt::parse("Z", 36)->to_int64() == 35);
    CHECK(BigInt::parse("0b1", 16)->to_int64() == 177);
    CHECK(BigInt::parse("98765432109876543210", 10)->to_string() == "98765432109876543210");
    for (const char* bad : {"1__0", "_1", "1_", "0x", "- 1", "12a", "1e5", "", " ", "+", "abc"}) {
        INFO(bad);
        CHECK_FALSE(BigInt::parse(bad, bad == std::string("0x") ? 16 : 10).has_value());
    }
    CHECK_FALSE(BigInt::parse("010", 0).has_value());
    CHECK_FALSE(BigInt::parse("2", 2).has_value());
    CHECK(asy::numeric::invalid_literal_message(10, "'abc'") == "invalid literal for int() with base 10: 'abc'");
}

TEST_CASE("BigInt floor division and modulo follow the divisor's sign", "[big_int]") {
    BigInt b = big("123456789012345678901234567890");
    CHECK(BigInt::floor_divide((b + BigInt(1)).negated(), BigInt(13)).to_string() == "-9496676077872744530864197531");
    CHECK(BigInt::modulo((b + BigInt(1)).negated(), BigInt(13)).to_int64() == 12);
    CHECK(BigInt::modulo(BigInt(-7), BigInt(2)).to_int64() == 1);
    CHECK(BigInt::floor_divide(BigInt(-7), BigInt(2)).to_int64() == -4);
    CHECK(BigInt::modulo(BigInt(7), BigInt(-2)).to_int64() == -1);
    auto [q, r] = BigInt::divmod(b, BigInt::pow(BigInt(10), 15));
    CHECK(q.to_string() == "123456789012345");
    CHECK(r.to_string() == "678901234567890");
}

TEST_CASE("BigInt pow and pow_mod", "[big_int]") {
    CHECK(BigInt::pow_mod(BigInt(2), BigInt(521), BigInt(1000000007))->to_int64() == 213363750);
    CHECK(BigInt::pow_mod(BigInt(3), BigInt(-1), BigInt(7))->to_int64() == 5);
    CHECK(BigInt::pow_mod(BigInt(3), BigInt(-1), BigInt(-7))->to_int64() == -2);
    CHECK(BigInt::pow_mod(BigInt(2), BigInt(10), BigInt(-7))->to_int64() == -5);
    CHECK(BigInt::pow_mod(BigInt(-2), BigInt(3), BigInt(7))->to_int64() == 6);
    CHECK(BigInt::pow_mod(BigInt(5), BigInt(0), BigInt(1))->to_int64() == 0);
    CHECK_FALSE(BigInt::pow_mod(BigInt(2), BigInt(-1), BigInt(4)).has_value());
    CHECK(BigInt::pow(BigInt(3), 500).to_string().size() == 239);
}

TEST_CASE("BigInt bitwise operations use two's complement", "[big_int]") {
    CHECK(BigInt(-1).shifted_right(5).to_int64() == -1);
    CHECK((BigInt(-255) & BigInt(0xff)).to_int64() == 1);
    CHECK((BigInt(-6) | BigInt(5)).to_int64() == -1);
    CHECK((BigInt(-6) ^ BigInt(3)).to_int64() == -7);
    CHECK(two_to(70).inverted().to_string() == "-1180591620717411303425");
    CHECK(BigInt(1).shifted_left(100).shifted_right(98).to_int64() == 4);
    CHECK((two_to(100) + BigInt(1)).bit_length() == 101);
    CHECK(two_to(100).negated().bit_count() == 1);
    CHECK(BigInt(0).bit_length() == 0);
}

TEST_CASE("BigInt hashes as CPython", "[big_int]") {
    CHECK(two_to(100).hash() == 549755813888);
    CHECK(two_to(100).negated().hash() == -549755813888);
    CHECK((two_to(61) - BigInt(1)).hash() == 0);
    CHECK(two_to(61).hash() == 1);
    CHECK(BigInt(-1).hash() == -2);
    CHECK((two_to(64) + BigInt(5)).hash() == 13);
}

TEST_CASE("BigInt converts to double with correct rounding", "[big_int]") {
    CHECK(*(two_to(54) + BigInt(1)).to_double() == 18014398509481984.0);
    CHECK(*(two_to(53) + BigInt(1)).to_double() == 9007199254740992.0);
    CHECK(*(two_to(53) + BigInt(3)).negated().to_double() == -9007199254740996.0);
    CHECK(*(two_to(64) - BigInt(1)).to_double() == 18446744073709551616.0);
    CHECK(*(two_to(64) + BigInt(1)).to_double() == 18446744073709551616.0);
    CHECK(*(two_to(54) + BigInt(3)).to_double() == 18014398509481988.0);
    CHECK(*(two_to(1024) - two_to(970) - BigInt(1)).to_double() == 1.7976931348623157e+308);
    CHECK_FALSE((two_to(1024) - two_to(970)).to_double().has_value());
    CHECK(*two_to(100).negated().to_double() == -1267650600228229401496703205376.0);
}

TEST_CASE("BigInt true division rounds correctly", "[big_int]") {
    CHECK(*BigInt::true_divide(BigInt::pow(BigInt(10), 30), BigInt(7)) == 1.4285714285714285e+29);
    CHECK(*BigInt::true_divide(BigInt::pow(BigInt(10), 30).negated(), BigInt(3)) == -3.333333333333333e+29);
    CHECK(*BigInt::true_divide(BigInt(1), BigInt::pow(BigInt(10), 400)) == 0.0);
    CHECK(*BigInt::true_divide(BigInt::pow(BigInt(10), 400), BigInt::pow(BigInt(10), 399)) == 10.0);
    CHECK(*BigInt::true_divide(two_to(1100), BigInt::pow(BigInt(3), 600)) == 7.24840412057269e+44);
    CHECK(*BigInt::true_divide(BigInt(1), two_to(1074)) == 5e-324);
    CHECK(*BigInt::true_divide(BigInt(3), two_to(1075)) == 1e-323);
    CHECK(*BigInt::true_divide(two_to(1074) + BigInt(1), two_to(2148)) == 5e-324);
    CHECK(*BigInt::true_divide(BigInt(17), BigInt(5)) == 3.4);
    CHECK_FALSE(BigInt::true_divide(two_to(2000), BigInt(3)).has_value());
}

TEST_CASE("BigInt compares exactly with doubles", "[big_int]") {
    CHECK(two_to(53).compare_double(9007199254740992.0) == 0);
    CHECK((two_to(53) + BigInt(1)).compare_double(9007199254740992.0) == 1);
    CHECK(BigInt(3).compare_double(3.5) == -1);
    CHECK(BigInt(-4).compare_double(-3.5) == -1);
    CHECK(BigInt(-3).compare_double(-3.5) == 1);
    CHECK(two_to(2000).compare_double(1e308) == 1);
    CHECK(two_to(2000).compare_double(HUGE_VAL) == -1);
}
