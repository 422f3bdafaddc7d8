#include "initd/signals.hpp"

#include <charconv>
#include <csignal>

namespace initd {
namespace {

// 8 bytes an entry (a string_view would take 16 more): the table is in every binary.
struct NamedSignal {
    unsigned char number;
    char name[7];
};

// The classic signals, by libc's numbers for this architecture. Aliases come after
// the canonical name so that looking up by number finds the canonical one first.
constexpr std::array kNamedSignals = {
    NamedSignal{SIGHUP, "HUP"},       NamedSignal{SIGINT, "INT"},
    NamedSignal{SIGQUIT, "QUIT"},     NamedSignal{SIGILL, "ILL"},
    NamedSignal{SIGTRAP, "TRAP"},     NamedSignal{SIGABRT, "ABRT"},
    NamedSignal{SIGBUS, "BUS"},       NamedSignal{SIGFPE, "FPE"},
    NamedSignal{SIGKILL, "KILL"},     NamedSignal{SIGUSR1, "USR1"},
    NamedSignal{SIGSEGV, "SEGV"},     NamedSignal{SIGUSR2, "USR2"},
    NamedSignal{SIGPIPE, "PIPE"},     NamedSignal{SIGALRM, "ALRM"},
    NamedSignal{SIGTERM, "TERM"},     NamedSignal{SIGSTKFLT, "STKFLT"},
    NamedSignal{SIGCHLD, "CHLD"},     NamedSignal{SIGCONT, "CONT"},
    NamedSignal{SIGSTOP, "STOP"},     NamedSignal{SIGTSTP, "TSTP"},
    NamedSignal{SIGTTIN, "TTIN"},     NamedSignal{SIGTTOU, "TTOU"},
    NamedSignal{SIGURG, "URG"},       NamedSignal{SIGXCPU, "XCPU"},
    NamedSignal{SIGXFSZ, "XFSZ"},     NamedSignal{SIGVTALRM, "VTALRM"},
    NamedSignal{SIGPROF, "PROF"},     NamedSignal{SIGWINCH, "WINCH"},
    NamedSignal{SIGIO, "IO"},         NamedSignal{SIGPWR, "PWR"},
    NamedSignal{SIGSYS, "SYS"},       NamedSignal{SIGABRT, "IOT"},
    NamedSignal{SIGCHLD, "CLD"},      NamedSignal{SIGIO, "POLL"},
};

// Real-time signals are named as `kill -l` names them: RTMIN..RTMIN+15 for the
// lower half, RTMAX-14..RTMAX for the upper half.
constexpr int kRtSplit = kRtMin + 15;

bool equal_ignoring_case(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        char x = a[i], y = b[i];
        if (x >= 'a' && x <= 'z') x = static_cast<char>(x - 'a' + 'A');
        if (y >= 'a' && y <= 'z') y = static_cast<char>(y - 'a' + 'A');
        if (x != y) return false;
    }
    return true;
}

bool starts_with_ignoring_case(std::string_view text, std::string_view prefix) {
    return text.size() >= prefix.size() && equal_ignoring_case(text.substr(0, prefix.size()), prefix);
}

// All of `text` as a decimal number, nothing else.
std::optional<int> parse_number(std::string_view text) {
    // Digits only: from_chars would take a sign, and "RTMAX--1" must not mean 65.
    if (text.empty() || text.size() > 3 || text[0] < '0' || text[0] > '9') return std::nullopt;
    int value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

std::optional<int> parse_realtime(std::string_view name) {
    constexpr int kRtMaxOffset = kSignalMax - kRtMin;
    if (equal_ignoring_case(name, "RTMIN")) return kRtMin;
    if (equal_ignoring_case(name, "RTMAX")) return kSignalMax;
    bool from_min = starts_with_ignoring_case(name, "RTMIN+");
    bool from_max = starts_with_ignoring_case(name, "RTMAX-");
    if (!from_min && !from_max) return std::nullopt;
    auto offset = parse_number(name.substr(6));
    if (!offset || *offset > kRtMaxOffset) return std::nullopt;
    return from_min ? kRtMin + *offset : kSignalMax - *offset;
}

}  // namespace

std::optional<int> parse_signal(std::string_view text) {
    if (auto n = parse_number(text)) {
        if (*n >= 1 && *n <= kSignalMax) return n;
        return std::nullopt;
    }
    std::string_view name = starts_with_ignoring_case(text, "SIG") ? text.substr(3) : text;
    for (const auto& s : kNamedSignals)
        if (equal_ignoring_case(name, s.name)) return int{s.number};
    return parse_realtime(name);
}

SignalName signal_name(int sig) {
    SignalName out{};
    Text t;
    bool named = false;
    for (const auto& s : kNamedSignals)
        if (s.number == sig) {
            t << s.name;
            named = true;
            break;
        }
    if (!named) {
        if (sig == kRtMin) t << "RTMIN";
        else if (sig == kSignalMax) t << "RTMAX";
        else if (sig > kRtMin && sig <= kRtSplit) t << "RTMIN+" << (sig - kRtMin);
        else if (sig > kRtSplit && sig < kSignalMax) t << "RTMAX-" << (kSignalMax - sig);
        else t << sig;
    }
    auto v = t.view();
    std::size_t n = v.size() < sizeof out.text - 1 ? v.size() : sizeof out.text - 1;
    for (std::size_t i = 0; i < n; ++i) out.text[i] = v[i];
    return out;
}

bool is_termination_signal(int sig) {
    return sig == SIGTERM || sig == SIGINT || sig == SIGQUIT || sig == SIGHUP;
}

bool is_job_control_stop(int sig) { return sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU; }

bool parse_rewrite_rule(std::string_view rule, RewriteTable& table, Text& error) {
    auto colon = rule.find(':');
    if (colon == std::string_view::npos) {
        error << "bad rewrite rule '" << rule << "': expected FROM:TO";
        return false;
    }
    std::string_view from_text = rule.substr(0, colon), to_text = rule.substr(colon + 1);
    if (from_text.empty() || to_text.empty()) {
        error << "bad rewrite rule '" << rule << "': expected FROM:TO, both signals";
        return false;
    }
    auto from = parse_signal(from_text);
    if (!from) {
        error << "bad rewrite rule '" << rule << "': unknown signal '" << from_text << "'";
        return false;
    }
    if (*from == SIGKILL || *from == SIGSTOP) {
        error << "bad rewrite rule '" << rule << "': " << signal_name(*from).view()
              << " cannot be caught, so it cannot be rewritten";
        return false;
    }
    if (*from == SIGCHLD) {
        // initd waits for SIGCHLD to reap; it is never forwarded, so a rule would do nothing.
        error << "bad rewrite rule '" << rule << "': CHLD tells initd to reap, it is never forwarded";
        return false;
    }
    std::optional<int> to = to_text == "0" ? std::optional<int>(0) : parse_signal(to_text);
    if (!to) {
        error << "bad rewrite rule '" << rule << "': unknown signal '" << to_text << "'";
        return false;
    }
    table.set(*from, *to);
    return true;
}

}  // namespace initd
