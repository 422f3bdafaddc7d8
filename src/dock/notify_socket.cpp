#include "initd/notify_socket.hpp"

#include <cerrno>
#include <cstring>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#include "initd/io_socket.hpp"
#include "initd/raw_fs.hpp"

namespace initd {

// Raw system calls: musl's socket() carries a fallback for kernels without SOCK_CLOEXEC,
// and its wrappers cost the binary more (350 bytes) than the calls they wrap.

bool NotifySocket::open(Text& why) {
    sockaddr_un address;  // getsockname fills what is read of it
    address.sun_family = AF_UNIX;
    auto* any = reinterpret_cast<sockaddr*>(&address);
    socklen_t length = sizeof address;
    std::size_t name = 0;  // the name's length with its leading '\0': five hex digits
    const char* failed = "socket";  // the last call made: the one that failed when name stays 0
    fd_ = static_cast<int>(::syscall(SYS_socket, AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
    if (fd_ >= 0) {
        failed = "bind";
        if (::syscall(SYS_bind, fd_, any, sizeof(sa_family_t)) == 0) {  // no name: the kernel picks one
            failed = "getsockname";
            if (::syscall(SYS_getsockname, fd_, any, &length) == 0) name = length - offsetof(sockaddr_un, sun_path);
        }
    }
    if (name < 2 || name > sizeof entry_ - 15) {
        io::with_errno(why << "NOTIFY_SOCKET: " << failed);
        close();
        return false;
    }
    std::memcpy(entry_, "NOTIFY_SOCKET=@", 15);
    std::memcpy(entry_ + 15, address.sun_path + 1, name - 1);
    entry_[14 + name] = '\0';
    raw_fs::signal_when_readable(fd_);
    return true;
}

bool NotifySocket::on_io() {
    char datagram[4096];
    bool became = false;
    ssize_t n;
    while ((n = ::syscall(SYS_recvfrom, fd_, datagram, sizeof datagram, MSG_DONTWAIT, nullptr, nullptr)) >= 0)
        if (!ready_ && has_ready_line(std::string_view(datagram, static_cast<std::size_t>(n))))
            became = ready_ = true;
    return became;
}

void NotifySocket::close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
}

bool NotifySocket::forward_ready(char* const* envp) {
    const char* path = "";
    for (; envp && *envp; ++envp)
        if (std::strncmp(*envp, "NOTIFY_SOCKET=", 14) == 0) {
            path = *envp + 14;
            break;  // the first, as getenv finds it
        }
    sockaddr_un address;  // only its first `length` bytes of name are sent
    address.sun_family = AF_UNIX;
    std::size_t length = std::strlen(path);
    if (length == 0 || length >= sizeof address.sun_path) return false;
    std::memcpy(address.sun_path, path, length);
    if (path[0] == '@') address.sun_path[0] = '\0';  // the abstract name has no terminator
    int fd = static_cast<int>(::syscall(SYS_socket, AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
    bool sent = fd >= 0 && ::syscall(SYS_sendto, fd, "READY=1", 7, 0, reinterpret_cast<sockaddr*>(&address),
                                    static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + length)) == 7;
    if (fd >= 0) ::close(fd);
    return sent;
}

bool has_ready_line(std::string_view datagram) {
    // A line "READY=1": that text, with the datagram's start or a '\n' before it, and
    // its end or a '\n' after it.
    for (std::size_t at = 0; at + 7 <= datagram.size(); ++at)
        if ((at == 0 || datagram[at - 1] == '\n') && std::memcmp(datagram.data() + at, "READY=1", 7) == 0 &&
            (at + 7 == datagram.size() || datagram[at + 7] == '\n'))
            return true;
    return false;
}

}  // namespace initd
