#include "initd/text.hpp"

#include <cstring>

namespace initd {

// Truncates instead of failing: a clipped log line is better than none.
Text& Text::operator<<(std::string_view s) {
    std::size_t room = capacity - length_;
    std::size_t n = s.size() < room ? s.size() : room;
    if (n < s.size()) truncated_ = 1;
    if (n) std::memcpy(buffer_ + length_, s.data(), n);  // an empty view may hold a null pointer
    length_ += n;
    return *this;
}

// The sign, then the magnitude (0 - n as unsigned: also right for the most negative).
static_assert(sizeof(long) == sizeof(long long), "initd builds for 64-bit machines only");
Text& Text::operator<<(long long n) {
    auto magnitude = static_cast<unsigned long>(n);
    if (n < 0) {
        *this << '-';
        magnitude = 0 - magnitude;
    }
    return *this << magnitude;
}

// A digit at a time, from the right: std::to_chars brings a 201-byte table of digit
// pairs and twice the code, for speed no message of initd needs.
Text& Text::operator<<(unsigned long n) {
    char digits[20];  // 2^64 - 1 has 20
    char* end = digits + sizeof digits;
    char* first = end;
    do {
        *--first = static_cast<char>('0' + n % 10);
        n /= 10;
    } while (n);
    return *this << std::string_view(first, static_cast<std::size_t>(end - first));
}

}  // namespace initd
