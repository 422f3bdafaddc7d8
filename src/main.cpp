// initd: a container's PID 1. The whole life of the process is on this page; every
// step it names lives in a small module of its own (see README, "How it works").
#include <csignal>
#include <unistd.h>

#include "initd/log.hpp"
#include "initd/sigmask.hpp"
#include "initd/startup.hpp"
#include "initd/supervisor.hpp"
#include "initd/terminal.hpp"
#include "initd/termination_log.hpp"

using namespace initd;

int main(int argc, char** argv, char** envp) {
    // Called as setuser, chpst or sv, initd is a one-shot tool, not an init.
    if (Tool tool = tool_for(argc > 0 ? argv[0] : nullptr)) return tool(argc, argv, envp);

    // First of all, every signal waits in the kernel's queue until the loop takes it:
    // none is lost, and none kills initd, while it reads its options and starts.
    ChildSetup setup;
    setup.inherited_mask = sigmask::block_all();

    Config config;
    if (auto code = startup::configure(argc, argv, envp, config)) return *code;
    log::set_verbosity(config.verbosity);
    const NameRow& row = *config.row;
    if (!row.fatal.empty()) sigmask::unblock(row.fatal);  // the names whose peers die of a fault signal
    setup.inherited_ignored = startup::ignore_terminal_stops();

    const bool pid1 = getpid() == 1;
    if (!startup::become_reaper(config, pid1)) return 1;

    Credentials user;
    if (!startup::resolve_credentials(config, user)) return row.usage_exit;
    if (config.setsid) terminal::release();

    setup.command = config.command;
    setup.environment = envp;
    setup.new_session = config.setsid;
    setup.user = config.user ? &user : nullptr;
    setup.listen_pid_owner = startup::listen_pid_owner(envp);
    setup.exit_not_found = row.exit_not_found;
    setup.exit_cannot_run = row.exit_cannot_run;
    setup.exit_other = row.exit_exec_other;

    Supervisor supervisor(config, setup, pid1);
    supervisor.start();
    // --restart starts the child again later: it must find the same descriptors.
    if (config.restart == RestartPolicy::no) startup::detach_from_cwd_and_descriptors();

    // The loop: sleep in sigtimedwait (for ever unless a deadline is pending), then
    // forward, reap or fire deadlines, until the supervisor says initd is done.
    while (!supervisor.exit_code()) {
        siginfo_t info;
        auto woke = sigmask::wait(supervisor.timeout_ms(), &info);
        if (woke.signal == SIGCHLD) supervisor.on_children();
        else if (woke.signal > 0) supervisor.on_signal(woke.signal);
        else if (woke.error == 0) supervisor.on_deadlines();
        else supervisor.on_wait_failed(woke.error);
    }
    int code = *supervisor.exit_code();
    // Only on failure: the plain path makes no system call for it (README, "Kubernetes").
    if (code != 0) termination_log::write(config.termination_log, supervisor.ending().view());
    return code;
}
