#include "initd/service_directory.hpp"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <sys/inotify.h>

#include "initd/clock.hpp"
#include "initd/deadlines.hpp"
#include "initd/dir_list.hpp"
#include "initd/large_bss.hpp"
#include "initd/log.hpp"
#include "initd/output_relay.hpp"
#include "initd/raw_fs.hpp"
#include "initd/sigmask.hpp"

namespace initd::services {
namespace {

// "a" + "/" + "b" into `out` (names are at most kMaxNameLength: it fits).
const char* join(char (&out)[96], const char* a, const char* b) {
    std::size_t n = std::strlen(a);
    std::memcpy(out, a, n);
    out[n] = '/';
    std::memcpy(out + n + 1, b, std::strlen(b) + 1);
    return out;
}

// Replaces supervise/NAME whole, as runsv does: a reader never sees half a record.
void write_file(int dir, const char* name, std::string_view data) {
    char fresh[96], final[96];
    join(final, "supervise", name);
    join(fresh, final, "new");
    fresh[std::strlen(final)] = '.';  // "supervise/NAME.new"
    int fd = openat(dir, fresh, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (fd < 0) return;
    bool whole = ::write(fd, data.data(), data.size()) == static_cast<ssize_t>(data.size());
    ::close(fd);
    // Raw calls here and below: musl's wrappers are used by nothing else.
    if (whole) syscall(SYS_renameat, long{dir}, fresh, long{dir}, final);
}

void say(const char* service, const char* what, int err) {
    Text t;
    t << "service " << service << ": " << what;
    if (err) t << ": " << log::errno_text(err);
    log::line(log::Level::error, t);
}

}  // namespace

void ServiceDirectory::open(const char* path, const ChildSetup& base, bool prefix) {
    table_.bind(*this);
    prefix_ = prefix;
    std::memset(files_, -1, sizeof files_);
    base_ = &base;
    inotify_ = -1;
    dir_ = ::open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir_ < 0) {
        say(path, "cannot open; no services", errno);
        return;
    }
    inotify_ = static_cast<int>(syscall(SYS_inotify_init1, long{IN_NONBLOCK | IN_CLOEXEC}));
    if (inotify_ < 0 || syscall(SYS_inotify_add_watch, long{inotify_}, path,
                                long{IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_ATTRIB | IN_ONLYDIR}) < 0)
        say(path, "inotify failed: new services are not seen", errno);
    else raw_fs::signal_when_readable(inotify_);
    scan();
}

// (Out of line, as ServiceTable::program: one copy of the row arithmetic.)
[[gnu::noinline]] ServiceDirectory::Place& ServiceDirectory::place(int service, Which which) {
    Files& f = files_[service];
    return which == Which::run ? f.run : f.log;
}

// DIR/NAME is a service when it is a directory (a link to one counts, as with runit)
// whose `run` is executable. Services whose directory went away are stopped.
void ServiceDirectory::scan() {
    INITD_LARGE_BSS static NameList names;  // 8 KiB: not on the stack
    if (!list_sorted(dir_, ".", names)) return;
    if (names.overflow) say(".", "too many entries; the last are left out", 0);
    char run[96];
    for (int i = 0; i < kMaxServices; ++i) {
        const Service& s = table_.at(i);
        if (!s.in_use || s.removed) continue;
        bool there = false;
        for (int n = 0; n < names.count && !there; ++n) there = std::strcmp(names[n], s.name) == 0;
        if (!there || !raw_fs::executable(dir_, join(run, s.name, "run"))) table_.remove(i);
    }
    for (int n = 0; n < names.count; ++n) {
        const char* name = names[n];
        if (name[0] == '.' || std::strlen(name) > static_cast<std::size_t>(kMaxNameLength) || table_.find(name) >= 0) continue;
        // (NAME/run resolves only through a directory, or a link to one: no stat needed)
        if (raw_fs::executable(dir_, join(run, name, "run"))) add(name);
    }
}

// supervise/ with its two FIFOs, as runsv makes them, under `parent`/`sub`.
bool ServiceDirectory::prepare(int parent, const char* sub, Place& place) {
    place.dir = openat(parent, sub, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (place.dir < 0) return false;
    syscall(SYS_mkdirat, long{place.dir}, "supervise", 0700L);
    for (const char* fifo : {"supervise/control", "supervise/ok"})
        syscall(SYS_mknodat, long{place.dir}, fifo, long{S_IFIFO | 0600}, 0L);
    // Two ends, as runsv holds them: the reading one raises SIGIO when sv writes; the
    // writing one keeps the FIFO from reporting end-of-file when an sv closes it. (One
    // O_RDWR descriptor would do that too, but the kernel then signals its writer side
    // after every read: SIGIO without end.)
    place.control = openat(place.dir, "supervise/control", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    place.control_writer = openat(place.dir, "supervise/control", O_WRONLY | O_NONBLOCK | O_CLOEXEC);
    place.ok = openat(place.dir, "supervise/ok", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (place.control < 0 || place.control_writer < 0 || place.ok < 0) return false;
    raw_fs::signal_when_readable(place.control);
    return true;
}

void ServiceDirectory::close_all(Files& f) {
    // Files is descriptors only (add() fills it with memset too): one loop over them.
    static_assert(sizeof(Files) == 10 * sizeof(int));
    int* fds = reinterpret_cast<int*>(&f);
    for (std::size_t i = 0; i < sizeof f / sizeof(int); ++i) {
        if (fds[i] >= 0) ::close(fds[i]);
        fds[i] = -1;
    }
}

void ServiceDirectory::add(const char* name) {
    Files f;
    std::memset(&f, -1, sizeof f);
    bool ok = prepare(dir_, name, f.run);
    bool has_log = ok && raw_fs::executable(f.run.dir, "log/run");
    if (has_log) ok = prepare(f.run.dir, "log", f.log) && raw_fs::pipe_cloexec(f.pipe) == 0;
    // Made once, as the logger's: kept across restarts, so no line is lost between two
    // runs. (Without it the service writes to initd's stdout, as without the option.)
    else if (ok && prefix_ && raw_fs::pipe_cloexec(f.pipe) == 0) raw_fs::signal_when_readable(f.pipe[0]);
    // Without a logger f.log.dir is -1: its finish is not executable (EBADF), and the
    // table wants no absent logger up.
    int slot = ok ? table_.add(name, has_log, raw_fs::executable(f.run.dir, "finish"),
                               raw_fs::executable(f.log.dir, "finish"), !raw_fs::exists(f.run.dir, "down"),
                               !raw_fs::exists(f.log.dir, "down"))
                  : -1;
    if (slot < 0) {
        say(name, ok ? "left out: 64 services at most" : "cannot make supervise/", ok ? 0 : errno);
        close_all(f);
        return;
    }
    files_[slot] = f;
    at_line_start_[slot] = true;
    table_.refresh(slot);  // its first state, now that the files are in place
    read_commands(slot, Which::run);
    read_commands(slot, Which::log);
}

void ServiceDirectory::released(int service) {
    drain(service);
    close_all(files_[service]);
}

void ServiceDirectory::on_io() {
    if (inotify_ >= 0) {
        alignas(8) char events[1024];
        bool changed = false;
        while (::read(inotify_, events, sizeof events) > 0) changed = true;
        if (changed) {
            scan();
            table_.start_wanted();  // the new ones
        }
    }
    for (int i = 0; i < kMaxServices; ++i) {
        if (!table_.at(i).in_use) continue;
        read_commands(i, Which::run);
        read_commands(i, Which::log);  // (no logger: no descriptor, nothing read)
    }
    drain_output();
}

void ServiceDirectory::drain_output() {
    for (int i = 0; i < kMaxServices; ++i)
        if (table_.at(i).in_use) drain(i);  // (before open() the descriptors are zeros)
}

// What the service wrote, each line behind "NAME: ", to initd's stdout: a plain
// blocking write, as the service's own would have been. Read until the pipe is empty.
void ServiceDirectory::drain(int service) {
    const Service& s = table_.at(service);
    int fd = files_[service].pipe[0];
    if (s.log.present || fd < 0) return;  // (a logger reads it: not ours)
    char prefix[kMaxNameLength + 3];
    std::size_t length = std::strlen(s.name);
    std::memcpy(prefix, s.name, length);
    std::memcpy(prefix + length, ": ", 2);
    ssize_t n;
    while ((n = ::read(fd, in_, sizeof in_)) > 0) {
        for (std::size_t used = 0; used < static_cast<std::size_t>(n);) {
            std::size_t filled = 0;
            used += relay::prefix_lines({in_ + used, n - used}, {prefix, length + 2}, out_, filled,
                                        at_line_start_[service], false);
            // A stdout that takes no more: the lines are dropped, the service goes on.
            if (!log::write_all(STDOUT_FILENO, {out_, filled}) && errno == EPIPE) sigmask::discard_pending(SIGPIPE);
        }
    }
}

void ServiceDirectory::read_commands(int service, Which which) {
    int fd = place(service, which).control;
    char letters[32];
    ssize_t n;
    while (fd >= 0 && (n = ::read(fd, letters, sizeof letters)) > 0)
        for (ssize_t i = 0; i < n; ++i) table_.control(service, which, letters[i]);
}

pid_t ServiceDirectory::start(int service, Which which, const int* finish_args) {
    Files& f = files_[service];
    Text args;  // runit's two arguments to ./finish, a NUL between them
    char* argv[4] = {const_cast<char*>(finish_args ? "./finish" : "./run"), nullptr, nullptr, nullptr};
    if (finish_args) {
        args << finish_args[0] << '\0' << finish_args[1];
        argv[1] = const_cast<char*>(args.c_str());
        argv[2] = argv[1] + std::strlen(argv[1]) + 1;
    }
    ChildSetup setup = *base_;
    setup.background = true;
    setup.new_session = false;
    setup.user = nullptr;
    setup.command = argv;
    setup.directory_fd = place(service, which).dir;
    if (which == Which::run) {
        setup.stdout_fd = f.pipe[1];
        setup.stderr_to_stdout = f.pipe[1] >= 0 && !table_.at(service).log.present;  // --prefix-services
    } else setup.stdin_fd = f.pipe[0];
    SpawnResult result = spawn_child(setup, foreground_);
    char name[96];
    join(name, table_.at(service).name, which == Which::log ? "log" : argv[0] + 2);  // "x/run", "x/finish", "x/log"
    if (!result.failed_call) {
        log::line(log::Level::info, Text() << name << " started as pid " << result.pid);
        return result.pid;
    }
    // (The child has already exited: its zombie is reaped as anyone's.)
    say(name, result.exec_failed() ? "cannot execute" : result.failed_call, result.failed_errno);
    return -1;
}

void ServiceDirectory::signal(pid_t pid, int sig) { ::kill(pid, sig); }

std::int64_t ServiceDirectory::now_ms() { return initd::now_ms(); }

void ServiceDirectory::wall_now(std::int64_t& sec, std::uint32_t& nsec) {
    timespec ts = clock_read(CLOCK_REALTIME);
    sec = ts.tv_sec;
    nsec = static_cast<std::uint32_t>(ts.tv_nsec);
}

void ServiceDirectory::publish(int service, Which which, const runit::Status& status) {
    int dir = place(service, which).dir;
    if (dir < 0) return;
    runit::Record record = runit::encode(status);
    write_file(dir, "status", {reinterpret_cast<const char*>(record.data()), record.size()});
    // The text forms runsv keeps beside it.
    Text t;
    t << (status.state == runit::State::run ? "run" : status.state == runit::State::finish ? "finish" : "down");
    if (status.paused) t << ", paused";
    if (status.got_term) t << ", got TERM";
    if (status.state != runit::State::down && !status.want_up) t << ", want down";
    if (status.state == runit::State::down && status.want_up) t << ", want up";
    t << '\n';
    write_file(dir, "stat", t.view());
    t.clear();
    if (status.pid > 0) t << status.pid << '\n';
    write_file(dir, "pid", t.view());
}

}  // namespace initd::services
