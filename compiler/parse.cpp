// The parse driver (parse_driver.hpp): hands the lexer's tokens to the Bison parser, builds
// and checks the AST nodes the grammar asks for, and words syntax errors as CPython 3.11
// does. Also the public entry points of parse.hpp.
#include "compiler/parse.hpp"

#include <algorithm>
#include <cstdlib>
#include <new>
#include <set>

#include "compiler/parse_driver.hpp"

namespace asy {

namespace front {

// When no CPython message fits, say which token was unexpected and what could have come
// instead ("invalid syntax: unexpected ')' (expected an expression)"). CPython itself says
// just "invalid syntax"; set this to false to match it word for word.
constexpr bool describe_unexpected_tokens = true;

Span to_span(const grammar::location& location) {
    return Span{location.begin.line, location.begin.column, location.end.line, location.end.column};
}

namespace {

grammar::location to_location(Span span) {
    grammar::location location;
    location.begin.line = span.line;
    location.begin.column = span.column;
    location.end.line = span.end_line;
    location.end.column = span.end_column;
    return location;
}

// The token Bison knows for each lexer token without a value.
Parser::token::token_kind_type bison_token(TokenKind kind) {
    using T = Parser::token;
    switch (kind) {
    case TokenKind::Newline: return T::TOK_NEWLINE;
    case TokenKind::Indent: return T::TOK_INDENT;
    case TokenKind::Dedent: return T::TOK_DEDENT;
    case TokenKind::False: return T::TOK_FALSE;
    case TokenKind::None: return T::TOK_NONE;
    case TokenKind::True: return T::TOK_TRUE;
    case TokenKind::And: return T::TOK_AND;
    case TokenKind::As: return T::TOK_AS;
    case TokenKind::Assert: return T::TOK_ASSERT;
    case TokenKind::Async: return T::TOK_ASYNC;
    case TokenKind::Await: return T::TOK_AWAIT;
    case TokenKind::Break: return T::TOK_BREAK;
    case TokenKind::Class: return T::TOK_CLASS;
    case TokenKind::Continue: return T::TOK_CONTINUE;
    case TokenKind::Def: return T::TOK_DEF;
    case TokenKind::Del: return T::TOK_DEL;
    case TokenKind::Elif: return T::TOK_ELIF;
    case TokenKind::Else: return T::TOK_ELSE;
    case TokenKind::Except: return T::TOK_EXCEPT;
    case TokenKind::Finally: return T::TOK_FINALLY;
    case TokenKind::For: return T::TOK_FOR;
    case TokenKind::From: return T::TOK_FROM;
    case TokenKind::Global: return T::TOK_GLOBAL;
    case TokenKind::If: return T::TOK_IF;
    case TokenKind::Import: return T::TOK_IMPORT;
    case TokenKind::In: return T::TOK_IN;
    case TokenKind::Is: return T::TOK_IS;
    case TokenKind::Lambda: return T::TOK_LAMBDA;
    case TokenKind::Nonlocal: return T::TOK_NONLOCAL;
    case TokenKind::Not: return T::TOK_NOT;
    case TokenKind::Or: return T::TOK_OR;
    case TokenKind::Pass: return T::TOK_PASS;
    case TokenKind::Raise: return T::TOK_RAISE;
    case TokenKind::Return: return T::TOK_RETURN;
    case TokenKind::Try: return T::TOK_TRY;
    case TokenKind::While: return T::TOK_WHILE;
    case TokenKind::With: return T::TOK_WITH;
    case TokenKind::Yield: return T::TOK_YIELD;
    case TokenKind::LeftParen: return T::TOK_LPAR;
    case TokenKind::RightParen: return T::TOK_RPAR;
    case TokenKind::LeftBracket: return T::TOK_LSQB;
    case TokenKind::RightBracket: return T::TOK_RSQB;
    case TokenKind::LeftBrace: return T::TOK_LBRACE;
    case TokenKind::RightBrace: return T::TOK_RBRACE;
    case TokenKind::Colon: return T::TOK_COLON;
    case TokenKind::Comma: return T::TOK_COMMA;
    case TokenKind::Semicolon: return T::TOK_SEMI;
    case TokenKind::Plus: return T::TOK_PLUS;
    case TokenKind::Minus: return T::TOK_MINUS;
    case TokenKind::Star: return T::TOK_STAR;
    case TokenKind::Slash: return T::TOK_SLASH;
    case TokenKind::VerticalBar: return T::TOK_VBAR;
    case TokenKind::Ampersand: return T::TOK_AMPER;
    case TokenKind::Less: return T::TOK_LESS;
    case TokenKind::Greater: return T::TOK_GREATER;
    case TokenKind::Equal: return T::TOK_EQUAL;
    case TokenKind::Dot: return T::TOK_DOT;
    case TokenKind::Percent: return T::TOK_PERCENT;
    case TokenKind::EqualEqual: return T::TOK_EQEQUAL;
    case TokenKind::NotEqual: return T::TOK_NOTEQUAL;
    case TokenKind::LessEqual: return T::TOK_LESSEQUAL;
    case TokenKind::GreaterEqual: return T::TOK_GREATEREQUAL;
    case TokenKind::Tilde: return T::TOK_TILDE;
    case TokenKind::Circumflex: return T::TOK_CIRCUMFLEX;
    case TokenKind::LeftShift: return T::TOK_LEFTSHIFT;
    case TokenKind::RightShift: return T::TOK_RIGHTSHIFT;
    case TokenKind::DoubleStar: return T::TOK_DOUBLESTAR;
    case TokenKind::PlusEqual: return T::TOK_PLUSEQUAL;
    case TokenKind::MinusEqual: return T::TOK_MINEQUAL;
    case TokenKind::StarEqual: return T::TOK_STAREQUAL;
    case TokenKind::SlashEqual: return T::TOK_SLASHEQUAL;
    case TokenKind::PercentEqual: return T::TOK_PERCENTEQUAL;
    case TokenKind::AmpersandEqual: return T::TOK_AMPEREQUAL;
    case TokenKind::VerticalBarEqual: return T::TOK_VBAREQUAL;
    case TokenKind::CircumflexEqual: return T::TOK_CIRCUMFLEXEQUAL;
    case TokenKind::LeftShiftEqual: return T::TOK_LEFTSHIFTEQUAL;
    case TokenKind::RightShiftEqual: return T::TOK_RIGHTSHIFTEQUAL;
    case TokenKind::DoubleStarEqual: return T::TOK_DOUBLESTAREQUAL;
    case TokenKind::DoubleSlash: return T::TOK_DOUBLESLASH;
    case TokenKind::DoubleSlashEqual: return T::TOK_DOUBLESLASHEQUAL;
    case TokenKind::At: return T::TOK_AT;
    case TokenKind::AtEqual: return T::TOK_ATEQUAL;
    case TokenKind::Arrow: return T::TOK_RARROW;
    case TokenKind::Ellipsis: return T::TOK_ELLIPSIS;
    case TokenKind::ColonEqual: return T::TOK_COLONEQUAL;
    case TokenKind::EndOfFile:
    case TokenKind::Name:
    case TokenKind::Number:
    case TokenKind::String:
    case TokenKind::Error:
        break;
    }
    return T::TOK_YYUNDEF;
}

// Tokens that can add a level to the AST: operators, dots, opening brackets, keywords that
// begin or join expressions. Names, literals, commas and closing brackets cannot.
bool may_deepen_ast(TokenKind kind) {
    switch (kind) {
    case TokenKind::Name:
    case TokenKind::Number:
    case TokenKind::String:
    case TokenKind::Comma:
    case TokenKind::Colon:
    case TokenKind::RightParen:
    case TokenKind::RightBracket:
    case TokenKind::RightBrace:
    case TokenKind::Newline:
    case TokenKind::Indent:
    case TokenKind::Dedent:
    case TokenKind::True:
    case TokenKind::False:
    case TokenKind::None:
        return false;
    default:
        return true;
    }
}

bool is_opening(TokenKind kind) {
    return kind == TokenKind::LeftParen || kind == TokenKind::LeftBracket || kind == TokenKind::LeftBrace;
}
bool is_closing(TokenKind kind) {
    return kind == TokenKind::RightParen || kind == TokenKind::RightBracket || kind == TokenKind::RightBrace;
}

// Tokens that can end an operand, and tokens that can begin one.
bool ends_operand(TokenKind kind) {
    switch (kind) {
    case TokenKind::Name: case TokenKind::Number: case TokenKind::String: case TokenKind::True:
    case TokenKind::False: case TokenKind::None: case TokenKind::Ellipsis: case TokenKind::RightParen:
    case TokenKind::RightBracket: case TokenKind::RightBrace:
        return true;
    default:
        return false;
    }
}
bool begins_operand(TokenKind kind) {
    switch (kind) {
    case TokenKind::Name: case TokenKind::Number: case TokenKind::String: case TokenKind::True:
    case TokenKind::False: case TokenKind::None: case TokenKind::Ellipsis: case TokenKind::LeftParen:
    case TokenKind::LeftBracket: case TokenKind::LeftBrace: case TokenKind::Lambda: case TokenKind::Not:
    case TokenKind::Await: case TokenKind::Tilde:
        return true;
    default:
        return false;
    }
}

// CPython's name for a kind of expression in "cannot assign to ..." messages.
std::string expression_name(const ast::Expr* expr) {
    switch (expr->kind) {
    case ast::ExprKind::Attribute: return "attribute";
    case ast::ExprKind::Subscript: return "subscript";
    case ast::ExprKind::Starred: return "starred";
    case ast::ExprKind::Name: return "name";
    case ast::ExprKind::List: return "list";
    case ast::ExprKind::Tuple: return "tuple";
    case ast::ExprKind::Lambda: return "lambda";
    case ast::ExprKind::Call: return "function call";
    case ast::ExprKind::BoolOp:
    case ast::ExprKind::BinOp:
    case ast::ExprKind::UnaryOp: return "expression";
    case ast::ExprKind::GeneratorExp: return "generator expression";
    case ast::ExprKind::Yield:
    case ast::ExprKind::YieldFrom: return "yield expression";
    case ast::ExprKind::Await: return "await expression";
    case ast::ExprKind::ListComp: return "list comprehension";
    case ast::ExprKind::SetComp: return "set comprehension";
    case ast::ExprKind::DictComp: return "dict comprehension";
    case ast::ExprKind::Dict: return "dict literal";
    case ast::ExprKind::Set: return "set display";
    case ast::ExprKind::JoinedStr:
    case ast::ExprKind::FormattedValue: return "f-string expression";
    case ast::ExprKind::Compare: return "comparison";
    case ast::ExprKind::IfExp: return "conditional expression";
    case ast::ExprKind::NamedExpr: return "named expression";
    case ast::ExprKind::Slice: return "slice";
    case ast::ExprKind::Constant: {
        const auto& value = static_cast<const ast::Constant*>(expr)->value;
        if (std::holds_alternative<ast::NoneLiteral>(value)) return "None";
        if (const bool* b = std::get_if<bool>(&value)) return *b ? "True" : "False";
        if (std::holds_alternative<ast::EllipsisLiteral>(value)) return "ellipsis";
        return "literal";
    }
    }
    return "expression";
}

// Adds the decimal digits `digits` times `base` plus `add`; for integer literals too big for
// 64 bits, which the AST keeps as decimal text.
void multiply_add(std::string& digits, int base, int add) {
    int carry = add;
    for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
        int value = (*it - '0') * base + carry;
        *it = static_cast<char>('0' + value % 10);
        carry = value / 10;
    }
    while (carry > 0) {
        digits.insert(digits.begin(), static_cast<char>('0' + carry % 10));
        carry /= 10;
    }
}

int digit_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    return (c | 0x20) - 'a' + 10;
}

}  // namespace

// ---------------------------------------------------------------- the driver

ParseDriver::ParseDriver(const SourceFile& source, LexResult lexed, Mode mode, int fstring_depth)
    : m_source(source), m_tokens(std::move(lexed.tokens)), m_lex_error(std::move(lexed.error)), m_mode(mode),
      m_fstring_depth(fstring_depth) {
    if (m_tokens.empty()) {
        Token end;
        end.kind = TokenKind::EndOfFile;
        m_tokens.push_back(end);
    }
}

void ParseDriver::run() {
    Parser parser(*this);
    int status = 1;
    try {
        status = parser.parse();
    } catch (const std::bad_alloc&) {
        fail(m_tokens[static_cast<std::size_t>(std::max(m_lookahead, 0))].span, "too many nested expressions");
    }
    if (status != 0 && !error) {
        fail(m_tokens[static_cast<std::size_t>(std::max(m_lookahead, 0))].span, "invalid syntax");
    }
    prefer_lexer_error();
    if (error) {
        module.reset();
        expression.reset();
    }
}

// CPython, after a parse error, tokenizes the rest of the file and reports a tokenizer error
// found there instead (pegen's _PyPegen_tokenize_full_source_to_check_for_errors): an
// unterminated string further down explains the problem better than "invalid syntax". The
// errors its tokenizer signals without an exception -- indentation, end of file -- only
// count as a bracket that was never closed, and only when the parse error came on a later
// line than the bracket.
void ParseDriver::prefer_lexer_error() {
    if (!error || !m_lex_error) return;
    const SyntaxError& lexer = *m_lex_error;
    if (error->message == lexer.message && error->span.line == lexer.span.line &&
        error->span.column == lexer.span.column) {
        return;  // the error is the lexer's already
    }
    const std::string& message = lexer.message;
    auto ends_with = [&](std::string_view suffix) {
        return message.size() >= suffix.size() && message.compare(message.size() - suffix.size(), suffix.size(), suffix) == 0;
    };
    if (ends_with("was never closed")) {
        const int error_line = m_lookahead >= 0 ? m_tokens[static_cast<std::size_t>(m_lookahead)].span.line : 0;
        if (error_line > lexer.span.line) error = lexer;
        return;
    }
    if (lexer.kind != SyntaxErrorKind::SyntaxError || message == "unexpected EOF while parsing" ||
        message == "unexpected character after line continuation character") {
        return;
    }
    error = lexer;
}

bool ParseDriver::fail(Span span, std::string message, SyntaxErrorKind kind) {
    if (!error) error = make_syntax_error(m_source, span, std::move(message), kind);
    return false;
}

Parser::symbol_type ParseDriver::next_token() {
    if (m_next < 0) {
        m_next = 0;
        grammar::location start = to_location(m_tokens.front().span);
        return m_mode == Mode::File ? Parser::make_START_FILE(start) : Parser::make_START_EXPRESSION(start);
    }
    const int index = std::min(m_next, static_cast<int>(m_tokens.size()) - 1);
    m_next = index + 1;
    m_lookahead = index;
    const Token& token = m_tokens[static_cast<std::size_t>(index)];
    const grammar::location location = to_location(token.span);

    // Bound how deep one logical line can make the AST.
    if (token.kind == TokenKind::Newline) {
        m_operators_on_line = 0;
    } else if (may_deepen_ast(token.kind) && ++m_operators_on_line > max_operators_per_line) {
        fail(token.span, "too many nested expressions on one line (asy allows " +
                             std::to_string(max_operators_per_line) + " operators per line)");
        return Parser::make_YYerror(location);
    }
    if (is_opening(token.kind)) m_open_brackets.push_back(index);
    m_closed_bracket = -1;
    if (is_closing(token.kind) && !m_open_brackets.empty()) {
        m_closed_bracket = m_open_brackets.back();
        m_open_brackets.pop_back();
    }

    switch (token.kind) {
    case TokenKind::EndOfFile:
        return Parser::make_YYEOF(location);
    case TokenKind::Error:
        // The lexer stopped here; its error is the first one in the file.
        if (!error) error = m_lex_error;
        return Parser::make_YYerror(location);
    case TokenKind::Name:
        return Parser::make_NAME(std::string(token.text), location);
    case TokenKind::Number:
        return Parser::make_NUMBER(make_number(token), location);
    case TokenKind::String:
        return Parser::make_STRING(index, location);
    case TokenKind::LeftParen: {
        // `with (a as b, c):` -- the '(' encloses with-items when its ')' is followed by ':'.
        if (index > 0 && m_tokens[static_cast<std::size_t>(index - 1)].kind == TokenKind::With) {
            int depth = 0;
            for (std::size_t i = static_cast<std::size_t>(index); i < m_tokens.size(); ++i) {
                TokenKind kind = m_tokens[i].kind;
                if (is_opening(kind)) ++depth;
                if (is_closing(kind) && --depth == 0) {
                    if (i + 1 < m_tokens.size() && m_tokens[i + 1].kind == TokenKind::Colon) {
                        return Parser::make_WITH_LPAR(location);
                    }
                    break;
                }
                if (kind == TokenKind::Newline || kind == TokenKind::Error) break;
            }
        }
        return Parser::symbol_type(Parser::token::TOK_LPAR, location);
    }
    default:
        return Parser::symbol_type(bison_token(token.kind), location);
    }
}

ast::ExprPtr ParseDriver::make_number(const Token& token) {
    auto node = ast::make<ast::Constant>(token.span);
    std::string text;
    for (char c : token.text) {
        if (c != '_') text += c;
    }
    const bool is_prefixed = text.size() > 1 && text[0] == '0' && std::string("xXoObB").find(text[1]) != std::string::npos;
    const bool is_float = !is_prefixed && text.find_first_of(".eE") != std::string::npos;
    if (is_float) {
        // Too large a float becomes inf, as in CPython.
        node->value = std::strtod(text.c_str(), nullptr);
        return node;
    }
    int base = 10;
    std::size_t start = 0;
    if (is_prefixed) {
        char p = static_cast<char>(text[1] | 0x20);
        base = p == 'x' ? 16 : p == 'o' ? 8 : 2;
        start = 2;
    }
    // Accumulate in 64 bits while it fits, then in decimal digits.
    std::uint64_t value = 0;
    bool big = false;
    std::string digits = "0";
    for (std::size_t i = start; i < text.size(); ++i) {
        int d = digit_value(text[i]);
        if (!big) {
            if (value > (static_cast<std::uint64_t>(INT64_MAX) - static_cast<std::uint64_t>(d)) / static_cast<std::uint64_t>(base)) {
                big = true;
                digits = std::to_string(value);
            } else {
                value = value * static_cast<std::uint64_t>(base) + static_cast<std::uint64_t>(d);
                continue;
            }
        }
        multiply_add(digits, base, d);
    }
    if (big) {
        node->value = ast::BigIntLiteral{digits};
    } else {
        node->value = static_cast<std::int64_t>(value);
    }
    return node;
}

ast::ExprPtr ParseDriver::make_string(const std::vector<int>& token_indexes, Span span) {
    bool any_bytes = false, any_text = false, any_fstring = false;
    for (int index : token_indexes) {
        const Token& token = m_tokens[static_cast<std::size_t>(index)];
        (token.is_bytes ? any_bytes : any_text) = true;
        any_fstring = any_fstring || token.is_fstring;
    }
    if (any_bytes && any_text) {
        fail(span, "cannot mix bytes and nonbytes literals");
        return nullptr;
    }
    if (any_bytes) {
        std::string bytes;
        for (int index : token_indexes) bytes += m_tokens[static_cast<std::size_t>(index)].value;
        auto node = ast::make<ast::Constant>(span);
        node->value = ast::BytesLiteral{std::move(bytes)};
        return node;
    }
    if (!any_fstring) {
        std::string text;
        for (int index : token_indexes) text += m_tokens[static_cast<std::size_t>(index)].value;
        auto node = ast::make<ast::Constant>(span);
        node->value = std::move(text);
        return node;
    }
    // An f-string anywhere makes the whole concatenation a JoinedStr; plain pieces become
    // Constants, and neighbouring Constants are merged.
    ast::ExprList pieces;
    for (int index : token_indexes) {
        const Token& token = m_tokens[static_cast<std::size_t>(index)];
        if (token.is_fstring) {
            if (!parse_fstring(token, pieces)) return nullptr;
        } else if (!token.value.empty()) {
            auto piece = ast::make<ast::Constant>(token.span);
            piece->value = token.value;
            pieces.push_back(std::move(piece));
        }
    }
    auto node = ast::make<ast::JoinedStr>(span);
    for (auto& piece : pieces) {
        auto* text = ast::as<ast::Constant>(piece.get());
        auto* last = node->values.empty() ? nullptr : ast::as<ast::Constant>(node->values.back().get());
        if (text && last) {
            std::get<std::string>(last->value) += std::get<std::string>(text->value);
            last->span.end_line = text->span.end_line;
            last->span.end_column = text->span.end_column;
        } else if (!text || !std::get<std::string>(text->value).empty()) {
            node->values.push_back(std::move(piece));
        }
    }
    return node;
}

// ---------------------------------------------------------------- checks CPython makes while parsing

bool ParseDriver::check_target(const ast::Expr* target, TargetUse use) {
    switch (target->kind) {
    case ast::ExprKind::Name:
    case ast::ExprKind::Attribute:
    case ast::ExprKind::Subscript:
        return true;
    case ast::ExprKind::Starred:
        if (use == TargetUse::Delete) return fail(target->span, "cannot delete starred");
        return check_target(static_cast<const ast::Starred*>(target)->value.get(), use);
    case ast::ExprKind::Tuple:
    case ast::ExprKind::List: {
        const auto& elements = target->kind == ast::ExprKind::Tuple ? static_cast<const ast::Tuple*>(target)->elts
                                                                    : static_cast<const ast::List*>(target)->elts;
        for (const auto& element : elements) {
            if (!check_target(element.get(), use)) return false;
        }
        return true;
    }
    default:
        break;
    }
    const std::string what = expression_name(target);
    switch (use) {
    case TargetUse::Delete:
        return fail(target->span, "cannot delete " + what);
    case TargetUse::Assign:
        if (target->kind == ast::ExprKind::Yield || target->kind == ast::ExprKind::YieldFrom) {
            return fail(target->span, "assignment to yield expression not possible");
        }
        return fail(target->span, "cannot assign to " + what);
    default:
        return fail(target->span, "cannot assign to " + what);
    }
}

ast::StmtPtr ParseDriver::make_assign(ast::ExprPtr first, ast::ExprList rest, Span span) {
    auto node = ast::make<ast::Assign>(span);
    node->targets.push_back(std::move(first));
    node->value = std::move(rest.back());
    rest.pop_back();
    for (auto& target : rest) node->targets.push_back(std::move(target));
    for (const auto& target : node->targets) {
        const ast::Expr* t = target.get();
        if (t->kind == ast::ExprKind::Starred) {
            fail(t->span, "starred assignment target must be in a list or tuple");
            return nullptr;
        }
        // `f() = 1` with a single '=' gets CPython's hint that `==` may have been meant,
        // unless the target is a display, a keyword constant or looser than `|`.
        const std::string what = expression_name(t);
        bool hint = node->targets.size() == 1 && what != "True" && what != "False" && what != "None";
        switch (t->kind) {
        case ast::ExprKind::Tuple: case ast::ExprKind::List: case ast::ExprKind::GeneratorExp:
        case ast::ExprKind::Yield: case ast::ExprKind::YieldFrom: case ast::ExprKind::Compare:
        case ast::ExprKind::BoolOp: case ast::ExprKind::IfExp: case ast::ExprKind::Lambda:
        case ast::ExprKind::NamedExpr: case ast::ExprKind::Starred:
            hint = false;
            break;
        case ast::ExprKind::UnaryOp:
            hint = static_cast<const ast::UnaryOp*>(t)->op != ast::UnaryOperator::Not;
            break;
        default:
            break;
        }
        if (hint && t->kind != ast::ExprKind::Name && t->kind != ast::ExprKind::Attribute &&
            t->kind != ast::ExprKind::Subscript) {
            fail(t->span, "cannot assign to " + expression_name(t) + " here. Maybe you meant '==' instead of '='?");
            return nullptr;
        }
        if (!check_target(t, TargetUse::Assign)) return nullptr;
    }
    return node;
}

ast::StmtPtr ParseDriver::make_delete(ast::ExprPtr targets, Span span) {
    auto node = ast::make<ast::Delete>(span);
    auto* tuple = ast::as<ast::Tuple>(targets.get());
    if (tuple && !is_parenthesized(tuple)) {
        node->targets = std::move(tuple->elts);
    } else {
        node->targets.push_back(std::move(targets));
    }
    for (const auto& target : node->targets) {
        if (!check_target(target.get(), TargetUse::Delete)) return nullptr;
    }
    return node;
}

ast::StmtPtr ParseDriver::make_ann_assign(ast::ExprPtr target, ast::ExprPtr annotation, ast::ExprPtr value, Span span) {
    switch (target->kind) {
    case ast::ExprKind::Name:
    case ast::ExprKind::Attribute:
    case ast::ExprKind::Subscript:
        break;
    case ast::ExprKind::Tuple:
        fail(target->span, "only single target (not tuple) can be annotated");
        return nullptr;
    case ast::ExprKind::List:
        fail(target->span, "only single target (not list) can be annotated");
        return nullptr;
    default:
        fail(target->span, "illegal target for annotation");
        return nullptr;
    }
    auto node = ast::make<ast::AnnAssign>(span);
    // `x: int` is simple; `(x): int` is not (it names no local variable in a class body).
    node->simple = target->kind == ast::ExprKind::Name && !is_parenthesized(target.get());
    node->target = std::move(target);
    node->annotation = std::move(annotation);
    node->value = std::move(value);
    return node;
}

ast::StmtPtr ParseDriver::make_aug_assign(ast::ExprPtr target, ast::BinaryOperator op, ast::ExprPtr value, Span span) {
    if (target->kind != ast::ExprKind::Name && target->kind != ast::ExprKind::Attribute &&
        target->kind != ast::ExprKind::Subscript) {
        fail(target->span, "'" + expression_name(target.get()) + "' is an illegal expression for augmented assignment");
        return nullptr;
    }
    auto node = ast::make<ast::AugAssign>(span);
    node->target = std::move(target);
    node->op = op;
    node->value = std::move(value);
    return node;
}

ast::ExprPtr ParseDriver::make_named_expr(ast::ExprPtr target, ast::ExprPtr value, Span span) {
    if (target->kind != ast::ExprKind::Name) {
        fail(target->span, "cannot use assignment expressions with " + expression_name(target.get()));
        return nullptr;
    }
    auto node = ast::make<ast::NamedExpr>(span);
    node->target = std::move(target);
    node->value = std::move(value);
    return node;
}

ast::StmtPtr ParseDriver::make_try(ast::StmtList body, TryTail tail, Span span) {
    if (tail.star_handlers > 0 && tail.star_handlers != static_cast<int>(tail.handlers.size())) {
        fail(span, "cannot have both 'except' and 'except*' on the same 'try'");
        return nullptr;
    }
    for (std::size_t i = 0; i + 1 < tail.handlers.size(); ++i) {
        if (!tail.handlers[i].type) {
            fail(tail.handlers[i].span, "default 'except:' must be last");
            return nullptr;
        }
    }
    auto node = ast::make<ast::Try>(span);
    node->body = std::move(body);
    node->handlers = std::move(tail.handlers);
    node->orelse = std::move(tail.orelse);
    node->finalbody = std::move(tail.finalbody);
    node->is_star = tail.star_handlers > 0;
    return node;
}

bool ParseDriver::make_arguments(std::vector<ParamItem> items, ast::Arguments& out) {
    bool seen_slash = false, seen_star = false, seen_kwarg = false, seen_default = false;
    const ParamItem* bare_star = nullptr;
    std::set<std::string> names;
    for (auto& item : items) {
        if (seen_kwarg) return fail(item.span, "arguments cannot follow var-keyword argument");
        if (!item.arg.name.empty() && !names.insert(item.arg.name).second) {
            return fail(item.arg.span, "duplicate argument '" + item.arg.name + "' in function definition");
        }
        switch (item.kind) {
        case ParamItem::Kind::Slash:
            if (seen_star) return fail(item.span, "/ must be ahead of *");
            if (seen_slash) return fail(item.span, "/ may appear only once");
            if (out.args.empty()) return fail(item.span, "at least one argument must precede /");
            seen_slash = true;
            out.posonlyargs = std::move(out.args);
            out.args.clear();
            break;
        case ParamItem::Kind::Star:
            if (seen_star) return fail(item.span, "* argument may appear only once");
            if (item.default_value) return fail(item.span, "var-positional argument cannot have default value");
            seen_star = true;
            if (item.arg.name.empty()) {
                bare_star = &item;
            } else {
                out.vararg = std::move(item.arg);
            }
            break;
        case ParamItem::Kind::DoubleStar:
            if (item.default_value) return fail(item.span, "var-keyword argument cannot have default value");
            seen_kwarg = true;
            out.kwarg = std::move(item.arg);
            break;
        case ParamItem::Kind::Plain:
            if (seen_star) {
                bare_star = nullptr;
                out.kwonlyargs.push_back(std::move(item.arg));
                out.kw_defaults.push_back(std::move(item.default_value));
            } else {
                if (item.default_value) {
                    seen_default = true;
                    out.defaults.push_back(std::move(item.default_value));
                } else if (seen_default) {
                    return fail(item.span, "non-default argument follows default argument");
                }
                out.args.push_back(std::move(item.arg));
            }
            break;
        }
    }
    if (bare_star) return fail(bare_star->span, "named arguments must follow bare *");
    return true;
}

ast::ExprPtr ParseDriver::make_call(ast::ExprPtr function, std::vector<CallItem> items, Span span) {
    auto node = ast::make<ast::Call>(span);
    node->func = std::move(function);
    bool seen_keyword = false, seen_keyword_unpacking = false;
    std::set<std::string> keyword_names;
    for (auto& item : items) {
        switch (item.kind) {
        case CallItem::Kind::Positional:
            // A generator expression needs its own brackets unless it is the only argument.
            if (item.is_generator && items.size() > 1) {
                fail(item.span, "Generator expression must be parenthesized");
                return nullptr;
            }
            if (seen_keyword_unpacking) {
                fail(item.span, "positional argument follows keyword argument unpacking");
                return nullptr;
            }
            if (seen_keyword) {
                fail(item.span, "positional argument follows keyword argument");
                return nullptr;
            }
            node->args.push_back(std::move(item.value));
            break;
        case CallItem::Kind::Starred:
            if (seen_keyword_unpacking) {
                fail(item.span, "iterable argument unpacking follows keyword argument unpacking");
                return nullptr;
            }
            node->args.push_back(std::move(item.value));
            break;
        case CallItem::Kind::Keyword:
            if (!keyword_names.insert(*item.name).second) {
                fail(item.span, "keyword argument repeated: " + *item.name);
                return nullptr;
            }
            seen_keyword = true;
            node->keywords.push_back(ast::Keyword{std::move(item.name), std::move(item.value), item.span});
            break;
        case CallItem::Kind::DoubleStarred:
            seen_keyword_unpacking = true;
            node->keywords.push_back(ast::Keyword{std::nullopt, std::move(item.value), item.span});
            break;
        }
    }
    return node;
}

ast::ExprPtr ParseDriver::make_display(char bracket, Display display, Span span) {
    const bool comprehension = !display.generators.empty();
    if (comprehension && !display.elements.empty() && display.elements.front()->kind == ast::ExprKind::Starred) {
        fail(display.elements.front()->span, "iterable unpacking cannot be used in comprehension");
        return nullptr;
    }
    if (bracket == '(') {
        if (comprehension) {
            auto node = ast::make<ast::GeneratorExp>(span);
            node->elt = std::move(display.elements.front());
            node->generators = std::move(display.generators);
            mark_parenthesized(node.get());
            return node;
        }
        if (display.elements.size() == 1 && !display.has_comma) {
            ast::ExprPtr inner = std::move(display.elements.front());
            if (inner->kind == ast::ExprKind::Starred) {
                fail(inner->span, "cannot use starred expression here");
                return nullptr;
            }
            mark_parenthesized(inner.get());
            return inner;
        }
        auto node = ast::make<ast::Tuple>(span);
        node->elts = std::move(display.elements);
        mark_parenthesized(node.get());
        return node;
    }
    if (bracket == '[') {
        if (comprehension) {
            auto node = ast::make<ast::ListComp>(span);
            node->elt = std::move(display.elements.front());
            node->generators = std::move(display.generators);
            return node;
        }
        auto node = ast::make<ast::List>(span);
        node->elts = std::move(display.elements);
        return node;
    }
    if (display.is_dict) {
        if (comprehension) {
            if (!display.keys.front()) {
                fail(display.values.front()->span, "dict unpacking cannot be used in dict comprehension");
                return nullptr;
            }
            auto node = ast::make<ast::DictComp>(span);
            node->key = std::move(display.keys.front());
            node->value = std::move(display.values.front());
            node->generators = std::move(display.generators);
            return node;
        }
        auto node = ast::make<ast::Dict>(span);
        node->keys = std::move(display.keys);
        node->values = std::move(display.values);
        return node;
    }
    if (comprehension) {
        auto node = ast::make<ast::SetComp>(span);
        node->elt = std::move(display.elements.front());
        node->generators = std::move(display.generators);
        return node;
    }
    auto node = ast::make<ast::Set>(span);
    node->elts = std::move(display.elements);
    return node;
}

// ---------------------------------------------------------------- syntax error messages

int ParseDriver::statement_start(int index) const {
    int i = index;
    while (i > 0) {
        TokenKind kind = m_tokens[static_cast<std::size_t>(i - 1)].kind;
        if (kind == TokenKind::Newline || kind == TokenKind::Indent || kind == TokenKind::Dedent ||
            kind == TokenKind::Semicolon) {
            break;
        }
        --i;
    }
    return i;
}

// The first token of the operand that ends at token `index`: `a.b(c)[d]` from its `]`.
int ParseDriver::expression_start(int index) const {
    int i = index;
    while (i >= 0) {
        TokenKind kind = m_tokens[static_cast<std::size_t>(i)].kind;
        if (is_closing(kind)) {
            int depth = 0;
            for (; i >= 0; --i) {
                TokenKind k = m_tokens[static_cast<std::size_t>(i)].kind;
                if (is_closing(k)) ++depth;
                if (is_opening(k) && --depth == 0) break;
            }
            if (i < 0) return 0;
            if (i > 0 && ends_operand(m_tokens[static_cast<std::size_t>(i - 1)].kind)) {
                --i;  // a call or a subscript: keep going left
                continue;
            }
            return i;
        }
        if (i >= 2 && m_tokens[static_cast<std::size_t>(i - 1)].kind == TokenKind::Dot &&
            ends_operand(m_tokens[static_cast<std::size_t>(i - 2)].kind)) {
            i -= 2;
            continue;
        }
        return i;
    }
    return 0;
}

std::string ParseDriver::describe_expected(const std::vector<Parser::symbol_kind_type>& expected) const {
    using S = Parser::symbol_kind;
    bool expression = false;
    std::vector<std::string> names;
    for (auto kind : expected) {
        if (kind == S::S_NAME || kind == S::S_NUMBER || kind == S::S_STRING) {
            expression = true;
            continue;
        }
        // Tokens that only begin an expression are covered by "an expression".
        if (kind == S::S_LPAR || kind == S::S_LSQB || kind == S::S_LBRACE || kind == S::S_MINUS ||
            kind == S::S_PLUS || kind == S::S_TILDE || kind == S::S_NOT || kind == S::S_LAMBDA ||
            kind == S::S_AWAIT || kind == S::S_NONE || kind == S::S_TRUE || kind == S::S_FALSE ||
            kind == S::S_ELLIPSIS) {
            continue;
        }
        names.push_back(Parser::symbol_name(kind));
    }
    if (expression) {
        return names.empty() || names.size() > 3 ? "an expression" : "an expression or " + names.front();
    }
    if (names.empty() || names.size() > 4) return "";
    std::string text;
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (i > 0) text += i + 1 == names.size() ? " or " : ", ";
        text += names[i];
    }
    return text;
}

// Bison found a token it cannot use. CPython's PEG parser knows many typical mistakes by
// name; we recognise the same ones from three clues: the token Bison is looking at, the
// tokens before it, and the tokens Bison would have accepted instead (LAC makes that list
// exact). The rules run from the most specific to the most general:
//   1. indentation: "unexpected indent", "expected an indented block after 'if' ...";
//   2. statements asy or Python 3 lack: `match`, Python 2's `print x`;
//   3. known slips: `except A, B:`, `if x = 1:`, a missing ':', `try:` without `except`,
//      `a if b` without `else`, `{1: 2, 3}`, two operands side by side in brackets;
//   4. otherwise "invalid syntax", plus which token was unexpected and what could come.
void ParseDriver::report_syntax_error(const Parser::context& context) {
    if (error) return;
    using S = Parser::symbol_kind;
    const int la = std::max(m_lookahead, 0);
    const Token& token = m_tokens[static_cast<std::size_t>(la)];
    Parser::symbol_kind_type buffer[64];
    const int count = context.expected_tokens(buffer, 64);
    std::vector<Parser::symbol_kind_type> expected(buffer, buffer + std::max(count, 0));
    auto expects = [&](Parser::symbol_kind_type kind) {
        for (auto k : expected) {
            if (k == kind) return true;
        }
        return false;
    };
    const int start = statement_start(la);
    const Token& first = m_tokens[static_cast<std::size_t>(start)];
    const TokenKind previous = la > 0 ? m_tokens[static_cast<std::size_t>(la - 1)].kind : TokenKind::EndOfFile;

    // A block that should be indented, or indentation where no block begins.
    if (token.kind == TokenKind::Indent) {
        fail(token.span, "unexpected indent", SyntaxErrorKind::IndentationError);
        return;
    }
    if (expects(S::S_INDENT) && previous == TokenKind::Newline) {
        const int header_start = statement_start(la - 1);
        std::size_t h = static_cast<std::size_t>(header_start);
        if (m_tokens[h].kind == TokenKind::Async && h + 1 < m_tokens.size()) ++h;
        const Token& header = m_tokens[h];
        std::string what;
        switch (header.kind) {
        case TokenKind::Def: what = "function definition"; break;
        case TokenKind::Class: what = "class definition"; break;
        case TokenKind::Except:
            what = h + 1 < m_tokens.size() && m_tokens[h + 1].kind == TokenKind::Star ? "'except*' statement"
                                                                                      : "'except' statement";
            break;
        default: what = std::string(token_kind_name(header.kind)) + " statement"; break;
        }
        fail(token.span, "expected an indented block after " + what + " on line " + std::to_string(header.span.line),
             SyntaxErrorKind::IndentationError);
        return;
    }

    // `match` is a soft keyword; asy has no match statement, so say that plainly.
    if (first.kind == TokenKind::Name && first.text == "match") {
        for (std::size_t i = static_cast<std::size_t>(start); i + 1 < m_tokens.size(); ++i) {
            if (m_tokens[i].kind == TokenKind::Newline) {
                if (i > 0 && m_tokens[i - 1].kind == TokenKind::Colon) {
                    fail(first.span, "asy does not support `match` statements yet");
                    return;
                }
                break;
            }
        }
    }
    // Python 2's print and exec statements.
    if (first.kind == TokenKind::Name && (first.text == "print" || first.text == "exec") && la == start + 1 &&
        (token.kind == TokenKind::String || token.kind == TokenKind::Name || token.kind == TokenKind::Number)) {
        Span span = first.span;
        for (std::size_t i = static_cast<std::size_t>(la); i < m_tokens.size() && m_tokens[i].kind != TokenKind::Newline; ++i) {
            span.end_line = m_tokens[i].span.end_line;
            span.end_column = m_tokens[i].span.end_column;
        }
        const std::string name(first.text);
        fail(span, "Missing parentheses in call to '" + name + "'. Did you mean " + name + "(...)?");
        return;
    }
    if (first.kind == TokenKind::Except && token.kind == TokenKind::Comma) {
        fail(token.span, "multiple exception types must be parenthesized");
        return;
    }
    // `if x = 1:` -- an '=' where no assignment can be.
    if (token.kind == TokenKind::Equal && la > 0 && ends_operand(previous)) {
        const int left = expression_start(la - 1);
        Span span = m_tokens[static_cast<std::size_t>(left)].span;
        const Token& after = m_tokens[static_cast<std::size_t>(std::min<std::size_t>(la + 1, m_tokens.size() - 1))];
        span.end_line = after.span.end_line;
        span.end_column = after.span.end_column;
        fail(span, "invalid syntax. Maybe you meant '==' or ':=' instead of '='?");
        return;
    }
    // `if x` at the end of a line: the colon is missing.
    if (expects(S::S_COLON) && token.kind == TokenKind::Newline) {
        switch (first.kind) {
        case TokenKind::If: case TokenKind::Elif: case TokenKind::Else: case TokenKind::While:
        case TokenKind::For: case TokenKind::Try: case TokenKind::Except: case TokenKind::Finally:
        case TokenKind::With: case TokenKind::Def: case TokenKind::Class: case TokenKind::Async:
            fail(token.span, "expected ':'");
            return;
        default:
            break;
        }
    }
    if (expects(S::S_EXCEPT) && expects(S::S_FINALLY)) {
        fail(token.span, "expected 'except' or 'finally' block");
        return;
    }
    if (expects(S::S_ELSE) && !expects(S::S_COLON) && !expects(S::S_NEWLINE)) {
        // Underline the whole `a if b`, as CPython does.
        Span span = token.span;
        for (int i = la - 1; i > start; --i) {
            if (m_tokens[static_cast<std::size_t>(i)].kind == TokenKind::If) {
                span = m_tokens[static_cast<std::size_t>(expression_start(i - 1))].span;
                span.end_line = m_tokens[static_cast<std::size_t>(la - 1)].span.end_line;
                span.end_column = m_tokens[static_cast<std::size_t>(la - 1)].span.end_column;
                break;
            }
        }
        fail(span, "expected 'else' after 'if' expression");
        return;
    }
    // `{1: 2, 3}`: a key without its value.
    // (The bracket the lookahead closes counts as still open.)
    const int innermost = m_closed_bracket >= 0 ? m_closed_bracket : m_open_brackets.empty() ? -1 : m_open_brackets.back();
    if (innermost >= 0 && m_tokens[static_cast<std::size_t>(innermost)].kind == TokenKind::LeftBrace &&
        expects(S::S_COLON) && (token.kind == TokenKind::Comma || token.kind == TokenKind::RightBrace) &&
        ends_operand(previous)) {
        fail(m_tokens[static_cast<std::size_t>(expression_start(la - 1))].span, "':' expected after dictionary key");
        return;
    }
    // Two operands side by side inside brackets: a comma is probably missing.
    const bool in_brackets = !m_open_brackets.empty() || m_mode == Mode::Expression;
    if (in_brackets && ends_operand(previous) && begins_operand(token.kind)) {
        Span span = m_tokens[static_cast<std::size_t>(expression_start(la - 1))].span;
        span.end_line = token.span.end_line;
        span.end_column = token.span.end_column;
        fail(span, "invalid syntax. Perhaps you forgot a comma?");
        return;
    }
    if (token.kind == TokenKind::Error) {
        if (m_lex_error) error = m_lex_error;
        return;
    }

    std::string message = "invalid syntax";
    if (describe_unexpected_tokens) {
        std::string unexpected;
        switch (token.kind) {
        case TokenKind::Newline: unexpected = "end of line"; break;
        case TokenKind::EndOfFile: unexpected = "end of file"; break;
        case TokenKind::Dedent: unexpected = "end of block"; break;
        case TokenKind::String: unexpected = "string"; break;
        default: unexpected = "'" + std::string(token.text) + "'"; break;
        }
        message += ": unexpected " + unexpected;
        std::string wanted = describe_expected(expected);
        if (!wanted.empty()) message += " (expected " + wanted + ")";
    }
    fail(token.span, message);
}

bool ParseDriver::stopped_at_end_of_input() const {
    if (m_lookahead < 0) return false;
    // The DEDENTs that close open blocks come just before EndOfFile: a block header nested
    // in another one ("def f():\n    for x in y:\n") stops the parser at the first of them.
    for (auto i = static_cast<std::size_t>(m_lookahead); i < m_tokens.size(); ++i) {
        if (m_tokens[i].kind == TokenKind::EndOfFile) return true;
        if (m_tokens[i].kind != TokenKind::Dedent) return false;
    }
    return false;
}

}  // namespace front

// ---------------------------------------------------------------- public entry points

ParseResult parse_module(const SourceFile& source) {
    front::ParseDriver driver(source, tokenize(source), front::ParseDriver::Mode::File, 0);
    driver.run();
    ParseResult result;
    if (driver.error) {
        result.error = std::move(driver.error);
    } else {
        result.module = std::move(driver.module);
    }
    return result;
}

bool needs_more_input(const SourceFile& source) {
    LexResult lexed = tokenize(source);
    if (lexed.error) return lexed.input_incomplete;
    // Does the input hold a compound statement (a logical line that begins with `if`,
    // `def`, a decorator...)? CPython's REPL keeps reading those until an empty line.
    bool compound = false;
    for (std::size_t i = 0; i < lexed.tokens.size(); ++i) {
        const bool line_start = i == 0 || lexed.tokens[i - 1].kind == TokenKind::Newline ||
                                lexed.tokens[i - 1].kind == TokenKind::Indent ||
                                lexed.tokens[i - 1].kind == TokenKind::Dedent;
        if (!line_start) continue;
        switch (lexed.tokens[i].kind) {
        case TokenKind::If: case TokenKind::While: case TokenKind::For: case TokenKind::Try:
        case TokenKind::With: case TokenKind::Def: case TokenKind::Class: case TokenKind::Async:
        case TokenKind::At:
            compound = true;
            break;
        default:
            break;
        }
    }
    front::ParseDriver driver(source, std::move(lexed), front::ParseDriver::Mode::File, 0);
    driver.run();
    if (driver.error) {
        // An error at the very end only means the block's body has not been typed yet.
        return driver.stopped_at_end_of_input();
    }
    // As in CPython's REPL, a compound statement ends only with an empty line.
    if (!compound) return false;
    // Is the last line (the one the final newline ends) empty or only spaces?
    std::string_view text = source.text;
    if (text.empty() || (text.back() != '\n' && text.back() != '\r')) return true;
    text.remove_suffix(1);
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    const std::size_t line_start = text.find_last_of("\r\n");
    std::string_view last_line = line_start == std::string_view::npos ? text : text.substr(line_start + 1);
    if (last_line.find_first_not_of(" \t\f") == std::string_view::npos) return false;
    return true;
}

}  // namespace asy
