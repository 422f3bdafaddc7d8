// runit's `supervise/status` record: 20 bytes that Debian's `sv` reads to say what a
// service is doing. initd writes it for every service; initd called as `sv` reads it.
// Layout (runit's runsv): start time as TAI64N (8 bytes seconds + 2^62 + 10, 4 bytes
// nanoseconds, both big-endian), the pid little-endian, then one byte each: paused,
// wanted state ('u' or 'd'), TERM sent, and the state (0 down, 1 run, 2 finish).
#pragma once

#include <array>
#include <cstdint>
#include <span>

namespace initd::runit {

enum class State : unsigned char { down = 0, run = 1, finish = 2 };

struct Status {
    std::int64_t since_sec = 0;   // Unix time of the last change of state
    std::uint32_t since_nsec = 0;
    std::int32_t pid = 0;         // 0 when nothing runs
    bool paused = false;
    bool want_up = true;
    bool got_term = false;
    State state = State::down;
};

using Record = std::array<unsigned char, 20>;

inline constexpr std::uint64_t kTaiOffset = (std::uint64_t{1} << 62) + 10;

inline Record encode(const Status& s) {
    Record r{};
    std::uint64_t tai = kTaiOffset + static_cast<std::uint64_t>(s.since_sec);
    for (int i = 0; i < 8; ++i) r[i] = static_cast<unsigned char>(tai >> (56 - 8 * i));
    for (int i = 0; i < 4; ++i) r[8 + i] = static_cast<unsigned char>(s.since_nsec >> (24 - 8 * i));
    auto pid = static_cast<std::uint32_t>(s.pid);
    for (int i = 0; i < 4; ++i) r[12 + i] = static_cast<unsigned char>(pid >> (8 * i));
    r[16] = s.paused;
    r[17] = s.want_up ? 'u' : 'd';
    r[18] = s.got_term;
    r[19] = static_cast<unsigned char>(s.state);
    return r;
}

// False unless `bytes` is a whole record with a known state.
inline bool decode(std::span<const unsigned char> bytes, Status& out) {
    if (bytes.size() != 20 || bytes[19] > 2) return false;
    std::uint64_t tai = 0;
    for (int i = 0; i < 8; ++i) tai = tai << 8 | bytes[i];
    std::uint32_t nsec = 0, pid = 0;
    for (int i = 0; i < 4; ++i) nsec = nsec << 8 | bytes[8 + i];
    for (int i = 3; i >= 0; --i) pid = pid << 8 | bytes[12 + i];
    out.since_sec = static_cast<std::int64_t>(tai - kTaiOffset);
    out.since_nsec = nsec;
    out.pid = static_cast<std::int32_t>(pid);
    out.paused = bytes[16] != 0;
    out.want_up = bytes[17] == 'u';
    out.got_term = bytes[18] != 0;
    out.state = static_cast<State>(bytes[19]);
    return true;
}

}  // namespace initd::runit
