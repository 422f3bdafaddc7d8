// dock's output relay: the child's stdout and stderr, merged in order through one pipe
// (or a pseudo-terminal, for a socket --io), copied by initd to its own stdout, a file
// or a socket, each line behind a prefix when one is asked for. Only created with
// --io or --stdout-prefix: without them the child writes where initd writes, as before.
//
// The loop drives it through SIGIO, as it does the services' descriptors: the read end
// signals when the child writes, and on_io() copies until the read end is empty or the
// target takes no more. A target that takes no more (a pipe nobody reads) leaves the
// rest in the relay's pipe: the child then blocks in write(2) as it would writing to
// that pipe directly, and initd, which never blocks on it, wakes again when the target
// drains (SIGIO from the target too). A terminal, a socket as initd's stdout, or a file
// are written as they are: blocking (only a terminal stopped by ^S blocks for long).
#pragma once

#include <cstddef>
#include <span>
#include <string_view>

#include "initd/text.hpp"

namespace initd {

struct ChildSetup;

namespace relay {

// --stdout-prefix TEXT[:COLOR], as dock writes it: ESC[3X;1m TEXT ESC[0m for white,
// green, blue, magenta, yellow, cyan and red; TEXT alone for no or another colour. The
// colour is after the last ':', the text before the first. No separator is added.
using Prefix = Text;
// False (with `why`) when the text does not fit.
bool make_prefix(std::string_view spec, Prefix& out, Text& why);

// Copies `in` into `out` after out[filled], `prefix` before the first byte of every
// line; `at_line_start` carries, from one call to the next, whether the next byte
// starts a line (a partial line continues without a prefix). Stops when `out` has no
// room (for the next prefix and one byte) or, with `stop_after_newline`, right after
// the first newline. Returns how many bytes of `in` were used; `filled` grows.
std::size_t prefix_lines(std::string_view in, std::string_view prefix, std::span<char> out, std::size_t& filled,
                         bool& at_line_start, bool stop_after_newline);

}  // namespace relay

class OutputRelay {
public:
    static constexpr std::size_t kChunk = 64 * 1024;
    // The log rotation's switch (the file's helper renames or empties it); its result
    // is the helper's to log.
    using Rotate = bool (*)(void* ctx);

    // --io URL (see io_socket.hpp): "" for initd's stdout, a file (file:///P or a bare
    // path P, appended, created 0600), or tcp://HOST:PORT or unix://PATH, dialled now,
    // with the child on a pseudo-terminal (echo off) whose output goes to the socket and
    // whose input comes from it. Sets up the target and the child's end; false with one
    // line in `why` (the caller exits 1). `prefix` is --stdout-prefix's value, "" for none.
    bool open_io(const char* url, std::string_view prefix, Text& why);
    bool open_stdout(std::string_view prefix, Text& why) { return open_io("", prefix, why); }
    // A bare path (the tests' and the benchmark's).
    bool open_file(const char* path, std::string_view prefix, Text& why) { return open_io(path, prefix, why); }

    // The child's descriptors: the pipe's write end as its stdout and stderr, or the
    // pseudo-terminal as its controlling terminal and stdin, stdout and stderr.
    void give_to(ChildSetup& setup) const;
    int child_output_fd() const { return child_end_; }
    bool child_on_terminal() const { return terminal_; }
    // After the spawn: initd's copy of the child's end closed, so that the end of the
    // child's output is seen.
    void after_spawn();

    // SIGIO: copies what the child wrote (and the socket's input to the terminal) until
    // nothing is left or the target takes no more. Never blocks on a pipe or socket.
    void on_io();
    // At initd's exit: copies what is left, waiting for the target if it must (a socket
    // for at most its 5 s send timeout).
    void drain_at_exit();

    // Where the output goes: for a file (O_APPEND), what rotate_log (log_rotate.hpp) empties.
    int target_fd() const { return target_; }
    // The file's path (the tail of open_io's URL), or null when the target is no file.
    const char* file_path() const { return file_path_; }

    // Log rotation at a line boundary (a file target's): the relay copies up to and including the next newline, calls rotate(ctx), then goes
    // on; at once when it is idle at a boundary.
    void request_rotation(Rotate rotate, void* ctx);

private:
    void pump();
    void pump_input();
    bool flush();
    bool set_async(bool on);
    bool read_more();

    int source_ = -1;     // the pipe's read end, or the terminal's master
    int child_end_ = -1;  // the pipe's write end, or the terminal's slave
    int target_ = -1;
    int input_ = -1;      // the socket whose bytes are typed into the terminal, until it ends
    const char* file_path_ = nullptr;
    bool terminal_ = false;
    bool async_on_block_ = false;  // a pipe target: SIGIO from it only while it is full
    bool async_on_ = false;
    bool at_line_start_ = true;
    bool complained_ = false;
    Rotate rotate_ = nullptr;
    void* rotate_ctx_;  // read only with rotate_: no initial value
    relay::Prefix prefix_;
    const char* pending_;  // output not yet taken by the target (read only while pending_size_ > 0)
    std::size_t pending_size_ = 0;
    std::size_t in_begin_ = 0, in_end_ = 0;
    std::size_t typed_begin_ = 0, typed_end_ = 0;
    char in_[kChunk];
    char out_[2 * kChunk];
    char typed_[4096];
};

}  // namespace initd
