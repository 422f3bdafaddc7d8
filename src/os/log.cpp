#include "initd/log.hpp"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <unistd.h>

#include "initd/sigmask.hpp"

namespace initd::log {
namespace {
int verbosity = 0;

// The errnos initd's system calls give in practice (files, exec, fork, sockets, limits),
// in libc's words; one string with NULs between, in the same order. musl's strerror
// holds all 130-odd texts: 2 KB of a binary whose every KB counts. The rest are numbered.
constexpr unsigned char kErrnos[] = {
    EPERM, ENOENT, ESRCH, EINTR, EIO, ENXIO, E2BIG, ENOEXEC, EBADF, ECHILD, EAGAIN,
    ENOMEM, EACCES, EFAULT, EBUSY, EEXIST, EXDEV, ENODEV, ENOTDIR, EISDIR, EINVAL, ENFILE,
    EMFILE, ENOTTY, ETXTBSY, EFBIG, ENOSPC, ESPIPE, EROFS, EMLINK, EPIPE, ERANGE,
    ENAMETOOLONG, ENOSYS, ENOTEMPTY, ELOOP, ENOTSOCK, EOPNOTSUPP, EAFNOSUPPORT,
    EADDRINUSE, EADDRNOTAVAIL, ENETUNREACH, ECONNRESET, ENOBUFS, ENOTCONN, ETIMEDOUT,
    ECONNREFUSED, EHOSTUNREACH, EINPROGRESS, EDQUOT};
constexpr char kTexts[] =
    "Operation not permitted\0No such file or directory\0No such process\0"
    "Interrupted system call\0Input/output error\0No such device or address\0"
    "Argument list too long\0Exec format error\0Bad file descriptor\0No child processes\0"
    "Resource temporarily unavailable\0Out of memory\0Permission denied\0Bad address\0"
    "Device or resource busy\0File exists\0Cross-device link\0No such device\0"
    "Not a directory\0Is a directory\0Invalid argument\0Too many open files in system\0"
    "Too many open files\0Not a tty\0Text file busy\0File too large\0"
    "No space left on device\0Invalid seek\0Read-only file system\0Too many links\0"
    "Broken pipe\0Result not representable\0Filename too long\0Function not implemented\0"
    "Directory not empty\0Symbolic link loop\0Not a socket\0Not supported\0"
    "Address family not supported by protocol\0Address in use\0Address not available\0"
    "Network unreachable\0Connection reset by peer\0No buffer space available\0"
    "Socket not connected\0Operation timed out\0Connection refused\0Host is unreachable\0"
    "Operation in progress\0Quota exceeded";
constexpr std::size_t count_texts() {
    std::size_t n = 1;
    for (char c : kTexts) n += c == '\0';
    return n - 1;  // the string's own terminator
}
static_assert(count_texts() == sizeof(kErrnos), "one text per errno");
}  // namespace

const char* errno_text(int err) {
    const char* text = kTexts;
    for (unsigned char e : kErrnos) {
        if (e == err) return text;
        text += std::strlen(text) + 1;
    }
    static Text number;  // "errno 123": each text is used at once, one at a time
    number.clear();
    number << "errno " << err;
    return number.c_str();
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
    t << call << ": " << errno_text(err);
    line(Level::error, t);
}

}  // namespace initd::log
