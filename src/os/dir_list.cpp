#include "initd/dir_list.hpp"

#include "initd/directory.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>

namespace initd {
namespace {

// Insertion into the sorted list; when full, the greatest name is the one left out, so
// the kept ones are the first in byte order whatever the kernel's order.
void insert(NameList& out, const char* name) {
    if (name[0] == '.' && (name[1] == '\0' || (name[1] == '.' && name[2] == '\0'))) return;
    std::size_t len = std::strlen(name) + 1;
    int at = out.count;
    while (at > 0 && std::strcmp(out[at - 1], name) > 0) --at;
    if (out.count == NameList::kMaxNames || out.used + len > NameList::kTextBytes) {
        out.overflow = true;
        if (at == out.count) return;
        --out.count;  // the greatest goes; its text stays unused
        if (out.used + len > NameList::kTextBytes) return;
    }
    std::memmove(out.offsets + at + 1, out.offsets + at, static_cast<std::size_t>(out.count - at) * sizeof(int));
    std::memcpy(out.text + out.used, name, len);
    out.offsets[at] = static_cast<int>(out.used);
    out.used += len;
    ++out.count;
}

}  // namespace

bool list_sorted(int at, const char* path, NameList& out) {
    out.count = 0;
    out.used = 0;
    out.overflow = false;
    int dir = openat(at, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir < 0) return false;
    alignas(8) char buffer[2048];
    bool ok = for_each_entry(dir, buffer, [&](const LinuxDirent64& entry) {
                  insert(out, entry.d_name);
                  return true;
              }) == 0;
    int err = errno;
    ::close(dir);
    errno = err;
    return ok;
}

}  // namespace initd
