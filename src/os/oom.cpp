#include "initd/oom.hpp"

#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace initd::oom {
namespace {

std::uint64_t seen = 0;  // the counter when a SIGKILL was last explained

struct Layout {
    const char* mount;     // where the hierarchy is mounted
    const char* counter;   // the file with "oom_kill N"
    const char* limit;     // the limit that was reached, named as its file
};
constexpr Layout kV1{"/sys/fs/cgroup/memory", "memory.oom_control", "memory.limit_in_bytes"};
constexpr Layout kV2{"/sys/fs/cgroup", "memory.events", "memory.max"};

// FILE in directory DIR, read whole (these files are a few lines: one read); "" when it
// cannot be read. libc's variadic openat costs the binary more than syscall().
std::string_view read_in(int dir, const char* file, char (&buffer)[512], int flags = 0) {
    int fd = static_cast<int>(::syscall(SYS_openat, dir, file, flags | O_RDONLY | O_CLOEXEC));
    if (fd < 0) return {};
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    ::close(fd);
    return std::string_view(buffer, n > 0 ? static_cast<std::size_t>(n) : 0);
}

// MOUNT/PATH, else MOUNT itself: where the mount shows the cgroup as its root (cgroup
// v1 in Docker: /proc/self/cgroup has the host's path, the mount the container's cgroup).
int open_cgroup(const Layout& at, std::string_view path) {
    Text dir;
    dir << at.mount << path;
    int fd = static_cast<int>(::syscall(SYS_openat, AT_FDCWD, dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    return fd >= 0 ? fd : static_cast<int>(::syscall(SYS_openat, AT_FDCWD, at.mount, O_RDONLY | O_DIRECTORY | O_CLOEXEC));
}

}  // namespace

std::optional<MemoryCgroup> memory_cgroup(std::string_view text) {
    // v2 alone: "0::/PATH". v1 (hybrid hosts too): "4:memory:/PATH", the memory
    // controller mounted alone, as Docker's and systemd's hosts mount it.
    bool v1 = !text.starts_with("0::");
    std::size_t at = v1 ? text.find(":memory:") : 0;
    if (at == std::string_view::npos) return std::nullopt;
    const char* begin = text.data() + at + (v1 ? 8 : 3);
    const char* end = begin;
    while (end < text.data() + text.size() && *end != '\n') ++end;
    return MemoryCgroup{std::string_view(begin, static_cast<std::size_t>(end - begin)), v1};
}

std::optional<std::uint64_t> value_of(std::string_view text, std::string_view key) {
    std::size_t at = text.find(key);
    if (at == std::string_view::npos) return std::nullopt;
    // Not std::from_chars: one more instance of it costs the binary more than this.
    const char* p = text.data() + at + key.size();
    const char* end = text.data() + text.size();
    if (p == end || *p < '0' || *p > '9') return std::nullopt;
    std::uint64_t value = 0;
    for (; p < end && *p >= '0' && *p <= '9' && value < (std::uint64_t{1} << 59); ++p) value = value * 10 + (*p - '0');
    return value;
}

bool explain_sigkill(Text& why) {
    char buffer[512];
    auto cgroup = memory_cgroup(read_in(AT_FDCWD, "/proc/self/cgroup", buffer));
    if (!cgroup) return false;
    const Layout& at = cgroup->v1 ? kV1 : kV2;
    int dir = open_cgroup(at, cgroup->path);
    // "oom_kill " with its space: not oom_kill_disable (v1) nor oom_group_kill (v2).
    auto count = value_of(read_in(dir, at.counter, buffer), "oom_kill ");
    bool oom = count && *count > seen;
    if (oom) {
        seen = *count;
        why << "the kernel's OOM killer";
        // No limit is a number near 2^63 in v1 (cut short above), "max" in v2.
        auto limit = value_of(read_in(dir, at.limit, buffer), "");
        constexpr std::uint64_t kMiB = 1024 * 1024;
        if (limit && *limit < (std::uint64_t{1} << 59)) {
            bool whole = *limit % kMiB == 0;
            why << ": " << at.limit << ' ' << static_cast<unsigned long>(whole ? *limit / kMiB : *limit)
                << (whole ? " MiB reached" : " bytes reached");
        }
    }
    if (dir >= 0) ::close(dir);
    return oom;
}

}  // namespace initd::oom
