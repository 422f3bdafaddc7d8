// docker.cpp - `docker stop` of a container whose PID 1 is the init.
#include <algorithm>
#include <cstdlib>
#include <map>

#include "measure.hpp"

namespace {

std::string shell_quote(const std::string &s)
{
	std::string q = "'";
	for (char c : s)
		q += c == '\'' ? std::string("'\\''") : std::string(1, c);
	return q + "'";
}

// A name usable in docker image tags and container names ("no init" has a space).
std::string slug(std::string s)
{
	std::replace(s.begin(), s.end(), ' ', '-');
	return s;
}

// Copy a file into a rootfs at the same absolute path (or at `as`).
bool put(Bench &b, const std::string &root, const std::string &file, const std::string &as = "")
{
	std::string dest = root + (as.empty() ? file : as);
	std::string dir = dest.substr(0, dest.rfind('/'));
	return b.launcher.run({"mkdir", "-p", dir}) == 0 && b.launcher.run({"cp", "-L", file, dest}) == 0 &&
	       b.launcher.run({"chmod", "755", dest}) == 0;
}

// An image FROM scratch holding only the init (and its libraries when it is
// dynamic) and the static sleeper; nothing has to be pulled.
bool build_image(Bench &b, const Variant &v, const std::string &tmp, std::string &why)
{
	std::string root = tmp + "/" + v.name;
	std::string tag = "initd-bench:" + slug(v.name);
	std::vector<std::string> entry;
	if (v.kind == Kind::None) {
		entry = {"/sleeper"};
	} else {
		if (!put(b, root, v.path, "/init")) {
			why = "cannot copy " + v.path;
			return false;
		}
		if (elf_is_dynamic(v.path))
			for (auto &lib : needed_libs(b, v.path))
				if (!put(b, root, lib)) {
					why = "cannot copy " + lib;
					return false;
				}
		entry = {"/init"};
		entry.insert(entry.end(), v.prefix.begin(), v.prefix.end());
		entry.push_back("/sleeper");
	}
	if (!put(b, root, b.cfg.helper("sleeper"), "/sleeper")) {
		why = "cannot copy the sleeper";
		return false;
	}
	std::string json = "ENTRYPOINT [";
	for (size_t i = 0; i < entry.size(); i++)
		json += (i ? ",\"" : "\"") + entry[i] + "\"";
	json += "]";
	std::string pipeline = "tar -C " + shell_quote(root) + " -c . | docker import --change " + shell_quote(json) +
	                       " - " + shell_quote(tag) + " >/dev/null";
	if (b.launcher.run({"sh", "-c", pipeline}) != 0) {
		why = "docker import failed";
		return false;
	}
	return true;
}

std::string read_comm(pid_t pid) { return trim(pid_file(pid, "comm")); }

// After `docker run -d` returns, wait until the sleeper runs inside, so
// that the stop hits a settled container.  There is no pipe out of the
// container, so this polls /proc (host pids) with 1 ms pauses.
bool container_settled(Bench &b, const std::string &name, bool has_init)
{
	std::string out;
	if (b.launcher.run({"docker", "inspect", "-f", "{{.State.Pid}}", name}, &out) != 0)
		return false;
	pid_t pid = pid_t(std::atoi(out.c_str()));
	if (pid <= 0)
		return false;
	for (int i = 0; i < 5000; i++) {
		if (!has_init && read_comm(pid) == "sleeper")
			return true;
		if (has_init) {
			auto kids = children_of(pid);
			if (!kids.empty() && read_comm(kids[0]) == "sleeper")
				return true;
		}
		nap_us(1000);
	}
	return false;
}

} // namespace

void measure_docker(Bench &b)
{
	const Config &cfg = b.cfg;
	Row &r = b.report.add_row("docker stop -t " + std::to_string(cfg.docker_stop_timeout) +
	                          " (ms, wall time of the CLI)");
	auto skip_all = [&](const std::string &why) {
		for (auto &v : b.all)
			if (v.kind != Kind::Bare)
				set_cell(r, v.name, 0, "skipped");
		b.report.note("docker stop: skipped: " + why);
		b.progress("docker: skipped: " + why);
	};
	if (b.launcher.run({"docker", "info"}, nullptr, 20000) != 0) {
		skip_all("`docker info` failed (no daemon)");
		return;
	}
	char tmpl[] = "/tmp/initd-bench-XXXXXX";
	if (!mkdtemp(tmpl)) {
		skip_all("mkdtemp failed");
		return;
	}
	std::string tmp = tmpl;

	std::vector<const Variant *> vs;
	for (auto *v : pick(b.all, true, false)) {
		std::string why;
		if (build_image(b, *v, tmp, why))
			vs.push_back(v);
		else
			set_cell(r, v->name, 0, "skipped: " + why);
	}
	b.report.mark_missing(r, b.all, true, false);

	std::map<std::string, std::vector<double>> ms;
	std::string stop_t = std::to_string(cfg.docker_stop_timeout);
	for (int rep = 0; rep < cfg.docker_reps; rep++) {
		b.progress("docker stop: repetition " + std::to_string(rep + 1) + "/" + std::to_string(cfg.docker_reps));
		round_robin(vs, rep, [&](const Variant &v) {
			std::string name = "initd-bench-" + slug(v.name);
			b.launcher.run({"docker", "rm", "-f", name});
			if (b.launcher.run({"docker", "run", "-d", "--network", "none", "--log-driver", "none", "--name", name,
			                    "initd-bench:" + slug(v.name)}) != 0 ||
			    !container_settled(b, name, v.kind != Kind::None)) {
				b.progress(v.name + ": container did not start");
				b.launcher.run({"docker", "rm", "-f", name});
				return;
			}
			uint64_t t0 = now_ns();
			if (b.launcher.run({"docker", "stop", "-t", stop_t, name}) == 0)
				ms[v.name].push_back(ms_since(t0));
			b.launcher.run({"docker", "rm", "-f", name});
		});
	}
	for (auto *v : vs) {
		b.launcher.run({"docker", "rmi", "initd-bench:" + slug(v->name)});
		std::string why = v->kind == Kind::None ? " (PID 1 ignores SIGTERM: killed at the timeout)" : "";
		set_cell(r, v->name, median(ms[v->name]), ms[v->name].empty() ? "failed" : fmt(median(ms[v->name]), 0) + why);
	}
	b.launcher.run({"rm", "-rf", tmp});
}
