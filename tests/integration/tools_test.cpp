// README "setuser" and "sv and chpst": initd called as sv, chpst or setuser, side by side
// with Debian's runit (sv against real runsv processes, chpst) on the same inputs.
#include <catch2/catch.hpp>

#include <cerrno>
#include <fcntl.h>
#include <fstream>
#include <memory>
#include <regex>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.hpp"

using namespace harness;

namespace {

void require_runit() {
    for (const char* tool : {"/usr/bin/sv", "/usr/bin/runsv", "/usr/bin/chpst"})
        if (access(tool, X_OK) != 0)
            FAIL(tool << " is missing: these tests compare initd with Debian's runit (apt-get install runit)");
}

void write_script(const std::string& path, const std::string& body) {
    std::ofstream(path) << "#!/bin/sh\n" << body << "\n";
    REQUIRE(chmod(path.c_str(), 0755) == 0);
}

// The same words run by Debian's tool (`real`) and by initd under that tool's name.
Result run_tool(const std::string& real, const std::string& name, std::vector<std::string> args,
                std::vector<std::string> env = {}, bool initd = true) {
    Launch l = initd_launch(Mode::subreaper, std::move(args), {}, name);
    if (!initd) l.program = real;
    l.extra_env = std::move(env);
    return run(l);
}

void same(const Result& debian, const Result& ours) {
    CHECK(ours.out == debian.out);
    CHECK(ours.err == debian.err);
    CHECK(ours.code == debian.code);
}

// A service directory "a" (with a logger), "b" (with a down file), "c" (deaf to SIGTERM)
// under runsv each, and "dead", whose supervise/ok FIFO no supervisor holds.
struct Services {
    std::string dir;
    std::vector<std::unique_ptr<Process>> runsv;
    Services() {
        char name[] = "/tmp/initd-sv-XXXXXX";
        REQUIRE(mkdtemp(name));
        dir = name;
        for (const char* d : {"/a", "/a/log", "/b", "/c", "/dead", "/dead/supervise"})
            REQUIRE(mkdir((dir + d).c_str(), 0755) == 0);
        for (const char* run : {"/a/run", "/a/log/run", "/b/run"}) write_script(dir + run, "exec sleep 1000");
        write_script(dir + "/c/run", "trap '' TERM; exec sleep 1000");
        std::ofstream(dir + "/b/down");
        REQUIRE(mkfifo((dir + "/dead/supervise/ok").c_str(), 0600) == 0);
        for (const char* s : {"a", "b", "c"}) {
            Launch l;
            l.program = "/usr/bin/runsv";
            l.argv = {"runsv", dir + "/" + s};
            runsv.push_back(std::make_unique<Process>(l));
        }
        // runsv is ready once `sv status` shows both a and its logger running, and b down.
        auto start = Clock::now();
        for (;;) {
            auto r = sv({"status", "a", "b", "c"}, false);
            if (r.out.find("run: a: (pid") == 0 && r.out.find("run: log: (pid") != r.out.npos &&
                r.out.find("down: b:") != r.out.npos && r.out.find("run: c: (pid") != r.out.npos)
                break;
            REQUIRE(ms_since(start) < 10000);
            usleep(20000);
        }
    }
    ~Services() {
        for (auto& p : runsv) p->kill_all();
        std::string rm = "rm -rf " + dir;
        CHECK(system(rm.c_str()) == 0);
    }
    Result sv(std::vector<std::string> args, bool initd = true) const {
        return run_tool("/usr/bin/sv", "sv", std::move(args), {"SVDIR=" + dir}, initd);
    }
    // Waits until Debian's sv sees `word` ("run: a:", "down: a:") in a's status, and
    // runsv is not about to change it: a service that ran for less than a second is
    // restarted after a pause, in which runsv reads no command.
    void settle(const std::string& word, const std::string& service = "a") const {
        auto start = Clock::now();
        for (;;) {
            std::string out = sv({"status", service}, false).out;
            if (out.find(word) == 0 && out.find(") 0s") == out.npos && out.find("want up;") == out.npos &&
                (service == "a" || out.find("want down") == out.npos))
                break;
            REQUIRE(ms_since(start) < 10000);
            usleep(50000);
        }
    }
};

// Pids and seconds differ between two runs that restart a service; the words must not.
std::string without_numbers(const std::string& text) {
    return std::regex_replace(std::regex_replace(text, std::regex("pid [0-9]+"), "pid N"), std::regex("[0-9]+s"), "Ns");
}

}  // namespace

TEST_CASE("sv: status, errors and usage are Debian's sv's, byte for byte", "[tools][sv]") {
    require_runit();
    Services s;
    std::string abs = s.dir + "/a";
    for (std::vector<std::string> args : std::vector<std::vector<std::string>>{
             {"status", "a"}, {"status", "b"}, {"status", "a", "b", "missing"}, {"status", abs}, {"status", abs + "/"},
             {"status", "./missing"}, {"status", "dead"}, {"up", "dead"}, {"exit", "dead"}, {"-v", "exit", "dead"},
             {"check", "a", "b"}, {"-v", "hup", "missing"}, {"bogus", "a"}, {"status"}, {"-z", "status", "a"},
             {"-w"}, {"s", "a"}, {"hup", s.dir + "/dead"}}) {
        INFO("sv " << Catch::Detail::stringify(args));
        same(s.sv(args, false), s.sv(args));
    }
}

TEST_CASE("sv: commands take effect on runsv, with Debian's sv's words and exit codes", "[tools][sv]") {
    require_runit();
    Services s;
    struct Step {
        std::vector<std::string> args;
        std::string then;  // a's state once it has taken effect
    };
    // Each step runs twice, Debian's sv then initd's, from the same state (`then` of the
    // step before); the second run must say what the first said.
    for (const Step& step : std::vector<Step>{
             {{"-v", "down", "a"}, "down: a:"}, {{"-v", "up", "a"}, "run: a:"},
             {{"-v", "term", "a"}, "run: a:"},
             {{"-v", "kill", "a"}, "run: a:"}, {{"-w", "5", "stop", "a"}, "down: a:"},
             {{"start", "a"}, "run: a:"}, {{"restart", "a"}, "run: a:"}, {{"-v", "pause", "a"}, "run: a:"},
             {{"-v", "cont", "a"}, "run: a:"}, {{"check", "a"}, "run: a:"},
             {{"-v", "up", "a", "b"}, "run: a:"}, {{"-w", "1", "down", "b"}, "run: a:"},
             {{"-v", "once", "a"}, "run: a:"}}) {  // last: sv reads want before runsv has handled "u"
        INFO("sv " << Catch::Detail::stringify(step.args));
        auto debian = s.sv(step.args, false);
        INFO("Debian's sv said: " << debian.out << debian.err);
        s.settle(step.then);
        if (step.args.back() == "b") s.sv({"-w", "5", "up", "b"}, false);  // b back to where the other run found it
        auto ours = s.sv(step.args);
        s.settle(step.then);
        CHECK(without_numbers(ours.out) == without_numbers(debian.out));
        CHECK(ours.err == debian.err);
        CHECK(ours.code == debian.code);
        CHECK(ours.out.find("ok: ") == 0);
    }
    // Commands sv cannot wait out, c being deaf to TERM: the timeout line and exit 1, or
    // with force-stop the kill line and a SIGKILL, as Debian's.
    for (const char* command : {"down", "force-stop"}) {
        INFO(command);
        // sv up answers before runsv has read the "u": each run must find c wanted up.
        s.sv({"-w", "5", "up", "c"}, false);
        s.settle("run: c:", "c");
        auto debian = s.sv({"-w", "1", command, "c"}, false);
        s.sv({"-w", "5", "up", "c"}, false);
        s.settle("run: c:", "c");
        auto ours = s.sv({"-w", "1", command, "c"});
        CHECK(debian.out.find(*command == 'd' ? "timeout: run: c: (pid" : "kill: run: c: (pid") == 0);
        CHECK(without_numbers(ours.out) == without_numbers(debian.out));
        CHECK(ours.err == debian.err);
        CHECK(ours.code == debian.code);
        CHECK(ours.code == 1);
    }
    auto start = Clock::now();  // the kill line's SIGKILL took c down
    while (s.sv({"status", "c"}, false).out.find("down: c:") != 0) {
        REQUIRE(ms_since(start) < 10000);
        usleep(50000);
    }
}

TEST_CASE("chpst: -u, -U, -e, -/, limits and its errors are Debian's chpst's", "[tools][chpst]") {
    require_runit();
    require_root("chpst -u switches users");
    char name[] = "/tmp/initd-chpst-XXXXXX";
    REQUIRE(mkdtemp(name));
    std::string dir = name;
    REQUIRE(mkdir((dir + "/env").c_str(), 0755) == 0);
    REQUIRE(mkdir((dir + "/env/SUBDIR").c_str(), 0755) == 0);
    std::ofstream(dir + "/env/A") << "first line \t \nsecond line\n";
    std::ofstream(dir + "/env/EMPTY_LINE") << "\n";
    std::ofstream(dir + "/env/REMOVED");  // empty file: the variable goes
    std::ofstream(dir + "/env/.hidden") << "x";
    std::ofstream(dir + "/env/NUL") << std::string("a\0b", 3);
    std::string env = dir + "/env";
    for (std::vector<std::string> args : std::vector<std::vector<std::string>>{
             {"-e", env, "/usr/bin/env"}, {"-v", "-e", env, "/bin/true"}, {"-e", dir + "/none", "true"},
             {"-u", "nobody", "id"}, {"-u", "nobody:nogroup", "id"}, {"-u", ":1:2:3", "id"}, {"-u", ":1", "id"},
             {"-u", "65534", "id"}, {"-u", "nosuchuser", "id"}, {"-U", "nobody", "/usr/bin/env"},
             {"-U", "nobody", "-u", "daemon", "/usr/bin/env"}, {"-/", dir + "/none", "true"},
             {"-o", "7", "sh", "-c", "ulimit -n"}, {"-m", "x", "true"}, {"-z"}, {"-u"}, {"nosuchcommand"},
             {"-b", "renamed", "sh", "-c", "echo $0"}, {"-2", "sh", "-c", "echo to-stderr >&2"},
             {"-n", "3", "sh", "-c", "nice"}, {"-n", "-2", "sh", "-c", "nice"},
             {"-L", dir + "/lock", "sh", "-c", "/usr/bin/chpst -L " + dir + "/lock true; echo $?"},
             {"-l", dir + "/lock", "-L", dir + "/lock", "true"}, {"-L", dir + "/none/lock", "true"},
             {"-0", "-1", "sh", "-c", "echo gone; echo to-stderr >&2"}, {"-m", "100000000", "-t", "5", "-f", "7", "-p", "50",
             "sh", "-c", "ulimit -d -s -l -v -t -f -u"}, {"-c", "0", "-r", "1000", "sh", "-c", "ulimit -c -m"}, {"-P", "sh", "-c", "test $(ps -o sid= -p $$) -eq $$ && echo session leader"}}) {
        INFO("chpst " << Catch::Detail::stringify(args));
        auto debian = run_tool("/usr/bin/chpst", "chpst", args, {"REMOVED=yes"}, false);
        auto ours = run_tool("/usr/bin/chpst", "chpst", args, {"REMOVED=yes"});
        same(debian, ours);
    }
    std::string rm = "rm -rf " + dir;
    CHECK(system(rm.c_str()) == 0);
}

TEST_CASE("setuser: the user's ids and groups, USER HOME UID set, the rest kept, failures exit 1", "[tools][setuser]") {
    require_root("setuser switches users");
    Launch l = initd_launch(Mode::subreaper, {"nobody", "sh", "-c", "id; echo $USER $HOME $UID $KEEP"}, {}, "setuser");
    l.extra_env = {"KEEP=kept", "HOME=/root", "USER=root"};
    auto r = run(l);
    INFO(r.err);
    CHECK(r.code == 0);
    CHECK(r.out == "uid=65534(nobody) gid=65534(nogroup) groups=65534(nogroup)\nnobody /nonexistent 65534 kept\n");
    struct Case {
        std::vector<std::string> args;
        std::string err;
    };
    for (const Case& c : std::vector<Case>{
             {{"nosuchuser", "true"}, "setuser: user nosuchuser not found\n"},
             {{"65534", "true"}, "setuser: user 65534 not found\n"},
             {{"nobody", "/nonexistent/cmd"}, "setuser: cannot execute /nonexistent/cmd: [Errno 2] No such file or directory\n"},
             {{"nobody", "/etc/passwd"}, "setuser: cannot execute /etc/passwd: [Errno 13] Permission denied\n"},
             {{"nobody"}, "Usage: /sbin/setuser USERNAME COMMAND [args..]\n"}}) {
        INFO("setuser " << Catch::Detail::stringify(c.args));
        auto f = run(initd_launch(Mode::subreaper, c.args, {}, "setuser"));
        CHECK(f.code == 1);
        CHECK(f.err == c.err);
        CHECK(f.out.empty());
    }
}

TEST_CASE("sv: against initd's own services, initd as sv says what Debian's sv says", "[tools][sv]") {
    require_runit();
    char name[] = "/tmp/initd-sv-own-XXXXXX";
    REQUIRE(mkdtemp(name));
    std::string root = name, dir = root + "/service";
    for (const char* d : {"", "/a", "/a/log", "/b"}) REQUIRE(mkdir((dir + d).c_str(), 0755) == 0);
    write_script(dir + "/a/run", "exec sleep 1000");
    write_script(dir + "/a/log/run", "exec cat > /dev/null");
    write_script(dir + "/b/run", "exec sleep 1000");
    std::ofstream(dir + "/b/down");
    Process initd(initd_launch(Mode::subreaper, {"--services", dir}, {"sleep", "1000"}));
    std::vector<std::string> env = {"SVDIR=" + dir};
    auto sv = [&](std::vector<std::string> args, bool ours) { return run_tool("/usr/bin/sv", "sv", args, env, ours); };
    auto settled = [&](const std::string& word) {
        auto start = Clock::now();
        for (;;) {
            std::string out = sv({"status", "a"}, false).out;
            if (out.find(word) == 0 && out.find(") 0s") == out.npos && out.find("log: (pid") != out.npos) return;
            REQUIRE(ms_since(start) < 10000);
            usleep(50000);
        }
    };
    settled("run: a:");
    for (std::vector<std::string> args : std::vector<std::vector<std::string>>{
             {"status", "a", "b"}, {"check", "a", "b"}, {"status", "missing"}, {"-v", "cont", "a"}}) {
        INFO("sv " << Catch::Detail::stringify(args));
        same(sv(args, false), sv(args, true));
    }
    for (const char* command : {"down", "up"}) {
        INFO(command);
        auto debian = sv({"-v", command, "a"}, false);
        settled(*command == 'd' ? "down: a:" : "run: a:");
        auto ours = sv({"-v", command, "a"}, true);
        CHECK(without_numbers(ours.out) == without_numbers(debian.out));
        CHECK(ours.code == debian.code);
    }
    initd.kill_all();
    std::string rm = "rm -rf " + root;
    CHECK(system(rm.c_str()) == 0);
}
