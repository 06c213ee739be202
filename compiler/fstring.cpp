// f-strings: the lexer hands over an f-string's body undecoded; here it is split into text
// pieces and `{expression!conversion:format_spec}` fields. Each expression is lexed and
// parsed again by the real grammar (entry START_EXPRESSION), with positions that point into
// the original file, so errors inside f-strings show the right line and column.
#include <cctype>
#include <vector>

#include "compiler/parse_driver.hpp"

namespace asy::front {

namespace {

// Walks one f-string body. Offsets are byte offsets into `body`, which is a view of the
// source text; m_positions maps each offset to its line and column in the file.
class FStringParser {
public:
    FStringParser(ParseDriver& driver, const Token& token, std::string_view body, int depth)
        : m_driver(driver), m_token(token), m_body(body), m_depth(depth) {
        // Positions of every byte of the body, plus one past the end.
        int line = token.body_line, column = token.body_column;
        m_positions.reserve(body.size() + 1);
        for (std::size_t i = 0; i < body.size(); ++i) {
            m_positions.push_back({line, column});
            unsigned char c = static_cast<unsigned char>(body[i]);
            if (c == '\n' || (c == '\r' && (i + 1 >= body.size() || body[i + 1] != '\n'))) {
                ++line;
                column = 1;
            } else if ((c & 0xC0) != 0x80 && c != '\r') {
                ++column;
            }
        }
        m_positions.push_back({line, column});
    }

    // Parses pieces from `i` until the end of the body, or (inside a format spec) until the
    // '}' that closes the field, which is left for the caller.
    bool parse_pieces(std::size_t& i, bool in_format_spec, int spec_depth, ast::ExprList& values) {
        std::string literal;
        std::size_t literal_start = i;
        auto flush = [&](std::size_t end) {
            if (literal.empty()) return true;
            std::string text;
            literal = normalize_newlines(literal);
            if (m_token.is_raw) {
                text = std::move(literal);
            } else {
                std::string message;
                if (!decode_string_escapes(literal, false, text, &message)) {
                    return m_driver.fail(span(literal_start, end), message);
                }
            }
            literal.clear();
            auto piece = ast::make<ast::Constant>(span(literal_start, end));
            piece->value = std::move(text);
            values.push_back(std::move(piece));
            return true;
        };
        const std::size_t n = m_body.size();
        while (i < n) {
            const char c = m_body[i];
            if (c == '{') {
                if (!in_format_spec && i + 1 < n && m_body[i + 1] == '{') {  // `{{` is a literal brace
                    literal += '{';
                    i += 2;
                    continue;
                }
                if (!flush(i)) return false;
                if (!parse_field(i, spec_depth, values)) return false;
                literal_start = i;
                continue;
            }
            if (c == '}') {
                if (in_format_spec) return flush(i);
                if (i + 1 < n && m_body[i + 1] == '}') {
                    literal += '}';
                    i += 2;
                    continue;
                }
                return m_driver.fail(span(i, i + 1), "f-string: single '}' is not allowed");
            }
            if (c == '\\' && !m_token.is_raw && i + 1 < n && m_body[i + 1] != '{' && m_body[i + 1] != '}') {
                literal += c;  // keep the escape whole for decoding
                literal += m_body[i + 1];
                i += 2;
                continue;
            }
            literal += c;
            ++i;
        }
        if (!flush(i)) return false;
        if (in_format_spec) return m_driver.fail(span(i, i), "f-string: expecting '}'");
        return true;
    }

private:
    Span span(std::size_t begin, std::size_t end) const {
        const auto& a = m_positions[std::min(begin, m_positions.size() - 1)];
        const auto& b = m_positions[std::min(end, m_positions.size() - 1)];
        return Span{a.first, a.second, b.first, b.second};
    }

    // Parses the field that starts with the '{' at `i`; leaves `i` after its '}'.
    bool parse_field(std::size_t& i, int spec_depth, ast::ExprList& values) {
        const std::size_t open = i;
        const std::size_t start = i + 1;
        // A format spec may hold fields, and their specs fields again, but no deeper.
        if (spec_depth >= 2) return m_driver.fail(span(i, i + 1), "f-string: expressions nested too deeply");
        const std::size_t n = m_body.size();
        std::size_t j = start;
        int depth = 0;
        // Find where the expression ends: at a '}', '!', ':' or '=' outside any brackets.
        while (j < n) {
            const char c = m_body[j];
            if (c == '(' || c == '[' || c == '{') {
                ++depth;
            } else if (c == ')' || c == ']' || c == '}') {
                if (depth == 0) {
                    if (c == '}') break;
                    return m_driver.fail(span(j, j + 1), std::string("f-string: unmatched '") + c + "'");
                }
                --depth;
            } else if (c == '\'' || c == '"') {
                const bool triple = j + 2 < n && m_body[j + 1] == c && m_body[j + 2] == c;
                std::size_t k = j + (triple ? 3 : 1);
                while (k < n && !(m_body[k] == c && (!triple || (k + 2 < n && m_body[k + 1] == c && m_body[k + 2] == c)))) ++k;
                if (k >= n) return m_driver.fail(span(j, j + 1), "f-string: unterminated string");
                j = k + (triple ? 3 : 1);
                continue;
            } else if (c == '\\') {
                return m_driver.fail(span(j, j + 1), "f-string expression part cannot include a backslash");
            } else if (c == '#') {
                return m_driver.fail(span(j, j + 1), "f-string expression part cannot include '#'");
            } else if (depth == 0) {
                if (c == '!' && !(j + 1 < n && m_body[j + 1] == '=')) break;
                if (c == ':') break;
                if (c == '=' && !(j + 1 < n && m_body[j + 1] == '=') && j > start &&
                    std::string_view("=!<>").find(m_body[j - 1]) == std::string_view::npos) {
                    break;
                }
            }
            ++j;
        }
        if (j >= n) return m_driver.fail(span(n, n), "f-string: expecting '}'");
        std::string_view expression_text = m_body.substr(start, j - start);
        if (expression_text.find_first_not_of(" \t\r\n\f") == std::string_view::npos) {
            return m_driver.fail(span(j, j + 1), "f-string: empty expression not allowed");
        }
        ast::ExprPtr expression = parse_expression(start, j);
        if (!expression) return false;

        // `{x=}` shows its own text first: the text, the '=' and any spaces after it.
        bool self_documenting = false;
        if (m_body[j] == '=') {
            self_documenting = true;
            ++j;
            while (j < n && std::isspace(static_cast<unsigned char>(m_body[j]))) ++j;
        }
        const std::size_t after_expression = j;
        char conversion = 0;
        if (j < n && m_body[j] == '!') {
            ++j;
            if (j >= n) return m_driver.fail(span(j, j), "f-string: expecting '}'");
            conversion = m_body[j];
            if (conversion != 's' && conversion != 'r' && conversion != 'a') {
                return m_driver.fail(span(j, j + 1), "f-string: invalid conversion character: expected 's', 'r', or 'a'");
            }
            ++j;
        }
        ast::ExprPtr format_spec;
        if (j < n && m_body[j] == ':') {
            // A format spec is itself an f-string body.
            ++j;
            const std::size_t spec_start = j;
            ast::ExprList spec_values;
            if (!parse_pieces(j, true, spec_depth + 1, spec_values)) return false;
            auto spec = ast::make<ast::JoinedStr>(span(spec_start, j));
            spec->values = std::move(spec_values);
            format_spec = std::move(spec);
        }
        if (j >= n || m_body[j] != '}') return m_driver.fail(span(j, j), "f-string: expecting '}'");
        ++j;
        if (self_documenting) {
            auto text = ast::make<ast::Constant>(span(start, after_expression));
            text->value = std::string(m_body.substr(start, after_expression - start));
            values.push_back(std::move(text));
            // With a format spec the value is formatted; otherwise it is shown with repr().
            if (conversion == 0 && !format_spec) conversion = 'r';
        }
        auto field = ast::make<ast::FormattedValue>(span(open, j));
        field->value = std::move(expression);
        field->conversion = conversion;
        field->format_spec = std::move(format_spec);
        values.push_back(std::move(field));
        i = j;
        return true;
    }

    // Lexes and parses body[begin, end) as an expression with the real grammar.
    ast::ExprPtr parse_expression(std::size_t begin, std::size_t end) {
        const auto& at = m_positions[begin];
        std::string_view text = m_body.substr(begin, end - begin);
        ParseDriver inner(m_driver.source(), tokenize_fragment(m_driver.source(), text, at.first, at.second),
                          ParseDriver::Mode::Expression, m_depth + 1);
        inner.set_operators_on_line(m_driver.operators_on_line());
        inner.run();
        if (inner.error) {
            SyntaxError error = *inner.error;
            if (error.message.rfind("f-string", 0) != 0) error.message = "f-string: " + error.message;
            if (!m_driver.error) m_driver.error = std::move(error);
            return nullptr;
        }
        return std::move(inner.expression);
    }

    ParseDriver& m_driver;
    const Token& m_token;
    std::string_view m_body;
    int m_depth;
    std::vector<std::pair<int, int>> m_positions;
};

}  // namespace

bool ParseDriver::parse_fstring(const Token& token, ast::ExprList& values) {
    if (m_fstring_depth >= max_fstring_depth) return fail(token.span, "f-string: expressions nested too deeply");
    // Find the body inside the token's text: after the prefix and the opening quotes.
    std::string_view text = token.text;
    const std::size_t quote = text.find_first_of("'\"");
    const bool triple = quote + 2 < text.size() && text[quote + 1] == text[quote] && text[quote + 2] == text[quote];
    std::string_view body = text.substr(quote + (triple ? 3 : 1), token.value.size());
    FStringParser parser(*this, token, body, m_fstring_depth);
    std::size_t i = 0;
    return parser.parse_pieces(i, false, 0, values);
}

}  // namespace asy::front
