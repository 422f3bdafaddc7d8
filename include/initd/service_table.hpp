// The services initd supervises (--services DIR, runit's layout): for each, its `run`
// and, when it has one, its logger `log/run`. Each of these programs has runit's small
// state machine: down -> run -> (finish) -> down, wanted up or down, restarted no sooner
// than a second after its last start (runit's pause: a failing service cannot spin).
//
// Pure: processes, the clock and the supervise/ files are behind `ServiceOps`, so every
// transition is unit-tested with a fake (tests/unit/service_table_test.cpp).
#pragma once

#include <array>
#include <cstdint>
#include <sys/types.h>

#include "initd/runit_status.hpp"

namespace initd::services {

// 64 services, each with a logger: what a container runs is far less. Past it, the
// directory scan says which service was left out.
inline constexpr int kMaxServices = 64;
inline constexpr int kMaxNameLength = 63;
// runit starts a program again no sooner than this after its last start.
inline constexpr std::int64_t kRestartPauseMs = 1000;

// One supervised program: a service's `run` (with its `finish`) or its logger. All
// zeros is a valid state (the table lives in zeroed memory: no start-up cost).
// Its runit::Status (since: the wall clock of the last change; pid: of ./run, or of
// ./finish in state finish) is its first part: changed() publishes it as it is.
struct Program : runit::Status {
    bool present;      // the logger exists (the service's run always does)
    bool has_finish;   // ./finish is executable: run it after each ./run
    std::int64_t started_ms;  // last start, monotonic; 0: never
    std::int64_t restart_at;  // monotonic; 0: no restart pending
};

struct Service {
    char name[kMaxNameLength + 1];
    bool in_use;
    bool removed;     // its directory went away: stopped, then forgotten
    Program run, log; // log.present when DIR/NAME/log/run exists
};

enum class Which : unsigned char { run, log };

// What the table asks of the world. The real one (src/services/) forks in the
// service's directory, signals and writes supervise/; the tests' one records.
class ServiceOps {
public:
    // Starts ./run (finish_args null) or ./finish CODE SIGNAL of the service, or its
    // logger. Returns the pid, or -1 when the program could not be started at all
    // (logged by the implementation).
    virtual pid_t start(int service, Which which, const int* finish_args) = 0;
    virtual void signal(pid_t pid, int sig) = 0;
    virtual std::int64_t now_ms() = 0;                          // monotonic
    virtual void wall_now(std::int64_t& sec, std::uint32_t& nsec) = 0;
    virtual void publish(int service, Which which, const runit::Status& status) = 0;
    virtual void released(int service) = 0;  // a removed service's row is free again

protected:
    ~ServiceOps() = default;
};

class ServiceTable {
public:
    void bind(ServiceOps& ops) { ops_ = &ops; }

    // A new service in a free row, not yet published (its files are not in place yet:
    // refresh). -1 when the table is full.
    int add(const char* name, bool has_log, bool run_has_finish, bool log_has_finish, bool want_up,
            bool log_want_up);
    void refresh(int service);  // publishes its state as of now (its files are in place)
    void start_wanted();  // every program wanted up and down: start it (logger first)

    // One of runit's control letters for the service or its logger (sv writes them to
    // supervise/control): u d o p c h a i q 1 2 t k x. False for an unknown letter.
    bool control(int service, Which which, char command);

    // A reaped child: true when it was one of the table's (and the table moved on).
    bool on_exit(pid_t pid, int wait_status);
    void on_deadlines();              // restarts whose pause is over
    long long timeout_ms() const;     // -1: nothing pending

    // The directory went away: the service is stopped like `sv down`, and its row is
    // freed once nothing of it runs.
    void remove(int service);

    // Shutdown: every ./run (then every logger) wanted down, TERM + CONT to what runs
    // (runit's stop); loggers last, so they can write what the services said while stopping.
    void stop_all(Which which);
    bool services_down() const;   // no ./run and no ./finish runs
    bool all_down() const;        // nor any logger
    void signal_running(int sig); // every running ./run (not loggers): HUP, USR1...
    void kill_all();              // SIGKILL to everything still running

    const Service& at(int service) const { return services_[service]; }
    int find(const char* name) const;  // -1 when not there
    int capacity() const { return kMaxServices; }

private:
    Program& program(int service, Which which);
    void start(int service, Which which, bool asked = false);
    void stop(Program& p);
    void changed(int service, Which which, bool new_state);
    void ended(int service, Which which, int wait_status);
    void release_if_done(int service);  // a removed service with nothing running: freed

    ServiceOps* ops_;
    Service services_[kMaxServices];
};

}  // namespace initd::services
