// Everything between fork and exec: process group or session, terminal, the signal
// state initd inherited, the user, the environment, and execvp's PATH search.
#pragma once

#include <sys/types.h>

#include "initd/signals.hpp"
#include "initd/users.hpp"

namespace initd {

struct ChildSetup {
    char* const* command = nullptr;
    char* const* environment = nullptr;
    SignalSet inherited_mask;        // restored in the child
    SignalSet inherited_ignored;     // of TTIN/TTOU, which initd ignores for itself
    bool new_session = false;        // --setsid: session leader with the terminal
    const Credentials* user = nullptr;
    int listen_pid_owner = 0;        // initd's pid when LISTEN_PID names it, else 0
    int exit_not_found = 127;        // exec failures (dumb-init's name: 2 for both)
    int exit_cannot_run = 126;
};

// Starts the child with vfork semantics: initd sleeps until the child has exec'd
// (or failed to). Returns the child's pid, or -1 with errno set.
pid_t spawn_child(const ChildSetup& setup);

}  // namespace initd
