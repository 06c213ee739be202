// Future, Task and sleep: the native core of asyncio, with CPython 3.11's semantics (its
// Lib/asyncio/futures.py and tasks.py are the reference for every rule stated below).
//
// A Task drives its coroutine one step per callback of the event loop: a step resumes the
// coroutine with vm.resume until it yields, then looks at what it yielded. A Future means
// "wake me when it is done" (the task becomes one of its done callbacks); None (a bare yield,
// sleep(0)) means "run me again on the next turn"; a Sleep means "wake me at this time" (a
// timer entry, no Future needed). No step ever nests another, so no C++ recursion grows.

#include "stdlib/native/asyncio.hpp"

#include "runtime/heap.hpp"
#include "runtime/objects/dict.hpp"
#include "runtime/objects/function.hpp"
#include "runtime/objects/generator.hpp"
#include "runtime/objects/module.hpp"
#include "runtime/objects/str.hpp"
#include "runtime/objects/tuple.hpp"
#include "runtime/ops.hpp"
#include "runtime/vm.hpp"

#include <cstddef>
#include <string>

namespace asy {

namespace {

// ---------------------------------------------------------------- small helpers

AsyncioTypes& types_of(VM& vm)
{
    return asyncio_state(vm).types;
}

VM& vm_of(EventLoop& loop)
{
    return *static_cast<VM*>(loop.context());
}

FutureObject* as_future(VM& vm, Value value)
{
    return as_instance<FutureObject>(value, types_of(vm).future);
}

TaskObject* as_task(VM& vm, Value value)
{
    return as_instance<TaskObject>(value, types_of(vm).task);
}

SleepObject* as_sleep(VM& vm, Value value)
{
    return as_exact<SleepObject>(value, types_of(vm).sleep);
}

// A new CancelledError carrying `message` (none when the message is null or None).
Value make_cancelled_error(VM& vm, Value message)
{
    const Value type = Value::from_object(types_of(vm).cancelled_error);
    if (message.is_null() || message.is_none())
        return vm.call(type, std::span<const Value>{});
    const Value arguments[1] = {message};
    return vm.call(type, arguments);
}

// The CancelledError a cancelled future raises from result() and exception(). For a task
// whose coroutine raised one, that very exception the first time (CPython's
// _make_cancelled_error), so the traceback shows where the task was interrupted.
Value future_cancelled_error(VM& vm, FutureObject* future)
{
    if (!future->cancelled_error.is_null()) {
        const Value error = future->cancelled_error;
        future->cancelled_error = Value::null();
        return error;
    }
    return make_cancelled_error(vm, future->cancel_message);
}

// Raises StopIteration(value), the way an iterator's next slot returns a value at its end.
// A None result needs no exception: "exhausted" already means None to SEND.
Value return_from_iterator(VM& vm, Value value)
{
    if (value.is_none())
        return Value::null();
    const Value arguments[1] = {value};
    const Value stop = vm.call(Value::from_object(vm.types().stop_iteration), arguments);
    if (stop.is_null())
        return Value::null();
    return vm.raise_value(stop);
}

// Binds a method's arguments (self excluded) to `signature`; false after raising.
bool bind(VM& vm, CallArgs args, const Signature& signature, Value* out)
{
    return bind_arguments(vm, args.without_self(), signature, out);
}

// ---------------------------------------------------------------- callback kinds

bool run_task_step(EventLoop& loop, Value target, Value argument);
bool run_task_wakeup(EventLoop& loop, Value target, Value argument);
bool run_done_callback(EventLoop& loop, Value target, Value argument);
bool run_sleep_timer(EventLoop& loop, Value target, Value argument);
bool sleep_timer_cancelled(Value target, Value argument);

// A task's next step; argument: the exception to throw into the coroutine, or null.
const CallbackKind task_step_kind{"task step", run_task_step, nullptr};
// A task woken by what it waited on (argument: the Future or Sleep).
const CallbackKind task_wakeup_kind{"task wakeup", run_task_wakeup, nullptr};
// A done callback (target) called with its future (argument).
const CallbackKind done_callback_kind{"done callback", run_done_callback, nullptr};
// The end of a sleep (target: the task, argument: the Sleep); void once the sleep is cancelled.
const CallbackKind sleep_timer_kind{"sleep timer", run_sleep_timer, sleep_timer_cancelled};

}  // namespace

// ---------------------------------------------------------------- Future internals

FutureObject* new_future(VM& vm, LoopObject* loop)
{
    auto* future = vm.heap().allocate<FutureObject>(types_of(vm).future);
    future->loop = loop;
    return future;
}

void future_schedule_callback(VM& vm, FutureObject* future, Value callback)
{
    EventLoop& loop = *future->loop->loop;
    // A task waiting on the future is woken directly rather than through a bound method.
    if (as_task(vm, callback) != nullptr)
        loop.call_soon(Callback{&task_wakeup_kind, callback, Value::from_object(future)});
    else
        loop.call_soon(Callback{&done_callback_kind, callback, Value::from_object(future)});
}

void future_finish(VM& vm, FutureObject* future, FutureState state, Value result, Value exception)
{
    future->state = state;
    future->result = result;
    future->exception = exception;
    // An exception nobody retrieves is reported when the loop closes.
    future->log_traceback = !exception.is_null();
    // Callbacks run in the order they were added, each on the loop's next turn.
    std::vector<Value> callbacks = std::move(future->callbacks);
    future->callbacks.clear();
    RootVector keep(vm, callbacks);
    for (Value callback : callbacks)
        future_schedule_callback(vm, future, callback);
}

namespace {

// Future.cancel(msg): only a pending future can be cancelled.
bool future_cancel(VM& vm, FutureObject* future, Value message)
{
    future->log_traceback = false;
    if (future->state != FutureState::Pending)
        return false;
    future->cancel_message = message;
    future_finish(vm, future, FutureState::Cancelled, Value::null(), Value::null());
    return true;
}

// future.result(): the result, or null after raising (its exception, CancelledError, or
// InvalidStateError when it is not done).
Value future_result(VM& vm, FutureObject* future)
{
    if (future->state == FutureState::Cancelled)
        return vm.raise_value(future_cancelled_error(vm, future));
    if (future->state != FutureState::Finished)
        return vm.raise(types_of(vm).invalid_state_error, "Result is not ready.");
    future->log_traceback = false;
    if (!future->exception.is_null())
        return vm.raise_value(future->exception);
    return future->result;
}

// cancel(msg) on the future of gather(): the hook decides. False with an exception pending
// if the hook raised.
bool call_cancel_hook(VM& vm, FutureObject* future, Value message)
{
    if (future->state != FutureState::Pending)
        return false;
    const Value arguments[1] = {message.is_null() ? Value::none() : message};
    const Value cancelled = vm.call(future->cancel_hook, arguments);
    if (cancelled.is_null())
        return false;
    return ops::truthy(vm, cancelled) == Truth::True;
}

// Cancels whatever a task waits on; true if that cancellation will wake the task.
// Returns false with an exception pending if an asy cancel() method raised.
bool cancel_waiter(VM& vm, TaskObject* task, Value waiter, Value message)
{
    if (SleepObject* sleep = as_sleep(vm, waiter)) {
        if (sleep->state != SleepState::Sleeping)
            return false;
        // The timer entry is dropped lazily (sleep_timer_cancelled); the task wakes on the
        // next turn and finds CancelledError, as it would from a cancelled Future.
        sleep->state = SleepState::Cancelled;
        sleep->cancel_message = message;
        task->loop->loop->call_soon(Callback{&task_wakeup_kind, Value::from_object(task), waiter});
        return true;
    }
    FutureObject* future = as_future(vm, waiter);
    const Type* type = waiter.as_object()->type;
    if (!future->cancel_hook.is_null())
        return call_cancel_hook(vm, future, message);
    if (type == types_of(vm).future)
        return future_cancel(vm, future, message);
    if (type == types_of(vm).task)
        return task_cancel(vm, static_cast<TaskObject*>(future), message);
    // A subclass written in asy (gather's _GatheringFuture) may override cancel().
    const Value arguments[1] = {message.is_null() ? Value::none() : message};
    const Value cancelled = vm.call_method(waiter, vm.intern("cancel"), arguments);
    if (cancelled.is_null())
        return false;
    return ops::truthy(vm, cancelled) == Truth::True;
}

}  // namespace

bool task_cancel(VM& vm, TaskObject* task, Value message)
{
    task->log_traceback = false;
    if (task->state != FutureState::Pending)
        return false;
    ++task->cancels_requested;
    task->loop->loop->notify(LoopEventKind::Cancelled, Value::from_object(task));
    if (!task->waiter.is_null()) {
        // Cancelling what the task waits on wakes it with CancelledError. The waiter stays
        // recorded: it may be a task that ignores the cancellation, to be cancelled again.
        if (cancel_waiter(vm, task, task->waiter, message))
            return true;
        if (vm.has_exception())
            return false;
    }
    // The task is ready to run (or its waiter already finished): its next step throws.
    task->must_cancel = true;
    task->cancel_message = message;
    return true;
}

// ---------------------------------------------------------------- the sleep awaitable

namespace {

// Advances a sleep as its coroutine-like protocol: yields (None for sleep(0), itself for a
// real sleep), then returns its result once woken.
ResumeResult sleep_advance(VM& vm, SleepObject* sleep, Value exception, Value& out)
{
    if (!exception.is_null()) {
        // A cancelled task throws CancelledError in here; it comes straight back out.
        sleep->state = SleepState::Done;
        vm.raise_value(exception);
        return ResumeResult::Raised;
    }
    switch (sleep->state) {
    case SleepState::Created:
        if (sleep->delay <= 0.0) {
            // sleep(0) is a bare `yield`: the task runs again on the next turn.
            sleep->state = SleepState::Yielded;
            out = Value::none();
        } else {
            // The task that receives this sets the timer (task_step).
            sleep->state = SleepState::Sleeping;
            out = Value::from_object(sleep);
        }
        return ResumeResult::Yielded;
    case SleepState::Yielded:
    case SleepState::Woken:
        sleep->state = SleepState::Done;
        out = sleep->result;
        return ResumeResult::Returned;
    case SleepState::Cancelled:
        sleep->state = SleepState::Done;
        vm.raise_value(make_cancelled_error(vm, sleep->cancel_message));
        return ResumeResult::Raised;
    case SleepState::Sleeping:
        vm.raise(vm.types().runtime_error, "sleep() resumed before its delay was over");
        return ResumeResult::Raised;
    case SleepState::Done:
        break;
    }
    vm.raise(vm.types().runtime_error, "cannot reuse already awaited coroutine");
    return ResumeResult::Raised;
}

// Resumes what a task drives: a coroutine, or a bare sleep passed to create_task.
ResumeResult resume_awaitable(VM& vm, Value coro, Value exception, Value& out)
{
    if (SleepObject* sleep = as_sleep(vm, coro))
        return sleep_advance(vm, sleep, exception, out);
    return vm.resume(coro, Value::none(), exception, out);
}

// ---------------------------------------------------------------- the task step

// Schedules a step that throws a RuntimeError into the task (bad yields).
void schedule_error(VM& vm, TaskObject* task, std::string message)
{
    const Value arguments[1] = {string_value(vm, message)};
    const Value error = vm.call(Value::from_object(vm.types().runtime_error), arguments);
    if (!error.is_null())
        task->loop->loop->call_soon(Callback{&task_step_kind, Value::from_object(task), error});
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

// The task has ended: it leaves the loop's list, and a failure nobody has seen yet is kept
// for the report at close ("Task exception was never retrieved").
void task_ended(VM& vm, TaskObject* task)
{
    LoopObject* loop = task->loop;
    loop_remove_task(loop, task);
    if (task->log_traceback)
        loop->failed_tasks.push_back(Value::from_object(task));
    loop->loop->notify(LoopEventKind::Finished, Value::from_object(task));
    (void)vm;
}

// What to do with the value the coroutine yielded (CPython's Task.__step, "else" branch).
void task_handle_yield(VM& vm, TaskObject* task, Value yielded)
{
    EventLoop& loop = *task->loop->loop;
    const Value self = Value::from_object(task);

    if (yielded.is_none()) {
        // A bare yield gives up the rest of this turn.
        loop.call_soon(Callback{&task_step_kind, self, Value::null()});
        return;
    }
    if (SleepObject* sleep = as_sleep(vm, yielded); sleep && sleep->state == SleepState::Sleeping) {
        loop.call_later(sleep->delay, Callback{&sleep_timer_kind, self, yielded});
        task->waiter = yielded;
        loop.notify(LoopEventKind::Suspended, self, yielded);
        if (task->must_cancel && cancel_waiter(vm, task, yielded, task->cancel_message))
            task->must_cancel = false;
        return;
    }
    if (FutureObject* future = as_future(vm, yielded)) {
        if (future->loop != task->loop) {
            schedule_error(vm, task, "Task " + repr_text(vm, self) + " got Future " + repr_text(vm, yielded) +
                                         " attached to a different loop");
            return;
        }
        if (!future->blocking) {
            schedule_error(vm, task, "yield was used instead of yield from in task " + repr_text(vm, self) +
                                         " with " + repr_text(vm, yielded));
            return;
        }
        if (future == task) {
            schedule_error(vm, task, "Task cannot await on itself: " + repr_text(vm, self));
            return;
        }
        future->blocking = false;
        // The task itself is the done callback: completing the future wakes it.
        if (future->state == FutureState::Pending)
            future->callbacks.push_back(self);
        else
            future_schedule_callback(vm, future, self);
        task->waiter = yielded;
        loop.notify(LoopEventKind::Suspended, self, yielded);
        if (task->must_cancel) {
            if (cancel_waiter(vm, task, yielded, task->cancel_message))
                task->must_cancel = false;
            else if (vm.has_exception())
                vm.clear_exception();
        }
        return;
    }
    schedule_error(vm, task, "Task got bad yield: " + repr_text(vm, yielded));
}

// One step of a task: resume its coroutine with None, or throw `exception` into it. Returns
// false when SystemExit or KeyboardInterrupt must leave the loop (it stays pending).
bool task_step(VM& vm, TaskObject* task, Value exception)
{
    Root keep_task(vm, Value::from_object(task));
    Root keep_exception(vm, exception);
    if (task->state != FutureState::Pending)
        return true;  // cancelled and finished in between: nothing left to run
    LoopObject* loop = task->loop;
    const Value self = Value::from_object(task);

    if (task->must_cancel) {
        // A cancel() arrived while the task was ready: it gets CancelledError now.
        task->must_cancel = false;
        if (exception.is_null() || !is_subtype(type_of(vm, exception), types_of(vm).cancelled_error)) {
            exception = make_cancelled_error(vm, task->cancel_message);
            if (exception.is_null())
                return true;
            keep_exception.set(exception);
        }
    }
    task->waiter = Value::null();

    loop->current_task = self;
    loop->loop->notify(LoopEventKind::StepStarted, self);
    Value out;
    const ResumeResult outcome = resume_awaitable(vm, task->coro, exception, out);
    loop->current_task = Value::null();

    switch (outcome) {
    case ResumeResult::Returned:
        if (task->must_cancel) {
            // Cancelled just as the coroutine returned: the cancellation wins.
            task->must_cancel = false;
            future_cancel(vm, task, task->cancel_message);
        } else {
            future_finish(vm, task, FutureState::Finished, out, Value::null());
        }
        task_ended(vm, task);
        return true;
    case ResumeResult::Raised: {
        const Value error = vm.exception();
        Root keep_error(vm, error);
        if (vm.exception_matches(types_of(vm).cancelled_error)) {
            vm.clear_exception();
            // Kept so that result() re-raises this very exception.
            task->cancelled_error = error;
            future_cancel(vm, task, Value::null());
            task_ended(vm, task);
            return true;
        }
        const bool must_leave_loop =
            vm.exception_matches(vm.types().keyboard_interrupt) || vm.exception_matches(vm.types().system_exit);
        vm.clear_exception();
        future_finish(vm, task, FutureState::Finished, Value::null(), error);
        task_ended(vm, task);
        if (must_leave_loop) {
            // As in CPython, these end the loop itself, not just the task.
            task->log_traceback = false;
            vm.raise_value(error);
            return false;
        }
        return true;
    }
    case ResumeResult::Yielded: {
        Root keep_out(vm, out);
        task_handle_yield(vm, task, out);
        return true;
    }
    }
    return true;
}

bool run_task_step(EventLoop& loop, Value target, Value argument)
{
    VM& vm = vm_of(loop);
    return task_step(vm, static_cast<TaskObject*>(target.as_object()), argument);
}

// What a task waited on is done: step it with that outcome (CPython's Task.__wakeup).
bool run_task_wakeup(EventLoop& loop, Value target, Value argument)
{
    VM& vm = vm_of(loop);
    auto* task = static_cast<TaskObject*>(target.as_object());
    loop.notify(LoopEventKind::Woken, target, argument);
    Value exception;
    if (SleepObject* sleep = as_sleep(vm, argument)) {
        if (sleep->state == SleepState::Cancelled) {
            sleep->state = SleepState::Done;
            exception = make_cancelled_error(vm, sleep->cancel_message);
            if (exception.is_null())
                return true;
        }
    } else {
        auto* future = static_cast<FutureObject*>(argument.as_object());
        if (future->state == FutureState::Cancelled) {
            exception = future_cancelled_error(vm, future);
            if (exception.is_null())
                return true;
        } else if (!future->exception.is_null()) {
            future->log_traceback = false;
            exception = future->exception;
        }
    }
    return task_step(vm, task, exception);
}

bool run_done_callback(EventLoop& loop, Value target, Value argument)
{
    VM& vm = vm_of(loop);
    const Value arguments[1] = {argument};
    if (!vm.call(target, arguments).is_null())
        return true;
    if (vm.exception_matches(vm.types().keyboard_interrupt) || vm.exception_matches(vm.types().system_exit))
        return false;
    const Value error = vm.take_exception();
    Root keep(vm, error);
    auto* future = static_cast<FutureObject*>(argument.as_object());
    call_exception_handler(vm, future->loop, "Exception in callback " + repr_text(vm, target) + "(" +
                                                 repr_text(vm, argument) + ")",
                           error, argument, Value::null());
    return true;
}

bool run_sleep_timer(EventLoop& loop, Value target, Value argument)
{
    auto* sleep = static_cast<SleepObject*>(argument.as_object());
    // Like a Future whose result was just set: the task wakes on the next turn.
    sleep->state = SleepState::Woken;
    loop.call_soon(Callback{&task_wakeup_kind, target, argument});
    return true;
}

bool sleep_timer_cancelled(Value, Value argument)
{
    return static_cast<SleepObject*>(argument.as_object())->state != SleepState::Sleeping;
}

// ---------------------------------------------------------------- Future methods

FutureObject* self_future(CallArgs args)
{
    return static_cast<FutureObject*>(args[0].as_object());
}

// Checks that args[0] is a Future (methods may be called unbound: Future.done(x)).
bool check_self(VM& vm, CallArgs args, std::string_view method)
{
    if (args.count > 0 && as_future(vm, args[0]) != nullptr)
        return true;
    vm.raise_format(vm.types().type_error, "descriptor '{}' requires a '_asyncio.Future' object", method);
    return false;
}

Value future_result_method(VM& vm, CallArgs args)
{
    if (!check_self(vm, args, "result") || !check_no_arguments(vm, args.without_self(), "result"))
        return Value::null();
    return future_result(vm, self_future(args));
}

Value future_exception_method(VM& vm, CallArgs args)
{
    if (!check_self(vm, args, "exception") || !check_no_arguments(vm, args.without_self(), "exception"))
        return Value::null();
    FutureObject* future = self_future(args);
    if (future->state == FutureState::Cancelled)
        return vm.raise_value(future_cancelled_error(vm, future));
    if (future->state != FutureState::Finished)
        return vm.raise(types_of(vm).invalid_state_error, "Exception is not set.");
    future->log_traceback = false;
    return future->exception.is_null() ? Value::none() : future->exception;
}

Value future_set_result_method(VM& vm, CallArgs args)
{
    if (!check_self(vm, args, "set_result") || !check_one_argument(vm, args.without_self(), "set_result"))
        return Value::null();
    FutureObject* future = self_future(args);
    if (as_task(vm, args[0]) != nullptr)
        return vm.raise(vm.types().runtime_error, "Task does not support set_result() operation");
    if (future->state != FutureState::Pending)
        return vm.raise_format(types_of(vm).invalid_state_error, "invalid state");
    future_finish(vm, future, FutureState::Finished, args[1], Value::null());
    return Value::none();
}

Value future_set_exception_method(VM& vm, CallArgs args)
{
    if (!check_self(vm, args, "set_exception") || !check_one_argument(vm, args.without_self(), "set_exception"))
        return Value::null();
    FutureObject* future = self_future(args);
    if (as_task(vm, args[0]) != nullptr)
        return vm.raise(vm.types().runtime_error, "Task does not support set_exception() operation");
    if (future->state != FutureState::Pending)
        return vm.raise_format(types_of(vm).invalid_state_error, "invalid state");
    Value exception = args[1];
    // A class is instantiated, as `raise Class` does.
    if (exception.is_object() && exception.as_object()->type == vm.types().type)
        exception = vm.call(exception, std::span<const Value>{});
    if (exception.is_null())
        return Value::null();
    Root keep(vm, exception);
    if (!is_subtype(type_of(vm, exception), vm.types().base_exception))
        return vm.raise(vm.types().type_error, "invalid exception object");
    if (type_of(vm, exception) == vm.types().stop_iteration)
        return vm.raise(vm.types().type_error,
                        "StopIteration interacts badly with generators and cannot be raised into a Future");
    future_finish(vm, future, FutureState::Finished, Value::null(), exception);
    return Value::none();
}

Value future_cancel_method(VM& vm, CallArgs args)
{
    if (!check_self(vm, args, "cancel"))
        return Value::null();
    static const Signature signature{"cancel", {"msg"}, 0, 0};
    Value msg[1];
    if (!bind(vm, args, signature, msg))
        return Value::null();
    const Value message = msg[0].is_null() ? Value::none() : msg[0];
    if (TaskObject* task = as_task(vm, args[0])) {
        const bool cancelled = task_cancel(vm, task, message);
        if (vm.has_exception())
            return Value::null();
        return Value::from_bool(cancelled);
    }
    FutureObject* future = self_future(args);
    if (!future->cancel_hook.is_null()) {
        const bool cancelled = call_cancel_hook(vm, future, message);
        if (vm.has_exception())
            return Value::null();
        return Value::from_bool(cancelled);
    }
    return Value::from_bool(future_cancel(vm, future, message));
}

Value future_cancelled_method(VM& vm, CallArgs args)
{
    if (!check_self(vm, args, "cancelled"))
        return Value::null();
    return Value::from_bool(self_future(args)->state == FutureState::Cancelled);
}

Value future_done_method(VM& vm, CallArgs args)
{
    if (!check_self(vm, args, "done"))
        return Value::null();
    return Value::from_bool(self_future(args)->state != FutureState::Pending);
}

Value future_add_done_callback_method(VM& vm, CallArgs args)
{
    if (!check_self(vm, args, "add_done_callback"))
        return Value::null();
    static const Signature signature{"add_done_callback", {"fn", "context"}, 1, 1, 1};
    Value bound[2];
    if (!bind(vm, args, signature, bound))
        return Value::null();
    FutureObject* future = self_future(args);
    // On a done future the callback is scheduled at once (it still runs on a later turn).
    if (future->state != FutureState::Pending)
        future_schedule_callback(vm, future, bound[0]);
    else
        future->callbacks.push_back(bound[0]);
    return Value::none();
}

Value future_remove_done_callback_method(VM& vm, CallArgs args)
{
    if (!check_self(vm, args, "remove_done_callback") ||
        !check_one_argument(vm, args.without_self(), "remove_done_callback"))
        return Value::null();
    FutureObject* future = self_future(args);
    // Removes every callback equal to fn (==, so a bound method matches an equal one).
    std::vector<Value> kept;
    RootVector keep(vm, kept);
    std::int64_t removed = 0;
    for (std::size_t i = 0; i < future->callbacks.size(); ++i) {
        const Value callback = future->callbacks[i];
        const Truth same = ops::equals(vm, callback, args[1]);
        if (same == Truth::Error)
            return Value::null();
        if (same == Truth::True)
            ++removed;
        else
            kept.push_back(callback);
    }
    if (removed != 0)
        future->callbacks = kept;
    return Value::from_small_int(removed);
}

Value future_get_loop_method(VM& vm, CallArgs args)
{
    if (!check_self(vm, args, "get_loop"))
        return Value::null();
    return Value::from_object(self_future(args)->loop);
}

// __await__ / __iter__: an iterator that yields the future once (if it is pending) and then
// returns its result.
struct FutureIterObject : Object {
    // The future; null once the iterator has returned.
    FutureObject* future = nullptr;
};

void trace_future_iter(Object* self, Tracer& tracer)
{
    tracer.mark(static_cast<FutureIterObject*>(self)->future);
}

Value future_await_method(VM& vm, CallArgs args)
{
    if (!check_self(vm, args, "__await__"))
        return Value::null();
    auto* iterator = vm.heap().allocate<FutureIterObject>(types_of(vm).future_iter);
    iterator->future = self_future(args);
    return Value::from_object(iterator);
}

// Future.__await__'s body: `if not done: blocking = True; yield self`, then `return result()`.
Value future_iter_next(VM& vm, Value self)
{
    auto* iterator = static_cast<FutureIterObject*>(self.as_object());
    FutureObject* future = iterator->future;
    if (future == nullptr)
        return Value::null();
    if (future->state == FutureState::Pending) {
        if (!future->blocking) {
            future->blocking = true;
            return Value::from_object(future);
        }
        return vm.raise(vm.types().runtime_error, "await wasn't used with future");
    }
    iterator->future = nullptr;
    const Value result = future_result(vm, future);
    if (result.is_null())
        return Value::null();
    return return_from_iterator(vm, result);
}

Value iter_self(VM&, Value self)
{
    return self;
}

Value future_iter_send_method(VM& vm, CallArgs args)
{
    // Only None is ever sent into a future's iterator; the value is ignored, as in CPython.
    const Value result = future_iter_next(vm, args[0]);
    if (result.is_null() && !vm.has_exception())
        return vm.raise(vm.types().stop_iteration);
    return result;
}

Value future_iter_next_method(VM& vm, CallArgs args)
{
    return future_iter_send_method(vm, args);
}

Value future_iter_throw_method(VM& vm, CallArgs args)
{
    // The exception goes straight back into the awaiting frame.
    if (args.count < 2)
        return vm.raise(vm.types().type_error, "throw expected at least 1 argument, got 0");
    static_cast<FutureIterObject*>(args[0].as_object())->future = nullptr;
    return vm.raise_value(args[1]);
}

Value future_iter_close_method(VM&, CallArgs args)
{
    static_cast<FutureIterObject*>(args[0].as_object())->future = nullptr;
    return Value::none();
}

Value future_blocking_getter(VM& vm, CallArgs args)
{
    if (!check_self(vm, args, "_asyncio_future_blocking"))
        return Value::null();
    return Value::from_bool(self_future(args)->blocking);
}

Value future_blocking_setter(VM& vm, CallArgs args)
{
    const Truth truth = ops::truthy(vm, args[1]);
    if (truth == Truth::Error)
        return Value::null();
    self_future(args)->blocking = truth == Truth::True;
    return Value::none();
}

// Future(*, loop=None) and Future.__init__: the loop defaults to the current event loop.
LoopObject* loop_argument(VM& vm, Value loop)
{
    if (!loop.is_null() && !loop.is_none()) {
        if (auto* object = as_exact<LoopObject>(loop, types_of(vm).loop))
            return object;
        vm.raise(vm.types().type_error, "loop must be an asyncio event loop");
        return nullptr;
    }
    const Value current = vm.call(dict_get_str(asyncio_state(vm).module->dict, vm.intern("get_event_loop")), std::span<const Value>{});
    if (current.is_null())
        return nullptr;
    return static_cast<LoopObject*>(current.as_object());
}

Value future_construct(VM& vm, Value cls, CallArgs args)
{
    Type* type = static_cast<Type*>(cls.as_object());
    LoopObject* loop = nullptr;
    if (type == types_of(vm).future) {
        static const Signature signature{"Future", {"loop"}, 0, 0, 0};
        Value bound[1];
        if (!bind_arguments(vm, args, signature, bound))
            return Value::null();
        loop = loop_argument(vm, bound[0]);
        if (loop == nullptr)
            return Value::null();
    }
    // A subclass's arguments are its __init__'s business; it calls Future.__init__(loop=).
    auto* future = vm.heap().allocate<FutureObject>(type);
    future->loop = loop;
    if (type->flags & TypeFlagHeap) {
        Root keep(vm, Value::from_object(future));
        Dict* dict = new_dict(vm);
        future->dict = dict;
    }
    return Value::from_object(future);
}

Value future_init_method(VM& vm, CallArgs args)
{
    if (!check_self(vm, args, "__init__"))
        return Value::null();
    static const Signature signature{"Future", {"loop"}, 0, 0, 0};
    Value bound[1];
    if (!bind(vm, args, signature, bound))
        return Value::null();
    LoopObject* loop = loop_argument(vm, bound[0]);
    if (loop == nullptr)
        return Value::null();
    self_future(args)->loop = loop;
    return Value::none();
}

String* future_repr(VM& vm, Value self)
{
    auto* future = static_cast<FutureObject*>(self.as_object());
    std::string text = "<" + std::string(type_of(vm, self)->name->view());
    switch (future->state) {
    case FutureState::Pending: text += " pending"; break;
    case FutureState::Cancelled: text += " cancelled"; break;
    case FutureState::Finished:
        if (!future->exception.is_null())
            text += " finished exception=" + repr_text(vm, future->exception);
        else
            text += " finished result=" + repr_text(vm, future->result);
        break;
    }
    return new_string(vm, text + ">");
}

void trace_future_fields(const FutureObject* future, Tracer& tracer)
{
    tracer.mark(future->dict);
    tracer.mark(future->loop);
    tracer.mark(future->result);
    tracer.mark(future->exception);
    tracer.mark(future->cancel_message);
    tracer.mark(future->cancelled_error);
    tracer.mark(future->callbacks);
    tracer.mark(future->cancel_hook);
}

void trace_future(Object* self, Tracer& tracer)
{
    trace_future_fields(static_cast<FutureObject*>(self), tracer);
}

// ---------------------------------------------------------------- Task methods

TaskObject* self_task(VM& vm, CallArgs args, std::string_view method)
{
    if (args.count > 0)
        if (TaskObject* task = as_task(vm, args[0]))
            return task;
    vm.raise_format(vm.types().type_error, "descriptor '{}' requires a '_asyncio.Task' object", method);
    return nullptr;
}

Value task_name(VM& vm, TaskObject* task)
{
    if (task->name.is_null())
        task->name = string_value(vm, "Task-" + std::to_string(task->number));
    return task->name;
}

Value task_get_name_method(VM& vm, CallArgs args)
{
    TaskObject* task = self_task(vm, args, "get_name");
    return task ? task_name(vm, task) : Value::null();
}

Value task_set_name_method(VM& vm, CallArgs args)
{
    TaskObject* task = self_task(vm, args, "set_name");
    if (task == nullptr || !check_one_argument(vm, args.without_self(), "set_name"))
        return Value::null();
    String* name = ops::str(vm, args[1]);
    if (name == nullptr)
        return Value::null();
    task->name = Value::from_object(name);
    return Value::none();
}

Value task_get_coro_method(VM& vm, CallArgs args)
{
    TaskObject* task = self_task(vm, args, "get_coro");
    return task ? task->coro : Value::null();
}

Value task_cancelling_method(VM& vm, CallArgs args)
{
    TaskObject* task = self_task(vm, args, "cancelling");
    return task ? Value::from_small_int(task->cancels_requested) : Value::null();
}

Value task_uncancel_method(VM& vm, CallArgs args)
{
    TaskObject* task = self_task(vm, args, "uncancel");
    if (task == nullptr)
        return Value::null();
    // Takes back one cancel() request (used by timeout() and TaskGroup).
    if (task->cancels_requested > 0)
        --task->cancels_requested;
    return Value::from_small_int(task->cancels_requested);
}

// Task(coro, *, loop=None, name=None): the same as loop.create_task(coro, name=name).
Value task_construct(VM& vm, Value, CallArgs args)
{
    static const Signature signature{"Task", {"coro", "loop", "name", "context"}, 0, 1, 1};
    Value bound[4];
    if (!bind_arguments(vm, args, signature, bound))
        return Value::null();
    LoopObject* loop = loop_argument(vm, bound[1]);
    if (loop == nullptr)
        return Value::null();
    return new_task(vm, loop, bound[0], bound[2]);
}

String* task_repr(VM& vm, Value self)
{
    auto* task = static_cast<TaskObject*>(self.as_object());
    std::string text = "<" + std::string(type_of(vm, self)->name->view());
    switch (task->state) {
    case FutureState::Pending: text += " pending"; break;
    case FutureState::Cancelled: text += " cancelled"; break;
    case FutureState::Finished: text += " finished"; break;
    }
    text += " name=" + repr_text(vm, task_name(vm, task));
    std::string coro_name = "?";
    if (task->coro.is_object() && (task->coro.as_object()->type == vm.types().coroutine)) {
        auto* coroutine = static_cast<Generator*>(task->coro.as_object());
        if (coroutine->qualname != nullptr)
            coro_name = std::string(coroutine->qualname->view());
    } else if (as_sleep(vm, task->coro) != nullptr) {
        coro_name = "sleep";
    }
    text += " coro=<" + coro_name + "()";
    text += task->state == FutureState::Pending ? " running>" : " done>";
    if (task->state == FutureState::Finished) {
        if (!task->exception.is_null())
            text += " exception=" + repr_text(vm, task->exception);
        else
            text += " result=" + repr_text(vm, task->result);
    }
    if (!task->waiter.is_null() && task->state == FutureState::Pending)
        text += " wait_for=" + repr_text(vm, task->waiter);
    return new_string(vm, text + ">");
}

void trace_task(Object* self, Tracer& tracer)
{
    auto* task = static_cast<TaskObject*>(self);
    trace_future_fields(task, tracer);
    tracer.mark(task->coro);
    tracer.mark(task->name);
    tracer.mark(task->waiter);
    // The task list's links are traced by the loop, which owns the list.
}

// ---------------------------------------------------------------- Sleep methods

Value sleep_next(VM& vm, Value self)
{
    Value out;
    switch (sleep_advance(vm, static_cast<SleepObject*>(self.as_object()), Value::null(), out)) {
    case ResumeResult::Yielded: return out;
    case ResumeResult::Returned: return return_from_iterator(vm, out);
    case ResumeResult::Raised: return Value::null();
    }
    return Value::null();
}

Value sleep_send_method(VM& vm, CallArgs args)
{
    const Value result = sleep_next(vm, args[0]);
    if (result.is_null() && !vm.has_exception())
        return vm.raise(vm.types().stop_iteration);
    return result;
}

Value sleep_throw_method(VM& vm, CallArgs args)
{
    if (args.count < 2)
        return vm.raise(vm.types().type_error, "throw expected at least 1 argument, got 0");
    Value out;
    sleep_advance(vm, static_cast<SleepObject*>(args[0].as_object()), args[1], out);
    return Value::null();
}

Value sleep_close_method(VM&, CallArgs args)
{
    static_cast<SleepObject*>(args[0].as_object())->state = SleepState::Done;
    return Value::none();
}

Value sleep_await_method(VM&, CallArgs args)
{
    return args[0];
}

String* sleep_repr(VM& vm, Value self)
{
    return new_string(vm, fmt::format("<coroutine object sleep at {}>", static_cast<const void*>(self.as_object())));
}

void trace_sleep(Object* self, Tracer& tracer)
{
    auto* sleep = static_cast<SleepObject*>(self);
    tracer.mark(sleep->result);
    tracer.mark(sleep->cancel_message);
}

// sleep(delay, result=None): an awaitable that finishes `delay` seconds later with `result`.
Value asyncio_sleep(VM& vm, CallArgs args)
{
    static const Signature signature{"sleep", {"delay", "result"}, 0, 1};
    Value bound[2];
    if (!bind_arguments(vm, args, signature, bound))
        return Value::null();
    double delay = 0.0;
    if (!to_seconds(vm, bound[0], delay))
        return Value::null();
    auto* sleep = vm.heap().allocate<SleepObject>(types_of(vm).sleep);
    sleep->delay = delay;
    sleep->result = bound[1].is_null() ? Value::none() : bound[1];
    return Value::from_object(sleep);
}

// ---------------------------------------------------------------- module functions

// _gathering_future(loop, cancel): the future gather() returns, whose cancel(msg) calls
// cancel(msg) (CPython makes it a Future subclass, _GatheringFuture).
Value asyncio_gathering_future(VM& vm, CallArgs args)
{
    if (!check_positional(vm, args, "_gathering_future", 2, 2) || !check_no_keywords(vm, args, "_gathering_future"))
        return Value::null();
    LoopObject* loop = loop_argument(vm, args[0]);
    if (loop == nullptr)
        return Value::null();
    FutureObject* future = new_future(vm, loop);
    future->cancel_hook = args[1];
    return Value::from_object(future);
}

// iscoroutine(obj): what create_task accepts.
Value asyncio_iscoroutine(VM& vm, CallArgs args)
{
    if (!check_one_argument(vm, args, "iscoroutine"))
        return Value::null();
    return Value::from_bool(is_coroutine(vm, args[0]));
}

}  // namespace

bool is_coroutine(VM& vm, Value value)
{
    if (!value.is_object())
        return false;
    const Type* type = value.as_object()->type;
    return type == vm.types().coroutine || type == types_of(vm).sleep;
}

Value new_task(VM& vm, LoopObject* loop, Value coro, Value name)
{
    if (!is_coroutine(vm, coro)) {
        String* text = ops::repr(vm, coro);
        if (text == nullptr)
            return Value::null();
        return vm.raise_format(vm.types().type_error, "a coroutine was expected, got {}", text->view());
    }
    auto* task = vm.heap().allocate<TaskObject>(types_of(vm).task);
    task->loop = loop;
    task->coro = coro;
    const Value self = Value::from_object(task);
    Root keep(vm, self);
    if (name.is_null() || name.is_none()) {
        // Only unnamed tasks take a number, as in CPython.
        task->number = ++asyncio_state(vm).task_counter;
    } else {
        String* text = ops::str(vm, name);
        if (text == nullptr)
            return Value::null();
        task->name = Value::from_object(text);
    }
    loop_add_task(loop, task);
    // The first step runs on the loop's next turn: tasks start in creation order.
    loop->loop->call_soon(Callback{&task_step_kind, self, Value::null()});
    loop->loop->notify(LoopEventKind::TaskCreated, self);
    return self;
}

void trace_task_list(const TaskObject* first, Tracer& tracer)
{
    for (const TaskObject* task = first; task != nullptr; task = task->next_task)
        tracer.mark(task);
}

void init_future_types(VM& vm, Module* module)
{
    AsyncioTypes& types = types_of(vm);

    // Future
    Type* future = new_asyncio_class(vm, module, "Future", vm.types().object, TypeFlagBaseType);
    future->construct = future_construct;
    future->trace = trace_future;
    future->finalize = finalize_object<FutureObject>;
    future->repr = future_repr;
    // Where instances of asy subclasses keep their __dict__ (measured on a real object:
    // offsetof is not portable for a struct with a base class).
    static const FutureObject probe;
    future->dict_offset = static_cast<std::uint32_t>(reinterpret_cast<const char*>(&probe.dict) -
                                                     reinterpret_cast<const char*>(&probe));
    types.future = future;
    define_method(vm, future, "__init__", future_init_method);
    define_method(vm, future, "result", future_result_method);
    define_method(vm, future, "exception", future_exception_method);
    define_method(vm, future, "set_result", future_set_result_method);
    define_method(vm, future, "set_exception", future_set_exception_method);
    define_method(vm, future, "cancel", future_cancel_method);
    define_method(vm, future, "cancelled", future_cancelled_method);
    define_method(vm, future, "done", future_done_method);
    define_method(vm, future, "add_done_callback", future_add_done_callback_method);
    define_method(vm, future, "remove_done_callback", future_remove_done_callback_method);
    define_method(vm, future, "get_loop", future_get_loop_method);
    define_method(vm, future, "__await__", future_await_method);
    define_method(vm, future, "__iter__", future_await_method);
    define_property(vm, future, "_asyncio_future_blocking", future_blocking_getter, future_blocking_setter);

    // The iterator of `await future`.
    Type* future_iter = new_asyncio_class(vm, module, "FutureIter", vm.types().object);
    future_iter->trace = trace_future_iter;
    future_iter->iter = iter_self;
    future_iter->next = future_iter_next;
    types.future_iter = future_iter;
    define_method(vm, future_iter, "send", future_iter_send_method);
    define_method(vm, future_iter, "__next__", future_iter_next_method);
    define_method(vm, future_iter, "throw", future_iter_throw_method);
    define_method(vm, future_iter, "close", future_iter_close_method);

    // Task, a Future subclass.
    Type* task = new_asyncio_class(vm, module, "Task", future, TypeFlagBaseType);
    task->construct = task_construct;
    task->trace = trace_task;
    task->finalize = finalize_object<TaskObject>;
    task->repr = task_repr;
    types.task = task;
    define_method(vm, task, "get_name", task_get_name_method);
    define_method(vm, task, "set_name", task_set_name_method);
    define_method(vm, task, "get_coro", task_get_coro_method);
    define_method(vm, task, "cancelling", task_cancelling_method);
    define_method(vm, task, "uncancel", task_uncancel_method);

    // The awaitable of sleep(). Its class is called "coroutine", like the coroutine CPython's
    // sleep() returns, so that type(sleep(1)).__name__ and its repr read the same; it is
    // stored in _asyncio as SleepAwaitable.
    Type* sleep = new_asyncio_class(vm, module, "SleepAwaitable", vm.types().object);
    sleep->name = vm.intern("coroutine");
    sleep->qualname = sleep->name;
    sleep->trace = trace_sleep;
    sleep->iter = iter_self;
    sleep->next = sleep_next;
    sleep->repr = sleep_repr;
    types.sleep = sleep;
    define_method(vm, sleep, "__await__", sleep_await_method);
    define_method(vm, sleep, "send", sleep_send_method);
    define_method(vm, sleep, "throw", sleep_throw_method);
    define_method(vm, sleep, "close", sleep_close_method);

    define_function(vm, module, "sleep", asyncio_sleep);
    define_function(vm, module, "iscoroutine", asyncio_iscoroutine);
    define_function(vm, module, "_gathering_future", asyncio_gathering_future);
}

}  // namespace asy
