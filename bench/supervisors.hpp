// supervisors.hpp - the service supervisors of the services and relay
// measurements: initd --services, runit's runsvdir, baseimage-docker's my_init
// (which runs runsvdir) and supervisord, each over a scratch directory of its
// own; what they are made of at run time (their own processes), and where
// each says which pid a service has.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "measure.hpp"

enum class SupKind { Initd, Runit, MyInit, Supervisord };

struct Supervisor {
	std::string name; // column title
	SupKind kind;
	std::string path; // initd, runsvdir, my_init or supervisord
	std::string missing;

	bool ok() const { return missing.empty(); }
};

// All four; my_init only says "not available" without --my-init.
std::vector<Supervisor> make_supervisors(const Config &cfg);

// One supervisor running over ROOT/service/NAME, one directory per service.
struct Supervised {
	const Supervisor *sup = nullptr;
	std::string root;
	std::vector<std::string> names;
	Proc proc; // the supervisor; for my_init the Python process
	// my_init runs in a PID namespace of its own: the pids in supervise/pid
	// are that namespace's; the host pid last found for each.
	mutable std::map<size_t, std::pair<pid_t, pid_t>> host_pids;

	std::string service_dir(size_t k) const { return root + "/service/" + names[k]; }
};

// A fresh scratch directory ROOT with services named s00, s01, ... whose
// `run` is a symbolic link to run_target (and `log/run` to log_target unless
// empty), and a file `size` holding size_text unless empty; supervisord's
// configuration too.  Empty root on failure.
Supervised prepare(const Config &cfg, const Supervisor &sup, int n, const std::string &run_target,
                   const std::string &log_target = "", const std::string &size_text = "");

// Start the supervisor (no readiness: the caller polls its services).
void start(Bench &b, Supervised &s);
// Stop it as it is meant to be stopped and remove the scratch directory;
// whatever it leaves behind is the caller's to end (the driver adopts it).
void stop(Bench &b, Supervised &s);

// Remove the scratch directory (once the supervisor and what it left are gone).
void discard(Bench &b, Supervised &s);

// The pid the supervisor reports for service k (its log/ when log), or 0.
// initd, runit and my_init: supervise/pid (for my_init translated from its
// namespace's pid through NSpid in /proc/PID/status); supervisord: its child whose
// working directory is the service's.
pid_t service_pid(const Supervised &s, size_t k, bool log = false);

// The real path of /proc/PID/exe, empty when it cannot be read.
std::string exe_of(pid_t pid);

// The supervisor's own processes: the tree below it, less the processes whose
// binary is one of `services` (and what is below those).
std::vector<pid_t> own_processes(pid_t root, const std::vector<std::string> &services);

// utime + stime of a process, in ms.
double cpu_ms(pid_t pid);
