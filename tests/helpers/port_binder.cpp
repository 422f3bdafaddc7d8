// `port_binder PORT [udp]`: binds PORT on 127.0.0.1 (TCP: and listens), says
// "bound PORT" on fd 3, then sleeps until a signal ends it (exit 0 on SIGTERM).
#include <arpa/inet.h>
#include <cstdlib>
#include <netinet/in.h>
#include <sys/socket.h>

#include "report.hpp"

int main(int argc, char** argv) {
    if (argc < 2) return 2;
    bool udp = argc > 2 && std::strcmp(argv[2], "udp") == 0;
    int fd = socket(AF_INET, udp ? SOCK_DGRAM : SOCK_STREAM, 0);
    int on = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(std::atoi(argv[1])));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) < 0 || (!udp && listen(fd, 4) < 0)) {
        std::perror("port_binder");
        return 1;
    }
    helpers::report("bound %s\n", argv[1]);
    signal(SIGTERM, [](int) { _exit(0); });
    for (;;) pause();
}
