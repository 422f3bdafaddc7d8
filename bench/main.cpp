// main.cpp - the benchmark driver: initd against tini, tini-static, dumb-init,
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
#include <csignal>
#include <cstdio>
#include <fstream>

#include "measure.hpp"

int main(int argc, char **argv)
{
	Config cfg;
	if (!parse_args(argc, argv, cfg)) {
		usage();
		return 2;
	}
	// Inits pass their own inherited mask and dispositions on to the child;
	// make sure the driver hands them a clean slate.
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, nullptr);

	Progress progress;
	uint64_t t0 = now_ns();
	auto all = make_variants(cfg);
	for (auto &v : all)
		if (!v.ok())
			progress(v.name + ": " + v.missing);

	Launcher launcher(cfg.quiet_children);
	Report report(cfg);
	Bench b{cfg, all, launcher, report, progress};
	struct Step {
		const char *name;
		void (*run)(Bench &);
	};
	const Step steps[] = {{"size", measure_size},         {"idle", measure_idle},
	                      {"startup", measure_startup},   {"syscalls", measure_syscalls},
	                      {"latency", measure_latency},
	                      {"loss", measure_loss},         {"reaping", measure_reaping},
	                      {"shutdown", measure_shutdown}, {"tree", measure_tree_shutdown},
	                      {"docker", measure_docker},     {"services", measure_services},
	                      {"relay", measure_relay},       {"output", measure_output}};
	for (const Step &step : steps)
		if (cfg.wants(step.name))
			step.run(b);

	std::string text = report.markdown(cfg, all, double(now_ns() - t0) / 1e9);
	std::fputs(text.c_str(), stdout);
	std::ofstream(cfg.out) << text;
	progress("results written to " + cfg.out);
	return 0;
}
