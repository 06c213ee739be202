// Instruction encoding, labels and the exception table. The stack-effect table below is the
// single place that knows how many values each opcode pops and pushes; max_stack and every
// handler's unwind depth are derived from it.
#include "compiler/emitter.hpp"

#include <algorithm>
#include <cassert>

namespace asy {

int stack_effect(Opcode op, std::uint32_t arg, bool jump) {
    const int n = static_cast<int>(arg);
    switch (op) {
    case Opcode::NOP: return 0;
    case Opcode::POP_TOP: return -1;
    case Opcode::PUSH_NULL: return 1;
    case Opcode::COPY: return 1;
    case Opcode::SWAP: return 0;

    case Opcode::LOAD_CONST:
    case Opcode::LOAD_FAST:
    case Opcode::LOAD_DEREF:
    case Opcode::LOAD_CLOSURE:
    case Opcode::LOAD_CLASSDEREF:
    case Opcode::LOAD_GLOBAL:
    case Opcode::LOAD_NAME: return 1;
    case Opcode::STORE_FAST:
    case Opcode::STORE_DEREF:
    case Opcode::STORE_GLOBAL:
    case Opcode::STORE_NAME: return -1;
    case Opcode::DELETE_FAST:
    case Opcode::DELETE_DEREF:
    case Opcode::DELETE_GLOBAL:
    case Opcode::DELETE_NAME: return 0;

    case Opcode::LOAD_ATTR: return 0;
    case Opcode::STORE_ATTR: return -2;
    case Opcode::DELETE_ATTR: return -1;
    case Opcode::LOAD_METHOD: return 1;
    case Opcode::BINARY_SUBSCR: return -1;
    case Opcode::STORE_SUBSCR: return -3;
    case Opcode::DELETE_SUBSCR: return -2;
    case Opcode::BUILD_SLICE: return 1 - n;

    case Opcode::UNARY_POSITIVE:
    case Opcode::UNARY_NEGATIVE:
    case Opcode::UNARY_NOT:
    case Opcode::UNARY_INVERT: return 0;
    case Opcode::BINARY_OP:
    case Opcode::COMPARE_OP:
    case Opcode::IS_OP:
    case Opcode::CONTAINS_OP: return -1;

    case Opcode::BUILD_TUPLE:
    case Opcode::BUILD_LIST:
    case Opcode::BUILD_SET:
    case Opcode::BUILD_STRING: return 1 - n;
    case Opcode::BUILD_MAP: return 1 - 2 * n;
    case Opcode::LIST_APPEND:
    case Opcode::SET_ADD: return -1;
    case Opcode::MAP_ADD: return -2;
    case Opcode::LIST_EXTEND:
    case Opcode::SET_UPDATE:
    case Opcode::DICT_UPDATE:
    case Opcode::DICT_MERGE: return -1;
    case Opcode::LIST_TO_TUPLE: return 0;
    case Opcode::FORMAT_VALUE: return (arg & 4) ? -1 : 0;
    case Opcode::UNPACK_SEQUENCE: return n - 1;
    case Opcode::UNPACK_EX: return static_cast<int>((arg & 0xff) + ((arg >> 8) & 0xff));

    case Opcode::JUMP: return 0;
    case Opcode::POP_JUMP_IF_FALSE:
    case Opcode::POP_JUMP_IF_TRUE:
    case Opcode::POP_JUMP_IF_NONE:
    case Opcode::POP_JUMP_IF_NOT_NONE: return -1;
    case Opcode::JUMP_IF_FALSE_OR_POP:
    case Opcode::JUMP_IF_TRUE_OR_POP: return jump ? 0 : -1;
    case Opcode::GET_ITER: return 0;
    // The iterator stays while looping; exhaustion pops it.
    case Opcode::FOR_ITER: return jump ? -1 : 1;
    case Opcode::RETURN_VALUE: return -1;

    case Opcode::MAKE_FUNCTION:
        return -(((arg & 1) ? 1 : 0) + ((arg & 2) ? 1 : 0) + ((arg & 4) ? 1 : 0) + ((arg & 8) ? 1 : 0));
    case Opcode::CALL: return -n;
    case Opcode::CALL_METHOD: return -n - 1;
    case Opcode::CALL_KW: return -n - 1;
    case Opcode::CALL_FUNCTION_EX: return -1 - static_cast<int>(arg & 1);
    case Opcode::LOAD_BUILD_CLASS:
    case Opcode::LOAD_LOCALS: return 1;

    case Opcode::RAISE_VARARGS: return -n;
    case Opcode::RERAISE: return -1 - (n == 1 ? 1 : 0);
    case Opcode::PUSH_EXC_INFO: return 1;
    case Opcode::POP_EXCEPT: return -1;
    case Opcode::CHECK_EXC_MATCH: return 0;
    case Opcode::CHECK_EG_MATCH: return 0;
    case Opcode::PREP_RERAISE_STAR: return -1;
    case Opcode::LOAD_ASSERTION_ERROR: return 1;
    case Opcode::BEFORE_WITH: return 1;
    case Opcode::WITH_EXCEPT_START: return 1;

    // The first resume pushes the value sent in (None), which the next POP_TOP discards.
    case Opcode::RETURN_GENERATOR: return 1;
    case Opcode::YIELD_VALUE: return 0;
    case Opcode::GET_YIELD_FROM_ITER: return 0;
    // [receiver, value]: the finished path leaves only the result.
    case Opcode::SEND: return jump ? -1 : 0;
    case Opcode::GET_AWAITABLE: return 0;
    case Opcode::GET_AITER: return 0;
    case Opcode::GET_ANEXT: return 1;
    case Opcode::END_ASYNC_FOR: return -2;
    case Opcode::BEFORE_ASYNC_WITH: return 1;
    case Opcode::ASYNC_GEN_WRAP: return 0;

    case Opcode::IMPORT_NAME: return -1;
    case Opcode::IMPORT_FROM: return 1;
    case Opcode::IMPORT_STAR: return -1;
    case Opcode::PRINT_EXPR: return -1;
    }
    return 0;
}

bool is_terminator(Opcode op) {
    return op == Opcode::JUMP || op == Opcode::RETURN_VALUE || op == Opcode::RAISE_VARARGS || op == Opcode::RERAISE;
}

bool is_jump(Opcode op) {
    switch (op) {
    case Opcode::JUMP:
    case Opcode::POP_JUMP_IF_FALSE:
    case Opcode::POP_JUMP_IF_TRUE:
    case Opcode::POP_JUMP_IF_NONE:
    case Opcode::POP_JUMP_IF_NOT_NONE:
    case Opcode::JUMP_IF_FALSE_OR_POP:
    case Opcode::JUMP_IF_TRUE_OR_POP:
    case Opcode::FOR_ITER:
    case Opcode::SEND: return true;
    default: return false;
    }
}

void Emitter::adjust_depth(int delta) {
    if (m_depth < 0) return;  // unreachable code: nothing to track
    m_depth += delta;
    if (m_depth < 0) {
        // More pops than pushes: a compiler bug, reported through depth_mismatch().
        m_depth_mismatch = true;

        m_depth = 0;
    }
    m_max_depth = std::max(m_max_depth, m_depth);
}

void Emitter::emit(Opcode op, std::uint32_t operand) {
    assert(operand <= max_operand);
    m_instructions.push_back(encode(op, operand));
    m_positions.push_back(m_position);
    m_handler_of.push_back(m_handlers.empty() ? -1 : m_handlers.back().record);
    adjust_depth(stack_effect(op, operand, false));
    if (is_terminator(op)) m_depth = -1;
}

void Emitter::note_label_depth(Label label, int depth) {
    int& known = m_label_depths[label.id];
    if (known < 0) {
        known = depth;
    } else if (known != depth) {
        m_depth_mismatch = true;

    }
    m_max_depth = std::max(m_max_depth, depth);
}

void Emitter::emit_jump(Opcode op, Label target) {
    assert(target.valid());
    if (m_depth >= 0) note_label_depth(target, m_depth + stack_effect(op, 0, true));
    m_jump_sites.push_back(offset());
    emit(op, static_cast<std::uint32_t>(target.id));
}

Label Emitter::new_label() {
    m_label_offsets.push_back(-1);
    m_label_depths.push_back(-1);
    return Label{static_cast<int>(m_label_offsets.size()) - 1};
}

void Emitter::bind(Label label) {
    assert(label.valid() && m_label_offsets[label.id] < 0);
    m_label_offsets[label.id] = static_cast<int>(offset());
    int known = m_label_depths[label.id];
    if (m_depth >= 0) {
        // Falling through into the label: both paths must agree.
        note_label_depth(label, m_depth);
    } else {
        m_depth = known;  // -1 if nothing jumps here: still unreachable
    }
}

void Emitter::push_handler(Label target, bool push_lasti, int depth_adjust) {
    int depth = std::max(m_depth, 0) + depth_adjust;
    Handler handler{target, depth, push_lasti, static_cast<int>(m_handler_records.size())};
    m_handler_records.push_back(handler);
    m_handlers.push_back(handler);
    // The handler starts with the unwound stack plus lasti and the exception.
    if (m_depth >= 0) note_label_depth(target, depth + (push_lasti ? 1 : 0) + 1);
}

void Emitter::pop_handler() {
    assert(!m_handlers.empty());
    m_handlers.pop_back();
}

bool Emitter::finish(CodeObject& code) {
    bool ok = true;
    const std::size_t n = m_instructions.size();
    // Resolve labels: jump operands become instruction indices (before dead code removal). A
    // label bound at the very end may only be the target of jumps in dead code.
    for (std::uint32_t site : m_jump_sites) {
        Instruction& ins = m_instructions[site];
        int target = m_label_offsets[operand_of(ins)];
        if (target < 0) {
            ok = false;
            target = static_cast<int>(n);
        }
        ins = encode(opcode_of(ins), static_cast<std::uint32_t>(target));
    }
    // Jump threading, as CPython's optimizer does: a jump whose target is an unconditional
    // JUMP goes straight to that jump's target (the hop limit guards against `while True: pass`).
    for (std::uint32_t site : m_jump_sites) {
        Instruction& ins = m_instructions[site];
        std::uint32_t target = operand_of(ins);
        for (int hops = 0; hops < 8 && target < n && opcode_of(m_instructions[target]) == Opcode::JUMP &&
                           operand_of(m_instructions[target]) != target;
             ++hops) {
            target = operand_of(m_instructions[target]);
        }
        ins = encode(opcode_of(ins), target);
    }
    auto handler_target = [&](int record) -> int {
        int target = m_label_offsets[m_handler_records[record].label.id];
        if (target < 0) ok = false;
        return target;
    };

    // Follow the control flow from the first instruction (jumps, fall-through and exception
    // handlers) to find the stack depth at each reachable instruction. Code after a return,
    // break or raise is never reached: like CPython, we drop it, so that `asy dis` shows only
    // what can run.
    std::vector<int> depth(n, -1);
    std::vector<std::size_t> work;
    int max_depth = 0;
    auto reach = [&](std::size_t target, int d) {
        if (target >= n) {
            ok = false;
            return;
        }
        max_depth = std::max(max_depth, d);
        if (depth[target] < 0) {
            depth[target] = d;
            work.push_back(target);
        } else if (depth[target] != d) {
            m_depth_mismatch = true;

        }
    };
    if (n > 0) reach(0, 0);
    while (!work.empty()) {
        std::size_t i = work.back();
        work.pop_back();
        Instruction ins = m_instructions[i];
        Opcode op = opcode_of(ins);
        int d = depth[i];
        if (int h = m_handler_of[i]; h >= 0) {
            int target = handler_target(h);
            const Handler& handler = m_handler_records[h];
            if (target >= 0) reach(static_cast<std::size_t>(target), handler.depth + (handler.push_lasti ? 1 : 0) + 1);
        }
        if (is_jump(op)) reach(operand_of(ins), d + stack_effect(op, operand_of(ins), true));
        if (!is_terminator(op)) reach(i + 1, d + stack_effect(op, operand_of(ins), false));
    }

    // A JUMP to the very next instruction does nothing: drop it too.
    for (std::size_t i = 0; i + 1 < n; ++i) {
        if (depth[i] >= 0 && opcode_of(m_instructions[i]) == Opcode::JUMP && operand_of(m_instructions[i]) == i + 1) {
            depth[i] = -1;
        }
    }

    // Renumber the instructions that stay; a dropped one maps to the next that stays.
    std::vector<std::uint32_t> new_index(n + 1, 0);
    std::uint32_t kept = 0;
    for (std::size_t i = 0; i < n; ++i) {
        new_index[i] = kept;
        if (depth[i] >= 0) ++kept;
    }
    new_index[n] = kept;
    code.instructions.clear();
    code.positions.clear();
    code.exception_table.clear();
    for (std::size_t i = 0; i < n; ++i) {
        if (depth[i] < 0) continue;
        Instruction ins = m_instructions[i];
        Opcode op = opcode_of(ins);
        if (is_jump(op)) ins = encode(op, new_index.at(operand_of(ins)));
        auto at = static_cast<std::uint32_t>(code.instructions.size());
        code.instructions.push_back(ins);
        code.positions.push_back(m_positions[i]);

        int h = m_handler_of[i];
        if (h < 0) continue;
        int target = handler_target(h);
        if (target < 0) continue;
        const Handler& handler = m_handler_records[h];
        auto new_target = new_index.at(static_cast<std::size_t>(target));
        auto& table = code.exception_table;
        // Extend the previous entry when this instruction continues its range.
        if (!table.empty() && table.back().end == at && table.back().target == new_target &&
            table.back().stack_depth == static_cast<std::uint32_t>(handler.depth) &&
            table.back().push_lasti == handler.push_lasti) {
            table.back().end = at + 1;
        } else {
            table.push_back(ExceptionTableEntry{at, at + 1, new_target, static_cast<std::uint32_t>(handler.depth),
                                                handler.push_lasti});
        }
    }
    code.max_stack = max_depth;
    m_instructions.clear();
    m_positions.clear();
    return ok;
}

}  // namespace asy
