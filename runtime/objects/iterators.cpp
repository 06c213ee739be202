// The iterator objects (iterators.hpp): each next slot advances one step and returns null
// with no exception pending when exhausted. Also the lazy builtins enumerate, zip, map,
// filter and reversed, whose types are their own constructors.
#include "runtime/objects/iterators.hpp"

#include "runtime/objects/container_types.hpp"
#include "runtime/objects/container_util.hpp"
#include "runtime/objects/dict.hpp"
#include "runtime/objects/int.hpp"
#include "runtime/objects/list.hpp"
#include "runtime/objects/str.hpp"
#include "runtime/objects/tuple.hpp"
#include "runtime/vm.hpp"

namespace asy {

namespace {

template <class T>
T* self_of(Value self) {
    return static_cast<T*>(self.as_object());
}

// An iterator's iter() is itself.
Value iter_self(VM&, Value self) { return self; }

// ---------------------------------------------------------------- list and tuple

// The items of a List or Tuple (or a subclass of either).
const std::vector<Value>& items_of(VM& vm, Value sequence) {
    if (auto* list = as_instance<List>(sequence, vm.types().list)) return list->items;
    return static_cast<Tuple*>(sequence.as_object())->items;
}

Value sequence_next(VM& vm, Value self) {
    auto* it = self_of<SequenceIterator>(self);
    if (it->sequence.is_null()) return Value::null();
    const std::vector<Value>& items = items_of(vm, it->sequence);
    if (it->position >= items.size()) {
        // Exhausted for good: a list that grows later is not resumed.
        it->sequence = Value::null();
        return Value::null();
    }
    return items[it->position++];
}

void sequence_trace(Object* self, Tracer& tracer) { tracer.mark(static_cast<SequenceIterator*>(self)->sequence); }

Value list_reverse_next(VM& vm, Value self) {
    auto* it = self_of<ListReverseIterator>(self);
    if (it->position < 0 || it->list.is_null()) return Value::null();
    const std::vector<Value>& items = items_of(vm, it->list);
    // The list may have shrunk since the last step.
    if (it->position >= static_cast<std::int64_t>(items.size())) {
        it->position = -1;
        it->list = Value::null();
        return Value::null();
    }
    return items[static_cast<std::size_t>(it->position--)];
}

void list_reverse_trace(Object* self, Tracer& tracer) { tracer.mark(static_cast<ListReverseIterator*>(self)->list); }

// ---------------------------------------------------------------- range

Value range_next(VM& vm, Value self) {
    auto* it = self_of<RangeIterator>(self);
    if (it->remaining == 0) return Value::null();
    const std::int64_t value = it->next;
    // Wrap-around arithmetic: the step past the last item may leave int64, harmlessly.
    it->next = static_cast<std::int64_t>(static_cast<std::uint64_t>(it->next) + static_cast<std::uint64_t>(it->step));
    --it->remaining;
    return int_from_int64(vm, value);
}

// ---------------------------------------------------------------- dict

Value dict_iter_next(VM& vm, Value self) {
    auto* it = self_of<DictIterator>(self);
    if (it->dict.is_null()) return Value::null();
    auto* dict = static_cast<Dict*>(it->dict.as_object());
    if (dict->count != it->expected_size) {
        // Keep failing: the iteration cannot meaningfully go on.
        it->expected_size = static_cast<std::size_t>(-1);
        return vm.raise(vm.types().runtime_error, "dictionary changed size during iteration");
    }
    const std::vector<DictEntry>& entries = dict->entries;
    const DictEntry* found = nullptr;
    if (!it->reversed) {
        while (it->position < entries.size() && entries[it->position].key.is_null()) ++it->position;
        if (it->position < entries.size()) found = &entries[it->position++];
    } else {
        if (it->position > entries.size()) it->position = entries.size();
        while (it->position > 0 && entries[it->position - 1].key.is_null()) --it->position;
        if (it->position > 0) found = &entries[--it->position];
    }
    if (!found) {
        it->dict = Value::null();
        return Value::null();
    }
    switch (it->kind) {
    case DictIterKind::Keys: return found->key;
    case DictIterKind::Values: return found->value;
    case DictIterKind::Items: {
        const Value pair[] = {found->key, found->value};
        return Value::from_object(new_tuple(vm, pair));
    }
    }
    return Value::null();
}

void dict_iter_trace(Object* self, Tracer& tracer) { tracer.mark(static_cast<DictIterator*>(self)->dict); }

// ---------------------------------------------------------------- set

Value set_iter_next(VM& vm, Value self) {
    auto* it = self_of<SetIterator>(self);
    if (it->set.is_null()) return Value::null();
    auto* set = static_cast<Set*>(it->set.as_object());
    if (set->table.size() != it->expected_size) {
        it->expected_size = static_cast<std::size_t>(-1);
        return vm.raise(vm.types().runtime_error, "Set changed size during iteration");
    }
    while (it->slot < set->table.slot_count() && !set->table.is_live(it->slot)) ++it->slot;
    if (it->slot >= set->table.slot_count()) {
        it->set = Value::null();
        return Value::null();
    }
    return set->table.slot(it->slot++).key;
}

void set_iter_trace(Object* self, Tracer& tracer) { tracer.mark(static_cast<SetIterator*>(self)->set); }

// ---------------------------------------------------------------- enumerate

Value enumerate_next(VM& vm, Value self) {
    auto* e = self_of<EnumerateObject>(self);
    Root item(vm, ops::next(vm, e->iterator));
    if (item.get().is_null()) return Value::null();
    Root count(vm, int_from_int64(vm, e->count++));
    if (count.get().is_null()) return Value::null();
    const Value pair[] = {count.get(), item.get()};
    return Value::from_object(new_tuple(vm, pair));
}

void enumerate_trace(Object* self, Tracer& tracer) { tracer.mark(static_cast<EnumerateObject*>(self)->iterator); }

// enumerate(iterable, start=0).
Value enumerate_construct(VM& vm, Value cls, CallArgs args) {
    // enumerate(iterable, start=0), both also by keyword.
    Value bound[2] = {Value::null(), Value::null()};
    if (args.count > 2)
        return vm.raise_format(vm.types().type_error, "enumerate() takes at most 2 arguments ({} given)", args.count);
    for (std::size_t i = 0; i < args.positional_count(); ++i) bound[i] = args[i];
    for (std::size_t i = 0; i < args.keyword_count(); ++i) {
        const std::string_view name = args.keyword_name(i)->view();
        const std::size_t slot = name == "iterable" ? 0 : name == "start" ? 1 : 2;
        if (slot == 2)
            return vm.raise_format(vm.types().type_error, "'{}' is an invalid keyword argument for enumerate()", name);
        if (!bound[slot].is_null())
            return vm.raise_format(vm.types().type_error, "argument for enumerate() given by name ('{}') and position ({})",
                                   name, slot + 1);
        bound[slot] = args.keyword_value(i);
    }
    if (bound[0].is_null()) return vm.raise(vm.types().type_error, "enumerate() missing required argument 'iterable'");
    std::int64_t start = 0;
    if (!bound[1].is_null()) {
        const int status = index_value(vm, bound[1], start);
        if (status == 0) return vm.raise_error(Error::len_returned_non_int, ops::type_name(vm, bound[1]));
        if (status < 0) return Value::null();
    }
    Root iterator(vm, ops::iter(vm, bound[0]));
    if (iterator.get().is_null()) return Value::null();
    auto* e = vm.heap().allocate<EnumerateObject>(static_cast<Type*>(cls.as_object()));
    e->iterator = iterator.get();
    e->count = start;
    return Value::from_object(e);
}

// ---------------------------------------------------------------- zip

Value zip_next(VM& vm, Value self) {
    auto* z = self_of<ZipObject>(self);
    if (z->done || z->iterators.empty()) return Value::null();
    Root keep(vm, self);
    std::vector<Value> items;
    RootVector keep_items(vm, items);
    for (std::size_t i = 0; i < z->iterators.size(); ++i) {
        const Value item = ops::next(vm, z->iterators[i]);
        if (!item.is_null()) {
            items.push_back(item);
            continue;
        }
        if (vm.has_exception()) return Value::null();
        z->done = true;
        if (!z->strict) return Value::null();
        // strict=True: every input must run out at the same step.
        if (i > 0) {
            return vm.raise_format(vm.types().value_error, "zip() argument {} is shorter than argument{}{}", i + 1,
                                   i == 1 ? " " : "s 1-", i);
        }
        for (std::size_t j = 1; j < z->iterators.size(); ++j) {
            const Value extra = ops::next(vm, z->iterators[j]);
            if (!extra.is_null())
                return vm.raise_format(vm.types().value_error, "zip() argument {} is longer than argument{}{}", j + 1,
                                       j == 1 ? " " : "s 1-", j);
            if (vm.has_exception()) return Value::null();
        }
        return Value::null();
    }
    return Value::from_object(new_tuple(vm, std::move(items)));
}

void zip_trace(Object* self, Tracer& tracer) { tracer.mark(static_cast<ZipObject*>(self)->iterators); }

// zip(*iterables, strict=False).
Value zip_construct(VM& vm, Value cls, CallArgs args) {
    bool strict = false;
    for (std::size_t i = 0; i < args.keyword_count(); ++i) {
        if (args.keyword_name(i)->view() != "strict")
            return vm.raise_format(vm.types().type_error, "zip() got an unexpected keyword argument '{}'",
                                   args.keyword_name(i)->view());
        const Truth t = ops::truthy(vm, args.keyword_value(i));
        if (t == Truth::Error) return Value::null();
        strict = t == Truth::True;
    }
    std::vector<Value> iterators;
    RootVector keep(vm, iterators);
    for (std::size_t i = 0; i < args.positional_count(); ++i) {
        const Value it = ops::iter(vm, args[i]);
        if (it.is_null()) return Value::null();
        iterators.push_back(it);
    }
    auto* z = vm.heap().allocate<ZipObject>(static_cast<Type*>(cls.as_object()));
    z->iterators = std::move(iterators);
    z->strict = strict;
    return Value::from_object(z);
}

// ---------------------------------------------------------------- map

Value map_next(VM& vm, Value self) {
    auto* m = self_of<MapObject>(self);
    Root keep(vm, self);
    std::vector<Value> args;
    RootVector keep_args(vm, args);
    for (std::size_t i = 0; i < m->iterators.size(); ++i) {
        const Value item = ops::next(vm, m->iterators[i]);
        // The shortest input ends the map.
        if (item.is_null()) return Value::null();
        args.push_back(item);
    }
    return vm.call(m->function, args);
}

void map_trace(Object* self, Tracer& tracer) {
    auto* m = static_cast<MapObject*>(self);
    tracer.mark(m->function);
    tracer.mark(m->iterators);
}

// map(function, iterable, *iterables).
Value map_construct(VM& vm, Value cls, CallArgs args) {
    if (args.keyword_count() > 0) return vm.raise(vm.types().type_error, "map() takes no keyword arguments");
    if (args.positional_count() < 2) return vm.raise(vm.types().type_error, "map() must have at least two arguments.");
    std::vector<Value> iterators;
    RootVector keep(vm, iterators);
    for (std::size_t i = 1; i < args.positional_count(); ++i) {
        const Value it = ops::iter(vm, args[i]);
        if (it.is_null()) return Value::null();
        iterators.push_back(it);
    }
    auto* m = vm.heap().allocate<MapObject>(static_cast<Type*>(cls.as_object()));
    m->function = args[0];
    m->iterators = std::move(iterators);
    return Value::from_object(m);
}

// ---------------------------------------------------------------- filter

Value filter_next(VM& vm, Value self) {
    auto* f = self_of<FilterObject>(self);
    Root keep(vm, self);
    for (;;) {
        Root item(vm, ops::next(vm, f->iterator));
        if (item.get().is_null()) return Value::null();
        Value verdict = item.get();
        if (!f->function.is_none()) {
            const Value args[] = {item.get()};
            verdict = vm.call(f->function, args);
            if (verdict.is_null()) return Value::null();
        }
        const Truth t = ops::truthy(vm, verdict);
        if (t == Truth::Error) return Value::null();
        if (t == Truth::True) return item.get();
    }
}

void filter_trace(Object* self, Tracer& tracer) {
    auto* f = static_cast<FilterObject*>(self);
    tracer.mark(f->function);
    tracer.mark(f->iterator);
}

// filter(function or None, iterable).
Value filter_construct(VM& vm, Value cls, CallArgs args) {
    if (args.keyword_count() > 0) return vm.raise(vm.types().type_error, "filter() takes no keyword arguments");
    if (!check_positional(vm, args, "filter", 2, 2)) return Value::null();
    Root iterator(vm, ops::iter(vm, args[1]));
    if (iterator.get().is_null()) return Value::null();
    auto* f = vm.heap().allocate<FilterObject>(static_cast<Type*>(cls.as_object()));
    f->function = args[0];
    f->iterator = iterator.get();
    return Value::from_object(f);
}

// ---------------------------------------------------------------- reversed

Value reversed_next(VM& vm, Value self) {
    auto* r = self_of<ReversedObject>(self);
    if (r->sequence.is_null() || r->index < 0) return Value::null();
    Root keep(vm, self);
    const Value item = ops::getitem(vm, r->sequence, Value::from_small_int(r->index--));
    if (item.is_null()) {
        // IndexError or StopIteration from __getitem__ ends the iteration quietly.
        if (vm.exception_matches(vm.types().index_error) || vm.exception_matches(vm.types().stop_iteration))
            vm.clear_exception();
        r->sequence = Value::null();
        return Value::null();
    }
    if (r->index < 0) r->sequence = Value::null();
    return item;
}

void reversed_trace(Object* self, Tracer& tracer) { tracer.mark(static_cast<ReversedObject*>(self)->sequence); }

// reversed(sequence): __reversed__ if the type has one, else __len__ and __getitem__.
Value reversed_construct(VM& vm, Value cls, CallArgs args) {
    if (args.keyword_count() > 0) return vm.raise(vm.types().type_error, "reversed() takes no keyword arguments");
    if (!check_positional(vm, args, "reversed", 1, 1)) return Value::null();
    const Value sequence = args[0];
    Type* type = type_of(vm, sequence);
    const Value method = type_lookup(type, vm.names().reversed);
    if (!method.is_null() && !method.is_none()) {
        const Value call_args[] = {sequence};
        return vm.call(method, call_args);
    }
    // A dict has no order to reverse by index, and a type without both slots is no sequence.
    const bool is_mapping = is_subtype(type, vm.types().dict);
    if (is_mapping || !type->getitem || (!type->length && type_lookup(type, vm.names().len).is_null()))
        return vm.raise_format(vm.types().type_error, "'{}' object is not reversible", ops::type_name(vm, sequence));
    const std::int64_t length = ops::len(vm, sequence);
    if (length < 0) return Value::null();
    auto* r = vm.heap().allocate<ReversedObject>(static_cast<Type*>(cls.as_object()));
    r->sequence = sequence;
    r->index = length - 1;
    return Value::from_object(r);
}

// ---------------------------------------------------------------- iter(callable, sentinel)

Value callable_iterator_next(VM& vm, Value self) {
    auto* c = self_of<CallableIterator>(self);
    if (c->callable.is_null()) return Value::null();
    Root keep(vm, self);
    Root result(vm, vm.call(c->callable, std::span<const Value>{}));
    if (result.get().is_null()) {
        // A StopIteration from the callable also ends the iteration.
        if (vm.exception_matches(vm.types().stop_iteration)) {
            vm.clear_exception();
            c->callable = Value::null();
        }
        return Value::null();
    }
    const containers::Verdict v = equal_verdict(vm, result.get(), c->sentinel);
    if (v == containers::Verdict::Error) return Value::null();
    if (v == containers::Verdict::Yes) {
        c->callable = Value::null();
        return Value::null();
    }
    return result.get();
}

void callable_iterator_trace(Object* self, Tracer& tracer) {
    auto* c = static_cast<CallableIterator*>(self);
    tracer.mark(c->callable);
    tracer.mark(c->sentinel);
}

// ---------------------------------------------------------------- iter() over __getitem__

Value seq_iterator_next(VM& vm, Value self) {
    auto* s = self_of<SeqIterator>(self);
    if (s->sequence.is_null()) return Value::null();
    Root keep(vm, self);
    const Value item = ops::getitem(vm, s->sequence, int_from_int64(vm, s->index));
    if (item.is_null()) {
        if (vm.exception_matches(vm.types().index_error) || vm.exception_matches(vm.types().stop_iteration)) {
            vm.clear_exception();
            s->sequence = Value::null();
        }
        return Value::null();
    }
    ++s->index;
    return item;
}

void seq_iterator_trace(Object* self, Tracer& tracer) { tracer.mark(static_cast<SeqIterator*>(self)->sequence); }

// ---------------------------------------------------------------- Python-level methods

// it.__next__(): the next item, or StopIteration.
Value iterator_next_method(VM& vm, CallArgs args) {
    if (args.positional_count() != 1) return vm.raise(vm.types().type_error, "__next__() takes no arguments");
    const Value item = ops::next(vm, args[0]);
    if (item.is_null() && !vm.has_exception()) return vm.raise(vm.types().stop_iteration);
    return item;
}

Value iterator_iter_method(VM& vm, CallArgs args) {
    if (args.positional_count() != 1) return vm.raise(vm.types().type_error, "__iter__() takes no arguments");
    return args[0];
}

// Fills the slots every iterator type shares.
template <class T>
void init_iterator(VM& vm, Type* type, NextSlot next, TraceSlot trace) {
    type->iter = iter_self;
    type->next = next;
    type->trace = trace;
    type->finalize = finalize_object<T>;
    define_method(vm, type, "__next__", iterator_next_method);
    define_method(vm, type, "__iter__", iterator_iter_method);
}

}  // namespace

// ---------------------------------------------------------------- constructors

Value new_sequence_iterator(VM& vm, Type* type, Value sequence) {
    auto* it = vm.heap().allocate<SequenceIterator>(type);
    it->sequence = sequence;
    return Value::from_object(it);
}

Value new_list_reverse_iterator(VM& vm, Value list) {
    auto* it = vm.heap().allocate<ListReverseIterator>(vm.types().list_reverseiterator);
    it->list = list;
    it->position = static_cast<std::int64_t>(items_of(vm, list).size()) - 1;
    return Value::from_object(it);
}

Value new_range_iterator(VM& vm, std::int64_t start, std::int64_t step, std::uint64_t length) {
    auto* it = vm.heap().allocate<RangeIterator>(vm.types().range_iterator);
    it->next = start;
    it->step = step;
    it->remaining = length;
    return Value::from_object(it);
}

Value new_dict_iterator(VM& vm, Value dict, DictIterKind kind, bool reversed) {
    Type* type = kind == DictIterKind::Keys     ? vm.types().dict_keyiterator
                 : kind == DictIterKind::Values ? vm.types().dict_valueiterator
                                                : vm.types().dict_itemiterator;
    auto* it = vm.heap().allocate<DictIterator>(type);
    auto* d = static_cast<Dict*>(dict.as_object());
    it->dict = dict;
    it->kind = kind;
    it->reversed = reversed;
    it->expected_size = d->count;
    it->position = reversed ? d->entries.size() : 0;
    return Value::from_object(it);
}

Value new_set_iterator(VM& vm, Value set) {
    auto* it = vm.heap().allocate<SetIterator>(vm.types().set_iterator);
    it->set = set;
    it->expected_size = static_cast<Set*>(set.as_object())->table.size();
    return Value::from_object(it);
}

Value new_seq_iterator(VM& vm, Value sequence) {
    auto* it = vm.heap().allocate<SeqIterator>(vm.types().seq_iterator);
    it->sequence = sequence;
    return Value::from_object(it);
}

void init_iterator_types(VM& vm) {
    BuiltinTypes& t = vm.types();
    init_iterator<SequenceIterator>(vm, t.list_iterator, sequence_next, sequence_trace);
    init_iterator<SequenceIterator>(vm, t.tuple_iterator, sequence_next, sequence_trace);
    init_iterator<ListReverseIterator>(vm, t.list_reverseiterator, list_reverse_next, list_reverse_trace);
    init_iterator<RangeIterator>(vm, t.range_iterator, range_next, nullptr);
    init_iterator<DictIterator>(vm, t.dict_keyiterator, dict_iter_next, dict_iter_trace);
    init_iterator<DictIterator>(vm, t.dict_valueiterator, dict_iter_next, dict_iter_trace);
    init_iterator<DictIterator>(vm, t.dict_itemiterator, dict_iter_next, dict_iter_trace);
    init_iterator<SetIterator>(vm, t.set_iterator, set_iter_next, set_iter_trace);
    init_iterator<EnumerateObject>(vm, t.enumerate, enumerate_next, enumerate_trace);
    init_iterator<ZipObject>(vm, t.zip, zip_next, zip_trace);
    init_iterator<MapObject>(vm, t.map, map_next, map_trace);
    init_iterator<FilterObject>(vm, t.filter, filter_next, filter_trace);
    init_iterator<ReversedObject>(vm, t.reversed, reversed_next, reversed_trace);
    init_iterator<CallableIterator>(vm, t.callable_iterator, callable_iterator_next, callable_iterator_trace);
    init_iterator<SeqIterator>(vm, t.seq_iterator, seq_iterator_next, seq_iterator_trace);

    // The lazy builtins are classes: calling them makes the iterator.
    t.enumerate->construct = enumerate_construct;
    t.zip->construct = zip_construct;
    t.map->construct = map_construct;
    t.filter->construct = filter_construct;
    t.reversed->construct = reversed_construct;
    for (Type* type : {t.enumerate, t.zip, t.map, t.filter, t.reversed}) type->flags |= TypeFlagBaseType;
}

}  // namespace asy
