#include "initd/service_table.hpp"

#include <csignal>
#include <cstring>
#include <sys/wait.h>

namespace initd::services {

int ServiceTable::add(const char* name, bool has_log, bool run_has_finish, bool log_has_finish, bool want_up,
                      bool log_want_up) {
    for (int i = 0; i < kMaxServices; ++i) {
        Service& s = services_[i];
        if (s.in_use) continue;
        s = Service{};
        std::memcpy(s.name, name, std::strlen(name) + 1);  // the caller checked the length
        s.in_use = true;
        s.run.present = true;
        s.run.has_finish = run_has_finish;
        s.run.want_up = want_up;
        s.log.present = has_log;
        s.log.has_finish = log_has_finish;
        s.log.want_up = has_log && log_want_up;
        return i;
    }
    return -1;
}

// Not inlined into the directory scan: its loop is shorter on its own.
[[gnu::noinline]] int ServiceTable::find(const char* name) const {
    for (int i = 0; i < kMaxServices; ++i) {
        const Service& s = services_[i];
        if (s.in_use && std::strcmp(s.name, name) == 0) return i;
    }
    return -1;
}

// Out of line: inlined, each of its callers would hold a copy of the row arithmetic.
[[gnu::noinline]] Program& ServiceTable::program(int service, Which which) {
    Service& s = services_[service];
    return which == Which::run ? s.run : s.log;
}

void ServiceTable::start_wanted() {
    for (int i = 0; i < kMaxServices; ++i) {
        const Service& s = services_[i];
        if (!s.in_use || s.removed) continue;
        // The logger first: the service's first lines have a reader from the start.
        // (start() skips what is absent or running)
        if (s.log.want_up) start(i, Which::log);
        if (s.run.want_up) start(i, Which::run);
    }
}

void ServiceTable::start(int service, Which which, bool asked) {
    Program& p = program(service, which);
    if (!p.present || p.pid != 0) return;
    std::int64_t now = ops_->now_ms();
    // sv up and sv once start at once; only a restart after an exit waits.
    if (!asked && p.started_ms && now < p.started_ms + kRestartPauseMs) {
        p.restart_at = p.started_ms + kRestartPauseMs;  // runit's pause: no spinning
        return;
    }
    p.restart_at = 0;
    p.started_ms = now;
    pid_t pid = ops_->start(service, which, nullptr);
    if (pid <= 0) {
        // Not started (no such file, fork refused): try again after the pause, as
        // runit does, while it is wanted up. sv shows it down, "want up".
        if (p.want_up) p.restart_at = now + kRestartPauseMs;
        changed(service, which, true);
        return;
    }
    p.pid = pid;
    p.state = runit::State::run;
    p.got_term = false;
    p.paused = false;
    changed(service, which, true);
}

void ServiceTable::stop(Program& p) {
    // runit's stop: TERM, then CONT so that a paused program can act on it.
    ops_->signal(p.pid, SIGTERM);
    ops_->signal(p.pid, SIGCONT);
    p.got_term = true;
    p.paused = false;
}

bool ServiceTable::control(int service, Which which, char command) {
    Program& p = program(service, which);
    if (!p.present) return false;
    bool stoppable = p.pid != 0 && p.state == runit::State::run;
    // The letters that send a signal, and their signals: a table, not a case each.
    static constexpr char kLetters[] = "haiq12kpc";
    static constexpr unsigned char kSignals[] = {SIGHUP,  SIGALRM, SIGINT,  SIGQUIT, SIGUSR1,
                                                 SIGUSR2, SIGKILL, SIGSTOP, SIGCONT};
    switch (command) {
    case 'u':
    case 'd':
    case 'x':  // runsv's "exit": there is no runsv to end; the program stops as with d
    case 'o':
        // (restart_at is 0 while a program runs, and start() clears it: no harm to 'u')
        p.want_up = command == 'u';
        p.restart_at = 0;
        [[fallthrough]];
    case 't':
        if (stoppable && command != 'u' && command != 'o') stop(p);
        changed(service, which, false);
        if (command == 'u' || command == 'o') start(service, which, true);  // unless running
        return true;
    }
    const char* letter = command ? std::strchr(kLetters, command) : nullptr;
    if (!letter) return false;
    if (p.pid) ops_->signal(p.pid, kSignals[letter - kLetters]);
    if (command == 'p' || command == 'c') {
        p.paused = command == 'p';
        changed(service, which, false);
    }
    return true;
}

bool ServiceTable::on_exit(pid_t pid, int wait_status) {
    if (pid <= 0) return false;
    for (int i = 0; i < kMaxServices; ++i) {
        Service& s = services_[i];
        if (!s.in_use) continue;
        if (s.run.pid == pid) ended(i, Which::run, wait_status);
        else if (s.log.pid == pid) ended(i, Which::log, wait_status);
        else continue;
        return true;
    }
    return false;
}

void ServiceTable::ended(int service, Which which, int wait_status) {
    Program& p = program(service, which);
    bool was_run = p.state == runit::State::run;
    p.pid = 0;
    p.got_term = false;  // (runsv keeps `paused` until the next start: so does stat)
    if (was_run && p.has_finish) {
        // runit's two arguments: the exit code, or -1 and the signal that ended it.
        int args[2] = {WIFEXITED(wait_status) ? WEXITSTATUS(wait_status) : -1,
                       WIFSIGNALED(wait_status) ? WTERMSIG(wait_status) : 0};
        pid_t finish = ops_->start(service, which, args);
        if (finish > 0) {
            p.pid = finish;
            p.state = runit::State::finish;
            changed(service, which, true);
            return;
        }
    }
    p.state = runit::State::down;
    changed(service, which, true);
    if (p.want_up && !services_[service].removed) start(service, which);
    release_if_done(service);
}

void ServiceTable::release_if_done(int service) {
    Service& s = services_[service];
    if (s.removed && s.run.pid == 0 && s.log.pid == 0) {
        s.in_use = false;
        ops_->released(service);
    }
}

void ServiceTable::on_deadlines() {
    std::int64_t now = ops_->now_ms();
    for (int i = 0; i < kMaxServices; ++i) {
        Service& s = services_[i];
        if (!s.in_use) continue;
        for (Which which : {Which::log, Which::run}) {
            Program& p = program(i, which);
            if (!p.restart_at || now < p.restart_at) continue;
            p.restart_at = 0;
            if (p.want_up) start(i, which);
        }
    }
}

long long ServiceTable::timeout_ms() const {
    std::int64_t first = 0;  // the earliest pending restart: the clock is read only then
    for (const Service& s : services_) {
        if (!s.in_use) continue;
        // As unsigned, x - 1 puts 0 ("none") above every time: one compare for both.
        for (const Program* p : {&s.run, &s.log})
            if (static_cast<std::uint64_t>(p->restart_at) - 1 < static_cast<std::uint64_t>(first) - 1) first = p->restart_at;
    }
    if (!first) return -1;
    std::int64_t now = ops_->now_ms();
    return first > now ? first - now : 0;
}

void ServiceTable::remove(int service) {
    Service& s = services_[service];
    if (!s.in_use) return;
    s.removed = true;
    control(service, Which::run, 'd');
    control(service, Which::log, 'd');  // (no logger: control() does nothing)
    release_if_done(service);
}

void ServiceTable::stop_all(Which which) {
    for (int i = 0; i < kMaxServices; ++i)
        if (services_[i].in_use) control(i, which, 'd');  // (no logger: nothing done)
}

bool ServiceTable::services_down() const {
    for (const Service& s : services_)
        if (s.in_use && s.run.pid != 0) return false;
    return true;
}

bool ServiceTable::all_down() const {
    for (const Service& s : services_)
        if (s.in_use && (s.run.pid != 0 || s.log.pid != 0)) return false;
    return true;
}

void ServiceTable::signal_running(int sig) {
    for (const Service& s : services_)
        if (s.in_use && s.run.pid != 0 && s.run.state == runit::State::run) ops_->signal(s.run.pid, sig);
}

void ServiceTable::kill_all() {
    for (const Service& s : services_) {
        if (!s.in_use) continue;
        if (s.run.pid) ops_->signal(s.run.pid, SIGKILL);
        if (s.log.pid) ops_->signal(s.log.pid, SIGKILL);
    }
}

void ServiceTable::refresh(int service) {
    changed(service, Which::run, true);
    if (at(service).log.present) changed(service, Which::log, true);
}

void ServiceTable::changed(int service, Which which, bool new_state) {
    Program& p = program(service, which);
    if (new_state) ops_->wall_now(p.since_sec, p.since_nsec);
    ops_->publish(service, which, p);
}

}  // namespace initd::services
