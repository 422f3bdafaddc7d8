// The services of a runit directory (--services DIR), as the world sees them: the
// programs started in DIR/NAME (and DIR/NAME/log), the pipe from a service to its
// logger (or, with --prefix-services, to initd's stdout behind "NAME: "), and the
// supervise/ files Debian's `sv` reads and writes. The decisions are
// the ServiceTable's (service_table.hpp); this is the ServiceOps it calls.
//
// No polling: sv's commands (supervise/control) and changes to DIR (inotify) raise
// SIGIO, which the main loop takes from sigtimedwait like any other signal and hands
// to on_io().
#pragma once

#include "initd/service_table.hpp"
#include "initd/spawn.hpp"

namespace initd::services {

class ServiceDirectory final : public ServiceOps {
public:
    // Opens DIR, watches it and reads which services it holds; nothing starts yet. A
    // missing or unreadable DIR is said in one line and leaves no services. `base`: kept,
    // it must outlive the directory. `prefix`: --prefix-services.
    void open(const char* path, const ChildSetup& base, bool prefix);
    void start() { table_.start_wanted(); }
    void on_io();  // SIGIO: sv's commands, services added or removed, their output
    // --prefix-services: copies what the services wrote to initd's stdout (SIGIO, and
    // when one is reaped: its last lines before a shutdown may end initd).
    void drain_output();

    ServiceTable& table() { return table_; }

    pid_t start(int service, Which which, const int* finish_args) override;
    void signal(pid_t pid, int sig) override;
    std::int64_t now_ms() override;
    void wall_now(std::int64_t& sec, std::uint32_t& nsec) override;
    void publish(int service, Which which, const runit::Status& status) override;
    void released(int service) override;

private:
    // A program's directory (DIR/NAME or DIR/NAME/log) and its supervise/ FIFOs. Not
    // open: -1 (open() sets every one; until then the object is all zeros, in .bss).
    struct Place {
        int dir;
        int control;  // read by initd; sv writes one letter per command
        int control_writer;  // held so the FIFO never reports end-of-file
        int ok;       // held open for reading: sv's sign that a supervisor is there
    };
    struct Files {
        Place run, log;
        // run's stdout -> the logger's stdin, across restarts of both; with
        // --prefix-services and no logger, run's stdout and stderr -> initd.
        int pipe[2];
    };

    void scan();
    void add(const char* name);
    bool prepare(int parent, const char* sub, Place& place);
    void read_commands(int service, Which which);
    void close_all(Files& files);
    Place& place(int service, Which which);
    void drain(int service);

    ServiceTable table_;
    Files files_[kMaxServices];
    // main's, which outlives the directory. A pointer, not a copy: a ChildSetup member's
    // defaults would be stored by the constructor that first use runs (code in main).
    const ChildSetup* base_;
    int dir_;
    int inotify_;
    bool prefix_;
    bool at_line_start_[kMaxServices];  // of each service's output (--prefix-services)
    // Shared by every service's output: one service's partial line may be followed by
    // another's lines, mid-line (as when they wrote to one stdout themselves).
    char in_[16 * 1024];
    char out_[32 * 1024];  // a chunk of short lines with their prefixes may take turns
    terminal::Foreground foreground_;  // services never take it (ChildSetup::background)
};

}  // namespace initd::services
