// --bind-port: the /proc/net parser, the line reader behind it, and port_bound against
// sockets this test binds itself or has a descendant bind.
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <cstdlib>
#include <fcntl.h>
#include <netinet/in.h>
#include <string>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

#include "initd/line_reader.hpp"
#include "initd/port_probe.hpp"

using namespace initd::port_probe;

namespace {

// A socket bound on an ephemeral port of 127.0.0.1 (listening, for TCP); closed at the end.
struct Bound {
    int fd;
    int port;
    explicit Bound(int type) : fd(socket(AF_INET, type | SOCK_CLOEXEC, 0)) {
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t length = sizeof address;
        REQUIRE(bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
        if (type == SOCK_STREAM) REQUIRE(listen(fd, 1) == 0);
        REQUIRE(getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0);
        port = ntohs(address.sin_port);
    }
    ~Bound() { close(fd); }
};

std::string temp_file(const std::string& text) {
    char path[] = "/tmp/initd-lines-XXXXXX";
    int fd = mkstemp(path);
    REQUIRE(fd >= 0);
    REQUIRE(write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()));
    close(fd);
    return path;
}

std::vector<std::string> lines_of(const std::string& path, std::size_t buffer_size) {
    std::vector<char> buffer(buffer_size);
    initd::LineReader reader(path.c_str(), buffer);
    std::vector<std::string> out;
    while (auto line = reader.next()) out.emplace_back(*line);
    return out;
}

}  // namespace

TEST_CASE("a /proc/net/tcp line gives its local port and inode, the header nothing", "[port_probe]") {
    CHECK_FALSE(parse_net_line("  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  "
                               "timeout inode"));
    auto v4 = parse_net_line("   0: 0100007F:0CEA 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        "
                             "0 84336181 1 0000000000000000 100 0 0 10 0");
    REQUIRE(v4);
    CHECK(v4->port == 3306);
    CHECK(v4->inode == 84336181u);
    // An accepted connection on local port 80, and a TIME_WAIT one that no process holds.
    auto established = parse_net_line("  12: 0100007F:0050 0100007F:D6B4 01 00000000:00000000 02:000A7E3B 00000000"
                                      "     0        0 4294967396 2 0000000000000000 20 4 30 10 -1");
    REQUIRE(established);
    CHECK(established->port == 80);
    CHECK(established->inode == 4294967396u);  // past 32 bits
    auto time_wait = parse_net_line("  13: 0100007F:0050 0100007F:D6B6 06 00000000:00000000 03:00001770 00000000"
                                    "     0        0 0 3 0000000000000000");
    REQUIRE(time_wait);
    CHECK(time_wait->inode == 0u);
}

TEST_CASE("tcp6, udp and udp6 lines parse alike", "[port_probe]") {
    auto tcp6 = parse_net_line("   1: 00000000000000000000000000000000:1F90 00000000000000000000000000000000:0000 0A "
                               "00000000:00000000 00:00000000 00000000  1000        0 18446744073709551615 1 "
                               "0000000000000000 100 0 0 10 -1");
    REQUIRE(tcp6);
    CHECK(tcp6->port == 8080);
    CHECK(tcp6->inode == 18446744073709551615u);
    auto udp = parse_net_line("3848: 00000000:0043 00000000:0000 07 00000000:00000000 00:00000000 00000000     0    "
                              "    0 18035 2 0000000000000000 0");
    REQUIRE(udp);
    CHECK(udp->port == 67);
    CHECK(udp->inode == 18035u);
    auto udp6 = parse_net_line("3904: 000080FE00000000FF821A00B7980DFE:FFFF 00000000000000000000000000000000:0000 07 "
                               "00000000:00000000 00:00000000 00000000   109        0 83617731 2 0000000000000000 0");
    REQUIRE(udp6);
    CHECK(udp6->port == 65535);
    CHECK(udp6->inode == 83617731u);
}

TEST_CASE("lines that are cut short or spoilt give nothing", "[port_probe]") {
    CHECK_FALSE(parse_net_line(""));
    CHECK_FALSE(parse_net_line("   0: 0100007F:0CEA 00000000:0000 0A"));                    // no inode
    CHECK_FALSE(parse_net_line("   0 0100007F:0CEA 00000000:0000 0A 0:0 0:0 0 0 0 5 1"));  // no "N:"
    CHECK_FALSE(parse_net_line("   0: 0100007F:1000A 00000000:0000 0A 0:0 0:0 0 0 0 5 1"));  // port past 65535
    CHECK_FALSE(parse_net_line("   0: 0100007F:0G00 00000000:0000 0A 0:0 0:0 0 0 0 5 1"));
    CHECK_FALSE(parse_net_line("   0: 0100007F:0050 00000000:0000 0A 0:0 0:0 0 0 0 5x 1"));
    CHECK(parse_net_line("   0: 0100007F:0050 00000000:0000 0A 0:0 0:0 0 0 0 5 1"));
}

TEST_CASE("a /proc/PID/fd link names a socket's inode, other files none", "[port_probe]") {
    CHECK(socket_inode("socket:[84336181]") == std::optional<std::uint64_t>(84336181));
    CHECK_FALSE(socket_inode("pipe:[84336181]"));
    CHECK_FALSE(socket_inode("socket:[]"));
    CHECK_FALSE(socket_inode("socket:[12"));
    CHECK_FALSE(socket_inode("/dev/null"));
    CHECK_FALSE(socket_inode(""));
}

TEST_CASE("the line reader gives every line whatever the buffer, skipping only a longer line", "[port_probe]") {
    std::string text;
    std::vector<std::string> want;
    for (int i = 0; i < 200; ++i) {
        want.push_back(std::string(static_cast<std::size_t>(i % 50), 'a' + i % 26) + std::to_string(i));
        text += want.back() + '\n';
    }
    text += "last, with no newline";
    want.push_back("last, with no newline");
    std::string path = temp_file(text);
    for (std::size_t size : {64, 100, 4096}) {
        INFO("buffer of " << size);
        CHECK(lines_of(path, size) == want);
    }
    unlink(path.c_str());

    path = temp_file("short\n" + std::string(300, 'x') + "\nafter\n\nend");
    CHECK(lines_of(path, 64) == std::vector<std::string>{"short", "after", "", "end"});
    unlink(path.c_str());
    CHECK(lines_of("/nonexistent/file", 64).empty());
}

TEST_CASE("port_bound finds a TCP and a UDP port this process binds, and not a closed one", "[port_probe]") {
    int closed;
    {
        Bound tcp(SOCK_STREAM);
        Bound udp(SOCK_DGRAM);
        CHECK(port_bound(tcp.port));
        CHECK(port_bound(udp.port));
        closed = tcp.port;
    }
    CHECK_FALSE(port_bound(closed));  // a listener never connected leaves no TIME_WAIT
}

TEST_CASE("strict port_bound counts a grandchild's socket, not the asking process's own", "[port_probe]") {
    Bound own(SOCK_STREAM);
    int report[2], hold[2];
    REQUIRE(pipe2(report, O_CLOEXEC) == 0);
    REQUIRE(pipe2(hold, O_CLOEXEC) == 0);
    pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        // The child forks the binder and waits for it: the socket is two levels down.
        close(own.fd);  // or the test's own socket would be held below it too
        close(report[0]);
        close(hold[1]);
        pid_t grandchild = fork();
        if (grandchild == 0) {
            Bound theirs(SOCK_STREAM);
            if (write(report[1], &theirs.port, sizeof theirs.port) != sizeof theirs.port) _exit(1);
            char byte;
            while (read(hold[0], &byte, 1) > 0) {}  // until the test closes its end
            _exit(0);
        }
        close(report[1]);
        close(hold[0]);
        int status = 0;
        waitpid(grandchild, &status, 0);
        _exit(0);
    }
    close(report[1]);
    close(hold[0]);
    int theirs = 0;
    REQUIRE(read(report[0], &theirs, sizeof theirs) == sizeof theirs);
    close(report[0]);

    pid_t self = getpid();
    CHECK(port_bound(theirs, self));
    CHECK(port_bound(own.port));
    CHECK_FALSE(port_bound(own.port, self));
    CHECK(port_bound(theirs, child));
    CHECK_FALSE(port_bound(own.port, child));  // held above the child, not below it
    close(hold[1]);
    int status = 0;
    REQUIRE(waitpid(child, &status, 0) == child);
}
