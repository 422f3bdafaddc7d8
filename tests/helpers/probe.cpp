// Probe: reports on fd 3 what a child of initd was given, then exits 0:
//   "pid=P ppid=P pgrp=G sid=S tpgrp=T uid=U blk=HEX ign=HEX" (tpgrp: tcgetpgrp(0),
//   -1 when stdin is not its terminal; blk/ign: SigBlk/SigIgn of /proc/self/status),
// then one line per argument NAME: "NAME=VALUE" or "NAME unset".
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <string>

#include "report.hpp"

namespace {

std::string status_field(const char* name) {
    int fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
    if (fd < 0) return "?";
    char buffer[8192];
    ssize_t n = read(fd, buffer, sizeof buffer - 1);
    close(fd);
    if (n <= 0) return "?";
    buffer[n] = '\0';
    std::string text(buffer);
    std::string key = std::string("\n") + name + ":\t";
    auto at = text.find(key);
    if (at == std::string::npos) return "?";
    at += key.size();
    return text.substr(at, text.find('\n', at) - at);
}

}  // namespace

int main(int argc, char** argv) {
    helpers::report("pid=%d ppid=%d pgrp=%d sid=%d tpgrp=%d uid=%d blk=%s ign=%s\n", getpid(), getppid(),
                    getpgrp(), getsid(0), tcgetpgrp(0), getuid(), status_field("SigBlk").c_str(),
                    status_field("SigIgn").c_str());
    for (int i = 1; i < argc; ++i) {
        const char* value = getenv(argv[i]);
        if (value) helpers::report("%s=%s\n", argv[i], value);
        else helpers::report("%s unset\n", argv[i]);
    }
    return 0;
}
