// The asy command line. It reads the arguments with CLI11, decides what to run (a file,
// -c CODE, standard input, or `asy dis FILE`) and hands it to the interpreter through
// runtime/interpreter.hpp, whose return value becomes the exit status.

#include "runtime/interpreter.hpp"
#include "runtime/repl.hpp"
#include "runtime/teaching/teaching.hpp"

#include <CLI/CLI.hpp>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <iostream>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace {

// Set by the build from project(VERSION ...) in CMakeLists.txt.
constexpr std::string_view asy_version = ASY_VERSION;

// Usage errors exit with 2, as CPython's do, whatever code CLI11 would choose.
constexpr int usage_error_status = 2;

// Where the program's own arguments start in argv. As in CPython, asy's options come
// first, and the script's name (or "-" for standard input) or the code after -c ends them:
// every later word belongs to the program's sys.argv, even one that looks like an option,
// so `asy tool.asy --help` passes --help to tool.asy. CLI11 only sees the words before.
int find_program_arguments(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
        std::string_view word = argv[i];
        // "-c CODE" and "-- FILE": the next word is the last one that is asy's.
        if (word == "-c" || word == "--")
            return std::min(i + 2, argc);
        // The teaching options that take a value in the next word (--shuffle 7, --trace t.json).
        if (word == "--shuffle" || word == "--trace") {
            ++i;
            continue;
        }
        // "-cCODE", the short option with its value attached.
        if (word.starts_with("-c"))
            return i + 1;
        if (word == "-" || !word.starts_with('-')) {
            // `asy dis FILE` is a subcommand with no program arguments; CLI11 checks it whole.
            if (i == 1 && word == "dis")
                return argc;
            return i + 1;
        }
    }
    return argc;
}

// The options of a run: sys.argv is the program's name followed by the words meant for it.
asy::RunOptions run_options(std::string program_name, const std::vector<std::string>& program_arguments) {
    asy::RunOptions options;
    options.argv.push_back(std::move(program_name));
    options.argv.insert(options.argv.end(), program_arguments.begin(), program_arguments.end());
    return options;
}

// Standard input, all of it, as the text of a program.
std::string read_standard_input() {
    return std::string(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
}

// Runs the program the command line named (below main).
int run(const std::optional<std::string>& code, const std::string& file,
        const std::vector<std::string>& program_arguments);

} // namespace

int main(int argc, char** argv) {
    const int first_program_argument = find_program_arguments(argc, argv);
    // sys.argv[1:], the words after the script's name or after -c CODE.
    const std::vector<std::string> program_arguments(argv + first_program_argument, argv + argc);

    CLI::App app{"asy runs programs written in a subset of Python 3.11, async included.", "asy"};
    app.set_version_flag("--version", std::string("asy ") + std::string(asy_version));

    std::optional<std::string> code;
    app.add_option("-c", code, "Run CODE as the program; sys.argv[0] is \"-c\"")->type_name("CODE");
    std::string file;
    app.add_option("FILE", file, "The program to run (\"-\" reads it from standard input)")->type_name("");

    // The teaching tools (runtime/teaching/teaching.hpp; tutorial.md, "Seeing the event loop").
    asy::teaching::Options teaching;
    // ASY_VIRTUAL_TIME=1 in the environment is the same flag, so that a whole test run can
    // use virtual time without editing each command (cmake/Tests.cmake, GC stress pass).
    app.add_flag("--virtual-time", teaching.virtual_time,
                 "Sleeps and timeouts finish at once, in order: the\n"
                 "clock jumps to the next timer when only timers are\n"
                 "left (it follows real time while I/O is pending);\n"
                 "ASY_VIRTUAL_TIME=1 in the environment does the same")
        ->envname("ASY_VIRTUAL_TIME");
    std::optional<std::uint64_t> shuffle_seed;
    app.add_option("--shuffle", shuffle_seed,
                   "Run ready tasks in a random order drawn from SEED,\n"
                   "to expose races; the same SEED replays the same order")
        ->type_name("SEED");
    app.add_option("--trace", teaching.trace_path,
                   "Write a Chrome trace-event JSON of the tasks to FILE\n"
                   "(open it in ui.perfetto.dev or chrome://tracing)")
        ->type_name("FILE");
    app.add_flag("--timeline", teaching.timeline,
                 "After the run, chart the tasks over time on stderr\n"
                 "(exact with --virtual-time)");
    app.add_flag("--strict", teaching.strict,
                 "Make the mistakes asy warns about (a coroutine never\n"
                 "awaited, time.sleep in a coroutine) errors, and also\n"
                 "report swallowed cancellations and unawaited failures");

    CLI::App* dis = app.add_subcommand("dis", "Print the bytecode of FILE, with its source lines");
    std::string dis_file;
    dis->add_option("FILE", dis_file, "The program to disassemble")->type_name("")->required();

    // Set last: subcommands copy the footer of their parent when they are added.
    app.footer("Every argument after FILE (or after -c CODE) is passed to the program in sys.argv.\n"
               "With no FILE at a terminal, asy starts the interactive REPL (:help inside lists its\n"
               "commands); with no FILE and a pipe or file on standard input, it runs that program.");

    try {
        app.parse(first_program_argument, argv);
    } catch (const CLI::ParseError& error) {
        // --help and --version arrive here too, as "errors" with status 0.
        const int status = app.exit(error);
        return status == 0 ? 0 : usage_error_status;
    }

    if (*dis)
        return asy::disassemble_file(dis_file, std::cout);

    if (shuffle_seed) {
        teaching.shuffle = true;
        teaching.seed = *shuffle_seed;
    }
    asy::teaching::configure(teaching);
    return asy::teaching::finish(run(code, file, program_arguments));
}

namespace {

int run(const std::optional<std::string>& code, const std::string& file,
        const std::vector<std::string>& program_arguments) {
    if (code)
        return asy::run_source(*code, "<string>", run_options("-c", program_arguments));

    if (!file.empty() && file != "-")
        return asy::run_file(file, run_options(file, program_arguments));

    // No FILE: with a pipe or a file on standard input, that is the program. CPython names
    // it "-" in sys.argv when asked for explicitly, and "" when implied.
    if (file == "-" || !isatty(STDIN_FILENO))
        return asy::run_source(read_standard_input(), "<stdin>", run_options(file, program_arguments));

    // A terminal and no program: the interactive REPL, with sys.argv == [''] as in CPython.
    return asy::run_repl(run_options(file, program_arguments));
}

} // namespace
