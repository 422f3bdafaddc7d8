// man initd(1) SIGNALS, README "Use it" (--rewrite): every signal initd receives reaches
// the child, after rewriting.
#include <catch2/catch.hpp>

#include <csignal>

#include "harness.hpp"

using namespace harness;

TEST_CASE("common signals reach the child", "[forwarding]") {
    Mode mode = GENERATE(Mode::pid1, Mode::subreaper);
    INFO(mode_name(mode));
    Recorded r(mode);
    for (int sig : {SIGTERM, SIGUSR1, SIGHUP, SIGABRT, SIGINT, SIGQUIT, SIGWINCH, SIGSEGV, SIGPIPE, SIGCONT}) {
        INFO("signal " << sig);
        CHECK(r.send(sig) == std::to_string(sig));
    }
    r.finish();
}

TEST_CASE("every real-time signal 34-64 reaches the child", "[forwarding]") {
    Mode mode = GENERATE(Mode::pid1, Mode::subreaper);
    INFO(mode_name(mode));
    Recorded r(mode);
    for (int sig = 34; sig <= 64; ++sig) {
        INFO("signal " << sig);
        CHECK(r.send(sig) == std::to_string(sig));
    }
    r.finish();
}

TEST_CASE("rewrite rule 15:3 delivers SIGTERM as SIGQUIT", "[forwarding]") {
    Mode mode = GENERATE(Mode::pid1, Mode::subreaper);
    INFO(mode_name(mode));
    Recorded r(mode, {"--rewrite", "15:3"});
    CHECK(r.send(SIGTERM) == "3");
    CHECK(r.send(SIGUSR1) == "10");  // the others are untouched
    r.finish();
}

TEST_CASE("rewrite rule 15:0 drops SIGTERM", "[forwarding]") {
    Mode mode = GENERATE(Mode::pid1, Mode::subreaper);
    INFO(mode_name(mode));
    Recorded r(mode, {"-r", "TERM:0"});
    // initd takes pending signals lowest number first, so if SIGTERM were forwarded
    // it would arrive before the marker sent after it.
    REQUIRE(r.process.signal(SIGTERM) == 0);
    CHECK(r.send(SIGRTMIN + 5) == std::to_string(SIGRTMIN + 5));
    r.finish();
}

TEST_CASE("a signal that arrives before the child exists is delivered to it", "[forwarding]") {
    Mode mode = GENERATE(Mode::pid1, Mode::subreaper);
    INFO(mode_name(mode));
    // Raised with every signal blocked just before initd's exec: it is pending when
    // initd starts, before any child exists.
    Recorded r(mode, {}, [](Launch& l) { l.pending_signal = SIGUSR1; });
    CHECK(r.reporter.line() == std::optional<std::string>("10"));
    r.finish();
}
