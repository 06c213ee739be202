// A compact printer for ASTs, used by the parser tests: every node becomes a short
// S-expression, so a test can state the exact tree it expects in one line, e.g.
// "(Assign [x] (Add 1 (Mult 2 3)))". tests/unit/compiler/ast_printer.py prints Python's own
// `ast` the same way, which is how the expected strings were checked against CPython.
#pragma once

#include <cstdio>
#include <string>

#include "compiler/ast.hpp"

namespace asy::test {

class AstPrinter {
public:
    std::string module(const ast::Module& module) {
        std::string out;
        for (const auto& stmt : module.body) {
            out += statement(*stmt);
            out += "\n";
        }
        return out;
    }

    std::string expression(const ast::Expr* e) {
        if (!e) return "_";
        using K = ast::ExprKind;
        switch (e->kind) {
        case K::Name: return static_cast<const ast::Name*>(e)->id;
        case K::Constant: return constant(static_cast<const ast::Constant*>(e)->value);
        case K::BinOp: {
            auto* n = static_cast<const ast::BinOp*>(e);
            return "(" + binary_name(n->op) + " " + expression(n->left.get()) + " " + expression(n->right.get()) + ")";
        }
        case K::UnaryOp: {
            auto* n = static_cast<const ast::UnaryOp*>(e);
            static const char* names[] = {"Invert", "Not", "UAdd", "USub"};
            return "(" + std::string(names[static_cast<int>(n->op)]) + " " + expression(n->operand.get()) + ")";
        }
        case K::BoolOp: {
            auto* n = static_cast<const ast::BoolOp*>(e);
            return "(" + std::string(n->op == ast::BoolOperator::And ? "And" : "Or") + list(n->values) + ")";
        }
        case K::Compare: {
            auto* n = static_cast<const ast::Compare*>(e);
            static const char* names[] = {"Eq", "NotEq", "Lt", "LtE", "Gt", "GtE", "Is", "IsNot", "In", "NotIn"};
            std::string out = "(Compare " + expression(n->left.get());
            for (std::size_t i = 0; i < n->ops.size(); ++i) {
                out += " " + std::string(names[static_cast<int>(n->ops[i])]) + " " + expression(n->comparators[i].get());
            }
            return out + ")";
        }
        case K::Call: {
            auto* n = static_cast<const ast::Call*>(e);
            std::string out = "(Call " + expression(n->func.get()) + list(n->args);
            for (const auto& k : n->keywords) out += " " + keyword(k);
            return out + ")";
        }
        case K::Attribute: {
            auto* n = static_cast<const ast::Attribute*>(e);
            return "(. " + expression(n->value.get()) + " " + n->attr + ")";
        }
        case K::Subscript: {
            auto* n = static_cast<const ast::Subscript*>(e);
            return "([] " + expression(n->value.get()) + " " + expression(n->slice.get()) + ")";
        }
        case K::Slice: {
            auto* n = static_cast<const ast::Slice*>(e);
            return "(Slice " + expression(n->lower.get()) + " " + expression(n->upper.get()) + " " +
                   expression(n->step.get()) + ")";
        }
        case K::Starred: return "(* " + expression(static_cast<const ast::Starred*>(e)->value.get()) + ")";
        case K::Tuple: return "(Tuple" + list(static_cast<const ast::Tuple*>(e)->elts) + ")";
        case K::List: return "(List" + list(static_cast<const ast::List*>(e)->elts) + ")";
        case K::Set: return "(Set" + list(static_cast<const ast::Set*>(e)->elts) + ")";
        case K::Dict: {
            auto* n = static_cast<const ast::Dict*>(e);
            std::string out = "(Dict";
            for (std::size_t i = 0; i < n->keys.size(); ++i) {
                out += n->keys[i] ? " " + expression(n->keys[i].get()) + ":" : std::string(" **");
                out += expression(n->values[i].get());
            }
            return out + ")";
        }
        case K::ListComp: {
            auto* n = static_cast<const ast::ListComp*>(e);
            return "(ListComp " + expression(n->elt.get()) + generators(n->generators) + ")";
        }
        case K::SetComp: {
            auto* n = static_cast<const ast::SetComp*>(e);
            return "(SetComp " + expression(n->elt.get()) + generators(n->generators) + ")";
        }
        case K::GeneratorExp: {
            auto* n = static_cast<const ast::GeneratorExp*>(e);
            return "(GeneratorExp " + expression(n->elt.get()) + generators(n->generators) + ")";
        }
        case K::DictComp: {
            auto* n = static_cast<const ast::DictComp*>(e);
            return "(DictComp " + expression(n->key.get()) + ":" + expression(n->value.get()) + generators(n->generators) + ")";
        }
        case K::Lambda: {
            auto* n = static_cast<const ast::Lambda*>(e);
            return "(Lambda " + arguments(n->args) + " " + expression(n->body.get()) + ")";
        }
        case K::IfExp: {
            auto* n = static_cast<const ast::IfExp*>(e);
            return "(IfExp " + expression(n->test.get()) + " " + expression(n->body.get()) + " " +
                   expression(n->orelse.get()) + ")";
        }
        case K::NamedExpr: {
            auto* n = static_cast<const ast::NamedExpr*>(e);
            return "(:= " + expression(n->target.get()) + " " + expression(n->value.get()) + ")";
        }
        case K::Await: return "(Await " + expression(static_cast<const ast::Await*>(e)->value.get()) + ")";
        case K::Yield: return "(Yield " + expression(static_cast<const ast::Yield*>(e)->value.get()) + ")";
        case K::YieldFrom: return "(YieldFrom " + expression(static_cast<const ast::YieldFrom*>(e)->value.get()) + ")";
        case K::JoinedStr: return "(f" + list(static_cast<const ast::JoinedStr*>(e)->values) + ")";
        case K::FormattedValue: {
            auto* n = static_cast<const ast::FormattedValue*>(e);
            std::string out = "(fv " + expression(n->value.get());
            if (n->conversion) out += std::string(" !") + n->conversion;
            if (n->format_spec) out += " :" + expression(n->format_spec.get());
            return out + ")";
        }
        }
        return "?";
    }

    std::string statement(const ast::Stmt& s) {
        using K = ast::StmtKind;
        switch (s.kind) {
        case K::Expr: return expression(static_cast<const ast::ExprStmt&>(s).value.get());
        case K::Pass: return "(Pass)";
        case K::Break: return "(Break)";
        case K::Continue: return "(Continue)";
        case K::Assign: {
            auto& n = static_cast<const ast::Assign&>(s);
            return "(Assign [" + trim(list(n.targets)) + "] " + expression(n.value.get()) + ")";
        }
        case K::AugAssign: {
            auto& n = static_cast<const ast::AugAssign&>(s);
            return "(AugAssign " + expression(n.target.get()) + " " + binary_name(n.op) + " " + expression(n.value.get()) + ")";
        }
        case K::AnnAssign: {
            auto& n = static_cast<const ast::AnnAssign&>(s);
            return "(AnnAssign " + expression(n.target.get()) + " " + expression(n.annotation.get()) + " " +
                   expression(n.value.get()) + (n.simple ? "" : " notsimple") + ")";
        }
        case K::Delete: return "(Delete" + list(static_cast<const ast::Delete&>(s).targets) + ")";
        case K::Return: return "(Return " + expression(static_cast<const ast::Return&>(s).value.get()) + ")";
        case K::Raise: {
            auto& n = static_cast<const ast::Raise&>(s);
            return "(Raise " + expression(n.exc.get()) + " " + expression(n.cause.get()) + ")";
        }
        case K::Assert: {
            auto& n = static_cast<const ast::Assert&>(s);
            return "(Assert " + expression(n.test.get()) + " " + expression(n.msg.get()) + ")";
        }
        case K::Global: return "(Global" + names(static_cast<const ast::Global&>(s).names) + ")";
        case K::Nonlocal: return "(Nonlocal" + names(static_cast<const ast::Nonlocal&>(s).names) + ")";
        case K::Import: return "(Import" + aliases(static_cast<const ast::Import&>(s).names) + ")";
        case K::ImportFrom: {
            auto& n = static_cast<const ast::ImportFrom&>(s);
            return "(ImportFrom " + std::string(static_cast<std::size_t>(n.level), '.') + n.module + aliases(n.names) + ")";
        }
        case K::If: {
            auto& n = static_cast<const ast::If&>(s);
            return "(If " + expression(n.test.get()) + " " + body(n.body) + " " + body(n.orelse) + ")";
        }
        case K::While: {
            auto& n = static_cast<const ast::While&>(s);
            return "(While " + expression(n.test.get()) + " " + body(n.body) + " " + body(n.orelse) + ")";
        }
        case K::For: {
            auto& n = static_cast<const ast::For&>(s);
            return std::string(n.is_async ? "(AsyncFor " : "(For ") + expression(n.target.get()) + " " +
                   expression(n.iter.get()) + " " + body(n.body) + " " + body(n.orelse) + ")";
        }
        case K::With: {
            auto& n = static_cast<const ast::With&>(s);
            std::string out = n.is_async ? "(AsyncWith" : "(With";
            for (const auto& item : n.items) {
                out += " " + expression(item.context_expr.get());
                if (item.optional_vars) out += " as " + expression(item.optional_vars.get());
            }
            return out + " " + body(n.body) + ")";
        }
        case K::Try: {
            auto& n = static_cast<const ast::Try&>(s);
            std::string out = std::string(n.is_star ? "(TryStar " : "(Try ") + body(n.body);
            for (const auto& h : n.handlers) {
                out += " (except " + expression(h.type.get()) + (h.name ? " as " + *h.name : std::string()) + " " +
                       body(h.body) + ")";
            }
            return out + " " + body(n.orelse) + " " + body(n.finalbody) + ")";
        }
        case K::FunctionDef: {
            auto& n = static_cast<const ast::FunctionDef&>(s);
            std::string out = std::string(n.is_async ? "(AsyncFunctionDef " : "(FunctionDef ") + n.name + " " +
                              arguments(n.args) + " " + body(n.body);
            if (!n.decorator_list.empty()) out += " @[" + trim(list(n.decorator_list)) + "]";
            if (n.returns) out += " -> " + expression(n.returns.get());
            return out + ")";
        }
        case K::ClassDef: {
            auto& n = static_cast<const ast::ClassDef&>(s);
            std::string out = "(ClassDef " + n.name + " [" + trim(list(n.bases));
            for (const auto& k : n.keywords) out += " " + keyword(k);
            out += "] " + body(n.body);
            if (!n.decorator_list.empty()) out += " @[" + trim(list(n.decorator_list)) + "]";
            return out + ")";
        }
        }
        return "?";
    }

private:
    static std::string trim(const std::string& s) { return s.empty() ? s : s.substr(1); }

    std::string list(const ast::ExprList& items) {
        std::string out;
        for (const auto& item : items) out += " " + expression(item.get());
        return out;
    }

    std::string body(const ast::StmtList& stmts) {
        std::string out = "[";
        for (std::size_t i = 0; i < stmts.size(); ++i) {
            if (i) out += " ";
            out += statement(*stmts[i]);
        }
        return out + "]";
    }

    static std::string names(const std::vector<std::string>& names) {
        std::string out;
        for (const auto& n : names) out += " " + n;
        return out;
    }

    static std::string aliases(const std::vector<ast::Alias>& aliases) {
        std::string out;
        for (const auto& a : aliases) out += " " + a.name + (a.asname ? " as " + *a.asname : std::string());
        return out;
    }

    std::string keyword(const ast::Keyword& k) {
        return (k.arg ? *k.arg + "=" : std::string("**")) + expression(k.value.get());
    }

    std::string arg(const ast::Arg& a) { return a.name + (a.annotation ? ":" + expression(a.annotation.get()) : ""); }

    std::string arguments(const ast::Arguments& args) {
        std::string out = "(args";
        if (!args.posonlyargs.empty()) {
            out += " po(";
            for (std::size_t i = 0; i < args.posonlyargs.size(); ++i) out += (i ? " " : "") + arg(args.posonlyargs[i]);
            out += ")";
        }
        for (const auto& a : args.args) out += " " + arg(a);
        if (args.vararg) out += " *" + arg(*args.vararg);
        for (const auto& a : args.kwonlyargs) out += " kw:" + arg(a);
        if (args.kwarg) out += " **" + arg(*args.kwarg);
        if (!args.defaults.empty()) out += " defaults(" + trim(list(args.defaults)) + ")";
        if (!args.kw_defaults.empty()) out += " kw_defaults(" + trim(list(args.kw_defaults)) + ")";
        return out + ")";
    }

    std::string generators(const std::vector<ast::Comprehension>& gens) {
        std::string out;
        for (const auto& g : gens) {
            out += std::string(g.is_async ? " (async for " : " (for ") + expression(g.target.get()) + " in " +
                   expression(g.iter.get());
            for (const auto& c : g.ifs) out += " if " + expression(c.get());
            out += ")";
        }
        return out;
    }

    static std::string binary_name(ast::BinaryOperator op) {
        static const char* names[] = {"Add", "Sub", "Mult", "MatMult", "Div", "FloorDiv", "Mod",
                                      "Pow", "LShift", "RShift", "BitOr", "BitXor", "BitAnd"};
        return names[static_cast<int>(op)];
    }

    static std::string quote(const std::string& s, const char* prefix) {
        std::string out = prefix;
        out += "'";
        for (unsigned char c : s) {
            if (c == '\'' || c == '\\') {
                out += '\\';
                out += static_cast<char>(c);
            } else if (c == '\n') {
                out += "\\n";
            } else if (c == '\t') {
                out += "\\t";
            } else if (c < 0x20 || c == 0x7F || (prefix[0] == 'b' && c >= 0x80)) {
                char buffer[8];
                std::snprintf(buffer, sizeof buffer, "\\x%02x", c);
                out += buffer;
            } else {
                out += static_cast<char>(c);
            }
        }
        return out + "'";
    }

    static std::string constant(const ast::ConstantValue& value) {
        if (std::holds_alternative<ast::NoneLiteral>(value)) return "None";
        if (std::holds_alternative<ast::EllipsisLiteral>(value)) return "Ellipsis";
        if (const bool* b = std::get_if<bool>(&value)) return *b ? "True" : "False";
        if (const auto* i = std::get_if<std::int64_t>(&value)) return std::to_string(*i);
        if (const auto* big = std::get_if<ast::BigIntLiteral>(&value)) return big->decimal_digits;
        if (const auto* d = std::get_if<double>(&value)) {
            char buffer[64];
            std::snprintf(buffer, sizeof buffer, "%.17g", *d);
            return std::string(buffer) + "f";
        }
        if (const auto* s = std::get_if<std::string>(&value)) return quote(*s, "");
        if (const auto* b = std::get_if<ast::BytesLiteral>(&value)) return quote(b->bytes, "b");
        return "?";
    }
};

}  // namespace asy::test
