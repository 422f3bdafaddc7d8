// Forks continuously, to outrun a shutdown. `stress_forker VARIANT TOKEN` starts a
// background forker and, once it has forked 100 times, reports "forking" on fd 3 and
// exits 3 (the main child is gone: initd shuts down). Every forker process blocks
// every signal (so SIGTERM does nothing) and gives up by itself after 20 s, so a
// failed test leaves nothing behind. TOKEN is only there for the test to find the
// processes in /proc/PID/cmdline.
//   hop    each process forks once and exits: the forker changes pid all the time
//   spawn  one process forks children that stay (up to 300), then short-lived ones
#include <cstdlib>
#include <cstring>
#include <sys/wait.h>
#include <unistd.h>

#include "report.hpp"

namespace {

constexpr long long kGiveUpNs = 20 * 1000000000LL;

void hop(long long deadline, int progress) {
    for (long n = 1; helpers::monotonic_ns() < deadline; ++n) {
        pid_t pid = fork();
        if (pid < 0) continue;  // the pid table is busy: try again
        if (pid > 0) _exit(0);
        if (n == 100) close(progress);  // the parent hears EOF: forking is under way
    }
}

void spawn(long long deadline, int progress) {
    int staying = 0;
    for (long n = 1; helpers::monotonic_ns() < deadline; ++n) {
        pid_t pid = fork();
        if (pid == 0) {
            close(progress);
            if (staying >= 300) _exit(0);
            // Takes SIGTERM and the like off the queue and stays: only SIGKILL ends it.
            for (long long left; (left = deadline - helpers::monotonic_ns()) > 0;) {
                siginfo_t info;
                helpers::wait_signal(&info, left / 1000000 + 1);
            }
            _exit(0);
        }
        if (pid > 0 && staying < 300) ++staying;
        while (waitpid(-1, nullptr, WNOHANG) > 0) {}
        if (n == 100) close(progress);
    }
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 3) return 2;
    helpers::block_all_signals();
    int progress[2];
    if (pipe(progress) < 0) return 2;
    long long deadline = helpers::monotonic_ns() + kGiveUpNs;
    pid_t forker = fork();
    if (forker == 0) {
        close(progress[0]);
        close(3);
        if (strcmp(argv[1], "hop") == 0) hop(deadline, progress[1]);
        else spawn(deadline, progress[1]);
        _exit(0);
    }
    close(progress[1]);
    char byte;
    while (read(progress[0], &byte, 1) > 0) {}
    helpers::report("forking\n");
    return 3;
}
