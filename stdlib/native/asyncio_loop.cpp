// The event loop object of asyncio (what get_running_loop() returns), its Handle and
// TimerHandle, and the module _asyncio that puts it all together. The scheduling itself is
// runtime/event_loop.cpp; this file gives it CPython 3.11's Python interface (call_soon,
// run_until_complete, exception handlers...) and keeps track of the loop's tasks.

#include "stdlib/native/asyncio.hpp"

#include "runtime/heap.hpp"
#include "runtime/objects/dict.hpp"
#include "runtime/objects/function.hpp"
#include "runtime/objects/int.hpp"
#include "runtime/objects/module.hpp"
#include "runtime/objects/set.hpp"
#include "runtime/objects/str.hpp"
#include "runtime/objects/tuple.hpp"
#include "runtime/ops.hpp"
#include "runtime/vm.hpp"
#include "runtime/vm_internal.hpp"
#include "runtime/teaching/stuck_explainer.hpp"
#include "runtime/teaching/teaching.hpp"

#include <csignal>
#include <iostream>
#include <string>
#include <unordered_map>

namespace asy {

AsyncioState& asyncio_state(VM& vm)
{
    // One state per VM. (A process normally has one VM; unit tests may make several.)
    static std::unordered_map<const VM*, AsyncioState> states;
    return states[&vm];
}

bool to_seconds(VM& vm, Value value, double& out)
{
    if (value.is_double()) {
        out = value.as_double();
        return true;
    }
    if (value.is_small_int()) {
        out = static_cast<double>(value.as_small_int());
        return true;
    }
    if (value.is_bool()) {
        out = value.as_bool() ? 1.0 : 0.0;
        return true;
    }
    if (is_int(vm, value)) {
        // A big int: far beyond any useful delay, but still a number.
        std::int64_t whole = 0;
        if (!int_to_int64(vm, value, whole)) {
            vm.clear_exception();
            out = 1e300;
            return true;
        }
        out = static_cast<double>(whole);
        return true;
    }
    // CPython's sleep() compares the delay with 0 first, hence its message.
    vm.raise_format(vm.types().type_error, "'<=' not supported between instances of '{}' and 'int'",
                    ops::type_name(vm, value));
    return false;
}

namespace {

AsyncioTypes& types_of(VM& vm)
{
    return asyncio_state(vm).types;
}

VM& vm_of(EventLoop& loop)
{
    return *static_cast<VM*>(loop.context());
}

String* intern(VM& vm, std::string_view text)
{
    return vm.intern(text);
}

std::string repr_text(VM& vm, Value value)
{
    String* text = ops::repr(vm, value);
    if (text == nullptr) {
        vm.clear_exception();
        return "<?>";
    }
    return std::string(text->view());
}

// ---------------------------------------------------------------- Handle and TimerHandle

bool run_handle(EventLoop& loop, Value target, Value);
bool handle_cancelled(Value target, Value)
{
    return static_cast<HandleObject*>(target.as_object())->cancelled;
}

// A Handle of call_soon/call_later/call_at; skipped once cancelled.
const CallbackKind handle_kind{"handle", run_handle, handle_cancelled};

bool run_handle(EventLoop& loop, Value target, Value)
{
    VM& vm = vm_of(loop);
    auto* handle = static_cast<HandleObject*>(target.as_object());
    const auto* arguments = static_cast<Tuple*>(handle->arguments.as_object());
    if (!vm.call(handle->callback, arguments->items).is_null())
        return true;
    // SystemExit and KeyboardInterrupt leave the loop; anything else is reported, and the
    // loop goes on (CPython's Handle._run).
    if (vm.exception_matches(vm.types().keyboard_interrupt) || vm.exception_matches(vm.types().system_exit))
        return false;
    const Value error = vm.take_exception();
    Root keep(vm, error);
    call_exception_handler(vm, handle->loop, "Exception in callback " + repr_text(vm, handle->callback), error,
                           Value::null(), target);
    return true;
}

void trace_handle(Object* self, Tracer& tracer)
{
    auto* handle = static_cast<HandleObject*>(self);
    tracer.mark(handle->callback);
    tracer.mark(handle->arguments);
    tracer.mark(handle->loop);
}

HandleObject* self_handle(CallArgs args)
{
    return static_cast<HandleObject*>(args[0].as_object());
}

bool check_handle(VM& vm, CallArgs args)
{
    if (args.count > 0 && as_instance<HandleObject>(args[0], types_of(vm).handle) != nullptr)
        return true;
    vm.raise(vm.types().type_error, "descriptor requires an 'asyncio.Handle' object");
    return false;
}

Value handle_cancel_method(VM& vm, CallArgs args)
{
    if (!check_handle(vm, args))
        return Value::null();
    self_handle(args)->cancelled = true;
    return Value::none();
}

Value handle_cancelled_method(VM& vm, CallArgs args)
{
    if (!check_handle(vm, args))
        return Value::null();
    return Value::from_bool(self_handle(args)->cancelled);
}

Value handle_when_method(VM& vm, CallArgs args)
{
    if (!check_handle(vm, args))
        return Value::null();
    return Value::from_double(self_handle(args)->when);
}

String* handle_repr(VM& vm, Value self)
{
    auto* handle = static_cast<HandleObject*>(self.as_object());
    std::string text = "<" + std::string(type_of(vm, self)->name->view());
    if (handle->cancelled)
        text += " cancelled";
    if (type_of(vm, self) == types_of(vm).timer_handle)
        text += fmt::format(" when={}", handle->when);
    text += " " + repr_text(vm, handle->callback) + ">";
    return new_string(vm, text);
}

// ---------------------------------------------------------------- the loop object

LoopObject* self_loop(CallArgs args)
{
    return static_cast<LoopObject*>(args[0].as_object());
}

bool check_loop(VM& vm, CallArgs args)
{
    if (args.count > 0 && as_exact<LoopObject>(args[0], types_of(vm).loop) != nullptr)
        return true;
    vm.raise(vm.types().type_error, "descriptor requires an asyncio event loop");
    return false;
}

bool check_open(VM& vm, LoopObject* loop)
{
    if (!loop->loop->is_closed())
        return true;
    vm.raise(vm.types().runtime_error, "Event loop is closed");
    return false;
}

void trace_loop(Object* self, Tracer& tracer)
{
    auto* loop = static_cast<LoopObject*>(self);
    loop->loop->trace([&tracer](Value value) { tracer.mark(value); });
    trace_task_list(loop->first_task, tracer);
    tracer.mark(loop->failed_tasks);
    tracer.mark(loop->current_task);
    tracer.mark(loop->exception_handler);
    tracer.mark(loop->stop_callback);
    tracer.mark(loop->main_task);
}

Value loop_stop_callback(VM& vm, CallArgs args);

LoopObject* new_loop(VM& vm)
{
    auto* loop = vm.heap().allocate<LoopObject>(types_of(vm).loop);
    loop->loop = std::make_unique<EventLoop>();
    loop->loop->set_context(&vm);
    // --virtual-time, --shuffle, --trace, --timeline and Ctrl-\ (runtime/teaching/teaching.hpp).
    teaching::attach_loop(vm, *loop->loop);
    Root keep(vm, Value::from_object(loop));
    // The done callback of run_until_complete: a native function bound to this loop.
    NativeFunctionObject* stop = make_native_function(vm, "_run_until_complete_cb", loop_stop_callback);
    stop->self = Value::from_object(loop);
    loop->stop_callback = Value::from_object(stop);
    return loop;
}

// call_soon(callback, *args) / call_later(delay, ...) / call_at(when, ...): a new Handle.
Value schedule_handle(VM& vm, LoopObject* loop, CallArgs args, std::size_t first, bool timed, double when,
                      std::string_view name)
{
    if (args.positional_count() <= first)
        return vm.raise_format(vm.types().type_error, "{}() missing required argument 'callback'", name);
    // Only `context` may be passed by keyword, and asy has no contextvars to use it for.
    for (std::size_t i = 0; i < args.keyword_count(); ++i)
        if (args.keyword_name(i)->view() != "context")
            return vm.raise_format(vm.types().type_error, "{}() got an unexpected keyword argument '{}'", name,
                                   args.keyword_name(i)->view());
    if (!check_open(vm, loop))
        return Value::null();
    const auto positional = args.positional();
    Tuple* arguments = new_tuple(vm, positional.subspan(first + 1));
    Root keep_arguments(vm, Value::from_object(arguments));
    auto* handle = vm.heap().allocate<HandleObject>(timed ? types_of(vm).timer_handle : types_of(vm).handle);
    handle->callback = positional[first];
    handle->arguments = Value::from_object(arguments);
    handle->loop = loop;
    handle->when = when;
    const Callback callback{&handle_kind, Value::from_object(handle), Value::null()};
    if (timed)
        loop->loop->call_at(when, callback);
    else
        loop->loop->call_soon(callback);
    return Value::from_object(handle);
}

Value loop_call_soon(VM& vm, CallArgs args)
{
    if (!check_loop(vm, args))
        return Value::null();
    return schedule_handle(vm, self_loop(args), args, 1, false, 0.0, "call_soon");
}

Value loop_call_later(VM& vm, CallArgs args)
{
    if (!check_loop(vm, args))
        return Value::null();
    if (args.positional_count() < 2)
        return vm.raise(vm.types().type_error, "call_later() missing required argument 'delay'");
    double delay = 0.0;
    if (!to_seconds(vm, args[1], delay))
        return Value::null();
    LoopObject* loop = self_loop(args);
    return schedule_handle(vm, loop, args, 2, true, loop->loop->time() + delay, "call_later");
}

Value loop_call_at(VM& vm, CallArgs args)
{
    if (!check_loop(vm, args))
        return Value::null();
    if (args.positional_count() < 2)
        return vm.raise(vm.types().type_error, "call_at() missing required argument 'when'");
    double when = 0.0;
    if (!to_seconds(vm, args[1], when))
        return Value::null();
    return schedule_handle(vm, self_loop(args), args, 2, true, when, "call_at");
}

Value loop_time(VM& vm, CallArgs args)
{
    if (!check_loop(vm, args))
        return Value::null();
    return Value::from_double(self_loop(args)->loop->time());
}

Value loop_create_future(VM& vm, CallArgs args)
{
    if (!check_loop(vm, args))
        return Value::null();
    return Value::from_object(new_future(vm, self_loop(args)));
}

Value loop_create_task(VM& vm, CallArgs args)
{
    if (!check_loop(vm, args))
        return Value::null();
    static const Signature signature{"create_task", {"coro", "name", "context"}, 0, 1, 1};
    Value bound[3];
    if (!bind_arguments(vm, args.without_self(), signature, bound))
        return Value::null();
    LoopObject* loop = self_loop(args);
    if (!check_open(vm, loop))
        return Value::null();
    return new_task(vm, loop, bound[0], bound[1]);
}

// Runs the loop until stop() (or until nothing can happen). Null after an exception that
// must leave the loop (SystemExit, KeyboardInterrupt).
Value run_forever(VM& vm, LoopObject* loop, LoopExit& exit)
{
    AsyncioState& state = asyncio_state(vm);
    if (!check_open(vm, loop))
        return Value::null();
    if (loop->loop->is_running())
        return vm.raise(vm.types().runtime_error, "This event loop is already running");
    if (state.running_loop != nullptr)
        return vm.raise(vm.types().runtime_error, "Cannot run the event loop while another loop is running");
    state.running_loop = loop;
    exit = loop->loop->run_forever();
    state.running_loop = nullptr;
    if (exit == LoopExit::Aborted)
        return Value::null();
    return Value::none();
}

Value loop_run_forever(VM& vm, CallArgs args)
{
    if (!check_loop(vm, args))
        return Value::null();
    LoopExit exit = LoopExit::Idle;
    return run_forever(vm, self_loop(args), exit);
}

Value loop_stop_callback(VM& vm, CallArgs args)
{
    // Bound to the loop (args[0]); args[1] is the future that is done.
    (void)vm;
    self_loop(args)->loop->stop();
    return Value::none();
}

// run_until_complete(future): runs the loop until the future (or the task made from a
// coroutine) is done, and returns its result or raises its exception.
Value run_until_complete(VM& vm, LoopObject* loop, Value awaitable)
{
    if (!check_open(vm, loop))
        return Value::null();
    if (loop->loop->is_running())
        return vm.raise(vm.types().runtime_error, "This event loop is already running");

    Value future_value = awaitable;
    const bool made_task = as_instance<FutureObject>(awaitable, types_of(vm).future) == nullptr;
    if (made_task) {
        if (!is_coroutine(vm, awaitable))
            return vm.raise(vm.types().type_error, "An asyncio.Future, a coroutine or an awaitable is required");
        future_value = new_task(vm, loop, awaitable, Value::null());
        if (future_value.is_null())
            return Value::null();
    }
    Root keep(vm, future_value);
    auto* future = static_cast<FutureObject*>(future_value.as_object());

    // When the future is done, its callback stops the loop (at the end of that turn).
    if (future->state == FutureState::Pending)
        future->callbacks.push_back(loop->stop_callback);
    else
        future_schedule_callback(vm, future, loop->stop_callback);

    LoopExit exit = LoopExit::Idle;
    const Value ran = run_forever(vm, loop, exit);

    for (auto it = future->callbacks.begin(); it != future->callbacks.end(); ++it) {
        if (it->is(loop->stop_callback)) {
            future->callbacks.erase(it);
            break;
        }
    }
    if (ran.is_null()) {
        // The task's own exception is leaving with the loop: nobody needs to be told again.
        if (made_task && future->state == FutureState::Finished)
            future->log_traceback = false;
        return Value::null();
    }
    if (future->state == FutureState::Pending) {
        if (exit == LoopExit::Idle) {
            // CPython would wait forever here; asy says why the program cannot go on, and
            // draws the wait-for graph (runtime/teaching/stuck_explainer.hpp).
            std::cout.flush();
            teaching::explain_stuck(vm, loop, std::cerr);
            return vm.raise(vm.types().runtime_error,
                            "Event loop stopped before Future completed: nothing is left that could complete it "
                            "(every task is waiting for something no task will ever do)");
        }
        return vm.raise(vm.types().runtime_error, "Event loop stopped before Future completed.");
    }
    // future.result(), through the method so that its rules live in one place.
    return vm.call_method(future_value, intern(vm, "result"), {});
}

Value loop_run_until_complete(VM& vm, CallArgs args)
{
    if (!check_loop(vm, args) || !check_one_argument(vm, args.without_self(), "run_until_complete"))
        return Value::null();
    return run_until_complete(vm, self_loop(args), args[1]);
}

// Ctrl-C while _run_main runs: the first cancels the main task (its finally blocks run),
// the second stops waiting and raises KeyboardInterrupt at once, as CPython's Runner does.
bool raise_keyboard_interrupt(EventLoop& loop, Value, Value)
{
    vm_of(loop).raise(vm_of(loop).types().keyboard_interrupt);
    return false;
}

const CallbackKind interrupt_kind{"KeyboardInterrupt", raise_keyboard_interrupt, nullptr};

void on_sigint(uv_signal_t* handle, int)
{
    auto* loop = static_cast<LoopObject*>(handle->data);
    VM& vm = vm_of(*loop->loop);
    ++loop->interrupts;
    auto* task = static_cast<TaskObject*>(loop->main_task.as_object());
    if (loop->interrupts == 1 && task != nullptr && task->state == FutureState::Pending) {
        task_cancel(vm, task, Value::null());
        if (vm.has_exception())
            vm.clear_exception();
        return;
    }
    loop->loop->call_soon(Callback{&interrupt_kind, Value::none(), Value::null()});
}

// _run_main(coro): run_until_complete for asyncio.run's main task, with Ctrl-C handling.
Value loop_run_main(VM& vm, CallArgs args)
{
    if (!check_loop(vm, args) || !check_one_argument(vm, args.without_self(), "_run_main"))
        return Value::null();
    LoopObject* loop = self_loop(args);
    if (!check_open(vm, loop))
        return Value::null();
    const Value task_value = new_task(vm, loop, args[1], Value::null());
    if (task_value.is_null())
        return Value::null();
    Root keep(vm, task_value);
    loop->main_task = task_value;
    loop->interrupts = 0;
    if (loop->sigint.init(uv_signal_init, loop->loop->uv_loop()) == 0) {
        loop->sigint.get()->data = loop;
        uv_signal_start(loop->sigint.get(), on_sigint, SIGINT);
        // Watching for Ctrl-C must not keep the loop alive by itself.
        uv_unref(loop->sigint.base());
    }
    Value result = run_until_complete(vm, loop, task_value);
    loop->sigint.close();
    loop->main_task = Value::null();
    if (result.is_null() && loop->interrupts > 0 && vm.exception_matches(types_of(vm).cancelled_error)) {
        auto* task = static_cast<TaskObject*>(task_value.as_object());
        if (task->cancels_requested > 0)
            --task->cancels_requested;
        if (task->cancels_requested == 0) {
            vm.clear_exception();
            vm.raise(vm.types().keyboard_interrupt);
        }
    }
    return result;
}

Value loop_stop(VM& vm, CallArgs args)
{
    if (!check_loop(vm, args))
        return Value::null();
    self_loop(args)->loop->stop();
    return Value::none();
}

Value loop_is_running(VM& vm, CallArgs args)
{
    if (!check_loop(vm, args))
        return Value::null();
    return Value::from_bool(self_loop(args)->loop->is_running());
}

Value loop_is_closed(VM& vm, CallArgs args)
{
    if (!check_loop(vm, args))
        return Value::null();
    return Value::from_bool(self_loop(args)->loop->is_closed());
}

Value loop_close(VM& vm, CallArgs args)
{
    if (!check_loop(vm, args))
        return Value::null();
    LoopObject* loop = self_loop(args);
    if (loop->loop->is_running())
        return vm.raise(vm.types().runtime_error, "Cannot close a running event loop");
    if (loop->loop->is_closed())
        return Value::none();
    // Failures nobody looked at are reported now (CPython reports them when the task is
    // garbage-collected, which for a script usually means at exit).
    std::vector<Value> failed = std::move(loop->failed_tasks);
    loop->failed_tasks.clear();
    RootVector keep(vm, failed);
    for (Value value : failed) {
        auto* task = static_cast<TaskObject*>(value.as_object());
        if (task->log_traceback) {
            task->log_traceback = false;
            call_exception_handler(vm, loop, "Task exception was never retrieved", task->exception, value,
                                   Value::null());
        }
    }
    loop->sigint.close();
    loop->loop->close();
    return Value::none();
}

Value loop_shutdown_asyncgens(VM& vm, CallArgs args)
{
    if (!check_loop(vm, args))
        return Value::null();
    // Async generators are finalized by the collector in asy; nothing is left to do here,
    // but asyncio.run awaits this, so it is an already finished future.
    FutureObject* future = new_future(vm, self_loop(args));
    future_finish(vm, future, FutureState::Finished, Value::none(), Value::null());
    return Value::from_object(future);
}

Value loop_get_exception_handler(VM& vm, CallArgs args)
{
    if (!check_loop(vm, args))
        return Value::null();
    const Value handler = self_loop(args)->exception_handler;
    return handler.is_null() ? Value::none() : handler;
}

Value loop_set_exception_handler(VM& vm, CallArgs args)
{
    if (!check_loop(vm, args) || !check_one_argument(vm, args.without_self(), "set_exception_handler"))
        return Value::null();
    const Value handler = args[1];
    if (!handler.is_none() && type_of(vm, handler)->call == nullptr)
        return vm.raise_format(vm.types().type_error, "A callable object or None is expected, got {}",
                               repr_text(vm, handler));
    self_loop(args)->exception_handler = handler.is_none() ? Value::null() : handler;
    return Value::none();
}

// The default handler: the message, the other entries, then the exception's traceback, on
// stderr (CPython logs the same through the logging module).
void print_context(VM& vm, Dict* context)
{
    std::string text;
    const Value message = dict_get_str(context, intern(vm, "message"));
    text += message.is_null() ? "Unhandled exception in event loop" : repr_text(vm, message);
    if (message.is_object() && message.as_object()->type == vm.types().str)
        text = std::string(static_cast<String*>(message.as_object())->view());
    for (const DictEntry& entry : context->entries) {
        if (entry.key.is_null() || !entry.key.is_object() || entry.key.as_object()->type != vm.types().str)
            continue;
        const std::string_view key = static_cast<String*>(entry.key.as_object())->view();
        if (key == "message" || key == "exception")
            continue;
        text += "\n" + std::string(key) + ": " + repr_text(vm, entry.value);
    }
    std::cout.flush();
    std::cerr << text << '\n';
    const Value exception = dict_get_str(context, intern(vm, "exception"));
    if (!exception.is_null() && !exception.is_none())
        print_exception(vm, exception, std::cerr);
    std::cerr.flush();
}

Value loop_default_exception_handler(VM& vm, CallArgs args)
{
    if (!check_loop(vm, args) || !check_one_argument(vm, args.without_self(), "default_exception_handler"))
        return Value::null();
    auto* context = as_exact<Dict>(args[1], vm.types().dict);
    if (context == nullptr)
        return vm.raise(vm.types().type_error, "the context must be a dict");
    print_context(vm, context);
    return Value::none();
}

// call_exception_handler(context): the handler set with set_exception_handler, or the default.
Value handle_exception_context(VM& vm, LoopObject* loop, Value context)
{
    if (loop->exception_handler.is_null()) {
        print_context(vm, static_cast<Dict*>(context.as_object()));
        return Value::none();
    }
    const Value arguments[2] = {Value::from_object(loop), context};
    if (vm.call(loop->exception_handler, arguments).is_null()) {
        if (vm.exception_matches(vm.types().keyboard_interrupt) || vm.exception_matches(vm.types().system_exit))
            return Value::null();
        const Value error = vm.take_exception();
        Root keep(vm, error);
        std::cerr << "Unhandled error in exception handler\n";
        print_exception(vm, error, std::cerr);
    }
    return Value::none();
}

Value loop_call_exception_handler(VM& vm, CallArgs args)
{
    if (!check_loop(vm, args) || !check_one_argument(vm, args.without_self(), "call_exception_handler"))
        return Value::null();
    if (as_exact<Dict>(args[1], vm.types().dict) == nullptr)
        return vm.raise(vm.types().type_error, "the context must be a dict");
    return handle_exception_context(vm, self_loop(args), args[1]);
}

Value loop_get_debug(VM& vm, CallArgs args)
{
    if (!check_loop(vm, args))
        return Value::null();
    return Value::from_bool(false);
}

Value loop_set_debug(VM& vm, CallArgs args)
{
    if (!check_loop(vm, args))
        return Value::null();
    return Value::none();
}

String* loop_repr(VM& vm, Value self)
{
    auto* loop = static_cast<LoopObject*>(self.as_object());
    return new_string(vm, fmt::format("<EventLoop running={} closed={} debug=False>",
                                      loop->loop->is_running() ? "True" : "False",
                                      loop->loop->is_closed() ? "True" : "False"));
}

// ---------------------------------------------------------------- module functions

Value module_value(VM& vm, std::string_view name)
{
    return dict_get_str(asyncio_state(vm).module->dict, intern(vm, name));
}

Value asyncio_get_running_loop(VM& vm, CallArgs args)
{
    if (!check_no_arguments(vm, args, "get_running_loop"))
        return Value::null();
    LoopObject* loop = asyncio_state(vm).running_loop;
    if (loop == nullptr)
        return vm.raise(vm.types().runtime_error, "no running event loop");
    return Value::from_object(loop);
}

Value asyncio_underscore_get_running_loop(VM& vm, CallArgs args)
{
    if (!check_no_arguments(vm, args, "_get_running_loop"))
        return Value::null();
    LoopObject* loop = asyncio_state(vm).running_loop;
    return loop ? Value::from_object(loop) : Value::none();
}

Value asyncio_new_event_loop(VM& vm, CallArgs args)
{
    if (!check_no_arguments(vm, args, "new_event_loop"))
        return Value::null();
    return Value::from_object(new_loop(vm));
}

Value asyncio_set_event_loop(VM& vm, CallArgs args)
{
    if (!check_one_argument(vm, args, "set_event_loop"))
        return Value::null();
    if (!args[0].is_none() && as_exact<LoopObject>(args[0], types_of(vm).loop) == nullptr)
        return vm.raise_format(vm.types().type_error, "loop must be an instance of AbstractEventLoop or None, not '{}'",
                               ops::type_name(vm, args[0]));
    // Kept in the module's namespace, which also keeps it alive.
    dict_set_str(vm, asyncio_state(vm).module->dict, intern(vm, "_event_loop"), args[0]);
    return Value::none();
}

// get_event_loop(): the running loop, else the one set with set_event_loop, else a new one.
Value asyncio_get_event_loop(VM& vm, CallArgs args)
{
    if (!check_no_arguments(vm, args, "get_event_loop"))
        return Value::null();
    if (LoopObject* running = asyncio_state(vm).running_loop)
        return Value::from_object(running);
    const Value current = module_value(vm, "_event_loop");
    if (!current.is_null() && !current.is_none())
        return current;
    LoopObject* loop = new_loop(vm);
    Root keep(vm, Value::from_object(loop));
    dict_set_str(vm, asyncio_state(vm).module->dict, intern(vm, "_event_loop"), Value::from_object(loop));
    return Value::from_object(loop);
}

// The loop of an optional `loop` argument: that loop, or the running one.
LoopObject* loop_or_running(VM& vm, CallArgs args, std::string_view name)
{
    Value bound[1];
    const Signature signature{name, {"loop"}, 0, 0};
    if (!bind_arguments(vm, args, signature, bound))
        return nullptr;
    if (!bound[0].is_null() && !bound[0].is_none()) {
        if (auto* loop = as_exact<LoopObject>(bound[0], types_of(vm).loop))
            return loop;
        vm.raise(vm.types().type_error, "loop must be an asyncio event loop");
        return nullptr;
    }
    LoopObject* loop = asyncio_state(vm).running_loop;
    if (loop == nullptr)
        vm.raise(vm.types().runtime_error, "no running event loop");
    return loop;
}

Value asyncio_current_task(VM& vm, CallArgs args)
{
    LoopObject* loop = loop_or_running(vm, args, "current_task");
    if (loop == nullptr)
        return Value::null();
    return loop->current_task.is_null() ? Value::none() : loop->current_task;
}

Value asyncio_all_tasks(VM& vm, CallArgs args)
{
    LoopObject* loop = loop_or_running(vm, args, "all_tasks");
    if (loop == nullptr)
        return Value::null();
    const Value set = new_set(vm);
    if (set.is_null())
        return Value::null();
    Root keep(vm, set);
    for (TaskObject* task = loop->first_task; task != nullptr; task = task->next_task)
        if (task->state == FutureState::Pending && !set_add(vm, set, Value::from_object(task)))
            return Value::null();
    return set;
}

Type* make_exception_class(VM& vm, Module* module, std::string_view name, Type* base)
{
    Type* type = new_asyncio_class(vm, module, name, base, TypeFlagBaseType | TypeFlagException);
    // Instances are made as the base makes them (make_builtin_type does not copy `construct`).
    type->construct = base->construct;
    // Tracebacks name it asyncio.exceptions.CancelledError, as CPython's do.
    type->module = intern(vm, "asyncio.exceptions");
    return type;
}

bool init_asyncio_module(VM& vm, Module* module)
{
    AsyncioState& state = asyncio_state(vm);
    state.module = module;
    state.running_loop = nullptr;
    AsyncioTypes& types = state.types;

    // BaseException, not Exception: `except Exception` must not swallow a cancellation.
    types.cancelled_error = make_exception_class(vm, module, "CancelledError", vm.types().base_exception);
    types.invalid_state_error = make_exception_class(vm, module, "InvalidStateError", vm.types().exception);

    init_future_types(vm, module);
    init_loop_types(vm, module);

    define_function(vm, module, "get_running_loop", asyncio_get_running_loop);
    define_function(vm, module, "_get_running_loop", asyncio_underscore_get_running_loop);
    define_function(vm, module, "get_event_loop", asyncio_get_event_loop);
    define_function(vm, module, "new_event_loop", asyncio_new_event_loop);
    define_function(vm, module, "set_event_loop", asyncio_set_event_loop);
    define_function(vm, module, "current_task", asyncio_current_task);
    define_function(vm, module, "all_tasks", asyncio_all_tasks);
    dict_set_str(vm, module->dict, intern(vm, "_event_loop"), Value::none());
    return true;
}

}  // namespace

// ---------------------------------------------------------------- shared with asyncio_future.cpp

void loop_add_task(LoopObject* loop, TaskObject* task)
{
    task->previous_task = loop->last_task;
    task->next_task = nullptr;
    if (loop->last_task != nullptr)
        loop->last_task->next_task = task;
    else
        loop->first_task = task;
    loop->last_task = task;
    task->listed = true;
}

void loop_remove_task(LoopObject* loop, TaskObject* task)
{
    if (!task->listed)
        return;
    if (task->previous_task != nullptr)
        task->previous_task->next_task = task->next_task;
    else
        loop->first_task = task->next_task;
    if (task->next_task != nullptr)
        task->next_task->previous_task = task->previous_task;
    else
        loop->last_task = task->previous_task;
    task->previous_task = nullptr;
    task->next_task = nullptr;
    task->listed = false;
}

void call_exception_handler(VM& vm, LoopObject* loop, std::string_view message, Value exception, Value future,
                            Value handle)
{
    Dict* context = new_dict(vm);
    Root keep(vm, Value::from_object(context));
    String* key = intern(vm, "message");  // (interned first: the text must not wait unrooted)
    dict_set_str(vm, context, key, string_value(vm, message));
    if (!exception.is_null())
        dict_set_str(vm, context, intern(vm, "exception"), exception);
    if (!future.is_null())
        dict_set_str(vm, context, intern(vm, "future"), future);
    if (!handle.is_null())
        dict_set_str(vm, context, intern(vm, "handle"), handle);
    if (handle_exception_context(vm, loop, Value::from_object(context)).is_null())
        vm.clear_exception();
}

Type* new_asyncio_class(VM& vm, Module* module, std::string_view name, Type* base, std::uint32_t flags)
{
    // Interned first: interned strings are never collected, and no allocation may come
    // between making the class and storing it.
    String* key = intern(vm, name);
    String* module_name = intern(vm, "_asyncio");
    Type* type = make_builtin_type(vm, name, base, flags);
    dict_set_str(vm, module->dict, key, Value::from_object(type));
    type->module = module_name;
    return type;
}

void init_loop_types(VM& vm, Module* module)
{
    AsyncioTypes& types = types_of(vm);

    Type* loop = new_asyncio_class(vm, module, "EventLoop", vm.types().object);
    loop->trace = trace_loop;
    loop->finalize = finalize_object<LoopObject>;
    loop->repr = loop_repr;
    types.loop = loop;
    define_method(vm, loop, "time", loop_time);
    define_method(vm, loop, "call_soon", loop_call_soon);
    define_method(vm, loop, "call_later", loop_call_later);
    define_method(vm, loop, "call_at", loop_call_at);
    define_method(vm, loop, "create_future", loop_create_future);
    define_method(vm, loop, "create_task", loop_create_task);
    define_method(vm, loop, "run_until_complete", loop_run_until_complete);
    define_method(vm, loop, "run_forever", loop_run_forever);
    define_method(vm, loop, "_run_main", loop_run_main);
    define_method(vm, loop, "stop", loop_stop);
    define_method(vm, loop, "close", loop_close);
    define_method(vm, loop, "is_running", loop_is_running);
    define_method(vm, loop, "is_closed", loop_is_closed);
    define_method(vm, loop, "shutdown_asyncgens", loop_shutdown_asyncgens);
    define_method(vm, loop, "get_exception_handler", loop_get_exception_handler);
    define_method(vm, loop, "set_exception_handler", loop_set_exception_handler);
    define_method(vm, loop, "default_exception_handler", loop_default_exception_handler);
    define_method(vm, loop, "call_exception_handler", loop_call_exception_handler);
    define_method(vm, loop, "get_debug", loop_get_debug);
    define_method(vm, loop, "set_debug", loop_set_debug);

    Type* handle = new_asyncio_class(vm, module, "Handle", vm.types().object);
    handle->trace = trace_handle;
    handle->repr = handle_repr;
    types.handle = handle;
    define_method(vm, handle, "cancel", handle_cancel_method);
    define_method(vm, handle, "cancelled", handle_cancelled_method);

    Type* timer_handle = new_asyncio_class(vm, module, "TimerHandle", handle);
    types.timer_handle = timer_handle;
    define_method(vm, timer_handle, "when", handle_when_method);

}

void register_asyncio_module(VM& vm)
{
    vm.register_native_module("_asyncio", init_asyncio_module);
}

Value load_asyncio_builtin(VM& vm, String* name)
{
    static constexpr std::string_view names[] = {"sleep", "gather", "create_task", "run", "open_connection"};
    bool ours = false;
    for (std::string_view candidate : names)
        ours = ours || name->view() == candidate;
    if (!ours)
        return Value::null();
    Module* asyncio = vm.import_module("asyncio");
    if (asyncio == nullptr)
        return Value::null();
    // All five at once, so the next lookups are plain builtins.
    for (std::string_view candidate : names) {
        const Value value = dict_get_str(asyncio->dict, intern(vm, candidate));
        if (!value.is_null())
            define_builtin_value(vm, candidate, value);
    }
    const Value value = dict_get_str(asyncio->dict, name);
    if (value.is_null())
        return vm.raise_format(vm.types().name_error, "name '{}' is not defined", name->view());
    return value;
}

}  // namespace asy
