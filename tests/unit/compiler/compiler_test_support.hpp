// Helpers shared by the compiler's tests (symtable_test, compiler_test, disassembler_test):
// parse and compile a snippet, find a nested code object by name, list its opcodes, and
// check max_stack and the exception table with an independent control-flow analysis.
#pragma once

#include <catch2/catch.hpp>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "compiler/compiler.hpp"
#include "compiler/disassembler.hpp"
#include "compiler/emitter.hpp"
#include "compiler/parse.hpp"

namespace asy::test {

// A compiled snippet, keeping the source and AST alive for as long as the result is used.
struct Compiled {
    std::unique_ptr<SourceFile> source;
    std::unique_ptr<ast::Module> module;
    CompileResult result;

    const CodeObject& code() const {
        REQUIRE(result.code);
        return *result.code;
    }
    const SyntaxError& error() const {
        REQUIRE(result.error);
        return *result.error;
    }
};

inline Compiled compile_text(const std::string& text, CompileMode mode = CompileMode::Module) {
    Compiled compiled;
    compiled.source = std::make_unique<SourceFile>();
    compiled.source->filename = "test.asy";
    compiled.source->text = text;
    ParseResult parsed = parse_module(*compiled.source);
    if (parsed.error) FAIL("parse error: " << format_syntax_error(*parsed.error));
    compiled.module = std::move(parsed.module);
    compiled.result = compile_module(*compiled.module, *compiled.source, mode);
    return compiled;
}

// The first code object named `name`, searching depth-first from `root` (root included).
inline const CodeObject* find_code(const CodeObject& root, const std::string& name) {
    if (root.name == name) return &root;
    for (const auto& constant : root.constants) {
        if (auto* nested = std::get_if<std::shared_ptr<const CodeObject>>(&constant)) {
            if (const CodeObject* found = find_code(**nested, name)) return found;
        }
    }
    return nullptr;
}

inline const CodeObject& code_named(const Compiled& compiled, const std::string& name) {
    const CodeObject* code = find_code(compiled.code(), name);
    REQUIRE(code != nullptr);
    return *code;
}

// "LOAD_CONST STORE_NAME ..." — the opcode names of `code`, space-separated.
inline std::string opcodes(const CodeObject& code) {
    std::string out;
    for (Instruction ins : code.instructions) {
        if (!out.empty()) out += ' ';
        out += opcode_name(opcode_of(ins));
    }
    return out;
}

// "LOAD_FAST x" style listing with names resolved, for sharper assertions.
inline std::string listing(const CodeObject& code) {
    std::string out;
    for (Instruction ins : code.instructions) {
        Opcode op = opcode_of(ins);
        std::uint32_t arg = operand_of(ins);
        if (!out.empty()) out += '\n';
        out += opcode_name(op);
        switch (op) {
        case Opcode::LOAD_FAST:
        case Opcode::STORE_FAST:
        case Opcode::DELETE_FAST: out += " " + code.varnames.at(arg); break;
        case Opcode::LOAD_NAME:
        case Opcode::STORE_NAME:
        case Opcode::DELETE_NAME:
        case Opcode::LOAD_GLOBAL:
        case Opcode::STORE_GLOBAL:
        case Opcode::DELETE_GLOBAL:
        case Opcode::LOAD_ATTR:
        case Opcode::STORE_ATTR:
        case Opcode::LOAD_METHOD:
        case Opcode::IMPORT_NAME:
        case Opcode::IMPORT_FROM: out += " " + code.names.at(arg); break;
        case Opcode::LOAD_DEREF:
        case Opcode::STORE_DEREF:
        case Opcode::LOAD_CLOSURE:
        case Opcode::LOAD_CLASSDEREF:
            out += " " + (arg < code.cellvars.size() ? code.cellvars[arg] : code.freevars.at(arg - code.cellvars.size()));
            break;
        case Opcode::LOAD_CONST: out += " " + constant_repr(code.constants.at(arg)); break;
        default:
            if (is_jump(op) || op == Opcode::CALL || op == Opcode::CALL_METHOD || op == Opcode::CALL_KW ||
                op == Opcode::BUILD_TUPLE || op == Opcode::BUILD_LIST || op == Opcode::BUILD_MAP ||
                op == Opcode::RERAISE || op == Opcode::COPY || op == Opcode::SWAP || op == Opcode::MAKE_FUNCTION ||
                op == Opcode::UNPACK_SEQUENCE || op == Opcode::UNPACK_EX || op == Opcode::CALL_FUNCTION_EX ||
                op == Opcode::RAISE_VARARGS || op == Opcode::LIST_APPEND || op == Opcode::BINARY_OP ||
                op == Opcode::COMPARE_OP) {
                out += " " + std::to_string(arg);
            }
        }
    }
    return out;
}

// Re-derives the stack depth at every reachable instruction by following the control flow
// (jumps, fall-through, exception handlers) and checks that (1) every path agrees on the
// depth, (2) nothing pops an empty stack, (3) max_stack is exactly the maximum, and (4) every
// jump target and handler lies inside the code. Recurses into nested code objects.
inline void verify_stack(const CodeObject& code) {
    INFO("code object " << code.qualname);
    const auto n = static_cast<std::int64_t>(code.instructions.size());
    std::vector<int> depth(code.instructions.size(), -1);
    std::vector<std::uint32_t> work;
    int max_seen = 0;
    auto reach = [&](std::uint32_t target, int d) {
        REQUIRE(static_cast<std::int64_t>(target) < n);
        REQUIRE(d >= 0);
        max_seen = std::max(max_seen, d);
        if (depth[target] < 0) {
            depth[target] = d;
            work.push_back(target);
        } else {
            INFO("instruction " << target);
            REQUIRE(depth[target] == d);
        }
    };
    if (n > 0) reach(0, 0);
    while (!work.empty()) {
        std::uint32_t i = work.back();
        work.pop_back();
        Instruction ins = code.instructions[i];
        Opcode op = opcode_of(ins);
        std::uint32_t arg = operand_of(ins);
        int d = depth[i];
        for (const auto& entry : code.exception_table) {
            if (i >= entry.start && i < entry.end) {
                INFO("handler of instruction " << i);
                REQUIRE(static_cast<int>(entry.stack_depth) <= d);
                reach(entry.target, static_cast<int>(entry.stack_depth) + (entry.push_lasti ? 1 : 0) + 1);
                break;  // the first covering entry wins
            }
        }
        if (is_jump(op)) reach(arg, d + stack_effect(op, arg, true));
        if (!is_terminator(op)) {
            INFO("falls off the end at " << i);
            REQUIRE(static_cast<std::int64_t>(i) + 1 < n);
            reach(i + 1, d + stack_effect(op, arg, false));
        }
    }
    CHECK(code.max_stack == max_seen);
    CHECK(code.positions.size() == code.instructions.size());
    for (const auto& constant : code.constants) {
        if (auto* nested = std::get_if<std::shared_ptr<const CodeObject>>(&constant)) verify_stack(**nested);
    }
}

}  // namespace asy::test
