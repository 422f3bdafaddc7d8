#include "initd/spawn.hpp"

#include <alloca.h>
#include <cerrno>
#include <climits>
#include <csignal>
#include <cstring>
#include <string.h>
#include <string_view>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "initd/log.hpp"
#include "initd/sigmask.hpp"

namespace initd {
namespace {

// The child shares initd's memory until it execs (vfork), so it uses raw system
// calls for credentials (libc's versions synchronise threads through shared state)
// and never writes a global: the environment is built on its own stack.

[[noreturn]] void fail_setup(const char* call, int exit_code) {
    log::failure(call, errno);
    _exit(exit_code);
}

// The group initd last handed the terminal's foreground to. Once that child is gone
// (a restart), the terminal still names its dead group, and the next child takes over.
pid_t handed_foreground_to = 0;

// Only a foreground initd hands the foreground on: a background initd must not steal
// the terminal from the shell that started it.
bool foreground_is_ours() {
    if (!isatty(STDIN_FILENO)) return false;
    pid_t foreground = tcgetpgrp(STDIN_FILENO);
    return foreground > 0 && (foreground == getpgrp() || foreground == handed_foreground_to);
}

void take_terminal(bool new_session, bool take_foreground) {
    if (new_session) {
        if (setsid() < 0) fail_setup("setsid", 1);
        // initd gave the terminal up; the new session leader takes it. Not a terminal: fine.
        ioctl(STDIN_FILENO, TIOCSCTTY, 0);
        return;
    }
    if (setpgid(0, 0) < 0) fail_setup("setpgid", 1);
    // SIGTTOU is blocked here, so a background group may set the foreground.
    if (take_foreground) tcsetpgrp(STDIN_FILENO, getpid());
}

void switch_user(const Credentials& user) {
    if (syscall(SYS_setgroups, user.group_count, user.groups.data()) < 0) fail_setup("setgroups", 1);
    if (syscall(SYS_setgid, user.gid) < 0) fail_setup("setgid", 1);
    if (syscall(SYS_setuid, user.uid) < 0) fail_setup("setuid", 1);
}

void restore_signals(const ChildSetup& setup) {
    for (int sig : {SIGTTIN, SIGTTOU}) {
        struct sigaction action {};
        action.sa_handler = setup.inherited_ignored.has(sig) ? SIG_IGN : SIG_DFL;
        sigaction(sig, &action, nullptr);
    }
    sigmask::set(setup.inherited_mask);
}

bool has_name(const char* entry, std::string_view name) {
    return std::strncmp(entry, name.data(), name.size()) == 0 && entry[name.size()] == '=';
}

// execvp's search, over an explicit environment (vfork forbids changing `environ`).
[[noreturn]] void exec_command(const ChildSetup& setup, char* const* envp) {
    const char* file = setup.command[0];
    int err = ENOENT;
    if (std::strchr(file, '/')) {
        execve(file, setup.command, envp);
        err = errno;
    } else {
        const char* path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
        for (char* const* e = envp; *e; ++e)
            if (has_name(*e, "PATH")) path = *e + 5;
        bool denied = false;
        std::size_t file_len = std::strlen(file);
        for (const char* dir = path;; ++dir) {
            const char* end = ::strchrnul(dir, ':');
            std::size_t dir_len = static_cast<std::size_t>(end - dir);
            char candidate[PATH_MAX];
            if (dir_len + 1 + file_len < sizeof candidate) {
                std::memcpy(candidate, dir, dir_len);
                std::size_t at = dir_len;
                if (dir_len) candidate[at++] = '/';
                std::memcpy(candidate + at, file, file_len + 1);
                execve(candidate, setup.command, envp);
                if (errno == EACCES) denied = true;
                else if (errno != ENOENT && errno != ENOTDIR) {
                    err = errno;
                    break;
                }
            }
            if (!*end) {
                err = denied ? EACCES : ENOENT;
                break;
            }
            dir = end;
        }
    }
    Text t;
    t << "cannot execute '" << file << "': " << std::strerror(err);
    log::line(log::Level::error, t);
    _exit(err == ENOENT || err == ENOTDIR ? setup.exit_not_found : setup.exit_cannot_run);
}

[[noreturn]] void run_child(const ChildSetup& setup, bool take_foreground) {
    take_terminal(setup.new_session, take_foreground);

    std::size_t count = 0;
    for (char* const* e = setup.environment; e && *e; ++e) ++count;
    auto** envp = static_cast<char**>(alloca((count + 3) * sizeof(char*)));
    char listen_pid[32];
    std::size_t n = 0;
    for (std::size_t i = 0; i < count; ++i) {
        char* entry = setup.environment[i];
        if (setup.user && has_name(entry, "HOME")) continue;
        if (setup.listen_pid_owner && has_name(entry, "LISTEN_PID")) continue;
        envp[n++] = entry;
    }
    if (setup.user) envp[n++] = const_cast<char*>(setup.user->home_variable);
    if (setup.listen_pid_owner) {
        // Socket activation: the sockets were meant for initd's pid; they are the child's now.
        Text t;
        t << "LISTEN_PID=" << static_cast<long>(getpid());
        std::memcpy(listen_pid, t.view().data(), t.view().size());
        listen_pid[t.view().size()] = '\0';
        envp[n++] = listen_pid;
    }
    envp[n] = nullptr;

    if (setup.user) switch_user(*setup.user);
    restore_signals(setup);
    exec_command(setup, envp);
}

}  // namespace

pid_t spawn_child(const ChildSetup& setup) {
    bool take_foreground = !setup.new_session && foreground_is_ours();
    pid_t pid = vfork();
    if (pid == 0) run_child(setup, take_foreground);
    if (pid > 0 && take_foreground) handed_foreground_to = pid;
    return pid;
}

}  // namespace initd
