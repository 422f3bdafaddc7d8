// The few pending deadlines (grace, kill-after, delayed signals, restart back-off) on
// the monotonic clock. The loop sleeps until the nearest one, or for ever when none.
#pragma once

#include <cstdint>
#include <span>

#include "initd/clock.hpp"

namespace initd {

inline std::int64_t now_ms() {
    timespec ts = clock_read(CLOCK_MONOTONIC);
    return static_cast<std::int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

class Deadline {
public:
    void arm_in(std::uint64_t ms) { at_ = now_ms() + static_cast<std::int64_t>(ms); }
    void disarm() { at_ = -1; }
    bool armed() const { return at_ >= 0; }
    bool due(std::int64_t now) const { return armed() && now >= at_; }
    // When due: disarms it and says so (to act on it once).
    [[gnu::noinline]] bool expire(std::int64_t now) {
        if (!due(now)) return false;
        disarm();
        return true;
    }
    std::int64_t at() const { return at_; }

private:
    std::int64_t at_ = -1;
};

// Whether any of `deadlines` is armed (before reading the clock for them).
inline bool any_armed(std::span<const Deadline> deadlines) {
    for (const Deadline& d : deadlines)
        if (d.armed()) return true;
    return false;
}

// The wait before the earliest armed deadline in `deadlines` (0 if one is due), or -1
// (wait for ever) when none is armed. Rounded up, so a wake-up never comes early.
// (Not inlined: one copy serves every caller and every length of list.)
[[gnu::noinline]] inline long long timeout_until_next(std::span<const Deadline> deadlines, std::int64_t now) {
    long long best = -1;
    for (const Deadline& d : deadlines) {
        if (!d.armed()) continue;
        long long wait = d.at() > now ? d.at() - now : 0;
        if (best < 0 || wait < best) best = wait;
    }
    return best;
}

}  // namespace initd
