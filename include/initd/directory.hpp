// Listing a directory with the raw getdents64: opendir and fdopendir allocate, and initd
// has no heap.
#pragma once

#include <cstdint>
#include <span>
#include <sys/syscall.h>
#include <unistd.h>

namespace initd {

// A directory entry as the kernel writes it.
struct LinuxDirent64 {
    std::uint64_t d_ino;
    std::int64_t d_off;
    unsigned short d_reclen;
    unsigned char d_type;
    char d_name[1];
};

// Calls visit(entry) for every entry of the open directory `dir` ("." and ".." too), in
// the directory's own order, reading `buffer` full at a time, until visit returns false.
// Returns 0 at the end, 1 when visit stopped, -1 when getdents64 failed (errno says why).
template <typename Visit>
long for_each_entry(int dir, std::span<char> buffer, Visit visit) {
    long n;
    while ((n = syscall(SYS_getdents64, dir, buffer.data(), buffer.size())) > 0) {
        for (long at = 0; at < n;) {
            auto* entry = reinterpret_cast<const LinuxDirent64*>(buffer.data() + at);
            at += entry->d_reclen;
            if (!visit(*entry)) return 1;
        }
    }
    return n;
}

}  // namespace initd
