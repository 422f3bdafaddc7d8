#include "initd/names.hpp"

#include "initd/duration.hpp"
#include "initd/tools.hpp"

#include <array>
#include <csignal>

namespace initd {
namespace {

// The options initd and dock share, one text each (the tables are a sizeable part of the binary).
constexpr char kIoText[] = "io\0" "URL\0" "the child's stdout+stderr to a file, tcp:// or unix://";
constexpr char kPrefixText[] = "stdout-prefix\0" "TEXT[:COLOR]\0" "start each line of the child's output with TEXT";
constexpr char kWebHookText[] = "web-hook\0" "URL\0" "PUT the child's status (starting, running, crashed) there";
constexpr char kBindPortText[] = "bind-port\0" "PORT\0" "the child is running once PORT is bound";
constexpr char kStrictText[] = "strict-port-binding\0" "\0" "... by a process started by initd";
constexpr char kThugText[] = "thug\0" "\0" "SIGKILL for a TERM/INT/QUIT the child ignores or blocks";

// initd's own options: a superset of the three peers', with initd's spellings. INITD_*
// variables are read in this order.
// Marks the options INITD_* variables set: every option with a value, and the flags
// worth turning on for a whole image (not -c, -P, -s, -w).
constexpr bool kVariable = true;

constexpr OptionSpec kInitdOptions[] = {
    OptionSpec{'r', Opt::rewrite, "rewrite\0" "FROM:TO\0" "forward signal FROM as TO (TO 0 drops it); repeatable", kVariable},
    OptionSpec{'g', Opt::process_group, "process-group\0" "\0" "forward signals to the child's whole process group", kVariable},
    OptionSpec{0, Opt::setsid, "setsid\0" "\0" "run the child in a new session with the terminal (implies -g)", kVariable},
    OptionSpec{'c', Opt::single_child, "single-child\0" "\0" "forward to the child only (undoes -g, --setsid)"},
    OptionSpec{0, Opt::grace, "grace\0" "DURATION\0" "when the child is gone, time the rest get after SIGTERM (5s)", kVariable},
    OptionSpec{0, Opt::kill_after, "kill-after\0" "DURATION\0" "SIGKILL the child this long after a TERM/INT/QUIT/HUP", kVariable},
    OptionSpec{0, Opt::restart, "restart\0" "POLICY\0" "no, on-failure or always: restart the child with back-off", kVariable},
    OptionSpec{0, Opt::restart_max, "restart-max\0" "N\0" "give up after N restarts (0: no limit)", kVariable},
    OptionSpec{0, Opt::delay, "delay\0" "SIGNAL:DURATION\0" "hold SIGNAL this long before forwarding it; repeatable", kVariable},
    OptionSpec{'P', Opt::pause, "pause\0" "\0" "run no child: reap, and exit 0 on SIGTERM or SIGINT"},
    OptionSpec{'u', Opt::user, "user\0" "USER[:GROUP]\0" "run the child as USER (name or number)", kVariable},
    OptionSpec{'s', Opt::subreaper, "subreaper\0" "\0" "register as child subreaper when not PID 1 (the default)"},
    OptionSpec{'p', Opt::pdeathsig, "pdeathsig\0" "SIGNAL\0" "receive SIGNAL when initd's parent dies", kVariable},
    OptionSpec{'e', Opt::expect_exit, "expect-exit\0" "CODE\0" "treat the child's exit status CODE as 0; repeatable", kVariable},
    OptionSpec{'w', Opt::warn_reap, "warn-reap\0" "\0" "log every reaped process that is not the child"},
    OptionSpec{0, Opt::services, "services\0" "DIR\0" "supervise runit's service directories in DIR", kVariable},
    OptionSpec{0, Opt::startup, "startup\0" "PATH\0" "run PATH (a script, or a directory's) before all; repeatable", kVariable},
    OptionSpec{0, Opt::pre_shutdown, "pre-shutdown\0" "PATH\0" "run PATH once COMMAND is done, before the services stop", kVariable},
    OptionSpec{0, Opt::post_shutdown, "post-shutdown\0" "PATH\0" "run PATH once the services are stopped", kVariable},
    OptionSpec{0, Opt::prefix_services, "prefix-services\0" "\0" "a service's output lines start with its name", kVariable},
    OptionSpec{0, Opt::termination_log, "termination-log\0" "PATH\0" "if the child fails, say why in PATH if empty ('': off)", kVariable},
    OptionSpec{0, Opt::io, kIoText, kVariable},
    OptionSpec{0, Opt::stdout_prefix, kPrefixText, kVariable},
    OptionSpec{0, Opt::log_rotate, "log-rotate\0" "DURATION\0" "gzip the --io file this often; keep 5", kVariable},
    OptionSpec{0, Opt::web_hook, kWebHookText, kVariable},
    OptionSpec{0, Opt::bind_port, kBindPortText, kVariable},
    OptionSpec{0, Opt::strict_port_binding, kStrictText, kVariable},
    OptionSpec{0, Opt::notify_socket, "notify-socket\0" "\0" "give the child a NOTIFY_SOCKET: READY=1 is running", kVariable},
    OptionSpec{0, Opt::thug, kThugText, kVariable},
    OptionSpec{'v', Opt::verbose, "verbose\0" "\0" "more log lines on stderr; repeat for more", kVariable},
    OptionSpec{'h', Opt::help, "help\0" "\0" "print this help and exit"},
    OptionSpec{'V', Opt::version, "version\0" "\0" "print the version and exit"},
    OptionSpec{'l', Opt::license, "license\0" "\0" "print the license and exit"},
    OptionSpec{'L', Opt::license, "\0" "\0" ""},
};

// The peers' rows: an empty help is initd's for the same Opt (help_text in options.cpp).

// tini 0.19: getopt("p:hvwgle:s"), and "--version" alone.
constexpr OptionSpec kTiniOptions[] = {
    OptionSpec{'s', Opt::subreaper, "\0" "\0" "register as a child subreaper"},
    OptionSpec{'p', Opt::pdeathsig_named, "\0" "SIGNAL\0" "receive SIGNAL (a name like SIGKILL) when the parent dies"},
    OptionSpec{'v', Opt::verbose, "\0" "\0" ""},
    OptionSpec{'w', Opt::warn_reap, "\0" "\0" ""},
    OptionSpec{'g', Opt::process_group, "\0" "\0" ""},
    OptionSpec{'e', Opt::expect_exit, "\0" "EXIT_CODE\0" "treat the child's exit status EXIT_CODE as 0; repeatable"},
    OptionSpec{'l', Opt::license, "\0" "\0" ""},
    OptionSpec{'h', Opt::help, "\0" "\0" ""},
    OptionSpec{0, Opt::version, "version\0" "\0" "print the version and exit (as the only argument)"},
};

// dumb-init 1.2.5: getopt_long("+hvVcr:").
constexpr OptionSpec kDumbInitOptions[] = {
    OptionSpec{'c', Opt::single_child, "single-child\0" "\0" "forward signals to the child only, not its session"},
    OptionSpec{'r', Opt::rewrite_numeric, "rewrite\0" "s:r\0" "forward signal s (1-31) as r (0-31; 0 drops it); repeatable"},
    OptionSpec{'v', Opt::debug, "verbose\0" "\0" "debug output on stderr"},
    OptionSpec{'h', Opt::help, "help\0" "\0" ""},
    OptionSpec{'V', Opt::version, "version\0" "\0" ""},
};

// catatonit 0.1.7: getopt_long("ghLPV", {"version"}).
constexpr OptionSpec kCatatonitOptions[] = {
    OptionSpec{'g', Opt::process_group, "\0" "\0" ""},
    OptionSpec{'P', Opt::pause, "\0" "\0" ""},
    OptionSpec{'h', Opt::help, "\0" "\0" ""},
    OptionSpec{'L', Opt::license, "\0" "\0" ""},
    OptionSpec{'V', Opt::version, "version\0" "\0" ""},
};

// baseimage-docker's my_init (its options, not its argparse: see README).
constexpr OptionSpec kMyInitOptions[] = {
    OptionSpec{0, Opt::insecure_key, "enable-insecure-key\0" "\0" "run /usr/sbin/enable_insecure_key first"},
    OptionSpec{0, Opt::skip_startup, "skip-startup-files\0" "\0" "do not run /etc/my_init.d/* and /etc/rc.local"},
    OptionSpec{0, Opt::skip_services, "skip-runit\0" "\0" "do not run the services of /etc/service"},
    OptionSpec{0, Opt::keep_rest, "no-kill-all-on-exit\0" "\0" "leave the other processes alone at the end"},
    OptionSpec{0, Opt::quiet, "quiet\0" "\0" "only errors"},
    OptionSpec{'h', Opt::help, "help\0" "\0" ""},
};
// dock 0.x: Go flags, each name usable with one dash or two.
constexpr OptionSpec kDockOptions[] = {
    OptionSpec{0, Opt::io, kIoText},
    OptionSpec{0, Opt::web_hook, kWebHookText},
    OptionSpec{0, Opt::bind_port, kBindPortText},
    OptionSpec{0, Opt::strict_port_binding, kStrictText},
    OptionSpec{0, Opt::log_rotate_hours, "log-rotate\0" "HOURS\0" "rotate the --io file this often"},
    OptionSpec{0, Opt::stdout_prefix, kPrefixText},
    OptionSpec{0, Opt::debug, "debug\0" "\0" "verbose output"},
    OptionSpec{0, Opt::debug, "d\0" "\0" ""},
    OptionSpec{0, Opt::thug, kThugText},
    OptionSpec{0, Opt::help, "help\0" "\0" ""},
    OptionSpec{0, Opt::help, "h\0" "\0" ""},
    OptionSpec{0, Opt::version, "version\0" "\0" ""},
    OptionSpec{0, Opt::version, "v\0" "\0" ""},
};

constexpr EnvSpec kMyInitVariables[] = {
    EnvSpec{"KILL_PROCESS_TIMEOUT", Opt::stop_timeout, EnvRule::value},
    EnvSpec{"KILL_ALL_PROCESSES_TIMEOUT", Opt::grace, EnvRule::value},
    EnvSpec{"ENV_INIT_DIRECTORY", Opt::startup_directory, EnvRule::value},
};
constexpr Layout kMyInitLayout = {
    .services = "/etc/service",
    .startup = {nullptr, "/etc/my_init.d", "/etc/rc.local"},
    .pre_shutdown = "/etc/my_init.pre_shutdown.d",
    .post_shutdown = "/etc/my_init.post_shutdown.d",
    .stop_ms = 30000,
    .grace_ms = 30000,
};

constexpr EnvSpec kTiniVariables[] = {
    EnvSpec{"TINI_SUBREAPER", Opt::subreaper, EnvRule::presence},
    EnvSpec{"TINI_KILL_PROCESS_GROUP", Opt::process_group, EnvRule::presence},
    EnvSpec{"TINI_VERBOSITY", Opt::verbose, EnvRule::number},
};
constexpr EnvSpec kDumbInitVariables[] = {
    EnvSpec{"DUMB_INIT_SETSID", Opt::setsid, EnvRule::exactly_zero},
    EnvSpec{"DUMB_INIT_DEBUG", Opt::debug, EnvRule::exactly_one},
};
constexpr EnvSpec kCatatonitVariables[] = {
    EnvSpec{"CATATONIT_DEBUG", Opt::debug, EnvRule::presence},
    EnvSpec{"CATATONIT_LOG", Opt::debug, EnvRule::reserved},
};


// One row per name. Read a column to see how the names differ.
constexpr NameRow kRows[] = {
    NameRow{
        .names = "initd\0", .options = kInitdOptions, .variables = {},
        .permute = false, .version_only_alone = false, .help_to_stderr = false,
        .usage_exit = 2, .default_verbosity = 0, .default_setsid = false,
        .subreaper = Subreaper::by_default,
        .exit_not_found = 127, .exit_cannot_run = 126, .exit_exec_other = 126,
        .farewell = Farewell::grace, .job_control = JobControl::initd, .version = VersionStyle::initd, .faults_kill = false,
        .describe = "Runs COMMAND as a container's init: forwards signals, reaps zombies, exits with its status.",
    },
    NameRow{
        .names = "tini\0tini-static\0docker-init\0", .options = kTiniOptions, .variables = kTiniVariables,
        .permute = true, .version_only_alone = true, .help_to_stderr = false,
        .usage_exit = 1, .default_verbosity = 1, .default_setsid = false,
        .subreaper = Subreaper::opt_in,
        .exit_not_found = 127, .exit_cannot_run = 126, .exit_exec_other = 1,
        .farewell = Farewell::leave, .job_control = JobControl::tini, .version = VersionStyle::tini, .faults_kill = true,
        .describe = "runs PROGRAM, forwards signals, reaps zombies.",
    },
    NameRow{
        .names = "dumb-init\0", .options = kDumbInitOptions, .variables = kDumbInitVariables,
        .permute = false, .version_only_alone = false, .help_to_stderr = true,
        .usage_exit = 1, .default_verbosity = 0, .default_setsid = true,
        .subreaper = Subreaper::never,
        .exit_not_found = 2, .exit_cannot_run = 2, .exit_exec_other = 2,
        .farewell = Farewell::term_child, .job_control = JobControl::dumb_init, .version = VersionStyle::dumb_init, .faults_kill = false,
        .describe = "runs COMMAND in a new session and forwards signals to it.",
    },
    // podman runs its --init binary as /run/podman-init and expects catatonit of it.
    NameRow{
        .names = "catatonit\0podman-init\0", .options = kCatatonitOptions, .variables = kCatatonitVariables,
        .permute = true, .version_only_alone = false, .help_to_stderr = true,
        .usage_exit = 1, .default_verbosity = 0, .default_setsid = false,
        .subreaper = Subreaper::required,
        .exit_not_found = 1, .exit_cannot_run = 1, .exit_exec_other = 1,
        .farewell = Farewell::leave, .job_control = JobControl::catatonit, .version = VersionStyle::tini, .faults_kill = true,
        .describe = "runs PROGRAM as a container's init.",
    },
    NameRow{
        .names = "my_init\0", .options = kMyInitOptions, .variables = kMyInitVariables,
        .permute = false, .version_only_alone = false, .help_to_stderr = false,
        .usage_exit = 2, .default_verbosity = 1, .default_setsid = false,
        .subreaper = Subreaper::by_default,
        .exit_not_found = 127, .exit_cannot_run = 126, .exit_exec_other = 126,
        .farewell = Farewell::grace, .job_control = JobControl::initd, .version = VersionStyle::initd, .faults_kill = false,
        .describe = "start-up scripts, runit services, then COMMAND.",
        .layout = &kMyInitLayout, .exit_when_stopped = 2, .no_command_needed = true,
        .container_environment = true,
    },
    NameRow{
        .names = "dock\0", .options = kDockOptions, .variables = {},
        .permute = false, .go_flags = true, .version_only_alone = false, .help_to_stderr = false,
        .usage_exit = 1, .default_verbosity = 1, .default_setsid = false,
        .subreaper = Subreaper::by_default,
        .exit_not_found = 255, .exit_cannot_run = 255, .exit_exec_other = 255,
        .farewell = Farewell::grace, .job_control = JobControl::initd, .version = VersionStyle::dock, .faults_kill = false,
        .describe = "a micro init system for containers.",
        .stderr_to_stdout = true, .child_pdeathsig = SIGTERM, .dropped_signal = SIGWINCH,
    },
};

// The names under which initd is a one-shot tool (tools.hpp). Not NameRows: none of a
// row's 128 bytes would apply to them, and three rows would cost the binary 384 bytes.
struct ToolName {
    char name[8];
    Tool tool;
};
constexpr ToolName kTools[] = {{"setuser", tools::setuser}, {"chpst", tools::chpst}, {"sv", tools::sv}};

}  // namespace

const NameRow& initd_row() { return kRows[0]; }

Tool tool_for(const char* argv0) {
    if (!argv0) return nullptr;
    std::string_view path(argv0);
    std::string_view name = path.substr(path.rfind('/') + 1);  // npos + 1 is 0
    for (const ToolName& t : kTools)
        if (is_word(name, t.name)) return t.tool;
    return nullptr;
}

const NameRow& name_row(std::string_view called_as) {
    for (const NameRow& row : kRows)
        if (word_index(called_as, row.names) >= 0) return row;
    return initd_row();
}

}  // namespace initd
