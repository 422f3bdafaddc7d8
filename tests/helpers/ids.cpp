// Reports on fd 3 who it runs as: the Uid, Gid and Groups lines of /proc/self/status,
// "HOME=..." and "regain root: yes|no" (whether setuid(0) or dropping its supplementary
// groups succeeds: either needs privileges it must not have), then
// "end", and exits 0.
#include <cstdlib>
#include <fstream>
#include <string>
#include <grp.h>

#include "report.hpp"

int main() {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line))
        if (line.rfind("Uid:", 0) == 0 || line.rfind("Gid:", 0) == 0 || line.rfind("Groups:", 0) == 0)
            helpers::report("%s\n", line.c_str());
    const char* home = std::getenv("HOME");
    helpers::report("HOME=%s\n", home ? home : "(unset)");
    bool regained = setuid(0) == 0 || setgroups(0, nullptr) == 0;
    helpers::report("regain root: %s\n", regained ? "yes" : "no");
    helpers::report("end\n");
    return 0;
}
