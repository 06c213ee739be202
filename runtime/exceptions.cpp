// Exception objects: the BaseException type's slots and attributes (args, __traceback__,
// __context__, __cause__), raising with implicit chaining, traceback entries, and printing an
// uncaught exception exactly as CPython does ("Traceback (most recent call last): ...").
#include "compiler/source.hpp"
#include "runtime/objects/dict.hpp"
#include "runtime/objects/str.hpp"
#include "runtime/objects/tuple.hpp"
#include "runtime/ops.hpp"
#include "runtime/vm_internal.hpp"

#include <algorithm>
#include <functional>
#include <ostream>
#include <sstream>
#include "runtime/objects/list.hpp"

namespace asy {

// ---------------------------------------------------------------- creation and raising

bool is_exception_instance(VM& vm, Value value) {
    return value.is_object() && is_subtype(value.as_object()->type, vm.types().base_exception);
}

static BaseExceptionObject* allocate_exception(VM& vm, Type* type, Tuple* args) {
    Root args_root(vm, args);
    auto* exception = vm.heap().allocate<BaseExceptionObject>(type);
    exception->args = args;
    return exception;
}

Value new_exception(VM& vm, Type* type, std::span<const Value> args) {
    if (type->flags & TypeFlagHeap) {
        // A user exception class runs its own __init__.
        return vm.call(Value::from_object(type), args);
    }
    Tuple* tuple = new_tuple(vm, args);
    return Value::from_object(allocate_exception(vm, type, tuple));
}

Value exception_instance(VM& vm, Value raised) {
    if (is_exception_instance(vm, raised)) return raised;
    if (raised.is_object() && raised.as_object()->type == vm.types().type &&
        is_subtype(static_cast<Type*>(raised.as_object()), vm.types().base_exception)) {
        Value instance = vm.call(raised, std::span<const Value>{});
        if (instance.is_null()) return instance;
        if (!is_exception_instance(vm, instance)) {
            return vm.raise_format(vm.types().type_error,
                                   "calling {} should have returned an instance of BaseException, not {}",
                                   ops::repr(vm, raised)->view(), ops::type_name(vm, instance));
        }
        return instance;
    }
    return vm.raise_error(Error::exceptions_must_derive);
}

void set_pending_exception(VM& vm, Value exception) {
    Value handled = vm.handled_exception;
    if (is_exception_instance(vm, handled) && !handled.is(exception)) {
        // Chaining must not make a cycle: cut `exception` out of the handled one's chain.
        Value o = handled;
        while (true) {
            Value context = as_exception(o)->context;
            if (context.is_null() || context.is_none()) break;
            if (context.is(exception)) {
                as_exception(o)->context = Value::null();
                break;
            }
            o = context;
        }
        as_exception(exception)->context = handled;
    }
    vm.restore_exception(exception);
}

void add_traceback(VM& vm, Value exception, Frame* frame, std::uint32_t offset) {
    if (!is_exception_instance(vm, exception)) return;
    auto* entry = vm.heap().allocate<Traceback>(vm.types().traceback);
    entry->next = as_exception(exception)->traceback;
    entry->code = frame->code;
    entry->offset = static_cast<int>(offset);
    const auto& positions = frame->code->code->positions;
    entry->line = offset < positions.size() ? positions[offset].line : 0;
    as_exception(exception)->traceback = entry;
}

const SourceFile* find_source(VM& vm, std::string_view filename) {
    for (const auto& source : vm.sources)
        if (source->filename == filename) return source.get();
    return nullptr;
}

// ---------------------------------------------------------------- printing

static std::string strip(std::string_view text) {
    std::size_t begin = text.find_first_not_of(" \t\f");
    if (begin == std::string_view::npos) return "";
    std::size_t end = text.find_last_not_of(" \t\f\r");
    return std::string(text.substr(begin, end - begin + 1));
}

// "ValueError: message", or just "ValueError" when str(exception) is empty.
static std::string exception_line(VM& vm, Value exception) {
    Type* type = exception.as_object()->type;
    std::string name = type->qualname->utf8;
    if (type->module && type->module->view() != "__main__" && type->module->view() != "builtins")
        name = type->module->utf8 + "." + name;
    Value saved = vm.take_exception();
    String* text = ops::str(vm, exception);
    std::string message;
    if (!text) {
        vm.clear_exception();
        message = "<exception str() failed>";
    } else {
        message = text->utf8;
    }
    vm.restore_exception(saved);
    return message.empty() ? name : name + ": " + message;
}

static void print_traceback_entries(VM& vm, Traceback* tb, std::ostream& out) {
    std::string last;
    int repeated = 0;
    auto flush_repeats = [&] {
        if (repeated > 3) {
            int more = repeated - 3;
            out << "  [Previous line repeated " << more << " more time" << (more == 1 ? "" : "s") << "]\n";
        }
    };
    for (; tb; tb = tb->next) {
        const Code* code = tb->code;
        std::string entry = fmt::format("  File \"{}\", line {}, in {}\n", code->filename->view(), tb->line,
                                        code->name->view());
        if (const SourceFile* source = find_source(vm, code->filename->view())) {
            std::string line = strip(source->line_text(tb->line));
            if (!line.empty()) entry += "    " + line + "\n";
        }
        if (entry == last) {
            ++repeated;
            if (repeated > 3) continue;
        } else {
            flush_repeats();
            last = entry;
            repeated = 1;
        }
        out << entry;
    }
    flush_repeats();
}

// CPython's traceback._ExceptionPrintContext: exception groups are drawn with margins.
struct PrintContext {
    std::ostream& out;
    int depth = 0;
    bool need_close = false;
    std::string indent() const { return std::string(static_cast<std::size_t>(2 * depth), ' '); }
    void emit(const std::string& text, char margin = '|') {
        std::string prefix = indent();
        if (depth) prefix += std::string(1, margin) + " ";
        std::size_t start = 0;
        while (start < text.size()) {
            std::size_t end = text.find('\n', start);
            std::size_t stop = end == std::string::npos ? text.size() : end + 1;
            out << prefix << text.substr(start, stop - start);
            start = stop;
        }
    }
};

static void print_one(VM& vm, Value exception, PrintContext& ctx, std::vector<Value>& seen) {
    seen.push_back(exception);
    auto* object = as_exception(exception);
    auto unseen = [&](Value v) {
        if (!is_exception_instance(vm, v)) return false;
        for (Value s : seen)
            if (s.is(v)) return false;
        return true;
    };
    if (unseen(object->cause)) {
        print_one(vm, object->cause, ctx, seen);
        ctx.emit("\nThe above exception was the direct cause of the following exception:\n\n");
    } else if (!object->suppress_context && unseen(object->context)) {
        print_one(vm, object->context, ctx, seen);
        ctx.emit("\nDuring handling of the above exception, another exception occurred:\n\n");
    }
    auto stack_text = [&] {
        std::ostringstream text;
        print_traceback_entries(vm, object->traceback, text);
        return text.str();
    };
    // A SyntaxError's value is its full formatted report (file, line, caret, message).
    if (is_subtype(object->type, vm.types().syntax_error) && object->value.is_object() &&
        object->value.as_object()->type == vm.types().str) {
        if (object->traceback) ctx.emit("Traceback (most recent call last):\n" + stack_text());
        ctx.emit(static_cast<String*>(object->value.as_object())->utf8);
        return;
    }
    Tuple* group = is_subtype(object->type, vm.types().base_exception_group) && object->value.is_object() &&
                           object->value.as_object()->type == vm.types().tuple
                       ? static_cast<Tuple*>(object->value.as_object())
                       : nullptr;
    if (!group) {
        if (object->traceback) ctx.emit("Traceback (most recent call last):\n" + stack_text());
        ctx.emit(exception_line(vm, exception) + "\n");
        return;
    }
    bool toplevel = ctx.depth == 0;
    if (toplevel) ctx.depth += 1;
    if (object->traceback) {
        ctx.emit("Exception Group Traceback (most recent call last):\n", toplevel ? '+' : '|');
        ctx.emit(stack_text());
    }
    ctx.emit(exception_line(vm, exception) + "\n");
    std::size_t n = std::min<std::size_t>(group->items.size(), 15);
    for (std::size_t i = 0; i < n; ++i) {
        bool last = i + 1 == n;
        if (last) ctx.need_close = true;
        ctx.out << ctx.indent() << (i == 0 ? "+-" : "  ") << "+---------------- " << (i + 1) << " ----------------\n";
        ctx.depth += 1;
        print_one(vm, group->items[i], ctx, seen);
        if (last && ctx.need_close) {
            ctx.out << ctx.indent() << "+------------------------------------\n";
            ctx.need_close = false;
        }
        ctx.depth -= 1;
    }
    if (group->items.size() > 15) {
        ctx.out << ctx.indent() << "  +---------------- ... ----------------\n";
    }
    if (toplevel) ctx.depth = 0;
}

void print_exception(VM& vm, Value exception, std::ostream& out) {
    std::vector<Value> seen;
    RootVector root(vm, seen);
    PrintContext ctx{out};
    print_one(vm, exception, ctx, seen);
    out.flush();
}

// ---------------------------------------------------------------- the BaseException type

static void exception_trace(Object* self, Tracer& tracer) {
    auto* e = static_cast<BaseExceptionObject*>(self);
    tracer.mark(e->dict);
    tracer.mark(e->args);
    tracer.mark(e->traceback);
    tracer.mark(e->context);
    tracer.mark(e->cause);
    tracer.mark(e->value);
}

static void traceback_trace(Object* self, Tracer& tracer) {
    auto* tb = static_cast<Traceback*>(self);
    tracer.mark(tb->next);
    tracer.mark(tb->code);
}

// BaseException.__new__: any positional arguments become .args.
static Value exception_construct(VM& vm, Value cls, CallArgs args) {
    auto* type = static_cast<Type*>(cls.as_object());
    if (args.keyword_count() && !(type->flags & TypeFlagHeap))
        return vm.raise_format(vm.types().type_error, "{}() takes no keyword arguments", type->name->view());
    Tuple* tuple = new_tuple(vm, args.positional());
    return Value::from_object(allocate_exception(vm, type, tuple));
}

// BaseException.__init__(self, *args): replaces .args.
static Value exception_init(VM& vm, CallArgs args) {
    Value self = args[0];
    CallArgs rest = args.without_self();
    if (rest.keyword_count())
        return vm.raise_format(vm.types().type_error, "{}() takes no keyword arguments", ops::type_name(vm, self));
    Tuple* tuple = new_tuple(vm, rest.positional());
    as_exception(self)->args = tuple;
    return Value::none();
}

static String* exception_repr(VM& vm, Value self) {
    auto* e = as_exception(self);
    const std::string& name = e->type->name->utf8;
    if (e->args && e->args->items.size() == 1) {
        String* arg = ops::repr(vm, e->args->items[0]);
        if (!arg) return nullptr;
        return new_string(vm, name + "(" + arg->utf8 + ")");
    }
    if (!e->args || e->args->items.empty()) return new_string(vm, name + "()");
    String* args = ops::repr(vm, Value::from_object(e->args));
    if (!args) return nullptr;
    return new_string(vm, name + args->utf8);
}

static String* exception_str_slot(VM& vm, Value self) { return ops::exception_str(vm, self); }

// KeyError's str is the repr of the key, so that KeyError('') reads as ''.
static String* key_error_str(VM& vm, Value self) {
    auto* e = as_exception(self);
    if (e->args && e->args->items.size() == 1) return ops::repr(vm, e->args->items[0]);
    return ops::exception_str(vm, self);
}

static Value exception_get_args(VM&, CallArgs args) { return Value::from_object(as_exception(args[0])->args); }
static Value exception_set_args(VM& vm, CallArgs args) {
    Value value = args[1];
    if (auto* tuple = as_instance<Tuple>(value, vm.types().tuple)) {
        as_exception(args[0])->args = tuple;
        return Value::none();
    }
    return vm.raise(vm.types().type_error, "args may only be set to a tuple");
}
static Value exception_get_traceback(VM&, CallArgs args) {
    Traceback* tb = as_exception(args[0])->traceback;
    return tb ? Value::from_object(tb) : Value::none();
}
static Value exception_set_traceback(VM& vm, CallArgs args) {
    Value value = args[1];
    if (value.is_none()) {
        as_exception(args[0])->traceback = nullptr;
        return Value::none();
    }
    if (!value.is_object() || value.as_object()->type != vm.types().traceback)
        return vm.raise(vm.types().type_error, "__traceback__ must be a traceback or None");
    as_exception(args[0])->traceback = static_cast<Traceback*>(value.as_object());
    return Value::none();
}
static Value none_if_null(Value v) { return v.is_null() ? Value::none() : v; }
static Value exception_get_context(VM&, CallArgs args) { return none_if_null(as_exception(args[0])->context); }
static Value exception_set_context(VM&, CallArgs args) {
    as_exception(args[0])->context = args[1];
    return Value::none();
}
static Value exception_get_cause(VM&, CallArgs args) { return none_if_null(as_exception(args[0])->cause); }
static Value exception_set_cause(VM&, CallArgs args) {
    as_exception(args[0])->cause = args[1];
    as_exception(args[0])->suppress_context = true;
    return Value::none();
}
static Value exception_get_suppress(VM&, CallArgs args) {
    return Value::from_bool(as_exception(args[0])->suppress_context);
}
static Value exception_set_suppress(VM& vm, CallArgs args) {
    Truth t = ops::truthy(vm, args[1]);
    if (t == Truth::Error) return Value::null();
    as_exception(args[0])->suppress_context = t == Truth::True;
    return Value::none();
}
static Value exception_with_traceback(VM& vm, CallArgs args) {
    if (!check_positional(vm, args.without_self(), "with_traceback", 1, 1)) return Value::null();
    Value set_args[2] = {args[0], args[1]};
    if (exception_set_traceback(vm, CallArgs(std::span<const Value>(set_args, 2))).is_null()) return Value::null();
    return args[0];
}

// The first argument or None: StopIteration.value, SystemExit.code.
static Value first_arg_or_none(Value self) {
    Tuple* args = as_exception(self)->args;
    if (!args || args->items.empty()) return Value::none();
    return args->items[0];
}
static Value stop_iteration_get_value(VM&, CallArgs args) { return first_arg_or_none(args[0]); }
static Value system_exit_get_code(VM&, CallArgs args) {
    Tuple* tuple = as_exception(args[0])->args;
    if (tuple && tuple->items.size() > 1) return Value::from_object(tuple);
    return first_arg_or_none(args[0]);
}

Value stop_iteration_value(VM&, Value exception) { return first_arg_or_none(exception); }

static String* traceback_repr(VM& vm, Value self) {
    return new_string(vm, fmt::format("<traceback object at {:#x}>", reinterpret_cast<std::uintptr_t>(self.as_object())));
}

static Value traceback_getattr(VM& vm, Value self, String* name) {
    auto* tb = static_cast<Traceback*>(self.as_object());
    if (name->view() == "tb_next") return tb->next ? Value::from_object(tb->next) : Value::none();
    if (name->view() == "tb_lineno") return Value::from_small_int(tb->line);
    if (name->view() == "tb_lasti") return Value::from_small_int(tb->offset);
    return ops::generic_getattr(vm, self, name);
}

// ---- BaseExceptionGroup / ExceptionGroup (PEP 654). The exceptions tuple lives in `value`.

static bool is_group(VM& vm, Value v) {
    return v.is_object() && is_subtype(v.as_object()->type, vm.types().base_exception_group);
}
static Tuple* group_exceptions(Value v) {
    Value t = as_exception(v)->value;
    return t.is_object() ? static_cast<Tuple*>(t.as_object()) : nullptr;
}
static Value group_message(Value v) {
    Tuple* args = as_exception(v)->args;
    return args && !args->items.empty() ? args->items[0] : Value::none();
}

static Value group_construct(VM& vm, Value cls, CallArgs args) {
    auto* type = static_cast<Type*>(cls.as_object());
    auto positional = args.positional();
    if (positional.size() != 2)
        return vm.raise_format(vm.types().type_error, "BaseExceptionGroup.__new__() takes exactly 2 arguments ({} given)",
                               positional.size());
    Value message = positional[0];
    if (!(message.is_object() && is_subtype(message.as_object()->type, vm.types().str)))
        return vm.raise_format(vm.types().type_error, "argument 1 must be str, not {}", ops::type_name(vm, message));
    Value sequence = positional[1];
    Type* st = sequence.is_object() ? sequence.as_object()->type : nullptr;
    if (!st || !(is_subtype(st, vm.types().list) || is_subtype(st, vm.types().tuple)))
        return vm.raise(vm.types().type_error, "second argument (exceptions) must be a sequence");
    std::vector<Value> items = is_subtype(st, vm.types().list) ? static_cast<List*>(sequence.as_object())->items
                                                                : static_cast<Tuple*>(sequence.as_object())->items;
    if (items.empty())
        return vm.raise(vm.types().value_error, "second argument (exceptions) must be a non-empty sequence");
    bool all_exceptions = true;
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (!is_exception_instance(vm, items[i]))
            return vm.raise_format(vm.types().value_error, "Item {} of second argument (exceptions) is not an exception", i);
        if (!is_subtype(items[i].as_object()->type, vm.types().exception)) all_exceptions = false;
    }
    if (type == vm.types().base_exception_group) {
        if (all_exceptions) type = vm.types().exception_group;
    } else if (type == vm.types().exception_group) {
        if (!all_exceptions) return vm.raise(vm.types().type_error, "Cannot nest BaseExceptions in an ExceptionGroup");
    } else if (is_subtype(type, vm.types().exception) && !all_exceptions) {
        return vm.raise_format(vm.types().type_error, "Cannot nest BaseExceptions in '{}'", type->name->view());
    }
    Tuple* exceptions = new_tuple(vm, std::move(items));
    Root exceptions_root(vm, exceptions);
    Value pair[2] = {message, sequence};
    Tuple* tuple = new_tuple(vm, std::span<const Value>(pair, 2));
    // allocate_exception may collect: the args tuple has no other owner yet.
    Root tuple_root(vm, tuple);
    BaseExceptionObject* group = allocate_exception(vm, type, tuple);
    group->value = Value::from_object(exceptions);
    return Value::from_object(group);
}

static Value group_init(VM&, CallArgs) { return Value::none(); }

static String* group_str(VM& vm, Value self) {
    Value message = group_message(self);
    String* text = ops::str(vm, message);
    if (!text) return nullptr;
    Tuple* excs = group_exceptions(self);
    std::size_t n = excs ? excs->items.size() : 0;
    return new_string(vm, fmt::format("{} ({} sub-exception{})", text->utf8, n, n == 1 ? "" : "s"));
}

static Value group_get_message(VM&, CallArgs args) { return group_message(args[0]); }
static Value group_get_exceptions(VM& vm, CallArgs args) {
    Tuple* excs = group_exceptions(args[0]);
    return excs ? Value::from_object(excs) : Value::from_object(new_tuple(vm, std::span<const Value>{}));
}

static Value group_derive(VM& vm, CallArgs args) {
    if (!check_positional(vm, args.without_self(), "derive", 1, 1)) return Value::null();
    Value call_args[2] = {group_message(args[0]), args[1]};
    return group_construct(vm, Value::from_object(vm.types().base_exception_group),
                           CallArgs(std::span<const Value>(call_args, 2)));
}

// self.derive(items) with the traceback, cause and context of `self` copied over.
static Value derive_and_copy(VM& vm, Value self, std::vector<Value>& items) {
    Value derive = ops::getattr(vm, self, vm.intern("derive"));
    if (derive.is_null()) return derive;
    Root derive_root(vm, derive);
    List* list = new_list(vm, std::span<const Value>(items));
    Root list_root(vm, list);
    Value arg = Value::from_object(list);
    Value result = vm.call(derive, std::span<const Value>(&arg, 1));
    if (result.is_null()) return result;
    if (!is_group(vm, result))
        return vm.raise_format(vm.types().type_error, "derive must return an instance of BaseExceptionGroup");
    auto* to = as_exception(result);
    auto* from = as_exception(self);
    to->traceback = from->traceback;
    to->cause = from->cause;
    to->context = from->context;
    to->suppress_context = true;  // CPython 3.11 copies __cause__ with PyException_SetCause, which sets this
    return result;
}

using GroupMatcher = std::function<Truth(Value)>;

// Splits `exc` into (match, rest); either may be None. Returns false after raising.
static bool split_recursive(VM& vm, Value exc, const GroupMatcher& matches, Value& match, Value& rest) {
    Truth t = matches(exc);
    if (t == Truth::Error) return false;
    if (t == Truth::True) {
        match = exc;
        rest = Value::none();
        return true;
    }
    if (!is_group(vm, exc)) {
        match = Value::none();
        rest = exc;
        return true;
    }
    std::vector<Value> matched, others;
    RootVector r1(vm, matched), r2(vm, others);
    Tuple* excs = group_exceptions(exc);
    for (Value e : excs->items) {
        Value m, r;
        if (!split_recursive(vm, e, matches, m, r)) return false;
        if (!m.is_none()) matched.push_back(m);
        if (!r.is_none()) others.push_back(r);
    }
    match = Value::none();
    rest = Value::none();
    if (!matched.empty()) {
        match = derive_and_copy(vm, exc, matched);
        if (match.is_null()) return false;
    }
    Root match_root(vm, match);
    if (!others.empty()) {
        rest = derive_and_copy(vm, exc, others);
        if (rest.is_null()) return false;
    }
    return true;
}

static bool is_exception_class(VM& vm, Value v) {
    return v.is_object() && v.as_object()->type == vm.types().type &&
           is_subtype(static_cast<Type*>(v.as_object()), vm.types().base_exception);
}

static bool make_matcher(VM& vm, Value condition, GroupMatcher& out) {
    bool types = is_exception_class(vm, condition) || (condition.is_object() && condition.as_object()->type == vm.types().tuple);
    if (condition.is_object() && condition.as_object()->type == vm.types().tuple) {
        for (Value item : static_cast<Tuple*>(condition.as_object())->items)
            if (!is_exception_class(vm, item)) types = false;
    }
    if (types) {
        out = [&vm, condition](Value e) { return ops::isinstance(vm, e, condition); };
        return true;
    }
    if (condition.is_object() && !is_exception_instance(vm, condition)) {
        out = [&vm, condition](Value e) {
            Value r = vm.call(condition, std::span<const Value>(&e, 1));
            if (r.is_null()) return Truth::Error;
            return ops::truthy(vm, r);
        };
        return true;
    }
    vm.raise(vm.types().type_error, "expected a function, exception type or tuple of exception types");
    return false;
}

static Value group_split(VM& vm, CallArgs args) {
    if (!check_positional(vm, args.without_self(), "split", 1, 1)) return Value::null();
    GroupMatcher matcher;
    if (!make_matcher(vm, args[1], matcher)) return Value::null();
    Value match, rest;
    if (!split_recursive(vm, args[0], matcher, match, rest)) return Value::null();
    // Both halves are new groups nothing else holds while the result tuple is allocated.
    Root match_root(vm, match), rest_root(vm, rest);
    Value pair[2] = {match, rest};
    return Value::from_object(new_tuple(vm, std::span<const Value>(pair, 2)));
}

static Value group_subgroup(VM& vm, CallArgs args) {
    if (!check_positional(vm, args.without_self(), "subgroup", 1, 1)) return Value::null();
    GroupMatcher matcher;
    if (!make_matcher(vm, args[1], matcher)) return Value::null();
    Value match, rest;
    if (!split_recursive(vm, args[0], matcher, match, rest)) return Value::null();
    return match;
}

// except* matching (CHECK_EG_MATCH): the match (None when nothing matched); `rest` gets the rest.
Value exception_group_match(VM& vm, Value exc, Value type, Value& rest) {
    if (type.is_object() && type.as_object()->type == vm.types().type &&
        is_subtype(static_cast<Type*>(type.as_object()), vm.types().base_exception_group)) {
        return vm.raise(vm.types().type_error,
                        "catching ExceptionGroup with except* is not allowed. Use except instead.");
    }
    if (type.is_object() && type.as_object()->type == vm.types().tuple) {
        for (Value item : static_cast<Tuple*>(type.as_object())->items)
            if (item.is_object() && item.as_object()->type == vm.types().type &&
                is_subtype(static_cast<Type*>(item.as_object()), vm.types().base_exception_group))
                return vm.raise(vm.types().type_error,
                                "catching ExceptionGroup with except* is not allowed. Use except instead.");
    }
    if (exc.is_none()) {
        rest = Value::none();
        return Value::none();
    }
    Truth whole = ops::isinstance(vm, exc, type);
    if (whole == Truth::Error) return Value::null();
    if (whole == Truth::True) {
        rest = Value::none();
        if (is_group(vm, exc)) return exc;
        Value pair[2] = {Value::from_object(new_string(vm, std::string_view{})), Value::null()};
        Root r0(vm, pair[0]);
        pair[1] = Value::from_object(new_tuple(vm, std::span<const Value>(&exc, 1)));
        Root r1(vm, pair[1]);
        Value wrapped = group_construct(vm, Value::from_object(vm.types().base_exception_group),
                                        CallArgs(std::span<const Value>(pair, 2)));
        if (wrapped.is_null()) return wrapped;
        as_exception(wrapped)->traceback = as_exception(exc)->traceback;
        return wrapped;
    }
    if (!is_group(vm, exc)) {
        rest = exc;
        return Value::none();
    }
    GroupMatcher matcher = [&vm, type](Value e) { return ops::isinstance(vm, e, type); };
    Value match;
    if (!split_recursive(vm, exc, matcher, match, rest)) return Value::null();
    return match;
}

static void collect_leaves(VM& vm, Value exc, std::vector<Object*>& out) {
    if (!is_group(vm, exc)) {
        out.push_back(exc.as_object());
        return;
    }
    for (Value e : group_exceptions(exc)->items) collect_leaves(vm, e, out);
}

// PREP_RERAISE_STAR: what a try/except* re-raises (None for nothing).
Value exception_group_prep_reraise(VM& vm, Value orig, Value raised_list) {
    std::vector<Value> excs;
    for (Value v : static_cast<List*>(raised_list.as_object())->items)
        if (!v.is_none() && !v.is_null()) excs.push_back(v);
    if (excs.empty()) return Value::none();
    if (!is_group(vm, orig)) return excs[0];
    std::vector<Object*> orig_leaves;
    collect_leaves(vm, orig, orig_leaves);
    std::vector<Object*> keep;
    std::vector<Value> raised;
    RootVector raised_root(vm, raised);
    for (Value e : excs) {
        std::vector<Object*> leaves;
        collect_leaves(vm, e, leaves);
        bool reraised = true;
        for (Object* leaf : leaves)
            if (std::find(orig_leaves.begin(), orig_leaves.end(), leaf) == orig_leaves.end()) reraised = false;
        if (reraised) keep.insert(keep.end(), leaves.begin(), leaves.end());
        else raised.push_back(e);
    }
    Value reraised_group = Value::none();
    if (!keep.empty()) {
        GroupMatcher matcher = [&vm, &keep](Value e) {
            if (is_group(vm, e)) return Truth::False;
            return std::find(keep.begin(), keep.end(), e.as_object()) != keep.end() ? Truth::True : Truth::False;
        };
        Value rest;
        if (!split_recursive(vm, orig, matcher, reraised_group, rest)) return Value::null();
    }
    if (raised.empty()) return reraised_group;
    if (!reraised_group.is_none()) raised.push_back(reraised_group);
    if (raised.size() == 1) return raised[0];
    Value pair[2] = {Value::from_object(new_string(vm, std::string_view{})), Value::null()};
    Root r0(vm, pair[0]);
    pair[1] = Value::from_object(new_list(vm, std::span<const Value>(raised)));
    Root r1(vm, pair[1]);
    return group_construct(vm, Value::from_object(vm.types().base_exception_group), CallArgs(std::span<const Value>(pair, 2)));
}

static void init_exception_groups(VM& vm) {
    Type* base = vm.types().base_exception_group;
    Type* group = vm.types().exception_group;
    group->mro = {group, base, vm.types().exception, vm.types().base_exception, vm.types().object};
    for (Type* t : {base, group}) {
        t->construct = group_construct;
        t->str = group_str;
    }
    define_method(vm, base, "__init__", group_init);
    define_method(vm, base, "derive", group_derive);
    define_method(vm, base, "split", group_split);
    define_method(vm, base, "subgroup", group_subgroup);
    define_property(vm, base, "message", group_get_message);
    define_property(vm, base, "exceptions", group_get_exceptions);
}

void init_exception_types(VM& vm) {
    Type* base = vm.types().base_exception;
    BaseExceptionObject probe;
    base->dict_offset = static_cast<std::uint32_t>(reinterpret_cast<char*>(&probe.dict) - reinterpret_cast<char*>(&probe));
    base->trace = exception_trace;
    base->finalize = nullptr;  // trivially destructible
    base->construct = exception_construct;
    base->repr = exception_repr;
    base->str = exception_str_slot;
    define_method(vm, base, "__init__", exception_init);
    define_method(vm, base, "with_traceback", exception_with_traceback);
    define_property(vm, base, "args", exception_get_args, exception_set_args);
    define_property(vm, base, "__traceback__", exception_get_traceback, exception_set_traceback);
    define_property(vm, base, "__context__", exception_get_context, exception_set_context);
    define_property(vm, base, "__cause__", exception_get_cause, exception_set_cause);
    define_property(vm, base, "__suppress_context__", exception_get_suppress, exception_set_suppress);
    define_property(vm, vm.types().stop_iteration, "value", stop_iteration_get_value);
    define_property(vm, vm.types().system_exit, "code", system_exit_get_code);
    vm.types().key_error->str = key_error_str;
    // Every exception class has the same layout, so the offsets are the same.
#define EXCEPTION(field, name, base_field) vm.types().field->dict_offset = base->dict_offset;
#include "runtime/exception_types.def"
#undef EXCEPTION

    init_exception_groups(vm);
    vm.types().traceback->trace = traceback_trace;
    vm.types().traceback->repr = traceback_repr;
    vm.types().traceback->getattr = traceback_getattr;
}

}  // namespace asy
