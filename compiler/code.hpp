// CodeObject: what the compiler hands to the VM for one function, class body, module or
// comprehension. It holds only plain C++ values (the compiler allocates no GC objects); the
// runtime turns constants into Values when it loads the code.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <variant>
#include <vector>

namespace asy {

// ---------------------------------------------------------------- instructions

enum class Opcode : std::uint8_t {
#define OPCODE(name, operand, meaning) name,
#include "compiler/opcodes.def"
#undef OPCODE
};

// Operand values of BINARY_OP, numbered as in CPython 3.11 (`dis._nb_ops`).
enum class BinaryOp : std::uint8_t {
    Add = 0, And = 1, FloorDivide = 2, LShift = 3, MatrixMultiply = 4, Multiply = 5, Remainder = 6, Or = 7,
    Power = 8, RShift = 9, Subtract = 10, TrueDivide = 11, Xor = 12,
    InplaceAdd = 13, InplaceAnd = 14, InplaceFloorDivide = 15, InplaceLShift = 16, InplaceMatrixMultiply = 17,
    InplaceMultiply = 18, InplaceRemainder = 19, InplaceOr = 20, InplacePower = 21, InplaceRShift = 22,
    InplaceSubtract = 23, InplaceTrueDivide = 24, InplaceXor = 25,
};
// The in-place form of a BinaryOp is its value plus this.
inline constexpr int inplace_offset = 13;

// Operand values of COMPARE_OP, numbered as in CPython (`dis.cmp_op`).
enum class CompareOp : std::uint8_t { Lt = 0, Le = 1, Eq = 2, Ne = 3, Gt = 4, Ge = 5 };

// One instruction: opcode in the low 8 bits, operand in the high 24.
using Instruction = std::uint32_t;
inline constexpr std::uint32_t max_operand = (1u << 24) - 1;

constexpr Instruction encode(Opcode op, std::uint32_t operand = 0) {
    return static_cast<std::uint32_t>(op) | (operand << 8);
}
constexpr Opcode opcode_of(Instruction instruction) { return static_cast<Opcode>(instruction & 0xff); }
constexpr std::uint32_t operand_of(Instruction instruction) { return instruction >> 8; }

// ---------------------------------------------------------------- constants

struct CodeObject;

struct NoneConstant {};
struct EllipsisConstant {};
// An int too large for 64 bits, as decimal digits with an optional leading '-'.
struct BigIntConstant { std::string decimal; };
struct BytesConstant { std::string bytes; };
struct TupleConstant;

// A constant as the compiler knows it. str is UTF-8. Tuples appear for keyword-name lists of
// CALL_KW and for folded constant tuples.
using Constant = std::variant<NoneConstant, bool, std::int64_t, BigIntConstant, double, std::string, BytesConstant,
                              EllipsisConstant, std::shared_ptr<const CodeObject>, std::shared_ptr<const TupleConstant>>;

struct TupleConstant {
    std::vector<Constant> items;
};

// ---------------------------------------------------------------- tables

// Where an instruction came from, for tracebacks and `asy dis`.
struct SourcePosition {
    int line = 0;
    int column = 0;       // 1-based; 0 when unknown
    int end_line = 0;
    int end_column = 0;
};

// "If an exception is raised by an instruction in [start, end), pop the value stack down to
// `stack_depth` items, push the instruction offset first when `push_lasti`, push the
// exception, and jump to `target`." Entries of inner try blocks come before those of the
// outer blocks that contain them, so the VM takes the first entry that covers the offset.
struct ExceptionTableEntry {
    std::uint32_t start = 0;
    std::uint32_t end = 0;
    std::uint32_t target = 0;
    std::uint32_t stack_depth = 0;
    bool push_lasti = false;
};

// CodeObject::flags, CPython's values.
enum CodeFlag : std::uint32_t {
    CO_OPTIMIZED = 0x1,        // locals are fast slots (functions)
    CO_NEWLOCALS = 0x2,
    CO_VARARGS = 0x4,          // has *args
    CO_VARKEYWORDS = 0x8,      // has **kwargs
    CO_NESTED = 0x10,
    CO_GENERATOR = 0x20,
    CO_NOFREE = 0x40,
    CO_COROUTINE = 0x80,
    CO_ITERABLE_COROUTINE = 0x100,
    CO_ASYNC_GENERATOR = 0x200,
};

// ---------------------------------------------------------------- the code object

struct CodeObject {
    // The function's __name__ ("<module>", "<lambda>", "<listcomp>", "<genexpr>", class name...).
    std::string name;
    // Dotted path for reprs and tracebacks: "Outer.method.<locals>.inner".
    std::string qualname;
    std::string filename;
    int first_line = 0;

    std::vector<Instruction> instructions;
    // One entry per instruction.
    std::vector<SourcePosition> positions;
    std::vector<Constant> constants;
    // Global, attribute and import names (operands of *_NAME, *_GLOBAL, *_ATTR, LOAD_METHOD, IMPORT_*).
    std::vector<std::string> names;
    // Local variable slots: parameters first, in order (positional-only, positional,
    // keyword-only, *args name, **kwargs name), then the other locals.
    std::vector<std::string> varnames;
    // Locals captured by inner functions (cells this frame creates). A cellvar that is
    // also a parameter is copied from its local slot into the cell when the frame starts.
    std::vector<std::string> cellvars;
    // Variables captured from the enclosing function: the closure tuple, in this order.
    // Cell operand i < cellvars.size() names cellvars[i], else freevars[i - cellvars.size()].
    std::vector<std::string> freevars;
    std::vector<ExceptionTableEntry> exception_table;

    int argcount = 0;          // positional parameters, including positional-only
    int posonlyargcount = 0;
    int kwonlyargcount = 0;
    std::uint32_t flags = 0;   // CodeFlag bits
    // The most values the value stack holds at once while this code runs.
    int max_stack = 0;

    [[nodiscard]] bool is_generator() const { return flags & CO_GENERATOR; }
    [[nodiscard]] bool is_coroutine() const { return flags & CO_COROUTINE; }
    [[nodiscard]] bool is_async_generator() const { return flags & CO_ASYNC_GENERATOR; }
};

}  // namespace asy
