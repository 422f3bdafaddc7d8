// setup.hpp - what a run is asked to do (Config, from the command line) and
// what it compares (the variants: the inits, no init, the bare loop).
#pragma once

#include <functional>
#include <set>
#include <string>
#include <vector>

struct Config {
	std::string initd = "build/initd";
	std::string initd_before; // an older initd for a second column; empty: none
	std::string my_init;      // baseimage-docker's my_init for a supervisor column; empty: none
	std::string helpers = "bench/build";
	std::string out = "bench/RESULTS.md";
	std::string command = "bench/run";
	std::set<std::string> only; // measurements to run; empty: all
	bool quiet_children = true;
	int startup_runs = 1000;
	int latency_signals = 1000;
	int latency_rounds = 5; // fresh processes per round: see measure_latency
	int burst = 10000;
	int orphans = 10000;
	int idle_reps = 2;
	int idle_seconds = 10;
	int loss_reps = 3;
	int reap_reps = 3;
	int shutdown_reps = 20;
	int tree_reps = 3;
	int tree_children = 50;       // children of the main child ...
	int tree_grandchildren = 100; // ... and children of each of them
	int tree_strangers = 0;       // processes outside the init's tree meanwhile
	int docker_reps = 3;
	int services = 50;        // services per supervisor
	int services_reps = 3;    // fresh supervisors per repetition
	int restarts = 5;         // services killed per supervisor and repetition
	int relay_mib = 256;      // bytes a service writes into its logger
	int relay_reps = 3;
	int output_mib = 1024;    // what the child writes in the output measurement
	int output_reps = 3;
	int docker_stop_timeout = 3;
	// On a loaded machine the two longest measurements stop starting new
	// repetitions after this many seconds, so a run stays within ~6 minutes;
	// the report gives the counts actually done.
	int startup_budget_s = 150;
	int reap_budget_s = 90;

	bool wants(const std::string &m) const { return only.empty() || only.count(m); }
	std::string helper(const char *name) const { return helpers + "/" + name; }
	int tree_size() const { return tree_children * (1 + tree_grandchildren); }
};

// false: the arguments make no sense (usage() says what would).
bool parse_args(int argc, char **argv, Config &cfg);
void usage();

enum class Kind { Init, None, Bare };

struct Variant {
	std::string name;                // column title
	std::string path;                // the binary; empty for "no init"
	std::vector<std::string> prefix; // arguments between the binary and the command
	Kind kind = Kind::Init;
	std::string missing;             // why it cannot run; empty when it can

	bool ok() const { return missing.empty(); }
	bool is_init() const { return kind == Kind::Init; }
	std::vector<std::string> command(const std::vector<std::string> &child) const;
};

std::vector<Variant> make_variants(const Config &cfg);

// The peers initd is compared with in the last column.
extern const std::vector<std::string> kPeers;

// The variants that can run; "no init" and the bare loop only when asked.
std::vector<const Variant *> pick(const std::vector<Variant> &all, bool with_none, bool with_bare);

// Visit variants round-robin: repetition i starts at a different variant so
// that no init always runs right after the same neighbour.
void round_robin(const std::vector<const Variant *> &vs, int i, const std::function<void(const Variant &)> &fn);
