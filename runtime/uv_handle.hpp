// UvHandle: the RAII owner of one libuv handle (a timer, a signal watcher, a TCP socket).
// libuv forbids freeing a handle's memory before its close callback has run, so closing is
// asynchronous: close() calls uv_close, and the memory is freed in the callback, on a later
// turn of the loop. Anything the handle keeps alive stays pinned until then.
// [libuv docs/src/design.rst, "Handles"; wren-cli src/module/timer.c]
#pragma once

#include <uv.h>

#include <cassert>
#include <utility>

namespace asy {

// Called from the close callback, after libuv has finished with the handle, so that its
// owner can release what it kept alive for it (for instance, unpin an asy object).
using UvClosedCallback = void (*)(void* context);

template <typename Handle>
class UvHandle {
public:
    UvHandle() = default;
    ~UvHandle() { close(); }

    // One owner at a time: a handle can be moved, never copied.
    UvHandle(const UvHandle&) = delete;
    UvHandle& operator=(const UvHandle&) = delete;
    UvHandle(UvHandle&& other) noexcept : m_block(std::exchange(other.m_block, nullptr)) {}
    UvHandle& operator=(UvHandle&& other) noexcept
    {
        if (this != &other) {
            close();
            m_block = std::exchange(other.m_block, nullptr);
        }
        return *this;
    }

    // Allocates the handle and initializes it with a libuv init function such as
    // uv_timer_init(loop, handle). Returns libuv's status (0 or a negative UV_E* code);
    // on failure nothing stays allocated.
    template <typename InitFunction, typename... Args>
    [[nodiscard]] int init(InitFunction init_function, uv_loop_t* loop, Args&&... args)
    {
        assert(m_block == nullptr && "UvHandle::init on a handle that is already open");
        auto* block = new Block{};
        const int status = init_function(loop, &block->handle, std::forward<Args>(args)...);
        if (status != 0) {
            delete block;
            return status;
        }
        m_block = block;
        return 0;
    }

    // Starts closing the handle; its memory goes back in the close callback, where `closed`
    // (if any) is also called with `context`. Closing an empty handle does nothing.
    void close(UvClosedCallback closed = nullptr, void* context = nullptr)
    {
        Block* block = std::exchange(m_block, nullptr);
        if (block == nullptr)
            return;
        block->closed = closed;
        block->context = context;
        uv_close(reinterpret_cast<uv_handle_t*>(&block->handle), on_close);
    }

    [[nodiscard]] Handle* get() const { return m_block ? &m_block->handle : nullptr; }
    [[nodiscard]] uv_handle_t* base() const { return reinterpret_cast<uv_handle_t*>(get()); }
    [[nodiscard]] explicit operator bool() const { return m_block != nullptr; }

private:
    // The handle comes first, so a uv_handle_t* from a callback is also a Block*.
    struct Block {
        // The libuv handle itself; its `data` field belongs to the owner.
        Handle handle;
        // What to call once libuv is done with the handle.
        UvClosedCallback closed = nullptr;
        // The argument of `closed`.
        void* context = nullptr;
    };

    static void on_close(uv_handle_t* handle)
    {
        auto* block = reinterpret_cast<Block*>(handle);
        if (block->closed != nullptr)
            block->closed(block->context);
        delete block;
    }

    // Null when no handle is open (never initialized, closed, or moved from).
    Block* m_block = nullptr;
};

}  // namespace asy
