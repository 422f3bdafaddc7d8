// Kubernetes shows the file at a container's terminationMessagePath (/dev/termination-log
// by default) as the reason it ended, and most applications never write it: initd writes
// one line there when the main child failed (README, "Kubernetes").
#pragma once

#include <string_view>

namespace initd::termination_log {

// Writes `line` and a newline to `path` only if it is a file (not a FIFO or a terminal) that exists, can be
// written and is still empty: it never creates a file and never adds to what the
// application wrote. Nothing for a null or empty path, or an empty line.
void write(const char* path, std::string_view line);

}  // namespace initd::termination_log
