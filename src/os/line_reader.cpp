#include "initd/line_reader.hpp"

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
        std::size_t left = end_ - start_;
        auto* nl = static_cast<char*>(std::memchr(begin, '\n', left));
        if (nl || (eof_ && left)) {
            std::size_t length = nl ? static_cast<std::size_t>(nl - begin) : left;
            start_ += length + (nl != nullptr);
            bool skipped = skipping_;
            skipping_ = false;
            if (!skipped) return std::string_view(begin, length);
        } else if (eof_ || fd_ < 0) {
            return std::nullopt;
        } else {
            refill();
        }
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
    // No EINTR loop: reads of regular files and of /proc are not interrupted.
    ssize_t n = ::read(fd_, buffer_.data() + end_, buffer_.size() - end_);
    if (n <= 0) eof_ = true;
    else end_ += static_cast<std::size_t>(n);
}

}  // namespace initd
