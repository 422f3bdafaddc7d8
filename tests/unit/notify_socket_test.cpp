// NOTIFY_SOCKET: the socket initd makes for its child, what counts as READY=1, passing
// it on to initd's own NOTIFY_SOCKET.
#include <catch2/catch.hpp>

#include <csignal>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <string>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

#include "initd/notify_socket.hpp"

using initd::NotifySocket;
using initd::Text;

namespace {

// SIGIO blocked while a test runs: its default action would end the test process, and
// the loop it stands for takes SIGIO with sigtimedwait.
struct SigioBlocked {
    sigset_t sigio;
    SigioBlocked() {
        sigemptyset(&sigio);
        sigaddset(&sigio, SIGIO);
        sigprocmask(SIG_BLOCK, &sigio, nullptr);
    }
    ~SigioBlocked() {
        timespec none{};
        while (sigtimedwait(&sigio, nullptr, &none) == SIGIO) {}
        sigprocmask(SIG_UNBLOCK, &sigio, nullptr);
    }
    bool raised() {
        timespec wait{5, 0};
        return sigtimedwait(&sigio, nullptr, &wait) == SIGIO;
    }
};

// An address as sd_notify reads NOTIFY_SOCKET: a path, or '@' for the abstract namespace.
socklen_t address_of(const char* name, sockaddr_un& address) {
    address = {};
    address.sun_family = AF_UNIX;
    std::strcpy(address.sun_path, name);
    if (name[0] == '@') address.sun_path[0] = '\0';
    return static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + std::strlen(name));
}

bool send_to(const char* name, std::string_view message) {
    sockaddr_un address;
    socklen_t length = address_of(name, address);
    // Non-blocking: a full queue fails the test instead of hanging it.
    int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    bool sent = sendto(fd, message.data(), message.size(), 0, reinterpret_cast<sockaddr*>(&address), length) ==
                static_cast<ssize_t>(message.size());
    close(fd);
    return sent;
}

// A socket the test listens on, as systemd or podman would for initd.
struct Listener {
    int fd;
    explicit Listener(const char* name) : fd(socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) {
        sockaddr_un address;
        socklen_t length = address_of(name, address);
        REQUIRE(bind(fd, reinterpret_cast<sockaddr*>(&address), length) == 0);
    }
    ~Listener() { close(fd); }
    std::string received() {
        char buffer[256];
        ssize_t n = recv(fd, buffer, sizeof buffer, MSG_DONTWAIT);
        return n >= 0 ? std::string(buffer, static_cast<std::size_t>(n)) : "(nothing)";
    }
};

}  // namespace

TEST_CASE("READY=1 counts only as a whole line of the datagram", "[notify_socket]") {
    using initd::has_ready_line;
    CHECK(has_ready_line("READY=1"));
    CHECK(has_ready_line("READY=1\n"));
    CHECK(has_ready_line("STATUS=x\nREADY=1\n"));
    CHECK(has_ready_line("READY=1\nSTATUS=up"));
    CHECK_FALSE(has_ready_line(""));
    CHECK_FALSE(has_ready_line("READY=10"));
    CHECK_FALSE(has_ready_line("NOTREADY=1"));
    CHECK_FALSE(has_ready_line("STATUS=READY=1"));
    CHECK_FALSE(has_ready_line("RELOADING=1\nSTOPPING=1\n"));
}

TEST_CASE("the child's NOTIFY_SOCKET is abstract, raises SIGIO, and READY=1 counts once", "[notify_socket]") {
    SigioBlocked sigio;
    NotifySocket socket;
    Text why;
    REQUIRE(socket.open(why));
    std::string entry = socket.env_entry();
    REQUIRE(entry.rfind("NOTIFY_SOCKET=@", 0) == 0);
    CHECK(entry.size() == 20);  // autobind: five hex digits
    CHECK(fcntl(socket.fd(), F_GETOWN) == getpid());
    CHECK((fcntl(socket.fd(), F_GETFL) & (O_ASYNC | O_NONBLOCK)) == (O_ASYNC | O_NONBLOCK));
    CHECK((fcntl(socket.fd(), F_GETFD) & FD_CLOEXEC) != 0);

    CHECK_FALSE(socket.on_io());  // nothing yet: no wait either
    const char* name = entry.c_str() + 14;
    REQUIRE(send_to(name, "STATUS=starting\n"));
    CHECK(sigio.raised());
    CHECK_FALSE(socket.on_io());
    REQUIRE(send_to(name, "STATUS=x\nREADY=1\n"));
    CHECK(sigio.raised());
    CHECK(socket.on_io());
    REQUIRE(send_to(name, "READY=1"));
    CHECK(sigio.raised());
    CHECK_FALSE(socket.on_io());  // already ready
    socket.close();
    CHECK(socket.fd() == -1);
    CHECK_FALSE(send_to(name, "READY=1"));  // nobody listens any more
}

TEST_CASE("several datagrams waiting are all read by one on_io", "[notify_socket]") {
    SigioBlocked sigio;
    NotifySocket socket;
    Text why;
    REQUIRE(socket.open(why));
    const char* name = socket.env_entry() + 14;
    // Fewer than net.unix.max_dgram_qlen (10 by default), past which a sender waits.
    for (int i = 0; i < 5; ++i) REQUIRE(send_to(name, "STATUS=busy"));
    REQUIRE(send_to(name, "READY=1"));
    CHECK(socket.on_io());
    CHECK(recv(socket.fd(), nullptr, 0, MSG_DONTWAIT) < 0);  // drained
    socket.close();
}

TEST_CASE("the notify_ready helper reaches the child's socket through its environment", "[notify_socket]") {
    SigioBlocked sigio;
    NotifySocket socket;
    Text why;
    REQUIRE(socket.open(why));
    char* envp[] = {const_cast<char*>(socket.env_entry()), nullptr};
    pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        int null = open("/dev/null", O_WRONLY);
        dup2(null, STDOUT_FILENO);
        char* argv[] = {const_cast<char*>("notify_ready"), nullptr};
        execve(HELPERS_DIR "/notify_ready", argv, envp);
        _exit(127);
    }
    int status = 0;
    REQUIRE(waitpid(child, &status, 0) == child);
    REQUIRE(WIFEXITED(status));
    REQUIRE(WEXITSTATUS(status) == 0);
    CHECK(socket.on_io());
    socket.close();
}

TEST_CASE("forward_ready sends READY=1 to a path and to an abstract NOTIFY_SOCKET", "[notify_socket]") {
    char dir[] = "/tmp/initd-notify-XXXXXX";
    REQUIRE(mkdtemp(dir));
    std::string path = std::string(dir) + "/notify.sock";
    {
        Listener systemd(path.c_str());
        std::string variable = "NOTIFY_SOCKET=" + path;
        char* envp[] = {const_cast<char*>("HOME=/"), variable.data(), nullptr};
        CHECK(NotifySocket::forward_ready(envp));
        CHECK(systemd.received() == "READY=1");
    }
    unlink(path.c_str());
    rmdir(dir);

    std::string abstract = "@initd-test-" + std::to_string(getpid());
    Listener podman(abstract.c_str());
    std::string variable = "NOTIFY_SOCKET=" + abstract;
    char* envp[] = {variable.data(), nullptr};
    CHECK(NotifySocket::forward_ready(envp));
    CHECK(podman.received() == "READY=1");
}

TEST_CASE("forward_ready is false without a NOTIFY_SOCKET or when nobody listens", "[notify_socket]") {
    char* none[] = {const_cast<char*>("NOTIFY_SOCKETS=/x"), nullptr};
    CHECK_FALSE(NotifySocket::forward_ready(none));
    CHECK_FALSE(NotifySocket::forward_ready(nullptr));
    char* empty[] = {const_cast<char*>("NOTIFY_SOCKET="), nullptr};
    CHECK_FALSE(NotifySocket::forward_ready(empty));
    char* missing[] = {const_cast<char*>("NOTIFY_SOCKET=/nonexistent/notify.sock"), nullptr};
    CHECK_FALSE(NotifySocket::forward_ready(missing));
    std::string long_path = "NOTIFY_SOCKET=/" + std::string(200, 'x');
    char* too_long[] = {long_path.data(), nullptr};
    CHECK_FALSE(NotifySocket::forward_ready(too_long));
}
