// `stress_as_user UID NPROC -- PROGRAM ARG...`: sets RLIMIT_NPROC to NPROC, drops
// every group and becomes UID (gid UID too), then execs PROGRAM. RLIMIT_NPROC is not
// enforced for root, hence the switch. Needs root.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <grp.h>
#include <sys/resource.h>
#include <unistd.h>

int main(int argc, char** argv) {
    if (argc < 5 || strcmp(argv[3], "--") != 0) return 120;
    auto id = static_cast<uid_t>(atol(argv[1]));
    rlimit limit{static_cast<rlim_t>(atol(argv[2])), static_cast<rlim_t>(atol(argv[2]))};
    if (setrlimit(RLIMIT_NPROC, &limit) < 0) return perror("setrlimit"), 120;
    if (setgroups(0, nullptr) < 0 || setgid(id) < 0 || setuid(id) < 0) return perror("setuid"), 120;
    execv(argv[4], argv + 4);
    perror("execv");
    return 121;
}
