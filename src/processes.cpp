#include "initd/processes.hpp"

#include <cerrno>
#include <charconv>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <optional>
#include <string_view>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "initd/text.hpp"

namespace initd::processes {
namespace {

// Directory entries straight from the kernel: opendir would allocate.
struct LinuxDirent64 {
    std::uint64_t d_ino;
    std::int64_t d_off;
    unsigned short d_reclen;
    unsigned char d_type;
    char d_name[1];
};

std::optional<pid_t> parse_pid(std::string_view text) {
    pid_t pid = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), pid);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size() || pid <= 0)
        return std::nullopt;
    return pid;
}

// Calls `visit(pid)` for every process in /proc; false when /proc cannot be read.
template <typename Visit>
bool for_each_process(Visit visit) {
    int dir = ::open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir < 0) return false;
    alignas(8) char buffer[4096];
    for (;;) {
        long n = syscall(SYS_getdents64, dir, buffer, sizeof buffer);
        if (n <= 0) break;
        for (long at = 0; at < n;) {
            auto* entry = reinterpret_cast<LinuxDirent64*>(buffer + at);
            at += entry->d_reclen;
            if (auto pid = parse_pid(entry->d_name)) visit(*pid);
        }
    }
    ::close(dir);
    return true;
}

struct StatFields {
    char state;
    pid_t ppid;
};

// State and parent pid from /proc/PID/stat: "pid (comm) state ppid ...", where comm
// may hold spaces and parentheses, so the fields are read after the last ')'.
std::optional<StatFields> stat_of(pid_t pid) {
    Text path;
    path << "/proc/" << pid << "/stat";
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return std::nullopt;
    char buffer[512];
    ssize_t n = ::read(fd, buffer, sizeof buffer - 1);
    ::close(fd);
    if (n <= 0) return std::nullopt;
    std::string_view stat(buffer, static_cast<std::size_t>(n));
    auto paren = stat.rfind(')');
    if (paren == std::string_view::npos || paren + 4 >= stat.size()) return std::nullopt;
    std::string_view rest = stat.substr(paren + 4);  // ") S " then ppid
    pid_t ppid = 0;  // 0: a process whose parent is outside this namespace
    auto digits = rest.substr(0, rest.find(' '));
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), ppid);
    if (ec != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
    return StatFields{stat[paren + 2], ppid};
}

std::optional<pid_t> parent_of(pid_t pid) {
    auto fields = stat_of(pid);
    if (!fields) return std::nullopt;
    return fields->ppid;
}

// /proc/self names the reader as the /proc's own namespace numbers it.
bool proc_is_ours(pid_t self) {
    char link[16] = {};
    if (::readlink("/proc/self", link, sizeof link - 1) <= 0) return false;
    auto pid = parse_pid(link);
    return pid && *pid == self;
}

bool is_descendant(pid_t pid, pid_t ancestor) {
    // Bounded: a cycle cannot happen, but a runaway walk must not hang the shutdown.
    for (int depth = 0; depth < 4096; ++depth) {
        auto parent = parent_of(pid);
        if (!parent || *parent <= 1) return false;
        if (*parent == ancestor) return true;
        pid = *parent;
    }
    return false;
}

// pidfd pins the process: if `pid` died and its number was reused between the scan
// and now, the signal goes nowhere instead of to a stranger. Only ESRCH means the
// process is gone; any other failure (ENOSYS on old kernels, EPERM from a seccomp
// profile, EMFILE) must not leave it unsignalled, or a shutdown never ends: kill()
// after the ancestry check is the best that remains.
void signal_if_descendant(pid_t pid, pid_t self, int sig) {
    int pidfd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
    if (pidfd < 0) {
        if (errno != ESRCH && is_descendant(pid, self)) ::kill(pid, sig);
        return;
    }
    if (is_descendant(pid, self) && syscall(SYS_pidfd_send_signal, pidfd, sig, nullptr, 0) != 0 &&
        errno != ESRCH)
        ::kill(pid, sig);
    ::close(pidfd);
}

}  // namespace

int exit_code_of(int wait_status) {
    if (WIFSIGNALED(wait_status)) return 128 + WTERMSIG(wait_status);
    return WEXITSTATUS(wait_status);
}

bool has_children() {
    siginfo_t info{};
    return ::waitid(P_ALL, 0, &info, WEXITED | WSTOPPED | WCONTINUED | WNOHANG | WNOWAIT) == 0 || errno != ECHILD;
}

Reaped reap_one() {
    int status = 0;
    pid_t pid;
    do pid = ::waitpid(-1, &status, WNOHANG);
    while (pid < 0 && errno == EINTR);
    return {pid, status};
}

void signal_all_remaining(int sig, bool pid1, pid_t fallback_group) {
    if (pid1) {
        ::kill(-1, sig);
        return;
    }
    pid_t self = ::getpid();
    // Another namespace's pid numbers would name strangers (or nobody) here.
    bool scanned = proc_is_ours(self) && for_each_process([&](pid_t pid) {
        if (pid != self) signal_if_descendant(pid, self, sig);
    });
    if (!scanned && fallback_group > 0) ::kill(-fallback_group, sig);
}

bool namespace_has_strangers() {
    if (!proc_is_ours(1)) return false;  // this /proc shows another namespace: nothing to learn
    bool found = false;
    for_each_process([&](pid_t pid) {
        if (found || pid == 1) return;
        auto fields = stat_of(pid);
        found = fields && fields->state != 'Z';
    });
    return found;
}

}  // namespace initd::processes
