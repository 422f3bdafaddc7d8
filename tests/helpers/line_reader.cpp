// Interactive child: reports "ready PID" on fd 3, reads one line from stdin and
// reports "line TEXT" (or "read error: REASON"), then exits 0. It leaves its signal
// state as inherited, so a Ctrl-Z on its terminal stops it.
#include <cerrno>
#include <string>

#include "report.hpp"

int main() {
    helpers::report("ready %d\n", getpid());
    std::string line;
    for (;;) {
        char c;
        ssize_t n = read(0, &c, 1);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            helpers::report("read error: %s\n", strerror(errno));
            return 1;
        }
        if (n == 0 || c == '\n') break;
        line += c;
    }
    helpers::report("line %s\n", line.c_str());
    return 0;
}
