// Signal counter for floods: reports "ready" on fd 3, then counts every signal it
// receives without reporting it, except: SIGRTMAX-1 -> "last", SIGRTMAX -> "marker"
// (each at once, for the test to time), SIGUSR2 -> one "count SIG N" line per signal
// received at least once, then "end", and exit 0.
#include <array>
#include <cstdio>

#include "report.hpp"

int main() {
    helpers::block_all_signals();
    helpers::report("ready %d\n", getpid());
    std::array<long, 65> counts{};
    for (;;) {
        siginfo_t info;
        int sig = helpers::wait_signal(&info);
        if (sig < 0 || sig > 64) return 1;
        ++counts[static_cast<std::size_t>(sig)];
        if (sig == 63) helpers::report("last\n");
        if (sig == 64) helpers::report("marker\n");
        if (sig == SIGUSR2) break;
    }
    for (int sig = 1; sig <= 64; ++sig)
        if (counts[static_cast<std::size_t>(sig)] > 0) helpers::report("count %d %ld\n", sig, counts[static_cast<std::size_t>(sig)]);
    helpers::report("end\n");
    return 0;
}
