// UTF-8, the encoding of every asy str, and the Unicode knowledge str needs: decoding and
// validation, indexing and slicing by code point, case mapping and character classes (from
// libutf8proc), and the repr()/ascii() forms of a string. Plain C++ on std::string; the str
// type in runtime/objects/str.cpp is built on it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace asy::text {

// ---- encoding and decoding

// Appends the UTF-8 encoding of `code_point` (0 .. 0x10FFFF) to `out`.
void append_utf8(std::string& out, char32_t code_point);
[[nodiscard]] std::string encode_utf8(char32_t code_point);

// Decodes the code point starting at byte `pos` of valid UTF-8 and moves `pos` past it.
[[nodiscard]] char32_t decode_next(std::string_view text, std::size_t& pos);
// The whole of valid UTF-8 text as code points.
[[nodiscard]] std::u32string decode(std::string_view text);
// The code points back as UTF-8.
[[nodiscard]] std::string encode(std::u32string_view code_points);

// Where bytes.decode('utf-8') fails: the offending byte range and CPython's reason.
struct DecodeError {
    std::size_t start = 0;
    std::size_t end = 0;
    // "invalid start byte", "invalid continuation byte", "unexpected end of data".
    std::string reason;
};
// Checks that `bytes` is valid UTF-8 (no surrogates, no overlong forms); the first problem
// otherwise. CPython's message is then
// "'utf-8' codec can't decode byte 0xff in position 0: invalid start byte".
[[nodiscard]] std::optional<DecodeError> validate_utf8(std::string_view bytes);
// Decodes with errors='replace' (U+FFFD for each bad sequence) or 'ignore'.
[[nodiscard]] std::string decode_lossy(std::string_view bytes, bool replace);

// ---- code point indexing

[[nodiscard]] bool is_ascii(std::string_view text);
// Number of code points of valid UTF-8.
[[nodiscard]] std::int64_t count_code_points(std::string_view text);
// Byte offset of code point `index` (0 <= index <= length). O(1) when `ascii` says every
// code point is one byte; otherwise a scan.
[[nodiscard]] std::size_t byte_offset(std::string_view text, std::int64_t index, bool ascii);
// The code point at `index` (0 <= index < length), as UTF-8.
[[nodiscard]] std::string_view code_point_at(std::string_view text, std::int64_t index, bool ascii);
// s[start:stop:step] for indices already resolved against the length (slice.indices): the
// `count` code points start, start+step, ...
[[nodiscard]] std::string slice(std::string_view text, bool ascii, std::int64_t start, std::int64_t step,
                                std::int64_t count);

// ---- character classes, as str.isX() asks them of one code point

[[nodiscard]] bool is_alpha(char32_t c);
[[nodiscard]] bool is_decimal(char32_t c);
[[nodiscard]] bool is_digit(char32_t c);
[[nodiscard]] bool is_numeric(char32_t c);
[[nodiscard]] bool is_alnum(char32_t c);
[[nodiscard]] bool is_space(char32_t c);
[[nodiscard]] bool is_upper(char32_t c);
[[nodiscard]] bool is_lower(char32_t c);
[[nodiscard]] bool is_title(char32_t c);
// Has a case at all (an upper, lower or title case letter).
[[nodiscard]] bool is_cased(char32_t c);
[[nodiscard]] bool is_printable(char32_t c);
[[nodiscard]] bool is_identifier_start(char32_t c);
[[nodiscard]] bool is_identifier_continue(char32_t c);
// The decimal value of a decimal digit (any script), or -1.
[[nodiscard]] int decimal_value(char32_t c);

// ---- case mapping of whole strings (full mappings: 'ß'.upper() == 'SS')

[[nodiscard]] std::string to_upper(std::string_view text);
[[nodiscard]] std::string to_lower(std::string_view text);
[[nodiscard]] std::string casefold(std::string_view text);
[[nodiscard]] std::string swapcase(std::string_view text);
// str.title(): the first cased letter of each run of cased letters in title case, the rest
// lower case.
[[nodiscard]] std::string title(std::string_view text);
// str.capitalize(): the first character in title case, the rest lower case.
[[nodiscard]] std::string capitalize(std::string_view text);
[[nodiscard]] bool is_title_string(std::string_view text);

// ---- repr

// repr(s): quoted with ' unless the text holds ' and no ", escaping \\, the quote, \t \n \r,
// other control characters as \xhh, and non-printable characters as \xhh, \uhhhh or
// \Uhhhhhhhh.
[[nodiscard]] std::string repr(std::string_view text);
// ascii(s): repr with every non-ASCII character escaped too.
[[nodiscard]] std::string ascii_repr(std::string_view text);
// Replaces every non-ASCII character of (already repr'd) text by its escape, as ascii(x)
// does to repr(x) of any object.
[[nodiscard]] std::string escape_non_ascii(std::string_view text);

} // namespace asy::text
