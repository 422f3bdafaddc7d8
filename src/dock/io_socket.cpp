#include "initd/io_socket.hpp"
#include "initd/duration.hpp"
#include "initd/web_hook.hpp"

#include <cerrno>
#include <cstddef>
#include <cstring>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#include "initd/log.hpp"

#ifndef TIOCGPTPEER
#define TIOCGPTPEER _IO('T', 0x41)
#endif

namespace initd::io {

bool parse_url(std::string_view url, Url& out, Text& why) {
    out = Url{};
    out.path = url;
    std::size_t sep = url.find("://");
    if (sep == std::string_view::npos) {  // dock takes a URL without a scheme as a file's path
        if (!url.empty()) out.kind = Kind::file;
        return true;
    }
    std::string_view scheme(url.data(), sep), rest(url.data() + sep + 3, url.size() - sep - 3);
    why << "--io " << url << ": ";
    // Kind's order after `standard`, then the refused ones.
    int i = word_index(scheme, "file\0tcp\0unix\0tls\0ssl\0");
    if (i < 0 || i > 2) {
        why << (i > 2 ? "TLS is not supported: a TLS proxy can take tcp://" : "unknown scheme (file://, tcp:// or unix://)");
        return false;
    }
    out.kind = static_cast<Kind>(i + 1);
    out.path = rest;
    if (out.kind == Kind::tcp) {
        std::size_t colon = rest.rfind(':');
        std::size_t digits = colon + 1;  // 0, all of it, without a ':'
        out.port = parse_port({rest.data() + digits, rest.size() - digits});
        if (colon == 0 || colon == std::string_view::npos || !out.port) {
            why << "expected tcp://HOST:PORT";
            return false;
        }
        out.path = std::string_view(rest.data(), colon);
    }
    if (out.path.empty()) {
        why << "no path";
        return false;
    }
    why.clear();
    return true;
}

int dial(const Url& url, Text& why) {
    why << "--io: " << url.path << ": ";
    HookTarget host;    // a tcp:// address
    sockaddr_un local;  // a unix:// one
    const sockaddr* to = &host.to.any;
    socklen_t size = sizeof host.to.v6;  // for both families: Linux reads only what the family needs
    if (url.kind == Kind::unix_socket) {
        if (url.path.size() >= sizeof local.sun_path) {
            why << "path too long for a socket";
            return -1;
        }
        local.sun_family = AF_UNIX;
        std::memcpy(local.sun_path, url.path.data(), url.path.size());
        local.sun_path[url.path.size()] = '\0';
        to = reinterpret_cast<const sockaddr*>(&local);
        size = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + url.path.size() + 1);
    } else {
        // The web hook's parser reads the host: a numeric IPv4, [IPv6] or localhost
        // (getaddrinfo would allocate; musl's inet_pton was linked for --io alone).
        set_host(url.path, url.port, host);
        if (!host.to.any.sa_family) {
            why << "not a numeric address (or localhost)";
            return -1;
        }
    }
    // Raw calls, as the web hook's: musl's socket carries a fallback for kernels before 2.6.27,
    // and its connect is a wrapper linked for these two alone.
    int fd = static_cast<int>(syscall(SYS_socket, to->sa_family, SOCK_STREAM | SOCK_CLOEXEC, 0));
    // Linux bounds a blocking connect by the send timeout; it is also the limit on the
    // last copy at exit (see OutputRelay::drain_at_exit).
    timeval five{5, 0};
    if (fd >= 0 && syscall(SYS_setsockopt, fd, SOL_SOCKET, SO_SNDTIMEO, &five, sizeof five) == 0 &&
        syscall(SYS_connect, fd, to, size) == 0) {
        why.clear();
        return fd;
    }
    why << (errno == EINPROGRESS ? "no connection within 5 s" : log::errno_text(errno));
    if (fd >= 0) close(fd);
    return -1;
}

bool open_terminal(int& master, int& slave, Text& why) {
    // Raw ioctls rather than posix_openpt/ptsname_r (musl builds the slave's name with
    // snprintf) or tcgetattr: TIOCGPTPEER opens the slave without a name (Linux 4.13+).
    slave = -1;
    master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
    int unlock = 0;
    termios mode;
    if (master >= 0 && ioctl(master, TIOCSPTLCK, &unlock) == 0 &&
        (slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC)) >= 0 && ioctl(slave, TCGETS, &mode) == 0) {
        mode.c_lflag &= ~tcflag_t(ECHO);  // dock's: what the peer types is not sent back to it
        if (ioctl(slave, TCSETS, &mode) == 0) return true;
    }
    with_errno(why << "--io: pseudo-terminal");
    close(master);
    close(slave);
    return false;
}

Text& with_errno(Text& t) { return t << ": " << log::errno_text(errno); }

}  // namespace initd::io
