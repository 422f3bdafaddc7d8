// A file read line by line through one fixed buffer the caller lends: /proc/net/tcp
// on a busy host is megabytes long and comes in many reads, and initd has no heap.
// Also /proc/PID/status, /etc/passwd and /etc/group.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string_view>

namespace initd {

class LineReader {
public:
    // Opens `path`; `buffer` must outlive the reader. A line longer than the buffer is
    // skipped whole (none of the files read this way has lines that long).
    LineReader(const char* path, std::span<char> buffer);
    ~LineReader();
    LineReader(const LineReader&) = delete;
    LineReader& operator=(const LineReader&) = delete;

    bool opened() const { return fd_ >= 0; }

    // The next line without its '\n' (the last one may lack it), or none at the end.
    // Valid until the next call.
    std::optional<std::string_view> next();

private:
    void refill();

    int fd_;
    std::span<char> buffer_;
    std::size_t start_ = 0, end_ = 0;
    bool eof_ = false, skipping_ = false;
};

}  // namespace initd
