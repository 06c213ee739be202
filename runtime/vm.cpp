// The dispatch loop: runs frames of bytecode (compiler/opcodes.def) until the entry frame
// returns, yields or raises. Calls of asy functions push a frame and continue in the same loop
// (no C++ recursion); exceptions unwind through the code's exception table. Everything else
// (calls of natives, attribute lookup, arithmetic on non-numbers) goes through ops.hpp.
#include "runtime/frame.hpp"
#include "runtime/interrupt.hpp"
#include "runtime/objects/dict.hpp"
#include "runtime/objects/generator.hpp"
#include "runtime/objects/int.hpp"
#include "runtime/objects/bytes.hpp"
#include "runtime/objects/list.hpp"
#include "runtime/objects/module.hpp"
#include "runtime/objects/set.hpp"
#include "runtime/objects/slice.hpp"
#include "runtime/objects/str.hpp"
#include "runtime/objects/tuple.hpp"
#include "runtime/ops.hpp"
#include "runtime/teaching/mistake_checks.hpp"
#include "runtime/text/utf8.hpp"
#include "runtime/vm_internal.hpp"
#include "stdlib/native/asyncio.hpp"

#include <cmath>
#include <cstdlib>
#include <iostream>

namespace asy {

// ---------------------------------------------------------------- frames

int Frame::line() const {
    const auto& positions = code->code->positions;
    return current < positions.size() ? positions[current].line : 0;
}

// Frames are pooled by size class (a power of two of Values), so a reused frame always fits.
static std::uint32_t size_class_for(std::uint32_t values) {
    std::uint32_t size_class = 4;  // at least 16 slots
    while ((1u << size_class) < values) ++size_class;
    return size_class;
}

// The body of acquire_frame, inlined into the dispatch loop's call fast path.
static inline Frame* take_frame(VM& vm, Code* code) {
    const std::uint32_t size_class = code->frame_size_class;
    Frame* frame;
    auto& bucket = vm.frame_pool[size_class];
    if (!bucket.empty()) {
        frame = bucket.back();
        bucket.pop_back();
    } else {
        const std::uint32_t capacity = 1u << size_class;
        void* memory = ::operator new(sizeof(Frame) + capacity * sizeof(Value));
        frame = new (memory) Frame();
        frame->slots = reinterpret_cast<Value*>(reinterpret_cast<char*>(memory) + sizeof(Frame));
        frame->capacity = capacity;
        frame->size_class = size_class;
    }
    frame->code = code;
    frame->function = nullptr;
    frame->globals = nullptr;
    frame->builtins = nullptr;
    frame->locals = nullptr;
    frame->generator = nullptr;
    frame->pc = 0;
    frame->current = 0;
    frame->is_entry = false;
    // Variables start unbound; the stack starts empty.
    Value* slots = frame->slots;
    for (int i = 0; i < code->nlocalsplus; ++i) slots[i] = Value::null();
    frame->sp = slots + code->nlocalsplus;
    return frame;
}

Frame* acquire_frame(VM& vm, Code* code) { return take_frame(vm, code); }

void release_frame(VM& vm, Frame* frame) {
    // Pooled frames must not keep objects alive (they are not traced), so only the pointers
    // that the next acquire overwrites anyway are left behind.
    frame->sp = frame->slots;
    vm.frame_pool[frame->size_class].push_back(frame);
}

void free_frame_pool(VM& vm) {
    for (auto& bucket : vm.frame_pool) {
        for (Frame* frame : bucket) ::operator delete(frame);
        bucket.clear();
    }
}

void trace_frame(const Frame* frame, Tracer& tracer) {
    tracer.mark(frame->code);
    tracer.mark(frame->function);
    tracer.mark(frame->globals);
    tracer.mark(frame->builtins);
    tracer.mark(frame->locals);
    tracer.mark(frame->generator);
    for (const Value* slot = frame->slots; slot < frame->sp; ++slot) tracer.mark(*slot);
}

// ---------------------------------------------------------------- loading code

static Value constant_value(VM& vm, const Constant& constant);

static Value tuple_constant(VM& vm, const TupleConstant& tuple) {
    std::vector<Value> items;
    RootVector root(vm, items);
    for (const Constant& item : tuple.items) {
        Value value = constant_value(vm, item);
        if (value.is_null()) return value;
        items.push_back(value);
    }
    return Value::from_object(new_tuple(vm, std::move(items)));
}

static Value constant_value(VM& vm, const Constant& constant) {
    struct Visitor {
        VM& vm;
        Value operator()(const NoneConstant&) const { return Value::none(); }
        Value operator()(bool b) const { return Value::from_bool(b); }
        Value operator()(std::int64_t i) const { return int_from_int64(vm, i); }
        Value operator()(const BigIntConstant& big) const { return int_from_decimal(vm, big.decimal); }
        Value operator()(double d) const { return Value::from_double(d); }
        // Strings that look like names are interned, like CPython does, so attribute and
        // keyword lookups with them compare pointers.
        Value operator()(const std::string& s) const { return Value::from_object(vm.intern(s)); }
        Value operator()(const BytesConstant& b) const { return Value::from_object(new_bytes(vm, b.bytes)); }
        Value operator()(const EllipsisConstant&) const { return vm.ellipsis(); }
        Value operator()(const std::shared_ptr<const CodeObject>& code) const {
            return Value::from_object(load_code(vm, code));
        }
        Value operator()(const std::shared_ptr<const TupleConstant>& tuple) const {
            return tuple_constant(vm, *tuple);
        }
    };
    return std::visit(Visitor{vm}, constant);
}

Code* load_code(VM& vm, const std::shared_ptr<const CodeObject>& code_object) {
    Root root(vm, vm.heap().allocate<Code>(vm.types().code, code_object));
    Code* code = root.as<Code>();
    const CodeObject& source = *code_object;
    code->name = vm.intern(source.name);
    code->qualname = vm.intern(source.qualname);
    code->filename = vm.intern(source.filename);
    for (const std::string& name : source.names) code->names.push_back(vm.intern(name));
    for (const std::string& name : source.varnames) code->varnames.push_back(vm.intern(name));
    for (const std::string& name : source.cellvars) code->cell_names.push_back(vm.intern(name));
    for (const std::string& name : source.freevars) code->cell_names.push_back(vm.intern(name));
    code->nlocalsplus = static_cast<int>(source.varnames.size() + source.cellvars.size() + source.freevars.size());
    code->argcount = source.argcount;
    code->frame_size_class = size_class_for(static_cast<std::uint32_t>(code->nlocalsplus + source.max_stack + 1));
    code->simple_call = source.kwonlyargcount == 0 && source.cellvars.empty() && source.freevars.empty() &&
                        !(source.flags & (CO_VARARGS | CO_VARKEYWORDS | CO_GENERATOR | CO_COROUTINE |
                                          CO_ASYNC_GENERATOR));
    code->caches.resize(source.instructions.size());
    for (const Constant& constant : source.constants) {
        // Push a placeholder first, so the constants loaded so far stay traced through `code`.
        code->constants.push_back(Value::none());
        Value value = constant_value(vm, constant);
        if (value.is_null()) {
            // Only a big int can fail to load (without GMP support); keep the error for later.
            vm.clear_exception();
            value = Value::none();
        }
        code->constants.back() = value;
    }
    return code;
}

Function* new_function(VM& vm, Code* code, Dict* globals) {
    Function* function = vm.heap().allocate<Function>(vm.types().function);
    function->code = code;
    function->globals = globals;
    function->name = code->name;
    function->qualname = code->qualname;
    Value module_name = dict_get_str(globals, vm.names().name);
    function->module = module_name.is_null() ? Value::none() : module_name;
    function->doc = Value::none();
    return function;
}

// ---------------------------------------------------------------- helpers of the loop

// The message name of a variable slot i (varnames, then cells).
static String* slot_name(const Code* code, std::uint32_t i) {
    const auto nlocals = code->varnames.size();
    return i < nlocals ? code->varnames[i] : code->cell_names[i - nlocals];
}

// Exception table lookup: the innermost handler covering instruction `offset`.
static const ExceptionTableEntry* find_handler(const Code* code, std::uint32_t offset) {
    for (const ExceptionTableEntry& entry : code->code->exception_table)
        if (offset >= entry.start && offset < entry.end) return &entry;
    return nullptr;
}

// Python's floor division and modulo for ints: the result's sign follows the divisor.
static std::int64_t floor_div(std::int64_t a, std::int64_t b) {
    std::int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
    return q;
}
static std::int64_t floor_mod(std::int64_t a, std::int64_t b) {
    std::int64_t r = a % b;
    if (r != 0 && ((r < 0) != (b < 0))) r += b;
    return r;
}

// Small-int arithmetic that stays within 48 bits, or false to take the general path
// (which produces BigInts, ZeroDivisionError...).
static inline bool small_int_binary(BinaryOp op, std::int64_t a, std::int64_t b, Value& out) {
    std::int64_t r;
    switch (op) {
    case BinaryOp::Add:
    case BinaryOp::InplaceAdd: r = a + b; break;
    case BinaryOp::Subtract:
    case BinaryOp::InplaceSubtract: r = a - b; break;
    case BinaryOp::Multiply:
    case BinaryOp::InplaceMultiply:
        // Both operands below 2^31 in magnitude: the product fits in 62 bits.
        if (a > 0x7fffffff || a < -0x7fffffff || b > 0x7fffffff || b < -0x7fffffff) return false;
        r = a * b;
        break;
    case BinaryOp::FloorDivide:
    case BinaryOp::InplaceFloorDivide:
        if (b == 0) return false;
        r = floor_div(a, b);
        break;
    case BinaryOp::Remainder:
    case BinaryOp::InplaceRemainder:
        if (b == 0) return false;
        r = floor_mod(a, b);
        break;
    case BinaryOp::And:
    case BinaryOp::InplaceAnd: r = a & b; break;
    case BinaryOp::Or:
    case BinaryOp::InplaceOr: r = a | b; break;
    case BinaryOp::Xor:
    case BinaryOp::InplaceXor: r = a ^ b; break;
    default: return false;
    }
    if (!Value::fits_small_int(r)) return false;
    out = Value::from_small_int(r);
    return true;
}

// Float arithmetic for the common operators (division by zero takes the general path).
static inline bool float_binary(BinaryOp op, double a, double b, Value& out) {
    switch (op) {
    case BinaryOp::Add:
    case BinaryOp::InplaceAdd: out = Value::from_double(a + b); return true;
    case BinaryOp::Subtract:
    case BinaryOp::InplaceSubtract: out = Value::from_double(a - b); return true;
    case BinaryOp::Multiply:
    case BinaryOp::InplaceMultiply: out = Value::from_double(a * b); return true;
    case BinaryOp::TrueDivide:
    case BinaryOp::InplaceTrueDivide:
        if (b == 0.0) return false;
        out = Value::from_double(a / b);
        return true;
    default: return false;
    }
}

template <class T>
static inline bool compare_numbers(CompareOp op, T a, T b) {
    switch (op) {
    case CompareOp::Lt: return a < b;
    case CompareOp::Le: return a <= b;
    case CompareOp::Eq: return a == b;
    case CompareOp::Ne: return a != b;
    case CompareOp::Gt: return a > b;
    case CompareOp::Ge: return a >= b;
    }
    return false;
}

// Truth of a value in a conditional jump: bools, None and small ints without a call.
static inline Truth quick_truth(VM& vm, Value value) {
    if (value.is_bool()) return value.as_bool() ? Truth::True : Truth::False;
    if (value.is_none()) return Truth::False;
    if (value.is_small_int()) return value.as_small_int() != 0 ? Truth::True : Truth::False;
    return ops::truthy(vm, value);
}

// UNPACK_SEQUENCE / UNPACK_EX: the items of an iterable into `items`; false after raising.
static bool collect_items(VM& vm, Value iterable, std::vector<Value>& items, bool star, std::size_t expected) {
    if (auto* tuple = as_exact<Tuple>(iterable, vm.types().tuple)) {
        items = tuple->items;
        return true;
    }
    if (auto* list = as_exact<List>(iterable, vm.types().list)) {
        items = list->items;
        return true;
    }
    Value iterator = ops::iter(vm, iterable);
    if (iterator.is_null()) {
        if (vm.exception_matches(vm.types().type_error)) {
            vm.clear_exception();
            vm.raise_error(Error::cannot_unpack, ops::type_name(vm, iterable));
        }
        return false;
    }
    Root root(vm, iterator);
    while (true) {
        Value item = ops::next(vm, iterator);
        if (item.is_null()) return !vm.has_exception();
        items.push_back(item);
        // Without a star, stop as soon as there are too many: the iterator may be infinite.
        if (!star && items.size() > expected) return true;
    }
}

// The exception class (or tuple of them) of an `except` clause must derive from BaseException.
Value async_gen_wrap(VM& vm, Value value);
Value exception_group_match(VM& vm, Value exc, Value type, Value& rest);
Value exception_group_prep_reraise(VM& vm, Value orig, Value raised_list);

static bool valid_exception_matcher(VM& vm, Value matcher) {
    if (auto* tuple = as_exact<Tuple>(matcher, vm.types().tuple)) {
        for (Value item : tuple->items)
            if (!valid_exception_matcher(vm, item)) return false;
        return true;
    }
    return matcher.is_object() && matcher.as_object()->type == vm.types().type &&
           is_subtype(static_cast<Type*>(matcher.as_object()), vm.types().base_exception);
}

// How call errors name a callable, as CPython's _PyObject_FunctionStr: "__main__.f()".
static std::string function_str(VM& vm, Value callable) {
    Value qualname = ops::getattr_optional(vm, callable, vm.names().qualname);
    if (qualname.is_null() || !qualname.is_object() || qualname.as_object()->type != vm.types().str) {
        vm.clear_exception();
        return ops::type_name(vm, callable) + " object";
    }
    std::string name = static_cast<String*>(qualname.as_object())->utf8 + "()";
    Value module = ops::getattr_optional(vm, callable, vm.names().module);
    vm.clear_exception();
    if (module.is_object() && module.as_object()->type == vm.types().str) {
        const std::string& text = static_cast<String*>(module.as_object())->utf8;
        if (text != "builtins") name = text + "." + name;
    }
    return name;
}

// The namespace's __build_class__ and friends come from builtins.
static Value load_builtin(VM& vm, String* name) { return dict_get_str(vm.builtins(), name); }

// ---------------------------------------------------------------- the loop

// BEFORE_WITH / BEFORE_ASYNC_WITH: looks up the enter and exit methods of `manager` (enter
// first, as CPython 3.11 does, each with its own message), stores the bound exit method in
// `exit_out` and returns the result of calling enter, or null after raising.
static Value enter_context(VM& vm, Value manager, bool async, Value& exit_out) {
    const char* protocol = async ? "asynchronous context manager" : "context manager";
    Value enter = ops::getattr(vm, manager, async ? vm.names().aenter : vm.names().enter);
    if (enter.is_null()) {
        if (vm.exception_matches(vm.types().attribute_error)) {
            vm.clear_exception();
            vm.raise_format(vm.types().type_error, "'{}' object does not support the {} protocol",
                            ops::type_name(vm, manager), protocol);
        }
        return Value::null();
    }
    Root enter_root(vm, enter);
    Value exit = ops::getattr(vm, manager, async ? vm.names().aexit : vm.names().exit);
    if (exit.is_null()) {
        if (vm.exception_matches(vm.types().attribute_error)) {
            vm.clear_exception();
            vm.raise_format(vm.types().type_error, "'{}' object does not support the {} protocol (missed {} method)",
                            ops::type_name(vm, manager), protocol, async ? "__aexit__" : "__exit__");
        }
        return Value::null();
    }
    Root exit_root(vm, exit);
    Value result = vm.call(enter, std::span<const Value>{});
    exit_out = exit;
    return result;
}

Value run_frame(VM& vm, Frame* entry, bool throwing) {
    Frame* frame = entry;
    Code* code;
    const Instruction* instructions;
    Value* locals;
    Value* sp;
    std::uint32_t pc;
    // Whether the pending exception was re-raised (RERAISE, bare raise): those add no new
    // traceback entry, as in CPython.
    bool reraise = false;

#define LOAD_FRAME()                                  \
    do {                                              \
        code = frame->code;                           \
        instructions = code->code->instructions.data(); \
        locals = frame->slots;                        \
        sp = frame->sp;                               \
        pc = frame->pc;                               \
    } while (0)
#define PUSH(v) (*sp++ = (v))
#define POP() (*--sp)
#define TOP() (sp[-1])
#define PEEK(n) (sp[-static_cast<std::ptrdiff_t>(n)])
#define NAME(i) (code->names[i])

    LOAD_FRAME();
    if (throwing) goto error;

dispatch:
    for (;;) {
        // The collector sees the stack as it was when this instruction started (see Frame::sp).
        frame->sp = sp;
        const Instruction instruction = instructions[pc++];
        const std::uint32_t arg = operand_of(instruction);
        switch (opcode_of(instruction)) {

        // ---- stack
        case Opcode::NOP:
        case Opcode::RETURN_GENERATOR: break;
        case Opcode::POP_TOP:
            --sp;
            // A coroutine that never started, dropped at the end of its statement: the
            // teaching check says "did you forget await?" (runtime/teaching/mistake_checks.hpp).
            if (sp->is_object() && sp->as_object()->type == vm.types().coroutine) [[unlikely]] {
                if (!teaching::check_dropped_value(vm, frame, pc, *sp)) goto error;
            }
            break;
        case Opcode::PUSH_NULL: PUSH(Value::null()); break;
        case Opcode::COPY: {
            Value v = PEEK(arg);
            PUSH(v);
            break;
        }
        case Opcode::SWAP: {
            Value v = TOP();
            TOP() = PEEK(arg);
            PEEK(arg) = v;
            break;
        }

        // ---- constants and variables
        case Opcode::LOAD_CONST: PUSH(code->constants[arg]); break;
        case Opcode::LOAD_FAST: {
            Value v = locals[arg];
            if (v.is_null()) {
                vm.raise_error(Error::unbound_local, slot_name(code, arg)->view());
                goto error;
            }
            PUSH(v);
            break;
        }
        case Opcode::STORE_FAST: locals[arg] = POP(); break;
        case Opcode::DELETE_FAST:
            if (locals[arg].is_null()) {
                vm.raise_error(Error::unbound_local, slot_name(code, arg)->view());
                goto error;
            }
            locals[arg] = Value::null();
            break;
        case Opcode::LOAD_DEREF: {
            auto* cell = static_cast<Cell*>(locals[code->varnames.size() + arg].as_object());
            if (cell->value.is_null()) {
                String* name = code->cell_names[arg];
                if (arg < code->code->cellvars.size())
                    vm.raise_error(Error::unbound_local, name->view());
                else
                    vm.raise_error(Error::unbound_free, name->view());
                goto error;
            }
            PUSH(cell->value);
            break;
        }
        case Opcode::STORE_DEREF: {
            auto* cell = static_cast<Cell*>(locals[code->varnames.size() + arg].as_object());
            cell->value = POP();
            break;
        }
        case Opcode::DELETE_DEREF: {
            auto* cell = static_cast<Cell*>(locals[code->varnames.size() + arg].as_object());
            if (cell->value.is_null()) {
                vm.raise_error(Error::unbound_local, code->cell_names[arg]->view());
                goto error;
            }
            cell->value = Value::null();
            break;
        }
        case Opcode::LOAD_CLOSURE: PUSH(locals[code->varnames.size() + arg]); break;
        case Opcode::LOAD_CLASSDEREF: {
            String* name = code->cell_names[arg];
            if (frame->locals) {
                Value v = dict_get_str(frame->locals, name);
                if (!v.is_null()) {
                    PUSH(v);
                    break;
                }
            }
            auto* cell = static_cast<Cell*>(locals[code->varnames.size() + arg].as_object());
            if (cell->value.is_null()) {
                vm.raise_error(Error::unbound_free, name->view());
                goto error;
            }
            PUSH(cell->value);
            break;
        }
        case Opcode::LOAD_GLOBAL: {
            // Cached per instruction, valid while neither the globals nor the builtins change.
            InlineCache& cache = code->caches[pc - 1];
            Dict* globals = frame->globals;
            Dict* builtins = frame->builtins;
            if (cache.version == globals->version && cache.version2 == builtins->version) {
                PUSH(cache.value);
                break;
            }
            String* name = NAME(arg);
            Value v = dict_get_str(globals, name);
            if (v.is_null()) v = dict_get_str(builtins, name);
            // sleep, gather... are builtins once asyncio is imported (stdlib/native/asyncio.hpp).
            if (v.is_null()) v = load_asyncio_builtin(vm, name);
            if (v.is_null()) {
                if (!vm.has_exception()) vm.raise_error(Error::name_not_defined, name->view());
                goto error;
            }
            cache.version = globals->version;
            cache.version2 = builtins->version;
            cache.value = v;
            PUSH(v);
            break;
        }
        case Opcode::STORE_GLOBAL: dict_set_str(vm, frame->globals, NAME(arg), TOP()); --sp; break;
        case Opcode::DELETE_GLOBAL:
            if (!dict_delete_str(vm, frame->globals, NAME(arg))) {
                vm.raise_error(Error::name_not_defined, NAME(arg)->view());
                goto error;
            }
            break;
        case Opcode::LOAD_NAME: {
            String* name = NAME(arg);
            Value v = frame->locals ? dict_get_str(frame->locals, name) : Value::null();
            if (v.is_null()) v = dict_get_str(frame->globals, name);
            if (v.is_null()) v = dict_get_str(frame->builtins, name);
            if (v.is_null()) v = load_asyncio_builtin(vm, name);
            if (v.is_null()) {
                if (!vm.has_exception()) vm.raise_error(Error::name_not_defined, name->view());
                goto error;
            }
            PUSH(v);
            break;
        }
        case Opcode::STORE_NAME: {
            Dict* target = frame->locals ? frame->locals : frame->globals;
            dict_set_str(vm, target, NAME(arg), TOP());
            --sp;
            break;
        }
        case Opcode::DELETE_NAME: {
            Dict* target = frame->locals ? frame->locals : frame->globals;
            if (!dict_delete_str(vm, target, NAME(arg))) {
                vm.raise_error(Error::name_not_defined, NAME(arg)->view());
                goto error;
            }
            break;
        }

        // ---- attributes and subscripts
        case Opcode::LOAD_ATTR: {
            Value v = ops::getattr(vm, TOP(), NAME(arg));
            if (v.is_null()) goto error;
            TOP() = v;
            break;
        }
        case Opcode::STORE_ATTR: {
            if (!ops::setattr(vm, TOP(), NAME(arg), PEEK(2))) goto error;
            sp -= 2;
            break;
        }
        case Opcode::DELETE_ATTR: {
            if (!ops::delattr(vm, TOP(), NAME(arg))) goto error;
            --sp;
            break;
        }
        case Opcode::LOAD_METHOD: {
            // A plain function found on the class is pushed unbound with self beside it, so
            // CALL_METHOD can call it without making a bound-method object.
            Value self = TOP();
            String* name = NAME(arg);
            Type* type = type_of(vm, self);
            if (type->getattr == nullptr) {
                Value attribute = type_lookup(type, name);
                if (attribute.is_object()) {
                    Type* attribute_type = attribute.as_object()->type;
                    bool plain_method = attribute_type == vm.types().function ||
                                        (attribute_type == vm.types().native_function &&
                                         static_cast<NativeFunctionObject*>(attribute.as_object())->owner);
                    if (plain_method) {
                        // Only if the instance dict does not shadow it.
                        bool shadowed = false;
                        if (type->dict_offset && self.is_object()) {
                            Dict* dict = *reinterpret_cast<Dict**>(reinterpret_cast<char*>(self.as_object()) +
                                                                   type->dict_offset);
                            shadowed = dict && !dict_get_str(dict, name).is_null();
                        }
                        if (!shadowed) {
                            TOP() = attribute;
                            PUSH(self);
                            break;
                        }
                    }
                }
            }
            Value v = ops::getattr(vm, self, name);
            if (v.is_null()) goto error;
            TOP() = v;
            PUSH(Value::null());
            break;
        }
        case Opcode::BINARY_SUBSCR: {
            Value container = PEEK(2);
            Value key = TOP();
            if (auto* list = as_exact<List>(container, vm.types().list); list && key.is_small_int()) {
                std::int64_t i = key.as_small_int();
                const auto n = static_cast<std::int64_t>(list->items.size());
                if (i < 0) i += n;
                if (i >= 0 && i < n) {
                    --sp;
                    TOP() = list->items[static_cast<std::size_t>(i)];
                    break;
                }
            }
            Value v = ops::getitem(vm, container, key);
            if (v.is_null()) goto error;
            --sp;
            TOP() = v;
            break;
        }
        case Opcode::STORE_SUBSCR: {
            if (!ops::setitem(vm, PEEK(2), TOP(), PEEK(3))) goto error;
            sp -= 3;
            break;
        }
        case Opcode::DELETE_SUBSCR: {
            if (!ops::delitem(vm, PEEK(2), TOP())) goto error;
            sp -= 2;
            break;
        }
        case Opcode::BUILD_SLICE: {
            Value step = arg == 3 ? POP() : Value::none();
            Value stop = TOP();
            Value start = PEEK(2);
            Value slice = new_slice(vm, start, stop, step);
            if (slice.is_null()) goto error;
            --sp;
            TOP() = slice;
            break;
        }

        // ---- operators
        case Opcode::UNARY_POSITIVE:
        case Opcode::UNARY_NEGATIVE:
        case Opcode::UNARY_INVERT: {
            Value v = TOP();
            const Opcode op = opcode_of(instruction);
            if (v.is_small_int() && op == Opcode::UNARY_NEGATIVE) {
                TOP() = Value::from_small_int(-v.as_small_int());  // -(-2^47) would not fit, but
                // small_int_min's negation is 2^47, one past the range: take the general path then.
                if (v.as_small_int() == Value::small_int_min) {
                    TOP() = v;
                } else {
                    break;
                }
            }
            UnaryOp unary = op == Opcode::UNARY_NEGATIVE   ? UnaryOp::Negative
                            : op == Opcode::UNARY_POSITIVE ? UnaryOp::Positive
                                                           : UnaryOp::Invert;
            Value result = ops::unary_op(vm, unary, v);
            if (result.is_null()) goto error;
            TOP() = result;
            break;
        }
        case Opcode::UNARY_NOT: {
            Truth t = quick_truth(vm, TOP());
            if (t == Truth::Error) goto error;
            TOP() = Value::from_bool(t == Truth::False);
            break;
        }
        case Opcode::BINARY_OP: {
            Value b = TOP();
            Value a = PEEK(2);
            const auto op = static_cast<BinaryOp>(arg);
            Value result;
            if (a.is_small_int() && b.is_small_int()) {
                if (small_int_binary(op, a.as_small_int(), b.as_small_int(), result)) {
                    --sp;
                    TOP() = result;
                    break;
                }
            } else if (a.is_double() && b.is_double()) {
                if (float_binary(op, a.as_double(), b.as_double(), result)) {
                    --sp;
                    TOP() = result;
                    break;
                }
            }
            result = ops::binary_op(vm, op, a, b);
            if (result.is_null()) goto error;
            --sp;
            TOP() = result;
            break;
        }
        case Opcode::COMPARE_OP: {
            Value b = TOP();
            Value a = PEEK(2);
            const auto op = static_cast<CompareOp>(arg);
            if (a.is_small_int() && b.is_small_int()) {
                --sp;
                TOP() = Value::from_bool(compare_numbers(op, a.as_small_int(), b.as_small_int()));
                break;
            }
            if (a.is_double() && b.is_double()) {
                --sp;
                TOP() = Value::from_bool(compare_numbers(op, a.as_double(), b.as_double()));
                break;
            }
            Value result = ops::compare(vm, a, b, op);
            if (result.is_null()) goto error;
            --sp;
            TOP() = result;
            break;
        }
        case Opcode::IS_OP: {
            bool same = PEEK(2).is(TOP());
            --sp;
            TOP() = Value::from_bool(same != (arg == 1));
            break;
        }
        case Opcode::CONTAINS_OP: {
            Truth t = ops::contains(vm, TOP(), PEEK(2));
            if (t == Truth::Error) goto error;
            --sp;
            TOP() = Value::from_bool((t == Truth::True) != (arg == 1));
            break;
        }

        // ---- building values
        case Opcode::BUILD_TUPLE: {
            Tuple* tuple = new_tuple(vm, std::span<const Value>(sp - arg, arg));
            sp -= arg;
            PUSH(Value::from_object(tuple));
            break;
        }
        case Opcode::BUILD_LIST: {
            List* list = new_list(vm, std::span<const Value>(sp - arg, arg));
            sp -= arg;
            PUSH(Value::from_object(list));
            break;
        }
        case Opcode::BUILD_SET: {
            Value set = new_set(vm);
            if (set.is_null()) goto error;
            Root root(vm, set);
            for (std::uint32_t i = arg; i > 0; --i)
                if (!set_add(vm, set, PEEK(i))) goto error;
            sp -= arg;
            PUSH(set);
            break;
        }
        case Opcode::BUILD_MAP: {
            Dict* dict = new_dict(vm);
            Root root(vm, dict);
            for (std::uint32_t i = 2 * arg; i > 0; i -= 2)
                if (!dict_set(vm, dict, PEEK(i), PEEK(i - 1))) goto error;
            sp -= 2 * arg;
            PUSH(Value::from_object(dict));
            break;
        }
        case Opcode::BUILD_STRING: {
            std::string text;
            for (std::uint32_t i = arg; i > 0; --i)
                text += static_cast<String*>(PEEK(i).as_object())->utf8;
            String* s = new_string(vm, std::move(text));
            sp -= arg;
            PUSH(Value::from_object(s));
            break;
        }
        case Opcode::LIST_APPEND: {
            Value item = POP();
            static_cast<List*>(PEEK(arg).as_object())->items.push_back(item);
            break;
        }
        case Opcode::SET_ADD: {
            if (!set_add(vm, PEEK(arg + 1), TOP())) goto error;
            --sp;
            break;
        }
        case Opcode::MAP_ADD: {
            if (!dict_set(vm, static_cast<Dict*>(PEEK(arg + 2).as_object()), PEEK(2), TOP())) goto error;
            sp -= 2;
            break;
        }
        case Opcode::LIST_EXTEND: {
            auto* list = static_cast<List*>(PEEK(arg + 1).as_object());
            Value iterable = TOP();
            if (auto* tuple = as_exact<Tuple>(iterable, vm.types().tuple)) {
                list->items.insert(list->items.end(), tuple->items.begin(), tuple->items.end());
            } else if (auto* other = as_exact<List>(iterable, vm.types().list)) {
                std::vector<Value> copy = other->items;
                list->items.insert(list->items.end(), copy.begin(), copy.end());
            } else {
                Value iterator = ops::iter(vm, iterable);
                if (iterator.is_null()) {
                    if (vm.exception_matches(vm.types().type_error)) {
                        vm.clear_exception();
                        vm.raise_format(vm.types().type_error, "Value after * must be an iterable, not {}",
                                        ops::type_name(vm, iterable));
                    }
                    goto error;
                }
                Root root(vm, iterator);
                while (true) {
                    Value item = ops::next(vm, iterator);
                    if (item.is_null()) {
                        if (vm.has_exception()) goto error;
                        break;
                    }
                    list->items.push_back(item);
                }
            }
            --sp;
            break;
        }
        case Opcode::SET_UPDATE: {
            Value set = PEEK(arg + 1);
            Value iterator = ops::iter(vm, TOP());
            if (iterator.is_null()) goto error;
            Root root(vm, iterator);
            while (true) {
                Value item = ops::next(vm, iterator);
                if (item.is_null()) {
                    if (vm.has_exception()) goto error;
                    break;
                }
                if (!set_add(vm, set, item)) goto error;
            }
            --sp;
            break;
        }
        case Opcode::DICT_UPDATE:
        case Opcode::DICT_MERGE: {
            auto* dict = static_cast<Dict*>(PEEK(arg + 1).as_object());
            Value source = TOP();
            if (auto* other = as_instance<Dict>(source, vm.types().dict)) {
                std::vector<DictEntry> entries = other->entries;
                for (const DictEntry& entry : entries) {
                    if (entry.key.is_null()) continue;
                    if (opcode_of(instruction) == Opcode::DICT_MERGE) {
                        Value existing = dict_get(vm, dict, entry.key);
                        if (!existing.is_null()) {
                            // The function is below the dict: [callable, args, dict, source]
                            String* key = ops::str(vm, entry.key);
                            if (!key) goto error;
                            vm.raise_error(Error::kwargs_repeated, function_str(vm, PEEK(arg + 3)), key->view());
                            goto error;
                        }
                    }
                    if (!dict_set(vm, dict, entry.key, entry.value)) goto error;
                }
            } else {
                // Any mapping: keys() and __getitem__.
                Value keys = vm.call_method(source, vm.names().keys, {});
                if (keys.is_null()) {
                    if (vm.exception_matches(vm.types().attribute_error)) {
                        vm.clear_exception();
                        if (opcode_of(instruction) == Opcode::DICT_MERGE)
                            vm.raise_error(Error::star_kwargs_not_mapping, function_str(vm, PEEK(arg + 3)),
                                           ops::type_name(vm, source));
                        else
                            vm.raise_format(vm.types().type_error, "'{}' object is not a mapping",
                                            ops::type_name(vm, source));
                    }
                    goto error;
                }
                Root keys_root(vm, keys);
                Value iterator = ops::iter(vm, keys);
                if (iterator.is_null()) goto error;
                Root root(vm, iterator);
                while (true) {
                    Value key = ops::next(vm, iterator);
                    if (key.is_null()) {
                        if (vm.has_exception()) goto error;
                        break;
                    }
                    Root key_root(vm, key);
                    Value value = ops::getitem(vm, source, key);
                    if (value.is_null() || !dict_set(vm, dict, key, value)) goto error;
                }
            }
            --sp;
            break;
        }
        case Opcode::LIST_TO_TUPLE: {
            auto* list = static_cast<List*>(TOP().as_object());
            TOP() = Value::from_object(new_tuple(vm, std::span<const Value>(list->items)));
            break;
        }
        case Opcode::FORMAT_VALUE: {
            String* spec = nullptr;
            if (arg & 4) spec = static_cast<String*>(POP().as_object());
            Value value = TOP();
            String* converted = nullptr;
            switch (arg & 3) {
            case 1: converted = ops::str(vm, value); break;
            case 2: converted = ops::repr(vm, value); break;
            case 3:  // ascii(): repr() with non-ASCII escaped
                converted = ops::repr(vm, value);
                if (converted && !converted->is_ascii) converted = new_string(vm, text::escape_non_ascii(converted->utf8));
                break;
            default: break;
            }
            if ((arg & 3) != 0) {
                if (!converted) goto error;
                value = Value::from_object(converted);
                TOP() = value;
            }
            if (!spec && value.is_object() && value.as_object()->type == vm.types().str) break;
            String* formatted = ops::format(vm, value, spec ? spec : vm.intern(""));
            if (!formatted) goto error;
            TOP() = Value::from_object(formatted);
            break;
        }
        case Opcode::UNPACK_SEQUENCE: {
            Value iterable = TOP();
            if (auto* tuple = as_exact<Tuple>(iterable, vm.types().tuple); tuple && tuple->size() == arg) {
                --sp;
                for (std::size_t i = arg; i > 0; --i) PUSH(tuple->items[i - 1]);
                break;
            }
            std::vector<Value> items;
            RootVector root(vm, items);
            if (!collect_items(vm, iterable, items, false, arg)) goto error;
            if (items.size() > arg) {
                vm.raise_error(Error::too_many_values, arg);
                goto error;
            }
            if (items.size() < arg) {
                vm.raise_error(Error::not_enough_values, arg, items.size());
                goto error;
            }
            --sp;
            for (std::size_t i = arg; i > 0; --i) PUSH(items[i - 1]);
            break;
        }
        case Opcode::UNPACK_EX: {
            const std::uint32_t before = arg & 0xff;
            const std::uint32_t after = (arg >> 8) & 0xff;
            std::vector<Value> items;
            RootVector root(vm, items);
            if (!collect_items(vm, TOP(), items, true, 0)) goto error;
            if (items.size() < before + after) {
                vm.raise_error(Error::not_enough_values_star, before + after, items.size());
                goto error;
            }
            List* middle = new_list(vm, std::span<const Value>(items.data() + before, items.size() - before - after));
            --sp;
            for (std::size_t i = 0; i < after; ++i) PUSH(items[items.size() - 1 - i]);
            PUSH(Value::from_object(middle));
            for (std::size_t i = before; i > 0; --i) PUSH(items[i - 1]);
            break;
        }

        // ---- control flow
        case Opcode::JUMP:
            // A backward jump closes a loop: the place to notice Ctrl-C (runtime/interrupt.hpp).
            if (arg < pc && interrupt_requested) [[unlikely]] {
                interrupt_requested = 0;
                vm.raise(vm.types().keyboard_interrupt);
                goto error;
            }
            pc = arg;
            break;
        case Opcode::POP_JUMP_IF_FALSE:
        case Opcode::POP_JUMP_IF_TRUE: {
            Value v = TOP();
            Truth t = quick_truth(vm, v);
            if (t == Truth::Error) goto error;
            --sp;
            if ((t == Truth::True) == (opcode_of(instruction) == Opcode::POP_JUMP_IF_TRUE)) pc = arg;
            break;
        }
        case Opcode::POP_JUMP_IF_NONE:
            if (POP().is_none()) pc = arg;
            break;
        case Opcode::POP_JUMP_IF_NOT_NONE:
            if (!POP().is_none()) pc = arg;
            break;
        case Opcode::JUMP_IF_FALSE_OR_POP:
        case Opcode::JUMP_IF_TRUE_OR_POP: {
            Truth t = quick_truth(vm, TOP());
            if (t == Truth::Error) goto error;
            if ((t == Truth::True) == (opcode_of(instruction) == Opcode::JUMP_IF_TRUE_OR_POP))
                pc = arg;
            else
                --sp;
            break;
        }
        case Opcode::GET_ITER: {
            Value iterator = ops::iter(vm, TOP());
            if (iterator.is_null()) goto error;
            TOP() = iterator;
            break;
        }
        case Opcode::FOR_ITER: {
            Value iterator = TOP();
            Value item;
            Type* type = iterator.is_object() ? iterator.as_object()->type : nullptr;
            if (type && type->next && !(type->flags & TypeFlagHeap)) {
                item = type->next(vm, iterator);
                if (item.is_null() && vm.has_exception()) {
                    if (!vm.exception_matches(vm.types().stop_iteration)) goto error;
                    vm.clear_exception();
                }
            } else {
                item = ops::next(vm, iterator);
                if (item.is_null() && vm.has_exception()) goto error;
            }
            if (item.is_null()) {
                --sp;
                pc = arg;
            } else {
                PUSH(item);
            }
            break;
        }
        case Opcode::RETURN_VALUE: {
            Value result = POP();
            Frame* finished = frame;
            vm.frames.pop_back();
            if (finished->generator) {
                finished->sp = sp;
                vm.last_run_yielded = false;
                return result;
            }
            const bool was_entry = finished->is_entry;
            release_frame(vm, finished);
            if (was_entry) {
                vm.last_run_yielded = false;
                return result;
            }
            frame = vm.frames.back();
            LOAD_FRAME();
            PUSH(result);
            break;
        }

        // ---- functions, calls, classes
        case Opcode::MAKE_FUNCTION: {
            auto* function_code = static_cast<Code*>(TOP().as_object());
            Function* function = new_function(vm, function_code, frame->globals);
            // The compiler keeps a def's docstring as the first constant (None otherwise).
            if (!function_code->constants.empty()) {
                Value first = function_code->constants[0];
                if (first.is_object() && first.as_object()->type == vm.types().str) function->doc = first;
            }
            Value* below = sp - 1;
            if (arg & 8) function->closure = static_cast<Tuple*>((*--below).as_object());
            if (arg & 4) --below;
            if (arg & 2) function->kwdefaults = static_cast<Dict*>((*--below).as_object());
            if (arg & 1) function->defaults = static_cast<Tuple*>((*--below).as_object());
            sp = below;
            PUSH(Value::from_object(function));
            break;
        }
        case Opcode::CALL:
        case Opcode::CALL_METHOD:
        case Opcode::CALL_KW: {
            const Tuple* kwnames = nullptr;
            std::size_t count = arg;
            if (opcode_of(instruction) == Opcode::CALL_KW) kwnames = static_cast<Tuple*>(POP().as_object());
            Value* args = sp - count;
            Value* callable_slot = args - 1;
            if (opcode_of(instruction) == Opcode::CALL_METHOD) {
                callable_slot = args - 2;
                if (!args[-1].is_null()) {
                    // [method, self, args...]: self becomes the first argument.
                    --args;
                    ++count;
                }
            }
            Value callable = *callable_slot;
            // A bound method of an asy function: put self where the method was and call the
            // function, so the fast path below applies.
            if (callable.is_object() && callable.as_object()->type == vm.types().bound_method &&
                args - 1 == callable_slot) {
                auto* method = static_cast<BoundMethod*>(callable.as_object());
                if (method->function.is_object() && method->function.as_object()->type == vm.types().function) {
                    *callable_slot = method->self;
                    callable = method->function;
                    --args;
                    ++count;
                }
            }
            if (callable.is_object() && callable.as_object()->type == vm.types().function) {
                auto* function = static_cast<Function*>(callable.as_object());
                Code* callee_code = function->code;
                // The fast path: a plain function called with exactly its positional parameters.
                if (callee_code->simple_call && !kwnames && count == static_cast<std::size_t>(callee_code->argcount) &&
                    static_cast<int>(vm.frames.size()) < vm.recursion_limit) {
                    Frame* callee = take_frame(vm, callee_code);
                    callee->function = function;
                    callee->globals = function->globals;
                    callee->builtins = frame->builtins;
                    for (std::size_t i = 0; i < count; ++i) callee->slots[i] = args[i];
                    frame->sp = callable_slot;
                    frame->pc = pc;
                    vm.frames.push_back(callee);
                    frame = callee;
                    LOAD_FRAME();
                    break;
                }
                frame->sp = sp;
                Frame* callee = prepare_call(vm, function, args, count, kwnames);
                if (!callee) goto error;
                if (is_generator_code(function->code)) {
                    Value generator = make_generator(vm, function, callee);
                    if (generator.is_null()) goto error;
                    sp = callable_slot;
                    PUSH(generator);
                    break;
                }
                sp = callable_slot;
                frame->sp = sp;
                frame->pc = pc;
                vm.frames.push_back(callee);
                frame = callee;
                LOAD_FRAME();
                break;
            }
            frame->pc = pc;
            Value result = call_object(vm, callable, args, count, kwnames);
            if (result.is_null()) goto error;
            sp = callable_slot;
            PUSH(result);
            break;
        }
        case Opcode::CALL_FUNCTION_EX: {
            Value kwargs = (arg & 1) ? POP() : Value::null();
            Value positional = POP();
            Value callable = TOP();
            // Keep the popped values rooted while the call runs.
            Root kwargs_root(vm, kwargs);
            Root positional_root(vm, positional);
            std::vector<Value> args;
            RootVector args_root(vm, args);
            if (auto* tuple = as_exact<Tuple>(positional, vm.types().tuple)) {
                args = tuple->items;
            } else if (auto* list = as_exact<List>(positional, vm.types().list)) {
                args = list->items;
            } else {
                // Any iterable works as *args.
                Value iterator = ops::iter(vm, positional);
                if (iterator.is_null()) {
                    if (vm.exception_matches(vm.types().type_error)) {
                        vm.clear_exception();
                        vm.raise_error(Error::star_args_not_iterable, function_str(vm, callable),
                                       ops::type_name(vm, positional));
                    }
                    goto error;
                }
                Root iterator_root(vm, iterator);
                while (true) {
                    Value item = ops::next(vm, iterator);
                    if (item.is_null()) {
                        if (vm.has_exception()) goto error;
                        break;
                    }
                    args.push_back(item);
                }
            }
            Tuple* kwnames = nullptr;
            Root kwnames_root(vm, Value::null());
            if (!kwargs.is_null()) {
                if (!as_instance<Dict>(kwargs, vm.types().dict)) {
                    vm.raise_error(Error::star_kwargs_not_mapping, function_str(vm, callable),
                                   ops::type_name(vm, kwargs));
                    goto error;
                }
                auto* dict = static_cast<Dict*>(kwargs.as_object());
                std::vector<Value> names;
                for (const DictEntry& entry : dict->entries) {
                    if (entry.key.is_null()) continue;
                    if (!entry.key.is_object() || !is_subtype(entry.key.as_object()->type, vm.types().str)) {
                        vm.raise_error(Error::keywords_must_be_strings);
                        goto error;
                    }
                    names.push_back(Value::from_object(
                        vm.intern(static_cast<String*>(entry.key.as_object())->view())));
                    args.push_back(entry.value);
                }
                RootVector names_root(vm, names);
                if (!names.empty()) {
                    kwnames = new_tuple(vm, std::move(names));
                    kwnames_root.set(Value::from_object(kwnames));
                }
            }
            frame->pc = pc;
            frame->sp = sp;
            Value result = call_object(vm, callable, args.data(), args.size(), kwnames);
            if (result.is_null()) goto error;
            TOP() = result;
            break;
        }
        case Opcode::LOAD_BUILD_CLASS: {
            Value v = load_builtin(vm, vm.intern("__build_class__"));
            if (v.is_null()) {
                vm.raise(vm.types().name_error, "__build_class__ not found");
                goto error;
            }
            PUSH(v);
            break;
        }
        case Opcode::LOAD_LOCALS: PUSH(Value::from_object(frame->locals)); break;

        // ---- exceptions
        case Opcode::RAISE_VARARGS: {
            if (arg == 0) {
                if (vm.handled_exception.is_none() || vm.handled_exception.is_null()) {
                    vm.raise_error(Error::no_active_exception);
                    goto error;
                }
                vm.restore_exception(vm.handled_exception);
                reraise = true;
                goto exception_unwind;
            }
            Value cause = arg == 2 ? POP() : Value::null();
            Value raised = POP();
            Root cause_root(vm, cause);
            Value exception = exception_instance(vm, raised);
            if (exception.is_null()) goto error;
            if (!cause.is_null()) {
                Root exception_root(vm, exception);
                if (cause.is_none()) {
                    as_exception(exception)->cause = Value::none();
                } else {
                    Value cause_exception = exception_instance(vm, cause);
                    if (cause_exception.is_null()) {
                        if (vm.exception_matches(vm.types().type_error)) {
                            vm.clear_exception();
                            vm.raise_error(Error::cause_must_derive);
                        }
                        goto error;
                    }
                    as_exception(exception)->cause = cause_exception;
                }
                as_exception(exception)->suppress_context = true;
            }
            set_pending_exception(vm, exception);
            goto error;
        }
        case Opcode::RERAISE: {
            Value exception = POP();
            if (arg) {
                Value lasti = POP();
                if (lasti.is_small_int()) frame->current = static_cast<std::uint32_t>(lasti.as_small_int());
            }
            // Re-raising keeps the exception's traceback and context as they are.
            vm.restore_exception(exception);
            reraise = true;
            goto exception_unwind;
        }
        case Opcode::PUSH_EXC_INFO: {
            Value exception = TOP();
            TOP() = vm.handled_exception;
            PUSH(exception);
            vm.handled_exception = exception;
            break;
        }
        case Opcode::POP_EXCEPT: vm.handled_exception = POP(); break;
        case Opcode::CHECK_EXC_MATCH: {
            Value matcher = TOP();
            if (!valid_exception_matcher(vm, matcher)) {
                vm.raise_error(Error::catching_non_exception);
                goto error;
            }
            Truth t = ops::isinstance(vm, PEEK(2), matcher);
            if (t == Truth::Error) goto error;
            TOP() = Value::from_bool(t == Truth::True);
            break;
        }
        case Opcode::CHECK_EG_MATCH: {
            Value matcher = TOP();
            if (!valid_exception_matcher(vm, matcher)) {
                vm.raise_error(Error::catching_non_exception);
                goto error;
            }
            Value rest = Value::none();
            Value match = exception_group_match(vm, PEEK(2), matcher, rest);
            if (match.is_null()) goto error;
            PEEK(2) = rest;
            TOP() = match;
            if (!match.is_none()) vm.handled_exception = match;
            break;
        }
        case Opcode::PREP_RERAISE_STAR: {
            Value list = TOP();
            Value result = exception_group_prep_reraise(vm, PEEK(2), list);
            if (result.is_null()) goto error;
            --sp;
            TOP() = result;
            break;
        }
        case Opcode::LOAD_ASSERTION_ERROR: PUSH(Value::from_object(vm.types().assertion_error)); break;
        case Opcode::BEFORE_WITH: {
            Value exit;
            Value result = enter_context(vm, TOP(), false, exit);
            if (result.is_null()) goto error;
            TOP() = exit;
            PUSH(result);
            break;
        }
        case Opcode::WITH_EXCEPT_START: {
            Value exception = TOP();
            Value exit = PEEK(4);
            auto* object = as_exception(exception);
            Value args[3] = {Value::from_object(object->type), exception,
                             object->traceback ? Value::from_object(object->traceback) : Value::none()};
            frame->pc = pc;
            Value result = vm.call(exit, std::span<const Value>(args, 3));
            if (result.is_null()) goto error;
            PUSH(result);
            break;
        }

        // ---- generators and coroutines
        case Opcode::YIELD_VALUE: {
            Value value = POP();
            frame->sp = sp;
            frame->pc = pc;
            frame->current = pc - 1;
            vm.frames.pop_back();
            vm.last_run_yielded = true;
            return value;
        }
        case Opcode::GET_YIELD_FROM_ITER: {
            Value v = TOP();
            if (v.is_object() && (v.as_object()->type == vm.types().generator)) break;
            if (v.is_object() && v.as_object()->type == vm.types().coroutine) {
                // `yield from coroutine` is only allowed in coroutine-like generators.
                vm.raise(vm.types().type_error,
                         "cannot 'yield from' a coroutine object in a non-coroutine generator");
                goto error;
            }
            Value iterator = ops::iter(vm, v);
            if (iterator.is_null()) goto error;
            TOP() = iterator;
            break;
        }
        case Opcode::SEND: {
            Value receiver = PEEK(2);
            Value value = TOP();
            Value result;
            frame->pc = pc;
            if (receiver.is_object() && (receiver.as_object()->type == vm.types().generator ||
                                         receiver.as_object()->type == vm.types().coroutine)) {
                auto* generator = static_cast<Generator*>(receiver.as_object());
                ResumeResult outcome = resume_generator(vm, generator, value, Value::null(), result);
                if (outcome == ResumeResult::Raised) goto error;
                if (outcome == ResumeResult::Returned) {
                    --sp;
                    TOP() = result;
                    pc = arg;
                    break;
                }
                TOP() = result;
                break;
            }
            if (value.is_none()) {
                Type* type = type_of(vm, receiver);
                if (!type->next) {
                    result = ops::next(vm, receiver);
                } else {
                    result = type->next(vm, receiver);
                }
            } else {
                Value argument[1] = {value};
                result = vm.call_method(receiver, vm.names().send, std::span<const Value>(argument, 1));
            }
            if (result.is_null()) {
                Value returned = Value::none();
                if (vm.has_exception()) {
                    if (!vm.exception_matches(vm.types().stop_iteration)) goto error;
                    returned = stop_iteration_value(vm, vm.exception());
                    vm.clear_exception();
                }
                --sp;
                TOP() = returned;
                pc = arg;
                break;
            }
            TOP() = result;
            break;
        }
        case Opcode::GET_AWAITABLE: {
            Value v = TOP();
            if (v.is_object() && v.as_object()->type == vm.types().coroutine) {
                auto* coroutine = static_cast<Generator*>(v.as_object());
                if (coroutine->state == GeneratorState::Finished || coroutine->started) {
                    vm.raise_error(Error::reused_coroutine);
                    goto error;
                }
                break;
            }
            bool found = false;
            Value iterator = call_dunder(vm, v, vm.names().await, {}, found);
            if (!found) {
                if (arg == 1 || arg == 2) {
                    vm.raise_format(vm.types().type_error,
                                    "'async with' received an object from {} that does not implement __await__: {}",
                                    arg == 1 ? "__aenter__" : "__aexit__", ops::type_name(vm, v));
                } else {
                    vm.raise_format(vm.types().type_error, "object {} can't be used in 'await' expression",
                                    ops::type_name(vm, v));
                }
                goto error;
            }
            if (iterator.is_null()) goto error;
            if (iterator.is_object() && iterator.as_object()->type == vm.types().coroutine) {
                vm.raise(vm.types().type_error, "__await__() returned a coroutine");
                goto error;
            }
            if (!type_of(vm, iterator)->next && !(type_of(vm, iterator)->flags & TypeFlagHeap)) {
                vm.raise_format(vm.types().type_error, "__await__() returned non-iterator of type '{}'",
                                ops::type_name(vm, iterator));
                goto error;
            }
            TOP() = iterator;
            break;
        }
        case Opcode::GET_AITER: {
            Value v = TOP();
            bool found = false;
            Value iterator = call_dunder(vm, v, vm.names().aiter, {}, found);
            if (!found) {
                vm.raise_format(vm.types().type_error,
                                "'async for' requires an object with __aiter__ method, got {}",
                                ops::type_name(vm, v));
                goto error;
            }
            if (iterator.is_null()) goto error;
            TOP() = iterator;
            break;
        }
        case Opcode::GET_ANEXT: {
            Value v = TOP();
            bool found = false;
            Value awaitable = call_dunder(vm, v, vm.names().anext, {}, found);
            if (!found) {
                vm.raise_format(vm.types().type_error,
                                "'async for' requires an iterator with __anext__ method, got {}",
                                ops::type_name(vm, v));
                goto error;
            }
            if (awaitable.is_null()) goto error;
            // The awaitable's iterator, as GET_AWAITABLE would make it.
            if (!(awaitable.is_object() && awaitable.as_object()->type == vm.types().coroutine)) {
                Root root(vm, awaitable);
                Value iterator = call_dunder(vm, awaitable, vm.names().await, {}, found);
                if (!found) {
                    vm.raise_format(vm.types().type_error,
                                    "'async for' received an invalid object from __anext__: {}",
                                    ops::type_name(vm, awaitable));
                    goto error;
                }
                if (iterator.is_null()) goto error;
                awaitable = iterator;
            }
            PUSH(awaitable);
            break;
        }
        case Opcode::END_ASYNC_FOR: {
            Value exception = TOP();
            if (is_subtype(exception.as_object()->type, vm.types().stop_async_iteration)) {
                sp -= 2;
                // The exception was being handled (PUSH_EXC_INFO is not used by async for).
                break;
            }
            vm.restore_exception(exception);
            reraise = true;
            goto exception_unwind;
        }
        case Opcode::BEFORE_ASYNC_WITH: {
            Value exit;
            Value result = enter_context(vm, TOP(), true, exit);
            if (result.is_null()) goto error;
            TOP() = exit;
            PUSH(result);
            break;
        }
        case Opcode::ASYNC_GEN_WRAP: {
            Value wrapped = async_gen_wrap(vm, TOP());
            if (wrapped.is_null()) goto error;
            TOP() = wrapped;
            break;
        }

        // ---- modules
        case Opcode::IMPORT_NAME: {
            Value fromlist = TOP();
            Value level = PEEK(2);
            frame->pc = pc;
            Value module = import_name(vm, NAME(arg), fromlist, level, frame);
            if (module.is_null()) goto error;
            --sp;
            TOP() = module;
            break;
        }
        case Opcode::IMPORT_FROM: {
            Value v = import_from(vm, TOP(), NAME(arg));
            if (v.is_null()) goto error;
            PUSH(v);
            break;
        }
        case Opcode::IMPORT_STAR: {
            if (!import_star(vm, TOP(), frame->locals ? frame->locals : frame->globals)) goto error;
            --sp;
            break;
        }

        // ---- interactive
        case Opcode::PRINT_EXPR: {
            Value v = TOP();
            if (!v.is_none()) {
                String* text = ops::repr(vm, v);
                if (!text) goto error;
                std::cout << text->utf8 << '\n';
                dict_set_str(vm, vm.builtins(), vm.intern("_"), v);
            }
            --sp;
            break;
        }
        }
    }

error:
        // An instruction raised: record where, then find a handler.
        frame->current = pc - 1;
        if (!reraise) add_traceback(vm, vm.exception(), frame, pc - 1);
exception_unwind:
        reraise = false;
        while (true) {
            const ExceptionTableEntry* handler = find_handler(code, pc - 1);
            if (handler) {
                sp = frame->stack_base() + handler->stack_depth;
                if (handler->push_lasti) PUSH(Value::from_small_int(pc - 1));
                PUSH(vm.take_exception());
                pc = handler->target;
                goto dispatch;
            }
            // No handler here: the frame is finished and the exception moves to the caller.
            Frame* finished = frame;
            vm.frames.pop_back();
            if (finished->generator) {
                finished->sp = sp;
                vm.last_run_yielded = false;
                return Value::null();
            }
            const bool was_entry = finished->is_entry;
            release_frame(vm, finished);
            if (was_entry) {
                vm.last_run_yielded = false;
                return Value::null();
            }
            frame = vm.frames.back();
            LOAD_FRAME();
            // The caller's call instruction is where the exception surfaces in this frame.
            frame->current = pc - 1;
            add_traceback(vm, vm.exception(), frame, pc - 1);
        }
#undef LOAD_FRAME
#undef PUSH
#undef POP
#undef TOP
#undef PEEK
#undef NAME
}

}  // namespace asy
