// Tests for runtime/text/utf8.cpp. Expected values come from CPython 3.11.
#include "runtime/text/utf8.hpp"

#include <catch2/catch.hpp>

using namespace asy::text;

TEST_CASE("utf8 encodes, decodes and counts code points", "[utf8]") {
    CHECK(encode_utf8(U'A') == "A");
    CHECK(encode_utf8(0xE9) == "\xC3\xA9");
    CHECK(encode_utf8(0x20AC) == "\xE2\x82\xAC");
    CHECK(encode_utf8(0x1F600) == "\xF0\x9F\x98\x80");
    CHECK(decode("h\xC3\xA9\xF0\x9F\x98\x80") == U"h\u00e9\U0001F600");
    CHECK(count_code_points("h\xC3\xA9llo") == 5);
    CHECK(code_point_at("h\xC3\xA9llo", 1, false) == "\xC3\xA9");
    CHECK(code_point_at("hello", 4, true) == "o");
    CHECK(slice("h\xC3\xA9llo", false, 4, -2, 3) == "ol\x68");
    CHECK(slice("conformance", true, 8, -2, 3) == "nmo");
    CHECK(slice("h\xC3\xA9llo", false, 1, 1, 3) == "\xC3\xA9ll");
}

TEST_CASE("utf8 validation reports CPython's reasons", "[utf8]") {
    CHECK_FALSE(validate_utf8("h\xC3\xA9").has_value());
    auto bad = validate_utf8("ab\xFF");
    REQUIRE(bad.has_value());
    CHECK(bad->start == 2);
    CHECK(bad->reason == "invalid start byte");
    CHECK(validate_utf8("\xC3")->reason == "unexpected end of data");
    CHECK(validate_utf8("\xC3(")->reason == "invalid continuation byte");
    CHECK(validate_utf8("\xED\xA0\x80")->reason == "invalid continuation byte");  // a surrogate
    CHECK(decode_lossy("a\xFF" "b", true) == "a\xEF\xBF\xBD" "b");
    CHECK(decode_lossy("a\xFF" "b", false) == "ab");
}

TEST_CASE("utf8 case mappings are Python's full mappings", "[utf8]") {
    CHECK(to_upper("stra\xC3\x9F" "e") == "STRASSE");
    CHECK(to_lower("\xCE\xA3\xCE\x91\xCE\xA3") == "\xCF\x83\xCE\xB1\xCF\x82");  // 'ΣΑΣ' -> 'σας'
    CHECK(to_upper("h\xC3\xA9llo") == "H\xC3\x89LLO");
    CHECK(title("hello world") == "Hello World");
    CHECK(title("they're bill's") == "They'Re Bill'S");
    CHECK(title("\xC7\x86" "emo") == "\xC7\x85" "emo");  // 'ǆemo' -> 'ǅemo'
    CHECK(casefold("\xC3\x9F") == "ss");
    CHECK(to_upper("\xEF\xAC\x81") == "FI");
    CHECK(capitalize("pYTHON") == "Python");
    CHECK(swapcase("HeLLo") == "hEllO");
    CHECK(is_title_string("Hello World"));
    CHECK_FALSE(is_title_string("Hello world"));
}

TEST_CASE("utf8 character classes", "[utf8]") {
    CHECK(is_alpha(0xE9));
    CHECK_FALSE(is_alpha('1'));
    CHECK(is_decimal(0x0663));  // ARABIC-INDIC DIGIT THREE
    CHECK(is_digit(0xB2));      // superscript two
    CHECK_FALSE(is_decimal(0xB2));
    CHECK(is_numeric(0xBD));    // one half
    CHECK(is_space(0x3000));
    CHECK(is_space(0x1C));
    CHECK_FALSE(is_space(0x200B));
    CHECK(is_printable(0xE9));
    CHECK_FALSE(is_printable(0xA0));
    CHECK(decimal_value(0x0663) == 3);
    CHECK(is_identifier_start(0xE9));
    CHECK_FALSE(is_identifier_start('1'));
}

TEST_CASE("repr and ascii of strings follow CPython", "[utf8]") {
    CHECK(repr("plain") == "'plain'");
    CHECK(repr("it's") == "\"it's\"");
    CHECK(repr("say \"hi\"") == "'say \"hi\"'");
    CHECK(repr("both ' and \"") == "'both \\' and \"'");
    CHECK(repr("tab\there\n\\") == "'tab\\there\\n\\\\'");
    CHECK(repr(std::string_view("a\x00\x7f", 3)) == "'a\\x00\\x7f'");
    CHECK(repr("\xC2\x80\xC2\xA0\xC3\xA9\xE2\x80\x8B\xF0\x9F\x98\x80") == "'\\x80\\xa0\xC3\xA9\\u200b\xF0\x9F\x98\x80'");
    CHECK(ascii_repr("\xC3\xA9\xF0\x9F\x98\x80\n") == "'\\xe9\\U0001f600\\n'");
}
