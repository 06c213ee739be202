// Helpers shared by the container types and the builtin functions (container_util.hpp).
#include "runtime/objects/container_util.hpp"

#include "runtime/objects/int.hpp"
#include "runtime/objects/list.hpp"
#include "runtime/objects/slice.hpp"
#include "runtime/objects/str.hpp"
#include "runtime/objects/tuple.hpp"

#include <algorithm>
#include <limits>

namespace asy {

using containers::Verdict;

// ---------------------------------------------------------------- indices

namespace {

// How index_value treats an int that does not fit in int64.
enum class Overflow { Raise, Clamp };

int read_index(VM& vm, Value value, std::int64_t& out, Overflow overflow, int depth = 0) {
    if (value.is_small_int()) {
        out = value.as_small_int();
        return 1;
    }
    if (value.is_bool()) {
        out = value.as_bool() ? 1 : 0;
        return 1;
    }
    if (!value.is_object()) return 0;
    Type* type = value.as_object()->type;
    if (type == vm.types().int_) {
        // A BigInt: its value lies outside the small-int range but may still fit in int64.
        const auto* big = static_cast<const BigInt*>(value.as_object());
        if (mpz_fits_slong_p(big->value)) {
            out = mpz_get_si(big->value);
            return 1;
        }
        if (overflow == Overflow::Clamp) {
            out = mpz_sgn(big->value) < 0 ? std::numeric_limits<std::int64_t>::min()
                                          : std::numeric_limits<std::int64_t>::max();
            return 1;
        }
        vm.raise(vm.types().index_error, "cannot fit 'int' into an index-sized integer");
        return -1;
    }
    // Anything else is an index only through __index__, which must return an int.
    const Value method = type_lookup(type, vm.names().index);
    if (method.is_null() || depth > 0) return 0;
    const Value args[] = {value};
    Root result(vm, vm.call(method, args));
    if (result.get().is_null()) return -1;
    if (!is_int(vm, result.get())) {
        vm.raise_format(vm.types().type_error, "__index__ returned non-int (type {})", ops::type_name(vm, result.get()));
        return -1;
    }
    return read_index(vm, result.get(), out, overflow, depth + 1);
}

}  // namespace

int index_value(VM& vm, Value value, std::int64_t& out) { return read_index(vm, value, out, Overflow::Raise); }

int clamped_index_value(VM& vm, Value value, std::int64_t& out) {
    return read_index(vm, value, out, Overflow::Clamp);
}

bool unpack_slice(VM& vm, const Slice* slice, containers::SliceSpec& spec) {
    // Read one part: None stays "omitted"; anything else must be int-like.
    auto read = [&](Value part, std::optional<std::int64_t>& into) {
        if (part.is_none()) return true;
        std::int64_t number = 0;
        const int status = clamped_index_value(vm, part, number);
        if (status < 0) return false;
        if (status == 0) {
            vm.raise(vm.types().type_error, "slice indices must be integers or None or have an __index__ method");
            return false;
        }
        into = number;
        return true;
    };
    // CPython reads the step first, so a zero step is reported before bad bounds.
    if (!read(slice->step, spec.step)) return false;
    if (spec.step && *spec.step == 0) {
        vm.raise(vm.types().value_error, "slice step cannot be zero");
        return false;
    }
    return read(slice->start, spec.start) && read(slice->stop, spec.stop);
}

bool resolve_slice(VM& vm, const Slice* slice, std::int64_t length, containers::SliceIndices& out) {
    containers::SliceSpec spec;
    if (!unpack_slice(vm, slice, spec)) return false;
    out = *containers::adjust_slice(spec, length);
    return true;
}

// ---------------------------------------------------------------- iteration

const std::vector<Value>* exact_sequence_items(VM& vm, Value value) {
    if (auto* list = as_exact<List>(value, vm.types().list)) return &list->items;
    if (auto* tuple = as_exact<Tuple>(value, vm.types().tuple)) return &tuple->items;
    return nullptr;
}

bool collect_items(VM& vm, Value iterable, std::vector<Value>& out) {
    // list(range(10**12)): MemoryError at once from the length, as in CPython.
    if (iterable.is_object() && iterable.as_object()->type == vm.types().range) {
        const std::int64_t length = ops::len(vm, iterable);
        if (length < 0) return false;
        if (static_cast<std::uint64_t>(length) > (std::uint64_t{1} << 32)) {
            vm.raise(vm.types().memory_error);
            return false;
        }
    }
    return for_each_item(vm, iterable, [&](Value item) {
        out.push_back(item);
        return true;
    });
}

// ---------------------------------------------------------------- comparisons

Verdict equal_verdict(VM& vm, Value a, Value b) {
    if (a.is(b)) return Verdict::Yes;
    // Values that are both inline and not floats are equal only when identical... except
    // that True == 1 and 1 == 1.0, so only two small ints can be decided by their bits.
    if (a.is_small_int() && b.is_small_int()) return Verdict::No;
    Root keep_a(vm, a);
    Root keep_b(vm, b);
    switch (ops::equals(vm, a, b)) {
    case Truth::True: return Verdict::Yes;
    case Truth::False: return Verdict::No;
    case Truth::Error: break;
    }
    return Verdict::Error;
}

Verdict less_verdict(VM& vm, Value a, Value b) {
    if (a.is_small_int() && b.is_small_int())
        return a.as_small_int() < b.as_small_int() ? Verdict::Yes : Verdict::No;
    switch (ops::compare_bool(vm, a, b, CompareOp::Lt)) {
    case Truth::True: return Verdict::Yes;
    case Truth::False: return Verdict::No;
    case Truth::Error: break;
    }
    return Verdict::Error;
}

Value compare_sequences(VM& vm, const std::vector<Value>& a, const std::vector<Value>& b, CompareOp op) {
    NestingGuard nesting(vm);
    if (!nesting.ok()) return raise_nesting_error(vm, " in comparison");
    // Sequences of different lengths are never equal: no need to look at the items.
    if (a.size() != b.size() && (op == CompareOp::Eq || op == CompareOp::Ne))
        return Value::from_bool(op == CompareOp::Ne);
    // Find the first position where the items differ. The sizes are re-read every step:
    // an item's __eq__ may change either sequence.
    std::size_t i = 0;
    for (; i < a.size() && i < b.size(); ++i) {
        const Verdict v = equal_verdict(vm, a[i], b[i]);
        if (v == Verdict::Error) return Value::null();
        if (v == Verdict::No) break;
    }
    if (i >= a.size() || i >= b.size()) {
        // No differing item: the lengths decide.
        const std::size_t na = a.size();
        const std::size_t nb = b.size();
        bool result = false;
        switch (op) {
        case CompareOp::Lt: result = na < nb; break;
        case CompareOp::Le: result = na <= nb; break;
        case CompareOp::Eq: result = na == nb; break;
        case CompareOp::Ne: result = na != nb; break;
        case CompareOp::Gt: result = na > nb; break;
        case CompareOp::Ge: result = na >= nb; break;
        }
        return Value::from_bool(result);
    }
    // The first differing pair decides: == is already known to be false.
    if (op == CompareOp::Eq) return Value::from_bool(false);
    if (op == CompareOp::Ne) return Value::from_bool(true);
    return ops::compare(vm, a[i], b[i], op);
}

std::int64_t find_item(VM& vm, const std::vector<Value>& items, Value item, std::int64_t start, std::int64_t stop) {
    for (std::int64_t i = start; i < stop && i < static_cast<std::int64_t>(items.size()); ++i) {
        const Verdict v = equal_verdict(vm, items[static_cast<std::size_t>(i)], item);
        if (v == Verdict::Error) return -2;
        if (v == Verdict::Yes) return i;
    }
    return -1;
}

// ---------------------------------------------------------------- repr

namespace {

// The containers whose repr is in progress, innermost last (CPython's Py_ReprEnter list).
std::vector<const Object*>& repr_in_progress() {
    static std::vector<const Object*> objects;
    return objects;
}

}  // namespace

int& NestingGuard::depth() {
    static int level = 0;
    return level;
}

NestingGuard::NestingGuard(VM& vm) {
    // The program's recursion limit, but never so deep that native frames could exhaust
    // the C++ stack (each level of a nested repr or == costs a few native frames).
    constexpr int native_ceiling = 4000;
    const int limit = vm.recursion_limit < native_ceiling ? vm.recursion_limit : native_ceiling;
    m_ok = ++depth() <= limit;
}

Value raise_nesting_error(VM& vm, std::string_view while_doing) {
    return vm.raise(vm.types().recursion_error, std::string("maximum recursion depth exceeded") + std::string(while_doing));
}

ReprGuard::ReprGuard(const Object* object) : m_object(object) {
    auto& active = repr_in_progress();
    m_recursive = std::find(active.begin(), active.end(), object) != active.end();
    if (!m_recursive) active.push_back(object);
}

ReprGuard::~ReprGuard() {
    if (m_recursive) return;
    auto& active = repr_in_progress();
    // Guards are LIFO, but search anyway so an odd order cannot leave a stale entry.
    auto it = std::find(active.rbegin(), active.rend(), m_object);
    if (it != active.rend()) active.erase(std::next(it).base());
}

bool append_repr(VM& vm, std::string& out, Value value) {
    String* text = ops::repr(vm, value);
    if (!text) return false;
    out += text->view();
    return true;
}

String* repr_sequence(VM& vm, std::string_view open, const std::vector<Value>& items, std::string_view close) {
    NestingGuard nesting(vm);
    if (!nesting.ok()) {
        raise_nesting_error(vm, " while getting the repr of an object");
        return nullptr;
    }
    std::string out(open);
    // By index with the size re-read: an item's __repr__ may change the sequence.
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i > 0) out += ", ";
        if (!append_repr(vm, out, items[i])) return nullptr;
    }
    out += close;
    return new_string(vm, std::move(out));
}

// ---------------------------------------------------------------- errors and arguments

Value raise_key_error(VM& vm, Value key) {
    const Value args[] = {key};
    const Value exception = vm.call(Value::from_object(vm.types().key_error), args);
    if (exception.is_null()) return Value::null();
    return vm.raise_value(exception);
}

Value keyword_argument(CallArgs args, std::string_view name) {
    for (std::size_t i = 0; i < args.keyword_count(); ++i)
        if (args.keyword_name(i)->view() == name) return args.keyword_value(i);
    return Value::null();
}

Value make_str(VM& vm, std::string text) { return Value::from_object(new_string(vm, std::move(text))); }

std::string_view type_name_of(const Type* type) { return type->name->view(); }

}  // namespace asy
