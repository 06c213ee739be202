// The module _streams: TCP transports, listeners and DNS on libuv, for stdlib/asyncio/streams.asy.
// libuv callbacks never run asy code: they store what happened in the C++ block (UvStream)
// and queue one loop callback, which hands it to the asy protocol on the next turn (data as
// one bytes object, EOF, errors, the end of the connection). Back-pressure both ways is
// libuv's: reading pauses with uv_read_stop, and writes count their unwritten bytes.

#include "runtime/streams.hpp"

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

#include <cerrno>
#include <csignal>
#include <cstring>
#include <string>
#include <unordered_map>
#include <vector>

namespace asy {

StreamsState& streams_state(VM& vm)
{
    // One state per VM, as asyncio_state does.
    static std::unordered_map<const VM*, StreamsState> states;
    return states[&vm];
}

void pin(VM& vm, Object* object)
{
    streams_state(vm).pinned.insert(object);
}

void unpin(VM& vm, Object* object)
{
    streams_state(vm).pinned.erase(object);
}

LoopObject* running_loop(VM& vm)
{
    LoopObject* loop = asyncio_state(vm).running_loop;
    if (loop == nullptr)
        vm.raise(vm.types().runtime_error, "no running event loop");
    return loop;
}

Type* os_error_type_for(VM& vm, int error_number)
{
    Type* type = vm.types().os_error;
    switch (error_number) {
    case ECONNREFUSED: type = vm.types().connection_refused_error; break;
    case ECONNRESET: type = vm.types().connection_reset_error; break;
    case ECONNABORTED: type = vm.types().connection_aborted_error; break;
    case EPIPE: type = vm.types().broken_pipe_error; break;
    case ETIMEDOUT: type = vm.types().timeout_error; break;
    case ENOENT: type = vm.types().file_not_found_error; break;
    case EACCES: type = vm.types().permission_error; break;
    case EPERM: type = vm.types().permission_error; break;
    default: break;
    }
    return type;
}

Value make_os_error(VM& vm, int error_number, std::string_view message)
{
    Type* type = os_error_type_for(vm, error_number);
    Root text(vm, string_value(vm, message));
    const Value arguments[2] = {Value::from_small_int(error_number), text.get()};
    return vm.call(Value::from_object(type), arguments);
}

Value raise_os_error(VM& vm, int error_number, std::string_view message)
{
    const Value error = make_os_error(vm, error_number, message);
    if (error.is_null())
        return Value::null();
    return vm.raise_value(error);
}

namespace {

VM& vm_of(EventLoop& loop)
{
    return *static_cast<VM*>(loop.context());
}

// The text of a libuv error as CPython's os.strerror gives it ("Connection reset by peer").
std::string error_text(int uv_error)
{
    return std::strerror(-uv_error);
}

// A socket address as Python shows it: (host, port) for IPv4, (host, port, flowinfo,
// scope_id) for IPv6. Null after raising.
Value address_tuple(VM& vm, const sockaddr_storage& address)
{
    char host[INET6_ADDRSTRLEN] = {};
    if (address.ss_family == AF_INET6) {
        const auto* in6 = reinterpret_cast<const sockaddr_in6*>(&address);
        uv_ip6_name(in6, host, sizeof host);
        Root name(vm, string_value(vm, host));
        const Value items[4] = {name.get(), Value::from_small_int(ntohs(in6->sin6_port)),
                                Value::from_small_int(ntohl(in6->sin6_flowinfo)),
                                Value::from_small_int(in6->sin6_scope_id)};
        return Value::from_object(new_tuple(vm, items));
    }
    const auto* in4 = reinterpret_cast<const sockaddr_in*>(&address);
    uv_ip4_name(in4, host, sizeof host);
    Root name(vm, string_value(vm, host));
    const Value items[2] = {name.get(), Value::from_small_int(ntohs(in4->sin_port))};
    return Value::from_object(new_tuple(vm, items));
}

// Parses a numeric address into `out`; false when `host` is not an IP literal.
bool parse_address(std::string_view host, int port, sockaddr_storage& out)
{
    const std::string text(host);
    std::memset(&out, 0, sizeof out);
    if (uv_ip4_addr(text.c_str(), port, reinterpret_cast<sockaddr_in*>(&out)) == 0)
        return true;
    if (uv_ip6_addr(text.c_str(), port, reinterpret_cast<sockaddr_in6*>(&out)) == 0)
        return true;
    return false;
}

bool as_text(VM& vm, Value value, std::string_view what, std::string_view& out)
{
    if (auto* text = as_instance<String>(value, vm.types().str)) {
        out = text->view();
        return true;
    }
    vm.raise_format(vm.types().type_error, "{} must be str, not {}", what, ops::type_name(vm, value));
    return false;
}

bool as_port(VM& vm, Value value, int& out)
{
    std::int64_t port = 0;
    if (!is_int(vm, value) || !int_to_int64(vm, value, port)) {
        if (!vm.has_exception())
            vm.raise_format(vm.types().type_error, "port must be int, not {}", ops::type_name(vm, value));
        return false;
    }
    if (port < 0 || port > 65535) {
        vm.raise(vm.types().overflow_error, "getsockaddrarg: port must be 0-65535.");
        return false;
    }
    out = static_cast<int>(port);
    return true;
}

// ---------------------------------------------------------------- stream events

bool run_stream_event(EventLoop& loop, Value target, Value argument);
bool run_connection_lost(EventLoop& loop, Value target, Value argument);
bool run_connected(EventLoop& loop, Value target, Value argument);

// "Something happened on this transport": data, EOF, an error or room to write again.
const CallbackKind stream_event_kind{"stream I/O", run_stream_event, nullptr};
// The handle is closed: the protocol's connection_lost(exc); the argument is the libuv error.
const CallbackKind connection_lost_kind{"connection lost", run_connection_lost, nullptr};
// A connect() finished; the argument is libuv's status.
const CallbackKind connected_kind{"connected", run_connected, nullptr};

EventLoop& event_loop_of(TransportObject* transport)
{
    return *transport->loop->loop;
}

// Queues one stream event for the transport, unless one is queued already: a burst of reads
// becomes one call of data_received.
void post_stream_event(UvStream* io)
{
    if (io->owner == nullptr || io->event_posted)
        return;
    EventLoop& loop = event_loop_of(io->owner);
    if (loop.is_closed())
        return;
    io->event_posted = true;
    loop.post_io_ready(Callback{&stream_event_kind, Value::from_object(io->owner), Value::null()});
}

void on_stream_closed(void* context)
{
    auto* io = static_cast<UvStream*>(context);
    if (TransportObject* transport = io->owner) {
        transport->io = nullptr;
        unpin(vm_of(event_loop_of(transport)), transport);
    }
    delete io;
}

// Closes the handle now (pending writes are cancelled) and, as CPython's transports do,
// schedules the protocol's connection_lost() at once: a drain() that yields once sees it.
void close_handle(UvStream* io)
{
    if (io->handle_closed)
        return;
    io->handle_closed = true;
    io->reading = false;
    if (TransportObject* transport = io->owner) {
        EventLoop& loop = event_loop_of(transport);
        // The queued callback keeps the transport alive after the handle is gone.
        if (!loop.is_closed() && !transport->protocol.is_null())
            loop.call_soon(Callback{&connection_lost_kind, Value::from_object(transport),
                                    Value::from_small_int(io->close_error)});
    }
    if (io->tcp)
        io->tcp.close(on_stream_closed, io);
    else
        io->pipe.close(on_stream_closed, io);
}

// close() or a fatal error: stop reading, and close the handle once the writes are out
// (at once after an error, when nothing more can be written).
void start_close(UvStream* io, int error)
{
    if (io->closing && error == 0)
        return;
    io->closing = true;
    if (error != 0 && io->close_error == 0)
        io->close_error = error;
    if (io->reading) {
        uv_read_stop(io->stream());
        io->reading = false;
    }
    if (error != 0 || io->pending_writes == 0)
        close_handle(io);
    else
        io->close_when_flushed = true;
}

void allocate_read_buffer(uv_handle_t*, std::size_t suggested, uv_buf_t* buffer)
{
    // One buffer per read, copied into `incoming`; 64 KiB is what libuv suggests.
    static char storage[65536];
    (void)suggested;
    *buffer = uv_buf_init(storage, sizeof storage);
}

// At most this many bytes wait in `incoming` for asy; reading stops until asy takes them.
constexpr std::size_t max_incoming = 64 * 1024;

void on_read(uv_stream_t* stream, ssize_t count, const uv_buf_t* buffer)
{
    auto* io = static_cast<UvStream*>(stream->data);
    if (io == nullptr)
        return;
    if (count > 0) {
        io->incoming.append(buffer->base, static_cast<std::size_t>(count));
        if (io->incoming.size() >= max_incoming) {
            uv_read_stop(stream);
            io->reading = false;
            io->throttled = true;
        }
    } else if (count == UV_EOF) {
        io->eof_pending = true;
        io->at_eof = true;
        uv_read_stop(stream);
        io->reading = false;
    } else if (count < 0) {
        io->error_pending = static_cast<int>(count);
        uv_read_stop(stream);
        io->reading = false;
    } else {
        return;  // 0: nothing read this time (EAGAIN)
    }
    post_stream_event(io);
}

bool start_reading(UvStream* io)
{
    if (io->reading || io->throttled || io->closing || io->handle_closed || io->at_eof)
        return true;
    const int status = uv_read_start(io->stream(), allocate_read_buffer, on_read);
    if (status != 0)
        return false;
    io->reading = true;
    return true;
}

// Calls protocol.<name>(*arguments); an exception from it goes to the loop's handler.
void call_protocol(VM& vm, TransportObject* transport, std::string_view name, std::span<const Value> arguments)
{
    if (transport->protocol.is_null())
        return;
    if (!vm.call_method(transport->protocol, vm.intern(name), arguments).is_null())
        return;
    const Value error = vm.take_exception();
    Root keep(vm, error);
    call_exception_handler(vm, transport->loop, "Fatal error: protocol." + std::string(name) + "() call failed.",
                           error, Value::null(), Value::null());
}

bool run_stream_event(EventLoop& loop, Value target, Value)
{
    VM& vm = vm_of(loop);
    auto* transport = static_cast<TransportObject*>(target.as_object());
    UvStream* io = transport->io;
    if (io == nullptr)
        return true;
    io->event_posted = false;
    if (!io->incoming.empty() && !io->closing) {
        std::string data = std::move(io->incoming);
        io->incoming.clear();
        const Value bytes = Value::from_object(new_bytes(vm, data));
        Root keep(vm, bytes);
        call_protocol(vm, transport, "data_received", std::span<const Value>(&bytes, 1));
        io = transport->io;
        if (io == nullptr)
            return true;
    }
    if (io->throttled) {
        // asy has the batch now: read on, unless the protocol paused reading meanwhile.
        io->throttled = false;
        if (io->want_reading)
            start_reading(io);
    }
    if (io->resume_writing_pending) {
        io->resume_writing_pending = false;
        if (transport->writing_paused) {
            transport->writing_paused = false;
            call_protocol(vm, transport, "resume_writing", {});
            io = transport->io;
            if (io == nullptr)
                return true;
        }
    }
    if (io->eof_pending && !io->closing) {
        io->eof_pending = false;
        call_protocol(vm, transport, "eof_received", {});
        io = transport->io;
        if (io != nullptr && transport->close_on_eof)
            start_close(io, 0);
        return true;
    }
    if (io->error_pending != 0) {
        const int error = io->error_pending;
        io->error_pending = 0;
        start_close(io, error);
    }
    return true;
}

bool run_connection_lost(EventLoop& loop, Value target, Value argument)
{
    VM& vm = vm_of(loop);
    auto* transport = static_cast<TransportObject*>(target.as_object());
    const int error = static_cast<int>(argument.as_small_int());
    Value exception = Value::none();
    if (error != 0) {
        exception = make_os_error(vm, -error, error_text(error));
        if (exception.is_null())
            return !vm.has_exception() || (vm.clear_exception(), true);
    }
    Root keep(vm, exception);
    if (transport->writing_paused)
        transport->writing_paused = false;
    call_protocol(vm, transport, "connection_lost", std::span<const Value>(&exception, 1));
    transport->protocol = Value::null();
    return true;
}

// ---------------------------------------------------------------- writing

struct WriteRequest {
    uv_write_t request;
    // The bytes being written, owned here until libuv is done with them.
    std::string data;
    UvStream* io;
};

void on_written(uv_write_t* request, int status)
{
    auto* write = static_cast<WriteRequest*>(request->data);
    UvStream* io = write->io;
    io->pending_writes -= 1;
    io->write_buffer_size -= write->data.size();
    delete write;
    if (io->owner == nullptr || io->handle_closed)
        return;
    if (status < 0) {
        io->error_pending = status;
        post_stream_event(io);
        return;
    }
    TransportObject* transport = io->owner;
    if (transport->writing_paused && io->write_buffer_size <= transport->low_water) {
        io->resume_writing_pending = true;
        post_stream_event(io);
    }
    if (io->pending_writes == 0 && io->close_when_flushed)
        close_handle(io);
}

// Writes `data`: as much as the socket takes at once, the rest through a queued request.
// Returns a libuv error, or 0.
int write_bytes(UvStream* io, std::string_view data)
{
    std::size_t written = 0;
    if (io->pending_writes == 0) {
        uv_buf_t buffer = uv_buf_init(const_cast<char*>(data.data()), static_cast<unsigned>(data.size()));
        const int status = uv_try_write(io->stream(), &buffer, 1);
        if (status >= 0)
            written = static_cast<std::size_t>(status);
        else if (status != UV_EAGAIN && status != UV_ENOSYS)
            return status;
    }
    if (written == data.size())
        return 0;
    auto* write = new WriteRequest{};
    write->data.assign(data.substr(written));
    write->io = io;
    write->request.data = write;
    uv_buf_t buffer = uv_buf_init(write->data.data(), static_cast<unsigned>(write->data.size()));
    const int status = uv_write(&write->request, io->stream(), &buffer, 1, on_written);
    if (status != 0) {
        delete write;
        return status;
    }
    io->pending_writes += 1;
    io->write_buffer_size += write->data.size();
    return 0;
}

// ---------------------------------------------------------------- the transport type

TransportObject* self_transport(CallArgs args)
{
    return static_cast<TransportObject*>(args[0].as_object());
}

bool check_transport(VM& vm, CallArgs args)
{
    if (args.count > 0 && as_exact<TransportObject>(args[0], streams_state(vm).transport) != nullptr)
        return true;
    vm.raise(vm.types().type_error, "descriptor requires a '_streams.Transport' object");
    return false;
}

void trace_transport(Object* self, Tracer& tracer)
{
    auto* transport = static_cast<TransportObject*>(self);
    tracer.mark(transport->loop);
    tracer.mark(transport->protocol);
    tracer.mark(transport->waiter);
}

void finalize_transport(Object* self)
{
    // Only reached when the transport is unreachable, which an open transport never is
    // (it is pinned) except when the interpreter exits: then libuv must forget it.
    auto* transport = static_cast<TransportObject*>(self);
    if (UvStream* io = transport->io) {
        io->owner = nullptr;
        io->handle()->data = nullptr;
        close_handle(io);
    }
    transport->~TransportObject();
}

Value transport_set_protocol(VM& vm, CallArgs args)
{
    if (!check_transport(vm, args) || !check_one_argument(vm, args.without_self(), "set_protocol"))
        return Value::null();
    self_transport(args)->protocol = args[1];
    return Value::none();
}

Value transport_get_protocol(VM& vm, CallArgs args)
{
    if (!check_transport(vm, args))
        return Value::null();
    const Value protocol = self_transport(args)->protocol;
    return protocol.is_null() ? Value::none() : protocol;
}

// write(data): never blocks; the bytes the socket does not take at once wait in libuv, and
// past the high-water mark the protocol hears pause_writing() (drain() then waits).
Value transport_write(VM& vm, CallArgs args)
{
    if (!check_transport(vm, args) || !check_one_argument(vm, args.without_self(), "write"))
        return Value::null();
    TransportObject* transport = self_transport(args);
    const Value data = args[1];
    if (!data.is_object()
        || !(is_subtype(data.as_object()->type, vm.types().bytes)
             || is_subtype(data.as_object()->type, vm.types().bytearray)))
        return vm.raise_format(vm.types().type_error, "data argument must be a bytes-like object, not '{}'",
                               ops::type_name(vm, data));
    UvStream* io = transport->io;
    if (io != nullptr && io->eof_written)
        return vm.raise(vm.types().runtime_error, "Cannot call write() after write_eof()");
    const std::string_view bytes = static_cast<Bytes*>(data.as_object())->data;
    // Writing to a closed connection is ignored, as CPython does (it only logs a warning).
    if (bytes.empty() || io == nullptr || io->closing || io->handle_closed || !transport->writable)
        return Value::none();
    const int status = write_bytes(io, bytes);
    if (status != 0) {
        // The connection is gone (EPIPE, ECONNRESET): close it now, so that the drain()
        // that follows sees it, as CPython's _fatal_error does.
        start_close(io, status);
        return Value::none();
    }
    if (!transport->writing_paused && io->write_buffer_size > transport->high_water) {
        transport->writing_paused = true;
        if (!transport->protocol.is_null()
            && vm.call_method(transport->protocol, vm.intern("pause_writing"), {}).is_null())
            return Value::null();
    }
    return Value::none();
}

void on_shutdown(uv_shutdown_t*, int) {}

Value transport_write_eof(VM& vm, CallArgs args)
{
    if (!check_transport(vm, args))
        return Value::null();
    TransportObject* transport = self_transport(args);
    UvStream* io = transport->io;
    if (io == nullptr || io->closing || io->eof_written)
        return Value::none();
    io->eof_written = true;
    if (!transport->is_tcp) {
        // A pipe has no half-close: EOF for the child's stdin means closing it.
        start_close(io, 0);
        return Value::none();
    }
    // uv_shutdown waits for the queued writes, then sends FIN.
    uv_shutdown(&io->shutdown_request, io->stream(), on_shutdown);
    return Value::none();
}

Value transport_can_write_eof(VM& vm, CallArgs args)
{
    if (!check_transport(vm, args))
        return Value::null();
    return Value::from_bool(true);
}

Value transport_close(VM& vm, CallArgs args)
{
    if (!check_transport(vm, args))
        return Value::null();
    if (UvStream* io = self_transport(args)->io)
        start_close(io, 0);
    return Value::none();
}

// abort(): close at once, dropping what was not written yet.
Value transport_abort(VM& vm, CallArgs args)
{
    if (!check_transport(vm, args))
        return Value::null();
    if (UvStream* io = self_transport(args)->io) {
        io->closing = true;
        close_handle(io);
    }
    return Value::none();
}

Value transport_is_closing(VM& vm, CallArgs args)
{
    if (!check_transport(vm, args))
        return Value::null();
    UvStream* io = self_transport(args)->io;
    return Value::from_bool(io == nullptr || io->closing || io->handle_closed);
}

// pause_reading(): the reader's buffer is full; libuv stops reading, so the peer's writes
// back up in the kernel and then in the peer itself (TCP flow control does the rest).
Value transport_pause_reading(VM& vm, CallArgs args)
{
    if (!check_transport(vm, args))
        return Value::null();
    UvStream* io = self_transport(args)->io;
    if (io == nullptr)
        return Value::none();
    io->want_reading = false;
    if (io->reading) {
        uv_read_stop(io->stream());
        io->reading = false;
    }
    return Value::none();
}

Value transport_resume_reading(VM& vm, CallArgs args)
{
    if (!check_transport(vm, args))
        return Value::null();
    TransportObject* transport = self_transport(args);
    UvStream* io = transport->io;
    if (io == nullptr || !transport->readable)
        return Value::none();
    io->want_reading = true;
    if (!start_reading(io)) {
        io->error_pending = UV_ENOTCONN;
        post_stream_event(io);
    }
    return Value::none();
}

Value transport_is_reading(VM& vm, CallArgs args)
{
    if (!check_transport(vm, args))
        return Value::null();
    UvStream* io = self_transport(args)->io;
    return Value::from_bool(io != nullptr && io->reading);
}

Value transport_get_write_buffer_size(VM& vm, CallArgs args)
{
    if (!check_transport(vm, args))
        return Value::null();
    UvStream* io = self_transport(args)->io;
    return Value::from_small_int(io == nullptr ? 0 : static_cast<std::int64_t>(io->write_buffer_size));
}

Value transport_get_write_buffer_limits(VM& vm, CallArgs args)
{
    if (!check_transport(vm, args))
        return Value::null();
    TransportObject* transport = self_transport(args);
    const Value items[2] = {Value::from_small_int(static_cast<std::int64_t>(transport->low_water)),
                            Value::from_small_int(static_cast<std::int64_t>(transport->high_water))};
    return Value::from_object(new_tuple(vm, items));
}

// set_write_buffer_limits(high=None, low=None), with CPython's defaults and checks.
Value transport_set_write_buffer_limits(VM& vm, CallArgs args)
{
    if (!check_transport(vm, args))
        return Value::null();
    static const Signature signature{"set_write_buffer_limits", {"high", "low"}, 0, 0};
    Value bound[2];
    if (!bind_arguments(vm, args.without_self(), signature, bound))
        return Value::null();
    std::int64_t high = -1;
    std::int64_t low = -1;
    if (!bound[0].is_null() && !bound[0].is_none() && !int_to_int64(vm, bound[0], high))
        return Value::null();
    if (!bound[1].is_null() && !bound[1].is_none() && !int_to_int64(vm, bound[1], low))
        return Value::null();
    if (high < 0)
        high = low < 0 ? 64 * 1024 : 4 * low;
    if (low < 0)
        low = high / 4;
    if (!(high >= low && low >= 0))
        return vm.raise_format(vm.types().value_error, "high ({}) must be >= low ({}) must be >= 0", high, low);
    TransportObject* transport = self_transport(args);
    transport->high_water = static_cast<std::size_t>(high);
    transport->low_water = static_cast<std::size_t>(low);
    return Value::none();
}

// get_extra_info(name, default=None): 'peername' and 'sockname' for TCP.
Value transport_get_extra_info(VM& vm, CallArgs args)
{
    if (!check_transport(vm, args))
        return Value::null();
    static const Signature signature{"get_extra_info", {"name", "default"}, 0, 1};
    Value bound[2];
    if (!bind_arguments(vm, args.without_self(), signature, bound))
        return Value::null();
    const Value fallback = bound[1].is_null() ? Value::none() : bound[1];
    TransportObject* transport = self_transport(args);
    auto* name = as_instance<String>(bound[0], vm.types().str);
    UvStream* io = transport->io;
    if (name == nullptr || io == nullptr || !transport->is_tcp)
        return fallback;
    sockaddr_storage address{};
    int length = sizeof address;
    int status = 0;
    if (name->view() == "peername")
        status = uv_tcp_getpeername(io->tcp.get(), reinterpret_cast<sockaddr*>(&address), &length);
    else if (name->view() == "sockname")
        status = uv_tcp_getsockname(io->tcp.get(), reinterpret_cast<sockaddr*>(&address), &length);
    else
        return fallback;
    if (status != 0)
        return fallback;
    return address_tuple(vm, address);
}

String* transport_repr(VM& vm, Value self)
{
    auto* transport = static_cast<TransportObject*>(self.as_object());
    const char* state = transport->io == nullptr ? "closed" : transport->io->closing ? "closing" : "open";
    return new_string(vm, fmt::format("<_streams.Transport {}>", state));
}

// ---------------------------------------------------------------- connecting

void on_connect(uv_connect_t* request, int status)
{
    auto* io = static_cast<UvStream*>(request->data);
    if (io->owner == nullptr)
        return;
    EventLoop& loop = event_loop_of(io->owner);
    if (loop.is_closed())
        return;
    loop.post_io_ready(Callback{&connected_kind, Value::from_object(io->owner), Value::from_small_int(status)});
}

bool run_connected(EventLoop& loop, Value target, Value argument)
{
    VM& vm = vm_of(loop);
    auto* transport = static_cast<TransportObject*>(target.as_object());
    const int status = static_cast<int>(argument.as_small_int());
    Root waiter(vm, transport->waiter);
    transport->waiter = Value::null();
    auto* future = static_cast<FutureObject*>(waiter.get().as_object());
    const bool wanted = future != nullptr && future->state == FutureState::Pending;
    if (status != 0 || !wanted) {
        // Failed, or nobody waits any more (wait_for gave up): the socket goes.
        if (transport->io != nullptr)
            start_close(transport->io, 0);
        if (wanted)
            future_finish(vm, future, FutureState::Finished, Value::from_small_int(-status), Value::null());
        return true;
    }
    future_finish(vm, future, FutureState::Finished, target, Value::null());
    return true;
}

// A new TCP transport block on `loop`, initialized; null with `status` set on failure.
UvStream* new_tcp_stream(LoopObject* loop, int& status)
{
    auto* io = new UvStream{};
    status = io->tcp.init(uv_tcp_init, loop->loop->uv_loop());
    if (status != 0) {
        delete io;
        return nullptr;
    }
    io->tcp.get()->data = io;
    return io;
}

// connect(host, port, future): host must be a numeric address. The future receives the
// transport, or the positive error number when the connection failed.
Value streams_connect(VM& vm, CallArgs args)
{
    if (!check_positional(vm, args, "connect", 3, 3))
        return Value::null();
    std::string_view host;
    int port = 0;
    if (!as_text(vm, args[0], "host", host) || !as_port(vm, args[1], port))
        return Value::null();
    LoopObject* loop = running_loop(vm);
    if (loop == nullptr)
        return Value::null();
    sockaddr_storage address{};
    if (!parse_address(host, port, address))
        return vm.raise_format(vm.types().value_error, "not a numeric address: {}", host);
    int status = 0;
    UvStream* io = new_tcp_stream(loop, status);
    if (io == nullptr)
        return raise_os_error(vm, -status, error_text(status));
    TransportObject* transport = new_transport(vm, loop, io);
    if (transport == nullptr)
        return Value::null();
    transport->waiter = args[2];
    io->connect_request.data = io;
    uv_tcp_nodelay(io->tcp.get(), 1);
    status = uv_tcp_connect(&io->connect_request, io->tcp.get(), reinterpret_cast<const sockaddr*>(&address),
                            on_connect);
    if (status != 0)
        loop->loop->post_io_ready(Callback{&connected_kind, Value::from_object(transport), Value::from_small_int(status)});
    return Value::none();
}

// ---------------------------------------------------------------- listening

// A TCP server socket: accepts connections and hands each to `on_connection` as a transport.
struct ListenerObject : Object {
    // The listening socket's block (its `owner` is unused); null once closed.
    UvStream* io = nullptr;
    LoopObject* loop = nullptr;
    // Called with each new transport.
    Value on_connection;
    // Accepted connections not yet handed to asy.
    std::vector<UvStream*> accepted;
    // An accept event is queued on the loop.
    bool event_posted = false;
};

bool run_accepted(EventLoop& loop, Value target, Value argument);
const CallbackKind accepted_kind{"accept", run_accepted, nullptr};

ListenerObject* listener_of(uv_stream_t* server)
{
    return static_cast<ListenerObject*>(server->data);
}

void on_connection(uv_stream_t* server, int status)
{
    ListenerObject* listener = listener_of(server);
    if (listener == nullptr || status < 0)
        return;
    int init_status = 0;
    UvStream* io = new_tcp_stream(listener->loop, init_status);
    if (io == nullptr)
        return;
    if (uv_accept(server, io->stream()) != 0) {
        io->handle_closed = true;
        io->tcp.close(on_stream_closed, io);
        return;
    }
    uv_tcp_nodelay(io->tcp.get(), 1);
    listener->accepted.push_back(io);
    if (!listener->event_posted && !listener->loop->loop->is_closed()) {
        listener->event_posted = true;
        listener->loop->loop->post_io_ready(Callback{&accepted_kind, Value::from_object(listener), Value::null()});
    }
}

bool run_accepted(EventLoop& loop, Value target, Value)
{
    VM& vm = vm_of(loop);
    auto* listener = static_cast<ListenerObject*>(target.as_object());
    listener->event_posted = false;
    std::vector<UvStream*> accepted = std::move(listener->accepted);
    listener->accepted.clear();
    for (std::size_t i = 0; i < accepted.size(); ++i) {
        UvStream* io = accepted[i];
        TransportObject* transport = new_transport(vm, listener->loop, io);
        if (transport == nullptr) {
            vm.clear_exception();
            continue;
        }
        const Value transport_value = Value::from_object(transport);
        Root keep(vm, transport_value);
        if (listener->io == nullptr || listener->on_connection.is_null()) {
            start_close(io, 0);
            continue;
        }
        if (vm.call(listener->on_connection, std::span<const Value>(&transport_value, 1)).is_null()) {
            const Value error = vm.take_exception();
            Root keep_error(vm, error);
            start_close(io, 0);
            call_exception_handler(vm, listener->loop, "Error in the server's connection callback", error,
                                   Value::null(), Value::null());
        }
    }
    return true;
}

void on_listener_closed(void* context)
{
    delete static_cast<UvStream*>(context);
}

void close_listener(VM& vm, ListenerObject* listener)
{
    UvStream* io = std::exchange(listener->io, nullptr);
    if (io == nullptr)
        return;
    io->handle()->data = nullptr;
    io->tcp.close(on_listener_closed, io);
    // Connections accepted but not yet handed over go with it.
    for (UvStream* accepted : listener->accepted) {
        accepted->handle_closed = true;
        accepted->tcp.close(on_stream_closed, accepted);
    }
    listener->accepted.clear();
    listener->on_connection = Value::null();
    unpin(vm, listener);
}

ListenerObject* self_listener(CallArgs args)
{
    return static_cast<ListenerObject*>(args[0].as_object());
}

bool check_listener(VM& vm, CallArgs args)
{
    if (args.count > 0 && as_exact<ListenerObject>(args[0], streams_state(vm).listener) != nullptr)
        return true;
    vm.raise(vm.types().type_error, "descriptor requires a '_streams.Listener' object");
    return false;
}

void trace_listener(Object* self, Tracer& tracer)
{
    auto* listener = static_cast<ListenerObject*>(self);
    tracer.mark(listener->loop);
    tracer.mark(listener->on_connection);
}

void finalize_listener(Object* self)
{
    auto* listener = static_cast<ListenerObject*>(self);
    if (UvStream* io = std::exchange(listener->io, nullptr)) {
        io->handle()->data = nullptr;
        io->tcp.close(on_listener_closed, io);
    }
    for (UvStream* accepted : listener->accepted) {
        accepted->handle_closed = true;
        accepted->tcp.close(on_stream_closed, accepted);
    }
    listener->~ListenerObject();
}

// listen(host, port, backlog, on_connection): a Listener, or OSError as CPython words it.
Value streams_listen(VM& vm, CallArgs args)
{
    if (!check_positional(vm, args, "listen", 4, 4))
        return Value::null();
    std::string_view host;
    int port = 0;
    std::int64_t backlog = 100;
    if (!as_text(vm, args[0], "host", host) || !as_port(vm, args[1], port) || !int_to_int64(vm, args[2], backlog))
        return Value::null();
    LoopObject* loop = running_loop(vm);
    if (loop == nullptr)
        return Value::null();
    sockaddr_storage address{};
    if (!parse_address(host, port, address))
        return vm.raise_format(vm.types().value_error, "not a numeric address: {}", host);
    int status = 0;
    UvStream* io = new_tcp_stream(loop, status);
    if (io == nullptr)
        return raise_os_error(vm, -status, error_text(status));
    const unsigned flags = address.ss_family == AF_INET6 ? UV_TCP_IPV6ONLY : 0;
    status = uv_tcp_bind(io->tcp.get(), reinterpret_cast<const sockaddr*>(&address), flags);
    if (status == 0)
        status = uv_listen(io->stream(), static_cast<int>(backlog), on_connection);
    if (status != 0) {
        io->tcp.get()->data = nullptr;
        io->tcp.close(on_listener_closed, io);
        // CPython: "[Errno 98] error while attempting to bind on address ('127.0.0.1', 8888):
        // address already in use" (the libuv text, lower case, as CPython's own strerror is).
        std::string reason = error_text(status);
        for (char& c : reason)
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        const std::string where = address.ss_family == AF_INET6 ? fmt::format("('{}', {}, 0, 0)", host, port)
                                                                 : fmt::format("('{}', {})", host, port);
        return raise_os_error(vm, -status,
                              fmt::format("error while attempting to bind on address {}: {}", where, reason));
    }
    auto* listener = vm.heap().allocate<ListenerObject>(streams_state(vm).listener);
    listener->io = io;
    listener->loop = loop;
    listener->on_connection = args[3];
    io->tcp.get()->data = listener;
    pin(vm, listener);
    return Value::from_object(listener);
}

Value listener_close(VM& vm, CallArgs args)
{
    if (!check_listener(vm, args))
        return Value::null();
    close_listener(vm, self_listener(args));
    return Value::none();
}

Value listener_is_closed(VM& vm, CallArgs args)
{
    if (!check_listener(vm, args))
        return Value::null();
    return Value::from_bool(self_listener(args)->io == nullptr);
}

Value listener_getsockname(VM& vm, CallArgs args)
{
    if (!check_listener(vm, args))
        return Value::null();
    UvStream* io = self_listener(args)->io;
    if (io == nullptr)
        return raise_os_error(vm, EBADF, "Bad file descriptor");
    sockaddr_storage address{};
    int length = sizeof address;
    const int status = uv_tcp_getsockname(io->tcp.get(), reinterpret_cast<sockaddr*>(&address), &length);
    if (status != 0) {
        return raise_os_error(vm, -status, error_text(status));
    }
    return address_tuple(vm, address);
}

Value listener_family(VM& vm, CallArgs args)
{
    if (!check_listener(vm, args))
        return Value::null();
    UvStream* io = self_listener(args)->io;
    if (io == nullptr)
        return Value::from_small_int(-1);
    sockaddr_storage address{};
    int length = sizeof address;
    uv_tcp_getsockname(io->tcp.get(), reinterpret_cast<sockaddr*>(&address), &length);
    return Value::from_small_int(address.ss_family);
}

// ---------------------------------------------------------------- DNS

// A getaddrinfo request in flight: the libuv request and the future it resolves.
struct AddressRequest {
    uv_getaddrinfo_t request;
    // The future (pinned until the answer comes), or null after the loop closed.
    FutureObject* future;
    VM* vm;
};

void on_resolved(uv_getaddrinfo_t* request, int status, addrinfo* result)
{
    auto* pending = static_cast<AddressRequest*>(request->data);
    FutureObject* future = pending->future;
    VM& vm = *pending->vm;
    // Runs inside the loop's wait, where allocating is safe: nothing is half-built.
    if (future != nullptr && future->state == FutureState::Pending && !future->loop->loop->is_closed()) {
        Root keep(vm, Value::from_object(future));
        std::vector<Value> entries;
        RootVector keep_entries(vm, entries);
        int code = 0;
        if (status != 0) {
            // Report the system's EAI_* number, as socket.gaierror does.
            switch (status) {
            case UV_EAI_NONAME: code = EAI_NONAME; break;
            case UV_EAI_AGAIN: code = EAI_AGAIN; break;
            case UV_EAI_FAIL: code = EAI_FAIL; break;
            case UV_EAI_FAMILY: code = EAI_FAMILY; break;
            case UV_EAI_SERVICE: code = EAI_SERVICE; break;
            case UV_EAI_MEMORY: code = EAI_MEMORY; break;
            default: code = EAI_NONAME; break;
            }
        }
        for (addrinfo* entry = result; entry != nullptr; entry = entry->ai_next) {
            if (entry->ai_family != AF_INET && entry->ai_family != AF_INET6)
                continue;
            if (entry->ai_socktype != 0 && entry->ai_socktype != SOCK_STREAM)
                continue;
            sockaddr_storage address{};
            std::memcpy(&address, entry->ai_addr, entry->ai_addrlen);
            const Value tuple = address_tuple(vm, address);
            if (tuple.is_null()) {
                vm.clear_exception();
                continue;
            }
            Root keep_tuple(vm, tuple);
            const Value items[2] = {Value::from_small_int(entry->ai_family), tuple};
            entries.push_back(Value::from_object(new_tuple(vm, items)));
        }
        Root list(vm, Value::from_object(new_list(vm, entries)));
        Root text(vm, string_value(vm, code != 0 ? gai_strerror(code) : ""));
        const Value items[3] = {Value::from_small_int(code), text.get(), list.get()};
        Root answer(vm, Value::from_object(new_tuple(vm, items)));
        future_finish(vm, future, FutureState::Finished, answer.get(), Value::null());
    }
    if (future != nullptr)
        unpin(vm, future);
    uv_freeaddrinfo(result);
    delete pending;
}

// getaddrinfo(host, port, future): the future receives (code, message, [(family, address), ...]).
Value streams_getaddrinfo(VM& vm, CallArgs args)
{
    if (!check_positional(vm, args, "getaddrinfo", 3, 3))
        return Value::null();
    std::string_view host;
    int port = 0;
    if (!as_text(vm, args[0], "host", host) || !as_port(vm, args[1], port))
        return Value::null();
    LoopObject* loop = running_loop(vm);
    if (loop == nullptr)
        return Value::null();
    auto* future = as_instance<FutureObject>(args[2], asyncio_state(vm).types.future);
    if (future == nullptr)
        return vm.raise(vm.types().type_error, "getaddrinfo() needs a Future");
    auto* pending = new AddressRequest{};
    pending->future = future;
    pending->vm = &vm;
    pending->request.data = pending;
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_ADDRCONFIG;
    const std::string node(host);
    const std::string service = std::to_string(port);
    pin(vm, future);
    const int status = uv_getaddrinfo(loop->loop->uv_loop(), &pending->request, on_resolved, node.c_str(),
                                      service.c_str(), &hints);
    if (status != 0) {
        unpin(vm, future);
        delete pending;
        return raise_os_error(vm, -status, error_text(status));
    }
    return Value::none();
}

// ip_family(host): 2 (AF_INET) or 10 (AF_INET6) for a numeric address, else 0.
Value streams_ip_family(VM& vm, CallArgs args)
{
    if (!check_one_argument(vm, args, "ip_family"))
        return Value::null();
    auto* text = as_instance<String>(args[0], vm.types().str);
    sockaddr_storage address{};
    if (text == nullptr || !parse_address(text->view(), 0, address))
        return Value::from_small_int(0);
    return Value::from_small_int(address.ss_family);
}

Value streams_strerror(VM& vm, CallArgs args)
{
    std::int64_t code = 0;
    if (!check_one_argument(vm, args, "strerror") || !int_to_int64(vm, args[0], code))
        return Value::null();
    return string_value(vm, std::strerror(static_cast<int>(code)));
}

// ---------------------------------------------------------------- the pins and loop close

// The object in the module's namespace through which the pinned objects are GC roots.
struct PinsObject : Object {
    VM* vm = nullptr;
};

void trace_pins(Object* self, Tracer& tracer)
{
    auto* pins = static_cast<PinsObject*>(self);
    for (Object* object : streams_state(*pins->vm).pinned)
        tracer.mark(object);
}

// A loop is closing: close every handle of it that a program left open.
void close_handles_of(EventLoop& event_loop)
{
    if (event_loop.context() == nullptr)
        return;
    VM& vm = vm_of(event_loop);
    StreamsState& state = streams_state(vm);
    if (state.transport == nullptr)
        return;
    const std::vector<Object*> pinned(state.pinned.begin(), state.pinned.end());
    for (Object* object : pinned) {
        if (object->type == state.transport) {
            auto* transport = static_cast<TransportObject*>(object);
            if (transport->loop->loop.get() == &event_loop && transport->io != nullptr)
                close_handle(transport->io);
        } else if (object->type == state.listener) {
            auto* listener = static_cast<ListenerObject*>(object);
            if (listener->loop->loop.get() == &event_loop)
                close_listener(vm, listener);
        }
    }
    close_processes_of_loop(vm, event_loop);
}

bool init_streams_module(VM& vm, Module* module)
{
    StreamsState& state = streams_state(vm);
    state.pinned.clear();

    // Interned first: the new class must not wait unrooted through an allocation.
    String* pins_key = vm.intern("_pins_type");
    Type* pins = make_builtin_type(vm, "Pins", vm.types().object);
    dict_set_str(vm, module->dict, pins_key, Value::from_object(pins));
    pins->trace = trace_pins;
    state.pins = pins;
    String* pins_name = vm.intern("_pins");
    auto* pins_object = vm.heap().allocate<PinsObject>(pins);
    pins_object->vm = &vm;
    dict_set_str(vm, module->dict, pins_name, Value::from_object(pins_object));

    // Interned first: the new class must not wait unrooted through an allocation.
    String* transport_key = vm.intern("Transport");
    Type* transport = make_builtin_type(vm, "Transport", vm.types().object);
    dict_set_str(vm, module->dict, transport_key, Value::from_object(transport));
    transport->module = vm.intern("_streams");
    transport->trace = trace_transport;
    transport->finalize = finalize_transport;
    transport->repr = transport_repr;
    state.transport = transport;
    define_method(vm, transport, "set_protocol", transport_set_protocol);
    define_method(vm, transport, "get_protocol", transport_get_protocol);
    define_method(vm, transport, "write", transport_write);
    define_method(vm, transport, "write_eof", transport_write_eof);
    define_method(vm, transport, "can_write_eof", transport_can_write_eof);
    define_method(vm, transport, "close", transport_close);
    define_method(vm, transport, "abort", transport_abort);
    define_method(vm, transport, "is_closing", transport_is_closing);
    define_method(vm, transport, "pause_reading", transport_pause_reading);
    define_method(vm, transport, "resume_reading", transport_resume_reading);
    define_method(vm, transport, "is_reading", transport_is_reading);
    define_method(vm, transport, "get_write_buffer_size", transport_get_write_buffer_size);
    define_method(vm, transport, "get_write_buffer_limits", transport_get_write_buffer_limits);
    define_method(vm, transport, "set_write_buffer_limits", transport_set_write_buffer_limits);
    define_method(vm, transport, "get_extra_info", transport_get_extra_info);

    // Interned first: the new class must not wait unrooted through an allocation.
    String* listener_key = vm.intern("Listener");
    Type* listener = make_builtin_type(vm, "Listener", vm.types().object);
    dict_set_str(vm, module->dict, listener_key, Value::from_object(listener));
    listener->module = vm.intern("_streams");
    listener->trace = trace_listener;
    listener->finalize = finalize_listener;
    state.listener = listener;
    define_method(vm, listener, "close", listener_close);
    define_method(vm, listener, "is_closed", listener_is_closed);
    define_method(vm, listener, "getsockname", listener_getsockname);
    define_method(vm, listener, "family", listener_family);

    define_function(vm, module, "connect", streams_connect);
    define_function(vm, module, "listen", streams_listen);
    define_function(vm, module, "getaddrinfo", streams_getaddrinfo);
    define_function(vm, module, "ip_family", streams_ip_family);
    define_function(vm, module, "strerror", streams_strerror);
    init_subprocess(vm, module);
    return true;
}

}  // namespace

TransportObject* new_transport(VM& vm, LoopObject* loop, UvStream* io)
{
    Root keep_loop(vm, Value::from_object(loop));
    auto* transport = vm.heap().allocate<TransportObject>(streams_state(vm).transport);
    transport->io = io;
    transport->loop = loop;
    transport->is_tcp = static_cast<bool>(io->tcp);
    io->owner = transport;
    io->handle()->data = io;
    pin(vm, transport);
    return transport;
}

void register_streams_module(VM& vm)
{
    // A write to a socket whose peer has gone must fail with EPIPE (BrokenPipeError), not
    // kill the process with SIGPIPE: CPython ignores the signal at start-up for the same reason.
    std::signal(SIGPIPE, SIG_IGN);
    vm.register_native_module("_streams", init_streams_module);
    init_os_error_attributes(vm);
    static bool hooked = false;
    if (!hooked) {
        hooked = true;
        add_loop_close_hook(close_handles_of);
    }
}

}  // namespace asy
