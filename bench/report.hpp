// report.hpp - the results table: rows of cells filled by the measurements,
// notes, and the markdown writer.
#pragma once

#include <deque>
#include <map>
#include <string>
#include <vector>

#include "setup.hpp"

struct Cell {
	double value = 0;
	std::string text;
};

struct Row {
	std::string label;
	bool higher_is_better = false;
	bool ratio = true; // compare initd with the best peer on this row
	std::map<std::string, Cell> cells;
};

// A table of its own, for measurements whose columns are not the inits (the
// service supervisors); no ratio column.
struct Table {
	std::string title;
	std::vector<std::string> cols;
	std::deque<Row> rows;
	std::vector<std::string> notes;

	Row &add_row(const std::string &label);
};

// How many repetitions were actually done where a time budget may cut them
// short; the header of the report states them.
struct Done {
	int startup_runs;
	int latency_signals;
	int reap_reps;
};

class Report {
public:
	explicit Report(const Config &cfg) : done{cfg.startup_runs, cfg.latency_signals, cfg.reap_reps} {}

	// A deque: add_row() hands out references that must stay valid.
	Row &add_row(const std::string &label, bool higher_is_better = false, bool ratio = true);
	void note(const std::string &text) { notes_.push_back(text); }
	Table &add_table(const std::string &title, const std::vector<std::string> &cols);
	// Cells for variants that could not run say why.
	void mark_missing(Row &r, const std::vector<Variant> &all, bool with_none, bool with_bare);

	std::string markdown(const Config &cfg, const std::vector<Variant> &all, double total_s) const;

	Done done;

private:
	std::deque<Row> rows_;
	std::deque<Table> tables_;
	std::vector<std::string> notes_;
};

void set_cell(Row &r, const std::string &name, double value, const std::string &text);
