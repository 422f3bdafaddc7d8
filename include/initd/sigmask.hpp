// initd's own signal state, through the raw rt_sig* system calls: libc's wrappers
// hide signals 32-34 (its internal ones), and initd must block and forward those too.
#pragma once

#include <csignal>
#include <optional>

#include "initd/signals.hpp"

namespace initd::sigmask {

// Blocks every signal 1..64 and returns the mask that was in force before.
SignalSet block_all();

// Replaces the calling thread's mask (the child uses it to restore what initd got).
void set(SignalSet mask);

// Lets `signals` through again at their current action (the names whose peers die of a
// fault signal sent to them).
void unblock(SignalSet signals);

struct Waited {
    int signal;  // > 0: the signal taken; 0: nothing (see `error`)
    int error;   // with signal 0: 0 when the timeout passed, else why the wait failed
};

// Waits for one of the blocked signals. `timeout_ms` < 0 waits for ever (the idle
// case: no wake-ups); otherwise returns {0, 0} once the timeout has passed.
Waited wait(long long timeout_ms, siginfo_t* info);

// Sleeps `ms` (initd takes no signal meanwhile: they are blocked): the loop's fallback
// while waiting fails, and sv's pause between checks.
void nap(long long ms);

// Sets `sig` to be ignored (SIG_IGN) or to its default action (SIG_DFL); initd installs
// no handlers. Returns the disposition it had (SIG_DFL if it could not be set).
using Disposition = void (*)(int);
Disposition set_disposition(int sig, Disposition disposition);

bool pending_for_self(int sig);
void discard_pending(int sig);

}  // namespace initd::sigmask
