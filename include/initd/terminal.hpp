// Every terminal and job-control system call initd makes, in one place: giving up the
// controlling terminal for --setsid, deciding whether the child gets the terminal's
// foreground, and the child's side of taking the terminal over.
#pragma once

#include <sys/types.h>

namespace initd::terminal {

// The process group initd last handed the terminal's foreground to. The caller keeps
// it across restarts: once that child is gone the terminal still names its dead group,
// and the next child must take over from it as it would from initd.
struct Foreground {
    pid_t handed_to = 0;
};

// --setsid: gives up the controlling terminal so the child's new session can take it.
// When initd leads its session, the SIGHUP and SIGCONT the kernel then sends to its
// foreground group (initd's own) are discarded: they are not the user's to forward.
void release();

// Whether a child in a process group of its own should take the terminal's foreground:
// only when the foreground is initd's group, or the group initd last handed it to. A
// background initd must not steal the terminal from the shell that started it.
bool may_hand_on(const Foreground& foreground);

// In the vfork child, before exec: with `new_session`, a new session that takes the
// terminal (if stdin is one); else a process group of its own, which takes the
// foreground when `take_foreground`. Returns nullptr, or the name of the call that
// failed with errno set. Logs nothing: it runs in initd's memory (see spawn.cpp).
const char* take(bool new_session, bool take_foreground);

}  // namespace initd::terminal
