#include "harness.hpp"

#include <catch2/catch.hpp>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

namespace harness {
namespace {

struct ChildPlan {
    const Launch* launch;
    std::vector<char*> argv;
    std::vector<char*> envp;
    std::string program;
    int out_write, err_write;
    int go_read;  // the child waits for one byte here (user namespace set-up), or -1
};

void block_every_signal() {
    std::uint64_t all = ~std::uint64_t{0};
    syscall(SYS_rt_sigprocmask, SIG_SETMASK, &all, nullptr, sizeof all);
}

void unblock_every_signal() {
    std::uint64_t none = 0;
    syscall(SYS_rt_sigprocmask, SIG_SETMASK, &none, nullptr, sizeof none);
}

[[noreturn]] void child_fail(const char* what) {
    dprintf(2, "harness: %s: %s\n", what, strerror(errno));
    _exit(120);
}

// Runs in the new process (after clone or fork) and ends in execve.
int child_main(void* arg) {
    auto* plan = static_cast<ChildPlan*>(arg);
    const Launch& l = *plan->launch;
    if (plan->go_read >= 0) {
        char byte;
        if (read(plan->go_read, &byte, 1) != 1) child_fail("waiting for the user namespace");
    }
    if (l.mode == Mode::pid1) {
        // Our own /proc, so that the tests and initd see this namespace's processes.
        if (mount("none", "/", nullptr, MS_REC | MS_PRIVATE, nullptr) < 0) child_fail("mount --make-rprivate /");
        if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr) < 0) child_fail("mount /proc");
        for (const auto& [source, target] : l.bind_mounts)
            if (mount(source.c_str(), target.c_str(), nullptr, MS_BIND, nullptr) < 0) child_fail("bind mount");
    }
    int in = l.stdin_fd >= 0 ? l.stdin_fd : open("/dev/null", O_RDONLY);
    int out = l.stdout_fd >= 0 ? l.stdout_fd : plan->out_write;
    int err = l.stderr_fd >= 0 ? l.stderr_fd : plan->err_write;
    int report = l.reporter ? l.reporter->write_fd : -1;
    // Move everything above 3 first, so the dup2s below cannot clobber each other.
    in = fcntl(in, F_DUPFD, 10);
    out = fcntl(out, F_DUPFD, 10);
    err = fcntl(err, F_DUPFD, 10);
    if (report >= 0) report = fcntl(report, F_DUPFD, 10);
    dup2(in, 0);
    dup2(out, 1);
    dup2(err, 2);
    if (report >= 0) dup2(report, 3);
    syscall(SYS_close_range, report >= 0 ? 4u : 3u, ~0u, 0u);
    if (l.new_session) {
        setsid();
        if (l.controlling_tty >= 0 && ioctl(0, TIOCSCTTY, 0) < 0) child_fail("TIOCSCTTY");
    }
    for (int sig = 1; sig < 32; ++sig) signal(sig, SIG_DFL);
    for (int sig : l.ignored_signals) {
        struct sigaction ignore {};
        ignore.sa_handler = SIG_IGN;
        if (sigaction(sig, &ignore, nullptr) < 0) child_fail("sigaction SIG_IGN");
    }
    if (l.block_all_signals || l.pending_signal) block_every_signal();
    else unblock_every_signal();
    if (!l.blocked_signals.empty()) {
        std::uint64_t mask = 0;
        for (int sig : l.blocked_signals) mask |= std::uint64_t{1} << (sig - 1);
        syscall(SYS_rt_sigprocmask, SIG_SETMASK, &mask, nullptr, sizeof mask);
    }
    if (l.pending_signal) raise(l.pending_signal);
    execve(plan->program.c_str(), plan->argv.data(), plan->envp.data());
    child_fail("execve");
}

void write_file(const std::string& path, const std::string& text) {
    int fd = open(path.c_str(), O_WRONLY);
    if (fd >= 0) {
        (void)!write(fd, text.data(), text.size());
        close(fd);
    }
}

}  // namespace

std::string read_available(int fd, int timeout_ms) {
    std::string text;
    char buffer[4096];
    for (;;) {
        pollfd p{fd, POLLIN, 0};
        if (poll(&p, 1, timeout_ms) <= 0) break;
        ssize_t n = read(fd, buffer, sizeof buffer);
        if (n <= 0) break;
        text.append(buffer, static_cast<std::size_t>(n));
    }
    return text;
}

const char* mode_name(Mode mode) { return mode == Mode::pid1 ? "PID 1 of a new PID namespace" : "subreaper"; }

// INITD_TEST_BINARY: another build of initd (tests/arm64/run: the arm64 one, under qemu-user).
std::string initd_path() {
    const char* other = getenv("INITD_TEST_BINARY");
    return other && *other ? other : INITD_BINARY;
}
std::string helper(const std::string& name) { return std::string(HELPERS_DIR) + "/" + name; }

namespace {

void copy_file(const std::string& from, const std::string& to) {
    int in = open(from.c_str(), O_RDONLY | O_CLOEXEC);
    REQUIRE(in >= 0);
    int out = open(to.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0755);
    REQUIRE(out >= 0);
    char buffer[65536];
    ssize_t n;
    while ((n = read(in, buffer, sizeof buffer)) > 0) REQUIRE(write(out, buffer, static_cast<std::size_t>(n)) == n);
    REQUIRE(n == 0);
    REQUIRE(fchmod(out, 0755) == 0);  // whatever the umask
    close(in);
    REQUIRE(close(out) == 0);
}

// initd and every helper, copied where any user can execute them; removed at exit.
struct ForAnyone {
    std::string dir;
    std::vector<std::string> files;
    ForAnyone() {
        char path[] = "/tmp/initd-tests-XXXXXX";
        REQUIRE(mkdtemp(path));
        dir = path;
        REQUIRE(chmod(path, 0755) == 0);
        copy(initd_path(), "initd");
        DIR* helpers = opendir(HELPERS_DIR);
        REQUIRE(helpers);
        while (dirent* e = readdir(helpers))
            if (e->d_type == DT_REG) copy(helper(e->d_name), e->d_name);
        closedir(helpers);
    }
    ~ForAnyone() {
        for (const auto& file : files) unlink(file.c_str());
        rmdir(dir.c_str());
    }
    void copy(const std::string& from, const std::string& name) {
        files.push_back(dir + "/" + name);
        copy_file(from, files.back());
    }
};

const std::string& for_anyone_dir() {
    static ForAnyone copies;
    return copies.dir;
}

}  // namespace

std::string initd_for_anyone() { return for_anyone_dir() + "/initd"; }
std::string helper_for_anyone(const std::string& name) {
    std::string path = for_anyone_dir() + "/" + name;
    REQUIRE(access(path.c_str(), X_OK) == 0);
    return path;
}

Launch initd_launch(Mode mode, std::vector<std::string> options, std::vector<std::string> command,
                    const std::string& name) {
    Launch l;
    l.mode = mode;
    l.program = name == "initd" ? initd_path() : symlink_as(name);
    l.argv = {name};
    l.argv.insert(l.argv.end(), options.begin(), options.end());
    if (!command.empty()) {
        l.argv.push_back("--");
        l.argv.insert(l.argv.end(), command.begin(), command.end());
    }
    return l;
}

Launch under(std::vector<std::string> wrapper, Launch launch) {
    REQUIRE(!wrapper.empty());
    REQUIRE(!launch.argv.empty());
    std::vector<std::string> argv = std::move(wrapper);
    argv.push_back(launch.program.empty() ? initd_path() : launch.program);
    argv.insert(argv.end(), launch.argv.begin() + 1, launch.argv.end());
    launch.program = argv[0];
    launch.argv = std::move(argv);
    return launch;
}

Reporter::Reporter() {
    int fds[2];
    REQUIRE(pipe2(fds, O_CLOEXEC) == 0);
    read_fd = fds[0];
    write_fd = fds[1];
}

Reporter::~Reporter() {
    close(read_fd);
    if (write_fd >= 0) close(write_fd);
}

std::optional<std::string> Reporter::line(int timeout_ms) {
    for (;;) {
        auto nl = buffered.find('\n');
        if (nl != std::string::npos) {
            std::string l = buffered.substr(0, nl);
            buffered.erase(0, nl + 1);
            return l;
        }
        pollfd p{read_fd, POLLIN, 0};
        if (poll(&p, 1, timeout_ms) <= 0) return std::nullopt;
        char chunk[512];
        ssize_t n = read(read_fd, chunk, sizeof chunk);
        if (n <= 0) return std::nullopt;
        buffered.append(chunk, static_cast<std::size_t>(n));
    }
}

bool Reporter::wait_for(const std::string& text, std::string& seen, int timeout_ms) {
    while (auto next = line(timeout_ms)) {
        seen += *next + "\n";
        if (next->find(text) != std::string::npos) return true;
    }
    return false;
}

std::vector<std::string> Reporter::rest() {
    std::vector<std::string> lines;
    while (auto next = line(0)) lines.push_back(*next);
    return lines;
}

void Reporter::launched() {
    close(write_fd);
    write_fd = -1;
}

Process::Process(const Launch& launch) {
    ChildPlan plan;
    plan.launch = &launch;
    plan.program = launch.program.empty() ? initd_path() : launch.program;
    std::vector<std::string> argv = launch.argv;
    if (argv.empty()) argv.push_back("initd");
    for (auto& a : argv) plan.argv.push_back(const_cast<char*>(a.c_str()));
    plan.argv.push_back(nullptr);
    std::vector<std::string> env = {"PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin"};
    env.insert(env.end(), launch.extra_env.begin(), launch.extra_env.end());
    for (auto& e : env) plan.envp.push_back(const_cast<char*>(e.c_str()));
    plan.envp.push_back(nullptr);

    int out[2], err[2], go[2] = {-1, -1};
    REQUIRE(pipe2(out, O_CLOEXEC) == 0);
    REQUIRE(pipe2(err, O_CLOEXEC) == 0);
    plan.out_write = out[1];
    plan.err_write = err[1];
    plan.go_read = -1;

    if (launch.mode == Mode::pid1) {
        int flags = CLONE_NEWPID | CLONE_NEWNS | SIGCHLD;
        bool need_userns = geteuid() != 0;
        if (need_userns) {
            flags |= CLONE_NEWUSER;
            REQUIRE(pipe2(go, O_CLOEXEC) == 0);
            plan.go_read = go[0];
        }
        static char stack[256 * 1024];
        pid_ = clone(child_main, stack + sizeof stack, flags, &plan);
        if (pid_ < 0)
            FAIL("cannot create a PID namespace (" << strerror(errno)
                 << "): these tests need root, or unprivileged user namespaces");
        if (need_userns) {
            std::string proc = "/proc/" + std::to_string(pid_);
            write_file(proc + "/setgroups", "deny");
            write_file(proc + "/uid_map", "0 " + std::to_string(geteuid()) + " 1");
            write_file(proc + "/gid_map", "0 " + std::to_string(getegid()) + " 1");
            REQUIRE(write(go[1], "x", 1) == 1);
            close(go[0]);
            close(go[1]);
        }
    } else {
        pid_ = fork();
        REQUIRE(pid_ >= 0);
        if (pid_ == 0) child_main(&plan);
    }
    close(out[1]);
    close(err[1]);
    out_fd_ = out[0];
    err_fd_ = err[0];
    pidfd_ = static_cast<int>(syscall(SYS_pidfd_open, pid_, 0));
    REQUIRE(pidfd_ >= 0);
}

namespace {
int code_of(int wait_status) { return WIFSIGNALED(wait_status) ? 128 + WTERMSIG(wait_status) : WEXITSTATUS(wait_status); }

// A failed test must not leave helpers behind (those that block every signal would
// live for ever): everything below `pid`, deepest first.
void kill_descendants(pid_t pid) {
    for (pid_t child : children_of(pid)) {
        kill_descendants(child);
        kill(child, SIGKILL);
    }
}
}  // namespace

void Process::kill_all() {
    if (reaped_) return;
    kill(pid_, SIGSTOP);  // so that it does not start anything new meanwhile
    kill_descendants(pid_);
    kill(pid_, SIGKILL);
    int status = 0;
    if (waitpid(pid_, &status, 0) != pid_) return;
    reaped_ = true;
    exit_code_ = code_of(status);
    collect_output();
}

Process::~Process() {
    kill_all();
    close(pidfd_);
    close(out_fd_);
    close(err_fd_);
}

int Process::signal(int sig) const { return kill(pid_, sig); }

bool Process::exited_within(int timeout_ms) {
    if (reaped_) return true;
    pollfd p{pidfd_, POLLIN, 0};
    if (poll(&p, 1, timeout_ms) <= 0) return false;
    int status = 0;
    REQUIRE(waitpid(pid_, &status, 0) == pid_);
    reaped_ = true;
    exit_code_ = code_of(status);
    collect_output();
    return true;
}

int Process::wait(int timeout_ms) {
    if (!exited_within(timeout_ms)) {
        kill_all();
        FAIL("initd did not exit within " << timeout_ms << " ms; stderr: " << err_);
    }
    return exit_code_;
}

void Process::collect_output() {
    // Everything initd started is gone once it has exited, so the pipes are at EOF;
    // the timeout only guards against a test bug.
    out_ += read_available(out_fd_, 2000);
    err_ += read_available(err_fd_, 2000);
}

const std::string& Process::out() { return out_; }
const std::string& Process::err() { return err_; }

Result run(Launch launch, int timeout_ms) {
    Reporter own;
    if (!launch.reporter) launch.reporter = &own;
    Process p(launch);
    int code = p.wait(timeout_ms);
    return {code, p.out(), p.err(), launch.reporter->rest()};
}

void check_refused(const Launch& launch, const std::string& line, int code) {
    auto r = run(launch);
    CHECK(r.code == code);
    CHECK(r.err == line + "\n");
    CHECK(r.out.empty());
}

std::vector<std::string> probe(const Launch& launch) {
    auto r = run(launch);
    INFO("stderr: " << r.err);
    CHECK(r.code == 0);
    REQUIRE(!r.reported.empty());
    REQUIRE(r.reported[0].rfind("pid=", 0) == 0);
    return r.reported;
}

std::optional<std::string> read_file(const std::string& path) {
    int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return std::nullopt;
    std::string text;
    char buffer[4096];
    ssize_t n;
    while ((n = read(fd, buffer, sizeof buffer)) > 0) text.append(buffer, static_cast<std::size_t>(n));
    close(fd);
    if (n < 0) return std::nullopt;
    return text;
}

void require_root(const std::string& why) {
    if (geteuid() != 0) FAIL("not root: " << why);
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (start < text.size()) {
        auto nl = text.find('\n', start);
        if (nl == std::string::npos) nl = text.size();
        lines.push_back(text.substr(start, nl - start));
        start = nl + 1;
    }
    return lines;
}

std::string symlink_as(const std::string& name) {
    std::string dir = "/tmp/initd-names-" + std::to_string(getpid());
    mkdir(dir.c_str(), 0755);
    std::string path = dir + "/" + name;
    unlink(path.c_str());
    REQUIRE(symlink(initd_path().c_str(), path.c_str()) == 0);
    return path;
}

std::vector<pid_t> children_of(pid_t pid) {
    std::vector<pid_t> kids;
    auto text = read_file("/proc/" + std::to_string(pid) + "/task/" + std::to_string(pid) + "/children");
    if (!text) return kids;
    std::size_t at = 0;
    while (at < text->size()) {
        std::size_t end = text->find(' ', at);
        if (end == std::string::npos) end = text->size();
        if (end > at) kids.push_back(static_cast<pid_t>(std::stol(text->substr(at, end - at))));
        at = end + 1;
    }
    return kids;
}

char state_of(pid_t pid) {
    auto stat = read_file("/proc/" + std::to_string(pid) + "/stat");
    if (!stat) return 0;
    auto paren = stat->rfind(')');
    return paren == std::string::npos || paren + 2 >= stat->size() ? 0 : (*stat)[paren + 2];
}

bool wait_for_state(pid_t pid, char state, int timeout_ms, bool negate) {
    // Another process's scheduler state has no event to wait on; poll it briefly.
    for (int waited = 0; waited <= timeout_ms; waited += 2) {
        if ((state_of(pid) == state) != negate) return true;
        usleep(2000);
    }
    return false;
}

std::string field(const std::string& line, const std::string& key) {
    std::string padded = " " + line;
    auto at = padded.find(" " + key + "=");
    REQUIRE(at != std::string::npos);
    at += key.size() + 2;
    return padded.substr(at, padded.find(' ', at) - at);
}

long long ms_since(Clock::time_point start) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
}

Started::Started(Launch launch, bool stderr_lines) : process(attach(std::move(launch), stderr_lines)) {
    if (stderr_lines) err.launched();
}

Launch Started::attach(Launch launch, bool stderr_lines) {
    launch.reporter = &reporter;
    if (stderr_lines) launch.stderr_fd = err.write_fd;
    return launch;
}

namespace {
Launch recorder_launch(Mode mode, const std::vector<std::string>& options,
                       const std::function<void(Launch&)>& adjust) {
    Launch l = initd_launch(mode, options, {helper("recorder")});
    if (adjust) adjust(l);
    return l;
}
}  // namespace

Recorded::Recorded(Mode mode, std::vector<std::string> options, const std::function<void(Launch&)>& adjust)
    : Started(recorder_launch(mode, options, adjust)) {
    auto ready = reporter.line();
    REQUIRE(ready);
    REQUIRE(ready->rfind("ready ", 0) == 0);
    recorder = std::stoi(ready->substr(6));
}

std::string Recorded::send(int sig) {
    REQUIRE(process.signal(sig) == 0);
    auto got = reporter.line();
    REQUIRE(got);
    return *got;
}

void Recorded::finish() {
    REQUIRE(process.signal(SIGUSR2) == 0);
    CHECK(reporter.line() == std::optional<std::string>("12"));
    CHECK(process.wait() == 0);
}

}  // namespace harness
