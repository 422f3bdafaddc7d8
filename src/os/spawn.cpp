#include "initd/spawn.hpp"

#include <alloca.h>
#include <cerrno>
#include <climits>
#include <csignal>
#include <cstring>
#include <string.h>
#include <string_view>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "initd/log.hpp"
#include "initd/sigmask.hpp"

namespace initd {
namespace {

// The child shares initd's memory until it execs (vfork), so it uses raw system
// calls for credentials (libc's versions synchronise threads through shared state),
// logs nothing and writes no global: the environment is built on its own stack, and
// a failure goes to the Failure in spawn_child's frame, which initd logs once it runs
// again (see spawn_child).

// What the child failed at. volatile: to the compiler, initd's path from vfork() on
// skips the child's stores, so it could otherwise drop them or read the values the
// Failure was created with.
struct Failure {
    const char* call = nullptr;
    int err = 0;
    int code = 0;
};

constexpr int kSetupFailed = 1;  // the exit status when the child fails before exec

[[noreturn]] void fail(volatile Failure& failure, const char* call, int err, int code) {
    failure.call = call;
    failure.err = err;
    failure.code = code;
    _exit(code);
}

// A step before exec failed: `call` says which, errno why.
[[noreturn]] void setup_failed(volatile Failure& failure, const char* call) { fail(failure, call, errno, kSetupFailed); }

// `from` (if >= 0) becomes descriptor `to`. dup3 leaves the copy without O_CLOEXEC:
// the one descriptor the program keeps. (Raw dup3: musl's dup2 is in the binary for
// this call only. It refuses `from` == `to`, which dup2 let through unchanged.)
void dup_onto(int from, int to, volatile Failure& failure) {
    if (from >= 0 && from != to && syscall(SYS_dup3, long{from}, long{to}, 0L) < 0) setup_failed(failure, "dup2");
}

void restore_signals(const ChildSetup& setup) {
    for (int sig : {SIGTTIN, SIGTTOU}) sigmask::set_disposition(sig, setup.inherited_ignored.has(sig) ? SIG_IGN : SIG_DFL);
    sigmask::set(setup.inherited_mask);
}

// Whether `entry` ("NAME=VALUE") sets the variable `name`. Out of line: the child's
// environment and the PATH search share it.
[[gnu::noinline]] bool has_name(const char* entry, std::string_view name) {
    return std::strncmp(entry, name.data(), name.size()) == 0 && entry[name.size()] == '=';
}

// Whether `entry` sets the variable that `setting` ("NAME=VALUE") sets.
bool same_name(const char* entry, const char* setting) {
    return has_name(entry, {setting, static_cast<std::size_t>(::strchrnul(setting, '=') - setting)});
}

// execve, and for a file the kernel does not know how to run (ENOEXEC: a script
// without "#!"), /bin/sh on it as glibc's execvp does: tini and dumb-init users count
// on that (musl's execvp does not do it). `shell` is glibc's argv for it: "/bin/sh",
// the file (set here: the shell's $0), then argv[1] on. Returns the error that counts:
// the file's own ENOEXEC when no shell could run it either (a scratch image).
int exec_file(const char* path, char* const* argv, char** shell, char* const* envp) {
    execve(path, argv, envp);
    if (errno != ENOEXEC) return errno;
    shell[1] = const_cast<char*>(path);
    execve(shell[0], shell, envp);
    return ENOEXEC;
}

int exit_code_for(const ChildSetup& setup, int err) {
    if (err == ENOENT || err == ENOTDIR) return setup.exit_not_found;
    if (err == EACCES) return setup.exit_cannot_run;
    return setup.exit_other;
}

[[noreturn]] void exec_command(const ChildSetup& setup, char* const* envp, volatile Failure& failure) {
    int err = exec_search(setup.command[0], setup.command, envp, envp);
    fail(failure, "execve", err, exit_code_for(setup, err));
}

[[noreturn]] void run_child(const ChildSetup& setup, bool take_foreground, volatile Failure& failure) {
    if (setup.terminal_fd >= 0) {
        if (syscall(SYS_setsid) < 0) setup_failed(failure, "setsid");  // (raw: see terminal.cpp)
        if (ioctl(setup.terminal_fd, TIOCSCTTY, 0) < 0) setup_failed(failure, "TIOCSCTTY");
        for (int fd = 0; fd < 3; ++fd) dup_onto(setup.terminal_fd, fd, failure);
    } else if (const char* call = terminal::take(setup.new_session, take_foreground)) {
        setup_failed(failure, call);
    }
    if (setup.directory_fd >= 0 && syscall(SYS_fchdir, setup.directory_fd) < 0) setup_failed(failure, "fchdir");
    dup_onto(setup.stdin_fd, 0, failure);
    dup_onto(setup.stdout_fd, 1, failure);
    dup_onto(setup.stderr_to_stdout ? 1 : -1, 2, failure);
    if (setup.pdeathsig && syscall(SYS_prctl, PR_SET_PDEATHSIG, long{setup.pdeathsig}) < 0) setup_failed(failure, "prctl");

    // The variables the child gets in place of the environment's own, in this order.
    const char* settings[3];
    int setting_count = 0;
    Text listen_pid;
    if (setup.variable) settings[setting_count++] = setup.variable;
    if (setup.user) settings[setting_count++] = setup.user->home_variable;
    if (setup.listen_pid_owner) {
        // Socket activation: the sockets were meant for initd's pid; they are the child's now.
        listen_pid << "LISTEN_PID=" << static_cast<long>(getpid());
        settings[setting_count++] = listen_pid.c_str();
    }
    std::size_t count = 0;
    for (char* const* e = setup.environment; e && *e; ++e) ++count;
    auto** envp = static_cast<const char**>(alloca((count + 4) * sizeof(char*)));
    std::size_t n = 0;
    for (std::size_t i = 0; i < count; ++i) {
        const char* entry = setup.environment[i];
        bool replaced = false;
        for (int s = 0; s < setting_count; ++s) replaced = replaced || same_name(entry, settings[s]);
        if (!replaced) envp[n++] = entry;
    }
    for (int s = 0; s < setting_count; ++s) envp[n++] = settings[s];
    envp[n] = nullptr;

    if (setup.user)
        if (const char* call = become_user(*setup.user)) setup_failed(failure, call);
    restore_signals(setup);
    exec_command(setup, const_cast<char* const*>(envp), failure);
}

}  // namespace

const char* become_user(const Credentials& user) {
    if (syscall(SYS_setgroups, user.group_count, user.groups.data()) < 0) return "setgroups";
    if (syscall(SYS_setgid, user.gid) < 0) return "setgid";
    if (syscall(SYS_setuid, user.uid) < 0) return "setuid";
    return nullptr;
}

int exec_search(const char* file, char* const* command, char* const* envp, char* const* path_from) {
    std::size_t argc = 0;
    while (command[argc]) ++argc;
    auto** shell = static_cast<char**>(alloca((argc + 2) * sizeof(char*)));
    shell[0] = const_cast<char*>("/bin/sh");
    std::memcpy(shell + 2, command + 1, argc * sizeof(char*));  // with the null
    if (std::strchr(file, '/')) return exec_file(file, command, shell, envp);
    const char* path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    // The first PATH= wins, as with getenv: a later duplicate is not the one a
    // shell in the same environment would search.
    for (char* const* e = path_from; *e; ++e)
        if (has_name(*e, "PATH")) {
            path = *e + 5;
            break;
        }
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
            int err = exec_file(candidate, command, shell, envp);
            if (err == EACCES) denied = true;
            else if (err != ENOENT && err != ENOTDIR) return err;  // found, but it would not run
        }
        if (!*end) return denied ? EACCES : ENOENT;
        dir = end;
    }
}

bool SpawnResult::exec_failed() const { return failed_call && std::strcmp(failed_call, "execve") == 0; }

SpawnResult spawn_child(const ChildSetup& setup, terminal::Foreground& foreground) {
    bool take_foreground =
        !setup.new_session && !setup.background && setup.terminal_fd < 0 && terminal::may_hand_on(foreground);
    // The child reports a failure by writing here, in initd's memory. That is safe
    // because vfork suspends initd until the child has exec'd or exited: nobody reads
    // while the child writes, and an exec'd child has memory of its own and writes
    // nothing. glibc's posix_spawn reports a failed exec to its parent the same way.
    volatile Failure failure;
    pid_t pid = vfork();
    if (pid == 0) run_child(setup, take_foreground, failure);
    SpawnResult result;
    result.pid = pid;
    if (pid < 0) {
        result.failed_call = "fork";
        result.failed_errno = errno;
        return result;
    }
    // Even when the exec failed: the child took the foreground first, and the next
    // child must be allowed to take it back from the dead group.
    if (take_foreground) foreground.handed_to = pid;
    result.failed_call = failure.call;
    result.failed_errno = failure.err;
    result.exit_code = failure.code;
    return result;
}

void log_spawn(const ChildSetup& setup, const SpawnResult& result) {
    if (!result.failed_call) {
        if (!log::enabled(log::Level::info)) return;
        Text t;
        t << "started '" << setup.command[0] << "' as pid " << result.pid;
        log::line(log::Level::info, t);
        return;
    }
    if (!result.exec_failed()) {
        log::failure(result.failed_call, result.failed_errno);
        return;
    }
    Text t;
    t << "cannot execute '" << setup.command[0] << "': " << log::errno_text(result.failed_errno);
    log::line(log::Level::error, t);
}

}  // namespace initd
