// The scripts of one phase (--startup, --pre-shutdown, --post-shutdown), one after the
// other: each path is a directory, whose executable files run in byte order (dotfiles
// included, links followed, subdirectories skipped, as my_init does), or a file, which
// runs when it is executable (my_init's /etc/rc.local). Missing paths are skipped.
#pragma once

#include <climits>

#include "initd/dir_list.hpp"

namespace initd {

class ScriptQueue {
public:
    static constexpr int kMaxPaths = 4;

    // Forgets the last phase; null entries of `paths` are skipped.
    void load(const char* const* paths, int count);
    // The next script's path, or null when the phase is over. Valid until the next call.
    const char* next();

private:
    // All zeros until load(): the queue lives in .bss, with no start-up cost.
    const char* paths_[kMaxPaths];
    int path_count_;
    int path_;     // the path being read
    int entry_;    // in `names_`; -1: the path is not listed yet
    NameList names_;
    char script_[PATH_MAX];
};

}  // namespace initd
