// Orphans in bursts: `stress_orphans TOTAL BURST VARIANT` makes TOTAL orphans of
// initd, BURST at a time (each a double fork: the middle process exits, so its child
// is reparented to initd). VARIANT says how each orphan ends:
//   exit  _exit at once (often a zombie before it is even reparented)
//   kill  SIGKILLs itself (reaped with a signal status)
//   late  waits until its parent has exited, then exits (a live orphan first)
// Between bursts it drains the signals forwarded to it. Reports "ready" on fd 3 once
// it has blocked every signal, "bursts done" when every orphan exists, then waits
// (up to 30 s) until initd has no child but this one, and prints "orphans N left M
// signals S" on stdout (S: signals received, not counting its own SIGCHLDs); exits 0
// if M is 0.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <sys/wait.h>
#include <unistd.h>

#include "orphans.hpp"
#include "report.hpp"

namespace {

[[noreturn]] void orphan(const char* variant, int gate) {
    if (strcmp(variant, "kill") == 0) kill(getpid(), SIGKILL);
    if (strcmp(variant, "late") == 0) {
        char byte;
        while (read(gate, &byte, 1) > 0) {}  // EOF: the middle process is exiting
    }
    _exit(0);
}

long drain_signals() {
    long n = 0;
    siginfo_t info;
    for (int sig; (sig = helpers::wait_signal(&info, 0)) > 0;) n += sig != SIGCHLD;
    return n;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 4) return 2;
    int total = atoi(argv[1]), burst = atoi(argv[2]);
    const char* variant = argv[3];
    pid_t initd = getppid();
    helpers::block_all_signals();
    helpers::report("ready\n");  // from now on a forwarded signal cannot kill this process
    long signals = 0;
    int made = 0;
    while (made < total) {
        int n = total - made < burst ? total - made : burst;
        for (int i = 0; i < n; ++i) {
            int gate[2];
            if (pipe(gate) < 0) return 3;
            pid_t middle = fork();
            if (middle < 0) return 3;
            if (middle == 0) {
                pid_t child = fork();
                if (child == 0) {
                    close(gate[1]);
                    orphan(variant, gate[0]);
                }
                _exit(child < 0 ? 1 : 0);
            }
            close(gate[0]);
            close(gate[1]);
        }
        for (int i = 0; i < n; ++i) {
            int status;
            if (wait(&status) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) return 4;
        }
        made += n;
        signals += drain_signals();
    }
    helpers::report("bursts done\n");
    long long deadline = helpers::monotonic_ns() + 30 * 1000000000LL;
    int left = helpers::count_children_of(initd).others;
    // Polling is the only way to watch another process's children; 1 ms keeps it cheap.
    while (left != 0 && helpers::monotonic_ns() < deadline) {
        usleep(1000);
        left = helpers::count_children_of(initd).others;
    }
    signals += drain_signals();
    printf("orphans %d left %d signals %ld\n", made, left, signals);
    return left == 0 ? 0 : 1;
}
