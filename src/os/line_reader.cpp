#include "initd/line_reader.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace initd {

LineReader::LineReader(const char* path, std::span<char> buffer)
    : fd_(::open(path, O_RDONLY | O_CLOEXEC)), buffer_(buffer) {}

LineReader::~LineReader() {
    if (fd_ >= 0) ::close(fd_);
}

std::optional<std::string_view> LineReader::next() {
    for (;;) {
        char* begin = buffer_.data() + start_;
        auto* nl = static_cast<char*>(std::memchr(begin, '\n', end_ - start_));
        if (nl || (eof_ && start_ < end_)) {
            std::size_t length = nl ? static_cast<std::size_t>(nl - begin) : end_ - start_;
            start_ += nl ? length + 1 : length;
            bool skipped = skipping_;
            skipping_ = false;
            if (!skipped) return std::string_view(begin, length);
            continue;
        }
        if (eof_ || fd_ < 0) return std::nullopt;
        refill();
    }
}

void LineReader::refill() {
    std::memmove(buffer_.data(), buffer_.data() + start_, end_ - start_);
    end_ -= start_;
    start_ = 0;
    if (end_ == buffer_.size()) {  // one line fills the whole buffer: drop what we have of it
        skipping_ = true;
        end_ = 0;
    }
    ssize_t n;
    do n = ::read(fd_, buffer_.data() + end_, buffer_.size() - end_);
    while (n < 0 && errno == EINTR);
    if (n <= 0) eof_ = true;
    else end_ += static_cast<std::size_t>(n);
}

}  // namespace initd
