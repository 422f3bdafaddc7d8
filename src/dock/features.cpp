#include "initd/dock.hpp"

#include <csignal>
#include <new>
#include <unistd.h>

#include "initd/clock.hpp"
#include "initd/deadlines.hpp"
#include "initd/gzip.hpp"
#include "initd/large_bss.hpp"
#include "initd/log.hpp"
#include "initd/log_rotate.hpp"
#include "initd/notify_socket.hpp"
#include "initd/output_relay.hpp"
#include "initd/port_probe.hpp"
#include "initd/signal_masks.hpp"
#include "initd/web_hook.hpp"

namespace initd::dock {
namespace {

// dock looks for the port this often until it is bound; then no timer at all.
constexpr std::uint64_t kPortPollMs = 200;
// How long the child's start waits for the "starting" hook, and initd's exit for the
// last one: dock waits for ever; a hook server that does not answer must not hold a
// container back (README, "Coming from dock").
constexpr int kHookWaitMs = 1000;

// The parts, each made only for its option. Large (the relay's buffers, the gzip
// window): they live in .lbss, where the plain path never touches a page of them.
struct Parts {
    const Config* config = nullptr;
    char* const* envp = nullptr;
    bool relay_on = false;
    bool waiting_ready = false;  // --notify-socket: "running" once READY=1 came
    Deadline port_poll;  // --bind-port: armed while the port is waited for ("running" once bound)
    Deadline rotate;
    OutputRelay relay;
    WebHook hook;
    NotifySocket notify;
    GzipWriter gzip;
};

// Zeroed storage, constructed by prepare(), which only a dock option brings and which
// comes before any other use: a namespace-scope Parts would be constructed (its
// descriptors set to -1) at every start, touching its pages, and a function's static
// would test its guard at every one of the many uses below.
union Storage {
    constexpr Storage() {}  // no member yet: all zeros, in .lbss
    Parts parts;
};
INITD_LARGE_BSS Storage storage;

Parts& parts() { return storage.parts; }

void hook(const char* status) {
    parts().hook.send(status);  // nothing without --web-hook
    log::line(log::Level::debug, Text() << "process state: " << status);
}

void running() {
    parts().waiting_ready = false;
    parts().port_poll.disarm();
    hook(WebHook::running);
}

// `gzip` is the parts' GzipWriter, passed as the rotation's context: named here, its
// one address would have the compiler copy every GzipWriter function for it, larger.
bool rotate_now(void* gzip) {
    Text why;
    bool rotated = rotate_log(parts().relay.file_path(), parts().relay.target_fd(), clock_read(CLOCK_REALTIME).tv_sec,
                              *static_cast<GzipWriter*>(gzip), why);
    if (!why.empty()) log::line(rotated ? log::Level::warning : log::Level::error, why);
    return rotated;
}

void probe_port() {
    const Config& c = *parts().config;
    if (port_probe::port_bound(c.bind_port, c.strict_port_binding ? getpid() : 0)) {
        log::line(log::Level::debug, Text() << "port " << c.bind_port << " bound");
        running();
    } else {
        parts().port_poll.arm_in(kPortPollMs);
    }
}

// READY=1 from the child: passed on, and "running" if it was awaited.
void take_ready() {
    if (!parts().config->notify_socket || !parts().notify.on_io()) return;
    log::line(log::Level::debug, Text() << "READY=1 from the child");
    NotifySocket::forward_ready(parts().envp);
    if (parts().waiting_ready) running();
}

}  // namespace

bool wanted(const Config& c) {
    return c.io || c.web_hook || c.bind_port || c.stdout_prefix || c.thug || c.notify_socket;
}

bool Features::prepare(const Config& config, char* const* envp, ChildSetup& setup, Text& why) {
    new (&storage.parts) Parts;
    parts().config = &config;
    parts().envp = envp;
    // --io first: if it cannot be set up, nothing runs and no hook is sent (as dock).
    std::string_view prefix = config.stdout_prefix ? config.stdout_prefix : "";
    if (config.io || config.stdout_prefix) {
        if (config.io ? !parts().relay.open_io(config.io, prefix, why) : !parts().relay.open_stdout(prefix, why)) return false;
        parts().relay.give_to(setup);
        parts().relay_on = true;
        if (config.log_rotate_ms && parts().relay.file_path()) parts().rotate.arm_in(config.log_rotate_ms);
    }
    if (config.notify_socket) {
        if (!parts().notify.open(why)) return false;
        setup.variable = parts().notify.env_entry();
    }
    if (config.web_hook) {
        if (!parts().hook.configure(config.web_hook, why)) return false;
        parts().hook.send_and_wait(WebHook::starting, kHookWaitMs);
    }
    return true;
}

void Features::started() {
    // With --restart the next child needs the same descriptors: initd keeps its copy,
    // and sees the end of the output at its own exit instead.
    if (parts().relay_on && parts().config->restart == RestartPolicy::no) parts().relay.after_spawn();
    parts().waiting_ready = parts().config->notify_socket;
    if (parts().config->bind_port) probe_port();
    else if (!parts().waiting_ready) running();
}

void Features::ended() {
    // The child's end is dequeued before the SIGIO of a READY=1 it sent just before.
    take_ready();
    parts().waiting_ready = false;
    parts().port_poll.disarm();
    if (parts().relay_on) parts().relay.on_io();
    // dock says "crashed" for every end, a clean exit too.
    hook(WebHook::crashed);
}

void Features::on_io() {
    if (parts().relay_on) parts().relay.on_io();
    parts().hook.on_io();  // nothing unless a request is under way
    take_ready();
}

long long Features::timeout_ms(std::int64_t now) const {
    return timeout_until_next(std::array{parts().port_poll, parts().rotate, parts().hook.deadline()}, now);
}

void Features::on_deadlines(std::int64_t now) {
    // Armed only while the port is waited for; probe_port arms it again or disarms it.
    if (parts().port_poll.due(now)) probe_port();
    if (parts().rotate.due(now)) {
        parts().rotate.arm_in(parts().config->log_rotate_ms);
        parts().relay.request_rotation(rotate_now, &parts().gzip);
    }
    parts().hook.on_deadline(now);
}

int Features::stop_signal(pid_t child, int sig) const {
    if (!parts().config->thug || (sig != SIGTERM && sig != SIGINT && sig != SIGQUIT)) return sig;
    if (!ignores_or_blocks(child, sig)) return sig;
    log::line(log::Level::debug, Text() << "the child ignores or blocks signal " << sig << ": SIGKILL (--thug)");
    return SIGKILL;
}

void Features::finish() {
    if (parts().relay_on) parts().relay.drain_at_exit();
    parts().hook.send_and_wait(nullptr, kHookWaitMs);  // at once when nothing is queued
}

}  // namespace initd::dock
