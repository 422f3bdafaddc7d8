// The Linux signals: one table of numbers and names, a 64-bit set, parsing, and the
// rewrite table applied to every signal before it is forwarded.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "initd/text.hpp"

namespace initd {

inline constexpr int kSignalMax = 64;
// The first real-time signal as users name it (`kill -l`, RTMIN+n). The kernel's
// first is 32, but every libc keeps 32-33 (glibc) or 32-34 (musl) for itself.
inline constexpr int kRtMin = 34;

// Signals 1..64 as bits of one word: the kernel's own sigset layout, which lets
// initd block 32-34 too (libc's sigfillset/sigaddset leave those out).
class SignalSet {
public:
    constexpr SignalSet() = default;
    static constexpr SignalSet all() { return SignalSet(~std::uint64_t{0}); }
    static constexpr SignalSet of(int sig) { return SignalSet().with(sig); }

    constexpr SignalSet with(int sig) const {
        return valid(sig) ? SignalSet(bits_ | bit(sig)) : *this;
    }
    constexpr SignalSet without(int sig) const {
        return valid(sig) ? SignalSet(bits_ & ~bit(sig)) : *this;
    }
    constexpr bool has(int sig) const { return valid(sig) && (bits_ & bit(sig)) != 0; }
    constexpr bool empty() const { return bits_ == 0; }
    constexpr std::uint64_t bits() const { return bits_; }
    static constexpr SignalSet from_bits(std::uint64_t b) { return SignalSet(b); }

private:
    constexpr explicit SignalSet(std::uint64_t b) : bits_(b) {}
    static constexpr bool valid(int sig) { return sig >= 1 && sig <= kSignalMax; }
    static constexpr std::uint64_t bit(int sig) { return std::uint64_t{1} << (sig - 1); }
    std::uint64_t bits_ = 0;
};

// "15", "TERM", "SIGTERM", "sigterm", "RTMIN+3", "SIGRTMAX-1": the signal number,
// or nothing when the text names no signal in 1..64.
std::optional<int> parse_signal(std::string_view text);

// The canonical name without "SIG": "TERM", "RTMIN+3", "RTMAX-2"; "32" and "33",
// which have no name, as numbers.
struct SignalName {
    char text[12];
    std::string_view view() const { return text; }
};
SignalName signal_name(int sig);

bool is_termination_signal(int sig);  // TERM, INT, QUIT, HUP: "stop now" requests
bool is_job_control_stop(int sig);    // TSTP, TTIN, TTOU: a terminal's "suspend"

// FROM -> TO for every signal; TO 0 drops. Identity until a rule says otherwise.
class RewriteTable {
public:
    constexpr RewriteTable() {
        for (int s = 0; s <= kSignalMax; ++s) to_[s] = static_cast<std::uint8_t>(s);
    }
    int apply(int sig) const { return sig >= 1 && sig <= kSignalMax ? to_[sig] : sig; }
    bool has_rule(int sig) const { return ruled_.has(sig); }
    void set(int from, int to) {
        to_[from] = static_cast<std::uint8_t>(to);
        ruled_ = ruled_.with(from);
    }

private:
    std::array<std::uint8_t, kSignalMax + 1> to_{};
    SignalSet ruled_;
};

// One rule "FROM:TO" into `table`; on failure returns false and says why in `error`.
bool parse_rewrite_rule(std::string_view rule, RewriteTable& table, Text& error);

}  // namespace initd
