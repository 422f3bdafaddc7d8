// The state the main loop owns, and what it does on each kind of wake-up: a signal to
// forward, children to reap, a deadline that has come. main.cpp runs the loop.
#pragma once

#include <array>
#include <optional>
#include <span>
#include <sys/types.h>

#include "initd/deadlines.hpp"
#include "initd/options.hpp"
#include "initd/script_queue.hpp"
#include "initd/spawn.hpp"

namespace initd {
namespace services {
class ServiceDirectory;
}
namespace dock {
class Features;
}

class Supervisor {
public:
    // `services`: the --services directory's supervisor, or null. `scripts`: where the
    // startup and shutdown scripts are listed, or null when there are none. (Both are
    // large; the plain `initd -- cmd` path never makes them.)
    // `dock`: dock's features (--io, --web-hook, ...: dock.hpp), or null when none is asked for.
    // (Not inlined, nor are start() and on_signal(): in main, every member would be at a
    // 4-byte offset in its large frame; here, at a 1-byte offset from `this`.)
    [[gnu::noinline]] Supervisor(const Config& config, const ChildSetup& setup, bool pid1, services::ServiceDirectory* services = nullptr,
               ScriptQueue* scripts = nullptr, dock::Features* dock = nullptr);

    bool start();                    // false: the first fork failed (logged)
    long long timeout_ms() const;    // -1: nothing pending, sleep for ever
    void on_signal(int sig);
    void on_children();              // SIGCHLD: reap until nothing is left
    void on_deadlines();             // the wait timed out: fire what is due
    void on_wait_failed(int err);    // the wait itself failed: fall back to polling
    std::optional<int> exit_code() const;  // set once initd should exit
    const Text& ending() const { return ending_; }  // how a failed main child ended, else ""

    // Called after each start-up script that succeeded (my_init rebuilds the
    // environment the next programs get from /etc/container_environment).
    void (*after_startup_script)() = nullptr;

private:
    enum class Phase { running, backoff, shutdown, done };
    enum Timer { grace, kill_after, restart, services_stop, timer_count };
    // With services or scripts, the life of the container in order; `single` is the
    // plain path (one child). Each stage's scripts run one at a time as "the child".
    enum class Stage : unsigned char { single, startup, main, pre_shutdown, stopping, post_shutdown, final };

    bool spawn();
    void handle(int sig, int to, bool stop_self);
    void reap_all();
    void fire_overdue();
    void deliver(int sig);
    void child_ended(int status);
    void describe_ending(int status);
    void begin_shutdown(int exit_code);
    void say_farewell();
    void kill_remaining();
    void check_shutdown_complete(bool no_children);
    void final_shutdown(int exit_code);
    // Several processes (stages other than `single`).
    bool multi_signal(int sig, int to);
    void run_scripts(const char* const* paths, int count);
    void run_next_script();
    void script_ended(int code);
    void advance();
    void services_progress();
    pid_t target() const { return config_.process_group ? -child_ : child_; }

    const Config& config_;
    const ChildSetup& setup_;
    const bool pid1_;
    const bool has_command_;
    services::ServiceDirectory* const services_;
    ScriptQueue* const scripts_;
    dock::Features* const dock_;

    // The rest starts as zeros, side by side (widest first): a few stores make them.
    const char* script_ = nullptr;   // the script that runs as the child
    std::int64_t started_at_ = 0;  // of the current run, for the back-off reset
    std::uint64_t backoff_ms_ = 0;
    Phase phase_ = Phase::running;
    pid_t child_ = 0;              // the main child while it runs, else 0
    pid_t child_group_ = 0;        // the last main child's process group, even once it is gone
    int last_code_ = 0;            // the last main child's exit code
    unsigned restarts_ = 0;
    int abort_signal_ = 0;           // TERM or INT during start-up: ends it once the script is gone
    terminal::Foreground foreground_;  // whom initd handed the terminal to, across restarts
    Stage stage_ = Stage::single;
    bool terminated_ = false;        // initd was asked to stop (TERM or INT)
    bool shutdown_script_failed_ = false;
    bool loggers_stopping_ = false;
    bool terminating_ = false;     // a termination signal was forwarded (or held) this run
    bool killing_ = false;         // shutdown past its grace: SIGKILL what remains
    bool wait_failed_ = false;     // said once that waiting for signals fails

    Text ending_;                  // see ending()

    // The timers, then by signal when to forward it (--delay-signal): one array, so
    // that the loop's wait looks at one list.
    std::array<Deadline, timer_count + kSignalMax + 1> deadlines_{};
    std::span<Deadline> timers() { return std::span(deadlines_).first(timer_count); }
    std::span<Deadline> delayed() { return std::span(deadlines_).subspan(timer_count); }
    Deadline& timer(Timer which) { return deadlines_[which]; }
    Deadline& delayed(int sig) { return deadlines_[timer_count + static_cast<std::size_t>(sig)]; }
};

}  // namespace initd
