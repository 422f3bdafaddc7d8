// spawn: the vfork child reports what failed to initd instead of logging it, so
// initd logs the events in the order they happen (log_spawn).
#include <catch2/catch.hpp>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <string>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

#include "capture.hpp"
#include "initd/log.hpp"
#include "initd/sigmask.hpp"
#include "initd/spawn.hpp"

using capture::stderr_of;
using capture::with_fd;
using initd::ChildSetup;
using initd::SpawnResult;

namespace {

struct Spawned {
    SpawnResult result;
    std::string err;  // what initd's stderr got during the spawn: nothing, ever
    int status = -1;  // the child's exit status
};

// Spawns `command` with stdin on /dev/null (the child must not take this test's
// terminal), and reaps it.
Spawned spawn(std::vector<std::string> command, ChildSetup setup = {}) {
    std::vector<char*> argv;
    for (auto& a : command) argv.push_back(a.data());
    argv.push_back(nullptr);
    char* envp[] = {const_cast<char*>("PATH=/usr/bin:/bin"), nullptr};
    setup.command = argv.data();
    setup.environment = envp;
    Spawned s;
    initd::terminal::Foreground foreground;
    int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
    REQUIRE(null >= 0);
    with_fd(STDIN_FILENO, null, [&] { s.err = stderr_of([&] { s.result = initd::spawn_child(setup, foreground); }); });
    close(null);
    CHECK(foreground.handed_to == 0);  // not a terminal: nothing handed on
    REQUIRE(s.result.pid > 0);
    int status = 0;
    REQUIRE(waitpid(s.result.pid, &status, 0) == s.result.pid);
    REQUIRE(WIFEXITED(status));
    s.status = WEXITSTATUS(status);
    return s;
}

std::string temp_dir() {
    char dir[] = "/tmp/initd-spawn-test-XXXXXX";
    REQUIRE(mkdtemp(dir));
    return dir;
}

}  // namespace

TEST_CASE("spawn_child: a command that runs reports no failure", "[spawn]") {
    Spawned s = spawn({"true"});
    CHECK(s.result.failed_call == nullptr);
    CHECK_FALSE(s.result.exec_failed());
    CHECK(s.err.empty());
    CHECK(s.status == 0);
}

TEST_CASE("spawn_child: the child reports a failed exec to initd and logs nothing", "[spawn]") {
    Spawned s = spawn({"/nonexistent/initd-spawn-test"});
    REQUIRE(s.result.failed_call != nullptr);
    CHECK(std::string(s.result.failed_call) == "execve");
    CHECK(s.result.exec_failed());
    CHECK(s.result.failed_errno == ENOENT);
    CHECK(s.result.exit_code == 127);
    CHECK(s.status == 127);  // what initd reaps is what the report says
    CHECK(s.err.empty());

    Spawned searched = spawn({"initd-spawn-test-no-such-command"});
    CHECK(searched.result.failed_errno == ENOENT);
    CHECK(searched.status == 127);
    CHECK(searched.err.empty());
}

TEST_CASE("spawn_child: exit statuses for not found, cannot run, and other errors", "[spawn]") {
    std::string dir = temp_dir();
    std::string plain = dir + "/plain", loop = dir + "/loop";
    int fd = open(plain.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
    REQUIRE(fd >= 0);
    close(fd);
    REQUIRE(symlink(loop.c_str(), loop.c_str()) == 0);  // ELOOP: found, but neither of the two

    ChildSetup setup;
    Spawned denied = spawn({plain}, setup);
    CHECK(denied.result.failed_errno == EACCES);
    CHECK(denied.status == 126);
    Spawned looped = spawn({loop}, setup);
    CHECK(looped.result.failed_errno == ELOOP);
    CHECK(looped.status == 126);  // the default, as the shell

    setup.exit_not_found = 3;
    setup.exit_cannot_run = 4;
    setup.exit_other = 5;
    CHECK(spawn({dir + "/missing"}, setup).status == 3);
    CHECK(spawn({plain}, setup).status == 4);
    Spawned other = spawn({loop}, setup);
    CHECK(other.status == 5);
    CHECK(other.result.exit_code == 5);

    unlink(plain.c_str());
    unlink(loop.c_str());
    rmdir(dir.c_str());
}

TEST_CASE("log_spawn: 'started' only for a command that runs, else the failure", "[spawn]") {
    char* argv[] = {const_cast<char*>("app"), nullptr};
    ChildSetup setup;
    setup.command = argv;

    SpawnResult started;
    started.pid = 42;
    initd::log::set_verbosity(2);
    CHECK(stderr_of([&] { initd::log_spawn(setup, started); }) == "initd: started 'app' as pid 42\n");
    initd::log::set_verbosity(0);
    CHECK(stderr_of([&] { initd::log_spawn(setup, started); }).empty());

    SpawnResult exec = started;
    exec.failed_call = "execve";
    exec.failed_errno = ENOENT;
    exec.exit_code = 127;
    initd::log::set_verbosity(2);
    CHECK(stderr_of([&] { initd::log_spawn(setup, exec); }) == "initd: cannot execute 'app': No such file or directory\n");
    initd::log::set_verbosity(0);
    CHECK(stderr_of([&] { initd::log_spawn(setup, exec); }) == "initd: cannot execute 'app': No such file or directory\n");

    SpawnResult setsid = started;
    setsid.failed_call = "setsid";
    setsid.failed_errno = EPERM;
    CHECK(stderr_of([&] { initd::log_spawn(setup, setsid); }) == "initd: setsid: Operation not permitted\n");

    SpawnResult fork;
    fork.failed_call = "fork";
    fork.failed_errno = EAGAIN;
    CHECK(stderr_of([&] { initd::log_spawn(setup, fork); }) == "initd: fork: Resource temporarily unavailable\n");
}

TEST_CASE("sigmask::set_disposition: ignore, default, and the one it replaced", "[spawn]") {
    using initd::sigmask::set_disposition;
    auto before = set_disposition(SIGTTIN, SIG_IGN);
    CHECK(set_disposition(SIGTTIN, SIG_DFL) == SIG_IGN);
    CHECK(set_disposition(SIGTTIN, SIG_IGN) == SIG_DFL);
    struct sigaction now {};
    REQUIRE(sigaction(SIGTTIN, nullptr, &now) == 0);
    CHECK(now.sa_handler == SIG_IGN);
    set_disposition(SIGTTIN, before);
}
