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

// FILE in directory DIR; libc's variadic openat costs the binary more than syscall().
int open_in(int dir, const char* file, int flags) {
    return static_cast<int>(::syscall(SYS_openat, dir, file, flags | O_RDONLY | O_CLOEXEC));
}

// The number after KEY in FILE; these files are a few lines, one read takes them whole.
std::optional<std::uint64_t> read_value(int dir, const char* file, std::string_view key) {
    char buffer[512];
    int fd = open_in(dir, file, 0);
    if (fd < 0) return std::nullopt;
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    ::close(fd);
    return value_of(std::string_view(buffer, n > 0 ? static_cast<std::size_t>(n) : 0), key);
}

// MOUNT/PATH, else MOUNT itself: where the mount shows the cgroup as its root (cgroup
// v1 in Docker: /proc/self/cgroup has the host's path, the mount the container's cgroup).
int open_cgroup(const Layout& at, std::string_view path) {
    Text dir;
    dir << at.mount << path;
    int fd = open_in(AT_FDCWD, dir.c_str(), O_DIRECTORY);
    return fd >= 0 ? fd : open_in(AT_FDCWD, at.mount, O_DIRECTORY);
}

}  // namespace

std::optional<MemoryCgroup> memory_cgroup(std::string_view text) {
    // v2 alone: "0::/PATH". v1 (hybrid hosts too): "4:memory:/PATH", the memory
    // controller mounted alone, as Docker's and systemd's hosts mount it.
    bool v1 = !text.starts_with("0::");
    auto at = v1 ? text.find(":memory:") : 0;
    if (at == std::string_view::npos) return std::nullopt;
    text.remove_prefix(at + (v1 ? 8 : 3));
    return MemoryCgroup{text.substr(0, text.find('\n')), v1};
}

std::optional<std::uint64_t> value_of(std::string_view text, std::string_view key) {
    auto at = text.find(key);
    if (at == std::string_view::npos) return std::nullopt;
    text.remove_prefix(at + key.size());
    // Not std::from_chars: one more instance of it costs the binary more than this.
    std::uint64_t value = 0;
    if (text.empty() || text[0] < '0' || text[0] > '9') return std::nullopt;
    for (char c : text) {
        if (c < '0' || c > '9' || value > (~std::uint64_t{0} - 9) / 10) break;
        value = value * 10 + static_cast<unsigned>(c - '0');
    }
    return value;
}

bool explain_sigkill(Text& why) {
    char buffer[512];
    int fd = open_in(AT_FDCWD, "/proc/self/cgroup", 0);
    ssize_t n = fd < 0 ? 0 : ::read(fd, buffer, sizeof buffer);
    if (fd >= 0) ::close(fd);
    auto cgroup = memory_cgroup(std::string_view(buffer, n > 0 ? static_cast<std::size_t>(n) : 0));
    if (!cgroup) return false;
    const Layout& at = cgroup->v1 ? kV1 : kV2;
    int dir = open_cgroup(at, cgroup->path);
    // "oom_kill " with its space: not oom_kill_disable (v1) nor oom_group_kill (v2).
    auto count = read_value(dir, at.counter, "oom_kill ");
    bool oom = count && *count > seen;
    if (oom) {
        seen = *count;
        why << "the kernel's OOM killer";
        // No limit is a number near 2^63 in v1, "max" (no number) in v2.
        auto limit = read_value(dir, at.limit, "");
        constexpr std::uint64_t kMiB = 1024 * 1024;
        if (limit && *limit < (std::uint64_t{1} << 62)) {
            bool whole = *limit % kMiB == 0;
            why << ": " << at.limit << ' ' << static_cast<unsigned long>(whole ? *limit / kMiB : *limit)
                << (whole ? " MiB reached" : " bytes reached");
        }
    }
    if (dir >= 0) ::close(dir);
    return oom;
}

}  // namespace initd::oom
