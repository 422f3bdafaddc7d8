// README "Coming from tini, dumb-init or catatonit" (Terminals and job control): under a
// real pseudo-terminal (as `docker run -it` gives one),
// the child gets the terminal's foreground, so an interactive program reads what is
// typed and Ctrl-C reaches it; with --setsid it leads its own session and owns the
// terminal.
#include <catch2/catch.hpp>

#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <set>
#include <unistd.h>

#include "harness.hpp"

using namespace harness;

namespace {

// A pseudo-terminal driven from the test: initd's stdin, stdout and stderr are the
// slave, which is also the controlling terminal of initd's session (as a terminal
// emulator or `docker run -it` sets it up); the test types into the master.
class Pty {
public:
    Pty() {
        master_ = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
        REQUIRE(master_ >= 0);
        REQUIRE(grantpt(master_) == 0);
        REQUIRE(unlockpt(master_) == 0);
        slave_ = open(ptsname(master_), O_RDWR | O_NOCTTY | O_CLOEXEC);
        REQUIRE(slave_ >= 0);
    }
    ~Pty() {
        close(slave_);
        close(master_);
    }
    Pty(const Pty&) = delete;
    Pty& operator=(const Pty&) = delete;

    // initd's stdin, stdout and stderr become the slave, its controlling terminal.
    void attach(Launch& l) const {
        l.stdin_fd = l.stdout_fd = l.stderr_fd = slave_;
        l.new_session = true;
        l.controlling_tty = slave_;
    }
    Launch launch(Mode mode, const std::vector<std::string>& options, const std::vector<std::string>& command) const {
        Launch l = initd_launch(mode, options, command);
        attach(l);
        return l;
    }
    void type(const std::string& keys) { REQUIRE(write(master_, keys.data(), keys.size()) == static_cast<ssize_t>(keys.size())); }
    // What the terminal has shown so far.
    const std::string& screen() {
        screen_ += read_available(master_, 0);
        return screen_;
    }

private:
    int master_ = -1, slave_ = -1;
    std::string screen_;
};

}  // namespace

TEST_CASE("an interactive child reads a line typed on the terminal", "[tty]") {
    Mode mode = GENERATE(Mode::pid1, Mode::subreaper);
    INFO(mode_name(mode));
    for (const auto& options : std::vector<std::vector<std::string>>{{}, {"-g"}, {"--setsid"}}) {
        INFO("initd " << Catch::Detail::stringify(options));
        Pty pty;
        Launch l = pty.launch(mode, options, {helper("line_reader")});
        Started started(l);
        REQUIRE(started.reporter.line());
        pty.type("hello, terminal\n");
        CHECK(started.reporter.line() == std::optional<std::string>("line hello, terminal"));
        CHECK(started.process.wait() == 0);
        // The terminal echoed what was typed: it is in its normal, canonical mode.
        CHECK(pty.screen().find("hello, terminal") != std::string::npos);
    }
}

TEST_CASE("Ctrl-C on the terminal reaches the child's whole process group", "[tty]") {
    Mode mode = GENERATE(Mode::pid1, Mode::subreaper);
    INFO(mode_name(mode));
    for (const auto& options : std::vector<std::vector<std::string>>{{}, {"-g"}, {"--setsid"}}) {
        INFO("initd " << Catch::Detail::stringify(options));
        Pty pty;
        Launch l = pty.launch(mode, options, {helper("tree")});
        Started started(l);
        for (int i = 0; i < 3; ++i) REQUIRE(started.reporter.line());
        pty.type("\x03");
        std::set<std::string> got;
        for (int i = 0; i < 3; ++i) {
            auto line = started.reporter.line();
            REQUIRE(line);
            got.insert(*line);
        }
        CHECK(got == std::set<std::string>{"child 2", "grandchild1 2", "grandchild2 2"});
        REQUIRE(started.process.signal(SIGTERM) == 0);
        std::multiset<std::string> rest;
        for (auto line = started.reporter.line(); line && *line != "done"; line = started.reporter.line()) rest.insert(*line);
        CHECK(rest.count("child 15") == 1);
        // initd itself is not in the foreground group: it neither got nor forwarded a SIGINT.
        CHECK(rest.count("grandchild1 2") == 0);
        CHECK(rest.count("grandchild2 2") == 0);
        CHECK(started.process.wait() == 0);
    }
}

TEST_CASE("the child owns the terminal's foreground, with --setsid, its session too", "[tty]") {
    Mode mode = GENERATE(Mode::pid1, Mode::subreaper);
    INFO(mode_name(mode));
    for (const auto& options : std::vector<std::vector<std::string>>{{}, {"-g"}, {"--setsid"}, {"-gv", "--setsid"}}) {
        INFO("initd " << Catch::Detail::stringify(options));
        bool setsid = !options.empty() && options.back() == "--setsid";
        Pty pty;
        auto line = probe(pty.launch(mode, options, {helper("probe")}))[0];
        CHECK(field(line, "tpgrp") == field(line, "pgrp"));
        CHECK(field(line, "pgrp") == field(line, "pid"));
        CHECK((field(line, "sid") == field(line, "pid")) == setsid);
    }
}

TEST_CASE("with --setsid, the SIGHUP and SIGCONT of giving up the terminal are not forwarded", "[tty]") {
    Mode mode = GENERATE(Mode::pid1, Mode::subreaper);
    INFO(mode_name(mode));
    {
        Pty pty;
        Recorded r(mode, {"--setsid"}, [&](Launch& l) { pty.attach(l); });
        // Anything initd had pending would be forwarded before this.
        r.finish();
    }
    // A SIGHUP sent by someone afterwards is the user's: it is forwarded.
    Pty pty;
    Recorded r(mode, {"--setsid"}, [&](Launch& l) { pty.attach(l); });
    CHECK(r.send(SIGHUP) == "1");
    r.finish();
}

TEST_CASE("Ctrl-Z on the terminal stops the job, SIGCONT to initd resumes it", "[tty][jobcontrol]") {
    Mode mode = GENERATE(Mode::pid1, Mode::subreaper);
    INFO(mode_name(mode));
    // Not with --setsid: the child's group then has no parent in its session (it is
    // "orphaned"), and the kernel discards a terminal's stop signals for such a group.
    for (const auto& options : std::vector<std::vector<std::string>>{{}, {"-g"}}) {
        INFO("initd " << Catch::Detail::stringify(options));
        Pty pty;
        Launch l = pty.launch(mode, options, {helper("line_reader")});
        Started started(l);
        REQUIRE(started.reporter.line());
        auto kids = children_of(started.process.pid());
        REQUIRE(kids.size() == 1);
        pid_t child = kids[0];  // its pid as the test sees it, in both modes
        CHECK(state_of(child) != 'T');
        pty.type("\x1a");
        CHECK(wait_for_state(child, 'T', 10000));
        // While it is stopped it reads nothing: the line waits in the terminal.
        pty.type("typed while stopped\n");
        CHECK_FALSE(started.reporter.line(200));
        REQUIRE(started.process.signal(SIGCONT) == 0);
        CHECK(started.reporter.line() == std::optional<std::string>("line typed while stopped"));
        CHECK(started.process.wait() == 0);
    }
}

TEST_CASE("a restarted child gets the terminal's foreground again", "[tty]") {
    Mode mode = GENERATE(Mode::pid1, Mode::subreaper);
    INFO(mode_name(mode));
    for (const auto& options : std::vector<std::vector<std::string>>{{}, {"-g"}, {"--setsid"}}) {
        INFO("initd " << Catch::Detail::stringify(options));
        Pty pty;
        std::vector<std::string> all = options;
        all.insert(all.end(), {"--restart", "always", "--restart-max", "2"});
        Launch l = pty.launch(mode, all, {helper("line_reader")});
        Started started(l);
        for (const std::string word : {"one", "two", "three"}) {
            INFO("run " << word);
            REQUIRE(started.reporter.line());  // this run's "ready"
            pty.type(word + "\n");
            CHECK(started.reporter.line() == "line " + word);
        }
        CHECK(started.process.wait() == 0);
    }
}
