// measure.hpp - the measurements, and what main passes down to each of them.
#pragma once

#include <string>
#include <vector>

#include "common.hpp"
#include "launcher.hpp"
#include "report.hpp"
#include "setup.hpp"

struct Bench {
	const Config &cfg;
	const std::vector<Variant> &all;
	Launcher &launcher;
	Report &report;
	const Progress &progress;
};

// Start v with child and a report pipe, wait for the child's ready byte.  The
// returned Proc is the init (or the child itself for "no init"); pid -1 on
// failure.
Proc start_ready(Bench &b, const Variant &v, const std::vector<std::string> &child);

// The shared libraries (and ld.so) a dynamic binary needs, from ldd.
std::vector<std::string> needed_libs(Bench &b, const std::string &bin);

// footprint.cpp: what an init costs while it does nothing.
void measure_size(Bench &b);
void measure_idle(Bench &b);

// lifecycle.cpp: starting, and ending.
void measure_startup(Bench &b);
void measure_shutdown(Bench &b);
void measure_tree_shutdown(Bench &b);

// signals.cpp: forwarding.
void measure_latency(Bench &b);
void measure_loss(Bench &b);

// reaping.cpp: orphans in a PID namespace.
void measure_reaping(Bench &b);

// docker.cpp: docker stop of a container with the init as PID 1.
void measure_docker(Bench &b);
