// Tests for runtime/text/format_spec.cpp. Expected values come from CPython 3.11
// (format(value, spec)); a wider randomised comparison was run against python3 by hand.
#include "runtime/text/format_spec.hpp"

#include <catch2/catch.hpp>

using namespace asy::text;
using asy::numeric::BigInt;

namespace {

// format(value, spec) as text, or "ValueError: message".
std::string result_text(const FormatResult& result) {
    if (auto* error = std::get_if<FormatError>(&result)) {
        return (error->kind == FormatError::Kind::ValueError ? "ValueError: " : "OverflowError: ") + error->message;
    }
    return std::get<std::string>(result);
}

template <class F>
std::string with_spec(std::string_view spec, char default_type, char default_align, const char* type_name, F apply) {
    auto parsed = parse_format_spec(spec, default_type, default_align, type_name);
    if (auto* error = std::get_if<FormatError>(&parsed)) return result_text(*error);
    return result_text(apply(std::get<FormatSpec>(parsed)));
}

std::string fmt_int(std::int64_t value, std::string_view spec) {
    return with_spec(spec, 'd', '>', "int", [&](const FormatSpec& s) { return format_int(value, s); });
}
std::string fmt_big(const char* value, std::string_view spec) {
    return with_spec(spec, 'd', '>', "int", [&](const FormatSpec& s) { return format_int(*BigInt::parse(value, 10), s); });
}
std::string fmt_float(double value, std::string_view spec) {
    return with_spec(spec, '\0', '>', "float", [&](const FormatSpec& s) { return format_float(value, s); });
}
std::string fmt_str(std::string_view value, std::string_view spec) {
    return with_spec(spec, 's', '<', "str", [&](const FormatSpec& s) { return format_str(value, s); });
}

} // namespace

TEST_CASE("format spec on ints", "[format_spec]") {
    CHECK(fmt_int(255, "x") == "ff");
    CHECK(fmt_int(255, "#X") == "0XFF");
    CHECK(fmt_int(255, "#o") == "0o377");
    CHECK(fmt_int(255, "08d") == "00000255");
    CHECK(fmt_int(255, "+d") == "+255");
    CHECK(fmt_int(255, " d") == " 255");
    CHECK(fmt_int(1234567, ",") == "1,234,567");
    CHECK(fmt_int(1234567, "_") == "1_234_567");
    CHECK(fmt_int(-9876543, ",") == "-9,876,543");
    CHECK(fmt_int(255, "*^9") == "***255***");
    CHECK(fmt_int(255, "#010b") == "0b11111111");
    CHECK(fmt_int(1234, "09,") == "0,001,234");
    CHECK(fmt_int(1234, "010,") == "00,001,234");
    CHECK(fmt_int(-123456, "#010_x") == "-0x01_e240");
    CHECK(fmt_int(5, "=+10") == "+        5");
    CHECK(fmt_int(255, "^#12x") == "    0xff    ");
    CHECK(fmt_int(1000, "_b") == "11_1110_1000");
    CHECK(fmt_int(65, "c") == "A");
    CHECK(fmt_int(65, "010c") == "000000000A");
    CHECK(fmt_int(0x1F600, "c") == "\xF0\x9F\x98\x80");
    CHECK(fmt_int(1, "e") == "1.000000e+00");
    CHECK(fmt_int(3, "%") == "300.000000%");
    CHECK(fmt_big("1180591620717411303424", "20,") == "1,180,591,620,717,411,303,424");
    CHECK(fmt_big("-1180591620717411303424", "x") == "-400000000000000000");
}

TEST_CASE("format spec errors", "[format_spec]") {
    CHECK(fmt_int(1, "abc") == "ValueError: Invalid format specifier 'abc' for object of type 'int'");
    CHECK(fmt_int(1, ".2") == "ValueError: Precision not allowed in integer format specifier");
    CHECK(fmt_int(1, ".2s") == "ValueError: Unknown format code 's' for object of type 'int'");
    CHECK(fmt_int(1, "z") == "ValueError: Negative zero coercion (z) not allowed in integer format specifier");
    CHECK(fmt_int(-1, "c") == "OverflowError: %c arg not in range(0x110000)");
    CHECK(fmt_int(65, "+c") == "ValueError: Sign not allowed with integer format specifier 'c'");
    CHECK(fmt_int(65, "#c") == "ValueError: Alternate form (#) not allowed with integer format specifier 'c'");
    CHECK(fmt_int(65, ",c") == "ValueError: Cannot specify ',' with 'c'.");
    CHECK(fmt_int(1, ",_") == "ValueError: Cannot specify both ',' and '_'.");
    CHECK(fmt_int(1, "_,") == "ValueError: Cannot specify both ',' and '_'.");
    CHECK(fmt_int(1, ".") == "ValueError: Format specifier missing precision");
    CHECK(fmt_int(1, ",x") == "ValueError: Cannot specify ',' with 'x'.");
    CHECK(fmt_float(1.5, "x") == "ValueError: Unknown format code 'x' for object of type 'float'");
    CHECK(fmt_float(1.5, "s") == "ValueError: Unknown format code 's' for object of type 'float'");
    CHECK(fmt_str("x", "d") == "ValueError: Unknown format code 'd' for object of type 'str'");
    CHECK(fmt_str("x", ",") == "ValueError: Cannot specify ',' with 's'.");
    CHECK(fmt_str("x", "+s") == "ValueError: Sign not allowed in string format specifier");
    CHECK(fmt_str("x", " ") == "ValueError: Space not allowed in string format specifier");
    CHECK(fmt_str("x", "#s") == "ValueError: Alternate form (#) not allowed in string format specifier");
    CHECK(fmt_str("x", "=5s") == "ValueError: '=' alignment not allowed in string format specifier");
    CHECK(fmt_big("11505236063118821809467553221049758295155052665230762065499525194094891251552061640493342548634082305351687288311769174890162545204122663839542235560926343960177145179191391057683342054479750023644997308933440369205641643669917624414330439074612943178454432683813523087356623740062701843509462805095950344781824", "f") ==
          "OverflowError: int too large to convert to float");
}

TEST_CASE("format spec on floats", "[format_spec]") {
    double pi = 3.14159265358979;
    CHECK(fmt_float(pi, ".2f") == "3.14");
    CHECK(fmt_float(pi, "8.3f") == "   3.142");
    CHECK(fmt_float(pi, "<8.1f") == "3.1     ");
    CHECK(fmt_float(pi, "^9.2f") == "  3.14   ");
    CHECK(fmt_float(pi, "e") == "3.141593e+00");
    CHECK(fmt_float(12345.678, "E") == "1.234568E+04");
    CHECK(fmt_float(1234567.0, "g") == "1.23457e+06");
    CHECK(fmt_float(0.00001234, "g") == "1.234e-05");
    CHECK(fmt_float(100.0, "g") == "100");
    CHECK(fmt_float(0.256, ".1%") == "25.6%");
    CHECK(fmt_float(1234567.891, ",.2f") == "1,234,567.89");
    CHECK(fmt_float(1234567.891, "_.1f") == "1_234_567.9");
    CHECK(fmt_float(-pi, "+.2f") == "-3.14");
    CHECK(fmt_float(pi, "010.4f") == "00003.1416");
    CHECK(fmt_float(-pi, "010.4f") == "-0003.1416");
    CHECK(fmt_float(2.5, ".0f") == "2");
    CHECK(fmt_float(0.125, ".2f") == "0.12");
    CHECK(fmt_float(0.375, ".2f") == "0.38");
    CHECK(fmt_float(1e16, "") == "1e+16");
    CHECK(fmt_float(100.0, ".3") == "1e+02");
    CHECK(fmt_float(1.0, "#.0f") == "1.");
    CHECK(fmt_float(1.0, "#g") == "1.00000");
    CHECK(fmt_float(-0.0001, "z.2f") == "0.00");
    CHECK(fmt_float(-0.0001, ".2f") == "-0.00");
    CHECK(fmt_float(HUGE_VAL, "010") == "0000000inf");
    CHECK(fmt_float(-HUGE_VAL, ">6") == "  -inf");
    CHECK(fmt_float(HUGE_VAL, "E") == "INF");
    CHECK(fmt_float(12.3456, ",.2%") == "1,234.56%");
}

TEST_CASE("format spec on strings", "[format_spec]") {
    CHECK(fmt_str("left", "<8") == "left    ");
    CHECK(fmt_str("right", ">8") == "   right");
    CHECK(fmt_str("mid", "^8") == "  mid   ");
    CHECK(fmt_str("ab", "\xC3\xA9^7") == "\xC3\xA9\xC3\xA9" "ab" "\xC3\xA9\xC3\xA9\xC3\xA9");
    CHECK(fmt_str("h\xC3\xA9llo", ".2s") == "h\xC3\xA9");
    CHECK(fmt_str("h\xC3\xA9llo", "x<4.1") == "hxxx");
    CHECK(fmt_str("ab", "05") == "ab000");
    CHECK(fmt_str("x", "010") == "x000000000");
}
