// argv, the environment and the name initd was called by -> one Config, or one line
// saying what is wrong. Pure: no I/O here, so every path is unit-tested.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "initd/names.hpp"
#include "initd/signals.hpp"
#include "initd/text.hpp"

namespace initd {

enum class RestartPolicy { no, on_failure, always };

struct Config {
    const NameRow* row = &initd_row();  // who initd is, from argv[0]: see names.hpp
    const char* called_as = "initd";    // argv[0]'s last component, for --help

    RewriteTable rewrite;
    bool process_group = false;
    bool setsid = false;
    std::uint64_t grace_ms = 5000;
    std::uint64_t kill_after_ms = 0;
    RestartPolicy restart = RestartPolicy::no;
    unsigned restart_max = 0;
    std::array<std::uint64_t, kSignalMax + 1> delay_ms{};  // by signal, after rewriting
    bool pause = false;
    const char* user = nullptr;  // "USER[:GROUP]", resolved later
    bool subreaper = true;       // asked for (-s) or the name's default; see NameRow::subreaper
    int pdeathsig = 0;
    std::array<bool, 256> expect_exit{};
    bool warn_reap = false;
    int verbosity = 0;
    const char* termination_log = "/dev/termination-log";  // "": none

    // Several processes (src/services/): runit service directories, and directories of
    // scripts run to completion at start-up and around the services' stop.
    static constexpr int kMaxScriptDirs = 4;
    const char* services = nullptr;                      // --services DIR
    std::array<const char*, kMaxScriptDirs> startup{};   // --startup DIR, repeatable
    // INITD_STARTUP's paths, each copied here to end it (the environment keeps its commas).
    static constexpr std::size_t kStartupListBytes = 256;
    char startup_list[kStartupListBytes]{};
    std::size_t startup_list_used = 0;
    const char* pre_shutdown = nullptr;
    const char* post_shutdown = nullptr;
    bool has_scripts() const {
        for (const char* path : startup)
            if (path) return true;
        return pre_shutdown || post_shutdown;
    }
    std::uint64_t service_stop_ms = 0;  // the services' stop before SIGKILL; 0: grace_ms
    bool kill_all_on_exit = true;       // my_init --no-kill-all-on-exit turns it off
    bool prefix_services = false;       // --prefix-services: "NAME: " before each line a service writes
    bool skip_startup = false, skip_services = false, insecure_key = false;  // my_init

    // dock's features (src/dock/): none of them costs anything unless asked for.
    const char* io = nullptr;             // --io URL: a file, tcp://, unix://
    const char* web_hook = nullptr;       // --web-hook URL: http://HOST[:PORT]/PATH
    int bind_port = 0;                    // --bind-port: "running" once it is bound
    bool strict_port_binding = false;     // only by initd's descendants
    const char* stdout_prefix = nullptr;  // --stdout-prefix TEXT[:COLOR]
    std::uint64_t log_rotate_ms = 0;      // --log-rotate (a file --io only)
    bool thug = false;                    // TERM/INT/QUIT the child ignores or blocks: SIGKILL
    bool notify_socket = false;           // a NOTIFY_SOCKET for the child; READY=1 is "running"

    char* const* command = nullptr;  // null-terminated argv of the child; may be empty with --services
};

enum class Action {
    run,
    help,
    version,
    license,
    usage_error,  // exit row->usage_exit, with "try '<name> --help'"
    bad_value,    // exit row->usage_exit
    refuse,       // exit 1: a combination that cannot run (my_init --skip-runit, no command)
};

struct ParseResult {
    Action action;
    Text error;  // for usage_error and bad_value
};

// `envp` may be null. Config::command points into `argv`. Under the names whose getopt
// permutes (tini, catatonit), the pointers of `argv` are reordered as glibc's getopt
// does, so that the command's words follow the options; the strings are not touched.
ParseResult parse_options(int argc, char** argv, char* const* envp, Config& config);

// getenv over `envp` (which may be null): the value of PREFIX+NAME, NAME spelled as a
// variable ("kill-after" is KILL_AFTER), of the first such entry; null if none. The one
// lookup of the options and of sv's SVDIR and SVWAIT.
const char* lookup(char* const* envp, const char* prefix, const char* name);

// The texts initd prints for --help, --version, --license.
void format_help(const Config& config, void (*emit)(std::string_view));
void format_version(const Config& config, void (*emit)(std::string_view));
void format_license(void (*emit)(std::string_view));

}  // namespace initd
