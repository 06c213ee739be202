// Tests for runtime/text/str_algorithms.cpp. Expected values come from CPython 3.11.
#include "runtime/text/str_algorithms.hpp"

#include <catch2/catch.hpp>

using namespace asy::text;

namespace {

using Strings = std::vector<std::string>;

IndexRange all(const Text& t) { return adjust_indices(std::nullopt, std::nullopt, t.length); }

} // namespace

TEST_CASE("str splitting", "[str_algorithms]") {
    CHECK(split_whitespace(str_text(" a  b c "), 1) == Strings{"a", "b c "});
    CHECK(rsplit_whitespace(str_text(" a  b c "), 1) == Strings{" a  b", "c"});
    CHECK(split_whitespace(str_text("one two  three"), -1) == Strings{"one", "two", "three"});
    CHECK(split_whitespace(str_text("   "), -1).empty());
    CHECK(split(str_text("a,b,,c"), ",", -1) == Strings{"a", "b", "", "c"});
    CHECK(rsplit(str_text("a,b,,c"), ",", 2) == Strings{"a,b", "", "c"});
    CHECK(split(str_text("a-b-c"), "-", 1) == Strings{"a", "b-c"});
    CHECK(splitlines(str_text("l1\r\nl2\rl3\vx\n"), false) == Strings{"l1", "l2", "l3", "x"});
    CHECK(splitlines(str_text("l1\r\nl2\n"), true) == Strings{"l1\r\n", "l2\n"});
    CHECK(splitlines(bytes_text("a\vb\n"), false) == Strings{"a\vb"});
    CHECK(partition(str_text("key=value=more"), "=") == std::array<std::string, 3>{"key", "=", "value=more"});
    CHECK(rpartition(str_text("a.b.c"), ".") == std::array<std::string, 3>{"a.b", ".", "c"});
    CHECK(rpartition(str_text("abc"), ".") == std::array<std::string, 3>{"", "", "abc"});
}

TEST_CASE("str searching uses code point indices", "[str_algorithms]") {
    Text hello = str_text("h\xC3\xA9llo w\xC3\xB6rld");
    CHECK(find(hello, "w\xC3\xB6", all(hello)) == 6);
    Text h = str_text("h\xC3\xA9llo");
    CHECK(find(h, "l", adjust_indices(-2, std::nullopt, h.length)) == 3);
    CHECK(rfind(h, "l", all(h)) == 3);
    Text abc = str_text("abc");
    CHECK(find(abc, "", adjust_indices(3, std::nullopt, 3)) == 3);
    CHECK(find(abc, "", adjust_indices(4, std::nullopt, 3)) == -1);
    CHECK(count(abc, "", all(abc)) == 4);
    CHECK(count(str_text("aaaa"), "aa", adjust_indices(std::nullopt, std::nullopt, 4)) == 2);
    CHECK(starts_with(abc, "", adjust_indices(3, std::nullopt, 3)));
    CHECK_FALSE(starts_with(abc, "", adjust_indices(4, std::nullopt, 3)));
    CHECK(ends_with(h, "lo", adjust_indices(0, 5, 5)));
    CHECK(ends_with(h, "l", adjust_indices(0, -1, 5)));
}

TEST_CASE("str strip, replace, padding", "[str_algorithms]") {
    CHECK(replace(str_text("abc"), "", "-", -1) == "-a-b-c-");
    CHECK(replace(str_text("abc"), "", "-", 2) == "-a-bc");
    CHECK(replace(str_text("Hello, Hello"), "l", "L", 2) == "HeLLo, Hello");
    CHECK(strip(str_text("xxh\xC3\xA9xx"), "x", StripSide::Both) == "h\xC3\xA9");
    CHECK(strip(str_text("\xE2\x80\x83 hi \xE3\x80\x80"), std::nullopt, StripSide::Both) == "hi");
    CHECK(strip(str_text("  pad  "), std::nullopt, StripSide::Left) == "pad  ");
    CHECK(strip(bytes_text("\x1c pad"), std::nullopt, StripSide::Both) == "\x1c pad");
    CHECK(center(str_text("abc"), 6, "*") == "*abc**");
    CHECK(center(str_text("abc"), 7, "*") == "**abc**");
    CHECK(center(str_text("ab"), 5, " ") == "  ab ");
    CHECK(zfill(str_text("-7"), 4) == "-007");
    CHECK(zfill(str_text("+"), 3) == "+00");
    CHECK(zfill(str_text("42"), 5) == "00042");
    CHECK(rjust(str_text("abc"), 6, ".") == "...abc");
    CHECK(ljust(str_text("abc"), 5, "\xC3\xA9") == "abc\xC3\xA9\xC3\xA9");
    CHECK(expandtabs(str_text("a\tbc\td"), 4) == "a   bc  d");
    CHECK(join("-", {"x", "y", "z"}) == "x-y-z");
}
