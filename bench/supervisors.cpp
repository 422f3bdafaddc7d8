// supervisors.cpp - see supervisors.hpp.
#include "supervisors.hpp"

#include <climits>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

std::vector<Supervisor> make_supervisors(const Config &cfg)
{
	std::vector<Supervisor> v = {
		{"initd --services", SupKind::Initd, cfg.initd, ""},
		{"runit (runsvdir)", SupKind::Runit, "/usr/bin/runsvdir", ""},
		{"my_init + runit", SupKind::MyInit, cfg.my_init, ""},
		{"supervisord", SupKind::Supervisord, "/usr/bin/supervisord", ""},
	};
	for (auto &s : v) {
		if (s.path.empty())
			s.missing = "not available (--my-init PATH)";
		else if (access(s.path.c_str(), X_OK) != 0)
			s.missing = "missing (" + s.path + ")";
		else if (s.kind == SupKind::MyInit && access("/usr/bin/python3", X_OK) != 0)
			s.missing = "missing (/usr/bin/python3)";
	}
	return v;
}

namespace {

bool put(const std::string &path, const std::string &text)
{
	std::ofstream out(path);
	out << text;
	return bool(out);
}

// supervisord's own configuration: no control socket (the driver looks at
// /proc), the services' output thrown away, a killed service started again.
std::string supervisord_conf(const Supervised &s, const std::string &run_target)
{
	std::ostringstream c;
	c << "[supervisord]\nnodaemon=true\nloglevel=warn\nlogfile=" << s.root << "/supervisord.log\n"
	  << "logfile_maxbytes=0\npidfile=" << s.root << "/supervisord.pid\nchildlogdir=" << s.root << "\n";
	for (size_t k = 0; k < s.names.size(); k++)
		c << "\n[program:" << s.names[k] << "]\ncommand=" << run_target << "\ndirectory=" << s.service_dir(k)
		  << "\nautorestart=true\nstdout_logfile=NONE\nstderr_logfile=NONE\n";
	return c.str();
}

} // namespace

Supervised prepare(const Config &, const Supervisor &sup, int n, const std::string &run_target,
                   const std::string &log_target, const std::string &size_text)
{
	Supervised s;
	s.sup = &sup;
	char tmpl[] = "/tmp/initd-bench-services-XXXXXX";
	if (!mkdtemp(tmpl))
		return s;
	std::string root = tmpl;
	bool ok = mkdir((root + "/service").c_str(), 0755) == 0;
	for (int k = 0; k < n && ok; k++) {
		char name[16];
		std::snprintf(name, sizeof name, "s%02d", k);
		s.names.push_back(name);
		std::string dir = root + "/service/" + name;
		ok = mkdir(dir.c_str(), 0755) == 0 && symlink(run_target.c_str(), (dir + "/run").c_str()) == 0;
		if (ok && !log_target.empty())
			ok = mkdir((dir + "/log").c_str(), 0755) == 0 &&
			     symlink(log_target.c_str(), (dir + "/log/run").c_str()) == 0;
		if (ok && !size_text.empty())
			ok = put(dir + "/size", size_text);
	}
	s.root = root;
	if (ok && sup.kind == SupKind::Supervisord)
		ok = put(root + "/supervisord.conf", supervisord_conf(s, run_target));
	if (ok && sup.kind == SupKind::MyInit)
		ok = mkdir((root + "/overlay").c_str(), 0755) == 0;
	if (!ok) {
		std::system(("rm -rf " + root).c_str());
		s.root.clear();
	}
	return s;
}

void start(Bench &b, Supervised &s)
{
	std::string dir = s.root + "/service";
	Launch how;
	switch (s.sup->kind) {
	case SupKind::Initd:
		how.argv = {s.sup->path, "--services", dir};
		break;
	case SupKind::Runit:
		how.argv = {s.sup->path, dir};
		break;
	case SupKind::Supervisord:
		how.argv = {s.sup->path, "-n", "-c", s.root + "/supervisord.conf"};
		break;
	case SupKind::MyInit:
		// my_init knows only /etc/service and writes /etc/container_environment*:
		// it runs in a mount namespace of its own where /etc is an overlay (on a
		// tmpfs) with /etc/service pointing at the scratch directory.  The host's
		// /etc stays untouched; sh execs my_init, so the pid is my_init's.
		// It is PID 1 of a new PID namespace, as in a container: on exit
		// my_init sends SIGTERM, then SIGKILL, to -1, which outside a
		// namespace of its own is every process of the machine.
		// --no-kill-all-on-exit as well, in case the namespace were missing.
		how.new_pid_namespace = true;
		how.search_path = true;
		how.argv = {"unshare", "--mount", "--propagation", "private", "--", "/bin/sh", "-c",
		            "mount -t tmpfs none \"$3\" && mkdir \"$3/u\" \"$3/w\" && "
		            "mount -t overlay overlay -o \"lowerdir=/etc,upperdir=$3/u,workdir=$3/w\" /etc && "
		            "rm -f /etc/service && ln -s \"$2\" /etc/service && exec \"$1\" --skip-startup-files --no-kill-all-on-exit --quiet",
		            "sh", s.sup->path, dir, s.root + "/overlay"};
		break;
	}
	s.proc = b.launcher.start(how);
}

void stop(Bench &, Supervised &s)
{
	if (s.proc.pid > 0) {
		// runsvdir ends on TERM alone and leaves its runsv running; HUP makes
		// it send TERM to each runsv first.
		kill(s.proc.pid, s.sup->kind == SupKind::Runit ? SIGHUP : SIGTERM);
		if (wait_exit(s.proc.pid, 20000) != -1)
			s.proc.pid = -1;
	}
	finish(s.proc, SIGKILL);
}

void discard(Bench &b, Supervised &s)
{
	if (!s.root.empty())
		b.launcher.run({"rm", "-rf", s.root});
	s.root.clear();
}

namespace {

// The innermost pid in a "NSpid:\t4242\t7" line, -1 without one.
pid_t inner_pid(pid_t pid)
{
	std::string status = pid_file(pid, "status");
	size_t at = status.find("NSpid:");
	if (at == std::string::npos)
		return -1;
	std::istringstream in(status.substr(at + 6, status.find('\n', at) - at - 6));
	pid_t last = -1;
	for (pid_t p; in >> p;)
		last = p;
	return last;
}

// The process below root whose pid in root's namespace is `inner`, or 0.
pid_t host_pid(pid_t root, pid_t inner)
{
	std::vector<pid_t> todo{root};
	while (!todo.empty()) {
		pid_t p = todo.back();
		todo.pop_back();
		if (inner_pid(p) == inner)
			return p;
		for (pid_t kid : children_of(p))
			todo.push_back(kid);
	}
	return 0;
}

} // namespace

pid_t service_pid(const Supervised &s, size_t k, bool log)
{
	std::string dir = s.service_dir(k);
	if (s.sup->kind != SupKind::Supervisord) {
		pid_t pid = pid_t(std::atol(slurp(dir + (log ? "/log" : "") + "/supervise/pid").c_str()));
		if (s.sup->kind != SupKind::MyInit || pid <= 0 || log)
			return log && s.sup->kind == SupKind::MyInit ? 0 : pid;
		auto &seen = s.host_pids[k];
		if (seen.first != pid || seen.second == 0)
			seen = {pid, host_pid(s.proc.pid, pid)};
		return seen.second;
	}
	if (log)
		return 0;
	char cwd[PATH_MAX];
	for (pid_t kid : children_of(s.proc.pid)) {
		ssize_t n = readlink(("/proc/" + std::to_string(kid) + "/cwd").c_str(), cwd, sizeof cwd - 1);
		if (n > 0 && std::string(cwd, size_t(n)) == dir)
			return kid;
	}
	return 0;
}

std::string exe_of(pid_t pid)
{
	char buf[PATH_MAX];
	ssize_t n = readlink(("/proc/" + std::to_string(pid) + "/exe").c_str(), buf, sizeof buf - 1);
	return n > 0 ? std::string(buf, size_t(n)) : "";
}

std::vector<pid_t> own_processes(pid_t root, const std::vector<std::string> &services)
{
	std::vector<pid_t> out, todo{root};
	while (!todo.empty()) {
		pid_t p = todo.back();
		todo.pop_back();
		std::string exe = exe_of(p);
		bool service = false;
		for (auto &s : services)
			service = service || exe == s;
		if (service)
			continue;
		out.push_back(p);
		for (pid_t kid : children_of(p))
			todo.push_back(kid);
	}
	return out;
}

double cpu_ms(pid_t pid)
{
	std::string stat = pid_file(pid, "stat");
	size_t paren = stat.rfind(')');
	if (paren == std::string::npos)
		return 0;
	std::istringstream in(stat.substr(paren + 2));
	std::string field;
	long ticks = 0;
	for (int i = 0; i < 13 && in >> field; i++)
		if (i == 11 || i == 12) // utime, stime (fields 14 and 15 of stat)
			ticks += std::atol(field.c_str());
	return double(ticks) * 1000.0 / double(sysconf(_SC_CLK_TCK));
}
