// dock's features around the main child (src/dock/): where its output goes (--io,
// --stdout-prefix, --log-rotate), who hears of its status (--web-hook), when it counts as
// running (--bind-port, --notify-socket), and --thug. One object, made only when one of
// them is asked for: the plain path never creates it, so it costs that path nothing.
// The supervisor calls it at the child's start and end, on SIGIO (every descriptor here
// raises it) and at its deadlines; nothing here ever blocks the loop.
#pragma once

#include <cstdint>
#include <sys/types.h>

#include "initd/options.hpp"
#include "initd/spawn.hpp"
#include "initd/text.hpp"

namespace initd::dock {

// Any of the features asked for (under any name).
bool wanted(const Config& config);

class Features {
public:
    // Before the first child: --io and the relay, the notify socket, and "starting"
    // (sent and waited for, bounded). Points `setup`'s descriptors and NOTIFY_SOCKET at
    // them. False: `why` says what failed, in one line; initd then exits 1.
    bool prepare(const Config& config, char* const* envp, ChildSetup& setup, Text& why);
    void started();            // "running" now, or once the port is bound or READY=1 came
    void ended();               // the main child is gone: "crashed" (dock says so even for 0)
    void on_io();               // SIGIO: output to relay, a hook's reply, a notify datagram
    long long timeout_ms(std::int64_t now) const;  // the nearest deadline here; -1: none
    void on_deadlines(std::int64_t now);
    int stop_signal(pid_t child, int sig) const;  // --thug: SIGKILL for what it ignores or blocks
    void finish();              // before exit: the rest of the output, the last hook (bounded)
};

}  // namespace initd::dock
