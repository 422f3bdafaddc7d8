// README "Kubernetes": the termination message initd writes when the main child fails
// (--termination-log, INITD_TERMINATION_LOG), and OOM kills told apart from other
// SIGKILLs by the memory cgroup's counter (each test makes its own cgroup, so the
// counter starts at 0 as it does in a new container).
#include <catch2/catch.hpp>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.hpp"

using namespace harness;

namespace {

// An empty file, as the kubelet makes /dev/termination-log, in a fresh directory.
struct LogFile {
    std::string dir, path;
    explicit LogFile(bool create = true) {
        char tmpl[] = "/tmp/initd-termlog.XXXXXX";
        REQUIRE(mkdtemp(tmpl));
        dir = tmpl;
        path = dir + "/termination-log";
        if (create) std::ofstream(path).flush();
    }
    ~LogFile() {
        unlink(path.c_str());
        rmdir(dir.c_str());
    }
    std::optional<std::string> text() const { return read_file(path); }
};

// A memory cgroup of its own (v1, or v2 where the memory controller is delegated), with
// `limit` bytes (0: no limit) and no swap, removed afterwards. FAILs saying why when the
// host has none to offer.
struct MemoryCgroup {
    std::string dir;
    bool v1 = true;
    explicit MemoryCgroup(const std::string& limit) {
        require_root("making a memory cgroup");
        auto self = read_file("/proc/self/cgroup");
        REQUIRE(self);
        std::string parent;
        if (auto at = self->find(":memory:"); at != std::string::npos) {
            parent = "/sys/fs/cgroup/memory" + self->substr(at + 8, self->find('\n', at) - at - 8);
        } else if (self->rfind("0::", 0) == 0) {
            v1 = false;
            parent = "/sys/fs/cgroup" + self->substr(3, self->find('\n') - 3);
        }
        INFO("/proc/self/cgroup: " << *self);
        REQUIRE_FALSE(parent.empty());
        dir = parent + "/initd-test-" + std::to_string(getpid());
        INFO("cannot make the memory cgroup " << dir << ": " << std::strerror(errno));
        REQUIRE((mkdir(dir.c_str(), 0755) == 0 || errno == EEXIST));
        INFO("the memory controller is not available in " << dir);
        REQUIRE(access((dir + (v1 ? "/memory.oom_control" : "/memory.events")).c_str(), F_OK) == 0);
        if (v1) {
            write("memory.swappiness", "0");
            if (!limit.empty()) write("memory.limit_in_bytes", limit);
        } else {
            write("memory.swap.max", "0");
            if (!limit.empty()) write("memory.max", limit);
        }
    }
    ~MemoryCgroup() { rmdir(dir.c_str()); }
    void write(const std::string& file, const std::string& value) {
        std::ofstream out(dir + "/" + file);
        out << value;
        out.flush();
        INFO("writing " << value << " to " << dir << "/" << file);
        REQUIRE(out.good());
    }
    // `launch` started by a shell that first moves itself into this cgroup.
    Launch around(Launch launch) const {
        return under({"/bin/sh", "-c", "echo 0 > " + dir + "/cgroup.procs && exec \"$@\"", "sh"}, std::move(launch));
    }
};

}  // namespace

TEST_CASE("a child that exits 3 leaves 'exited with status 3' in the empty termination log", "[termination-log]") {
    Mode mode = GENERATE(Mode::pid1, Mode::subreaper);
    INFO(mode_name(mode));
    LogFile log;
    auto r = run(initd_launch(mode, {"--termination-log", log.path}, {helper("exit_with"), "3"}));
    CHECK(r.code == 3);
    CHECK(log.text() == "exited with status 3\n");
}

TEST_CASE("INITD_TERMINATION_LOG names the file, and --termination-log '' turns it off", "[termination-log]") {
    LogFile log;
    Launch l = initd_launch(Mode::subreaper, {}, {helper("exit_with"), "4"});
    l.extra_env.push_back("INITD_TERMINATION_LOG=" + log.path);
    CHECK(run(l).code == 4);
    CHECK(log.text() == "exited with status 4\n");

    LogFile off;
    Launch l2 = initd_launch(Mode::subreaper, {"--termination-log", ""}, {helper("exit_with"), "4"});
    l2.extra_env.push_back("INITD_TERMINATION_LOG=" + off.path);
    CHECK(run(l2).code == 4);
    CHECK(off.text() == "");
}

TEST_CASE("the termination log is left alone when the child succeeds, or the file has text, or is missing",
          "[termination-log]") {
    LogFile empty;
    CHECK(run(initd_launch(Mode::subreaper, {"--termination-log", empty.path}, {helper("exit_with"), "0"})).code == 0);
    CHECK(empty.text() == "");

    LogFile written;
    std::ofstream(written.path) << "the app's own reason\n";
    CHECK(run(initd_launch(Mode::subreaper, {"--termination-log", written.path}, {helper("exit_with"), "5"})).code == 5);
    CHECK(written.text() == "the app's own reason\n");

    LogFile missing(false);
    CHECK(run(initd_launch(Mode::subreaper, {"--termination-log", missing.path}, {helper("exit_with"), "5"})).code == 5);
    CHECK(access(missing.path.c_str(), F_OK) != 0);  // never created

    // -e 5 makes the status 0: the container succeeded, nothing to explain.
    LogFile expected;
    CHECK(run(initd_launch(Mode::subreaper, {"-e", "5", "--termination-log", expected.path}, {helper("exit_with"), "5"}))
              .code == 0);
    CHECK(expected.text() == "");
}

TEST_CASE("after restarts the termination log counts them", "[termination-log]") {
    LogFile log;
    auto r = run(initd_launch(Mode::subreaper,
                              {"--restart", "on-failure", "--restart-max", "2", "--termination-log", log.path},
                              {helper("exit_with"), "3"}));
    CHECK(r.code == 3);
    CHECK(log.text() == "exited with status 3 after 2 restarts\n");
}

TEST_CASE("a child killed by a signal: the termination log names it", "[termination-log]") {
    Mode mode = GENERATE(Mode::pid1, Mode::subreaper);
    INFO(mode_name(mode));
    LogFile log;
    auto r = run(initd_launch(mode, {"--termination-log", log.path}, {helper("exit_with"), "signal", "15"}));
    CHECK(r.code == 143);
    CHECK(log.text() == "exited with status 143: killed by SIGTERM\n");
}

TEST_CASE("a SIGKILL that is no OOM kill is not called one", "[termination-log][oom]") {
    MemoryCgroup cgroup("");
    LogFile log;
    auto r = run(cgroup.around(initd_launch(Mode::subreaper, {"--termination-log", log.path},
                                            {helper("exit_with"), "signal", "9"})));
    CHECK(r.code == 137);
    CHECK(log.text() == "exited with status 137: killed by SIGKILL\n");
    CHECK(r.err.find("OOM") == std::string::npos);
}

TEST_CASE("an OOM kill of the child is said in the log line and the termination log", "[termination-log][oom]") {
    Mode mode = GENERATE(Mode::pid1, Mode::subreaper);
    INFO(mode_name(mode));
    MemoryCgroup cgroup("16M");
    LogFile log;
    // tail keeps the whole of an endless line in memory: it grows until the OOM killer comes.
    auto r = run(cgroup.around(initd_launch(mode, {"--termination-log", log.path}, {"/usr/bin/tail", "/dev/zero"})), 60000);
    std::string limit = cgroup.v1 ? "memory.limit_in_bytes 16 MiB" : "memory.max 16 MiB";
    CHECK(r.code == 137);
    CHECK(log.text() == "exited with status 137: killed by SIGKILL (the kernel's OOM killer: " + limit + " reached)\n");
    CHECK(r.err.find("initd: child killed by SIGKILL: the kernel's OOM killer: " + limit + " reached\n") !=
          std::string::npos);
}

TEST_CASE("with -w, an orphan's OOM kill is said in its reap line", "[termination-log][oom]") {
    MemoryCgroup cgroup("16M");
    LogFile log;
    Launch l = cgroup.around(initd_launch(Mode::subreaper, {"-w", "--termination-log", log.path},
                                          {"/bin/sh", "-c", "(/usr/bin/tail /dev/zero &); exec /bin/sleep 100"}));
    Started s(l, true);
    std::string seen;
    INFO(seen);
    REQUIRE(s.err.wait_for("Reaped zombie process", seen, 60000));
    CHECK(seen.find("(exit code 137): the kernel's OOM killer: ") != std::string::npos);
    s.process.signal(SIGTERM);  // to sleep, the main child
    CHECK(s.process.wait() == 143);
    CHECK(log.text() == "exited with status 143: killed by SIGTERM\n");
}
