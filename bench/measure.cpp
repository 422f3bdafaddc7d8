// measure.cpp - what several measurements use.
#include <csignal>
#include <sstream>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "measure.hpp"

Proc start_ready(Bench &b, const Variant &v, const std::vector<std::string> &child)
{
	Launch how;
	how.argv = v.command(child);
	how.report_pipe = true;
	Proc p = b.launcher.start(how);
	char ready = 0;
	if (p.pid > 0 && (!read_exact(p.report, &ready, 1, 5000) || ready != 'R')) {
		b.progress(v.name + ": child did not report ready");
		finish(p, SIGKILL);
	}
	return p;
}

std::vector<std::string> needed_libs(Bench &b, const std::string &bin)
{
	std::string out;
	b.launcher.run({"ldd", bin}, &out);
	std::vector<std::string> libs;
	std::istringstream in(out);
	std::string line;
	while (std::getline(in, line)) {
		size_t slash = line.find('/');
		if (slash == std::string::npos)
			continue;
		std::string path = line.substr(slash);
		path = path.substr(0, path.find(' '));
		libs.push_back(path);
	}
	return libs;
}

Adopting::Adopting() { prctl(PR_SET_CHILD_SUBREAPER, 1); }
Adopting::~Adopting() { prctl(PR_SET_CHILD_SUBREAPER, 0); }

void end_adopted(const std::set<pid_t> &strangers)
{
	uint64_t t0 = now_ns();
	for (;;) {
		int adopted = 0;
		for (pid_t kid : children_of(getpid()))
			if (!strangers.count(kid)) {
				kill(kid, SIGKILL);
				waitpid(kid, nullptr, WNOHANG);
				adopted++;
			}
		if (adopted == 0 || ms_since(t0) > 30000)
			return;
		nap_us(1000);
	}
}
