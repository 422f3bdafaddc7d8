// launcher.hpp - the one way the driver starts processes.
//
// Every process (inits, children, and the tools the docker measurement runs)
// is started by Launcher::start: a vfork-like clone (CLONE_VM|CLONE_VFORK, as
// glibc's posix_spawn does it), so the driver's own cost per start is small and
// the same for every variant; with CLONE_NEWPID when the process must be PID 1
// of a new PID namespace.  The child gets stdin, stdout and stderr on
// /dev/null unless asked otherwise, an empty signal mask and default signal
// dispositions (inits pass both on to their child).
#pragma once

#include <string>
#include <sys/types.h>
#include <vector>

struct Launch {
	std::vector<std::string> argv;
	bool report_pipe = false;    // a pipe on the child's fd 3, read end in Proc::report
	bool go_pipe = false;        // the child's stdin is a pipe, write end in Proc::go
	bool capture_stdout = false; // the child's stdout is a pipe, read end in Proc::out
	bool new_pid_namespace = false;
	bool search_path = false;    // argv[0] is a tool looked up in PATH
	bool silent = false;         // stderr on /dev/null even when the launcher is not quiet
};

struct Proc {
	pid_t pid = -1;
	int report = -1;
	int go = -1;
	int out = -1;
};

class Launcher {
public:
	// quiet: the children's stderr goes to /dev/null too.
	explicit Launcher(bool quiet);
	~Launcher();
	Launcher(const Launcher &) = delete;
	Launcher &operator=(const Launcher &) = delete;

	// pid -1 when the process could not be started.
	Proc start(const Launch &how);

	// Run a tool to completion with output discarded (or captured); its exit
	// code, 128+N when killed by signal N, -1 when it could not run in time.
	int run(const std::vector<std::string> &argv, std::string *out = nullptr, int timeout_ms = 60000);

private:
	bool quiet_;
	int null_ = -1;
	std::vector<char> stack_; // the clone child's stack, until it execs
};

// Read exactly len bytes, giving up after timeout_ms in total.
bool read_exact(int fd, void *buf, size_t len, int timeout_ms);
void drain(int fd);
// Wait for pid to end, up to timeout_ms; the wait status, or -1 on timeout.
int wait_exit(pid_t pid, int timeout_ms);
// End a process we started, whatever state it is in, and close its pipes.
void finish(Proc &p, int sig = 15 /* SIGTERM */);
