#include "initd/terminal.hpp"

#include <csignal>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "initd/sigmask.hpp"

namespace initd::terminal {
namespace {

// isatty, tcgetpgrp and tcsetpgrp are these ioctls; musl's wrappers would be in the
// binary for these three calls only. (getsid, getpgrp, as getpgid(0), and setpgid are raw
// calls for the same reason; setsid for it and spawn's and chpst's calls.)
bool stdin_is_terminal() {
    winsize size;
    return ioctl(STDIN_FILENO, TIOCGWINSZ, &size) == 0;
}

pid_t foreground_group() {
    pid_t group;
    return ioctl(STDIN_FILENO, TIOCGPGRP, &group) == 0 ? group : -1;
}

}  // namespace

void release() {
    if (!stdin_is_terminal()) return;
    bool leader = syscall(SYS_getsid, 0L) == getpid();
    if (ioctl(STDIN_FILENO, TIOCNOTTY) < 0 || !leader) return;
    // A session leader letting go of its terminal makes the kernel send SIGHUP and
    // SIGCONT to the foreground group, initd's own: they are not the user's to forward.
    sigmask::discard_pending(SIGHUP);
    sigmask::discard_pending(SIGCONT);
}

bool may_hand_on(const Foreground& foreground) {
    if (!stdin_is_terminal()) return false;
    pid_t group = foreground_group();
    return group > 0 && (group == syscall(SYS_getpgid, 0L) || group == foreground.handed_to);
}

const char* take(bool new_session, bool take_foreground) {
    if (new_session) {
        if (syscall(SYS_setsid) < 0) return "setsid";
        // initd gave the terminal up; the new session leader takes it. Not a terminal: fine.
        ioctl(STDIN_FILENO, TIOCSCTTY, 0);
        return nullptr;
    }
    if (syscall(SYS_setpgid, 0L, 0L) < 0) return "setpgid";
    // SIGTTOU is blocked here, so a background group may set the foreground.
    if (take_foreground) {
        pid_t self = getpid();
        ioctl(STDIN_FILENO, TIOCSPGRP, &self);
    }
    return nullptr;
}

}  // namespace initd::terminal
