// "500ms", "5s", "2m", "1h", "5" (seconds) -> milliseconds. 0 means "off" to the callers.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace initd {

// Longest accepted duration: a day is far beyond any sensible grace or delay, and
// keeps every deadline computation far from overflow.
inline constexpr std::uint64_t kMaxDurationMs = 24ull * 60 * 60 * 1000;

std::optional<std::uint64_t> parse_duration_ms(std::string_view text);

}  // namespace initd
