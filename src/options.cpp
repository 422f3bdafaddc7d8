#include "initd/options.hpp"

#include <charconv>
#include <string_view>

#include "initd/duration.hpp"
#include "initd/version.hpp"

namespace initd {
namespace {

enum class Opt {
    rewrite, process_group, setsid, single_child, grace, kill_after, restart, restart_max,
    delay, pause, user, subreaper, pdeathsig, expect_exit, warn_reap, verbose,
    help, version, license,
};

struct OptionSpec {
    char short_name;  // 0: long only
    std::string_view long_name;  // empty: short only
    std::string_view value_name;  // empty: a flag
    Opt id;
    std::string_view help;
};

// Every option of initd, tini, dumb-init and catatonit. --help is printed from here.
constexpr std::array kOptions = {
    OptionSpec{'r', "rewrite", "FROM:TO", Opt::rewrite, "forward signal FROM as TO (TO 0 drops it); repeatable"},
    OptionSpec{'g', "process-group", "", Opt::process_group, "forward signals to the child's whole process group"},
    OptionSpec{0, "setsid", "", Opt::setsid, "run the child in a new session with the terminal (implies -g)"},
    OptionSpec{'c', "single-child", "", Opt::single_child, "forward to the child only (undoes -g, --setsid)"},
    OptionSpec{0, "grace", "DURATION", Opt::grace, "when the child is gone, time the rest get after SIGTERM (5s)"},
    OptionSpec{0, "kill-after", "DURATION", Opt::kill_after, "SIGKILL the child this long after a TERM/INT/QUIT/HUP"},
    OptionSpec{0, "restart", "POLICY", Opt::restart, "no, on-failure or always: restart the child with back-off"},
    OptionSpec{0, "restart-max", "N", Opt::restart_max, "give up after N restarts (0: no limit)"},
    OptionSpec{0, "delay", "SIGNAL:DURATION", Opt::delay, "hold SIGNAL this long before forwarding it; repeatable"},
    OptionSpec{'P', "pause", "", Opt::pause, "run no child: reap, and exit 0 on SIGTERM or SIGINT"},
    OptionSpec{'u', "user", "USER[:GROUP]", Opt::user, "run the child as USER (name or number)"},
    OptionSpec{'s', "subreaper", "", Opt::subreaper, "register as child subreaper when not PID 1 (the default)"},
    OptionSpec{'p', "pdeathsig", "SIGNAL", Opt::pdeathsig, "receive SIGNAL when initd's parent dies"},
    OptionSpec{'e', "expect-exit", "CODE", Opt::expect_exit, "treat the child's exit status CODE as 0; repeatable"},
    OptionSpec{'w', "warn-reap", "", Opt::warn_reap, "log every reaped process that is not the child"},
    OptionSpec{'v', "verbose", "", Opt::verbose, "more log lines on stderr; repeat for more"},
    OptionSpec{'h', "help", "", Opt::help, "print this help and exit"},
    OptionSpec{'V', "version", "", Opt::version, "print the version and exit"},
    OptionSpec{'l', "license", "", Opt::license, "print the license and exit"},
    OptionSpec{'L', "", "", Opt::license, ""},
};

enum class EnvKind {
    value,      // parsed as the option's value; lists are comma-separated
    boolean,    // "1" turns the option on, "0" off
    presence,   // set at all = on (tini's variables)
    debug,      // "1" (or any value but "0") = verbosity 3 (dumb-init, catatonit)
};

struct EnvSpec {
    std::string_view name;
    Opt id;
    EnvKind kind;
};

// INITD_* is read under every name; the peers' variables under theirs (see kPersonalities).
constexpr std::array kInitdVariables = {
    EnvSpec{"INITD_REWRITE", Opt::rewrite, EnvKind::value},
    EnvSpec{"INITD_PROCESS_GROUP", Opt::process_group, EnvKind::boolean},
    EnvSpec{"INITD_SETSID", Opt::setsid, EnvKind::boolean},
    EnvSpec{"INITD_GRACE", Opt::grace, EnvKind::value},
    EnvSpec{"INITD_KILL_AFTER", Opt::kill_after, EnvKind::value},
    EnvSpec{"INITD_RESTART", Opt::restart, EnvKind::value},
    EnvSpec{"INITD_RESTART_MAX", Opt::restart_max, EnvKind::value},
    EnvSpec{"INITD_USER", Opt::user, EnvKind::value},
    EnvSpec{"INITD_PDEATHSIG", Opt::pdeathsig, EnvKind::value},
    EnvSpec{"INITD_EXPECT_EXIT", Opt::expect_exit, EnvKind::value},
    EnvSpec{"INITD_DELAY", Opt::delay, EnvKind::value},
    EnvSpec{"INITD_VERBOSE", Opt::verbose, EnvKind::value},
};
constexpr std::array kTiniVariables = {
    EnvSpec{"TINI_SUBREAPER", Opt::subreaper, EnvKind::presence},
    EnvSpec{"TINI_KILL_PROCESS_GROUP", Opt::process_group, EnvKind::presence},
    EnvSpec{"TINI_VERBOSITY", Opt::verbose, EnvKind::value},
};
constexpr std::array kDumbInitVariables = {
    EnvSpec{"DUMB_INIT_SETSID", Opt::setsid, EnvKind::boolean},
    EnvSpec{"DUMB_INIT_DEBUG", Opt::verbose, EnvKind::debug},
};
constexpr std::array kCatatonitVariables = {
    EnvSpec{"CATATONIT_DEBUG", Opt::verbose, EnvKind::debug},
};

struct PersonalitySpec {
    std::string_view name;
    Personality personality;
};
constexpr std::array kPersonalities = {
    PersonalitySpec{"tini", Personality::tini},
    PersonalitySpec{"tini-static", Personality::tini},
    PersonalitySpec{"docker-init", Personality::tini},
    PersonalitySpec{"dumb-init", Personality::dumb_init},
    PersonalitySpec{"catatonit", Personality::catatonit},
};

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

// Says where a bad value came from: "--grace" or "INITD_GRACE".
struct Source {
    std::string_view name;
    bool is_option;
};

void describe(Text& error, Source source) {
    if (source.is_option) error << "bad value for --" << source.name;
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
    case Opt::grace:
    case Opt::kill_after: {
        auto ms = parse_duration_ms(value);
        if (!ms) return bad("a duration like 500ms, 5s or 2m");
        (id == Opt::grace ? config.grace_ms : config.kill_after_ms) = *ms;
        return true;
    }
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
    case Opt::pdeathsig: {
        auto sig = parse_signal(value);
        if (!sig) return bad("a signal like KILL or 9");
        config.pdeathsig = *sig;
        return true;
    }
    case Opt::expect_exit: {
        auto code = parse_unsigned<unsigned>(value, 255);
        if (!code) return bad("an exit code 0-255");
        config.expect_exit[*code] = true;
        return true;
    }
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

// A flag option, or a boolean variable turning it on or off.
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
    case Opt::verbose: ++config.verbosity; break;
    default: break;
    }
}

bool is_list(Opt id) { return id == Opt::rewrite || id == Opt::expect_exit || id == Opt::delay; }

bool apply_variable(const EnvSpec& spec, std::string_view value, Config& config, Text& error) {
    Source source{spec.name, false};
    switch (spec.kind) {
    case EnvKind::presence:
        apply_flag(spec.id, true, config);
        return true;
    case EnvKind::debug:
        if (value != "0" && !value.empty()) config.verbosity = 3;
        return true;
    case EnvKind::boolean:
        if (value != "0" && value != "1") {
            describe(error, source);
            error << ": '" << value << "' (expected 0 or 1)";
            return false;
        }
        apply_flag(spec.id, value == "1", config);
        return true;
    case EnvKind::value:
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

template <std::size_t N>
bool read_variables(const std::array<EnvSpec, N>& specs, char* const* envp, Config& config, Text& error) {
    for (const auto& spec : specs) {
        for (char* const* e = envp; e && *e; ++e) {
            std::string_view entry = *e;
            if (entry.size() <= spec.name.size() || entry[spec.name.size()] != '=' ||
                entry.substr(0, spec.name.size()) != spec.name)
                continue;
            // `--user` keeps a pointer: the environment string outlives the parse.
            if (!apply_variable(spec, entry.substr(spec.name.size() + 1), config, error)) return false;
        }
    }
    return true;
}

bool read_environment(char* const* envp, Config& config, Text& error) {
    switch (config.personality) {
    case Personality::tini:
        if (!read_variables(kTiniVariables, envp, config, error)) return false;
        break;
    case Personality::dumb_init:
        if (!read_variables(kDumbInitVariables, envp, config, error)) return false;
        break;
    case Personality::catatonit:
        if (!read_variables(kCatatonitVariables, envp, config, error)) return false;
        break;
    case Personality::initd: break;
    }
    return read_variables(kInitdVariables, envp, config, error);
}

const OptionSpec* find_short(char c) {
    for (const auto& spec : kOptions)
        if (spec.short_name == c) return &spec;
    return nullptr;
}

// Exact name, or an unambiguous prefix of one, as getopt_long accepts.
const OptionSpec* find_long(std::string_view name, bool& ambiguous) {
    const OptionSpec* found = nullptr;
    ambiguous = false;
    for (const auto& spec : kOptions) {
        if (spec.long_name.empty() || spec.long_name.substr(0, name.size()) != name) continue;
        if (spec.long_name == name) return &spec;
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
    if (spec.value_name.empty()) {
        apply_flag(spec.id, true, config);
        return Action::run;
    }
    Source source{spec.long_name, true};
    return apply_value(spec.id, value, config, error, source) ? Action::run : Action::bad_value;
}

ParseResult usage_error(ParseResult& r) {
    r.action = Action::usage_error;
    return r;
}

}  // namespace

ParseResult parse_options(int argc, char* const* argv, char* const* envp, Config& config) {
    ParseResult result{Action::run, {}};
    Text& error = result.error;

    config.called_as = argc > 0 ? base_name(argv[0]).data() : "initd";
    for (const auto& p : kPersonalities)
        if (p.name == config.called_as) config.personality = p.personality;
    if (config.personality == Personality::tini) config.subreaper = false;
    if (config.personality == Personality::dumb_init) config.setsid = true;

    if (!read_environment(envp, config, error)) {
        result.action = Action::bad_value;
        return result;
    }

    // getopt without permutation: options end at "--" or at the first non-option, so
    // in `initd sh -c 'exit 3'` the -c is sh's.
    int i = 1;
    while (i < argc) {
        std::string_view arg = argv[i];
        if (arg == "--") {
            ++i;
            break;
        }
        if (arg.size() < 2 || arg[0] != '-') break;

        if (arg[1] == '-') {
            std::string_view body = arg.substr(2);
            auto eq = body.find('=');
            std::string_view name = body.substr(0, eq);
            bool ambiguous = false;
            const OptionSpec* spec = find_long(name, ambiguous);
            if (!spec) {
                error << (ambiguous ? "ambiguous option '--" : "unknown option '--") << name << "'";
                return usage_error(result);
            }
            const char* value = nullptr;
            if (!spec->value_name.empty()) {
                if (eq != std::string_view::npos) value = argv[i] + 2 + eq + 1;
                else if (i + 1 < argc) value = argv[++i];
                else {
                    error << "option '--" << spec->long_name << "' needs a value (" << spec->value_name << ")";
                    return usage_error(result);
                }
            } else if (eq != std::string_view::npos) {
                error << "option '--" << spec->long_name << "' takes no value";
                return usage_error(result);
            }
            if (Action a = apply_option(*spec, value, config, error); a != Action::run) {
                result.action = a;
                return result;
            }
            ++i;
            continue;
        }

        // A cluster of short options: -vvv, -gv, -rTERM:QUIT, -r TERM:QUIT.
        for (std::size_t j = 1; j < arg.size(); ++j) {
            const OptionSpec* spec = find_short(arg[j]);
            if (!spec) {
                error << "unknown option '-" << arg[j] << "'";
                return usage_error(result);
            }
            const char* value = nullptr;
            bool takes_rest = !spec->value_name.empty();
            if (takes_rest) {
                if (j + 1 < arg.size()) value = argv[i] + j + 1;
                else if (i + 1 < argc) value = argv[++i];
                else {
                    error << "option '-" << arg[j] << "' needs a value (" << spec->value_name << ")";
                    return usage_error(result);
                }
            }
            if (Action a = apply_option(*spec, value, config, error); a != Action::run) {
                result.action = a;
                return result;
            }
            if (takes_rest) break;
        }
        ++i;
    }

    if (config.setsid) config.process_group = true;
    if (config.pause) {
        if (i < argc) {
            error << "--pause runs no command, but got '" << argv[i] << "'";
            return usage_error(result);
        }
        return result;
    }
    if (i >= argc) {
        error << "missing command";
        return usage_error(result);
    }
    config.command = argv + i;
    return result;
}

void format_help(const Config& config, void (*emit)(std::string_view)) {
    Text t;
    t << "Usage: " << config.called_as << " [OPTION]... [--] COMMAND [ARG]...\n"
      << "Runs COMMAND as a container's init: forwards signals, reaps zombies, exits with its status.\n\n";
    emit(t.view());
    for (const auto& spec : kOptions) {
        if (spec.help.empty()) continue;
        Text line;
        line << "  ";
        if (spec.short_name) line << '-' << spec.short_name << (spec.long_name.empty() ? "" : ", ");
        else line << "    ";
        if (!spec.long_name.empty()) line << "--" << spec.long_name;
        if (!spec.value_name.empty()) line << ' ' << spec.value_name;
        std::size_t width = line.view().size();
        for (; width < 34; ++width) line << ' ';
        line << ' ' << spec.help << '\n';
        emit(line.view());
    }
    emit("\nDURATION: a number with unit ms, s (default) or m. Every option has an INITD_*\n"
         "variable (INITD_REWRITE=15:3,2:15, INITD_GRACE=10s, ...); the command line wins.\n"
         "Exit status: the child's; 128+N if signal N killed it; 2 for bad usage;\n"
         "127 command not found; 126 command not executable; 1 initd's own failure.\n");
}

void format_version(const Config& config, void (*emit)(std::string_view)) {
    Text t;
    // Docker runs `<init-path> --version` and parses tini's line format.
    if (config.personality == Personality::tini) t << "tini version " << kVersion << " - git.initd\n";
    else t << "initd " << kVersion << '\n';
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
