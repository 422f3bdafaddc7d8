#include "initd/duration.hpp"

#include <charconv>

namespace initd {

std::optional<std::uint64_t> parse_duration_ms(std::string_view text) {
    std::uint64_t value = 0;
    const char* first = text.data();
    const char* last = first + text.size();
    auto [end, ec] = std::from_chars(first, last, value);
    if (ec != std::errc() || end == first) return std::nullopt;  // also rejects "-1", "+1", ""

    std::string_view unit(end, static_cast<std::size_t>(last - end));
    std::uint64_t scale;
    if (unit.empty() || unit == "s") scale = 1000;
    else if (unit == "ms") scale = 1;
    else if (unit == "m") scale = 60 * 1000;
    else if (unit == "h") scale = 60 * 60 * 1000;
    else return std::nullopt;

    if (value > kMaxDurationMs / scale) return std::nullopt;
    return value * scale;
}

}  // namespace initd
