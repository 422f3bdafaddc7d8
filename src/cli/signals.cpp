#include "initd/signals.hpp"

#include <csignal>

#include "initd/duration.hpp"

namespace initd {
namespace {

// The classic signals, by libc's numbers for this architecture, and the ends of the
// real-time range: the names in one string, the numbers in the same order (a table of
// {number, char[7]} took 77 bytes more). Aliases come after the canonical name so that
// looking up by number finds the canonical one first.
constexpr char kSignalNames[] =
    "HUP\0INT\0QUIT\0ILL\0TRAP\0ABRT\0BUS\0FPE\0KILL\0USR1\0SEGV\0USR2\0PIPE\0ALRM\0TERM\0STKFLT\0"
    "CHLD\0CONT\0STOP\0TSTP\0TTIN\0TTOU\0URG\0XCPU\0XFSZ\0VTALRM\0PROF\0WINCH\0IO\0PWR\0SYS\0"
    "IOT\0CLD\0POLL\0RTMIN\0RTMAX\0";
constexpr unsigned char kSignalNumbers[] = {
    SIGHUP,  SIGINT,  SIGQUIT, SIGILL,  SIGTRAP, SIGABRT,   SIGBUS,  SIGFPE,   SIGKILL, SIGUSR1, SIGSEGV,
    SIGUSR2, SIGPIPE, SIGALRM, SIGTERM, SIGSTKFLT, SIGCHLD, SIGCONT, SIGSTOP,  SIGTSTP, SIGTTIN, SIGTTOU,
    SIGURG,  SIGXCPU, SIGXFSZ, SIGVTALRM, SIGPROF, SIGWINCH, SIGIO,  SIGPWR,   SIGSYS,
    SIGABRT, SIGCHLD, SIGIO,   kRtMin,  kSignalMax,
};

// Real-time signals are named as `kill -l` names them: RTMIN..RTMIN+15 for the
// lower half, RTMAX-14..RTMAX for the upper half.
constexpr int kRtSplit = kRtMin + 15;

char upper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }

// Takes `prefix` (in upper case) off `text` if `text` starts with it, in any case.
// (const char*, not std::string_view: a literal made a view costs a call at every use.)
bool take_prefix(std::string_view& text, const char* prefix) {
    std::size_t n = 0;
    for (; prefix[n]; ++n)
        if (n >= text.size() || upper(text[n]) != prefix[n]) return false;
    text.remove_prefix(n);
    return true;
}

// `text` is `name` (in upper case), in any case.
bool is_name(std::string_view text, const char* name) { return take_prefix(text, name) && text.empty(); }

// All of `text` as a number of at most three digits, nothing else: "RTMAX--1" must not mean 65.
std::optional<int> small_number(std::string_view text) {
    auto n = text.size() <= 3 ? parse_number(text) : std::nullopt;
    if (!n) return std::nullopt;
    return static_cast<int>(*n);
}

// "RTMIN+n", "RTMAX-n" (without SIG).
std::optional<int> parse_realtime(std::string_view name) {
    bool from_min = take_prefix(name, "RTMIN+");
    if (!from_min && !take_prefix(name, "RTMAX-")) return std::nullopt;
    auto offset = small_number(name);
    if (!offset || *offset > kSignalMax - kRtMin) return std::nullopt;
    return from_min ? kRtMin + *offset : kSignalMax - *offset;
}

}  // namespace

std::optional<int> parse_signal(std::string_view text) {
    if (auto n = small_number(text)) {
        if (*n >= 1 && *n <= kSignalMax) return n;
        return std::nullopt;
    }
    take_prefix(text, "SIG");
    int i = 0;
    for (const char* name = kSignalNames; *name; name = next_word(name), ++i)
        if (is_name(text, name)) return int{kSignalNumbers[i]};
    return parse_realtime(text);
}

SignalName signal_name(int sig) {
    SignalName out{};
    Text t;
    const char* named = kSignalNames;
    for (unsigned char number : kSignalNumbers) {
        if (number == sig) break;
        named = next_word(named);
    }
    if (*named) t << named;
    else if (sig > kRtMin && sig <= kRtSplit) t << "RTMIN+" << (sig - kRtMin);
    else if (sig > kRtSplit && sig < kSignalMax) t << "RTMAX-" << (kSignalMax - sig);
    else t << sig;
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
    std::string_view from_text = rule.substr(0, colon);
    std::string_view to_text = colon == std::string_view::npos ? "" : rule.substr(colon + 1);
    auto from = parse_signal(from_text);
    std::optional<int> to = is_word(to_text, "0") ? std::optional<int>(0) : parse_signal(to_text);
    // Says what is wrong in words around one part of the rule.
    auto fail = [&](const char* before, std::string_view part, const char* after) {
        error << "bad rewrite rule '" << rule << "': " << before << part << after;
        return false;
    };
    if (colon == std::string_view::npos) return fail("expected FROM:TO", {}, "");
    if (from_text.empty() || to_text.empty()) return fail("expected FROM:TO, both signals", {}, "");
    if (!from) return fail("unknown signal '", from_text, "'");
    if (*from == SIGKILL || *from == SIGSTOP)
        return fail("", signal_name(*from).view(), " cannot be caught, so it cannot be rewritten");
    // initd waits for SIGCHLD to reap; it is never forwarded, so a rule would do nothing.
    if (*from == SIGCHLD) return fail("CHLD tells initd to reap, it is never forwarded", {}, "");
    if (!to) return fail("unknown signal '", to_text, "'");
    table.set(*from, *to);
    return true;
}

}  // namespace initd
