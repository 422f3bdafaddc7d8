// The entries of a directory in byte order (strcmp: "10-x" < "9-x" < "A-x" <
// "a-x"), as runit starts services and my_init runs its scripts.
#pragma once

#include <cstddef>

namespace initd {

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
