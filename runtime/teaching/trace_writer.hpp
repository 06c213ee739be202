// --trace=FILE: the EventLog as Chrome trace-event JSON, which Perfetto (ui.perfetto.dev)
// and chrome://tracing open. Each task is a thread lane named after it; each step it ran is
// an "X" slice whose args say what it suspended on; flow arrows (ph "s"/"f") go from the
// task that completed a future to the task it woke; instants mark creation, cancellation,
// exceptions, timers and I/O.
#pragma once

#include "runtime/teaching/event_log.hpp"

#include <ostream>
#include <string>

namespace asy::teaching {

// Writes the trace as one JSON document.
void write_trace(const EventLog& log, std::ostream& out);
// The same into the file at `path`; false (after a message on stderr) when it cannot be written.
bool write_trace_file(const EventLog& log, const std::string& path);

}  // namespace asy::teaching
