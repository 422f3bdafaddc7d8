// SPEC 2 step 4 and 7: under a real pseudo-terminal (as `docker run -it` gives one),
// the child gets the terminal's foreground, so an interactive program reads what is
// typed and Ctrl-C reaches it; with --setsid it leads its own session and owns the
// terminal.
#include <catch2/catch.hpp>

#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <poll.h>
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

    Launch launch(Mode mode, const std::vector<std::string>& options, const std::vector<std::string>& command) const {
        Launch l;
        l.mode = mode;
        l.argv = {"initd"};
        l.argv.insert(l.argv.end(), options.begin(), options.end());
        l.argv.push_back("--");
        l.argv.insert(l.argv.end(), command.begin(), command.end());
        l.stdin_fd = l.stdout_fd = l.stderr_fd = slave_;
        l.new_session = true;
        l.controlling_tty = slave_;
        return l;
    }
    void type(const std::string& keys) { REQUIRE(write(master_, keys.data(), keys.size()) == static_cast<ssize_t>(keys.size())); }
    // What the terminal has shown so far.
    const std::string& screen() {
        char buffer[4096];
        for (;;) {
            pollfd p{master_, POLLIN, 0};
            if (poll(&p, 1, 0) != 1 || !(p.revents & POLLIN)) break;
            ssize_t n = read(master_, buffer, sizeof buffer);
            if (n <= 0) break;
            screen_.append(buffer, static_cast<std::size_t>(n));
        }
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
        Reporter reporter;
        Launch l = pty.launch(mode, options, {helper("line_reader")});
        l.reporter = &reporter;
        Process p(l);
        REQUIRE(reporter.line());
        pty.type("hello, terminal\n");
        CHECK(reporter.line() == std::optional<std::string>("line hello, terminal"));
        CHECK(p.wait() == 0);
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
        Reporter reporter;
        Launch l = pty.launch(mode, options, {helper("tree")});
        l.reporter = &reporter;
        Process p(l);
        for (int i = 0; i < 3; ++i) REQUIRE(reporter.line());
        pty.type("\x03");
        std::set<std::string> got;
        for (int i = 0; i < 3; ++i) {
            auto line = reporter.line();
            REQUIRE(line);
            got.insert(*line);
        }
        CHECK(got == std::set<std::string>{"child 2", "grandchild1 2", "grandchild2 2"});
        REQUIRE(p.signal(SIGTERM) == 0);
        std::multiset<std::string> rest;
        for (auto line = reporter.line(); line && *line != "done"; line = reporter.line()) rest.insert(*line);
        CHECK(rest.count("child 15") == 1);
        // initd itself is not in the foreground group: it neither got nor forwarded a SIGINT.
        CHECK(rest.count("grandchild1 2") == 0);
        CHECK(rest.count("grandchild2 2") == 0);
        CHECK(p.wait() == 0);
    }
}

TEST_CASE("the child owns the terminal's foreground, with --setsid, its session too", "[tty]") {
    Mode mode = GENERATE(Mode::pid1, Mode::subreaper);
    INFO(mode_name(mode));
    for (const auto& options : std::vector<std::vector<std::string>>{{}, {"-g"}, {"--setsid"}, {"-gv", "--setsid"}}) {
        INFO("initd " << Catch::Detail::stringify(options));
        bool setsid = !options.empty() && options.back() == "--setsid";
        Pty pty;
        Reporter reporter;
        Launch l = pty.launch(mode, options, {helper("probe")});
        l.reporter = &reporter;
        Process p(l);
        auto probe = reporter.line();
        REQUIRE(probe);
        CHECK(p.wait() == 0);
        CHECK(field(*probe, "tpgrp") == field(*probe, "pgrp"));
        CHECK(field(*probe, "pgrp") == field(*probe, "pid"));
        CHECK((field(*probe, "sid") == field(*probe, "pid")) == setsid);
    }
}

TEST_CASE("with --setsid, the SIGHUP and SIGCONT of giving up the terminal are not forwarded", "[tty]") {
    Mode mode = GENERATE(Mode::pid1, Mode::subreaper);
    INFO(mode_name(mode));
    Pty pty;
    Reporter reporter;
    Launch l = pty.launch(mode, {"--setsid"}, {helper("recorder")});
    l.reporter = &reporter;
    Process p(l);
    REQUIRE(reporter.line());
    // Anything initd had pending would be forwarded before this.
    end_recorder(p, reporter);
    // A SIGHUP sent by someone afterwards is the user's: it is forwarded.
    Reporter again;
    Pty pty2;
    Launch l2 = pty2.launch(mode, {"--setsid"}, {helper("recorder")});
    l2.reporter = &again;
    Process p2(l2);
    REQUIRE(again.line());
    REQUIRE(p2.signal(SIGHUP) == 0);
    CHECK(again.line() == std::optional<std::string>("1"));
    end_recorder(p2, again);
}

TEST_CASE("Ctrl-Z on the terminal stops the job, SIGCONT to initd resumes it", "[tty][jobcontrol]") {
    Mode mode = GENERATE(Mode::pid1, Mode::subreaper);
    INFO(mode_name(mode));
    // Not with --setsid: the child's group then has no parent in its session (it is
    // "orphaned"), and the kernel discards a terminal's stop signals for such a group.
    for (const auto& options : std::vector<std::vector<std::string>>{{}, {"-g"}}) {
        INFO("initd " << Catch::Detail::stringify(options));
        Pty pty;
        Reporter reporter;
        Launch l = pty.launch(mode, options, {helper("line_reader")});
        l.reporter = &reporter;
        Process p(l);
        REQUIRE(reporter.line());
        auto kids = children_of(p.pid());
        REQUIRE(kids.size() == 1);
        pid_t child = kids[0];  // its pid as the test sees it, in both modes
        CHECK(state_of(child) != 'T');
        pty.type("\x1a");
        CHECK(wait_for_state(child, 'T', 10000));
        // While it is stopped it reads nothing: the line waits in the terminal.
        pty.type("typed while stopped\n");
        CHECK_FALSE(reporter.line(200));
        REQUIRE(p.signal(SIGCONT) == 0);
        CHECK(reporter.line() == std::optional<std::string>("line typed while stopped"));
        CHECK(p.wait() == 0);
    }
}

TEST_CASE("a restarted child gets the terminal's foreground again", "[tty]") {
    Mode mode = GENERATE(Mode::pid1, Mode::subreaper);
    INFO(mode_name(mode));
    for (const auto& options : std::vector<std::vector<std::string>>{{}, {"-g"}, {"--setsid"}}) {
        INFO("initd " << Catch::Detail::stringify(options));
        Pty pty;
        Reporter reporter;
        std::vector<std::string> all = options;
        all.insert(all.end(), {"--restart", "always", "--restart-max", "2"});
        Launch l = pty.launch(mode, all, {helper("line_reader")});
        l.reporter = &reporter;
        Process p(l);
        for (const std::string word : {"one", "two", "three"}) {
            INFO("run " << word);
            REQUIRE(reporter.line());  // this run's "ready"
            pty.type(word + "\n");
            CHECK(reporter.line() == "line " + word);
        }
        CHECK(p.wait() == 0);
    }
}
