// README "Shutdown" (--delay) and "How it works" (no wake-ups while idle): a held signal is
// forwarded at its deadline, and initd sleeps in one wait until then, or for ever when
// nothing is due.
#include <catch2/catch.hpp>

#include <chrono>
#include <csignal>
#include <thread>

#include "harness.hpp"

using namespace harness;

namespace {

// How often the process has gone to sleep of its own accord: a wake-up from
// sigtimedwait and the next wait count one each.
long voluntary_switches(pid_t pid) {
    auto status = read_file("/proc/" + std::to_string(pid) + "/status");
    if (!status) return -1;
    for (const auto& line : lines_of(*status))
        if (line.rfind("voluntary_ctxt_switches:", 0) == 0) return std::stol(line.substr(24));
    return -1;
}

void idle_for(int ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); }

}  // namespace

TEST_CASE("with --delay TERM:500ms SIGTERM is forwarded 500 ms after it came", "[delay]") {
    Mode mode = GENERATE(Mode::pid1, Mode::subreaper);
    INFO(mode_name(mode));
    Recorded r(mode, {"--delay", "TERM:500ms"});
    auto sent = Clock::now();
    REQUIRE(r.process.signal(SIGTERM) == 0);
    CHECK(r.reporter.line() == std::optional<std::string>("15"));
    long long held = ms_since(sent);
    INFO("SIGTERM was held " << held << " ms");
    CHECK(held >= 450);
    CHECK(held < 1000);
    REQUIRE(r.process.signal(SIGUSR1) == 0);  // other signals are not held
    CHECK(r.reporter.line(400) == std::optional<std::string>("10"));
    r.finish();
}

TEST_CASE("a delay applies to the signal after rewriting", "[delay]") {
    Mode mode = GENERATE(Mode::pid1, Mode::subreaper);
    INFO(mode_name(mode));
    Recorded r(mode, {"-r", "USR1:TERM", "--delay", "15:400ms"});
    auto sent = Clock::now();
    REQUIRE(r.process.signal(SIGUSR1) == 0);
    CHECK(r.reporter.line() == std::optional<std::string>("15"));
    long long held = ms_since(sent);
    INFO("USR1 (as SIGTERM) was held " << held << " ms");
    CHECK(held >= 350);
    CHECK(held < 1000);
    r.finish();
}

TEST_CASE("a second copy of a held signal does not restart the clock", "[delay]") {
    Mode mode = GENERATE(Mode::pid1, Mode::subreaper);
    INFO(mode_name(mode));
    Recorded r(mode, {"--delay", "TERM:1s"});
    auto sent = Clock::now();
    REQUIRE(r.process.signal(SIGTERM) == 0);
    CHECK_FALSE(r.reporter.line(600));  // still held
    REQUIRE(r.process.signal(SIGTERM) == 0);
    CHECK(r.reporter.line() == std::optional<std::string>("15"));
    long long held = ms_since(sent);
    INFO("SIGTERM was held " << held << " ms");
    CHECK(held >= 950);
    CHECK(held < 1450);  // a restarted clock would say 1600
    r.finish();  // and it came once: the next line is USR2's
}

TEST_CASE("the child exiting while a signal is held ends initd as usual", "[delay]") {
    Mode mode = GENERATE(Mode::pid1, Mode::subreaper);
    INFO(mode_name(mode));
    Recorded r(mode, {"--delay", "TERM:5s"});
    REQUIRE(r.process.signal(SIGTERM) == 0);
    auto sent = Clock::now();
    r.finish();  // USR2 is not held: the recorder exits 0 and initd with it
    CHECK(ms_since(sent) < 1500);
}

TEST_CASE("idle, initd does not wake up, and with a deadline pending only at the deadline", "[delay]") {
    Mode mode = GENERATE(Mode::pid1, Mode::subreaper);
    INFO(mode_name(mode));
    Recorded r(mode, {"--delay", "TERM:1500ms"});
    pid_t initd = r.process.pid();
    idle_for(100);  // let initd finish its start-up and go to sleep
    REQUIRE(wait_for_state(initd, 'S', 2000));
    long before = voluntary_switches(initd);
    REQUIRE(before >= 0);
    idle_for(1000);
    CHECK(voluntary_switches(initd) == before);  // no wake-up at all in one idle second

    auto sent = Clock::now();
    REQUIRE(r.process.signal(SIGTERM) == 0);  // held for 1.5 s: one timed wait
    idle_for(200);
    before = voluntary_switches(initd);
    idle_for(1000);
    CHECK(voluntary_switches(initd) == before);  // no polling while it waits for the deadline
    CHECK(r.reporter.line() == std::optional<std::string>("15"));
    long long held = ms_since(sent);
    CHECK(held >= 1450);
    CHECK(held < 2000);
    r.finish();
}
