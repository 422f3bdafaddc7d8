#include "initd/script_queue.hpp"

#include <cerrno>
#include <cstring>

#include "initd/log.hpp"
#include "initd/raw_fs.hpp"

namespace initd {
namespace {

bool runnable_file(const char* path) {
    return raw_fs::kind(AT_FDCWD, path) == raw_fs::Kind::file && raw_fs::executable(AT_FDCWD, path);
}

}  // namespace

void ScriptQueue::load(const char* const* paths, int count) {
    path_count_ = 0;
    for (int i = 0; i < count && path_count_ < kMaxPaths; ++i)
        if (paths[i]) paths_[static_cast<std::size_t>(path_count_++)] = paths[i];
    path_ = 0;
    entry_ = -1;
}

// Not inlined into the supervisor, where its members would be at 4-byte offsets.
[[gnu::noinline]] const char* ScriptQueue::next() {
    while (path_ < path_count_) {
        const char* path = paths_[static_cast<std::size_t>(path_)];
        if (entry_ < 0) {
            raw_fs::Kind kind = raw_fs::kind(AT_FDCWD, path);
            if (kind != raw_fs::Kind::directory && kind != raw_fs::Kind::missing) {
                ++path_;  // a single file: it is the whole of this path
                if (runnable_file(path)) return path;
                continue;
            }
            if (!list_sorted(AT_FDCWD, path, names_)) {
                if (errno != ENOENT) log::line(log::Level::warning, Text() << path << ": " << log::errno_text(errno));
                ++path_;
                continue;
            }
            if (names_.overflow)
                log::line(log::Level::error, Text() << path << ": over " << NameList::kMaxNames << " entries; the last do not run");
            entry_ = 0;
        }
        while (entry_ < names_.count) {
            const char* name = names_[entry_++];
            std::size_t dir_len = std::strlen(path), name_len = std::strlen(name);
            if (dir_len + 1 + name_len >= sizeof script_) continue;
            std::memcpy(script_, path, dir_len);
            script_[dir_len] = '/';
            std::memcpy(script_ + dir_len + 1, name, name_len + 1);
            if (runnable_file(script_)) return script_;
        }
        ++path_;
        entry_ = -1;
    }
    return nullptr;
}

}  // namespace initd
