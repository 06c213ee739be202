// Exception objects: the BaseException type's slots and attributes (args, __traceback__,
// __context__, __cause__), raising with implicit chaining, traceback entries, and printing an
// uncaught exception exactly as CPython does ("Traceback (most recent call last): ...").
#include "compiler/source.hpp"
#include "runtime/objects/dict.hpp"
#include "runtime/objects/str.hpp"
#include "runtime/objects/tuple.hpp"
#include "runtime/ops.hpp"
#include "runtime/vm_internal.hpp"

#include <ostream>

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
    out << "Traceback (most recent call last):\n";
    // CPython collapses a line repeated more than three times in a row (deep recursion).
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

static void print_one(VM& vm, Value exception, std::ostream& out, std::vector<Value>& seen) {
    seen.push_back(exception);
    auto* object = as_exception(exception);
    auto unseen = [&](Value v) {
        if (!is_exception_instance(vm, v)) return false;
        for (Value s : seen)
            if (s.is(v)) return false;
        return true;
    };
    if (unseen(object->cause)) {
        print_one(vm, object->cause, out, seen);
        out << "\nThe above exception was the direct cause of the following exception:\n\n";
    } else if (!object->suppress_context && unseen(object->context)) {
        print_one(vm, object->context, out, seen);
        out << "\nDuring handling of the above exception, another exception occurred:\n\n";
    }
    if (object->traceback) print_traceback_entries(vm, object->traceback, out);
    // A SyntaxError raised while importing carries its CPython layout in `value`.
    if (is_subtype(object->type, vm.types().syntax_error) && object->value.is_object() &&
        object->value.as_object()->type == vm.types().str) {
        out << static_cast<String*>(object->value.as_object())->utf8;
        return;
    }
    out << exception_line(vm, exception) << "\n";
}

void print_exception(VM& vm, Value exception, std::ostream& out) {
    std::vector<Value> seen;
    RootVector root(vm, seen);
    print_one(vm, exception, out, seen);
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

    vm.types().traceback->trace = traceback_trace;
    vm.types().traceback->repr = traceback_repr;
    vm.types().traceback->getattr = traceback_getattr;
}

}  // namespace asy
