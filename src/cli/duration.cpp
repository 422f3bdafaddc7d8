#include "initd/duration.hpp"

namespace initd {

std::optional<std::uint64_t> take_number(std::string_view& text) {
    constexpr std::uint64_t kLargest = 1ull << 50;
    std::uint64_t value = 0;
    std::size_t digits = 0;
    for (; digits < text.size() && text[digits] >= '0' && text[digits] <= '9'; ++digits) {
        value = value * 10 + static_cast<std::uint64_t>(text[digits] - '0');
        if (value > kLargest) return std::nullopt;
    }
    if (digits == 0) return std::nullopt;
    text.remove_prefix(digits);
    return value;
}

std::optional<std::uint64_t> parse_number(std::string_view text) {
    auto value = take_number(text);
    return text.empty() ? value : std::nullopt;
}

std::optional<std::uint64_t> parse_duration_ms(std::string_view text) {
    auto value = take_number(text);  // what is left of `text` is the unit
    std::uint64_t scale;
    if (text.empty() || text == "s") scale = 1000;
    else if (text == "ms") scale = 1;
    else if (text == "m") scale = 60 * 1000;
    else if (text == "h") scale = 60 * 60 * 1000;
    else return std::nullopt;

    if (!value || *value > kMaxDurationMs / scale) return std::nullopt;
    return *value * scale;
}

}  // namespace initd
