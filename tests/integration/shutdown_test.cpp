// README "Shutdown", man initd(1) SHUTDOWN: when the main child exits, what remains gets
// SIGTERM, --grace to exit, then SIGKILL; initd exits as soon as everything is gone, with
// the main child's status.
#include <catch2/catch.hpp>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.hpp"

using namespace harness;

namespace {

std::string temp_path(const std::string& what, Mode mode) {
    return "/tmp/initd-shutdown-" + what + "-" + std::to_string(getpid()) + "-" +
           (mode == Mode::pid1 ? "pid1" : "subreaper");
}

std::string contents(const std::string& path) { return read_file(path).value_or("(missing)"); }

// A pid the test can see (subreaper mode: same namespace) that must be gone for good.
bool gone(pid_t pid) { return kill(pid, 0) < 0 && errno == ESRCH; }

// initd running grandchild_writer with `args`; `ready` is the grandchild's pid as
// reported, `since_ready` starts when the main child said it was about to exit.
struct Shutdown : Started {
    pid_t grandchild = 0;
    Clock::time_point since_ready;

    Shutdown(Mode mode, std::vector<std::string> options, std::vector<std::string> args)
        : Started(make_launch(mode, options, std::move(args))) {
        auto ready = reporter.line();
        REQUIRE(ready);
        since_ready = Clock::now();
        REQUIRE(ready->rfind("ready ", 0) == 0);
        grandchild = std::stoi(ready->substr(6));
    }
    static Launch make_launch(Mode mode, const std::vector<std::string>& options, std::vector<std::string> args) {
        args.insert(args.begin(), helper("grandchild_writer"));
        return initd_launch(mode, options, args);
    }
};

}  // namespace

TEST_CASE("a grandchild that needs 300 ms after SIGTERM finishes its work", "[shutdown]") {
    Mode mode = GENERATE(Mode::pid1, Mode::subreaper);
    INFO(mode_name(mode));
    std::string file = temp_path("writer", mode);
    unlink(file.c_str());
    Shutdown s(mode, {}, {"3", "write", file, "300"});
    // SIGTERM reaches it as soon as the main child is gone, not at the grace deadline.
    CHECK(s.reporter.line(4000) == std::optional<std::string>("term"));
    CHECK(s.process.wait() == 3);  // the main child's status, after the shutdown
    long long elapsed = ms_since(s.since_ready);
    WARN("shutdown with a grandchild that takes 300 ms after SIGTERM (" << mode_name(mode)
         << "): initd exited " << elapsed << " ms after the main child");
    CHECK(contents(file) == "started\ncomplete\n");
    CHECK(elapsed >= 290);
    CHECK(elapsed < 2000);  // the default grace is 5 s: initd did not wait for it
    if (mode == Mode::subreaper) CHECK(gone(s.grandchild));
    unlink(file.c_str());
}

TEST_CASE("when everything exits quickly initd exits long before the grace deadline", "[shutdown]") {
    Mode mode = GENERATE(Mode::pid1, Mode::subreaper);
    INFO(mode_name(mode));
    std::string file = temp_path("quick", mode);
    unlink(file.c_str());
    Shutdown s(mode, {"--grace", "5s"}, {"0", "write", file, "20"});
    CHECK(s.process.wait() == 0);
    long long elapsed = ms_since(s.since_ready);
    WARN("shutdown with a grandchild that takes 20 ms after SIGTERM (" << mode_name(mode)
         << "): initd exited " << elapsed << " ms after the main child");
    CHECK(contents(file) == "started\ncomplete\n");
    CHECK(elapsed < 1000);
    unlink(file.c_str());
}

TEST_CASE("a process that ignores SIGTERM is SIGKILLed at the --grace deadline", "[shutdown]") {
    Mode mode = GENERATE(Mode::pid1, Mode::subreaper);
    INFO(mode_name(mode));
    Shutdown s(mode, {"--grace", "1s"}, {"7", "ignore"});
    CHECK(s.process.wait() == 7);
    long long elapsed = ms_since(s.since_ready);
    INFO("initd exited " << elapsed << " ms after the main child");
    CHECK(elapsed >= 950);   // not before the deadline
    CHECK(elapsed < 1500);   // and right after it
    if (mode == Mode::subreaper) CHECK(gone(s.grandchild));
}

TEST_CASE("a process orphaned during the shutdown is reaped and SIGKILLed too", "[shutdown]") {
    Mode mode = GENERATE(Mode::pid1, Mode::subreaper);
    INFO(mode_name(mode));
    // The middle process dies of the SIGTERM; its child, which ignores SIGTERM, is
    // re-parented to initd while the shutdown runs.
    Shutdown s(mode, {"--grace", "1s"}, {"0", "ignore-deep"});
    CHECK(s.process.wait() == 0);
    long long elapsed = ms_since(s.since_ready);
    INFO("initd exited " << elapsed << " ms after the main child");
    CHECK(elapsed >= 950);
    CHECK(elapsed < 1500);
    if (mode == Mode::subreaper) CHECK(gone(s.grandchild));
}

TEST_CASE("with --grace 0 what remains is SIGKILLed at once", "[shutdown]") {
    Mode mode = GENERATE(Mode::pid1, Mode::subreaper);
    INFO(mode_name(mode));
    std::string file = temp_path("grace0", mode);
    unlink(file.c_str());
    Shutdown s(mode, {"--grace", "0"}, {"5", "write", file, "300"});
    CHECK(s.process.wait() == 5);
    long long elapsed = ms_since(s.since_ready);
    INFO("initd exited " << elapsed << " ms after the main child");
    CHECK(elapsed < 250);
    CHECK(contents(file) == "(missing)");  // no SIGTERM, so it never started writing
    if (mode == Mode::subreaper) CHECK(gone(s.grandchild));
    unlink(file.c_str());
}

TEST_CASE("as a subreaper, the shutdown spares processes outside initd's tree", "[shutdown]") {
    // A sibling of initd in the same session and process group, that SIGTERM would kill.
    pid_t outsider = fork();
    REQUIRE(outsider >= 0);
    if (outsider == 0) {
        signal(SIGTERM, SIG_DFL);
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, nullptr);
        for (;;) pause();
    }
    {
        std::string file = temp_path("outsider", Mode::subreaper);
        Shutdown s(Mode::subreaper, {"--grace", "1s"}, {"0", "write", file, "20"});
        CHECK(s.process.wait() == 0);
        CHECK(contents(file) == "started\ncomplete\n");  // the shutdown did run
        unlink(file.c_str());
    }
    int status = 0;
    CHECK(waitpid(outsider, &status, WNOHANG) == 0);  // still running
    kill(outsider, SIGKILL);
    waitpid(outsider, &status, 0);
}

TEST_CASE("as PID 1, a process that joined the namespace gets SIGTERM and initd waits for it", "[shutdown]") {
    // `docker exec`: a process of the namespace that is not initd's child (its parent,
    // nsenter here, is outside), so initd gets no SIGCHLD for it.
    std::string file = temp_path("joined", Mode::pid1);
    unlink(file.c_str());
    Recorded r(Mode::pid1);
    Reporter& reporter = r.reporter;
    Process& p = r.process;

    std::string target = std::to_string(p.pid());
    std::string writer = helper("grandchild_writer");
    pid_t nsenter = fork();
    REQUIRE(nsenter >= 0);
    if (nsenter == 0) {
        dup2(reporter.write_fd, 3);  // the pipe is close-on-exec; its dup is not
        execlp("nsenter", "nsenter", "-t", target.c_str(), "-p", "--", writer.c_str(), "0", "self",
               file.c_str(), "300", static_cast<char*>(nullptr));
        _exit(127);
    }
    auto joined = reporter.line();
    REQUIRE(joined);
    REQUIRE(joined->rfind("ready ", 0) == 0);

    REQUIRE(p.signal(SIGUSR2) == 0);  // the recorder exits 0: the shutdown begins
    CHECK(reporter.line() == std::optional<std::string>("12"));
    CHECK(reporter.line(4000) == std::optional<std::string>("term"));
    CHECK(p.wait() == 0);
    // Had initd exited first, the kernel would have killed the writer half-way.
    CHECK(contents(file) == "started\ncomplete\n");
    int status = 0;
    CHECK(waitpid(nsenter, &status, 0) == nsenter);
    CHECK(WIFEXITED(status));
    unlink(file.c_str());
}

TEST_CASE("with --kill-after a child that outlives a forwarded SIGTERM is SIGKILLed", "[shutdown]") {
    Mode mode = GENERATE(Mode::pid1, Mode::subreaper);
    INFO(mode_name(mode));
    struct Case {
        std::vector<std::string> options;
        int sig;
    };
    // Counted after rewriting: USR1 rewritten to TERM is a termination signal.
    auto c = GENERATE(Case{{"--kill-after", "500ms"}, SIGTERM},
                      Case{{"--kill-after", "500ms", "-g"}, SIGTERM},
                      Case{{"--kill-after", "500ms", "-r", "USR1:TERM"}, SIGUSR1});
    INFO("initd " << Catch::Detail::stringify(c.options));
    Launch l = initd_launch(mode, c.options, {helper("term_ignorer")});
    Started started(l);
    auto ready = started.reporter.line();
    REQUIRE(ready);
    auto sent = Clock::now();
    REQUIRE(started.process.signal(c.sig) == 0);
    CHECK(started.process.wait() == 137);
    long long elapsed = ms_since(sent);
    INFO("initd exited " << elapsed << " ms after the signal");
    CHECK(elapsed >= 450);
    CHECK(elapsed < 1300);
}

TEST_CASE("without a termination signal --kill-after does nothing", "[shutdown]") {
    Mode mode = GENERATE(Mode::pid1, Mode::subreaper);
    INFO(mode_name(mode));
    Recorded r(mode, {"--kill-after", "200ms", "-r", "TERM:USR1"});
    CHECK(r.send(SIGTERM) == "10");  // rewritten to USR1: not a termination signal
    CHECK_FALSE(r.process.exited_within(600));
    r.finish();
}

TEST_CASE("bad --grace, --kill-after, --restart, --restart-max, --delay values: exit 2, nothing run",
          "[shutdown][restart][delay]") {
    std::string marker = "/tmp/initd-shutdown-test-marker-" + std::to_string(getpid());
    unlink(marker.c_str());
    struct Case {
        std::vector<std::string> args;
        std::vector<std::string> env;
        std::string line;
    };
    const std::string duration = "(expected a duration like 500ms, 5s, 2m or 1h)";
    std::vector<Case> cases = {
        {{"--grace", "-1"}, {}, "initd: bad value for --grace: '-1' " + duration},
        {{"--grace", "5x"}, {}, "initd: bad value for --grace: '5x' " + duration},
        {{"--grace=1.5s"}, {}, "initd: bad value for --grace: '1.5s' " + duration},
        {{"--kill-after", "x"}, {}, "initd: bad value for --kill-after: 'x' " + duration},
        {{"--restart", "sometimes"}, {}, "initd: bad value for --restart: 'sometimes' (expected no, on-failure or always)"},
        {{"--restart-max", "-1"}, {}, "initd: bad value for --restart-max: '-1' (expected a number of restarts)"},
        {{"--delay", "TERM"}, {}, "initd: bad value for --delay: 'TERM' (expected SIGNAL:DURATION, like TERM:10s)"},
        {{"--delay", "NOPE:1s"}, {}, "initd: bad value for --delay: 'NOPE:1s' (expected SIGNAL:DURATION, like TERM:10s)"},
        {{}, {"INITD_GRACE=soon"}, "initd: bad value for INITD_GRACE: 'soon' " + duration},
        {{}, {"INITD_RESTART=maybe"}, "initd: bad value for INITD_RESTART: 'maybe' (expected no, on-failure or always)"},
        {{}, {"INITD_DELAY=TERM:1s,HUP"}, "initd: bad value for INITD_DELAY: 'HUP' (expected SIGNAL:DURATION, like TERM:10s)"},
    };
    for (const auto& c : cases) {
        INFO("initd " << Catch::Detail::stringify(c.args) << " env " << Catch::Detail::stringify(c.env));
        Launch l = initd_launch(Mode::subreaper, c.args, {"touch", marker});
        l.extra_env = c.env;
        check_refused(l, c.line);
    }
    CHECK(access(marker.c_str(), F_OK) != 0);
}
