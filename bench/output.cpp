// output.cpp - what dock's output features cost a child that writes a lot:
// `lines` writes output_mib MiB of 100-byte lines under initd, straight to a
// file (initd not in the path: the plain case), through initd's relay to the
// same file (--io), and through the relay with a prefix (--io --stdout-prefix).
// The time is initd's whole run, fork to exit, so the relay's last copy counts.
#include <fcntl.h>
#include <map>
#include <sys/wait.h>
#include <unistd.h>

#include "measure.hpp"

namespace {

// One run of `argv` with stdout on `out` (-1: /dev/null); the wall time in ms, or -1.
double run_ms(const std::vector<std::string> &argv, int out)
{
	std::vector<char *> args;
	for (auto &a : argv)
		args.push_back(const_cast<char *>(a.c_str()));
	args.push_back(nullptr);
	uint64_t t0 = now_ns();
	pid_t pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);
		dup2(null, 0);
		dup2(out >= 0 ? out : null, 1);
		execv(args[0], args.data());
		_exit(127);
	}
	int status = 0;
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return -1;
	return double(now_ns() - t0) / 1e6;
}

} // namespace

void measure_output(Bench &b)
{
	const Config &cfg = b.cfg;
	std::string file = "/tmp/initd-bench-output.log", lines = cfg.helper("lines");
	std::string mib = std::to_string(cfg.output_mib);
	struct Mode {
		const char *name;
		std::vector<std::string> options;
	};
	const Mode modes[] = {{"direct: initd -- lines > FILE", {}},
	                      {"initd --io FILE -- lines", {"--io", file}},
	                      {"initd --io FILE --stdout-prefix app: -- lines", {"--io", file, "--stdout-prefix", "app:"}}};
	std::map<std::string, std::vector<double>> ms;
	for (int rep = 0; rep < cfg.output_reps; rep++) {
		b.progress("output: repetition " + std::to_string(rep + 1) + "/" + std::to_string(cfg.output_reps) + " (" +
		           mib + " MiB of lines)");
		for (const Mode &m : modes) {
			unlink(file.c_str());
			std::vector<std::string> argv{cfg.initd};
			argv.insert(argv.end(), m.options.begin(), m.options.end());
			argv.insert(argv.end(), {"--", lines, mib});
			int out = m.options.empty() ? open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600) : -1;
			double t = run_ms(argv, out);
			if (out >= 0)
				close(out);
			if (t > 0)
				ms[m.name].push_back(t);
		}
	}
	unlink(file.c_str());
	Table &t = b.report.add_table("output: " + mib + " MiB of 100-byte lines from the child into a file",
	                              {"MB/s", "of direct"});
	double direct = ms[modes[0].name].empty() ? 0 : median(ms[modes[0].name]);
	for (const Mode &m : modes) {
		Row &r = t.add_row(m.name);
		if (ms[m.name].empty()) {
			set_cell(r, "MB/s", 0, "failed");
			continue;
		}
		double med = median(ms[m.name]);
		double rate = double(cfg.output_mib) * 1048576.0 / 1e6 / (med / 1e3);
		set_cell(r, "MB/s", rate, fmt(rate, 0));
		set_cell(r, "of direct", direct / med, fmt(100.0 * direct / med, 0) + " %");
	}
	t.notes.push_back(std::to_string(cfg.output_reps) +
	                  " repetitions, medians of initd's whole run (fork to exit); 4 KiB writes. The file "
	                  "is in /tmp (its file system decides the direct figure).");
}
