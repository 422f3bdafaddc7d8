// README "Coming from tini, dumb-init or catatonit" (Terminals and job control): with -g
// or --setsid, SIGTSTP/SIGTTIN/SIGTTOU stop the whole job (the child's group as SIGSTOP,
// then initd itself) and SIGCONT resumes it; the child starts with the signal mask and
// ignored signals initd was started with.
#include <catch2/catch.hpp>

#include <csignal>
#include <set>
#include <unistd.h>

#include "harness.hpp"

using namespace harness;

namespace {

// initd running the tree helper, all three of which have said they are ready.
struct Job : Started {
    std::vector<pid_t> members;  // the child and its two children, as the test sees them

    Job(Mode mode, std::vector<std::string> options) : Started(initd_launch(mode, std::move(options), {helper("tree")})) {
        for (int i = 0; i < 3; ++i) REQUIRE(reporter.line());
        auto kids = children_of(process.pid());
        REQUIRE(kids.size() == 1);
        members = {kids[0]};
        for (pid_t grandchild : children_of(kids[0])) members.push_back(grandchild);
        REQUIRE(members.size() == 3);
    }
    bool all_stopped() {
        for (pid_t pid : members)
            if (!wait_for_state(pid, 'T', 10000)) return false;
        return true;
    }
    // The next `n` lines, in any order.
    std::multiset<std::string> lines(int n) {
        std::multiset<std::string> got;
        for (int i = 0; i < n; ++i) {
            auto line = reporter.line();
            if (!line) break;
            got.insert(*line);
        }
        return got;
    }
    void finish() {
        REQUIRE(process.signal(SIGTERM) == 0);
        for (auto line = reporter.line(); line && *line != "done"; line = reporter.line()) {}
        CHECK(process.wait() == 0);
    }
};

// Waits until initd has stopped itself (bounded: a broken initd must not hang the test).
bool initd_stopped(pid_t initd) { return wait_for_state(initd, 'T', 10000); }

std::uint64_t hex(const std::string& line, const std::string& key) { return std::stoull(field(line, key), nullptr, 16); }

std::uint64_t mask_of(const std::vector<int>& signals) {
    std::uint64_t mask = 0;
    for (int sig : signals) mask |= std::uint64_t{1} << (sig - 1);
    return mask;
}

}  // namespace

TEST_CASE("with -g or --setsid, SIGTSTP/SIGTTIN/SIGTTOU stop the job and initd, SIGCONT resumes", "[jobcontrol]") {
    Mode mode = GENERATE(Mode::pid1, Mode::subreaper);
    INFO(mode_name(mode));
    for (const std::string option : {"-g", "--setsid"}) {
        for (int sig : {SIGTSTP, SIGTTIN, SIGTTOU}) {
            INFO("initd " << option << ", signal " << sig);
            Job job(mode, {option});
            REQUIRE(job.process.signal(sig) == 0);
            // The whole group is stopped by SIGSTOP: none of them saw `sig` itself.
            CHECK(job.all_stopped());
            // PID 1 cannot stop itself; otherwise initd stops too, so the shell that
            // started it sees the job suspended.
            if (mode == Mode::subreaper) CHECK(initd_stopped(job.process.pid()));
            REQUIRE(job.process.signal(SIGCONT) == 0);
            CHECK(job.lines(3) == std::multiset<std::string>{"child 18", "grandchild1 18", "grandchild2 18"});
            for (pid_t pid : job.members) CHECK(state_of(pid) != 'T');
            job.finish();
        }
    }
}

TEST_CASE("job control: a rewrite rule for a stop signal is obeyed", "[jobcontrol]") {
    Mode mode = GENERATE(Mode::pid1, Mode::subreaper);
    INFO(mode_name(mode));
    Job job(mode, {"-g", "-r", "TSTP:USR1"});
    REQUIRE(job.process.signal(SIGTSTP) == 0);
    CHECK(job.lines(3) == std::multiset<std::string>{"child 10", "grandchild1 10", "grandchild2 10"});
    // The job was not stopped, so initd must not stop either: it still forwards.
    CHECK(state_of(job.process.pid()) != 'T');
    REQUIRE(job.process.signal(SIGHUP) == 0);
    CHECK(job.lines(3) == std::multiset<std::string>{"child 1", "grandchild1 1", "grandchild2 1"});
    job.finish();
}

TEST_CASE("without -g, SIGTSTP is forwarded to the child as it is and nothing stops", "[jobcontrol]") {
    Mode mode = GENERATE(Mode::pid1, Mode::subreaper);
    INFO(mode_name(mode));
    Job job(mode, {});
    for (int sig : {SIGTSTP, SIGTTIN, SIGTTOU}) {
        REQUIRE(job.process.signal(sig) == 0);
        CHECK(job.reporter.line() == "child " + std::to_string(sig));
    }
    for (pid_t pid : job.members) CHECK(state_of(pid) != 'T');
    CHECK(state_of(job.process.pid()) != 'T');
    job.finish();
}

TEST_CASE("the child starts with the signal mask and ignored signals initd was given", "[jobcontrol]") {
    Mode mode = GENERATE(Mode::pid1, Mode::subreaper);
    INFO(mode_name(mode));
    struct Case {
        std::vector<int> blocked, ignored;
    };
    for (const auto& c : std::vector<Case>{
             {{}, {}},
             {{SIGHUP, SIGUSR1, SIGTSTP, 40}, {SIGPIPE, SIGTTOU, SIGQUIT, 45}},
             {{SIGTTIN, SIGTTOU}, {SIGTTIN}},
             {{SIGINT}, {SIGINT, SIGTERM, SIGTTIN, SIGTTOU}},
         }) {
        for (const auto& options : std::vector<std::vector<std::string>>{{}, {"--setsid"}}) {
            INFO("blocked " << Catch::Detail::stringify(c.blocked) << " ignored " << Catch::Detail::stringify(c.ignored)
                            << " initd " << Catch::Detail::stringify(options));
            Launch l = initd_launch(mode, options, {helper("probe")});
            l.blocked_signals = c.blocked;
            l.ignored_signals = c.ignored;
            auto line = probe(l)[0];
            CHECK(hex(line, "blk") == mask_of(c.blocked));
            CHECK(hex(line, "ign") == mask_of(c.ignored));
        }
    }
}
