// README "Hardening" (Stress and resources): initd under load and in hostile surroundings, the real binary in both
// modes. Floods of signals and orphans, a child that outruns the shutdown by forking,
// standard descriptors that are closed or full, a terminal that goes away, and a
// fork that fails for lack of processes.
#include <catch2/catch.hpp>

#include <array>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <map>
#include <pty.h>
#include <sstream>
#include <thread>
#include <unistd.h>

#include "harness.hpp"

using namespace harness;

namespace {

// kill(2), waiting while the kernel's queue of real-time signals is full (EAGAIN):
// the flood is as fast as initd can take it, and every signal is sent exactly once.
void send(const Process& p, int sig) {
    while (p.signal(sig) != 0) {
        REQUIRE(errno == EAGAIN);
        std::this_thread::yield();
    }
}

// The next reported line that is not `skip`, or nullopt.
std::optional<std::string> line_other_than(Reporter& r, const std::string& skip, int timeout_ms) {
    for (;;) {
        auto l = r.line(timeout_ms);
        if (!l || *l != skip) return l;
    }
}

// Processes whose command line holds `token` (forkers that outlived the test's initd).
int processes_with(const std::string& token) {
    int found = 0;
    DIR* proc = opendir("/proc");
    REQUIRE(proc);
    while (dirent* e = readdir(proc)) {
        if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
        int fd = open((std::string("/proc/") + e->d_name + "/cmdline").c_str(), O_RDONLY);
        if (fd < 0) continue;
        char buffer[4096];
        ssize_t n = read(fd, buffer, sizeof buffer);
        close(fd);
        if (n > 0 && std::string(buffer, static_cast<std::size_t>(n)).find(token) != std::string::npos) ++found;
    }
    closedir(proc);
    return found;
}

}  // namespace

TEST_CASE("100000 mixed signals: initd forwards them all and stays responsive", "[stress]") {
    Mode mode = GENERATE(Mode::pid1, Mode::subreaper);
    INFO(mode_name(mode));
    Launch l = initd_launch(mode, {}, {helper("stress_counter")});
    Started started(l);
    auto ready = started.reporter.line();
    REQUIRE(ready);
    REQUIRE(ready->rfind("ready ", 0) == 0);

    // Standard signals (a kill(2)-sent SEGV and ABRT are forwarded too), CHLD (initd's
    // own, never forwarded) and real-time signals 34-62. 63 is "the last one", 64 the
    // marker, USR2 ends the counter; job-control stops would stop the child.
    std::vector<int> kinds = {SIGHUP, SIGINT, SIGQUIT, SIGUSR1, SIGSEGV, SIGABRT, SIGPIPE, SIGALRM,
                              SIGTERM, SIGCHLD, SIGCONT, SIGURG, SIGWINCH, SIGPWR, SIGSYS};
    for (int sig = 34; sig <= 62; ++sig) kinds.push_back(sig);
    std::array<long, 65> sent{};
    auto start = Clock::now();
    for (int i = 0; i < 100000; ++i) {
        int sig = kinds[static_cast<std::size_t>(i) % kinds.size()];
        send(started.process, sig);
        ++sent[static_cast<std::size_t>(sig)];
    }
    send(started.process, 63);
    INFO("sending took " << ms_since(start) << " ms");
    // Real-time signals queue in order, so once "last" is there, the flood is through.
    CHECK(started.reporter.line(60000) == std::optional<std::string>("last"));
    INFO("initd forwarded the flood in " << ms_since(start) << " ms");

    // Afterwards a paced signal still arrives promptly (generous: the machine is shared).
    for (int i = 0; i < 5; ++i) {
        auto sent_at = Clock::now();
        send(started.process, 64);
        CHECK(started.reporter.line(10000) == std::optional<std::string>("marker"));
        CHECK(ms_since(sent_at) < 500);
    }

    send(started.process, SIGUSR2);
    std::map<int, long> got;
    for (;;) {
        auto line = started.reporter.line();
        REQUIRE(line);
        if (*line == "end") break;
        std::istringstream in(*line);
        std::string word;
        int sig = 0;
        long n = 0;
        REQUIRE((in >> word >> sig >> n));
        got[sig] = n;
    }
    CHECK(started.process.wait() == 0);
    CHECK(started.process.err().empty());

    CHECK(got.count(SIGCHLD) == 0);  // initd's own signal is never forwarded
    for (int sig : kinds) {
        if (sig == SIGCHLD) continue;
        INFO("signal " << sig << ": sent " << sent[static_cast<std::size_t>(sig)]);
        if (sig >= 34) CHECK(got[sig] == sent[static_cast<std::size_t>(sig)]);  // queued: every one
        else CHECK(got[sig] >= 1);  // standard signals merge while pending
    }
    CHECK(got[63] == 1);
    CHECK(got[64] == 5);
}

TEST_CASE("orphans in bursts of 500 while signals arrive are all reaped", "[stress]") {
    Mode mode = GENERATE(Mode::pid1, Mode::subreaper);
    // 10,000 of the plainest kind; fewer of the others (a fork costs ~1 ms on a small VM).
    auto [variant, total] = GENERATE(table<std::string, int>({{"exit", 10000}, {"kill", 2000}, {"late", 2000}}));
    INFO(mode_name(mode) << ", " << total << " orphans that " << variant);
    Launch l = initd_launch(mode, {}, {helper("stress_orphans"), std::to_string(total), "500", variant});
    Started started(l);
    REQUIRE(started.reporter.line() == std::optional<std::string>("ready"));

    // Signals while the orphans come and go; paced so they interleave with the bursts.
    std::atomic<bool> stop{false};
    std::thread sender([&] {
        for (int i = 0; !stop; ++i) {
            started.process.signal(i % 2 ? SIGUSR1 : SIGRTMIN + 6);
            std::this_thread::sleep_for(std::chrono::microseconds(200));
        }
    });
    auto done = started.reporter.line(120000);
    stop = true;  // before initd can exit: its pid must not be signalled once reaped
    sender.join();
    CHECK(done == std::optional<std::string>("bursts done"));
    CHECK(started.process.wait(60000) == 0);
    INFO("stress_orphans said: " << started.process.out() << started.process.err());
    std::istringstream out(started.process.out());
    std::string w1, w2, w3;
    int made = -1, left = -1;
    long signals = -1;
    REQUIRE((out >> w1 >> made >> w2 >> left >> w3 >> signals));
    CHECK(made == total);
    CHECK(left == 0);
    CHECK(signals > 0);  // the signals did reach the child during the bursts
}

TEST_CASE("a child that forks continuously cannot outrun the shutdown's deadline", "[stress]") {
    Mode mode = GENERATE(Mode::pid1, Mode::subreaper);
    std::string variant = GENERATE("hop", "spawn");
    INFO(mode_name(mode) << ", forker " << variant);
    std::string token = "initd-stress-forker-" + std::to_string(getpid()) + "-" + variant + "-" +
                        std::to_string(static_cast<int>(mode));
    Launch l = initd_launch(mode, {"--grace", "1s"}, {helper("stress_forker"), variant, token});
    Started started(l);
    REQUIRE(started.reporter.line() == std::optional<std::string>("forking"));
    // The main child exits right after that line: the shutdown starts now. The forkers
    // ignore SIGTERM, so the grace period runs out; then SIGKILL must catch them all.
    auto start = Clock::now();
    bool exited = started.process.exited_within(5000);
    long long took = ms_since(start);
    INFO("initd took " << took << " ms after the main child exited");
    REQUIRE(exited);
    CHECK(started.process.exit_code() == 3);
    CHECK(took >= 900);
    CHECK(took < 2500);
    // Nothing may survive initd (as PID 1 the kernel would see to that anyway).
    CHECK(processes_with(token) == 0);
}

TEST_CASE("initd runs its child with stdin, stdout, stderr closed or full", "[stress]") {
    Mode mode = GENERATE(Mode::pid1, Mode::subreaper);
    std::string spec = GENERATE("0c,1c,2c", "1f,2f", "0c,1f,2f");
    INFO(mode_name(mode) << ", descriptors " << spec);
    // -vvv: every signal, start and shutdown is logged, into /dev/full or nowhere.
    Recorded r(mode, {"-vvv"}, [&](Launch& l) { l = under({helper("stress_fds"), spec, "--"}, l); });
    CHECK(r.send(SIGUSR1) == "10");
    CHECK(r.send(SIGPIPE) == "13");  // a user's SIGPIPE is still the child's
    r.finish();
}

TEST_CASE("exit status survives stdout and stderr being /dev/full with -vvv", "[stress]") {
    Mode mode = GENERATE(Mode::pid1, Mode::subreaper);
    INFO(mode_name(mode));
    CHECK(run(under({helper("stress_fds"), "0c,1f,2f", "--"}, initd_launch(mode, {"-vvv"}, {helper("exit_with"), "7"})))
              .code == 7);
    CHECK(run(under({helper("stress_fds"), "0c,1c,2c", "--"}, initd_launch(mode, {"-vvv"}, {"/nonexistent/command"})))
              .code == 127);
}

TEST_CASE("a child that closes its terminal, and a terminal that hangs up", "[stress]") {
    Mode mode = GENERATE(Mode::pid1, Mode::subreaper);
    bool setsid = GENERATE(false, true);
    bool hangup = GENERATE(false, true);
    INFO(mode_name(mode) << (setsid ? ", --setsid" : "") << (hangup ? ", terminal hangs up" : ""));
    int master = -1, slave = -1;
    REQUIRE(openpty(&master, &slave, nullptr, nullptr, nullptr) == 0);
    std::vector<std::string> options;
    if (setsid) options.push_back("--setsid");
    Launch l = initd_launch(mode, options, {helper("stress_close_terminal"), setsid ? "notty" : "keep"});
    l.stdin_fd = l.stdout_fd = l.stderr_fd = slave;
    l.new_session = true;
    l.controlling_tty = slave;
    Started started(l);
    close(slave);
    CHECK(started.reporter.line() == std::optional<std::string>("ready"));
    CHECK(started.reporter.line() == std::optional<std::string>("closed"));
    if (hangup) close(master);  // the terminal is gone: SIGHUP for whoever still holds it
    REQUIRE(started.process.signal(SIGUSR1) == 0);
    // A hang-up may reach the child as SIGHUP/SIGCONT first (from initd or the kernel).
    std::optional<std::string> got;
    for (int i = 0; i < 4; ++i) {
        got = started.reporter.line();
        if (!got || *got == "10") break;
        CHECK((*got == "1" || *got == "18"));
    }
    CHECK(got == std::optional<std::string>("10"));
    CHECK(started.process.wait() == 7);
    if (!hangup) close(master);
}

TEST_CASE("fork fails at RLIMIT_NPROC: one clear line, exit 1", "[stress]") {
    // RLIMIT_NPROC binds only a non-root user, so stress_as_user turns into uid 65534
    // with a limit of 1 process (initd itself) before it execs initd.
    require_root("RLIMIT_NPROC binds only a non-root user, and switching to one needs root");
    Mode mode = GENERATE(Mode::pid1, Mode::subreaper);
    INFO(mode_name(mode));
    // uid 65534 runs initd (and would run the recorder): the copies anyone can execute.
    Launch initd = initd_launch(mode, {}, {helper_for_anyone("recorder")});
    initd.program = initd_for_anyone();
    Launch l = under({helper("stress_as_user"), "65534", "1", "--"}, initd);
    Started started(l);
    CHECK(started.process.wait() == 1);
    CHECK(started.process.err() == "initd: fork: Resource temporarily unavailable\n");
    CHECK(started.process.out().empty());
    CHECK_FALSE(started.reporter.line(100));  // the child never ran
}
