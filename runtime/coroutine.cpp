// Generators and coroutines: objects that own a suspended frame. Resuming one pushes its frame
// and re-enters the dispatch loop, which returns at the next yield (or await that suspends),
// at return, or when an exception escapes. send/throw/close follow CPython's rules, including
// delegating throw() to the sub-iterator of a `yield from` / `await`.
#include "runtime/objects/dict.hpp"
#include "runtime/objects/generator.hpp"

#include "runtime/objects/str.hpp"
#include "runtime/objects/tuple.hpp"
#include "runtime/ops.hpp"
#include "runtime/vm_internal.hpp"

namespace asy {

// The most generators resumed inside each other (each resume is a C++ call).
static constexpr int max_resume_depth = 600;

static bool is_coroutine(VM& vm, const Generator* g) { return g->type == vm.types().coroutine; }

Value make_generator(VM& vm, Function* function, Frame* frame) {
    // The frame holds the arguments and cells: keep it traced while the object is made.
    vm.frames.push_back(frame);
    const std::uint32_t flags = function->code->code->flags;
    Type* type = (flags & CO_COROUTINE)       ? vm.types().coroutine
                 : (flags & CO_ASYNC_GENERATOR) ? vm.types().async_generator
                                                 : vm.types().generator;
    auto* generator = vm.heap().allocate<Generator>(type);
    vm.frames.pop_back();
    generator->frame = frame;
    generator->code = function->code;
    generator->name = function->name;
    generator->qualname = function->qualname;
    frame->generator = generator;
    frame->is_entry = true;
    return Value::from_object(generator);
}

static void finish(VM& vm, Generator* generator) {
    generator->state = GeneratorState::Finished;
    if (generator->frame) {
        generator->frame->generator = nullptr;
        release_frame(vm, generator->frame);
        generator->frame = nullptr;
    }
}

// When a generator is suspended in `yield from` / `await`, its sub-iterator; else null.
static Value delegate_of(const Generator* generator) {
    const Frame* frame = generator->frame;
    if (!frame || frame->pc < 2) return Value::null();
    const auto& instructions = frame->code->code->instructions;
    if (opcode_of(instructions[frame->pc - 1]) != Opcode::YIELD_VALUE ||
        opcode_of(instructions[frame->pc - 2]) != Opcode::SEND)
        return Value::null();
    return frame->sp[-1];
}

// Runs the generator's frame, sending in `value` (pushed as the result of the yield) or
// raising the pending exception in it when `throwing`.
static ResumeResult run_generator(VM& vm, Generator* generator, Value value, bool push_value, bool throwing,
                                  Value& out) {
    Frame* frame = generator->frame;
    if (push_value) *frame->sp++ = value;
    generator->state = GeneratorState::Running;
    // The generator has its own "exception being handled".
    Value saved_handled = vm.handled_exception;
    vm.handled_exception = generator->handled_exception;
    vm.frames.push_back(frame);
    ++vm.native_depth;
    Value result = run_frame(vm, frame, throwing);
    --vm.native_depth;
    generator->handled_exception = vm.handled_exception;
    vm.handled_exception = saved_handled;
    if (vm.last_run_yielded) {
        generator->state = GeneratorState::Suspended;
        out = result;
        return ResumeResult::Yielded;
    }
    finish(vm, generator);
    if (result.is_null()) {
        // A StopIteration escaping a generator body would end the caller's loop silently:
        // PEP 479 turns it into a RuntimeError.
        if (vm.exception_matches(vm.types().stop_iteration)) {
            Value stop = vm.take_exception();
            Root root(vm, stop);
            vm.raise_error(is_coroutine(vm, generator) ? Error::coroutine_raised_stop : Error::generator_raised_stop);
            Value error = vm.exception();
            as_exception(error)->cause = stop;
            as_exception(error)->context = stop;
            as_exception(error)->suppress_context = true;
        }
        return ResumeResult::Raised;
    }
    out = result;
    return ResumeResult::Returned;
}

ResumeResult resume_generator(VM& vm, Generator* generator, Value value, Value exception, Value& out) {
    out = Value::none();
    switch (generator->state) {
    case GeneratorState::Running:
        vm.raise_error(is_coroutine(vm, generator) ? Error::coroutine_already_executing
                                                   : Error::generator_already_executing);
        return ResumeResult::Raised;
    case GeneratorState::Finished:
        if (!exception.is_null()) {
            vm.restore_exception(exception);
            return ResumeResult::Raised;
        }
        if (is_coroutine(vm, generator)) {
            vm.raise_error(Error::reused_coroutine);
            return ResumeResult::Raised;
        }
        return ResumeResult::Returned;
    case GeneratorState::Created:
        if (!exception.is_null()) {
            // Throwing into a generator that never started: it ends, with the exception.
            finish(vm, generator);
            vm.restore_exception(exception);
            return ResumeResult::Raised;
        }
        if (!value.is_none()) {
            vm.raise_error(Error::cant_send_non_none, is_coroutine(vm, generator) ? "coroutine" : "generator");
            return ResumeResult::Raised;
        }
        generator->started = true;
        // Skip RETURN_GENERATOR: the value pushed here is what it would have pushed.
        if (!generator->frame->code->code->instructions.empty() &&
            opcode_of(generator->frame->code->code->instructions[0]) == Opcode::RETURN_GENERATOR)
            generator->frame->pc = 1;
        break;
    case GeneratorState::Suspended: break;
    }
    if (vm.native_depth >= max_resume_depth) {
        vm.raise_error(Error::recursion);
        return ResumeResult::Raised;
    }
    if (exception.is_null()) return run_generator(vm, generator, value, true, false, out);

    // throw(): first to the sub-iterator of a `yield from`, as CPython's gen_throw does.
    Root exception_root(vm, exception);
    Value delegate = delegate_of(generator);
    if (!delegate.is_null()) {
        Root delegate_root(vm, delegate);
        const bool closing = is_subtype(exception.as_object()->type, vm.types().generator_exit);
        Value result;
        bool delegate_returned = false;
        bool delegate_raised = false;
        if (delegate.is_object() && (delegate.as_object()->type == vm.types().generator ||
                                     delegate.as_object()->type == vm.types().coroutine)) {
            auto* sub = static_cast<Generator*>(delegate.as_object());
            if (closing) {
                // Close the delegate, then raise GeneratorExit here.
                Value ignored;
                if (sub->state == GeneratorState::Suspended) {
                    generator->state = GeneratorState::Running;
                    ResumeResult r = resume_generator(vm, sub, Value::none(), exception, ignored);
                    generator->state = GeneratorState::Suspended;
                    if (r == ResumeResult::Raised && vm.exception_matches(vm.types().generator_exit))
                        vm.clear_exception();
                    else if (r == ResumeResult::Yielded)
                        vm.raise_error(Error::generator_ignored_exit);
                    if (vm.has_exception()) delegate_raised = true;
                }
            } else {
                generator->state = GeneratorState::Running;
                ResumeResult r = resume_generator(vm, sub, Value::none(), exception, result);
                generator->state = GeneratorState::Suspended;
                if (r == ResumeResult::Yielded) {
                    out = result;
                    return ResumeResult::Yielded;
                }
                delegate_returned = r == ResumeResult::Returned;
                delegate_raised = r == ResumeResult::Raised;
            }
        } else if (!closing) {
            Value method = ops::getattr_optional(vm, delegate, vm.names().throw_);
            if (!method.is_null()) {
                Root method_root(vm, method);
                generator->state = GeneratorState::Running;
                result = vm.call(method, std::span<const Value>(&exception, 1));
                generator->state = GeneratorState::Suspended;
                if (!result.is_null()) {
                    out = result;
                    return ResumeResult::Yielded;
                }
                if (vm.exception_matches(vm.types().stop_iteration)) {
                    result = stop_iteration_value(vm, vm.exception());
                    vm.clear_exception();
                    delegate_returned = true;
                } else {
                    delegate_raised = true;
                }
            } else if (vm.has_exception()) {
                delegate_raised = true;
            }
        }
        if (delegate_returned) {
            // The sub-iterator finished: continue after the `yield from` with its value.
            Frame* frame = generator->frame;
            frame->sp[-1] = result;
            frame->pc = operand_of(frame->code->code->instructions[frame->pc - 2]);
            return run_generator(vm, generator, Value::none(), false, false, out);
        }
        if (delegate_raised) return run_generator(vm, generator, Value::none(), false, true, out);
    }
    set_pending_exception(vm, exception);
    return run_generator(vm, generator, Value::none(), false, true, out);
}

ResumeResult VM::resume(Value generator, Value value, Value exception, Value& out) {
    return resume_generator(*this, static_cast<Generator*>(generator.as_object()), value, exception, out);
}

// ---------------------------------------------------------------- methods

static Generator* self_generator(CallArgs args) { return static_cast<Generator*>(args[0].as_object()); }

// A return value surfaces as StopIteration(value) (no args when it is None).
static Value raise_stop(VM& vm, Value value) {
    if (value.is_none()) return vm.raise(vm.types().stop_iteration);
    // The finished generator no longer holds the value: keep it alive while the exception is made.
    Root root(vm, value);
    Value exception = new_exception(vm, vm.types().stop_iteration, std::span<const Value>(&value, 1));
    set_pending_exception(vm, exception);
    return Value::null();
}

static Value outcome_value(VM& vm, ResumeResult result, Value out) {
    switch (result) {
    case ResumeResult::Yielded: return out;
    case ResumeResult::Returned: return raise_stop(vm, out);
    case ResumeResult::Raised: return Value::null();
    }
    return Value::null();
}

static Value generator_send(VM& vm, CallArgs args) {
    if (!check_positional(vm, args.without_self(), "send", 1, 1)) return Value::null();
    Value out;
    ResumeResult r = resume_generator(vm, self_generator(args), args[1], Value::null(), out);
    return outcome_value(vm, r, out);
}

static Value generator_throw(VM& vm, CallArgs args) {
    if (!check_positional(vm, args.without_self(), "throw", 1, 3)) return Value::null();
    Value raised = args[1];
    Value exception;
    if (args.positional_count() >= 3 && !args[2].is_none() && raised.is_object() &&
        raised.as_object()->type == vm.types().type) {
        // throw(type, value): value may be an instance or the constructor's argument.
        if (is_exception_instance(vm, args[2])) {
            exception = args[2];
        } else {
            exception = vm.call(raised, std::span<const Value>(&args.values[2], 1));
            if (exception.is_null()) return exception;
        }
    } else {
        exception = exception_instance(vm, raised);
        if (exception.is_null()) return exception;
    }
    Root root(vm, exception);
    Value out;
    ResumeResult r = resume_generator(vm, self_generator(args), Value::none(), exception, out);
    return outcome_value(vm, r, out);
}

static Value generator_close(VM& vm, CallArgs args) {
    Generator* generator = self_generator(args);
    if (generator->state == GeneratorState::Created || generator->state == GeneratorState::Finished) {
        finish(vm, generator);
        return Value::none();
    }
    Value exception = new_exception(vm, vm.types().generator_exit, {});
    Root root(vm, exception);
    Value out;
    ResumeResult r = resume_generator(vm, generator, Value::none(), exception, out);
    if (r == ResumeResult::Yielded) {
        return vm.raise_error(is_coroutine(vm, generator) ? Error::coroutine_ignored_exit
                                                          : Error::generator_ignored_exit);
    }
    if (r == ResumeResult::Raised) {
        if (vm.exception_matches(vm.types().generator_exit) || vm.exception_matches(vm.types().stop_iteration)) {
            vm.clear_exception();
            return Value::none();
        }
        return Value::null();
    }
    return Value::none();
}

static Value generator_iter(VM&, Value self) { return self; }

static Value generator_next(VM& vm, Value self) {
    Value out;
    ResumeResult r = resume_generator(vm, static_cast<Generator*>(self.as_object()), Value::none(), Value::null(), out);
    if (r == ResumeResult::Yielded) return out;
    if (r == ResumeResult::Returned && !out.is_none()) return raise_stop(vm, out);
    return Value::null();
}

static String* generator_repr(VM& vm, Value self) {
    auto* g = static_cast<Generator*>(self.as_object());
    return new_string(vm, fmt::format("<{} object {} at {:#x}>", g->type->name->view(), g->qualname->view(),
                                      reinterpret_cast<std::uintptr_t>(g)));
}

static Value generator_getattr(VM& vm, Value self, String* name) {
    auto* g = static_cast<Generator*>(self.as_object());
    std::string_view n = name->view();
    if (name == vm.names().name) return Value::from_object(g->name);
    if (name == vm.names().qualname) return Value::from_object(g->qualname);
    if (n == "gi_running" || n == "cr_running") return Value::from_bool(g->state == GeneratorState::Running);
    if (n == "gi_code" || n == "cr_code") return Value::from_object(g->code);
    if (n == "gi_frame" || n == "cr_frame") return Value::none();
    if (n == "gi_suspended" || n == "cr_suspended") return Value::from_bool(g->state == GeneratorState::Suspended);
    if (n == "gi_yieldfrom" || n == "cr_await") {
        Value d = delegate_of(g);
        return d.is_null() ? Value::none() : d;
    }
    return ops::generic_getattr(vm, self, name);
}

static void generator_trace(Object* self, Tracer& tracer) {
    auto* g = static_cast<Generator*>(self);
    tracer.mark(g->code);
    tracer.mark(g->name);
    tracer.mark(g->qualname);
    tracer.mark(g->handled_exception);
    if (g->frame) trace_frame(g->frame, tracer);
}

static void generator_finalize(Object* self) {
    // An unfinished generator's frame dies with it (the pool is the VM's; just free it).
    auto* g = static_cast<Generator*>(self);
    if (g->frame) ::operator delete(g->frame);
    g->frame = nullptr;
}

// coroutine.__await__(): an iterator over the coroutine (what `await` drives).
struct CoroutineWrapper : Object {
    Value coroutine;
};

static void wrapper_trace(Object* self, Tracer& tracer) { tracer.mark(static_cast<CoroutineWrapper*>(self)->coroutine); }

static Value coroutine_await(VM& vm, CallArgs args) {
    Root root(vm, args[0]);
    auto* wrapper = vm.heap().allocate<CoroutineWrapper>(vm.types().coroutine_wrapper);
    wrapper->coroutine = args[0];
    return Value::from_object(wrapper);
}

static Value wrapper_next(VM& vm, Value self) {
    return generator_next(vm, static_cast<CoroutineWrapper*>(self.as_object())->coroutine);
}

static Value wrapper_send(VM& vm, CallArgs args) {
    Value inner[2] = {static_cast<CoroutineWrapper*>(args[0].as_object())->coroutine,
                      args.count > 1 ? args[1] : Value::none()};
    return generator_send(vm, CallArgs(std::span<const Value>(inner, 2)));
}

static Value wrapper_throw(VM& vm, CallArgs args) {
    std::vector<Value> inner(args.values, args.values + args.count);
    inner[0] = static_cast<CoroutineWrapper*>(args[0].as_object())->coroutine;
    RootVector root(vm, inner);
    return generator_throw(vm, CallArgs(std::span<const Value>(inner)));
}

static Value wrapper_close(VM& vm, CallArgs args) {
    Value inner = static_cast<CoroutineWrapper*>(args[0].as_object())->coroutine;
    return generator_close(vm, CallArgs(std::span<const Value>(&inner, 1)));
}

// ---------------------------------------------------------------- async generators
// ASYNC_GEN_WRAP wraps each value the body yields in an AsyncGenValue, so the awaitables made by
// __anext__/asend/athrow/aclose can tell a yielded value (-> StopIteration(value)) from a future
// yielded by an inner await (passed through to the event loop).

Type* new_type(VM& vm, std::string_view name, Type* base, InstanceLayout layout, std::uint32_t flags);

static Type* async_gen_value_type = nullptr;
static Type* async_gen_awaitable_type = nullptr;

struct AsyncGenValue : Object {
    Value value;
};
enum class AwaitableKind : std::uint8_t { Send, Throw, Close };
struct AsyncGenAwaitable : Object {
    Value generator;
    Value value;      // asend: the value to send first
    Value exception;  // athrow: the exception to throw first
    AwaitableKind kind = AwaitableKind::Send;
    int state = 0;    // 0 not started, 1 running, 2 done
};

static void async_gen_value_trace(Object* self, Tracer& tracer) { tracer.mark(static_cast<AsyncGenValue*>(self)->value); }
static void async_gen_awaitable_trace(Object* self, Tracer& tracer) {
    auto* a = static_cast<AsyncGenAwaitable*>(self);
    tracer.mark(a->generator);
    tracer.mark(a->value);
    tracer.mark(a->exception);
}

Value async_gen_wrap(VM& vm, Value value) {
    Root root(vm, value);
    auto* wrapped = vm.heap().allocate<AsyncGenValue>(async_gen_value_type);
    wrapped->value = value;
    return Value::from_object(wrapped);
}

static Value make_awaitable(VM& vm, Value generator, AwaitableKind kind, Value value, Value exception) {
    Root r1(vm, generator), r2(vm, value), r3(vm, exception);
    auto* a = vm.heap().allocate<AsyncGenAwaitable>(async_gen_awaitable_type);
    a->generator = generator;
    a->value = value;
    a->exception = exception;
    a->kind = kind;
    return Value::from_object(a);
}

// One step of the async generator under the awaitable.
static Value awaitable_step(VM& vm, AsyncGenAwaitable* a, Value value, Value exception) {
    if (a->state == 2) return vm.raise(vm.types().runtime_error, "cannot reuse already awaited __anext__()/asend()");
    auto* generator = static_cast<Generator*>(a->generator.as_object());
    if (a->state == 0) {
        a->state = 1;
        if (a->kind == AwaitableKind::Send && value.is_none() && !a->value.is_null()) value = a->value;
        if (a->kind != AwaitableKind::Send) exception = a->exception;
        if (generator->state == GeneratorState::Finished) {
            a->state = 2;
            if (a->kind == AwaitableKind::Close) return vm.raise(vm.types().stop_iteration);
            if (a->kind == AwaitableKind::Throw && generator->state == GeneratorState::Finished) {
                return vm.raise(vm.types().stop_async_iteration);
            }
            return vm.raise(vm.types().stop_async_iteration);
        }
        if (!exception.is_null() && generator->state == GeneratorState::Created) {
            finish(vm, generator);
            a->state = 2;
            if (a->kind == AwaitableKind::Close) return vm.raise(vm.types().stop_iteration);
            set_pending_exception(vm, exception);
            return Value::null();
        }
    }
    Root root(vm, Value::from_object(a));
    Value out;
    ResumeResult r = resume_generator(vm, generator, exception.is_null() ? value : Value::none(), exception, out);
    if (r == ResumeResult::Yielded) {
        if (out.is_object() && out.as_object()->type == async_gen_value_type) {
            a->state = 2;
            if (a->kind == AwaitableKind::Close)
                return vm.raise(vm.types().runtime_error, "async generator ignored GeneratorExit");
            return raise_stop(vm, static_cast<AsyncGenValue*>(out.as_object())->value);
        }
        return out;
    }
    a->state = 2;
    if (r == ResumeResult::Returned) {
        if (a->kind == AwaitableKind::Close) return vm.raise(vm.types().stop_iteration);
        return vm.raise(vm.types().stop_async_iteration);
    }
    if (a->kind == AwaitableKind::Close &&
        (vm.exception_matches(vm.types().generator_exit) || vm.exception_matches(vm.types().stop_async_iteration))) {
        vm.clear_exception();
        return vm.raise(vm.types().stop_iteration);
    }
    if (vm.exception_matches(vm.types().stop_async_iteration)) {
        Value original = vm.take_exception();
        Root original_root(vm, original);
        Value message = Value::from_object(new_string(vm, std::string_view("async generator raised StopAsyncIteration")));
        Root message_root(vm, message);
        Value error = new_exception(vm, vm.types().runtime_error, std::span<const Value>(&message, 1));
        if (error.is_null()) return error;
        as_exception(error)->cause = original;
        as_exception(error)->context = original;
        as_exception(error)->suppress_context = true;
        vm.restore_exception(error);
    }
    return Value::null();
}

static AsyncGenAwaitable* self_awaitable(Value v) { return static_cast<AsyncGenAwaitable*>(v.as_object()); }
static Value awaitable_next(VM& vm, Value self) {
    return awaitable_step(vm, self_awaitable(self), Value::none(), Value::null());
}
static Value awaitable_send(VM& vm, CallArgs args) {
    if (!check_positional(vm, args.without_self(), "send", 1, 1)) return Value::null();
    return awaitable_step(vm, self_awaitable(args[0]), args[1], Value::null());
}
static Value awaitable_throw(VM& vm, CallArgs args) {
    if (!check_positional(vm, args.without_self(), "throw", 1, 3)) return Value::null();
    Value exception = exception_instance(vm, args[1]);
    if (exception.is_null()) return exception;
    Root root(vm, exception);
    AsyncGenAwaitable* a = self_awaitable(args[0]);
    if (a->state == 0) a->state = 1;  // thrown before the first step: the first step is the throw
    return awaitable_step(vm, a, Value::none(), exception);
}
static Value awaitable_close(VM&, CallArgs args) {
    self_awaitable(args[0])->state = 2;
    return Value::none();
}
static Value awaitable_await(VM&, CallArgs args) { return args[0]; }

static Value async_gen_aiter(VM&, CallArgs args) { return args[0]; }
static Value async_gen_anext(VM& vm, CallArgs args) {
    return make_awaitable(vm, args[0], AwaitableKind::Send, Value::none(), Value::null());
}
static Value async_gen_asend(VM& vm, CallArgs args) {
    if (!check_positional(vm, args.without_self(), "asend", 1, 1)) return Value::null();
    return make_awaitable(vm, args[0], AwaitableKind::Send, args[1], Value::null());
}
static Value async_gen_athrow(VM& vm, CallArgs args) {
    if (!check_positional(vm, args.without_self(), "athrow", 1, 3)) return Value::null();
    Value exception = exception_instance(vm, args[1]);
    if (exception.is_null()) return exception;
    return make_awaitable(vm, args[0], AwaitableKind::Throw, Value::none(), exception);
}
static Value async_gen_aclose(VM& vm, CallArgs args) {
    Value exception = new_exception(vm, vm.types().generator_exit, {});
    if (exception.is_null()) return exception;
    return make_awaitable(vm, args[0], AwaitableKind::Close, Value::none(), exception);
}

static void init_async_generators(VM& vm) {
    Type* gen = vm.types().async_generator;
    async_gen_value_type = new_type(vm, "async_generator_wrapped_value", vm.types().object, InstanceLayout::Builtin, 0);
    dict_set_str(vm, gen->dict, vm.intern("_asy_wrapped_value_type"), Value::from_object(async_gen_value_type));
    async_gen_value_type->trace = async_gen_value_trace;
    async_gen_awaitable_type = new_type(vm, "async_generator_asend", vm.types().object, InstanceLayout::Builtin, 0);
    dict_set_str(vm, gen->dict, vm.intern("_asy_asend_type"), Value::from_object(async_gen_awaitable_type));
    Type* aw = async_gen_awaitable_type;
    aw->trace = async_gen_awaitable_trace;
    aw->iter = generator_iter;
    aw->next = awaitable_next;
    define_method(vm, aw, "send", awaitable_send);
    define_method(vm, aw, "throw", awaitable_throw);
    define_method(vm, aw, "close", awaitable_close);
    define_method(vm, aw, "__await__", awaitable_await);
    define_method(vm, gen, "__aiter__", async_gen_aiter);
    define_method(vm, gen, "__anext__", async_gen_anext);
    define_method(vm, gen, "asend", async_gen_asend);
    define_method(vm, gen, "athrow", async_gen_athrow);
    define_method(vm, gen, "aclose", async_gen_aclose);
}

void init_generator_types(VM& vm) {
    for (Type* type : {vm.types().generator, vm.types().coroutine, vm.types().async_generator}) {
        type->trace = generator_trace;
        type->finalize = generator_finalize;
        type->repr = generator_repr;
        type->getattr = generator_getattr;
        define_method(vm, type, "send", generator_send);
        define_method(vm, type, "throw", generator_throw);
        define_method(vm, type, "close", generator_close);
    }
    vm.types().generator->iter = generator_iter;
    vm.types().generator->next = generator_next;
    define_method(vm, vm.types().coroutine, "__await__", coroutine_await);
    Type* wrapper = vm.types().coroutine_wrapper;
    wrapper->trace = wrapper_trace;
    wrapper->iter = generator_iter;
    wrapper->next = wrapper_next;
    define_method(vm, wrapper, "send", wrapper_send);
    define_method(vm, wrapper, "throw", wrapper_throw);
    define_method(vm, wrapper, "close", wrapper_close);
    init_async_generators(vm);
}

}  // namespace asy
