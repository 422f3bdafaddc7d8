// README "Shutdown" and "Exit codes", man initd(1) SHUTDOWN and EXIT STATUS, when system
// calls fail: strace makes one call fail at a time (`-e inject=CALL:error=ERRNO`) around
// the real initd. Whatever fails, initd must end by its deadline, must not spin, must
// leave nothing behind, and must exit with the child's status or a documented code and
// one line on stderr. Every run is bounded: at its time limit the whole tree is killed
// and the case FAILs.
#include <catch2/catch.hpp>

#include <cerrno>
#include <cstdlib>
#include <csignal>
#include <fcntl.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "harness.hpp"

using namespace harness;

namespace {

// CPU time (user + system) of this process's children that have been waited for, and
// of theirs: strace, initd and everything initd reaped.
long long children_cpu_ms() {
    rusage usage{};
    getrusage(RUSAGE_CHILDREN, &usage);
    return (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1000LL +
           (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1000;
}

// CPU time of `pid`, everything below it and what they have reaped (from /proc/PID/stat:
// utime, stime, cutime, cstime), for a tree that is still running.
long long tree_cpu_ms(pid_t pid) {
    long long ticks = 0;
    if (auto stat = read_file("/proc/" + std::to_string(pid) + "/stat")) {
        auto paren = stat->rfind(')');
        std::vector<std::string> fields;  // from the state (field 3) on
        std::size_t at = paren + 2;
        while (at < stat->size()) {
            auto end = stat->find(' ', at);
            if (end == std::string::npos) end = stat->size();
            fields.push_back(stat->substr(at, end - at));
            at = end + 1;
        }
        if (fields.size() > 14)
            for (int i = 11; i <= 14; ++i) ticks += std::stoll(fields[static_cast<std::size_t>(i)]);
    }
    long long ms = ticks * 1000 / sysconf(_SC_CLK_TCK);
    for (pid_t child : children_of(pid)) ms += tree_cpu_ms(child);
    return ms;
}

// A pid of the test's namespace (subreaper mode) that must be gone for good: not even a zombie.
bool gone(pid_t pid) { return kill(pid, 0) < 0 && errno == ESRCH; }

// initd with `options` and `command` under `strace -f` injecting `fault` ("CALLS:error=
// ERRNO[:when=N]"), only into the calls that name `path` if one is given; as PID 1 through
// `unshare`, which strace traces too. Only the faulty calls stop the tracees
// (--seccomp-bpf): the subreaper's shutdown reads /proc/PID/stat of every process on the
// host, which would take seconds if every call went through strace.
Launch injected(Mode mode, const std::string& fault, std::vector<std::string> options,
                std::vector<std::string> command, const std::string& path = "") {
    INFO("strace: '" STRACE_PATH "', unshare: '" UNSHARE_PATH "' (apt-get install strace util-linux)");
    REQUIRE(access(STRACE_PATH, X_OK) == 0);
    std::vector<std::string> wrapper = {STRACE_PATH, "-f", "--seccomp-bpf", "-qq", "-o", "/dev/null",
                                        "-e", "trace=" + fault.substr(0, fault.find(':')),
                                        "-e", "inject=" + fault};
    if (!path.empty()) wrapper.insert(wrapper.end(), {"-P", path});
    wrapper.push_back("--");
    if (mode == Mode::pid1) {
        REQUIRE(access(UNSHARE_PATH, X_OK) == 0);
        wrapper.insert(wrapper.end(), {UNSHARE_PATH, "--pid", "--fork", "--mount-proc"});
    }
    return under(wrapper, initd_launch(Mode::subreaper, std::move(options), std::move(command)));
}

struct Outcome {
    bool exited = false;
    int code = -1;
    long long ms = 0;      // from `from` to the exit, or to the time limit
    long long cpu_ms = 0;  // strace's, initd's and their children's
    std::string err;
};

std::ostream& operator<<(std::ostream& out, const Outcome& o) {
    if (o.exited) out << "exited " << o.code << " after " << o.ms << " ms";
    else out << "still running after " << o.ms << " ms: killed";
    return out << ", CPU " << o.cpu_ms << " ms, stderr: '" << o.err << "'";
}

// Waits until `limit_ms` after `from` for strace (and so initd) to exit; if it does
// not, measures the CPU its tree has used and kills it all.
Outcome outcome(Process& p, Clock::time_point from, long long cpu_before, long long limit_ms) {
    Outcome o;
    int pidfd = static_cast<int>(syscall(SYS_pidfd_open, p.pid(), 0));
    REQUIRE(pidfd >= 0);
    pollfd exit{pidfd, POLLIN, 0};
    long long left = limit_ms - ms_since(from);
    o.exited = poll(&exit, 1, static_cast<int>(left > 0 ? left : 0)) == 1;
    o.ms = ms_since(from);
    close(pidfd);
    if (o.exited) {
        o.code = p.wait();
        o.cpu_ms = children_cpu_ms() - cpu_before;
    } else {
        o.cpu_ms = tree_cpu_ms(p.pid());
        p.kill_all();
    }
    o.err = p.err();
    return o;
}

// `l` run to its end, or killed after 4 s (these runs take milliseconds).
Outcome run_to_end(const Launch& l) {
    long long cpu_before = children_cpu_ms();
    auto start = Clock::now();
    Process p(l);
    return outcome(p, start, cpu_before, 4000);
}

// Not spinning: less than a quarter of a CPU over the run. A run of a second or two
// costs some tens of ms, a few hundred with the subreaper's scans of a busy host's /proc;
// a spinning initd (with strace stopping it at every faulty call) burns nearly all of it.
void check_no_spin(const Outcome& o) { CHECK(o.cpu_ms < 200 + o.ms / 4); }

// Every line on stderr is initd's, and there is at most `most` of them.
void check_lines(const std::string& err, std::size_t most) {
    auto lines = lines_of(err);
    CHECK(lines.size() <= most);
    for (const auto& line : lines) CHECK(line.rfind("initd: ", 0) == 0);
}

// The shutdown's promise with `fault` injected: the main child (grandchild_writer)
// exits 7 and leaves a grandchild that ignores SIGTERM; with --grace 1s initd must SIGKILL
// it at the deadline and exit 7, without spinning.
void check_shutdown_ends_by_deadline(Mode mode, const std::string& fault, const std::string& path = "") {
    Launch l = injected(mode, fault, {"--grace", "1s"}, {helper("grandchild_writer"), "7", "ignore"}, path);
    long long cpu_before = children_cpu_ms();
    Started started(l);
    auto ready = started.reporter.line();
    REQUIRE(ready);
    REQUIRE(ready->rfind("ready ", 0) == 0);
    auto main_child_exits = Clock::now();  // right after "ready"
    pid_t grandchild = std::stoi(ready->substr(6));  // in the test's namespace as subreaper
    Outcome o = outcome(started.process, main_child_exits, cpu_before, 5000);
    INFO(o);
    CHECK(o.exited);
    CHECK(o.ms < 2000);  // 1 s of grace, then SIGKILL; strace slows initd down a little
    check_no_spin(o);
    if (o.exited) {
        CHECK(o.code == 7);
        check_lines(o.err, 1);
    }
    if (mode == Mode::subreaper && o.exited) {
        // As PID 1 the kernel ends the namespace with initd; a subreaper must do it.
        // (When initd hung, the harness killed everything, and its zombies went to init.)
        bool grandchild_gone = gone(grandchild);
        CHECK(grandchild_gone);
        if (!grandchild_gone) kill(grandchild, SIGKILL);
    }
}

}  // namespace

TEST_CASE("when pidfd_open fails, the shutdown still SIGKILLs what ignores SIGTERM at the --grace deadline",
          "[fault]") {
    std::string error = GENERATE("EPERM", "EMFILE");
    INFO("pidfd_open fails with " << error);
    // As PID 1 initd signals with kill(-1, ...): pidfds are the subreaper's.
    check_shutdown_ends_by_deadline(Mode::subreaper, "pidfd_open:error=" + error);
}

TEST_CASE("when pidfd_send_signal fails, the shutdown still SIGKILLs what ignores SIGTERM at the --grace deadline",
          "[fault]") {
    check_shutdown_ends_by_deadline(Mode::subreaper, "pidfd_send_signal:error=EPERM");
}

TEST_CASE("when /proc cannot be opened, the shutdown still ends by the --grace deadline", "[fault]") {
    Mode mode = GENERATE(Mode::pid1, Mode::subreaper);
    INFO(mode_name(mode));
    // -P: only the calls that name /proc itself fail (musl's open() is the open syscall).
    check_shutdown_ends_by_deadline(mode, "open,openat:error=EACCES", "/proc");
}

TEST_CASE("when kill fails, the shutdown still ends by the --grace deadline", "[fault]") {
    SECTION("as PID 1 (the kernel ends what initd could not)") {
        check_shutdown_ends_by_deadline(Mode::pid1, "kill:error=EPERM");
    }
    SECTION("as a subreaper, initd says it cannot end the rest and exits at the deadline") {
        // What initd cannot kill outlives it, and strace waits for it: the test watches
        // initd's line, then ends the grandchild itself so that strace exits.
        Launch l = injected(Mode::subreaper, "kill:error=EPERM", {"--grace", "1s"},
                            {helper("grandchild_writer"), "7", "ignore"});
        long long cpu_before = children_cpu_ms();
        Started started(l, true);
        auto ready = started.reporter.line();
        REQUIRE(ready);
        REQUIRE(ready->rfind("ready ", 0) == 0);
        auto main_child_exits = Clock::now();
        pid_t grandchild = std::stoi(ready->substr(6));
        std::string seen;
        bool said = started.err.wait_for("cannot SIGKILL what remains", seen, 3000);
        long long ms = ms_since(main_child_exits);
        kill(grandchild, SIGKILL);
        Outcome o = outcome(started.process, main_child_exits, cpu_before, 5000);
        INFO(o << "; initd said: " << seen);
        CHECK(said);
        CHECK(ms < 2000);
        CHECK(o.exited);
        CHECK(o.code == 7);
        CHECK(lines_of(seen).size() == 1);
        check_no_spin(o);
    }
}

TEST_CASE("when rt_sigtimedwait keeps failing, initd does not spin and ends when the child exits, in one line",
          "[fault]") {
    Mode mode = GENERATE(Mode::pid1, Mode::subreaper);
    INFO(mode_name(mode));
    // Every call of initd's fails (the shell's do not use it); the child exits 3 when the
    // test writes a line to its stdin.
    int in[2];
    REQUIRE(pipe2(in, O_CLOEXEC) == 0);
    Launch l = injected(mode, "rt_sigtimedwait:error=EPERM", {},
                        {"sh", "-c", "echo ready >&3; read line; exit 3"});
    l.stdin_fd = in[0];
    long long cpu_before = children_cpu_ms();
    Started started(l);
    close(in[0]);
    REQUIRE(started.reporter.line() == std::optional<std::string>("ready"));
    // Half a second with a child that runs: an initd that spins burns it all.
    CHECK_FALSE(started.reporter.line(500));
    auto child_exits = Clock::now();
    REQUIRE(write(in[1], "\n", 1) == 1);
    close(in[1]);
    Outcome o = outcome(started.process, child_exits, cpu_before, 4000);
    INFO(o);
    CHECK(o.exited);
    CHECK(o.ms < 1000);
    check_no_spin(o);
    if (o.exited) {
        CHECK((o.code == 3 || o.code == 1));  // the child's status, or initd's own failure
        CHECK(lines_of(o.err).size() == 1);   // the failure, said once
        check_lines(o.err, 1);
    }
}

TEST_CASE("when fork fails, initd exits 1 with one line 'initd: fork: ...'", "[fault]") {
    // Subreaper only: as PID 1, unshare's own fork (traced too) would fail first.
    Launch l = injected(Mode::subreaper, "vfork,fork,clone,clone3:error=EAGAIN", {},
                        {helper("exit_with"), "5"});
    Outcome o = run_to_end(l);
    INFO(o);
    CHECK(o.exited);
    CHECK(o.code == 1);
    CHECK(o.err == "initd: fork: Resource temporarily unavailable\n");
    check_no_spin(o);
}

TEST_CASE("when the child's execve fails, initd exits 126 or 127 with one line", "[fault]") {
    Mode mode = GENERATE(Mode::pid1, Mode::subreaper);
    auto [error, code, reason] = GENERATE(table<std::string, int, std::string>(
        {{"EACCES", 126, "Permission denied"}, {"ENOENT", 127, "No such file or directory"}}));
    INFO(mode_name(mode) << ", execve fails with " << error);
    const std::string command = helper("exit_with");
    // -P: only the exec of the command fails (not strace's, unshare's or initd's own).
    Launch l = injected(mode, "execve:error=" + error, {}, {command, "5"}, command);
    Outcome o = run_to_end(l);
    INFO(o);
    CHECK(o.exited);
    CHECK(o.code == code);
    CHECK(o.err == "initd: cannot execute '" + command + "': " + reason + "\n");
    check_no_spin(o);
}

TEST_CASE("when prctl(PR_SET_CHILD_SUBREAPER) fails, initd says so in one line and still runs the child",
          "[fault]") {
    // Subreaper only: PID 1 needs no prctl to reap.
    Launch l = injected(Mode::subreaper, "prctl:error=EINVAL", {}, {helper("exit_with"), "5"});
    Outcome o = run_to_end(l);
    INFO(o);
    CHECK(o.exited);
    CHECK(o.code == 5);
    CHECK(lines_of(o.err).size() == 1);
    CHECK(o.err.rfind("initd: prctl", 0) == 0);
    check_no_spin(o);
}

// Only EINTR: the kernel never answers ECHILD while a child exists, so initd does not
// second-guess that answer (an injected ECHILD would leave the child unreaped).
TEST_CASE("when wait4 fails once, initd does not hang and exits with the child's status", "[fault]") {
    Mode mode = GENERATE(Mode::pid1, Mode::subreaper);
    std::string error = GENERATE("EINTR");
    INFO(mode_name(mode) << ", wait4 fails with " << error);
    // strace counts per process: initd's first wait4 is its start-up reap, the second
    // the reap of the child (unshare waits once, so its call is never the second).
    Launch l = injected(mode, "wait4:error=" + error + ":when=2", {}, {helper("exit_with"), "5"});
    Outcome o = run_to_end(l);
    INFO(o);
    CHECK(o.exited);
    CHECK(o.ms < 2000);
    CHECK(o.code == 5);
    check_lines(o.err, 1);
    check_no_spin(o);
}

// --- Services (README "Several services"): a failing call costs one line, never a spin. ---

namespace {

// A service directory with one service, b, whose run says it started.
struct OneService {
    std::string root;
    OneService() {
        char path[] = "/tmp/initd-fault-services-XXXXXX";
        REQUIRE(mkdtemp(path));
        root = path;
        REQUIRE(mkdir((root + "/b").c_str(), 0755) == 0);
        std::string run = root + "/b/run";
        int fd = open(run.c_str(), O_WRONLY | O_CREAT, 0755);
        REQUIRE(fd >= 0);
        std::string body = "#!/bin/sh\necho started >> " + root + "/started\nexec sleep 1000\n";
        REQUIRE(write(fd, body.data(), body.size()) == static_cast<ssize_t>(body.size()));
        close(fd);
    }
    ~OneService() { std::system(("rm -rf " + root).c_str()); }
    // The main command: exits 6 once b has started (within 5 s), else 9.
    std::vector<std::string> wait_for_b() const {
        return {"/bin/sh", "-c", "for i in $(seq 100); do [ -s " + root + "/started ] && exit 6; sleep 0.05; done; exit 9"};
    }
};

}  // namespace

TEST_CASE("services: when inotify cannot be had, one line, and the services still run", "[fault][services]") {
    OneService s;
    Outcome o = run_to_end(injected(Mode::subreaper, "inotify_init1:error=EMFILE", {"--services", s.root}, s.wait_for_b()));
    INFO(o);
    CHECK(o.code == 6);
    CHECK(o.err.find("inotify") != std::string::npos);
    check_lines(o.err, 1);
    check_no_spin(o);
}

TEST_CASE("services: a fork that fails for a service is tried again a second later, not in a loop", "[fault][services]") {
    OneService s;
    // No main command: its shell would vfork too, and strace counts per process.
    long long cpu_before = children_cpu_ms();
    auto start = Clock::now();
    Process p(injected(Mode::subreaper, "vfork:error=EAGAIN:when=1", {"--services", s.root}, {}));
    bool started = false;
    for (int i = 0; i < 250 && !started; ++i) {
        started = read_file(s.root + "/started").has_value();
        if (!started) usleep(20000);
    }
    long long ms = ms_since(start);
    CHECK(started);
    CHECK(ms >= 1000);  // runit's pause before the second try
    auto under_strace = children_of(p.pid());
    REQUIRE(under_strace.size() == 1);
    kill(under_strace[0], SIGTERM);
    Outcome o = outcome(p, start, cpu_before, 5000);
    INFO(o);
    CHECK(o.code == 0);
    CHECK(o.err.find("b/run: fork: ") != std::string::npos);
    check_lines(o.err, 1);
    check_no_spin(o);
}

TEST_CASE("services: when supervise/ cannot be made, the service is left out with one line", "[fault][services]") {
    OneService s;
    Outcome o = run_to_end(injected(Mode::subreaper, "mknodat:error=EROFS", {"--services", s.root}, {"/bin/true"}));
    INFO(o);
    CHECK(o.code == 0);
    CHECK(o.err.find("b: cannot make supervise/") != std::string::npos);
    check_lines(o.err, 1);
    check_no_spin(o);
}

// dock's features: a call they need fails. Either initd refuses to start (set-up, exit
// 1, one line) or the feature gives up in one line while the child runs on; never a hang.
TEST_CASE("dock: when the relay's pipe cannot be made, exit 1 in one line, nothing runs", "[fault][dock]") {
    Outcome o = run_to_end(injected(Mode::subreaper, "pipe2:error=EMFILE", {"--stdout-prefix", "x:"}, {helper("exit_with"), "5"}));
    INFO(o);
    CHECK(o.code == 1);
    check_lines(o.err, 1);
}

TEST_CASE("dock: when the web hook's socket cannot be made, each status gives up in a line and the child runs", "[fault][dock]") {
    Outcome o = run_to_end(injected(Mode::subreaper, "socket:error=EMFILE", {"--web-hook", "http://127.0.0.1:9/"},
                                    {helper("exit_with"), "5"}));
    INFO(o);
    CHECK(o.code == 5);     // the hooks give up (a line each at most); the child runs all the same
    check_lines(o.err, 3);
    check_no_spin(o);
}

TEST_CASE("dock: when /proc/net/tcp cannot be read, --bind-port keeps looking without spinning", "[fault][dock]") {
    // The child ends after 1 s (five probes); initd exits with it, with no "running".
    Outcome o = run_to_end(injected(Mode::subreaper, "openat:error=EACCES", {"--bind-port", "9"},
                                    {"/bin/sh", "-c", "sleep 1; exit 5"}, "/proc/net/tcp"));
    INFO(o);
    CHECK(o.code == 5);
    check_no_spin(o);
}
