// syscalls.cpp - how many system calls an init makes itself for
// `INIT -- /bin/true`, from `strace -f`: the lines of the first process (the
// init; its child's syscalls, before and after its exec, are its own pid's).
#include <cstdlib>
#include <map>
#include <sstream>
#include <unistd.h>

#include "measure.hpp"

namespace {

// The syscalls of the first pid in an `strace -f -o` log; -1 when empty.
long first_pid_calls(const std::string &log)
{
	std::istringstream in(log);
	std::string line;
	long first = -1, calls = 0;
	while (std::getline(in, line)) {
		char *rest = nullptr;
		long pid = std::strtol(line.c_str(), &rest, 10);
		if (first < 0)
			first = pid;
		std::string what = trim(rest ? rest : "");
		while (!what.empty() && what[0] == ' ')
			what.erase(0, 1);
		// "<... wait4 resumed>" ends a call already counted; signals and exits
		// are no calls.
		if (pid != first || what.rfind("<...", 0) == 0 || what.rfind("---", 0) == 0 || what.rfind("+++", 0) == 0)
			continue;
		calls++;
	}
	return first < 0 ? -1 : calls;
}

} // namespace

void measure_syscalls(Bench &b)
{
	auto vs = pick(b.all, false, true);
	Row &r = b.report.add_row("syscalls of the init itself for `INIT -- /bin/true` (strace -f)");
	if (access("/usr/bin/strace", X_OK) != 0) {
		for (auto *v : vs)
			set_cell(r, v->name, 0, "skipped (no strace)");
		return;
	}
	b.progress("syscalls: 3 traced runs of each");
	std::string log = "/tmp/initd-bench-strace." + std::to_string(getpid());
	std::map<std::string, std::vector<double>> calls;
	for (int rep = 0; rep < 3; rep++)
		round_robin(vs, rep, [&](const Variant &v) {
			std::vector<std::string> argv{"strace", "-f", "-qq", "-o", log};
			for (auto &a : v.command({"/bin/true"}))
				argv.push_back(a);
			long n = b.launcher.run(argv) == 0 ? first_pid_calls(slurp(log)) : -1;
			if (n >= 0)
				calls[v.name].push_back(double(n));
		});
	unlink(log.c_str());
	for (auto *v : vs) {
		auto &c = calls[v->name];
		set_cell(r, v->name, median(c), c.empty() ? "failed" : fmt_count(median(c)));
	}
	b.report.mark_missing(r, b.all, false, true);
}
