// `exit_with N`: exits with status N. `exit_with signal N`: dies of signal N.
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <unistd.h>

int main(int argc, char** argv) {
    if (argc == 3 && std::strcmp(argv[1], "signal") == 0) {
        int sig = std::atoi(argv[2]);
        signal(sig, SIG_DFL);
        sigset_t set;
        sigemptyset(&set);
        sigprocmask(SIG_SETMASK, &set, nullptr);
        kill(getpid(), sig);
        pause();
        return 100;  // not reached for a deadly signal
    }
    return argc > 1 ? std::atoi(argv[1]) : 0;
}
