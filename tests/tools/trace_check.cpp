// trace_check FILE: checks that FILE is a Chrome trace-event JSON document as `asy --trace`
// writes it (runtime/teaching/trace_writer.cpp), with nlohmann::json rather than python3,
// which CI machines may lack. Exit status 0 when it is, 1 with the reason on stderr if not.
//
// Checked: a JSON object whose "traceEvents" is an array of events; every event has a string
// "ph" and "name" and integer "pid" and "tid"; every event but metadata has a numeric "ts";
// "X" slices have a "dur" >= 0; every lane used has a thread_name; flow starts ("s") and
// finishes ("f") pair up by id; and there is at least one task lane with a slice.

#include <nlohmann/json.hpp>

#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <string>

namespace {

int fail(const std::string& reason)
{
    std::cerr << "trace_check: " << reason << '\n';
    return 1;
}

}  // namespace

int main(int argc, char** argv)
{
    if (argc != 2)
        return fail("usage: trace_check FILE");
    std::ifstream file(argv[1]);
    if (!file)
        return fail(std::string("cannot open ") + argv[1]);
    nlohmann::json trace;
    try {
        trace = nlohmann::json::parse(file);
    } catch (const nlohmann::json::parse_error& error) {
        return fail(std::string("not valid JSON: ") + error.what());
    }
    if (!trace.is_object() || !trace.contains("traceEvents") || !trace["traceEvents"].is_array())
        return fail("no traceEvents array");

    std::set<long long> named_lanes;
    std::set<long long> used_lanes;
    std::map<long long, int> flows;  // id -> starts minus finishes
    int slices = 0;
    for (const auto& event : trace["traceEvents"]) {
        if (!event.is_object() || !event.contains("ph") || !event["ph"].is_string())
            return fail("an event without a string \"ph\": " + event.dump());
        if (!event.contains("name") || !event["name"].is_string())
            return fail("an event without a string \"name\": " + event.dump());
        if (!event.contains("pid") || !event["pid"].is_number_integer() || !event.contains("tid") ||
            !event["tid"].is_number_integer())
            return fail("an event without integer pid and tid: " + event.dump());
        const std::string phase = event["ph"];
        const long long lane = event["tid"];
        if (phase == "M") {
            if (event["name"] == "thread_name") {
                if (!event.contains("args") || !event["args"].contains("name") || !event["args"]["name"].is_string())
                    return fail("a thread_name without args.name: " + event.dump());
                named_lanes.insert(lane);
            }
            continue;
        }
        used_lanes.insert(lane);
        if (!event.contains("ts") || !event["ts"].is_number())
            return fail("an event without a numeric ts: " + event.dump());
        if (phase == "X") {
            if (!event.contains("dur") || !event["dur"].is_number() || event["dur"].get<double>() < 0)
                return fail("an X slice without a dur >= 0: " + event.dump());
            ++slices;
        } else if (phase == "s" || phase == "f") {
            if (!event.contains("id") || !event["id"].is_number_integer())
                return fail("a flow event without an integer id: " + event.dump());
            flows[event["id"].get<long long>()] += phase == "s" ? 1 : -1;
        } else if (phase != "i") {
            return fail("an unexpected phase: " + event.dump());
        }
    }
    for (long long lane : used_lanes)
        if (named_lanes.count(lane) == 0)
            return fail("lane " + std::to_string(lane) + " has events but no thread_name");
    for (const auto& [id, balance] : flows)
        if (balance != 0)
            return fail("flow " + std::to_string(id) + " has a start without a finish, or the reverse");
    if (slices == 0 || named_lanes.size() < 2)
        return fail("no task lane with a step in it");
    std::cout << "trace_check: ok, " << trace["traceEvents"].size() << " events, " << slices << " steps, "
              << named_lanes.size() - 1 << " task lanes, " << flows.size() << " wake-up flows\n";
    return 0;
}
