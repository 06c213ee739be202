// Python-visible dunder methods (__add__, __eq__, __len__...) for builtin types whose
// behaviour lives in C++ slots: each method calls the type's slot, so (5).__add__(3),
// str.__len__("abc") and int.__lt__(1, 2) work as in CPython. A binary slot's
// NotImplemented is returned as is, which is what a dunder method returns too.
#include "runtime/objects/numbers.hpp"
#include "runtime/objects/str.hpp"
#include "runtime/objects/container_util.hpp"
#include "runtime/ops.hpp"
#include "runtime/vm.hpp"

#include <cmath>

namespace asy {

namespace {

// The slots of the method's own type (args[0] is self), or nullptr after raising.
Type* self_type(VM& vm, CallArgs args, std::size_t count, std::string_view name) {
    if (!check_no_keywords(vm, args, name) || !check_positional(vm, args, name, count, count)) return nullptr;
    return type_of(vm, args[0]);
}

template <BinaryOp op, bool reflected>
Value dunder_binary(VM& vm, CallArgs args) {
    Type* type = self_type(vm, args, 2, "binary operator");
    if (!type) return Value::null();
    if (!type->binary) return vm.not_implemented();
    return reflected ? type->binary(vm, op, args[1], args[0]) : type->binary(vm, op, args[0], args[1]);
}

template <CompareOp op>
Value dunder_compare(VM& vm, CallArgs args) {
    Type* type = self_type(vm, args, 2, "comparison");
    if (!type) return Value::null();
    if (!type->compare) return vm.not_implemented();
    return type->compare(vm, args[0], args[1], op);
}

template <UnaryOp op>
Value dunder_unary(VM& vm, CallArgs args) {
    Type* type = self_type(vm, args, 1, "unary operator");
    if (!type) return Value::null();
    if (!type->unary) return vm.not_implemented();
    return type->unary(vm, op, args[0]);
}

// abs() of an int, bool or float.
Value dunder_abs(VM& vm, CallArgs args) {
    if (!self_type(vm, args, 1, "__abs__")) return Value::null();
    if (args[0].is_double()) return Value::from_double(std::fabs(args[0].as_double()));
    if (!is_int(vm, args[0])) return vm.not_implemented();
    return int_from_big(vm, int_to_big(args[0]).absolute());
}

Value dunder_hash(VM& vm, CallArgs args) {
    if (!self_type(vm, args, 1, "__hash__")) return Value::null();
    std::int64_t h = 0;
    if (!ops::hash(vm, args[0], h)) return Value::null();
    return int_from_int64(vm, h);
}

Value dunder_repr(VM& vm, CallArgs args) {
    if (!self_type(vm, args, 1, "__repr__")) return Value::null();
    String* s = ops::repr(vm, args[0]);
    return s ? Value::from_object(s) : Value::null();
}

Value dunder_str(VM& vm, CallArgs args) {
    if (!self_type(vm, args, 1, "__str__")) return Value::null();
    String* s = ops::str(vm, args[0]);
    return s ? Value::from_object(s) : Value::null();
}

Value dunder_bool(VM& vm, CallArgs args) {
    if (!self_type(vm, args, 1, "__bool__")) return Value::null();
    Truth t = ops::truthy(vm, args[0]);
    if (t == Truth::Error) return Value::null();
    return Value::from_bool(t == Truth::True);
}

Value dunder_len(VM& vm, CallArgs args) {
    if (!self_type(vm, args, 1, "__len__")) return Value::null();
    std::int64_t n = ops::len(vm, args[0]);
    return n < 0 ? Value::null() : int_from_int64(vm, n);
}

Value dunder_getitem(VM& vm, CallArgs args) {
    if (!self_type(vm, args, 2, "__getitem__")) return Value::null();
    return ops::getitem(vm, args[0], args[1]);
}

Value dunder_contains(VM& vm, CallArgs args) {
    if (!self_type(vm, args, 2, "__contains__")) return Value::null();
    Truth t = ops::contains(vm, args[0], args[1]);
    if (t == Truth::Error) return Value::null();
    return Value::from_bool(t == Truth::True);
}

Value dunder_iter(VM& vm, CallArgs args) {
    if (!self_type(vm, args, 1, "__iter__")) return Value::null();
    return ops::iter(vm, args[0]);
}

struct DunderMethod {
    const char* name;
    NativeFunction function;
};

// Operators, by the BinaryOp they stand for.
constexpr DunderMethod binary_methods[] = {
    {"__add__", dunder_binary<BinaryOp::Add, false>},
    {"__radd__", dunder_binary<BinaryOp::Add, true>},
    {"__sub__", dunder_binary<BinaryOp::Subtract, false>},
    {"__rsub__", dunder_binary<BinaryOp::Subtract, true>},
    {"__mul__", dunder_binary<BinaryOp::Multiply, false>},
    {"__rmul__", dunder_binary<BinaryOp::Multiply, true>},
    {"__truediv__", dunder_binary<BinaryOp::TrueDivide, false>},
    {"__rtruediv__", dunder_binary<BinaryOp::TrueDivide, true>},
    {"__floordiv__", dunder_binary<BinaryOp::FloorDivide, false>},
    {"__rfloordiv__", dunder_binary<BinaryOp::FloorDivide, true>},
    {"__mod__", dunder_binary<BinaryOp::Remainder, false>},
    {"__rmod__", dunder_binary<BinaryOp::Remainder, true>},
    {"__pow__", dunder_binary<BinaryOp::Power, false>},
    {"__rpow__", dunder_binary<BinaryOp::Power, true>},
};

constexpr DunderMethod integer_methods[] = {
    {"__lshift__", dunder_binary<BinaryOp::LShift, false>},
    {"__rlshift__", dunder_binary<BinaryOp::LShift, true>},
    {"__rshift__", dunder_binary<BinaryOp::RShift, false>},
    {"__rrshift__", dunder_binary<BinaryOp::RShift, true>},
    {"__and__", dunder_binary<BinaryOp::And, false>},
    {"__rand__", dunder_binary<BinaryOp::And, true>},
    {"__or__", dunder_binary<BinaryOp::Or, false>},
    {"__ror__", dunder_binary<BinaryOp::Or, true>},
    {"__xor__", dunder_binary<BinaryOp::Xor, false>},
    {"__rxor__", dunder_binary<BinaryOp::Xor, true>},
    {"__invert__", dunder_unary<UnaryOp::Invert>},
};

constexpr DunderMethod common_methods[] = {
    {"__eq__", dunder_compare<CompareOp::Eq>},
    {"__ne__", dunder_compare<CompareOp::Ne>},
    {"__lt__", dunder_compare<CompareOp::Lt>},
    {"__le__", dunder_compare<CompareOp::Le>},
    {"__gt__", dunder_compare<CompareOp::Gt>},
    {"__ge__", dunder_compare<CompareOp::Ge>},
    {"__hash__", dunder_hash},
    {"__repr__", dunder_repr},
    {"__str__", dunder_str},
};

constexpr DunderMethod number_methods[] = {
    {"__neg__", dunder_unary<UnaryOp::Negative>},
    {"__pos__", dunder_unary<UnaryOp::Positive>},
    {"__bool__", dunder_bool},
    {"__abs__", dunder_abs},
};

constexpr DunderMethod sequence_methods[] = {
    {"__len__", dunder_len},
    {"__getitem__", dunder_getitem},
    {"__contains__", dunder_contains},
    {"__iter__", dunder_iter},
};

template <std::size_t N>
void define_all(VM& vm, Type* type, const DunderMethod (&methods)[N]) {
    for (const DunderMethod& method : methods) define_method(vm, type, method.name, method.function);
}

}  // namespace

void define_number_dunders(VM& vm, Type* type, bool integer) {
    define_all(vm, type, common_methods);
    define_all(vm, type, binary_methods);
    define_all(vm, type, number_methods);
    if (integer) define_all(vm, type, integer_methods);
}

void define_sequence_dunders(VM& vm, Type* type) {
    define_all(vm, type, common_methods);
    define_all(vm, type, sequence_methods);
    // + and * (concatenation and repetition) and % (formatting) go through the binary slot.
    define_method(vm, type, "__add__", dunder_binary<BinaryOp::Add, false>);
    define_method(vm, type, "__mul__", dunder_binary<BinaryOp::Multiply, false>);
    define_method(vm, type, "__rmul__", dunder_binary<BinaryOp::Multiply, true>);
    define_method(vm, type, "__mod__", dunder_binary<BinaryOp::Remainder, false>);
}

}  // namespace asy
