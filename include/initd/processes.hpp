// What initd asks of the process table: reaping its children, and signalling the
// processes a shutdown must end (all of the namespace as PID 1, else descendants).
#pragma once

#include <sys/types.h>

namespace initd::processes {

// 128+N for a child killed by signal N, its exit code otherwise.
int exit_code_of(int wait_status);

struct Reaped {
    pid_t pid;
    int status;
};

// One child that has exited, without waiting; pid 0 when none has, -1 when initd has
// no children left at all.
Reaped reap_one();

// Whether initd has any child at all, dead or alive (waitid without reaping).
bool has_children();

// SIGTERM or SIGKILL for everything the shutdown must end: kill(-1) as PID 1; as a
// subreaper every descendant found in /proc (never anything outside initd's tree).
// When /proc is missing or shows another PID namespace its pids mean nothing here;
// then only `fallback_group` (the main child's process group, if > 0) is signalled.
void signal_all_remaining(int sig, bool pid1, pid_t fallback_group);

// As PID 1: whether the namespace has live processes that are not initd's children
// (`docker exec` sessions), which waitpid cannot see. Reads /proc when it is ours.
// Their zombies do not count: only their own parent, outside, can reap them.
bool namespace_has_strangers();

}  // namespace initd::processes
