// Child processes on uv_spawn, for stdlib/asyncio/subprocess.asy: _streams.spawn() starts a
// program with each of its standard streams inherited, sent to /dev/null, or connected to a
// pipe that asy sees as a transport (runtime/streams.cpp). When the child exits, libuv tells
// us, and the asy callback given to spawn() hears the return code on the next loop turn.

#include "runtime/streams.hpp"

#include "runtime/event_loop.hpp"
#include "runtime/heap.hpp"
#include "runtime/objects/bytes.hpp"
#include "runtime/objects/dict.hpp"
#include "runtime/objects/int.hpp"
#include "runtime/objects/list.hpp"
#include "runtime/objects/module.hpp"
#include "runtime/objects/str.hpp"
#include "runtime/objects/tuple.hpp"
#include "runtime/ops.hpp"
#include "runtime/vm.hpp"
#include "stdlib/native/asyncio.hpp"

#include <unistd.h>

#include <cstring>
#include <string>
#include <vector>

namespace asy {

namespace {

// How a standard stream of the child is connected (asyncio.subprocess's constants).
constexpr std::int64_t mode_pipe = -1;
constexpr std::int64_t mode_stdout = -2;
constexpr std::int64_t mode_devnull = -3;

struct ProcessObject;

// The libuv side of a child process; freed in the handle's close callback.
struct UvProcess {
    UvHandle<uv_process_t> process;
    // The asy object, or null once it was finalized (interpreter exit).
    ProcessObject* owner = nullptr;
};

// A running (or finished) child process.
struct ProcessObject : Object {
    // The libuv side; null once the handle is closed.
    UvProcess* uv = nullptr;
    LoopObject* loop = nullptr;
    // Called with the return code when the child has exited.
    Value on_exit;
    // The child's process id.
    int pid = 0;
    // The child has exited (send_signal does nothing any more).
    bool exited = false;
};

VM& vm_of(EventLoop& loop)
{
    return *static_cast<VM*>(loop.context());
}

bool run_process_exit(EventLoop& loop, Value target, Value argument);
// The child exited; the argument is its return code (-N when killed by signal N).
const CallbackKind process_exit_kind{"process exit", run_process_exit, nullptr};

void on_process_closed(void* context)
{
    auto* uv = static_cast<UvProcess*>(context);
    if (ProcessObject* process = uv->owner) {
        process->uv = nullptr;
        unpin(vm_of(*process->loop->loop), process);
    }
    delete uv;
}

void close_process(UvProcess* uv)
{
    if (uv->process)
        uv->process.close(on_process_closed, uv);
}

void on_process_exit(uv_process_t* handle, std::int64_t exit_status, int term_signal)
{
    auto* uv = static_cast<UvProcess*>(handle->data);
    if (uv == nullptr || uv->owner == nullptr)
        return;
    ProcessObject* process = uv->owner;
    process->exited = true;
    EventLoop& loop = *process->loop->loop;
    const std::int64_t code = term_signal != 0 ? -term_signal : exit_status;
    if (!loop.is_closed())
        loop.post_io_ready(Callback{&process_exit_kind, Value::from_object(process), Value::from_small_int(code)});
    close_process(uv);
}

bool run_process_exit(EventLoop& loop, Value target, Value argument)
{
    VM& vm = vm_of(loop);
    auto* process = static_cast<ProcessObject*>(target.as_object());
    const Value callback = std::exchange(process->on_exit, Value::null());
    if (callback.is_null())
        return true;
    Root keep(vm, callback);
    if (vm.call(callback, std::span<const Value>(&argument, 1)).is_null()) {
        const Value error = vm.take_exception();
        Root keep_error(vm, error);
        call_exception_handler(vm, process->loop, "Exception in the process exit callback", error, Value::null(),
                               Value::null());
    }
    return true;
}

void trace_process(Object* self, Tracer& tracer)
{
    auto* process = static_cast<ProcessObject*>(self);
    tracer.mark(process->loop);
    tracer.mark(process->on_exit);
}

void finalize_process(Object* self)
{
    auto* process = static_cast<ProcessObject*>(self);
    if (UvProcess* uv = process->uv) {
        uv->owner = nullptr;
        uv->process.get()->data = nullptr;
        close_process(uv);
    }
    process->~ProcessObject();
}

ProcessObject* self_process(CallArgs args)
{
    return static_cast<ProcessObject*>(args[0].as_object());
}

bool check_process(VM& vm, CallArgs args)
{
    if (args.count > 0 && as_exact<ProcessObject>(args[0], streams_state(vm).process) != nullptr)
        return true;
    vm.raise(vm.types().type_error, "descriptor requires a '_streams.Process' object");
    return false;
}

Value process_pid(VM& vm, CallArgs args)
{
    if (!check_process(vm, args))
        return Value::null();
    return Value::from_small_int(self_process(args)->pid);
}

// send_signal(signal): after the child has exited this does nothing, as CPython's
// transport does once it has seen the exit.
Value process_send_signal(VM& vm, CallArgs args)
{
    if (!check_process(vm, args) || !check_one_argument(vm, args.without_self(), "send_signal"))
        return Value::null();
    std::int64_t signal = 0;
    if (!int_to_int64(vm, args[1], signal))
        return Value::null();
    ProcessObject* process = self_process(args);
    if (process->exited || process->uv == nullptr)
        return Value::none();
    const int status = uv_process_kill(process->uv->process.get(), static_cast<int>(signal));
    if (status != 0 && status != UV_ESRCH)
        return raise_os_error(vm, -status, std::strerror(-status));
    return Value::none();
}

// The text of a str argument, or false after raising TypeError.
bool text_of(VM& vm, Value value, std::string& out)
{
    if (auto* text = as_instance<String>(value, vm.types().str)) {
        out = std::string(text->view());
        return true;
    }
    if (auto* bytes = as_instance<Bytes>(value, vm.types().bytes)) {
        out = bytes->data;
        return true;
    }
    vm.raise_format(vm.types().type_error, "expected str, bytes or os.PathLike object, not {}",
                    ops::type_name(vm, value));
    return false;
}

// The strings of a list or tuple of str.
bool strings_of(VM& vm, Value sequence, std::vector<std::string>& out)
{
    const std::vector<Value>* items = nullptr;
    if (auto* list = as_instance<List>(sequence, vm.types().list))
        items = &list->items;
    else if (auto* tuple = as_instance<Tuple>(sequence, vm.types().tuple))
        items = &tuple->items;
    if (items == nullptr) {
        vm.raise(vm.types().type_error, "expected a list of arguments");
        return false;
    }
    for (Value item : *items) {
        std::string text;
        if (!text_of(vm, item, text))
            return false;
        out.push_back(std::move(text));
    }
    return true;
}

// The parent's ends of the pipes of one spawn, closed again if the spawn fails.
struct SpawnPipes {
    // Per standard stream: the parent's end (-1 when not a pipe) and the child's.
    int parent[3] = {-1, -1, -1};
    int child[3] = {-1, -1, -1};

    void close_child_ends()
    {
        for (int i = 0; i < 3; ++i) {
            if (child[i] >= 0 && (i == 0 || child[i] != child[i - 1]))
                ::close(child[i]);
            child[i] = -1;
        }
    }
    void close_parent_ends()
    {
        for (int& fd : parent) {
            if (fd >= 0)
                ::close(fd);
            fd = -1;
        }
    }
};

// spawn(args, cwd, env, stdin, stdout, stderr, on_exit): starts args[0] (searched in PATH)
// and returns (process, stdin_transport, stdout_transport, stderr_transport), each
// transport None unless that stream is a pipe. Each stream mode is None (inherit), -1 (PIPE),
// -2 (STDOUT, for stderr), -3 (DEVNULL) or a file descriptor.
Value streams_spawn(VM& vm, CallArgs args)
{
    if (!check_positional(vm, args, "spawn", 7, 7))
        return Value::null();
    LoopObject* loop = running_loop(vm);
    if (loop == nullptr)
        return Value::null();
    std::vector<std::string> argv;
    if (!strings_of(vm, args[0], argv))
        return Value::null();
    if (argv.empty())
        return vm.raise(vm.types().value_error, "args must not be empty");
    std::string cwd;
    if (!args[1].is_none() && !text_of(vm, args[1], cwd))
        return Value::null();
    std::vector<std::string> environment;
    if (!args[2].is_none()) {
        auto* dict = as_instance<Dict>(args[2], vm.types().dict);
        if (dict == nullptr)
            return vm.raise(vm.types().type_error, "env must be a dict");
        for (const DictEntry& entry : dict->entries) {
            if (entry.key.is_null())
                continue;
            std::string key;
            std::string value;
            if (!text_of(vm, entry.key, key) || !text_of(vm, entry.value, value))
                return Value::null();
            environment.push_back(key + "=" + value);
        }
    }

    // How each standard stream goes to the child.
    SpawnPipes pipes;
    uv_stdio_container_t stdio[3];
    for (int i = 0; i < 3; ++i) {
        const Value mode = args[3 + static_cast<std::size_t>(i)];
        stdio[i].flags = UV_INHERIT_FD;
        stdio[i].data.fd = i;
        if (mode.is_none())
            continue;
        std::int64_t number = 0;
        if (!int_to_int64(vm, mode, number)) {
            pipes.close_child_ends();
            pipes.close_parent_ends();
            return Value::null();
        }
        if (number == mode_pipe) {
            int fds[2];
            const int status = uv_pipe(fds, 0, 0);
            if (status != 0) {
                pipes.close_child_ends();
                pipes.close_parent_ends();
                return raise_os_error(vm, -status, std::strerror(-status));
            }
            // The child reads its stdin from the read end and writes the others.
            pipes.child[i] = i == 0 ? fds[0] : fds[1];
            pipes.parent[i] = i == 0 ? fds[1] : fds[0];
            stdio[i].data.fd = pipes.child[i];
        } else if (number == mode_stdout && i == 2) {
            stdio[i].data.fd = pipes.child[1] >= 0 ? pipes.child[1] : 1;
            pipes.child[2] = pipes.child[1];
        } else if (number == mode_devnull) {
            stdio[i].flags = UV_IGNORE;
        } else if (number >= 0) {
            stdio[i].data.fd = static_cast<int>(number);
        } else {
            pipes.close_child_ends();
            pipes.close_parent_ends();
            return vm.raise_format(vm.types().value_error, "invalid stream mode {}", number);
        }
    }

    std::vector<char*> argv_pointers;
    for (std::string& arg : argv)
        argv_pointers.push_back(arg.data());
    argv_pointers.push_back(nullptr);
    std::vector<char*> env_pointers;
    for (std::string& entry : environment)
        env_pointers.push_back(entry.data());
    env_pointers.push_back(nullptr);

    uv_process_options_t options{};
    options.exit_cb = on_process_exit;
    options.file = argv_pointers[0];
    options.args = argv_pointers.data();
    options.env = args[2].is_none() ? nullptr : env_pointers.data();
    options.cwd = cwd.empty() ? nullptr : cwd.c_str();
    options.stdio_count = 3;
    options.stdio = stdio;

    // uv_spawn leaves the handle registered with the loop even when it fails, so the handle
    // must be closed either way; UvHandle::init would free it at once on failure.
    auto* uv = new UvProcess{};
    int status = 0;
    auto spawn = [&status](uv_loop_t* uv_loop, uv_process_t* handle, const uv_process_options_t* spawn_options) {
        status = uv_spawn(uv_loop, handle, spawn_options);
        return 0;
    };
    (void)uv->process.init(spawn, loop->loop->uv_loop(), &options);
    pipes.close_child_ends();
    if (status != 0) {
        close_process(uv);
        pipes.close_parent_ends();
        // CPython: FileNotFoundError: [Errno 2] No such file or directory: 'name'
        Root name(vm, string_value(vm, argv[0]));
        Root text(vm, string_value(vm, std::strerror(-status)));
        const Value arguments[3] = {Value::from_small_int(-status), text.get(), name.get()};
        const Value error = vm.call(Value::from_object(os_error_type_for(vm, -status)), arguments);
        if (error.is_null())
            return Value::null();
        return vm.raise_value(error);
    }
    auto* process = vm.heap().allocate<ProcessObject>(streams_state(vm).process);
    process->uv = uv;
    process->loop = loop;
    process->on_exit = args[6];
    process->pid = uv->process.get()->pid;
    uv->owner = process;
    uv->process.get()->data = uv;
    pin(vm, process);
    Root keep_process(vm, Value::from_object(process));

    // The parent's ends become transports.
    Value items[4] = {Value::from_object(process), Value::none(), Value::none(), Value::none()};
    std::vector<Value> transports;
    RootVector keep_transports(vm, transports);
    for (int i = 0; i < 3; ++i) {
        if (pipes.parent[i] < 0)
            continue;
        auto* io = new UvStream{};
        int pipe_status = io->pipe.init(uv_pipe_init, loop->loop->uv_loop(), 0);
        if (pipe_status == 0)
            pipe_status = uv_pipe_open(io->pipe.get(), pipes.parent[i]);
        if (pipe_status != 0) {
            delete io;
            ::close(pipes.parent[i]);
            pipes.parent[i] = -1;
            continue;
        }
        pipes.parent[i] = -1;
        TransportObject* transport = new_transport(vm, loop, io);
        transport->is_tcp = false;
        transport->readable = i != 0;
        transport->writable = i == 0;
        transport->close_on_eof = i != 0;
        transports.push_back(Value::from_object(transport));
        items[1 + i] = Value::from_object(transport);
    }
    return Value::from_object(new_tuple(vm, items));
}

}  // namespace

void close_processes_of_loop(VM& vm, EventLoop& loop)
{
    StreamsState& state = streams_state(vm);
    const std::vector<Object*> pinned(state.pinned.begin(), state.pinned.end());
    for (Object* object : pinned) {
        if (object->type != state.process)
            continue;
        auto* process = static_cast<ProcessObject*>(object);
        if (process->loop->loop.get() == &loop && process->uv != nullptr)
            close_process(process->uv);
    }
}

void init_subprocess(VM& vm, Module* module)
{
    StreamsState& state = streams_state(vm);
    // Interned first: the new class must not wait unrooted through an allocation.
    String* process_key = vm.intern("Process");
    Type* process = make_builtin_type(vm, "Process", vm.types().object);
    dict_set_str(vm, module->dict, process_key, Value::from_object(process));
    process->module = vm.intern("_streams");
    process->trace = trace_process;
    process->finalize = finalize_process;
    state.process = process;
    define_method(vm, process, "pid", process_pid);
    define_method(vm, process, "send_signal", process_send_signal);
    define_function(vm, module, "spawn", streams_spawn);
}

}  // namespace asy
