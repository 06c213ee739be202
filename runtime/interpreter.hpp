// The interpreter as the command line sees it: run a file, run a string, or disassemble a
// file. runtime/main.cpp parses the arguments and calls only these functions; they are
// defined in runtime/interpreter.cpp, which ties the compiler, the VM and the event loop.
#pragma once

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace asy {

// What the command line passes on to a program.
struct RunOptions {
    std::vector<std::string> argv;   // becomes sys.argv (argv[0] is the script path, "-c" for -c)
};

// Each returns the process exit status: 0, 1 for an uncaught exception or syntax error, or the sys.exit() code.

// Runs the program in the file at `path`. A file that cannot be read is reported on stderr
// with exit status 2, as CPython does ("can't open file ...").
int run_file(const std::string& path, const RunOptions& options);
// Runs `source` as a program; `filename` is the name shown in errors and tracebacks,
// such as "<string>" for -c or "<stdin>".
int run_source(std::string_view source, const std::string& filename, const RunOptions& options);
// Compiles the file at `path` and writes its bytecode, with source lines, to `out` (`asy dis`).
int disassemble_file(const std::string& path, std::ostream& out);

} // namespace asy
