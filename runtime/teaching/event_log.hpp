// The record the teaching observer keeps of a run: one lane per task with the steps it ran,
// what each step suspended on, who woke it, and the instants that matter (created,
// cancelled, failed, timers, I/O). It holds plain text and numbers, no asy objects, so the
// trace writer and the timeline can read it after the VM is gone.
#pragma once

#include <string>
#include <vector>

namespace asy::teaching {

// A moment worth marking on a lane.
struct Instant {
    // Seconds since the first event of the run.
    double time;
    // "created", "cancel requested", "exception", "timer", "I/O ready"...
    std::string name;
    // More words about it ("at race.asy:12", "ValueError('x')"), possibly empty.
    std::string detail;
};

// One step of a task: from the loop resuming it to its next suspension (or its end).
struct Step {
    double start;
    double end;
    // What it suspended on at the end ("sleep(1)", "task B"), or how it ended.
    std::string then;
    // True when the step ended the task.
    bool last = false;
};

// "Task `from` completed what this task waited on, at `from_time`; it resumed at `to_time`."
struct Wake {
    int from_lane;
    double from_time;
    double to_time;
};

// Everything about one task.
struct Lane {
    // Trace-event thread ids count from 1; lane 0 is the loop itself (timers, I/O).
    int id;
    std::string name;
    // The coroutine's name and where the program created the task ("race.asy:14").
    std::string coroutine;
    std::string created_at;
    double created = 0.0;
    // When it finished, or a negative number while it has not.
    double finished = -1.0;
    // "returned", "raised ValueError", "cancelled".
    std::string outcome;
    std::vector<Step> steps;
    std::vector<Instant> instants;
    std::vector<Wake> wakes;
};

struct EventLog {
    // Lane 0 is the loop; the others in creation order.
    std::vector<Lane> lanes;
    // The time of the last event, seconds since the first.
    double end = 0.0;
    // True when the clock was virtual (then every time is exact).
    bool virtual_time = false;
};

}  // namespace asy::teaching
