// reaping.cpp - each variant as PID 1 of a new PID namespace, flooded with
// orphans, live and as a backlog.
#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <map>
#include <unistd.h>
#include <unordered_map>

#include "measure.hpp"

namespace {

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

// The children of pid other than `except`: one read of its children file, far
// cheaper than a /proc scan (which takes 100-250 ms with 10,000 zombies on the
// test machine).  The kernel does not promise the list is complete while it
// changes, so a count of 0 is confirmed by a full scan.
int other_children(pid_t pid, pid_t except)
{
	auto kids = children_of(pid);
	return int(std::count_if(kids.begin(), kids.end(), [&](pid_t c) { return c != except; }));
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
ReapSample reap_once(Bench &b, const Variant &v, bool backlog)
{
	ReapSample s;
	Launch how;
	how.argv = v.command({b.cfg.helper("orphans"), std::to_string(b.cfg.orphans)});
	how.report_pipe = true;
	how.go_pipe = true;
	how.new_pid_namespace = true;
	Proc p = b.launcher.start(how);
	char ready = 0;
	if (p.pid <= 0 || !read_exact(p.report, &ready, 1, 5000)) {
		b.progress(v.name + ": orphan factory did not start");
		finish(p, SIGKILL);
		return s;
	}
	// With an init the factory is its only child now; without, it is p.pid.
	pid_t factory = p.pid;
	if (v.kind != Kind::None) {
		auto kids = children_of(p.pid);
		factory = kids.empty() ? p.pid : kids[0];
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
		b.progress(v.name + ": orphan factory did not finish");
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

} // namespace

void measure_reaping(Bench &b)
{
	const Config &cfg = b.cfg;
	auto vs = pick(b.all, true, false);
	std::map<std::string, std::vector<ReapSample>> live, backlog;
	uint64_t t_begin = now_ns();
	for (int rep = 0; rep < cfg.reap_reps; rep++) {
		if (rep >= 1 && ms_since(t_begin) > cfg.reap_budget_s * 1e3) {
			b.progress("reaping: time budget used up after " + std::to_string(rep) + " repetitions");
			b.report.done.reap_reps = rep;
			break;
		}
		b.progress("reaping: repetition " + std::to_string(rep + 1) + "/" + std::to_string(cfg.reap_reps) + " (" +
		           std::to_string(cfg.orphans) + " orphans per run, PID namespace)");
		round_robin(vs, rep, [&](const Variant &v) {
			live[v.name].push_back(reap_once(b, v, false));
			if (v.kind != Kind::None) // without an init there is nothing to freeze
				backlog[v.name].push_back(reap_once(b, v, true));
		});
	}

	std::string n = std::to_string(cfg.orphans);
	Row &create = b.report.add_row("reaping, live: time to make " + n + " orphans (ms)");
	Row &pending = b.report.add_row("reaping, live: orphans not yet reaped when the factory finished");
	Row &clean = b.report.add_row("reaping, live: time from then until none is left (ms)");
	Row &thaw = b.report.add_row("reaping, backlog: time to reap " + n + " zombies after SIGCONT (ms)");
	Row &left = b.report.add_row("reaping: zombies left after 5 s (live / backlog)");
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
		b.report.mark_missing(*r, b.all, true, false);
}
