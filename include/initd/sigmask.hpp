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

// Waits for one of the blocked signals. `timeout_ms` < 0 waits for ever (the idle
// case: no wake-ups); otherwise returns nullopt once the timeout has passed.
std::optional<int> wait(long long timeout_ms, siginfo_t* info);

bool pending_for_self(int sig);
void discard_pending(int sig);

}  // namespace initd::sigmask
