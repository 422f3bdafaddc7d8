// footprint.cpp - binary size, memory and idle wake-ups of each init.
#include <map>
#include <sys/stat.h>
#include <unistd.h>

#include "measure.hpp"

void measure_size(Bench &b)
{
	Row &r = b.report.add_row("binary size (bytes of the file)");
	for (auto &v : b.all) {
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
	Row &image = b.report.add_row("bytes in a scratch image (binary + the shared libraries it needs)");
	for (auto &v : b.all) {
		if (!v.is_init() || !v.ok())
			continue;
		struct stat st{};
		stat(v.path.c_str(), &st);
		double total = double(st.st_size);
		if (elf_is_dynamic(v.path))
			for (const auto &lib : needed_libs(b, v.path)) {
				struct stat ls{};
				if (stat(lib.c_str(), &ls) == 0)
					total += double(ls.st_size);
			}
		set_cell(image, v.name, total, std::to_string((long long)total));
	}
}

namespace {

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

} // namespace

// All inits run at once with a sleeping child for the idle window; memory is
// read at the end of the window, when every init has long settled.
void measure_idle(Bench &b)
{
	const Config &cfg = b.cfg;
	auto vs = pick(b.all, false, false);
	std::map<std::string, std::vector<IdleSample>> got;
	for (int rep = 0; rep < cfg.idle_reps; rep++) {
		b.progress("idle + memory: window " + std::to_string(rep + 1) + "/" + std::to_string(cfg.idle_reps) +
		           " (" + std::to_string(cfg.idle_seconds) + " s)");
		std::vector<Proc> procs;
		round_robin(vs, rep, [&](const Variant &v) { procs.push_back(start_ready(b, v, {cfg.helper("sleeper")})); });
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

	Row &rss = b.report.add_row("memory: VmRSS of the init, child sleeping (kB)");
	Row &pss = b.report.add_row("memory: Pss of the init (smaps_rollup, kB)");
	Row &cs = b.report.add_row("idle " + std::to_string(cfg.idle_seconds) +
	                           " s: context switches of the init (vol+invol)");
	Row &io = b.report.add_row("idle " + std::to_string(cfg.idle_seconds) +
	                           " s: read/write syscalls of the init (syscr+syscw)");
	for (auto &[name, samples] : got) {
		auto col = [&](auto field) {
			std::vector<double> v;
			for (auto &s : samples)
				v.push_back(double(field(s)));
			return median(v);
		};
		double a = col([](const IdleSample &s) { return s.rss_kb; });
		double c = col([](const IdleSample &s) { return s.pss_kb; });
		double d = col([](const IdleSample &s) { return s.ctxsw; });
		double e = col([](const IdleSample &s) { return s.syscalls; });
		set_cell(rss, name, a, fmt_count(a));
		set_cell(pss, name, c, fmt_count(c));
		set_cell(cs, name, d, fmt_count(d));
		set_cell(io, name, e, fmt_count(e));
	}
	for (Row *r : {&rss, &pss, &cs, &io})
		b.report.mark_missing(*r, b.all, false, false);
}
