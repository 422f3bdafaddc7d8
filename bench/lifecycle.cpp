// lifecycle.cpp - starting an init, and ending it: start-up overhead,
// shutdown on SIGTERM, and the shutdown of a tree of 5,000 descendants.
#include <cerrno>
#include <csignal>
#include <map>
#include <set>
#include <sys/wait.h>
#include <unistd.h>

#include "measure.hpp"

void measure_startup(Bench &b)
{
	const Config &cfg = b.cfg;
	auto vs = pick(b.all, true, true);
	std::map<std::string, std::vector<double>> ms;
	std::map<std::string, int> failed;
	b.progress("start-up: " + std::to_string(cfg.startup_runs) + " runs of each, interleaved");
	uint64_t t_begin = now_ns();
	for (int i = 0; i < cfg.startup_runs; i++) {
		if (i >= 100 && ms_since(t_begin) > cfg.startup_budget_s * 1e3) {
			b.progress("start-up: time budget used up after " + std::to_string(i) + " runs of each");
			b.report.done.startup_runs = i;
			break;
		}
		round_robin(vs, i, [&](const Variant &v) {
			Launch how;
			how.argv = v.command({"/bin/true"});
			uint64_t t0 = now_ns();
			Proc p = b.launcher.start(how);
			int status = p.pid > 0 ? wait_exit(p.pid, 10000) : -1;
			ms[v.name].push_back(ms_since(t0));
			if (!(WIFEXITED(status) && WEXITSTATUS(status) == 0))
				failed[v.name]++;
		});
	}
	double base = median(ms["no init"]);
	Row &wall = b.report.add_row("start-up: median wall time of `INIT -- /bin/true` (ms)");
	Row &over = b.report.add_row("start-up: overhead over plain /bin/true (ms)");
	for (auto *v : vs) {
		double m = median(ms[v->name]);
		std::string bad = failed[v->name] ? " (" + std::to_string(failed[v->name]) + " failed)" : "";
		set_cell(wall, v->name, m, fmt(m, 3) + bad);
		if (v->kind != Kind::None)
			set_cell(over, v->name, m - base, fmt(m - base, 3) + bad);
	}
	b.report.mark_missing(wall, b.all, true, true);
	b.report.mark_missing(over, b.all, false, true);
}

void measure_shutdown(Bench &b)
{
	auto vs = pick(b.all, true, false);
	std::map<std::string, std::vector<double>> ms;
	b.progress("shutdown: " + std::to_string(b.cfg.shutdown_reps) + " SIGTERMs per init");
	for (int rep = 0; rep < b.cfg.shutdown_reps; rep++) {
		round_robin(vs, rep, [&](const Variant &v) {
			Proc p = start_ready(b, v, {b.cfg.helper("sleeper")});
			if (p.pid <= 0)
				return;
			uint64_t t0 = now_ns();
			kill(p.pid, SIGTERM);
			int status = wait_exit(p.pid, 10000);
			if (status != -1)
				ms[v.name].push_back(ms_since(t0));
			else
				b.progress(v.name + ": did not exit within 10 s of SIGTERM");
			p.pid = status == -1 ? p.pid : -1;
			finish(p, SIGKILL);
		});
	}
	Row &r = b.report.add_row("shutdown: SIGTERM to the init until it has exited (ms)");
	for (auto *v : vs)
		set_cell(r, v->name, median(ms[v->name]), ms[v->name].empty() ? "failed" : fmt(median(ms[v->name]), 3));
	b.report.mark_missing(r, b.all, true, false);
}

namespace {

bool is_zombie(pid_t pid)
{
	std::string stat = pid_file(pid, "stat");
	size_t paren = stat.rfind(')');
	return paren == std::string::npos || paren + 2 >= stat.size() || stat[paren + 2] == 'Z';
}

// Processes below pid that are not zombies, except the strangers.
int live_descendants(pid_t pid, const std::set<pid_t> &strangers)
{
	int n = 0;
	for (pid_t child : children_of(pid))
		if (!strangers.count(child))
			n += !is_zombie(child) + live_descendants(child, strangers);
	return n;
}

// Sleeping processes that are the driver's children, not the init's: a
// shutdown that looks through all of /proc reads them too.
std::vector<Proc> start_strangers(Bench &b)
{
	std::vector<Proc> strangers;
	for (int i = 0; i < b.cfg.tree_strangers; i++) {
		Launch how;
		how.argv = {b.cfg.helper("sleeper")};
		strangers.push_back(b.launcher.start(how));
	}
	return strangers;
}

struct TreeSample {
	double ms = -1; // -1: the run failed
	int left = 0;   // descendants alive just after the init exited
};

TreeSample tree_once(Bench &b, const Variant &v, const std::set<pid_t> &strangers)
{
	TreeSample s;
	Launch how;
	how.argv = v.command({b.cfg.helper("tree"), std::to_string(b.cfg.tree_children),
	                      std::to_string(b.cfg.tree_grandchildren)});
	how.report_pipe = true;
	how.go_pipe = true;
	Proc p = b.launcher.start(how);
	char ready = 0;
	if (p.pid <= 0 || !read_exact(p.report, &ready, 1, 120000) || ready != 'R') {
		b.progress(v.name + ": the tree was not made");
		finish(p, SIGKILL);
		end_adopted(strangers);
		return s;
	}
	uint64_t child_exit = 0;
	int status = -1;
	if (write(p.go, "g", 1) == 1 && read_exact(p.report, &child_exit, sizeof child_exit, 5000))
		status = wait_exit(p.pid, 60000);
	uint64_t init_exit = now_ns();
	if (status == -1) {
		b.progress(v.name + ": did not exit within 60 s of its child");
		finish(p, SIGKILL);
	} else {
		s.ms = double(init_exit - child_exit) / 1e6;
		s.left = live_descendants(getpid(), strangers);
		p.pid = -1;
		finish(p);
	}
	end_adopted(strangers);
	return s;
}

} // namespace

// The main child starts tree_children x (1 + tree_grandchildren) descendants,
// then exits: the time from its exit until the init has exited.  An init that
// ends the rest of its tree first pays for finding, signalling and reaping
// them; one that does not exits at once and leaves them behind.
void measure_tree_shutdown(Bench &b)
{
	const Config &cfg = b.cfg;
	auto vs = pick(b.all, false, false);
	std::string n = std::to_string(cfg.tree_size());
	std::map<std::string, std::vector<double>> ms, left;
	Adopting adopting;
	std::vector<Proc> strangers = start_strangers(b);
	std::set<pid_t> stranger_pids;
	for (auto &p : strangers)
		stranger_pids.insert(p.pid);
	for (int rep = 0; rep < cfg.tree_reps; rep++) {
		b.progress("shutdown of a tree: repetition " + std::to_string(rep + 1) + "/" + std::to_string(cfg.tree_reps) +
		           " (" + n + " descendants per init)");
		round_robin(vs, rep, [&](const Variant &v) {
			TreeSample s = tree_once(b, v, stranger_pids);
			if (s.ms < 0)
				return;
			ms[v.name].push_back(s.ms);
			left[v.name].push_back(s.left);
		});
	}
	for (auto &p : strangers)
		finish(p, SIGKILL);
	std::string others = cfg.tree_strangers ? ", " + std::to_string(cfg.tree_strangers) + " other processes" : "";
	Row &time = b.report.add_row("shutdown of a tree: main child's exit until the init has exited, " + n +
	                             " descendants left" + others + " (ms)");
	Row &alive = b.report.add_row("shutdown of a tree: descendants still alive just after the init exited");
	for (auto *v : vs) {
		if (ms[v->name].empty()) {
			set_cell(time, v->name, 0, "failed");
			continue;
		}
		double m = median(ms[v->name]), l = median(left[v->name]);
		set_cell(time, v->name, m, fmt(m, 1));
		set_cell(alive, v->name, l, fmt_count(l));
	}
	b.report.mark_missing(time, b.all, false, false);
	b.report.mark_missing(alive, b.all, false, false);
	b.report.note("shutdown of a tree: tini and catatonit exit as soon as the main child has, without "
	              "signalling its descendants; dumb-init sends SIGTERM to the child's process group and exits "
	              "without waiting. Their times are not comparable with initd's, which ends and reaps all " +
	              n + " first (its figure is the one to compare with initd-before).");
}
