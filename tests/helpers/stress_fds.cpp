// `stress_fds LAYOUT -- PROGRAM ARG...`: sets up descriptors 0-2 as LAYOUT says, then
// execs PROGRAM. LAYOUT is a comma-separated list of FD followed by "c" (closed) or
// "f" (/dev/full, where every write fails with ENOSPC): "0c,1f,2f".
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

int main(int argc, char** argv) {
    if (argc < 4 || strcmp(argv[2], "--") != 0) return 120;
    for (const char* item = argv[1]; *item;) {
        int fd = item[0] - '0';
        char how = item[1];
        if (fd < 0 || fd > 2 || (how != 'c' && how != 'f')) return 120;
        if (how == 'c') {
            close(fd);
        } else {
            int full = open("/dev/full", O_RDWR);
            if (full < 0 || dup2(full, fd) < 0) return 120;
            if (full != fd) close(full);
        }
        item += 2;
        if (*item == ',') ++item;
    }
    execv(argv[3], argv + 3);
    return 121;
}
