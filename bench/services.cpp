// services.cpp - N services side by side under each supervisor: what the
// supervisor itself costs (processes, memory, idle wake-ups), how fast it
// starts them all, and how fast it starts a killed one again.
#include <climits>
#include <csignal>
#include <cstdlib>
#include <map>
#include <unistd.h>

#include "supervisors.hpp"

namespace {

bool runs(pid_t pid, const std::string &exe) { return pid > 0 && exe_of(pid) == exe; }

// Until every service runs its binary (not only forked), or the time is up.
bool all_running(const Supervised &s, const std::string &exe, int timeout_ms)
{
	uint64_t t0 = now_ns();
	for (size_t next = 0; next < s.names.size();) {
		if (runs(service_pid(s, next), exe)) {
			next++;
			continue;
		}
		if (ms_since(t0) > timeout_ms)
			return false;
		nap_us(1000);
	}
	return true;
}

// kill -9 of service k until the supervisor reports a new pid that runs the
// binary; -1 when it did not within 10 s.
double restart_once(const Supervised &s, size_t k, const std::string &exe)
{
	pid_t old = service_pid(s, k);
	if (!runs(old, exe))
		return -1;
	kill(old, SIGKILL);
	uint64_t t0 = now_ns();
	while (ms_since(t0) < 10000) {
		pid_t now = service_pid(s, k);
		if (now != old && runs(now, exe))
			return ms_since(t0);
		nap_us(200);
	}
	return -1;
}

long ctx_switches(const std::vector<pid_t> &pids)
{
	long n = 0;
	for (pid_t p : pids) {
		std::string s = pid_file(p, "status");
		n += proc_field(s, "voluntary_ctxt_switches:") + proc_field(s, "nonvoluntary_ctxt_switches:");
	}
	return n;
}

long pss_kb(const std::vector<pid_t> &pids)
{
	long n = 0;
	for (pid_t p : pids)
		n += proc_field(pid_file(p, "smaps_rollup"), "Pss:");
	return n;
}

std::string real(const std::string &path)
{
	char buf[PATH_MAX];
	return realpath(path.c_str(), buf) ? buf : path;
}

} // namespace

void measure_services(Bench &b)
{
	const Config &cfg = b.cfg;
	auto sups = make_supervisors(cfg);
	std::vector<const Supervisor *> vs;
	for (auto &s : sups)
		if (s.ok())
			vs.push_back(&s);
	std::string sleeper = real(cfg.helper("sleeper"));
	std::map<std::string, std::vector<double>> up, procs, pss, wake, restart;
	std::map<std::string, int> failed;
	Adopting adopting; // runsvdir and my_init may leave runsv behind
	for (int rep = 0; rep < cfg.services_reps; rep++) {
		b.progress("services: repetition " + std::to_string(rep + 1) + "/" + std::to_string(cfg.services_reps) +
		           " (" + std::to_string(cfg.services) + " services per supervisor)");
		// All directories first, then a pause: in an image they are older than
		// the supervisor, and runsvdir looks again at a directory changed
		// within the current second.
		std::vector<Supervised> running;
		for (size_t i = 0; i < vs.size(); i++) {
			const Supervisor &sup = *vs[(size_t(rep) + i) % vs.size()];
			running.push_back(prepare(cfg, sup, cfg.services, sleeper));
			if (running.back().root.empty()) {
				b.progress(sup.name + ": cannot make the service directories");
				running.pop_back();
			}
		}
		sleep(1);
		for (auto &s : running) {
			uint64_t t0 = now_ns();
			start(b, s);
			if (s.proc.pid > 0 && all_running(s, sleeper, 30000))
				up[s.sup->name].push_back(ms_since(t0));
			else {
				b.progress(s.sup->name + ": not all services ran within 30 s");
				failed[s.sup->name]++;
			}
		}
		sleep(1); // as for the inits' idle window: start-up work may still finish
		std::vector<std::vector<pid_t>> own;
		std::vector<long> cs0;
		for (auto &s : running) {
			own.push_back(own_processes(s.proc.pid, {sleeper}));
			cs0.push_back(ctx_switches(own.back()));
		}
		sleep(unsigned(cfg.idle_seconds));
		for (size_t i = 0; i < running.size(); i++) {
			const std::string &name = running[i].sup->name;
			wake[name].push_back(double(ctx_switches(own[i]) - cs0[i]));
			pss[name].push_back(double(pss_kb(own[i])));
			procs[name].push_back(double(own[i].size()));
		}
		// Each restart kills another service: runit (and initd) wait 1 s
		// before starting again a service that ran for less than 1 s.
		for (int r = 0; r < cfg.restarts; r++)
			for (size_t i = 0; i < running.size(); i++) {
				Supervised &s = running[(size_t(r) + i) % running.size()];
				double ms = restart_once(s, size_t(r) % s.names.size(), sleeper);
				if (ms >= 0)
					restart[s.sup->name].push_back(ms);
				else
					failed[s.sup->name]++;
			}
		for (auto &s : running)
			stop(b, s);
		end_adopted();
		for (auto &s : running)
			discard(b, s);
	}

	std::vector<std::string> cols;
	for (auto &s : sups)
		cols.push_back(s.name);
	std::string n = std::to_string(cfg.services);
	Table &t = b.report.add_table("services: " + n + " services under each supervisor", cols);
	Row &rp = t.add_row("processes of the supervisor itself (beyond the " + n + " services)");
	Row &rm = t.add_row("memory: Σ Pss of the supervisor's processes (kB)");
	Row &rw = t.add_row("idle " + std::to_string(cfg.idle_seconds) +
	                    " s: context switches of the supervisor's processes (vol+invol)");
	Row &rr = t.add_row("restart: kill -9 of a service until its new pid runs, median (ms)");
	Row &rx = t.add_row("restart: the same, slowest (ms)");
	Row &ru = t.add_row("start-up: start of the supervisor until all " + n + " services run (ms)");
	for (auto &sup : sups) {
		if (!sup.ok()) {
			for (Row *r : {&rp, &rm, &rw, &rr, &rx, &ru})
				set_cell(*r, sup.name, 0, sup.missing);
			continue;
		}
		auto cell = [&](Row &r, std::vector<double> &v, int decimals) {
			if (v.empty())
				set_cell(r, sup.name, 0, "failed");
			else
				set_cell(r, sup.name, median(v), decimals ? fmt(median(v), decimals) : fmt_count(median(v)));
		};
		cell(rp, procs[sup.name], 0);
		cell(rm, pss[sup.name], 0);
		cell(rw, wake[sup.name], 0);
		cell(rr, restart[sup.name], 1);
		cell(ru, up[sup.name], 1);
		auto &v = restart[sup.name];
		if (!v.empty())
			set_cell(rx, sup.name, percentile(v, 1.0), fmt(percentile(v, 1.0), 1));
		if (failed[sup.name])
			t.notes.push_back(sup.name + ": " + std::to_string(failed[sup.name]) + " start-ups or restarts failed");
	}
	t.notes.push_back(std::to_string(cfg.services_reps) + " repetitions, all supervisors running side by side in each; " +
	                  std::to_string(cfg.restarts) + " restarts per supervisor and repetition; medians. "
	                  "How each row is measured: bench/README.md (\"Services\").");
}
