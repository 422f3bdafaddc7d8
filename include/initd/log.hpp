// `initd: ...` lines on stderr, written with one write(2) each; nothing else ever logs.
#pragma once

#include "initd/text.hpp"

namespace initd::log {

enum class Level { error = 0, warning = 1, info = 2, debug = 3 };

void set_verbosity(int level);
bool enabled(Level level);

// Writes format(text) when `level` is enabled.
void line(Level level, const Text& text);

// "initd: <text>\n" into `out`. The newline is always there: a text too long for one
// line (or already cut by its own capacity) is cut instead, and ends in "...".
void format(const Text& text, Text& out);

// libc's words for the errnos initd meets ("No such file or directory"), "errno N" for
// the rare rest (valid until the next call).
const char* errno_text(int err);

// Writes "initd: <call>: <errno_text(err)>\n" at error level.
void failure(const char* call, int err);

// Writes raw text to a descriptor (help, version); returns false if it could not.
bool write_all(int fd, std::string_view text);

}  // namespace initd::log
