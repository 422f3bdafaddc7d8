// --thug: the SigBlk and SigIgn masks of /proc/PID/status, parsed and read from children
// that ignore, block or handle a signal.
#include <catch2/catch.hpp>

#include <csignal>
#include <fcntl.h>
#include <string_view>
#include <sys/wait.h>
#include <unistd.h>

#include "initd/signal_masks.hpp"

using initd::ignores_or_blocks;
using initd::mask_line_has;

namespace {

// A real status (kernel 6.x) cut to the lines around the masks: sh blocking SIGCHLD,
// ignoring SIGINT, SIGQUIT and SIGPIPE, catching SIGTERM and SIGHUP.
constexpr std::string_view kStatus =
    "Name:\tsh\nUmask:\t0022\nState:\tS (sleeping)\nTgid:\t4242\nPid:\t4242\nPPid:\t1\n"
    "Groups:\t0 1 2 3 4 6 10 11 20 26 27\nThreads:\t1\nSigQ:\t0/63448\n"
    "SigPnd:\t0000000000004000\nShdPnd:\t0000000000004000\nSigBlk:\t0000000000010000\n"
    "SigIgn:\t0000000000001006\nSigCgt:\t0000000000004001\nCapInh:\t0000000000000000\n";

// Whether any line of `status` has `sig` in a mask, as ignores_or_blocks reads it.
bool status_has(std::string_view status, int sig) {
    bool found = false;
    while (!status.empty()) {
        auto line = status.substr(0, status.find('\n'));
        found = found || mask_line_has(line, sig);
        status.remove_prefix(line.size() < status.size() ? line.size() + 1 : status.size());
    }
    return found;
}

enum class Way { ignore, block, handle };

void on_signal(int) {}

// A child that treats SIGTERM `way`, then waits until the test lets it go: `ask` runs
// while it is known to be ready.
template <typename Ask>
void with_child(Way way, Ask ask) {
    int ready[2], hold[2];
    REQUIRE(pipe2(ready, O_CLOEXEC) == 0);
    REQUIRE(pipe2(hold, O_CLOEXEC) == 0);
    pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        sigset_t term;
        sigemptyset(&term);
        sigaddset(&term, SIGTERM);
        sigprocmask(way == Way::block ? SIG_BLOCK : SIG_UNBLOCK, &term, nullptr);
        if (way == Way::ignore) signal(SIGTERM, SIG_IGN);
        if (way == Way::handle) signal(SIGTERM, on_signal);
        char byte = 1;
        if (write(ready[1], &byte, 1) != 1) _exit(1);
        close(hold[1]);
        while (read(hold[0], &byte, 1) > 0) {}
        _exit(0);
    }
    close(ready[1]);
    close(hold[0]);
    char byte;
    REQUIRE(read(ready[0], &byte, 1) == 1);
    ask(child);
    close(hold[1]);
    close(ready[0]);
    int status = 0;
    REQUIRE(waitpid(child, &status, 0) == child);
}

}  // namespace

TEST_CASE("SigBlk and SigIgn count, the other masks of the status do not", "[signal_masks]") {
    CHECK(status_has(kStatus, SIGCHLD));   // blocked
    CHECK(status_has(kStatus, SIGINT));    // ignored
    CHECK(status_has(kStatus, SIGQUIT));   // ignored
    CHECK(status_has(kStatus, SIGPIPE));   // ignored
    CHECK_FALSE(status_has(kStatus, SIGTERM));  // caught, and pending: neither counts
    CHECK_FALSE(status_has(kStatus, SIGHUP));   // caught
    CHECK_FALSE(status_has(kStatus, SIGKILL));
}

TEST_CASE("a mask line's bits, from signal 1 to 64", "[signal_masks]") {
    CHECK(mask_line_has("SigIgn:\t0000000000000001", 1));
    CHECK(mask_line_has("SigBlk:\t8000000000000000", 64));
    CHECK(mask_line_has("SigBlk:\t0000000280000000", 32));
    CHECK(mask_line_has("SigBlk:\t0000000280000000", 34));
    CHECK_FALSE(mask_line_has("SigBlk:\t0000000280000000", 33));
    CHECK(mask_line_has("SigIgn:\t000000000000a000", 16));  // lower-case hex too
    CHECK(mask_line_has("SigIgn:\t000000000000A000", 14));
    CHECK_FALSE(mask_line_has("SigIgn:\t000000000000A000", 15));
    CHECK_FALSE(mask_line_has("SigIgn:\tffffffffffffffff", 0));
    CHECK_FALSE(mask_line_has("SigIgn:\tffffffffffffffff", 65));
    CHECK_FALSE(mask_line_has("SigIgn:\t", 1));
    CHECK_FALSE(mask_line_has("SigCgt:\tffffffffffffffff", 15));
}

TEST_CASE("a child that ignores SIGTERM ignores it", "[signal_masks]") {
    with_child(Way::ignore, [](pid_t child) {
        CHECK(ignores_or_blocks(child, SIGTERM));
        CHECK_FALSE(ignores_or_blocks(child, SIGQUIT));
    });
}

TEST_CASE("a child that blocks SIGTERM blocks it", "[signal_masks]") {
    with_child(Way::block, [](pid_t child) { CHECK(ignores_or_blocks(child, SIGTERM)); });
}

TEST_CASE("a child that handles SIGTERM neither ignores nor blocks it", "[signal_masks]") {
    with_child(Way::handle, [](pid_t child) { CHECK_FALSE(ignores_or_blocks(child, SIGTERM)); });
}

TEST_CASE("a process that is gone ignores nothing", "[signal_masks]") {
    pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) _exit(0);
    int status = 0;
    REQUIRE(waitpid(child, &status, 0) == child);
    CHECK_FALSE(ignores_or_blocks(child, SIGTERM));
}
