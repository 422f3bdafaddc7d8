// common.hpp - what every part of the benchmark driver uses: the clock,
// medians, number formatting and the reading of /proc files.
#pragma once

#include <cstdint>
#include <string>
#include <sys/types.h>
#include <vector>

uint64_t now_ns();
double ms_since(uint64_t t0);
void nap_us(long us);

double median(std::vector<double> v);
// Nearest-rank percentile, p in (0, 1].
double percentile(std::vector<double> v, double p);

std::string fmt(double v, int decimals);
// A median of counts: whole numbers stay whole, a half (even number of
// repetitions) keeps its decimal instead of being rounded away.
std::string fmt_count(double v);
std::string trim(std::string s);

std::string slurp(const std::string &path);
// The number after "key" in a /proc "Key:   123 kB" style text, or -1.
long proc_field(const std::string &text, const std::string &key);
std::string pid_file(pid_t pid, const char *name);
// The pids in /proc/PID/task/PID/children: a process's children (all the
// driver's helpers are single-threaded).
std::vector<pid_t> children_of(pid_t pid);

// A dynamically linked ELF has a PT_INTERP program header naming ld.so.
bool elf_is_dynamic(const std::string &path);

// Progress lines on stderr, stamped with the time since the driver started.
class Progress {
public:
	void operator()(const std::string &msg) const;

private:
	uint64_t started_ns_ = now_ns();
};
