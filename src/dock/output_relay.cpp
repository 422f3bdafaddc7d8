#include "initd/output_relay.hpp"

#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "initd/duration.hpp"
#include "initd/io_socket.hpp"
#include "initd/log.hpp"
#include "initd/raw_fs.hpp"
#include "initd/sigmask.hpp"
#include "initd/spawn.hpp"

namespace initd {
namespace relay {

bool make_prefix(std::string_view spec, Prefix& out, Text& why) {
    // ANSI's order: ESC[31m is red ... ESC[37m white. (Views, not substr: no range checks.)
    std::size_t colon = spec.rfind(':'), first = spec.find(':'), from = colon + 1;  // 0 without a ':'
    int colour = colon == std::string_view::npos
                     ? -1
                     : word_index({spec.data() + from, spec.size() - from},
                                  "red\0green\0yellow\0blue\0magenta\0cyan\0white\0");
    char code = colour < 0 ? 0 : static_cast<char>('1' + colour);
    char start[] = "\x1b[3X;1m";
    start[3] = code;
    out.clear();
    out << (code ? start : "") << std::string_view(spec.data(), first < spec.size() ? first : spec.size())
        << (code ? "\x1b[0m" : "");
    if (!out.truncated()) return true;
    why << "--stdout-prefix: too long";
    return false;
}

std::size_t prefix_lines(std::string_view in, std::string_view prefix, std::span<char> out, std::size_t& filled,
                         bool& at_line_start, bool stop_after_newline) {
    std::size_t used = 0;
    while (used < in.size()) {
        if (at_line_start) {
            if (out.size() - filled <= prefix.size()) break;
            std::memcpy(out.data() + filled, prefix.data(), prefix.size());
            filled += prefix.size();
            at_line_start = false;
        }
        std::size_t n = in.size() - used, room = out.size() - filled;
        if (room == 0) break;
        if (n > room) n = room;
        const char* start = in.data() + used;
        // Without a prefix no line needs its own turn: up to the last newline at once.
        auto* newline = static_cast<const char*>(prefix.empty() && !stop_after_newline ? memrchr(start, '\n', n)
                                                                                      : std::memchr(start, '\n', n));
        if (newline) n = static_cast<std::size_t>(newline - start) + 1;
        std::memcpy(out.data() + filled, start, n);
        filled += n;
        used += n;
        if (newline) {
            at_line_start = true;
            if (stop_after_newline) break;
        }
    }
    return used;
}

}  // namespace relay

namespace {

constexpr int kPipeSize = 1 << 20;

// Raw calls, as raw_fs: musl's fstat alone brings fstatat and its /proc fallback (800 bytes).
int set_flags(int fd, int flags) { return static_cast<int>(syscall(SYS_fcntl, fd, F_SETFL, flags)); }

}  // namespace

bool OutputRelay::open_io(const char* url, std::string_view prefix, Text& why) {
    io::Url where;
    if (!io::parse_url(url, where, why) || !relay::make_prefix(prefix, prefix_, why)) return false;
    if (where.kind >= io::Kind::tcp) {
        target_ = input_ = io::dial(where, why);
        if (target_ < 0 || !io::open_terminal(source_, child_end_, why)) return false;
        terminal_ = true;
        raw_fs::signal_when_readable(target_);
    } else {
        target_ = STDOUT_FILENO;
        struct stat st;
        if (where.kind == io::Kind::file) {
            // O_APPEND: after rotate_log empties the file, the next line is at 0.
            file_path_ = where.path.data();  // the rest of the URL's string: null-terminated
            target_ = open(file_path_, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOCTTY, 0600);
            if (target_ < 0) {
                io::with_errno(why << "--io " << where.path);
                return false;
            }
        } else if (syscall(SYS_fstat, STDOUT_FILENO, &st) == 0 && S_ISFIFO(st.st_mode)) {
            // A pipe (docker, podman): a description of initd's own, non-blocking, so that a
            // reader that stops never stops the loop; O_NONBLOCK on fd 1 itself would reach
            // the services writing to it. Where /proc is missing, fd 1 as it is.
            int fd = open("/proc/self/fd/1", O_WRONLY | O_NONBLOCK | O_CLOEXEC);
            if (fd >= 0) {
                target_ = fd;
                async_on_block_ = true;
                syscall(SYS_fcntl, fd, F_SETOWN, getpid());
            }
        }
        int fds[2];
        if (raw_fs::pipe_cloexec(fds) < 0) {
            io::with_errno(why << "output pipe");
            return false;
        }
        source_ = fds[0];
        child_end_ = fds[1];
        // Room for the child to write on while initd is busy. Past
        // /proc/sys/fs/pipe-max-size it fails: the default size does too.
        syscall(SYS_fcntl, source_, F_SETPIPE_SZ, kPipeSize);
    }
    raw_fs::signal_when_readable(source_);
    return true;
}

void OutputRelay::give_to(ChildSetup& setup) const {
    if (child_on_terminal()) setup.terminal_fd = child_end_;
    else {
        setup.stdout_fd = child_end_;
        setup.stderr_to_stdout = true;
    }
}

void OutputRelay::after_spawn() {
    if (child_end_ >= 0) close(child_end_);
    child_end_ = -1;
}

void OutputRelay::request_rotation(Rotate rotate, void* ctx) {
    rotate_ = rotate;
    rotate_ctx_ = ctx;
    pump();
}

void OutputRelay::on_io() {
    if (input_ >= 0) pump_input();
    pump();
}

void OutputRelay::drain_at_exit() {
    // Waiting is right now: these are the child's last words. Blocking writes (a socket
    // gives up after its send timeout); fd 1 itself is left as it came. O_APPEND stays
    // for a file and means nothing to a pipe or a socket.
    if (target_ != STDOUT_FILENO) set_flags(target_, O_APPEND);
    async_on_block_ = async_on_ = false;
    pump();
}

// A pipe target that is full: SIGIO from it once its reader makes room (only then: it
// would signal after every read); off again once a write goes through. True when it
// changed: armed just now, the reader may have made room already, so the caller tries
// again once.
bool OutputRelay::set_async(bool on) {
    if (!async_on_block_ || async_on_ == on) return false;
    set_flags(target_, O_WRONLY | O_NONBLOCK | (on ? O_ASYNC : 0));
    async_on_ = on;
    return true;
}

bool OutputRelay::flush() {
    while (pending_size_) {
        long n = write(target_, pending_, pending_size_);
        if (n > 0) {
            pending_ += n;
            pending_size_ -= static_cast<std::size_t>(n);
            set_async(false);
        } else if (errno == EAGAIN) {
            if (!set_async(true)) return false;
        } else if (errno != EINTR) {
            // The output is dropped, not retried for ever: the child writes on.
            if (errno == EPIPE) sigmask::discard_pending(SIGPIPE);  // initd's own, not to forward
            if (!complained_) log::failure("output relay: write", errno);
            complained_ = true;
            pending_size_ = 0;
        }
    }
    return true;
}

bool OutputRelay::read_more() {
    long n = read(source_, in_, sizeof in_);
    if (n <= 0) return false;  // empty, the end, or a terminal whose slave is closed (EIO)
    in_begin_ = 0;
    in_end_ = static_cast<std::size_t>(n);
    return true;
}

void OutputRelay::pump() {
    for (;;) {
        if (!flush()) return;
        if (rotate_ && at_line_start_) {
            Rotate rotate = rotate_;
            rotate_ = nullptr;
            rotate(rotate_ctx_);
        }
        if (in_begin_ == in_end_) {
            if (!read_more()) return;
            continue;
        }
        std::string_view in(in_ + in_begin_, in_end_ - in_begin_);
        pending_ = out_;
        pending_size_ = 0;
        in_begin_ += relay::prefix_lines(in, prefix_.view(), out_, pending_size_, at_line_start_, rotate_);
    }
}

void OutputRelay::pump_input() {
    for (;;) {
        while (typed_begin_ < typed_end_) {
            long n = write(source_, typed_ + typed_begin_, typed_end_ - typed_begin_);
            if (n < 0 && errno == EAGAIN) return;  // the terminal signals when the child has read
            typed_begin_ = n < 0 ? typed_end_ : typed_begin_ + static_cast<std::size_t>(n);
        }
        long n = read(input_, typed_, sizeof typed_);
        if (n == 0) input_ = -1;  // the peer sends no more; the output may still flow
        if (n <= 0) return;
        typed_begin_ = 0;
        typed_end_ = static_cast<std::size_t>(n);
    }
}

}  // namespace initd
