#include "initd/names.hpp"

#include "initd/duration.hpp"
#include "initd/tools.hpp"

#include <array>
#include <csignal>
#include <span>

namespace initd {
namespace {

// An option as the tables below write it: OptionSpec (names.hpp) with a pointer to its
// text, which pack() turns into an OptionSpec and a place in kPacked.texts.
struct Option {
    constexpr Option(char short_name, Opt id, const char* text, bool has_variable = false)
        : short_name(short_name), id(id), has_variable(has_variable), text(text) {}
    char short_name;
    Opt id;
    bool has_variable;
    const char* text;
};

// A peer's variable as the tables below write it: an EnvSpec with a pointer to its name.
struct Variable {
    const char* name;
    Opt id;
    EnvRule rule;
};

// The options initd and dock share, one text each.
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

constexpr Option kInitdOptions[] = {
    Option{'r', Opt::rewrite, "rewrite\0" "FROM:TO\0" "forward signal FROM as TO (TO 0 drops it); repeatable", kVariable},
    Option{'g', Opt::process_group, "process-group\0" "\0" "forward signals to the child's whole process group", kVariable},
    Option{0, Opt::setsid, "setsid\0" "\0" "run the child in a new session with the terminal (implies -g)", kVariable},
    Option{'c', Opt::single_child, "single-child\0" "\0" "forward to the child only (undoes -g, --setsid)"},
    Option{0, Opt::grace, "grace\0" "DURATION\0" "when the child is gone, time the rest get after SIGTERM (5s)", kVariable},
    Option{0, Opt::kill_after, "kill-after\0" "DURATION\0" "SIGKILL the child this long after a TERM/INT/QUIT/HUP", kVariable},
    Option{0, Opt::restart, "restart\0" "POLICY\0" "no, on-failure or always: restart the child with back-off", kVariable},
    Option{0, Opt::restart_max, "restart-max\0" "N\0" "give up after N restarts (0: no limit)", kVariable},
    Option{0, Opt::delay, "delay\0" "SIGNAL:DURATION\0" "hold SIGNAL this long before forwarding it; repeatable", kVariable},
    Option{'P', Opt::pause, "pause\0" "\0" "run no child: reap, and exit 0 on SIGTERM or SIGINT"},
    Option{'u', Opt::user, "user\0" "USER[:GROUP]\0" "run the child as USER (name or number)", kVariable},
    Option{'s', Opt::subreaper, "subreaper\0" "\0" "register as child subreaper when not PID 1 (the default)"},
    Option{'p', Opt::pdeathsig, "pdeathsig\0" "SIGNAL\0" "receive SIGNAL when initd's parent dies", kVariable},
    Option{'e', Opt::expect_exit, "expect-exit\0" "CODE\0" "treat the child's exit status CODE as 0; repeatable", kVariable},
    Option{'w', Opt::warn_reap, "warn-reap\0" "\0" "log every reaped process that is not the child"},
    Option{0, Opt::services, "services\0" "DIR\0" "supervise runit's service directories in DIR", kVariable},
    Option{0, Opt::startup, "startup\0" "PATH\0" "run PATH (a script, or a directory's) before all; repeatable", kVariable},
    Option{0, Opt::pre_shutdown, "pre-shutdown\0" "PATH\0" "run PATH once COMMAND is done, before the services stop", kVariable},
    Option{0, Opt::post_shutdown, "post-shutdown\0" "PATH\0" "run PATH once the services are stopped", kVariable},
    Option{0, Opt::prefix_services, "prefix-services\0" "\0" "a service's output lines start with its name", kVariable},
    Option{0, Opt::termination_log, "termination-log\0" "PATH\0" "if the child fails, say why in PATH if empty ('': off)", kVariable},
    Option{0, Opt::io, kIoText, kVariable},
    Option{0, Opt::stdout_prefix, kPrefixText, kVariable},
    Option{0, Opt::log_rotate, "log-rotate\0" "DURATION\0" "gzip the --io file this often; keep 5", kVariable},
    Option{0, Opt::web_hook, kWebHookText, kVariable},
    Option{0, Opt::bind_port, kBindPortText, kVariable},
    Option{0, Opt::strict_port_binding, kStrictText, kVariable},
    Option{0, Opt::notify_socket, "notify-socket\0" "\0" "give the child a NOTIFY_SOCKET: READY=1 is running", kVariable},
    Option{0, Opt::thug, kThugText, kVariable},
    Option{'v', Opt::verbose, "verbose\0" "\0" "more log lines on stderr; repeat for more", kVariable},
    Option{'h', Opt::help, "help\0" "\0" "print this help and exit"},
    Option{'V', Opt::version, "version\0" "\0" "print the version and exit"},
    Option{'l', Opt::license, "license\0" "\0" "print the license and exit"},
    Option{'L', Opt::license, "\0" "\0" ""},
};

// The peers' rows: an empty help is initd's for the same Opt (help_text in options.cpp).

// tini 0.19: getopt("p:hvwgle:s"), and "--version" alone.
constexpr Option kTiniOptions[] = {
    Option{'s', Opt::subreaper, "\0" "\0" "register as a child subreaper"},
    Option{'p', Opt::pdeathsig_named, "\0" "SIGNAL\0" "receive SIGNAL (a name like SIGKILL) when the parent dies"},
    Option{'v', Opt::verbose, "\0" "\0" ""},
    Option{'w', Opt::warn_reap, "\0" "\0" ""},
    Option{'g', Opt::process_group, "\0" "\0" ""},
    Option{'e', Opt::expect_exit, "\0" "EXIT_CODE\0" "treat the child's exit status EXIT_CODE as 0; repeatable"},
    Option{'l', Opt::license, "\0" "\0" ""},
    Option{'h', Opt::help, "\0" "\0" ""},
    Option{0, Opt::version, "version\0" "\0" "print the version and exit (as the only argument)"},
};

// dumb-init 1.2.5: getopt_long("+hvVcr:").
constexpr Option kDumbInitOptions[] = {
    Option{'c', Opt::single_child, "single-child\0" "\0" "forward signals to the child only, not its session"},
    Option{'r', Opt::rewrite_numeric, "rewrite\0" "s:r\0" "forward signal s (1-31) as r (0-31; 0 drops it); repeatable"},
    Option{'v', Opt::debug, "verbose\0" "\0" "debug output on stderr"},
    Option{'h', Opt::help, "help\0" "\0" ""},
    Option{'V', Opt::version, "version\0" "\0" ""},
};

// catatonit 0.1.7: getopt_long("ghLPV", {"version"}).
constexpr Option kCatatonitOptions[] = {
    Option{'g', Opt::process_group, "\0" "\0" ""},
    Option{'P', Opt::pause, "\0" "\0" ""},
    Option{'h', Opt::help, "\0" "\0" ""},
    Option{'L', Opt::license, "\0" "\0" ""},
    Option{'V', Opt::version, "version\0" "\0" ""},
};

// baseimage-docker's my_init (its options, not its argparse: see README).
constexpr Option kMyInitOptions[] = {
    Option{0, Opt::insecure_key, "enable-insecure-key\0" "\0" "run /usr/sbin/enable_insecure_key first"},
    Option{0, Opt::skip_startup, "skip-startup-files\0" "\0" "do not run /etc/my_init.d/* and /etc/rc.local"},
    Option{0, Opt::skip_services, "skip-runit\0" "\0" "do not run the services of /etc/service"},
    Option{0, Opt::keep_rest, "no-kill-all-on-exit\0" "\0" "leave the other processes alone at the end"},
    Option{0, Opt::quiet, "quiet\0" "\0" "only errors"},
    Option{'h', Opt::help, "help\0" "\0" ""},
};
// dock 0.x: Go flags, each name usable with one dash or two.
constexpr Option kDockOptions[] = {
    Option{0, Opt::io, kIoText},
    Option{0, Opt::web_hook, kWebHookText},
    Option{0, Opt::bind_port, kBindPortText},
    Option{0, Opt::strict_port_binding, kStrictText},
    Option{0, Opt::log_rotate_hours, "log-rotate\0" "HOURS\0" "rotate the --io file this often"},
    Option{0, Opt::stdout_prefix, kPrefixText},
    Option{0, Opt::debug, "debug\0" "\0" "verbose output"},
    Option{0, Opt::debug, "d\0" "\0" ""},
    Option{0, Opt::thug, kThugText},
    Option{0, Opt::help, "help\0" "\0" ""},
    Option{0, Opt::help, "h\0" "\0" ""},
    Option{0, Opt::version, "version\0" "\0" ""},
    Option{0, Opt::version, "v\0" "\0" ""},
};

constexpr Variable kMyInitVariables[] = {
    Variable{"KILL_PROCESS_TIMEOUT", Opt::stop_timeout, EnvRule::value},
    Variable{"KILL_ALL_PROCESSES_TIMEOUT", Opt::grace, EnvRule::value},
    Variable{"ENV_INIT_DIRECTORY", Opt::startup_directory, EnvRule::value},
};
constexpr Layout kMyInitLayout = {
    .services = "/etc/service",
    .startup = {nullptr, "/etc/my_init.d", "/etc/rc.local"},
    .pre_shutdown = "/etc/my_init.pre_shutdown.d",
    .post_shutdown = "/etc/my_init.post_shutdown.d",
    .stop_ms = 30000,
    .grace_ms = 30000,
};

constexpr Variable kTiniVariables[] = {
    Variable{"TINI_SUBREAPER", Opt::subreaper, EnvRule::presence},
    Variable{"TINI_KILL_PROCESS_GROUP", Opt::process_group, EnvRule::presence},
    Variable{"TINI_VERBOSITY", Opt::verbose, EnvRule::number},
};
constexpr Variable kDumbInitVariables[] = {
    Variable{"DUMB_INIT_SETSID", Opt::setsid, EnvRule::exactly_zero},
    Variable{"DUMB_INIT_DEBUG", Opt::debug, EnvRule::exactly_one},
};
constexpr Variable kCatatonitVariables[] = {
    Variable{"CATATONIT_DEBUG", Opt::debug, EnvRule::presence},
    Variable{"CATATONIT_LOG", Opt::debug, EnvRule::reserved},
};

// The tables, packed at compile time into an array of OptionSpecs, one of EnvSpecs and
// one of the texts; only these three are in the binary. Each table's entries follow the
// one before's.
constexpr std::span<const Option> kOptionTables[] = {kInitdOptions,     kTiniOptions,   kDumbInitOptions,
                                                     kCatatonitOptions, kMyInitOptions, kDockOptions};
constexpr std::span<const Variable> kVariableTables[] = {kTiniVariables, kDumbInitVariables, kCatatonitVariables,
                                                         kMyInitVariables};

// Phrases the help texts use often, each kept once: in a packed help text the byte
// 0x80 + N stands for the Nth (the texts are ASCII), which put_help spells out again.
// Some 450 bytes less. The order counts: a phrase is taken before those after it.
constexpr char kPhrases[] =
    " the child\0the child\0; repeatable\0 the \0forward signal\0 and exit\0service\0 process\0 SIG\0"
    " output\0start\0 as \0run \0child subreaper\0's exit status \0 with\0 before\0 not \0"
    "print\0 or \0 to \0 when\0 on\0 is \0 /etc/\0--io file\0 0 drops it)\0parent dies\0SIGKILL \0";

// Where each of kPhrases' words starts, found once (a walk over them for each byte of
// the help texts would take most of clang's budget for constexpr work); null after.
struct PhraseStarts {
    const char* at[32] = {};
};
constexpr PhraseStarts kPhraseStarts = [] {
    PhraseStarts starts;
    int n = 0;
    for (const char* p = kPhrases; *p; ++n)
        for (starts.at[n] = p; *p++;) {}
    return starts;
}();

// `help` into `out` with each phrase replaced by its byte, and a NUL.
constexpr void encode_help(const char* help, char* out) {
    while (*help) {
        int n = 0;
        const char* end = help;  // past the phrase that starts here
        for (; kPhraseStarts.at[n]; ++n) {
            const char* p = kPhraseStarts.at[n];
            for (end = help; *p && *end == *p; ++p, ++end) {}
            if (!*p) break;
        }
        *out++ = kPhraseStarts.at[n] ? static_cast<char>(0x80 + n) : *help;
        help = kPhraseStarts.at[n] ? end : help + 1;
    }
    *out = '\0';
}

// The bytes of `words` words, each with its NUL.
constexpr std::size_t text_size(const char* text, int words) {
    std::size_t size = 0;
    for (; words > 0; ++size) words -= text[size] == '\0';
    return size;
}

constexpr bool texts_are_ascii() {
    for (std::span<const Option> table : kOptionTables)
        for (const Option& o : table)
            for (const char* c = o.text; c < o.text + text_size(o.text, 3); ++c)
                if (static_cast<unsigned char>(*c) >= 0x80) return false;
    return true;
}

static_assert(texts_are_ascii(), "a byte from 0x80 up in a help text would be taken for a phrase");

// Into arrays larger than needed (more: a compile error; 4096 is well within 16 bits);
// kPacked below copies what it takes.
struct Packing {
    OptionSpec options[128];
    EnvSpec variables[16];
    char texts[4096];
    std::size_t option_count = 0, variable_count = 0, used = 0;

    // Where `text` (`words` words) is in `texts`: where the same bytes were put before,
    // if they were (as a peer's empty help is in many entries), else added at the end.
    // (Looked for where a text starts only: the compilers' budgets for constexpr work
    // would not do for every byte.)
    constexpr std::uint16_t place(const char* text, int words) {
        std::size_t size = text_size(text, words);
        for (std::size_t e = 0; e < option_count + variable_count; ++e) {
            std::size_t at = e < option_count ? options[e].text_at : variables[e - option_count].name_at, i = 0;
            while (i < size && at + i < used && texts[at + i] == text[i]) ++i;
            if (i == size) return static_cast<std::uint16_t>(at);
        }
        for (std::size_t i = 0; i < size; ++i) texts[used + i] = text[i];
        used += size;
        return static_cast<std::uint16_t>(used - size);
    }
};

constexpr Packing pack() {
    Packing p{};
    for (std::span<const Option> table : kOptionTables)
        for (const Option& o : table) {
            char text[256] = {};  // the long name and value name as they are, the help encoded
            std::size_t names = text_size(o.text, 2);
            for (std::size_t i = 0; i < names; ++i) text[i] = o.text[i];
            encode_help(o.text + names, text + names);
            p.options[p.option_count++] = OptionSpec{o.short_name, o.id, o.has_variable, p.place(text, 3)};
        }
    for (std::span<const Variable> table : kVariableTables)
        for (const Variable& v : table) p.variables[p.variable_count++] = EnvSpec{v.id, v.rule, p.place(v.name, 1)};
    return p;
}
constexpr Packing kPacking = pack();

template <std::size_t Options, std::size_t Variables, std::size_t Bytes>
struct Packed {
    std::array<OptionSpec, Options> options;
    std::array<EnvSpec, Variables> variables;
    std::array<char, Bytes> texts;
};
constexpr auto kPacked = [] {
    Packed<kPacking.option_count, kPacking.variable_count, kPacking.used> packed{};
    for (std::size_t i = 0; i < packed.options.size(); ++i) packed.options[i] = kPacking.options[i];
    for (std::size_t i = 0; i < packed.variables.size(); ++i) packed.variables[i] = kPacking.variables[i];
    for (std::size_t i = 0; i < packed.texts.size(); ++i) packed.texts[i] = kPacking.texts[i];
    return packed;
}();

// Where `table` is in its packed array: after the tables before it.
template <typename Entry>
constexpr std::size_t first_of(std::span<const std::span<const Entry>> tables, std::span<const Entry> table) {
    std::size_t first = 0;
    for (std::size_t t = 0; tables[t].data() != table.data(); ++t) first += tables[t].size();
    return first;
}
constexpr OptionList packed(std::span<const Option> table) {
    return {static_cast<unsigned char>(first_of<Option>(kOptionTables, table)), static_cast<unsigned char>(table.size())};
}
constexpr VariableList packed(std::span<const Variable> table) {
    return {static_cast<unsigned char>(first_of<Variable>(kVariableTables, table)),
            static_cast<unsigned char>(table.size())};
}

// One row per name. Read a column to see how the names differ.
constexpr NameRow kRows[] = {
    NameRow{
        .names = "initd\0", .options = packed(kInitdOptions), .variables = {},
        .permute = false, .version_only_alone = false, .help_to_stderr = false,
        .usage_exit = 2, .default_verbosity = 0, .default_setsid = false,
        .subreaper = Subreaper::by_default,
        .exit_not_found = 127, .exit_cannot_run = 126, .exit_exec_other = 126,
        .farewell = Farewell::grace, .job_control = JobControl::initd, .version = VersionStyle::initd, .faults_kill = false,
        .describe = "Runs COMMAND as a container's init: forwards signals, reaps zombies, exits with its status.",
    },
    NameRow{
        .names = "tini\0tini-static\0docker-init\0", .options = packed(kTiniOptions), .variables = packed(kTiniVariables),
        .permute = true, .version_only_alone = true, .help_to_stderr = false,
        .usage_exit = 1, .default_verbosity = 1, .default_setsid = false,
        .subreaper = Subreaper::opt_in,
        .exit_not_found = 127, .exit_cannot_run = 126, .exit_exec_other = 1,
        .farewell = Farewell::leave, .job_control = JobControl::tini, .version = VersionStyle::tini, .faults_kill = true,
        .describe = "runs PROGRAM, forwards signals, reaps zombies.",
    },
    NameRow{
        .names = "dumb-init\0", .options = packed(kDumbInitOptions), .variables = packed(kDumbInitVariables),
        .permute = false, .version_only_alone = false, .help_to_stderr = true,
        .usage_exit = 1, .default_verbosity = 0, .default_setsid = true,
        .subreaper = Subreaper::never,
        .exit_not_found = 2, .exit_cannot_run = 2, .exit_exec_other = 2,
        .farewell = Farewell::term_child, .job_control = JobControl::dumb_init, .version = VersionStyle::dumb_init, .faults_kill = false,
        .describe = "runs COMMAND in a new session and forwards signals to it.",
    },
    // podman runs its --init binary as /run/podman-init and expects catatonit of it.
    NameRow{
        .names = "catatonit\0podman-init\0", .options = packed(kCatatonitOptions), .variables = packed(kCatatonitVariables),
        .permute = true, .version_only_alone = false, .help_to_stderr = true,
        .usage_exit = 1, .default_verbosity = 0, .default_setsid = false,
        .subreaper = Subreaper::required,
        .exit_not_found = 1, .exit_cannot_run = 1, .exit_exec_other = 1,
        .farewell = Farewell::leave, .job_control = JobControl::catatonit, .version = VersionStyle::tini, .faults_kill = true,
        .describe = "runs PROGRAM as a container's init.",
    },
    NameRow{
        .names = "my_init\0", .options = packed(kMyInitOptions), .variables = packed(kMyInitVariables),
        .permute = false, .version_only_alone = false, .help_to_stderr = false,
        .usage_exit = 2, .default_verbosity = 1, .default_setsid = false,
        .subreaper = Subreaper::by_default,
        .exit_not_found = 127, .exit_cannot_run = 126, .exit_exec_other = 126,
        .farewell = Farewell::grace, .job_control = JobControl::initd, .version = VersionStyle::initd, .faults_kill = false,
        .exit_when_stopped = 2, .no_command_needed = true, .container_environment = true,
        .describe = "start-up scripts, runit services, then COMMAND.",
        .layout = &kMyInitLayout,
    },
    NameRow{
        .names = "dock\0", .options = packed(kDockOptions), .variables = {},
        .permute = false, .go_flags = true, .version_only_alone = false, .help_to_stderr = false,
        .usage_exit = 1, .default_verbosity = 1, .default_setsid = false,
        .subreaper = Subreaper::by_default,
        .exit_not_found = 255, .exit_cannot_run = 255, .exit_exec_other = 255,
        .farewell = Farewell::grace, .job_control = JobControl::initd, .version = VersionStyle::dock, .faults_kill = false,
        .stderr_to_stdout = true, .child_pdeathsig = SIGTERM, .dropped_signal = SIGWINCH,
        .describe = "a micro init system for containers.",
    },
};

// The names under which initd is a one-shot tool (tools.hpp). Not NameRows: none of a
// row's 56 bytes would apply to them.
struct ToolName {
    char name[8];
    Tool tool;
};
constexpr ToolName kTools[] = {{"setuser", tools::setuser}, {"chpst", tools::chpst}, {"sv", tools::sv}};

}  // namespace

const NameRow& initd_row() { return kRows[0]; }

const char* OptionSpec::long_name() const { return kPacked.texts.data() + text_at; }

void put_help(Text& out, const char* help) {
    for (; *help; ++help) {
        const char* phrase = kPhrases;
        if (static_cast<unsigned char>(*help) < 0x80) {
            out << *help;
            continue;
        }
        for (int n = static_cast<unsigned char>(*help) - 0x80; n > 0; --n) phrase = next_word(phrase);
        out << phrase;
    }
}
const OptionSpec* OptionList::begin() const { return kPacked.options.data() + first; }
const OptionSpec* OptionList::end() const { return begin() + count; }
const char* EnvSpec::name() const { return kPacked.texts.data() + name_at; }
const EnvSpec* VariableList::begin() const { return kPacked.variables.data() + first; }
const EnvSpec* VariableList::end() const { return begin() + count; }

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
