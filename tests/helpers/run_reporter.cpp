// One run of a restarted child: reports "run PID MONOTONIC_NS" on fd 3, then exits with
// argv[1] at once, or with `wait` waits with default signal dispositions (SIGTERM
// kills it). With `orphan MS` it first leaves a grandchild that exits after MS ms.
#include <cstdlib>
#include <cstring>

#include "report.hpp"

int main(int argc, char** argv) {
    int code = argc > 1 ? std::atoi(argv[1]) : 0;
    if (argc > 3 && std::strcmp(argv[2], "orphan") == 0 && fork() == 0) {
        int ms = std::atoi(argv[3]);
        timespec pause{ms / 1000, (ms % 1000) * 1000000L};
        nanosleep(&pause, nullptr);
        _exit(0);
    }
    helpers::report("run %d %lld\n", getpid(), helpers::monotonic_ns());
    if (argc > 2 && std::strcmp(argv[2], "wait") == 0) {
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, nullptr);
        for (;;) pause();
    }
    return code;
}
