// `asy dis`: prints code objects as a student-readable listing, in the spirit of
// `python3 -m dis`: each source line once, then its instructions with their operands
// explained (the constant's repr, the variable's name, the jump target...), then the
// exception table. Nested code objects (functions, classes, comprehensions) follow.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>

#include "compiler/code.hpp"
#include "compiler/source.hpp"

namespace asy {

// Prints `code` and, after it, every code object among its constants, recursively.
// `source` may be null; then no source text is shown, only line numbers.
void disassemble(const CodeObject& code, const SourceFile* source, std::ostream& out);

// The CPython-style repr of a compile-time constant: 'text', b'\x00', 1.5, (1, 2),
// <code object f at line 3>.
[[nodiscard]] std::string constant_repr(const Constant& constant);

// The opcode's name as `dis` prints it ("LOAD_CONST").
[[nodiscard]] const char* opcode_name(Opcode op);

// True for the YIELD_VALUE of an `await` (or `yield from`) loop: the instruction at which a
// coroutine's frame can be suspended and later resumed. This
// is what `asy dis` marks with "~>" for students.
[[nodiscard]] bool is_suspension_point(const CodeObject& code, std::uint32_t offset);

}  // namespace asy
