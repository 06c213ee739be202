// The object model: the header every heap object starts with, and Type, the object that
// describes a kind of object. Types carry C++ "slots" for the hot protocol operations
// (repr, hash, compare, call, iter, arithmetic...), the way CPython's PyTypeObject does; the
// abstract operations in ops.hpp dispatch through them. Methods live in the type's dict as
// native function objects, so Python code sees them as attributes.
//
// How a builtin type is written (see objects/list.hpp for the shape):
//   1. A struct deriving from Object with its fields, e.g. `struct List : Object { ... }`.
//   2. An init function (called once by the VM at start-up, see builtin_init.hpp) that fills
//      the slots of the Type the VM has already created (vm.types().list), and puts methods
//      in its dict with define_method (vm.hpp).
//   3. A trace slot that marks every Value / Object* the struct holds, and a finalize slot
//      (usually `finalize_object<List>`) that runs the C++ destructor.
// User classes (class statements) get generic slots that look dunder methods up through the
// MRO, so `__eq__`, `__len__`, `__add__`, `__radd__`... work for them through the same ops.
#pragma once

#include "compiler/code.hpp"
#include "runtime/value.hpp"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace asy {

class VM;
class Heap;
struct Type;
struct String;
struct Dict;
struct Tuple;
struct CallArgs;

// ---------------------------------------------------------------- the object header

// Every heap object starts with this header (24 bytes). Objects are created only through
// Heap::allocate (heap.hpp), which fills in the header.
struct Object {
    // The object's class. Never null once allocated.
    Type* type = nullptr;
    // The heap's list of all objects, newest first, walked by the sweep phase.
    Object* gc_next = nullptr;
    // Bytes this object was allocated with, so the heap can keep its byte count exact.
    std::uint32_t gc_size = 0;
    // Set by the mark phase when the object is reachable; cleared again by the sweep.
    bool gc_marked = false;
};

// ---------------------------------------------------------------- marking

// The collector's marking interface, handed to every trace slot. Marking only pushes the
// object on a grey stack; it never recurses, so a long linked list cannot overflow the C++ stack.
class Tracer {
public:
    explicit Tracer(Heap& heap) : m_heap(heap) {}
    // Marks the object a Value points to (inline values need nothing).
    void mark(Value value) {
        if (value.is_object()) mark(value.as_object());
    }
    // Marks an object (null is allowed and ignored). Defined in heap.cpp.
    void mark(const Object* object);
    // Marks every Value of a range.
    void mark(const std::vector<Value>& values) {
        for (Value value : values) mark(value);
    }

private:
    Heap& m_heap;
};

// ---------------------------------------------------------------- slots

// Operators without a bytecode of their own in BINARY_OP: the unary ones.
enum class UnaryOp : std::uint8_t { Negative, Positive, Invert };

// Error convention for every slot: a slot that raises sets the VM's pending exception
// (vm.raise...) and returns the failure value named in its comment (null Value, nullptr, -1
// or false). Slots never throw C++ exceptions.

// repr(self) / str(self): a new String, or nullptr after raising.
using ReprSlot = String* (*)(VM& vm, Value self);
// hash(self): true and `out` set, or false after raising (e.g. "unhashable type: 'list'").
using HashSlot = bool (*)(VM& vm, Value self, std::int64_t& out);
// self <op> other: a result (usually a bool Value), vm.not_implemented() when this type cannot
// compare with `other`, or null after raising. ops::compare tries the reflected operation.
using CompareSlot = Value (*)(VM& vm, Value self, Value other, CompareOp op);
// getattr(self, name): the attribute, or null after raising AttributeError (or anything).
using GetAttrSlot = Value (*)(VM& vm, Value self, String* name);
// setattr(self, name, value), or delattr when `value` is null: true, or false after raising.
using SetAttrSlot = bool (*)(VM& vm, Value self, String* name, Value value);
// self(*args): the result, or null after raising.
using CallSlot = Value (*)(VM& vm, Value self, CallArgs args);
// iter(self), or any other one-argument operation returning a Value: the result, or null after raising.
using UnarySlot = Value (*)(VM& vm, Value self);
// next(self): the next item; null with NO exception pending when exhausted (do not raise
// StopIteration); null with an exception pending after an error.
using NextSlot = Value (*)(VM& vm, Value self);
// len(self): a count >= 0, or -1 after raising.
using LengthSlot = std::int64_t (*)(VM& vm, Value self);
// bool(self): 1 true, 0 false, -1 after raising.
using BoolSlot = int (*)(VM& vm, Value self);
// self[key]: the item, or null after raising.
using GetItemSlot = Value (*)(VM& vm, Value self, Value key);
// self[key] = value, or `del self[key]` when value is null: true, or false after raising.
using SetItemSlot = bool (*)(VM& vm, Value self, Value key, Value value);
// `item in self`: 1, 0, or -1 after raising.
using ContainsSlot = int (*)(VM& vm, Value self, Value item);
// `left op right` for a non-in-place BinaryOp (Add ... Xor). As in CPython's number slots,
// the same slot is called for both operands' types with the operands in their original order,
// so it must check which side is its own type. Returns vm.not_implemented() to let the other
// operand try, or null after raising.
using BinarySlot = Value (*)(VM& vm, BinaryOp op, Value left, Value right);
// -self, +self, ~self: the result, vm.not_implemented() if unsupported, or null after raising.
using UnaryOpSlot = Value (*)(VM& vm, UnaryOp op, Value self);
// format(self, spec): a new String, or nullptr after raising.
using FormatSlot = String* (*)(VM& vm, Value self, String* spec);
// Marks everything the object references (GC). Null for objects that hold no references.
using TraceSlot = void (*)(Object* self, Tracer& tracer);
// Runs the C++ destructor of the object's struct, freeing memory the struct owns (vectors,
// mpz_t...). The heap frees the object's own bytes afterwards. Must not touch other objects.
// Every struct with a non-trivial destructor (any std::vector/std::string member) needs one.
using FinalizeSlot = void (*)(Object* self);

// The usual finalize slot: run the destructor of the struct T.
template <class T>
void finalize_object(Object* self) {
    static_cast<T*>(self)->~T();
}

// ---------------------------------------------------------------- Type

// TypeFlags bits.
enum TypeFlag : std::uint32_t {
    // A class created by a class statement (its slots are the generic dunder-lookup ones).
    TypeFlagHeap = 1u << 0,
    // Python code may subclass it (`class A(list)` is an error otherwise:
    // "type 'bool' is not an acceptable base type").
    TypeFlagBaseType = 1u << 1,
    // Instances are exceptions (BaseException or a subclass).
    TypeFlagException = 1u << 2,
};

// How the instances of a type are laid out in memory, inherited by subclasses. A class may
// only derive from bases of one layout (CPython's "instance lay-out conflict").
enum class InstanceLayout : std::uint8_t {
    // The type's own C++ struct (int, str, list...): fixed by the builtin type.
    Builtin,
    // `Instance` below: a plain object with an attribute dict (user classes deriving from object).
    Instance,
    // `BaseExceptionObject` (objects/exception.hpp): exceptions and user exception classes.
    Exception,
};

// A class. Types are heap objects too (their type is `type`), so user classes are collected
// when unreachable.
struct Type : Object {
    // __name__, e.g. "list" or "MyClass". Interned.
    String* name = nullptr;
    // __qualname__, e.g. "Outer.Inner".
    String* qualname = nullptr;
    // __module__ for user classes ("__main__"); nullptr for builtins (whose reprs omit it).
    String* module = nullptr;
    // The single base class (__base__); nullptr only for `object`.
    Type* base = nullptr;
    // Method resolution order, this type first and `object` last (__mro__).
    std::vector<Type*> mro;
    // The class namespace: methods, class attributes, descriptors (__dict__). Keys are
    // interned Strings; lookups go through type_lookup below.
    Dict* dict = nullptr;
    // TypeFlag bits.
    std::uint32_t flags = 0;
    // Memory layout of instances; see InstanceLayout.
    InstanceLayout layout = InstanceLayout::Builtin;
    // Byte offset of a `Dict*` attribute dict inside instances, or 0 when instances have no
    // __dict__ (builtins). Generic getattr/setattr use it.
    std::uint32_t dict_offset = 0;

    // ---- slots: null means "not supported" unless noted. Subclasses inherit their base's
    // slots at creation; user classes get generic slots calling the dunder methods.
    ReprSlot repr = nullptr;         // repr(); null: ops use the default "<T object at 0x...>"
    ReprSlot str = nullptr;          // str(); null: ops fall back to repr
    HashSlot hash = nullptr;         // hash(); null: identity hash (object's default)
    CompareSlot compare = nullptr;   // rich comparison; null: identity for ==/!=, else NotImplemented
    GetAttrSlot getattr = nullptr;   // null: ops::generic_getattr (MRO + instance dict)
    SetAttrSlot setattr = nullptr;   // null: ops::generic_setattr
    CallSlot call = nullptr;         // calling instances; for a Type itself, `type`'s slot creates instances
    UnarySlot iter = nullptr;        // iter()
    NextSlot next = nullptr;         // next() on an iterator
    LengthSlot length = nullptr;     // len()
    BoolSlot boolean = nullptr;      // bool(); null: length if present, else true
    GetItemSlot getitem = nullptr;   // self[key]
    SetItemSlot setitem = nullptr;   // self[key] = v / del self[key]
    ContainsSlot contains = nullptr; // `in`; null: linear search through iter
    BinarySlot binary = nullptr;     // + - * / // % ** << >> & | ^ @
    BinarySlot inplace = nullptr;    // += ...: tried before `binary` (operator passed without the in-place offset)
    UnaryOpSlot unary = nullptr;     // - + ~
    FormatSlot format = nullptr;     // format(); null: str(self) when the spec is empty, else TypeError
    TraceSlot trace = nullptr;       // GC marking of the instance's references
    FinalizeSlot finalize = nullptr; // destructor of the instance's C++ struct; null if trivial

    // The C++ constructor of instances: `T(*args, **kwargs)`. Builtins set it (e.g. list(),
    // int("12")); null means instances cannot be created from Python ("cannot create 'X' instances").
    CallSlot construct = nullptr;
};

// A plain instance of a user class deriving from object: its attributes live in `dict`.
struct Instance : Object {
    // __dict__; created with the instance.
    Dict* dict = nullptr;
};

// The class of any value: int, float, bool and NoneType for inline values (from the VM's
// registry), the object's type for heap values.
Type* type_of(VM& vm, Value value);

// Looks `name` (interned) up in the type's MRO dicts, without binding: the raw class
// attribute, or null. Cannot fail.
Value type_lookup(Type* type, String* name);

// True when `type` is `base` or derives from it.
bool is_subtype(const Type* type, const Type* base);

// The object of `value` as a T, when it is a heap object whose type is exactly `type`
// (no subclasses); otherwise nullptr. Example: `if (auto* list = as_exact<List>(v, vm.types().list))`.
template <class T>
T* as_exact(Value value, const Type* type) {
    if (!value.is_object() || value.as_object()->type != type) return nullptr;
    return static_cast<T*>(value.as_object());
}

// Like as_exact, but also accepts instances of subclasses of `type`.
template <class T>
T* as_instance(Value value, const Type* type) {
    if (!value.is_object() || !is_subtype(value.as_object()->type, type)) return nullptr;
    return static_cast<T*>(value.as_object());
}

}  // namespace asy
