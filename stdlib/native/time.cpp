// The time module: wall-clock time, the monotonic and performance clocks, and a blocking
// sleep. (Inside async code, `await asyncio.sleep(s)` is the sleep that lets other tasks
// run; time.sleep stops the whole program, as in CPython.)
#include "stdlib/native/native_modules.hpp"

#include "runtime/event_loop.hpp"
#include "runtime/objects/container_util.hpp"
#include "runtime/objects/int.hpp"
#include "runtime/objects/module.hpp"
#include "runtime/teaching/mistake_checks.hpp"
#include "runtime/vm.hpp"

#include <chrono>
#include <cmath>
#include <ctime>
#include <thread>

namespace asy {

namespace {

// Seconds as a float argument: an int or a float ("'str' object cannot be interpreted as an integer").
bool seconds_argument(VM& vm, Value value, double& out) {
    if (value.is_double()) {
        out = value.as_double();
        return true;
    }
    std::int64_t whole = 0;
    const int status = index_value(vm, value, whole);
    if (status == 0)
        vm.raise_format(vm.types().type_error, "'{}' object cannot be interpreted as an integer", ops::type_name(vm, value));
    if (status != 1) return false;
    out = static_cast<double>(whole);
    return true;
}

double wall_seconds() {
    const auto now = std::chrono::system_clock::now().time_since_epoch();
    return std::chrono::duration<double>(now).count();
}

Value time_time(VM& vm, CallArgs args) {
    if (!check_no_arguments(vm, args, "time")) return Value::null();
    return Value::from_double(wall_seconds());
}

Value time_time_ns(VM& vm, CallArgs args) {
    if (!check_no_arguments(vm, args, "time_ns")) return Value::null();
    const auto now = std::chrono::system_clock::now().time_since_epoch();
    return int_from_int64(vm, std::chrono::duration_cast<std::chrono::nanoseconds>(now).count());
}

// monotonic(): the clock the event loop uses (virtual under --virtual-time); perf_counter():
// always the real monotonic clock.
Value time_monotonic(VM& vm, CallArgs args) {
    if (!check_no_arguments(vm, args, "monotonic")) return Value::null();
    return Value::from_double(default_clock().now());
}

Value time_perf_counter(VM& vm, CallArgs args) {
    if (!check_no_arguments(vm, args, "perf_counter")) return Value::null();
    return Value::from_double(monotonic_clock().now());
}

Value time_process_time(VM& vm, CallArgs args) {
    if (!check_no_arguments(vm, args, "process_time")) return Value::null();
    return Value::from_double(static_cast<double>(std::clock()) / CLOCKS_PER_SEC);
}

Value time_sleep(VM& vm, CallArgs args) {
    if (!check_one_argument(vm, args, "sleep")) return Value::null();
    double seconds = 0;
    if (!seconds_argument(vm, args[0], seconds)) return Value::null();
    if (std::isnan(seconds)) return vm.raise(vm.types().value_error, "Invalid value NaN (not a number)");
    if (seconds < 0) return vm.raise(vm.types().value_error, "sleep length must be non-negative");
    // Inside a running event loop this stops every task: the teaching check says so.
    if (!teaching::check_blocking_call(vm, "time.sleep()", "await asyncio.sleep(...)")) return Value::null();
    std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
    default_clock().blocked_for(seconds);
    return Value::none();
}

}  // namespace

bool init_time_module(VM& vm, Module* module) {
    define_function(vm, module, "time", time_time);
    define_function(vm, module, "time_ns", time_time_ns);
    define_function(vm, module, "monotonic", time_monotonic);
    define_function(vm, module, "perf_counter", time_perf_counter);
    define_function(vm, module, "process_time", time_process_time);
    define_function(vm, module, "sleep", time_sleep);
    return true;
}

}  // namespace asy
