// The native half of asyncio, the module _asyncio: Future, Task, sleep and the event loop
// object, on top of runtime/event_loop.hpp. stdlib/asyncio/*.asy builds the rest of asyncio
// (gather, locks, queues, TaskGroup...) from these. This header holds the object layouts
// shared by asyncio_future.cpp (Future, Task, sleep) and asyncio_loop.cpp (the loop object,
// handles, the module), and the two hooks the VM calls.
#pragma once

#include "runtime/event_loop.hpp"
#include "runtime/object.hpp"
#include "runtime/uv_handle.hpp"

#include <string_view>

#include <cstdint>
#include <memory>
#include <vector>

namespace asy {

class VM;
struct Dict;
struct String;
struct LoopObject;
struct TaskObject;
struct Module;

// ---------------------------------------------------------------- hooks for the VM

// Makes `import _asyncio` (and so `import asyncio`) work. Call once when the VM starts.
void register_asyncio_module(VM& vm);

// The builtins sleep, gather, create_task, run and open_connection are the very objects of
// asyncio. Called when a global name is missing from the builtins: for one of these five
// names it imports asyncio, puts all five in the builtins and returns the one asked for;
// for any other name it returns null with no exception pending. After a failed import it
// returns null with the exception pending.
Value load_asyncio_builtin(VM& vm, String* name);

// ---------------------------------------------------------------- Future

// A Future's life: pending, then either finished (with a result or an exception) or cancelled.
enum class FutureState : std::uint8_t { Pending, Finished, Cancelled };

// asyncio.Future: a value that will exist later. Tasks wait on futures; a future's done
// callbacks are scheduled on its loop when it completes.
struct FutureObject : Object {
    // The attributes of an instance of an asy subclass (gather's _GatheringFuture); nullptr
    // for plain futures and tasks, which have no __dict__, as in CPython.
    Dict* dict = nullptr;
    // The loop the future belongs to; its callbacks run there.
    LoopObject* loop = nullptr;
    FutureState state = FutureState::Pending;
    // _asyncio_future_blocking: set by __await__ just before the future is yielded to the
    // task, so the task can tell "wait for this future" from a stray yield.
    bool blocking = false;
    // An exception was set and nobody has looked at it yet: reported when the loop closes
    // ("Task exception was never retrieved").
    bool log_traceback = false;
    // The result, once finished without an exception.
    Value result;
    // The exception, once finished with one.
    Value exception;
    // The argument of cancel(msg), or null: the message of the CancelledError it causes.
    Value cancel_message;
    // A task's coroutine raised this CancelledError; result() raises it again, so that its
    // traceback shows where the task was cancelled.
    Value cancelled_error;
    // Done callbacks: callables called with the future, or (a Task) tasks to wake up.
    std::vector<Value> callbacks;
    // For the future of gather(): cancel(msg) calls this with msg instead of cancelling the
    // future itself (it cancels the children). Null for every other future.
    Value cancel_hook;
};

// ---------------------------------------------------------------- Task

// asyncio.Task: a future that runs a coroutine, one step per turn of the loop. A step resumes
// the coroutine until it yields; what it yields says what to wait for.
struct TaskObject : FutureObject {
    // The coroutine (or native awaitable, such as a sleep) being driven.
    Value coro;
    // The name given with create_task(name=) or set_name(); null means "Task-<number>".
    Value name;
    // What the task waits on now: a Future, a Sleep, or null when it is ready or running.
    Value waiter;
    // The number in the default name "Task-<number>".
    std::uint64_t number = 0;
    // cancel() calls not yet taken back by uncancel() (Task.cancelling()).
    int cancels_requested = 0;
    // A cancel() arrived while the task was not waiting on anything: the next step throws
    // CancelledError into the coroutine instead of resuming it.
    bool must_cancel = false;
    // The loop's list of unfinished tasks, in creation order (asyncio.all_tasks).
    TaskObject* previous_task = nullptr;
    TaskObject* next_task = nullptr;
    // True while the task is in that list.
    bool listed = false;
};

// ---------------------------------------------------------------- sleep

// Where a sleep is. sleep(0) yields once (bare `yield`); sleep(d > 0) yields itself, and the
// task that sees it sets a timer instead of waiting on a Future: a sleeping task costs one
// Sleep object and one timer entry.
enum class SleepState : std::uint8_t { Created, Yielded, Sleeping, Woken, Cancelled, Done };

// The awaitable that asyncio.sleep(delay, result) returns.
struct SleepObject : Object {
    // Seconds to sleep.
    double delay = 0.0;
    SleepState state = SleepState::Created;
    // What `await sleep(...)` gives back.
    Value result;
    // The message of a cancel(msg) that interrupted the sleep, or null.
    Value cancel_message;
};

// ---------------------------------------------------------------- Handle

// The Handle / TimerHandle that call_soon, call_later and call_at return: a callback with its
// arguments that can be cancelled before it runs.
struct HandleObject : Object {
    // The callable and its positional arguments.
    Value callback;
    Value arguments;  // a Tuple
    // Loop time for a TimerHandle; unused for a Handle.
    double when = 0.0;
    bool cancelled = false;
    // The loop, to report a failing callback through its exception handler.
    LoopObject* loop = nullptr;
};

// ---------------------------------------------------------------- the loop object

// The Python-visible event loop: an EventLoop plus what asyncio adds to it.
struct LoopObject : Object {
    // The scheduler; destroyed with the object.
    std::unique_ptr<EventLoop> loop;
    // Unfinished tasks of this loop, oldest first (strong references: the loop keeps every
    // task alive until it ends, so a task nobody holds still runs to completion).
    TaskObject* first_task = nullptr;
    TaskObject* last_task = nullptr;
    // Tasks that ended with an exception nobody retrieved yet, reported at close().
    std::vector<Value> failed_tasks;
    // The task running a step now (asyncio.current_task), or null.
    Value current_task;
    // set_exception_handler's handler, or null for the default one.
    Value exception_handler;
    // A native callable that stops this loop: the done callback of run_until_complete.
    Value stop_callback;
    // Set by SIGINT while _run_main runs: how many times Ctrl-C was pressed.
    int interrupts = 0;
    // The main task of _run_main, cancelled by Ctrl-C.
    Value main_task;
    // Watches SIGINT while _run_main runs.
    UvHandle<uv_signal_t> sigint;
};

}  // namespace asy

// ---------------------------------------------------------------- shared by the two .cpp files

namespace asy {

// The classes of _asyncio, made when the module is first imported.
struct AsyncioTypes {
    Type* future = nullptr;
    Type* future_iter = nullptr;
    Type* task = nullptr;
    Type* sleep = nullptr;
    Type* handle = nullptr;
    Type* timer_handle = nullptr;
    Type* loop = nullptr;
    Type* cancelled_error = nullptr;
    Type* invalid_state_error = nullptr;
};

// The per-VM state of _asyncio. Objects in it are kept alive by the module's namespace too
// (see asyncio_loop.cpp), so the collector needs nothing more.
struct AsyncioState {
    AsyncioTypes types;
    // The module _asyncio (alive as long as sys.modules holds it).
    Module* module = nullptr;
    // The loop inside run_forever now, or nullptr.
    LoopObject* running_loop = nullptr;
    // Tasks created so far in this process: the N of "Task-N".
    std::uint64_t task_counter = 0;
};

// The state of `vm`'s _asyncio (created empty on first use).
AsyncioState& asyncio_state(VM& vm);

// asyncio_future.cpp: the Future, Task and Sleep classes and their internals.
void init_future_types(VM& vm, Module* module);
// Marks the future done and schedules its callbacks; the caller checked it was pending.
void future_finish(VM& vm, FutureObject* future, FutureState state, Value result, Value exception);
// Schedules `callback(future)` on the future's loop (or the task wake-up, for a Task).
void future_schedule_callback(VM& vm, FutureObject* future, Value callback);
// A new pending Future on `loop`.
FutureObject* new_future(VM& vm, LoopObject* loop);
// A new Task on `loop` running `coro`, its first step scheduled; null after raising.
Value new_task(VM& vm, LoopObject* loop, Value coro, Value name);
// Task.cancel(msg) for any task: true if the cancellation was requested.
bool task_cancel(VM& vm, TaskObject* task, Value message);
// Whether `value` is a coroutine asyncio can drive (a coroutine object or a native sleep).
bool is_coroutine(VM& vm, Value value);
// Trace slot shared by the loop: marks a task list.
void trace_task_list(const TaskObject* first, Tracer& tracer);

// Makes a class of _asyncio and stores it in the module's namespace at once, which is what
// keeps it alive (an unrooted new class could be collected by the next allocation).
Type* new_asyncio_class(VM& vm, Module* module, std::string_view name, Type* base, std::uint32_t flags = 0);

// asyncio_loop.cpp: the loop object.
void init_loop_types(VM& vm, Module* module);
// Calls the loop's exception handler with a context dict built from these entries (any may
// be null): message, exception, and the future/task/handle concerned.
void call_exception_handler(VM& vm, LoopObject* loop, std::string_view message, Value exception,
                            Value future, Value handle);
// Adds/removes a task to/from its loop's list of unfinished tasks.
void loop_add_task(LoopObject* loop, TaskObject* task);
void loop_remove_task(LoopObject* loop, TaskObject* task);
// Converts a number to seconds: false after raising TypeError.
bool to_seconds(VM& vm, Value value, double& out);

}  // namespace asy
