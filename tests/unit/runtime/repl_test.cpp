// Tests of runtime/repl.cpp: each test starts the real asy executable on a pseudo-terminal
// (forkpty), types into it as a student would, and waits, with a time limit, for what it
// must print. HOME is a fresh temporary directory, so ~/.asy_history lands there.

#include <catch2/catch.hpp>

#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>
#include <thread>

namespace {

// The asy executable under test, set by cmake/Tests.cmake.
constexpr const char* asy_executable = ASY_EXECUTABLE;

// Time limits. Under AddressSanitizer with ASY_GC_STRESS=1 (a collection at every
// allocation) starting asy and importing asyncio takes seconds, so the limits are generous;
// they only bound how long a failing test hangs.
constexpr double startup_limit = 120.0;
constexpr double step_limit = 60.0;

double seconds_since(std::chrono::steady_clock::time_point start)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// A temporary directory, removed with everything in it at the end of the test.
class TemporaryHome {
public:
    TemporaryHome()
    {
        std::string pattern = (std::filesystem::temp_directory_path() / "asy_repl_test_XXXXXX").string();
        if (mkdtemp(pattern.data()) != nullptr)
            m_path = pattern;
    }
    ~TemporaryHome()
    {
        std::error_code ignored;
        if (!m_path.empty())
            std::filesystem::remove_all(m_path, ignored);
    }
    TemporaryHome(const TemporaryHome&) = delete;
    TemporaryHome& operator=(const TemporaryHome&) = delete;
    [[nodiscard]] const std::string& path() const { return m_path; }

private:
    std::string m_path;
};

// asy running on a pseudo-terminal: what it prints is collected in output(), and expect()
// waits for a piece of text to appear after what earlier expect() calls consumed.
class ReplSession {
public:
    explicit ReplSession(const std::string& home)
    {
        struct winsize size {};
        size.ws_row = 40;
        size.ws_col = 200;
        m_pid = forkpty(&m_master, nullptr, nullptr, &size);
        if (m_pid == 0) {
            setenv("HOME", home.c_str(), 1);
            setenv("TERM", "xterm", 1);
            execl(asy_executable, asy_executable, static_cast<char*>(nullptr));
            _exit(127);
        }
    }
    ~ReplSession()
    {
        // ASY_REPL_TEST_SHOW=1 shows each session's whole terminal output, to see what a student sees.
        if (std::getenv("ASY_REPL_TEST_SHOW") != nullptr)
            std::fprintf(stderr, "---- terminal\n%s\n----\n", m_output.c_str());
        if (m_pid > 0 && !m_exited) {
            kill(m_pid, SIGKILL);
            int status = 0;
            waitpid(m_pid, &status, 0);
        }
        if (m_master >= 0)
            close(m_master);
    }
    ReplSession(const ReplSession&) = delete;
    ReplSession& operator=(const ReplSession&) = delete;

    [[nodiscard]] bool started() const { return m_pid > 0 && m_master >= 0; }

    // Types `text` (a "\r" is the Enter key, "\x03" Ctrl-C, "\x04" Ctrl-D).
    void send(std::string_view text)
    {
        while (!text.empty()) {
            const ssize_t n = write(m_master, text.data(), text.size());
            if (n <= 0)
                return;
            text.remove_prefix(static_cast<std::size_t>(n));
        }
    }

    // Waits until `text` appears in the output after the previous match, for at most
    // `limit` seconds; true if it did. The match and what came before it are consumed.
    bool expect(std::string_view text, double limit = step_limit)
    {
        const auto start = std::chrono::steady_clock::now();
        for (;;) {
            const auto found = m_output.find(text, m_consumed);
            if (found != std::string::npos) {
                m_consumed = found + text.size();
                return true;
            }
            const double left = limit - seconds_since(start);
            if (left <= 0 || !read_some(left)) {
                // Show what came instead, for the test log.
                std::fprintf(stderr, "expected \"%.*s\" but the terminal showed:\n%s\n", static_cast<int>(text.size()),
                             text.data(), unconsumed().c_str());
                return false;
            }
        }
    }

    // Reads whatever arrives during `duration` seconds.
    void drain(double duration)
    {
        const auto start = std::chrono::steady_clock::now();
        double left = duration;
        while (left > 0 && read_some(left))
            left = duration - seconds_since(start);
    }

    // Waits for asy to exit: its exit status, or -1 if it had not exited within `limit`.
    int wait_exit(double limit = step_limit)
    {
        const auto start = std::chrono::steady_clock::now();
        while (seconds_since(start) < limit) {
            // Keep reading, so that asy never blocks on a full terminal.
            read_some(0.05);
            int status = 0;
            if (waitpid(m_pid, &status, WNOHANG) == m_pid) {
                m_exited = true;
                return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
            }
        }
        return -1;
    }

    // Everything printed so far (for failure messages).
    [[nodiscard]] const std::string& output() const { return m_output; }
    // What is left after the last match.
    [[nodiscard]] std::string unconsumed() const { return m_output.substr(m_consumed); }

private:
    // Appends what the terminal has within `limit` seconds; false at the end of output.
    bool read_some(double limit)
    {
        struct pollfd ready {};
        ready.fd = m_master;
        ready.events = POLLIN;
        const int timeout_ms = static_cast<int>(limit * 1000) + 1;
        const int status = poll(&ready, 1, timeout_ms);
        if (status < 0)
            return false;
        if (status == 0)
            return true;
        char buffer[4096];
        const ssize_t n = read(m_master, buffer, sizeof buffer);
        // EIO: the child closed the terminal (it exited).
        if (n <= 0)
            return false;
        m_output.append(buffer, static_cast<std::size_t>(n));
        return true;
    }

    pid_t m_pid = -1;
    int m_master = -1;
    bool m_exited = false;
    std::string m_output;
    std::size_t m_consumed = 0;
};

// Starts a session and waits for its first prompt.
#define START_REPL(session, home)                                                                  \
    TemporaryHome home;                                                                           \
    REQUIRE(!home.path().empty());                                                                \
    ReplSession session(home.path());                                                             \
    REQUIRE(session.started());                                                                   \
    REQUIRE(session.expect("type :help for help", startup_limit));                                \
    REQUIRE(session.expect(">>> "))

}  // namespace

TEST_CASE("repl: top-level await echoes the value", "[repl]")
{
    START_REPL(repl, home);
    repl.send("await sleep(0.1, 'x')\r");
    CHECK(repl.expect("\n'x'\r\n"));
    CHECK(repl.expect(">>> "));
    repl.send("\x04");
    CHECK(repl.wait_exit() == 0);
}

TEST_CASE("repl: a multi-line async def, then a call", "[repl]")
{
    START_REPL(repl, home);
    repl.send("async def twice(n):\r");
    REQUIRE(repl.expect("... "));
    repl.send("    await sleep(0.01)\r");
    REQUIRE(repl.expect("... "));
    repl.send("    return n * 2\r");
    REQUIRE(repl.expect("... "));
    repl.send("\r");
    REQUIRE(repl.expect(">>> "));
    repl.send("await twice(21)\r");
    CHECK(repl.expect("42\r\n"));
    CHECK(repl.expect(">>> "));
    // An open bracket continues the entry too.
    repl.send("[1,\r");
    REQUIRE(repl.expect("... "));
    repl.send("2]\r");
    CHECK(repl.expect("[1, 2]\r\n"));
    repl.send("\x04");
    CHECK(repl.wait_exit() == 0);
}

TEST_CASE("repl: a background task prints while the prompt waits", "[repl]")
{
    START_REPL(repl, home);
    repl.send("async def later():\r");
    REQUIRE(repl.expect("... "));
    repl.send("    await sleep(0.5)\r");
    REQUIRE(repl.expect("... "));
    repl.send("    print('from the background')\r");
    REQUIRE(repl.expect("... "));
    repl.send("\r");
    REQUIRE(repl.expect(">>> "));
    repl.send("t = create_task(later())\r");
    REQUIRE(repl.expect(">>> "));
    // Half a line typed before the task prints: it must be drawn again after the output.
    repl.send("6 *");
    CHECK(repl.expect("from the background"));
    CHECK(repl.expect(">>> 6 *"));
    repl.send(" 7\r");
    CHECK(repl.expect("42\r\n"));
    repl.send("t.done()\r");
    CHECK(repl.expect("True\r\n"));
    repl.send("\x04");
    CHECK(repl.wait_exit() == 0);
}

TEST_CASE("repl: Ctrl-C cancels the running entry and the REPL goes on", "[repl]")
{
    START_REPL(repl, home);
    repl.send("await sleep(100)\r");
    REQUIRE(repl.expect("await sleep(100)"));
    // Give the entry time to start sleeping.
    repl.drain(0.5);
    repl.send("\x03");
    CHECK(repl.expect("KeyboardInterrupt"));
    CHECK(repl.expect(">>> "));
    repl.send("1 + 1\r");
    CHECK(repl.expect("2\r\n"));
    // A loop that never awaits is interrupted too.
    repl.send("while True: pass\r");
    REQUIRE(repl.expect("... "));
    repl.send("\r");
    repl.drain(0.5);
    repl.send("\x03");
    CHECK(repl.expect("KeyboardInterrupt"));
    CHECK(repl.expect(">>> "));
    repl.send("3 + 3\r");
    CHECK(repl.expect("6\r\n"));
    // Ctrl-C at the prompt drops the half-typed line.
    repl.send("this is not asy");
    repl.drain(0.2);
    repl.send("\x03");
    CHECK(repl.expect("KeyboardInterrupt"));
    CHECK(repl.expect(">>> "));
    repl.send("2 + 2\r");
    CHECK(repl.expect("4\r\n"));
    repl.send("\x04");
    CHECK(repl.wait_exit() == 0);
}

TEST_CASE("repl: :tasks lists a sleeping task with its line", "[repl]")
{
    START_REPL(repl, home);
    repl.send("async def sleeper():\r");
    REQUIRE(repl.expect("... "));
    repl.send("    x = 1\r");
    REQUIRE(repl.expect("... "));
    repl.send("    await sleep(100)\r");
    REQUIRE(repl.expect("... "));
    repl.send("\r");
    REQUIRE(repl.expect(">>> "));
    repl.send("s = create_task(sleeper(), name='dozer')\r");
    REQUIRE(repl.expect(">>> "));
    repl.send("await sleep(0.1)\r");
    REQUIRE(repl.expect(">>> "));
    repl.send(":tasks\r");
    CHECK(repl.expect("dozer  sleeping, sleep(100)  at sleeper (<stdin>:3)"));
    CHECK(repl.expect(">>> "));
    repl.send(":dis sleeper\r");
    CHECK(repl.expect("await sleep(100)"));
    CHECK(repl.expect(">>> "));
    repl.send(":help\r");
    CHECK(repl.expect(":tasks"));
    CHECK(repl.expect(">>> "));
    repl.send(":quit\r");
    CHECK(repl.wait_exit() == 0);
}

TEST_CASE("repl: an exception prints its traceback and the prompt comes back", "[repl]")
{
    START_REPL(repl, home);
    repl.send("1 / 0\r");
    CHECK(repl.expect("Traceback (most recent call last):"));
    CHECK(repl.expect("ZeroDivisionError: division by zero"));
    CHECK(repl.expect(">>> "));
    repl.send("async def boom():\r");
    REQUIRE(repl.expect("... "));
    repl.send("    raise ValueError('inside a task')\r");
    REQUIRE(repl.expect("... "));
    repl.send("\r");
    REQUIRE(repl.expect(">>> "));
    repl.send("await boom()\r");
    CHECK(repl.expect("ValueError: inside a task"));
    CHECK(repl.expect(">>> "));
    repl.send("1 +\r");
    CHECK(repl.expect("SyntaxError"));
    CHECK(repl.expect(">>> "));
    repl.send("2 + 3\r");
    CHECK(repl.expect("5\r\n"));
    repl.send("\x04");
    CHECK(repl.wait_exit() == 0);
}

TEST_CASE("repl: Tab completes names and attributes", "[repl]")
{
    START_REPL(repl, home);
    repl.send("import math\r");
    REQUIRE(repl.expect(">>> "));
    repl.send("math.sqr\t");
    repl.drain(0.2);
    repl.send("(16)\r");
    CHECK(repl.expect("4.0\r\n"));
    repl.send("answer_to_everything = 42\r");
    REQUIRE(repl.expect(">>> "));
    repl.send("answer_to_ev\t");
    repl.drain(0.2);
    repl.send("\r");
    CHECK(repl.expect("42\r\n"));
    repl.send("\x04");
    CHECK(repl.wait_exit() == 0);
}

TEST_CASE("repl: Ctrl-D exits with status 0 and keeps the history", "[repl]")
{
    START_REPL(repl, home);
    repl.send("'remember me'\r");
    REQUIRE(repl.expect("'remember me'\r\n"));
    REQUIRE(repl.expect(">>> "));
    repl.send("\x04");
    CHECK(repl.wait_exit() == 0);
    std::FILE* history = std::fopen((home.path() + "/.asy_history").c_str(), "r");
    REQUIRE(history != nullptr);
    std::string text(4096, '\0');
    text.resize(std::fread(text.data(), 1, text.size(), history));
    std::fclose(history);
    // libedit's history file encodes spaces (as \\040).
    CHECK(text.find("remember") != std::string::npos);
}

TEST_CASE("repl: with a pipe on standard input asy runs it as a program", "[repl]")
{
    const std::string command = std::string("echo 'print(1+1)' | '") + asy_executable + "'";
    std::FILE* pipe = popen(command.c_str(), "r");
    REQUIRE(pipe != nullptr);
    std::string text(256, '\0');
    text.resize(std::fread(text.data(), 1, text.size(), pipe));
    const int status = pclose(pipe);
    CHECK(text == "2\n");
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
}
