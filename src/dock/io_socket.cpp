#include "initd/io_socket.hpp"
#include "initd/web_hook.hpp"

#include <cerrno>
#include <cstddef>
#include <cstring>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#ifndef TIOCGPTPEER
#define TIOCGPTPEER _IO('T', 0x41)
#endif

namespace initd::io {

bool parse_url(std::string_view url, Url& out, Text& why) {
    out = Url{};
    auto sep = url.find("://");
    if (sep == std::string_view::npos) {  // dock takes a URL without a scheme as a file's path
        out.kind = url.empty() ? Kind::standard : Kind::file;
        out.path = url;
        return true;
    }
    std::string_view scheme = url.substr(0, sep), rest = url.substr(sep + 3);
    why << "--io " << url << ": ";
    if (scheme == "tls" || scheme == "ssl") {
        why << "TLS is not supported (initd links no TLS library); a TLS proxy can take tcp://";
        return false;
    }
    if (scheme == "file") out.kind = Kind::file;
    else if (scheme == "unix") out.kind = Kind::unix_socket;
    else if (scheme == "tcp") out.kind = Kind::tcp;
    else {
        why << "unknown scheme (file://, tcp:// or unix://)";
        return false;
    }
    out.path = rest;
    if (out.kind == Kind::tcp) {
        auto colon = rest.rfind(':');
        std::string_view digits = colon == std::string_view::npos ? std::string_view() : rest.substr(colon + 1);
        unsigned port = 0;
        for (char c : digits) port = c >= '0' && c <= '9' && port < 65536 ? port * 10 + unsigned(c - '0') : 65536;
        if (colon == 0 || digits.empty() || port == 0 || port > 65535) {
            why << "expected tcp://HOST:PORT";
            return false;
        }
        out.path = rest.substr(0, colon);
        out.port = port;
    }
    if (out.path.empty()) {
        why << "no path";
        return false;
    }
    why.clear();
    return true;
}

int dial(const Url& url, Text& why) {
    union {
        sockaddr any;
        sockaddr_in v4;
        sockaddr_in6 v6;
        sockaddr_un local;
    } address{};
    socklen_t size;
    why << "--io: " << url.path << ": ";
    if (url.kind == Kind::unix_socket) {
        if (url.path.size() >= sizeof address.local.sun_path) {
            why << "path too long for a socket";
            return -1;
        }
        address.local.sun_family = AF_UNIX;
        std::memcpy(address.local.sun_path, url.path.data(), url.path.size());
        size = offsetof(sockaddr_un, sun_path) + url.path.size() + 1;
    } else {
        // The web hook's parser reads the host: a numeric IPv4, [IPv6] or localhost
        // (getaddrinfo would allocate, inet_pton is three times its size).
        HookTarget host;
        Text spec, ignored;
        spec << "http://" << url.path;
        if (!parse_hook_url(spec.view(), host, ignored) || !host.family || !host.path.empty()) {
            why << "not a numeric address (or localhost)";
            return -1;
        }
        // sin_family and sin_port are where sin6_family and sin6_port are.
        address.v4.sin_family = static_cast<sa_family_t>(host.family);
        address.v4.sin_port = htons(static_cast<uint16_t>(url.port));
        bool v6 = host.family == AF_INET6;
        std::memcpy(v6 ? static_cast<void*>(&address.v6.sin6_addr) : &address.v4.sin_addr, host.address, v6 ? 16 : 4);
        size = v6 ? sizeof address.v6 : sizeof address.v4;
    }
    int fd = socket(address.any.sa_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    // Linux bounds a blocking connect by the send timeout; it is also the limit on the
    // last copy at exit (see OutputRelay::drain_at_exit).
    timeval five{5, 0};
    if (fd >= 0 && setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &five, sizeof five) == 0 &&
        connect(fd, &address.any, size) == 0) {
        why.clear();
        return fd;
    }
    why << (errno == EINPROGRESS ? "no connection within 5 s" : std::strerror(errno));
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
    why << "--io: pseudo-terminal: " << std::strerror(errno);
    close(master);
    close(slave);
    return false;
}

}  // namespace initd::io
