// dock's --log-rotate: the log file P is gzipped to P_YYYYmmddHHMMSS.gz beside it and
// emptied, and only the 5 newest archives of P are kept (dock keeps the 5 oldest: a bug
// not copied). The time in the name is UTC (dock uses the local zone, which in a
// container is UTC unless TZ says otherwise).
#pragma once

#include <cstdint>

#include "initd/gzip.hpp"
#include "initd/text.hpp"

namespace initd {

constexpr int kLogArchivesKept = 5;

// Rotates the log file `path`, which `log_fd` (opened with O_APPEND, so that the next
// write lands at offset 0) writes to; initd must be its only writer, and call it between
// two lines. It blocks while it compresses (about 40 MB/s: a few seconds for 100 MB).
// An empty log makes no archive (dock makes one per interval, and quiet intervals would
// push the real ones out).
//
// The archive is made with mode 0600 and O_EXCL, and fsynced before the log is emptied:
// otherwise a power loss could leave an empty log and an archive whose data never reached
// the disk (one fsync per rotation, every few hours, costs nothing). A name already taken
// (two rotations in one second) is not replaced: the next free second is used, so names
// keep dock's form and still sort in rotation order.
//
// `gz` is only working memory (164 KiB): one GzipWriter in .lbss serves every rotation.
//
// False: the log was not emptied (nothing lost), and `why` holds one line naming the call
// and the path; a partial archive is removed. True: rotated; if removing old archives
// failed, `why` says so (the caller logs `why` whenever it is not empty).
bool rotate_log(const char* path, int log_fd, std::int64_t unix_seconds, GzipWriter& gz, Text& why);

// YYYYmmddHHMMSS of `unix_seconds` (0 to the year 9999) in UTC, into out[0..13].
void utc_stamp(std::int64_t unix_seconds, char out[14]);

}  // namespace initd
