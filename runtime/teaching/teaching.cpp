// The teaching tools' switchboard (teaching.hpp): keeps the options, attaches the clock, the
// policy and the recorder to each event loop asyncio makes, watches SIGQUIT, and writes the
// trace and the timeline when the program ends.

#include "runtime/teaching/teaching.hpp"

#include "runtime/task_tree.hpp"
#include "runtime/teaching/mistake_checks.hpp"
#include "runtime/teaching/recorder.hpp"
#include "runtime/teaching/shuffle_policy.hpp"
#include "runtime/teaching/timeline.hpp"
#include "runtime/teaching/trace_writer.hpp"
#include "runtime/teaching/virtual_clock.hpp"
#include "runtime/uv_handle.hpp"

#include <csignal>
#include <iostream>
#include <map>
#include <memory>
#include <vector>

namespace asy::teaching {

namespace {

Options g_options;

// The recorder, made when --trace or --timeline asks for one.
std::unique_ptr<Recorder> g_recorder;

// One policy per loop, each starting from the seed: a program that makes a second loop gets
// the same order there too. Never freed: a policy must outlive its loop.
std::vector<std::unique_ptr<ShufflePolicy>>& policies()
{
    static std::vector<std::unique_ptr<ShufflePolicy>> list;
    return list;
}

// The SIGQUIT watcher of each open loop, closed by the loop's close hook.
struct QuitWatch {
    VM* vm;
    UvHandle<uv_signal_t> handle;
};
std::map<EventLoop*, std::unique_ptr<QuitWatch>>& quit_watches()
{
    static std::map<EventLoop*, std::unique_ptr<QuitWatch>> watches;
    return watches;
}

// Ctrl-\ : the live task tree on stderr; the program goes on.
void on_sigquit(uv_signal_t* handle, int)
{
    auto* watch = static_cast<QuitWatch*>(handle->data);
    std::cout.flush();
    std::cerr << "\n--- Ctrl-\\ : the tasks of the running event loop ---\n";
    render_task_tree(*watch->vm, std::cerr);
    std::cerr << "---\n";
    std::cerr.flush();
}

void close_quit_watch(EventLoop& loop)
{
    auto& watches = quit_watches();
    if (auto found = watches.find(&loop); found != watches.end()) {
        found->second->handle.close();
        watches.erase(found);
    }
}

}  // namespace

void configure(const Options& options)
{
    g_options = options;
    if (options.virtual_time)
        set_default_clock(&virtual_clock());
    // --strict also needs the recorder: some mistakes only show in the loop's events.
    if (!options.trace_path.empty() || options.timeline || options.strict)
        g_recorder = std::make_unique<Recorder>();
    set_strict(options.strict);
}

const Options& options()
{
    return g_options;
}

void attach_loop(VM& vm, EventLoop& loop)
{
    if (g_options.virtual_time)
        virtual_clock().watch(loop.uv_loop());
    if (g_options.shuffle) {
        policies().push_back(std::make_unique<ShufflePolicy>(g_options.seed));
        loop.set_policy(*policies().back());
    }
    if (g_recorder != nullptr) {
        g_recorder->set_vm(&vm);
        g_recorder->log().virtual_time = g_options.virtual_time;
        loop.set_observer(g_recorder.get());
    }

    // SIGQUIT: a watcher that does not keep the loop alive, closed when the loop closes.
    static const bool hook_added = (add_loop_close_hook(close_quit_watch), true);
    (void)hook_added;
    auto watch = std::make_unique<QuitWatch>();
    watch->vm = &vm;
    if (watch->handle.init(uv_signal_init, loop.uv_loop()) == 0) {
        watch->handle.get()->data = watch.get();
        uv_signal_start(watch->handle.get(), on_sigquit, SIGQUIT);
        uv_unref(watch->handle.base());
        quit_watches()[&loop] = std::move(watch);
    }
}

int finish(int status)
{
    if (g_recorder != nullptr) {
        if (!g_options.trace_path.empty() && !write_trace_file(g_recorder->log(), g_options.trace_path) && status == 0)
            status = 1;
        if (g_options.timeline) {
            std::cout.flush();
            print_timeline(g_recorder->log(), std::cerr);
        }
    }
    if (g_options.strict && mistakes_found() > 0 && status == 0)
        status = 1;
    return status;
}

}  // namespace asy::teaching
