// Reading a directory without libc's DIR (opendir and fdopendir allocate, and initd has
// no heap): the kernel's getdents64 records straight into a caller's buffer. On top of
// that, the entries of a directory in byte order (strcmp: "10-x" < "9-x" < "A-x" <
// "a-x"), as runit starts services and my_init runs its scripts.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <sys/syscall.h>
#include <unistd.h>

namespace initd {

struct LinuxDirent64 {
    std::uint64_t d_ino;
    std::int64_t d_off;
    unsigned short d_reclen;
    unsigned char d_type;
    char d_name[1];
};

// Calls `visit(name)` for every entry of the open directory `dir` (from its current
// offset), "." and ".." included, reading `buffer` full at a time. False when reading
// failed (errno set).
template <typename Visit>
bool for_each_entry(int dir, std::span<char> buffer, Visit visit) {
    for (;;) {
        long n = syscall(SYS_getdents64, dir, buffer.data(), buffer.size());
        if (n == 0) return true;
        if (n < 0) return false;
        for (long at = 0; at < n;) {
            auto* entry = reinterpret_cast<LinuxDirent64*>(buffer.data() + at);
            at += entry->d_reclen;
            visit(static_cast<const char*>(entry->d_name));
        }
    }
}

// A sorted list of names. Fixed capacity: past it the list says so (`overflow`), keeps
// the first names in byte order, and the caller names what was left out.
struct NameList {
    static constexpr int kMaxNames = 128;
    static constexpr std::size_t kTextBytes = 8192;
    char text[kTextBytes];
    int offsets[kMaxNames];
    int count;
    std::size_t used;
    bool overflow;
    const char* operator[](int i) const { return text + offsets[i]; }
};

// Every entry of the directory `path` (relative to `at`, an open directory or AT_FDCWD)
// but "." and "..", sorted. False (errno set) when it cannot be read.
bool list_sorted(int at, const char* path, NameList& out);

}  // namespace initd
