// The one-time steps of initd's start (README, "How it works"), each a small function so
// main() reads as a list.
#pragma once

#include <optional>

#include "initd/options.hpp"
#include "initd/users.hpp"

namespace initd::startup {

// Parses argv and the environment into `config`; prints help, version, license or
// the error line. Returns the exit code when initd should exit now.
std::optional<int> configure(int argc, char** argv, char** envp, Config& config);

// initd ignores SIGTTIN and SIGTTOU for itself; returns which of the two it inherited
// ignored, so the child can get them back as they were.
SignalSet ignore_terminal_stops();

// Child subreaper when not PID 1 (as the name's row says), --pdeathsig; tini's warning.
// False when initd must not go on (tini's -s or catatonit, and the kernel said no).
bool become_reaper(const Config& config, bool pid1);

// --user: resolve before anything is spawned; false after printing the error line.
bool resolve_credentials(const Config& config, Credentials& out);

// After the first spawn: pin no mount, hold no descriptor but 0-2.
void detach_from_cwd_and_descriptors();

// The pid LISTEN_PID names when it is initd's own (socket activation), else 0.
int listen_pid_owner(char** envp);

}  // namespace initd::startup
