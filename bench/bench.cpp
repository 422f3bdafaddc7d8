// bench.cpp - benchmark driver: initd against tini, tini-static, dumb-init,
// catatonit, no init at all, and a bare fork/exec/wait loop.
//
// Run it through bench/run, which installs the peers, builds the helpers in
// bench/helpers/ and passes their directory here.  Every measurement is
// interleaved between the inits (round-robin inside each repetition) so that
// the noise of a shared 2-core machine spreads over all of them alike, and the
// reported figure is the median over the repetitions.  bench/README.md says
// how each number is taken and what it does not show.
//
// The driver never decides pass or fail: it only prints numbers.

#include <algorithm>
#include <cerrno>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <deque>
#include <dirent.h>
#include <elf.h>
#include <fcntl.h>
#include <fstream>
#include <functional>
#include <map>
#include <poll.h>
#include <sched.h>
#include <set>
#include <signal.h>
#include <spawn.h>
#include <sstream>
#include <string>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>
#include <unordered_map>
#include <vector>

extern char **environ;

namespace {

// ---------------------------------------------------------------- basics

constexpr int kSigCounted = 35; // SIGRTMIN+1 for the kernel; queued, never merged
constexpr int kSigMarker = 36;  // end-of-burst marker; dequeued after every 35

uint64_t now_ns()
{
	timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return uint64_t(ts.tv_sec) * 1000000000u + uint64_t(ts.tv_nsec);
}

double ms_since(uint64_t t0) { return double(now_ns() - t0) / 1e6; }

void nap_us(long us)
{
	timespec ts{us / 1000000, (us % 1000000) * 1000};
	nanosleep(&ts, nullptr);
}

uint64_t started_ns = now_ns();

void progress(const std::string &msg)
{
	std::fprintf(stderr, "bench: [%5.1f s] %s\n", double(now_ns() - started_ns) / 1e9, msg.c_str());
}

double median(std::vector<double> v)
{
	if (v.empty())
		return 0;
	std::sort(v.begin(), v.end());
	size_t n = v.size();
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

// Nearest-rank percentile, p in (0, 1].
double percentile(std::vector<double> v, double p)
{
	if (v.empty())
		return 0;
	std::sort(v.begin(), v.end());
	size_t rank = size_t(p * double(v.size()) + 0.999999);
	return v[std::clamp<size_t>(rank, 1, v.size()) - 1];
}

std::string fmt(double v, int decimals)
{
	char buf[64];
	std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
	return buf;
}

// A median of counts: whole numbers stay whole, a half (even number of
// repetitions) keeps its decimal instead of being rounded away.
std::string fmt_count(double v)
{
	return v == double(long(v)) ? fmt(v, 0) : fmt(v, 1);
}

std::string slurp(const std::string &path)
{
	std::ifstream in(path);
	std::stringstream ss;
	ss << in.rdbuf();
	return ss.str();
}

// The number after "key" in a /proc "Key:   123 kB" style text, or -1.
long proc_field(const std::string &text, const std::string &key)
{
	size_t at = text.find("\n" + key);
	if (at == std::string::npos) {
		if (text.compare(0, key.size(), key) != 0)
			return -1;
		at = 0;
	} else {
		at += 1;
	}
	return std::strtol(text.c_str() + at + key.size(), nullptr, 10);
}

std::string pid_file(pid_t pid, const char *name)
{
	return slurp("/proc/" + std::to_string(pid) + "/" + name);
}

// A dynamically linked ELF has a PT_INTERP program header naming ld.so.
bool elf_is_dynamic(const std::string &path)
{
	std::ifstream in(path, std::ios::binary);
	Elf64_Ehdr eh{};
	if (!in.read(reinterpret_cast<char *>(&eh), sizeof eh))
		return false;
	for (int i = 0; i < eh.e_phnum; i++) {
		Elf64_Phdr ph{};
		in.seekg(std::streamoff(eh.e_phoff + uint64_t(i) * eh.e_phentsize));
		if (!in.read(reinterpret_cast<char *>(&ph), sizeof ph))
			return false;
		if (ph.p_type == PT_INTERP)
			return true;
	}
	return false;
}

// ---------------------------------------------------------------- the inits

enum class Kind { Init, None, Bare };

struct Variant {
	std::string name;                // column title
	std::string path;                // the binary; empty for "no init"
	std::vector<std::string> prefix; // arguments between the binary and the command
	Kind kind = Kind::Init;
	std::string missing;             // why it cannot run; empty when it can

	bool ok() const { return missing.empty(); }
	bool is_init() const { return kind == Kind::Init; }

	std::vector<std::string> command(const std::vector<std::string> &child) const
	{
		if (kind == Kind::None)
			return child;
		std::vector<std::string> argv{path};
		argv.insert(argv.end(), prefix.begin(), prefix.end());
		argv.insert(argv.end(), child.begin(), child.end());
		return argv;
	}
};

struct Config {
	std::string initd = "build/initd";
	std::string helpers = "bench/build";
	std::string out = "bench/RESULTS.md";
	std::string command = "bench/run";
	std::set<std::string> only; // measurements to run; empty: all
	bool quiet_children = true;
	int startup_runs = 1000;
	int latency_signals = 1000;
	int latency_rounds = 5; // fresh processes per round: see measure_latency
	int burst = 10000;
	int orphans = 10000;
	int idle_reps = 2;
	int idle_seconds = 10;
	int loss_reps = 3;
	int reap_reps = 3;
	int shutdown_reps = 20;
	int docker_reps = 3;
	int docker_stop_timeout = 3;
	// On a loaded machine the two longest measurements stop starting new
	// repetitions after this many seconds, so a run stays within ~6 minutes;
	// the report gives the counts actually done.
	int startup_budget_s = 150;
	int reap_budget_s = 90;

	bool wants(const std::string &m) const { return only.empty() || only.count(m); }
	std::string helper(const char *name) const { return helpers + "/" + name; }
};

Config cfg;

std::vector<Variant> make_variants()
{
	std::vector<Variant> v;
	// tini gets -s everywhere: initd and catatonit register as subreapers
	// when they are not PID 1, so this makes tini do the same work (and keeps
	// its "not PID 1" warning out of the start-up time).
	v.push_back({"initd", cfg.initd, {"--"}, Kind::Init, ""});
	v.push_back({"tini", "/usr/bin/tini", {"-s", "--"}, Kind::Init, ""});
	v.push_back({"tini-static", "/usr/bin/tini-static", {"-s", "--"}, Kind::Init, ""});
	v.push_back({"dumb-init", "/usr/bin/dumb-init", {}, Kind::Init, ""});
	v.push_back({"catatonit", "/usr/bin/catatonit", {"--"}, Kind::Init, ""});
	v.push_back({"no init", "", {}, Kind::None, ""});
	v.push_back({"bare loop", cfg.helper("bareinit"), {"--"}, Kind::Bare, ""});
	for (auto &x : v)
		if (x.kind != Kind::None && access(x.path.c_str(), X_OK) != 0)
			x.missing = "missing (" + x.path + ")";
	return v;
}

const std::vector<std::string> kPeers = {"tini", "tini-static", "dumb-init", "catatonit"};

// ---------------------------------------------------------------- results

struct Cell {
	double value = 0;
	std::string text;
};

struct Row {
	std::string label;
	bool higher_is_better = false;
	bool ratio = true; // compare initd with the best peer on this row
	std::map<std::string, Cell> cells;
};

std::deque<Row> rows; // a deque: add_row() hands out references that must stay valid
std::vector<std::string> notes;

Row &add_row(const std::string &label, bool higher_is_better = false, bool ratio = true)
{
	rows.push_back(Row{label, higher_is_better, ratio, {}});
	return rows.back();
}

void set_cell(Row &r, const std::string &name, double value, const std::string &text)
{
	r.cells[name] = Cell{value, text};
}

// ---------------------------------------------------------------- processes

struct Proc {
	pid_t pid = -1;
	int report = -1; // read end of the pipe that is the child's fd 3
	int go = -1;     // write end of the pipe that is the child's stdin (spawn_pid1)
};

// A close-on-exec pipe whose ends are at fd 10 or above, so that moving the
// write end to fd 3 in a child is always a real dup2 (which clears
// close-on-exec) and never a no-op that leaves the flag set.
bool make_pipe(int fds[2])
{
	int raw[2];
	if (pipe2(raw, O_CLOEXEC) != 0)
		return false;
	for (int i = 0; i < 2; i++) {
		fds[i] = fcntl(raw[i], F_DUPFD_CLOEXEC, 10);
		close(raw[i]);
	}
	return fds[0] >= 0 && fds[1] >= 0;
}

std::vector<char *> c_argv(const std::vector<std::string> &argv)
{
	std::vector<char *> out;
	for (auto &s : argv)
		out.push_back(const_cast<char *>(s.c_str()));
	out.push_back(nullptr);
	return out;
}

// Start argv with stdin/stdout (and normally stderr) on /dev/null, an empty
// signal mask and default dispositions (inits pass both on to their child),
// and, when asked, a report pipe on fd 3.  posix_spawn (vfork-like) keeps the
// driver's own cost per start small and equal for every variant.
Proc spawn(const std::vector<std::string> &argv, bool report_pipe)
{
	Proc p;
	int fds[2] = {-1, -1};
	if (report_pipe && !make_pipe(fds))
		return p;

	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	if (cfg.quiet_children)
		posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	if (report_pipe)
		posix_spawn_file_actions_adddup2(&fa, fds[1], 3);

	posix_spawnattr_t at;
	posix_spawnattr_init(&at);
	sigset_t none, all;
	sigemptyset(&none);
	sigfillset(&all);
	posix_spawnattr_setsigmask(&at, &none);
	posix_spawnattr_setsigdefault(&at, &all);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

	auto args = c_argv(argv);
	if (posix_spawn(&p.pid, args[0], &fa, &at, args.data(), environ) != 0)
		p.pid = -1;
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	if (report_pipe) {
		close(fds[1]);
		p.report = fds[0];
	}
	return p;
}

// Same as spawn(), but the process is PID 1 of a new PID namespace, so it is
// the reaper of every orphan below it, and its stdin is a pipe the driver
// writes to (Proc::go).  A raw clone() with CLONE_NEWPID and no new stack
// behaves like fork(); the child only rearranges fds and execs.
Proc spawn_pid1(const std::vector<std::string> &argv)
{
	Proc p;
	int fds[2], in[2];
	if (!make_pipe(fds) || !make_pipe(in))
		return p;
	auto args = c_argv(argv);
	pid_t pid = pid_t(syscall(SYS_clone, CLONE_NEWPID | SIGCHLD, nullptr, nullptr, nullptr, nullptr));
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);
		dup2(in[0], 0);
		dup2(null, 1);
		if (cfg.quiet_children)
			dup2(null, 2);
		dup2(fds[1], 3);
		sigset_t none;
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, nullptr);
		execv(args[0], args.data());
		_exit(127);
	}
	close(fds[1]);
	close(in[0]);
	p.pid = pid;
	p.report = fds[0];
	p.go = in[1];
	return p;
}

// Read exactly len bytes, giving up after timeout_ms in total.
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

// Wait for pid to end, up to timeout_ms; a pidfd becomes readable at exit,
// so no polling loop is needed.  Returns the wait status, or -1 on timeout.
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

// End a process we started, whatever state it is in.
void finish(Proc &p, int sig = SIGTERM)
{
	if (p.pid > 0) {
		kill(p.pid, sig);
		if (wait_exit(p.pid, 5000) == -1) {
			kill(p.pid, SIGKILL);
			wait_exit(p.pid, 5000);
		}
	}
	if (p.report >= 0)
		close(p.report);
	if (p.go >= 0)
		close(p.go);
	p = Proc{};
}

// Start v with child, wait for the child's ready byte.  The returned Proc is
// the init (or the child itself for "no init"); pid -1 on failure.
Proc start_ready(const Variant &v, const std::vector<std::string> &child)
{
	Proc p = spawn(v.command(child), true);
	char ready = 0;
	if (p.pid > 0 && (!read_exact(p.report, &ready, 1, 5000) || ready != 'R')) {
		progress(v.name + ": child did not report ready");
		finish(p, SIGKILL);
	}
	return p;
}

std::vector<const Variant *> pick(const std::vector<Variant> &all, bool with_none, bool with_bare)
{
	std::vector<const Variant *> out;
	for (auto &v : all) {
		if (!v.ok())
			continue;
		if ((v.kind == Kind::None && !with_none) || (v.kind == Kind::Bare && !with_bare))
			continue;
		out.push_back(&v);
	}
	return out;
}

// Cells for variants that could not run say why.
void mark_missing(Row &r, const std::vector<Variant> &all, bool with_none, bool with_bare)
{
	for (auto &v : all) {
		if ((v.kind == Kind::None && !with_none) || (v.kind == Kind::Bare && !with_bare))
			continue;
		if (!v.ok())
			set_cell(r, v.name, 0, "missing");
	}
}

// Visit variants round-robin: repetition i starts at a different variant so
// that no init always runs right after the same neighbour.
void round_robin(const std::vector<const Variant *> &vs, int i,
                 const std::function<void(const Variant &)> &fn)
{
	for (size_t k = 0; k < vs.size(); k++)
		fn(*vs[(size_t(i) + k) % vs.size()]);
}

// ---------------------------------------------------------------- size

std::vector<std::string> needed_libs(const std::string &bin);

void measure_size(const std::vector<Variant> &all)
{
	Row &r = add_row("binary size (bytes of the file)");
	for (auto &v : all) {
		if (!v.is_init())
			continue;
		if (!v.ok()) {
			set_cell(r, v.name, 0, "missing");
			continue;
		}
		struct stat st{};
		stat(v.path.c_str(), &st);
		bool dyn = elf_is_dynamic(v.path);
		set_cell(r, v.name, double(st.st_size),
		         std::to_string(st.st_size) + (dyn ? " (dynamic: + libc)" : " (static)"));
	}

	// What a user really copies into a scratch image: a dynamic binary brings its
	// shared libraries and ld.so along.
	Row &image = add_row("bytes in a scratch image (binary + the shared libraries it needs)");
	for (auto &v : all) {
		if (!v.is_init() || !v.ok())
			continue;
		struct stat st{};
		stat(v.path.c_str(), &st);
		double total = double(st.st_size);
		if (elf_is_dynamic(v.path))
			for (const auto &lib : needed_libs(v.path)) {
				struct stat ls{};
				if (stat(lib.c_str(), &ls) == 0)
					total += double(ls.st_size);
			}
		set_cell(image, v.name, total, std::to_string((long long)total));
	}
}

// ---------------------------------------------------------------- memory and idle

struct IdleSample {
	long rss_kb, pss_kb, ctxsw, syscalls;
};

long ctx_switches(pid_t pid)
{
	std::string s = pid_file(pid, "status");
	return proc_field(s, "voluntary_ctxt_switches:") + proc_field(s, "nonvoluntary_ctxt_switches:");
}

long rw_syscalls(pid_t pid)
{
	std::string s = pid_file(pid, "io");
	return proc_field(s, "syscr:") + proc_field(s, "syscw:");
}

// All inits run at once with a sleeping child for the idle window; memory is
// read at the end of the window, when every init has long settled.
void measure_idle(const std::vector<Variant> &all)
{
	auto vs = pick(all, false, false);
	std::map<std::string, std::vector<IdleSample>> got;
	for (int rep = 0; rep < cfg.idle_reps; rep++) {
		progress("idle + memory: window " + std::to_string(rep + 1) + "/" +
		         std::to_string(cfg.idle_reps) + " (" + std::to_string(cfg.idle_seconds) + " s)");
		std::vector<Proc> procs;
		round_robin(vs, rep, [&](const Variant &v) { procs.push_back(start_ready(v, {cfg.helper("sleeper")})); });
		// The window starts 1 s after the children reported ready: an init
		// may still be finishing its own start-up (closing fds, chdir) when
		// its child is already running, and that is not idle time.  Nothing
		// reports the end of that work, hence a plain pause.
		sleep(1);
		std::vector<long> cs0, io0;
		for (auto &p : procs) {
			cs0.push_back(p.pid > 0 ? ctx_switches(p.pid) : 0);
			io0.push_back(p.pid > 0 ? rw_syscalls(p.pid) : 0);
		}
		sleep(unsigned(cfg.idle_seconds)); // the window is the measurement itself
		size_t k = 0;
		round_robin(vs, rep, [&](const Variant &v) {
			Proc &p = procs[k];
			if (p.pid > 0) {
				std::string st = pid_file(p.pid, "status");
				std::string sm = pid_file(p.pid, "smaps_rollup");
				got[v.name].push_back({proc_field(st, "VmRSS:"), proc_field(sm, "Pss:"),
				                       ctx_switches(p.pid) - cs0[k], rw_syscalls(p.pid) - io0[k]});
			}
			k++;
		});
		for (auto &p : procs)
			finish(p);
	}

	Row &rss = add_row("memory: VmRSS of the init, child sleeping (kB)");
	Row &pss = add_row("memory: Pss of the init (smaps_rollup, kB)");
	Row &cs = add_row("idle " + std::to_string(cfg.idle_seconds) + " s: context switches of the init (vol+invol)");
	Row &io = add_row("idle " + std::to_string(cfg.idle_seconds) + " s: read/write syscalls of the init (syscr+syscw)");
	for (auto &[name, samples] : got) {
		auto col = [&](auto field) {
			std::vector<double> v;
			for (auto &s : samples)
				v.push_back(double(field(s)));
			return median(v);
		};
		double a = col([](const IdleSample &s) { return s.rss_kb; });
		double b = col([](const IdleSample &s) { return s.pss_kb; });
		double c = col([](const IdleSample &s) { return s.ctxsw; });
		double d = col([](const IdleSample &s) { return s.syscalls; });
		set_cell(rss, name, a, fmt_count(a));
		set_cell(pss, name, b, fmt_count(b));
		set_cell(cs, name, c, fmt_count(c));
		set_cell(io, name, d, fmt_count(d));
	}
	for (Row *r : {&rss, &pss, &cs, &io})
		mark_missing(*r, all, false, false);
}

// ---------------------------------------------------------------- start-up

void measure_startup(const std::vector<Variant> &all)
{
	auto vs = pick(all, true, true);
	std::map<std::string, std::vector<double>> ms;
	std::map<std::string, int> failed;
	progress("start-up: " + std::to_string(cfg.startup_runs) + " runs of each, interleaved");
	uint64_t t_begin = now_ns();
	for (int i = 0; i < cfg.startup_runs; i++) {
		if (i >= 100 && ms_since(t_begin) > cfg.startup_budget_s * 1e3) {
			progress("start-up: time budget used up after " + std::to_string(i) + " runs of each");
			cfg.startup_runs = i;
			break;
		}
		round_robin(vs, i, [&](const Variant &v) {
			uint64_t t0 = now_ns();
			Proc p = spawn(v.command({"/bin/true"}), false);
			int status = p.pid > 0 ? wait_exit(p.pid, 10000) : -1;
			ms[v.name].push_back(ms_since(t0));
			if (!(WIFEXITED(status) && WEXITSTATUS(status) == 0))
				failed[v.name]++;
		});
	}
	double base = median(ms["no init"]);
	Row &wall = add_row("start-up: median wall time of `INIT -- /bin/true` (ms)");
	Row &over = add_row("start-up: overhead over plain /bin/true (ms)");
	for (auto *v : vs) {
		double m = median(ms[v->name]);
		std::string bad = failed[v->name] ? " (" + std::to_string(failed[v->name]) + " failed)" : "";
		set_cell(wall, v->name, m, fmt(m, 3) + bad);
		if (v->kind != Kind::None)
			set_cell(over, v->name, m - base, fmt(m - base, 3) + bad);
	}
	mark_missing(wall, all, true, true);
	mark_missing(over, all, false, true);
}

// ---------------------------------------------------------------- signals

// The init of v (or the child itself for "no init"), the child being sigecho.
// For "no init" the signal goes straight to the child: the kernel's own cost.
// Whether an init and its child share a CPU changes the latency a lot, and
// the scheduler keeps a process where it is; so the signals are sent in
// several rounds, each with freshly started processes, and the rounds pooled.
void measure_latency(const std::vector<Variant> &all)
{
	auto vs = pick(all, true, false);
	int per_round = std::max(1, cfg.latency_signals / cfg.latency_rounds);
	progress("signal latency: " + std::to_string(cfg.latency_rounds) + " rounds of " +
	         std::to_string(per_round) + " paced SIGUSR1 per init");
	std::map<std::string, std::vector<double>> us;
	std::map<std::string, int> lost;
	for (int round = 0; round < cfg.latency_rounds; round++) {
		std::vector<Proc> procs;
		for (auto *v : vs)
			procs.push_back(start_ready(*v, {cfg.helper("sigecho"), "latency"}));
		for (int i = 0; i < per_round; i++) {
			for (size_t k = 0; k < vs.size(); k++) {
				size_t j = (size_t(i + round) + k) % vs.size();
				Proc &p = procs[j];
				if (p.pid <= 0)
					continue;
				uint64_t arrived = 0;
				uint64_t sent = now_ns();
				kill(p.pid, SIGUSR1);
				// Pacing: the next signal goes only after this one was acknowledged.
				if (read_exact(p.report, &arrived, sizeof arrived, 2000))
					us[vs[j]->name].push_back(double(arrived - sent) / 1e3);
				else
					lost[vs[j]->name]++;
			}
		}
		for (auto &p : procs)
			finish(p);
	}
	cfg.latency_signals = per_round * cfg.latency_rounds;

	Row &med = add_row("signal forwarding latency, median (µs)");
	Row &p99 = add_row("signal forwarding latency, p99 (µs)");
	for (auto *v : vs) {
		auto &d = us[v->name];
		std::string bad = lost[v->name] ? " (" + std::to_string(lost[v->name]) + " lost)" : "";
		if (d.empty()) {
			set_cell(med, v->name, 0, "failed");
			continue;
		}
		set_cell(med, v->name, median(d), fmt(median(d), 1) + bad);
		set_cell(p99, v->name, percentile(d, 0.99), fmt(percentile(d, 0.99), 1) + bad);
	}
	mark_missing(med, all, true, false);
	mark_missing(p99, all, true, false);
}

struct Counts {
	uint32_t usr1 = 0, rt = 0;
	bool ok = false;
};

// Send the end-of-burst marker and read the child's counts.  The marker is
// a real-time signal above the counted one, so the init and the child both
// dequeue every counted signal before it; it is re-sent if it was lost.
Counts collect_counts(Proc &p)
{
	Counts c;
	uint32_t buf[2];
	for (int attempt = 0; attempt < 5 && !c.ok; attempt++) {
		kill(p.pid, kSigMarker);
		if (read_exact(p.report, buf, sizeof buf, 2000)) {
			c.usr1 = buf[0];
			c.rt = buf[1];
			c.ok = true;
		}
	}
	return c;
}

// Returns how many kill() calls succeeded (EAGAIN when the queue is full).
int send_burst(pid_t pid, int sig, int n)
{
	int sent = 0;
	for (int i = 0; i < n; i++)
		if (kill(pid, sig) == 0)
			sent++;
	return sent;
}

void measure_loss(const std::vector<Variant> &all)
{
	auto vs = pick(all, true, false);
	std::vector<Proc> procs;
	for (auto *v : vs)
		procs.push_back(start_ready(*v, {cfg.helper("sigecho"), "count"}));

	progress("signal loss: bursts of " + std::to_string(cfg.burst) + " signals, " +
	         std::to_string(cfg.loss_reps) + " repetitions");
	std::map<std::string, std::vector<double>> rt_got, usr1_got;
	std::map<std::string, int> rt_refused;
	for (int rep = 0; rep < cfg.loss_reps; rep++) {
		for (size_t k = 0; k < vs.size(); k++) {
			size_t j = (size_t(rep) + k) % vs.size();
			Proc &p = procs[j];
			if (p.pid <= 0)
				continue;
			drain(p.report);
			int sent = send_burst(p.pid, kSigCounted, cfg.burst);
			rt_refused[vs[j]->name] += cfg.burst - sent;
			Counts c = collect_counts(p);
			if (c.ok)
				rt_got[vs[j]->name].push_back(c.rt);

			drain(p.report);
			send_burst(p.pid, SIGUSR1, cfg.burst);
			c = collect_counts(p);
			if (c.ok)
				usr1_got[vs[j]->name].push_back(c.usr1);
		}
	}
	for (auto &p : procs)
		finish(p);

	std::string n = std::to_string(cfg.burst);
	Row &rt = add_row("signal burst: SIGRTMIN+1 (35) received of " + n + " ↑", true);
	Row &u1 = add_row("signal burst: SIGUSR1 received of " + n + " (standard signals merge) ↑", true);
	for (auto *v : vs) {
		std::string refused = rt_refused[v->name]
		                          ? " (" + std::to_string(rt_refused[v->name]) + " refused by kill)"
		                          : "";
		if (rt_got[v->name].empty())
			set_cell(rt, v->name, 0, "no report");
		else
			set_cell(rt, v->name, median(rt_got[v->name]), fmt(median(rt_got[v->name]), 0) + refused);
		if (usr1_got[v->name].empty())
			set_cell(u1, v->name, 0, "no report");
		else
			set_cell(u1, v->name, median(usr1_got[v->name]), fmt(median(usr1_got[v->name]), 0));
	}
	mark_missing(rt, all, true, false);
	mark_missing(u1, all, true, false);
	rlimit lim{};
	getrlimit(RLIMIT_SIGPENDING, &lim);
	notes.push_back("RLIMIT_SIGPENDING (queued signals per user) was " + std::to_string(lim.rlim_cur) +
	                "; a burst of " + n + " fits in it.");
}

// ---------------------------------------------------------------- reaping

// Count zombies anywhere below root (root itself excluded), from one pass
// over /proc: read every process's state and parent, then walk down from root.
int zombie_descendants(pid_t root)
{
	std::unordered_map<pid_t, std::vector<pid_t>> kids;
	std::unordered_map<pid_t, char> state;
	DIR *d = opendir("/proc");
	if (!d)
		return -1;
	char path[300], buf[512];
	while (dirent *e = readdir(d)) {
		if (e->d_name[0] < '0' || e->d_name[0] > '9')
			continue;
		std::snprintf(path, sizeof path, "/proc/%s/stat", e->d_name);
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		ssize_t n = read(fd, buf, sizeof buf - 1);
		close(fd);
		if (n <= 0)
			continue;
		buf[n] = 0;
		// "pid (comm) S ppid ...": comm may hold spaces and ')', so parse
		// from the last ')'.
		char *rp = std::strrchr(buf, ')');
		if (!rp)
			continue;
		char st = 0;
		int ppid = 0;
		if (std::sscanf(rp + 1, " %c %d", &st, &ppid) != 2)
			continue;
		pid_t pid = pid_t(std::atoi(e->d_name));
		state[pid] = st;
		kids[ppid].push_back(pid);
	}
	closedir(d);

	int zombies = 0;
	std::vector<pid_t> todo{root};
	while (!todo.empty()) {
		pid_t p = todo.back();
		todo.pop_back();
		for (pid_t c : kids[p]) {
			if (state[c] == 'Z')
				zombies++;
			todo.push_back(c);
		}
	}
	return zombies;
}

// The children of pid other than `except`, from /proc/PID/task/PID/children:
// one read, far cheaper than a /proc scan (which takes 100-250 ms with 10,000
// zombies on the test machine).  The kernel does not promise the list is
// complete while it changes, so a count of 0 is confirmed by a full scan.
int other_children(pid_t pid, pid_t except)
{
	std::string path = "/proc/" + std::to_string(pid) + "/task/" + std::to_string(pid) + "/children";
	std::istringstream in(slurp(path));
	int n = 0;
	for (pid_t c; in >> c;)
		n += c != except;
	return n;
}

struct ReapSample {
	bool ok = false;
	double create_ms = 0;
	int made = 0;
	int pending = 0;      // orphans not yet reaped when the factory finished
	double clean_ms = -1; // -1: zombies were still there after 5 s
	int left = 0;         // zombies after 5 s (full /proc scan)
};

// Wait until the init has no child but the factory, for at most 5 s from
// t0; fills clean_ms and left.  Polls with short pauses, which leave the CPU
// to the reaper on a 2-core machine; nothing can notify us of the last reap.
void wait_clean(pid_t init, pid_t factory, uint64_t t0, ReapSample &s)
{
	while (now_ns() - t0 < 5000000000ull) {
		if (other_children(init, factory) == 0) {
			double at = ms_since(t0);
			if (zombie_descendants(init) == 0) {
				s.clean_ms = at;
				s.left = 0;
				return;
			}
		}
		nap_us(200);
	}
	s.left = zombie_descendants(init);
}

// One run: the init of v is PID 1 of a new namespace, its child the orphan
// factory.  live: the init reaps while the orphans are made.  backlog: the
// init is frozen (SIGSTOP, which a parent namespace may send to a namespace's
// init) while the orphans are made, then thawed: that times pure reaping of
// `orphans` zombies in one go.
ReapSample reap_once(const Variant &v, bool backlog)
{
	ReapSample s;
	Proc p = spawn_pid1(v.command({cfg.helper("orphans"), std::to_string(cfg.orphans)}));
	char ready = 0;
	if (p.pid <= 0 || !read_exact(p.report, &ready, 1, 5000)) {
		progress(v.name + ": orphan factory did not start");
		finish(p, SIGKILL);
		return s;
	}
	// With an init the factory is its only child now; without, it is p.pid.
	pid_t factory = p.pid;
	if (v.kind != Kind::None) {
		std::istringstream kids(pid_file(p.pid, ("task/" + std::to_string(p.pid) + "/children").c_str()));
		kids >> factory;
	}
	if (backlog) {
		kill(p.pid, SIGSTOP);
		// SIGSTOP takes effect asynchronously; wait until the init shows 'T'.
		while (pid_file(p.pid, "stat").find(") T") == std::string::npos)
			nap_us(100);
	}

	uint64_t t0 = now_ns();
	uint32_t made = 0;
	if (write(p.go, "g", 1) != 1 || !read_exact(p.report, &made, sizeof made, 120000)) {
		progress(v.name + ": orphan factory did not finish");
		finish(p, SIGKILL);
		return s;
	}
	uint64_t done = now_ns();
	s.made = int(made);
	s.create_ms = double(done - t0) / 1e6;
	s.pending = other_children(p.pid, factory);
	if (backlog) {
		done = now_ns();
		kill(p.pid, SIGCONT);
	}
	wait_clean(p.pid, factory, done, s);
	s.ok = true;
	// SIGKILL to a namespace's PID 1 ends the whole namespace: a clean slate.
	finish(p, SIGKILL);
	return s;
}

std::vector<double> pluck(const std::vector<ReapSample> &v, double ReapSample::*field)
{
	std::vector<double> out;
	for (auto &s : v)
		if (s.ok)
			out.push_back(s.*field);
	return out;
}

// "Time until clean" is a number only when most runs got clean within 5 s.
void set_clean_cell(Row &r, const std::string &name, const std::vector<ReapSample> &runs)
{
	std::vector<double> clean;
	int total = 0, unclean = 0;
	for (auto &s : runs) {
		if (!s.ok)
			continue;
		total++;
		if (s.clean_ms >= 0)
			clean.push_back(s.clean_ms);
		else
			unclean++;
	}
	if (total == 0)
		set_cell(r, name, 0, "failed");
	else if (int(clean.size()) * 2 > total)
		set_cell(r, name, median(clean),
		         fmt(median(clean), 1) + (unclean ? " (" + std::to_string(unclean) + " runs never clean)" : ""));
	else
		set_cell(r, name, 1e9, "never (> 5000)");
}

void measure_reaping(const std::vector<Variant> &all)
{
	auto vs = pick(all, true, false);
	std::map<std::string, std::vector<ReapSample>> live, backlog;
	uint64_t t_begin = now_ns();
	for (int rep = 0; rep < cfg.reap_reps; rep++) {
		if (rep >= 1 && ms_since(t_begin) > cfg.reap_budget_s * 1e3) {
			progress("reaping: time budget used up after " + std::to_string(rep) + " repetitions");
			cfg.reap_reps = rep;
			break;
		}
		progress("reaping: repetition " + std::to_string(rep + 1) + "/" + std::to_string(cfg.reap_reps) +
		         " (" + std::to_string(cfg.orphans) + " orphans per run, PID namespace)");
		round_robin(vs, rep, [&](const Variant &v) {
			live[v.name].push_back(reap_once(v, false));
			if (v.kind != Kind::None) // without an init there is nothing to freeze
				backlog[v.name].push_back(reap_once(v, true));
		});
	}

	std::string n = std::to_string(cfg.orphans);
	Row &create = add_row("reaping, live: time to make " + n + " orphans (ms)");
	Row &pending = add_row("reaping, live: orphans not yet reaped when the factory finished");
	Row &clean = add_row("reaping, live: time from then until none is left (ms)");
	Row &thaw = add_row("reaping, backlog: time to reap " + n + " zombies after SIGCONT (ms)");
	Row &left = add_row("reaping: zombies left after 5 s (live / backlog)");
	for (auto *v : vs) {
		auto &lv = live[v->name];
		auto c = pluck(lv, &ReapSample::create_ms);
		if (c.empty()) {
			set_cell(create, v->name, 0, "failed");
			continue;
		}
		int made_min = cfg.orphans;
		std::vector<double> pend, l_live, l_back;
		for (auto &s : lv)
			if (s.ok) {
				made_min = std::min(made_min, s.made);
				pend.push_back(s.pending);
				l_live.push_back(s.left);
			}
		std::string short_ = made_min < cfg.orphans ? " (only " + std::to_string(made_min) + " made)" : "";
		set_cell(create, v->name, median(c), fmt(median(c), 0) + short_);
		set_cell(pending, v->name, median(pend), fmt(median(pend), 0));
		set_clean_cell(clean, v->name, lv);
		if (v->kind == Kind::None) {
			set_cell(left, v->name, median(l_live), fmt(median(l_live), 0) + " / –");
			continue;
		}
		set_clean_cell(thaw, v->name, backlog[v->name]);
		for (auto &s : backlog[v->name])
			if (s.ok)
				l_back.push_back(s.left);
		double lb = median(l_back);
		set_cell(left, v->name, median(l_live) + lb, fmt(median(l_live), 0) + " / " + fmt(lb, 0));
	}
	for (Row *r : {&create, &pending, &clean, &thaw, &left})
		mark_missing(*r, all, true, false);
}

// ---------------------------------------------------------------- shutdown

void measure_shutdown(const std::vector<Variant> &all)
{
	auto vs = pick(all, true, false);
	std::map<std::string, std::vector<double>> ms;
	progress("shutdown: " + std::to_string(cfg.shutdown_reps) + " SIGTERMs per init");
	for (int rep = 0; rep < cfg.shutdown_reps; rep++) {
		round_robin(vs, rep, [&](const Variant &v) {
			Proc p = start_ready(v, {cfg.helper("sleeper")});
			if (p.pid <= 0)
				return;
			uint64_t t0 = now_ns();
			kill(p.pid, SIGTERM);
			int status = wait_exit(p.pid, 10000);
			if (status != -1)
				ms[v.name].push_back(ms_since(t0));
			else
				progress(v.name + ": did not exit within 10 s of SIGTERM");
			p.pid = status == -1 ? p.pid : -1;
			finish(p, SIGKILL);
		});
	}
	Row &r = add_row("shutdown: SIGTERM to the init until it has exited (ms)");
	for (auto *v : vs)
		set_cell(r, v->name, median(ms[v->name]),
		         ms[v->name].empty() ? "failed" : fmt(median(ms[v->name]), 3));
	mark_missing(r, all, true, false);
}

// ---------------------------------------------------------------- docker

// Run argv to completion with output discarded (or captured); its status.
int run(const std::vector<std::string> &argv, std::string *out = nullptr, int timeout_ms = 60000)
{
	int fds[2] = {-1, -1};
	if (out && !make_pipe(fds))
		return -1;
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	if (out)
		posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
	else
		posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	auto args = c_argv(argv);
	pid_t pid = -1;
	int rc = posix_spawnp(&pid, args[0], &fa, nullptr, args.data(), environ);
	posix_spawn_file_actions_destroy(&fa);
	if (out) {
		close(fds[1]);
		if (rc == 0) {
			char buf[4096];
			ssize_t n;
			while ((n = read(fds[0], buf, sizeof buf)) > 0)
				out->append(buf, size_t(n));
		}
		close(fds[0]);
	}
	if (rc != 0)
		return -1;
	int status = wait_exit(pid, timeout_ms);
	if (status == -1) {
		kill(pid, SIGKILL);
		wait_exit(pid, 5000);
		return -1;
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::string trim(std::string s)
{
	while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
		s.pop_back();
	return s;
}

std::string shell_quote(const std::string &s)
{
	std::string q = "'";
	for (char c : s)
		q += c == '\'' ? std::string("'\\''") : std::string(1, c);
	return q + "'";
}

// A name usable in docker image tags and container names ("no init" has a space).
std::string slug(std::string s)
{
	std::replace(s.begin(), s.end(), ' ', '-');
	return s;
}

// Copy a file into a rootfs at the same absolute path (or at `as`).
bool put(const std::string &root, const std::string &file, const std::string &as = "")
{
	std::string dest = root + (as.empty() ? file : as);
	std::string dir = dest.substr(0, dest.rfind('/'));
	return run({"mkdir", "-p", dir}) == 0 && run({"cp", "-L", file, dest}) == 0 &&
	       run({"chmod", "755", dest}) == 0;
}

// The shared libraries (and ld.so) a dynamic binary needs, from ldd.
std::vector<std::string> needed_libs(const std::string &bin)
{
	std::string out;
	run({"ldd", bin}, &out);
	std::vector<std::string> libs;
	std::istringstream in(out);
	std::string line;
	while (std::getline(in, line)) {
		size_t slash = line.find('/');
		if (slash == std::string::npos)
			continue;
		std::string path = line.substr(slash);
		path = path.substr(0, path.find(' '));
		libs.push_back(path);
	}
	return libs;
}

// An image FROM scratch holding only the init (and its libraries when it is
// dynamic) and the static sleeper; nothing has to be pulled.
bool build_image(const Variant &v, const std::string &tmp, std::string &why)
{
	std::string root = tmp + "/" + v.name;
	std::string tag = "initd-bench:" + slug(v.name);
	std::vector<std::string> entry;
	if (v.kind == Kind::None) {
		entry = {"/sleeper"};
	} else {
		if (!put(root, v.path, "/init")) {
			why = "cannot copy " + v.path;
			return false;
		}
		if (elf_is_dynamic(v.path))
			for (auto &lib : needed_libs(v.path))
				if (!put(root, lib)) {
					why = "cannot copy " + lib;
					return false;
				}
		entry = {"/init"};
		entry.insert(entry.end(), v.prefix.begin(), v.prefix.end());
		entry.push_back("/sleeper");
	}
	if (!put(root, cfg.helper("sleeper"), "/sleeper")) {
		why = "cannot copy the sleeper";
		return false;
	}
	std::string json = "ENTRYPOINT [";
	for (size_t i = 0; i < entry.size(); i++)
		json += (i ? ",\"" : "\"") + entry[i] + "\"";
	json += "]";
	std::string cmd = "tar -C " + shell_quote(root) + " -c . | docker import --change " + shell_quote(json) +
	                  " - " + shell_quote(tag) + " >/dev/null";
	if (std::system(cmd.c_str()) != 0) {
		why = "docker import failed";
		return false;
	}
	return true;
}

std::string read_comm(pid_t pid) { return trim(pid_file(pid, "comm")); }

// After `docker run -d` returns, wait until the sleeper runs inside, so
// that the stop hits a settled container.  There is no pipe out of the
// container, so this polls /proc (host pids) with 1 ms pauses.
bool container_settled(const std::string &name, bool has_init)
{
	std::string out;
	if (run({"docker", "inspect", "-f", "{{.State.Pid}}", name}, &out) != 0)
		return false;
	pid_t pid = pid_t(std::atoi(out.c_str()));
	if (pid <= 0)
		return false;
	for (int i = 0; i < 5000; i++) {
		if (!has_init && read_comm(pid) == "sleeper")
			return true;
		if (has_init) {
			std::string kids = pid_file(pid, ("task/" + std::to_string(pid) + "/children").c_str());
			pid_t child = pid_t(std::atoi(kids.c_str()));
			if (child > 0 && read_comm(child) == "sleeper")
				return true;
		}
		nap_us(1000);
	}
	return false;
}

void measure_docker(const std::vector<Variant> &all)
{
	Row &r = add_row("docker stop -t " + std::to_string(cfg.docker_stop_timeout) + " (ms, wall time of the CLI)");
	auto skip_all = [&](const std::string &why) {
		for (auto &v : all)
			if (v.kind != Kind::Bare)
				set_cell(r, v.name, 0, "skipped");
		notes.push_back("docker stop: skipped: " + why);
		progress("docker: skipped: " + why);
	};
	if (run({"docker", "info"}, nullptr, 20000) != 0) {
		skip_all("`docker info` failed (no daemon)");
		return;
	}
	char tmpl[] = "/tmp/initd-bench-XXXXXX";
	if (!mkdtemp(tmpl)) {
		skip_all("mkdtemp failed");
		return;
	}
	std::string tmp = tmpl;

	std::vector<const Variant *> vs;
	for (auto *v : pick(all, true, false)) {
		std::string why;
		if (build_image(*v, tmp, why))
			vs.push_back(v);
		else
			set_cell(r, v->name, 0, "skipped: " + why);
	}
	mark_missing(r, all, true, false);

	std::map<std::string, std::vector<double>> ms;
	std::string stop_t = std::to_string(cfg.docker_stop_timeout);
	for (int rep = 0; rep < cfg.docker_reps; rep++) {
		progress("docker stop: repetition " + std::to_string(rep + 1) + "/" + std::to_string(cfg.docker_reps));
		round_robin(vs, rep, [&](const Variant &v) {
			std::string name = "initd-bench-" + slug(v.name);
			run({"docker", "rm", "-f", name});
			if (run({"docker", "run", "-d", "--network", "none", "--log-driver", "none", "--name", name,
			         "initd-bench:" + slug(v.name)}) != 0 ||
			    !container_settled(name, v.kind != Kind::None)) {
				progress(v.name + ": container did not start");
				run({"docker", "rm", "-f", name});
				return;
			}
			uint64_t t0 = now_ns();
			if (run({"docker", "stop", "-t", stop_t, name}) == 0)
				ms[v.name].push_back(ms_since(t0));
			run({"docker", "rm", "-f", name});
		});
	}
	for (auto *v : vs) {
		run({"docker", "rmi", "initd-bench:" + slug(v->name)});
		std::string why = v->kind == Kind::None ? " (PID 1 ignores SIGTERM: killed at the timeout)" : "";
		set_cell(r, v->name, median(ms[v->name]),
		         ms[v->name].empty() ? "failed" : fmt(median(ms[v->name]), 0) + why);
	}
	run({"rm", "-rf", tmp});
}

// ---------------------------------------------------------------- report

std::string ratio_cell(const Row &r)
{
	if (!r.ratio)
		return "";
	auto it = r.cells.find("initd");
	if (it == r.cells.end() || it->second.text == "missing")
		return "initd missing";
	const Cell *best = nullptr;
	std::string best_name;
	for (auto &peer : kPeers) {
		auto p = r.cells.find(peer);
		if (p == r.cells.end() || p->second.text == "missing" || p->second.text.rfind("skipped", 0) == 0 ||
		    p->second.text == "failed")
			continue;
		bool better = !best || (r.higher_is_better ? p->second.value > best->value : p->second.value < best->value);
		if (better) {
			best = &p->second;
			best_name = peer;
		}
	}
	if (!best)
		return "no peer";
	double a = it->second.value, b = best->value;
	if (b == 0)
		return (a == 0 ? "= " : "∞ ") + std::string("(" + best_name + ")");
	return fmt(a / b, 2) + "× (" + best_name + ")";
}

std::string first_line_of(const std::string &path, const std::string &key)
{
	std::ifstream in(path);
	std::string line;
	while (std::getline(in, line))
		if (line.rfind(key, 0) == 0) {
			size_t colon = line.find(':');
			return colon == std::string::npos ? line : trim(line.substr(colon + 2));
		}
	return "unknown";
}

std::string report(const std::vector<Variant> &all, double total_s)
{
	std::ostringstream o;
	char date[64];
	time_t t = time(nullptr);
	strftime(date, sizeof date, "%Y-%m-%d %H:%M:%S %Z", localtime(&t));
	utsname u{};
	uname(&u);
	o << "# initd benchmark results\n\n";
	o << "- date: " << date << "\n";
	o << "- kernel: " << u.release << " (`uname -r`)\n";
	o << "- CPU: " << first_line_of("/proc/cpuinfo", "model name") << ", " << sysconf(_SC_NPROCESSORS_ONLN)
	  << " online CPUs\n";
	o << "- command: `" << cfg.command << "`\n";
	o << "- repetitions: start-up " << cfg.startup_runs << " runs per variant; signal latency "
	  << cfg.latency_signals << " paced signals in " << cfg.latency_rounds << " rounds; signal bursts " << cfg.loss_reps << " × " << cfg.burst
	  << "; reaping " << cfg.reap_reps << " × (live + backlog) × " << cfg.orphans << " orphans; idle/memory " << cfg.idle_reps
	  << " × " << cfg.idle_seconds << " s windows; shutdown " << cfg.shutdown_reps << "; docker stop "
	  << cfg.docker_reps << ". Figures are medians over those.\n";
	o << "- total run time: " << fmt(total_s, 0) << " s\n";
	o << "- modes: tini and tini-static run with `-s`; dumb-init without `--` (its own syntax). Start-up, "
	     "memory, idle, signals and shutdown: each init is a plain child of the driver (subreaper mode for "
	     "initd, tini -s and catatonit; dumb-init registers no subreaper). Reaping: every init is PID 1 of a "
	     "new PID namespace; \"no init\" there means the orphan factory itself is PID 1; backlog = the init "
	     "is SIGSTOPped while the zombies pile up. Docker: each init is the container's PID 1. "
	     "How each row is measured: bench/README.md.\n\n";
	o << "Lower is better except rows marked ↑. \"initd vs best peer\" = initd ÷ the best of tini, "
	     "tini-static, dumb-init, catatonit on that row.\n\n";

	std::vector<std::string> cols;
	for (auto &v : all)
		cols.push_back(v.name);
	o << "| measurement |";
	for (auto &c : cols)
		o << " " << c << " |";
	o << " initd vs best peer |\n|---|";
	for (size_t i = 0; i < cols.size(); i++)
		o << "---|";
	o << "---|\n";
	for (auto &r : rows) {
		o << "| " << r.label << " |";
		for (auto &c : cols) {
			auto it = r.cells.find(c);
			o << " " << (it == r.cells.end() ? "–" : it->second.text) << " |";
		}
		o << " " << ratio_cell(r) << " |\n";
	}
	if (!notes.empty()) {
		o << "\nNotes:\n\n";
		for (auto &n : notes)
			o << "- " << n << "\n";
	}
	for (auto &v : all)
		if (!v.ok())
			o << "- " << v.name << ": " << v.missing << "\n";
	return o.str();
}

// ---------------------------------------------------------------- main

void usage()
{
	std::fprintf(stderr,
	             "usage: bench [--initd PATH] [--helpers DIR] [--out FILE] [--command TEXT]\n"
	             "             [--only size,idle,startup,latency,loss,reaping,shutdown,docker]\n"
	             "             [--quick] [--verbose]\n"
	             "Normally started by bench/run.\n");
}

bool parse_args(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		std::string a = argv[i];
		auto next = [&](std::string &dst) {
			if (i + 1 >= argc)
				return false;
			dst = argv[++i];
			return true;
		};
		if (a == "--initd") {
			if (!next(cfg.initd))
				return false;
		} else if (a == "--helpers") {
			if (!next(cfg.helpers))
				return false;
		} else if (a == "--out") {
			if (!next(cfg.out))
				return false;
		} else if (a == "--command") {
			if (!next(cfg.command))
				return false;
		} else if (a == "--only") {
			std::string list;
			if (!next(list))
				return false;
			std::istringstream in(list);
			std::string m;
			while (std::getline(in, m, ','))
				cfg.only.insert(m);
		} else if (a == "--quick") {
			// For developing the driver: same code paths, tiny counts.
			cfg.startup_runs = 50;
			cfg.latency_signals = 100;
			cfg.latency_rounds = 2;
			cfg.burst = 2000;
			cfg.orphans = 1000;
			cfg.idle_reps = 1;
			cfg.idle_seconds = 2;
			cfg.loss_reps = 1;
			cfg.reap_reps = 1;
			cfg.shutdown_reps = 3;
			cfg.docker_reps = 1;
		} else if (a == "--help" || a == "-h") {
			usage();
			std::exit(0);
		} else if (a == "--verbose") {
			cfg.quiet_children = false;
		} else {
			return false;
		}
	}
	return true;
}

} // namespace

int main(int argc, char **argv)
{
	if (!parse_args(argc, argv)) {
		usage();
		return 2;
	}
	// Inits pass their own inherited mask and dispositions on to the child;
	// make sure the driver hands them a clean slate.
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, nullptr);

	uint64_t t0 = now_ns();
	auto all = make_variants();
	for (auto &v : all)
		if (!v.ok())
			progress(v.name + ": " + v.missing);

	if (cfg.wants("size"))
		measure_size(all);
	if (cfg.wants("idle"))
		measure_idle(all);
	if (cfg.wants("startup"))
		measure_startup(all);
	if (cfg.wants("latency"))
		measure_latency(all);
	if (cfg.wants("loss"))
		measure_loss(all);
	if (cfg.wants("reaping"))
		measure_reaping(all);
	if (cfg.wants("shutdown"))
		measure_shutdown(all);
	if (cfg.wants("docker"))
		measure_docker(all);

	std::string text = report(all, double(now_ns() - t0) / 1e9);
	std::fputs(text.c_str(), stdout);
	std::ofstream(cfg.out) << text;
	progress("results written to " + cfg.out);
	return 0;
}
