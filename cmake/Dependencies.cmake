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

# setup.sh also installs nlohmann-json3-dev (the json module, trace files) and libedit-dev
# (REPL line editing); find them here when the first code that uses them arrives.
