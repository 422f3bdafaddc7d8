// relay.cpp - the cost of a service's output: `spew` writes relay_mib MiB of
// lines into the pipe to its logger `sink`, under initd and under runit.  The
// supervisor holds the pipe but is not in the data's path; its CPU time
// during the transfer shows whether that is so.
#include <climits>
#include <csignal>
#include <cstdlib>
#include <map>
#include <sstream>
#include <unistd.h>

#include "supervisors.hpp"

namespace {

char state_of(pid_t pid)
{
	std::string stat = pid_file(pid, "stat");
	size_t paren = stat.rfind(')');
	return paren == std::string::npos || paren + 2 >= stat.size() ? '?' : stat[paren + 2];
}

std::string real(const std::string &path)
{
	char buf[PATH_MAX];
	return realpath(path.c_str(), buf) ? buf : path;
}

double cpu_of(const std::vector<pid_t> &pids)
{
	double ms = 0;
	for (pid_t p : pids)
		ms += cpu_ms(p);
	return ms;
}

struct RelaySample {
	double mb_s = -1, cpu_ms = 0;
};

RelaySample relay_once(Bench &b, const Supervisor &sup, const std::string &spew, const std::string &sink,
                       unsigned long long bytes)
{
	RelaySample r;
	Supervised s = prepare(b.cfg, sup, 1, spew, sink, std::to_string(bytes) + "\n");
	if (s.root.empty())
		return r;
	start(b, s);
	// spew stops itself before its first byte; sink reads.
	pid_t writer = 0;
	uint64_t t_wait = now_ns();
	while (ms_since(t_wait) < 10000) {
		writer = service_pid(s, 0);
		if (writer > 0 && exe_of(writer) == spew && state_of(writer) == 'T' &&
		    exe_of(service_pid(s, 0, true)) == sink)
			break;
		writer = 0;
		nap_us(1000);
	}
	if (writer > 0) {
		auto own = own_processes(s.proc.pid, {spew, sink});
		double cpu0 = cpu_of(own);
		std::string result = s.service_dir(0) + "/log/result";
		uint64_t t0 = now_ns();
		kill(writer, SIGCONT);
		// The end time is sink's own stamp: this poll only finds it.
		std::string text;
		while (ms_since(t0) < 300000 && (text = slurp(result)).empty())
			nap_us(5000);
		unsigned long long got = 0, end_ns = 0;
		std::istringstream(text) >> got >> end_ns;
		if (got >= bytes && end_ns > t0) {
			r.mb_s = double(got) / 1e6 / (double(end_ns - t0) / 1e9);
			r.cpu_ms = cpu_of(own) - cpu0;
		}
	}
	stop(b, s);
	end_adopted();
	discard(b, s);
	return r;
}

} // namespace

void measure_relay(Bench &b)
{
	const Config &cfg = b.cfg;
	auto sups = make_supervisors(cfg);
	std::vector<const Supervisor *> vs;
	std::vector<std::string> cols;
	for (auto &s : sups)
		if (s.kind == SupKind::Initd || s.kind == SupKind::Runit) {
			cols.push_back(s.name);
			if (s.ok())
				vs.push_back(&s);
		}
	std::string spew = real(cfg.helper("spew")), sink = real(cfg.helper("sink"));
	unsigned long long bytes = (unsigned long long)cfg.relay_mib << 20;
	std::map<std::string, std::vector<double>> rate, cpu;
	Adopting adopting;
	for (int rep = 0; rep < cfg.relay_reps; rep++) {
		b.progress("relay: repetition " + std::to_string(rep + 1) + "/" + std::to_string(cfg.relay_reps) + " (" +
		           std::to_string(cfg.relay_mib) + " MiB through a logger)");
		for (size_t i = 0; i < vs.size(); i++) {
			const Supervisor &sup = *vs[(size_t(rep) + i) % vs.size()];
			RelaySample r = relay_once(b, sup, spew, sink, bytes);
			if (r.mb_s < 0) {
				b.progress(sup.name + ": the relay run failed");
				continue;
			}
			rate[sup.name].push_back(r.mb_s);
			cpu[sup.name].push_back(r.cpu_ms);
		}
	}
	std::string mib = std::to_string(cfg.relay_mib);
	Table &t = b.report.add_table("relay: " + mib + " MiB of 64-byte lines from a service into its logger", cols);
	Row &rr = t.add_row("throughput, service → pipe → logger (MB/s) ↑");
	Row &rc = t.add_row("CPU time of the supervisor's processes meanwhile (utime+stime, ms)");
	for (auto &sup : sups) {
		if (sup.kind != SupKind::Initd && sup.kind != SupKind::Runit)
			continue;
		if (!sup.ok() || rate[sup.name].empty()) {
			set_cell(rr, sup.name, 0, sup.ok() ? "failed" : sup.missing);
			set_cell(rc, sup.name, 0, sup.ok() ? "failed" : sup.missing);
			continue;
		}
		double m = median(rate[sup.name]), c = median(cpu[sup.name]);
		set_cell(rr, sup.name, m, fmt(m, 0));
		set_cell(rc, sup.name, c, fmt(c, 0));
	}
	t.notes.push_back(std::to_string(cfg.relay_reps) + " repetitions, one supervisor at a time, round-robin; "
	                  "medians. CPU time is counted in clock ticks (" +
	                  std::to_string(1000 / sysconf(_SC_CLK_TCK)) + " ms each).");
}
