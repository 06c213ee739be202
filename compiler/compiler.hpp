// The bytecode compiler: AST (after scope analysis) -> CodeObjects for the VM. One
// compile_<node> function per node kind, in the spirit of MicroPython's py/compile.c and
// CPython 3.11's compile.c, whose instruction shapes it reproduces so that `asy dis` reads
// like `python3 -m dis`.
#pragma once

#include <memory>
#include <optional>

#include "compiler/ast.hpp"
#include "compiler/code.hpp"
#include "compiler/source.hpp"

namespace asy {

enum class CompileMode {
    // A whole file: expression statements discard their value.
    Module,
    // One REPL entry: expression statements print their value (PRINT_EXPR), and top-level
    // `await`, `async for` and `async with` are allowed; such an entry's code is a coroutine.
    Interactive,
};

// Either the module's code or the first compile error (never both).
struct CompileResult {
    std::shared_ptr<const CodeObject> code;
    std::optional<SyntaxError> error;
};

// Compiles a parsed module. Scope analysis runs first; its errors are reported the same way.
[[nodiscard]] CompileResult compile_module(const ast::Module& module, const SourceFile& source,
                                           CompileMode mode = CompileMode::Module);

}  // namespace asy
