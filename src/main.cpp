// initd: a container's PID 1. The whole life of the process is on this page; every
// step it names lives in a small module of its own (see README, "How it works").
#include <csignal>
#include <unistd.h>

#include "initd/container_environment.hpp"
#include "initd/dock.hpp"
#include "initd/large_bss.hpp"
#include "initd/log.hpp"
#include "initd/service_directory.hpp"
#include "initd/sigmask.hpp"
#include "initd/startup.hpp"
#include "initd/supervisor.hpp"
#include "initd/terminal.hpp"
#include "initd/termination_log.hpp"

using namespace initd;

namespace {

// Several processes need room (the service table, a directory listing): made on first
// use only, so that the plain path's memory stays as it was.
services::ServiceDirectory* service_directory(const Config& config) {
    if (!config.services) return nullptr;
    INITD_LARGE_BSS static services::ServiceDirectory directory;
    return &directory;
}

// my_init's /etc/container_environment: the environment every program started from now
// on gets (the array's address stays; its contents change after each start-up script).
container_env::Environment& container_environment() {
    INITD_LARGE_BSS static container_env::Environment environment;  // 66 KiB of zeros
    return environment;
}

void import_environment(container_env::Import how, container_env::Export what) {
    Text why;
    container_env::Paths paths;
    if (!container_env::import_directory(container_environment(), paths, how, why) ||
        !container_env::export_environment(container_environment(), paths, what, why))
        log::line(log::Level::error, why);
}

void refresh_environment() { import_environment(container_env::Import::replace, container_env::Export::dumps_only); }

ScriptQueue* script_queue(const Config& config) {
    if (!config.has_scripts()) return nullptr;
    INITD_LARGE_BSS static ScriptQueue queue;
    return &queue;
}

// dock's features (--io, --web-hook, ...): made only when one is asked for.
dock::Features* dock_features(const Config& config) {
    if (!dock::wanted(config)) return nullptr;
    INITD_LARGE_BSS static dock::Features features;
    return &features;
}

}  // namespace

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
    if (!row.fatal().empty()) sigmask::unblock(row.fatal());  // the names whose peers die of a fault signal
    setup.inherited_ignored = startup::ignore_terminal_stops();

    const bool pid1 = getpid() == 1;
    if (!startup::become_reaper(config, pid1)) return 1;

    Credentials user;
    if (!startup::resolve_credentials(config, user)) return row.usage_exit;
    if (config.setsid) terminal::release();

    setup.command = config.command;
    setup.environment = envp;
    if (row.container_environment) {
        if (!container_environment().adopt(envp)) log::line(log::Level::error, Text() << "environment: too large; some variables are left out");
        import_environment(container_env::Import::add_missing, container_env::Export::everywhere);
        setup.environment = container_environment().envp();
    }
    setup.new_session = config.setsid;
    setup.user = config.user ? &user : nullptr;
    setup.listen_pid_owner = startup::listen_pid_owner(envp);
    setup.exit_not_found = row.exit_not_found;
    setup.exit_cannot_run = row.exit_cannot_run;
    setup.exit_other = row.exit_exec_other;
    setup.stderr_to_stdout = row.stderr_to_stdout;
    setup.pdeathsig = row.child_pdeathsig;

    dock::Features* dock = dock_features(config);
    if (Text why; dock && !dock->prepare(config, setup.environment, setup, why)) {
        log::line(log::Level::error, why);
        return 1;
    }
    Supervisor supervisor(config, setup, pid1, service_directory(config), script_queue(config), dock);
    if (row.container_environment) supervisor.after_startup_script = refresh_environment;
    supervisor.start();
    // --restart starts the child again later, and services and scripts start later
    // too: they must find the same descriptors.
    if (config.restart == RestartPolicy::no && !config.services && !config.has_scripts() && !dock)
        startup::detach_from_cwd_and_descriptors();

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
    if (dock) dock->finish();
    // Only on failure: the plain path makes no system call for it (README, "Kubernetes").
    if (code != 0) termination_log::write(config.termination_log, supervisor.ending().view());
    return code;
}
