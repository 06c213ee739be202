// The emitter: the compiler's pen. It appends encoded instructions to one code object,
// gives every instruction the source position of the node being compiled, resolves labels
// (forward jumps are back-patched), tracks the value-stack depth to find max_stack, and
// records which exception handler covers each instruction so that the exception table can
// be built at the end, as CPython 3.11 does with its SETUP_*/POP_BLOCK pseudo-instructions.
#pragma once

#include <cstdint>
#include <vector>

#include "compiler/code.hpp"

namespace asy {

// A place in the instruction stream that jumps can target before it is known.
struct Label {
    int id = -1;
    [[nodiscard]] bool valid() const { return id >= 0; }
};

// An active exception handler: "if an instruction emitted now raises, unwind the stack to
// `depth`, push lasti when `push_lasti`, push the exception and go to `label`".
struct Handler {
    Label label;
    int depth = 0;
    bool push_lasti = false;
    // The emitter's own bookkeeping: which record the instructions it covers point at.
    int record = -1;
};

// How an instruction changes the stack depth. `jump` selects the effect on the branch
// taken (for conditional jumps, FOR_ITER and SEND, which differ between the two paths).
[[nodiscard]] int stack_effect(Opcode op, std::uint32_t operand, bool jump);

// True for instructions after which control never falls through to the next one.
[[nodiscard]] bool is_terminator(Opcode op);

// True for jumps, whose operand is a label until the code is finished.
[[nodiscard]] bool is_jump(Opcode op);

class Emitter {
public:
    // ------------------------------------------------------------ instructions

    // Appends `op operand` at the current source position.
    void emit(Opcode op, std::uint32_t operand = 0);
    // Appends a jump to `target`; the operand is filled in when the label is bound.
    void emit_jump(Opcode op, Label target);

    // The index the next instruction will have.
    [[nodiscard]] std::uint32_t offset() const { return static_cast<std::uint32_t>(m_instructions.size()); }

    // ------------------------------------------------------------ labels

    [[nodiscard]] Label new_label();
    // Places `label` at the next instruction. A label reached only by jumps takes its
    // stack depth from them.
    void bind(Label label);

    // ------------------------------------------------------------ positions

    void set_position(SourcePosition position) { m_position = position; }
    [[nodiscard]] SourcePosition position() const { return m_position; }
    // The position of the last instruction emitted (the current one if there is none yet).
    [[nodiscard]] SourcePosition last_position() const {
        return m_positions.empty() ? m_position : m_positions.back();
    }

    // ------------------------------------------------------------ stack depth

    // The number of values on the stack at this point, or -1 after an unconditional jump,
    // return or raise, until a label that something jumps to is bound.
    [[nodiscard]] int depth() const { return m_depth; }
    [[nodiscard]] bool reachable() const { return m_depth >= 0; }
    [[nodiscard]] int max_depth() const { return m_max_depth; }

    // ------------------------------------------------------------ exception handlers

    // Starts covering the instructions emitted from now on with a handler at `target`. The
    // handler unwinds to the current depth plus `depth_adjust` (SETUP_WITH unwinds below the
    // __enter__ result: -1).
    void push_handler(Label target, bool push_lasti, int depth_adjust = 0);
    // Covers the following instructions with a handler pushed earlier (its depth is already
    // known). Linear emission needs it where CPython's control-flow graph would reach code
    // from inside a block that has already been popped on the path emitted just before.
    void push_handler(const Handler& handler) { m_handlers.push_back(handler); }
    // Stops covering with the innermost handler (CPython's POP_BLOCK).
    void pop_handler();
    // The active handlers, innermost last. Return/break/continue save and restore them around
    // the unwinding code they emit, since that code pops handlers the following code still needs.
    [[nodiscard]] const std::vector<Handler>& handlers() const { return m_handlers; }
    void set_handlers(std::vector<Handler> handlers) { m_handlers = std::move(handlers); }

    // ------------------------------------------------------------ result

    // Moves instructions, positions and the exception table into `code` and sets max_stack.
    // Returns false if a label was used but never bound (a compiler bug).
    bool finish(CodeObject& code);

    // True if two paths reached a label with different stack depths (a compiler bug; tests check it).
    [[nodiscard]] bool depth_mismatch() const { return m_depth_mismatch; }

private:
    void adjust_depth(int delta);
    void note_label_depth(Label label, int depth);

    std::vector<Instruction> m_instructions;
    std::vector<SourcePosition> m_positions;
    // The handler covering each instruction: an index into m_handler_records, or -1.
    std::vector<int> m_handler_of;
    // Every distinct handler ever pushed.
    std::vector<Handler> m_handler_records;
    std::vector<Handler> m_handlers;

    // Per label: its instruction index once bound (-1 before) and the stack depth there (-1 unknown).
    std::vector<int> m_label_offsets;
    std::vector<int> m_label_depths;
    // Instructions whose operand is a label id to be replaced by the label's offset.
    std::vector<std::uint32_t> m_jump_sites;

    SourcePosition m_position;
    int m_depth = 0;
    int m_max_depth = 0;
    bool m_depth_mismatch = false;
};

}  // namespace asy
