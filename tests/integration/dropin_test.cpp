// README "Coming from tini, dumb-init or catatonit", man initd(1) NAMES: initd called as
// tini, tini-static, docker-init, dumb-init or catatonit (here through a symlink of that
// name) behaves as scripts written for those inits expect.
#include <catch2/catch.hpp>

#include <csignal>
#include <fcntl.h>
#include <set>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.hpp"

using namespace harness;

namespace {

// initd run through a symlink called `name`, with argv[0] = `name`; `args` are all of
// initd's arguments (no "--" is added: these tests are about where options end).
Launch as(const std::string& name, std::vector<std::string> args, Mode mode = Mode::subreaper) {
    return initd_launch(mode, std::move(args), {}, name);
}

// Whether the probe, run by `l` as its command, leads its own session.
bool probe_is_session_leader(Launch l) {
    l.argv.push_back(helper("probe"));
    auto line = probe(l)[0];
    return field(line, "sid") == field(line, "pid");
}

const std::vector<std::string> kNames = {"initd", "tini", "tini-static", "docker-init", "dumb-init", "catatonit"};

}  // namespace

TEST_CASE("options end at the first word as initd and dumb-init, after every option as tini and catatonit", "[dropin]") {
    Mode mode = GENERATE(Mode::pid1, Mode::subreaper);
    INFO(mode_name(mode));
    for (const auto& name : kNames) {
        INFO("called as " << name);
        bool permutes = name != "initd" && name != "dumb-init";  // glibc getopt, as the peers are built
        // sh's -c must not be taken for initd's --single-child, nor "-v 3" for -v...
        CHECK(run(as(name, {"sh", "-c", "exit 3"}, mode)).code == (permutes ? 1 : 3));
        CHECK(run(as(name, {"-w", "sh", "-c", "exit 4"}, mode)).code == (permutes ? 1 : name == "dumb-init" ? 1 : 4));
        // ...and "--" or POSIXLY_CORRECT end the options under every name.
        CHECK(run(as(name, {"--", "sh", "-c", "exit 5"}, mode)).code == 5);
        Launch posix = as(name, {"sh", "-c", "exit 6"}, mode);
        posix.extra_env = {"POSIXLY_CORRECT=1"};
        CHECK(run(posix).code == 6);
    }
}

TEST_CASE("help names the program as it was called, and lists that name's options", "[dropin]") {
    struct Case {
        std::string name;
        bool to_stderr;  // where the peer prints it
        std::vector<std::string> options;
    };
    for (const auto& c : std::vector<Case>{
             {"initd", false, {"-g, --process-group", "--setsid", "-c, --single-child", "-P, --pause", "-s, --subreaper",
                               "-p, --pdeathsig SIGNAL", "-e, --expect-exit CODE", "-w, --warn-reap", "-l, --license",
                               "-r, --rewrite FROM:TO", "--grace DURATION"}},
             {"tini", false, {"-s", "-p SIGNAL", "-v", "-w", "-g", "-e EXIT_CODE", "-l", "-h", "--version"}},
             {"docker-init", false, {"-s", "-p SIGNAL", "-g"}},
             {"dumb-init", true, {"-c, --single-child", "-r, --rewrite s:r", "-v, --verbose", "-V, --version"}},
             {"catatonit", true, {"-g", "-P", "-L", "-V, --version"}}}) {
        INFO("called as " << c.name);
        auto r = run(as(c.name, {"-h"}));
        CHECK(r.code == 0);
        const std::string& text = c.to_stderr ? r.err : r.out;
        CHECK(text.rfind("Usage: " + c.name + " [OPTION]... [--] COMMAND [ARG]...\n", 0) == 0);
        for (const auto& option : c.options) {
            INFO(option);
            CHECK(text.find(option) != std::string::npos);
        }
        CHECK((c.to_stderr ? r.out : r.err).empty());
        if (c.name != "initd") CHECK(text.find("--grace") == std::string::npos);
    }
    // Called through a path, only the last component is shown.
    Launch l = as("tini", {"-h"});
    l.argv[0] = l.program;
    CHECK(run(l).out.rfind("Usage: tini [OPTION]", 0) == 0);
}

TEST_CASE("as tini or docker-init, --version prints tini's line for Docker", "[dropin]") {
    auto own = run(as("initd", {"--version"}));
    REQUIRE(own.out.rfind("initd ", 0) == 0);
    const std::string version = own.out.substr(6, own.out.size() - 7);
    REQUIRE(version.find('.') != std::string::npos);
    for (const std::string name : {"tini", "tini-static", "docker-init"}) {
        INFO("called as " << name);
        auto r = run(as(name, {"--version"}));
        CHECK(r.code == 0);
        CHECK(r.out == "tini version " + version + " - git.initd\n");
    }
    CHECK(run(as("catatonit", {"-V"})).out == "tini version " + version + " - git.initd\n");
    auto dumb = run(as("dumb-init", {"-V"}));
    CHECK(dumb.code == 0);
    CHECK(dumb.err == "dumb-init v" + version + " (initd)\n");  // on stderr, as dumb-init
    CHECK(run(as("initd", {"-V"})).out == "initd " + version + "\n");
}

TEST_CASE("as tini, initd is a subreaper only when asked, and warns otherwise", "[dropin]") {
    const std::string warning =
        "initd: not PID 1 and not a child subreaper: orphans are not re-parented to initd, so zombie reaping"
        " won't work; use -s or TINI_SUBREAPER, or run as PID 1\n";
    // zombie_factory's orphan says whether initd adopted it.
    auto orphan = [](const std::string& name, std::vector<std::string> options, std::vector<std::string> env,
                     Mode mode) {
        Launch l = initd_launch(mode, std::move(options), {helper("zombie_factory"), "1", "5"}, name);
        l.extra_env = env;
        return run(l);
    };
    SECTION("not asked: no subreaper, one warning") {
        for (const std::string name : {"tini", "docker-init"}) {
            INFO("called as " << name);
            auto r = orphan(name, {}, {}, Mode::subreaper);
            CHECK(r.out.find("adopted by initd 0\n") != std::string::npos);
            CHECK(r.err == warning);
        }
    }
    SECTION("asked with -s, --subreaper or TINI_SUBREAPER: adopts orphans, no warning") {
        for (auto [options, env] : std::vector<std::pair<std::vector<std::string>, std::vector<std::string>>>{
                 {{"-s"}, {}}, {{}, {"TINI_SUBREAPER="}}, {{}, {"TINI_SUBREAPER=1"}}}) {
            INFO(Catch::Detail::stringify(options) << " " << Catch::Detail::stringify(env));
            auto r = orphan("tini", options, env, Mode::subreaper);
            CHECK(r.code == 0);
            CHECK(r.out.find("adopted by initd 1\n") != std::string::npos);
            CHECK(r.err.empty());
        }
    }
    SECTION("as PID 1 no subreaper is needed and nothing is said") {
        auto r = orphan("tini", {}, {}, Mode::pid1);
        CHECK(r.code == 0);
        CHECK(r.err.empty());
    }
    SECTION("initd and catatonit are subreapers, dumb-init never is, and TINI_SUBREAPER means nothing to them") {
        for (const std::string name : {"initd", "dumb-init", "catatonit"}) {
            INFO("called as " << name);
            auto r = orphan(name, {}, {"TINI_SUBREAPER=1"}, Mode::subreaper);
            if (name != "dumb-init") CHECK(r.code == 0);  // the factory fails when its orphan is not adopted
            CHECK(r.out.find(name == "dumb-init" ? "adopted by initd 0\n" : "adopted by initd 1\n") != std::string::npos);
            CHECK(r.err.empty());
        }
    }
}

TEST_CASE("the peers' logging variables work under their names only", "[dropin]") {
    Mode mode = GENERATE(Mode::pid1, Mode::subreaper);
    INFO(mode_name(mode));
    struct Case {
        std::string name, variable;
        bool logs;
    };
    std::vector<Case> cases = {
        {"tini", "TINI_VERBOSITY=3", true},     {"docker-init", "TINI_VERBOSITY=2", true},
        {"dumb-init", "DUMB_INIT_DEBUG=1", true}, {"catatonit", "CATATONIT_DEBUG=1", true},
        {"dumb-init", "DUMB_INIT_DEBUG=0", false}, {"initd", "TINI_VERBOSITY=3", false},
        {"initd", "DUMB_INIT_DEBUG=1", false},    {"initd", "CATATONIT_DEBUG=1", false},
        {"tini", "DUMB_INIT_DEBUG=1", false},     {"initd", "INITD_VERBOSE=2", true},
    };
    for (const auto& c : cases) {
        INFO(c.variable << " called as " << c.name);
        bool tini = c.name == "tini" || c.name == "docker-init";
        Launch l = tini ? as(c.name, {"-s", "true"}, mode) : as(c.name, {"true"}, mode);
        l.extra_env = {c.variable};
        auto r = run(l);
        CHECK(r.code == 0);
        CHECK((r.err.find("initd: started 'true' as pid ") != std::string::npos) == c.logs);
    }
}

TEST_CASE("as dumb-init, the child gets its own session unless -c or DUMB_INIT_SETSID=0", "[dropin]") {
    Mode mode = GENERATE(Mode::pid1, Mode::subreaper);
    INFO(mode_name(mode));
    CHECK(probe_is_session_leader(as("dumb-init", {}, mode)));
    CHECK_FALSE(probe_is_session_leader(as("dumb-init", {"-c"}, mode)));
    CHECK_FALSE(probe_is_session_leader(as("dumb-init", {"--single-child"}, mode)));
    Launch off = as("dumb-init", {}, mode);
    off.extra_env = {"DUMB_INIT_SETSID=0"};
    CHECK_FALSE(probe_is_session_leader(off));
    Launch on = as("dumb-init", {}, mode);
    on.extra_env = {"DUMB_INIT_SETSID=1"};
    CHECK(probe_is_session_leader(on));
    // Under other names the variable means nothing.
    for (const std::string name : {"initd", "tini", "catatonit"}) {
        Launch other = as(name, name == "catatonit" ? std::vector<std::string>{} : std::vector<std::string>{"-s"}, mode);
        other.extra_env = {"DUMB_INIT_SETSID=1"};
        CHECK_FALSE(probe_is_session_leader(other));
    }
}

TEST_CASE("as dumb-init, exec failures exit 2", "[dropin]") {
    Mode mode = GENERATE(Mode::pid1, Mode::subreaper);
    INFO(mode_name(mode));
    std::string not_executable = "/tmp/initd-dropin-not-executable";
    int fd = open(not_executable.c_str(), O_CREAT | O_WRONLY | O_TRUNC, 0644);
    REQUIRE(fd >= 0);
    close(fd);
    auto missing = run(as("dumb-init", {"/nonexistent/command"}, mode));
    CHECK(missing.code == 2);
    CHECK(missing.err == "initd: cannot execute '/nonexistent/command': No such file or directory\n");
    auto denied = run(as("dumb-init", {not_executable}, mode));
    CHECK(denied.code == 2);
    CHECK(denied.err == "initd: cannot execute '" + not_executable + "': Permission denied\n");
    // tini keeps 127 and 126, catatonit exits 1 (names_test.cpp has every name).
    CHECK(run(as("tini", {"-s", "/nonexistent/command"}, mode)).code == 127);
    CHECK(run(as("catatonit", {not_executable}, mode)).code == 1);
}

TEST_CASE("as tini, TINI_KILL_PROCESS_GROUP forwards to the child's group", "[dropin]") {
    Mode mode = GENERATE(Mode::pid1, Mode::subreaper);
    INFO(mode_name(mode));
    for (bool as_tini : {true, false}) {
        INFO((as_tini ? "called as tini" : "called as initd"));
        Launch l = initd_launch(mode, {"-s"}, {helper("tree")}, as_tini ? "tini" : "initd");
        l.extra_env = {"TINI_KILL_PROCESS_GROUP=1"};
        Started started(l);
        for (int i = 0; i < 3; ++i) REQUIRE(started.reporter.line());
        REQUIRE(started.process.signal(SIGTERM) == 0);
        std::multiset<std::string> got;
        for (auto line = started.reporter.line(); line && *line != "done"; line = started.reporter.line()) got.insert(*line);
        CHECK(got.count("child 15") == 1);
        CHECK(got.count("grandchild1 15") == (as_tini ? 1u : 0u));
        CHECK(got.count("grandchild2 15") == (as_tini ? 1u : 0u));
        CHECK(started.process.wait() == 0);
    }
}

TEST_CASE("socket activation: LISTEN_PID naming initd is rewritten to the child's pid", "[dropin]") {
    Mode mode = GENERATE(Mode::pid1, Mode::subreaper);
    INFO(mode_name(mode));
    for (const std::string name : {"initd", "tini", "dumb-init", "catatonit"}) {
        INFO("called as " << name);
        // bash's $$ is the pid initd will have once bash execs it.
        Launch l = under({"/bin/bash", "-c", "LISTEN_PID=$$ LISTEN_FDS=1 exec -a " + name + " \"$0\" \"$@\""},
                         initd_launch(mode, name == "tini" ? std::vector<std::string>{"-s"} : std::vector<std::string>{},
                                      {helper("probe"), "LISTEN_PID", "LISTEN_FDS"}, name));
        auto lines = probe(l);
        REQUIRE(lines.size() == 3);
        CHECK(lines[1] == "LISTEN_PID=" + field(lines[0], "pid"));
        CHECK(lines[2] == "LISTEN_FDS=1");
    }
    // A LISTEN_PID meant for another process is passed on untouched.
    Launch l = initd_launch(mode, {}, {helper("probe"), "LISTEN_PID"});
    l.extra_env = {"LISTEN_PID=4194000"};
    auto lines = probe(l);
    REQUIRE(lines.size() == 2);
    CHECK(lines[1] == "LISTEN_PID=4194000");
}
