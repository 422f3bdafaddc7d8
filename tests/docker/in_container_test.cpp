// Runs inside a scratch Docker image as initd's child (Dockerfile.test:
// ENTRYPOINT ["/sbin/initd", "--"]) and checks from inside that initd is really the
// container's PID 1 and does PID 1's work. Prints "ok NAME" or "FAIL NAME: why" per
// check and exits 0 when all pass, else 10 + the number of the first failed check:
//   11 our parent is not PID 1         12 PID 1 is not initd
//   13 orphans not adopted by PID 1    14 zombies left in /proc
//   15 a signal sent to PID 1 did not come back forwarded by PID 1
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <dirent.h>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

#include "orphans.hpp"

namespace {

int first_failure = 0;

void check(int number, const char* name, bool ok, const std::string& detail) {
    if (ok) {
        printf("ok %s (%s)\n", name, detail.c_str());
    } else {
        printf("FAIL %s: %s\n", name, detail.c_str());
        if (!first_failure) first_failure = 10 + number;
    }
    fflush(stdout);
}

std::string read_file(const char* path) {
    std::string text;
    if (FILE* f = fopen(path, "r")) {
        char buffer[256];
        size_t n;
        while ((n = fread(buffer, 1, sizeof buffer, f)) > 0) text.append(buffer, n);
        fclose(f);
    }
    return text;
}

std::string link_target(const char* path) {
    char buffer[256];
    ssize_t n = readlink(path, buffer, sizeof buffer - 1);
    return n < 0 ? std::string("(") + strerror(errno) + ")" : std::string(buffer, n);
}

long long now_ms() {
    timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

}  // namespace

int main() {
    const int count = 1000;

    check(1, "parent is pid 1", getppid() == 1 && getpid() != 1,
          "pid " + std::to_string(getpid()) + ", parent " + std::to_string(getppid()));

    std::string comm = read_file("/proc/1/comm");
    if (!comm.empty() && comm.back() == '\n') comm.pop_back();
    std::string exe = link_target("/proc/1/exe");
    check(2, "pid 1 is initd", comm == "initd" && exe == "/sbin/initd", "comm " + comm + ", exe " + exe);

    int made = 0;
    int adopted = helpers::make_adopted_orphans(count, 1, made);
    check(3, "orphans adopted by pid 1", made == count && adopted == count,
          std::to_string(made) + " orphans made, " + std::to_string(adopted) + " adopted by pid 1");

    // initd reaps on SIGCHLD; give it a bounded moment to finish (the machine may be busy).
    long long deadline = now_ms() + 10000;
    int left = helpers::count_children_of(0).zombies;
    while (left != 0 && now_ms() < deadline) {
        usleep(2000);
        left = helpers::count_children_of(0).zombies;
    }
    check(4, "no zombie left", left == 0, std::to_string(left) + " zombies in /proc");

    // kill(1, ...) from inside reaches initd, which forwards it to us: the signal we
    // then receive was sent by PID 1 (si_pid), not by ourselves.
    sigset_t usr1;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    sigprocmask(SIG_BLOCK, &usr1, nullptr);
    int sent = kill(1, SIGUSR1);
    siginfo_t info{};
    timespec timeout{10, 0};
    int got = sigtimedwait(&usr1, &info, &timeout);
    check(5, "signal to pid 1 forwarded", sent == 0 && got == SIGUSR1 && info.si_pid == 1,
          "kill(1, SIGUSR1) = " + std::to_string(sent) + ", received " + std::to_string(got) +
              " from pid " + std::to_string(info.si_pid));

    printf("%s\n", first_failure ? "in-container checks FAILED" : "all in-container checks passed");
    return first_failure;
}
