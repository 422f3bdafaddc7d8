// A child that lets go of its terminal: reports "ready" on fd 3, closes descriptors
// 0, 1 and 2 (with "notty" first gives up its controlling terminal, TIOCNOTTY),
// reports "closed", then reports every signal it receives ("10") until SIGUSR1,
// and exits 7.
#include <cstring>
#include <sys/ioctl.h>

#include "report.hpp"

int main(int argc, char** argv) {
    helpers::block_all_signals();
    helpers::report("ready\n");
    if (argc > 1 && strcmp(argv[1], "notty") == 0) ioctl(0, TIOCNOTTY);
    close(0);
    close(1);
    close(2);
    helpers::report("closed\n");
    for (;;) {
        siginfo_t info;
        int sig = helpers::wait_signal(&info);
        if (sig < 0) return 1;
        helpers::report("%d\n", sig);
        if (sig == SIGUSR1) return 7;
    }
}
