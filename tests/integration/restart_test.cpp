// README "Restart": --restart with back-off (100 ms, doubling), --restart-max, and how a
// termination signal ends the restarting.
#include <catch2/catch.hpp>

#include <chrono>
#include <csignal>
#include <string>
#include <thread>
#include <unistd.h>

#include "harness.hpp"

using namespace harness;

namespace {

// initd with `options` running run_reporter with `child_args`.
Launch restart_launch(Mode mode, std::vector<std::string> options, std::vector<std::string> child_args) {
    child_args.insert(child_args.begin(), helper("run_reporter"));
    return initd_launch(mode, std::move(options), std::move(child_args));
}

// The monotonic start time (ns) of every run in `lines`, what run_reporter reported.
std::vector<long long> runs(const std::vector<std::string>& lines) {
    std::vector<long long> starts;
    for (const auto& line : lines) {
        REQUIRE(line.rfind("run ", 0) == 0);
        starts.push_back(std::stoll(line.substr(line.rfind(' ') + 1)));
    }
    return starts;
}

}  // namespace

TEST_CASE("restart on-failure with --restart-max 3: four runs, 100, 200, 400 ms apart", "[restart]") {
    Mode mode = GENERATE(Mode::pid1, Mode::subreaper);
    INFO(mode_name(mode));
    auto r = run(restart_launch(mode, {"--restart", "on-failure", "--restart-max", "3"}, {"1"}));
    CHECK(r.code == 1);  // the last run's status
    auto starts = runs(r.reported);
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
    auto r = run(restart_launch(mode, {"--restart", "on-failure"}, {"0"}));
    CHECK(r.code == 0);
    CHECK(runs(r.reported).size() == 1);
}

TEST_CASE("restart on-failure restarts a child killed by a signal", "[restart]") {
    Mode mode = GENERATE(Mode::pid1, Mode::subreaper);
    INFO(mode_name(mode));
    auto started = Clock::now();
    CHECK(run(initd_launch(mode, {"--restart", "on-failure", "--restart-max", "1"}, {helper("exit_with"), "signal", "9"}))
              .code == 137);
    CHECK(ms_since(started) >= 100);  // one back-off: it did run twice
}

TEST_CASE("restart always restarts a child that exits 0", "[restart]") {
    Mode mode = GENERATE(Mode::pid1, Mode::subreaper);
    INFO(mode_name(mode));
    auto r = run(restart_launch(mode, {"--restart", "always", "--restart-max", "2"}, {"0"}));
    CHECK(r.code == 0);
    CHECK(runs(r.reported).size() == 3);
}

TEST_CASE("restart no (the default) runs the child once", "[restart]") {
    Mode mode = GENERATE(Mode::pid1, Mode::subreaper);
    INFO(mode_name(mode));
    auto r = run(restart_launch(mode, {}, {"4"}));
    CHECK(r.code == 4);
    CHECK(runs(r.reported).size() == 1);
}

TEST_CASE("a termination signal during the back-off ends initd at once, with the last status", "[restart]") {
    Mode mode = GENERATE(Mode::pid1, Mode::subreaper);
    INFO(mode_name(mode));
    Launch l = restart_launch(mode, {"-v", "--restart", "always"}, {"3"});
    Started started(l, true);
    // Restarts are logged at -v; the fourth back-off is 800 ms long, time enough.
    std::string seen;
    REQUIRE(started.err.wait_for("restart 4 in 800 ms", seen));
    INFO("stderr:\n" << seen);
    CHECK(seen.find("initd: child exited with status 3; restart 1 in 100 ms\n") != std::string::npos);
    auto sent = Clock::now();
    REQUIRE(started.process.signal(SIGTERM) == 0);
    CHECK(started.process.wait() == 3);
    long long elapsed = ms_since(sent);
    INFO("initd exited " << elapsed << " ms after SIGTERM");
    CHECK(elapsed < 400);
    CHECK(runs(started.reporter.rest()).size() == 4);  // no fifth run
}

TEST_CASE("a termination signal during a run is forwarded and no restart follows", "[restart]") {
    Mode mode = GENERATE(Mode::pid1, Mode::subreaper);
    INFO(mode_name(mode));
    auto policy = GENERATE(as<std::string>{}, "on-failure", "always");
    INFO("--restart " << policy);
    Launch l = restart_launch(mode, {"--restart", policy}, {"0", "wait"});
    Started started(l);
    REQUIRE(started.reporter.line());
    REQUIRE(started.process.signal(SIGTERM) == 0);
    CHECK(started.process.wait() == 143);  // the child died of the forwarded SIGTERM
    CHECK(runs(started.reporter.rest()).empty());
}

TEST_CASE("a held termination signal also ends the restarting", "[restart]") {
    Mode mode = GENERATE(Mode::pid1, Mode::subreaper);
    INFO(mode_name(mode));
    // The child is stopped by USR1 meanwhile; the held SIGTERM must not be lost in a restart.
    Launch l = restart_launch(mode, {"--restart", "always", "--delay", "TERM:10s"}, {"0", "wait"});
    Started started(l);
    REQUIRE(started.reporter.line());
    REQUIRE(started.process.signal(SIGTERM) == 0);
    REQUIRE(started.process.signal(SIGUSR1) == 0);  // not held: kills the child (default action)
    CHECK(started.process.wait() == 128 + SIGUSR1);
    CHECK(runs(started.reporter.rest()).empty());
}

TEST_CASE("initd keeps reaping during the back-off", "[restart]") {
    Mode mode = GENERATE(Mode::pid1, Mode::subreaper);
    INFO(mode_name(mode));
    // Each run leaves an orphan that exits 100 ms later, during the back-off.
    Launch l = restart_launch(mode, {"-v", "--restart", "on-failure", "--restart-max", "5"}, {"1", "orphan", "100"});
    Started started(l, true);
    std::string seen;
    REQUIRE(started.err.wait_for("restart 4 in 800 ms", seen));
    // The fourth run's orphan exits at about 100 ms into this 800 ms back-off.
    REQUIRE(started.reporter.line());  // runs 1-4
    REQUIRE(started.reporter.line());
    REQUIRE(started.reporter.line());
    REQUIRE(started.reporter.line());
    std::this_thread::sleep_for(std::chrono::milliseconds(400));
    std::vector<pid_t> zombies;
    for (pid_t kid : children_of(started.process.pid()))
        if (state_of(kid) == 'Z') zombies.push_back(kid);
    CHECK(zombies.empty());
    CHECK(children_of(started.process.pid()).empty());
    CHECK(started.process.wait() == 1);
}
