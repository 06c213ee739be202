// The iterator objects of the container types (list_iterator, dict_keyiterator, ...) and the
// lazy builtins that are iterators themselves (enumerate, zip, map, filter, reversed, and
// iter()'s two fallbacks). Each is a small struct holding what it walks and where it is;
// its type's next slot advances it. Implemented in objects/iterators.cpp (containers).
#pragma once

#include "runtime/object.hpp"

#include <cstdint>
#include <vector>

namespace asy {

// list_iterator and tuple_iterator: walk the items of a List or Tuple by position. A list
// that grows while iterated yields its new items too, as in Python.
struct SequenceIterator : Object {
    // The List or Tuple; null once exhausted (so a list that grows later is not resumed).
    Value sequence;
    // Position of the next item.
    std::size_t position = 0;
};

// list_reverseiterator (reversed(list)): from the last item down to the first.
struct ListReverseIterator : Object {
    Value list;
    // Position of the next item; -1 when exhausted.
    std::int64_t position = -1;
};

// range_iterator: the arithmetic progression of a range, without the range itself.
struct RangeIterator : Object {
    std::int64_t next = 0;
    std::int64_t step = 1;
    // Items still to come (a range may hold up to 2^64 - 1 of them).
    std::uint64_t remaining = 0;
};

// What a dict iterator yields.
enum class DictIterKind : std::uint8_t { Keys, Values, Items };

// dict_keyiterator, dict_valueiterator, dict_itemiterator, forwards or reversed.
struct DictIterator : Object {
    // The Dict; null once exhausted.
    Value dict;
    // Next entry position to look at (forwards), or one past it (reversed).
    std::size_t position = 0;
    // len(dict) when iteration started: a change means "dictionary changed size during iteration".
    std::size_t expected_size = 0;
    DictIterKind kind = DictIterKind::Keys;
    bool reversed = false;
};

// set_iterator: walks the set table's slots in order.
struct SetIterator : Object {
    // The Set; null once exhausted.
    Value set;
    std::size_t slot = 0;
    // len(set) when iteration started: a change means "Set changed size during iteration".
    std::size_t expected_size = 0;
};

// enumerate(iterable, start=0).
struct EnumerateObject : Object {
    Value iterator;
    // The next count.
    std::int64_t count = 0;
};

// zip(*iterables, strict=False).
struct ZipObject : Object {
    std::vector<Value> iterators;
    bool strict = false;
    // Set once an input ran out, so later calls stop at once.
    bool done = false;
};

// map(function, *iterables).
struct MapObject : Object {
    Value function;
    std::vector<Value> iterators;
};

// filter(function or None, iterable).
struct FilterObject : Object {
    // The predicate, or None for "the item's own truth".
    Value function;
    Value iterator;
};

// reversed(seq) for a sequence without __reversed__: seq[len-1], ..., seq[0].
struct ReversedObject : Object {
    // The sequence; null once exhausted.
    Value sequence;
    // Index of the next item; -1 when exhausted.
    std::int64_t index = -1;
};

// iter(callable, sentinel): calls callable() until it returns the sentinel.
struct CallableIterator : Object {
    // Null once the sentinel was seen.
    Value callable;
    Value sentinel;
};

// The "iterator" type: iter(obj) for an object with __getitem__ but no __iter__.
struct SeqIterator : Object {
    // Null once IndexError or StopIteration ended it.
    Value sequence;
    std::int64_t index = 0;
};

// Constructors used by the container types' iter slots.
[[nodiscard]] Value new_sequence_iterator(VM& vm, Type* type, Value sequence);
[[nodiscard]] Value new_list_reverse_iterator(VM& vm, Value list);
[[nodiscard]] Value new_range_iterator(VM& vm, std::int64_t start, std::int64_t step, std::uint64_t length);
[[nodiscard]] Value new_dict_iterator(VM& vm, Value dict, DictIterKind kind, bool reversed);
[[nodiscard]] Value new_set_iterator(VM& vm, Value set);
// iter(obj) over obj[0], obj[1], ... (for ops::iter's __getitem__ fallback).
[[nodiscard]] Value new_seq_iterator(VM& vm, Value sequence);

// Fills the iterator types' slots and registers enumerate/zip/map/filter/reversed.
void init_iterator_types(VM& vm);

}  // namespace asy
