// The disassembler behind `asy dis` [clox c/debug.c]. It only reads a CodeObject; the
// operand kinds come from the same X-macro table as the opcodes, so a new opcode is
// printed correctly without touching this file.
#include "compiler/disassembler.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <algorithm>
#include <iomanip>
#include <set>
#include <sstream>
#include <vector>

namespace asy {

namespace {

struct OpcodeInfo {
    const char* name;
    // The operand kind from opcodes.def: none, const, name, local, cell, count, target, binop, cmpop.
    const char* operand;
};

constexpr OpcodeInfo opcode_table[] = {
#define OPCODE(name, operand, meaning) {#name, #operand},
#include "compiler/opcodes.def"
#undef OPCODE
};

// Python's repr of a float: the shortest digits that round-trip, in fixed notation unless
// the exponent is below -4 or at least 16, always with a '.0' or an exponent.
std::string float_repr(double value) {
    if (std::isnan(value)) return "nan";
    if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
    if (value == 0) return std::signbit(value) ? "-0.0" : "0.0";
    char buffer[64];
    auto result = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::scientific);
    std::string sci(buffer, result.ptr);
    // sci looks like "-1.2345e+03".
    bool negative = sci[0] == '-';
    if (negative) sci.erase(0, 1);
    std::size_t e_pos = sci.find('e');
    std::string mantissa = sci.substr(0, e_pos);
    int exponent = std::stoi(sci.substr(e_pos + 1));
    std::string digits;
    for (char c : mantissa)
        if (c != '.') digits += c;
    std::string out;
    if (exponent < -4 || exponent >= 16) {
        out = digits.substr(0, 1);
        if (digits.size() > 1) out += "." + digits.substr(1);
        char exp[16];
        std::snprintf(exp, sizeof exp, "e%c%02d", exponent < 0 ? '-' : '+', std::abs(exponent));
        out += exp;
    } else if (exponent < 0) {
        out = "0." + std::string(static_cast<std::size_t>(-exponent - 1), '0') + digits;
    } else {
        auto point = static_cast<std::size_t>(exponent) + 1;
        if (digits.size() <= point) {
            out = digits + std::string(point - digits.size(), '0') + ".0";
        } else {
            out = digits.substr(0, point) + "." + digits.substr(point);
        }
    }
    return negative ? "-" + out : out;
}

// Python's repr of a str: single quotes unless the text has ' and no ".
std::string string_repr(const std::string& text) {
    char quote = (text.find('\'') != std::string::npos && text.find('"') == std::string::npos) ? '"' : '\'';
    std::string out(1, quote);
    for (unsigned char c : text) {
        switch (c) {
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            if (c == static_cast<unsigned char>(quote)) {
                out += '\\';
                out += static_cast<char>(c);
            } else if (c < 0x20 || c == 0x7f) {
                char hex[8];
                std::snprintf(hex, sizeof hex, "\\x%02x", c);
                out += hex;
            } else {
                out += static_cast<char>(c);  // UTF-8 passes through
            }
        }
    }
    out += quote;
    return out;
}

std::string bytes_repr(const std::string& bytes) {
    char quote = (bytes.find('\'') != std::string::npos && bytes.find('"') == std::string::npos) ? '"' : '\'';
    std::string out = "b";
    out += quote;
    for (unsigned char c : bytes) {
        if (c == '\\') out += "\\\\";
        else if (c == static_cast<unsigned char>(quote)) (out += '\\') += static_cast<char>(c);
        else if (c == '\n') out += "\\n";
        else if (c == '\r') out += "\\r";
        else if (c == '\t') out += "\\t";
        else if (c < 0x20 || c >= 0x7f) {
            char hex[8];
            std::snprintf(hex, sizeof hex, "\\x%02x", c);
            out += hex;
        } else {
            out += static_cast<char>(c);
        }
    }
    out += quote;
    return out;
}

std::string code_label(const CodeObject& code) {
    return "<code object " + code.name + " at line " + std::to_string(code.first_line) + ">";
}

const char* binop_symbol(std::uint32_t op) {
    static const char* const symbols[] = {"+",  "&",  "//",  "<<",  "@",  "*",  "%",  "|",  "**",
                                          ">>", "-",  "/",   "^",   "+=", "&=", "//=", "<<=", "@=",
                                          "*=", "%=", "|=",  "**=", ">>=", "-=", "/=",  "^="};
    return op < sizeof symbols / sizeof symbols[0] ? symbols[op] : "?";
}

const char* cmpop_symbol(std::uint32_t op) {
    static const char* const symbols[] = {"<", "<=", "==", "!=", ">", ">="};
    return op < 6 ? symbols[op] : "?";
}

std::string cell_name(const CodeObject& code, std::uint32_t index) {
    if (index < code.cellvars.size()) return code.cellvars[index];
    index -= static_cast<std::uint32_t>(code.cellvars.size());
    return index < code.freevars.size() ? code.freevars[index] : "?";
}

// The parenthesized explanation of an operand, or "" when there is nothing to add.
std::string explain(const CodeObject& code, Opcode op, std::uint32_t arg) {
    std::string kind = opcode_table[static_cast<int>(op)].operand;
    if (kind == "const") return arg < code.constants.size() ? constant_repr(code.constants[arg]) : "?";
    if (kind == "name") return arg < code.names.size() ? code.names[arg] : "?";
    if (kind == "local") return arg < code.varnames.size() ? code.varnames[arg] : "?";
    if (kind == "cell") return cell_name(code, arg);
    if (kind == "target") return "to " + std::to_string(arg);
    if (kind == "binop") return binop_symbol(arg);
    if (kind == "cmpop") return cmpop_symbol(arg);
    switch (op) {
    case Opcode::IS_OP: return arg ? "is not" : "is";
    case Opcode::CONTAINS_OP: return arg ? "not in" : "in";
    case Opcode::FORMAT_VALUE: {
        static const char* const conversions[] = {"", "str", "repr", "ascii"};
        std::string text = conversions[arg & 3];
        if (arg & 4) text += text.empty() ? "with format" : ", with format";
        return text;
    }
    case Opcode::MAKE_FUNCTION: {
        std::string text;
        auto add = [&](const char* part) { text += text.empty() ? part : std::string(", ") + part; };
        if (arg & 1) add("defaults");
        if (arg & 2) add("kwdefaults");
        if (arg & 4) add("annotations");
        if (arg & 8) add("closure");
        return text;
    }
    case Opcode::UNPACK_EX:
        return std::to_string(arg & 0xff) + " before, " + std::to_string((arg >> 8) & 0xff) + " after the star";
    case Opcode::GET_AWAITABLE:
        return arg == 1 ? "after __aenter__" : arg == 2 ? "after __aexit__" : "";
    default: return "";
    }
}

bool has_operand(Opcode op) {
    return std::strcmp(opcode_table[static_cast<int>(op)].operand, "none") != 0;
}

std::string join(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& name : names) out += (out.empty() ? "" : ", ") + name;
    return out;
}

// One line saying what kind of code this is and which variables it has, so that a student
// can read LOAD_FAST 2 or LOAD_DEREF 0 without counting.
void describe(const CodeObject& code, std::ostream& out) {
    std::string kind = (code.flags & CO_ASYNC_GENERATOR) ? "async generator"
                       : (code.flags & CO_COROUTINE)    ? "coroutine"
                       : (code.flags & CO_GENERATOR)    ? "generator"
                       : (code.flags & CO_OPTIMIZED)    ? "function"
                                                        : "";
    std::vector<std::string> parts;
    if (!kind.empty()) parts.push_back(kind);
    if (code.argcount + code.kwonlyargcount > 0 || (code.flags & (CO_VARARGS | CO_VARKEYWORDS))) {
        std::size_t count = static_cast<std::size_t>(code.argcount + code.kwonlyargcount) +
                            ((code.flags & CO_VARARGS) ? 1 : 0) + ((code.flags & CO_VARKEYWORDS) ? 1 : 0);
        std::vector<std::string> params(code.varnames.begin(),
                                        code.varnames.begin() + static_cast<std::ptrdiff_t>(std::min(count, code.varnames.size())));
        parts.push_back("parameters: " + join(params));
    }
    if (!code.varnames.empty()) parts.push_back("locals: " + join(code.varnames));
    if (!code.cellvars.empty()) parts.push_back("cells: " + join(code.cellvars));
    if (!code.freevars.empty()) parts.push_back("free: " + join(code.freevars));
    if (parts.empty()) return;
    out << "  (";
    for (std::size_t i = 0; i < parts.size(); ++i) out << (i ? "; " : "") << parts[i];
    out << ")\n";
}

// The source split into lines once (SourceFile::line_text scans from the start each time,
// which a long file with many code objects would feel).
using SourceLines = std::vector<std::string_view>;

SourceLines split_lines(const SourceFile* source) {
    SourceLines lines;
    if (!source) return lines;
    std::string_view text = source->text;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        std::string_view line = text.substr(start, end - start);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        lines.push_back(line);
        start = end + 1;
    }
    return lines;
}

void disassemble_one(const CodeObject& code, const SourceLines& lines, std::ostream& out) {
    out << "Disassembly of " << code_label(code) << ":\n";
    describe(code, out);
    for (std::uint32_t offset = 0; offset < code.instructions.size(); ++offset) {
        if (is_suspension_point(code, offset)) {
            out << "  (~> marks where an await can suspend it: other tasks run before it resumes)\n";
            break;
        }
    }
    std::set<std::uint32_t> targets;
    for (Instruction ins : code.instructions) {
        Opcode op = opcode_of(ins);
        if (std::strcmp(opcode_table[static_cast<int>(op)].operand, "target") == 0) targets.insert(operand_of(ins));
    }
    for (const auto& entry : code.exception_table) targets.insert(entry.target);

    int last_line = -1;
    for (std::uint32_t offset = 0; offset < code.instructions.size(); ++offset) {
        Instruction ins = code.instructions[offset];
        Opcode op = opcode_of(ins);
        std::uint32_t arg = operand_of(ins);
        int line = offset < code.positions.size() ? code.positions[offset].line : 0;
        if (line != last_line && line > 0) {
            // A new source line: show it once, as a heading for its instructions.
            if (last_line != -1) out << "\n";
            out << std::setw(4) << line << "  ";
            if (static_cast<std::size_t>(line) <= lines.size()) {
                std::string_view text = lines[static_cast<std::size_t>(line) - 1];
                std::size_t start = text.find_first_not_of(" \t");
                if (start != std::string_view::npos) out << text.substr(start);
            }
            out << "\n";
            last_line = line;
        }
        std::ostringstream row;
        // "~>" marks where a coroutine can be suspended (the YIELD_VALUE of an await): other
        // tasks run between this instruction and the next.
        row << "    " << (is_suspension_point(code, offset) ? "~>" : "  ")
            << (targets.count(offset) ? ">>" : "  ") << std::setw(5) << offset << " "
            << std::left << std::setw(22) << opcode_name(op) << std::right;
        if (has_operand(op)) {
            row << std::setw(4) << arg;
            std::string meaning = explain(code, op, arg);
            if (!meaning.empty()) row << " (" << meaning << ")";
        }
        std::string text = row.str();
        while (!text.empty() && text.back() == ' ') text.pop_back();
        out << text << "\n";
    }
    if (!code.exception_table.empty()) {
        out << "ExceptionTable:\n";
        for (const auto& entry : code.exception_table) {
            out << "  " << entry.start << " to " << (entry.end - 1) << " -> " << entry.target << " ["
                << entry.stack_depth << "]" << (entry.push_lasti ? " lasti" : "") << "\n";
        }
    }
}

}  // namespace

const char* opcode_name(Opcode op) { return opcode_table[static_cast<int>(op)].name; }

std::string constant_repr(const Constant& constant) {
    return std::visit(
        [](const auto& v) -> std::string {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, NoneConstant>) return "None";
            else if constexpr (std::is_same_v<T, EllipsisConstant>) return "Ellipsis";
            else if constexpr (std::is_same_v<T, bool>) return v ? "True" : "False";
            else if constexpr (std::is_same_v<T, std::int64_t>) return std::to_string(v);
            else if constexpr (std::is_same_v<T, BigIntConstant>) return v.decimal;
            else if constexpr (std::is_same_v<T, double>) return float_repr(v);
            else if constexpr (std::is_same_v<T, std::string>) return string_repr(v);
            else if constexpr (std::is_same_v<T, BytesConstant>) return bytes_repr(v.bytes);
            else if constexpr (std::is_same_v<T, std::shared_ptr<const CodeObject>>) return code_label(*v);
            else {
                std::string out = "(";
                for (std::size_t i = 0; i < v->items.size(); ++i) {
                    if (i) out += ", ";
                    out += constant_repr(v->items[i]);
                }
                if (v->items.size() == 1) out += ",";
                return out + ")";
            }
        },
        constant);
}

bool is_suspension_point(const CodeObject& code, std::uint32_t offset) {
    return offset > 0 && offset < code.instructions.size() &&
           opcode_of(code.instructions[offset]) == Opcode::YIELD_VALUE &&
           opcode_of(code.instructions[offset - 1]) == Opcode::SEND;
}

namespace {

void disassemble_tree(const CodeObject& code, const SourceLines& lines, std::ostream& out) {
    disassemble_one(code, lines, out);
    for (const auto& constant : code.constants) {
        if (auto* nested = std::get_if<std::shared_ptr<const CodeObject>>(&constant)) {
            out << "\n";
            disassemble_tree(**nested, lines, out);
        }
    }
}

}  // namespace

void disassemble(const CodeObject& code, const SourceFile* source, std::ostream& out) {
    disassemble_tree(code, split_lines(source), out);
}

}  // namespace asy
