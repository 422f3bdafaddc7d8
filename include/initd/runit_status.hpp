// runit's `supervise/status` record: 20 bytes that Debian's `sv` reads to say what a
// service is doing. initd writes it for every service; initd called as `sv` reads it.
// Layout (runit's runsv): start time as TAI64N (8 bytes seconds + 2^62 + 10, 4 bytes
// nanoseconds, both big-endian), the pid little-endian, then one byte each: paused,
// wanted state ('u' or 'd'), TERM sent, and the state (0 down, 1 run, 2 finish).
#pragma once

#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <span>

namespace initd::runit {

enum class State : unsigned char { down = 0, run = 1, finish = 2 };

// No defaults: decode() sets every field, and the service table's rows (which start
// with a Status) must stay all zeros without a constructor.
struct Status {
    std::int64_t since_sec;   // Unix time of the last change of state
    std::uint32_t since_nsec;
    std::int32_t pid;         // 0 when nothing runs
    bool paused;
    bool want_up;
    bool got_term;
    State state;
};

using Record = std::array<unsigned char, 20>;

inline constexpr std::uint64_t kTaiOffset = (std::uint64_t{1} << 62) + 10;

// The record's fields are whole words at fixed offsets: copied, and byte-swapped where
// the host's order is not the record's (a loop per byte costs more code).
constexpr bool kLittle = std::endian::native == std::endian::little;
inline std::uint64_t big64(std::uint64_t v) { return kLittle ? __builtin_bswap64(v) : v; }
inline std::uint32_t big32(std::uint32_t v) { return kLittle ? __builtin_bswap32(v) : v; }
inline std::uint32_t little32(std::uint32_t v) { return kLittle ? v : __builtin_bswap32(v); }

inline Record encode(const Status& s) {
    Record r;
    std::uint64_t tai = big64(kTaiOffset + static_cast<std::uint64_t>(s.since_sec));
    std::uint32_t nsec = big32(s.since_nsec), pid = little32(static_cast<std::uint32_t>(s.pid));
    std::memcpy(&r[0], &tai, 8);
    std::memcpy(&r[8], &nsec, 4);
    std::memcpy(&r[12], &pid, 4);
    r[16] = s.paused;
    r[17] = s.want_up ? 'u' : 'd';
    r[18] = s.got_term;
    r[19] = static_cast<unsigned char>(s.state);
    return r;
}

// False unless `bytes` is a whole record with a known state.
inline bool decode(std::span<const unsigned char> bytes, Status& out) {
    if (bytes.size() != 20 || bytes[19] > 2) return false;
    std::uint64_t tai;
    std::uint32_t nsec, pid;
    std::memcpy(&tai, &bytes[0], 8);
    std::memcpy(&nsec, &bytes[8], 4);
    std::memcpy(&pid, &bytes[12], 4);
    out.since_sec = static_cast<std::int64_t>(big64(tai) - kTaiOffset);
    out.since_nsec = big32(nsec);
    out.pid = static_cast<std::int32_t>(little32(pid));
    out.paused = bytes[16] != 0;
    out.want_up = bytes[17] == 'u';
    out.got_term = bytes[18] != 0;
    out.state = static_cast<State>(bytes[19]);
    return true;
}

}  // namespace initd::runit
