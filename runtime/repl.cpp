// The interactive REPL (repl.hpp). One VM and one event loop serve the whole session. The
// loop runs all the time, even while the prompt waits: standard input is a libuv poll
// handle feeding libedit's callback interface one key at a time, so a task started with
// create_task keeps running (and printing) while the student types. Each complete entry
// ("needs another line?" [MicroPython py/repl.c]) is compiled in interactive mode: an
// expression statement prints its repr, and an entry with a top-level `await` compiles to
// a coroutine, which runs as a task on the loop until it is done.

#include "runtime/repl.hpp"

#include "compiler/compiler.hpp"
#include "compiler/disassembler.hpp"
#include "compiler/parse.hpp"
#include "compiler/source.hpp"
#include "runtime/interrupt.hpp"
#include "runtime/objects/dict.hpp"
#include "runtime/objects/list.hpp"
#include "runtime/objects/module.hpp"
#include "runtime/objects/str.hpp"
#include "runtime/ops.hpp"
#include "runtime/task_tree.hpp"
#include "runtime/vm_internal.hpp"
#include "stdlib/native/asyncio.hpp"

#include <editline/readline.h>
#include <uv.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cctype>
#include <cstring>
#include <iostream>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace asy {

namespace {

// The banner's version is set for this file by CMakeLists.txt from project(VERSION ...).
constexpr std::string_view version = ASY_VERSION;

constexpr std::string_view primary_prompt = ">>> ";
constexpr std::string_view continuation_prompt = "... ";

// How long background output may keep the prompt hidden while the loop stays busy: a task
// that never lets the loop rest still gets the prompt redrawn this often (seconds).
constexpr double redraw_interval = 0.1;

// How many entries ~/.asy_history keeps (CPython's REPL keeps 1000 too).
constexpr int history_size = 1000;

constexpr std::string_view help_text =
    "Type asy code at the prompt; a block opened by ':' goes on with '... ' until a blank line.\n"
    "An expression's value is printed. `await`, `async for` and `async with` work at the prompt,\n"
    "and tasks made with create_task() keep running while you type.\n"
    "\n"
    "  :help        this help\n"
    "  :tasks       every live task: its state and where its coroutine waits, as a tree\n"
    "  :dis NAME    the bytecode of the function NAME\n"
    "  :quit        leave (so does Ctrl-D)\n"
    "\n"
    "Ctrl-C cancels the running entry (or clears the line); Tab completes names and attributes;\n"
    "Up/Down and Ctrl-R search the history, kept in ~/.asy_history.\n";

// Python's keywords, for tab completion.
constexpr const char* keywords[] = {
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
    "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import",
    "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while",
    "with", "yield",
};

// Where the REPL is in its cycle.
enum class Mode {
    // The prompt is up and libedit reads keys.
    Prompt,
    // An entry runs (or waits, as a task, for what it awaits); keys stay in the terminal.
    Running,
};

// Slots of Repl::m_keep, the asy values the session keeps alive.
enum KeptValue : std::size_t {
    // The session's event loop object.
    KeptLoop,
    // The task of the entry running now, or None.
    KeptEntryTask,
    // The native done callback that brings the prompt back when the entry's task ends.
    KeptDoneCallback,
    // The module __main__, whose namespace the entries share.
    KeptMain,
    KeptCount,
};

class Repl;

// libedit's callbacks and the SIGINT handler carry no user pointer: this is the one REPL.
Repl* g_repl = nullptr;
// Woken from the SIGINT handler (uv_async_send is async-signal-safe).
uv_async_t* g_interrupt_async = nullptr;
// The candidates of the completion in progress (Repl::collect_completions fills them).
std::vector<std::string>* g_completions = nullptr;

class Repl final : public Observer {
public:
    explicit Repl(VM& vm) : m_vm(vm), m_keep(KeptCount, Value::none()), m_keep_root(vm, m_keep) {}

    int run();

    // ---- libedit and libuv callbacks
    void on_line(char* line);
    void on_interrupt();
    void on_check();
    void on_prepare();
    void run_entry();
    void on_entry_done();
    char** complete(const char* text);
    void on_event(const LoopEvent& event) override;

private:
    bool start_session();
    void end_session();
    void show_prompt(std::string_view prompt);
    void hide_prompt();
    void submit_entry();
    void finish_entry();
    void run_command(const std::string& line);
    void disassemble_name(std::string_view name);
    void report_exception(Value exception);
    void quit(int status);
    void collect_completions(std::string_view text);
    [[nodiscard]] LoopObject* loop() const { return static_cast<LoopObject*>(m_keep[KeptLoop].as_object()); }

    VM& m_vm;
    // Asy values alive for the whole session (see KeptValue), rooted by m_keep_root.
    std::vector<Value> m_keep;
    RootVector m_keep_root;
    // The namespace of __main__, where entries run.
    Dict* m_globals = nullptr;
    // Whether the prompt is up or an entry runs.
    Mode m_mode = Mode::Prompt;
    // The lines of the entry typed so far, each ending in '\n'.
    std::string m_entry;
    // Each entry's source and code, kept so that :dis can show a function's source lines.
    struct Entry {
        std::unique_ptr<SourceFile> source;
        std::shared_ptr<const CodeObject> code;
    };
    std::vector<Entry> m_entries;
    // True while background output has wiped the prompt line and it is not redrawn yet.
    bool m_prompt_hidden = false;
    // Loop time at which it was hidden.
    double m_hidden_since = 0.0;
    // Ctrl-C cancelled the running entry: its CancelledError is reported as KeyboardInterrupt.
    bool m_interrupted = false;
    // Set by Ctrl-D, :quit or sys.exit(): the loop stops and the session ends.
    bool m_quitting = false;
    // The exit status of the session (sys.exit's code, else 0).
    int m_status = 0;
    // The observer that was there before the REPL's, which still hears every event.
    Observer* m_next_observer = nullptr;
    // ~/.asy_history, or empty when HOME is not set.
    std::string m_history_path;
    // Tab completion's candidates for the word being completed.
    std::vector<std::string> m_completions;
    // libuv handles: standard input, the wake-up from SIGINT, and the two hooks around
    // each turn of the loop that hide and redraw the prompt around background output.
    UvHandle<uv_poll_t> m_stdin;
    UvHandle<uv_async_t> m_interrupt;
    UvHandle<uv_check_t> m_check;
    UvHandle<uv_prepare_t> m_prepare;
    // The SIGINT disposition to put back at the end.
    struct sigaction m_old_sigint {};
};

// ---------------------------------------------------------------- C callbacks

void on_line_callback(char* line) { g_repl->on_line(line); }

void on_stdin_readable(uv_poll_t*, int status, int events)
{
    // A terminal that hung up (or an error) ends the session like Ctrl-D: libedit would only
    // keep reporting nothing, and the poll would keep firing.
    if (status < 0 || (events & UV_DISCONNECT) != 0) {
        g_repl->on_line(nullptr);
        return;
    }
    rl_callback_read_char();
}

void on_interrupt_callback(uv_async_t*) { g_repl->on_interrupt(); }
void on_check_callback(uv_check_t*) { g_repl->on_check(); }
void on_prepare_callback(uv_prepare_t*) { g_repl->on_prepare(); }

void on_sigint(int)
{
    // Running asy code notices the flag at its next backward jump; the async handle tells the
    // loop, for when no asy code is running (at the prompt, or while an entry awaits).
    interrupt_requested = 1;
    if (g_interrupt_async != nullptr)
        uv_async_send(g_interrupt_async);
}

bool run_entry_callback(EventLoop&, Value, Value)
{
    g_repl->run_entry();
    return true;
}

// Runs the entry waiting in the REPL: one per submitted entry, queued on the loop so that
// asy code never runs inside a libuv callback.
const CallbackKind entry_kind{"REPL entry", run_entry_callback, nullptr};

Value entry_done_callback(VM&, CallArgs)
{
    g_repl->on_entry_done();
    return Value::none();
}

char* completion_generator(const char* text, int state);

char** attempted_completion(const char* text, int, int)
{
    // Never fall back to completing file names.
    rl_attempted_completion_over = 1;
    return g_repl->complete(text);
}

// ---------------------------------------------------------------- the session

int Repl::run()
{
    if (!start_session())
        return 1;
    std::cout << "asy " << version << " — type :help for help, Ctrl-D to exit\n" << std::flush;
    show_prompt(primary_prompt);
    EventLoop& events = *loop()->loop;
    while (!m_quitting) {
        const LoopExit exit = events.run_forever();
        if (exit == LoopExit::Aborted && m_vm.has_exception()) {
            // A callback let SystemExit or KeyboardInterrupt out of the loop.
            report_exception(m_vm.take_exception());
            if (!m_quitting && m_mode == Mode::Prompt)
                show_prompt(primary_prompt);
        } else if (exit == LoopExit::Idle) {
            // Standard input is gone (its poll handle closed): nothing more can be typed.
            break;
        }
    }
    end_session();
    return m_status;
}

bool Repl::start_session()
{
    // __main__, as for a script; imports look in the current directory.
    m_vm.script_directory = ".";
    Root module(m_vm, new_module(m_vm, "__main__"));
    m_globals = module.as<Module>()->dict;
    m_keep[KeptMain] = module;
    dict_set_str(m_vm, m_globals, m_vm.names().builtins, Value::from_object(m_vm.builtins_module()));
    dict_set_str(m_vm, m_vm.modules, m_vm.names().main, module);

    // The session's event loop: asyncio.new_event_loop(), made the current one.
    Module* asyncio = m_vm.import_module("asyncio");
    Value loop_value = Value::null();
    if (asyncio != nullptr) {
        const Value make = dict_get_str(asyncio->dict, m_vm.intern("new_event_loop"));
        if (!make.is_null())
            loop_value = m_vm.call(make, std::span<const Value>());
    }
    if (loop_value.is_null()) {
        if (m_vm.has_exception())
            print_exception(m_vm, m_vm.take_exception(), std::cerr);
        return false;
    }
    m_keep[KeptLoop] = loop_value;
    const Value set_loop = dict_get_str(asyncio->dict, m_vm.intern("set_event_loop"));
    if (!set_loop.is_null() && m_vm.call(set_loop, std::span<const Value>(&loop_value, 1)).is_null())
        m_vm.clear_exception();
    // The loop counts as running for the whole session, so that create_task() and
    // get_running_loop() work in every entry, awaiting or not.
    asyncio_state(m_vm).running_loop = loop();
    m_keep[KeptDoneCallback] =
        Value::from_object(make_native_function(m_vm, "_repl_entry_done", entry_done_callback));

    EventLoop& events = *loop()->loop;
    m_next_observer = events.observer();
    events.set_observer(this);
    uv_loop_t* uv = events.uv_loop();
    if (m_stdin.init(uv_poll_init, uv, STDIN_FILENO) != 0) {
        std::cerr << "asy: cannot watch standard input\n";
        return false;
    }
    (void)m_interrupt.init(uv_async_init, uv, on_interrupt_callback);
    // The wake-up from Ctrl-C must not keep the loop alive by itself.
    uv_unref(m_interrupt.base());
    g_interrupt_async = m_interrupt.get();
    if (m_check.init(uv_check_init, uv) == 0) {
        uv_check_start(m_check.get(), on_check_callback);
        uv_unref(m_check.base());
    }
    if (m_prepare.init(uv_prepare_init, uv) == 0) {
        uv_prepare_start(m_prepare.get(), on_prepare_callback);
        uv_unref(m_prepare.base());
    }
    struct sigaction action {};
    action.sa_handler = on_sigint;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    sigaction(SIGINT, &action, &m_old_sigint);

    // libedit: our own SIGINT handling, Tab completion of names, and the history file.
    rl_readline_name = "asy";
    rl_catch_signals = 0;
    rl_attempted_completion_function = attempted_completion;
    // '.' is not a word break, so that `obj.na<Tab>` completes attributes of obj.
    static char word_breaks[] = " \t\n\"\\'`@$><=;|&{([,+-*/%~^!:)]}";
    rl_basic_word_break_characters = word_breaks;
    rl_completer_word_break_characters = word_breaks;
    using_history();
    stifle_history(history_size);
    if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') {
        m_history_path = std::string(home) + "/.asy_history";
        read_history(m_history_path.c_str());
    }
    return true;
}

void Repl::end_session()
{
    rl_callback_handler_remove();
    if (!m_history_path.empty())
        write_history(m_history_path.c_str());
    sigaction(SIGINT, &m_old_sigint, nullptr);
    g_interrupt_async = nullptr;
    m_stdin.close();
    m_interrupt.close();
    m_check.close();
    m_prepare.close();
    EventLoop& events = *loop()->loop;
    events.set_observer(m_next_observer);
    asyncio_state(m_vm).running_loop = nullptr;
    // loop.close() reports task exceptions nobody retrieved, then closes libuv's loop (which
    // also runs the close callbacks of the handles above).
    if (m_vm.call_method(m_keep[KeptLoop], m_vm.intern("close"), {}).is_null())
        print_exception(m_vm, m_vm.take_exception(), std::cerr);
    std::fflush(stdout);
}

void Repl::quit(int status)
{
    m_status = status;
    m_quitting = true;
    m_mode = Mode::Running;
    rl_callback_handler_remove();
    uv_poll_stop(m_stdin.get());
    loop()->loop->stop();
}

// ---------------------------------------------------------------- the prompt

void Repl::show_prompt(std::string_view prompt)
{
    m_mode = Mode::Prompt;
    m_prompt_hidden = false;
    std::fflush(stdout);
    std::fflush(stderr);
    // Installing the handler afresh empties libedit's line and draws the prompt.
    static std::string text;
    text = prompt;
    rl_callback_handler_remove();
    rl_callback_handler_install(text.c_str(), on_line_callback);
    uv_poll_start(m_stdin.get(), UV_READABLE | UV_DISCONNECT, on_stdin_readable);
}

// Background output is about to appear: wipe the prompt line first, so that the output
// starts at the left margin; on_prepare draws the prompt (and what was typed) again.
void Repl::hide_prompt()
{
    if (m_mode != Mode::Prompt || m_prompt_hidden || m_quitting)
        return;
    std::fflush(stdout);
    std::fputs("\r\033[K", stdout);
    std::fflush(stdout);
    m_prompt_hidden = true;
    m_hidden_since = loop()->loop->time();
}

void Repl::on_event(const LoopEvent& event)
{
    // A task step or a timer is about to run asy code, which may print.
    if (event.kind == LoopEventKind::StepStarted || event.kind == LoopEventKind::TimerFired)
        hide_prompt();
    if (m_next_observer != nullptr)
        m_next_observer->on_event(event);
}

void Repl::on_check()
{
    // libuv has just polled; the loop now runs what is ready (call_soon callbacks included).
    if (loop()->loop->ready_count() > 0)
        hide_prompt();
}

void Repl::on_prepare()
{
    // The loop is about to wait (or poll) again: bring the prompt back if it was hidden,
    // unless the loop is busy, in which case every redraw_interval is enough.
    if (!m_prompt_hidden || m_mode != Mode::Prompt)
        return;
    EventLoop& events = *loop()->loop;
    if (events.ready_count() > 0 && events.time() - m_hidden_since < redraw_interval)
        return;
    std::fflush(stdout);
    std::fflush(stderr);
    m_prompt_hidden = false;
    rl_forced_update_display();
}

// ---------------------------------------------------------------- entries

void Repl::on_line(char* line)
{
    if (line == nullptr) {
        // Ctrl-D on an empty line (or standard input closed): leave, as CPython does.
        std::fputs("\n", stdout);
        quit(0);
        return;
    }
    std::string text(line);
    std::free(line);
    if (text.find_first_not_of(" \t") != std::string::npos)
        add_history(text.c_str());
    if (m_entry.empty()) {
        const auto first = text.find_first_not_of(" \t");
        if (first == std::string::npos) {
            show_prompt(primary_prompt);
            return;
        }
        if (text[first] == ':') {
            rl_callback_handler_remove();
            run_command(text.substr(first));
            if (!m_quitting)
                show_prompt(primary_prompt);
            return;
        }
    }
    m_entry += text;
    m_entry += '\n';
    SourceFile probe;
    probe.filename = "<stdin>";
    probe.text = m_entry;
    if (needs_more_input(probe)) {
        show_prompt(continuation_prompt);
        return;
    }
    submit_entry();
}

void Repl::submit_entry()
{
    // Keys typed while the entry runs wait in the terminal for the next prompt.
    m_mode = Mode::Running;
    rl_callback_handler_remove();
    uv_poll_stop(m_stdin.get());
    loop()->loop->call_soon(Callback{&entry_kind, Value::none(), Value::null()});
}

void Repl::run_entry()
{
    auto source = std::make_unique<SourceFile>();
    source->filename = "<stdin>";
    source->text = std::move(m_entry);
    m_entry.clear();
    m_interrupted = false;
    ParseResult parsed = parse_module(*source);
    if (parsed.error) {
        std::cerr << format_syntax_error(*parsed.error);
        finish_entry();
        return;
    }
    CompileResult compiled = compile_module(*parsed.module, *source, CompileMode::Interactive);
    if (compiled.error) {
        std::cerr << format_syntax_error(*compiled.error);
        finish_entry();
        return;
    }
    m_entries.push_back(Entry{std::move(source), compiled.code});

    Root code(m_vm, load_code(m_vm, compiled.code));
    Root function(m_vm, new_function(m_vm, code.as<Code>(), m_globals));
    // Module code called as a function: a plain entry runs now; an entry that awaits
    // returns its coroutine, which becomes the entry's task.
    const Value result = m_vm.call(function, std::span<const Value>());
    if (result.is_null()) {
        report_exception(m_vm.take_exception());
        finish_entry();
        return;
    }
    if (!compiled.code->is_coroutine()) {
        finish_entry();
        return;
    }
    Root coroutine(m_vm, result);
    const Value task = new_task(m_vm, loop(), result, Value::null());
    if (task.is_null()) {
        report_exception(m_vm.take_exception());
        finish_entry();
        return;
    }
    m_keep[KeptEntryTask] = task;
    static_cast<TaskObject*>(task.as_object())->callbacks.push_back(m_keep[KeptDoneCallback]);
}

void Repl::on_entry_done()
{
    auto* task = static_cast<TaskObject*>(m_keep[KeptEntryTask].as_object());
    m_keep[KeptEntryTask] = Value::none();
    if (task == nullptr)
        return;
    if (task->state == FutureState::Cancelled) {
        std::fflush(stdout);
        std::cerr << (m_interrupted ? "KeyboardInterrupt\n" : "asyncio.exceptions.CancelledError\n");
    } else if (!task->exception.is_null()) {
        // Reported here, so the loop must not report it again when it closes.
        task->log_traceback = false;
        report_exception(task->exception);
    }
    if (!m_quitting)
        finish_entry();
}

void Repl::finish_entry()
{
    m_keep[KeptEntryTask] = Value::none();
    if (!m_quitting)
        show_prompt(primary_prompt);
}

void Repl::report_exception(Value exception)
{
    Root keep(m_vm, exception);
    std::fflush(stdout);
    if (is_subtype(exception.as_object()->type, m_vm.types().system_exit)) {
        // sys.exit(code) leaves the REPL with that status, as in CPython.
        const Tuple* args = as_exception(exception)->args;
        const Value code = args && args->items.size() == 1 ? args->items[0] : Value::none();
        int status = 0;
        if (code.is_small_int())
            status = static_cast<int>(code.as_small_int() & 0xff);
        else if (!code.is_none()) {
            if (String* text = ops::str(m_vm, code))
                std::cerr << text->utf8 << '\n';
            m_vm.clear_exception();
            status = 1;
        }
        quit(status);
        return;
    }
    print_exception(m_vm, exception, std::cerr);
    std::cerr << std::flush;
}

// Ctrl-C, by way of the SIGINT handler and the async handle.
void Repl::on_interrupt()
{
    // Running code took the interrupt already (as a KeyboardInterrupt raised in it).
    if (!interrupt_requested)
        return;
    interrupt_requested = 0;
    if (m_quitting)
        return;
    if (m_mode == Mode::Prompt) {
        // At the prompt: drop the line (and any unfinished block) and start afresh.
        m_entry.clear();
        std::fputs("\nKeyboardInterrupt\n", stdout);
        show_prompt(primary_prompt);
        return;
    }
    auto* task = as_instance<TaskObject>(m_keep[KeptEntryTask], asyncio_state(m_vm).types.task);
    if (task == nullptr)
        return;
    // The entry's task is cancelled: its finally blocks run, and on_entry_done reports it.
    m_interrupted = true;
    task_cancel(m_vm, task, Value::null());
    if (m_vm.has_exception())
        m_vm.clear_exception();
}

// ---------------------------------------------------------------- commands

void Repl::run_command(const std::string& line)
{
    const auto space = line.find_first_of(" \t");
    const std::string command = line.substr(0, space);
    std::string argument = space == std::string::npos ? "" : line.substr(space);
    argument.erase(0, argument.find_first_not_of(" \t"));
    argument.erase(argument.find_last_not_of(" \t") + 1);
    if (command == ":help" || command == ":h") {
        std::cout << help_text;
    } else if (command == ":quit" || command == ":q" || command == ":exit") {
        quit(0);
    } else if (command == ":tasks") {
        render_task_tree(m_vm, std::cout);
    } else if (command == ":dis") {
        disassemble_name(argument);
    } else {
        std::cout << "unknown command " << command << "; :help lists the commands\n";
    }
    std::cout << std::flush;
}

// Whether `wanted` is `outer` or one of the code objects nested in it.
bool code_contains(const CodeObject& outer, const CodeObject* wanted)
{
    if (&outer == wanted)
        return true;
    for (const Constant& constant : outer.constants) {
        if (const auto* nested = std::get_if<std::shared_ptr<const CodeObject>>(&constant)) {
            if (*nested && code_contains(**nested, wanted))
                return true;
        }
    }
    return false;
}

void Repl::disassemble_name(std::string_view name)
{
    if (name.empty()) {
        std::cout << "usage: :dis NAME (a function defined at the prompt or imported)\n";
        return;
    }
    Value value = dict_get_str(m_globals, m_vm.intern(name));
    if (value.is_null())
        value = dict_get_str(m_vm.builtins(), m_vm.intern(name));
    if (value.is_null()) {
        std::cout << "NameError: name '" << name << "' is not defined\n";
        return;
    }
    // A bound method shows its function.
    if (value.is_object() && value.as_object()->type == m_vm.types().bound_method)
        value = static_cast<BoundMethod*>(value.as_object())->function;
    if (!value.is_object() || value.as_object()->type != m_vm.types().function) {
        std::cout << name << " is not a function defined in asy (it is " << ops::type_name(m_vm, value)
                  << "); :dis shows the bytecode of functions\n";
        return;
    }
    const CodeObject& code = *static_cast<Function*>(value.as_object())->code->code;
    const SourceFile* source = nullptr;
    for (const Entry& entry : m_entries) {
        if (code_contains(*entry.code, &code))
            source = entry.source.get();
    }
    disassemble(code, source, std::cout);
}

// ---------------------------------------------------------------- completion

char** Repl::complete(const char* text)
{
    collect_completions(text);
    if (m_completions.empty())
        return nullptr;
    return rl_completion_matches(text, completion_generator);
}

char* completion_generator(const char*, int state)
{
    static std::size_t next = 0;
    if (state == 0)
        next = 0;
    if (g_completions == nullptr || next >= g_completions->size())
        return nullptr;
    return strdup((*g_completions)[next++].c_str());
}

// The names of a dict's str keys that start with `prefix`.
void add_matching_keys(const Dict* dict, std::string_view prefix, std::vector<std::string>& out)
{
    for (const DictEntry& entry : dict->entries) {
        if (!entry.key.is_object())
            continue;
        const auto* key = static_cast<const String*>(entry.key.as_object());
        if (key->utf8.starts_with(prefix))
            out.push_back(key->utf8);
    }
}

void Repl::collect_completions(std::string_view text)
{
    m_completions.clear();
    g_completions = &m_completions;
    const auto dot = text.rfind('.');
    if (dot == std::string_view::npos) {
        // A name: keywords, then globals, then builtins.
        for (const char* keyword : keywords) {
            if (std::string_view(keyword).starts_with(text))
                m_completions.emplace_back(keyword);
        }
        add_matching_keys(m_globals, text, m_completions);
        add_matching_keys(m_vm.builtins(), text, m_completions);
    } else {
        // obj.attr: follow the dotted names before the last dot (no calls, no indexing, as
        // CPython's rlcompleter), then list dir(obj).
        const std::string_view path = text.substr(0, dot);
        const std::string_view prefix = text.substr(dot + 1);
        Value object = Value::null();
        std::size_t start = 0;
        while (start <= path.size()) {
            const auto end = std::min(path.find('.', start), path.size());
            const std::string_view part = path.substr(start, end - start);
            if (part.empty() || !std::all_of(part.begin(), part.end(), [](char c) {
                    return c == '_' || std::isalnum(static_cast<unsigned char>(c)) || (c & 0x80);
                }))
                return;
            String* name = m_vm.intern(part);
            if (object.is_null()) {
                object = dict_get_str(m_globals, name);
                if (object.is_null())
                    object = dict_get_str(m_vm.builtins(), name);
            } else {
                object = ops::getattr_optional(m_vm, object, name);
            }
            if (object.is_null()) {
                m_vm.clear_exception();
                return;
            }
            start = end + 1;
        }
        Root keep(m_vm, object);
        const Value dir = dict_get_str(m_vm.builtins(), m_vm.intern("dir"));
        const Value names = dir.is_null() ? Value::null() : m_vm.call(dir, std::span<const Value>(&object, 1));
        if (names.is_null() || !names.is_object() || names.as_object()->type != m_vm.types().list) {
            m_vm.clear_exception();
            return;
        }
        Root keep_names(m_vm, names);
        for (Value item : static_cast<List*>(names.as_object())->items) {
            const auto* name = as_instance<String>(item, m_vm.types().str);
            if (name == nullptr || !name->utf8.starts_with(prefix))
                continue;
            // Private names only when asked for, as CPython's completer does.
            if (name->utf8.starts_with('_') && !prefix.starts_with('_'))
                continue;
            m_completions.push_back(std::string(path) + "." + name->utf8);
        }
    }
    std::sort(m_completions.begin(), m_completions.end());
    m_completions.erase(std::unique(m_completions.begin(), m_completions.end()), m_completions.end());
}

}  // namespace

int run_repl(const RunOptions& options)
{
    VM vm;
    vm.argv = options.argv;
    Repl repl(vm);
    g_repl = &repl;
    const int status = repl.run();
    g_repl = nullptr;
    return status;
}

}  // namespace asy
