// str and bytes methods as plain algorithms, after CPython's Objects/stringlib. Searching
// works on bytes even for UTF-8 text: a valid UTF-8 needle can only match at a character
// boundary, so only the indices given and returned need converting.
#include "runtime/text/str_algorithms.hpp"

#include "runtime/text/utf8.hpp"

#include <algorithm>

namespace asy::text {

Text str_text(std::string_view utf8) {
    std::int64_t length = count_code_points(utf8);
    return Text{utf8, Encoding::Str, length == static_cast<std::int64_t>(utf8.size()), length};
}

Text bytes_text(std::string_view bytes) {
    return Text{bytes, Encoding::Bytes, true, static_cast<std::int64_t>(bytes.size())};
}

IndexRange adjust_indices(std::optional<std::int64_t> start_given, std::optional<std::int64_t> end_given,
                          std::int64_t length) {
    std::int64_t start = start_given.value_or(0);
    std::int64_t end = end_given.value_or(length);
    // The end is clamped to the text; the start only from below, so that a start past the
    // end finds nothing (even an empty string).
    if (end > length) end = length;
    else if (end < 0) end = std::max<std::int64_t>(end + length, 0);
    if (start < 0) start = std::max<std::int64_t>(start + length, 0);
    return {start, end};
}

bool is_whitespace(Encoding encoding, char32_t c) {
    if (encoding == Encoding::Bytes) return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x0B || c == 0x0C;
    return is_space(c);
}

namespace {

// Character index <-> byte offset.
std::size_t to_byte(const Text& s, std::int64_t index) {
    return s.single_byte ? static_cast<std::size_t>(index) : byte_offset(s.data, index, false);
}

std::int64_t to_index(const Text& s, std::size_t byte) {
    return s.single_byte ? static_cast<std::int64_t>(byte) : count_code_points(s.data.substr(0, byte));
}

std::int64_t length_of(const Text& s, std::string_view piece) {
    return s.encoding == Encoding::Bytes ? static_cast<std::int64_t>(piece.size()) : count_code_points(piece);
}

// The characters of the text with their byte offsets; offsets has one more entry, the end.
struct Characters {
    std::vector<char32_t> chars;
    std::vector<std::size_t> offsets;
};

Characters characters(const Text& s) {
    Characters out;
    out.chars.reserve(s.data.size());
    out.offsets.reserve(s.data.size() + 1);
    for (std::size_t pos = 0; pos < s.data.size();) {
        out.offsets.push_back(pos);
        if (s.encoding == Encoding::Bytes) out.chars.push_back(static_cast<unsigned char>(s.data[pos++]));
        else out.chars.push_back(decode_next(s.data, pos));
    }
    out.offsets.push_back(s.data.size());
    return out;
}

} // namespace

// ---------------------------------------------------------------------------------------
// Searching

std::int64_t find(const Text& s, std::string_view sub, IndexRange range) {
    if (range.end - range.start < length_of(s, sub)) return -1;
    std::size_t begin = to_byte(s, range.start), end = to_byte(s, range.end);
    std::size_t found = s.data.substr(begin, end - begin).find(sub);
    if (found == std::string_view::npos) return -1;
    return to_index(s, begin + found);
}

std::int64_t rfind(const Text& s, std::string_view sub, IndexRange range) {
    if (range.end - range.start < length_of(s, sub)) return -1;
    std::size_t begin = to_byte(s, range.start), end = to_byte(s, range.end);
    std::size_t found = s.data.substr(begin, end - begin).rfind(sub);
    if (found == std::string_view::npos) return -1;
    return to_index(s, begin + found);
}

std::int64_t count(const Text& s, std::string_view sub, IndexRange range) {
    if (range.end - range.start < length_of(s, sub)) return 0;
    // The empty string occurs between every two characters and at both ends.
    if (sub.empty()) return range.end - range.start + 1;
    std::size_t begin = to_byte(s, range.start), end = to_byte(s, range.end);
    std::string_view window = s.data.substr(begin, end - begin);
    std::int64_t n = 0;
    for (std::size_t pos = window.find(sub); pos != std::string_view::npos; pos = window.find(sub, pos + sub.size())) ++n;
    return n;
}

bool starts_with(const Text& s, std::string_view prefix, IndexRange range) {
    std::int64_t last_start = range.end - length_of(s, prefix);
    if (last_start < range.start) return false;
    std::size_t begin = to_byte(s, range.start);
    return s.data.substr(begin).substr(0, prefix.size()) == prefix;
}

bool ends_with(const Text& s, std::string_view suffix, IndexRange range) {
    std::int64_t last_start = range.end - length_of(s, suffix);
    if (last_start < range.start) return false;
    std::size_t end = to_byte(s, range.end);
    return end >= suffix.size() && s.data.substr(end - suffix.size(), suffix.size()) == suffix;
}

// ---------------------------------------------------------------------------------------
// Splitting

std::vector<std::string> split_whitespace(const Text& s, std::int64_t maxsplit) {
    Characters c = characters(s);
    std::size_t n = c.chars.size(), i = 0;
    auto space = [&](std::size_t k) { return is_whitespace(s.encoding, c.chars[k]); };
    auto piece = [&](std::size_t from, std::size_t to) {
        return std::string(s.data.substr(c.offsets[from], c.offsets[to] - c.offsets[from]));
    };
    std::vector<std::string> out;
    for (std::int64_t remaining = maxsplit < 0 ? INT64_MAX : maxsplit; remaining > 0; --remaining) {
        while (i < n && space(i)) ++i;
        if (i == n) break;
        std::size_t j = i++;
        while (i < n && !space(i)) ++i;
        out.push_back(piece(j, i));
    }
    // maxsplit was reached: the rest, without its leading whitespace, is the last piece.
    if (i < n) {
        while (i < n && space(i)) ++i;
        if (i != n) out.push_back(piece(i, n));
    }
    return out;
}

std::vector<std::string> rsplit_whitespace(const Text& s, std::int64_t maxsplit) {
    Characters c = characters(s);
    std::size_t i = c.chars.size();
    auto space = [&](std::size_t k) { return is_whitespace(s.encoding, c.chars[k]); };
    auto piece = [&](std::size_t from, std::size_t to) {
        return std::string(s.data.substr(c.offsets[from], c.offsets[to] - c.offsets[from]));
    };
    std::vector<std::string> out;
    // i is one past the character under consideration.
    for (std::int64_t remaining = maxsplit < 0 ? INT64_MAX : maxsplit; remaining > 0; --remaining) {
        while (i > 0 && space(i - 1)) --i;
        if (i == 0) break;
        std::size_t j = i--;
        while (i > 0 && !space(i - 1)) --i;
        out.push_back(piece(i, j));
    }
    if (i > 0) {
        while (i > 0 && space(i - 1)) --i;
        if (i != 0) out.push_back(piece(0, i));
    }
    std::reverse(out.begin(), out.end());
    return out;
}

std::vector<std::string> split(const Text& s, std::string_view separator, std::int64_t maxsplit) {
    std::vector<std::string> out;
    std::size_t i = 0;
    for (std::int64_t remaining = maxsplit < 0 ? INT64_MAX : maxsplit; remaining > 0; --remaining) {
        std::size_t pos = s.data.find(separator, i);
        if (pos == std::string_view::npos) break;
        out.emplace_back(s.data.substr(i, pos - i));
        i = pos + separator.size();
    }
    out.emplace_back(s.data.substr(i));
    return out;
}

std::vector<std::string> rsplit(const Text& s, std::string_view separator, std::int64_t maxsplit) {
    std::vector<std::string> out;
    std::size_t j = s.data.size();
    for (std::int64_t remaining = maxsplit < 0 ? INT64_MAX : maxsplit; remaining > 0; --remaining) {
        if (j < separator.size()) break;
        std::size_t pos = s.data.substr(0, j).rfind(separator);
        if (pos == std::string_view::npos) break;
        out.emplace_back(s.data.substr(pos + separator.size(), j - pos - separator.size()));
        j = pos;
    }
    out.emplace_back(s.data.substr(0, j));
    std::reverse(out.begin(), out.end());
    return out;
}

std::vector<std::string> splitlines(const Text& s, bool keepends) {
    Characters c = characters(s);
    std::size_t n = c.chars.size();
    auto is_break = [&](char32_t ch) {
        if (ch == '\n' || ch == '\r') return true;
        if (s.encoding == Encoding::Bytes) return false;
        return ch == 0x0B || ch == 0x0C || ch == 0x1C || ch == 0x1D || ch == 0x1E || ch == 0x85 || ch == 0x2028 ||
               ch == 0x2029;
    };
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i < n) {
        std::size_t j = i;
        while (i < n && !is_break(c.chars[i])) ++i;
        std::size_t line_end = i;
        if (i < n) {
            // \r\n is one line break.
            if (c.chars[i] == '\r' && i + 1 < n && c.chars[i + 1] == '\n') i += 2;
            else ++i;
            if (keepends) line_end = i;
        }
        out.emplace_back(s.data.substr(c.offsets[j], c.offsets[line_end] - c.offsets[j]));
    }
    return out;
}

std::array<std::string, 3> partition(const Text& s, std::string_view separator) {
    std::size_t pos = s.data.find(separator);
    if (pos == std::string_view::npos) return {std::string(s.data), "", ""};
    return {std::string(s.data.substr(0, pos)), std::string(separator),
            std::string(s.data.substr(pos + separator.size()))};
}

std::array<std::string, 3> rpartition(const Text& s, std::string_view separator) {
    std::size_t pos = s.data.rfind(separator);
    if (pos == std::string_view::npos) return {"", "", std::string(s.data)};
    return {std::string(s.data.substr(0, pos)), std::string(separator),
            std::string(s.data.substr(pos + separator.size()))};
}

// ---------------------------------------------------------------------------------------
// Stripping and replacing

std::string strip(const Text& s, std::optional<std::string_view> chars, StripSide side) {
    Characters c = characters(s);
    std::vector<char32_t> set;
    if (chars) {
        Text chars_text = s.encoding == Encoding::Bytes ? bytes_text(*chars) : str_text(*chars);
        set = characters(chars_text).chars;
    }
    auto strippable = [&](char32_t ch) {
        if (!chars) return is_whitespace(s.encoding, ch);
        return std::find(set.begin(), set.end(), ch) != set.end();
    };
    std::size_t i = 0, j = c.chars.size();
    if (side != StripSide::Right) {
        while (i < j && strippable(c.chars[i])) ++i;
    }
    if (side != StripSide::Left) {
        while (j > i && strippable(c.chars[j - 1])) --j;
    }
    return std::string(s.data.substr(c.offsets[i], c.offsets[j] - c.offsets[i]));
}

std::string replace(const Text& s, std::string_view old, std::string_view replacement, std::int64_t count) {
    std::int64_t remaining = count < 0 ? INT64_MAX : count;
    std::string out;
    if (old.empty()) {
        // Insert before every character, and once more at the end.
        Characters c = characters(s);
        std::size_t n = c.chars.size();
        for (std::size_t i = 0; i < n; ++i) {
            if (remaining > 0) {
                out += replacement;
                --remaining;
            }
            out.append(s.data.substr(c.offsets[i], c.offsets[i + 1] - c.offsets[i]));
        }
        if (remaining > 0) out += replacement;
        return out;
    }
    std::size_t i = 0;
    while (remaining > 0) {
        std::size_t pos = s.data.find(old, i);
        if (pos == std::string_view::npos) break;
        out.append(s.data.substr(i, pos - i));
        out += replacement;
        i = pos + old.size();
        --remaining;
    }
    out.append(s.data.substr(i));
    return out;
}

// ---------------------------------------------------------------------------------------
// Padding

namespace {

std::string pad(const Text& s, std::int64_t left, std::int64_t right, std::string_view fill) {
    std::string out;
    for (std::int64_t i = 0; i < left; ++i) out += fill;
    out += s.data;
    for (std::int64_t i = 0; i < right; ++i) out += fill;
    return out;
}

} // namespace

std::string center(const Text& s, std::int64_t width, std::string_view fill) {
    if (width <= s.length) return std::string(s.data);
    std::int64_t margin = width - s.length;
    // CPython puts the odd character on the left when the width is odd.
    std::int64_t left = margin / 2 + (margin & width & 1);
    return pad(s, left, margin - left, fill);
}

std::string ljust(const Text& s, std::int64_t width, std::string_view fill) {
    return width <= s.length ? std::string(s.data) : pad(s, 0, width - s.length, fill);
}

std::string rjust(const Text& s, std::int64_t width, std::string_view fill) {
    return width <= s.length ? std::string(s.data) : pad(s, width - s.length, 0, fill);
}

std::string zfill(const Text& s, std::int64_t width) {
    if (width <= s.length) return std::string(s.data);
    std::string out = pad(s, width - s.length, 0, "0");
    // A sign moves in front of the zeros: "-7".zfill(4) == "-007".
    std::size_t first = static_cast<std::size_t>(width - s.length);
    if (!s.data.empty() && (s.data[0] == '+' || s.data[0] == '-')) {
        out[0] = s.data[0];
        out[first] = '0';
    }
    return out;
}

std::string expandtabs(const Text& s, std::int64_t tabsize) {
    std::string out;
    std::int64_t column = 0;
    for (std::size_t pos = 0; pos < s.data.size();) {
        std::size_t start = pos;
        char32_t c = s.encoding == Encoding::Bytes ? static_cast<unsigned char>(s.data[pos++]) : decode_next(s.data, pos);
        if (c == '\t') {
            if (tabsize > 0) {
                std::int64_t spaces = tabsize - column % tabsize;
                out.append(static_cast<std::size_t>(spaces), ' ');
                column += spaces;
            }
        } else {
            out.append(s.data.substr(start, pos - start));
            ++column;
            if (c == '\n' || c == '\r') column = 0;
        }
    }
    return out;
}

std::string join(std::string_view separator, const std::vector<std::string_view>& parts) {
    std::size_t total = parts.empty() ? 0 : separator.size() * (parts.size() - 1);
    for (auto part : parts) total += part.size();
    std::string out;
    out.reserve(total);
    for (std::size_t i = 0; i < parts.size(); ++i) {
        if (i > 0) out += separator;
        out += parts[i];
    }
    return out;
}

} // namespace asy::text
