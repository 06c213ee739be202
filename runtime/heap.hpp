// The heap: allocation of every GC object and the precise mark-and-sweep collector.
//
// THE ROOTING RULE. Any allocation may run a collection, and so may any call into the VM
// (vm.call, ops::repr, ops::binary_op... anything that can run asy code or allocate). A
// collection frees every object not reachable from the roots. So a Value or Object* that a
// C++ local holds across such a call must be reachable some other way:
//   - values on the VM stack are roots: the arguments a native function receives (CallArgs)
//     and `self` of a slot called by the VM stay alive for the whole call;
//   - an object stored in a field of another reachable object is reachable;
//   - anything else goes in a Root guard:   Root list(vm, new_list(vm));   ... list.get()
//     or, for a whole std::vector<Value> of temporaries, a RootVector guard.
// Guards are LIFO (they are C++ locals). The newest allocation is kept alive until the next
// one, so `Value v = ...allocate...; return v;` needs no guard.
//
// Collection policy: collect when the bytes allocated since the last collection push the
// total past a threshold that is twice the bytes that survived the last collection (at least
// 1 MiB). ASY_GC_STRESS=1 in the environment collects at every allocation, to find unrooted
// values fast.
#pragma once

#include "runtime/object.hpp"

#include <cstddef>
#include <cstdint>
#include <new>
#include <utility>
#include <vector>

namespace asy {

class VM;

class Heap {
public:
    explicit Heap(VM& vm);
    ~Heap();  // frees every object, reachable or not
    Heap(const Heap&) = delete;
    Heap& operator=(const Heap&) = delete;

    // Creates a T (a struct deriving from Object) of class `type`, constructed from `args`.
    // May collect first. T's constructor must not allocate GC objects or call the VM.
    template <class T, class... Args>
    T* allocate(Type* type, Args&&... args) {
        before_allocation(sizeof(T));
        void* memory = ::operator new(sizeof(T));
        T* object = new (memory) T(std::forward<Args>(args)...);
        object->type = type;
        object->gc_size = static_cast<std::uint32_t>(sizeof(T));
        link(object);
        return object;
    }

    // Tells the heap that an object grew or shrank memory it owns outside its struct (a
    // list's vector, a big string), so collections are paced by real memory use. Optional.
    void note_external_bytes(std::ptrdiff_t delta) { m_bytes_allocated += delta; }

    // Runs a full collection now.
    void collect();

    // Number of live objects (after the last sweep, plus allocations since). For tests.
    [[nodiscard]] std::size_t object_count() const { return m_object_count; }
    [[nodiscard]] std::size_t bytes_allocated() const { return static_cast<std::size_t>(m_bytes_allocated); }
    [[nodiscard]] bool stress() const { return m_stress; }
    void set_stress(bool stress) { m_stress = stress; }
    // While paused, allocation never collects (the VM's start-up, when objects are half-built).
    void set_paused(bool paused) { m_paused = paused; }

    // ---- used by Root / RootVector / Tracer; not for general use
    void push_root(Value* slot) { m_roots.push_back(slot); }
    void pop_root() { m_roots.pop_back(); }
    void push_root_vector(const std::vector<Value>* values) { m_vector_roots.push_back(values); }
    void pop_root_vector() { m_vector_roots.pop_back(); }
    void push_root_span(const Value* values, std::size_t count) { m_span_roots.push_back({values, count}); }
    void pop_root_span() { m_span_roots.pop_back(); }
    void mark_object(const Object* object);

private:
    void before_allocation(std::size_t bytes);
    void link(Object* object);
    void trace_grey_objects();
    void sweep();

    VM& m_vm;
    // Every object, newest first (an instance is always newer than its class, so the sweep
    // finalizes instances before the class their finalize slot comes from).
    Object* m_objects = nullptr;
    std::size_t m_object_count = 0;
    std::ptrdiff_t m_bytes_allocated = 0;
    // Collect when m_bytes_allocated exceeds this.
    std::ptrdiff_t m_next_collection = 1 << 20;
    // The object allocated last, a root until the next allocation (see the rooting rule).
    Object* m_newest = nullptr;
    bool m_stress = false;
    bool m_paused = false;
    // True during a collection, so allocation inside a finalizer cannot nest one.
    bool m_collecting = false;
    // Marked but not yet traced objects: the collector's explicit work list.
    std::vector<Object*> m_grey;
    // Root guards' slots, LIFO.
    std::vector<Value*> m_roots;
    std::vector<const std::vector<Value>*> m_vector_roots;
    // Argument arrays of calls made from native code (VM::call roots them for the call).
    std::vector<std::pair<const Value*, std::size_t>> m_span_roots;
};

// Keeps one Value alive while it exists (see the rooting rule at the top of this file).
// Read it with get() (or the conversion), update it with set(); the guard follows the update.
class Root {
public:
    Root(VM& vm, Value value);
    Root(VM& vm, const Object* object) : Root(vm, object ? Value::from_object(object) : Value::null()) {}
    ~Root() { m_heap.pop_root(); }
    Root(const Root&) = delete;
    Root& operator=(const Root&) = delete;

    [[nodiscard]] Value get() const { return m_value; }
    operator Value() const { return m_value; }  // NOLINT: a Root reads as its Value
    void set(Value value) { m_value = value; }
    // The held object as a T (the caller knows its type).
    template <class T>
    [[nodiscard]] T* as() const { return static_cast<T*>(m_value.as_object()); }

private:
    Heap& m_heap;
    Value m_value;
};

// Keeps every Value of a C++ vector alive while the guard exists; the vector may grow.
class RootVector {
public:
    RootVector(VM& vm, const std::vector<Value>& values);
    ~RootVector() { m_heap.pop_root_vector(); }
    RootVector(const RootVector&) = delete;
    RootVector& operator=(const RootVector&) = delete;

private:
    Heap& m_heap;
};

}  // namespace asy
