// Signal recorder: reports "ready PID PGID SID" on fd 3, then one line per signal it
// receives ("15"); exits 0 when it receives the signal named by argv[1] (default USR2).
#include <cstdlib>

#include "report.hpp"

int main(int argc, char** argv) {
    int exit_signal = argc > 1 ? std::atoi(argv[1]) : SIGUSR2;
    helpers::block_all_signals();
    helpers::report("ready %d %d %d\n", getpid(), getpgrp(), getsid(0));
    for (;;) {
        siginfo_t info;
        int sig = helpers::wait_signal(&info);
        if (sig < 0) return 1;
        helpers::report("%d\n", sig);
        if (sig == exit_signal) return 0;
    }
}
