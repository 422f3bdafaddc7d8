#include "initd/termination_log.hpp"

#include <fcntl.h>
#include <unistd.h>

#include "initd/log.hpp"
#include "initd/text.hpp"

namespace initd::termination_log {

void write(const char* path, std::string_view line) {
    if (!path || !*path || line.empty()) return;
    // No O_CREAT: the orchestrator makes the file, or there is none to write. O_NONBLOCK:
    // a FIFO there must not hold initd's exit until someone reads it.
    int fd = ::open(path, O_WRONLY | O_APPEND | O_NOCTTY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) return;
    // Its end is at 0: empty. A FIFO or a terminal cannot seek, so they are left alone
    // (and lseek costs the static binary far less than musl's fstat).
    if (::lseek(fd, 0, SEEK_END) == 0) {
        Text t;
        t << line << '\n';
        log::write_all(fd, t.view());
    }
    ::close(fd);
}

}  // namespace initd::termination_log
