// report.cpp - see report.hpp.
#include "report.hpp"

#include <ctime>
#include <fstream>
#include <sstream>
#include <sys/utsname.h>
#include <unistd.h>

#include "common.hpp"

Row &Report::add_row(const std::string &label, bool higher_is_better, bool ratio)
{
	rows_.push_back(Row{label, higher_is_better, ratio, {}});
	return rows_.back();
}

Table &Report::add_table(const std::string &title, const std::vector<std::string> &cols)
{
	tables_.push_back(Table{title, cols, {}, {}});
	return tables_.back();
}

Row &Table::add_row(const std::string &label)
{
	rows.push_back(Row{label, false, false, {}});
	return rows.back();
}

void set_cell(Row &r, const std::string &name, double value, const std::string &text)
{
	r.cells[name] = Cell{value, text};
}

void Report::mark_missing(Row &r, const std::vector<Variant> &all, bool with_none, bool with_bare)
{
	for (auto &v : all) {
		if ((v.kind == Kind::None && !with_none) || (v.kind == Kind::Bare && !with_bare))
			continue;
		if (!v.ok())
			set_cell(r, v.name, 0, "missing");
	}
}

namespace {

std::string ratio_cell(const Row &r)
{
	if (!r.ratio)
		return "";
	auto it = r.cells.find("initd");
	if (it == r.cells.end() || it->second.text == "missing")
		return "initd missing";
	const Cell *best = nullptr;
	std::string best_name;
	for (auto &peer : kPeers) {
		auto p = r.cells.find(peer);
		if (p == r.cells.end() || p->second.text == "missing" || p->second.text.rfind("skipped", 0) == 0 ||
		    p->second.text == "failed")
			continue;
		bool better = !best || (r.higher_is_better ? p->second.value > best->value : p->second.value < best->value);
		if (better) {
			best = &p->second;
			best_name = peer;
		}
	}
	if (!best)
		return "no peer";
	double a = it->second.value, b = best->value;
	if (b == 0)
		return (a == 0 ? "= " : "∞ ") + std::string("(" + best_name + ")");
	return fmt(a / b, 2) + "× (" + best_name + ")";
}

std::string first_line_of(const std::string &path, const std::string &key)
{
	std::ifstream in(path);
	std::string line;
	while (std::getline(in, line))
		if (line.rfind(key, 0) == 0) {
			size_t colon = line.find(':');
			return colon == std::string::npos ? line : trim(line.substr(colon + 2));
		}
	return "unknown";
}

void header(std::ostringstream &o, const Config &cfg, const Done &done, double total_s)
{
	char date[64];
	time_t t = time(nullptr);
	strftime(date, sizeof date, "%Y-%m-%d %H:%M:%S %Z", localtime(&t));
	utsname u{};
	uname(&u);
	o << "# initd benchmark results\n\n";
	o << "- date: " << date << "\n";
	o << "- kernel: " << u.release << " (`uname -r`)\n";
	o << "- CPU: " << first_line_of("/proc/cpuinfo", "model name") << ", " << sysconf(_SC_NPROCESSORS_ONLN)
	  << " online CPUs\n";
	o << "- command: `" << cfg.command << "`\n";
	o << "- repetitions: start-up " << done.startup_runs << " runs per variant; signal latency "
	  << done.latency_signals << " paced signals in " << cfg.latency_rounds << " rounds; signal bursts "
	  << cfg.loss_reps << " × " << cfg.burst << "; reaping " << done.reap_reps << " × (live + backlog) × "
	  << cfg.orphans << " orphans; idle/memory " << cfg.idle_reps << " × " << cfg.idle_seconds
	  << " s windows; shutdown " << cfg.shutdown_reps << "; shutdown of a tree " << cfg.tree_reps << " × "
	  << cfg.tree_size() << " descendants; docker stop " << cfg.docker_reps
	  << ". Figures are medians over those.\n";
	o << "- total run time: " << fmt(total_s, 0) << " s\n";
	o << "- modes: tini and tini-static run with `-s`; dumb-init without `--` (its own syntax). Start-up, "
	     "memory, idle, signals and shutdown: each init is a plain child of the driver (subreaper mode for "
	     "initd, tini -s and catatonit; dumb-init registers no subreaper). Reaping: every init is PID 1 of a "
	     "new PID namespace; \"no init\" there means the orphan factory itself is PID 1; backlog = the init "
	     "is SIGSTOPped while the zombies pile up. Docker: each init is the container's PID 1. "
	     "How each row is measured: bench/README.md.\n\n";
	o << "Lower is better except rows marked ↑. \"initd vs best peer\" = initd ÷ the best of tini, "
	     "tini-static, dumb-init, catatonit on that row.\n\n";
}

void write_table(std::ostringstream &o, const Table &t)
{
	o << "\n## " << t.title << "\n\n| measurement |";
	for (auto &c : t.cols)
		o << " " << c << " |";
	o << "\n|---|";
	for (size_t i = 0; i < t.cols.size(); i++)
		o << "---|";
	o << "\n";
	for (auto &r : t.rows) {
		o << "| " << r.label << " |";
		for (auto &c : t.cols) {
			auto it = r.cells.find(c);
			o << " " << (it == r.cells.end() ? "–" : it->second.text) << " |";
		}
		o << "\n";
	}
	if (!t.notes.empty()) {
		o << "\n";
		for (auto &n : t.notes)
			o << "- " << n << "\n";
	}
}

void main_table(std::ostringstream &o, const std::vector<Variant> &all, const std::deque<Row> &rows_,
                const std::vector<std::string> &notes_)
{
	std::vector<std::string> cols;
	for (auto &v : all)
		cols.push_back(v.name);
	o << "| measurement |";
	for (auto &c : cols)
		o << " " << c << " |";
	o << " initd vs best peer |\n|---|";
	for (size_t i = 0; i < cols.size(); i++)
		o << "---|";
	o << "---|\n";
	for (auto &r : rows_) {
		o << "| " << r.label << " |";
		for (auto &c : cols) {
			auto it = r.cells.find(c);
			o << " " << (it == r.cells.end() ? "–" : it->second.text) << " |";
		}
		o << " " << ratio_cell(r) << " |\n";
	}
	if (!notes_.empty()) {
		o << "\nNotes:\n\n";
		for (auto &n : notes_)
			o << "- " << n << "\n";
	}
	for (auto &v : all)
		if (!v.ok())
			o << "- " << v.name << ": " << v.missing << "\n";
}

} // namespace

std::string Report::markdown(const Config &cfg, const std::vector<Variant> &all, double total_s) const
{
	std::ostringstream o;
	header(o, cfg, done, total_s);
	if (!rows_.empty())
		main_table(o, all, rows_, notes_);
	for (auto &t : tables_)
		write_table(o, t);
	return o.str();
}
