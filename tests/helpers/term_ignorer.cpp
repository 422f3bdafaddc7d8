// Ignores SIGTERM (and SIGINT), says "ready" on fd 3, and sleeps until killed.
#include "report.hpp"

int main() {
    signal(SIGTERM, SIG_IGN);
    signal(SIGINT, SIG_IGN);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    helpers::report("ready %d\n", getpid());
    for (;;) pause();
}
