// Leaves a grandchild behind for initd's shutdown, then exits at once.
//   grandchild_writer EXIT write FILE DELAY_MS   on SIGTERM the grandchild writes "started\n"
//                                                to FILE, sleeps DELAY_MS, appends "complete\n"
//                                                and exits 0 (a slow, careful shutdown)
//   grandchild_writer EXIT ignore                the grandchild ignores SIGTERM (only SIGKILL ends it)
//   grandchild_writer EXIT ignore-deep           a middle process that SIGTERM kills, and below
//                                                it a grandchild that ignores SIGTERM: the
//                                                grandchild is orphaned during the shutdown
//   grandchild_writer EXIT self FILE DELAY_MS    no fork: this process is the careful writer
// The main process reports "ready GRANDCHILD_PID" on fd 3 once the grandchild is set up,
// then exits with EXIT. The writer reports "term" on fd 3 when SIGTERM reaches it.
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <string>

#include "report.hpp"

namespace {

[[noreturn]] void careful_writer(const char* file, int delay_ms) {
    sigset_t term;
    sigemptyset(&term);
    sigaddset(&term, SIGTERM);
    int sig = 0;
    sigwait(&term, &sig);
    helpers::report("term\n");
    int fd = open(file, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) _exit(3);
    (void)!write(fd, "started\n", 8);
    timespec pause{delay_ms / 1000, (delay_ms % 1000) * 1000000L};
    while (nanosleep(&pause, &pause) < 0 && errno == EINTR) {}
    (void)!write(fd, "complete\n", 9);
    close(fd);
    _exit(0);
}

[[noreturn]] void term_ignorer() {
    signal(SIGTERM, SIG_IGN);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    for (;;) pause();
}

// Forks a process that ignores SIGTERM; returns its pid once it does.
pid_t start_ignorer() {
    int set_up[2];
    if (pipe(set_up) < 0) _exit(2);
    pid_t pid = fork();
    if (pid < 0) _exit(2);
    if (pid == 0) {
        close(set_up[0]);
        signal(SIGTERM, SIG_IGN);
        close(set_up[1]);
        term_ignorer();
    }
    close(set_up[1]);
    char byte;
    while (read(set_up[0], &byte, 1) > 0) {}  // EOF: it ignores SIGTERM now
    close(set_up[0]);
    return pid;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 3) return 2;
    int exit_code = std::atoi(argv[1]);
    std::string mode = argv[2];
    bool write_mode = mode == "write" || mode == "self";
    if (write_mode && argc < 5) return 2;

    // Blocked before the fork: a SIGTERM that comes before the grandchild waits for it
    // stays pending instead of killing it.
    sigset_t term;
    sigemptyset(&term);
    sigaddset(&term, SIGTERM);
    sigprocmask(SIG_BLOCK, &term, nullptr);

    if (mode == "self") {
        helpers::report("ready %d\n", getpid());
        careful_writer(argv[3], std::atoi(argv[4]));
    }
    if (mode == "ignore") {
        helpers::report("ready %d\n", start_ignorer());
        return exit_code;
    }
    if (mode == "ignore-deep") {
        int set_up[2];
        if (pipe(set_up) < 0) return 2;
        pid_t middle = fork();
        if (middle < 0) return 2;
        if (middle == 0) {
            close(set_up[0]);
            pid_t grandchild = start_ignorer();
            (void)!write(set_up[1], &grandchild, sizeof grandchild);
            close(set_up[1]);
            sigset_t none;
            sigemptyset(&none);
            sigprocmask(SIG_SETMASK, &none, nullptr);  // SIGTERM kills the middle one
            for (;;) pause();
        }
        close(set_up[1]);
        pid_t grandchild = 0;
        if (read(set_up[0], &grandchild, sizeof grandchild) != sizeof grandchild) return 2;
        helpers::report("ready %d\n", grandchild);
        return exit_code;
    }
    if (mode != "write") return 2;
    pid_t grandchild = fork();
    if (grandchild < 0) return 2;
    if (grandchild == 0) careful_writer(argv[3], std::atoi(argv[4]));
    // SIGTERM is blocked in the grandchild from birth, so it is set up already.
    helpers::report("ready %d\n", grandchild);
    return exit_code;
}
