// setup.cpp - see setup.hpp.
#include "setup.hpp"

#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <unistd.h>

std::vector<std::string> Variant::command(const std::vector<std::string> &child) const
{
	if (kind == Kind::None)
		return child;
	std::vector<std::string> argv{path};
	argv.insert(argv.end(), prefix.begin(), prefix.end());
	argv.insert(argv.end(), child.begin(), child.end());
	return argv;
}

const std::vector<std::string> kPeers = {"tini", "tini-static", "dumb-init", "catatonit"};

std::vector<Variant> make_variants(const Config &cfg)
{
	std::vector<Variant> v;
	// tini gets -s everywhere: initd and catatonit register as subreapers
	// when they are not PID 1, so this makes tini do the same work (and keeps
	// its "not PID 1" warning out of the start-up time).
	v.push_back({"initd", cfg.initd, {"--"}, Kind::Init, ""});
	if (!cfg.initd_before.empty())
		v.push_back({"initd-before", cfg.initd_before, {"--"}, Kind::Init, ""});
	v.push_back({"tini", "/usr/bin/tini", {"-s", "--"}, Kind::Init, ""});
	v.push_back({"tini-static", "/usr/bin/tini-static", {"-s", "--"}, Kind::Init, ""});
	v.push_back({"dumb-init", "/usr/bin/dumb-init", {}, Kind::Init, ""});
	v.push_back({"catatonit", "/usr/bin/catatonit", {"--"}, Kind::Init, ""});
	v.push_back({"no init", "", {}, Kind::None, ""});
	v.push_back({"bare loop", cfg.helper("bareinit"), {"--"}, Kind::Bare, ""});
	for (auto &x : v)
		if (x.kind != Kind::None && access(x.path.c_str(), X_OK) != 0)
			x.missing = "missing (" + x.path + ")";
	return v;
}

std::vector<const Variant *> pick(const std::vector<Variant> &all, bool with_none, bool with_bare)
{
	std::vector<const Variant *> out;
	for (auto &v : all) {
		if (!v.ok())
			continue;
		if ((v.kind == Kind::None && !with_none) || (v.kind == Kind::Bare && !with_bare))
			continue;
		out.push_back(&v);
	}
	return out;
}

void round_robin(const std::vector<const Variant *> &vs, int i, const std::function<void(const Variant &)> &fn)
{
	for (size_t k = 0; k < vs.size(); k++)
		fn(*vs[(size_t(i) + k) % vs.size()]);
}

void usage()
{
	std::fprintf(stderr,
	             "usage: bench [--initd PATH] [--initd-before PATH] [--helpers DIR] [--out FILE]\n"
	             "             [--command TEXT]\n"
	             "             [--only size,idle,startup,syscalls,latency,loss,reaping,shutdown,tree,docker,\n"
	             "                     services,relay]\n"
	             "             [--tree-reps N] [--tree-strangers N] [--my-init PATH] [--services N]\n"
	             "             [--relay-mib N] [--quick] [--verbose]\n"
	             "Normally started by bench/run.  --initd-before adds a column for an older\n"
	             "initd binary, run exactly like initd.  --tree-strangers keeps N sleeping\n"
	             "processes outside the inits' trees during the shutdown of a tree.\n"
	             "--my-init adds baseimage-docker's my_init (+ runit) to the services table;\n"
	             "--services N services per supervisor (50); --relay-mib N MiB through a logger (256).\n");
}

namespace {

// For developing the driver: same code paths, tiny counts.
void make_quick(Config &cfg)
{
	cfg.startup_runs = 50;
	cfg.latency_signals = 100;
	cfg.latency_rounds = 2;
	cfg.burst = 2000;
	cfg.orphans = 1000;
	cfg.idle_reps = 1;
	cfg.idle_seconds = 2;
	cfg.loss_reps = 1;
	cfg.reap_reps = 1;
	cfg.shutdown_reps = 3;
	cfg.tree_reps = 1;
	cfg.tree_children = 10;
	cfg.tree_grandchildren = 10;
	cfg.docker_reps = 1;
	cfg.services = 10;
	cfg.services_reps = 1;
	cfg.restarts = 2;
	cfg.relay_mib = 32;
	cfg.output_mib = 32;
	cfg.relay_reps = 1;
}

} // namespace

bool parse_args(int argc, char **argv, Config &cfg)
{
	for (int i = 1; i < argc; i++) {
		std::string a = argv[i];
		auto next = [&](std::string &dst) {
			if (i + 1 >= argc)
				return false;
			dst = argv[++i];
			return true;
		};
		std::string list;
		if (a == "--initd") {
			if (!next(cfg.initd))
				return false;
		} else if (a == "--initd-before") {
			if (!next(cfg.initd_before))
				return false;
		} else if (a == "--my-init") {
			if (!next(cfg.my_init))
				return false;
		} else if (a == "--services" || a == "--relay-mib") {
			if (!next(list))
				return false;
			int n = std::atoi(list.c_str());
			if (n < 1)
				return false;
			(a == "--services" ? cfg.services : cfg.relay_mib) = n;
		} else if (a == "--helpers") {
			if (!next(cfg.helpers))
				return false;
		} else if (a == "--out") {
			if (!next(cfg.out))
				return false;
		} else if (a == "--command") {
			if (!next(cfg.command))
				return false;
		} else if (a == "--only") {
			if (!next(list))
				return false;
			std::istringstream in(list);
			std::string m;
			while (std::getline(in, m, ','))
				cfg.only.insert(m);
		} else if (a == "--tree-reps" || a == "--tree-strangers") {
			if (!next(list))
				return false;
			int n = std::atoi(list.c_str());
			if (n < (a == "--tree-reps" ? 1 : 0))
				return false;
			(a == "--tree-reps" ? cfg.tree_reps : cfg.tree_strangers) = n;
		} else if (a == "--quick") {
			make_quick(cfg);
		} else if (a == "--help" || a == "-h") {
			usage();
			std::exit(0);
		} else if (a == "--verbose") {
			cfg.quiet_children = false;
		} else {
			return false;
		}
	}
	return true;
}
