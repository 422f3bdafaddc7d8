#include "initd/dock.hpp"

namespace initd::dock {

bool wanted(const Config& c) {
    return c.io || c.web_hook || c.bind_port || c.stdout_prefix || c.thug || c.notify_socket;
}

bool Features::prepare(const Config&, char* const*, ChildSetup&, Text&) { return true; }
void Features::started(pid_t) {}
void Features::ended() {}
void Features::on_io() {}
long long Features::timeout_ms(std::int64_t) const { return -1; }
void Features::on_deadlines(std::int64_t) {}
int Features::stop_signal(pid_t, int sig) const { return sig; }
void Features::finish() {}

}  // namespace initd::dock
