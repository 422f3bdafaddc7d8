// common.cpp - see common.hpp.
#include "common.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <elf.h>
#include <fstream>
#include <sstream>

uint64_t now_ns()
{
	timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return uint64_t(ts.tv_sec) * 1000000000u + uint64_t(ts.tv_nsec);
}

double ms_since(uint64_t t0) { return double(now_ns() - t0) / 1e6; }

void nap_us(long us)
{
	timespec ts{us / 1000000, (us % 1000000) * 1000};
	nanosleep(&ts, nullptr);
}

double median(std::vector<double> v)
{
	if (v.empty())
		return 0;
	std::sort(v.begin(), v.end());
	size_t n = v.size();
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

double percentile(std::vector<double> v, double p)
{
	if (v.empty())
		return 0;
	std::sort(v.begin(), v.end());
	size_t rank = size_t(p * double(v.size()) + 0.999999);
	return v[std::clamp<size_t>(rank, 1, v.size()) - 1];
}

std::string fmt(double v, int decimals)
{
	char buf[64];
	std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
	return buf;
}

std::string fmt_count(double v)
{
	return v == double(long(v)) ? fmt(v, 0) : fmt(v, 1);
}

std::string trim(std::string s)
{
	while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
		s.pop_back();
	return s;
}

std::string slurp(const std::string &path)
{
	std::ifstream in(path);
	std::stringstream ss;
	ss << in.rdbuf();
	return ss.str();
}

long proc_field(const std::string &text, const std::string &key)
{
	size_t at = text.find("\n" + key);
	if (at == std::string::npos) {
		if (text.compare(0, key.size(), key) != 0)
			return -1;
		at = 0;
	} else {
		at += 1;
	}
	return std::strtol(text.c_str() + at + key.size(), nullptr, 10);
}

std::string pid_file(pid_t pid, const char *name)
{
	return slurp("/proc/" + std::to_string(pid) + "/" + name);
}

std::vector<pid_t> children_of(pid_t pid)
{
	std::istringstream in(pid_file(pid, ("task/" + std::to_string(pid) + "/children").c_str()));
	std::vector<pid_t> kids;
	for (pid_t c; in >> c;)
		kids.push_back(c);
	return kids;
}

bool elf_is_dynamic(const std::string &path)
{
	std::ifstream in(path, std::ios::binary);
	Elf64_Ehdr eh{};
	if (!in.read(reinterpret_cast<char *>(&eh), sizeof eh))
		return false;
	for (int i = 0; i < eh.e_phnum; i++) {
		Elf64_Phdr ph{};
		in.seekg(std::streamoff(eh.e_phoff + uint64_t(i) * eh.e_phentsize));
		if (!in.read(reinterpret_cast<char *>(&ph), sizeof ph))
			return false;
		if (ph.p_type == PT_INTERP)
			return true;
	}
	return false;
}

void Progress::operator()(const std::string &msg) const
{
	std::fprintf(stderr, "bench: [%5.1f s] %s\n", double(now_ns() - started_ns_) / 1e9, msg.c_str());
}
