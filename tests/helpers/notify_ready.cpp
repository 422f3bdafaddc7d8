// `notify_ready [PROGRAM ARG...]`: says which NOTIFY_SOCKET it was given (a line on
// stdout), sends "READY=1" there (systemd's notify protocol: one datagram; a leading
// '@' names an abstract socket), then execs PROGRAM. Exits 1 when it cannot send.
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int main(int argc, char** argv) {
    const char* path = std::getenv("NOTIFY_SOCKET");
    std::printf("NOTIFY_SOCKET=%s\n", path ? path : "(unset)");
    std::fflush(stdout);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    if (!path || !*path || std::strlen(path) >= sizeof address.sun_path) return 1;
    std::strcpy(address.sun_path, path);
    if (path[0] == '@') address.sun_path[0] = '\0';
    socklen_t length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + std::strlen(path));
    int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    const char ready[] = "READY=1";
    if (fd < 0 || sendto(fd, ready, sizeof ready - 1, 0, reinterpret_cast<sockaddr*>(&address), length) < 0) {
        std::perror("notify_ready: sendto");
        return 1;
    }
    close(fd);
    if (argc > 1) execv(argv[1], argv + 1);
    return argc > 1 ? 127 : 0;
}
