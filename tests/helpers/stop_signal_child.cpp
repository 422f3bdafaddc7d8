// `stop_signal_child ignore|block|handle`: SIGTERM, SIGINT and SIGQUIT ignored, blocked,
// or handled (the handler says "got N" on fd 3 and exits 3); says "ready PID" on fd 3,
// then waits for ever. What dock's --thug looks at: SigIgn, SigBlk, SigCgt.
#include <initializer_list>

#include "report.hpp"

int main(int argc, char** argv) {
    const char* mode = argc > 1 ? argv[1] : "handle";
    sigset_t stops;
    sigemptyset(&stops);
    for (int sig : {SIGTERM, SIGINT, SIGQUIT}) sigaddset(&stops, sig);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, std::strcmp(mode, "block") == 0 ? &stops : &none, nullptr);
    for (int sig : {SIGTERM, SIGINT, SIGQUIT}) {
        if (std::strcmp(mode, "ignore") == 0) signal(sig, SIG_IGN);
        else if (std::strcmp(mode, "handle") == 0)
            signal(sig, [](int s) {
                helpers::report("got %d\n", s);
                _exit(3);
            });
    }
    helpers::report("ready %d\n", getpid());
    for (;;) pause();
}
