// What every helper shares: a line to the test on descriptor 3, and raw signal
// blocking/waiting over all 64 signals (libc's wrappers hide 32-34).
#pragma once

#include <cerrno>
#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <csignal>
#include <ctime>
#include <sys/syscall.h>
#include <unistd.h>

namespace helpers {

inline void report(const char* format, ...) __attribute__((format(printf, 1, 2)));
inline void report(const char* format, ...) {
    char line[256];
    va_list args;
    va_start(args, format);
    int n = vsnprintf(line, sizeof line, format, args);
    va_end(args);
    if (n > 0) (void)!write(3, line, static_cast<std::size_t>(n) < sizeof line ? n : sizeof line - 1);
}

inline void block_all_signals() {
    std::uint64_t all = ~std::uint64_t{0};
    syscall(SYS_rt_sigprocmask, SIG_SETMASK, &all, nullptr, sizeof all);
}

// The next signal of all 64, or -1 after `timeout_ms` (< 0: wait for ever).
inline int wait_signal(siginfo_t* info, long timeout_ms = -1) {
    std::uint64_t all = ~std::uint64_t{0};
    timespec ts{timeout_ms / 1000, (timeout_ms % 1000) * 1000000L};
    for (;;) {
        long sig = syscall(SYS_rt_sigtimedwait, &all, info, timeout_ms < 0 ? nullptr : &ts, sizeof all);
        if (sig > 0) return static_cast<int>(sig);
        if (errno != EINTR) return -1;
    }
}

inline long long monotonic_ns() {
    timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

}  // namespace helpers
