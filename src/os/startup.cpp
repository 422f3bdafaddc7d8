#include "initd/startup.hpp"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <string_view>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "initd/log.hpp"
#include "initd/sigmask.hpp"

namespace initd::startup {
namespace {

void to_stdout(std::string_view text) { log::write_all(STDOUT_FILENO, text); }
void to_stderr(std::string_view text) { log::write_all(STDERR_FILENO, text); }

}  // namespace

std::optional<int> configure(int argc, char** argv, char** envp, Config& config) {
    ParseResult r = parse_options(argc, argv, envp, config);
    const NameRow& row = *config.row;
    switch (r.action) {
    case Action::run: return std::nullopt;
    case Action::help: format_help(config, row.help_to_stderr ? to_stderr : to_stdout); return 0;
    case Action::version:
        format_version(config, row.version == VersionStyle::dumb_init ? to_stderr : to_stdout);
        return 0;
    case Action::license: format_license(to_stdout); return 0;
    case Action::usage_error:
        // tini and catatonit have no --help; -h is help under every name.
        r.error << "; try '" << config.called_as << (&row == &initd_row() ? " --help'" : " -h'");
        break;
    case Action::bad_value:
    case Action::refuse: break;
    }
    // The errors: their line, then the row's usage exit code (refuse: 1).
    log::line(log::Level::error, r.error);
    return r.action == Action::refuse ? 1 : row.usage_exit;
}

SignalSet ignore_terminal_stops() {
    SignalSet ignored;
    for (int sig : {SIGTTIN, SIGTTOU})
        if (sigmask::set_disposition(sig, SIG_IGN) == SIG_IGN) ignored = ignored.with(sig);
    return ignored;
}

// prctl through syscall(): musl's variadic wrapper would be in the binary for these
// calls and the child's PR_SET_PDEATHSIG only.
bool become_reaper(const Config& config, bool pid1) {
    if (config.pdeathsig && syscall(SYS_prctl, PR_SET_PDEATHSIG, long{config.pdeathsig}) < 0) log::failure("prctl(PR_SET_PDEATHSIG)", errno);
    if (pid1) return true;
    Subreaper policy = config.row->subreaper;
    if (config.subreaper && policy != Subreaper::never) {
        if (syscall(SYS_prctl, PR_SET_CHILD_SUBREAPER, 1L) == 0) return true;
        log::failure("prctl(PR_SET_CHILD_SUBREAPER)", errno);
        // tini (asked to) and catatonit refuse to run without it; initd goes on.
        return policy == Subreaper::by_default;
    }
    if (policy != Subreaper::opt_in) return true;
    // A subreaper's flag survives exec: a parent that set it before exec'ing tini (as
    // tini's own test proxy does) made it one already.
    int already = 0;
    if (syscall(SYS_prctl, PR_GET_CHILD_SUBREAPER, &already) == 0 && already) return true;
    // tini's users grep for "zombie reaping won't work", so that phrase is kept.
    log::line(log::Level::warning, Text() << "not PID 1 and not a child subreaper: orphans are not re-parented to "
                                             "initd, so zombie reaping won't work; use -s or TINI_SUBREAPER, or run as PID 1");
    return true;
}

bool resolve_credentials(const Config& config, Credentials& out) {
    if (!config.user) return true;
    Text error;
    if (resolve_user(config.user, out, error)) return true;
    log::line(log::Level::error, error);
    return false;
}

void detach_from_cwd_and_descriptors() {
    // Raw, as chpst's: musl's chdir would be in the binary for these two calls only.
    if (syscall(SYS_chdir, "/") < 0) log::failure("chdir /", errno);
    if (syscall(SYS_close_range, 3u, ~0u, 0u) == 0) return;
    // Kernels before 5.9: close one by one, up to the descriptor limit.
    rlimit limit{};
    syscall(SYS_prlimit64, 0L, long{RLIMIT_NOFILE}, nullptr, &limit);  // as chpst reads limits
    rlim_t top = limit.rlim_cur < 65536 ? limit.rlim_cur : 65536;
    for (rlim_t fd = 3; fd < top; ++fd) close(static_cast<int>(fd));
}

int listen_pid_owner(char** envp) {
    Text mine;
    mine << "LISTEN_PID=" << static_cast<long>(getpid());
    const char* wanted = mine.c_str();
    for (char** e = envp; e && *e; ++e)
        if (std::strcmp(*e, wanted) == 0) return getpid();
    return 0;
}

}  // namespace initd::startup
