// measure.hpp - the measurements, and what main passes down to each of them.
#pragma once

#include <set>
#include <string>
#include <sys/types.h>
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

// While it lasts the driver is a child subreaper: what an init leaves behind
// when it exits comes to the driver, which ends it, instead of escaping to the
// host's init.
class Adopting {
public:
	Adopting();
	~Adopting();
	Adopting(const Adopting &) = delete;
	Adopting &operator=(const Adopting &) = delete;
};

// SIGKILL whatever was adopted, layer by layer (a killed process's children
// come to the driver next), and reap it all; the strangers stay.
void end_adopted(const std::set<pid_t> &strangers = {});

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

// services.cpp: N services under initd, runit, my_init, supervisord.
void measure_services(Bench &b);

// relay.cpp: a service's output through its logger's pipe.
void measure_relay(Bench &b);
void measure_output(Bench &b); // output.cpp: a child writing a lot, relayed by initd or not

// syscalls.cpp: the system calls an init makes itself.
void measure_syscalls(Bench &b);

// docker.cpp: docker stop of a container with the init as PID 1.
void measure_docker(Bench &b);
