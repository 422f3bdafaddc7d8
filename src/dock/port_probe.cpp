#include "initd/port_probe.hpp"

#include <fcntl.h>
#include <unistd.h>

#include "initd/directory.hpp"
#include "initd/line_reader.hpp"
#include "initd/processes.hpp"
#include "initd/text.hpp"

namespace initd::port_probe {
namespace {

// All of `text` as a number in `base` (10 or 16); not std::from_chars, whose instances
// cost the binary more than this.
bool parse_number(std::string_view text, unsigned base, std::uint64_t& out) {
    out = 0;
    for (char c : text) {
        unsigned digit = c >= '0' && c <= '9' ? c - '0' : (c | 0x20) >= 'a' && (c | 0x20) <= 'f' ? (c | 0x20) - 'a' + 10 : 99;
        if (digit >= base) return false;
        out = out * base + digit;
    }
    return !text.empty();
}

// The next field of a line of fields separated by runs of spaces ("" past the end).
std::string_view next_field(std::string_view& rest) {
    while (!rest.empty() && rest[0] == ' ') rest.remove_prefix(1);
    std::size_t end = rest.find(' ');
    std::string_view field(rest.data(), end < rest.size() ? end : rest.size());
    rest.remove_prefix(field.size());
    return field;
}

struct Batch {
    std::uint64_t inodes[kBatch];
    int count = 0;
};

// /proc/PID/LEAF, opened read-only; -1 when it cannot be (gone, or not ours to look at).
int open_proc(pid_t pid, const char* leaf, int flags) {
    Text path;
    path << "/proc/" << pid << leaf;
    return ::open(path.c_str(), flags | O_RDONLY | O_CLOEXEC);
}

// Whether `pid` has one of the batch's sockets open: its /proc/PID/fd links.
bool holds_one(pid_t pid, const Batch& batch) {
    int dir = open_proc(pid, "/fd", O_DIRECTORY);
    if (dir < 0) return false;
    alignas(8) char entries[1024];
    bool found = false;
    for_each_entry(dir, entries, [&](const LinuxDirent64& entry) {
        char link[32];
        long n = ::syscall(SYS_readlinkat, dir, entry.d_name, link, sizeof link);  // raw: smaller than musl's
        auto inode = socket_inode(std::string_view(link, n > 0 ? static_cast<std::size_t>(n) : 0));
        for (int i = 0; inode && i < batch.count && !found; ++i) found = batch.inodes[i] == *inode;
        return !found;
    });
    ::close(dir);
    return found;
}

// 0 when unknown, or when the parent is outside this PID namespace.
pid_t parent_of(pid_t pid) {
    int fd = open_proc(pid, "/stat", 0);
    char buffer[512];  // comm is at most 16 bytes: ppid comes early
    ssize_t n = ::read(fd, buffer, sizeof buffer);  // EBADF when it could not be opened
    ::close(fd);
    auto fields = processes::parse_stat(std::string_view(buffer, n > 0 ? static_cast<std::size_t>(n) : 0));
    return fields ? fields->ppid : 0;
}

bool descends_from(pid_t pid, pid_t ancestor) {
    // Bounded: a cycle cannot happen, but a walk racing pid reuse must still end.
    for (int depth = 0; depth < 4096 && pid > 0; ++depth)
        if ((pid = parent_of(pid)) == ancestor) return true;
    return false;
}

// Whether a process below `root` holds one of the batch's sockets. The sockets are
// looked for first: few processes hold one, so few ancestries are walked.
bool held_below(pid_t root, const Batch& batch) {
    int dir = ::open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir < 0) return false;
    alignas(8) char entries[2048];
    bool found = false;
    for_each_entry(dir, entries, [&](const LinuxDirent64& entry) {
        std::uint64_t pid;
        found = parse_number(entry.d_name, 10, pid) && static_cast<pid_t>(pid) != root &&
                holds_one(static_cast<pid_t>(pid), batch) && descends_from(static_cast<pid_t>(pid), root);
        return !found;
    });
    ::close(dir);
    return found;
}

}  // namespace

std::optional<Entry> parse_net_line(std::string_view line) {
    std::string_view slot = next_field(line), local = next_field(line), inode_field;
    for (int field = 2; field <= 9; ++field) inode_field = next_field(line);
    std::size_t colon = local.rfind(':'), digits = colon + 1;  // (views, not substr: no range checks)
    std::uint64_t port, inode;
    if (!slot.ends_with(':') || colon == std::string_view::npos ||
        !parse_number({local.data() + digits, local.size() - digits}, 16, port) ||
        port > 0xFFFF || !parse_number(inode_field, 10, inode))
        return std::nullopt;
    return Entry{static_cast<unsigned>(port), inode};
}

std::optional<std::uint64_t> socket_inode(std::string_view link) {
    std::uint64_t inode;
    if (!link.starts_with("socket:[") || !link.ends_with(']') ||
        !parse_number({link.data() + 8, link.size() - 9}, 10, inode))
        return std::nullopt;
    return inode;
}

bool port_bound(int port, pid_t holders_below) {
    Batch batch;
    char buffer[4096];
    for (int table = 0; table < 4; ++table) {
        // Packed, 15 bytes each. tcp6 and udp6 are missing where IPv6 is off.
        LineReader lines(&"/proc/net/tcp\0\0/proc/net/tcp6\0/proc/net/udp\0\0/proc/net/udp6"[15 * table], buffer);
        while (auto line = lines.next()) {
            auto entry = parse_net_line(*line);
            if (!entry || entry->port != static_cast<unsigned>(port)) continue;
            if (holders_below <= 0) return true;
            if (entry->inode == 0) continue;  // held by no process
            batch.inodes[batch.count++] = entry->inode;
            if (batch.count < kBatch) continue;
            if (held_below(holders_below, batch)) return true;
            batch.count = 0;
        }
    }
    return batch.count > 0 && held_below(holders_below, batch);
}

}  // namespace initd::port_probe
