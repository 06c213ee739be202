// Scope analysis: the pass between the parser and the bytecode compiler. It walks the AST
// once, records every name each scope binds, uses and declares, and then resolves each
// name to local, cell, free, explicit global or implicit global exactly as CPython 3.11's
// symtable.c does. The compiler asks it which instruction family a name needs.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <variant>
#include <vector>

#include "compiler/ast.hpp"
#include "compiler/source.hpp"

namespace asy {

// What kind of code a scope becomes. Lambdas and comprehensions are functions to the VM,
// but the compiler names and checks them differently.
enum class ScopeKind { Module, Class, Function, Lambda, Comprehension };

// Where a name lives at run time, decided by analysis.
enum class NameScope {
    // A fast local slot of a function (or a dict entry in a module/class body).
    Local,
    // A local that an inner function captures: it lives in a cell this frame creates.
    Cell,
    // A variable of an enclosing function, reached through the closure.
    Free,
    // Declared `global` in this scope.
    GlobalExplicit,
    // Never bound here nor in an enclosing function: a global or a builtin.
    GlobalImplicit,
};

// Bits recording how a scope mentions a name, as in CPython's symtable.h.
enum SymbolFlag : unsigned {
    DefGlobal = 1u << 0,     // `global x`
    DefLocal = 1u << 1,      // assigned, imported, defined, or a loop target
    DefParam = 1u << 2,      // a parameter
    DefNonlocal = 1u << 3,   // `nonlocal x`
    Use = 1u << 4,           // read somewhere
    DefFreeClass = 1u << 5,  // a class local that is also free in one of its methods
    DefImport = 1u << 6,     // bound by an import
    DefAnnot = 1u << 7,      // annotated (`x: int`)
    DefCompIter = 1u << 8,   // the target of a comprehension's `for`
    DefBound = DefLocal | DefParam | DefImport,
};

// Everything one scope knows about one name.
struct Symbol {
    // SymbolFlag bits gathered during the walk.
    unsigned flags = 0;
    // The resolution, valid after analysis.
    NameScope scope = NameScope::GlobalImplicit;
};

// One scope: the module, a class body, a function, a lambda or a comprehension.
struct Scope {
    ScopeKind kind = ScopeKind::Module;
    // The scope's __name__: "<module>", the function or class name, "<lambda>", "<listcomp>"...
    std::string name;
    // The line of the `def`/`class`/expression that created it (first_line of its code).
    int first_line = 1;
    // Every name the scope mentions. A std::map keeps iteration order stable (sorted), which
    // is also the order CPython uses for cellvars and freevars.
    std::map<std::string, Symbol> symbols;
    // Parameter names in slot order (positional-only, positional, keyword-only, *args, **kwargs).
    std::vector<std::string> parameters;
    // Nested scopes in source order.
    std::vector<Scope*> children;
    // The enclosing scope; null for the module.
    Scope* parent = nullptr;
    // The class name used for private-name mangling (`__x` -> `_C__x`), inherited by nested
    // functions; empty outside classes.
    std::string private_name;

    // True for functions, lambdas and comprehensions: their locals are fast slots.
    [[nodiscard]] bool is_function_like() const { return kind != ScopeKind::Module && kind != ScopeKind::Class; }

    // A function that contains `yield` (or a generator expression) is a generator.
    bool is_generator = false;
    // `async def`, or a comprehension that awaits: calling it creates a coroutine.
    bool is_coroutine = false;
    // The function was defined with `async def` (await is allowed directly inside it).
    bool is_async_def = false;
    // The scope is nested inside a function (CO_NESTED).
    bool is_nested = false;
    // A class whose methods use `super()` or `__class__`: the body creates a `__class__` cell.
    bool needs_class_closure = false;
    // Has *args / **kwargs.
    bool has_varargs = false;
    bool has_varkeywords = false;

    // Resolved cell and free variable names, sorted (CodeObject::cellvars / freevars).
    std::vector<std::string> cellvars;
    std::vector<std::string> freevars;

    // The resolution of `name` in this scope (GlobalImplicit if never mentioned).
    [[nodiscard]] NameScope lookup(const std::string& name) const;
    // The SymbolFlag bits of `name` here (0 if never mentioned).
    [[nodiscard]] unsigned flags_of(const std::string& name) const;
};

// The result of analysing one module: a tree of scopes and the map from AST nodes that
// open scopes (FunctionDef, ClassDef, Lambda, comprehensions) to them.
class SymbolTable {
public:
    // Analyses `module`; on failure returns the first error, as CPython stops at the first.
    [[nodiscard]] static std::variant<std::unique_ptr<SymbolTable>, SyntaxError> build(
        const ast::Module& module, const SourceFile& source, bool allow_top_level_await = false);

    [[nodiscard]] Scope* module_scope() const { return m_module; }
    // The scope a node opens, or null if it opens none.
    [[nodiscard]] Scope* scope_of(const void* node) const;

    // Private-name mangling as in CPython's _Py_Mangle: inside class `_C`, `__x` becomes
    // `_C__x` unless it also ends with `__` or contains a dot.
    [[nodiscard]] static std::string mangle(const std::string& private_name, const std::string& name);

private:
    friend class SymbolTableBuilder;
    std::vector<std::unique_ptr<Scope>> m_scopes;
    std::unordered_map<const void*, Scope*> m_by_node;
    Scope* m_module = nullptr;
};

}  // namespace asy
