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

bool is_word(std::string_view text, const char* word) {
    for (char c : text)
        if (!*word || *word++ != c) return false;
    return !*word;
}

const char* next_word(const char* words) {
    while (*words++) {}
    return words;
}

int word_index(std::string_view text, const char* words) {
    for (int i = 0; *words; ++i, words = next_word(words))
        if (is_word(text, words)) return i;
    return -1;
}

std::optional<std::uint64_t> parse_duration_ms(std::string_view text) {
    constexpr std::uint64_t kScale[] = {1000, 1, 60 * 1000, 60 * 60 * 1000};
    auto value = take_number(text);  // what is left of `text` is the unit
    int unit = text.empty() ? 0 : word_index(text, "s\0ms\0m\0h\0");
    if (!value || unit < 0 || *value > kMaxDurationMs / kScale[unit]) return std::nullopt;
    return *value * kScale[unit];
}

}  // namespace initd
