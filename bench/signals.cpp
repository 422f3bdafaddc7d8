// signals.cpp - signal forwarding: latency of one signal, loss in a burst.
#include <algorithm>
#include <csignal>
#include <cstdint>
#include <map>
#include <sys/resource.h>

#include "measure.hpp"

namespace {

constexpr int kSigCounted = 35; // SIGRTMIN+1 for the kernel; queued, never merged
constexpr int kSigMarker = 36;  // end-of-burst marker; dequeued after every 35

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

} // namespace

// The init of v (or the child itself for "no init"), the child being sigecho.
// For "no init" the signal goes straight to the child: the kernel's own cost.
// Whether an init and its child share a CPU changes the latency a lot, and
// the scheduler keeps a process where it is; so the signals are sent in
// several rounds, each with freshly started processes, and the rounds pooled.
void measure_latency(Bench &b)
{
	const Config &cfg = b.cfg;
	auto vs = pick(b.all, true, false);
	int per_round = std::max(1, cfg.latency_signals / cfg.latency_rounds);
	b.progress("signal latency: " + std::to_string(cfg.latency_rounds) + " rounds of " + std::to_string(per_round) +
	           " paced SIGUSR1 per init");
	std::map<std::string, std::vector<double>> us;
	std::map<std::string, int> lost;
	for (int round = 0; round < cfg.latency_rounds; round++) {
		std::vector<Proc> procs;
		for (auto *v : vs)
			procs.push_back(start_ready(b, *v, {cfg.helper("sigecho"), "latency"}));
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
	b.report.done.latency_signals = per_round * cfg.latency_rounds;

	Row &med = b.report.add_row("signal forwarding latency, median (µs)");
	Row &p99 = b.report.add_row("signal forwarding latency, p99 (µs)");
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
	b.report.mark_missing(med, b.all, true, false);
	b.report.mark_missing(p99, b.all, true, false);
}

void measure_loss(Bench &b)
{
	const Config &cfg = b.cfg;
	auto vs = pick(b.all, true, false);
	std::vector<Proc> procs;
	for (auto *v : vs)
		procs.push_back(start_ready(b, *v, {cfg.helper("sigecho"), "count"}));

	b.progress("signal loss: bursts of " + std::to_string(cfg.burst) + " signals, " + std::to_string(cfg.loss_reps) +
	           " repetitions");
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
	Row &rt = b.report.add_row("signal burst: SIGRTMIN+1 (35) received of " + n + " ↑", true);
	Row &u1 = b.report.add_row("signal burst: SIGUSR1 received of " + n + " (standard signals merge) ↑", true);
	for (auto *v : vs) {
		std::string refused =
		    rt_refused[v->name] ? " (" + std::to_string(rt_refused[v->name]) + " refused by kill)" : "";
		if (rt_got[v->name].empty())
			set_cell(rt, v->name, 0, "no report");
		else
			set_cell(rt, v->name, median(rt_got[v->name]), fmt(median(rt_got[v->name]), 0) + refused);
		if (usr1_got[v->name].empty())
			set_cell(u1, v->name, 0, "no report");
		else
			set_cell(u1, v->name, median(usr1_got[v->name]), fmt(median(usr1_got[v->name]), 0));
	}
	b.report.mark_missing(rt, b.all, true, false);
	b.report.mark_missing(u1, b.all, true, false);
	rlimit lim{};
	getrlimit(RLIMIT_SIGPENDING, &lim);
	b.report.note("RLIMIT_SIGPENDING (queued signals per user) was " + std::to_string(lim.rlim_cur) + "; a burst of " +
	              n + " fits in it.");
}
