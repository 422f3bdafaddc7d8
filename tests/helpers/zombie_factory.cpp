// Zombie factory: makes COUNT orphans (double fork; each grandchild checks that initd
// adopted it, then exits), then keeps running while it counts the zombies
// whose parent is initd (its own parent) in /proc, until none is left. Prints
// "orphans N" and "zombies left N" on stdout; exits 0 when none is left within
// TIMEOUT seconds (default 10), 1 otherwise.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

#include "report.hpp"

namespace {

// Processes other than this one whose parent is `parent` (orphans still exiting, or
// zombies), from /proc/PID/stat ("pid (comm) Z ppid ..."); their zombies in `zombies`.
int count_others_of(pid_t parent, int& zombies) {
    DIR* proc = opendir("/proc");
    if (!proc) return -1;
    int others = 0;
    zombies = 0;
    while (dirent* e = readdir(proc)) {
        if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
        char path[300], stat[512];
        snprintf(path, sizeof path, "/proc/%s/stat", e->d_name);
        FILE* f = fopen(path, "r");
        if (!f) continue;
        size_t n = fread(stat, 1, sizeof stat - 1, f);
        fclose(f);
        stat[n] = '\0';
        char* close_paren = strrchr(stat, ')');
        char state;
        int ppid;
        if (!close_paren || sscanf(close_paren + 1, " %c %d", &state, &ppid) != 2) continue;
        if (ppid != parent || atoi(e->d_name) == getpid()) continue;
        ++others;
        if (state == 'Z') ++zombies;
    }
    closedir(proc);
    return others;
}

}  // namespace

int main(int argc, char** argv) {
    int count = argc > 1 ? std::atoi(argv[1]) : 1000;
    int timeout_s = argc > 2 ? std::atoi(argv[2]) : 10;
    pid_t initd = getppid();

    // Each grandchild waits until its parent (the middle process) is gone, checks that
    // it was reparented to initd, says so on `verdicts`, and exits: an orphan of initd's.
    int verdicts[2];
    if (pipe(verdicts) < 0) return 2;
    int made = 0;
    for (int i = 0; i < count; ++i) {
        int gate[2];
        if (pipe(gate) < 0) break;
        pid_t middle = fork();
        if (middle < 0) break;
        if (middle == 0) {
            pid_t parent = getpid();
            pid_t grandchild = fork();
            if (grandchild == 0) {
                close(gate[1]);
                char byte;
                while (read(gate[0], &byte, 1) > 0) {}
                // The gate closes as the middle process starts exiting; the kernel
                // reparents its children a moment later.
                while (getppid() == parent) sched_yield();
                (void)!write(verdicts[1], getppid() == initd ? "1" : "0", 1);
                _exit(0);
            }
            _exit(grandchild < 0 ? 1 : 0);  // closes the gate: the grandchild is an orphan now
        }
        close(gate[0]);
        close(gate[1]);
        int status;
        waitpid(middle, &status, 0);
        if (WIFEXITED(status) && WEXITSTATUS(status) == 0) ++made;
    }
    close(verdicts[1]);
    int adopted = 0;
    char byte;
    while (read(verdicts[0], &byte, 1) == 1) adopted += byte == '1';
    printf("adopted by initd %d\n", adopted);
    printf("orphans %d\n", made);
    fflush(stdout);

    long long deadline = helpers::monotonic_ns() + timeout_s * 1000000000LL;
    int zombies = 0;
    int others = count_others_of(initd, zombies);
    // Polling is the only way to watch another process's zombies; 1 ms keeps it cheap.
    while (others != 0 && helpers::monotonic_ns() < deadline) {
        usleep(1000);
        others = count_others_of(initd, zombies);
    }
    printf("zombies left %d\n", zombies);
    return others == 0 && made == count && adopted == count ? 0 : 1;
}
