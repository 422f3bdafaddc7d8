// What a terminal stop signal (SIGTSTP, SIGTTIN, SIGTTOU) sent to initd does: which
// signal the child gets, and whether initd then stops itself so that the shell that
// started it sees the whole job suspended. Pure: the supervisor carries it out.
#pragma once

#include <csignal>

#include "initd/names.hpp"
#include "initd/signals.hpp"

namespace initd::job_control {

struct Plan {
    int forward;     // the signal for the child (0: none)
    bool stop_self;  // then SIGSTOP initd itself (never as PID 1: the kernel refuses)
};

// `sig` as received; `rewritten` after --rewrite; `process_group` is -g (or --setsid).
inline Plan plan(JobControl style, int sig, int rewritten, bool has_rule, bool process_group, bool setsid) {
    switch (style) {
    case JobControl::initd: {
        // With -g the job is stopped for real (SIGSTOP: a job that handles TSTP would
        // otherwise keep running), unless the user's rule says otherwise; initd stops
        // with it only if what was sent does stop the job.
        if (!process_group) return {rewritten, false};
        int to = has_rule ? rewritten : SIGSTOP;
        return {to, to == SIGSTOP || is_job_control_stop(to)};
    }
    case JobControl::dumb_init:
        // dumb-init: in setsid mode the three become SIGSTOP unless a rule names them;
        // in every mode it forwards, then suspends itself, whatever was forwarded.
        return {setsid && !has_rule ? SIGSTOP : rewritten, true};
    case JobControl::tini:
        // tini ignores SIGTTIN and SIGTTOU and forwards SIGTSTP like any other signal.
        return {sig == SIGTSTP ? rewritten : 0, false};
    case JobControl::catatonit:
        // catatonit drops all three: they only mean its terminal has TOSTOP set.
        return {0, false};
    }
    return {rewritten, false};
}

}  // namespace initd::job_control
