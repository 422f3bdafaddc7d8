#include "initd/sigmask.hpp"

#include <cerrno>
#include <ctime>
#include <sys/syscall.h>
#include <unistd.h>

namespace initd::sigmask {
namespace {

// The kernel's sigset is 64 bits on every Linux architecture initd builds for.
constexpr unsigned long kKernelSigsetBytes = sizeof(std::uint64_t);

// Out of line: initd's block_all and the child's set() share it.
[[gnu::noinline]] std::uint64_t set_mask(std::uint64_t mask) {
    std::uint64_t old = 0;
    syscall(SYS_rt_sigprocmask, SIG_SETMASK, &mask, &old, kKernelSigsetBytes);
    return old;
}

// Out of line too: the loop's wait and discard_pending share it.
[[gnu::noinline]] int rt_sigtimedwait(SignalSet set, siginfo_t* info, const timespec* timeout) {
    std::uint64_t bits = set.bits();
    return static_cast<int>(syscall(SYS_rt_sigtimedwait, &bits, info, timeout, kKernelSigsetBytes));
}

timespec from_ms(long long ms) { return {static_cast<time_t>(ms / 1000), static_cast<long>(ms % 1000) * 1000000L}; }

}  // namespace

SignalSet block_all() { return SignalSet::from_bits(set_mask(SignalSet::all().bits())); }

void set(SignalSet mask) { set_mask(mask.bits()); }

void unblock(SignalSet signals) {
    std::uint64_t bits = signals.bits();
    syscall(SYS_rt_sigprocmask, SIG_UNBLOCK, &bits, nullptr, kKernelSigsetBytes);
}

Waited wait(long long timeout_ms, siginfo_t* info) {
    timespec ts = from_ms(timeout_ms);  // (unused when negative)
    for (;;) {
        int sig = rt_sigtimedwait(SignalSet::all(), info, timeout_ms >= 0 ? &ts : nullptr);
        if (sig > 0) return {sig, 0};
        // EINTR: initd was stopped and continued; the caller recomputes its deadline.
        if (errno == EINTR && timeout_ms < 0) continue;
        if (errno == EINTR || errno == EAGAIN) return {0, 0};
        return {0, errno};
    }
}

[[gnu::noinline]] void nap(long long ms) {
    timespec ts = from_ms(ms);
    // Interrupted or not, the caller looks at its children and deadlines next.
    // (Raw: musl's nanosleep goes through clock_nanosleep, both for this call only.)
    syscall(SYS_nanosleep, &ts, nullptr);
}

// The kernel's own layout (x86-64 and arm64 alike). No restorer: it serves handlers only.
// (musl's sigaction, which initd would use for nothing else, costs the binary more.)
struct KernelSigaction {
    Disposition handler;
    unsigned long flags;
    void (*restorer)();
    std::uint64_t mask;
};

Disposition set_disposition(int sig, Disposition disposition) {
    KernelSigaction action{disposition, 0, nullptr, 0}, old;
    old.handler = nullptr;  // what a failed call returns (the rest is never read)
    syscall(SYS_rt_sigaction, sig, &action, &old, kKernelSigsetBytes);
    return old.handler;
}

bool pending_for_self(int sig) {
    std::uint64_t pending = 0;
    syscall(SYS_rt_sigpending, &pending, kKernelSigsetBytes);
    return SignalSet::from_bits(pending).has(sig);
}

void discard_pending(int sig) {
    const timespec zero{};
    siginfo_t info;
    rt_sigtimedwait(SignalSet::of(sig), &info, &zero);
}

}  // namespace initd::sigmask
