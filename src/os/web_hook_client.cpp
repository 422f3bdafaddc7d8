// The web hook's client: a non-blocking socket driven by SIGIO and one deadline.
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "initd/deadlines.hpp"
#include "initd/io_socket.hpp"
#include "initd/log.hpp"
#include "initd/raw_fs.hpp"
#include "initd/web_hook.hpp"

namespace initd {

bool WebHook::configure(std::string_view url, Text& why) {
    const char* problem = parse_hook_url(url, target_);
    // Read once, at start-up: a name missing there is an error before anything runs,
    // not a hook that fails later.
    if (!problem && !configured() && !find_in_hosts("/etc/hosts", target_))
        problem = "host not in /etc/hosts (no DNS)";
    if (!problem) return true;
    // The first 200 bytes of the URL: the problem must fit. (A view, not substr: no range check.)
    why << "web hook '" << std::string_view(url.data(), url.size() < 200 ? url.size() : 200) << "': " << problem;
    return false;
}

// Not inlined: its two callers would each carry a copy.
[[gnu::noinline]] void WebHook::send(const char* status) {
    if (!configured()) return;
    queue_[queued_ < kQueue ? queued_++ : kQueue - 1] = status;
    pump();
}

void WebHook::on_io() {
    if (fd_ >= 0) pump();
}

void WebHook::on_deadline(std::int64_t now) {
    if (!deadline_.due(now)) return;
    finish(ETIMEDOUT);
    pump();
}

bool WebHook::send_and_wait(const char* status, int timeout_ms) {
    if (status) send(status);
    std::int64_t end = now_ms() + timeout_ms;
    while (!idle()) {  // so a request is under way: fd_ is open
        std::int64_t now = now_ms();
        if (deadline_.due(now)) {
            on_deadline(now);
            continue;
        }
        if (now >= end) return false;
        pollfd p{fd_, static_cast<short>(reading_ ? POLLIN : POLLOUT), 0};
        ::poll(&p, 1, static_cast<int>((deadline_.at() < end ? deadline_.at() : end) - now));
        pump();
    }
    return true;
}

// Goes as far as the socket allows, request after request; returns when it would wait.
void WebHook::pump() {
    while (queued_ > 0) {
        if (fd_ < 0 && !open_request()) continue;
        ssize_t n;
        if (!reading_) {
            // Before the connection is made, send says EAGAIN; a refused one, ECONNREFUSED.
            // (The raw call: musl's send and recv are only wrappers, linked for this alone.)
            n = syscall(SYS_sendto, fd_, buffer_ + done_, length_ - done_, MSG_NOSIGNAL, nullptr, 0);
            if (n >= 0 && (done_ += static_cast<std::size_t>(n)) == length_) reading_ = true, done_ = 0;
        } else if ((n = ::read(fd_, buffer_ + done_, sizeof buffer_ - done_)) >= 0) {
            done_ += static_cast<std::size_t>(n);
            // The status line is all initd wants: stop at the end of the headers, at the
            // end of the connection, or when the headers fill the buffer.
            std::string_view got(buffer_, done_);
            if (n == 0 || done_ == sizeof buffer_ || got.find("\r\n\r\n") != std::string_view::npos)
                finish(done_ ? 0 : ENODATA);  // ENODATA: closed without an answer
        }
        if (n < 0) {
            if (errno == EAGAIN) return;
            finish(errno);
        }
    }
}

bool WebHook::open_request() {
    NetInterface interfaces[kMaxNetInterfaces];
    int count = list_net_interfaces(interfaces);
    if (count < 0) {  // dock sends null then
        log::line(log::Level::warning, io::with_errno(Text() << "web hook: network interfaces"));
        count = 0;
    }
    length_ = format_hook_request(queue_[0], {interfaces, static_cast<std::size_t>(count)}, target_, buffer_);
    done_ = 0;
    reading_ = false;
    deadline_.arm_in(static_cast<std::uint64_t>(timeout_ms_));
    // The raw call: musl's socket() carries a fallback for kernels older than 2.6.27.
    fd_ = static_cast<int>(
        syscall(SYS_socket, target_.to.any.sa_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
    if (fd_ >= 0) raw_fs::signal_when_readable(fd_);  // and writable, and failed: SIGIO for every change
    // sockaddr_in6's size for both: Linux reads only as much as the family needs.
    if (fd_ < 0 || (syscall(SYS_connect, fd_, &target_.to.any, sizeof target_.to.v6) < 0 && errno != EINPROGRESS)) {
        finish(errno);
        return false;
    }
    return true;
}

// Ends the request under way (a failure when `err` is not 0) and drops its status.
void WebHook::finish(int err) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
    deadline_.disarm();
    std::size_t line = 0;  // the answer's status line
    while (line < done_ && buffer_[line] != '\r') ++line;
    Text t;
    t << "web hook: '" << queue_[0];
    if (err) t << "' failed: " << log::errno_text(err);
    else t << "' sent: " << std::string_view(buffer_, line);
    log::line(err ? log::Level::warning : log::Level::debug, t);
    std::memmove(queue_, queue_ + 1, sizeof queue_ - sizeof queue_[0]);
    --queued_;
}

}  // namespace initd
