// What initd asks of the process table: reaping its children, and signalling the
// processes a shutdown must end (all of the namespace as PID 1, else descendants).
#pragma once

#include <optional>
#include <string_view>
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
// subreaper every descendant, found by walking down from initd through /proc (never
// anything outside initd's tree).
// When /proc is missing or shows another PID namespace its pids mean nothing here;
// then only `fallback_group` (the main child's process group, if > 0) is signalled.
// Returns 0, or the errno of a signal that could not be sent (EPERM from a seccomp
// filter, say): the shutdown cannot wait for what it cannot end.
int signal_all_remaining(int sig, bool pid1, pid_t fallback_group);

// As PID 1: whether the namespace has live processes that are not initd's children
// (`docker exec` sessions), which waitpid cannot see. Reads /proc when it is ours.
// Their zombies do not count: only their own parent, outside, can reap them.
bool namespace_has_strangers();

// --- The /proc parsing, pure, so that the unit tests can reach it. ---

struct StatFields {
    char state;
    pid_t ppid;   // 0: the parent is outside this PID namespace
    int threads;  // 0: unknown (the line was cut short)
};

// State, parent pid and number of threads from the text of /proc/PID/stat:
// "pid (comm) state ppid pgrp ... num_threads (the 20th field) ...".
std::optional<StatFields> parse_stat(std::string_view stat);

// The pids of a /proc/PID/task/TID/children file ("12 345 6 "), fed in chunks of any
// size: a list of thousands needs no buffer that holds it whole, and a pid may be
// split between two chunks.
class PidList {
public:
    // Calls yield(pid) for every pid this chunk completes.
    template <typename Yield>
    void feed(std::string_view chunk, Yield&& yield) {
        for (char c : chunk) {
            if (c == ' ' || c == '\n')
                end_token(yield);
            else
                take(c);
        }
    }

    // End of the file: the last pid, if no separator followed it.
    template <typename Yield>
    void finish(Yield&& yield) {
        end_token(yield);
    }

private:
    static constexpr long kPidMax = 4194304;  // the kernel's PID_MAX_LIMIT

    void take(char c) {
        // The kernel writes only digits and spaces; anything else spoils the token.
        if (c < '0' || c > '9' || value_ > kPidMax) {
            bad_ = true;
            return;
        }
        value_ = value_ * 10 + (c - '0');
        digits_ = true;
    }

    template <typename Yield>
    void end_token(Yield& yield) {
        if (digits_ && !bad_ && value_ > 0 && value_ <= kPidMax) yield(static_cast<pid_t>(value_));
        value_ = 0;
        digits_ = false;
        bad_ = false;
    }

    long value_ = 0;
    bool digits_ = false;
    bool bad_ = false;
};

}  // namespace initd::processes
