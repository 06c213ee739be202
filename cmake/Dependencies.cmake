# The libraries asy links against, all from Debian packages that ./setup.sh installs
# (DESIGN.md section 6 says why each one is there).

find_package(PkgConfig REQUIRED)

# libuv: the event loop (timers, TCP, DNS, subprocesses, signals).
pkg_check_modules(libuv REQUIRED IMPORTED_TARGET libuv)
# GMP: big integers behind the small-int fast path. It is LGPL, so it is linked
# dynamically, which is what -lgmp does by default.
pkg_check_modules(gmp REQUIRED IMPORTED_TARGET gmp)
# utf8proc: Unicode case mapping and character categories for str methods.
pkg_check_modules(utf8proc REQUIRED IMPORTED_TARGET libutf8proc)

# fmt: formatting (fmt::format) for messages and for str.format / f-strings.
find_package(fmt REQUIRED)
# CLI11: the command line of the asy executable.
find_package(CLI11 REQUIRED)

# libedit: line editing, history and completion for the REPL (runtime/repl.cpp), through its
# readline-compatible interface. BSD-licensed, unlike GNU readline (GPL).
pkg_check_modules(libedit REQUIRED IMPORTED_TARGET libedit)

# nlohmann-json3-dev (header only): the Chrome trace files of --trace
# (runtime/teaching/trace_writer.cpp).
find_package(nlohmann_json 3 REQUIRED)
