// --thug: an INT, QUIT or TERM that the child would not act on (it ignores or blocks
// it) is sent as SIGKILL instead, as dock does. The kernel shows both masks in
// /proc/PID/status ("SigBlk:" the main thread's blocked set, "SigIgn:" the process's
// ignored set), read once per signal to forward: no cost without --thug.
#pragma once

#include <string_view>
#include <sys/types.h>

namespace initd {

// Whether `pid` ignores or blocks `sig` (1..64). False when its status cannot be read
// (gone, or another namespace's /proc): the signal is then forwarded as it came.
bool ignores_or_blocks(pid_t pid, int sig);

// --- The parsing, pure, for the unit tests. ---

// Whether one line of /proc/PID/status is "SigBlk:" or "SigIgn:" with `sig`'s bit set
// in its hexadecimal mask ("SigIgn:\t0000000000004000": bit N-1 is signal N).
bool mask_line_has(std::string_view line, int sig);

}  // namespace initd
