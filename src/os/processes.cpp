#include "initd/processes.hpp"

#include <cerrno>
#include <climits>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <optional>
#include <span>
#include <string_view>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "initd/directory.hpp"
#include "initd/duration.hpp"
#include "initd/text.hpp"

namespace initd::processes {
namespace {

// A whole field of digits (no sign) that fits an int, as pids, ppids and thread counts
// do. (duration.hpp's parser: an instance of std::from_chars<int> is larger.)
bool parse_int(std::string_view text, int& number) {
    auto value = initd::parse_number(text);
    if (!value || *value > INT_MAX) return false;
    number = static_cast<int>(*value);
    return true;
}

std::optional<pid_t> parse_pid(std::string_view text) {
    pid_t pid = 0;
    if (!parse_int(text, pid) || pid == 0) return std::nullopt;
    return pid;
}

// Calls `visit(number)` for every entry of the open directory `dir` named by a number
// (a pid in /proc, a tid in /proc/PID/task), reading `buffer` full at a time; closes `dir`.
template <typename Visit>
void for_each_numbered_entry(int dir, std::span<char> buffer, Visit visit) {
    for_each_entry(dir, buffer, [&](const LinuxDirent64& entry) {
        if (auto number = parse_pid(entry.d_name)) visit(*number);
        return true;
    });
    ::close(dir);
}

// Calls `visit(pid)` for every process in /proc; false when /proc cannot be read.
template <typename Visit>
bool for_each_process(Visit visit) {
    int dir = ::open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir < 0) return false;
    alignas(8) char buffer[4096];
    for_each_numbered_entry(dir, buffer, visit);
    return true;
}

// /proc/PID/FILE, or with a thread (`tid` > 0) /proc/PID/task/TID/children (FILE "task").
// The path is built out of line, so that the walk's recursive frames do not hold a Text
// (480 bytes) each; one function for every /proc file, as they share most of it.
[[gnu::noinline]] int open_proc_file(pid_t pid, const char* file, pid_t tid = 0, int flags = 0) {
    Text path;
    path << "/proc/" << pid << '/' << file;
    if (tid > 0) path << '/' << tid << "/children";
    return ::open(path.c_str(), flags | O_RDONLY | O_CLOEXEC);
}

std::optional<StatFields> stat_of(pid_t pid) {
    int fd = open_proc_file(pid, "stat");
    if (fd < 0) return std::nullopt;
    char buffer[512];  // comm is at most 16 bytes: the fields needed come early
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    ::close(fd);
    if (n <= 0) return std::nullopt;
    return parse_stat(std::string_view(buffer, static_cast<std::size_t>(n)));
}

std::optional<pid_t> parent_of(pid_t pid) {
    auto fields = stat_of(pid);
    if (!fields) return std::nullopt;
    return fields->ppid;
}

// /proc/self names the reader as the /proc's own namespace numbers it.
bool proc_is_ours(pid_t self) {
    char link[16];
    // (readlinkat: musl's readlink would be in the binary for this call only)
    long n = syscall(SYS_readlinkat, long{AT_FDCWD}, "/proc/self", link, sizeof link - 1);
    if (n <= 0) return false;
    auto pid = parse_pid({link, static_cast<std::size_t>(n)});
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

// --- Walking down from initd through the children files. ---

// Deeper descendants are not lost: once their ancestors die they are re-parented to
// initd (the subreaper), and while killing the supervisor sweeps again after reaps.
// The bound keeps the walk's stack under 64 KiB (under 1 KiB a level) and its
// descriptors under 200 (a task directory, a children file and a pidfd a level).
constexpr int kMaxDepth = 64;

// More visits than the kernel has pids means a forker outruns the sweep: stop, the
// next sweep goes on.
constexpr long kMaxVisits = 4194304;

struct Walk {
    int sig;
    long visits = 0;
    int failed = 0;  // errno of a signal that could not be sent (not ESRCH), or 0
};

// A process whose children are being walked; pidfd -1 for initd itself, or when
// pidfds fail.
struct Parent {
    pid_t pid;
    int pidfd;
};

void signal_children_of(const Parent& parent, int threads, Walk& walk, int depth);

int open_pidfd(pid_t pid) { return static_cast<int>(syscall(SYS_pidfd_open, pid, 0)); }

// Only ESRCH proves the parent gone; EPERM from a seccomp profile proves nothing.
bool still_there(const Parent& parent) {
    return parent.pidfd < 0 || syscall(SYS_pidfd_send_signal, parent.pidfd, 0, nullptr, 0) == 0 ||
           errno != ESRCH;
}

// As in signal_if_descendant: kill() when the pidfd cannot be used, unless it is gone.
void send(pid_t pid, int pidfd, Walk& walk) {
    if (pidfd >= 0 && syscall(SYS_pidfd_send_signal, pidfd, walk.sig, nullptr, 0) == 0) return;
    if ((pidfd < 0 || errno != ESRCH) && ::kill(pid, walk.sig) < 0 && errno != ESRCH) walk.failed = errno;
}

// pidfd pins the process: if `pid` died and its number was reused between the scan
// and now, the signal goes nowhere instead of to a stranger. Only ESRCH means the
// process is gone; any other failure (ENOSYS on old kernels, EPERM from a seccomp
// profile, EMFILE) must not leave it unsignalled, or a shutdown never ends: kill()
// after the ancestry check is the best that remains (send() does that).
void signal_if_descendant(pid_t pid, pid_t self, int sig) {
    int pidfd = open_pidfd(pid);
    if (pidfd < 0 && errno == ESRCH) return;
    Walk walk{sig};  // (what could not be signalled is not reported by this slow scan)
    if (is_descendant(pid, self)) send(pid, pidfd, walk);
    if (pidfd >= 0) ::close(pidfd);
}

// A pid named by `parent`'s children list. Deeper down, the pidfd pins it first; then
// its ppid proves it a child of `parent`, and `parent` still being there proves that
// number was not reused meanwhile, so no stranger is signalled. initd's own children
// need no pidfd: initd reaps only after the walk, so their numbers cannot be reused.
// The process is signalled before its own list is read: a SIGKILLed process cannot
// fork a child the walk misses.
void signal_child(pid_t pid, const Parent& parent, Walk& walk, int depth) {
    if (++walk.visits > kMaxVisits) return;
    int pidfd = depth == 0 ? -1 : open_pidfd(pid);
    if (pidfd < 0 && depth > 0 && errno == ESRCH) return;  // gone; its children are initd's now
    auto fields = stat_of(pid);
    // A zombie with no thread left (Z with 1 thread; a leader that ended before its
    // other threads shows Z with more) needs no signal, and its children were handed
    // to initd when it died: in a shutdown most of the tree is in that state.
    bool dead = fields && fields->state == 'Z' && fields->threads == 1;
    if (fields && !dead && fields->ppid == parent.pid && still_there(parent)) {
        send(pid, pidfd, walk);
        if (depth < kMaxDepth) signal_children_of(Parent{pid, pidfd}, fields->threads, walk, depth + 1);
    }
    if (pidfd >= 0) ::close(pidfd);
}

// Reads one thread's children file a chunk at a time; false when it cannot be opened.
// Each read restarts the kernel's search from the head of the list, so a long list
// wants a large chunk.
bool signal_listed_children(pid_t tid, const Parent& parent, std::span<char> chunk, Walk& walk, int depth) {
    int fd = open_proc_file(parent.pid, "task", tid);
    if (fd < 0) return false;
    PidList list;
    auto visit = [&](pid_t child) { signal_child(child, parent, walk, depth); };
    for (;;) {
        ssize_t n = ::read(fd, chunk.data(), chunk.size());
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        list.feed(std::string_view(chunk.data(), static_cast<std::size_t>(n)), visit);
    }
    list.finish(visit);
    ::close(fd);
    return true;
}

// Every thread of a process has its own children list. With one thread (most
// processes) its number is the process's, and the task directory need not be listed;
// a thread started after the count is like a child forked after its parent's list was
// read: a later sweep finds what it leaves.
void signal_children_of(const Parent& parent, int threads, Walk& walk, int depth) {
    char chunk[256];
    if (threads == 1) {
        signal_listed_children(parent.pid, parent, chunk, walk, depth);
        return;
    }
    int dir = open_proc_file(parent.pid, "task", 0, O_DIRECTORY);
    if (dir < 0) return;
    alignas(8) char entries[256];
    for_each_numbered_entry(dir, entries, [&](pid_t tid) { signal_listed_children(tid, parent, chunk, walk, depth); });
}

}  // namespace

std::optional<StatFields> parse_stat(std::string_view stat) {
    // comm may hold spaces and parentheses: the fields are read after the last ')'.
    auto paren = stat.rfind(')');
    if (paren == std::string_view::npos || paren + 4 >= stat.size() || stat[paren + 1] != ' ' ||
        stat[paren + 3] != ' ')
        return std::nullopt;
    StatFields fields{stat[paren + 2], 0, 0};
    std::string_view rest = stat.substr(paren + 4);  // ") S " then ppid
    auto next_field = [&rest] {
        auto field = rest.substr(0, rest.find(' '));
        rest.remove_prefix(field.size() < rest.size() ? field.size() + 1 : rest.size());
        return field;
    };
    if (!parse_int(next_field(), fields.ppid)) return std::nullopt;
    for (int field = 5; field < 20 && !rest.empty(); ++field) next_field();  // pgrp .. nice
    if (!rest.empty() && !parse_int(next_field(), fields.threads)) fields.threads = 0;
    return fields;
}

int exit_code_of(int wait_status) {
    if (WIFSIGNALED(wait_status)) return 128 + WTERMSIG(wait_status);
    return WEXITSTATUS(wait_status);
}

// waitid and wait4 through syscall(), as musl's waitid and waitpid make them: their
// wrappers would be in the binary for these two calls only.
bool has_children() {
    siginfo_t info;  // (only the call's result is read)
    return syscall(SYS_waitid, long{P_ALL}, 0L, &info, long{WEXITED | WSTOPPED | WCONTINUED | WNOHANG | WNOWAIT}, nullptr) == 0 ||
           errno != ECHILD;
}

Reaped reap_one() {
    int status = 0;
    pid_t pid;
    do pid = static_cast<pid_t>(syscall(SYS_wait4, -1L, &status, long{WNOHANG}, nullptr));
    while (pid < 0 && errno == EINTR);
    return {pid, status};
}

int signal_all_remaining(int sig, bool pid1, pid_t fallback_group) {
    // ESRCH only says that nobody was left to signal.
    auto result = [](int rc) { return rc < 0 && errno != ESRCH ? errno : 0; };
    if (pid1) return result(::kill(-1, sig));
    pid_t self = ::getpid();
    // Another namespace's pid numbers would name strangers (or nobody) here.
    if (!proc_is_ours(self)) return fallback_group > 0 ? result(::kill(-fallback_group, sig)) : 0;
    // initd is single-threaded: its one list holds all its children, among them every
    // orphan, so it is the long one and gets the large chunk.
    Walk walk{sig};
    char chunk[4096];
    if (signal_listed_children(self, Parent{self, -1}, chunk, walk, 0)) return walk.failed;
    // No children files (a kernel built without CONFIG_PROC_CHILDREN): the slow scan
    // of all of /proc, with each process's ancestry.
    bool scanned = for_each_process([&](pid_t pid) {
        if (pid != self) signal_if_descendant(pid, self, sig);
    });
    return !scanned && fallback_group > 0 ? result(::kill(-fallback_group, sig)) : 0;
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
