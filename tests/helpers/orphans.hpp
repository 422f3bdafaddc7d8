// Orphans on demand, and what /proc says about them: shared by the zombie factory, the
// stress helpers and the Docker test programs (header-only: each is one static file).
#pragma once

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

namespace helpers {

struct ProcessCount {
    int others = 0;   // processes other than the caller
    int zombies = 0;  // of which in state Z
};

// Processes other than the caller whose parent is `parent` (any parent when 0), read
// from /proc/PID/stat: "pid (comm) S ppid ...", comm may hold ')' so read after the last.
inline ProcessCount count_children_of(pid_t parent) {
    ProcessCount count;
    DIR* proc = opendir("/proc");
    if (!proc) return {-1, -1};
    while (dirent* e = readdir(proc)) {
        if (e->d_name[0] < '0' || e->d_name[0] > '9' || atoi(e->d_name) == getpid()) continue;
        char path[300], stat[512];
        snprintf(path, sizeof path, "/proc/%s/stat", e->d_name);
        FILE* f = fopen(path, "r");
        if (!f) continue;
        size_t n = fread(stat, 1, sizeof stat - 1, f);
        fclose(f);
        stat[n] = '\0';
        char* paren = strrchr(stat, ')');
        char state;
        int ppid;
        if (!paren || sscanf(paren + 1, " %c %d", &state, &ppid) != 2) continue;
        if (parent != 0 && ppid != parent) continue;
        ++count.others;
        if (state == 'Z') ++count.zombies;
    }
    closedir(proc);
    return count;
}

// Makes `count` orphans by double fork. Each grandchild waits until its parent (the
// middle process) is gone, reports whether `adopter` adopted it, and exits. Returns
// how many were adopted, once all have exited (the pipe's end of file says so); `made`
// counts the double forks that worked.
inline int make_adopted_orphans(int count, pid_t adopter, int& made) {
    int verdicts[2];
    if (pipe(verdicts) < 0) return -1;
    made = 0;
    for (int i = 0; i < count; ++i) {
        pid_t middle = fork();
        if (middle < 0) break;
        if (middle == 0) {
            pid_t parent = getpid();
            pid_t grandchild = fork();
            if (grandchild == 0) {
                // The kernel reparents a moment after the middle process starts exiting.
                while (getppid() == parent) sched_yield();
                (void)!write(verdicts[1], getppid() == adopter ? "1" : "0", 1);
                _exit(0);
            }
            _exit(grandchild < 0 ? 1 : 0);
        }
        int status;
        waitpid(middle, &status, 0);
        if (WIFEXITED(status) && WEXITSTATUS(status) == 0) ++made;
    }
    close(verdicts[1]);
    int adopted = 0;
    char byte;
    while (read(verdicts[0], &byte, 1) == 1) adopted += byte == '1';
    close(verdicts[0]);
    return adopted;
}

}  // namespace helpers
