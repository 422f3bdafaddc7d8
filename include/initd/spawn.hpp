// Everything between fork and exec: process group or session, terminal, the signal
// state initd inherited, the user, the environment, and execvp's PATH search.
#pragma once

#include <sys/types.h>

#include "initd/signals.hpp"
#include "initd/terminal.hpp"
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
    // The child's exit status when exec fails, as the name's row says: no such file,
    // permission denied, and any other error (the shell's 127 and 126 by default).
    int exit_not_found = 127;
    int exit_cannot_run = 126;
    int exit_other = 126;
    // For services and scripts (src/services/): started in this directory, with these as
    // stdin and stdout (-1: initd's own), and never given the terminal's foreground.
    int directory_fd = -1;
    int stdin_fd = -1;
    int stdout_fd = -1;
    bool background = false;
    // dock: the child's stderr is its stdout (merged in order), it gets `pdeathsig` when
    // initd dies, and `variable` ("NAME=VALUE") replaces NAME in its environment.
    bool stderr_to_stdout = false;
    int pdeathsig = 0;
    const char* variable = nullptr;
    // dock's output relay with a socket --io (output_relay.hpp): a pseudo-terminal made
    // the child's controlling terminal (in a session of its own) and its fds 0, 1 and 2.
    int terminal_fd = -1;
};

// setgroups, setgid, setuid (raw calls: libc's synchronise threads through shared
// state, which a vfork child must not touch); the name of the call that failed, or null.
const char* become_user(const Credentials& user);

// execvp's search for `file` in the PATH of `path_from` (runit's chpst searches the PATH
// it was started with, not the one its -e sets), run as `command` (its argv, which chpst
// -b gives another argv[0]) with the environment `envp`; a file without "#!" runs under
// /bin/sh. Returns the error that counts when nothing ran.
int exec_search(const char* file, char* const* command, char* const* envp, char* const* path_from);

// What became of one spawn, in the order it happened: the vfork child reports its
// failure here instead of logging it, so the caller can log "started" or the failure.
struct SpawnResult {
    pid_t pid = -1;                     // -1: vfork failed (failed_call "fork")
    const char* failed_call = nullptr;  // null: the command was exec'd; "execve", "setsid", ...
    int failed_errno = 0;
    int exit_code = 0;                  // the child's _exit status when it failed
    bool exec_failed() const;           // the command itself could not be run
};

// Starts the child with vfork semantics: initd sleeps until the child has exec'd
// (or failed to). `foreground` is the caller's, kept from one spawn to the next
// (restarts). Nothing is logged: see log_spawn.
SpawnResult spawn_child(const ChildSetup& setup, terminal::Foreground& foreground);

// Logs the outcome: "started '<command>' as pid N" (info) when the command was
// exec'd; else "cannot execute '<command>': <error>", "<call>: <error>" or "fork: ...".
void log_spawn(const ChildSetup& setup, const SpawnResult& result);

}  // namespace initd
