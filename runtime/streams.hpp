// The native half of asyncio's streams and subprocesses, the module _streams: a thin byte
// transport over a libuv stream (a TCP socket or a pipe), a TCP listener, DNS through
// uv_getaddrinfo, and child processes through uv_spawn. Everything a learner reads about
// streams (StreamReader's buffering, readline, readuntil, drain) is asy code in
// stdlib/asyncio/streams.asy and subprocess.asy, built on these few objects.
//
// Each object is split in two: a GC object that asy code holds (TransportObject...) and a
// plain C++ block that libuv points at (UvStream...). libuv may call back after the GC
// object is gone (at interpreter exit every object is freed, reachable or not), so the C++
// block outlives it and is freed in the close callback, as libuv requires.
#pragma once

#include "runtime/object.hpp"
#include "runtime/uv_handle.hpp"
#include "runtime/value.hpp"

#include <uv.h>

#include <cstddef>
#include <string>
#include <unordered_set>

namespace asy {

class VM;
class EventLoop;
struct Module;
struct LoopObject;
struct TransportObject;

// The libuv side of a transport: the handle (a TCP socket or a pipe), the bytes read but not
// yet handed to asy, and the bookkeeping of writes. Freed in the handle's close callback.
struct UvStream {
    // Exactly one of the two is open: TCP for sockets, a pipe for a child's stdin/stdout/stderr.
    UvHandle<uv_tcp_t> tcp;
    UvHandle<uv_pipe_t> pipe;
    // The asy object, or null once it was finalized (only at interpreter exit).
    TransportObject* owner = nullptr;
    // Bytes read since asy last looked; handed over as one bytes object per loop turn.
    std::string incoming;
    // The peer sent EOF (or the read failed) and asy has not been told yet.
    bool eof_pending = false;
    // The peer sent EOF: there is nothing more to read, ever.
    bool at_eof = false;
    // A read or write failed with this libuv error; asy has not been told yet. 0 when none.
    int error_pending = 0;
    // The written bytes dropped below the low-water mark; asy has not been told yet.
    bool resume_writing_pending = false;
    // One stream event is queued on the loop already (see post_stream_event).
    bool event_posted = false;
    // uv_read_start is in effect.
    bool reading = false;
    // asy wants the transport to read (resume_reading() was called, pause_reading() was not).
    bool want_reading = false;
    // Reading stopped because `incoming` holds a full batch that asy has not taken yet:
    // together with pause_reading() this is what bounds the memory of a slow reader.
    bool throttled = false;
    // close() was called: no more reading or writing from asy.
    bool closing = false;
    // uv_close was called on the handle.
    bool handle_closed = false;
    // Close once the queued writes are flushed (close() with data still waiting).
    bool close_when_flushed = false;
    // The error connection_lost() will be given (a libuv error, 0 for a clean close).
    int close_error = 0;
    // Bytes handed to uv_write and not yet written: what get_write_buffer_size() reports.
    std::size_t write_buffer_size = 0;
    // uv_write requests not yet completed.
    std::size_t pending_writes = 0;
    // write_eof() was called.
    bool eof_written = false;
    // The request of a connect() in progress (TCP clients only).
    uv_connect_t connect_request{};
    // The request of write_eof() (TCP only).
    uv_shutdown_t shutdown_request{};

    [[nodiscard]] uv_stream_t* stream() const
    {
        return tcp ? reinterpret_cast<uv_stream_t*>(tcp.get()) : reinterpret_cast<uv_stream_t*>(pipe.get());
    }
    [[nodiscard]] uv_handle_t* handle() const { return tcp ? tcp.base() : pipe.base(); }
};

// A byte transport (asyncio's Transport), as asy code sees it.
struct TransportObject : Object {
    // The libuv side; null once the handle has been closed.
    UvStream* io = nullptr;
    // The loop the transport belongs to; its callbacks run there.
    LoopObject* loop = nullptr;
    // The asy protocol told about data, EOF and the end of the connection; null until set.
    Value protocol;
    // While connecting: the Future that receives the transport or the error number.
    Value waiter;
    // The protocol's pause_writing() was called and resume_writing() not yet.
    bool writing_paused = false;
    // Above this many buffered bytes, the protocol is asked to pause writing (CPython: 64 KiB).
    std::size_t high_water = 64 * 1024;
    // At or below this many, it is asked to resume (CPython: a quarter of the high mark).
    std::size_t low_water = 16 * 1024;
    // A pipe that only reads (a child's stdout) closes itself at EOF, as CPython's does.
    bool close_on_eof = false;
    // The transport can be written to (false for a child's stdout and stderr).
    bool writable = true;
    // The transport can be read from (false for a child's stdin).
    bool readable = true;
    // This transport is a TCP socket (peername, sockname, write_eof).
    bool is_tcp = true;
};

// The per-interpreter state of _streams.
struct StreamsState {
    Type* transport = nullptr;
    Type* listener = nullptr;
    Type* process = nullptr;
    Type* pins = nullptr;
    // Objects that libuv still refers to (open transports, listeners, processes, futures of
    // pending DNS look-ups). They are GC roots through the `_pins` object of the module,
    // and leave the set in their close callback.
    std::unordered_set<Object*> pinned;
};

// The state of `vm`'s _streams (created empty on first use).
StreamsState& streams_state(VM& vm);

// Makes `import _streams` work and lets the streams close their handles when a loop
// closes. Called once when the VM starts.
void register_streams_module(VM& vm);

// Gives OSError its errno, strerror and filename and its "[Errno N] text" form
// (runtime/os_error.cpp). Called by register_streams_module.
void init_os_error_attributes(VM& vm);

// ---- shared with runtime/subprocess.cpp

// A new transport on the running loop, around an open libuv stream block `io` (already
// initialized), pinned until closed. Null after raising.
TransportObject* new_transport(VM& vm, LoopObject* loop, UvStream* io);
// The loop running now, or null after raising RuntimeError("no running event loop").
LoopObject* running_loop(VM& vm);
// Keeps `object` alive while libuv refers to it / lets it go.
void pin(VM& vm, Object* object);
void unpin(VM& vm, Object* object);
// An OSError of the subclass CPython picks for `error_number` (ConnectionResetError for
// ECONNRESET...), built as OSError(errno, message). Null after raising.
Value make_os_error(VM& vm, int error_number, std::string_view message);
// Adds spawn() and the process type to the module (runtime/subprocess.cpp).
void init_subprocess(VM& vm, Module* module);
// Closes the process handles of `loop` still open (runtime/subprocess.cpp).
void close_processes_of_loop(VM& vm, EventLoop& loop);
// The subclass of OSError that CPython's constructor picks for `error_number` (PEP 3151).
Type* os_error_type_for(VM& vm, int error_number);
// Raises make_os_error(...); always returns null.
Value raise_os_error(VM& vm, int error_number, std::string_view message);

}  // namespace asy
