// The teaching tools (--virtual-time, --shuffle, --trace, --timeline, --strict and the stuck
// explainer): what the command line switches on, and the three hooks the rest of asy calls.
// Everything here costs nothing when no flag is given: a loop gets no observer, the clock
// and the policy stay the real ones, and the VM's checks test one flag.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>

namespace asy {

class VM;
class EventLoop;
struct Frame;
struct Value;

namespace teaching {

// What the command line asked for (runtime/main.cpp fills it before the program runs).
struct Options {
    // --virtual-time: sleeps and timeouts complete at once, in order (virtual_clock.hpp).
    bool virtual_time = false;
    // --shuffle=SEED: ready callbacks run in a seeded random order (shuffle_policy.hpp).
    bool shuffle = false;
    // The seed of --shuffle.
    std::uint64_t seed = 0;
    // --trace=FILE: a Chrome trace-event JSON file written at exit (trace_writer.hpp); empty
    // when not asked for.
    std::string trace_path;
    // --timeline: a chart of the tasks over time on stderr at exit (timeline.hpp).
    bool timeline = false;
    // --strict: the mistakes of mistake_checks.hpp become errors (exit status 1).
    bool strict = false;
};

// Installs the options: the virtual clock becomes the default clock at once, and the other
// parts are attached to each event loop as it is made. Call once, before the program runs.
void configure(const Options& options);
[[nodiscard]] const Options& options();

// Called by asyncio when it makes an event loop (stdlib/native/asyncio_loop.cpp, new_loop):
// sets the shuffling policy and the observer when asked for, and watches SIGQUIT (Ctrl-\),
// which prints the live task tree.
void attach_loop(VM& vm, EventLoop& loop);

// Called once the program has ended (runtime/main.cpp): writes the trace file and prints
// the timeline. Returns the exit status to use: `status`, or 1 when --strict found a mistake.
[[nodiscard]] int finish(int status);

// True when a mistake check must run in the VM (any teaching option, or always: the checks
// only print warnings). The dispatch loop tests this one flag.
extern bool g_checks_enabled;

}  // namespace teaching
}  // namespace asy
