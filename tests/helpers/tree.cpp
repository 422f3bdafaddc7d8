// Process tree: the child of initd forks two grandchildren that stay in its process
// group. Each of the three blocks every signal and reports on fd 3:
//   "ready ROLE PID" once, then "ROLE SIG" per signal (ROLE: child, grandchild1, grandchild2).
// On SIGTERM the child sends SIGUSR2 to both grandchildren, which report it and every
// signal still pending, then exit; the child waits for them, reports "done", exits 0.
// So after "done" the test knows everything each grandchild ever received.
#include <sys/wait.h>

#include "report.hpp"

namespace {

[[noreturn]] void grandchild(const char* role) {
    helpers::report("ready %s %d\n", role, getpid());
    for (;;) {
        siginfo_t info;
        int sig = helpers::wait_signal(&info);
        if (sig < 0) _exit(1);
        helpers::report("%s %d\n", role, sig);
        if (sig != SIGUSR2) continue;
        while ((sig = helpers::wait_signal(&info, 0)) > 0) helpers::report("%s %d\n", role, sig);
        _exit(0);
    }
}

}  // namespace

int main() {
    helpers::block_all_signals();
    pid_t kids[2];
    const char* roles[2] = {"grandchild1", "grandchild2"};
    for (int i = 0; i < 2; ++i) {
        kids[i] = fork();
        if (kids[i] < 0) return 2;
        if (kids[i] == 0) grandchild(roles[i]);
    }
    helpers::report("ready child %d\n", getpid());
    for (;;) {
        siginfo_t info;
        int sig = helpers::wait_signal(&info);
        if (sig < 0) return 1;
        if (sig == SIGCHLD) continue;
        helpers::report("child %d\n", sig);
        if (sig != SIGTERM) continue;
        for (pid_t kid : kids) kill(kid, SIGUSR2);
        for (pid_t kid : kids) waitpid(kid, nullptr, 0);
        helpers::report("done\n");
        return 0;
    }
}
