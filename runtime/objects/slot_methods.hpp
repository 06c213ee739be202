// Dunder methods (__repr__, __eq__, __add__, __iter__, ...) for a builtin container type,
// made from its C++ slots. The slots do the work for the interpreter; these methods make the
// same operations reachable by name, which Python code needs for `super().__repr__()` in a
// subclass of dict, `list.__add__(a, b)`, or `dict.__eq__(a, b)`.
// Each method knows its builtin type through the template argument, so calling
// `dict.__repr__(a_dict_subclass_instance)` runs dict's own repr, never the subclass's.
#pragma once

#include "runtime/objects/container_util.hpp"
#include "runtime/objects/int.hpp"
#include "runtime/objects/str.hpp"
#include "runtime/vm.hpp"

namespace asy::slot_methods {

// The builtin type a method belongs to, e.g. &BuiltinTypes::dict.
using TypeField = Type* BuiltinTypes::*;

// self, checked to be an instance of the builtin type; null after raising.
template <TypeField Field>
Value checked_self(VM& vm, CallArgs args, std::size_t arity, std::string_view name) {
    Type* type = vm.types().*Field;
    if (args.positional_count() == 0) {
        return vm.raise_error(Error::descriptor_needs_argument, std::string(type_name_of(type)) + "." + std::string(name));
    }
    if (!is_subtype(type_of(vm, args[0]), type))
        return vm.raise_error(Error::descriptor_doesnt_apply, name, type_name_of(type), ops::type_name(vm, args[0]));
    if (args.count != arity + 1 || args.keyword_count() > 0)
        return vm.raise_format(vm.types().type_error, "expected {} argument{}, got {}", arity, arity == 1 ? "" : "s",
                               args.count - 1);
    return args[0];
}

template <TypeField Field>
Value repr_method(VM& vm, CallArgs args) {
    if (checked_self<Field>(vm, args, 0, "__repr__").is_null()) return Value::null();
    String* text = (vm.types().*Field)->repr(vm, args[0]);
    return text ? Value::from_object(text) : Value::null();
}

template <TypeField Field>
Value hash_method(VM& vm, CallArgs args) {
    if (checked_self<Field>(vm, args, 0, "__hash__").is_null()) return Value::null();
    std::int64_t hash = 0;
    if (!(vm.types().*Field)->hash(vm, args[0], hash)) return Value::null();
    return int_from_int64(vm, hash);
}

template <TypeField Field>
Value iter_method(VM& vm, CallArgs args) {
    if (checked_self<Field>(vm, args, 0, "__iter__").is_null()) return Value::null();
    return (vm.types().*Field)->iter(vm, args[0]);
}

template <TypeField Field, CompareOp Op>
Value compare_method(VM& vm, CallArgs args) {
    static constexpr const char* names[] = {"__lt__", "__le__", "__eq__", "__ne__", "__gt__", "__ge__"};
    if (checked_self<Field>(vm, args, 1, names[static_cast<int>(Op)]).is_null()) return Value::null();
    return (vm.types().*Field)->compare(vm, args[0], args[1], Op);
}

// `self op other` (reflected: `other op self`, for __rmul__ and friends) through the binary
// slot, or through the in-place slot for __iadd__ and friends.
template <TypeField Field, BinaryOp Op, bool Reflected, bool Inplace>
Value binary_method(VM& vm, CallArgs args) {
    if (checked_self<Field>(vm, args, 1, "operator").is_null()) return Value::null();
    Type* type = vm.types().*Field;
    if (Inplace) return type->inplace(vm, Op, args[0], args[1]);
    return Reflected ? type->binary(vm, Op, args[1], args[0]) : type->binary(vm, Op, args[0], args[1]);
}

// Defines the dunder methods of every slot the type has.
template <TypeField Field>
void define_all(VM& vm) {
    Type* type = vm.types().*Field;
    if (type->repr) define_method(vm, type, "__repr__", repr_method<Field>);
    if (type->hash) define_method(vm, type, "__hash__", hash_method<Field>);
    if (type->iter) define_method(vm, type, "__iter__", iter_method<Field>);
    if (type->compare) {
        define_method(vm, type, "__lt__", compare_method<Field, CompareOp::Lt>);
        define_method(vm, type, "__le__", compare_method<Field, CompareOp::Le>);
        define_method(vm, type, "__eq__", compare_method<Field, CompareOp::Eq>);
        define_method(vm, type, "__ne__", compare_method<Field, CompareOp::Ne>);
        define_method(vm, type, "__gt__", compare_method<Field, CompareOp::Gt>);
        define_method(vm, type, "__ge__", compare_method<Field, CompareOp::Ge>);
    }
    if (type->binary) {
        define_method(vm, type, "__add__", binary_method<Field, BinaryOp::Add, false, false>);
        define_method(vm, type, "__mul__", binary_method<Field, BinaryOp::Multiply, false, false>);
        define_method(vm, type, "__rmul__", binary_method<Field, BinaryOp::Multiply, true, false>);
        define_method(vm, type, "__or__", binary_method<Field, BinaryOp::Or, false, false>);
        define_method(vm, type, "__and__", binary_method<Field, BinaryOp::And, false, false>);
        define_method(vm, type, "__sub__", binary_method<Field, BinaryOp::Subtract, false, false>);
        define_method(vm, type, "__xor__", binary_method<Field, BinaryOp::Xor, false, false>);
    }
    if (type->inplace) {
        define_method(vm, type, "__iadd__", binary_method<Field, BinaryOp::Add, false, true>);
        define_method(vm, type, "__imul__", binary_method<Field, BinaryOp::Multiply, false, true>);
        define_method(vm, type, "__ior__", binary_method<Field, BinaryOp::Or, false, true>);
        define_method(vm, type, "__iand__", binary_method<Field, BinaryOp::And, false, true>);
        define_method(vm, type, "__isub__", binary_method<Field, BinaryOp::Subtract, false, true>);
        define_method(vm, type, "__ixor__", binary_method<Field, BinaryOp::Xor, false, true>);
    }
}

}  // namespace asy::slot_methods
