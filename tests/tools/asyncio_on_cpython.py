# asyncio_on_cpython.py - run a program under CPython with asy's asyncio library.
#
# Usage: python3 tests/tools/asyncio_on_cpython.py SCRIPT.asy
#
# The asyncio package that `import asyncio` finds is stdlib/asyncio/*.asy (asy's own, written
# in the Python subset), and the native module it builds on, _asyncio, is played by CPython's
# Future, Task, sleep and event loop. So the part of asyncio written in asy (gather, wait_for,
# locks, queues, TaskGroup, timeouts...) can be checked against the conformance cases before
# asy's VM runs it, and any difference in output is a bug in the .asy files:
#
#   ../shared/conformance/run "python3 tests/tools/asyncio_on_cpython.py" ../shared/conformance/cases
import asyncio as cpython_asyncio
import builtins
import importlib.abc
import importlib.util
import os
import runpy
import sys
import types

STDLIB = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "stdlib")

# The native module, as CPython provides it.
native = types.ModuleType("_asyncio")
for name in ("Future", "Task", "CancelledError", "InvalidStateError", "sleep", "current_task",
             "all_tasks", "iscoroutine", "get_running_loop", "get_event_loop",
             "new_event_loop", "set_event_loop"):
    setattr(native, name, getattr(cpython_asyncio, name))
native._get_running_loop = cpython_asyncio.events._get_running_loop


class GatheringFuture(cpython_asyncio.Future):
    """_asyncio._gathering_future(loop, cancel): a Future whose cancel() calls cancel(msg)."""

    def __init__(self, loop, cancel):
        super().__init__(loop=loop)
        self._cancel_hook = cancel

    def cancel(self, msg=None):
        if self.done():
            return False
        return self._cancel_hook(msg)


native._gathering_future = GatheringFuture
# asy's loops have _run_main(coro), run_until_complete plus Ctrl-C handling for asyncio.run.
cpython_asyncio.BaseEventLoop._run_main = lambda self, coro: self.run_until_complete(coro)

# CPython creates its loop policy lazily, importing from asyncio: do it while that is still CPython's.
cpython_asyncio.get_event_loop_policy()

# Forget CPython's asyncio package (its modules keep working through their own globals).
for name in list(sys.modules):
    if name == "asyncio" or name.startswith("asyncio."):
        del sys.modules[name]
sys.modules["_asyncio"] = native
# The native stream transport (runtime/streams.cpp) has no CPython stand-in: streams.asy
# imports, but programs that use streams cannot run under this tool.
sys.modules["_streams"] = types.ModuleType("_streams")


class AsyFinder(importlib.abc.MetaPathFinder):
    """Finds asyncio and asyncio.X in stdlib/asyncio/*.asy."""

    def find_spec(self, fullname, path, target=None):
        parts = fullname.split(".")
        if parts[0] != "asyncio":
            return None
        base = os.path.join(STDLIB, *parts)
        if os.path.isdir(base):
            return importlib.util.spec_from_file_location(
                fullname, os.path.join(base, "__init__.asy"),
                loader=AsyLoader(fullname, os.path.join(base, "__init__.asy")),
                submodule_search_locations=[base])
        if os.path.exists(base + ".asy"):
            return importlib.util.spec_from_file_location(
                fullname, base + ".asy", loader=AsyLoader(fullname, base + ".asy"))
        return None


class AsyLoader(importlib.abc.SourceLoader):
    def __init__(self, fullname, path):
        self.fullname = fullname
        self.path = path

    def get_filename(self, fullname):
        return self.path

    def get_data(self, path):
        with open(path, "rb") as f:
            return f.read()


sys.meta_path.insert(0, AsyFinder())
import asyncio  # noqa: E402  (asy's, now)

for name in ("sleep", "gather", "create_task", "run", "open_connection"):
    setattr(builtins, name, getattr(asyncio, name))

if len(sys.argv) != 2:
    sys.stderr.write("usage: python3 asyncio_on_cpython.py SCRIPT.asy\n")
    sys.exit(2)
script = sys.argv[1]
del sys.argv[0]
sys.path[0] = os.path.dirname(os.path.abspath(script))
runpy.run_path(script, run_name="__main__")
