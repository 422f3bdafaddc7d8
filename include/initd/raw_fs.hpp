// The few file-system questions the services and scripts ask, as raw system calls:
// musl's faccessat, fstatat, fcntl and pipe2 carry fallbacks for old kernels that cost
// the binary more than everything they are used for here.
#pragma once

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace initd::raw_fs {

// `path` (relative to the directory `at`, or AT_FDCWD) may be executed by initd.
inline bool executable(int at, const char* path) { return syscall(SYS_faccessat, at, path, X_OK) == 0; }
inline bool exists(int at, const char* path) { return syscall(SYS_faccessat, at, path, F_OK) == 0; }

enum class Kind { missing, directory, file, other };
// Links are followed, as runit and my_init follow them.
inline Kind kind(int at, const char* path) {
    struct stat st{};
    if (syscall(SYS_newfstatat, at, path, &st, 0) != 0) return Kind::missing;
    return S_ISDIR(st.st_mode) ? Kind::directory : S_ISREG(st.st_mode) ? Kind::file : Kind::other;
}

// SIGIO to this process whenever `fd` has something to read.
inline void signal_when_readable(int fd) {
    syscall(SYS_fcntl, fd, F_SETOWN, getpid());
    syscall(SYS_fcntl, fd, F_SETFL, O_ASYNC | O_NONBLOCK);
}

inline int pipe_cloexec(int fds[2]) { return static_cast<int>(syscall(SYS_pipe2, fds, O_CLOEXEC)); }

}  // namespace initd::raw_fs
