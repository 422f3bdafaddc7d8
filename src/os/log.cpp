#include "initd/log.hpp"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <unistd.h>

#include "initd/sigmask.hpp"

namespace initd::log {
namespace {
int verbosity = 0;
}

void set_verbosity(int level) { verbosity = level; }

bool enabled(Level level) { return static_cast<int>(level) <= verbosity; }

bool write_all(int fd, std::string_view text) {
    while (!text.empty()) {
        ssize_t n = ::write(fd, text.data(), text.size());
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        text.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

void format(const Text& text, Text& out) {
    constexpr std::string_view prefix = "initd: ", marker = "...";
    constexpr std::size_t room = Text::capacity - prefix.size() - 1;  // 1: the newline
    std::string_view body = text.view(), end = "\n";
    if (text.truncated() || body.size() > room) {
        std::size_t keep = body.size() < room - marker.size() ? body.size() : room - marker.size();
        // Not through the middle of a UTF-8 character: a path may hold some.
        while (keep > 0 && keep < body.size() && (static_cast<unsigned char>(body[keep]) & 0xC0) == 0x80) --keep;
        body = {body.data(), keep};
        end = "...\n";  // the marker, then the newline
    }
    out.clear();
    out << prefix << body << end;
}

void line(Level level, const Text& text) {
    if (!enabled(level)) return;
    Text out;
    format(text, out);
    // A write to a closed pipe raises SIGPIPE at initd itself; that one is ours, not
    // the user's, so it must not be forwarded. A SIGPIPE already pending stays.
    bool pipe_was_pending = sigmask::pending_for_self(SIGPIPE);
    int saved = errno;
    if (!write_all(STDERR_FILENO, out.view()) && errno == EPIPE && !pipe_was_pending)
        sigmask::discard_pending(SIGPIPE);
    errno = saved;
}

void failure(const char* call, int err) {
    Text t;
    t << call << ": " << std::strerror(err);
    line(Level::error, t);
}

}  // namespace initd::log
