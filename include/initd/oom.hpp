// Whether a SIGKILL came from the kernel's OOM killer. The container's memory cgroup
// counts its OOM kills (v2: `oom_kill` in memory.events; v1: in memory.oom_control);
// initd reads that counter only after a process died of SIGKILL, never before and never
// on a timer: the plain path makes no extra system call and idle initd no wake-up.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "initd/text.hpp"

namespace initd::oom {

// After a death by SIGKILL: true when the counter is above the value it had at the last
// call (0 before the first call, read lazily: a container's cgroup is made with it, so it
// starts at 0), and then `why` says "the kernel's OOM killer: memory.max 64 MiB reached".
bool explain_sigkill(Text& why);

// --- The parsing, pure, for the unit tests. ---

struct MemoryCgroup {
    std::string_view path;  // as /proc/self/cgroup shows it: "/docker/<id>", "/"
    bool v1;                // the v1 memory controller's line; else the v2 ("0::") one
};
// From the text of /proc/self/cgroup: v2's only line "0::/PATH", or v1's memory line
// (also on a hybrid host, where the v2 line comes last).
std::optional<MemoryCgroup> memory_cgroup(std::string_view proc_self_cgroup);

// The number right after the first KEY in a flat-keyed file ("oom_kill 3" with KEY
// "oom_kill "), or with an empty KEY the number the file starts with (memory.max:
// "67108864"; "max" is no number). From 2^59 on the digits are no longer read: v1's
// "no limit" (about 2^63) stays at 2^59 or more, far above any real limit.
std::optional<std::uint64_t> value_of(std::string_view text, std::string_view key);

}  // namespace initd::oom
