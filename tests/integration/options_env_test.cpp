// README "Use it" and "Coming from tini, dumb-init or catatonit" (Variables), man initd(1)
// OPTIONS and ENVIRONMENT: every option and every INITD_* variable, against the real
// binary; the command line wins over the environment; bad values fail in one line.
#include <catch2/catch.hpp>

#include <chrono>
#include <csignal>
#include <fcntl.h>
#include <poll.h>
#include <set>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.hpp"

using namespace harness;

namespace {

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// The signals each of the tree's three processes received after a SIGTERM to initd.
struct TreeResult {
    std::multiset<std::string> lines;
    int code;
    bool all_got_term() const {
        return lines.count("child 15") == 1 && lines.count("grandchild1 15") == 1 && lines.count("grandchild2 15") == 1;
    }
    bool only_child_got_term() const {
        return lines.count("child 15") == 1 && lines.count("grandchild1 15") == 0 && lines.count("grandchild2 15") == 0;
    }
};

// initd with `args` and `env` running the tree helper.
TreeResult term_the_tree(Mode mode, const std::vector<std::string>& args, const std::vector<std::string>& env) {
    Launch l = initd_launch(mode, args, {helper("tree")});
    l.extra_env = env;
    Started started(l);
    for (int i = 0; i < 3; ++i) {
        auto ready = started.reporter.line();
        REQUIRE(ready);
        REQUIRE(ready->rfind("ready ", 0) == 0);
    }
    REQUIRE(started.process.signal(SIGTERM) == 0);
    TreeResult r;
    for (auto line = started.reporter.line(); line && *line != "done"; line = started.reporter.line()) r.lines.insert(*line);
    r.code = started.process.wait();
    // Each grandchild got the tree's own SIGUSR2: it saw everything it was sent.
    CHECK(r.lines.count("grandchild1 12") == 1);
    CHECK(r.lines.count("grandchild2 12") == 1);
    return r;
}

// The probe's line, run by initd with `args` and `env`; `probe_path`: the probe or its
// copy for another user.
std::string fields_of_probe(Mode mode, const std::vector<std::string>& args, const std::vector<std::string>& env,
                            const std::string& probe_path = helper("probe")) {
    Launch l = initd_launch(mode, args, {probe_path});
    l.extra_env = env;
    return probe(l)[0];
}

}  // namespace

TEST_CASE("option -g, --process-group, --setsid and their variables signal the child's whole group", "[dropin]") {
    Mode mode = GENERATE(Mode::pid1, Mode::subreaper);
    INFO(mode_name(mode));
    struct Case {
        std::vector<std::string> args, env;
        bool group;
    };
    std::vector<Case> cases = {
        {{}, {}, false},
        {{"-g"}, {}, true},
        {{"--process-group"}, {}, true},
        {{"--setsid"}, {}, true},
        {{}, {"INITD_PROCESS_GROUP=1"}, true},
        {{}, {"INITD_SETSID=1"}, true},
        {{}, {"INITD_PROCESS_GROUP=0"}, false},
        // -c undoes both, wherever they came from; the command line wins.
        {{"-g", "-c"}, {}, false},
        {{"--setsid", "--single-child"}, {}, false},
        {{"-c"}, {"INITD_PROCESS_GROUP=1"}, false},
        {{"-c"}, {"INITD_SETSID=1"}, false},
        {{"-c", "-g"}, {}, true},
    };
    for (const auto& c : cases) {
        INFO("initd " << Catch::Detail::stringify(c.args) << " env " << Catch::Detail::stringify(c.env));
        auto r = term_the_tree(mode, c.args, c.env);
        if (c.group) CHECK(r.all_got_term());
        else CHECK(r.only_child_got_term());
        CHECK(r.code == 0);
    }
}

TEST_CASE("option --setsid and INITD_SETSID=1 make the child a session leader, otherwise a group leader", "[dropin]") {
    Mode mode = GENERATE(Mode::pid1, Mode::subreaper);
    INFO(mode_name(mode));
    for (auto [args, env, session] : std::vector<std::tuple<std::vector<std::string>, std::vector<std::string>, bool>>{
             {{}, {}, false}, {{"--setsid"}, {}, true}, {{}, {"INITD_SETSID=1"}, true},
             {{"-c"}, {"INITD_SETSID=1"}, false}, {{"-g"}, {}, false}}) {
        INFO("initd " << Catch::Detail::stringify(args) << " env " << Catch::Detail::stringify(env));
        auto probe = fields_of_probe(mode, args, env);
        CHECK(field(probe, "pgrp") == field(probe, "pid"));
        CHECK((field(probe, "sid") == field(probe, "pid")) == session);
    }
}

TEST_CASE("short options bundle, values attach, long options take = and abbreviate", "[dropin]") {
    Mode mode = GENERATE(Mode::pid1, Mode::subreaper);
    INFO(mode_name(mode));
    for (const auto& args : std::vector<std::vector<std::string>>{
             {"-vvv", "-gv", "-rTERM:USR1"},
             {"-vvvgrTERM:USR1"},
             {"-v", "-v", "-v", "-r", "TERM:USR1"},
             {"--verbose", "--verb", "--verbose", "--rewrite=TERM:USR1"},
             {"-vvv", "--rew", "SIGTERM:SIGUSR1"}}) {
        INFO("initd " << Catch::Detail::stringify(args));
        Recorded r(mode, args);
        CHECK(r.send(SIGTERM) == "10");
        r.finish();
        // Verbosity 3 logs each forwarded signal.
        CHECK(contains(r.process.err(), "initd: forwarded SIGUSR1 to "));
    }
}

TEST_CASE("option -v levels and INITD_VERBOSE", "[dropin]") {
    Mode mode = GENERATE(Mode::pid1, Mode::subreaper);
    INFO(mode_name(mode));
    struct Case {
        std::vector<std::string> args, env;
        bool info;
    };
    for (const auto& c : std::vector<Case>{{{}, {}, false},
                                            {{"-v"}, {}, false},
                                            {{"-vv"}, {}, true},
                                            {{}, {"INITD_VERBOSE=1"}, false},
                                            {{}, {"INITD_VERBOSE=2"}, true},
                                            {{}, {"INITD_VERBOSE=4"}, true},
                                            {{"-v"}, {"INITD_VERBOSE=1"}, true}}) {
        INFO("initd " << Catch::Detail::stringify(c.args) << " env " << Catch::Detail::stringify(c.env));
        Launch l = initd_launch(mode, c.args, {"true"});
        l.extra_env = c.env;
        auto r = run(l);
        CHECK(r.code == 0);
        CHECK(contains(r.err, "initd: started 'true' as pid ") == c.info);
        CHECK(r.out.empty());
    }
}

TEST_CASE("option -e, --expect-exit and INITD_EXPECT_EXIT map exit statuses to 0", "[dropin]") {
    Mode mode = GENERATE(Mode::pid1, Mode::subreaper);
    INFO(mode_name(mode));
    struct Case {
        std::vector<std::string> args, env;
        int code;
    };
    std::string exit_with = helper("exit_with");
    for (const auto& c : std::vector<Case>{
             {{exit_with, "signal", "15"}, {}, 143},
             {{"-e", "143", exit_with, "signal", "15"}, {}, 0},
             {{"-e143", exit_with, "signal", "15"}, {}, 0},
             {{"--expect-exit", "3", "-e", "4", exit_with, "4"}, {}, 0},
             {{"--expect-exit=3", exit_with, "3"}, {}, 0},
             {{"-e", "3", exit_with, "5"}, {}, 5},
             {{"-e", "3", exit_with, "0"}, {}, 0},
             {{exit_with, "signal", "15"}, {"INITD_EXPECT_EXIT=3,143"}, 0},
             {{exit_with, "3"}, {"INITD_EXPECT_EXIT=3,143"}, 0},
             {{exit_with, "4"}, {"INITD_EXPECT_EXIT=3,143"}, 4},
             {{"-e", "4", exit_with, "4"}, {"INITD_EXPECT_EXIT=3"}, 0},
         }) {
        INFO("initd " << Catch::Detail::stringify(c.args) << " env " << Catch::Detail::stringify(c.env));
        // No "--": the command is the first argument that is not an option.
        Launch l = initd_launch(mode, c.args);
        l.extra_env = c.env;
        auto r = run(l);
        CHECK(r.code == c.code);
        CHECK(r.err.empty());
    }
}

TEST_CASE("option -w, --warn-reap log every reaped orphan", "[dropin]") {
    Mode mode = GENERATE(Mode::pid1, Mode::subreaper);
    INFO(mode_name(mode));
    for (const std::string option : {"-w", "--warn-reap", ""}) {
        INFO("option '" << option << "'");
        std::vector<std::string> options;
        if (!option.empty()) options.push_back(option);
        auto r = run(initd_launch(mode, options, {helper("zombie_factory"), "3"}));
        CHECK(r.code == 0);
        int reaped = 0;
        for (const auto& line : lines_of(r.err)) {
            CHECK(line.rfind("initd: Reaped zombie process with pid=", 0) == 0);
            CHECK(contains(line, " (exit code 0)"));
            ++reaped;
        }
        CHECK(reaped == (option.empty() ? 0 : 3));
    }
}

TEST_CASE("option -l, -L, --license print the license", "[dropin]") {
    for (const std::string option : {"-l", "-L", "--license", "--lic"}) {
        INFO(option);
        auto r = run(initd_launch(Mode::subreaper, {option}));
        CHECK(r.code == 0);
        CHECK(r.out.rfind("initd is distributed under the MIT License.\n", 0) == 0);
        CHECK(r.err.empty());
    }
}

TEST_CASE("option -P, --pause run no child, reap orphans and exit 0 on SIGTERM or SIGINT", "[dropin]") {
    Mode mode = GENERATE(Mode::pid1, Mode::subreaper);
    INFO(mode_name(mode));
    // A pending signal is taken as soon as initd has blocked everything.
    for (auto [option, sig] : std::vector<std::pair<std::string, int>>{
             {"-P", SIGTERM}, {"--pause", SIGINT}, {"-P", SIGINT}, {"--pause", SIGTERM}}) {
        INFO(option << " signal " << sig);
        Launch l = initd_launch(mode, {option});
        l.pending_signal = sig;
        auto r = run(l);
        CHECK(r.code == 0);
        CHECK(r.err.empty());
    }
    // Called as catatonit (podman's pause containers).
    Launch l = initd_launch(mode, {"-P"}, {}, "catatonit");
    l.pending_signal = SIGTERM;
    CHECK(run(l).code == 0);
    // A command with --pause is a usage error.
    check_refused(initd_launch(mode, {"-P", "true"}), "initd: --pause runs no command, but got 'true'; try 'initd --help'");
}

TEST_CASE("option -P reaps the orphans of its namespace until SIGTERM", "[dropin]") {
    // Only as PID 1 can anything outside initd become its orphan.
    Reporter err;  // initd's stderr
    Launch l = initd_launch(Mode::pid1, {"-P", "-w"});
    l.stderr_fd = err.write_fd;
    Process p(l);
    err.launched();
    std::string ns = "/proc/" + std::to_string(p.pid()) + "/ns/pid";
    for (int orphan = 0; orphan < 3; ++orphan) {
        // A process in initd's namespace whose parent is gone: initd adopts it.
        pid_t middle = fork();
        REQUIRE(middle >= 0);
        if (middle == 0) {
            int fd = open(ns.c_str(), O_RDONLY);
            if (fd < 0 || setns(fd, CLONE_NEWPID) < 0) _exit(3);
            // The first process in the namespace has its parent outside, so its orphan
            // would go to the host's reaper; its own child's orphan goes to initd.
            pid_t inside = fork();
            if (inside < 0) _exit(4);
            if (inside == 0) {
                pid_t orphan = fork();
                if (orphan == 0) _exit(7);
                _exit(orphan < 0 ? 5 : 0);
            }
            int status;
            if (waitpid(inside, &status, 0) != inside || !WIFEXITED(status)) _exit(6);
            _exit(WEXITSTATUS(status));
        }
        int status;
        REQUIRE(waitpid(middle, &status, 0) == middle);
        REQUIRE(WIFEXITED(status));
        REQUIRE(WEXITSTATUS(status) == 0);
    }
    std::string log;
    for (int reaped = 0; reaped < 3; ++reaped) {
        INFO("stderr so far:\n" << log);
        REQUIRE(err.wait_for("(exit code 7)", log));
        REQUIRE(lines_of(log).back().rfind("initd: Reaped zombie process with pid=", 0) == 0);
    }
    // Other signals do not end it; SIGTERM does.
    REQUIRE(p.signal(SIGUSR1) == 0);
    REQUIRE(p.signal(SIGHUP) == 0);
    REQUIRE(p.signal(SIGTERM) == 0);
    CHECK(p.wait() == 0);
}

TEST_CASE("option -p, --pdeathsig and INITD_PDEATHSIG: initd dies when its parent does", "[dropin]") {
    Mode mode = GENERATE(Mode::pid1, Mode::subreaper);
    INFO(mode_name(mode));
    for (auto [args, env] : std::vector<std::pair<std::vector<std::string>, std::vector<std::string>>>{
             {{"-p", "SIGKILL"}, {}}, {{"--pdeathsig", "9"}, {}}, {{"-pKILL"}, {}}, {{}, {"INITD_PDEATHSIG=KILL"}}}) {
        INFO("initd " << Catch::Detail::stringify(args) << " env " << Catch::Detail::stringify(env));
        // initd's parent is an intermediate process, which says initd's and the
        // recorder's pids once the recorder is ready, and then waits to be killed.
        int pids[2];
        REQUIRE(pipe2(pids, O_CLOEXEC) == 0);
        pid_t parent = fork();
        REQUIRE(parent >= 0);
        if (parent == 0) {
            const std::vector<std::string> variables = env;
            // Never destroyed: this process is SIGKILLed.
            auto* r = new Recorded(mode, args, [&](Launch& l) { l.extra_env = variables; });
            pid_t both[2] = {r->process.pid(), r->recorder};
            (void)!write(pids[1], both, sizeof both);
            for (;;) pause();
        }
        close(pids[1]);
        // The recorder's "ready" means initd has applied -p (it does so before spawning).
        pid_t both[2] = {0, 0};
        REQUIRE(read(pids[0], both, sizeof both) == sizeof both);
        close(pids[0]);
        auto [initd, recorder] = both;
        int pidfd = static_cast<int>(syscall(SYS_pidfd_open, initd, 0));
        REQUIRE(pidfd >= 0);
        pollfd alive{pidfd, POLLIN, 0};
        CHECK(poll(&alive, 1, 0) == 0);
        kill(parent, SIGKILL);
        REQUIRE(waitpid(parent, nullptr, 0) == parent);
        pollfd gone{pidfd, POLLIN, 0};
        bool died = poll(&gone, 1, 10000) == 1;
        CHECK(died);
        if (!died) syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, nullptr, 0);  // leave nothing behind
        close(pidfd);
        if (mode == Mode::subreaper) {
            // The recorder outlives initd (initd died of SIGKILL): clean it up.
            kill(recorder, SIGKILL);
        }
    }
}

TEST_CASE("INITD_REWRITE: comma-separated rules, -r wins for the same signal", "[dropin]") {
    Mode mode = GENERATE(Mode::pid1, Mode::subreaper);
    INFO(mode_name(mode));
    Recorded r(mode, {"-r", "TERM:USR1"},
               [](Launch& l) { l.extra_env = {"INITD_REWRITE=15:3,HUP:0,SIGWINCH:RTMIN+2"}; });
    CHECK(r.send(SIGTERM) == std::to_string(SIGUSR1));
    REQUIRE(r.process.signal(SIGHUP) == 0);  // dropped: the next line is WINCH's
    CHECK(r.send(SIGWINCH) == std::to_string(SIGRTMIN + 2));
    r.finish();
}

TEST_CASE("INITD_GRACE and --grace: how long the rest get after SIGTERM", "[dropin]") {
    Mode mode = GENERATE(Mode::pid1, Mode::subreaper);
    INFO(mode_name(mode));
    struct Case {
        std::vector<std::string> args, env;
        long long at_least_ms, below_ms;
    };
    for (const auto& c : std::vector<Case>{{{}, {"INITD_GRACE=400ms"}, 350, 4000},
                                            {{"--grace", "100ms"}, {"INITD_GRACE=10s"}, 0, 4000},
                                            {{"--grace=400ms"}, {"INITD_GRACE=0"}, 350, 4000}}) {
        INFO("initd " << Catch::Detail::stringify(c.args) << " env " << Catch::Detail::stringify(c.env));
        // The main child (sh) leaves a process that ignores SIGTERM behind and exits
        // when the test writes a line to its stdin.
        int in[2];
        REQUIRE(pipe2(in, O_CLOEXEC) == 0);
        Launch l = initd_launch(mode, c.args, {"sh", "-c", "\"$0\" & read line; exit 0", helper("term_ignorer")});
        l.extra_env = c.env;
        l.stdin_fd = in[0];
        Started started(l);
        close(in[0]);
        REQUIRE(started.reporter.line());
        auto start = Clock::now();
        REQUIRE(write(in[1], "\n", 1) == 1);
        CHECK(started.process.wait() == 0);
        auto took = ms_since(start);
        CHECK(took >= c.at_least_ms);
        CHECK(took < c.below_ms);
        close(in[1]);
    }
}

TEST_CASE("INITD_KILL_AFTER and --kill-after: SIGKILL a child that ignores SIGTERM", "[dropin]") {
    Mode mode = GENERATE(Mode::pid1, Mode::subreaper);
    INFO(mode_name(mode));
    for (auto [args, env] : std::vector<std::pair<std::vector<std::string>, std::vector<std::string>>>{
             {{}, {"INITD_KILL_AFTER=300ms"}}, {{"--kill-after", "300ms"}, {"INITD_KILL_AFTER=1m"}}}) {
        INFO("initd " << Catch::Detail::stringify(args) << " env " << Catch::Detail::stringify(env));
        Launch l = initd_launch(mode, args, {helper("term_ignorer")});
        l.extra_env = env;
        Started started(l);
        REQUIRE(started.reporter.line());
        auto start = Clock::now();
        REQUIRE(started.process.signal(SIGTERM) == 0);
        CHECK(started.process.wait() == 128 + SIGKILL);
        CHECK(ms_since(start) >= 250);
        CHECK(ms_since(start) < 20000);
    }
}

TEST_CASE("INITD_RESTART and INITD_RESTART_MAX, --restart wins", "[dropin]") {
    Mode mode = GENERATE(Mode::pid1, Mode::subreaper);
    INFO(mode_name(mode));
    struct Case {
        std::vector<std::string> args, env;
        int runs;
    };
    for (const auto& c : std::vector<Case>{{{}, {"INITD_RESTART=on-failure", "INITD_RESTART_MAX=2"}, 3},
                                            {{}, {"INITD_RESTART=always", "INITD_RESTART_MAX=1"}, 2},
                                            {{"--restart", "no"}, {"INITD_RESTART=always", "INITD_RESTART_MAX=3"}, 1},
                                            {{"--restart-max=1"}, {"INITD_RESTART=on-failure", "INITD_RESTART_MAX=3"}, 2}}) {
        INFO("initd " << Catch::Detail::stringify(c.args) << " env " << Catch::Detail::stringify(c.env));
        Launch l = initd_launch(mode, c.args, {"sh", "-c", "echo run >&3; exit 3"});
        l.extra_env = c.env;
        auto r = run(l);
        CHECK(r.code == 3);
        CHECK(r.reported.size() == static_cast<std::size_t>(c.runs));
    }
}

TEST_CASE("INITD_DELAY holds a signal before forwarding it", "[dropin]") {
    Mode mode = GENERATE(Mode::pid1, Mode::subreaper);
    INFO(mode_name(mode));
    Recorded r(mode, {}, [](Launch& l) { l.extra_env = {"INITD_DELAY=USR1:400ms,HUP:1m"}; });
    auto start = Clock::now();
    CHECK(r.send(SIGUSR1) == "10");
    CHECK(ms_since(start) >= 350);
    r.finish();
}

TEST_CASE("INITD_USER runs the child as that user, -u wins", "[dropin]") {
    Mode mode = GENERATE(Mode::pid1, Mode::subreaper);
    INFO(mode_name(mode));
    require_root("-u needs it to switch users");
    const std::string probe_path = helper_for_anyone("probe");  // nobody runs it
    CHECK(field(fields_of_probe(mode, {}, {"INITD_USER=nobody"}, probe_path), "uid") == "65534");
    CHECK(field(fields_of_probe(mode, {"-u", "0"}, {"INITD_USER=nobody"}, probe_path), "uid") == "0");
    CHECK(field(fields_of_probe(mode, {}, {"INITD_USER="}, probe_path), "uid") == "0");
}

TEST_CASE("bad values of every option and variable: exit 2, one line naming it", "[dropin]") {
    std::string marker = "/tmp/initd-options-env-test-marker";
    unlink(marker.c_str());
    struct Case {
        std::string name;  // called as
        std::vector<std::string> args, env;
        std::string line;
    };
    const std::vector<Case> cases = {
        {"initd", {"-r", "TERM"}, {}, "initd: bad value for --rewrite: bad rewrite rule 'TERM': expected FROM:TO"},
        {"initd", {"--grace", "soon"}, {}, "initd: bad value for --grace: 'soon' (expected a duration like 500ms, 5s, 2m or 1h)"},
        {"initd", {"--kill-after=5d"}, {}, "initd: bad value for --kill-after: '5d' (expected a duration like 500ms, 5s, 2m or 1h)"},
        {"initd", {"--restart", "sometimes"}, {}, "initd: bad value for --restart: 'sometimes' (expected no, on-failure or always)"},
        {"initd", {"--restart-max", "-1"}, {}, "initd: bad value for --restart-max: '-1' (expected a number of restarts)"},
        {"initd", {"--delay", "TERM"}, {}, "initd: bad value for --delay: 'TERM' (expected SIGNAL:DURATION, like TERM:10s)"},
        {"initd", {"--delay", "BOGUS:1s"}, {}, "initd: bad value for --delay: 'BOGUS:1s' (expected SIGNAL:DURATION, like TERM:10s)"},
        {"initd", {"-u", ":users"}, {}, "initd: bad value for --user: ':users' (expected USER or USER:GROUP)"},
        {"initd", {"-p", "SIGBOGUS"}, {}, "initd: bad value for --pdeathsig: 'SIGBOGUS' (expected a signal like KILL or 9)"},
        {"initd", {"-p", "65"}, {}, "initd: bad value for --pdeathsig: '65' (expected a signal like KILL or 9)"},
        {"initd", {"-e", "300"}, {}, "initd: bad value for --expect-exit: '300' (expected an exit code 0-255)"},
        {"initd", {"-e", "x"}, {}, "initd: bad value for --expect-exit: 'x' (expected an exit code 0-255)"},
        {"initd", {"--verbose=2"}, {}, "initd: option '--verbose' takes no value; try 'initd --help'"},
        {"initd", {"-p"}, {}, "initd: option '-p' needs a value (SIGNAL); try 'initd --help'"},
        {"initd", {"-e"}, {}, "initd: option '-e' needs a value (CODE); try 'initd --help'"},
        {"initd", {"--pdeathsig"}, {}, "initd: option '--pdeathsig' needs a value (SIGNAL); try 'initd --help'"},
        {"initd", {"--re", "15:3"}, {}, "initd: ambiguous option '--re'; try 'initd --help'"},
        {"initd", {"-gx"}, {}, "initd: unknown option '-x'; try 'initd --help'"},
        {"initd", {}, {"INITD_REWRITE=15"}, "initd: bad value for INITD_REWRITE: bad rewrite rule '15': expected FROM:TO"},
        {"initd", {}, {"INITD_PROCESS_GROUP=yes"}, "initd: bad value for INITD_PROCESS_GROUP: 'yes' (expected 0 or 1)"},
        {"initd", {}, {"INITD_SETSID=2"}, "initd: bad value for INITD_SETSID: '2' (expected 0 or 1)"},
        {"initd", {}, {"INITD_GRACE=1d"}, "initd: bad value for INITD_GRACE: '1d' (expected a duration like 500ms, 5s, 2m or 1h)"},
        {"initd", {}, {"INITD_KILL_AFTER=x"}, "initd: bad value for INITD_KILL_AFTER: 'x' (expected a duration like 500ms, 5s, 2m or 1h)"},
        {"initd", {}, {"INITD_RESTART=yes"}, "initd: bad value for INITD_RESTART: 'yes' (expected no, on-failure or always)"},
        {"initd", {}, {"INITD_RESTART_MAX=many"}, "initd: bad value for INITD_RESTART_MAX: 'many' (expected a number of restarts)"},
        {"initd", {}, {"INITD_USER=:0"}, "initd: bad value for INITD_USER: ':0' (expected USER or USER:GROUP)"},
        {"initd", {}, {"INITD_PDEATHSIG=NOPE"}, "initd: bad value for INITD_PDEATHSIG: 'NOPE' (expected a signal like KILL or 9)"},
        {"initd", {}, {"INITD_EXPECT_EXIT=1,256"}, "initd: bad value for INITD_EXPECT_EXIT: '256' (expected an exit code 0-255)"},
        {"initd", {}, {"INITD_DELAY=TERM:1s,TERM"}, "initd: bad value for INITD_DELAY: 'TERM' (expected SIGNAL:DURATION, like TERM:10s)"},
        {"initd", {}, {"INITD_VERBOSE=loud"}, "initd: bad value for INITD_VERBOSE: 'loud' (expected a level 0-4)"},
        // Under the peers' names their own variables are lenient (names_test.cpp), but
        // INITD_* stays strict, and a bad option exits 1 as the peer does.
        {"tini", {}, {"INITD_GRACE=1d"}, "initd: bad value for INITD_GRACE: '1d' (expected a duration like 500ms, 5s, 2m or 1h)"},
        {"dumb-init", {"--bogus"}, {}, "initd: unknown option '--bogus'; try 'dumb-init -h'"},
        {"dumb-init", {"-r", "TERM:QUIT"}, {}, "initd: bad value for --rewrite: 'TERM:QUIT' (expected s:r, with s from 1 to 31 and r from 0 to 31)"},
        {"tini", {"-p", "KILL"}, {}, "initd: bad value for -p: 'KILL' (expected a signal name like SIGKILL)"},
        {"catatonit", {}, {"CATATONIT_LOG=1"}, "initd: CATATONIT_LOG is reserved for future use"},
    };
    for (const auto& c : cases) {
        INFO(c.name << " " << Catch::Detail::stringify(c.args) << " env " << Catch::Detail::stringify(c.env));
        // A missing value must not be taken from the command that follows.
        std::vector<std::string> args = c.args;
        bool wants_value = !c.args.empty() && contains(c.line, "needs a value");
        if (!wants_value) args.insert(args.end(), {"touch", marker});
        Launch l = initd_launch(Mode::subreaper, args, {}, c.name);
        l.extra_env = c.env;
        check_refused(l, c.line, c.name == "initd" ? 2 : 1);
    }
    // An unknown user is found out before anything runs, too.
    auto r = run(initd_launch(Mode::subreaper, {"-u", "no-such-user-here", "touch", marker}));
    CHECK(r.code == 2);
    CHECK(lines_of(r.err).size() == 1);
    CHECK(contains(r.err, "no-such-user-here"));
    CHECK(access(marker.c_str(), F_OK) != 0);
}
