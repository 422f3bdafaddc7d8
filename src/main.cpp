// initd: a container's PID 1. The whole life of the process is on this page; every
// step it names lives in a small module of its own (see README, "How it works").
#include <csignal>
#include <unistd.h>

#include "initd/log.hpp"
#include "initd/sigmask.hpp"
#include "initd/startup.hpp"
#include "initd/supervisor.hpp"

using namespace initd;

int main(int argc, char** argv, char** envp) {
    Config config;
    if (auto code = startup::configure(argc, argv, envp, config)) return *code;
    log::set_verbosity(config.verbosity);

    // From here on every signal waits in the kernel's queue until the loop takes it,
    // so none is lost between now and the child's start.
    ChildSetup setup;
    setup.inherited_mask = sigmask::block_all();
    setup.inherited_ignored = startup::ignore_terminal_stops();

    const bool pid1 = getpid() == 1;
    startup::become_reaper(config, pid1);

    Credentials user;
    if (!startup::resolve_credentials(config, user)) return 2;
    if (config.setsid) startup::release_terminal();

    setup.command = config.command;
    setup.environment = envp;
    setup.new_session = config.setsid;
    setup.user = config.user ? &user : nullptr;
    setup.listen_pid_owner = startup::listen_pid_owner(envp);
    if (config.personality == Personality::dumb_init) setup.exit_not_found = setup.exit_cannot_run = 2;

    Supervisor supervisor(config, setup, pid1);
    supervisor.start();
    // --restart starts the child again later: it must find the same descriptors.
    if (config.restart == RestartPolicy::no) startup::detach_from_cwd_and_descriptors();

    // The loop: sleep in sigtimedwait (for ever unless a deadline is pending), then
    // forward, reap or fire deadlines, until the supervisor says initd is done.
    while (!supervisor.exit_code()) {
        siginfo_t info;
        auto sig = sigmask::wait(supervisor.timeout_ms(), &info);
        if (!sig) supervisor.on_deadlines();
        else if (*sig == SIGCHLD) supervisor.on_children();
        else supervisor.on_signal(*sig);
    }
    return *supervisor.exit_code();
}
