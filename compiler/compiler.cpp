// The bytecode compiler. It walks the AST once per code object, asks the symbol table how
// each name is stored, and writes instructions through an Emitter. Control-flow statements
// keep a stack of "frame blocks" (loops, try, with, except handlers) so that return, break
// and continue can emit the clean-up each enclosing block needs, exactly as CPython 3.11's
// compiler_unwind_fblock does. Exception handling is expressed as handler ranges for the
// exception table, never as instructions.
#include "compiler/compiler.hpp"

#include <cassert>
#include <cstring>
#include <unordered_map>

#include "compiler/emitter.hpp"
#include "compiler/symtable.hpp"

namespace asy {
namespace {

// A compile error unwinds the compiler in one step; compile_module turns it into a result.
struct CompileFailure {
    SyntaxError error;
};

// ---------------------------------------------------------------- constants

// A string that identifies a constant exactly (type and value; 0.0 and -0.0 differ), so that
// deduplication is a hash lookup instead of a scan of the constants so far.
std::string constant_key(const Constant& constant) {
    return std::visit(
        [](const auto& v) -> std::string {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, NoneConstant>) return "N";
            else if constexpr (std::is_same_v<T, EllipsisConstant>) return "E";
            else if constexpr (std::is_same_v<T, bool>) return v ? "T" : "F";
            else if constexpr (std::is_same_v<T, std::int64_t>) return "i" + std::to_string(v);
            else if constexpr (std::is_same_v<T, BigIntConstant>) return "I" + v.decimal;
            else if constexpr (std::is_same_v<T, double>) {
                std::string bits(sizeof(double), '\0');
                std::memcpy(bits.data(), &v, sizeof(double));
                return "d" + bits;
            } else if constexpr (std::is_same_v<T, std::string>) return "s" + v;
            else if constexpr (std::is_same_v<T, BytesConstant>) return "b" + v.bytes;
            else if constexpr (std::is_same_v<T, std::shared_ptr<const CodeObject>>) {
                return "c" + std::to_string(reinterpret_cast<std::uintptr_t>(v.get()));
            } else {
                // Items are length-prefixed so that nesting cannot make two tuples collide.
                std::string key = "t" + std::to_string(v->items.size()) + "(";
                for (const auto& item : v->items) {
                    std::string part = constant_key(item);
                    key += std::to_string(part.size()) + ":" + part;
                }
                return key + ")";
            }
        },
        constant);
}

Constant to_constant(const ast::ConstantValue& value) {
    return std::visit(
        [](const auto& v) -> Constant {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, ast::NoneLiteral>) return NoneConstant{};
            else if constexpr (std::is_same_v<T, ast::EllipsisLiteral>) return EllipsisConstant{};
            else if constexpr (std::is_same_v<T, ast::BigIntLiteral>) return BigIntConstant{v.decimal_digits};
            else if constexpr (std::is_same_v<T, ast::BytesLiteral>) return BytesConstant{v.bytes};
            else return v;
        },
        value);
}

SourcePosition to_position(Span span) { return SourcePosition{span.line, span.column, span.end_line, span.end_column}; }

BinaryOp binary_op_of(ast::BinaryOperator op) {
    using B = ast::BinaryOperator;
    switch (op) {
    case B::Add: return BinaryOp::Add;
    case B::Sub: return BinaryOp::Subtract;
    case B::Mult: return BinaryOp::Multiply;
    case B::MatMult: return BinaryOp::MatrixMultiply;
    case B::Div: return BinaryOp::TrueDivide;
    case B::FloorDiv: return BinaryOp::FloorDivide;
    case B::Mod: return BinaryOp::Remainder;
    case B::Pow: return BinaryOp::Power;
    case B::LShift: return BinaryOp::LShift;
    case B::RShift: return BinaryOp::RShift;
    case B::BitOr: return BinaryOp::Or;
    case B::BitXor: return BinaryOp::Xor;
    case B::BitAnd: return BinaryOp::And;
    }
    return BinaryOp::Add;
}

// The noun CPython uses for an expression in "cannot assign to ..." (_PyPegen_get_expr_name).
std::string expr_name(const ast::Expr& expr) {
    using K = ast::ExprKind;
    switch (expr.kind) {
    case K::Attribute: return "attribute";
    case K::Subscript: return "subscript";
    case K::Starred: return "starred";
    case K::Name: return "name";
    case K::List: return "list";
    case K::Tuple: return "tuple";
    case K::Lambda: return "lambda";
    case K::Call: return "function call";
    case K::BoolOp:
    case K::BinOp:
    case K::UnaryOp: return "expression";
    case K::GeneratorExp: return "generator expression";
    case K::Yield:
    case K::YieldFrom: return "yield expression";
    case K::Await: return "await expression";
    case K::ListComp: return "list comprehension";
    case K::SetComp: return "set comprehension";
    case K::DictComp: return "dict comprehension";
    case K::Dict: return "dict literal";
    case K::Set: return "set display";
    case K::JoinedStr:
    case K::FormattedValue: return "f-string expression";
    case K::Constant: {
        const auto& value = static_cast<const ast::Constant&>(expr).value;
        if (std::holds_alternative<ast::NoneLiteral>(value)) return "None";
        if (const bool* b = std::get_if<bool>(&value)) return *b ? "True" : "False";
        if (std::holds_alternative<ast::EllipsisLiteral>(value)) return "ellipsis";
        return "literal";
    }
    case K::Compare: return "comparison";
    case K::IfExp: return "conditional expression";
    case K::NamedExpr: return "named expression";
    case K::Slice: return "slice";
    }
    return "expression";
}

// A docstring is a string constant standing alone as the first statement of a body.
const std::string* docstring_of(const ast::StmtList& body) {
    if (body.empty()) return nullptr;
    auto* stmt = ast::as<ast::ExprStmt>(body.front().get());
    if (!stmt) return nullptr;
    auto* constant = ast::as<ast::Constant>(stmt->value.get());
    if (!constant) return nullptr;
    return std::get_if<std::string>(&constant->value);
}

// ---------------------------------------------------------------- frame blocks

// The blocks that return/break/continue must unwind, named as in CPython's compile.c.
enum class FBlockKind {
    WhileLoop,
    ForLoop,
    TryExcept,
    FinallyTry,
    FinallyEnd,
    With,
    AsyncWith,
    HandlerCleanup,
    PopValue,
    ExceptionHandler,
    ExceptionGroupHandler,
    AsyncComprehensionGenerator,
};

struct FBlock {
    FBlockKind kind;
    // Loops: where `continue` jumps.
    Label start = {};
    // Loops: where `break` jumps.
    Label exit = {};
    // FinallyTry: the statements to run again when unwinding through the try.
    const ast::StmtList* finalbody = nullptr;
    // HandlerCleanup of `except E as name`: the name to clear.
    const std::string* handler_name = nullptr;
    // With: the statement, whose position the implicit __exit__ call gets.
    Span span = {};
};

// ---------------------------------------------------------------- code units

// One code object under construction.
struct CodeUnit {
    Scope* scope = nullptr;
    std::shared_ptr<CodeObject> code = std::make_shared<CodeObject>();
    Emitter emitter;
    std::vector<FBlock> fblocks;
    std::unordered_map<std::string, std::uint32_t> name_index;
    std::unordered_map<std::string, std::uint32_t> varname_index;
    // constant_key -> index in code->constants.
    std::unordered_map<std::string, std::uint32_t> const_index;
    // How this code may await: true for `async def` bodies (and interactive top level).
    bool allows_await = false;
};

// ---------------------------------------------------------------- the compiler

class Compiler {
public:
    Compiler(const SourceFile& source, SymbolTable& symbols, CompileMode mode)
        : m_source(source), m_symbols(symbols), m_mode(mode) {}

    std::shared_ptr<const CodeObject> compile(const ast::Module& module) {
        Scope* scope = m_symbols.module_scope();
        enter_unit(scope, "<module>", "<module>", 1);
        if (m_mode == CompileMode::Interactive) {
            u().allows_await = true;
            if (scope->is_coroutine) {
                u().code->flags |= CO_COROUTINE;
                emit_generator_prologue();
            }
            compile_body(module.body, 0);
        } else {
            std::size_t first = 0;
            if (const std::string* doc = docstring_of(module.body)) {
                PositionScope at(*this, module.body.front()->span);
                load_const(*doc);
                emit(Opcode::STORE_NAME, name_index("__doc__"));
                first = 1;
            }
            compile_body(module.body, first);
        }
        emit_implicit_return();
        return leave_unit();
    }

private:
    const SourceFile& m_source;
    SymbolTable& m_symbols;
    CompileMode m_mode;
    std::vector<std::unique_ptr<CodeUnit>> m_units;

    // ------------------------------------------------------------ helpers

    CodeUnit& u() { return *m_units.back(); }
    Emitter& e() { return u().emitter; }
    Scope& scope() { return *u().scope; }

    [[noreturn]] void error(Span span, std::string message) {
        throw CompileFailure{make_syntax_error(m_source, span, std::move(message))};
    }

    // Gives the instructions emitted while it lives the position of `span`.
    struct PositionScope {
        Compiler& compiler;
        SourcePosition saved;
        PositionScope(Compiler& c, Span span) : compiler(c), saved(c.e().position()) {
            c.e().set_position(to_position(span));
        }
        ~PositionScope() { compiler.e().set_position(saved); }
    };

    void emit(Opcode op, std::uint32_t operand = 0) { e().emit(op, operand); }
    void emit_jump(Opcode op, Label label) { e().emit_jump(op, label); }
    Label new_label() { return e().new_label(); }
    void bind(Label label) { e().bind(label); }

    std::uint32_t add_const(Constant value) {
        auto& constants = u().code->constants;
        auto [it, inserted] = u().const_index.emplace(constant_key(value), static_cast<std::uint32_t>(constants.size()));
        if (inserted) constants.push_back(std::move(value));
        return it->second;
    }
    void load_const(Constant value) { emit(Opcode::LOAD_CONST, add_const(std::move(value))); }
    void load_none() { load_const(NoneConstant{}); }

    std::uint32_t name_index(const std::string& name) {
        auto [it, inserted] = u().name_index.emplace(name, static_cast<std::uint32_t>(u().code->names.size()));
        if (inserted) u().code->names.push_back(name);
        return it->second;
    }

    std::uint32_t varname_index(const std::string& name) {
        auto [it, inserted] = u().varname_index.emplace(name, static_cast<std::uint32_t>(u().code->varnames.size()));
        if (inserted) u().code->varnames.push_back(name);
        return it->second;
    }

    std::string mangle(const std::string& name) { return SymbolTable::mangle(scope().private_name, name); }

    // The operand of *_DEREF / LOAD_CLOSURE for `name`: cellvars first, then freevars.
    std::uint32_t cell_index(const std::string& name, bool prefer_cell) {
        const CodeObject& code = *u().code;
        if (prefer_cell) {
            for (std::size_t i = 0; i < code.cellvars.size(); ++i)
                if (code.cellvars[i] == name) return static_cast<std::uint32_t>(i);
        }
        for (std::size_t i = 0; i < code.freevars.size(); ++i)
            if (code.freevars[i] == name) return static_cast<std::uint32_t>(code.cellvars.size() + i);
        for (std::size_t i = 0; i < code.cellvars.size(); ++i)
            if (code.cellvars[i] == name) return static_cast<std::uint32_t>(i);
        assert(false && "cell variable missing from the symbol table");
        return 0;
    }

    // ------------------------------------------------------------ code units

    void enter_unit(Scope* scope, const std::string& name, const std::string& qualname, int first_line) {
        auto unit = std::make_unique<CodeUnit>();
        unit->scope = scope;
        CodeObject& code = *unit->code;
        code.name = name;
        code.qualname = qualname;
        code.filename = m_source.filename;
        code.first_line = first_line;
        code.cellvars = scope->cellvars;
        code.freevars = scope->freevars;
        unit->emitter.set_position(SourcePosition{first_line, 0, first_line, 0});
        m_units.push_back(std::move(unit));
        if (scope->is_function_like()) {
            for (const auto& param : scope->parameters) varname_index(param);
        }
    }

    std::shared_ptr<const CodeObject> leave_unit() {
        std::unique_ptr<CodeUnit> unit = std::move(m_units.back());
        m_units.pop_back();
        bool ok = unit->emitter.finish(*unit->code);
        // Both are compiler bugs: a jump to a label never placed, or paths disagreeing on the depth.
        assert(ok && !unit->emitter.depth_mismatch());
        (void)ok;
        return unit->code;
    }

    // CPython's compiler_set_qualname: nested names are dotted, and names inside functions
    // get `<locals>`; a function declared `global` in its parent is named from the top.
    std::string qualname_for(const std::string& name, bool check_global) {
        if (m_units.size() <= 1) return name;
        CodeUnit& parent = u();
        if (check_global && parent.scope->lookup(mangle(name)) == NameScope::GlobalExplicit) return name;
        ScopeKind kind = parent.scope->kind;
        if (kind == ScopeKind::Function || kind == ScopeKind::Lambda) return parent.code->qualname + ".<locals>." + name;
        return parent.code->qualname + "." + name;
    }

    std::uint32_t function_flags(const Scope& s) {
        std::uint32_t flags = CO_OPTIMIZED | CO_NEWLOCALS;
        if (s.has_varargs) flags |= CO_VARARGS;
        if (s.has_varkeywords) flags |= CO_VARKEYWORDS;
        if (s.is_nested) flags |= CO_NESTED;
        if (s.is_coroutine && s.is_generator) flags |= CO_ASYNC_GENERATOR;
        else if (s.is_coroutine) flags |= CO_COROUTINE;
        else if (s.is_generator) flags |= CO_GENERATOR;
        return flags;
    }

    // Generators and coroutines start as 3.11's do: the call returns the new generator, and
    // the first resume pushes the value sent in (None), which POP_TOP drops.
    void emit_generator_prologue() {
        emit(Opcode::RETURN_GENERATOR);
        emit(Opcode::POP_TOP);
    }

    void emit_implicit_return() {
        if (!e().reachable()) return;
        // The implicit `return None` belongs to the last line that ran, as in CPython.
        e().set_position(e().last_position());
        load_none();
        emit(Opcode::RETURN_VALUE);
    }

    // Pushes a function object for `code`: closure cells first (flag 8), then the code.
    void make_closure(const std::shared_ptr<const CodeObject>& code, std::uint32_t flags) {
        if (!code->freevars.empty()) {
            for (const auto& name : code->freevars) {
                // A class body hands its methods its own __class__ cell; other names a class
                // passes through are its free variables.
                bool prefer_cell = scope().kind == ScopeKind::Class
                                       ? name == "__class__"
                                       : scope().lookup(name) == NameScope::Cell;
                emit(Opcode::LOAD_CLOSURE, cell_index(name, prefer_cell));
            }
            emit(Opcode::BUILD_TUPLE, static_cast<std::uint32_t>(code->freevars.size()));
            flags |= 8;
        }
        load_const(std::shared_ptr<const CodeObject>(code));
        emit(Opcode::MAKE_FUNCTION, flags);
    }

    // ------------------------------------------------------------ names

    enum class Access { Load, Store, Delete };

    // CPython's compiler_nameop: the symbol table decides between fast locals, cells,
    // globals and the name dictionaries of module and class bodies.
    void name_op(const std::string& raw, Access access, Span span) {
        std::string name = mangle(raw);
        if (access != Access::Load && name == "__debug__") {
            error(span, access == Access::Store ? "cannot assign to __debug__" : "cannot delete __debug__");
        }
        NameScope where = scope().lookup(name);
        bool fast = scope().is_function_like();
        enum { Fast, Deref, Global, Named } kind = Named;
        switch (where) {
        case NameScope::Free:
        case NameScope::Cell: kind = Deref; break;
        case NameScope::Local: kind = fast ? Fast : Named; break;
        case NameScope::GlobalImplicit: kind = fast ? Global : Named; break;
        case NameScope::GlobalExplicit: kind = Global; break;
        }
        switch (kind) {
        case Fast: {
            std::uint32_t slot = varname_index(name);
            emit(access == Access::Load ? Opcode::LOAD_FAST
                 : access == Access::Store ? Opcode::STORE_FAST
                                           : Opcode::DELETE_FAST,
                 slot);
            break;
        }
        case Deref: {
            std::uint32_t cell = cell_index(name, where == NameScope::Cell);
            if (access == Access::Load) {
                emit(scope().kind == ScopeKind::Class ? Opcode::LOAD_CLASSDEREF : Opcode::LOAD_DEREF, cell);
            } else {
                emit(access == Access::Store ? Opcode::STORE_DEREF : Opcode::DELETE_DEREF, cell);
            }
            break;
        }
        case Global:
            emit(access == Access::Load ? Opcode::LOAD_GLOBAL
                 : access == Access::Store ? Opcode::STORE_GLOBAL
                                           : Opcode::DELETE_GLOBAL,
                 name_index(name));
            break;
        case Named:
            emit(access == Access::Load ? Opcode::LOAD_NAME
                 : access == Access::Store ? Opcode::STORE_NAME
                                           : Opcode::DELETE_NAME,
                 name_index(name));
            break;
        }
    }

    // ------------------------------------------------------------ statements

    void compile_body(const ast::StmtList& body, std::size_t first = 0) {
        for (std::size_t i = first; i < body.size(); ++i) compile_stmt(*body[i]);
    }

    void compile_stmt(const ast::Stmt& stmt) {
        PositionScope at(*this, stmt.span);
        using K = ast::StmtKind;
        switch (stmt.kind) {
        case K::FunctionDef: compile_function_def(static_cast<const ast::FunctionDef&>(stmt)); break;
        case K::ClassDef: compile_class_def(static_cast<const ast::ClassDef&>(stmt)); break;
        case K::Return: compile_return(static_cast<const ast::Return&>(stmt)); break;
        case K::Delete:
            for (const auto& target : static_cast<const ast::Delete&>(stmt).targets) compile_delete(*target);
            break;
        case K::Assign: compile_assign(static_cast<const ast::Assign&>(stmt)); break;
        case K::AugAssign: compile_aug_assign(static_cast<const ast::AugAssign&>(stmt)); break;
        case K::AnnAssign: compile_ann_assign(static_cast<const ast::AnnAssign&>(stmt)); break;
        case K::For: {
            auto& loop = static_cast<const ast::For&>(stmt);
            if (loop.is_async) compile_async_for(loop);
            else compile_for(loop);
            break;
        }
        case K::While: compile_while(static_cast<const ast::While&>(stmt)); break;
        case K::If: compile_if(static_cast<const ast::If&>(stmt)); break;
        case K::With: {
            auto& with = static_cast<const ast::With&>(stmt);
            if (with.is_async && !is_async_function()) error(stmt.span, "'async with' outside async function");
            compile_with(with, 0);
            break;
        }
        case K::Raise: compile_raise(static_cast<const ast::Raise&>(stmt)); break;
        case K::Try: compile_try(static_cast<const ast::Try&>(stmt)); break;
        case K::Assert: compile_assert(static_cast<const ast::Assert&>(stmt)); break;
        case K::Import: compile_import(static_cast<const ast::Import&>(stmt)); break;
        case K::ImportFrom: compile_import_from(static_cast<const ast::ImportFrom&>(stmt)); break;
        case K::Global:
        case K::Nonlocal: break;
        case K::Expr: compile_expr_stmt(static_cast<const ast::ExprStmt&>(stmt)); break;
        case K::Pass: break;
        case K::Break: compile_break(stmt); break;
        case K::Continue: compile_continue(stmt); break;
        }
    }

    // True where `await`, `async for` and `async with` may appear: an `async def` body, an
    // async comprehension, or the top level of an interactive entry.
    bool is_async_function() { return u().allows_await && scope().kind != ScopeKind::Class; }

    void compile_expr_stmt(const ast::ExprStmt& stmt) {
        if (m_mode == CompileMode::Interactive && m_units.size() == 1) {
            // The REPL echoes the value of an expression statement typed at the prompt.
            compile_expr(*stmt.value);
            emit(Opcode::PRINT_EXPR);
            return;
        }
        // A lone constant (a docstring-like string, `...`) does nothing at run time.
        if (stmt.value->kind == ast::ExprKind::Constant) return;
        compile_expr(*stmt.value);
        emit(Opcode::POP_TOP);
    }

    // ---- functions and classes

    // Pushes default values and returns the MAKE_FUNCTION flags they need.
    std::uint32_t compile_defaults(const ast::Arguments& args) {
        std::uint32_t flags = 0;
        if (!args.defaults.empty()) {
            compile_tuple_of(args.defaults);
            flags |= 1;
        }
        std::uint32_t count = 0;
        for (std::size_t i = 0; i < args.kwonlyargs.size(); ++i) {
            if (i >= args.kw_defaults.size() || !args.kw_defaults[i]) continue;
            load_const(mangle(args.kwonlyargs[i].name));
            compile_expr(*args.kw_defaults[i]);
            ++count;
        }
        if (count > 0) {
            emit(Opcode::BUILD_MAP, count);
            flags |= 2;
        }
        return flags;
    }

    // Builds a tuple of `items`: one constant when they all are, else BUILD_TUPLE.
    void compile_tuple_of(const ast::ExprList& items) {
        if (auto folded = fold_tuple(items)) {
            load_const(std::move(*folded));
            return;
        }
        for (const auto& item : items) compile_expr(*item);
        emit(Opcode::BUILD_TUPLE, static_cast<std::uint32_t>(items.size()));
    }

    // Folds a tuple display whose items are all literals (CPython's AST optimizer does the same).
    std::optional<Constant> fold_tuple(const ast::ExprList& items) {
        auto tuple = std::make_shared<TupleConstant>();
        for (const auto& item : items) {
            auto folded = fold_constant(*item);
            if (!folded) return std::nullopt;
            tuple->items.push_back(std::move(*folded));
        }
        return Constant(std::shared_ptr<const TupleConstant>(std::move(tuple)));
    }

    // A literal, a negated number literal or a tuple of literals as a constant; else nothing.
    std::optional<Constant> fold_constant(const ast::Expr& expr) {
        if (auto* constant = ast::as<ast::Constant>(&expr)) return to_constant(constant->value);
        if (auto* tuple = ast::as<ast::Tuple>(&expr)) {
            for (const auto& item : tuple->elts)
                if (item->kind == ast::ExprKind::Starred) return std::nullopt;
            return fold_tuple(tuple->elts);
        }
        if (auto* unary = ast::as<ast::UnaryOp>(&expr); unary && unary->op == ast::UnaryOperator::USub) {
            auto* operand = ast::as<ast::Constant>(unary->operand.get());
            if (!operand) return std::nullopt;
            if (auto* i = std::get_if<std::int64_t>(&operand->value)) return Constant(std::int64_t{-*i});
            if (auto* d = std::get_if<double>(&operand->value)) return Constant(-*d);
            if (auto* big = std::get_if<ast::BigIntLiteral>(&operand->value)) {
                if (big->decimal_digits == "9223372036854775808") return Constant(std::int64_t{INT64_MIN});
                return Constant(BigIntConstant{"-" + big->decimal_digits});
            }
        }
        return std::nullopt;
    }

    void compile_decorators(const ast::ExprList& decorators) {
        for (const auto& d : decorators) compile_expr(*d);
    }

    void apply_decorators(const ast::ExprList& decorators) {
        for (std::size_t i = decorators.size(); i-- > 0;) {
            PositionScope at(*this, decorators[i]->span);
            emit(Opcode::CALL, 1);
        }
    }

    void set_arg_counts(CodeObject& code, const ast::Arguments& args) {
        code.posonlyargcount = static_cast<int>(args.posonlyargs.size());
        code.argcount = static_cast<int>(args.posonlyargs.size() + args.args.size());
        code.kwonlyargcount = static_cast<int>(args.kwonlyargs.size());
    }

    void compile_function_def(const ast::FunctionDef& def) {
        compile_decorators(def.decorator_list);
        std::uint32_t flags = compile_defaults(def.args);
        Scope* child = m_symbols.scope_of(&def);
        std::string qualname = qualname_for(def.name, true);
        enter_unit(child, def.name, qualname, child->first_line);
        u().allows_await = def.is_async;
        CodeObject& code = *u().code;
        set_arg_counts(code, def.args);
        code.flags = function_flags(*child);
        // CPython keeps the docstring as the first constant (None when there is none); the
        // function's __doc__ is read from there.
        const std::string* doc = docstring_of(def.body);
        add_const(doc ? Constant(*doc) : Constant(NoneConstant{}));
        if (child->is_generator || child->is_coroutine) emit_generator_prologue();
        compile_body(def.body, doc ? 1 : 0);
        emit_implicit_return();
        auto body = leave_unit();
        make_closure(body, flags);
        apply_decorators(def.decorator_list);
        name_op(def.name, Access::Store, def.span);
    }

    void compile_lambda(const ast::Lambda& lambda) {
        std::uint32_t flags = compile_defaults(lambda.args);
        Scope* child = m_symbols.scope_of(&lambda);
        enter_unit(child, "<lambda>", qualname_for("<lambda>", false), child->first_line);
        CodeObject& code = *u().code;
        set_arg_counts(code, lambda.args);
        code.flags = function_flags(*child);
        add_const(NoneConstant{});  // a lambda has no docstring
        if (child->is_generator || child->is_coroutine) emit_generator_prologue();
        {
            PositionScope at(*this, lambda.body->span);
            compile_expr(*lambda.body);
            // A generator lambda's value is discarded; `lambda: (yield)` returns None.
            if (child->is_generator) {
                emit(Opcode::POP_TOP);
                load_none();
            }
            emit(Opcode::RETURN_VALUE);
        }
        auto body = leave_unit();
        make_closure(body, flags);
    }

    void compile_class_def(const ast::ClassDef& cls) {
        compile_decorators(cls.decorator_list);
        Scope* child = m_symbols.scope_of(&cls);
        std::string qualname = qualname_for(cls.name, true);
        enter_unit(child, cls.name, qualname, child->first_line);
        {
            // Every class body starts by recording where and under which name it lives.
            PositionScope at(*this, cls.span);
            emit(Opcode::LOAD_NAME, name_index("__name__"));
            emit(Opcode::STORE_NAME, name_index("__module__"));
            load_const(qualname);
            emit(Opcode::STORE_NAME, name_index("__qualname__"));
        }
        std::size_t first = 0;
        if (const std::string* doc = docstring_of(cls.body)) {
            PositionScope at(*this, cls.body.front()->span);
            load_const(*doc);
            emit(Opcode::STORE_NAME, name_index("__doc__"));
            first = 1;
        }
        compile_body(cls.body, first);
        if (e().reachable()) {
            PositionScope at(*this, cls.span);
            if (child->needs_class_closure) {
                // Hand the __class__ cell to type() so it can fill it with the new class,
                // which is how super() and __class__ inside methods find it.
                emit(Opcode::LOAD_CLOSURE, cell_index("__class__", true));
                emit(Opcode::COPY, 1);
                emit(Opcode::STORE_NAME, name_index("__classcell__"));
                emit(Opcode::RETURN_VALUE);
            } else {
                load_none();
                emit(Opcode::RETURN_VALUE);
            }
        }
        auto body = leave_unit();

        emit(Opcode::LOAD_BUILD_CLASS);
        make_closure(body, 0);
        load_const(cls.name);
        compile_call_helper(2, cls.bases, cls.keywords);
        apply_decorators(cls.decorator_list);
        name_op(cls.name, Access::Store, cls.span);
    }

    // ---- return, break, continue

    // Emits the clean-up of one frame block being left by return/break/continue.
    // `preserve_tos`: a return value sits on top of the stack and must survive.
    void unwind_fblock(const FBlock& block, bool preserve_tos) {
        switch (block.kind) {
        case FBlockKind::WhileLoop:
        case FBlockKind::ExceptionHandler:
        case FBlockKind::ExceptionGroupHandler:
        case FBlockKind::AsyncComprehensionGenerator: return;
        case FBlockKind::ForLoop:
            // Pop the iterator.
            if (preserve_tos) emit(Opcode::SWAP, 2);
            emit(Opcode::POP_TOP);
            return;
        case FBlockKind::TryExcept: e().pop_handler(); return;
        case FBlockKind::FinallyTry:
            // Leaving a try with a finally runs the finally body on the way out.
            e().pop_handler();
            if (preserve_tos) push_fblock(FBlock{FBlockKind::PopValue});
            compile_body(*block.finalbody);
            if (preserve_tos) pop_fblock();
            return;
        case FBlockKind::FinallyEnd:
            if (preserve_tos) emit(Opcode::SWAP, 2);
            emit(Opcode::POP_TOP);  // the exception
            if (preserve_tos) emit(Opcode::SWAP, 2);
            e().pop_handler();
            emit(Opcode::POP_EXCEPT);
            return;
        case FBlockKind::With:
        case FBlockKind::AsyncWith: {
            PositionScope at(*this, block.span);
            e().pop_handler();
            if (preserve_tos) emit(Opcode::SWAP, 2);
            call_exit_with_nones();
            if (block.kind == FBlockKind::AsyncWith) {
                emit(Opcode::GET_AWAITABLE, 2);
                load_none();
                emit_yield_from_loop();
            }
            emit(Opcode::POP_TOP);
            return;
        }
        case FBlockKind::HandlerCleanup:
            if (block.handler_name) e().pop_handler();
            if (preserve_tos) emit(Opcode::SWAP, 2);
            e().pop_handler();
            emit(Opcode::POP_EXCEPT);
            if (block.handler_name) {
                load_none();
                name_op(*block.handler_name, Access::Store, block.span);
                name_op(*block.handler_name, Access::Delete, block.span);
            }
            return;
        case FBlockKind::PopValue:
            if (preserve_tos) emit(Opcode::SWAP, 2);
            emit(Opcode::POP_TOP);
            return;
        }
    }

    // Unwinds every block up to the innermost loop (when `loop` is given) or the whole stack.
    void unwind_fblock_stack(bool preserve_tos, std::optional<FBlock>* loop, Span span) {
        if (u().fblocks.empty()) return;
        FBlock top = u().fblocks.back();
        if (top.kind == FBlockKind::ExceptionGroupHandler) {
            error(span, "'break', 'continue' and 'return' cannot appear in an except* block");
        }
        if (loop && (top.kind == FBlockKind::WhileLoop || top.kind == FBlockKind::ForLoop)) {
            *loop = top;
            return;
        }
        u().fblocks.pop_back();
        unwind_fblock(top, preserve_tos);
        unwind_fblock_stack(preserve_tos, loop, span);
        u().fblocks.push_back(top);
    }

    void push_fblock(FBlock block) { u().fblocks.push_back(block); }
    void pop_fblock() { u().fblocks.pop_back(); }

    void compile_return(const ast::Return& ret) {
        if (!scope().is_function_like()) error(ret.span, "'return' outside function");
        if (ret.value && scope().is_coroutine && scope().is_generator) {
            error(ret.span, "'return' with value in async generator");
        }
        // A constant return value is loaded after the unwinding, so nothing needs preserving.
        bool preserve_tos = ret.value && ret.value->kind != ast::ExprKind::Constant;
        if (preserve_tos) compile_expr(*ret.value);
        auto saved = e().handlers();
        unwind_fblock_stack(preserve_tos, nullptr, ret.span);
        if (!ret.value) {
            load_none();
        } else if (!preserve_tos) {
            PositionScope at(*this, ret.value->span);
            load_const(to_constant(static_cast<const ast::Constant&>(*ret.value).value));
        }
        emit(Opcode::RETURN_VALUE);
        e().set_handlers(std::move(saved));
    }

    void compile_break(const ast::Stmt& stmt) {
        std::optional<FBlock> loop;
        auto saved = e().handlers();
        unwind_fblock_stack(false, &loop, stmt.span);
        if (!loop) error(stmt.span, "'break' outside loop");
        unwind_fblock(*loop, false);
        emit_jump(Opcode::JUMP, loop->exit);
        e().set_handlers(std::move(saved));
    }

    void compile_continue(const ast::Stmt& stmt) {
        std::optional<FBlock> loop;
        auto saved = e().handlers();
        unwind_fblock_stack(false, &loop, stmt.span);
        if (!loop) error(stmt.span, "'continue' not properly in loop");
        emit_jump(Opcode::JUMP, loop->start);
        e().set_handlers(std::move(saved));
    }

    // ---- assignment

    void compile_assign(const ast::Assign& assign) {
        for (const auto& target : assign.targets) check_assign_target(*target, assign);
        compile_expr(*assign.value);
        for (std::size_t i = 0; i < assign.targets.size(); ++i) {
            // `a = b = value` stores the same object twice.
            if (i + 1 < assign.targets.size()) emit(Opcode::COPY, 1);
            compile_store(*assign.targets[i]);
        }
    }

    // True for expressions that CPython's grammar calls `bitwise_or` (no comparisons,
    // boolean operators, lambdas, conditionals or unparenthesized tuples).
    static bool is_bitwise_or(const ast::Expr& expr) {
        using K = ast::ExprKind;
        switch (expr.kind) {
        case K::Compare:
        case K::BoolOp:
        case K::Lambda:
        case K::IfExp:
        case K::NamedExpr:
        case K::Starred:
        case K::Yield:
        case K::YieldFrom: return false;
        case K::UnaryOp: return static_cast<const ast::UnaryOp&>(expr).op != ast::UnaryOperator::Not;
        case K::Tuple: {
            auto& tuple = static_cast<const ast::Tuple&>(expr);
            return !tuple.elts.empty() && tuple.elts.front()->span.column != tuple.span.column;
        }
        default: return true;
        }
    }

    // Rejects what cannot be assigned to, with CPython's messages. A single target such as
    // `f() = 1` gets the hint about `==`, as CPython's invalid_named_expression rule gives it.
    void check_assign_target(const ast::Expr& target, const ast::Assign& assign) {
        const ast::Expr* bad = find_invalid_target(target);
        if (!bad) return;
        if (bad->kind == ast::ExprKind::Yield || bad->kind == ast::ExprKind::YieldFrom) {
            error(bad->span, "assignment to yield expression not possible");
        }
        bool direct = bad == &target;
        if (!direct) {
            // An element of an unparenthesized tuple target still gets the hint.
            if (auto* tuple = ast::as<ast::Tuple>(&target)) {
                bool parenthesized = !tuple->elts.empty() && tuple->elts.front()->span.column != tuple->span.column;
                for (const auto& elt : tuple->elts)
                    if (elt.get() == bad && !parenthesized) direct = true;
            }
        }
        using K = ast::ExprKind;
        std::string what = expr_name(*bad);
        bool keyword_constant = what == "None" || what == "True" || what == "False";
        if (direct && assign.targets.size() == 1 && !keyword_constant && bad->kind != K::List &&
            bad->kind != K::Tuple && bad->kind != K::GeneratorExp && is_bitwise_or(*bad) &&
            is_bitwise_or(*assign.value)) {
            error(bad->span, "cannot assign to " + what + " here. Maybe you meant '==' instead of '='?");
        }
        error(bad->span, "cannot assign to " + what);
    }

    // The first sub-expression of an assignment target that cannot be assigned to, or null.
    const ast::Expr* find_invalid_target(const ast::Expr& target) {
        using K = ast::ExprKind;
        switch (target.kind) {
        case K::Name:
        case K::Attribute:
        case K::Subscript: return nullptr;
        case K::Starred: return find_invalid_target(*static_cast<const ast::Starred&>(target).value);
        case K::Tuple:
        case K::List: {
            const auto& elts = target.kind == K::Tuple ? static_cast<const ast::Tuple&>(target).elts
                                                       : static_cast<const ast::List&>(target).elts;
            for (const auto& elt : elts)
                if (const ast::Expr* bad = find_invalid_target(*elt)) return bad;
            return nullptr;
        }
        default: return &target;
        }
    }

    // Stores TOS into `target` (a name, attribute, subscript or unpacking pattern).
    void compile_store(const ast::Expr& target) {
        PositionScope at(*this, target.span);
        using K = ast::ExprKind;
        switch (target.kind) {
        case K::Name: name_op(static_cast<const ast::Name&>(target).id, Access::Store, target.span); break;
        case K::Attribute: {
            auto& attr = static_cast<const ast::Attribute&>(target);
            compile_expr(*attr.value);
            emit(Opcode::STORE_ATTR, name_index(mangle(attr.attr)));
            break;
        }
        case K::Subscript: {
            auto& sub = static_cast<const ast::Subscript&>(target);
            compile_expr(*sub.value);
            compile_subscript_index(*sub.slice);
            emit(Opcode::STORE_SUBSCR);
            break;
        }
        case K::Tuple: compile_unpack(static_cast<const ast::Tuple&>(target).elts, target.span); break;
        case K::List: compile_unpack(static_cast<const ast::List&>(target).elts, target.span); break;
        case K::Starred: error(target.span, "starred assignment target must be in a list or tuple");
        default: error(target.span, "cannot assign to " + expr_name(target));
        }
    }

    // `a, *b, c = value`: UNPACK_SEQUENCE, or UNPACK_EX when one target is starred.
    void compile_unpack(const ast::ExprList& elts, Span span) {
        std::size_t star = elts.size();
        for (std::size_t i = 0; i < elts.size(); ++i) {
            if (elts[i]->kind != ast::ExprKind::Starred) continue;
            if (star != elts.size()) error(span, "multiple starred expressions in assignment");
            star = i;
        }
        if (star == elts.size()) {
            emit(Opcode::UNPACK_SEQUENCE, static_cast<std::uint32_t>(elts.size()));
        } else {
            std::size_t after = elts.size() - star - 1;
            if (star >= 256 || after >= 256) error(span, "too many expressions in star-unpacking assignment");
            emit(Opcode::UNPACK_EX, static_cast<std::uint32_t>(star | (after << 8)));
        }
        for (const auto& elt : elts) {
            if (auto* starred = ast::as<ast::Starred>(elt.get())) compile_store(*starred->value);
            else compile_store(*elt);
        }
    }

    void compile_delete(const ast::Expr& target) {
        PositionScope at(*this, target.span);
        using K = ast::ExprKind;
        switch (target.kind) {
        case K::Name: name_op(static_cast<const ast::Name&>(target).id, Access::Delete, target.span); break;
        case K::Attribute: {
            auto& attr = static_cast<const ast::Attribute&>(target);
            compile_expr(*attr.value);
            emit(Opcode::DELETE_ATTR, name_index(mangle(attr.attr)));
            break;
        }
        case K::Subscript: {
            auto& sub = static_cast<const ast::Subscript&>(target);
            compile_expr(*sub.value);
            compile_subscript_index(*sub.slice);
            emit(Opcode::DELETE_SUBSCR);
            break;
        }
        case K::Tuple:
            for (const auto& elt : static_cast<const ast::Tuple&>(target).elts) compile_delete(*elt);
            break;
        case K::List:
            for (const auto& elt : static_cast<const ast::List&>(target).elts) compile_delete(*elt);
            break;
        default: error(target.span, "cannot delete " + expr_name(target));
        }
    }

    void compile_aug_assign(const ast::AugAssign& aug) {
        auto op = static_cast<std::uint32_t>(binary_op_of(aug.op)) + inplace_offset;
        const ast::Expr& target = *aug.target;
        switch (target.kind) {
        case ast::ExprKind::Name: {
            auto& name = static_cast<const ast::Name&>(target);
            name_op(name.id, Access::Load, name.span);
            compile_expr(*aug.value);
            {
                PositionScope at(*this, aug.span);
                emit(Opcode::BINARY_OP, op);
            }
            name_op(name.id, Access::Store, name.span);
            break;
        }
        case ast::ExprKind::Attribute: {
            // obj.attr op= value: evaluate obj once.
            auto& attr = static_cast<const ast::Attribute&>(target);
            std::uint32_t index = name_index(mangle(attr.attr));
            compile_expr(*attr.value);
            emit(Opcode::COPY, 1);
            emit(Opcode::LOAD_ATTR, index);
            compile_expr(*aug.value);
            {
                PositionScope at(*this, aug.span);
                emit(Opcode::BINARY_OP, op);
            }
            emit(Opcode::SWAP, 2);
            emit(Opcode::STORE_ATTR, index);
            break;
        }
        case ast::ExprKind::Subscript: {
            // obj[key] op= value: evaluate obj and key once.
            auto& sub = static_cast<const ast::Subscript&>(target);
            compile_expr(*sub.value);
            compile_subscript_index(*sub.slice);
            emit(Opcode::COPY, 2);
            emit(Opcode::COPY, 2);
            emit(Opcode::BINARY_SUBSCR);
            compile_expr(*aug.value);
            {
                PositionScope at(*this, aug.span);
                emit(Opcode::BINARY_OP, op);
            }
            emit(Opcode::SWAP, 3);
            emit(Opcode::SWAP, 2);
            emit(Opcode::STORE_SUBSCR);
            break;
        }
        default:
            error(target.span, "'" + expr_name(target) + "' is an illegal expression for augmented assignment");
        }
    }

    void compile_ann_assign(const ast::AnnAssign& ann) {
        // Annotations are never evaluated in asy; only the assignment itself runs.
        if (ann.value) {
            compile_expr(*ann.value);
            compile_store(*ann.target);
            return;
        }
        // `obj.attr: T` and `obj[key]: T` still evaluate obj (and key), as CPython does.
        if (auto* attr = ast::as<ast::Attribute>(ann.target.get())) {
            compile_expr(*attr->value);
            emit(Opcode::POP_TOP);
        } else if (auto* sub = ast::as<ast::Subscript>(ann.target.get())) {
            compile_expr(*sub->value);
            emit(Opcode::POP_TOP);
            compile_subscript_index(*sub->slice);
            emit(Opcode::POP_TOP);
        }
    }

    // ---- loops and conditionals

    void compile_for(const ast::For& loop) {
        Label start = new_label();
        Label cleanup = new_label();
        Label end = new_label();
        check_target(*loop.target);
        compile_expr(*loop.iter);
        emit(Opcode::GET_ITER);
        bind(start);
        push_fblock(FBlock{FBlockKind::ForLoop, start, end});
        {
            PositionScope at(*this, loop.iter->span);
            emit_jump(Opcode::FOR_ITER, cleanup);
        }
        compile_store(*loop.target);
        compile_body(loop.body);
        emit_jump(Opcode::JUMP, start);
        pop_fblock();
        bind(cleanup);
        // A loop's else runs only if no break happened.
        compile_body(loop.orelse);
        bind(end);
    }

    void compile_async_for(const ast::For& loop) {
        if (!is_async_function()) error(loop.span, "'async for' outside async function");
        Label start = new_label();
        Label except = new_label();
        Label end = new_label();
        check_target(*loop.target);
        compile_expr(*loop.iter);
        emit(Opcode::GET_AITER);
        bind(start);
        push_fblock(FBlock{FBlockKind::ForLoop, start, end});
        // StopAsyncIteration from __anext__ ends the loop at END_ASYNC_FOR.
        e().push_handler(except, false);
        emit(Opcode::GET_ANEXT);
        load_none();
        emit_yield_from_loop();
        e().pop_handler();
        compile_store(*loop.target);
        compile_body(loop.body);
        emit_jump(Opcode::JUMP, start);
        pop_fblock();
        bind(except);
        {
            PositionScope at(*this, loop.iter->span);
            emit(Opcode::END_ASYNC_FOR);
        }
        compile_body(loop.orelse);
        bind(end);
    }

    // Rejects invalid `for`/`with`/comprehension targets before any code is emitted.
    void check_target(const ast::Expr& target) {
        if (const ast::Expr* bad = find_invalid_target(target)) {
            error(bad->span, "cannot assign to " + expr_name(*bad));
        }
        if (target.kind == ast::ExprKind::Starred) {
            error(target.span, "starred assignment target must be in a list or tuple");
        }
    }

    static bool is_true_constant(const ast::Expr& expr) {
        auto* constant = ast::as<ast::Constant>(&expr);
        if (!constant) return false;
        return std::visit(
            [](const auto& v) -> bool {
                using T = std::decay_t<decltype(v)>;
                if constexpr (std::is_same_v<T, bool>) return v;
                else if constexpr (std::is_same_v<T, std::int64_t>) return v != 0;
                else if constexpr (std::is_same_v<T, std::string>) return !v.empty();
                else return false;
            },
            constant->value);
    }

    void compile_while(const ast::While& loop) {
        Label start = new_label();
        Label orelse = new_label();
        Label end = new_label();
        bind(start);
        push_fblock(FBlock{FBlockKind::WhileLoop, start, end});
        // `while True:` needs no test.
        if (!is_true_constant(*loop.test)) compile_jump_if(*loop.test, orelse, false);
        compile_body(loop.body);
        emit_jump(Opcode::JUMP, start);
        pop_fblock();
        bind(orelse);
        compile_body(loop.orelse);
        bind(end);
    }

    void compile_if(const ast::If& branch) {
        Label next = new_label();
        Label end = new_label();
        compile_jump_if(*branch.test, next, false);
        compile_body(branch.body);
        if (!branch.orelse.empty()) emit_jump(Opcode::JUMP, end);
        bind(next);
        compile_body(branch.orelse);
        bind(end);
    }

    // Jumps to `target` when `expr` is truthy (cond) or falsy (!cond), without building the
    // boolean: `not`, `and`/`or` and comparison chains become jumps (CPython's compiler_jump_if).
    void compile_jump_if(const ast::Expr& expr, Label target, bool cond) {
        PositionScope at(*this, expr.span);
        if (auto* unary = ast::as<ast::UnaryOp>(&expr); unary && unary->op == ast::UnaryOperator::Not) {
            compile_jump_if(*unary->operand, target, !cond);
            return;
        }
        if (auto* boolop = ast::as<ast::BoolOp>(&expr)) {
            bool cond2 = boolop->op == ast::BoolOperator::Or;
            Label next2 = target;
            bool own = cond2 != cond;
            if (own) next2 = new_label();
            for (std::size_t i = 0; i + 1 < boolop->values.size(); ++i) compile_jump_if(*boolop->values[i], next2, cond2);
            compile_jump_if(*boolop->values.back(), target, cond);
            if (own) bind(next2);
            return;
        }
        if (auto* cmp = ast::as<ast::Compare>(&expr); cmp && cmp->ops.size() > 1) {
            Label cleanup = new_label();
            Label end = new_label();
            compile_expr(*cmp->left);
            std::size_t n = cmp->ops.size() - 1;
            for (std::size_t i = 0; i < n; ++i) {
                compile_expr(*cmp->comparators[i]);
                emit(Opcode::SWAP, 2);
                emit(Opcode::COPY, 2);
                emit_compare(cmp->ops[i]);
                emit_jump(Opcode::POP_JUMP_IF_FALSE, cleanup);
            }
            compile_expr(*cmp->comparators[n]);
            emit_compare(cmp->ops[n]);
            emit_jump(cond ? Opcode::POP_JUMP_IF_TRUE : Opcode::POP_JUMP_IF_FALSE, target);
            emit_jump(Opcode::JUMP, end);
            bind(cleanup);
            emit(Opcode::POP_TOP);
            if (!cond) emit_jump(Opcode::JUMP, target);
            bind(end);
            return;
        }
        compile_expr(expr);
        emit_jump(cond ? Opcode::POP_JUMP_IF_TRUE : Opcode::POP_JUMP_IF_FALSE, target);
    }

    // ---- exceptions

    void compile_raise(const ast::Raise& raise) {
        std::uint32_t count = 0;
        if (raise.exc) {
            compile_expr(*raise.exc);
            ++count;
            if (raise.cause) {
                compile_expr(*raise.cause);
                ++count;
            }
        }
        emit(Opcode::RAISE_VARARGS, count);
    }

    void compile_try(const ast::Try& tr) {
        if (!tr.finalbody.empty()) compile_try_finally(tr);
        else if (tr.is_star) compile_try_star_except(tr);
        else compile_try_except(tr);
    }

    // The re-raise tail shared by every handler: restore the previously handled exception
    // (saved below lasti and the new exception) and re-raise.
    void emit_pop_except_and_reraise() {
        emit(Opcode::COPY, 3);
        emit(Opcode::POP_EXCEPT);
        emit(Opcode::RERAISE, 1);
    }

    // try: body  finally: final  — the finally body is compiled twice: once on the normal
    // path, once in the handler that runs it for an exception and re-raises.
    void compile_try_finally(const ast::Try& tr) {
        Label handler = new_label();
        Label exit = new_label();
        Label cleanup = new_label();
        e().push_handler(handler, false);
        push_fblock(FBlock{FBlockKind::FinallyTry, {}, {}, &tr.finalbody});
        if (!tr.handlers.empty()) {
            if (tr.is_star) compile_try_star_except(tr);
            else compile_try_except(tr);
        } else {
            compile_body(tr.body);
        }
        e().pop_handler();
        pop_fblock();
        compile_body(tr.finalbody);
        emit_jump(Opcode::JUMP, exit);

        bind(handler);
        e().push_handler(cleanup, true);
        emit(Opcode::PUSH_EXC_INFO);
        push_fblock(FBlock{FBlockKind::FinallyEnd});
        compile_body(tr.finalbody);
        pop_fblock();
        emit(Opcode::RERAISE, 0);
        e().pop_handler();
        bind(cleanup);
        emit_pop_except_and_reraise();
        bind(exit);
    }

    void clear_handler_name(const std::string& name, Span span) {
        load_none();
        name_op(name, Access::Store, span);
        name_op(name, Access::Delete, span);
    }

    // try: body  except E as e: handler ...  else: orelse
    void compile_try_except(const ast::Try& tr) {
        Label except = new_label();
        Label end = new_label();
        Label cleanup = new_label();
        e().push_handler(except, false);
        push_fblock(FBlock{FBlockKind::TryExcept});
        compile_body(tr.body);
        pop_fblock();
        e().pop_handler();
        compile_body(tr.orelse);
        emit_jump(Opcode::JUMP, end);

        bind(except);
        // While a handler runs, an exception in it restores the previous exception state.
        e().push_handler(cleanup, true);
        const Handler outer_cleanup = e().handlers().back();
        emit(Opcode::PUSH_EXC_INFO);
        push_fblock(FBlock{FBlockKind::ExceptionHandler});
        for (std::size_t i = 0; i < tr.handlers.size(); ++i) {
            const ast::ExceptHandler& handler = tr.handlers[i];
            PositionScope at(*this, handler.span);
            if (!handler.type && i + 1 < tr.handlers.size()) error(handler.span, "default 'except:' must be last");
            Label next = new_label();
            if (handler.type) {
                compile_expr(*handler.type);
                emit(Opcode::CHECK_EXC_MATCH);
                emit_jump(Opcode::POP_JUMP_IF_FALSE, next);
            }
            if (handler.name) {
                // except E as name: the body runs in a try/finally that deletes `name`.
                Label cleanup_end = new_label();
                name_op(*handler.name, Access::Store, handler.span);
                e().push_handler(cleanup_end, true);
                push_fblock(FBlock{FBlockKind::HandlerCleanup, {}, {}, nullptr, &*handler.name, handler.span});
                compile_body(handler.body);
                pop_fblock();
                e().pop_handler();
                e().pop_handler();
                emit(Opcode::POP_EXCEPT);
                clear_handler_name(*handler.name, handler.span);
                emit_jump(Opcode::JUMP, end);

                bind(cleanup_end);
                e().push_handler(outer_cleanup);
                clear_handler_name(*handler.name, handler.span);
                emit(Opcode::RERAISE, 1);
            } else {
                emit(Opcode::POP_TOP);  // the exception
                push_fblock(FBlock{FBlockKind::HandlerCleanup, {}, {}, nullptr, nullptr, handler.span});
                compile_body(handler.body);
                pop_fblock();
                e().pop_handler();
                emit(Opcode::POP_EXCEPT);
                emit_jump(Opcode::JUMP, end);
                e().push_handler(outer_cleanup);
            }
            bind(next);
        }
        pop_fblock();
        // No handler matched: re-raise.
        emit(Opcode::RERAISE, 0);
        e().pop_handler();
        bind(cleanup);
        emit_pop_except_and_reraise();
        bind(end);
    }

    // try: body  except* E as e: handler ...  (PEP 654), CPython 3.11's shape: each handler
    // splits the group with CHECK_EG_MATCH; whatever handlers raise is collected in a list
    // that PREP_RERAISE_STAR merges with the unhandled rest.
    void compile_try_star_except(const ast::Try& tr) {
        Label except = new_label();
        Label orelse = new_label();
        Label end = new_label();
        Label cleanup = new_label();
        Label reraise_star = new_label();
        e().push_handler(except, false);
        push_fblock(FBlock{FBlockKind::TryExcept});
        compile_body(tr.body);
        pop_fblock();
        e().pop_handler();
        emit_jump(Opcode::JUMP, orelse);

        bind(except);
        e().push_handler(cleanup, true);
        emit(Opcode::PUSH_EXC_INFO);
        push_fblock(FBlock{FBlockKind::ExceptionGroupHandler});
        for (std::size_t i = 0; i < tr.handlers.size(); ++i) {
            const ast::ExceptHandler& handler = tr.handlers[i];
            PositionScope at(*this, handler.span);
            Label next = new_label();
            Label except_with_error = new_label();
            Label no_match = new_label();
            if (i == 0) {
                // [orig, [], exc]: the original group, the list of raised exceptions, the rest.
                emit(Opcode::COPY, 1);
                emit(Opcode::BUILD_LIST, 0);
                emit(Opcode::SWAP, 2);
            }
            if (handler.type) {
                compile_expr(*handler.type);
                emit(Opcode::CHECK_EG_MATCH);
                emit(Opcode::COPY, 1);
                emit_jump(Opcode::POP_JUMP_IF_NONE, no_match);
            }
            Label cleanup_end = new_label();
            if (handler.name) name_op(*handler.name, Access::Store, handler.span);
            else emit(Opcode::POP_TOP);  // the match
            e().push_handler(cleanup_end, true);
            push_fblock(FBlock{FBlockKind::HandlerCleanup, {}, {}, nullptr,
                               handler.name ? &*handler.name : nullptr, handler.span});
            compile_body(handler.body);
            pop_fblock();
            e().pop_handler();
            if (handler.name) clear_handler_name(*handler.name, handler.span);
            emit_jump(Opcode::JUMP, next);

            bind(cleanup_end);
            if (handler.name) clear_handler_name(*handler.name, handler.span);
            // Collect what the handler raised, drop lasti.
            emit(Opcode::LIST_APPEND, 3);
            emit(Opcode::POP_TOP);
            emit_jump(Opcode::JUMP, except_with_error);
            bind(next);
            emit(Opcode::NOP);
            emit_jump(Opcode::JUMP, except_with_error);
            if (handler.type) {
                bind(no_match);
                emit(Opcode::POP_TOP);  // the match (None)
            }
            bind(except_with_error);
            if (i + 1 == tr.handlers.size()) {
                // The unhandled rest (or None) joins the list too.
                emit(Opcode::LIST_APPEND, 1);
                emit_jump(Opcode::JUMP, reraise_star);
            }
        }
        pop_fblock();
        Label reraise = new_label();
        bind(reraise_star);
        emit(Opcode::PREP_RERAISE_STAR);
        emit(Opcode::COPY, 1);
        emit_jump(Opcode::POP_JUMP_IF_NOT_NONE, reraise);
        // Nothing to re-raise.
        emit(Opcode::POP_TOP);
        e().pop_handler();
        emit(Opcode::POP_EXCEPT);
        emit_jump(Opcode::JUMP, end);
        bind(reraise);
        emit(Opcode::SWAP, 2);
        emit(Opcode::POP_EXCEPT);
        emit(Opcode::RERAISE, 0);
        bind(cleanup);
        emit_pop_except_and_reraise();
        bind(orelse);
        compile_body(tr.orelse);
        bind(end);
    }

    void call_exit_with_nones() {
        load_none();
        load_none();
        load_none();
        emit(Opcode::CALL, 3);
    }

    // with a as x, b as y: body — one nested block per item. The body is covered by a
    // handler that calls __exit__ with the exception and re-raises unless it returns true.
    void compile_with(const ast::With& with, std::size_t pos) {
        const ast::WithItem& item = with.items[pos];
        Label final = new_label();
        Label exit = new_label();
        Label cleanup = new_label();
        if (item.optional_vars) check_target(*item.optional_vars);
        compile_expr(*item.context_expr);
        {
            PositionScope at(*this, with.span);
            if (with.is_async) {
                emit(Opcode::BEFORE_ASYNC_WITH);
                emit(Opcode::GET_AWAITABLE, 1);
                load_none();
                emit_yield_from_loop();
            } else {
                emit(Opcode::BEFORE_WITH);
            }
        }
        // The handler unwinds to just the bound __exit__ (the __enter__ result is gone by then).
        e().push_handler(final, true, -1);
        push_fblock(FBlock{with.is_async ? FBlockKind::AsyncWith : FBlockKind::With, {}, {}, nullptr, nullptr,
                           with.span});
        if (item.optional_vars) compile_store(*item.optional_vars);
        else emit(Opcode::POP_TOP);
        if (pos + 1 == with.items.size()) compile_body(with.body);
        else compile_with(with, pos + 1);

        PositionScope at(*this, with.span);
        e().pop_handler();
        pop_fblock();
        // Normal exit: __exit__(None, None, None).
        call_exit_with_nones();
        if (with.is_async) {
            emit(Opcode::GET_AWAITABLE, 2);
            load_none();
            emit_yield_from_loop();
        }
        emit(Opcode::POP_TOP);
        emit_jump(Opcode::JUMP, exit);

        // Exceptional exit: __exit__(type, value, traceback) decides whether to swallow it.
        bind(final);
        e().push_handler(cleanup, true);
        emit(Opcode::PUSH_EXC_INFO);
        emit(Opcode::WITH_EXCEPT_START);
        if (with.is_async) {
            emit(Opcode::GET_AWAITABLE, 2);
            load_none();
            emit_yield_from_loop();
        }
        Label suppress = new_label();
        emit_jump(Opcode::POP_JUMP_IF_TRUE, suppress);
        // CPython writes RERAISE 2 here; the contract's RERAISE knows only 0 and 1, and the
        // lasti it would restore is pushed again by the cleanup handler below.
        emit(Opcode::RERAISE, 0);
        e().pop_handler();
        bind(cleanup);
        emit_pop_except_and_reraise();
        bind(suppress);
        emit(Opcode::POP_TOP);  // the exception
        emit(Opcode::POP_EXCEPT);
        emit(Opcode::POP_TOP);  // lasti
        emit(Opcode::POP_TOP);  // __exit__
        bind(exit);
    }

    void compile_assert(const ast::Assert& check) {
        Label end = new_label();
        compile_jump_if(*check.test, end, true);
        emit(Opcode::LOAD_ASSERTION_ERROR);
        if (check.msg) {
            compile_expr(*check.msg);
            emit(Opcode::CALL, 1);
        }
        emit(Opcode::RAISE_VARARGS, 1);
        bind(end);
    }

    // ---- imports

    void compile_import(const ast::Import& import) {
        for (const auto& alias : import.names) {
            PositionScope at(*this, alias.span);
            load_const(std::int64_t{0});
            load_none();
            emit(Opcode::IMPORT_NAME, name_index(alias.name));
            std::size_t dot = alias.name.find('.');
            if (!alias.asname) {
                // `import a.b.c` binds the top package `a`.
                name_op(alias.name.substr(0, dot), Access::Store, alias.span);
                continue;
            }
            if (dot == std::string::npos) {
                name_op(*alias.asname, Access::Store, alias.span);
                continue;
            }
            // `import a.b.c as d` walks from the top package down to `c`.
            std::size_t pos = dot + 1;
            while (true) {
                std::size_t next = alias.name.find('.', pos);
                std::string attr = alias.name.substr(pos, next == std::string::npos ? std::string::npos : next - pos);
                emit(Opcode::IMPORT_FROM, name_index(attr));
                if (next == std::string::npos) break;
                emit(Opcode::SWAP, 2);
                emit(Opcode::POP_TOP);
                pos = next + 1;
            }
            name_op(*alias.asname, Access::Store, alias.span);
            emit(Opcode::POP_TOP);
        }
    }

    void compile_import_from(const ast::ImportFrom& import) {
        // `from __future__ import annotations` changes nothing in asy: annotations are never evaluated.
        if (import.module == "__future__" && import.level == 0) return;
        auto names = std::make_shared<TupleConstant>();
        bool star = false;
        for (const auto& alias : import.names) {
            names->items.emplace_back(alias.name);
            if (alias.name == "*") {
                star = true;
                if (scope().kind != ScopeKind::Module) error(alias.span, "import * only allowed at module level");
            }
        }
        load_const(std::int64_t{import.level});
        load_const(std::shared_ptr<const TupleConstant>(std::move(names)));
        emit(Opcode::IMPORT_NAME, name_index(import.module));
        if (star) {
            emit(Opcode::IMPORT_STAR);
            return;
        }
        for (const auto& alias : import.names) {
            PositionScope at(*this, alias.span);
            emit(Opcode::IMPORT_FROM, name_index(alias.name));
            name_op(alias.asname ? *alias.asname : alias.name, Access::Store, alias.span);
        }
        emit(Opcode::POP_TOP);  // the module
    }

    // ------------------------------------------------------------ expressions

    void compile_expr(const ast::Expr& expr) {
        PositionScope at(*this, expr.span);
        using K = ast::ExprKind;
        switch (expr.kind) {
        case K::BoolOp: compile_bool_op(static_cast<const ast::BoolOp&>(expr)); break;
        case K::NamedExpr: compile_named_expr(static_cast<const ast::NamedExpr&>(expr)); break;
        case K::BinOp: {
            auto& bin = static_cast<const ast::BinOp&>(expr);
            compile_expr(*bin.left);
            compile_expr(*bin.right);
            emit(Opcode::BINARY_OP, static_cast<std::uint32_t>(binary_op_of(bin.op)));
            break;
        }
        case K::UnaryOp: compile_unary_op(static_cast<const ast::UnaryOp&>(expr)); break;
        case K::Lambda: compile_lambda(static_cast<const ast::Lambda&>(expr)); break;
        case K::IfExp: {
            auto& ifexp = static_cast<const ast::IfExp&>(expr);
            Label orelse = new_label();
            Label end = new_label();
            compile_jump_if(*ifexp.test, orelse, false);
            compile_expr(*ifexp.body);
            emit_jump(Opcode::JUMP, end);
            bind(orelse);
            compile_expr(*ifexp.orelse);
            bind(end);
            break;
        }
        case K::Dict: compile_dict(static_cast<const ast::Dict&>(expr)); break;
        case K::Set:
            compile_starunpack(static_cast<const ast::Set&>(expr).elts, 0, Opcode::BUILD_SET, Opcode::SET_ADD,
                               Opcode::SET_UPDATE, false);
            break;
        case K::ListComp: {
            auto& comp = static_cast<const ast::ListComp&>(expr);
            compile_comprehension(expr, comp.generators, comp.elt.get(), nullptr);
            break;
        }
        case K::SetComp: {
            auto& comp = static_cast<const ast::SetComp&>(expr);
            compile_comprehension(expr, comp.generators, comp.elt.get(), nullptr);
            break;
        }
        case K::DictComp: {
            auto& comp = static_cast<const ast::DictComp&>(expr);
            compile_comprehension(expr, comp.generators, comp.key.get(), comp.value.get());
            break;
        }
        case K::GeneratorExp: {
            auto& comp = static_cast<const ast::GeneratorExp&>(expr);
            compile_comprehension(expr, comp.generators, comp.elt.get(), nullptr);
            break;
        }
        case K::Await: compile_await(static_cast<const ast::Await&>(expr)); break;
        case K::Yield: compile_yield(static_cast<const ast::Yield&>(expr)); break;
        case K::YieldFrom: compile_yield_from(static_cast<const ast::YieldFrom&>(expr)); break;
        case K::Compare: compile_compare(static_cast<const ast::Compare&>(expr)); break;
        case K::Call: compile_call(static_cast<const ast::Call&>(expr)); break;
        case K::FormattedValue: compile_formatted_value(static_cast<const ast::FormattedValue&>(expr)); break;
        case K::JoinedStr: {
            auto& joined = static_cast<const ast::JoinedStr&>(expr);
            if (auto text = constant_string(joined)) {
                // An f-string (or format spec) without replacement fields is a constant.
                load_const(std::move(*text));
            } else if (joined.values.size() == 1 && joined.values[0]->kind == K::FormattedValue) {
                compile_expr(*joined.values[0]);
            } else {
                for (const auto& value : joined.values) compile_expr(*value);
                emit(Opcode::BUILD_STRING, static_cast<std::uint32_t>(joined.values.size()));
            }
            break;
        }
        case K::Constant: load_const(to_constant(static_cast<const ast::Constant&>(expr).value)); break;
        case K::Attribute: {
            auto& attr = static_cast<const ast::Attribute&>(expr);
            compile_expr(*attr.value);
            PositionScope name_at(*this, attribute_span(attr, attr.span));
            emit(Opcode::LOAD_ATTR, name_index(mangle(attr.attr)));
            break;
        }
        case K::Subscript: {
            auto& sub = static_cast<const ast::Subscript&>(expr);
            compile_expr(*sub.value);
            compile_subscript_index(*sub.slice);
            emit(Opcode::BINARY_SUBSCR);
            break;
        }
        case K::Starred: error(expr.span, "can't use starred expression here");
        case K::Name: {
            const std::string& id = static_cast<const ast::Name&>(expr).id;
            // `__debug__` is the constant True (asy has no -O), as CPython's AST optimizer folds it.
            if (id == "__debug__") load_const(true);
            else name_op(id, Access::Load, expr.span);
            break;
        }
        case K::List:
            compile_starunpack(static_cast<const ast::List&>(expr).elts, 0, Opcode::BUILD_LIST, Opcode::LIST_APPEND,
                               Opcode::LIST_EXTEND, false);
            break;
        case K::Tuple: {
            auto& tuple = static_cast<const ast::Tuple&>(expr);
            if (auto folded = fold_constant(expr)) {
                load_const(std::move(*folded));
                break;
            }
            compile_starunpack(tuple.elts, 0, Opcode::BUILD_LIST, Opcode::LIST_APPEND, Opcode::LIST_EXTEND, true);
            break;
        }
        case K::Slice: compile_slice(static_cast<const ast::Slice&>(expr)); break;
        }
    }

    // The text of a JoinedStr made only of string constants, else nothing.
    static std::optional<std::string> constant_string(const ast::JoinedStr& joined) {
        std::string text;
        for (const auto& value : joined.values) {
            auto* constant = ast::as<ast::Constant>(value.get());
            if (!constant) return std::nullopt;
            auto* piece = std::get_if<std::string>(&constant->value);
            if (!piece) return std::nullopt;
            text += *piece;
        }
        return text;
    }

    void compile_unary_op(const ast::UnaryOp& unary) {
        if (unary.op == ast::UnaryOperator::USub) {
            if (auto folded = fold_constant(unary)) {
                load_const(std::move(*folded));
                return;
            }
        }
        compile_expr(*unary.operand);
        switch (unary.op) {
        case ast::UnaryOperator::Invert: emit(Opcode::UNARY_INVERT); break;
        case ast::UnaryOperator::Not: emit(Opcode::UNARY_NOT); break;
        case ast::UnaryOperator::UAdd: emit(Opcode::UNARY_POSITIVE); break;
        case ast::UnaryOperator::USub: emit(Opcode::UNARY_NEGATIVE); break;
        }
    }

    // `a and b`: the first falsy operand is the result, else the last one.
    void compile_bool_op(const ast::BoolOp& boolop) {
        Label end = new_label();
        Opcode jump = boolop.op == ast::BoolOperator::And ? Opcode::JUMP_IF_FALSE_OR_POP : Opcode::JUMP_IF_TRUE_OR_POP;
        for (std::size_t i = 0; i + 1 < boolop.values.size(); ++i) {
            compile_expr(*boolop.values[i]);
            emit_jump(jump, end);
        }
        compile_expr(*boolop.values.back());
        bind(end);
    }

    void compile_named_expr(const ast::NamedExpr& named) {
        if (named.target->kind != ast::ExprKind::Name) {
            error(named.target->span, "cannot use assignment expressions with " + expr_name(*named.target));
        }
        compile_expr(*named.value);
        emit(Opcode::COPY, 1);
        compile_store(*named.target);
    }

    void emit_compare(ast::CompareOperator op) {
        using C = ast::CompareOperator;
        switch (op) {
        case C::Eq: emit(Opcode::COMPARE_OP, static_cast<std::uint32_t>(CompareOp::Eq)); break;
        case C::NotEq: emit(Opcode::COMPARE_OP, static_cast<std::uint32_t>(CompareOp::Ne)); break;
        case C::Lt: emit(Opcode::COMPARE_OP, static_cast<std::uint32_t>(CompareOp::Lt)); break;
        case C::LtE: emit(Opcode::COMPARE_OP, static_cast<std::uint32_t>(CompareOp::Le)); break;
        case C::Gt: emit(Opcode::COMPARE_OP, static_cast<std::uint32_t>(CompareOp::Gt)); break;
        case C::GtE: emit(Opcode::COMPARE_OP, static_cast<std::uint32_t>(CompareOp::Ge)); break;
        case C::Is: emit(Opcode::IS_OP, 0); break;
        case C::IsNot: emit(Opcode::IS_OP, 1); break;
        case C::In: emit(Opcode::CONTAINS_OP, 0); break;
        case C::NotIn: emit(Opcode::CONTAINS_OP, 1); break;
        }
    }

    // `a < b < c` evaluates b once and stops at the first false comparison.
    void compile_compare(const ast::Compare& cmp) {
        compile_expr(*cmp.left);
        std::size_t n = cmp.ops.size();
        if (n == 1) {
            compile_expr(*cmp.comparators[0]);
            emit_compare(cmp.ops[0]);
            return;
        }
        Label cleanup = new_label();
        Label end = new_label();
        for (std::size_t i = 0; i + 1 < n; ++i) {
            compile_expr(*cmp.comparators[i]);
            emit(Opcode::SWAP, 2);
            emit(Opcode::COPY, 2);
            emit_compare(cmp.ops[i]);
            emit_jump(Opcode::JUMP_IF_FALSE_OR_POP, cleanup);
        }
        compile_expr(*cmp.comparators[n - 1]);
        emit_compare(cmp.ops[n - 1]);
        emit_jump(Opcode::JUMP, end);
        bind(cleanup);
        emit(Opcode::SWAP, 2);
        emit(Opcode::POP_TOP);
        bind(end);
    }

    void compile_slice(const ast::Slice& slice) {
        std::uint32_t count = 2;
        if (slice.lower) compile_expr(*slice.lower);
        else load_none();
        if (slice.upper) compile_expr(*slice.upper);
        else load_none();
        if (slice.step) {
            compile_expr(*slice.step);
            count = 3;
        }
        emit(Opcode::BUILD_SLICE, count);
    }

    void compile_subscript_index(const ast::Expr& index) { compile_expr(index); }

    // Displays with `*iterable` items (and tuples/lists/sets in general), CPython's
    // starunpack_helper: items before the first star are pushed and collected with one
    // BUILD_*, the rest are appended or extended one by one. `pushed` counts values already
    // on the stack that belong at the front (the class body function and name of a class).
    void compile_starunpack(const ast::ExprList& elts, std::uint32_t pushed, Opcode build, Opcode add, Opcode extend,
                            bool tuple) {
        bool seen_star = false;
        for (const auto& elt : elts)
            if (elt->kind == ast::ExprKind::Starred) seen_star = true;
        if (!seen_star) {
            for (const auto& elt : elts) compile_expr(*elt);
            emit(tuple ? Opcode::BUILD_TUPLE : build, static_cast<std::uint32_t>(elts.size()) + pushed);
            return;
        }
        bool built = false;
        for (std::size_t i = 0; i < elts.size(); ++i) {
            const ast::Expr& elt = *elts[i];
            if (auto* starred = ast::as<ast::Starred>(&elt)) {
                if (!built) {
                    emit(build, static_cast<std::uint32_t>(i) + pushed);
                    built = true;
                }
                compile_expr(*starred->value);
                emit(extend, 1);
            } else {
                compile_expr(elt);
                if (built) emit(add, 1);
            }
        }
        if (tuple) emit(Opcode::LIST_TO_TUPLE);
    }

    void compile_dict(const ast::Dict& dict) {
        std::uint32_t pairs = 0;
        bool have_dict = false;
        for (std::size_t i = 0; i < dict.values.size(); ++i) {
            const ast::Expr* key = i < dict.keys.size() ? dict.keys[i].get() : nullptr;
            if (key) {
                compile_expr(*key);
                compile_expr(*dict.values[i]);
                ++pairs;
                continue;
            }
            // `**mapping` merges into the dict built so far.
            if (pairs > 0) {
                emit(Opcode::BUILD_MAP, pairs);
                if (have_dict) emit(Opcode::DICT_UPDATE, 1);
                have_dict = true;
                pairs = 0;
            }
            if (!have_dict) {
                emit(Opcode::BUILD_MAP, 0);
                have_dict = true;
            }
            compile_expr(*dict.values[i]);
            emit(Opcode::DICT_UPDATE, 1);
        }
        if (pairs > 0 || !have_dict) {
            emit(Opcode::BUILD_MAP, pairs);
            if (have_dict) emit(Opcode::DICT_UPDATE, 1);
        }
    }

    void compile_formatted_value(const ast::FormattedValue& fv) {
        compile_expr(*fv.value);
        std::uint32_t flags = 0;
        switch (fv.conversion) {
        case 's': flags = 1; break;
        case 'r': flags = 2; break;
        case 'a': flags = 3; break;
        default: break;
        }
        if (fv.format_spec) {
            compile_expr(*fv.format_spec);
            flags |= 4;
        }
        emit(Opcode::FORMAT_VALUE, flags);
    }

    // ---- calls

    void check_keywords(const std::vector<ast::Keyword>& keywords) {
        for (std::size_t i = 0; i < keywords.size(); ++i) {
            if (!keywords[i].arg) continue;
            for (std::size_t j = i + 1; j < keywords.size(); ++j) {
                if (keywords[j].arg && *keywords[j].arg == *keywords[i].arg) {
                    error(keywords[j].span, "keyword argument repeated: " + *keywords[i].arg);
                }
            }
        }
    }

    static bool has_starred(const ast::ExprList& args) {
        for (const auto& arg : args)
            if (arg->kind == ast::ExprKind::Starred) return true;
        return false;
    }

    // In a chain spread over lines (`(obj\n .method()\n .other())`) an attribute access or a
    // method call is reported at the line of its name, not where the chain starts, so that
    // tracebacks point at the right line (CPython's update_start_location_to_match_attr).
    static Span attribute_span(const ast::Attribute& attr, Span span) {
        if (span.line == attr.span.end_line) return span;
        int length = 0;
        for (unsigned char c : attr.attr) length += (c & 0xC0) != 0x80 ? 1 : 0;  // code points
        span.line = attr.span.end_line;
        span.column = attr.span.end_column > length ? attr.span.end_column - length : 0;
        if (span.end_line < span.line) span.end_line = span.line;
        if (span.end_line == span.line && span.end_column < span.column) span.end_column = span.column;
        return span;
    }

    void compile_call(const ast::Call& call) {
        check_keywords(call.keywords);
        // obj.method(args): LOAD_METHOD avoids creating a bound method.
        if (auto* attr = ast::as<ast::Attribute>(call.func.get());
            attr && call.keywords.empty() && !has_starred(call.args)) {
            compile_expr(*attr->value);
            PositionScope at(*this, attribute_span(*attr, call.span));
            emit(Opcode::LOAD_METHOD, name_index(mangle(attr->attr)));
            for (const auto& arg : call.args) compile_expr(*arg);
            emit(Opcode::CALL_METHOD, static_cast<std::uint32_t>(call.args.size()));
            return;
        }
        compile_expr(*call.func);
        compile_call_helper(0, call.args, call.keywords);
    }

    // Emits the arguments and the call for a callable already on the stack, plus `pushed`
    // leading positional arguments already pushed after it.
    void compile_call_helper(std::uint32_t pushed, const ast::ExprList& args, const std::vector<ast::Keyword>& keywords) {
        check_keywords(keywords);
        bool dynamic = has_starred(args);
        for (const auto& kw : keywords)
            if (!kw.arg) dynamic = true;
        if (!dynamic) {
            for (const auto& arg : args) compile_expr(*arg);
            if (keywords.empty()) {
                emit(Opcode::CALL, pushed + static_cast<std::uint32_t>(args.size()));
                return;
            }
            auto names = std::make_shared<TupleConstant>();
            for (const auto& kw : keywords) {
                compile_expr(*kw.value);
                names->items.emplace_back(*kw.arg);
            }
            load_const(std::shared_ptr<const TupleConstant>(std::move(names)));
            emit(Opcode::CALL_KW, pushed + static_cast<std::uint32_t>(args.size() + keywords.size()));
            return;
        }
        // f(*a, **k): one tuple of positional arguments and one dict of keyword arguments.
        // f(*a) alone passes `a` itself, as CPython does: CALL_FUNCTION_EX iterates it (and
        // names the function when it is not iterable).
        if (pushed == 0 && args.size() == 1 && args[0]->kind == ast::ExprKind::Starred)
            compile_expr(*ast::as<ast::Starred>(args[0].get())->value);
        else
            compile_starunpack(args, pushed, Opcode::BUILD_LIST, Opcode::LIST_APPEND, Opcode::LIST_EXTEND, true);
        bool have_dict = false;
        std::size_t seen = 0;
        auto pack_keywords = [&](std::size_t begin, std::size_t end) {
            for (std::size_t i = begin; i < end; ++i) {
                load_const(*keywords[i].arg);
                compile_expr(*keywords[i].value);
            }
            emit(Opcode::BUILD_MAP, static_cast<std::uint32_t>(end - begin));
        };
        for (std::size_t i = 0; i < keywords.size(); ++i) {
            if (keywords[i].arg) {
                ++seen;
                continue;
            }
            if (seen > 0) {
                pack_keywords(i - seen, i);
                if (have_dict) emit(Opcode::DICT_MERGE, 1);
                have_dict = true;
                seen = 0;
            }
            if (!have_dict) {
                emit(Opcode::BUILD_MAP, 0);
                have_dict = true;
            }
            compile_expr(*keywords[i].value);
            emit(Opcode::DICT_MERGE, 1);
        }
        if (seen > 0) {
            pack_keywords(keywords.size() - seen, keywords.size());
            if (have_dict) emit(Opcode::DICT_MERGE, 1);
            have_dict = true;
        }
        emit(Opcode::CALL_FUNCTION_EX, have_dict ? 1 : 0);
    }

    // ---- generators and coroutines

    // The SEND/YIELD_VALUE loop of `yield from` and `await`: [receiver, value] -> [result].
    // Every YIELD_VALUE right after a SEND is a point where a coroutine can suspend.
    void emit_yield_from_loop() {
        Label start = new_label();
        Label exit = new_label();
        bind(start);
        emit_jump(Opcode::SEND, exit);
        emit(Opcode::YIELD_VALUE);
        emit_jump(Opcode::JUMP, start);
        bind(exit);
    }

    void compile_await(const ast::Await& await) {
        bool top_level = m_mode == CompileMode::Interactive && scope().kind == ScopeKind::Module;
        if (!top_level) {
            if (!scope().is_function_like()) error(await.span, "'await' outside function");
            if (!u().allows_await && scope().kind != ScopeKind::Comprehension) {
                error(await.span, "'await' outside async function");
            }
        }
        compile_expr(*await.value);
        emit(Opcode::GET_AWAITABLE, 0);
        load_none();
        emit_yield_from_loop();
    }

    void compile_yield(const ast::Yield& yield) {
        if (!scope().is_function_like()) error(yield.span, "'yield' outside function");
        if (yield.value) compile_expr(*yield.value);
        else load_none();
        if (scope().is_coroutine && scope().is_generator) emit(Opcode::ASYNC_GEN_WRAP);
        emit(Opcode::YIELD_VALUE);
    }

    void compile_yield_from(const ast::YieldFrom& yield) {
        if (!scope().is_function_like()) error(yield.span, "'yield' outside function");
        if (scope().is_coroutine) error(yield.span, "'yield from' inside async function");
        compile_expr(*yield.value);
        emit(Opcode::GET_YIELD_FROM_ITER);
        load_none();
        emit_yield_from_loop();
    }

    // ---- comprehensions

    // A comprehension is a nested function called at once with the iterator of its first
    // `for` as its only argument `.0` (Python 3.11).
    void compile_comprehension(const ast::Expr& node, const std::vector<ast::Comprehension>& generators,
                               const ast::Expr* elt, const ast::Expr* value) {
        Scope* child = m_symbols.scope_of(&node);
        bool is_genexp = node.kind == ast::ExprKind::GeneratorExp;
        bool is_async = child->is_coroutine;
        bool top_level_await = m_mode == CompileMode::Interactive && scope().kind == ScopeKind::Module;
        if (is_async && !is_genexp && !u().allows_await && scope().kind != ScopeKind::Comprehension &&
            !top_level_await) {
            error(node.span, "asynchronous comprehension outside of an asynchronous function");
        }
        for (const auto& gen : generators) check_target(*gen.target);

        enter_unit(child, child->name, qualname_for(child->name, false), child->first_line);
        CodeObject& code = *u().code;
        code.argcount = 1;
        code.flags = function_flags(*child);
        u().allows_await = is_async;
        if (child->is_generator || child->is_coroutine) emit_generator_prologue();
        switch (node.kind) {
        case ast::ExprKind::ListComp: emit(Opcode::BUILD_LIST, 0); break;
        case ast::ExprKind::SetComp: emit(Opcode::BUILD_SET, 0); break;
        case ast::ExprKind::DictComp: emit(Opcode::BUILD_MAP, 0); break;
        default: break;
        }
        compile_comprehension_generator(node.kind, generators, 0, 0, elt, value);
        if (is_genexp) load_none();
        emit(Opcode::RETURN_VALUE);
        auto body = leave_unit();

        make_closure(body, 0);
        const ast::Comprehension& outermost = generators.front();
        compile_expr(*outermost.iter);
        emit(outermost.is_async ? Opcode::GET_AITER : Opcode::GET_ITER);
        emit(Opcode::CALL, 1);
        if (is_async && !is_genexp) {
            emit(Opcode::GET_AWAITABLE, 0);
            load_none();
            emit_yield_from_loop();
        }
    }

    void compile_comprehension_generator(ast::ExprKind kind, const std::vector<ast::Comprehension>& generators,
                                         std::size_t index, std::uint32_t depth, const ast::Expr* elt,
                                         const ast::Expr* value) {
        const ast::Comprehension& gen = generators[index];
        if (gen.is_async) {
            compile_async_comprehension_generator(kind, generators, index, depth, elt, value);
            return;
        }
        Label start = new_label();
        Label if_cleanup = new_label();
        Label anchor = new_label();
        if (index == 0) {
            emit(Opcode::LOAD_FAST, 0);  // .0, the iterator passed in
        } else {
            compile_expr(*gen.iter);
            emit(Opcode::GET_ITER);
        }
        bind(start);
        emit_jump(Opcode::FOR_ITER, anchor);
        compile_store(*gen.target);
        for (const auto& cond : gen.ifs) compile_jump_if(*cond, if_cleanup, false);
        compile_comprehension_body(kind, generators, index, depth + 1, elt, value);
        bind(if_cleanup);
        emit_jump(Opcode::JUMP, start);
        bind(anchor);
    }

    void compile_async_comprehension_generator(ast::ExprKind kind, const std::vector<ast::Comprehension>& generators,
                                               std::size_t index, std::uint32_t depth, const ast::Expr* elt,
                                               const ast::Expr* value) {
        const ast::Comprehension& gen = generators[index];
        Label start = new_label();
        Label except = new_label();
        Label if_cleanup = new_label();
        if (index == 0) {
            emit(Opcode::LOAD_FAST, 0);
        } else {
            compile_expr(*gen.iter);
            emit(Opcode::GET_AITER);
        }
        bind(start);
        push_fblock(FBlock{FBlockKind::AsyncComprehensionGenerator, start});
        e().push_handler(except, false);
        emit(Opcode::GET_ANEXT);
        load_none();
        emit_yield_from_loop();
        e().pop_handler();
        compile_store(*gen.target);
        for (const auto& cond : gen.ifs) compile_jump_if(*cond, if_cleanup, false);
        compile_comprehension_body(kind, generators, index, depth + 1, elt, value);
        bind(if_cleanup);
        emit_jump(Opcode::JUMP, start);
        pop_fblock();
        bind(except);
        emit(Opcode::END_ASYNC_FOR);
    }

    // The innermost part: the next `for`, or the element added to the result.
    void compile_comprehension_body(ast::ExprKind kind, const std::vector<ast::Comprehension>& generators,
                                    std::size_t index, std::uint32_t depth, const ast::Expr* elt,
                                    const ast::Expr* value) {
        if (index + 1 < generators.size()) {
            compile_comprehension_generator(kind, generators, index + 1, depth, elt, value);
            return;
        }
        PositionScope at(*this, elt->span);
        switch (kind) {
        case ast::ExprKind::GeneratorExp:
            compile_expr(*elt);
            if (scope().is_coroutine) emit(Opcode::ASYNC_GEN_WRAP);
            emit(Opcode::YIELD_VALUE);
            emit(Opcode::POP_TOP);
            break;
        case ast::ExprKind::ListComp:
            compile_expr(*elt);
            emit(Opcode::LIST_APPEND, depth + 1);
            break;
        case ast::ExprKind::SetComp:
            compile_expr(*elt);
            emit(Opcode::SET_ADD, depth + 1);
            break;
        case ast::ExprKind::DictComp:
            compile_expr(*elt);
            compile_expr(*value);
            emit(Opcode::MAP_ADD, depth + 1);
            break;
        default: break;
        }
    }
};

}  // namespace

CompileResult compile_module(const ast::Module& module, const SourceFile& source, CompileMode mode) {
    auto built = SymbolTable::build(module, source, mode == CompileMode::Interactive);
    if (auto* error = std::get_if<SyntaxError>(&built)) return CompileResult{nullptr, std::move(*error)};
    auto& symbols = *std::get<std::unique_ptr<SymbolTable>>(built);
    try {
        Compiler compiler(source, symbols, mode);
        return CompileResult{compiler.compile(module), std::nullopt};
    } catch (CompileFailure& failure) {
        return CompileResult{nullptr, std::move(failure.error)};
    }
}

}  // namespace asy
