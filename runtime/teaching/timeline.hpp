// --timeline: after the run, a chart of every task over time, one row per task, 80 columns
// wide. Each column is a slice of time: '#' the task ran in it, '-' it slept, '.' it waited
// for another task, a future or an event; blank before it was created and after it ended.
// Below the chart, each task's waits in words. Under --virtual-time the times are exact
// (steps take no time at all), so the chart is the same on every run.
#pragma once

#include "runtime/teaching/event_log.hpp"

#include <ostream>

namespace asy::teaching {

void print_timeline(const EventLog& log, std::ostream& out);

}  // namespace asy::teaching
