// launcher.cpp - see launcher.hpp.
#include "launcher.hpp"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.hpp"

extern char **environ;

namespace {

// Descriptors at 10 or above, so that moving one to 0-3 in the child is always
// a real dup2 (which clears close-on-exec), never a no-op that leaves it set.
int high_fd(int fd)
{
	if (fd < 0)
		return -1;
	int high = fcntl(fd, F_DUPFD_CLOEXEC, 10);
	close(fd);
	return high;
}

bool make_pipe(int fds[2])
{
	int raw[2];
	if (pipe2(raw, O_CLOEXEC) != 0)
		return false;
	fds[0] = high_fd(raw[0]);
	fds[1] = high_fd(raw[1]);
	return fds[0] >= 0 && fds[1] >= 0;
}

std::string find_in_path(const std::string &name)
{
	if (name.find('/') != std::string::npos)
		return name;
	const char *path = std::getenv("PATH");
	std::string dirs = path ? path : "/usr/local/bin:/usr/bin:/bin";
	size_t at = 0;
	while (at <= dirs.size()) {
		size_t end = dirs.find(':', at);
		if (end == std::string::npos)
			end = dirs.size();
		std::string candidate = dirs.substr(at, end - at) + "/" + name;
		if (access(candidate.c_str(), X_OK) == 0)
			return candidate;
		at = end + 1;
	}
	return name;
}

// Everything the child needs, prepared by the parent: the child shares the
// parent's memory until it execs, so it may only rearrange fds and exec.
struct Plan {
	const char *path;
	char **argv;
	int in, out, err, report;
};

int child_main(void *arg)
{
	auto *plan = static_cast<Plan *>(arg);
	dup2(plan->in, 0);
	dup2(plan->out, 1);
	dup2(plan->err, 2);
	if (plan->report >= 0)
		dup2(plan->report, 3);
	// Without CLONE_SIGHAND the child has its own dispositions: resetting
	// them here leaves the driver's alone.
	struct sigaction dfl = {};
	dfl.sa_handler = SIG_DFL;
	for (int sig = 1; sig < NSIG; sig++)
		sigaction(sig, &dfl, nullptr);
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, nullptr);
	execve(plan->path, plan->argv, environ);
	_exit(127);
}

} // namespace

Launcher::Launcher(bool quiet) : quiet_(quiet), null_(high_fd(open("/dev/null", O_RDWR | O_CLOEXEC))), stack_(64 * 1024) {}

Launcher::~Launcher()
{
	if (null_ >= 0)
		close(null_);
}

Proc Launcher::start(const Launch &how)
{
	Proc p;
	int report[2] = {-1, -1}, go[2] = {-1, -1}, out[2] = {-1, -1};
	if ((how.report_pipe && !make_pipe(report)) || (how.go_pipe && !make_pipe(go)) ||
	    (how.capture_stdout && !make_pipe(out))) {
		for (int fd : {report[0], report[1], go[0], go[1], out[0], out[1]})
			if (fd >= 0)
				close(fd);
		return p;
	}
	std::string path = how.search_path ? find_in_path(how.argv[0]) : how.argv[0];
	std::vector<char *> argv;
	for (auto &s : how.argv)
		argv.push_back(const_cast<char *>(s.c_str()));
	argv.push_back(nullptr);
	Plan plan{path.c_str(), argv.data(), how.go_pipe ? go[0] : null_, how.capture_stdout ? out[1] : null_,
	          quiet_ || how.silent ? null_ : 2, report[1]};

	// No signal handler may run in the child while it shares the driver's memory.
	sigset_t all, old;
	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, &old);
	int flags = CLONE_VM | CLONE_VFORK | SIGCHLD | (how.new_pid_namespace ? CLONE_NEWPID : 0);
	p.pid = clone(child_main, stack_.data() + stack_.size(), flags, &plan);
	sigprocmask(SIG_SETMASK, &old, nullptr);

	for (int fd : {report[1], go[0], out[1]})
		if (fd >= 0)
			close(fd);
	p.report = report[0];
	p.go = go[1];
	p.out = out[0];
	if (p.pid < 0) {
		finish(p);
		p.pid = -1;
	}
	return p;
}

int Launcher::run(const std::vector<std::string> &argv, std::string *out, int timeout_ms)
{
	Launch how;
	how.argv = argv;
	how.capture_stdout = out != nullptr;
	how.search_path = true;
	how.silent = true; // the tools' chatter is not the benchmark's
	Proc p = start(how);
	if (p.pid < 0)
		return -1;
	if (out) {
		char buf[4096];
		ssize_t n;
		while ((n = read(p.out, buf, sizeof buf)) > 0)
			out->append(buf, size_t(n));
	}
	int status = wait_exit(p.pid, timeout_ms);
	if (status == -1) {
		finish(p, SIGKILL);
		return -1;
	}
	p.pid = -1;
	finish(p);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

bool read_exact(int fd, void *buf, size_t len, int timeout_ms)
{
	char *p = static_cast<char *>(buf);
	uint64_t deadline = now_ns() + uint64_t(timeout_ms) * 1000000u;
	while (len > 0) {
		int64_t left_ms = (int64_t(deadline) - int64_t(now_ns())) / 1000000;
		if (left_ms <= 0)
			return false;
		pollfd pfd{fd, POLLIN, 0};
		int r = poll(&pfd, 1, int(left_ms));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return false;
		ssize_t n = read(fd, p, len);
		if (n <= 0)
			return false;
		p += n;
		len -= size_t(n);
	}
	return true;
}

void drain(int fd)
{
	char buf[4096];
	pollfd pfd{fd, POLLIN, 0};
	while (poll(&pfd, 1, 0) > 0 && (pfd.revents & POLLIN) && read(fd, buf, sizeof buf) > 0)
		;
}

// A pidfd becomes readable at exit, so no polling loop is needed.
int wait_exit(pid_t pid, int timeout_ms)
{
	int pidfd = int(syscall(SYS_pidfd_open, pid, 0));
	if (pidfd >= 0) {
		pollfd pfd{pidfd, POLLIN, 0};
		int r;
		do
			r = poll(&pfd, 1, timeout_ms);
		while (r < 0 && errno == EINTR);
		close(pidfd);
		if (r == 0)
			return -1;
	}
	int status = 0;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return status;
}

void finish(Proc &p, int sig)
{
	if (p.pid > 0) {
		kill(p.pid, sig);
		if (wait_exit(p.pid, 5000) == -1) {
			kill(p.pid, SIGKILL);
			wait_exit(p.pid, 5000);
		}
	}
	for (int fd : {p.report, p.go, p.out})
		if (fd >= 0)
			close(fd);
	p = Proc{};
}
