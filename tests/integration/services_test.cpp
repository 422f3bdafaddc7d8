// README "Several services": runit's service directories supervised by initd, checked
// with Debian's real `sv` (package runit), start-up and shutdown scripts, and the order
// of a shutdown. A baseimage-style layout: two start-up scripts, three services (one
// with log/run, one with ./down), a main command.
#include <catch2/catch.hpp>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <fstream>
#include <string>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

#include "harness.hpp"

using namespace harness;

namespace {

struct Layout {
    std::string root;
    std::string order() const { return root + "/order"; }
    std::string service(const std::string& name) const { return root + "/service/" + name; }

    Layout() {
        char path[] = "/tmp/initd-services-XXXXXX";
        REQUIRE(mkdtemp(path));
        root = path;
        chmod(root.c_str(), 0755);
        for (const char* dir : {"/startup", "/pre", "/post", "/service", "/service/a", "/service/a/log", "/service/b",
                                "/service/c"})
            REQUIRE(mkdir((root + dir).c_str(), 0755) == 0);
        std::string o = order();
        script("/startup/10-first", "echo startup-1 >> " + o);
        script("/startup/20-second", "echo startup-2 >> " + o);
        // A service that says when it starts and when it gets TERM (wait, unlike a
        // foreground sleep, lets the trap run at once).
        for (std::string name : {"a", "b", "c"})
            script("/service/" + name + "/run", "trap 'echo " + name + "-term >> " + o + "; exit 0' TERM\n"
                   "echo " + name + "-run >> " + o + "\necho " + name + "-out $$\nsleep 1000 & wait");
        script("/service/a/log/run", "exec cat >> " + root + "/a.log");
        std::ofstream(root + "/service/c/down");
        // The shutdown scripts look at the services through sv.
        script("/pre/10-pre", "echo pre >> " + o + "\nsv status " + service("a") + " | cut -d: -f1 >> " + o);
        script("/post/10-post", "echo post >> " + o + "\nsv status " + service("a") + " | cut -d: -f1 >> " + o);
    }
    ~Layout() { std::system(("rm -rf " + root).c_str()); }

    void script(const std::string& path, const std::string& body) const {
        std::ofstream(root + path) << "#!/bin/sh\n" << body << "\n";
        chmod((root + path).c_str(), 0755);
    }
    std::vector<std::string> options() const {
        return {"--startup", root + "/startup", "--services", root + "/service", "--pre-shutdown", root + "/pre",
                "--post-shutdown", root + "/post"};
    }
};

void require_sv() {
    if (access("/usr/bin/sv", X_OK) != 0) FAIL("Debian's sv is needed (apt-get install runit)");
}

// Debian's sv, its output (stdout and stderr) as one string.
std::string sv(const std::string& args) {
    std::string command = "SVDIR=/nonexistent sv " + args + " 2>&1";
    std::string out;
    FILE* p = popen(command.c_str(), "r");
    char buffer[256];
    while (p && fgets(buffer, sizeof buffer, p)) out += buffer;
    if (p) pclose(p);
    return out;
}

// Polls (the state of a service changes in its own time) until `done` or 10 s pass.
template <typename Done>
bool eventually(Done done) {
    for (int i = 0; i < 500; ++i) {
        if (done()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
}

std::string file(const std::string& path) { return read_file(path).value_or(""); }
int open_output(const std::string& path) { return open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644); }
bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("services: started after the start-up scripts, down ones left down, sv sees them", "[services]") {
    require_sv();
    Layout l;
    Launch launch = initd_launch(Mode::subreaper, l.options());
    Process initd(launch);
    REQUIRE(eventually([&] { return has(sv("status " + l.service("a")), "run: ") && has(file(l.order()), "b-run"); }));
    auto order = lines_of(file(l.order()));
    REQUIRE(order.size() >= 2);
    CHECK(order[0] == "startup-1");
    CHECK(order[1] == "startup-2");
    CHECK_FALSE(has(file(l.order()), "c-run"));
    CHECK(has(sv("status " + l.service("c")), "down: " + l.service("c") + ": "));
    std::string a = sv("status " + l.service("a"));
    INFO(a);
    CHECK(has(a, "run: " + l.service("a") + ": (pid "));
    CHECK(has(a, "; run: log: (pid "));
    CHECK(has(sv("check " + l.service("a")), "ok: run: "));
    // Without a main command, initd runs until SIGTERM: the services stop, exit 0.
    initd.signal(SIGTERM);
    CHECK(initd.wait() == 0);
    CHECK(has(file(l.order()), "a-term"));
    CHECK(has(file(l.order()), "b-term"));
}

TEST_CASE("services: a killed service is started again with a new pid, its logger kept and fed", "[services]") {
    require_sv();
    Layout l;
    Process initd(initd_launch(Mode::subreaper, l.options()));
    std::string pid_file = l.service("a") + "/supervise/pid";
    std::string log_pid_file = l.service("a") + "/log/supervise/pid";
    REQUIRE(eventually([&] { return !file(pid_file).empty() && !file(log_pid_file).empty(); }));
    std::string first = file(pid_file), logger = file(log_pid_file);
    REQUIRE(kill(std::stoi(first), SIGKILL) == 0);
    REQUIRE(eventually([&] { return !file(pid_file).empty() && file(pid_file) != first; }));
    CHECK(file(log_pid_file) == logger);
    // Both runs wrote to the same logger, through the pipe initd holds.
    REQUIRE(eventually([&] { return lines_of(file(l.root + "/a.log")).size() == 2; }));
    auto logged = lines_of(file(l.root + "/a.log"));
    CHECK(logged[0] == "a-out " + std::to_string(std::stoi(first)));
    CHECK(logged[1] == "a-out " + std::to_string(std::stoi(file(pid_file))));
    initd.signal(SIGTERM);
    CHECK(initd.wait() == 0);
}

TEST_CASE("services: Debian's sv down, up, once, term, kill, hup, -w stop, restart", "[services]") {
    require_sv();
    Layout l;
    Process initd(initd_launch(Mode::subreaper, l.options()));
    std::string b = l.service("b"), c = l.service("c");
    REQUIRE(eventually([&] { return has(sv("status " + b), "run: "); }));

    CHECK(has(sv("-w 5 down " + b), "ok: down: " + b + ": "));
    CHECK(has(sv("status " + b), ", normally up"));
    CHECK(has(sv("-w 5 up " + b), "ok: run: " + b + ": "));
    CHECK(has(sv("-w 5 up " + c), "ok: run: " + c + ": "));
    CHECK(has(sv("status " + c), ", normally down"));
    CHECK(has(sv("-w 5 stop " + c), "ok: down: " + c));

    // once: runs now, not again after it ends.
    // (not with -w: sv takes a status from the same second as its start for done)
    sv("once " + c);
    REQUIRE(eventually([&] { return !file(c + "/supervise/pid").empty(); }));  // written after status
    std::string pid = file(c + "/supervise/pid");
    REQUIRE(kill(std::stoi(pid), SIGKILL) == 0);
    REQUIRE(eventually([&] { return has(sv("status " + c), "down: "); }));

    // term / kill / hup: the service ends and, wanted up, comes back with a new pid.
    for (const char* command : {"term", "kill", "hup"}) {
        INFO(command);
        std::string before = file(b + "/supervise/pid");
        sv(std::string(command) + " " + b);
        REQUIRE(eventually([&] { return !file(b + "/supervise/pid").empty() && file(b + "/supervise/pid") != before; }));
    }
    std::string before = file(b + "/supervise/pid");
    CHECK(has(sv("-w 5 restart " + b), "ok: run: " + b));
    // (sv -w counts a status of the same second as done: the new pid may come just after)
    CHECK(eventually([&] { return !file(b + "/supervise/pid").empty() && file(b + "/supervise/pid") != before; }));
    initd.signal(SIGTERM);
    CHECK(initd.wait() == 0);
}

TEST_CASE("services: sv status of a service in finish, and of one whose run cannot be executed", "[services]") {
    require_sv();
    Layout l;
    // d's run ends at once; its finish holds on until the test lets it go.
    REQUIRE(mkdir(l.service("d").c_str(), 0755) == 0);
    REQUIRE(mkfifo((l.root + "/release").c_str(), 0600) == 0);
    l.script("/service/d/run", "exit 3");
    l.script("/service/d/finish", "echo \"finish $1 $2\" >> " + l.root + "/finish.log\nread x < " + l.root + "/release");
    REQUIRE(mkdir(l.service("e").c_str(), 0755) == 0);
    l.script("/service/e/run", "exit 0");
    std::ofstream(l.root + "/service/e/run") << "#!/nonexistent/interpreter\n";
    Process initd(initd_launch(Mode::subreaper, l.options()));
    REQUIRE(eventually([&] { return has(sv("status " + l.service("d")), "finish: "); }));
    // "finish" is published when ./finish starts, maybe before it has written its line.
    CHECK(eventually([&] { return file(l.root + "/finish.log") == "finish 3 0\n"; }));
    REQUIRE(eventually([&] { return has(sv("status " + l.service("e")), "down: "); }));
    CHECK(has(sv("status " + l.service("e")), ", want up"));
    std::ofstream(l.root + "/release") << "go\n";
    initd.signal(SIGTERM);
    CHECK(initd.wait() == 0);
    CHECK(has(initd.err(), "e/run: cannot execute: "));
}

TEST_CASE("services: shutdown order with a main command, as PID 1 and as subreaper", "[services]") {
    require_sv();
    Mode mode = GENERATE(Mode::pid1, Mode::subreaper);
    INFO(mode_name(mode));
    Layout l;
    // The main command waits until both services have said they run, then ends with 3.
    std::string wait_for = "for i in $(seq 400); do grep -q b-run " + l.order() + " && grep -q a-run " + l.order() +
                           " && break; sleep 0.05; done";
    Launch launch = initd_launch(mode, l.options(), {"/bin/sh", "-c", wait_for + "; echo main-end >> " + l.order() + "; exit 3"});
    auto r = run(launch);
    INFO(r.err);
    CHECK(r.code == 3);
    auto order = lines_of(file(l.order()));
    INFO(file(l.order()));
    // startup-1 startup-2, the services' starts, main-end, pre (services still run),
    // the services' TERM, post (they are down).
    auto at = [&](const std::string& line) {
        for (std::size_t i = 0; i < order.size(); ++i)
            if (order[i] == line) return static_cast<int>(i);
        return -1;
    };
    CHECK(at("startup-1") == 0);
    CHECK(at("startup-2") == 1);
    CHECK(at("a-run") > 1);
    CHECK(at("main-end") > at("a-run"));
    CHECK(at("main-end") > at("b-run"));
    REQUIRE(at("pre") > at("main-end"));
    CHECK(order[static_cast<std::size_t>(at("pre")) + 1] == "run");
    CHECK(at("a-term") > at("pre"));
    CHECK(at("b-term") > at("pre"));
    REQUIRE(at("post") > at("a-term"));
    CHECK(at("post") > at("b-term"));
    CHECK(order[static_cast<std::size_t>(at("post")) + 1] == "down");
    CHECK(at("c-run") == -1);
}

TEST_CASE("services: a failing start-up script stops initd with 1 before anything else starts", "[services]") {
    Layout l;
    l.script("/startup/15-fails", "exit 4");
    auto r = run(initd_launch(Mode::subreaper, l.options(), {"/bin/sh", "-c", "echo main >> " + l.order()}));
    CHECK(r.code == 1);
    CHECK(file(l.order()) == "startup-1\n");
    CHECK(has(r.err, "15-fails failed with status 4"));
}

TEST_CASE("services: SIGTERM during start-up ends the script and initd, with 128+15", "[services]") {
    Layout l;
    REQUIRE(mkfifo((l.root + "/ready").c_str(), 0600) == 0);
    l.script("/startup/15-slow", "trap 'echo slow-term >> " + l.order() + "; exit 0' TERM\necho > " + l.root +
                                     "/ready\nsleep 1000 & wait");
    Process initd(initd_launch(Mode::subreaper, l.options(), {"/bin/sh", "-c", "echo main >> " + l.order()}));
    REQUIRE(read_file(l.root + "/ready"));  // blocks until the script is running
    initd.signal(SIGTERM);
    CHECK(initd.wait() == 128 + SIGTERM);
    CHECK(file(l.order()) == "startup-1\nslow-term\n");
}

TEST_CASE("services: other signals go to every running service when there is no main command", "[services]") {
    require_sv();
    Layout l;
    for (std::string name : {"a", "b"})
        l.script("/service/" + name + "/run", "trap 'echo " + name + "-usr1 >> " + l.order() + "' USR1\necho " + name +
                                                 "-run >> " + l.order() + "\nwhile :; do sleep 1000 & wait; done");
    Process initd(initd_launch(Mode::subreaper, l.options()));
    REQUIRE(eventually([&] { return has(file(l.order()), "a-run") && has(file(l.order()), "b-run"); }));
    initd.signal(SIGUSR1);
    REQUIRE(eventually([&] { return has(file(l.order()), "a-usr1") && has(file(l.order()), "b-usr1"); }));
    initd.signal(SIGTERM);
    CHECK(initd.wait() == 0);
}

TEST_CASE("services: a service directory added later is started without a restart of initd", "[services]") {
    require_sv();
    Layout l;
    Process initd(initd_launch(Mode::subreaper, l.options()));
    REQUIRE(eventually([&] { return has(file(l.order()), "b-run"); }));
    // runit's advice: make the directory elsewhere, then move it in.
    REQUIRE(mkdir((l.root + "/new").c_str(), 0755) == 0);
    l.script("/new/run", "echo new-run >> " + l.order() + "\nsleep 1000 & wait");
    REQUIRE(rename((l.root + "/new").c_str(), l.service("new").c_str()) == 0);
    REQUIRE(eventually([&] { return has(file(l.order()), "new-run"); }));
    CHECK(has(sv("status " + l.service("new")), "run: "));
    // And removed: stopped.
    std::string pid = file(l.service("new") + "/supervise/pid");
    REQUIRE(rename(l.service("new").c_str(), (l.root + "/gone").c_str()) == 0);
    REQUIRE(eventually([&] { return kill(std::stoi(pid), 0) != 0; }));
    initd.signal(SIGTERM);
    CHECK(initd.wait() == 0);
}

TEST_CASE("services: initd makes no wake-ups while its services idle, and sv wakes it once per command", "[services]") {
    require_sv();
    bool prefix = GENERATE(false, true);
    INFO("--prefix-services " << prefix);
    Layout l;
    auto options = l.options();
    if (prefix) options.insert(options.begin(), "--prefix-services");
    Launch launch = initd_launch(Mode::subreaper, options);
    launch.stdout_fd = open_output(l.root + "/out");
    Process initd(launch);
    close(launch.stdout_fd);
    // (b's line through initd's pipe, with the option: that wake-up is before the count)
    REQUIRE(eventually([&] {
        return has(sv("status " + l.service("a")), "run: ") && has(file(l.root + "/out"), prefix ? "b: b-out" : "b-out");
    }));
    std::string status = "/proc/" + std::to_string(initd.pid()) + "/status";
    auto switches = [&] {
        std::string s = file(status);
        auto at = s.find("voluntary_ctxt_switches:");
        REQUIRE(at != std::string::npos);
        return std::stol(s.substr(at + 24));
    };
    long before = switches();
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));  // idle time is what is measured
    CHECK(switches() == before);
    sv("hup " + l.service("c"));  // c is down: nothing to signal, one wake-up to read the command
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    long after = switches();
    CHECK(after - before >= 1);
    CHECK(after - before <= 3);
    initd.signal(SIGTERM);
    CHECK(initd.wait() == 0);
}

TEST_CASE("services: during start-up a signal rewritten to 0 is dropped, not sent as it came", "[services]") {
    Layout l;
    REQUIRE(mkfifo((l.root + "/ready").c_str(), 0600) == 0);
    l.script("/startup/15-slow", "trap 'echo slow-hup >> " + l.order() + "' HUP\ntrap 'echo slow-term >> " + l.order() +
                                     "; exit 0' TERM\necho > " + l.root + "/ready\nwhile :; do sleep 1000 & wait; done");
    auto options = l.options();
    options.insert(options.begin(), {"--rewrite", "HUP:0"});
    Process initd(initd_launch(Mode::subreaper, options, {"/bin/true"}));
    REQUIRE(read_file(l.root + "/ready"));  // blocks until the script is running
    initd.signal(SIGHUP);
    initd.signal(SIGTERM);
    CHECK(initd.wait() == 128 + SIGTERM);
    CHECK(file(l.order()) == "startup-1\nslow-term\n");
}

// --prefix-services: b and d (no logger) write to initd's stdout through a pipe initd
// holds, stdout and stderr merged, each line behind "NAME: "; a's stdout is its logger's.
TEST_CASE("services: --prefix-services tags each line of a service without a logger, across restarts", "[services]") {
    require_sv();
    Layout l;
    REQUIRE(mkdir(l.service("d").c_str(), 0755) == 0);
    for (std::string name : {"b", "d"})
        l.script("/service/" + name + "/run", "trap 'echo " + name + "-bye; exit 0' TERM\necho " + name + "-out $$\n"
                 "echo " + name + "-err $$ >&2\nsleep 1000 & wait");
    l.script("/service/a/run", "trap 'exit 0' TERM\necho a-out $$\nsleep 1000 & wait");
    std::string out = l.root + "/out";
    auto options = l.options();
    options.insert(options.begin(), "--prefix-services");
    Launch launch = initd_launch(Mode::subreaper, options);
    launch.stdout_fd = open_output(out);
    Process initd(launch);
    close(launch.stdout_fd);
    auto pid_of = [&](const std::string& name) { return file(l.service(name) + "/supervise/pid"); };
    auto said = [&](const std::string& name, const std::string& what, const std::string& pid) {
        std::string line = name + ": " + name + "-" + what + " " + std::to_string(std::stoi(pid)) + "\n";
        return has(file(out), line);
    };
    REQUIRE(eventually([&] { return !pid_of("b").empty() && !pid_of("d").empty(); }));
    std::string b = pid_of("b"), d = pid_of("d");
    REQUIRE(eventually([&] { return said("b", "out", b) && said("b", "err", b) && said("d", "out", d) && said("d", "err", d); }));
    REQUIRE(eventually([&] { return has(file(l.root + "/a.log"), "a-out"); }));
    CHECK_FALSE(has(file(out), "a-out"));

    // Killed, and restarted by sv: the same pipe, still tagged.
    REQUIRE(kill(std::stoi(b), SIGKILL) == 0);
    REQUIRE(eventually([&] { return !pid_of("b").empty() && pid_of("b") != b; }));
    b = pid_of("b");
    sv("restart " + l.service("d"));
    REQUIRE(eventually([&] { return !pid_of("d").empty() && pid_of("d") != d; }));
    d = pid_of("d");
    CHECK(eventually([&] { return said("b", "out", b) && said("b", "err", b) && said("d", "out", d) && said("d", "err", d); }));

    // What they say while stopping is out before initd exits.
    initd.signal(SIGTERM);
    CHECK(initd.wait() == 0);
    std::string all = file(out);
    INFO(all);
    CHECK(has(all, "b: b-bye\n"));
    CHECK(has(all, "d: d-bye\n"));
    for (const std::string& line : lines_of(all)) CHECK((line.rfind("b: b-", 0) == 0 || line.rfind("d: d-", 0) == 0));
    CHECK(initd.err().find("-err") == std::string::npos);
}

TEST_CASE("services: without --prefix-services a service writes to initd's stdout and stderr as they are", "[services]") {
    require_sv();
    Layout l;
    l.script("/service/b/run", "echo b-out\necho b-err >&2\necho b-run >> " + l.order() + "\nsleep 1000 & wait");
    Process initd(initd_launch(Mode::subreaper, l.options()));
    REQUIRE(eventually([&] { return has(file(l.order()), "b-run"); }));
    initd.signal(SIGTERM);
    CHECK(initd.wait() == 0);
    CHECK(has(initd.out(), "b-out\n"));
    CHECK_FALSE(has(initd.out(), "b: "));
    CHECK(has(initd.err(), "b-err\n"));
}
