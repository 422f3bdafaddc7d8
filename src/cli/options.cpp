#include "initd/options.hpp"

#include <csignal>
#include <cstddef>
#include <cstring>
#include <optional>
#include <string_view>
#include <string.h>

#include "initd/duration.hpp"
#include "initd/version.hpp"

namespace initd {
namespace {

constexpr int kDebugLevel = 3;

// What an option does with its value or, for a flag, what turning it on does.
enum class Kind : unsigned char {
    // Flags.
    flag,           // a bool, on or off
    inverted_flag,  // a bool the option turns off (my_init's --no-kill-all-on-exit)
    single_child,   // --process-group and --setsid off
    fixed_level,    // the verbosity: none (my_init's --quiet) or debug
    // Values, in the order of their words in kExpected.
    level,        // the verbosity: as a flag one level more, as a value (INITD_VERBOSE) 0-4
    duration,     // a std::uint64_t of milliseconds
    hours,        // the same, from a whole number of hours
    port,         // an int, 1-65535
    count,        // an unsigned, up to 1000000
    exit_code,    // a bool of the array, by the code 0-255
    path,         // a const char*, not empty
    startup,      // the next free start-up path
    restart,      // a RestartPolicy
    delay,        // SIGNAL:DURATION, into the array by signal
    user,         // a const char*, USER or USER:GROUP
    signal,       // an int: any signal's name or number
    signal_name,  // an int: a classic signal's full name only (tini's -p)
    numeric_rewrite,
    text,     // a const char*, checked where it is used: a URL's error names its fault
    rewrite,  // parse_rewrite_rule says what is wrong
};

// What a bad value of each value Kind should have been.
constexpr char kExpected[] =
    "a level 0-4\0"
    "a duration like 500ms, 5s, 2m or 1h\0"
    "a whole number of hours\0"
    "a port 1-65535\0"
    "a number of restarts\0"
    "an exit code 0-255\0"
    "a path\0"
    "a path\0"
    "no, on-failure or always\0"
    "SIGNAL:DURATION, like TERM:10s\0"
    "USER or USER:GROUP\0"
    "a signal like KILL or 9\0"
    "a signal name like SIGKILL\0"
    "s:r, with s from 1 to 31 and r from 0 to 31";

const char* expected(Kind kind) {
    const char* words = kExpected;
    for (int n = static_cast<int>(kind) - static_cast<int>(Kind::level); n > 0; --n) words = next_word(words);
    return words;
}

// Where an option's value goes: its Kind, and the offset of its member in Config. One
// table for every option of every name, so that one piece of code stores them all.
// Two bytes, not four: bit-fields, as the table has a row for each Opt.
struct Target {
    constexpr Target(Kind kind = Kind::flag, std::size_t offset = 0)
        : kind(kind), offset(static_cast<unsigned short>(offset)) {}
    Kind kind : 5;
    unsigned short offset : 11;
};
static_assert(sizeof(Config) < (1 << 11), "Target::offset holds any member's offset");

constexpr Target target_of(Opt id) {
    switch (id) {
    case Opt::rewrite: return {Kind::rewrite, offsetof(Config, rewrite)};
    case Opt::rewrite_numeric: return {Kind::numeric_rewrite, offsetof(Config, rewrite)};
    case Opt::process_group: return {Kind::flag, offsetof(Config, process_group)};
    case Opt::setsid: return {Kind::flag, offsetof(Config, setsid)};
    case Opt::single_child: return {Kind::single_child, 0};
    case Opt::grace: return {Kind::duration, offsetof(Config, grace_ms)};
    case Opt::kill_after: return {Kind::duration, offsetof(Config, kill_after_ms)};
    case Opt::restart: return {Kind::restart, offsetof(Config, restart)};
    case Opt::restart_max: return {Kind::count, offsetof(Config, restart_max)};
    case Opt::delay: return {Kind::delay, offsetof(Config, delay_ms)};
    case Opt::pause: return {Kind::flag, offsetof(Config, pause)};
    case Opt::user: return {Kind::user, offsetof(Config, user)};
    case Opt::subreaper: return {Kind::flag, offsetof(Config, subreaper)};
    case Opt::pdeathsig: return {Kind::signal, offsetof(Config, pdeathsig)};
    case Opt::pdeathsig_named: return {Kind::signal_name, offsetof(Config, pdeathsig)};
    case Opt::expect_exit: return {Kind::exit_code, offsetof(Config, expect_exit)};
    case Opt::warn_reap: return {Kind::flag, offsetof(Config, warn_reap)};
    case Opt::termination_log: return {Kind::text, offsetof(Config, termination_log)};
    case Opt::services: return {Kind::path, offsetof(Config, services)};
    case Opt::startup: return {Kind::startup, offsetof(Config, startup)};
    case Opt::pre_shutdown: return {Kind::path, offsetof(Config, pre_shutdown)};
    case Opt::post_shutdown: return {Kind::path, offsetof(Config, post_shutdown)};
    case Opt::startup_directory: return {Kind::path, offsetof(Config, startup) + sizeof(const char*)};  // startup[1]
    case Opt::skip_startup: return {Kind::flag, offsetof(Config, skip_startup)};
    case Opt::skip_services: return {Kind::flag, offsetof(Config, skip_services)};
    case Opt::keep_rest: return {Kind::inverted_flag, offsetof(Config, kill_all_on_exit)};
    case Opt::quiet: return {Kind::fixed_level, offsetof(Config, verbosity)};
    case Opt::insecure_key: return {Kind::flag, offsetof(Config, insecure_key)};
    // and service_stop_ms: apply_value sets both
    case Opt::stop_timeout: return {Kind::duration, offsetof(Config, kill_after_ms)};
    case Opt::io: return {Kind::text, offsetof(Config, io)};
    case Opt::web_hook: return {Kind::text, offsetof(Config, web_hook)};
    case Opt::bind_port: return {Kind::port, offsetof(Config, bind_port)};
    case Opt::strict_port_binding: return {Kind::flag, offsetof(Config, strict_port_binding)};
    case Opt::stdout_prefix: return {Kind::text, offsetof(Config, stdout_prefix)};
    case Opt::thug: return {Kind::flag, offsetof(Config, thug)};
    case Opt::notify_socket: return {Kind::flag, offsetof(Config, notify_socket)};
    case Opt::prefix_services: return {Kind::flag, offsetof(Config, prefix_services)};
    case Opt::log_rotate: return {Kind::duration, offsetof(Config, log_rotate_ms)};
    case Opt::log_rotate_hours: return {Kind::hours, offsetof(Config, log_rotate_ms)};
    case Opt::verbose: return {Kind::level, offsetof(Config, verbosity)};
    case Opt::debug: return {Kind::fixed_level, offsetof(Config, verbosity)};
    case Opt::help:
    case Opt::version:
    case Opt::license: break;  // actions: parse_option_at ends the parse with them
    }
    return {Kind::flag, offsetof(Config, pause)};  // never stored: see action_of
}

constexpr std::size_t kOpts = static_cast<std::size_t>(Opt::license) + 1;
constexpr auto kTargets = [] {
    std::array<Target, kOpts> targets{};
    for (std::size_t i = 0; i < kOpts; ++i) targets[i] = target_of(static_cast<Opt>(i));
    return targets;
}();

// Config's member at `offset`, as a T: the type its Target's Kind stores.
template <typename T>
T& member(Config& config, std::size_t offset) {
    return *reinterpret_cast<T*>(reinterpret_cast<char*>(&config) + offset);
}

// What follows the last '/' of `path`.
const char* base_name(const char* path) {
    const char* name = path;
    for (const char* c = path; *c; ++c)
        if (*c == '/') name = c + 1;
    return name;
}

// atoi() as tini reads TINI_VERBOSITY: leading digits count, the rest is ignored, and a
// value that is no number is 0. A negative level means "all", as tini's unsigned does.
int lenient_level(std::string_view text) {
    bool negative = !text.empty() && text.front() == '-';
    if (negative || (!text.empty() && text.front() == '+')) text.remove_prefix(1);
    int value = 0;
    for (char c : text) {
        if (c < '0' || c > '9' || value > 1000) break;
        value = value * 10 + (c - '0');
    }
    return negative && value > 0 ? 1000 : value;
}

// An option's name as a variable's: "kill-after" is KILL_AFTER.
char spelled_as_variable(char c) { return c == '-' ? '_' : c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }

// Says where a bad value came from: "--grace", "-p", "INITD_GRACE", "KILL_PROCESS_TIMEOUT".
struct Source {
    const char* prefix;     // "--" or "-" (an option); "INITD_" or "" (a variable)
    std::string_view name;  // an option's: a variable's is spelled from it
};

void describe(Text& error, const Source& source) {
    error << "bad value for " << source.prefix;
    bool variable = *source.prefix != '-';
    for (char c : source.name) error << (variable ? spelled_as_variable(c) : c);
}

bool bad_value(Text& error, const Source& source, std::string_view value, const char* expected) {
    describe(error, source);
    error << ": '" << value << "' (expected " << expected << ")";
    return false;
}

// dumb-init's "-r s:r": numbers only, s in 1-31, r in 0-31. dumb-init handles SIGCHLD
// before it looks at its rules, so a rule for 17 is accepted and has no effect.
bool apply_numeric_rewrite(std::string_view rule, Config& config) {
    auto colon = rule.find(':');
    if (colon == std::string_view::npos) return false;
    auto from = parse_number(rule.substr(0, colon));
    auto to = parse_number(rule.substr(colon + 1));
    if (!from || !to || *from < 1 || *from > 31 || *to > 31) return false;
    if (*from != SIGCHLD) config.rewrite.set(static_cast<int>(*from), static_cast<int>(*to));
    return true;
}

bool apply_delay(std::string_view item, Config& config) {
    auto colon = item.rfind(':');
    if (colon == std::string_view::npos) return false;
    auto sig = parse_signal(item.substr(0, colon));
    auto ms = parse_duration_ms(item.substr(colon + 1));
    if (!sig || !ms) return false;
    config.delay_ms[static_cast<std::size_t>(*sig)] = *ms;
    return true;
}

// tini's -p: one of the classic signals by its full upper-case name ("SIGKILL").
std::optional<int> parse_signal_name_only(std::string_view text) {
    if (text.size() < 4 || !text.starts_with("SIG")) return std::nullopt;
    for (char c : text)
        if ((c < 'A' || c > 'Z') && (c < '0' || c > '9')) return std::nullopt;
    auto sig = parse_signal(text);
    return sig && *sig < 32 ? sig : std::nullopt;
}

// Go's strconv.Atoi: an optional sign, digits; 0 or less turns rotation off.
std::optional<std::uint64_t> parse_hours_ms(std::string_view text) {
    bool negative = text.starts_with('-');
    auto hours = parse_number(text.substr(negative || text.starts_with('+')));
    if (!hours || *hours > 1000000) return std::nullopt;
    return negative ? 0 : *hours * 3600000;
}

// One value of one option, from the command line or (one list item of) a variable.
bool apply_value(Opt id, std::string_view value, Config& config, Text& error, const Source& source) {
    const Target target = kTargets[static_cast<std::size_t>(id)];
    auto number = parse_number(value);  // for the Kinds of numbers
    std::optional<std::uint64_t> ms;
    std::optional<int> sig;
    switch (target.kind) {
    case Kind::rewrite:
        // The rule's own words follow ours. `error` is empty until something fails (the
        // first failure ends the parse), so a rule that is good leaves it empty again.
        describe(error, source);
        error << ": ";
        if (!parse_rewrite_rule(value, config.rewrite, error)) return false;
        error.clear();
        return true;
    case Kind::numeric_rewrite:
        if (apply_numeric_rewrite(value, config)) return true;
        break;
    case Kind::duration:
    case Kind::hours:
        ms = target.kind == Kind::duration ? parse_duration_ms(value) : parse_hours_ms(value);
        if (!ms) break;
        member<std::uint64_t>(config, target.offset) = *ms;
        if (id == Opt::stop_timeout) config.service_stop_ms = *ms;  // the services' stop too
        return true;
    case Kind::level:
    case Kind::port:
    case Kind::count: {
        const std::uint64_t most = target.kind == Kind::level ? 4 : target.kind == Kind::port ? 65535 : 1000000;
        if (!number || *number > most || (target.kind == Kind::port && *number == 0)) break;
        member<unsigned>(config, target.offset) = static_cast<unsigned>(*number);  // an int's bytes alike
        return true;
    }
    case Kind::exit_code:
        if (!number || *number > 255) break;
        member<bool>(config, target.offset + *number) = true;
        return true;
    case Kind::startup: {
        if (value.empty()) break;
        const char* path = value.data();
        if (path[value.size()] != '\0') {  // one of INITD_STARTUP's list: a comma ends it
            std::size_t& used = config.startup_list_used;
            if (value.size() >= Config::kStartupListBytes - used) {
                describe(error, source);
                error << ": the paths are more than " << Config::kStartupListBytes - 1 << " bytes in all";
                return false;
            }
            char* copy = config.startup_list + used;
            std::memcpy(copy, path, value.size());  // the terminator: the buffer's zeros
            used += value.size() + 1;
            path = copy;
        }
        for (const char*& slot : config.startup)
            if (!slot) {
                slot = path;
                return true;
            }
        describe(error, source);
        error << ": more than " << Config::kMaxScriptDirs << " start-up paths";
        return false;
    }
    case Kind::restart:
        if (int policy = word_index(value, "no\0on-failure\0always\0"); policy >= 0) {
            config.restart = static_cast<RestartPolicy>(policy);  // the words in the enum's order
            return true;
        }
        break;
    case Kind::delay:
        if (apply_delay(value, config)) return true;
        break;
    case Kind::signal:
    case Kind::signal_name:
        sig = target.kind == Kind::signal ? parse_signal(value) : parse_signal_name_only(value);
        if (!sig) break;
        member<int>(config, target.offset) = *sig;
        return true;
    case Kind::path:
    case Kind::user:
        if (value.empty() || (target.kind == Kind::user && value.front() == ':')) break;
        [[fallthrough]];
    case Kind::text:
        member<const char*>(config, target.offset) = value.data();  // argv's or environ's: it outlives the parse
        return true;
    default:
        break;
    }
    return bad_value(error, source, value, expected(target.kind));
}

// A flag option, or a variable turning it on or off.
void apply_flag(Opt id, bool on, Config& config) {
    const Target target = kTargets[static_cast<std::size_t>(id)];
    switch (target.kind) {
    case Kind::flag: member<bool>(config, target.offset) = on; break;
    case Kind::inverted_flag: member<bool>(config, target.offset) = !on; break;
    case Kind::single_child: config.process_group = config.setsid = false; break;
    case Kind::level: ++config.verbosity; break;
    case Kind::fixed_level: config.verbosity = id == Opt::debug ? kDebugLevel : 0; break;
    default: break;
    }
}

bool is_list(Opt id) {
    return id == Opt::rewrite || id == Opt::expect_exit || id == Opt::delay || id == Opt::startup;
}

bool apply_variable(EnvRule rule, Opt id, std::string_view value, const Source& source, Config& config, Text& error) {
    int bit = word_index(value, "0\0" "1\0");  // what the flags' rules read: 0, 1 or -1
    switch (rule) {
    case EnvRule::presence:
        bit = 1;
        break;
    case EnvRule::exactly_one:
        if (bit != 1) return true;
        break;
    case EnvRule::exactly_zero:
        if (bit != 0) return true;
        break;
    case EnvRule::boolean:
        if (bit < 0) return bad_value(error, source, value, "0 or 1");
        break;
    case EnvRule::number:
        config.verbosity = lenient_level(value);
        return true;
    case EnvRule::reserved:
        error << source.name << " is reserved for future use";
        return false;
    case EnvRule::value:
        // A list's items are comma-separated; any other value is one item. (The value is
        // an environment string: a NUL ends it.)
        for (const char* item = value.data();; ++item) {
            const char* end = is_list(id) ? ::strchrnul(item, ',') : item + value.size();
            std::size_t size = static_cast<std::size_t>(end - item);
            if (size && !apply_value(id, {item, size}, config, error, source)) return false;
            if (!*end) return true;
            item = end;
        }
    }
    apply_flag(id, bit == 1, config);
    return true;
}

}  // namespace

const char* lookup(char* const* envp, const char* prefix, const char* name) {
    for (char* const* e = envp; e && *e; ++e) {
        const char* entry = *e;
        const char* p = prefix;
        while (*p && *entry == *p) ++p, ++entry;
        const char* n = name;
        while (!*p && *n && *entry == spelled_as_variable(*n)) ++n, ++entry;
        if (!*p && !*n && *entry == '=') return entry + 1;
    }
    return nullptr;
}

namespace {

// PREFIX+NAME, if the environment has it, read by `rule`. (`--user` keeps a pointer:
// the environment string outlives the parse.)
bool read_variable(char* const* envp, const char* prefix, const char* name, EnvRule rule, Opt id, Config& config,
                   Text& error) {
    const char* value = lookup(envp, prefix, name);
    return !value || apply_variable(rule, id, value, {prefix, name}, config, error);
}

// INITD_<NAME> for each of initd's options that has one, in the table's order.
bool read_initd_variables(char* const* envp, Config& config, Text& error) {
    for (const OptionSpec& spec : initd_row().options) {
        // A flag's variable is 0 or 1, but for INITD_VERBOSE, which is the level.
        EnvRule rule = *spec.value_name() || spec.id == Opt::verbose ? EnvRule::value : EnvRule::boolean;
        if (spec.has_variable && !read_variable(envp, "INITD_", spec.long_name(), rule, spec.id, config, error))
            return false;
    }
    return true;
}

// The peer's variables of the name's row, as the peer reads them.
bool read_peer_variables(const NameRow& row, char* const* envp, Config& config, Text& error) {
    for (const EnvSpec& spec : row.variables)
        if (!read_variable(envp, "", spec.name(), spec.rule, spec.id, config, error)) return false;
    return true;
}

const OptionSpec* find_short(const NameRow& row, char c) {
    for (const auto& spec : row.options)
        if (spec.short_name == c) return &spec;
    return nullptr;
}

// Exact name or, unless `exact`, an unambiguous prefix of one, as getopt_long accepts.
const OptionSpec* find_long(const NameRow& row, std::string_view name, bool exact, bool& ambiguous) {
    const OptionSpec* found = nullptr;
    ambiguous = false;
    for (const auto& spec : row.options) {
        // By characters, not as a std::string_view: its substr and == are calls.
        const char* long_name = spec.long_name();
        std::size_t i = 0;
        while (i < name.size() && long_name[i] == name[i]) ++i;
        if (!*long_name || i < name.size()) continue;
        if (!long_name[i]) return &spec;
        if (exact) continue;
        if (found && found->id != spec.id) ambiguous = true;
        found = &spec;
    }
    return ambiguous ? nullptr : found;
}

Action action_of(Opt id) {
    switch (id) {
    case Opt::help: return Action::help;
    case Opt::version: return Action::version;
    case Opt::license: return Action::license;
    default: return Action::run;
    }
}

// Applies one option; returns the action it ends the parse with (run = go on).
Action apply_option(const OptionSpec& spec, const char* value, Config& config, Text& error) {
    if (Action a = action_of(spec.id); a != Action::run) return a;
    if (!*spec.value_name()) {
        apply_flag(spec.id, true, config);
        return Action::run;
    }
    // Errors name it by its long name if it has one (none that takes a value is one letter long).
    Source source = *spec.long_name() ? Source{"--", spec.long_name()} : Source{"-", {&spec.short_name, 1}};
    return apply_value(spec.id, value, config, error, source) ? Action::run : Action::bad_value;
}

bool is_option(std::string_view arg) { return arg.size() >= 2 && arg[0] == '-'; }

// strconv.ParseBool, as Go's flag package reads "-flag=VALUE" for a boolean flag.
std::optional<bool> parse_go_bool(std::string_view v) {
    int word = word_index(v, "1\0t\0T\0true\0TRUE\0True\0" "0\0f\0F\0false\0FALSE\0False\0");
    if (word < 0) return std::nullopt;
    return word < 6;  // the first six say true
}

// One argument that is an option (or a cluster of short ones) at argv[i]. Returns the
// index after it and any value it took, or sets `result.action` and returns -1.
//   getopt_long: --name (or a prefix of it), --name=VALUE or --name VALUE; a cluster of
//                short options -vvv, -gv, -rTERM:QUIT, -r TERM:QUIT.
//   Go's flag package (dock): -name or --name (every name is "long", even "d"), exact
//                names only, "=VALUE" or, unless a boolean, the next word whatever it is.
[[gnu::noinline]]  // inlined in parse_options, in main, gcc made the binary 96 bytes larger
int parse_option_at(int argc, char** argv, int i, Config& config, ParseResult& result) {
    const NameRow& row = *config.row;
    Text& error = result.error;
    std::string_view arg = argv[i];
    const bool long_form = row.go_flags || arg[1] == '-';
    std::size_t at = arg[1] == '-' ? 2 : 1;  // the next name's first character
    // A fault in the argument itself ends the loop with `error` said: a usage error.
    while (at < arg.size()) {
        const OptionSpec* spec;
        const char* attached = nullptr;  // a value in the same argument: --grace=5s, -r15:3
        if (long_form) {
            const char* eq = ::strchrnul(argv[i] + at, '=');  // the name ends there
            std::string_view name(argv[i] + at, static_cast<std::size_t>(eq - argv[i]) - at);
            bool ambiguous;
            spec = find_long(row, name, row.go_flags, ambiguous);
            if (!spec) {
                error << (ambiguous ? "ambiguous option '" : "unknown option '")
                      << std::string_view(argv[i], static_cast<std::size_t>(eq - argv[i])) << "'";
                break;
            }
            if (*eq) attached = eq + 1;
            at = arg.size();
        } else {
            spec = find_short(row, arg[at]);
            if (!spec) {
                error << "unknown option '-" << arg[at] << "'";
                break;
            }
            if (++at < arg.size() && *spec->value_name()) {
                attached = argv[i] + at;  // the rest of the argument
                at = arg.size();
            }
        }
        // How errors name it: as getopt_long and Go's flag package do.
        const char* dash = long_form && !row.go_flags ? "--" : "-";
        std::string_view shown = long_form ? std::string_view(spec->long_name()) : std::string_view(&spec->short_name, 1);
        const char* value = attached;
        if (!*spec->value_name() && attached) {
            if (!row.go_flags) {
                error << "option '" << dash << shown << "' takes no value";
                break;
            }
            auto on = parse_go_bool(attached);
            if (!on) {
                bad_value(error, {dash, shown}, attached, "true or false");
                break;
            }
            if (!*on) continue;  // -flag=false: as if not given
            value = nullptr;
        } else if (*spec->value_name() && !attached) {
            if (i + 1 >= argc) {
                error << "option '" << dash << shown << "' needs a value (" << spec->value_name() << ")";
                break;
            }
            value = argv[++i];
        }
        if (Action a = apply_option(*spec, value, config, error); a != Action::run) {
            result.action = a;
            return -1;
        }
    }
    if (!error.empty()) {
        result.action = Action::usage_error;
        return -1;
    }
    return i + 1;
}

// An option's line in --help; an empty one is initd's for the same Opt, which the
// peers' rows leave out rather than repeat.
const char* help_text(const OptionSpec& spec) {
    if (!*spec.help())
        for (const OptionSpec& own : initd_row().options)
            if (own.id == spec.id) return own.help();
    return spec.help();
}

// Moves argv[from, to) in front of argv[first, from), keeping both runs in order: how
// glibc's getopt lets options that follow words of the command be parsed, and the
// command's words end up together after them.
void move_before(char** argv, int first, int from, int to) {
    // One element at a time: the runs are a few arguments long, and std::rotate's
    // general algorithm costs the binary more than this loop costs at run time.
    for (int i = from; i < to; ++i) {
        char* moving = argv[i];
        for (int j = i; j > first + (i - from); --j) argv[j] = argv[j - 1];
        argv[first + (i - from)] = moving;
    }
}

}  // namespace

[[gnu::noinline]]  // inlined in main, gcc made the binary 64 bytes larger
ParseResult parse_options(int argc, char** argv, char* const* envp, Config& config) {
    ParseResult result{Action::run, {}};
    Text& error = result.error;

    config.called_as = argc > 0 && argv[0] ? base_name(argv[0]) : "initd";
    config.row = &name_row(config.called_as);
    const NameRow& row = *config.row;
    config.subreaper = row.subreaper == Subreaper::by_default || row.subreaper == Subreaper::required;
    config.setsid = row.default_setsid;
    config.verbosity = row.default_verbosity;
    if (const Layout* layout = row.layout) {
        config.services = layout->services;
        config.startup = layout->startup;
        config.pre_shutdown = layout->pre_shutdown;
        config.post_shutdown = layout->post_shutdown;
        config.kill_after_ms = config.service_stop_ms = layout->stop_ms;
        config.grace_ms = layout->grace_ms;
        // my_init stops its command with SIGTERM whether it got SIGTERM or SIGINT.
        config.rewrite.set(SIGINT, SIGTERM);
    }

    if (row.version_only_alone && argc == 2 && is_word(argv[1], "--version")) {
        result.action = Action::version;
        return result;
    }
    if (!read_initd_variables(envp, config, error)) {
        result.action = Action::bad_value;
        return result;
    }

    // Options end at "--" or, without permutation, at the first word that is not an
    // option: in `initd sh -c 'exit 3'` the -c is sh's. With permutation (glibc getopt,
    // as tini and catatonit are built), words are skipped and options after them still
    // count, unless POSIXLY_CORRECT is set. [first_word, i) holds the words skipped.
    bool permute = row.permute && !lookup(envp, "", "POSIXLY_CORRECT");
    int i = 1, first_word = 1;
    while (i < argc) {
        std::string_view arg = argv[i];
        if (is_word(arg, "--")) {
            move_before(argv, first_word, i, i + 1);
            first_word += 1;
            break;
        }
        if (!is_option(arg)) {
            if (!permute) break;
            ++i;
            continue;
        }
        if (row.version_only_alone && is_word(arg, "--version")) {
            error << "'--version' must be the only argument";
            result.action = Action::usage_error;
            return result;
        }
        int next = parse_option_at(argc, argv, i, config, result);
        if (next < 0) return result;
        move_before(argv, first_word, i, next);
        first_word += next - i;
        i = next;
    }

    if (!read_peer_variables(row, envp, config, error)) {
        result.action = Action::bad_value;
        return result;
    }
    if (row.go_flags) {
        // dock's command-line library: a first word "help" or "h", or no command at
        // all, prints the help and exits 0.
        std::string_view first = first_word < argc ? argv[first_word] : "help";
        if (word_index(first, "help\0h\0") >= 0) {
            result.action = Action::help;
            return result;
        }
    }
    if (row.dropped_signal) config.rewrite.set(row.dropped_signal, 0);
    if (config.setsid) config.process_group = true;
    if (config.skip_startup) config.startup = {};
    if (config.insecure_key) config.startup[0] = "/usr/sbin/enable_insecure_key";  // even so, as my_init
    if (config.skip_services) config.services = config.pre_shutdown = config.post_shutdown = nullptr;
    bool multi = config.services || config.has_scripts();
    if (first_word >= argc && row.no_command_needed && !config.services) {
        error << "--skip-runit needs a command to run";
        result.action = Action::refuse;
        return result;
    }
    if (config.pause) {
        if (first_word < argc) {
            error << "--pause runs no command, but got '" << argv[first_word] << "'";
            result.action = Action::usage_error;
        }
        return result;
    }
    if (first_word >= argc && !config.services) {
        error << (multi ? "missing command (or --services: with no command, initd runs the services until told to stop)"
                        : "missing command");
        result.action = Action::usage_error;
        return result;
    }
    // (argc may be 0: execve with an empty argv; the command is then argv's null, too)
    config.command = argv + (first_word < argc ? first_word : argc);
    return result;
}

void format_help(const Config& config, void (*emit)(std::string_view)) {
    const NameRow& row = *config.row;
    Text t;
    const bool initd = &row == &initd_row();
    t << "Usage: " << config.called_as << " [OPTION]... [--] COMMAND [ARG]...\n";
    if (!initd) t << "initd, called as " << config.called_as << ": ";
    t << row.describe << "\n\n";
    emit(t.view());
    const OptionSpec* previous = nullptr;
    for (const auto& spec : row.options) {
        bool alias = previous && previous->id == spec.id;
        previous = &spec;
        if (alias) continue;
        Text line;
        line << "  ";
        if (spec.short_name) line << '-' << spec.short_name << (*spec.long_name() ? ", " : "");
        else line << "    ";
        if (*spec.long_name()) line << "--" << spec.long_name();
        if (*spec.value_name()) line << ' ' << spec.value_name();
        std::size_t width = line.view().size();
        for (; width < 34; ++width) line << ' ';
        line << ' ';
        put_help(line, help_text(spec));
        line << '\n';
        emit(line.view());
    }
    if (initd)
        emit("\nDURATION: a number with unit ms, s (default), m or h. Every option but -c -P -s -w\n"
             "-h -V -l has an INITD_* variable (INITD_REWRITE=15:3,2:15, INITD_GRACE=10s, ...);\n"
             "the command line wins.\n"
             "Exit status: the child's; 128+N if signal N killed it; 2 for bad usage;\n"
             "127 command not found; 126 command not executable; 1 initd's own failure.\n");
    else
        emit("\nThis is initd under another name: it behaves as that program does (see\n"
             "'man initd', section NAMES). INITD_* variables reach initd's other options.\n");
}

// Each VersionStyle's line, in the enum's order: the words before and after the version.
// dockerd runs `<init-path> --version` and parses tini's line format.
constexpr char kVersionLines[] =
    "initd \0\n\0"
    "tini version \0 - git.initd\n\0"
    "dumb-init v\0 (initd)\n\0"
    "dock version v\0 (initd)\n";

void format_version(const Config& config, void (*emit)(std::string_view)) {
    const char* before = kVersionLines;
    for (int n = static_cast<int>(config.row->version); n > 0; --n) before = next_word(next_word(before));
    Text t;
    t << before << kVersion << next_word(before);
    emit(t.view());
}

void format_license(void (*emit)(std::string_view)) {
    emit("initd is distributed under the MIT License.\n\n"
         "Permission is hereby granted, free of charge, to any person obtaining a copy of this\n"
         "software and associated documentation files (the \"Software\"), to deal in the Software\n"
         "without restriction, including without limitation the rights to use, copy, modify,\n"
         "merge, publish, distribute, sublicense, and/or sell copies of the Software, and to\n"
         "permit persons to whom the Software is furnished to do so, subject to the following\n"
         "conditions: the above copyright notice and this permission notice shall be included in\n"
         "all copies or substantial portions of the Software.\n\n"
         "THE SOFTWARE IS PROVIDED \"AS IS\", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED.\n");
}

}  // namespace initd
