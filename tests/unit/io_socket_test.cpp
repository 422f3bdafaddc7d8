// --io: the URL forms dock takes, and a child on a pseudo-terminal wired to a socket.
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <csignal>
#include <fcntl.h>
#include <memory>
#include <netinet/in.h>
#include <poll.h>
#include <string>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "initd/io_socket.hpp"
#include "initd/output_relay.hpp"
#include "initd/spawn.hpp"

using initd::Text;
using initd::io::Kind;
using initd::io::Url;

namespace {

// The relay's descriptors raise SIGIO, which initd blocks and takes with sigtimedwait.
// Here it is ignored for the rest of the run (descriptors outlive their tests, and a
// default SIGIO kills), and blocked where a test waits for it.
const bool sigio_ignored = (std::signal(SIGIO, SIG_IGN), true);

Url parsed(std::string_view url) {
    Url u;
    Text why;
    INFO(why.view());
    REQUIRE(initd::io::parse_url(url, u, why));
    return u;
}

std::string refusal(std::string_view url) {
    Url u;
    Text why;
    CHECK_FALSE(initd::io::parse_url(url, u, why));
    return std::string(why.view());
}

// A listening socket on 127.0.0.1 and a port the kernel chose.
int listen_tcp(unsigned& port) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t size = sizeof a;
    REQUIRE(bind(fd, reinterpret_cast<sockaddr*>(&a), size) == 0);
    REQUIRE(listen(fd, 1) == 0);
    REQUIRE(getsockname(fd, reinterpret_cast<sockaddr*>(&a), &size) == 0);
    port = ntohs(a.sin_port);
    return fd;
}

}  // namespace

TEST_CASE("io URLs: --io takes dock's URL forms", "[io_socket]") {
    Url u = parsed("file:///var/log/app.log");
    CHECK(u.kind == Kind::file);
    CHECK(u.path == "/var/log/app.log");
    u = parsed("logs/app.log");
    CHECK(u.kind == Kind::file);
    CHECK(u.path == "logs/app.log");
    CHECK(parsed("").kind == Kind::standard);
    u = parsed("tcp://127.0.0.1:9000");
    CHECK(u.kind == Kind::tcp);
    CHECK(u.path == "127.0.0.1");
    CHECK(u.port == 9000);
    u = parsed("tcp://[::1]:65535");
    CHECK(u.path == "[::1]");
    CHECK(u.port == 65535);
    u = parsed("unix:///run/app.sock");
    CHECK(u.kind == Kind::unix_socket);
    CHECK(u.path == "/run/app.sock");
}

TEST_CASE("io URLs: --io refuses TLS, other schemes and broken addresses in one line", "[io_socket]") {
    CHECK(refusal("tls://example.com:443").find("TLS is not supported") != std::string::npos);
    CHECK(refusal("ssl://example.com:443").find("TLS is not supported") != std::string::npos);
    CHECK(refusal("http://example.com") == "--io http://example.com: unknown scheme (file://, tcp:// or unix://)");
    CHECK(refusal("tcp://host").find("expected tcp://HOST:PORT") != std::string::npos);
    CHECK(refusal("tcp://host:0").find("expected") != std::string::npos);
    CHECK(refusal("tcp://host:65536").find("expected") != std::string::npos);
    CHECK(refusal("tcp://host:80x").find("expected") != std::string::npos);
    CHECK(refusal("tcp://:80").find("expected") != std::string::npos);
    CHECK(refusal("tcp://8080").find("expected") != std::string::npos);
    CHECK(refusal("tcp://[::1]").find("expected") != std::string::npos);
    CHECK(refusal("tcp://host:").find("expected") != std::string::npos);
    CHECK(refusal("unix://") == "--io unix://: no path");
    CHECK(refusal("file://") == "--io file://: no path");
}

TEST_CASE("dialling fails in one line: no listener, a name that is not numeric", "[io_socket]") {
    unsigned port;
    int fd = listen_tcp(port);
    close(fd);  // the port is free now: nobody listens
    Text why;
    std::string url = "tcp://127.0.0.1:" + std::to_string(port);  // the Url's views point into it
    Url u = parsed(url);
    CHECK(initd::io::dial(u, why) < 0);
    CHECK(why.view() == "--io: 127.0.0.1: Connection refused");
    why.clear();
    CHECK(initd::io::dial(parsed("tcp://example.com:80"), why) < 0);
    CHECK(why.view() == "--io: example.com: not a numeric address (or localhost)");
}

TEST_CASE("tcp:// dials IPv4 and [IPv6] addresses", "[io_socket]") {
    unsigned port;
    int server = listen_tcp(port);
    Text why;
    std::string url = "tcp://127.0.0.1:" + std::to_string(port);
    int fd = initd::io::dial(parsed(url), why);
    CHECK(fd >= 0);
    CHECK(why.empty());
    close(fd);
    close(server);

    server = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in6 a{};
    a.sin6_family = AF_INET6;
    a.sin6_addr = in6addr_loopback;
    socklen_t size = sizeof a;
    if (bind(server, reinterpret_cast<sockaddr*>(&a), size) != 0) {
        close(server);
        WARN("no IPv6 loopback here");
        return;
    }
    REQUIRE(listen(server, 1) == 0);
    REQUIRE(getsockname(server, reinterpret_cast<sockaddr*>(&a), &size) == 0);
    url = "tcp://[::1]:" + std::to_string(ntohs(a.sin6_port));
    fd = initd::io::dial(parsed(url), why);
    CHECK(fd >= 0);
    CHECK(why.empty());
    close(fd);
    close(server);
}

TEST_CASE("unix:// dials a listening socket", "[io_socket]") {
    std::string path = "/tmp/initd-io-test-" + std::to_string(getpid()) + ".sock";
    unlink(path.c_str());
    int server = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un a{};
    a.sun_family = AF_UNIX;
    path.copy(a.sun_path, path.size());
    REQUIRE(bind(server, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    REQUIRE(listen(server, 1) == 0);
    Text why;
    std::string url = "unix://" + path;
    int fd = initd::io::dial(parsed(url), why);
    CHECK(fd >= 0);
    CHECK(write(fd, "x", 1) == 1);
    int peer = accept(server, nullptr, nullptr);
    char c = 0;
    CHECK(read(peer, &c, 1) == 1);
    CHECK(c == 'x');
    for (int d : {fd, peer, server}) close(d);
    unlink(path.c_str());
}

TEST_CASE("tcp://: the child runs on a terminal wired to the socket, echo off", "[io_socket]") {
    sigset_t sigio, old;
    sigemptyset(&sigio);
    sigaddset(&sigio, SIGIO);
    sigprocmask(SIG_BLOCK, &sigio, &old);
    unsigned port;
    int server = listen_tcp(port);
    auto relay = std::make_unique<initd::OutputRelay>();
    Text why;
    std::string url = "tcp://localhost:" + std::to_string(port);
    REQUIRE(relay->open_io(url.c_str(), "[c] ", why));
    int peer = accept(server, nullptr, nullptr);
    REQUIRE(peer >= 0);
    REQUIRE(relay->child_on_terminal());

    // /dev/tty opens only for a process with a controlling terminal.
    char script[] = "read line; echo \"got:$line\"; echo err >&2; : </dev/tty && echo ctty";
    char* argv[] = {const_cast<char*>("/bin/sh"), const_cast<char*>("-c"), script, nullptr};
    char* envp[] = {const_cast<char*>("PATH=/usr/bin:/bin"), nullptr};
    initd::ChildSetup setup;
    setup.command = argv;
    setup.environment = envp;
    relay->give_to(setup);
    initd::terminal::Foreground foreground;
    auto result = initd::spawn_child(setup, foreground);
    REQUIRE(result.pid > 0);
    REQUIRE(result.failed_call == nullptr);
    relay->after_spawn();

    REQUIRE(write(peer, "hello\n", 6) == 6);
    std::string got;
    const std::string expected = "[c] got:hello\r\n[c] err\r\n[c] ctty\r\n";
    int status = 0;
    bool exited = false;
    while (got.size() < expected.size()) {
        timespec t{0, 100 * 1000000L};
        sigtimedwait(&sigio, nullptr, &t);  // the timeout only notices the child's exit
        if (!exited && waitpid(result.pid, &status, WNOHANG) == result.pid) {
            exited = true;
            relay->drain_at_exit();
        } else {
            relay->on_io();
        }
        pollfd p{peer, POLLIN, 0};
        char buffer[256];
        ssize_t n;
        while (poll(&p, 1, 0) == 1 && (n = read(peer, buffer, sizeof buffer)) > 0) got.append(buffer, std::size_t(n));
        if (exited) break;
    }
    if (!exited) REQUIRE(waitpid(result.pid, &status, 0) == result.pid);
    CHECK(got == expected);  // "hello" itself is not echoed back
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
    close(peer);
    close(server);
    timespec zero{};
    while (sigtimedwait(&sigio, nullptr, &zero) > 0) {}
    sigprocmask(SIG_SETMASK, &old, nullptr);
}
