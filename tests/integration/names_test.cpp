// Under a peer's name initd does what the peer does (README, "Coming from tini,
// dumb-init or catatonit"): these are the behaviours the peers' own test suites check,
// written again as initd's tests. Not PID 1, the peers end differently from initd when
// the main child exits; as PID 1 every name keeps initd's grace period.
#include <catch2/catch.hpp>

#include <csignal>
#include <fcntl.h>
#include <pty.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.hpp"

using namespace harness;

namespace {

// initd called `name` with exactly `args` (a "--" only where the test writes one).
Launch as(const std::string& name, std::vector<std::string> args, Mode mode = Mode::subreaper) {
    return initd_launch(mode, std::move(args), {}, name);
}

// The recorder under a peer's name: `name options... -- recorder`.
auto called(const std::string& name) {
    return [name](Launch& l) {
        l.program = symlink_as(name);
        l.argv[0] = name;
    };
}

// The main child starts a grandchild that survives SIGTERM and says "TERM" on fd 3 for
// each one it gets; the child exits 3 once a line comes on its stdin. The grandchild
// stays in the child's process group (sh -c has no job control).
const char* kFarewellScript =
    "sh -c 'trap \"echo TERM >&3\" TERM; echo ready $$ >&3; while :; do sleep 1 & wait $!; done' >/dev/null 2>&1 & "
    "read line; exit 3";

struct Farewell {
    Reporter reporter;
    int go[2];
    pid_t grandchild = 0;
    std::optional<Process> initd;

    explicit Farewell(Launch l) {
        REQUIRE(pipe2(go, O_CLOEXEC) == 0);
        l.reporter = &reporter;
        l.stdin_fd = go[0];
        initd.emplace(l);
        close(go[0]);
        auto ready = reporter.line();
        REQUIRE(ready);
        REQUIRE(ready->rfind("ready ", 0) == 0);
        // As PID 1 the pid is the namespace's, meaningless (and dangerous) out here.
        if (l.mode == Mode::subreaper) grandchild = std::stoi(ready->substr(6));
    }
    ~Farewell() {
        if (grandchild > 0) kill(grandchild, SIGKILL);
        close(go[1]);
    }
    // Lets the child exit; returns how long initd took to follow it (ms) and its status.
    std::pair<long long, int> end_child() {
        auto start = Clock::now();
        REQUIRE(write(go[1], "x\n", 2) == 2);
        int code = initd->wait(10000);
        return {ms_since(start), code};
    }
    bool grandchild_alive() const { return kill(grandchild, 0) == 0 && state_of(grandchild) != 'Z'; }
};

}  // namespace

TEST_CASE("not PID 1, dumb-init sends one SIGTERM to the child's session and exits at once", "[names]") {
    Farewell f(as("dumb-init", {"sh", "-c", kFarewellScript}));
    auto [ms, code] = f.end_child();
    CHECK(code == 3);
    CHECK(ms < 1000);
    CHECK(f.reporter.line() == std::optional<std::string>("TERM"));
    CHECK_FALSE(f.reporter.line(300));  // exactly one
    CHECK(f.grandchild_alive());
}

TEST_CASE("not PID 1, dumb-init -c and tini and catatonit signal nobody and exit at once", "[names]") {
    for (auto launch : {as("dumb-init", {"-c", "sh", "-c", kFarewellScript}),
                        as("tini", {"--", "sh", "-c", kFarewellScript}),
                        as("tini", {"-s", "--", "sh", "-c", kFarewellScript}),
                        as("catatonit", {"--", "sh", "-c", kFarewellScript})}) {
        INFO(launch.argv[0] << " " << launch.argv[1]);
        Farewell f(launch);
        auto [ms, code] = f.end_child();
        CHECK(code == 3);
        CHECK(ms < 1000);
        CHECK_FALSE(f.reporter.line(300));
        CHECK(f.grandchild_alive());
    }
}

TEST_CASE("as PID 1 every name keeps the grace period: the rest gets SIGTERM, then SIGKILL", "[names]") {
    for (const std::string name : {"initd", "tini", "dumb-init", "catatonit"}) {
        INFO(name);
        Launch l = as(name, {"--", "sh", "-c", kFarewellScript}, Mode::pid1);
        l.extra_env = {"INITD_GRACE=500ms"};
        Farewell f(l);
        auto [ms, code] = f.end_child();
        CHECK(code == 3);
        CHECK(f.reporter.line() == std::optional<std::string>("TERM"));
        CHECK(ms >= 450);  // the grandchild survived SIGTERM: initd waited for it
        CHECK(ms < 3000);
    }
}

TEST_CASE("the peers' usage errors exit 1, initd's 2", "[names]") {
    struct Case {
        std::string name;
        std::vector<std::string> args;
        int code;
    };
    for (const auto& c : std::vector<Case>{
             {"tini", {"-z"}, 1}, {"tini", {}, 1}, {"tini", {"-w"}, 1}, {"tini", {"-h"}, 0},
             {"tini", {"-p", "KILL", "true"}, 1}, {"tini", {"-e", "256", "true"}, 1},
             {"tini", {"--version", "x"}, 1}, {"tini", {"--version"}, 0}, {"tini", {"sh", "-c", "exit 3"}, 1},
             {"dumb-init", {"--yolo", "true"}, 1}, {"dumb-init", {}, 1}, {"dumb-init", {"-r", "1:32", "true"}, 1},
             {"dumb-init", {"-r", "15:12", "-r"}, 1}, {"dumb-init", {"-V"}, 0},
             {"catatonit", {"-z", "true"}, 1}, {"catatonit", {}, 1}, {"catatonit", {"--help"}, 1},
             {"initd", {"-z", "true"}, 2}, {"initd", {}, 2}}) {
        INFO(c.name << " with " << c.args.size() << " arguments");
        auto r = run(as(c.name, c.args));
        CHECK(r.code == c.code);
        if (c.code != 0) CHECK(lines_of(r.err).size() >= 1);
    }
    // The peers' variables: lenient where the peer is, refused where it refuses.
    auto setsid_empty = as("dumb-init", {"true"});
    setsid_empty.extra_env = {"DUMB_INIT_SETSID=", "DUMB_INIT_DEBUG="};
    CHECK(run(setsid_empty).code == 0);
    auto cat_log = as("catatonit", {"true"});
    cat_log.extra_env = {"CATATONIT_LOG=1"};
    CHECK(run(cat_log).code == 1);
    auto tini_verbosity = as("tini", {"true"});
    tini_verbosity.extra_env = {"TINI_VERBOSITY=loud"};
    CHECK(run(tini_verbosity).code == 0);
}

TEST_CASE("exec failures exit as the peer does", "[names]") {
    struct Case {
        std::string name;
        std::string command;
        int code;
    };
    for (const auto& c : std::vector<Case>{{"initd", "/doesnotexist", 127}, {"initd", "/etc/passwd", 126},
                                           {"tini", "/doesnotexist", 127}, {"tini", "/etc/passwd", 126},
                                           {"dumb-init", "/doesnotexist", 2}, {"dumb-init", "/etc/passwd", 2},
                                           {"catatonit", "/doesnotexist", 1}, {"catatonit", "/etc/passwd", 1}}) {
        INFO(c.name << " " << c.command);
        // tini without -s would warn about reaping first.
        auto r = run(c.name == "tini" ? as(c.name, {"-s", c.command}) : as(c.name, {c.command}));
        CHECK(r.code == c.code);
        CHECK(lines_of(r.err).size() == 1);
    }
}

TEST_CASE("as tini, -w says 'Reaped zombie process with pid=', and warns unless a subreaper", "[names]") {
    auto r = run(as("tini", {"-s", "-w", "--", "sh", "-c", "sh -c 'exit 0' & exec sleep 0.2"}));
    CHECK(r.code == 0);
    CHECK_THAT(r.err, Catch::Contains("Reaped zombie process with pid="));
    auto warned = run(as("tini", {"--", "true"}));
    CHECK_THAT(warned.err, Catch::Contains("zombie reaping won't work"));
    auto quiet = as("tini", {"--", "true"});
    quiet.extra_env = {"TINI_VERBOSITY=0"};
    CHECK(run(quiet).err.empty());
    auto asked = run(as("tini", {"-s", "--", "true"}));
    CHECK(asked.err.empty());
}

TEST_CASE("as tini or catatonit a fault signal sent to initd kills it, as initd or dumb-init it is forwarded", "[names]") {
    for (const std::string name : {"tini", "catatonit"}) {
        INFO(name);
        Process p(as(name, {name == "tini" ? "-s" : "-g", "--", "sleep", "30"}));
        REQUIRE(wait_for_state(p.pid(), 'S', 5000));
        REQUIRE(p.signal(SIGSEGV) == 0);
        CHECK(p.wait(5000) == 128 + SIGSEGV);
    }
    Recorded initd(Mode::subreaper);
    CHECK(initd.send(SIGSEGV) == std::to_string(SIGSEGV));
    initd.finish();
    Recorded dumb(Mode::subreaper, {}, called("dumb-init"));
    CHECK(dumb.send(SIGSEGV) == std::to_string(SIGSEGV));
    dumb.finish();
}

TEST_CASE("terminal stops: dumb-init forwards and suspends itself, catatonit drops them", "[names]") {
    SECTION("dumb-init -c forwards SIGTSTP as it is, then stops; SIGCONT resumes both") {
        Recorded r(Mode::subreaper, {"-c"}, called("dumb-init"));
        for (int sig : {SIGTSTP, SIGTTIN, SIGTTOU}) {
            INFO(sig);
            CHECK(r.send(sig) == std::to_string(sig));
            CHECK(wait_for_state(r.process.pid(), 'T', 5000));
            CHECK(r.send(SIGCONT) == std::to_string(SIGCONT));
            CHECK(wait_for_state(r.process.pid(), 'T', 5000, true));
        }
        r.finish();
    }
    SECTION("dumb-init in setsid mode with a rule forwards the rule's signal and still stops") {
        Recorded r(Mode::subreaper, {"-r", "21:15"}, called("dumb-init"));
        CHECK(r.send(SIGTTIN) == std::to_string(SIGTERM));
        CHECK(wait_for_state(r.process.pid(), 'T', 5000));
        CHECK(r.send(SIGCONT) == std::to_string(SIGCONT));
        r.finish();
    }
    SECTION("catatonit drops them") {
        Recorded r(Mode::subreaper, {}, called("catatonit"));
        for (int sig : {SIGTSTP, SIGTTIN, SIGTTOU}) REQUIRE(r.process.signal(sig) == 0);
        CHECK(r.send(SIGUSR1) == std::to_string(SIGUSR1));  // nothing came before it
        CHECK(state_of(r.process.pid()) != 'T');
        r.finish();
    }
}

TEST_CASE("as dumb-init on a terminal it leads, the child reads and writes it and initd exits 0", "[names]") {
    // dumb-init's tty test: `dumb-init tac` as a session leader owning a pty.
    int master = -1;
    std::string link = symlink_as("dumb-init");
    pid_t pid = forkpty(&master, nullptr, nullptr, nullptr);
    REQUIRE(pid >= 0);
    if (pid == 0) {
        char path[] = "PATH=/usr/bin:/bin";
        char setsid_empty[] = "DUMB_INIT_SETSID=";  // as dumb-init's test fixtures set it
        char* env[] = {path, setsid_empty, nullptr};
        execle(link.c_str(), "dumb-init", "tac", nullptr, env);
        _exit(120);
    }
    REQUIRE(write(master, "1\n2\n3\n\x04\x04", 8) == 8);
    std::string out;
    char buffer[256];
    for (;;) {
        ssize_t n = read(master, buffer, sizeof buffer);
        if (n <= 0) break;
        out.append(buffer, static_cast<std::size_t>(n));
    }
    int status = 0;
    REQUIRE(waitpid(pid, &status, 0) == pid);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
    CHECK_THAT(out, Catch::Contains("3\r\n2\r\n1\r\n"));
    close(master);
}
