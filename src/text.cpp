#include "initd/text.hpp"

#include <charconv>
#include <cstring>

namespace initd {

// Truncates instead of failing: a clipped log line is better than none.
Text& Text::operator<<(std::string_view s) {
    std::size_t room = capacity - length_;
    std::size_t n = s.size() < room ? s.size() : room;
    if (n < s.size()) truncated_ = true;
    if (n) std::memcpy(buffer_ + length_, s.data(), n);  // an empty view may hold a null pointer
    length_ += n;
    return *this;
}

Text& Text::operator<<(long long n) {
    char digits[24];
    auto result = std::to_chars(digits, digits + sizeof digits, n);
    return *this << std::string_view(digits, static_cast<std::size_t>(result.ptr - digits));
}

Text& Text::operator<<(unsigned long n) {
    char digits[24];
    auto result = std::to_chars(digits, digits + sizeof digits, n);
    return *this << std::string_view(digits, static_cast<std::size_t>(result.ptr - digits));
}

}  // namespace initd
