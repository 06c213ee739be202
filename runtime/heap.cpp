// The collector: allocation bookkeeping, marking from the VM's roots with an explicit grey
// stack, and sweeping every unmarked object. Hands the rest of the runtime one promise: an
// object stays alive while it is reachable from a root (heap.hpp, "the rooting rule").
#include "runtime/heap.hpp"

#include "runtime/vm.hpp"

#include <cstdlib>
#include <cstring>

namespace asy {

// Collections never happen below this many live bytes: collecting a tiny heap often is waste.
static constexpr std::ptrdiff_t minimum_collection_threshold = 1 << 20;

Heap::Heap(VM& vm) : m_vm(vm) {
    const char* stress = std::getenv("ASY_GC_STRESS");
    m_stress = stress && std::strcmp(stress, "") != 0 && std::strcmp(stress, "0") != 0;
}

Heap::~Heap() {
    // At shutdown everything goes, reachable or not.
    Object* object = m_objects;
    while (object) {
        Object* next = object->gc_next;
        if (object->type && object->type->finalize) object->type->finalize(object);
        ::operator delete(object);
        object = next;
    }
}

void Heap::before_allocation(std::size_t bytes) {
    m_bytes_allocated += static_cast<std::ptrdiff_t>(bytes);
    if (m_collecting || m_paused) return;
    if (m_stress || m_bytes_allocated > m_next_collection) collect();
}

void Heap::link(Object* object) {
    object->gc_next = m_objects;
    m_objects = object;
    m_newest = object;
    ++m_object_count;
}

void Heap::mark_object(const Object* object) {
    auto* mutable_object = const_cast<Object*>(object);
    if (mutable_object->gc_marked) return;
    mutable_object->gc_marked = true;
    // Grey: reachable, but its references are not yet marked. Tracing it later (instead of
    // recursing now) keeps the C++ stack flat however deep the object graph is.
    m_grey.push_back(mutable_object);
}

void Tracer::mark(const Object* object) {
    if (object) m_heap.mark_object(object);
}

void Heap::trace_grey_objects() {
    Tracer tracer(*this);
    while (!m_grey.empty()) {
        Object* object = m_grey.back();
        m_grey.pop_back();
        // An object keeps its class alive (a user class may be otherwise unreachable).
        tracer.mark(object->type);
        if (object->type->trace) object->type->trace(object, tracer);
    }
}

void Heap::collect() {
    m_collecting = true;
    Tracer tracer(*this);
    // Roots: the VM's own (frames, types, modules, interned strings, pending exception)...
    m_vm.mark_roots(tracer);
    // ...the native temporaries in Root and RootVector guards...
    for (Value* slot : m_roots) tracer.mark(*slot);
    for (const std::vector<Value>* values : m_vector_roots) tracer.mark(*values);
    for (const auto& [values, count] : m_span_roots)
        for (std::size_t i = 0; i < count; ++i) tracer.mark(values[i]);
    // ...and the newest object, which its creator has not had a chance to store anywhere yet.
    tracer.mark(m_newest);
    trace_grey_objects();
    sweep();
    m_collecting = false;
}

void Heap::sweep() {
    Object** link = &m_objects;
    std::ptrdiff_t live_bytes = 0;
    while (Object* object = *link) {
        if (object->gc_marked) {
            object->gc_marked = false;
            live_bytes += object->gc_size;
            link = &object->gc_next;
            continue;
        }
        *link = object->gc_next;
        // The list is newest first and an instance is newer than its class, so the class (and
        // its finalize slot) is still there when an instance of it is finalized.
        if (object->type->finalize) object->type->finalize(object);
        ::operator delete(object);
        --m_object_count;
    }
    m_bytes_allocated = live_bytes;
    m_next_collection = std::max(minimum_collection_threshold, live_bytes * 2);
}

Root::Root(VM& vm, Value value) : m_heap(vm.heap()), m_value(value) { m_heap.push_root(&m_value); }

RootVector::RootVector(VM& vm, const std::vector<Value>& values) : m_heap(vm.heap()) {
    m_heap.push_root_vector(&values);
}

}  // namespace asy
