// Reading a clock, as the system call itself: musl's clock_gettime first looks the
// function up in the kernel's vDSO, and that lookup code costs the binary about 1 KB.
// initd reads a clock only around events (a deadline armed or due, a service's state
// changing, a rotation), never while idle, so the system call's cost does not count.
#pragma once

#include <ctime>
#include <sys/syscall.h>
#include <unistd.h>

namespace initd {

inline timespec clock_read(clockid_t clock) {
    timespec ts{};
    syscall(SYS_clock_gettime, clock, &ts);
    return ts;
}

}  // namespace initd
