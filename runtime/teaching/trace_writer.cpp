// write_trace (trace_writer.hpp), with nlohmann::json: the Trace Event Format's "JSON object"
// form, {"traceEvents": [...], "displayTimeUnit": "ms"}, times in microseconds.

#include "runtime/teaching/trace_writer.hpp"

#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>
#include <iostream>

namespace asy::teaching {

namespace {

using nlohmann::json;

// The whole trace is one process; asy has one thread, but each task gets a lane of its own.
constexpr int process_id = 1;

double microseconds(double seconds)
{
    // Whole microseconds: enough for a teaching trace, and the numbers stay readable.
    return std::round(seconds * 1e6);
}

json event(const char* phase, const std::string& name, int lane, double seconds)
{
    return json{{"ph", phase}, {"name", name}, {"pid", process_id}, {"tid", lane}, {"ts", microseconds(seconds)}};
}

}  // namespace

void write_trace(const EventLog& log, std::ostream& out)
{
    json events = json::array();
    events.push_back(json{{"ph", "M"}, {"name", "process_name"}, {"pid", process_id}, {"tid", 0},
                          {"args", {{"name", log.virtual_time ? "asy (virtual time)" : "asy"}}}});
    int flow_id = 0;
    for (const Lane& lane : log.lanes) {
        // The lane's name, and its order: the loop first, then tasks as they were created.
        events.push_back(json{{"ph", "M"}, {"name", "thread_name"}, {"pid", process_id}, {"tid", lane.id},
                              {"args", {{"name", lane.name}}}});
        events.push_back(json{{"ph", "M"}, {"name", "thread_sort_index"}, {"pid", process_id}, {"tid", lane.id},
                              {"args", {{"sort_index", lane.id}}}});
        for (const Step& step : lane.steps) {
            json slice = event("X", lane.coroutine.empty() ? lane.name : lane.coroutine, lane.id, step.start);
            slice["dur"] = microseconds(step.end) - microseconds(step.start);
            slice["cat"] = "step";
            slice["args"] = step.last ? json{{"ended", step.then}} : json{{"suspended on", step.then}};
            events.push_back(slice);
        }
        for (const Instant& instant : lane.instants) {
            json mark = event("i", instant.name, lane.id, instant.time);
            mark["s"] = "t";
            mark["cat"] = "task";
            if (!instant.detail.empty())
                mark["args"] = json{{"detail", instant.detail}};
            events.push_back(mark);
        }
        for (const Wake& wake : lane.wakes) {
            // A flow arrow from the waker's slice to the woken task's next slice ("e": bind
            // to the enclosing slice, the one that starts at the arrow's end).
            ++flow_id;
            json start = event("s", "wakes", wake.from_lane, wake.from_time);
            start["id"] = flow_id;
            start["cat"] = "wake";
            json finish = event("f", "wakes", lane.id, wake.to_time);
            finish["id"] = flow_id;
            finish["cat"] = "wake";
            finish["bp"] = "e";
            events.push_back(start);
            events.push_back(finish);
        }
        if (lane.finished >= 0.0) {
            json mark = event("i", "finished", lane.id, lane.finished);
            mark["s"] = "t";
            mark["cat"] = "task";
            mark["args"] = json{{"outcome", lane.outcome}};
            events.push_back(mark);
        }
    }
    const json trace{{"traceEvents", events}, {"displayTimeUnit", "ms"}};
    out << trace.dump(1) << '\n';
}

bool write_trace_file(const EventLog& log, const std::string& path)
{
    std::ofstream file(path, std::ios::binary);
    if (!file) {
        std::cerr << "asy: cannot write the trace to '" << path << "'\n";
        return false;
    }
    write_trace(log, file);
    return static_cast<bool>(file);
}

}  // namespace asy::teaching
