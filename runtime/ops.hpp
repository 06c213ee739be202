// The abstract object layer (CPython's Objects/abstract.c): every generic operation on
// Values — repr, hash, comparison, attributes, items, iteration, arithmetic — dispatched
// through type slots, with Python's fallback rules (reflected operands, NotImplemented,
// __len__ for truth...). The dispatch loop and all native code use these instead of calling
// slots directly. Implemented in runtime/ops.cpp (runtime lead).
//
// Error convention (vm.hpp): nullptr / null Value / -1 / false means an exception is pending.
#pragma once

#include "runtime/object.hpp"

#include <cstdint>
#include <string>

namespace asy {

// Tri-state result of predicates that can raise: compare with ==, or test `== Truth::Error`.
enum class Truth : std::int8_t { False = 0, True = 1, Error = -1 };

namespace ops {

// repr(value) / str(value) / ascii(value): a String, or nullptr after raising.
String* repr(VM& vm, Value value);
String* str(VM& vm, Value value);
// The default repr of objects: "<__main__.A object at 0x7f...>".
String* default_repr(VM& vm, Value value);
// The name of the value's class, as messages use it ("int", "A").
std::string type_name(VM& vm, Value value);

// hash(value): true and `out` set, or false after raising ("unhashable type: 'list'").
bool hash(VM& vm, Value value, std::int64_t& out);
// The hash slot of mutable types (list, dict, set...): always raises "unhashable type: 'list'".
// A type whose hash slot is null hashes by identity, like object, so mutable types must set this.
bool hash_unhashable(VM& vm, Value self, std::int64_t& out);

// a == b (with `is` first, as containers do), with Python's reflected-operand rules.
Truth equals(VM& vm, Value a, Value b);
// a <op> b as a Value (rich comparison may return anything): the result, or null after raising.
Value compare(VM& vm, Value a, Value b, CompareOp op);
// a <op> b reduced to a truth value (for sorting, min/max...).
Truth compare_bool(VM& vm, Value a, Value b, CompareOp op);

// bool(value).
Truth truthy(VM& vm, Value value);

// getattr(obj, name) with an interned name: the value, or null after raising AttributeError.
Value getattr(VM& vm, Value object, String* name);
// Like getattr, but returns null WITHOUT an exception when the attribute does not exist (only
// other errors are raised); for hasattr and optional protocol lookups.
Value getattr_optional(VM& vm, Value object, String* name);
// setattr(obj, name, value): false after raising.
bool setattr(VM& vm, Value object, String* name, Value value);
// delattr(obj, name): false after raising.
bool delattr(VM& vm, Value object, String* name);
// The standard attribute lookup of object.__getattribute__: data descriptors on the type,
// then the instance dict, then other class attributes (functions become bound methods).
Value generic_getattr(VM& vm, Value object, String* name);
// object.__getattribute__ proper: never calls a user __getattr__.
Value generic_getattr_nohook(VM& vm, Value object, String* name);
// object.__setattr__ / __delattr__ (value null): data descriptors, then the instance dict.
bool generic_setattr(VM& vm, Value object, String* name, Value value);

// obj[key], obj[key] = value, del obj[key].
Value getitem(VM& vm, Value object, Value key);
bool setitem(VM& vm, Value object, Value key, Value value);
bool delitem(VM& vm, Value object, Value key);

// iter(value): an iterator, or null after raising "'int' object is not iterable".
Value iter(VM& vm, Value value);
// next(iterator): the item; null with NO exception pending when exhausted; null with an
// exception pending after an error (a StopIteration raised by Python code counts as exhaustion
// and is cleared).
Value next(VM& vm, Value iterator);

// len(value): the length, or -1 after raising.
std::int64_t len(VM& vm, Value value);
// `item in container`.
Truth contains(VM& vm, Value container, Value item);

// a <op> b for any BinaryOp, in-place forms included (`+=` tries __iadd__ first): the result,
// or null after raising "unsupported operand type(s) for +: 'int' and 'str'".
Value binary_op(VM& vm, BinaryOp op, Value a, Value b);
// -x, +x, ~x.
Value unary_op(VM& vm, UnaryOp op, Value value);
// The operator's symbol in messages: "+", "//", "+=", "** or pow()"...
const char* binary_op_symbol(BinaryOp op);

// format(value, spec): a String, or nullptr after raising.
String* format(VM& vm, Value value, String* spec);

// isinstance(value, cls) / issubclass(cls, base), where the class argument may be a tuple of
// classes. TypeError "isinstance() arg 2 must be a type, a tuple of types, or a union".
Truth isinstance(VM& vm, Value value, Value cls);
Truth issubclass(VM& vm, Value cls, Value base);

// The exception instance's str(): "" for no args, str(args[0]) for one, str(args) for more.
String* exception_str(VM& vm, Value exception);

}  // namespace ops
}  // namespace asy
