// README "Exit codes": initd exits with the child's status, 128+N for a signal, 127/126
// when the command cannot be executed.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.hpp"

using namespace harness;

TEST_CASE("exit codes pass through", "[exit]") {
    Mode mode = GENERATE(Mode::pid1, Mode::subreaper);
    int code = GENERATE(0, 7, 255);
    INFO(mode_name(mode) << ", child exits " << code);
    auto r = run(initd_launch(mode, {}, {helper("exit_with"), std::to_string(code)}));
    CHECK(r.code == code);
    CHECK(r.err.empty());
}

TEST_CASE("a child killed by a signal gives 128+N", "[exit]") {
    Mode mode = GENERATE(Mode::pid1, Mode::subreaper);
    INFO(mode_name(mode));
    // Without "--": the command is the first argument that is not an option.
    CHECK(run(initd_launch(mode, {helper("exit_with"), "signal", "9"})).code == 137);
    CHECK(run(initd_launch(mode, {helper("exit_with"), "signal", "15"})).code == 143);
}

TEST_CASE("a command that does not exist exits 127 and says so", "[exit]") {
    Mode mode = GENERATE(Mode::pid1, Mode::subreaper);
    INFO(mode_name(mode));
    auto r = run(initd_launch(mode, {}, {"no-such-command-initd-test"}));
    CHECK(r.code == 127);
    CHECK(r.err == "initd: cannot execute 'no-such-command-initd-test': No such file or directory\n");
}

TEST_CASE("a file that cannot be executed exits 126 and says so", "[exit]") {
    char path[] = "/tmp/initd-noexec-XXXXXX";
    int fd = mkstemp(path);
    REQUIRE(fd >= 0);
    REQUIRE(write(fd, "#!/bin/sh\nexit 0\n", 17) == 17);
    close(fd);
    chmod(path, 0644);
    Mode mode = GENERATE(Mode::pid1, Mode::subreaper);
    INFO(mode_name(mode));
    auto r = run(initd_launch(mode, {path}));
    unlink(path);
    CHECK(r.code == 126);
    CHECK(r.err == std::string("initd: cannot execute '") + path + "': Permission denied\n");
}
