// output relay: dock's prefixes, whole lines, the file target, rotation at a line
// boundary, and a target that stops reading.
#include <catch2/catch.hpp>

#include <csignal>
#include <fcntl.h>
#include <memory>
#include <string>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

#include "capture.hpp"
#include "initd/output_relay.hpp"
#include "initd/spawn.hpp"

using initd::OutputRelay;
using initd::Text;
using initd::relay::Prefix;

namespace {

// The relay's descriptors raise SIGIO, which initd blocks and takes with sigtimedwait.
// Here it is ignored for the rest of the run (descriptors outlive their tests, and a
// default SIGIO kills), and blocked where a test waits for it.
const bool sigio_ignored = (std::signal(SIGIO, SIG_IGN), true);

std::string prefix_of(std::string_view spec) {
    Prefix p;
    Text why;
    REQUIRE(initd::relay::make_prefix(spec, p, why));
    return std::string(p.view());
}

// Feeds `chunks` one call each through a buffer of `room` bytes, emptied whenever full.
std::string prefixed(std::vector<std::string> chunks, std::string_view prefix, std::size_t room = 64) {
    std::string out;
    std::vector<char> buffer(room);
    bool at_line_start = true;
    for (auto& chunk : chunks) {
        std::string_view in = chunk;
        while (!in.empty()) {
            std::size_t filled = 0;
            in.remove_prefix(initd::relay::prefix_lines(in, prefix, buffer, filled, at_line_start, false));
            out.append(buffer.data(), filled);
        }
    }
    return out;
}

std::string temp_path(const char* name) {
    static std::string dir = [] {
        char d[] = "/tmp/initd-relay-test-XXXXXX";
        REQUIRE(mkdtemp(d));
        return std::string(d);
    }();
    std::string path = dir + "/" + name;
    unlink(path.c_str());
    return path;
}

std::string slurp(const std::string& path) {
    std::string out;
    int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    char buffer[4096];
    ssize_t n;
    while (fd >= 0 && (n = read(fd, buffer, sizeof buffer)) > 0) out.append(buffer, static_cast<std::size_t>(n));
    if (fd >= 0) close(fd);
    return out;
}

void put(int fd, std::string_view s) { REQUIRE(write(fd, s.data(), s.size()) == static_cast<ssize_t>(s.size())); }

// SIGIO stays pending for sigtimedwait, as in initd's loop.
struct SigioBlocked {
    sigset_t set, old;
    SigioBlocked() {
        sigemptyset(&set);
        sigaddset(&set, SIGIO);
        sigprocmask(SIG_BLOCK, &set, &old);
    }
    ~SigioBlocked() {
        timespec zero{};
        while (sigtimedwait(&set, nullptr, &zero) > 0) {}
        sigprocmask(SIG_SETMASK, &old, nullptr);
    }
    bool wait(int ms = 5000) {
        timespec t{ms / 1000, (ms % 1000) * 1000000L};
        return sigtimedwait(&set, nullptr, &t) == SIGIO;
    }
};

// Runs `script` under /bin/sh with the relay's descriptors, and reaps it.
int run_child(OutputRelay& relay, const char* script) {
    char* argv[] = {const_cast<char*>("/bin/sh"), const_cast<char*>("-c"), const_cast<char*>(script), nullptr};
    char* envp[] = {const_cast<char*>("PATH=/usr/bin:/bin"), nullptr};
    initd::ChildSetup setup;
    setup.command = argv;
    setup.environment = envp;
    setup.background = true;
    relay.give_to(setup);
    initd::terminal::Foreground foreground;
    auto result = initd::spawn_child(setup, foreground);
    REQUIRE(result.pid > 0);
    REQUIRE(result.failed_call == nullptr);
    relay.after_spawn();
    return result.pid;
}

int reap(int pid) {
    int status = 0;
    REQUIRE(waitpid(pid, &status, 0) == pid);
    return status;
}

}  // namespace

TEST_CASE("a prefix is dock's colour escape around the text, or the text alone", "[output_relay]") {
    CHECK(prefix_of("web:red") == "\x1b[31;1mweb\x1b[0m");
    CHECK(prefix_of("web:green") == "\x1b[32;1mweb\x1b[0m");
    CHECK(prefix_of("web:yellow") == "\x1b[33;1mweb\x1b[0m");
    CHECK(prefix_of("web:blue") == "\x1b[34;1mweb\x1b[0m");
    CHECK(prefix_of("web:magenta") == "\x1b[35;1mweb\x1b[0m");
    CHECK(prefix_of("web:cyan") == "\x1b[36;1mweb\x1b[0m");
    CHECK(prefix_of("web:white") == "\x1b[37;1mweb\x1b[0m");
    CHECK(prefix_of("web:purple") == "web");
    CHECK(prefix_of("web") == "web");
    CHECK(prefix_of("web:") == "web");
    CHECK(prefix_of("") == "");
    // dock splits on every ':': the text is the first piece, the colour the last.
    CHECK(prefix_of("a:b:blue") == "\x1b[34;1ma\x1b[0m");
}

TEST_CASE("a prefix longer than its room is refused with a reason", "[output_relay]") {
    Prefix p;
    Text why;
    CHECK_FALSE(initd::relay::make_prefix(std::string(Text::capacity + 1, 'x'), p, why));
    CHECK(why.view().find("--stdout-prefix") != std::string_view::npos);
}

TEST_CASE("every line gets the prefix once, however the reads cut it", "[output_relay]") {
    CHECK(prefixed({"one\ntwo\n"}, "> ") == "> one\n> two\n");
    CHECK(prefixed({"on", "e\ntw", "o\n"}, "> ") == "> one\n> two\n");
    CHECK(prefixed({"\n\n", "x\n"}, "> ") == "> \n> \n> x\n");
    CHECK(prefixed({"partial"}, "> ") == "> partial");  // no stray prefix after the last newline
    CHECK(prefixed({"a\n", ""}, "> ") == "> a\n");
    CHECK(prefixed({"plain\nlines\n"}, "") == "plain\nlines\n");
    CHECK(prefixed({"no\npre", "fix\n", "end"}, "", 8) == "no\nprefix\nend");
}

TEST_CASE("a line longer than the buffer is carried over without a second prefix", "[output_relay]") {
    std::string line(1000, 'z');
    CHECK(prefixed({line + "\nend\n"}, "[p] ", 64) == "[p] " + line + "\n[p] end\n");
    CHECK(prefixed({line.substr(0, 300), line.substr(300) + "\n"}, "[p] ", 16) == "[p] " + line + "\n");
}

TEST_CASE("prefix_lines stops right after a newline when asked", "[output_relay]") {
    char buffer[64];
    std::size_t filled = 0;
    bool at_line_start = false;
    std::size_t used = initd::relay::prefix_lines("end of a\nnext\n", "> ", buffer, filled, at_line_start, true);
    CHECK(used == 9);
    CHECK(std::string(buffer, filled) == "end of a\n");
    CHECK(at_line_start);
}

TEST_CASE("a file target gets stdout and stderr in order, appended, mode 0600", "[output_relay]") {
    std::string path = temp_path("merged.log");
    int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
    put(fd, "before\n");
    close(fd);
    auto prefix = GENERATE(std::string(), std::string("app:blue"));
    auto relay = std::make_unique<OutputRelay>();
    Text why;
    REQUIRE(relay->open_file(path.c_str(), prefix, why));
    int pid = run_child(*relay, "echo 1; echo 2 >&2; echo 3; printf 4 >&2; echo 5");
    reap(pid);
    relay->drain_at_exit();
    std::string p = prefix.empty() ? "" : "\x1b[34;1mapp\x1b[0m";
    CHECK(slurp(path) == "before\n" + p + "1\n" + p + "2\n" + p + "3\n" + p + "45\n");
    unlink(path.c_str());
}

TEST_CASE("a new file is created with mode 0600", "[output_relay]") {
    std::string path = temp_path("new.log");
    mode_t old = umask(0);
    auto relay = std::make_unique<OutputRelay>();
    Text why;
    REQUIRE(relay->open_file(path.c_str(), "", why));
    umask(old);
    struct stat st {};
    REQUIRE(stat(path.c_str(), &st) == 0);
    CHECK((st.st_mode & 07777) == 0600);
}

TEST_CASE("a file that cannot be opened is one line naming it", "[output_relay]") {
    auto relay = std::make_unique<OutputRelay>();
    Text why;
    CHECK_FALSE(relay->open_file("/nonexistent-dir/x.log", "", why));
    CHECK(why.view() == "--io /nonexistent-dir/x.log: No such file or directory");
}

TEST_CASE("the relay wakes initd with SIGIO and copies a large output whole", "[output_relay]") {
    SigioBlocked sigio;
    std::string path = temp_path("large.log");
    auto prefix = GENERATE(std::string(), std::string("p:"));
    auto relay = std::make_unique<OutputRelay>();
    Text why;
    REQUIRE(relay->open_file(path.c_str(), prefix, why));
    // 3 MB: more than the pipe holds, so the child waits for the relay.
    int pid = run_child(*relay, "yes \"$(printf '%099d' 0 | tr 0 a)\" | head -n 31457");
    // Woken by SIGIO, until the child is gone (the timeout only notices its exit).
    while (waitpid(pid, nullptr, WNOHANG) == 0) {
        sigio.wait(100);
        relay->on_io();
    }
    relay->drain_at_exit();
    std::string line = prefix.substr(0, prefix.find(':')) + std::string(99, 'a') + "\n", expected;
    for (int i = 0; i < 31457; ++i) expected += line;
    std::string out = slurp(path);
    CHECK(out.size() == expected.size());
    CHECK(out == expected);
}

TEST_CASE("rotation happens after the line that was open, never inside one", "[output_relay]") {
    std::string path = temp_path("rotated.log");
    auto prefix = GENERATE(std::string(), std::string("p"));
    auto relay = std::make_unique<OutputRelay>();
    Text why;
    REQUIRE(relay->open_file(path.c_str(), prefix, why));
    struct Seen {
        std::string path, at_rotation;
        int calls = 0;
    } seen{path, {}, 0};
    auto rotate = [](void* ctx) {
        auto& s = *static_cast<Seen*>(ctx);
        s.at_rotation = slurp(s.path);
        ++s.calls;
        return truncate(s.path.c_str(), 0) == 0;
    };
    int child = relay->child_output_fd();
    put(child, "first\nsec");
    relay->on_io();
    relay->request_rotation(rotate, &seen);
    CHECK(seen.calls == 0);  // "sec" is a line still open
    put(child, "ond\nthird\n");
    relay->on_io();
    CHECK(seen.calls == 1);
    CHECK(seen.at_rotation == prefix + "first\n" + prefix + "second\n");
    CHECK(slurp(path) == prefix + "third\n");

    SECTION("idle at a line boundary: at once") {
        relay->request_rotation(rotate, &seen);
        CHECK(seen.calls == 2);
        CHECK(seen.at_rotation == prefix + "third\n");
        put(child, "fourth\n");
        relay->on_io();
        CHECK(slurp(path) == prefix + "fourth\n");
    }
}

TEST_CASE("a stdout pipe nobody reads stops the child and never the relay", "[output_relay]") {
    SigioBlocked sigio;
    int target[2];
    REQUIRE(pipe2(target, O_CLOEXEC) == 0);
    auto relay = std::make_unique<OutputRelay>();
    Text why;
    capture::with_fd(STDOUT_FILENO, target[1], [&] { REQUIRE(relay->open_stdout("", why)); });
    close(target[1]);
    fcntl(target[0], F_SETFL, O_NONBLOCK);
    constexpr std::size_t total = 4 << 20;  // past both pipes
    int pid = run_child(*relay, "head -c 4194304 /dev/zero");
    std::size_t got = 0;
    char buffer[65536];
    // Nobody reads for a while: every on_io returns (the test would hang otherwise).
    for (int i = 0; i < 3 && sigio.wait(200); ++i) relay->on_io();
    CHECK(waitpid(pid, nullptr, WNOHANG) == 0);  // blocked in write
    while (got < total) {
        ssize_t n;
        while ((n = read(target[0], buffer, sizeof buffer)) > 0) got += static_cast<std::size_t>(n);
        if (got == total) break;
        REQUIRE(sigio.wait());  // from the target once it has room, or from the child
        relay->on_io();
    }
    CHECK(got == total);
    reap(pid);
    close(target[0]);
}
