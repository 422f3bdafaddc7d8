// dock's features, under the name dock and as initd's options: the child's output
// (merged, prefixed, to a file, rotated, over a socket on a terminal), the web hook, port
// and NOTIFY_SOCKET readiness, --thug. A hook server and a TCP peer run in this process.
#include <arpa/inet.h>
#include <atomic>
#include <catch2/catch.hpp>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <mutex>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <thread>
#include <unistd.h>

#include "harness.hpp"

using namespace harness;

namespace {

// A listening TCP socket on 127.0.0.1, on a port the kernel picks.
struct Listener {
    int fd = -1;
    int port = 0;
    Listener() {
        fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        REQUIRE(bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
        REQUIRE(listen(fd, 16) == 0);
        socklen_t len = sizeof a;
        getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
        port = ntohs(a.sin_port);
    }
    ~Listener() { close(fd); }
    // The next connection, or -1 after `timeout_ms`.
    int accept_within(int timeout_ms) const {
        pollfd p{fd, POLLIN, 0};
        if (poll(&p, 1, timeout_ms) != 1) return -1;
        return accept4(fd, nullptr, nullptr, SOCK_CLOEXEC);
    }
};

// Records every HTTP request (method, path, headers, body); answers 200, or never
// answers at all (`silent`) while keeping the connection open.
class HookServer {
public:
    explicit HookServer(bool silent = false) : silent_(silent), thread_([this] { serve(); }) {}
    ~HookServer() {
        stop_ = true;
        thread_.join();
        for (int fd : held_) close(fd);
    }
    std::string url(const std::string& path = "/hook") const {
        return "http://127.0.0.1:" + std::to_string(listener_.port) + path;
    }
    std::vector<std::string> requests() {
        std::lock_guard<std::mutex> lock(mutex_);
        return requests_;
    }
    // Waits until `n` requests have come (true) or `timeout_ms` passed.
    bool wait_for(std::size_t n, int timeout_ms = 10000) {
        auto start = Clock::now();
        while (ms_since(start) < timeout_ms) {
            if (requests().size() >= n) return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(10));  // polling another thread's list
        }
        return false;
    }
    // The status of request i: "starting", "running" or "crashed" (from its JSON).
    std::string status(std::size_t i) {
        auto r = requests();
        if (i >= r.size()) return "";
        auto at = r[i].find("\"status\":\"");
        if (at == std::string::npos) return "?";
        at += 10;
        return r[i].substr(at, r[i].find('"', at) - at);
    }

private:
    void serve() {
        while (!stop_) {
            int c = listener_.accept_within(50);
            if (c < 0) continue;
            std::string request = read_request(c);
            {
                std::lock_guard<std::mutex> lock(mutex_);
                requests_.push_back(request);
            }
            if (silent_) {
                held_.push_back(c);
                continue;
            }
            const char reply[] = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
            (void)!write(c, reply, sizeof reply - 1);
            close(c);
        }
    }
    static std::string read_request(int c) {
        std::string in;
        char buffer[4096];
        for (;;) {
            auto end = in.find("\r\n\r\n");
            if (end != std::string::npos) {
                auto cl = in.find("Content-Length: ");
                std::size_t length = cl == std::string::npos ? 0 : std::stoul(in.substr(cl + 16));
                if (in.size() >= end + 4 + length) return in;
            }
            pollfd p{c, POLLIN, 0};
            if (poll(&p, 1, 5000) != 1) return in;
            ssize_t n = read(c, buffer, sizeof buffer);
            if (n <= 0) return in;
            in.append(buffer, static_cast<std::size_t>(n));
        }
    }
    Listener listener_;
    bool silent_;
    std::atomic<bool> stop_{false};
    std::mutex mutex_;
    std::vector<std::string> requests_;
    std::vector<int> held_;
    std::thread thread_;
};

// A port nobody listens on: one the kernel picked for a listener, closed again, for a
// child of the test to bind.
int free_port() {
    Listener picked;
    return picked.port;
}

std::string temp_dir() {
    char pattern[] = "/tmp/initd-dock-XXXXXX";
    REQUIRE(mkdtemp(pattern));
    return pattern;
}

const std::string kGreen = "\x1b[32;1m", kReset = "\x1b[0m";

}  // namespace

TEST_CASE("dock: the child's stdout and stderr, merged in order, on dock's stdout", "[dock]") {
    auto r = run(initd_launch(Mode::subreaper, {}, {"sh", "-c", "echo a; echo b >&2; echo c"}, "dock"));
    CHECK(r.code == 0);
    CHECK(r.out == "a\nb\nc\n");
    CHECK(r.err.empty());
}

TEST_CASE("dock: its command line (help, version, bad flags, a command that cannot run)", "[dock]") {
    auto help = run(initd_launch(Mode::subreaper, {}, {}, "dock"));
    CHECK(help.code == 0);
    CHECK(help.out.find("--io") != std::string::npos);
    auto version = run(initd_launch(Mode::subreaper, {"-v"}, {}, "dock"));
    CHECK(version.code == 0);
    CHECK(version.out.rfind("dock version v", 0) == 0);
    auto bad = run(initd_launch(Mode::subreaper, {"--bogus", "true"}, {}, "dock"));
    CHECK(bad.code == 1);
    CHECK(lines_of(bad.err).size() == 1);
    auto rotate = run(initd_launch(Mode::subreaper, {"--log-rotate", "x", "true"}, {}, "dock"));
    CHECK(rotate.code == 1);
    auto missing = run(initd_launch(Mode::subreaper, {}, {"/nonexistent/program"}, "dock"));
    CHECK(missing.code == 255);
}

TEST_CASE("dock: --stdout-prefix starts every line, in colour, stderr's too", "[dock]") {
    auto r = run(initd_launch(Mode::subreaper, {"--stdout-prefix", "app:green"},
                              {"sh", "-c", "printf 'a\\nb'; printf 'c\\n' >&2; printf '\\nd\\n'"}, "dock"));
    CHECK(r.code == 0);
    std::string p = kGreen + "app" + kReset;
    CHECK(r.out == p + "a\n" + p + "bc\n" + p + "\n" + p + "d\n");
    auto plain = run(initd_launch(Mode::subreaper, {"--stdout-prefix", "[x] :mauve"}, {"echo", "hi"}, "dock"));
    CHECK(plain.out == "[x] hi\n");
    auto initd = run(initd_launch(Mode::subreaper, {"--stdout-prefix", "w:"}, {"echo", "hi"}));
    CHECK(initd.out == "whi\n");
}

TEST_CASE("dock: --io to a file appends, created 0600", "[dock]") {
    std::string dir = temp_dir(), log = dir + "/app.log";
    auto first = run(initd_launch(Mode::subreaper, {"--io", "file://" + log}, {"sh", "-c", "echo one; echo two >&2"}, "dock"));
    CHECK(first.code == 0);
    CHECK(first.out.empty());
    auto second = run(initd_launch(Mode::subreaper, {"--io=" + log}, {"echo", "three"}, "dock"));
    CHECK(second.code == 0);
    CHECK(read_file(log).value_or("") == "one\ntwo\nthree\n");
    struct stat st {};
    REQUIRE(stat(log.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    auto bad = run(initd_launch(Mode::subreaper, {"--io", dir + "/missing/x.log"}, {"echo", "x"}, "dock"));
    CHECK(bad.code == 1);
    CHECK(lines_of(bad.err).size() == 1);
    auto tls = run(initd_launch(Mode::subreaper, {"--io", "tls://127.0.0.1:1"}, {"echo", "x"}, "dock"));
    CHECK(tls.code == 1);
    CHECK(tls.err.find("tls") != std::string::npos);
}

TEST_CASE("dock: --io tcp:// runs the child on a terminal, echo off, both ways", "[dock]") {
    Listener peer;
    Started s(initd_launch(Mode::subreaper, {"--io", "tcp://127.0.0.1:" + std::to_string(peer.port)},
                           {"sh", "-c", "[ -t 0 ] && echo tty; read x; echo got $x"}, "dock"));
    int c = peer.accept_within(10000);
    REQUIRE(c >= 0);
    std::string seen = read_available(c, 2000);
    CHECK(seen.find("tty") != std::string::npos);
    const char input[] = "abc\n";
    REQUIRE(write(c, input, 4) == 4);
    std::string after;
    for (int i = 0; i < 50 && after.find("got abc") == std::string::npos; ++i) after += read_available(c, 100);
    CHECK(after.find("got abc") != std::string::npos);
    CHECK(after.find("abc\r\n" "got") == std::string::npos);  // no echo of what was typed
    CHECK(s.process.wait() == 0);
    close(c);
}

TEST_CASE("dock: --web-hook says starting, running and crashed, with the interfaces", "[dock]") {
    HookServer hooks;
    auto r = run(initd_launch(Mode::subreaper, {"--web-hook", hooks.url()}, {"sh", "-c", "exit 3"}, "dock"));
    CHECK(r.code == 3);
    REQUIRE(hooks.wait_for(3));
    CHECK(hooks.status(0) == "starting");
    CHECK(hooks.status(1) == "running");
    CHECK(hooks.status(2) == "crashed");
    std::string first = hooks.requests()[0];
    CHECK(first.rfind("PUT /hook HTTP/1.1\r\n", 0) == 0);
    CHECK(first.find("Content-Type: application/json\r\n") != std::string::npos);
    CHECK(first.find("{\"ps\":{\"status\":\"starting\",\"net_interfaces\":[") != std::string::npos);
    CHECK(first.find("{\"name\":\"lo\",\"ipv4\":\"127.0.0.1\"") != std::string::npos);

    HookServer missing_hooks;
    auto missing = run(initd_launch(Mode::subreaper, {"--web-hook", missing_hooks.url()}, {"/nonexistent"}, "dock"));
    CHECK(missing.code == 255);
    REQUIRE(missing_hooks.wait_for(2));
    CHECK(missing_hooks.status(0) == "starting");
    CHECK(missing_hooks.status(missing_hooks.requests().size() - 1) == "crashed");
}

TEST_CASE("dock: a hook server that never answers delays nothing much", "[dock]") {
    HookServer silent(true);
    auto start = Clock::now();
    Recorded r(Mode::subreaper, {"--web-hook", silent.url()});
    CHECK(r.send(SIGHUP) == "1");  // forwarding works while a hook hangs
    r.finish();
    // At most 1 s for "starting" before the child starts and 1 s for the rest at exit
    // (the later statuses wait behind the unanswered one, in order, as they would in dock).
    CHECK(ms_since(start) < 4000);
    CHECK(silent.wait_for(1));
}

TEST_CASE("dock: --bind-port says running once the port is bound", "[dock]") {
    HookServer hooks;
    int port = free_port();
    int gate[2];
    REQUIRE(pipe2(gate, O_CLOEXEC) == 0);
    auto launch = initd_launch(Mode::subreaper, {"--web-hook", hooks.url(), "--bind-port", std::to_string(port)},
                               {"sh", "-c", "read x; exec " + helper("port_binder") + " " + std::to_string(port)}, "dock");
    launch.stdin_fd = gate[0];
    Started s(launch);
    close(gate[0]);
    REQUIRE(hooks.wait_for(1));
    CHECK_FALSE(hooks.wait_for(2, 600));  // three probes, and no "running" yet
    REQUIRE(write(gate[1], "go\n", 3) == 3);
    std::string seen;
    REQUIRE(s.reporter.wait_for("bound", seen));
    REQUIRE(hooks.wait_for(2, 3000));
    CHECK(hooks.status(1) == "running");
    s.process.signal(SIGTERM);
    CHECK(s.process.wait() == 0);
    close(gate[1]);
}

TEST_CASE("dock: --strict-port-binding counts only initd's descendants", "[dock]") {
    HookServer hooks;
    Listener mine;  // bound (and listening) by the test, not by a descendant
    Started s(initd_launch(Mode::subreaper,
                           {"--web-hook", hooks.url(), "--bind-port", std::to_string(mine.port), "--strict-port-binding"},
                           {"sleep", "30"}, "dock"));
    REQUIRE(hooks.wait_for(1));
    CHECK_FALSE(hooks.wait_for(2, 600));
    Started loose(initd_launch(Mode::subreaper, {"--web-hook", hooks.url(), "--bind-port", std::to_string(mine.port)},
                               {"sleep", "30"}, "dock"));
    CHECK(hooks.wait_for(3, 3000));  // its "starting", then "running": the test's socket counts
    s.process.signal(SIGTERM);
    loose.process.signal(SIGTERM);
    CHECK(s.process.wait() == 128 + SIGTERM);
    CHECK(loose.process.wait() == 128 + SIGTERM);
}

TEST_CASE("dock: --thug sends SIGKILL for a stop signal the child ignores or blocks", "[dock]") {
    for (std::string mode : {"ignore", "block", "handle"}) {
        for (int sig : {SIGTERM, SIGINT, SIGQUIT}) {
            INFO(mode << " " << sig);
            Started s(initd_launch(Mode::subreaper, {"--thug"}, {helper("stop_signal_child"), mode}, "dock"));
            std::string seen;
            REQUIRE(s.reporter.wait_for("ready", seen));
            s.process.signal(sig);
            CHECK(s.process.wait() == (mode == "handle" ? 3 : 128 + SIGKILL));
        }
    }
    // Without --thug an ignored TERM stays ignored.
    Started s(initd_launch(Mode::subreaper, {}, {helper("stop_signal_child"), "ignore"}, "dock"));
    std::string seen;
    REQUIRE(s.reporter.wait_for("ready", seen));
    s.process.signal(SIGTERM);
    CHECK_FALSE(s.process.exited_within(500));
    s.process.kill_all();
}

// initd's own NOTIFY_SOCKET, as a service manager holds it: a datagram socket at `path`.
struct NotifyListener {
    std::string path;
    int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    explicit NotifyListener(std::string at) : path(std::move(at)) {
        sockaddr_un a{};
        a.sun_family = AF_UNIX;
        std::strcpy(a.sun_path, path.c_str());
        REQUIRE(bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    }
    ~NotifyListener() { close(fd); }
    // The next datagram, or "" when none comes within 5 s.
    std::string next() {
        pollfd p{fd, POLLIN, 0};
        if (poll(&p, 1, 5000) != 1) return "";
        char message[64];
        ssize_t n = recv(fd, message, sizeof message, 0);
        return n > 0 ? std::string(message, static_cast<std::size_t>(n)) : "";
    }
};

TEST_CASE("initd --notify-socket: READY=1 from the child is running, and reaches initd's own NOTIFY_SOCKET", "[dock]") {
    NotifyListener own(temp_dir() + "/notify.sock");
    HookServer hooks;
    auto launch = initd_launch(Mode::subreaper, {"--notify-socket", "--web-hook", hooks.url()},
                               {helper("notify_ready"), helper("exit_with"), "0"});
    launch.extra_env = {"NOTIFY_SOCKET=" + own.path};
    auto r = run(launch);
    CHECK(r.code == 0);
    CHECK(r.out.find("NOTIFY_SOCKET=" + own.path) == std::string::npos);  // the child got initd's own
    CHECK(r.out.find("NOTIFY_SOCKET=") != std::string::npos);
    CHECK(own.next() == "READY=1");
    REQUIRE(hooks.wait_for(3));
    CHECK(hooks.status(1) == "running");
}

TEST_CASE("initd --notify-socket: a READY=1 still unread when the child ends is not lost", "[dock]") {
    // The child stops initd, sends READY=1 and exits; the test resumes initd once the
    // child is a zombie, so that its end (SIGCHLD, the lower number) and the datagram
    // (SIGIO) wait together and the end is dequeued first.
    NotifyListener own(temp_dir() + "/notify.sock");
    HookServer hooks;
    auto launch = initd_launch(Mode::subreaper, {"--notify-socket", "--web-hook", hooks.url()},
                               {"sh", "-c", "kill -STOP $PPID; exec " + helper("notify_ready") + " " +
                                                helper("exit_with") + " 0"});
    launch.extra_env = {"NOTIFY_SOCKET=" + own.path};
    Started s(launch);
    REQUIRE(wait_for_state(s.process.pid(), 'T', 5000));
    auto children = children_of(s.process.pid());
    REQUIRE(children.size() == 1);
    REQUIRE(wait_for_state(children[0], 'Z', 5000));
    s.process.signal(SIGCONT);
    CHECK(s.process.wait() == 0);
    CHECK(own.next() == "READY=1");
    REQUIRE(hooks.wait_for(3));
    CHECK(hooks.status(1) == "running");
    CHECK(hooks.status(2) == "crashed");
}

TEST_CASE("initd --log-rotate: gzip archives beside the --io file, no line lost or cut", "[dock]") {
    std::string dir = temp_dir(), log = dir + "/out.log";
    // 2.5 s of numbered lines, one every 10 ms; the log is rotated every second.
    auto r = run(initd_launch(Mode::subreaper, {"--io", log, "--log-rotate", "1s"},
                              {"sh", "-c", "i=0; while [ $i -lt 250 ]; do echo \"line $i of the log\"; i=$((i+1)); "
                                           "sleep 0.01; done"}));
    CHECK(r.code == 0);
    auto listing = run(initd_launch(Mode::subreaper, {}, {"sh", "-c", "cd " + dir + " && ls out.log_*.gz"}));
    auto archives = lines_of(listing.out);
    REQUIRE(archives.size() >= 2);
    std::string all;
    for (const auto& archive : archives) {
        auto test = run(initd_launch(Mode::subreaper, {}, {"gunzip", "-t", dir + "/" + archive}));
        CHECK(test.code == 0);
        all += run(initd_launch(Mode::subreaper, {}, {"gunzip", "-c", dir + "/" + archive})).out;
    }
    all += read_file(log).value_or("");
    std::string expected;
    for (int i = 0; i < 250; ++i) expected += "line " + std::to_string(i) + " of the log\n";
    CHECK(all == expected);
}

// dock's own integration suite (integration/integration_test.go) needs Go and a Docker
// image built from Go sources: neither is here. Its five cases, with the same commands:
TEST_CASE("dock's suite: simple command, orphans reaped, the hooks, port binding", "[dock]") {
    SECTION("TestSimpleCommand: dock --debug ls") {
        auto r = run(initd_launch(Mode::pid1, {"--debug"}, {"ls", "/"}, "dock"));
        CHECK(r.code == 0);
    }
    SECTION("TestOrphanProcessReaping: the script's orphans are ended, nothing is left") {
        // spawn_orphaned.sh: background jobs that outlive the script (nc -l there).
        auto start = Clock::now();
        auto r = run(initd_launch(Mode::pid1, {"--debug"},
                                  {"sh", "-c", "( sleep 1000 & sleep 1001 & ) & echo spawned"}, "dock"));
        CHECK(r.code == 0);
        CHECK(ms_since(start) < 4000);  // SIGTERM ends them: no need for the 5 s SIGKILL
    }
    SECTION("TestWebHook: starting, running, crashed for ls; a URL without a path") {
        HookServer hooks;
        std::string url = hooks.url("");
        auto r = run(initd_launch(Mode::subreaper, {"--debug", "--web-hook", url}, {"ls"}, "dock"));
        CHECK(r.code == 0);
        REQUIRE(hooks.wait_for(3));
        CHECK(hooks.status(0) == "starting");
        CHECK(hooks.status(1) == "running");
        CHECK(hooks.status(2) == "crashed");
        CHECK(hooks.requests()[0].rfind("PUT / HTTP/1.1\r\n", 0) == 0);
    }
    SECTION("TestPortBindingHook: ls never binds the port: no running") {
        HookServer hooks;
        auto r = run(initd_launch(Mode::subreaper, {"--debug", "--web-hook", hooks.url(), "--bind-port", "9999"}, {"ls"},
                                  "dock"));
        CHECK(r.code == 0);
        REQUIRE(hooks.wait_for(2));
        CHECK_FALSE(hooks.wait_for(3, 300));
        CHECK(hooks.status(0) == "starting");
        CHECK(hooks.status(1) == "crashed");
    }
    SECTION("TestPortBinding: strict, --thug, a server; stop says crashed") {
        HookServer hooks;
        int port = free_port();
        Started s(initd_launch(Mode::subreaper,
                               {"--debug", "--web-hook", hooks.url(), "--bind-port", std::to_string(port),
                                "--strict-port-binding", "--thug"},
                               {helper("port_binder"), std::to_string(port)}, "dock"));
        REQUIRE(hooks.wait_for(2));
        CHECK(hooks.status(1) == "running");
        s.process.signal(SIGTERM);
        CHECK(s.process.wait() == 0);  // port_binder ends on SIGTERM with 0
        REQUIRE(hooks.wait_for(3));
        CHECK(hooks.status(2) == "crashed");
    }
}
