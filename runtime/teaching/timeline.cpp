// print_timeline (timeline.hpp): lanes of the EventLog drawn as rows of characters.

#include "runtime/teaching/timeline.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string>

namespace asy::teaching {

namespace {

// 12 (name) + 1 + 50 (chart) + 1 + 15 (outcome) stays within 80 columns.
constexpr std::size_t name_width = 12;
constexpr std::size_t chart_width = 50;
constexpr std::size_t outcome_width = 15;
// More waits than this per task are summed up in one line, to keep the chart readable.
constexpr std::size_t waits_shown = 4;
// More tasks than this are summed up in one line: a chart of 100,000 rows helps nobody.
constexpr std::size_t lanes_shown = 40;

std::string seconds_text(double seconds)
{
    return fmt::format("{:.4g}s", seconds);
}

std::string fit(const std::string& text, std::size_t width)
{
    if (text.size() <= width)
        return text + std::string(width - text.size(), ' ');
    return text.substr(0, width - 1) + "~";
}

}  // namespace

void print_timeline(const EventLog& log, std::ostream& out)
{
    const double total = log.end > 0.0 ? log.end : 1.0;
    // The column a moment falls in; the end of the run is in the last column.
    auto column = [&](double time) {
        const auto at = static_cast<std::size_t>(std::floor(time / total * static_cast<double>(chart_width)));
        return std::min(at, chart_width - 1);
    };

    out << fmt::format("Timeline ({} time, 0 to {}, one column = {})\n", log.virtual_time ? "virtual" : "real",
                       seconds_text(log.end), seconds_text(total / static_cast<double>(chart_width)));
    // The time axis: the start, the middle and the end.
    std::string axis(chart_width, ' ');
    const std::string middle = seconds_text(log.end / 2);
    const std::string end = seconds_text(log.end);
    axis.replace(0, 2, "0s");
    if (log.end > 0.0 && chart_width / 2 + middle.size() < chart_width - end.size())
        axis.replace(chart_width / 2, middle.size(), middle);
    axis.replace(chart_width - end.size(), end.size(), end);
    out << std::string(name_width + 1, ' ') << axis << '\n';

    for (const Lane& lane : log.lanes) {
        if (lane.id == 0)
            continue;
        if (static_cast<std::size_t>(lane.id) > lanes_shown) {
            out << "... and " << (log.lanes.size() - 1 - lanes_shown) << " more tasks\n";
            break;
        }
        std::string row(chart_width, ' ');
        const double finished = lane.finished >= 0.0 ? lane.finished : log.end;
        // Waits first, then the steps over them: a column where the task ran shows '#'.
        double previous_end = -1.0;
        std::string previous_then;
        for (const Step& step : lane.steps) {
            if (previous_end >= 0.0) {
                const char mark = previous_then.starts_with("sleep(") ? '-' : '.';
                for (std::size_t c = column(previous_end); c <= column(step.start); ++c)
                    row[c] = mark;
            }
            previous_end = step.end;
            previous_then = step.then;
        }
        if (previous_end >= 0.0 && lane.finished < 0.0) {
            // Still waiting when the run ended.
            const char mark = previous_then.starts_with("sleep(") ? '-' : '.';
            for (std::size_t c = column(previous_end); c <= column(finished); ++c)
                row[c] = mark;
        }
        for (const Step& step : lane.steps)
            for (std::size_t c = column(step.start); c <= column(step.end); ++c)
                row[c] = '#';
        const std::string outcome = lane.finished >= 0.0 ? lane.outcome : "never finished";
        std::string line = fit(lane.name, name_width) + "|" + row + "| " + fit(outcome, outcome_width);
        while (!line.empty() && line.back() == ' ')
            line.pop_back();
        out << line << '\n';
    }
    out << "# running   - sleeping   . waiting for a task, future or event\n";

    // What each task waited on, in words.
    for (const Lane& lane : log.lanes) {
        if (static_cast<std::size_t>(lane.id) > lanes_shown)
            break;
        if (lane.id == 0 || lane.steps.empty())
            continue;
        std::size_t shown = 0;
        std::size_t waits = 0;
        for (std::size_t i = 0; i < lane.steps.size(); ++i) {
            const Step& step = lane.steps[i];
            if (step.last)
                continue;
            ++waits;
            if (shown == waits_shown)
                continue;
            const double until = i + 1 < lane.steps.size() ? lane.steps[i + 1].start
                                 : lane.finished >= 0.0    ? lane.finished
                                                           : log.end;
            if (shown == 0)
                out << lane.name << " (" << lane.coroutine << ", created at "
                    << (lane.created_at.empty() ? "?" : lane.created_at) << "):\n";
            out << "    " << step.then << " from " << seconds_text(step.end) << " to " << seconds_text(until) << '\n';
            ++shown;
        }
        if (waits > shown)
            out << "    ... and " << (waits - shown) << " more waits\n";
    }
}

}  // namespace asy::teaching
