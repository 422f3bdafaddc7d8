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

void line(Level level, const Text& text) {
    if (!enabled(level)) return;
    Text out;
    out << "initd: " << text.view() << '\n';
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
