// Scope analysis, in two passes as in CPython's symtable.c. The first pass walks the AST
// and records, per scope, how each name is mentioned (bound, used, declared global or
// nonlocal). The second pass resolves every name to local / cell / free / global, from the
// innermost scopes outwards, and lists each scope's cellvars and freevars for the compiler.
#include "compiler/symtable.hpp"

#include <algorithm>
#include <cassert>

namespace asy {

NameScope Scope::lookup(const std::string& name) const {
    auto it = symbols.find(name);
    return it == symbols.end() ? NameScope::GlobalImplicit : it->second.scope;
}

unsigned Scope::flags_of(const std::string& name) const {
    auto it = symbols.find(name);
    return it == symbols.end() ? 0 : it->second.flags;
}

Scope* SymbolTable::scope_of(const void* node) const {
    auto it = m_by_node.find(node);
    return it == m_by_node.end() ? nullptr : it->second;
}

std::string SymbolTable::mangle(const std::string& private_name, const std::string& name) {
    // Only names that start with two underscores are private.
    if (private_name.empty() || name.size() < 2 || name[0] != '_' || name[1] != '_') return name;
    // `__dunder__` names and dotted import names are left alone.
    if (name.size() >= 4 && name[name.size() - 1] == '_' && name[name.size() - 2] == '_') return name;
    if (name.find('.') != std::string::npos) return name;
    // The class name loses its leading underscores; a class named only `_`s mangles nothing.
    std::size_t start = private_name.find_first_not_of('_');
    if (start == std::string::npos) return name;
    return "_" + private_name.substr(start) + name;
}

// ---------------------------------------------------------------- pass 1: collect

// The error type of the walk: the first SyntaxError found ends it.
struct SymtableError {
    SyntaxError error;
};

class SymbolTableBuilder {
public:
    SymbolTableBuilder(SymbolTable& table, const SourceFile& source, bool allow_top_level_await)
        : m_table(table), m_source(source), m_allow_top_level_await(allow_top_level_await) {}

    void build(const ast::Module& module) {
        Scope* scope = enter(ScopeKind::Module, "<module>", &module, 1);
        m_table.m_module = scope;
        for (const auto& stmt : module.body) visit_stmt(*stmt);
        leave();
        analyze();
    }

private:
    SymbolTable& m_table;
    const SourceFile& m_source;
    bool m_allow_top_level_await;
    // The scope being filled in, innermost last.
    std::vector<Scope*> m_stack;
    // Per scope: how many comprehension iterable expressions enclose the current node
    // (an assignment expression is forbidden there).
    std::unordered_map<Scope*, int> m_comp_iter_depth;
    // Where each `global`/`nonlocal` directive of a scope stands, for error positions.
    std::unordered_map<Scope*, std::map<std::string, Span>> m_directives;

    [[noreturn]] void fail(Span span, std::string message) {
        throw SymtableError{make_syntax_error(m_source, span, std::move(message))};
    }

    Scope* current() { return m_stack.back(); }

    Scope* enter(ScopeKind kind, std::string name, const void* node, int line) {
        auto owned = std::make_unique<Scope>();
        Scope* scope = owned.get();
        scope->kind = kind;
        scope->name = std::move(name);
        scope->first_line = line;
        if (!m_stack.empty()) {
            Scope* parent = current();
            scope->parent = parent;
            parent->children.push_back(scope);
            scope->private_name = parent->private_name;
            // CPython: a function nested in a function is "nested"; a class body is not a function.
            scope->is_nested = parent->is_function_like() || (parent->kind == ScopeKind::Class && parent->is_nested);
        }
        m_table.m_scopes.push_back(std::move(owned));
        if (node) m_table.m_by_node[node] = scope;
        m_stack.push_back(scope);
        return scope;
    }

    void leave() { m_stack.pop_back(); }

    // Records one mention of `name` in `scope` (after private-name mangling).
    void add_def(const std::string& raw_name, unsigned flag, Span span, Scope* scope = nullptr) {
        if (!scope) scope = current();
        std::string name = SymbolTable::mangle(scope->private_name, raw_name);
        Symbol& symbol = scope->symbols[name];
        if ((flag & DefParam) && (symbol.flags & DefParam)) {
            fail(span, "duplicate argument '" + name + "' in function definition");
        }
        symbol.flags |= flag;
        if (flag & DefParam) scope->parameters.push_back(name);
    }

    // ------------------------------------------------------------ statements

    void visit_body(const ast::StmtList& body) {
        for (const auto& stmt : body) visit_stmt(*stmt);
    }

    void visit_arguments_defaults(const ast::Arguments& args) {
        for (const auto& d : args.defaults) visit_expr(*d);
        for (const auto& d : args.kw_defaults)
            if (d) visit_expr(*d);
    }

    void add_parameters(const ast::Arguments& args) {
        for (const auto& a : args.posonlyargs) add_def(a.name, DefParam, a.span);
        for (const auto& a : args.args) add_def(a.name, DefParam, a.span);
        for (const auto& a : args.kwonlyargs) add_def(a.name, DefParam, a.span);
        if (args.vararg) {
            add_def(args.vararg->name, DefParam, args.vararg->span);
            current()->has_varargs = true;
        }
        if (args.kwarg) {
            add_def(args.kwarg->name, DefParam, args.kwarg->span);
            current()->has_varkeywords = true;
        }
    }

    void visit_stmt(const ast::Stmt& stmt) {
        using K = ast::StmtKind;
        switch (stmt.kind) {
        case K::FunctionDef: {
            auto& def = static_cast<const ast::FunctionDef&>(stmt);
            add_def(def.name, DefLocal, def.span);
            visit_arguments_defaults(def.args);
            for (const auto& d : def.decorator_list) visit_expr(*d);
            // CPython's first_line is the line of the first decorator, if any.
            int line = def.decorator_list.empty() ? def.span.line : def.decorator_list.front()->span.line;
            Scope* scope = enter(ScopeKind::Function, def.name, &def, line);
            scope->is_async_def = def.is_async;
            scope->is_coroutine = def.is_async;
            add_parameters(def.args);
            visit_body(def.body);
            leave();
            break;
        }
        case K::ClassDef: {
            auto& cls = static_cast<const ast::ClassDef&>(stmt);
            add_def(cls.name, DefLocal, cls.span);
            for (const auto& b : cls.bases) visit_expr(*b);
            for (const auto& k : cls.keywords) visit_expr(*k.value);
            for (const auto& d : cls.decorator_list) visit_expr(*d);
            int line = cls.decorator_list.empty() ? cls.span.line : cls.decorator_list.front()->span.line;
            Scope* scope = enter(ScopeKind::Class, cls.name, &cls, line);
            scope->private_name = cls.name;
            visit_body(cls.body);
            leave();
            break;
        }
        case K::Return: {
            auto& ret = static_cast<const ast::Return&>(stmt);
            if (ret.value) visit_expr(*ret.value);
            break;
        }
        case K::Delete:
            for (const auto& t : static_cast<const ast::Delete&>(stmt).targets) visit_target(*t);
            break;
        case K::Assign: {
            auto& assign = static_cast<const ast::Assign&>(stmt);
            for (const auto& t : assign.targets) visit_target(*t);
            visit_expr(*assign.value);
            break;
        }
        case K::AugAssign: {
            auto& aug = static_cast<const ast::AugAssign&>(stmt);
            visit_target(*aug.target);
            visit_expr(*aug.value);
            break;
        }
        case K::AnnAssign: {
            auto& ann = static_cast<const ast::AnnAssign&>(stmt);
            if (auto* name = ast::as<ast::Name>(ann.target.get())) {
                unsigned cur = current()->flags_of(SymbolTable::mangle(current()->private_name, name->id));
                if ((cur & (DefGlobal | DefNonlocal)) && current()->kind != ScopeKind::Module && ann.simple) {
                    fail(ann.span, std::string("annotated name '") + name->id + "' can't be " +
                                       ((cur & DefGlobal) ? "global" : "nonlocal"));
                }
                if (ann.simple) {
                    add_def(name->id, DefAnnot | DefLocal, name->span);
                } else if (ann.value) {
                    add_def(name->id, DefLocal, name->span);
                }
            } else {
                visit_target(*ann.target);
            }
            if (ann.value) visit_expr(*ann.value);
            break;
        }
        case K::For: {
            auto& loop = static_cast<const ast::For&>(stmt);
            visit_target(*loop.target);
            visit_expr(*loop.iter);
            visit_body(loop.body);
            visit_body(loop.orelse);
            if (loop.is_async && current()->kind == ScopeKind::Module && m_allow_top_level_await) {
                current()->is_coroutine = true;
            }
            break;
        }
        case K::While: {
            auto& loop = static_cast<const ast::While&>(stmt);
            visit_expr(*loop.test);
            visit_body(loop.body);
            visit_body(loop.orelse);
            break;
        }
        case K::If: {
            auto& branch = static_cast<const ast::If&>(stmt);
            visit_expr(*branch.test);
            visit_body(branch.body);
            visit_body(branch.orelse);
            break;
        }
        case K::With: {
            auto& with = static_cast<const ast::With&>(stmt);
            for (const auto& item : with.items) {
                visit_expr(*item.context_expr);
                if (item.optional_vars) visit_target(*item.optional_vars);
            }
            visit_body(with.body);
            if (with.is_async && current()->kind == ScopeKind::Module && m_allow_top_level_await) {
                current()->is_coroutine = true;
            }
            break;
        }
        case K::Raise: {
            auto& raise = static_cast<const ast::Raise&>(stmt);
            if (raise.exc) visit_expr(*raise.exc);
            if (raise.cause) visit_expr(*raise.cause);
            break;
        }
        case K::Try: {
            auto& tr = static_cast<const ast::Try&>(stmt);
            visit_body(tr.body);
            for (const auto& handler : tr.handlers) {
                if (handler.type) visit_expr(*handler.type);
                if (handler.name) add_def(*handler.name, DefLocal, handler.span);
                visit_body(handler.body);
            }
            visit_body(tr.orelse);
            visit_body(tr.finalbody);
            break;
        }
        case K::Assert: {
            auto& check = static_cast<const ast::Assert&>(stmt);
            visit_expr(*check.test);
            if (check.msg) visit_expr(*check.msg);
            break;
        }
        case K::Import:
            for (const auto& alias : static_cast<const ast::Import&>(stmt).names) {
                // `import a.b` binds `a`.
                std::string bound = alias.asname ? *alias.asname : alias.name.substr(0, alias.name.find('.'));
                add_def(bound, DefImport, alias.span);
            }
            break;
        case K::ImportFrom:
            for (const auto& alias : static_cast<const ast::ImportFrom&>(stmt).names) {
                if (alias.name == "*") continue;  // the compiler rejects it outside the module level
                add_def(alias.asname ? *alias.asname : alias.name, DefImport, alias.span);
            }
            break;
        case K::Global:
            for (const auto& name : static_cast<const ast::Global&>(stmt).names) {
                declare(name, /*is_global=*/true, stmt.span);
            }
            break;
        case K::Nonlocal:
            if (current()->kind == ScopeKind::Module) {
                fail(stmt.span, "nonlocal declaration not allowed at module level");
            }
            for (const auto& name : static_cast<const ast::Nonlocal&>(stmt).names) {
                declare(name, /*is_global=*/false, stmt.span);
            }
            break;
        case K::Expr:
            visit_expr(*static_cast<const ast::ExprStmt&>(stmt).value);
            break;
        case K::Pass:
        case K::Break:
        case K::Continue:
            break;
        }
    }

    // `global x` / `nonlocal x`: refuse a name already used or bound in this scope, as CPython does.
    void declare(const std::string& raw_name, bool is_global, Span span) {
        Scope* scope = current();
        std::string name = SymbolTable::mangle(scope->private_name, raw_name);
        unsigned cur = scope->flags_of(name);
        const char* what = is_global ? "global" : "nonlocal";
        if (cur & (DefParam | DefLocal | Use | DefAnnot)) {
            std::string message;
            if (cur & DefParam) {
                message = "name '" + name + "' is parameter and " + what;
            } else if (cur & Use) {
                message = "name '" + name + "' is used prior to " + what + " declaration";
            } else if (cur & DefAnnot) {
                message = "annotated name '" + name + "' can't be " + what;
            } else {
                message = "name '" + name + "' is assigned to before " + what + " declaration";
            }
            fail(span, message);
        }
        add_def(raw_name, is_global ? DefGlobal : DefNonlocal, span);
        m_directives[scope].emplace(name, span);
    }

    // ------------------------------------------------------------ expressions

    // A name in a binding position (assignment, for, with, del, augmented assignment).
    void visit_target(const ast::Expr& expr) {
        switch (expr.kind) {
        case ast::ExprKind::Name: {
            auto& name = static_cast<const ast::Name&>(expr);
            add_def(name.id, DefLocal, name.span);
            break;
        }
        case ast::ExprKind::Tuple:
            for (const auto& e : static_cast<const ast::Tuple&>(expr).elts) visit_target(*e);
            break;
        case ast::ExprKind::List:
            for (const auto& e : static_cast<const ast::List&>(expr).elts) visit_target(*e);
            break;
        case ast::ExprKind::Starred:
            visit_target(*static_cast<const ast::Starred&>(expr).value);
            break;
        default:
            // Attributes and subscripts only read names; anything else is rejected by the compiler.
            visit_expr(expr);
            break;
        }
    }

    void visit_exprs(const ast::ExprList& list) {
        for (const auto& e : list)
            if (e) visit_expr(*e);
    }

    void visit_expr(const ast::Expr& expr) {
        using K = ast::ExprKind;
        switch (expr.kind) {
        case K::BoolOp:
            visit_exprs(static_cast<const ast::BoolOp&>(expr).values);
            break;
        case K::NamedExpr:
            visit_named_expr(static_cast<const ast::NamedExpr&>(expr));
            break;
        case K::BinOp: {
            auto& bin = static_cast<const ast::BinOp&>(expr);
            visit_expr(*bin.left);
            visit_expr(*bin.right);
            break;
        }
        case K::UnaryOp:
            visit_expr(*static_cast<const ast::UnaryOp&>(expr).operand);
            break;
        case K::Lambda: {
            auto& lambda = static_cast<const ast::Lambda&>(expr);
            visit_arguments_defaults(lambda.args);
            enter(ScopeKind::Lambda, "<lambda>", &lambda, lambda.span.line);
            add_parameters(lambda.args);
            visit_expr(*lambda.body);
            leave();
            break;
        }
        case K::IfExp: {
            auto& ifexp = static_cast<const ast::IfExp&>(expr);
            visit_expr(*ifexp.test);
            visit_expr(*ifexp.body);
            visit_expr(*ifexp.orelse);
            break;
        }
        case K::Dict: {
            auto& dict = static_cast<const ast::Dict&>(expr);
            visit_exprs(dict.keys);
            visit_exprs(dict.values);
            break;
        }
        case K::Set:
            visit_exprs(static_cast<const ast::Set&>(expr).elts);
            break;
        case K::ListComp: {
            auto& comp = static_cast<const ast::ListComp&>(expr);
            visit_comprehension(expr, "<listcomp>", comp.generators, comp.elt.get(), nullptr);
            break;
        }
        case K::SetComp: {
            auto& comp = static_cast<const ast::SetComp&>(expr);
            visit_comprehension(expr, "<setcomp>", comp.generators, comp.elt.get(), nullptr);
            break;
        }
        case K::DictComp: {
            auto& comp = static_cast<const ast::DictComp&>(expr);
            visit_comprehension(expr, "<dictcomp>", comp.generators, comp.key.get(), comp.value.get());
            break;
        }
        case K::GeneratorExp: {
            auto& comp = static_cast<const ast::GeneratorExp&>(expr);
            visit_comprehension(expr, "<genexpr>", comp.generators, comp.elt.get(), nullptr);
            break;
        }
        case K::Await:
            visit_expr(*static_cast<const ast::Await&>(expr).value);
            // Any scope that awaits is a coroutine; the compiler rejects the wrong places.
            if (current()->kind != ScopeKind::Module || m_allow_top_level_await) current()->is_coroutine = true;
            break;
        case K::Yield: {
            auto& yield = static_cast<const ast::Yield&>(expr);
            if (yield.value) visit_expr(*yield.value);
            note_yield(expr);
            break;
        }
        case K::YieldFrom:
            visit_expr(*static_cast<const ast::YieldFrom&>(expr).value);
            note_yield(expr);
            break;
        case K::Compare: {
            auto& cmp = static_cast<const ast::Compare&>(expr);
            visit_expr(*cmp.left);
            visit_exprs(cmp.comparators);
            break;
        }
        case K::Call: {
            auto& call = static_cast<const ast::Call&>(expr);
            visit_expr(*call.func);
            visit_exprs(call.args);
            for (const auto& k : call.keywords) visit_expr(*k.value);
            break;
        }
        case K::FormattedValue: {
            auto& fv = static_cast<const ast::FormattedValue&>(expr);
            visit_expr(*fv.value);
            if (fv.format_spec) visit_expr(*fv.format_spec);
            break;
        }
        case K::JoinedStr:
            visit_exprs(static_cast<const ast::JoinedStr&>(expr).values);
            break;
        case K::Constant:
            break;
        case K::Attribute:
            visit_expr(*static_cast<const ast::Attribute&>(expr).value);
            break;
        case K::Subscript: {
            auto& sub = static_cast<const ast::Subscript&>(expr);
            visit_expr(*sub.value);
            visit_expr(*sub.slice);
            break;
        }
        case K::Starred:
            visit_expr(*static_cast<const ast::Starred&>(expr).value);
            break;
        case K::Name: {
            auto& name = static_cast<const ast::Name&>(expr);
            add_def(name.id, Use, name.span);
            // `super()` with no arguments finds the class through the implicit __class__ cell.
            if (current()->is_function_like() && name.id == "super") add_def("__class__", Use, name.span);
            break;
        }
        case K::List:
            visit_exprs(static_cast<const ast::List&>(expr).elts);
            break;
        case K::Tuple:
            visit_exprs(static_cast<const ast::Tuple&>(expr).elts);
            break;
        case K::Slice: {
            auto& slice = static_cast<const ast::Slice&>(expr);
            if (slice.lower) visit_expr(*slice.lower);
            if (slice.upper) visit_expr(*slice.upper);
            if (slice.step) visit_expr(*slice.step);
            break;
        }
        }
    }

    void note_yield(const ast::Expr& expr) {
        Scope* scope = current();
        if (scope->kind == ScopeKind::Comprehension) {
            std::string what = scope->name == "<listcomp>"  ? "list comprehension"
                               : scope->name == "<setcomp>" ? "set comprehension"
                               : scope->name == "<dictcomp>" ? "dict comprehension"
                                                             : "generator expression";
            fail(expr.span, "'yield' inside " + what);
        }
        scope->is_generator = true;
    }

    // `[elt for target in iter if cond ...]`: the first iterable is evaluated in the enclosing
    // scope and passed in as the argument `.0`; everything else runs in the new scope.
    void visit_comprehension(const ast::Expr& node, const char* name, const std::vector<ast::Comprehension>& gens,
                             const ast::Expr* elt, const ast::Expr* value) {
        const ast::Comprehension& outermost = gens.front();
        m_comp_iter_depth[current()]++;
        visit_expr(*outermost.iter);
        m_comp_iter_depth[current()]--;

        bool is_generator = node.kind == ast::ExprKind::GeneratorExp;
        Scope* scope = enter(ScopeKind::Comprehension, name, &node, node.span.line);
        if (outermost.is_async) scope->is_coroutine = true;
        add_def(".0", DefParam, node.span);
        visit_comp_target(*outermost.target);
        visit_exprs(outermost.ifs);
        for (std::size_t i = 1; i < gens.size(); ++i) {
            visit_comp_target(*gens[i].target);
            m_comp_iter_depth[scope]++;
            visit_expr(*gens[i].iter);
            m_comp_iter_depth[scope]--;
            visit_exprs(gens[i].ifs);
            if (gens[i].is_async) scope->is_coroutine = true;
        }
        if (value) visit_expr(*value);
        visit_expr(*elt);
        scope->is_generator = is_generator;
        bool is_async = scope->is_coroutine && !is_generator;
        leave();
        // Awaiting a list/set/dict comprehension's result makes the enclosing scope await too.
        if (is_async) current()->is_coroutine = true;
    }

    void visit_comp_target(const ast::Expr& target) {
        switch (target.kind) {
        case ast::ExprKind::Name:
            add_def(static_cast<const ast::Name&>(target).id, DefLocal | DefCompIter, target.span);
            break;
        case ast::ExprKind::Tuple:
            for (const auto& e : static_cast<const ast::Tuple&>(target).elts) visit_comp_target(*e);
            break;
        case ast::ExprKind::List:
            for (const auto& e : static_cast<const ast::List&>(target).elts) visit_comp_target(*e);
            break;
        case ast::ExprKind::Starred:
            visit_comp_target(*static_cast<const ast::Starred&>(target).value);
            break;
        default:
            visit_expr(target);
            break;
        }
    }

    // `(y := value)`: inside a comprehension the name binds in the nearest enclosing function
    // (or module), not in the comprehension itself (PEP 572).
    void visit_named_expr(const ast::NamedExpr& expr) {
        if (m_comp_iter_depth[current()] > 0) {
            fail(expr.span, "assignment expression cannot be used in a comprehension iterable expression");
        }
        visit_expr(*expr.value);
        auto* target = ast::as<ast::Name>(expr.target.get());
        if (!target) {
            visit_target(*expr.target);
            return;
        }
        if (current()->kind != ScopeKind::Comprehension) {
            add_def(target->id, DefLocal, target->span);
            return;
        }
        const std::string& id = target->id;
        for (auto it = m_stack.rbegin(); it != m_stack.rend(); ++it) {
            Scope* scope = *it;
            if (scope->kind == ScopeKind::Comprehension) {
                if (scope->flags_of(id) & DefCompIter) {
                    fail(expr.span, "assignment expression cannot rebind comprehension iteration variable '" + id + "'");
                }
                continue;
            }
            if (scope->is_function_like()) {
                if (scope->flags_of(id) & DefGlobal) {
                    add_def(id, DefGlobal, target->span);
                } else {
                    add_def(id, DefNonlocal, target->span);
                }
                m_directives[current()].emplace(id, target->span);
                add_def(id, DefLocal, target->span, scope);
                return;
            }
            if (scope->kind == ScopeKind::Module) {
                add_def(id, DefGlobal, target->span);
                m_directives[current()].emplace(id, target->span);
                add_def(id, DefGlobal, target->span, scope);
                return;
            }
            fail(expr.span, "assignment expression within a comprehension cannot be used in a class body");
        }
    }

    // ------------------------------------------------------------ pass 2: resolve

    Span directive_span(Scope* scope, const std::string& name) {
        auto& map = m_directives[scope];
        auto it = map.find(name);
        return it == map.end() ? Span{scope->first_line, 1, scope->first_line, 1} : it->second;
    }

    void analyze() {
        std::set<std::string> free;
        analyze_scope(m_table.m_module, {}, {}, free);
    }

    // Resolves `scope` given the names bound in enclosing functions (`bound`) and the names
    // declared global on the way down (`global`); adds the scope's unresolved free names to `free_out`.
    void analyze_scope(Scope* scope, const std::set<std::string>& bound, const std::set<std::string>& global,
                       std::set<std::string>& free_out) {
        std::set<std::string> local;
        std::set<std::string> free;
        // Copies that this scope's own declarations adjust before passing them on.
        std::set<std::string> bound_here = bound;
        std::set<std::string> global_here = global;
        std::set<std::string> new_bound;
        std::set<std::string> new_global;
        if (scope->kind == ScopeKind::Class) {
            // A class body's names are invisible to the functions inside it: pass the outer
            // bindings through before (and regardless of) what the class itself declares.
            new_bound = bound;
            new_global = global;
        }

        for (auto& [name, symbol] : scope->symbols) {
            unsigned flags = symbol.flags;
            if (flags & DefGlobal) {
                if (flags & DefNonlocal) fail(directive_span(scope, name), "name '" + name + "' is nonlocal and global");
                symbol.scope = NameScope::GlobalExplicit;
                global_here.insert(name);
                bound_here.erase(name);
            } else if (flags & DefNonlocal) {
                if (!bound.count(name)) fail(directive_span(scope, name), "no binding for nonlocal '" + name + "' found");
                symbol.scope = NameScope::Free;
                free.insert(name);
            } else if (flags & DefBound) {
                symbol.scope = NameScope::Local;
                local.insert(name);
                global_here.erase(name);
            } else if (bound.count(name)) {
                symbol.scope = NameScope::Free;
                free.insert(name);
            } else {
                symbol.scope = NameScope::GlobalImplicit;
            }
        }

        if (scope->kind == ScopeKind::Class) {
            new_bound.insert("__class__");
        } else {
            if (scope->is_function_like()) new_bound.insert(local.begin(), local.end());
            new_bound.insert(bound_here.begin(), bound_here.end());
            new_global = global_here;
        }

        std::set<std::string> child_free;
        for (Scope* child : scope->children) analyze_scope(child, new_bound, new_global, child_free);

        if (scope->is_function_like()) {
            // A local that an inner function uses becomes a cell.
            for (const auto& name : local) {
                if (child_free.erase(name)) scope->symbols[name].scope = NameScope::Cell;
            }
        } else if (scope->kind == ScopeKind::Class) {
            if (child_free.erase("__class__")) scope->needs_class_closure = true;
        }

        // Names free in children that this scope does not resolve pass further out.
        for (const auto& name : child_free) {
            auto it = scope->symbols.find(name);
            if (it == scope->symbols.end()) {
                scope->symbols[name].scope = NameScope::Free;
            } else if (scope->kind == ScopeKind::Class && (it->second.flags & (DefBound | DefGlobal))) {
                // The class body uses its own dict for the name, but passes the cell through.
                it->second.flags |= DefFreeClass;
            }
        }
        free.insert(child_free.begin(), child_free.end());

        for (const auto& [name, symbol] : scope->symbols) {
            if (symbol.scope == NameScope::Cell) scope->cellvars.push_back(name);
            if (symbol.scope == NameScope::Free || (symbol.flags & DefFreeClass)) scope->freevars.push_back(name);
        }
        if (scope->needs_class_closure) {
            scope->cellvars.insert(scope->cellvars.begin(), "__class__");
        }
        free_out.insert(free.begin(), free.end());
    }
};

std::variant<std::unique_ptr<SymbolTable>, SyntaxError> SymbolTable::build(const ast::Module& module,
                                                                           const SourceFile& source,
                                                                           bool allow_top_level_await) {
    auto table = std::unique_ptr<SymbolTable>(new SymbolTable());
    SymbolTableBuilder builder(*table, source, allow_top_level_await);
    try {
        builder.build(module);
    } catch (SymtableError& e) {
        return std::move(e.error);
    }
    return table;
}

}  // namespace asy
