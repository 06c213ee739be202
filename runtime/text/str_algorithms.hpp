// The algorithms behind str's (and bytes') methods: searching, splitting, stripping,
// replacing, padding. They work on UTF-8 text (Encoding::Str: indices count code points,
// whitespace is Unicode's) or on raw bytes (Encoding::Bytes: indices count bytes,
// whitespace is ASCII's), so str.cpp and bytes.cpp share one implementation.
// Indices are Python's, already resolved with adjust_indices.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace asy::text {

enum class Encoding { Str, Bytes };

// A view of the text with what the algorithms need to know about it.
struct Text {
    std::string_view data;
    Encoding encoding = Encoding::Str;
    // Every character is one byte (always true for bytes), so indices are byte offsets.
    bool single_byte = true;
    // Length in characters (code points or bytes).
    std::int64_t length = 0;
};

// Builds a Text for a str (computes whether it is ASCII and its length) or for bytes.
[[nodiscard]] Text str_text(std::string_view utf8);
[[nodiscard]] Text bytes_text(std::string_view bytes);

// s[start:end] bounds as str.find & co. take them: None is the whole text, negative values
// count from the end, and both are clamped to [0, length] (CPython's ADJUST_INDICES; the
// result may have start > end, which finds nothing).
struct IndexRange {
    std::int64_t start;
    std::int64_t end;
};
[[nodiscard]] IndexRange adjust_indices(std::optional<std::int64_t> start, std::optional<std::int64_t> end,
                                        std::int64_t length);

// ---- searching (character indices; -1 when absent)
[[nodiscard]] std::int64_t find(const Text& s, std::string_view sub, IndexRange range);
[[nodiscard]] std::int64_t rfind(const Text& s, std::string_view sub, IndexRange range);
[[nodiscard]] std::int64_t count(const Text& s, std::string_view sub, IndexRange range);
[[nodiscard]] bool starts_with(const Text& s, std::string_view prefix, IndexRange range);
[[nodiscard]] bool ends_with(const Text& s, std::string_view suffix, IndexRange range);

// ---- splitting
// maxsplit < 0 means no limit. split with no separator splits on runs of whitespace and
// drops empty strings; with one (non-empty) it keeps them.
[[nodiscard]] std::vector<std::string> split_whitespace(const Text& s, std::int64_t maxsplit);
[[nodiscard]] std::vector<std::string> split(const Text& s, std::string_view separator, std::int64_t maxsplit);
[[nodiscard]] std::vector<std::string> rsplit_whitespace(const Text& s, std::int64_t maxsplit);
[[nodiscard]] std::vector<std::string> rsplit(const Text& s, std::string_view separator, std::int64_t maxsplit);
// str.splitlines: \n \r \r\n and, for str, \v \f \x1c \x1d \x1e \x85 \u2028 \u2029.
[[nodiscard]] std::vector<std::string> splitlines(const Text& s, bool keepends);
// partition: (head, sep, tail), or (s, '', '') when absent; rpartition: ('', '', s).
[[nodiscard]] std::array<std::string, 3> partition(const Text& s, std::string_view separator);
[[nodiscard]] std::array<std::string, 3> rpartition(const Text& s, std::string_view separator);

// ---- stripping: whitespace when `chars` is nullopt, else any of its characters.
enum class StripSide { Left, Right, Both };
[[nodiscard]] std::string strip(const Text& s, std::optional<std::string_view> chars, StripSide side);

// ---- replacing: at most `count` occurrences (all when count < 0). An empty `old` inserts
// `replacement` before every character and at the end.
[[nodiscard]] std::string replace(const Text& s, std::string_view old, std::string_view replacement,
                                  std::int64_t count);

// ---- padding (width in characters; `fill` is one character)
[[nodiscard]] std::string center(const Text& s, std::int64_t width, std::string_view fill);
[[nodiscard]] std::string ljust(const Text& s, std::int64_t width, std::string_view fill);
[[nodiscard]] std::string rjust(const Text& s, std::int64_t width, std::string_view fill);
// zfill: zeros after a leading sign, up to `width`.
[[nodiscard]] std::string zfill(const Text& s, std::int64_t width);
[[nodiscard]] std::string expandtabs(const Text& s, std::int64_t tabsize);

// sep.join(parts).
[[nodiscard]] std::string join(std::string_view separator, const std::vector<std::string_view>& parts);

// Whitespace as split() and strip() see it: Unicode's for str, ASCII's for bytes.
[[nodiscard]] bool is_whitespace(Encoding encoding, char32_t c);

} // namespace asy::text
