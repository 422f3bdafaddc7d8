// The words of the command line: decimal numbers, words out of a list, and durations:
// "500ms", "5s", "2m", "1h", "5" (seconds) -> milliseconds. 0 means "off" to the callers.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace initd {

// Longest accepted duration: a day is far beyond any sensible grace or delay, and
// keeps every deadline computation far from overflow.
inline constexpr std::uint64_t kMaxDurationMs = 24ull * 60 * 60 * 1000;

// The decimal digits `text` starts with, taken off it. Nothing when there are none (a
// sign is no digit) or when they make a number no caller could accept (above 2^50).
// The one number parser of the command line: std::from_chars's instances are larger.
std::optional<std::uint64_t> take_number(std::string_view& text);

// All of `text` as a decimal number: digits only, at least one.
std::optional<std::uint64_t> parse_number(std::string_view text);

// `text` is exactly `word`. (A literal made a std::string_view costs a call at each
// use; a const char* does not.)
bool is_word(std::string_view text, const char* word);

// The index of `text` among `words`, each ended by a NUL ("no\0on-failure\0always\0"),
// or -1. An empty word ends the list.
int word_index(std::string_view text, const char* words);

// The word after the first of `words` (past its NUL).
const char* next_word(const char* words);

std::optional<std::uint64_t> parse_duration_ms(std::string_view text);

}  // namespace initd
