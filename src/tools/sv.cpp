// runit's sv: control and status of supervised services through the files a supervisor
// (runit's runsv, or initd's services) keeps in DIR/supervise/: letters written to the
// FIFO `control`, the 20-byte record `status`, and the FIFO `ok`, which can be opened for
// writing only while a supervisor holds it (ENXIO otherwise). Output lines, words and
// exit codes are those of Debian's sv; see README "sv and chpst" for what differs.
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

#include "initd/clock.hpp"
#include "initd/log.hpp"
#include "initd/options.hpp"
#include "initd/runit_cli.hpp"
#include "initd/sigmask.hpp"
#include "initd/tools.hpp"

namespace initd::tools {
namespace {

using runit::Status;

// One run of sv; globals, as in runit's sv: a one-shot tool with one of everything.
// Zero-initialised and with no constructor to run, so that it costs the file nothing
// (.bss) and initd, when it is no sv, never touches its page.
struct Run {
    Text* out;            // stdout: runit's sv buffers a line and flushes it whole
    const char* service;  // as given on the command line
    bool log;             // talking about service/log
    const char* letters;  // what the command writes, or 'C' (check), 's' (status)
    unsigned rc;          // every fail: and warning: line counts
    long long start_ms, now_ms;
} run;

int open_at(int dir, const char* path, int flags) { return openat(dir, path, flags | O_CLOEXEC); }

long long clock_ms() {
    timespec ts = clock_read(CLOCK_REALTIME);
    return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

// Ends the line and writes it out.
void end_line() {
    *run.out << '\n';
    log::write_all(STDOUT_FILENO, run.out->view());
    run.out->clear();
}

// "PREFIX: service[/log]: WHAT: errno's words", as runit's out(), or with `tail` in
// place of ": errno's words"; every line but "ok:" counts towards the exit code.
// Returns -1, what the callers return next.
int say(const char* prefix, const char* what, const char* tail = nullptr) {
    int err = errno;
    *run.out << prefix << run.service << (run.log ? "/log: " : ": ") << what;
    if (tail) *run.out << tail;
    else *run.out << ": " << runit::error_text(err);
    end_line();
    run.rc += *prefix != 'o';
    return -1;
}
int warn(const char* what) { return say("warning: ", what); }
// "runsv not running": fine for exit, which wants none.
void no_supervisor() { say(*run.letters == 'x' ? "ok: " : "fail: ", "runsv not running", ""); }

// The service's directory (O_PATH: nothing is read through it), under $SVDIR unless the
// name starts with '/' or '.'; -1 after a fail: line. runit's first pass also takes a
// name that ends in '/' as a path, its waiting loop does not: `first` keeps that.
int open_service(const char* svdir, bool first) {
    const char* name = run.service;
    std::size_t len = std::strlen(name);
    int base = AT_FDCWD;
    if (*name != '/' && *name != '.' && !(first && (!len || name[len - 1] == '/')))
        base = open_at(AT_FDCWD, svdir, O_PATH | O_DIRECTORY);
    int dir = base == -1 ? -1 : open_at(base, name, O_PATH | O_DIRECTORY);
    if (dir < 0) say("fail: ", "unable to change to service directory");
    if (base >= 0) close(base);  // not AT_FDCWD
    return dir;
}

// 1 with the record in `s`, 0 when no supervisor runs, -1 after a warning.
int get_status(int dir, Status& s) {
    int fd = open_at(dir, "supervise/ok", O_WRONLY | O_NONBLOCK);
    if (fd < 0) {
        if (errno == ENXIO) return no_supervisor(), 0;
        return warn("unable to open supervise/ok");
    }
    close(fd);
    fd = open_at(dir, "supervise/status", O_RDONLY);
    if (fd < 0) return warn("unable to open supervise/status");
    unsigned char record[20];
    ssize_t n = read(fd, record, sizeof record);
    close(fd);  // keeps errno when it works
    if (n < 0) return warn("unable to read supervise/status");
    if (!runit::decode({record, static_cast<std::size_t>(n)}, s))
        return say("warning: ", "unable to read supervise/status", ": bad format");
    return 1;
}

// Appends the status words ("run: NAME: (pid 12) 5s, normally down").
void print_status(int dir, const char* name, const Status& s) {
    int down = open_at(dir, "down", O_PATH);
    if (down >= 0) close(down);
    runit::format_status(*run.out, name, s, run.now_ms / 1000, down < 0);
}

// One line for the service and its logger: "run: a: (pid 12) 5s; run: log: (pid 11) 5s".
void status(int dir) {
    Status s;
    if (get_status(dir, s) <= 0) return;
    print_status(dir, run.service, s);
    run.log = true;
    int log = open_at(dir, "log", O_PATH | O_DIRECTORY);
    if (log < 0) {
        if (errno == ENOENT) end_line();
        else *run.out << "; ", warn("unable to change directory");
    } else {
        *run.out << "; ";
        if (get_status(log, s)) {  // -1 too: runit then repeats the service's record, as here
            print_status(log, "log", s);
            end_line();
        }
        close(log);
    }
    run.log = false;
}

// Whether the command has taken effect: 1 (and "ok: ..."), 0 not yet, -1 never.
int check(int dir) {
    Status s;
    int r = get_status(dir, s);
    if (r < 0) return -1;
    long long start = run.start_ms / 1000;
    for (const char* a = run.letters; *a; ++a) {
        if (r == 0) return *a == 'x' ? 1 : -1;
        char c = *a == 'C' ? (s.want_up ? 'u' : 'd') : *a;
        bool pid = s.pid != 0, later = start > s.since_sec;
        // Not yet there: come back. Ifs, not a switch: its jump table would cost more.
        if (c == 'x') return 0;
        if (c == 'u' ? !pid || s.state != runit::State::run  // no ./check scripts: see README
            : c == 'd' ? pid || s.state != runit::State::down
            : c == 't' || c == 'k' ? (pid || s.want_up) && (later || !pid || s.got_term)
            : c == 'o' ? (!pid && later) || (pid && s.want_up)
            : (c == 'p' || c == 'c') && pid && s.paused != (c == 'p'))
            return 0;
    }
    *run.out << "ok: ";
    print_status(dir, run.service, s);
    end_line();
    return 1;
}

// Writes `letters` to supervise/control: 1 written, 0 not needed, -1 failed.
int control(int dir, const char* letters) {
    Status s;
    if (get_status(dir, s) <= 0) return -1;
    // Already wanted that way: nothing to say, except "down" to a service that never
    // got its TERM (runit's "once" without a TERM).
    if (*letters == (s.want_up ? 'u' : 'd') && (*letters != 'd' || s.got_term)) return 0;
    int fd = open_at(dir, "supervise/control", O_WRONLY | O_NONBLOCK);
    if (fd < 0) {
        if (errno != ENXIO) return warn("unable to open supervise/control");
        no_supervisor();  // ("ok" for exit; runit looks at "k" here when it kills at a timeout)
        return -1;
    }
    std::size_t len = std::strlen(letters);
    bool written = write(fd, letters, len) == static_cast<ssize_t>(len);
    close(fd);
    return written ? 1 : warn("unable to write to supervise/control");
}

constexpr char kUsage[] = "usage: sv [-v] [-w sec] command service ...\n\n";
[[noreturn]] void usage() { runit::usage(kUsage); }

}  // namespace

int sv(int, char** argv, char** envp) {
    Text out;
    run.out = &out;
    const char* svdir = lookup(envp, "", "SVDIR");
    if (!svdir) svdir = "/etc/service/";
    unsigned long wait_s = 7;
    if (const char* w = lookup(envp, "", "SVWAIT")) wait_s = runit::scan_ulong(w);
    bool verbose = false;
    runit::Getopt opt;
    for (int c; (c = opt.next(argv, "w:vV", "sv", kUsage));) {
        if (c == 'w') wait_s = runit::scan_ulong(opt.value);
        else if (c != 'v') usage();  // -V: initd has no runit version to show
        verbose = true;  // as runit's: -w implies -v
    }
    char** services = argv + opt.index;
    runit::SvAction action;
    if (!*services || !services[1] || !runit::sv_action(*services, action)) usage();
    ++services;
    static char done[] = "";  // a service that needs no more looking at
    run.letters = action.letters;
    bool is_status = *run.letters == 's', is_check = *run.letters == 'C';
    bool wait = action.wait || (verbose && !is_status);
    run.start_ms = run.now_ms = clock_ms();

    // runit's two passes in one loop: first the command (or the status) for every
    // service, then, while waiting, whether each has got where it was sent.
    for (bool first = true;; first = false) {
        long long waited_ms = run.now_ms - run.start_ms;
        bool pending = false;
        for (char** s = services; *s; ++s) {
            if (*s == done) continue;
            run.service = *s;
            int dir = open_service(svdir, first);
            bool over = true;  // nothing more to do for this one
            if (dir >= 0 && first) {
                if (is_status) status(dir);
                over = !is_status && !is_check && control(dir, run.letters) < 0;
            } else if (dir >= 0 && !(over = check(dir) != 0) && waited_ms > static_cast<long long>(wait_s) * 1000) {
                *run.out << (action.kill ? "kill: " : "timeout: ");
                Status st;
                if (get_status(dir, st) > 0) print_status(dir, run.service, st), ++run.rc;
                end_line();
                if (action.kill) control(dir, "k");
                over = true;
            }
            if (dir >= 0) close(dir);
            if (over) *s = done;
            pending |= !over;
        }
        if (!wait || !pending) break;
        if (!first) {
            sigmask::nap(420);
            run.now_ms = clock_ms();
        }
    }
    return run.rc > 99 ? 99 : static_cast<int>(run.rc);
}

}  // namespace initd::tools
