#include "initd/terminal.hpp"

#include <csignal>
#include <sys/ioctl.h>
#include <unistd.h>

#include "initd/sigmask.hpp"

namespace initd::terminal {

void release() {
    if (!isatty(STDIN_FILENO)) return;
    bool leader = getsid(0) == getpid();
    if (ioctl(STDIN_FILENO, TIOCNOTTY) < 0 || !leader) return;
    // A session leader letting go of its terminal makes the kernel send SIGHUP and
    // SIGCONT to the foreground group, initd's own: they are not the user's to forward.
    sigmask::discard_pending(SIGHUP);
    sigmask::discard_pending(SIGCONT);
}

bool may_hand_on(const Foreground& foreground) {
    if (!isatty(STDIN_FILENO)) return false;
    pid_t group = tcgetpgrp(STDIN_FILENO);
    return group > 0 && (group == getpgrp() || group == foreground.handed_to);
}

const char* take(bool new_session, bool take_foreground) {
    if (new_session) {
        if (setsid() < 0) return "setsid";
        // initd gave the terminal up; the new session leader takes it. Not a terminal: fine.
        ioctl(STDIN_FILENO, TIOCSCTTY, 0);
        return nullptr;
    }
    if (setpgid(0, 0) < 0) return "setpgid";
    // SIGTTOU is blocked here, so a background group may set the foreground.
    if (take_foreground) tcsetpgrp(STDIN_FILENO, getpid());
    return nullptr;
}

}  // namespace initd::terminal
