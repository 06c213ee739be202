// UTF-8 decoding and code point indexing, Unicode classes and case mappings through
// libutf8proc, and CPython's rules for repr() of a str (Objects/unicodeobject.c,
// unicode_repr) and the character predicates behind str.isalpha() & co.
#include "runtime/text/utf8.hpp"

#include <utf8proc.h>

#include <cstdio>
#include <cstdlib>

namespace asy::text {

// ---------------------------------------------------------------------------------------
// Encoding and decoding

void append_utf8(std::string& out, char32_t c) {
    if (c < 0x80) {
        out += static_cast<char>(c);
    } else if (c < 0x800) {
        out += static_cast<char>(0xC0 | (c >> 6));
        out += static_cast<char>(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
        out += static_cast<char>(0xE0 | (c >> 12));
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (c & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (c >> 18));
        out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (c & 0x3F));
    }
}

std::string encode_utf8(char32_t code_point) {
    std::string out;
    append_utf8(out, code_point);
    return out;
}

char32_t decode_next(std::string_view text, std::size_t& pos) {
    auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
    unsigned char lead = byte(pos);
    if (lead < 0x80) {
        ++pos;
        return lead;
    }
    // The lead byte says how many continuation bytes follow and carries the top bits.
    int extra = lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : 1;
    char32_t c = lead & (0x3F >> extra);
    for (int i = 1; i <= extra; ++i) c = (c << 6) | (byte(pos + i) & 0x3F);
    pos += static_cast<std::size_t>(extra) + 1;
    return c;
}

std::u32string decode(std::string_view text) {
    std::u32string out;
    out.reserve(text.size());
    for (std::size_t pos = 0; pos < text.size();) out += decode_next(text, pos);
    return out;
}

std::string encode(std::u32string_view code_points) {
    std::string out;
    out.reserve(code_points.size());
    for (char32_t c : code_points) append_utf8(out, c);
    return out;
}

namespace {

// How CPython's UTF-8 decoder sees the sequence at `pos`: its length when valid, or 0 with
// the number of bytes that belong to the bad sequence and the reason.
struct SequenceCheck {
    std::size_t length = 0;      // > 0 when valid
    std::size_t bad_length = 0;  // bytes to report (or replace) when invalid
    const char* reason = nullptr;
};

SequenceCheck check_sequence(std::string_view bytes, std::size_t pos) {
    auto byte = [&](std::size_t i) { return static_cast<unsigned char>(bytes[i]); };
    unsigned char lead = byte(pos);
    if (lead < 0x80) return {1, 0, nullptr};
    // C0, C1 (overlong) and F5..FF never start a sequence.
    if (lead < 0xC2 || lead > 0xF4) return {0, 1, "invalid start byte"};
    std::size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
    // The second byte's allowed range excludes overlong forms and surrogates.
    unsigned char low = 0x80, high = 0xBF;
    if (lead == 0xE0) low = 0xA0;
    if (lead == 0xED) high = 0x9F;
    if (lead == 0xF0) low = 0x90;
    if (lead == 0xF4) high = 0x8F;
    for (std::size_t i = 1; i < need; ++i) {
        if (pos + i >= bytes.size()) return {0, i, "unexpected end of data"};
        unsigned char b = byte(pos + i);
        unsigned char lo = i == 1 ? low : 0x80, hi = i == 1 ? high : 0xBF;
        if (b < lo || b > hi) return {0, i, "invalid continuation byte"};
    }
    return {need, 0, nullptr};
}

} // namespace

std::optional<DecodeError> validate_utf8(std::string_view bytes) {
    for (std::size_t pos = 0; pos < bytes.size();) {
        SequenceCheck check = check_sequence(bytes, pos);
        if (check.length == 0) return DecodeError{pos, pos + check.bad_length, check.reason};
        pos += check.length;
    }
    return std::nullopt;
}

std::string decode_lossy(std::string_view bytes, bool replace) {
    std::string out;
    for (std::size_t pos = 0; pos < bytes.size();) {
        SequenceCheck check = check_sequence(bytes, pos);
        if (check.length > 0) {
            out.append(bytes.substr(pos, check.length));
            pos += check.length;
        } else {
            if (replace) append_utf8(out, 0xFFFD);
            pos += check.bad_length;
        }
    }
    return out;
}

// ---------------------------------------------------------------------------------------
// Code point indexing

bool is_ascii(std::string_view text) {
    for (unsigned char c : text) {
        if (c >= 0x80) return false;
    }
    return true;
}

std::int64_t count_code_points(std::string_view text) {
    // Every code point has exactly one byte that is not a continuation byte (10xxxxxx).
    std::int64_t count = 0;
    for (unsigned char byte : text) count += (byte & 0xC0) != 0x80;
    return count;
}

std::size_t byte_offset(std::string_view text, std::int64_t index, bool ascii) {
    if (ascii) return static_cast<std::size_t>(index);
    std::size_t pos = 0;
    for (std::int64_t i = 0; i < index && pos < text.size(); ++i) {
        ++pos;
        while (pos < text.size() && (static_cast<unsigned char>(text[pos]) & 0xC0) == 0x80) ++pos;
    }
    return pos;
}

std::string_view code_point_at(std::string_view text, std::int64_t index, bool ascii) {
    std::size_t start = byte_offset(text, index, ascii);
    std::size_t end = start + 1;
    while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) ++end;
    return text.substr(start, end - start);
}

std::string slice(std::string_view text, bool ascii, std::int64_t start, std::int64_t step, std::int64_t count) {
    std::string out;
    if (count <= 0) return out;
    if (step == 1) {
        std::size_t begin = byte_offset(text, start, ascii);
        std::size_t end = ascii ? begin + static_cast<std::size_t>(count)
                                : begin + byte_offset(text.substr(begin), count, false);
        return std::string(text.substr(begin, end - begin));
    }
    if (ascii) {
        out.reserve(static_cast<std::size_t>(count));
        for (std::int64_t i = 0, index = start; i < count; ++i, index += step) out += text[static_cast<std::size_t>(index)];
        return out;
    }
    // Non-ASCII with a step: decode once, then pick.
    std::u32string code_points = decode(text);
    for (std::int64_t i = 0, index = start; i < count; ++i, index += step) {
        append_utf8(out, code_points[static_cast<std::size_t>(index)]);
    }
    return out;
}

// ---------------------------------------------------------------------------------------
// Character classes. Python defines them by Unicode general category (Objects/unicodectype.c).

namespace {

utf8proc_category_t category(char32_t c) { return utf8proc_category(static_cast<utf8proc_int32_t>(c)); }

// Digits that are not decimal (Numeric_Type=Digit): superscripts, subscripts, circled
// digits and the like. Python's isdigit() accepts them; a table of the common blocks.
bool is_non_decimal_digit(char32_t c) {
    return c == 0xB2 || c == 0xB3 || c == 0xB9 || (c >= 0x2070 && c <= 0x2079 && c != 0x2071 && c != 0x2072 && c != 0x2073) ||
           (c >= 0x2080 && c <= 0x2089) || (c >= 0x2460 && c <= 0x2468) || (c >= 0x2474 && c <= 0x247C) ||
           (c >= 0x2488 && c <= 0x2490) || c == 0x24EA || (c >= 0x24F5 && c <= 0x24FD) || c == 0x24FF ||
           (c >= 0x2776 && c <= 0x277E) || (c >= 0x2780 && c <= 0x2788) || (c >= 0x278A && c <= 0x2792) ||
           (c >= 0x1369 && c <= 0x1371) || c == 0x19DA;
}

} // namespace

bool is_alpha(char32_t c) {
    if (c < 0x80) return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    auto cat = category(c);
    return cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LL || cat == UTF8PROC_CATEGORY_LT ||
           cat == UTF8PROC_CATEGORY_LM || cat == UTF8PROC_CATEGORY_LO;
}

bool is_decimal(char32_t c) {
    if (c < 0x80) return c >= '0' && c <= '9';
    return category(c) == UTF8PROC_CATEGORY_ND;
}

bool is_digit(char32_t c) { return is_decimal(c) || is_non_decimal_digit(c); }

bool is_numeric(char32_t c) {
    if (c < 0x80) return c >= '0' && c <= '9';
    auto cat = category(c);
    if (cat == UTF8PROC_CATEGORY_ND || cat == UTF8PROC_CATEGORY_NL || cat == UTF8PROC_CATEGORY_NO) return true;
    // CJK numerals are letters (Lo) with a numeric value; the common ones.
    static const char32_t cjk[] = {0x3007, 0x4E00, 0x4E8C, 0x4E09, 0x56DB, 0x4E94, 0x516D, 0x4E03, 0x516B,
                                   0x4E5D, 0x5341, 0x767E, 0x5343, 0x4E07, 0x5104, 0x96F6};
    for (char32_t n : cjk) {
        if (c == n) return true;
    }
    return false;
}

bool is_alnum(char32_t c) { return is_alpha(c) || is_decimal(c) || is_digit(c) || is_numeric(c); }

bool is_space(char32_t c) {
    // Python: bidirectional class WS, B or S, or category Zs.
    if (c < 0x80) return c == ' ' || (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x1F);
    if (c == 0x85 || c == 0xA0 || c == 0x2028 || c == 0x2029) return true;
    return category(c) == UTF8PROC_CATEGORY_ZS;
}

bool is_upper(char32_t c) {
    if (c < 0x80) return c >= 'A' && c <= 'Z';
    return utf8proc_isupper(static_cast<utf8proc_int32_t>(c)) != 0;
}

bool is_lower(char32_t c) {
    if (c < 0x80) return c >= 'a' && c <= 'z';
    return utf8proc_islower(static_cast<utf8proc_int32_t>(c)) != 0;
}

bool is_title(char32_t c) { return category(c) == UTF8PROC_CATEGORY_LT; }

bool is_cased(char32_t c) { return is_upper(c) || is_lower(c) || is_title(c); }

bool is_printable(char32_t c) {
    if (c < 0x80) return c >= 0x20 && c < 0x7F;
    // Not printable: other (Cc Cf Cs Co Cn) and separators other than the ASCII space.
    auto cat = category(c);
    switch (cat) {
    case UTF8PROC_CATEGORY_CN:
    case UTF8PROC_CATEGORY_CC:
    case UTF8PROC_CATEGORY_CF:
    case UTF8PROC_CATEGORY_CS:
    case UTF8PROC_CATEGORY_CO:
    case UTF8PROC_CATEGORY_ZS:
    case UTF8PROC_CATEGORY_ZL:
    case UTF8PROC_CATEGORY_ZP:
        return false;
    default:
        return true;
    }
}

bool is_identifier_start(char32_t c) {
    if (c < 0x80) return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    return is_alpha(c) || category(c) == UTF8PROC_CATEGORY_NL;
}

bool is_identifier_continue(char32_t c) {
    if (c < 0x80) return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    auto cat = category(c);
    return is_identifier_start(c) || cat == UTF8PROC_CATEGORY_MN || cat == UTF8PROC_CATEGORY_MC ||
           cat == UTF8PROC_CATEGORY_ND || cat == UTF8PROC_CATEGORY_PC;
}

int decimal_value(char32_t c) {
    if (c >= '0' && c <= '9') return static_cast<int>(c - '0');
    if (c < 0x80 || !is_decimal(c)) return -1;
    // Decimal digits come in runs of ten starting at a zero, in every script.
    char32_t zero = c;
    while (zero > 0 && is_decimal(zero - 1) && c - (zero - 1) < 10) --zero;
    return static_cast<int>((c - zero) % 10);
}

// ---------------------------------------------------------------------------------------
// Case mapping. utf8proc maps one code point to one; the few full mappings that produce
// several (German sharp s, the ligatures) are handled here first.

namespace {

// The full upper/title case of c when it is more than one code point; empty otherwise.
std::u32string_view special_upper(char32_t c) {
    switch (c) {
    case 0xDF: return U"SS";
    case 0xFB00: return U"FF";
    case 0xFB01: return U"FI";
    case 0xFB02: return U"FL";
    case 0xFB03: return U"FFI";
    case 0xFB04: return U"FFL";
    case 0xFB05: case 0xFB06: return U"ST";
    case 0x149: return U"\u02BCN";
    default: return {};
    }
}

std::u32string_view special_title(char32_t c) {
    switch (c) {
    case 0xDF: return U"Ss";
    case 0xFB00: return U"Ff";
    case 0xFB01: return U"Fi";
    case 0xFB02: return U"Fl";
    case 0xFB03: return U"Ffi";
    case 0xFB04: return U"Ffl";
    case 0xFB05: case 0xFB06: return U"St";
    default: return {};
    }
}

void append_upper(std::string& out, char32_t c) {
    if (c < 0x80) {
        out += static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c);
        return;
    }
    auto special = special_upper(c);
    if (!special.empty()) {
        for (char32_t s : special) append_utf8(out, s);
        return;
    }
    append_utf8(out, static_cast<char32_t>(utf8proc_toupper(static_cast<utf8proc_int32_t>(c))));
}

void append_lower(std::string& out, char32_t c) {
    if (c < 0x80) {
        out += static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
        return;
    }
    // Capital I with dot above lowers to i + combining dot above.
    if (c == 0x130) {
        out += "i\xCC\x87";
        return;
    }
    append_utf8(out, static_cast<char32_t>(utf8proc_tolower(static_cast<utf8proc_int32_t>(c))));
}

// Lowers chars[i], knowing its neighbours: a capital sigma at the end of a word becomes
// the final form, 'ΣΑΣ'.lower() == 'σας'.
void append_lower_at(std::string& out, const std::u32string& chars, std::size_t i) {
    if (chars[i] == 0x3A3) {
        bool after_cased = i > 0 && is_cased(chars[i - 1]);
        bool before_cased = i + 1 < chars.size() && is_cased(chars[i + 1]);
        append_utf8(out, after_cased && !before_cased ? 0x3C2 : 0x3C3);
        return;
    }
    append_lower(out, chars[i]);
}

void append_title(std::string& out, char32_t c) {
    auto special = special_title(c);
    if (!special.empty()) {
        for (char32_t s : special) append_utf8(out, s);
        return;
    }
    append_utf8(out, static_cast<char32_t>(utf8proc_totitle(static_cast<utf8proc_int32_t>(c))));
}

} // namespace

std::string to_upper(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t pos = 0; pos < text.size();) append_upper(out, decode_next(text, pos));
    return out;
}

std::string to_lower(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    if (is_ascii(text)) {
        for (std::size_t pos = 0; pos < text.size();) append_lower(out, decode_next(text, pos));
        return out;
    }
    std::u32string chars = decode(text);
    for (std::size_t i = 0; i < chars.size(); ++i) append_lower_at(out, chars, i);
    return out;
}

std::string casefold(std::string_view text) {
    if (is_ascii(text)) return to_lower(text);
    utf8proc_uint8_t* result = nullptr;
    utf8proc_ssize_t length = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(text.data()),
                                           static_cast<utf8proc_ssize_t>(text.size()), &result,
                                           static_cast<utf8proc_option_t>(UTF8PROC_CASEFOLD));
    if (length < 0) return to_lower(text);
    std::string out(reinterpret_cast<const char*>(result), static_cast<std::size_t>(length));
    std::free(result);
    return out;
}

std::string swapcase(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t pos = 0; pos < text.size();) {
        char32_t c = decode_next(text, pos);
        if (is_upper(c)) append_lower(out, c);
        else if (is_lower(c)) append_upper(out, c);
        else append_utf8(out, c);
    }
    return out;
}

std::string title(std::string_view text) {
    // A letter directly after a cased letter is lowered; any other cased letter is titled.
    std::string out;
    out.reserve(text.size());
    std::u32string chars = decode(text);
    bool previous_cased = false;
    for (std::size_t i = 0; i < chars.size(); ++i) {
        char32_t c = chars[i];
        if (previous_cased) append_lower_at(out, chars, i);
        else if (c < 0x80) append_upper(out, c);
        else append_title(out, c);
        previous_cased = is_cased(c);
    }
    return out;
}

std::string capitalize(std::string_view text) {
    // The first character in title case, the rest lower case.
    std::string out;
    out.reserve(text.size());
    std::u32string chars = decode(text);
    for (std::size_t i = 0; i < chars.size(); ++i) {
        if (i > 0) append_lower_at(out, chars, i);
        else if (chars[i] < 0x80) append_upper(out, chars[i]);
        else append_title(out, chars[i]);
    }
    return out;
}

bool is_title_string(std::string_view text) {
    // Upper/title case letters only after uncased characters, lower case only after cased
    // ones, and at least one cased character.
    bool cased = false, previous_cased = false;
    for (std::size_t pos = 0; pos < text.size();) {
        char32_t c = decode_next(text, pos);
        if (is_upper(c) || is_title(c)) {
            if (previous_cased) return false;
            previous_cased = cased = true;
        } else if (is_lower(c)) {
            if (!previous_cased) return false;
            previous_cased = cased = true;
        } else {
            previous_cased = false;
        }
    }
    return cased;
}

// ---------------------------------------------------------------------------------------
// repr

namespace {

void append_escape(std::string& out, char32_t c) {
    char buffer[16];
    if (c < 0x100) std::snprintf(buffer, sizeof buffer, "\\x%02x", static_cast<unsigned>(c));
    else if (c < 0x10000) std::snprintf(buffer, sizeof buffer, "\\u%04x", static_cast<unsigned>(c));
    else std::snprintf(buffer, sizeof buffer, "\\U%08x", static_cast<unsigned>(c));
    out += buffer;
}

std::string repr_with(std::string_view text, bool ascii_only) {
    // Single quotes, unless the text has a ' and no ": then double quotes.
    bool has_single = text.find('\'') != std::string_view::npos;
    bool has_double = text.find('"') != std::string_view::npos;
    char quote = has_single && !has_double ? '"' : '\'';
    std::string out;
    out.reserve(text.size() + 2);
    out += quote;
    for (std::size_t pos = 0; pos < text.size();) {
        char32_t c = decode_next(text, pos);
        if (c == static_cast<char32_t>(quote) || c == '\\') {
            out += '\\';
            out += static_cast<char>(c);
        } else if (c == '\t') {
            out += "\\t";
        } else if (c == '\n') {
            out += "\\n";
        } else if (c == '\r') {
            out += "\\r";
        } else if (c < 0x20 || c == 0x7F) {
            append_escape(out, c);
        } else if (c < 0x80) {
            out += static_cast<char>(c);
        } else if (!ascii_only && is_printable(c)) {
            append_utf8(out, c);
        } else {
            append_escape(out, c);
        }
    }
    out += quote;
    return out;
}

} // namespace

std::string repr(std::string_view text) { return repr_with(text, false); }

std::string ascii_repr(std::string_view text) { return repr_with(text, true); }

std::string escape_non_ascii(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t pos = 0; pos < text.size();) {
        char32_t c = decode_next(text, pos);
        if (c < 0x80) out += static_cast<char>(c);
        else append_escape(out, c);
    }
    return out;
}

} // namespace asy::text
