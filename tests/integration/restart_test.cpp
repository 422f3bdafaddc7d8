// SPEC 6: --restart with back-off (100 ms, doubling), --restart-max, and how a
// termination signal ends the restarting.
#include <catch2/catch.hpp>

#include <chrono>
#include <csignal>
#include <fcntl.h>
#include <poll.h>
#include <string>
#include <thread>
#include <unistd.h>

#include "harness.hpp"

using namespace harness;

namespace {

Launch restart_launch(Mode mode, Reporter& reporter, std::vector<std::string> options,
                      std::vector<std::string> child_args) {
    Launch l;
    l.mode = mode;
    l.argv = {"initd"};
    l.argv.insert(l.argv.end(), options.begin(), options.end());
    l.argv.insert(l.argv.end(), {"--", helper("run_reporter")});
    l.argv.insert(l.argv.end(), child_args.begin(), child_args.end());
    l.reporter = &reporter;
    return l;
}

// The monotonic start time (ns) of every run the reporter has told of; `wait_ms` for each.
std::vector<long long> runs(Reporter& reporter, int wait_ms) {
    std::vector<long long> starts;
    while (auto line = reporter.line(wait_ms)) {
        REQUIRE(line->rfind("run ", 0) == 0);
        starts.push_back(std::stoll(line->substr(line->rfind(' ') + 1)));
    }
    return starts;
}

// initd's stderr, read line by line while it runs.
struct StderrPipe {
    int read_fd = -1, write_fd = -1;
    std::string buffered;
    StderrPipe() {
        int fds[2];
        REQUIRE(pipe2(fds, O_CLOEXEC) == 0);
        read_fd = fds[0];
        write_fd = fds[1];
    }
    ~StderrPipe() {
        close(read_fd);
        if (write_fd >= 0) close(write_fd);
    }
    void launched() {  // initd has its copy now
        close(write_fd);
        write_fd = -1;
    }
    // Reads until a line containing `text`; false at end of file or after 10 s of silence.
    bool wait_for(const std::string& text, std::string& seen) {
        for (;;) {
            auto nl = buffered.find('\n');
            if (nl != std::string::npos) {
                std::string line = buffered.substr(0, nl);
                buffered.erase(0, nl + 1);
                seen += line + "\n";
                if (line.find(text) != std::string::npos) return true;
                continue;
            }
            pollfd p{read_fd, POLLIN, 0};
            if (poll(&p, 1, 10000) <= 0) return false;
            char chunk[512];
            ssize_t n = read(read_fd, chunk, sizeof chunk);
            if (n <= 0) return false;
            buffered.append(chunk, static_cast<std::size_t>(n));
        }
    }
};

}  // namespace

TEST_CASE("restart on-failure with --restart-max 3: four runs, 100, 200, 400 ms apart", "[restart]") {
    Mode mode = GENERATE(Mode::pid1, Mode::subreaper);
    INFO(mode_name(mode));
    Reporter reporter;
    Process p(restart_launch(mode, reporter, {"--restart", "on-failure", "--restart-max", "3"}, {"1"}));
    CHECK(p.wait() == 1);  // the last run's status
    auto starts = runs(reporter, 100);
    REQUIRE(starts.size() == 4);
    long long expected[] = {100, 200, 400};
    for (int i = 0; i < 3; ++i) {
        long long gap = (starts[i + 1] - starts[i]) / 1000000;
        INFO("between run " << i + 1 << " and " << i + 2 << ": " << gap << " ms");
        CHECK(gap >= expected[i]);
        CHECK(gap < expected[i] + 150);
    }
}

TEST_CASE("restart on-failure does not restart a child that exits 0", "[restart]") {
    Mode mode = GENERATE(Mode::pid1, Mode::subreaper);
    INFO(mode_name(mode));
    Reporter reporter;
    Process p(restart_launch(mode, reporter, {"--restart", "on-failure"}, {"0"}));
    CHECK(p.wait() == 0);
    CHECK(runs(reporter, 300).size() == 1);
}

TEST_CASE("restart on-failure restarts a child killed by a signal", "[restart]") {
    Mode mode = GENERATE(Mode::pid1, Mode::subreaper);
    INFO(mode_name(mode));
    Reporter reporter;
    Launch l;
    l.mode = mode;
    l.argv = {"initd", "--restart", "on-failure", "--restart-max", "1", "--", helper("exit_with"), "signal", "9"};
    l.reporter = &reporter;
    auto started = Clock::now();
    CHECK(run(l).code == 137);
    CHECK(ms_since(started) >= 100);  // one back-off: it did run twice
}

TEST_CASE("restart always restarts a child that exits 0", "[restart]") {
    Mode mode = GENERATE(Mode::pid1, Mode::subreaper);
    INFO(mode_name(mode));
    Reporter reporter;
    Process p(restart_launch(mode, reporter, {"--restart", "always", "--restart-max", "2"}, {"0"}));
    CHECK(p.wait() == 0);
    CHECK(runs(reporter, 100).size() == 3);
}

TEST_CASE("restart no (the default) runs the child once", "[restart]") {
    Mode mode = GENERATE(Mode::pid1, Mode::subreaper);
    INFO(mode_name(mode));
    Reporter reporter;
    Process p(restart_launch(mode, reporter, {}, {"4"}));
    CHECK(p.wait() == 4);
    CHECK(runs(reporter, 300).size() == 1);
}

TEST_CASE("a termination signal during the back-off ends initd at once, with the last status", "[restart]") {
    Mode mode = GENERATE(Mode::pid1, Mode::subreaper);
    INFO(mode_name(mode));
    Reporter reporter;
    StderrPipe err;
    Launch l = restart_launch(mode, reporter, {"-v", "--restart", "always"}, {"3"});
    l.stderr_fd = err.write_fd;
    Process p(l);
    err.launched();
    // Restarts are logged at -v; the fourth back-off is 800 ms long, time enough.
    std::string seen;
    REQUIRE(err.wait_for("restart 4 in 800 ms", seen));
    INFO("stderr:\n" << seen);
    CHECK(seen.find("initd: child exited with status 3; restart 1 in 100 ms\n") != std::string::npos);
    auto sent = Clock::now();
    REQUIRE(p.signal(SIGTERM) == 0);
    CHECK(p.wait() == 3);
    long long elapsed = ms_since(sent);
    INFO("initd exited " << elapsed << " ms after SIGTERM");
    CHECK(elapsed < 400);
    CHECK(runs(reporter, 100).size() == 4);  // no fifth run
}

TEST_CASE("a termination signal during a run is forwarded and no restart follows", "[restart]") {
    Mode mode = GENERATE(Mode::pid1, Mode::subreaper);
    INFO(mode_name(mode));
    auto policy = GENERATE(as<std::string>{}, "on-failure", "always");
    INFO("--restart " << policy);
    Reporter reporter;
    Process p(restart_launch(mode, reporter, {"--restart", policy}, {"0", "wait"}));
    REQUIRE(reporter.line());
    REQUIRE(p.signal(SIGTERM) == 0);
    CHECK(p.wait() == 143);  // the child died of the forwarded SIGTERM
    CHECK(runs(reporter, 300).empty());
}

TEST_CASE("a held termination signal also ends the restarting", "[restart]") {
    Mode mode = GENERATE(Mode::pid1, Mode::subreaper);
    INFO(mode_name(mode));
    Reporter reporter;
    // The child is stopped by USR1 meanwhile; the held SIGTERM must not be lost in a restart.
    Process p(restart_launch(mode, reporter, {"--restart", "always", "--delay", "TERM:10s"}, {"0", "wait"}));
    REQUIRE(reporter.line());
    REQUIRE(p.signal(SIGTERM) == 0);
    REQUIRE(p.signal(SIGUSR1) == 0);  // not held: kills the child (default action)
    CHECK(p.wait() == 128 + SIGUSR1);
    CHECK(runs(reporter, 300).empty());
}

TEST_CASE("initd keeps reaping during the back-off", "[restart]") {
    Mode mode = GENERATE(Mode::pid1, Mode::subreaper);
    INFO(mode_name(mode));
    Reporter reporter;
    StderrPipe err;
    // Each run leaves an orphan that exits 100 ms later, during the back-off.
    Launch l = restart_launch(mode, reporter, {"-v", "--restart", "on-failure", "--restart-max", "5"},
                              {"1", "orphan", "100"});
    l.stderr_fd = err.write_fd;
    Process p(l);
    err.launched();
    std::string seen;
    REQUIRE(err.wait_for("restart 4 in 800 ms", seen));
    // The fourth run's orphan exits at about 100 ms into this 800 ms back-off.
    REQUIRE(reporter.line());  // runs 1-4
    REQUIRE(reporter.line());
    REQUIRE(reporter.line());
    REQUIRE(reporter.line());
    std::this_thread::sleep_for(std::chrono::milliseconds(400));
    std::vector<pid_t> zombies;
    for (pid_t kid : children_of(p.pid()))
        if (state_of(kid) == 'Z') zombies.push_back(kid);
    CHECK(zombies.empty());
    CHECK(children_of(p.pid()).empty());
    CHECK(p.wait() == 1);
}
