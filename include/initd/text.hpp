// A fixed-capacity text buffer: how initd builds every message without stdio or heap.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace initd {

class Text {
public:
    static constexpr std::size_t capacity = 480;

    // Provided, not defaulted: `Text()` (a temporary, as in `log::line(level, Text() <<
    // ...)`) would otherwise zero all 488 bytes before the one store that is needed.
    Text() {}

    Text& operator<<(std::string_view s);
    Text& operator<<(const char* s) { return *this << std::string_view(s ? s : "(null)"); }
    Text& operator<<(char c) { return *this << std::string_view(&c, 1); }
    Text& operator<<(long long n);
    Text& operator<<(int n) { return *this << static_cast<long long>(n); }
    Text& operator<<(long n) { return *this << static_cast<long long>(n); }
    Text& operator<<(unsigned n) { return *this << static_cast<unsigned long>(n); }
    Text& operator<<(unsigned long n);

    std::string_view view() const { return {buffer_, length_}; }
    // (Not inlined: a call is shorter than the terminator's store at each caller.)
    [[gnu::noinline]] const char* c_str() {
        buffer_[length_] = '\0';
        return buffer_;
    }
    bool empty() const { return length_ == 0; }
    // Something written did not fit (and was cut): whoever prints the text can say so.
    bool truncated() const { return truncated_ != 0; }
    void clear() {
        length_ = 0;
        truncated_ = 0;
    }

private:
    // Side by side in one word, so that a new (or cleared) Text is one store: both of
    // 4 bytes, as a bool the compiler stores the two apart (GCC writes no padding).
    std::uint32_t length_ = 0;
    std::uint32_t truncated_ = 0;  // 0 or 1
    char buffer_[capacity + 1];  // + the terminator c_str() adds
};

}  // namespace initd
