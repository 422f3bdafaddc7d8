// The names initd answers to. Everything that differs between initd, tini, dumb-init and
// catatonit is one row of the table in src/cli/names.cpp: the options and variables each
// name reads, and what it does where the peers differ (exit codes, shutdown, terminal
// stops). Nothing else in initd asks which name it was called by.
#pragma once

#include <array>
#include <csignal>
#include <cstdint>
#include <string_view>

#include "initd/duration.hpp"
#include "initd/signals.hpp"
#include "initd/text.hpp"

namespace initd {

// Every option any name accepts; a name's row lists the ones it knows.
enum class Opt : unsigned char {
    rewrite,          // FROM:TO, names or numbers, all 64 signals (initd)
    rewrite_numeric,  // N:M with N in 1-31 and M in 0-31 (dumb-init)
    process_group, setsid, single_child, grace, kill_after, restart, restart_max, delay,
    pause, user, subreaper,
    pdeathsig,        // any signal name or number (initd)
    pdeathsig_named,  // SIGKILL-style names only (tini)
    expect_exit, warn_reap, termination_log,
    services, startup, pre_shutdown, post_shutdown,  // several processes (initd)
    startup_directory,  // my_init's ENV_INIT_DIRECTORY: replaces /etc/my_init.d
    skip_startup, skip_services, keep_rest, quiet, insecure_key,  // my_init's flags
    stop_timeout,       // my_init's KILL_PROCESS_TIMEOUT: the main command's and the services' stop
    io, web_hook, bind_port, strict_port_binding, stdout_prefix, thug, notify_socket,  // dock's (and initd's)
    prefix_services,    // a service's output lines tagged with its name (initd)
    log_rotate,         // a DURATION (initd)
    log_rotate_hours,   // a whole number of hours, as Go's flag reads an int (dock)
    verbose,          // one level more per use
    debug,            // straight to debug (dumb-init's -v)
    help, version, license,
};

// One option of a name's table. Its long name, value name and help are one string,
// "rewrite\0FROM:TO\0help" (each part may be empty: no long name, a flag, initd's help
// for the same Opt). names.cpp writes its tables with a pointer to that string and packs
// them at compile time: the strings side by side in one array (the same one once), each
// entry holding where its own starts: 4 bytes an entry instead of 16, in tables that are
// a sizeable part of the binary. An entry with the same Opt as the one before it is an
// alias, not listed in --help.
struct OptionSpec {
    char short_name;  // 0: long only
    Opt id : 7;
    // initd's options only: INITD_<LONG NAME> sets it too (--kill-after: INITD_KILL_AFTER).
    bool has_variable : 1;
    std::uint16_t text_at;  // where the string starts in names.cpp's array of them
    const char* long_name() const;
    const char* value_name() const { return next_word(long_name()); }
    const char* help() const { return next_word(value_name()); }  // packed: see put_help
};
static_assert(static_cast<int>(Opt::license) < 128, "OptionSpec::id holds every Opt");

// Writes an OptionSpec's help() into `out`: the tables keep their frequent phrases as
// one byte each (names.cpp's kPhrases), spelled out here.
void put_help(Text& out, const char* help);

// A name's options: a run of names.cpp's packed array of them (2 bytes, a span's 16).
struct OptionList {
    unsigned char first, count;
    const OptionSpec* begin() const;
    const OptionSpec* end() const;
};

// How a variable's value is read. INITD_* are strict; the peers' variables are read
// exactly as the peers read them, which is to say leniently.
enum class EnvRule : unsigned char {
    value,         // the option's value; lists comma-separated; a bad value stops initd
    boolean,       // "1" on, "0" off; anything else stops initd
    presence,      // set at all, even empty: on (TINI_SUBREAPER, CATATONIT_DEBUG)
    exactly_one,   // on only when exactly "1", anything else ignored (DUMB_INIT_DEBUG)
    exactly_zero,  // off only when exactly "0", anything else ignored (DUMB_INIT_SETSID)
    number,        // atoi(): "3" is 3, "x" is 0 (TINI_VERBOSITY)
    reserved,      // set at all: refuse to start (CATATONIT_LOG)
};

// A variable a peer reads, packed as OptionSpec is.
struct EnvSpec {
    Opt id;
    EnvRule rule;
    std::uint16_t name_at;  // where its name starts in names.cpp's array of texts
    const char* name() const;
};

// A name's variables, as OptionList.
struct VariableList {
    unsigned char first, count;
    const EnvSpec* begin() const;
    const EnvSpec* end() const;
};

// What happens to the rest when the main child has exited and initd is NOT PID 1. (As
// PID 1 every name uses `grace`: the kernel kills everything the moment PID 1 exits, so
// the grace period is the only chance the rest has to save its data.)
enum class Farewell : unsigned char {
    grace,       // SIGTERM to the rest, --grace, SIGKILL, reap all (initd)
    leave,       // exit at once, signal nobody (tini, catatonit)
    term_child,  // SIGTERM (after --rewrite) to the child's group in setsid mode, else to
                 // the child, then exit at once (dumb-init)
};

// What a SIGTSTP, SIGTTIN or SIGTTOU sent to initd does (see job_control.hpp).
enum class JobControl : unsigned char { initd, dumb_init, tini, catatonit };

enum class Subreaper : unsigned char {
    by_default,  // registers unless told not to; a failure is logged (initd)
    opt_in,      // only with -s or TINI_SUBREAPER; a failure stops it, exit 1 (tini)
    never,       // dumb-init
    required,    // always when not PID 1; a failure stops it, exit 1 (catatonit)
};

enum class VersionStyle : unsigned char {
    initd,      // "initd X.Y.Z" on stdout
    tini,       // "tini version X.Y.Z - git.initd" on stdout: the line dockerd parses
    dumb_init,  // "dumb-init vX.Y.Z (initd)" on stderr, where dumb-init prints it
    dock,       // "dock version vX.Y.Z (initd)" on stdout
};

// Where a name finds its scripts and services when the command line does not say
// (my_init: baseimage-docker's layout), and how long it waits for them to stop.
struct Layout {
    const char* services;
    std::array<const char*, 4> startup;  // Config::startup's; [0] is for --enable-insecure-key's script
    const char* pre_shutdown;
    const char* post_shutdown;
    std::uint64_t stop_ms;   // the main command's and the services' stop, then SIGKILL
    std::uint64_t grace_ms;  // the rest's, at the very end
};

// A name under which initd is a one-shot tool (setuser, chpst, sv: see tools.hpp), not
// an init: the tool gets argv and the environment before anything else happens.
using Tool = int (*)(int argc, char** argv, char** envp);

// The signals the kernel sends a process that faulted. tini and catatonit leave them
// unblocked, so they die of them (even sent with kill); initd forwards them.
inline constexpr SignalSet kFaultSignals =
    SignalSet::of(SIGFPE).with(SIGILL).with(SIGSEGV).with(SIGBUS).with(SIGABRT).with(SIGTRAP).with(SIGSYS);

// Small types throughout (exit codes and signals fit a byte): there is one row per name.
struct NameRow {
    const char* names;  // argv[0]'s last component, each ended by a NUL: "tini\0docker-init\0"
    OptionList options;
    VariableList variables;     // read after the command line, as the peers do
    bool permute;               // glibc getopt: options anywhere until "--" (not with POSIXLY_CORRECT)
    // dock's Go command line (flag package + codegangsta/cli): -name or --name, =VALUE
    // or the next word, no clusters; a first word "help" or "h", or none, prints help.
    bool go_flags = false;
    bool version_only_alone;    // tini: "--version" is an option only as the sole argument
    bool help_to_stderr;        // dumb-init and catatonit print --help on stderr
    unsigned char usage_exit;   // bad option, bad value or no command
    unsigned char default_verbosity;
    bool default_setsid;
    Subreaper subreaper;
    unsigned char exit_not_found;   // the command's exec failed: ENOENT/ENOTDIR,
    unsigned char exit_cannot_run;  //   EACCES,
    unsigned char exit_exec_other;  //   anything else
    Farewell farewell;
    JobControl job_control;
    VersionStyle version;
    bool faults_kill;           // the fault signals stay unblocked at their default action: they kill initd
    unsigned char exit_when_stopped = 0;  // set: the exit status after a TERM or INT to initd (my_init: 2)
    // (Two bits of one byte: the small members then fit in front of the pointers, and a
    // row is 48 bytes, not 56.)
    bool no_command_needed : 1 = false;  // runs its services without one (my_init)
    bool container_environment : 1 = false;  // imports and exports /etc/container_environment (my_init)
    bool stderr_to_stdout = false;  // the child's stderr is its stdout, merged in order (dock)
    unsigned char child_pdeathsig = 0;  // the child gets this signal when initd dies (dock: SIGTERM)
    unsigned char dropped_signal = 0;   // not forwarded (dock: SIGWINCH, which only resizes its terminal)
    const char* describe;       // first line of --help (a peer's after "initd, called as NAME: ")
    const Layout* layout = nullptr;  // set: the default scripts and services (my_init)

    // The signals left unblocked at their default action: they kill initd. (A bool in the
    // row, not the set: the row is 8 bytes smaller.)
    SignalSet fatal() const { return faults_kill ? kFaultSignals : SignalSet(); }
};

// The row for argv[0]'s last component; initd's own row for any other name.
const NameRow& name_row(std::string_view called_as);
const NameRow& initd_row();

// The tool argv[0] names (its last component: setuser, chpst, sv), or null when initd is
// an init by that name. The tools have a table of their own in names.cpp, not NameRows.
Tool tool_for(const char* argv0);

}  // namespace initd
