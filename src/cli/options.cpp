#include "initd/options.hpp"

#include <charconv>
#include <csignal>
#include <optional>
#include <span>
#include <string_view>

#include "initd/duration.hpp"
#include "initd/version.hpp"

namespace initd {
namespace {

// INITD_* is read under every name, before the command line (which wins over it); the
// peers' variables are in their rows (names.cpp) and read after it, as the peers do.
constexpr std::array kInitdVariables = {
    EnvSpec{"INITD_REWRITE", Opt::rewrite, EnvRule::value},
    EnvSpec{"INITD_PROCESS_GROUP", Opt::process_group, EnvRule::boolean},
    EnvSpec{"INITD_SETSID", Opt::setsid, EnvRule::boolean},
    EnvSpec{"INITD_GRACE", Opt::grace, EnvRule::value},
    EnvSpec{"INITD_KILL_AFTER", Opt::kill_after, EnvRule::value},
    EnvSpec{"INITD_RESTART", Opt::restart, EnvRule::value},
    EnvSpec{"INITD_RESTART_MAX", Opt::restart_max, EnvRule::value},
    EnvSpec{"INITD_USER", Opt::user, EnvRule::value},
    EnvSpec{"INITD_PDEATHSIG", Opt::pdeathsig, EnvRule::value},
    EnvSpec{"INITD_EXPECT_EXIT", Opt::expect_exit, EnvRule::value},
    EnvSpec{"INITD_DELAY", Opt::delay, EnvRule::value},
    EnvSpec{"INITD_VERBOSE", Opt::verbose, EnvRule::value},
    EnvSpec{"INITD_SERVICES", Opt::services, EnvRule::value},
    EnvSpec{"INITD_STARTUP", Opt::startup, EnvRule::value},
    EnvSpec{"INITD_PRE_SHUTDOWN", Opt::pre_shutdown, EnvRule::value},
    EnvSpec{"INITD_POST_SHUTDOWN", Opt::post_shutdown, EnvRule::value},
    EnvSpec{"INITD_TERMINATION_LOG", Opt::termination_log, EnvRule::value},
    EnvSpec{"INITD_IO", Opt::io, EnvRule::value},
    EnvSpec{"INITD_WEB_HOOK", Opt::web_hook, EnvRule::value},
    EnvSpec{"INITD_BIND_PORT", Opt::bind_port, EnvRule::value},
    EnvSpec{"INITD_STRICT_PORT_BINDING", Opt::strict_port_binding, EnvRule::boolean},
    EnvSpec{"INITD_STDOUT_PREFIX", Opt::stdout_prefix, EnvRule::value},
    EnvSpec{"INITD_LOG_ROTATE", Opt::log_rotate, EnvRule::value},
    EnvSpec{"INITD_THUG", Opt::thug, EnvRule::boolean},
    EnvSpec{"INITD_PREFIX_SERVICES", Opt::prefix_services, EnvRule::boolean},
    EnvSpec{"INITD_NOTIFY_SOCKET", Opt::notify_socket, EnvRule::boolean},
};

constexpr int kDebugLevel = 3;

std::string_view base_name(const char* path) {
    std::string_view p = path ? path : "initd";
    auto slash = p.rfind('/');
    return slash == std::string_view::npos ? p : p.substr(slash + 1);
}

template <typename T>
std::optional<T> parse_unsigned(std::string_view text, T max) {
    T value{};
    // from_chars takes a sign for a signed T; "-1" must not become a verbosity of -1.
    if (text.empty() || text.front() < '0' || text.front() > '9') return std::nullopt;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value > max)
        return std::nullopt;
    return value;
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

// Says where a bad value came from: "--grace" or "INITD_GRACE".
struct Source {
    std::string_view name;
    bool is_option;
};

void describe(Text& error, Source source) {
    if (source.is_option) error << "bad value for " << (source.name.size() == 1 ? "-" : "--") << source.name;
    else error << "bad value for " << source.name;
}

bool apply_delay(std::string_view item, Config& config, Text& error, Source source) {
    auto colon = item.rfind(':');
    auto sig = colon == std::string_view::npos ? std::nullopt : parse_signal(item.substr(0, colon));
    auto ms = colon == std::string_view::npos ? std::nullopt : parse_duration_ms(item.substr(colon + 1));
    if (!sig || !ms) {
        describe(error, source);
        error << ": '" << item << "' (expected SIGNAL:DURATION, like TERM:10s)";
        return false;
    }
    config.delay_ms[static_cast<std::size_t>(*sig)] = *ms;
    return true;
}

// dumb-init's "-r s:r": numbers only, s in 1-31, r in 0-31. dumb-init handles SIGCHLD
// before it looks at its rules, so a rule for 17 is accepted and has no effect.
bool apply_numeric_rewrite(std::string_view rule, Config& config) {
    auto colon = rule.find(':');
    if (colon == std::string_view::npos) return false;
    auto from = parse_unsigned<int>(rule.substr(0, colon), 31);
    auto to = parse_unsigned<int>(rule.substr(colon + 1), 31);
    if (!from || !to || *from < 1) return false;
    if (*from != SIGCHLD) config.rewrite.set(*from, *to);
    return true;
}

// tini's -p: one of the classic signals by its full upper-case name ("SIGKILL").
std::optional<int> parse_signal_name_only(std::string_view text) {
    if (text.size() < 4 || text.substr(0, 3) != "SIG") return std::nullopt;
    for (char c : text)
        if ((c < 'A' || c > 'Z') && (c < '0' || c > '9')) return std::nullopt;
    auto sig = parse_signal(text);
    return sig && *sig < 32 ? sig : std::nullopt;
}

// One value of one option, from the command line or (one list item of) a variable.
bool apply_value(Opt id, std::string_view value, Config& config, Text& error, Source source) {
    auto bad = [&](std::string_view expected) {
        describe(error, source);
        error << ": '" << value << "' (expected " << expected << ")";
        return false;
    };
    switch (id) {
    case Opt::rewrite: {
        Text detail;
        if (parse_rewrite_rule(value, config.rewrite, detail)) return true;
        describe(error, source);
        error << ": " << detail.view();
        return false;
    }
    case Opt::rewrite_numeric:
        return apply_numeric_rewrite(value, config) || bad("s:r, with s from 1 to 31 and r from 0 to 31");
    case Opt::grace:
    case Opt::kill_after:
    case Opt::stop_timeout:
    case Opt::log_rotate: {
        auto ms = parse_duration_ms(value);
        if (!ms) return bad("a duration like 500ms, 5s, 2m or 1h");
        (id == Opt::grace ? config.grace_ms : id == Opt::log_rotate ? config.log_rotate_ms : config.kill_after_ms) = *ms;
        if (id == Opt::stop_timeout) config.service_stop_ms = *ms;
        return true;
    }
    case Opt::log_rotate_hours: {
        // Go's strconv.Atoi: an optional sign, digits; 0 or less turns rotation off.
        bool negative = !value.empty() && value.front() == '-';
        auto hours = parse_unsigned<unsigned>(value.substr(negative || value.starts_with('+')), 1000000);
        if (!hours) return bad("a whole number of hours");
        config.log_rotate_ms = negative ? 0 : *hours * 3600000ull;
        return true;
    }
    case Opt::bind_port: {
        auto port = parse_unsigned<int>(value, 65535);
        if (!port || *port == 0) return bad("a port 1-65535");
        config.bind_port = *port;
        return true;
    }
    case Opt::io:
    case Opt::web_hook:
    case Opt::stdout_prefix:
        // Checked where they are used (src/dock/): a URL's errors name what is wrong in it.
        (id == Opt::io ? config.io : id == Opt::web_hook ? config.web_hook : config.stdout_prefix) = value.data();
        return true;
    case Opt::services:
    case Opt::pre_shutdown:
    case Opt::post_shutdown:
    case Opt::startup_directory:
        if (value.empty()) return bad("a path");
        (id == Opt::services ? config.services : id == Opt::pre_shutdown ? config.pre_shutdown
                             : id == Opt::post_shutdown ? config.post_shutdown : config.startup[1]) = value.data();
        return true;
    case Opt::startup:
        if (value.empty()) return bad("a path");
        for (const char*& slot : config.startup)
            if (!slot) {
                slot = value.data();
                return true;
            }
        describe(error, source);
        error << ": more than " << Config::kMaxScriptDirs << " start-up paths";
        return false;
    case Opt::restart:
        if (value == "no") config.restart = RestartPolicy::no;
        else if (value == "on-failure") config.restart = RestartPolicy::on_failure;
        else if (value == "always") config.restart = RestartPolicy::always;
        else return bad("no, on-failure or always");
        return true;
    case Opt::restart_max: {
        auto n = parse_unsigned<unsigned>(value, 1000000);
        if (!n) return bad("a number of restarts");
        config.restart_max = *n;
        return true;
    }
    case Opt::delay:
        return apply_delay(value, config, error, source);
    case Opt::user:
        if (value.empty() || value.front() == ':') return bad("USER or USER:GROUP");
        config.user = value.data();
        return true;
    case Opt::pdeathsig:
    case Opt::pdeathsig_named: {
        auto sig = id == Opt::pdeathsig ? parse_signal(value) : parse_signal_name_only(value);
        if (!sig) return bad(id == Opt::pdeathsig ? "a signal like KILL or 9" : "a signal name like SIGKILL");
        config.pdeathsig = *sig;
        return true;
    }
    case Opt::expect_exit: {
        auto code = parse_unsigned<unsigned>(value, 255);
        if (!code) return bad("an exit code 0-255");
        config.expect_exit[*code] = true;
        return true;
    }
    case Opt::termination_log:
        config.termination_log = value.data();  // argv's or environ's string: it outlives the parse
        return true;
    case Opt::verbose: {
        auto level = parse_unsigned<int>(value, 4);
        if (!level) return bad("a level 0-4");
        config.verbosity = *level;
        return true;
    }
    default:
        return bad("no value");
    }
}

// A flag option, or a variable turning it on or off.
void apply_flag(Opt id, bool on, Config& config) {
    switch (id) {
    case Opt::process_group: config.process_group = on; break;
    case Opt::setsid: config.setsid = on; break;
    case Opt::single_child:
        config.process_group = false;
        config.setsid = false;
        break;
    case Opt::pause: config.pause = on; break;
    case Opt::subreaper: config.subreaper = on; break;
    case Opt::warn_reap: config.warn_reap = on; break;
    case Opt::skip_startup: config.skip_startup = on; break;
    case Opt::skip_services: config.skip_services = on; break;
    case Opt::keep_rest: config.kill_all_on_exit = !on; break;
    case Opt::quiet: config.verbosity = 0; break;
    case Opt::insecure_key: config.insecure_key = on; break;
    case Opt::strict_port_binding: config.strict_port_binding = on; break;
    case Opt::thug: config.thug = on; break;
    case Opt::prefix_services: config.prefix_services = on; break;
    case Opt::notify_socket: config.notify_socket = on; break;
    case Opt::verbose: ++config.verbosity; break;
    case Opt::debug: config.verbosity = kDebugLevel; break;
    default: break;
    }
}

bool is_list(Opt id) {
    return id == Opt::rewrite || id == Opt::expect_exit || id == Opt::delay || id == Opt::startup;
}

bool apply_variable(const EnvSpec& spec, std::string_view value, Config& config, Text& error) {
    Source source{spec.name, false};
    switch (spec.rule) {
    case EnvRule::presence:
        apply_flag(spec.id, true, config);
        return true;
    case EnvRule::exactly_one:
        if (value == "1") apply_flag(spec.id, true, config);
        return true;
    case EnvRule::exactly_zero:
        if (value == "0") apply_flag(spec.id, false, config);
        return true;
    case EnvRule::number:
        config.verbosity = lenient_level(value);
        return true;
    case EnvRule::reserved:
        error << spec.name << " is reserved for future use";
        return false;
    case EnvRule::boolean:
        if (value != "0" && value != "1") {
            describe(error, source);
            error << ": '" << value << "' (expected 0 or 1)";
            return false;
        }
        apply_flag(spec.id, value == "1", config);
        return true;
    case EnvRule::value:
        if (!is_list(spec.id)) return value.empty() || apply_value(spec.id, value, config, error, source);
        while (!value.empty()) {
            auto comma = value.find(',');
            auto item = value.substr(0, comma);
            if (!item.empty() && !apply_value(spec.id, item, config, error, source)) return false;
            value = comma == std::string_view::npos ? std::string_view() : value.substr(comma + 1);
        }
        return true;
    }
    return true;
}

// The value of NAME in the environment (the first NAME=, as getenv finds it), or nothing.
std::optional<std::string_view> lookup(char* const* envp, std::string_view name) {
    for (char* const* e = envp; e && *e; ++e) {
        std::string_view entry = *e;
        if (entry.size() > name.size() && entry[name.size()] == '=' && entry.substr(0, name.size()) == name)
            return entry.substr(name.size() + 1);
    }
    return std::nullopt;
}

bool read_variables(std::span<const EnvSpec> specs, char* const* envp, Config& config, Text& error) {
    for (const auto& spec : specs) {
        // `--user` keeps a pointer: the environment string outlives the parse.
        auto value = lookup(envp, spec.name);
        if (value && !apply_variable(spec, *value, config, error)) return false;
    }
    return true;
}

const OptionSpec* find_short(const NameRow& row, char c) {
    for (const auto& spec : row.options)
        if (spec.short_name == c) return &spec;
    return nullptr;
}

// Exact name, or an unambiguous prefix of one, as getopt_long accepts.
const OptionSpec* find_long(const NameRow& row, std::string_view name, bool& ambiguous) {
    const OptionSpec* found = nullptr;
    ambiguous = false;
    for (const auto& spec : row.options) {
        std::string_view long_name = spec.long_name();
        if (long_name.empty() || long_name.substr(0, name.size()) != name) continue;
        if (long_name == name) return &spec;
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
    Source source{*spec.long_name() ? std::string_view(spec.long_name()) : std::string_view(&spec.short_name, 1), true};
    return apply_value(spec.id, value, config, error, source) ? Action::run : Action::bad_value;
}

bool is_option(std::string_view arg) { return arg.size() >= 2 && arg[0] == '-'; }

// strconv.ParseBool, as Go's flag package reads "-flag=VALUE" for a boolean flag.
std::optional<bool> parse_go_bool(std::string_view v) {
    for (std::string_view t : {"1", "t", "T", "true", "TRUE", "True"})
        if (v == t) return true;
    for (std::string_view f : {"0", "f", "F", "false", "FALSE", "False"})
        if (v == f) return false;
    return std::nullopt;
}

// One argument that is an option (or a cluster of short ones) at argv[i]. Returns the
// index after it and any value it took, or sets `action` and returns -1.
int parse_option_at(int argc, char** argv, int i, Config& config, ParseResult& result) {
    const NameRow& row = *config.row;
    Text& error = result.error;
    std::string_view arg = argv[i];
    auto stop = [&](Action a) {
        result.action = a;
        return -1;
    };
    if (row.go_flags) {
        // Go's flag package: -name or --name (every name is "long", even "d"), exact
        // names only, "=VALUE" or, unless a boolean, the next word whatever it is.
        std::string_view body = arg.substr(arg[1] == '-' ? 2 : 1);
        auto eq = body.find('=');
        std::string_view name = body.substr(0, eq);
        const OptionSpec* spec = nullptr;
        for (const auto& s : row.options)
            if (name == s.long_name()) spec = &s;
        if (!spec || name.empty()) {
            error << "unknown option '" << arg.substr(0, arg.size() - body.size() + name.size()) << "'";
            return stop(Action::usage_error);
        }
        const char* value = eq == std::string_view::npos ? nullptr : argv[i] + (arg.size() - body.size()) + eq + 1;
        if (!*spec->value_name()) {
            auto on = value ? parse_go_bool(value) : true;
            if (!on) {
                error << "bad value for -" << name << ": '" << value << "' (expected true or false)";
                return stop(Action::usage_error);
            }
            if (!*on) return i + 1;
            value = nullptr;
        } else if (!value) {
            if (i + 1 >= argc) {
                error << "option '-" << name << "' needs a value (" << spec->value_name() << ")";
                return stop(Action::usage_error);
            }
            value = argv[++i];
        }
        if (Action a = apply_option(*spec, value, config, error); a != Action::run) return stop(a);
        return i + 1;
    }
    if (arg[1] == '-') {
        std::string_view body = arg.substr(2);
        auto eq = body.find('=');
        std::string_view name = body.substr(0, eq);
        bool ambiguous = false;
        const OptionSpec* spec = find_long(row, name, ambiguous);
        if (!spec) {
            error << (ambiguous ? "ambiguous option '--" : "unknown option '--") << name << "'";
            return stop(Action::usage_error);
        }
        const char* value = nullptr;
        if (*spec->value_name()) {
            if (eq != std::string_view::npos) value = argv[i] + 2 + eq + 1;
            else if (i + 1 < argc) value = argv[++i];
            else {
                error << "option '--" << spec->long_name() << "' needs a value (" << spec->value_name() << ")";
                return stop(Action::usage_error);
            }
        } else if (eq != std::string_view::npos) {
            error << "option '--" << spec->long_name() << "' takes no value";
            return stop(Action::usage_error);
        }
        if (Action a = apply_option(*spec, value, config, error); a != Action::run) return stop(a);
        return i + 1;
    }
    // A cluster of short options: -vvv, -gv, -rTERM:QUIT, -r TERM:QUIT.
    for (std::size_t j = 1; j < arg.size(); ++j) {
        const OptionSpec* spec = find_short(row, arg[j]);
        if (!spec) {
            error << "unknown option '-" << arg[j] << "'";
            return stop(Action::usage_error);
        }
        const char* value = nullptr;
        bool takes_rest = *spec->value_name();
        if (takes_rest) {
            if (j + 1 < arg.size()) value = argv[i] + j + 1;
            else if (i + 1 < argc) value = argv[++i];
            else {
                error << "option '-" << arg[j] << "' needs a value (" << spec->value_name() << ")";
                return stop(Action::usage_error);
            }
        }
        if (Action a = apply_option(*spec, value, config, error); a != Action::run) return stop(a);
        if (takes_rest) break;
    }
    return i + 1;
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

ParseResult parse_options(int argc, char** argv, char* const* envp, Config& config) {
    ParseResult result{Action::run, {}};
    Text& error = result.error;

    config.called_as = argc > 0 ? base_name(argv[0]).data() : "initd";
    config.row = &name_row(config.called_as);
    const NameRow& row = *config.row;
    config.subreaper = row.subreaper == Subreaper::by_default || row.subreaper == Subreaper::required;
    config.setsid = row.default_setsid;
    config.verbosity = row.default_verbosity;
    if (const Layout* layout = row.layout) {
        config.services = layout->services;
        for (int i = 0; i < 3; ++i) config.startup[static_cast<std::size_t>(i)] = layout->startup[i];
        config.pre_shutdown = layout->pre_shutdown;
        config.post_shutdown = layout->post_shutdown;
        config.kill_after_ms = config.service_stop_ms = layout->stop_ms;
        config.grace_ms = layout->grace_ms;
        // my_init stops its command with SIGTERM whether it got SIGTERM or SIGINT.
        config.rewrite.set(SIGINT, SIGTERM);
    }

    if (row.version_only_alone && argc == 2 && std::string_view(argv[1]) == "--version") {
        result.action = Action::version;
        return result;
    }
    if (!read_variables(kInitdVariables, envp, config, error)) {
        result.action = Action::bad_value;
        return result;
    }

    // Options end at "--" or, without permutation, at the first word that is not an
    // option: in `initd sh -c 'exit 3'` the -c is sh's. With permutation (glibc getopt,
    // as tini and catatonit are built), words are skipped and options after them still
    // count, unless POSIXLY_CORRECT is set. [first_word, i) holds the words skipped.
    bool permute = row.permute && !lookup(envp, "POSIXLY_CORRECT");
    int i = 1, first_word = 1;
    while (i < argc) {
        std::string_view arg = argv[i];
        if (arg == "--") {
            move_before(argv, first_word, i, i + 1);
            first_word += 1;
            break;
        }
        if (!is_option(arg)) {
            if (!permute) break;
            ++i;
            continue;
        }
        if (row.version_only_alone && arg == "--version") {
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

    if (!read_variables(row.variables, envp, config, error)) {
        result.action = Action::bad_value;
        return result;
    }
    if (row.go_flags) {
        // dock's command-line library: a first word "help" or "h", or no command at
        // all, prints the help and exits 0.
        std::string_view first = first_word < argc ? argv[first_word] : "help";
        if (first == "help" || first == "h") {
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
    t << "Usage: " << config.called_as << " [OPTION]... [--] COMMAND [ARG]...\n" << row.describe << "\n\n";
    emit(t.view());
    for (const auto& spec : row.options) {
        if (!*spec.help()) continue;
        Text line;
        line << "  ";
        if (spec.short_name) line << '-' << spec.short_name << (*spec.long_name() ? ", " : "");
        else line << "    ";
        if (*spec.long_name()) line << "--" << spec.long_name();
        if (*spec.value_name()) line << ' ' << spec.value_name();
        std::size_t width = line.view().size();
        for (; width < 34; ++width) line << ' ';
        line << ' ' << spec.help() << '\n';
        emit(line.view());
    }
    if (&row == &initd_row())
        emit("\nDURATION: a number with unit ms, s (default), m or h. Every option has an INITD_*\n"
             "variable (INITD_REWRITE=15:3,2:15, INITD_GRACE=10s, ...); the command line wins.\n"
             "Exit status: the child's; 128+N if signal N killed it; 2 for bad usage;\n"
             "127 command not found; 126 command not executable; 1 initd's own failure.\n");
    else
        emit("\nThis is initd under another name: it behaves as that program does (see\n"
             "'man initd', section NAMES). INITD_* variables reach initd's other options.\n");
}

void format_version(const Config& config, void (*emit)(std::string_view)) {
    Text t;
    switch (config.row->version) {
    // dockerd runs `<init-path> --version` and parses tini's line format.
    case VersionStyle::tini: t << "tini version " << kVersion << " - git.initd\n"; break;
    case VersionStyle::dumb_init: t << "dumb-init v" << kVersion << " (initd)\n"; break;
    case VersionStyle::initd: t << "initd " << kVersion << '\n'; break;
    case VersionStyle::dock: t << "dock version v" << kVersion << " (initd)\n"; break;
    }
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
