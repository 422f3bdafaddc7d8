#include "initd/supervisor.hpp"

#include <cerrno>
#include <cstring>
#include <csignal>
#include <sys/wait.h>
#include <unistd.h>

#include "initd/dock.hpp"
#include "initd/job_control.hpp"
#include "initd/log.hpp"
#include "initd/oom.hpp"
#include "initd/processes.hpp"
#include "initd/service_directory.hpp"
#include "initd/sigmask.hpp"

namespace initd {
namespace {

constexpr std::uint64_t kFirstBackoffMs = 100;
constexpr std::uint64_t kMaxBackoffMs = 60 * 1000;
constexpr std::int64_t kHealthyRunMs = 10 * 1000;  // a run this long resets the back-off
// As PID 1, processes that are not initd's children (`docker exec`) send no SIGCHLD;
// during a shutdown only, initd looks for them this often.
constexpr long long kStrangerPollMs = 20;
// While waiting for signals fails (a seccomp filter, an injected fault), how often
// initd looks at its children and deadlines instead.
constexpr long long kFallbackPollMs = 100;

// "SIGX" for a signal's number. (The number, not signal_name's result, crosses the
// call: each caller is shorter.)
struct Signal {
    int number;
};
Text& operator<<(Text& t, Signal sig) { return t << "SIG" << signal_name(sig.number).view(); }

// A warning with nothing to fill in.
void warn(const char* what) { log::line(log::Level::warning, Text() << what); }

// "dropped SIGX (why)", at -vvv.
void dropped(int sig, const char* why) {
    log::line(log::Level::debug, Text() << "dropped " << Signal{sig} << " (" << why << ')');
}

// The shorter of two waits, where -1 is for ever: as unsigned, -1 is the longest.
long long sooner(long long a, long long b) {
    return static_cast<unsigned long long>(a) < static_cast<unsigned long long>(b) ? a : b;
}

}  // namespace

Supervisor::Supervisor(const Config& config, const ChildSetup& setup, bool pid1, services::ServiceDirectory* services,
                       ScriptQueue* scripts, dock::Features* dock)
    : config_(config), setup_(setup), pid1_(pid1), has_command_(config.command && config.command[0]),
      services_(services), scripts_(scripts), dock_(dock) {}

[[gnu::noinline]] bool Supervisor::start() {
    // Children that died before initd blocked SIGCHLD (adopted while it was starting,
    // or left by the program that exec'd it) sent a signal nobody queued: reap them now.
    reap_all();
    if (services_ || scripts_) {
        stage_ = Stage::startup;
        run_scripts(config_.startup.data(), Config::kMaxScriptDirs);
        return phase_ != Phase::done;
    }
    if (config_.pause || spawn()) return true;
    phase_ = Phase::done;
    last_code_ = 1;
    return false;
}

bool Supervisor::spawn() {
    SpawnResult spawned = spawn_child(setup_, foreground_);
    log_spawn(setup_, spawned);  // "started", or what failed: fork, the child's setup, exec
    if (spawned.pid < 0) return false;
    pid_t pid = spawned.pid;
    child_ = pid;
    child_group_ = pid;  // spawn_child makes it a group (or session) leader
    // Read only for the back-off: the plain path reads no clock (a system call each).
    if (config_.restart != RestartPolicy::no) started_at_ = now_ms();
    terminating_ = false;
    if (dock_) dock_->started();
    return true;
}

long long Supervisor::timeout_ms() const {
    // The clock is read only when something may be due: the plain path waits without it.
    bool timed = any_armed(deadlines_) || dock_;
    std::int64_t now = timed ? now_ms() : 0;
    long long wait = timeout_until_next(deadlines_, now);
    if (phase_ == Phase::shutdown && pid1_ && !killing_) wait = sooner(wait, kStrangerPollMs);
    if (services_) wait = sooner(wait, services_->table().timeout_ms());
    if (dock_) wait = sooner(wait, dock_->timeout_ms(now));
    return wait;
}

[[gnu::noinline]] void Supervisor::on_signal(int sig) {
    if (sig == SIGIO && (dock_ || services_)) {
        // A descriptor of initd's is ready (dock's output and hooks; sv's commands and
        // changes to the service directory, not once the services are stopping; their
        // output until the end).
        if (dock_) dock_->on_io();
        if (services_ && stage_ == Stage::main) services_->on_io();
        else if (services_) services_->drain_output();
        fire_overdue();
        return;
    }
    int to = config_.rewrite.apply(sig);
    if (stage_ != Stage::single && multi_signal(sig, to)) {
        fire_overdue();
        return;
    }
    if (config_.pause) {
        if (sig == SIGTERM || sig == SIGINT) begin_shutdown(0);
        return;
    }
    bool stop_self = false;
    if (is_job_control_stop(sig)) {
        auto plan = job_control::plan(config_.row->job_control, sig, to, config_.rewrite.has_rule(sig),
                                      config_.process_group, config_.setsid);
        to = plan.forward;
        stop_self = plan.stop_self;
    }
    handle(sig, to, stop_self);
    fire_overdue();
}

void Supervisor::handle(int sig, int to, bool stop_self) {
    if ((to == 0 && !stop_self) || phase_ == Phase::shutdown || phase_ == Phase::done) {
        dropped(sig, to == 0 ? "rewritten to 0" : "shutting down");
        return;
    }
    if (phase_ == Phase::backoff) {
        if (is_termination_signal(to)) begin_shutdown(last_code_);  // no child to ask: end now
        else dropped(sig, "no child");
        return;
    }
    if (to != 0 && config_.delay_ms[static_cast<std::size_t>(to)] > 0) {
        // The user asked the child to stop: if it ends while the signal is held, that
        // is no reason to start it again.
        if (is_termination_signal(to)) terminating_ = true;
        // A second copy while one is held does not restart the clock.
        Deadline& held = delayed(to);
        if (!held.armed()) held.arm_in(config_.delay_ms[static_cast<std::size_t>(to)]);
        return;
    }
    if (to != 0) deliver(to);
    // The job is stopped; initd stops too, so the shell sees the whole job suspended.
    // PID 1 cannot be stopped by a signal from inside its namespace.
    if (stop_self && !pid1_) ::kill(::getpid(), SIGSTOP);
}

void Supervisor::deliver(int sig) {
    if (dock_ && child_ > 0) sig = dock_->stop_signal(child_, sig);  // --thug
    // kill(0) or kill(-0) would signal initd's own process group.
    bool sent = child_ > 0 && ::kill(target(), sig) == 0;
    log::line(log::Level::debug, Text() << (sent ? "forwarded " : "could not forward ") << Signal{sig} << " to " << target()
                                        << (sent ? "" : ": child gone"));
    if (!sent) return;
    if (is_termination_signal(sig)) {
        terminating_ = true;
        if (config_.kill_after_ms > 0 && !timer(kill_after).armed())
            timer(kill_after).arm_in(config_.kill_after_ms);
    }
}

void Supervisor::on_children() {
    reap_all();
    fire_overdue();
}

// The loop fires deadlines only when its wait times out; under a steady stream of
// signals that might not happen, so whatever is already due is fired here too.
// (timeout_ms() is 0 exactly when one of them is due: the shutdown's poll is never 0.)
void Supervisor::fire_overdue() {
    if (phase_ != Phase::done && timeout_ms() == 0) on_deadlines();
}

void Supervisor::reap_all() {
    for (;;) {
        processes::Reaped r = processes::reap_one();
        if (r.pid <= 0) {
            check_shutdown_complete(r.pid < 0);
            return;
        }
        if (r.pid == child_) {
            child_ended(r.status);
            continue;
        }
        if (services_ && services_->table().on_exit(r.pid, r.status)) {
            services_->drain_output();  // what it wrote last, before a shutdown may end initd
            if (stage_ == Stage::stopping) services_progress();
            continue;
        }
        if (config_.warn_reap) {
            Text t;
            // tini's users grep for "Reaped zombie process with pid=", so that is the wording.
            t << "Reaped zombie process with pid=" << r.pid << " (exit code " << processes::exit_code_of(r.status) << ")";
            Text oom;
            if (WIFSIGNALED(r.status) && WTERMSIG(r.status) == SIGKILL && oom::explain_sigkill(oom)) t << ": " << oom.view();
            log::line(log::Level::error, t);
        }
    }
}

void Supervisor::child_ended(int status) {
    child_ = 0;
    if (stage_ != Stage::single && stage_ != Stage::main) {
        script_ended(processes::exit_code_of(status));
        return;
    }
    last_code_ = processes::exit_code_of(status);
    if (dock_) dock_->ended();
    timer(kill_after).disarm();
    for (Deadline& d : delayed()) d.disarm();
    describe_ending(status);

    bool failed = last_code_ != 0;
    bool policy_says = config_.restart == RestartPolicy::always ||
                       (config_.restart == RestartPolicy::on_failure && failed);
    bool allowed = config_.restart_max == 0 || restarts_ < config_.restart_max;
    if (!policy_says || terminating_ || !allowed) {
        begin_shutdown(last_code_);
        return;
    }
    if (backoff_ms_ == 0 || now_ms() - started_at_ >= kHealthyRunMs) backoff_ms_ = kFirstBackoffMs;
    timer(restart).arm_in(backoff_ms_);
    phase_ = Phase::backoff;
    // A restart hides a failure from whoever watches the container: say so at -v.
    Text t;
    t << "child exited with status " << last_code_ << "; restart " << (restarts_ + 1) << " in "
      << static_cast<long long>(backoff_ms_) << " ms";
    log::line(log::Level::warning, t);
    backoff_ms_ = backoff_ms_ * 2 < kMaxBackoffMs ? backoff_ms_ * 2 : kMaxBackoffMs;
}

// How the main child ended: the line for the termination log (what Kubernetes shows as
// the container's reason), e.g. "exited with status 137: killed by SIGKILL (the kernel's
// OOM killer: memory.max 64 MiB reached)", or "" for a success. An OOM kill is worth a
// log line of its own.
void Supervisor::describe_ending(int status) {
    ending_.clear();
    if (last_code_ == 0) return;
    ending_ << "exited with status " << last_code_;
    if (restarts_ > 0) ending_ << " after " << restarts_ << (restarts_ == 1 ? " restart" : " restarts");
    if (!WIFSIGNALED(status)) return;
    ending_ << ": killed by " << Signal{WTERMSIG(status)};
    Text oom;
    if (WTERMSIG(status) != SIGKILL || !oom::explain_sigkill(oom)) return;
    ending_ << " (" << oom.view() << ')';
    log::line(log::Level::error, Text() << "child killed by SIGKILL: " << oom.view());
}

void Supervisor::begin_shutdown(int exit_code) {
    last_code_ = exit_code;
    if (stage_ == Stage::main) {
        // The main command is done (or initd was told to stop): the shutdown scripts and
        // the services' stop come before the usual end.
        stage_ = Stage::pre_shutdown;
        for (Deadline& d : timers()) d.disarm();
        run_scripts(&config_.pre_shutdown, 1);
        return;
    }
    final_shutdown(exit_code);
}

void Supervisor::final_shutdown(int exit_code) {
    last_code_ = exit_code;
    if (stage_ != Stage::single) stage_ = Stage::final;
    phase_ = Phase::shutdown;
    for (Deadline& d : timers()) d.disarm();
    if (!pid1_ && config_.row->farewell != Farewell::grace) {
        say_farewell();
        phase_ = Phase::done;
        return;
    }
    killing_ = config_.grace_ms == 0;
    if (!config_.kill_all_on_exit) {
        phase_ = Phase::done;  // my_init --no-kill-all-on-exit: leave the rest be
        return;
    }
    // Usually the main child was the last process. A subreaper with no children has no
    // descendants either, so the /proc scan (slow on a busy host) is not needed.
    if (!pid1_ && !processes::has_children()) {
        phase_ = Phase::done;
        return;
    }
    if (killing_) kill_remaining();
    else {
        processes::signal_all_remaining(SIGTERM, pid1_, child_group_);
        timer(grace).arm_in(config_.grace_ms);
    }
    reap_all();
}

// SIGKILL for what remains. What the kernel (or a seccomp filter) does not let initd
// kill, initd cannot wait for either: it says so and ends rather than wait for ever.
void Supervisor::kill_remaining() {
    int err = processes::signal_all_remaining(SIGKILL, pid1_, child_group_);
    if (err == 0 || phase_ == Phase::done) return;
    log::line(log::Level::error, Text() << "cannot SIGKILL what remains (kill: " << log::errno_text(err)
                                        << "); exiting without waiting for it");
    phase_ = Phase::done;
}

// The peers' way to end when they are not PID 1: the rest keeps running, as it would
// under the peer (a TERM-handler that stays alive must still be alive afterwards).
void Supervisor::say_farewell() {
    if (config_.row->farewell != Farewell::term_child) return;
    int sig = config_.rewrite.apply(SIGTERM);
    // dumb-init's farewell goes to the child's session (its group) in setsid mode. In
    // -c mode it goes to the child alone, which is gone: its pid may already be another
    // process's, so initd signals nobody.
    if (sig != 0 && config_.setsid && child_group_ > 0) ::kill(-child_group_, sig);
}

void Supervisor::check_shutdown_complete(bool no_children) {
    if (phase_ != Phase::shutdown) return;
    if (!no_children) {
        // Past the deadline, whatever is still (or newly) there is killed again: a
        // process that forks while dying cannot outrun the shutdown.
        if (killing_) kill_remaining();
        return;
    }
    if (pid1_ && !killing_ && processes::namespace_has_strangers()) return;
    phase_ = Phase::done;
}

void Supervisor::on_deadlines() {
    std::int64_t now = now_ms();
    if (timer(grace).expire(now)) {
        killing_ = true;
        warn("grace period over: sending SIGKILL to what remains");
        kill_remaining();
    }
    if (timer(kill_after).expire(now) && child_) {
        warn("child still alive after --kill-after: SIGKILL");
        ::kill(target(), SIGKILL);
    }
    if (timer(services_stop).expire(now)) {
        warn("services still running after the stop's grace period: SIGKILL");
        services_->table().kill_all();
    }
    if (services_ && stage_ == Stage::main) services_->table().on_deadlines();
    if (dock_) dock_->on_deadlines(now);
    if (timer(restart).expire(now)) {
        ++restarts_;
        phase_ = Phase::running;
        if (!spawn()) begin_shutdown(1);
    }
    for (int sig = 1; sig <= kSignalMax; ++sig)
        if (delayed(sig).expire(now) && child_) deliver(sig);
    // Children are looked at on every timed wake-up, not only on SIGCHLD: it is one
    // waitpid, it is the shutdown's poll for processes that are not initd's children,
    // and it keeps initd working while waiting for signals fails (on_wait_failed).
    reap_all();
}

void Supervisor::on_wait_failed(int err) {
    // Never spin: a wait that fails at once would otherwise loop at full speed. Signals
    // stay queued in the kernel meanwhile; children and deadlines are looked at every
    // kFallbackPollMs, so the child's exit and every deadline still end initd in time.
    if (!wait_failed_) {
        static_assert(kFallbackPollMs == 100, "the line below says 100 ms");
        log::line(log::Level::error, Text() << "rt_sigtimedwait: " << log::errno_text(err)
                                            << "; signals wait until it works again, children are checked every 100 ms");
        wait_failed_ = true;
    }
    sigmask::nap(sooner(timeout_ms(), kFallbackPollMs));
    on_deadlines();
}

std::optional<int> Supervisor::exit_code() const {
    if (phase_ != Phase::done) return std::nullopt;
    if (config_.pause) return 0;
    int code = last_code_;
    if (terminated_ && config_.row->exit_when_stopped) code = config_.row->exit_when_stopped;  // my_init: 2
    // A shutdown script that failed is news even when the application did well.
    else if (shutdown_script_failed_ && code == 0) code = 1;
    return config_.expect_exit[static_cast<std::size_t>(code & 0xff)] ? 0 : code;
}

// --- Several processes: start-up scripts, services, shutdown scripts. ---

// Signals while there are stages (`to`: after --rewrite): true when handled here,
// false for the usual forwarding to the main command.
bool Supervisor::multi_signal(int sig, int to) {
    bool stop = sig == SIGTERM || sig == SIGINT;
    if (stage_ == Stage::startup) {
        if (stop && child_) {
            // Start-up is abandoned: the script is asked to end, and initd ends after it.
            terminated_ = true;
            abort_signal_ = sig;
            deliver(SIGTERM);
        } else if (to && child_) {
            deliver(to);  // (rewritten to 0: dropped, as for the main command)
        }
        return true;
    }
    if (stage_ != Stage::main) {
        dropped(sig, "shutting down");
        return true;
    }
    if (stop) terminated_ = true;
    if (has_command_) return false;  // the main command gets it, as on the plain path
    // No main command: initd runs the services until it is told to stop; any other
    // signal goes to every running service.
    if (stop) begin_shutdown(0);
    else if (to && services_) services_->table().signal_running(to);
    return true;
}

void Supervisor::run_scripts(const char* const* paths, int count) {
    if (scripts_) scripts_->load(paths, count);
    run_next_script();
}

// The stage's next script, as the child (signals go to it), or the next stage.
void Supervisor::run_next_script() {
    script_ = scripts_ ? scripts_->next() : nullptr;
    if (!script_) {
        advance();
        return;
    }
    char* argv[2] = {const_cast<char*>(script_), nullptr};
    ChildSetup setup = setup_;
    setup.command = argv;
    setup.user = nullptr;  // -u is the main command's
    log::line(log::Level::info, Text() << "running " << script_);
    SpawnResult spawned = spawn_child(setup, foreground_);
    if (spawned.failed_call) log_spawn(setup, spawned);
    if (spawned.pid < 0) {
        script_ended(1);  // fork failed: as a script that failed
        return;
    }
    child_ = spawned.pid;
    child_group_ = spawned.pid;
}

void Supervisor::script_ended(int code) {
    timer(kill_after).disarm();
    bool startup = stage_ == Stage::startup;
    if (startup && abort_signal_) {
        final_shutdown(128 + abort_signal_);
        return;
    }
    if (code != 0) {
        // my_init's rule: a failing start-up script stops everything.
        log::line(log::Level::error,
                  Text() << script_ << " failed with status " << code << (startup ? "; not starting anything more" : ""));
        if (startup) {
            final_shutdown(1);
            return;
        }
        shutdown_script_failed_ = true;
    } else if (startup && after_startup_script) {
        after_startup_script();
    }
    run_next_script();
}

// A stage's scripts are done: on to the next stage.
void Supervisor::advance() {
    switch (stage_) {
    case Stage::startup:
        stage_ = Stage::main;
        if (services_) {
            services_->open(config_.services, setup_, config_.prefix_services);
            services_->start();
        }
        if (has_command_ && !spawn()) begin_shutdown(1);
        return;
    case Stage::pre_shutdown:
        stage_ = Stage::stopping;
        if (services_) {
            services_->table().stop_all(services::Which::run);
            timer(services_stop).arm_in(config_.service_stop_ms ? config_.service_stop_ms : config_.grace_ms);
        }
        services_progress();
        return;
    case Stage::stopping:
        stage_ = Stage::post_shutdown;
        run_scripts(&config_.post_shutdown, 1);
        return;
    default:
        final_shutdown(last_code_);
        return;
    }
}

// During the services' stop: once they are down, their loggers are stopped (they may
// still be writing what the services said last), then the next stage.
void Supervisor::services_progress() {
    if (services_) {
        services::ServiceTable& table = services_->table();
        if (!table.services_down()) return;
        if (!loggers_stopping_) {
            loggers_stopping_ = true;
            table.stop_all(services::Which::log);
        }
        if (!table.all_down()) return;
    }
    timer(services_stop).disarm();
    advance();
}

}  // namespace initd
