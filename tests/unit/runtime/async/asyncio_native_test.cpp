// Tests of the native half of asyncio (stdlib/native/asyncio_*.cpp) through whole programs:
// each test runs a small asy program with run_source and checks its exit status, with the
// clock made virtual where time matters, so that the tests are instant and exact.

#include "runtime/event_loop.hpp"
#include "runtime/interpreter.hpp"
#include "runtime/teaching/virtual_clock.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace asy;
using asy::teaching::VirtualClock;

namespace {

// Runs `source` as a program; its exit status (0 when every assert held).
int run_program(const std::string& source)
{
    RunOptions options;
    options.argv.push_back("<test>");
    return run_source(source, "<test>", options);
}

// Makes the default clock virtual for the life of the guard.
struct VirtualTime {
    VirtualClock clock{1000.0};
    VirtualTime() { set_default_clock(&clock); }
    ~VirtualTime() { set_default_clock(nullptr); }
};

}  // namespace

TEST_CASE("asyncio.run returns the main coroutine's result", "[asyncio]")
{
    CHECK(run_program("import asyncio\n"
                      "async def main():\n"
                      "    await asyncio.sleep(0)\n"
                      "    return 42\n"
                      "assert asyncio.run(main()) == 42\n") == 0);
}

TEST_CASE("with a virtual clock, an hour of sleep takes no time and is exact", "[asyncio]")
{
    VirtualTime virtual_time;
    const double real_start = monotonic_clock().now();
    CHECK(run_program("import asyncio\n"
                      "async def nap(seconds, log):\n"
                      "    await asyncio.sleep(seconds)\n"
                      "    log.append(seconds)\n"
                      "async def main():\n"
                      "    loop = asyncio.get_running_loop()\n"
                      "    start = loop.time()\n"
                      "    log = []\n"
                      "    await asyncio.gather(nap(3600, log), nap(60, log), nap(1, log))\n"
                      "    assert log == [1, 60, 3600], log\n"
                      "    assert loop.time() - start == 3600, loop.time() - start\n"
                      "asyncio.run(main())\n") == 0);
    CHECK(monotonic_clock().now() - real_start < 5.0);
}

TEST_CASE("tasks start in creation order and sleep(0) yields exactly once", "[asyncio]")
{
    CHECK(run_program("import asyncio\n"
                      "log = []\n"
                      "async def worker(name):\n"
                      "    log.append(name + '0')\n"
                      "    await asyncio.sleep(0)\n"
                      "    log.append(name + '1')\n"
                      "async def main():\n"
                      "    a = asyncio.create_task(worker('a'))\n"
                      "    b = asyncio.create_task(worker('b'))\n"
                      "    log.append('main')\n"
                      "    await a\n"
                      "    await b\n"
                      "asyncio.run(main())\n"
                      "assert log == ['main', 'a0', 'b0', 'a1', 'b1'], log\n") == 0);
}

TEST_CASE("cancelling a sleeping task delivers CancelledError at its await", "[asyncio]")
{
    VirtualTime virtual_time;
    CHECK(run_program("import asyncio\n"
                      "log = []\n"
                      "async def sleeper():\n"
                      "    try:\n"
                      "        await asyncio.sleep(100)\n"
                      "    except asyncio.CancelledError:\n"
                      "        log.append('cancelled')\n"
                      "        return 'cleaned up'\n"
                      "async def main():\n"
                      "    t = asyncio.create_task(sleeper())\n"
                      "    await asyncio.sleep(1)\n"
                      "    assert t.cancel()\n"
                      "    assert await t == 'cleaned up'\n"
                      "    assert not t.cancelled() and t.cancelling() == 1\n"
                      "asyncio.run(main())\n"
                      "assert log == ['cancelled'], log\n") == 0);
}

TEST_CASE("an exception in the main task ends asyncio.run with exit status 1", "[asyncio]")
{
    CHECK(run_program("import asyncio\n"
                      "async def main():\n"
                      "    await asyncio.sleep(0)\n"
                      "    raise ValueError('expected by the test')\n"
                      "asyncio.run(main())\n") == 1);
}

TEST_CASE("the builtins sleep, gather, create_task and run are asyncio's", "[asyncio]")
{
    CHECK(run_program("import asyncio\n"
                      "assert sleep is asyncio.sleep and gather is asyncio.gather\n"
                      "assert create_task is asyncio.create_task and run is asyncio.run\n"
                      "async def main():\n"
                      "    return await gather(sleep(0, 1), create_task(sleep(0, 2)))\n"
                      "assert run(main()) == [1, 2]\n") == 0);
}
