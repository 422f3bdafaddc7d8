// libFuzzer target: parse_duration_ms against a reference written the slow, obvious
// way: digits, then nothing, "s", "ms", "m" or "h"; at most one day.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>
#include <string_view>

#include "initd/duration.hpp"

namespace {

std::optional<std::uint64_t> reference(std::string_view text) {
    std::size_t digits = 0;
    while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
    if (digits == 0) return std::nullopt;
    std::string_view unit = text.substr(digits);
    std::uint64_t scale;
    if (unit.empty() || unit == "s") scale = 1000;
    else if (unit == "ms") scale = 1;
    else if (unit == "m") scale = 60000;
    else if (unit == "h") scale = 3600000;
    else return std::nullopt;
    // Saturating: any number past a day in milliseconds is simply "too long".
    std::uint64_t value = 0;
    for (std::size_t i = 0; i < digits; ++i) {
        value = value * 10 + static_cast<std::uint64_t>(text[i] - '0');
        if (value > initd::kMaxDurationMs) return std::nullopt;
    }
    if (value * scale > initd::kMaxDurationMs) return std::nullopt;
    return value * scale;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::unique_ptr<char[]> copy(new char[size ? size : 1]);
    std::memcpy(copy.get(), data, size);
    std::string_view text(copy.get(), size);
    if (initd::parse_duration_ms(text) != reference(text)) std::abort();
    return 0;
}
