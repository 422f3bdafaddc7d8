// Runs the real build/initd the way users run it: as PID 1 of a new PID namespace
// (with its own /proc), or as a plain process that registers as child subreaper.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <sys/types.h>
#include <utility>
#include <vector>

namespace harness {

enum class Mode { pid1, subreaper };
const char* mode_name(Mode mode);

std::string initd_path();
std::string helper(const std::string& name);  // path of a static helper program
// The same programs for a child that runs as another user (--user, RLIMIT_NPROC): copies,
// made once per test process, in a temporary directory (0755, files 0755) that any user
// can reach, since the build directory may not be (a checkout under /root is 0700).
std::string initd_for_anyone();
std::string helper_for_anyone(const std::string& name);

// A pipe read line by line: the child sees its write end as descriptor 3 when it is a
// Launch's `reporter` (helpers report on it), or as stderr with `stderr_fd = write_fd`.
struct Reporter {
    int read_fd = -1;
    int write_fd = -1;
    std::string buffered;
    Reporter();
    ~Reporter();
    Reporter(const Reporter&) = delete;
    Reporter& operator=(const Reporter&) = delete;
    // The next line, without its '\n'; nullopt after `timeout_ms` or at end of file.
    std::optional<std::string> line(int timeout_ms = 10000);
    // Reads lines until one contains `text` (true), appending each to `seen`; false at
    // end of file or after `timeout_ms` of silence.
    bool wait_for(const std::string& text, std::string& seen, int timeout_ms = 10000);
    // Every line already written: for when the writers are gone (initd has exited).
    std::vector<std::string> rest();
    // Closes the test's copy of the write end once the child has its own, so that
    // line() sees end of file when the child is gone.
    void launched();
};

struct Launch {
    Mode mode = Mode::subreaper;
    std::vector<std::string> argv;          // argv[0] onwards; argv[0] may be a symlink's name
    std::string program;                    // what to exec; default initd_path()
    std::vector<std::string> extra_env;     // NAME=VALUE added to a minimal environment
    Reporter* reporter = nullptr;           // its write end becomes fd 3
    int pending_signal = 0;                 // raised (all signals blocked) just before exec
    bool block_all_signals = false;         // exec initd with every signal blocked
    int stdin_fd = -1;                      // default: /dev/null
    int stdout_fd = -1;                     // default: captured
    int stderr_fd = -1;                     // default: captured
    bool new_session = false;               // setsid() before exec (pty tests)
    int controlling_tty = -1;               // with new_session: TIOCSCTTY on this fd (as stdin)
    // pid1 mode only: (source, target) bind-mounted in initd's new mount namespace after
    // /proc, e.g. a test /etc/passwd; the host's files are untouched.
    std::vector<std::pair<std::string, std::string>> bind_mounts;
    std::vector<int> blocked_signals;       // exec initd with these blocked (1-64)
    std::vector<int> ignored_signals;       // and these set to SIG_IGN
};

// The one way to start initd: `name options... -- command...` in `mode`. `name` is
// argv[0]: "initd" runs initd_path(), a peer's name (tini, dumb-init, ...) runs it through
// a symlink of that name. Without `command` there is no "--" either, so a test of how
// initd parses its arguments passes them all as `options`. Set other fields (extra_env,
// reporter, ...) on the result.
Launch initd_launch(Mode mode, std::vector<std::string> options, std::vector<std::string> command = {},
                    const std::string& name = "initd");
// `launch` started through `wrapper` (a program's path, then its arguments), a program
// that ends by exec'ing the arguments that follow: initd's path and initd's arguments.
Launch under(std::vector<std::string> wrapper, Launch launch);

class Process {
public:
    explicit Process(const Launch& launch);  // REQUIREs that the launch worked
    ~Process();
    Process(const Process&) = delete;
    Process& operator=(const Process&) = delete;

    pid_t pid() const { return pid_; }
    int signal(int sig) const;  // kill(2) from the test's namespace
    // Exit code (128+N for signal N); kills and FAILs the test after `timeout_ms`.
    int wait(int timeout_ms = 20000);
    bool exited_within(int timeout_ms);  // true and reaped if it exited in time
    // SIGKILLs it and everything below it (deepest first), reaps it, keeps its output.
    void kill_all();
    int exit_code() const { return exit_code_; }
    const std::string& out();
    const std::string& err();

private:
    void collect_output();
    pid_t pid_ = -1;
    int pidfd_ = -1;
    int out_fd_ = -1, err_fd_ = -1;
    bool reaped_ = false;
    int exit_code_ = -1;
    std::string out_, err_;
};

// Runs to completion: the exit code, stdout, stderr and every line reported on
// descriptor 3 (a reporter is attached unless the launch has one).
struct Result {
    int code;
    std::string out, err;
    std::vector<std::string> reported;
};
Result run(Launch launch, int timeout_ms = 20000);

// initd must refuse `launch` before it runs anything: exit `code` (2 as initd, 1 under
// the peers' names), `line` alone on stderr, nothing on stdout (README "Exit codes").
void check_refused(const Launch& launch, const std::string& line, int code = 2);

// The lines of the probe helper, `launch`'s command, which must exit 0: "pid=.. ppid=..
// pgrp=.. sid=.. tpgrp=.. uid=.. blk=.. ign=..", then NAME=VALUE per variable asked for.
std::vector<std::string> probe(const Launch& launch);

// Whole contents of a file (/proc/PID/stat, a test's output), nullopt if it cannot be read.
std::optional<std::string> read_file(const std::string& path);
// What can be read from `fd` until it has been silent for `timeout_ms` or ends.
std::string read_available(int fd, int timeout_ms);

// These tests need root (PID namespaces, --user, RLIMIT_NPROC); FAILs saying `why` otherwise.
void require_root(const std::string& why);

std::vector<std::string> lines_of(const std::string& text);

// The value of `key` in a line of key=value fields ("pid=5 pgid=5"), as the probe helper
// reports them; REQUIREs that the key is there.
std::string field(const std::string& line, const std::string& key);

using Clock = std::chrono::steady_clock;
long long ms_since(Clock::time_point start);

// A symlink named `name` (tini, dumb-init, ...) to initd, in a temporary directory.
std::string symlink_as(const std::string& name);

// Host pids of `pid`'s children (from /proc/PID/task/PID/children).
std::vector<pid_t> children_of(pid_t pid);
// The state letter of /proc/PID/stat ('S', 'T', 'Z', ...), or 0 when it is gone.
char state_of(pid_t pid);
// Waits up to `timeout_ms` for `pid` to be in `state` (or, with `negate`, to leave it).
bool wait_for_state(pid_t pid, char state, int timeout_ms, bool negate = false);

// initd started from `launch`, with `reporter` as the child's descriptor 3 and, with
// `stderr_lines`, initd's stderr readable line by line in `err` while it runs.
struct Started {
    Reporter reporter;  // before `process`: the launch hands their write ends to initd
    Reporter err;
    Process process;
    explicit Started(Launch launch, bool stderr_lines = false);

private:
    Launch attach(Launch launch, bool stderr_lines);
};

// initd (with `options`) running the signal recorder (tests/helpers/recorder), which has
// said it is ready; `adjust` changes the launch first (environment, a pending signal, a
// terminal, a wrapper).
struct Recorded : Started {
    pid_t recorder = 0;  // the recorder's pid in its own namespace, as it reported it
    explicit Recorded(Mode mode, std::vector<std::string> options = {},
                      const std::function<void(Launch&)>& adjust = {});
    std::string send(int sig);  // signal initd, return the recorder's next line
    // SIGUSR2 to initd must reach the recorder ("12"), which exits 0, and initd with it.
    void finish();
};

}  // namespace harness
