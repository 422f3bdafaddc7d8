// parse_options: argv + environment + the name initd was called by -> Config.
#include <catch2/catch.hpp>

#include <csignal>
#include <initializer_list>
#include <string>
#include <vector>

#include "initd/options.hpp"
#include "initd/version.hpp"

using initd::Action;
using initd::Config;
using initd::ParseResult;
using initd::RestartPolicy;

namespace {

// Owns the strings and hands out a null-terminated char* array, as main() gets them.
class Strings {
public:
    Strings(std::initializer_list<std::string> items) : Strings(std::vector<std::string>(items)) {}
    explicit Strings(const std::vector<std::string>& items) : storage_(items) {
        for (auto& s : storage_) pointers_.push_back(s.data());
        pointers_.push_back(nullptr);
    }
    Strings(const Strings&) = delete;
    Strings& operator=(const Strings&) = delete;

    int count() const { return static_cast<int>(storage_.size()); }
    char** data() { return pointers_.data(); }

private:
    std::vector<std::string> storage_;
    std::vector<char*> pointers_;
};

// One parse; not movable, so Config::command keeps pointing into `argv`.
struct Parse {
    Strings argv;
    Strings env;
    Config config;
    ParseResult result;

    Parse(std::initializer_list<std::string> args, std::initializer_list<std::string> environment = {})
        : argv(args), env(environment) {
        result = initd::parse_options(argv.count(), argv.data(), env.data(), config);
    }
    explicit Parse(const std::vector<std::string>& args, std::initializer_list<std::string> environment = {})
        : argv(args), env(environment) {
        result = initd::parse_options(argv.count(), argv.data(), env.data(), config);
    }
    Parse(const Parse&) = delete;

    Action action() const { return result.action; }
    std::string error() const { return std::string(result.error.view()); }
    std::vector<std::string> command() const {
        std::vector<std::string> out;
        for (char* const* p = config.command; p && *p; ++p) out.emplace_back(*p);
        return out;
    }
    int expected_exits() const {
        int n = 0;
        for (bool b : config.expect_exit) n += b;
        return n;
    }
};

using Cmd = std::vector<std::string>;

std::string captured;
void capture(std::string_view s) { captured.append(s.data(), s.size()); }

const char* const kLongOptions[] = {
    "rewrite", "process-group", "setsid", "single-child", "grace", "kill-after", "restart",
    "restart-max", "delay", "pause", "user", "subreaper", "pdeathsig", "expect-exit",
    "warn-reap", "verbose", "help", "version", "license",
};

}  // namespace

TEST_CASE("defaults", "[options]") {
    Parse p({"initd", "sh"});
    REQUIRE(p.action() == Action::run);
    CHECK(p.error().empty());
    const Config& c = p.config;
    CHECK(c.row == &initd::initd_row());
    CHECK(std::string(c.called_as) == "initd");
    CHECK_FALSE(c.process_group);
    CHECK_FALSE(c.setsid);
    CHECK(c.grace_ms == 5000);
    CHECK(c.kill_after_ms == 0);
    CHECK(c.restart == RestartPolicy::no);
    CHECK(c.restart_max == 0);
    for (auto d : c.delay_ms) CHECK(d == 0);
    CHECK_FALSE(c.pause);
    CHECK(c.user == nullptr);
    CHECK(c.subreaper);
    CHECK(c.pdeathsig == 0);
    CHECK(p.expected_exits() == 0);
    CHECK_FALSE(c.warn_reap);
    CHECK(c.verbosity == 0);
    for (int s = 1; s <= initd::kSignalMax; ++s) {
        CHECK(c.rewrite.apply(s) == s);
        CHECK_FALSE(c.rewrite.has_rule(s));
    }
    CHECK(p.command() == Cmd{"sh"});
    // The command points into argv itself, null-terminated.
    CHECK(c.command == p.argv.data() + 1);
}

TEST_CASE("a null envp is allowed", "[options]") {
    Strings argv{"initd", "-v", "true"};
    Config c;
    auto r = initd::parse_options(argv.count(), argv.data(), nullptr, c);
    CHECK(r.action == Action::run);
    CHECK(c.verbosity == 1);
    REQUIRE(c.command != nullptr);
    CHECK(std::string(c.command[0]) == "true");
}

TEST_CASE("rewrite option (-r, --rewrite) in every spelling", "[options][rewrite]") {
    std::vector<std::string> spelling = GENERATE(values<std::vector<std::string>>({
        {"-r", "TERM:QUIT"},
        {"-rTERM:QUIT"},
        {"--rewrite", "TERM:QUIT"},
        {"--rewrite=TERM:QUIT"},
        {"--rew", "TERM:QUIT"},
        {"--rew=TERM:QUIT"},
        {"-r", "15:3"},
        {"-r", "sigterm:SIGQUIT"},
    }));
    INFO("spelling " << spelling[0] << (spelling.size() > 1 ? " " + spelling[1] : std::string()));
    Config c;
    Strings args = spelling.size() == 1 ? Strings{"initd", spelling[0], "sh"}
                                        : Strings{"initd", spelling[0], spelling[1], "sh"};
    Strings env{};
    auto r = initd::parse_options(args.count(), args.data(), env.data(), c);
    REQUIRE(r.action == Action::run);
    CHECK(c.rewrite.apply(SIGTERM) == SIGQUIT);
    CHECK(c.rewrite.has_rule(SIGTERM));
    CHECK(c.rewrite.apply(SIGINT) == SIGINT);
    REQUIRE(c.command != nullptr);
    CHECK(std::string(c.command[0]) == "sh");
    CHECK(c.command[1] == nullptr);
}

TEST_CASE("rewrite option is repeatable and the last rule wins", "[options][rewrite]") {
    Parse p({"initd", "-r", "15:3", "--rewrite", "2:15", "-r", "TERM:USR1", "-rHUP:0", "cmd"});
    REQUIRE(p.action() == Action::run);
    CHECK(p.config.rewrite.apply(SIGTERM) == SIGUSR1);
    CHECK(p.config.rewrite.apply(SIGINT) == SIGTERM);
    CHECK(p.config.rewrite.apply(SIGHUP) == 0);
    CHECK(p.command() == Cmd{"cmd"});
}

TEST_CASE("flags, long and short", "[options]") {
    SECTION("-g / --process-group") {
        for (const char* o : {"-g", "--process-group", "--proc", "--process-g"}) {
            Parse p({"initd", o, "sh"});
            INFO(o);
            REQUIRE(p.action() == Action::run);
            CHECK(p.config.process_group);
            CHECK_FALSE(p.config.setsid);
        }
    }
    SECTION("--setsid implies --process-group") {
        for (const char* o : {"--setsid", "--sets"}) {
            Parse p({"initd", o, "sh"});
            INFO(o);
            REQUIRE(p.action() == Action::run);
            CHECK(p.config.setsid);
            CHECK(p.config.process_group);
        }
    }
    SECTION("-c / --single-child undoes -g and --setsid") {
        for (const char* c : {"-c", "--single-child", "--si"}) {
            INFO(c);
            Parse a({"initd", "-g", c, "sh"});
            REQUIRE(a.action() == Action::run);
            CHECK_FALSE(a.config.process_group);
            Parse b({"initd", "--setsid", c, "sh"});
            REQUIRE(b.action() == Action::run);
            CHECK_FALSE(b.config.setsid);
            CHECK_FALSE(b.config.process_group);
            Parse both({"initd", "-g", "--setsid", c, "sh"});
            CHECK_FALSE(both.config.setsid);
            CHECK_FALSE(both.config.process_group);
        }
        // Order matters: a later -g wins over an earlier -c.
        Parse later({"initd", "-c", "-g", "sh"});
        CHECK(later.config.process_group);
        Parse later_setsid({"initd", "-c", "--setsid", "sh"});
        CHECK(later_setsid.config.setsid);
        CHECK(later_setsid.config.process_group);
    }
    SECTION("-P / --pause: no command") {
        for (const char* o : {"-P", "--pause", "--pa"}) {
            Parse p({"initd", o});
            INFO(o);
            REQUIRE(p.action() == Action::run);
            CHECK(p.config.pause);
            CHECK(p.config.command == nullptr);
        }
        Parse dashdash({"initd", "-P", "--"});
        CHECK(dashdash.action() == Action::run);
        CHECK(dashdash.config.pause);
    }
    SECTION("-s / --subreaper") {
        for (const char* o : {"-s", "--subreaper", "--su"}) {
            Parse p({"initd", o, "sh"});
            INFO(o);
            REQUIRE(p.action() == Action::run);
            CHECK(p.config.subreaper);
        }
        Parse initd({"initd", "-s", "sh"});
        CHECK(initd.action() == Action::run);
        CHECK(initd.config.subreaper);
    }
    SECTION("-w / --warn-reap") {
        for (const char* o : {"-w", "--warn-reap", "--wa"}) {
            Parse p({"initd", o, "sh"});
            INFO(o);
            REQUIRE(p.action() == Action::run);
            CHECK(p.config.warn_reap);
        }
    }
    SECTION("-v / --verbose, repeatable") {
        Parse one({"initd", "-v", "sh"});
        CHECK(one.config.verbosity == 1);
        Parse lng({"initd", "--verbose", "sh"});
        CHECK(lng.config.verbosity == 1);
        Parse three({"initd", "-vvv", "sh"});
        CHECK(three.config.verbosity == 3);
        Parse mixed({"initd", "-v", "--verbose", "-vv", "--verb", "sh"});
        CHECK(mixed.config.verbosity == 5);
    }
}

TEST_CASE("options with values, long and short", "[options]") {
    SECTION("--grace") {
        Parse a({"initd", "--grace", "2s", "sh"});
        REQUIRE(a.action() == Action::run);
        CHECK(a.config.grace_ms == 2000);
        Parse b({"initd", "--grace=250ms", "sh"});
        CHECK(b.config.grace_ms == 250);
        Parse c({"initd", "--grace", "0", "sh"});
        CHECK(c.config.grace_ms == 0);
        Parse d({"initd", "--gr=1m", "sh"});
        CHECK(d.config.grace_ms == 60000);
    }
    SECTION("--kill-after") {
        Parse a({"initd", "--kill-after", "3s", "sh"});
        REQUIRE(a.action() == Action::run);
        CHECK(a.config.kill_after_ms == 3000);
        Parse b({"initd", "--kill-after=10", "sh"});
        CHECK(b.config.kill_after_ms == 10000);
        Parse c({"initd", "--k", "500ms", "sh"});
        CHECK(c.config.kill_after_ms == 500);
    }
    SECTION("--restart") {
        Parse no({"initd", "--restart", "no", "sh"});
        REQUIRE(no.action() == Action::run);
        CHECK(no.config.restart == RestartPolicy::no);
        Parse on({"initd", "--restart", "on-failure", "sh"});
        CHECK(on.config.restart == RestartPolicy::on_failure);
        Parse always({"initd", "--restart=always", "sh"});
        CHECK(always.config.restart == RestartPolicy::always);
        Parse last({"initd", "--restart=always", "--restart", "no", "sh"});
        CHECK(last.config.restart == RestartPolicy::no);
    }
    SECTION("--restart-max") {
        Parse a({"initd", "--restart-max", "5", "sh"});
        REQUIRE(a.action() == Action::run);
        CHECK(a.config.restart_max == 5);
        Parse b({"initd", "--restart-max=0", "sh"});
        CHECK(b.config.restart_max == 0);
        Parse c({"initd", "--restart-m", "7", "sh"});
        CHECK(c.config.restart_max == 7);
    }
    SECTION("--delay, repeatable") {
        Parse a({"initd", "--delay", "TERM:10s", "--delay=INT:1500ms", "--delay", "RTMIN+1:2m", "sh"});
        REQUIRE(a.action() == Action::run);
        CHECK(a.config.delay_ms[SIGTERM] == 10000);
        CHECK(a.config.delay_ms[SIGINT] == 1500);
        CHECK(a.config.delay_ms[35] == 120000);
        CHECK(a.config.delay_ms[SIGHUP] == 0);
        Parse b({"initd", "--delay", "15:1s", "--delay", "SIGTERM:2s", "sh"});
        CHECK(b.config.delay_ms[SIGTERM] == 2000);
    }
    SECTION("-u / --user") {
        Parse a({"initd", "-u", "bob", "sh"});
        REQUIRE(a.action() == Action::run);
        REQUIRE(a.config.user != nullptr);
        CHECK(std::string(a.config.user) == "bob");
        Parse b({"initd", "--user", "bob:staff", "sh"});
        REQUIRE(b.config.user != nullptr);
        CHECK(std::string(b.config.user) == "bob:staff");
        Parse c({"initd", "-u1000:1000", "sh"});
        REQUIRE(c.config.user != nullptr);
        CHECK(std::string(c.config.user) == "1000:1000");
        Parse d({"initd", "--user=nobody", "sh"});
        REQUIRE(d.config.user != nullptr);
        CHECK(std::string(d.config.user) == "nobody");
    }
    SECTION("-p / --pdeathsig") {
        Parse a({"initd", "-p", "KILL", "sh"});
        REQUIRE(a.action() == Action::run);
        CHECK(a.config.pdeathsig == SIGKILL);
        Parse b({"initd", "--pdeathsig", "SIGTERM", "sh"});
        CHECK(b.config.pdeathsig == SIGTERM);
        Parse c({"initd", "-p9", "sh"});
        CHECK(c.config.pdeathsig == 9);
        Parse d({"initd", "--pd=RTMAX", "sh"});
        CHECK(d.config.pdeathsig == 64);
    }
    SECTION("-e / --expect-exit, repeatable") {
        Parse a({"initd", "-e", "143", "--expect-exit", "1", "-e0", "--expect-exit=255", "sh"});
        REQUIRE(a.action() == Action::run);
        CHECK(a.config.expect_exit[143]);
        CHECK(a.config.expect_exit[1]);
        CHECK(a.config.expect_exit[0]);
        CHECK(a.config.expect_exit[255]);
        CHECK(a.expected_exits() == 4);
    }
}

TEST_CASE("help, version and license options", "[options]") {
    for (const char* o : {"-h", "--help", "--he", "--h"}) {
        Parse p({"initd", o});
        INFO(o);
        CHECK(p.action() == Action::help);
    }
    for (const char* o : {"-V", "--version", "--vers"}) {
        Parse p({"initd", o});
        INFO(o);
        CHECK(p.action() == Action::version);
    }
    for (const char* o : {"-l", "-L", "--license", "--li"}) {
        Parse p({"initd", o});
        INFO(o);
        CHECK(p.action() == Action::license);
    }
    // They end the parse: a command is not needed, and what follows is not read.
    Parse help_first({"initd", "--help", "--bogus"});
    CHECK(help_first.action() == Action::help);
    Parse bundled({"initd", "-vh"});
    CHECK(bundled.action() == Action::help);
    // But an error before them wins.
    Parse bogus_first({"initd", "--bogus", "--help"});
    CHECK(bogus_first.action() == Action::usage_error);
}

TEST_CASE("short option bundling", "[options]") {
    SECTION("-gv") {
        Parse p({"initd", "-gv", "sh"});
        REQUIRE(p.action() == Action::run);
        CHECK(p.config.process_group);
        CHECK(p.config.verbosity == 1);
    }
    SECTION("-gvw then a value option taking the next argument") {
        Parse p({"initd", "-gvwr", "TERM:QUIT", "sh"});
        REQUIRE(p.action() == Action::run);
        CHECK(p.config.process_group);
        CHECK(p.config.verbosity == 1);
        CHECK(p.config.warn_reap);
        CHECK(p.config.rewrite.apply(SIGTERM) == SIGQUIT);
        CHECK(p.command() == Cmd{"sh"});
    }
    SECTION("a value option takes the rest of the cluster") {
        Parse p({"initd", "-vrTERM:QUIT", "sh"});
        REQUIRE(p.action() == Action::run);
        CHECK(p.config.verbosity == 1);
        CHECK(p.config.rewrite.apply(SIGTERM) == SIGQUIT);
        // "-p9v": the value is "9v", not 9 and -v.
        Parse q({"initd", "-p9v", "sh"});
        CHECK(q.action() == Action::bad_value);
        CHECK_THAT(q.error(), Catch::Contains("'9v'"));
        Parse u({"initd", "-ubob:staff", "sh"});
        REQUIRE(u.config.user != nullptr);
        CHECK(std::string(u.config.user) == "bob:staff");
    }
}

TEST_CASE("options end at the first non-option or at --", "[options]") {
    SECTION("no permutation: the child's options stay the child's") {
        Parse p({"initd", "sh", "-c", "exit 3"});
        REQUIRE(p.action() == Action::run);
        CHECK(p.command() == Cmd{"sh", "-c", "exit 3"});
        CHECK_FALSE(p.config.process_group);
        CHECK(p.config.verbosity == 0);

        Parse g({"initd", "-g", "sh", "-c", "exit 3"});
        REQUIRE(g.action() == Action::run);
        CHECK(g.config.process_group);  // the -c after sh is sh's
        CHECK(g.command() == Cmd{"sh", "-c", "exit 3"});

        Parse v({"initd", "cmd", "-v", "--bogus", "--help"});
        CHECK(v.action() == Action::run);
        CHECK(v.config.verbosity == 0);
        CHECK(v.command() == Cmd{"cmd", "-v", "--bogus", "--help"});
    }
    SECTION("--") {
        Parse a({"initd", "--", "-v"});
        REQUIRE(a.action() == Action::run);
        CHECK(a.config.verbosity == 0);
        CHECK(a.command() == Cmd{"-v"});

        Parse b({"initd", "-v", "--", "sh", "--", "x"});
        REQUIRE(b.action() == Action::run);
        CHECK(b.config.verbosity == 1);
        CHECK(b.command() == Cmd{"sh", "--", "x"});

        Parse c({"initd", "--", "--"});
        REQUIRE(c.action() == Action::run);
        CHECK(c.command() == Cmd{"--"});

        Parse d({"initd", "-v", "--"});
        CHECK(d.action() == Action::usage_error);
        CHECK_THAT(d.error(), Catch::Contains("missing command"));
    }
    SECTION("- alone is a command") {
        Parse p({"initd", "-v", "-", "x"});
        REQUIRE(p.action() == Action::run);
        CHECK(p.config.verbosity == 1);
        CHECK(p.command() == Cmd{"-", "x"});
    }
    SECTION("a value that looks like an option is still the value") {
        Parse p({"initd", "-u", "-v", "sh"});
        REQUIRE(p.action() == Action::run);
        REQUIRE(p.config.user != nullptr);
        CHECK(std::string(p.config.user) == "-v");
        CHECK(p.config.verbosity == 0);
        Parse q({"initd", "--grace", "--", "sh"});
        CHECK(q.action() == Action::bad_value);
        CHECK_THAT(q.error(), Catch::Contains("--grace"));
    }
    SECTION("empty arguments") {
        Parse p({"initd", "", "x"});
        REQUIRE(p.action() == Action::run);
        CHECK(p.command() == Cmd{"", "x"});
    }
}

TEST_CASE("usage errors", "[options][errors]") {
    struct Case {
        std::vector<std::string> args;
        std::vector<const char*> says;
    };
    auto c = GENERATE(values<Case>({
        {{"--bogus", "sh"}, {"unknown option", "'--bogus'"}},
        {{"--bogus=1", "sh"}, {"unknown option", "'--bogus'"}},
        {{"-x", "sh"}, {"unknown option", "'-x'"}},
        {{"-vx", "sh"}, {"unknown option", "'-x'"}},
        {{"-r"}, {"'-r'", "needs a value"}},
        {{"-vr"}, {"'-r'", "needs a value"}},
        {{"--rewrite"}, {"'--rewrite'", "needs a value"}},
        {{"--grace"}, {"'--grace'", "needs a value", "DURATION"}},
        {{"-u"}, {"'-u'", "needs a value"}},
        {{"--pause=x"}, {"'--pause'", "takes no value"}},
        {{"--process-group=1", "sh"}, {"'--process-group'", "takes no value"}},
        {{"--help=x"}, {"'--help'", "takes no value"}},
        {{}, {"missing command"}},
        {{"-v", "-g"}, {"missing command"}},
        {{"--pause", "sh"}, {"--pause", "'sh'"}},
        {{"-P", "--", "sleep", "1"}, {"--pause", "'sleep'"}},
        {{"--re", "15:3", "sh"}, {"ambiguous", "'--re'"}},
        {{"--ver", "sh"}, {"ambiguous", "'--ver'"}},
        {{"--s", "sh"}, {"ambiguous", "'--s'"}},
        {{"--restart-maximum", "3", "sh"}, {"unknown option", "'--restart-maximum'"}},
        {{"--graceful", "sh"}, {"unknown option", "'--graceful'"}},
    }));
    std::string joined;
    for (auto& a : c.args) joined += " " + a;
    INFO("initd" << joined);

    std::vector<std::string> storage{"initd"};
    storage.insert(storage.end(), c.args.begin(), c.args.end());
    std::vector<char*> argv;
    for (auto& s : storage) argv.push_back(s.data());
    argv.push_back(nullptr);
    Config config;
    auto r = initd::parse_options(static_cast<int>(storage.size()), argv.data(), nullptr, config);
    std::string error(r.error.view());
    INFO("error: " << error);
    CHECK(r.action == Action::usage_error);
    for (const char* part : c.says) CHECK_THAT(error, Catch::Contains(part));
}

TEST_CASE("bad values", "[options][errors]") {
    struct Case {
        std::vector<std::string> args;
        std::vector<const char*> says;
    };
    auto c = GENERATE(values<Case>({
        {{"--grace", "-1", "sh"}, {"--grace", "'-1'"}},
        {{"--grace", "5x", "sh"}, {"--grace", "'5x'"}},
        {{"--grace=", "sh"}, {"--grace", "''"}},
        {{"--grace", "25h", "sh"}, {"--grace", "'25h'"}},
        {{"--grace", "86401s", "sh"}, {"--grace", "'86401s'"}},
        {{"--kill-after", "5x", "sh"}, {"--kill-after", "'5x'"}},
        {{"--kill-after=-1", "sh"}, {"--kill-after", "'-1'"}},
        {{"--restart", "sometimes", "sh"}, {"--restart", "'sometimes'", "on-failure"}},
        {{"--restart", "", "sh"}, {"--restart", "''"}},
        {{"--restart", "Always", "sh"}, {"--restart", "'Always'"}},
        {{"--restart-max", "x", "sh"}, {"--restart-max", "'x'"}},
        {{"--restart-max", "-1", "sh"}, {"--restart-max", "'-1'"}},
        {{"--delay", "TERM", "sh"}, {"--delay", "'TERM'", "SIGNAL:DURATION"}},
        {{"--delay", "TERM:5x", "sh"}, {"--delay", "'TERM:5x'"}},
        {{"--delay", "BOGUS:1s", "sh"}, {"--delay", "'BOGUS:1s'"}},
        {{"--delay", ":1s", "sh"}, {"--delay", "':1s'"}},
        {{"--pdeathsig", "BOGUS", "sh"}, {"--pdeathsig", "'BOGUS'"}},
        {{"-p", "0", "sh"}, {"--pdeathsig", "'0'"}},
        {{"-p", "65", "sh"}, {"--pdeathsig", "'65'"}},
        {{"--expect-exit", "300", "sh"}, {"--expect-exit", "'300'", "0-255"}},
        {{"-e", "300", "sh"}, {"--expect-exit", "'300'"}},
        {{"-e", "256", "sh"}, {"--expect-exit", "'256'"}},
        {{"-e", "-1", "sh"}, {"--expect-exit", "'-1'"}},
        {{"-e", "x", "sh"}, {"--expect-exit", "'x'"}},
        {{"--user", ":g", "sh"}, {"--user", "':g'"}},
        {{"--user", "", "sh"}, {"--user", "''"}},
        {{"-u", ":0", "sh"}, {"--user", "':0'"}},
        {{"--user=", "sh"}, {"--user", "''"}},
        {{"-r", "99:3", "sh"}, {"--rewrite", "'99'"}},
        {{"--rewrite", "KILL:15", "sh"}, {"--rewrite", "KILL", "cannot be caught"}},
        {{"--rewrite", "TERM", "sh"}, {"--rewrite", "FROM:TO"}},
    }));
    std::string joined;
    for (auto& a : c.args) joined += " " + a;
    INFO("initd" << joined);

    std::vector<std::string> storage{"initd"};
    storage.insert(storage.end(), c.args.begin(), c.args.end());
    std::vector<char*> argv;
    for (auto& s : storage) argv.push_back(s.data());
    argv.push_back(nullptr);
    Config config;
    auto r = initd::parse_options(static_cast<int>(storage.size()), argv.data(), nullptr, config);
    std::string error(r.error.view());
    INFO("error: " << error);
    CHECK(r.action == Action::bad_value);
    CHECK_THAT(error, Catch::StartsWith("bad value for "));
    for (const char* part : c.says) CHECK_THAT(error, Catch::Contains(part));
}

TEST_CASE("environment: INITD_* variables", "[options][env]") {
    SECTION("INITD_REWRITE, comma-separated") {
        Parse p({"initd", "sh"}, {"INITD_REWRITE=15:3,2:15"});
        REQUIRE(p.action() == Action::run);
        CHECK(p.config.rewrite.apply(15) == 3);
        CHECK(p.config.rewrite.apply(2) == 15);
        CHECK(p.config.rewrite.apply(3) == 3);
        Parse q({"initd", "sh"}, {"INITD_REWRITE=,15:3,,TERM:0,"});
        REQUIRE(q.action() == Action::run);
        CHECK(q.config.rewrite.apply(15) == 0);  // last rule wins
    }
    SECTION("INITD_PROCESS_GROUP") {
        Parse on({"initd", "sh"}, {"INITD_PROCESS_GROUP=1"});
        REQUIRE(on.action() == Action::run);
        CHECK(on.config.process_group);
        Parse off({"initd", "sh"}, {"INITD_PROCESS_GROUP=0"});
        REQUIRE(off.action() == Action::run);
        CHECK_FALSE(off.config.process_group);
        Parse bad({"initd", "sh"}, {"INITD_PROCESS_GROUP=x"});
        CHECK(bad.action() == Action::bad_value);
        CHECK_THAT(bad.error(), Catch::Contains("INITD_PROCESS_GROUP"));
        CHECK_THAT(bad.error(), Catch::Contains("'x'"));
        Parse yes({"initd", "sh"}, {"INITD_PROCESS_GROUP=yes"});
        CHECK(yes.action() == Action::bad_value);
    }
    SECTION("INITD_SETSID") {
        Parse on({"initd", "sh"}, {"INITD_SETSID=1"});
        REQUIRE(on.action() == Action::run);
        CHECK(on.config.setsid);
        CHECK(on.config.process_group);
        Parse off({"initd", "sh"}, {"INITD_SETSID=0"});
        CHECK_FALSE(off.config.setsid);
        CHECK_FALSE(off.config.process_group);
        Parse bad({"initd", "sh"}, {"INITD_SETSID=2"});
        CHECK(bad.action() == Action::bad_value);
        CHECK_THAT(bad.error(), Catch::Contains("INITD_SETSID"));
    }
    SECTION("INITD_GRACE") {
        Parse p({"initd", "sh"}, {"INITD_GRACE=10s"});
        REQUIRE(p.action() == Action::run);
        CHECK(p.config.grace_ms == 10000);
        Parse bad({"initd", "sh"}, {"INITD_GRACE=5x"});
        CHECK(bad.action() == Action::bad_value);
        CHECK_THAT(bad.error(), Catch::Contains("INITD_GRACE"));
        CHECK_THAT(bad.error(), Catch::Contains("'5x'"));
        CHECK_THAT(bad.error(), !Catch::Contains("--grace"));
    }
    SECTION("INITD_KILL_AFTER") {
        Parse p({"initd", "sh"}, {"INITD_KILL_AFTER=750ms"});
        REQUIRE(p.action() == Action::run);
        CHECK(p.config.kill_after_ms == 750);
        Parse bad({"initd", "sh"}, {"INITD_KILL_AFTER=soon"});
        CHECK(bad.action() == Action::bad_value);
        CHECK_THAT(bad.error(), Catch::Contains("INITD_KILL_AFTER"));
    }
    SECTION("INITD_RESTART and INITD_RESTART_MAX") {
        Parse p({"initd", "sh"}, {"INITD_RESTART=on-failure", "INITD_RESTART_MAX=4"});
        REQUIRE(p.action() == Action::run);
        CHECK(p.config.restart == RestartPolicy::on_failure);
        CHECK(p.config.restart_max == 4);
        Parse a({"initd", "sh"}, {"INITD_RESTART=always"});
        CHECK(a.config.restart == RestartPolicy::always);
        Parse bad({"initd", "sh"}, {"INITD_RESTART=sometimes"});
        CHECK(bad.action() == Action::bad_value);
        CHECK_THAT(bad.error(), Catch::Contains("INITD_RESTART"));
        Parse badmax({"initd", "sh"}, {"INITD_RESTART_MAX=x"});
        CHECK(badmax.action() == Action::bad_value);
        CHECK_THAT(badmax.error(), Catch::Contains("INITD_RESTART_MAX"));
    }
    SECTION("INITD_USER") {
        Parse p({"initd", "sh"}, {"INITD_USER=bob:staff"});
        REQUIRE(p.action() == Action::run);
        REQUIRE(p.config.user != nullptr);
        CHECK(std::string(p.config.user) == "bob:staff");
        Parse bad({"initd", "sh"}, {"INITD_USER=:staff"});
        CHECK(bad.action() == Action::bad_value);
        CHECK_THAT(bad.error(), Catch::Contains("INITD_USER"));
    }
    SECTION("INITD_PDEATHSIG") {
        Parse p({"initd", "sh"}, {"INITD_PDEATHSIG=KILL"});
        REQUIRE(p.action() == Action::run);
        CHECK(p.config.pdeathsig == SIGKILL);
        Parse bad({"initd", "sh"}, {"INITD_PDEATHSIG=NOPE"});
        CHECK(bad.action() == Action::bad_value);
        CHECK_THAT(bad.error(), Catch::Contains("INITD_PDEATHSIG"));
    }
    SECTION("INITD_EXPECT_EXIT, comma-separated") {
        Parse p({"initd", "sh"}, {"INITD_EXPECT_EXIT=1,143"});
        REQUIRE(p.action() == Action::run);
        CHECK(p.config.expect_exit[1]);
        CHECK(p.config.expect_exit[143]);
        CHECK(p.expected_exits() == 2);
        Parse bad({"initd", "sh"}, {"INITD_EXPECT_EXIT=1,300"});
        CHECK(bad.action() == Action::bad_value);
        CHECK_THAT(bad.error(), Catch::Contains("INITD_EXPECT_EXIT"));
        CHECK_THAT(bad.error(), Catch::Contains("'300'"));
    }
    SECTION("INITD_DELAY, comma-separated") {
        Parse p({"initd", "sh"}, {"INITD_DELAY=TERM:10s,INT:1s"});
        REQUIRE(p.action() == Action::run);
        CHECK(p.config.delay_ms[SIGTERM] == 10000);
        CHECK(p.config.delay_ms[SIGINT] == 1000);
        Parse bad({"initd", "sh"}, {"INITD_DELAY=TERM:10s,INT"});
        CHECK(bad.action() == Action::bad_value);
        CHECK_THAT(bad.error(), Catch::Contains("INITD_DELAY"));
        CHECK_THAT(bad.error(), Catch::Contains("'INT'"));
    }
    SECTION("INITD_VERBOSE") {
        Parse p({"initd", "sh"}, {"INITD_VERBOSE=2"});
        REQUIRE(p.action() == Action::run);
        CHECK(p.config.verbosity == 2);
        Parse bad({"initd", "sh"}, {"INITD_VERBOSE=x"});
        CHECK(bad.action() == Action::bad_value);
        CHECK_THAT(bad.error(), Catch::Contains("INITD_VERBOSE"));
    }
    SECTION("a bad INITD_REWRITE names the variable and the rule") {
        Parse bad({"initd", "sh"}, {"INITD_REWRITE=15:3,99:1"});
        CHECK(bad.action() == Action::bad_value);
        CHECK_THAT(bad.error(), Catch::Contains("INITD_REWRITE"));
        CHECK_THAT(bad.error(), Catch::Contains("'99'"));
    }
    SECTION("an empty value changes nothing") {
        Parse p({"initd", "sh"}, {"INITD_GRACE=", "INITD_REWRITE=", "INITD_USER="});
        REQUIRE(p.action() == Action::run);
        CHECK(p.config.grace_ms == 5000);
        CHECK(p.config.user == nullptr);
        CHECK_FALSE(p.config.rewrite.has_rule(SIGTERM));
    }
    SECTION("only exact variable names count") {
        Parse p({"initd", "sh"},
                {"INITD_GRACEX=1s", "XINITD_GRACE=1s", "INITD_GRACE", "initd_grace=1s", "INITD_VERBOSE_=3"});
        REQUIRE(p.action() == Action::run);
        CHECK(p.config.grace_ms == 5000);
        CHECK(p.config.verbosity == 0);
    }
    SECTION("a variable's error ends the parse before the command line") {
        Parse p({"initd", "--help"}, {"INITD_GRACE=bad"});
        CHECK(p.action() == Action::bad_value);
    }
}

TEST_CASE("the command line wins over the environment", "[options][env]") {
    Parse grace({"initd", "--grace", "2s", "sh"}, {"INITD_GRACE=1s"});
    REQUIRE(grace.action() == Action::run);
    CHECK(grace.config.grace_ms == 2000);

    Parse pg({"initd", "-c", "sh"}, {"INITD_PROCESS_GROUP=1"});
    REQUIRE(pg.action() == Action::run);
    CHECK_FALSE(pg.config.process_group);

    Parse sid({"initd", "-c", "sh"}, {"INITD_SETSID=1"});
    CHECK_FALSE(sid.config.setsid);
    CHECK_FALSE(sid.config.process_group);

    Parse restart({"initd", "--restart", "no", "sh"}, {"INITD_RESTART=always"});
    CHECK(restart.config.restart == RestartPolicy::no);

    Parse user({"initd", "-u", "alice", "sh"}, {"INITD_USER=bob"});
    REQUIRE(user.config.user != nullptr);
    CHECK(std::string(user.config.user) == "alice");

    Parse rewrite({"initd", "-r", "TERM:INT", "sh"}, {"INITD_REWRITE=TERM:QUIT,HUP:0"});
    CHECK(rewrite.config.rewrite.apply(SIGTERM) == SIGINT);
    CHECK(rewrite.config.rewrite.apply(SIGHUP) == 0);  // the variable's other rule stays

    Parse pdeath({"initd", "-p", "TERM", "sh"}, {"INITD_PDEATHSIG=KILL"});
    CHECK(pdeath.config.pdeathsig == SIGTERM);

    Parse delay({"initd", "--delay", "TERM:1s", "sh"}, {"INITD_DELAY=TERM:10s"});
    CHECK(delay.config.delay_ms[SIGTERM] == 1000);
}

TEST_CASE("argv[0] picks the name's row", "[options][names]") {
    for (const char* name : {"initd", "/usr/local/bin/initd", "./initd", "my-tini", "tini2", "dumb-init.sh"}) {
        INFO(name);
        Parse p({name, "sh"});
        REQUIRE(p.action() == Action::run);
        CHECK(p.config.row == &initd::initd_row());
        CHECK(p.config.subreaper);
        CHECK_FALSE(p.config.setsid);
        CHECK(p.config.row->usage_exit == 2);
    }
    for (const char* name : {"tini", "docker-init", "tini-static", "/sbin/tini", "/usr/local/bin/tini-static"}) {
        INFO(name);
        Parse p({name, "sh"});
        CHECK(p.config.row == &initd::name_row("tini"));
    }
    Parse dir({"/sbin/tini", "sh"});
    CHECK(std::string(dir.config.called_as) == "tini");
    // podman runs its --init binary as /run/podman-init, expecting catatonit.
    Parse podman({"/run/podman-init", "--", "sh"});
    CHECK(podman.config.row == &initd::name_row("catatonit"));
    CHECK(initd::name_row("dumb-init").usage_exit == 1);
    CHECK(initd::name_row("catatonit").usage_exit == 1);
    CHECK(initd::name_row("tini").usage_exit == 1);
}

// A bad value's error names the option "-x" by a short name or "--name" by a long one,
// which apply_option decides by whether there is a long name at all.
TEST_CASE("no option that takes a value has a one-letter long name", "[options][names]") {
    for (const char* name : {"initd", "tini", "dumb-init", "catatonit", "my_init", "dock"})
        for (const auto& spec : initd::name_row(name).options) {
            INFO(name << ' ' << spec.long_name());
            if (*spec.value_name()) CHECK(std::string(spec.long_name()).size() != 1);
        }
}

TEST_CASE("as tini: tini's options, variables and getopt", "[options][names]") {
    SECTION("defaults: no subreaper, verbosity 1") {
        Parse p({"tini", "sh"});
        REQUIRE(p.action() == Action::run);
        CHECK_FALSE(p.config.subreaper);
        CHECK_FALSE(p.config.process_group);
        CHECK(p.config.verbosity == 1);
        Parse v({"tini", "-vvv", "sh"});
        CHECK(v.config.verbosity == 4);
    }
    SECTION("its variables: set at all is on; TINI_VERBOSITY as atoi") {
        Parse s({"tini", "-s", "sh"});
        CHECK(s.config.subreaper);
        for (const char* value : {"TINI_SUBREAPER=", "TINI_SUBREAPER=0", "TINI_SUBREAPER=1"}) {
            Parse env({"tini", "sh"}, {value});
            CHECK(env.config.subreaper);
        }
        Parse kpg({"tini", "sh"}, {"TINI_KILL_PROCESS_GROUP="});
        CHECK(kpg.config.process_group);
        Parse verb({"tini", "sh"}, {"TINI_VERBOSITY=2"});
        CHECK(verb.config.verbosity == 2);
        Parse loud({"tini", "sh"}, {"TINI_VERBOSITY=loud"});
        REQUIRE(loud.action() == Action::run);
        CHECK(loud.config.verbosity == 0);
        Parse over({"tini", "-vvv", "sh"}, {"TINI_VERBOSITY=0"});  // read after the options, as tini
        CHECK(over.config.verbosity == 0);
    }
    SECTION("-p takes signal names, -e exit codes; anything else is a usage error") {
        Parse p({"tini", "-p", "SIGKILL", "-e", "3", "sh"});
        REQUIRE(p.action() == Action::run);
        CHECK(p.config.pdeathsig == SIGKILL);
        CHECK(Parse({"tini", "-p", "SIGUSR1", "sh"}).config.pdeathsig == SIGUSR1);
        CHECK(p.config.expect_exit[3]);
        for (auto bad : {Cmd{"tini", "-p", "KILL", "sh"}, Cmd{"tini", "-p", "9", "sh"}, Cmd{"tini", "-p", "SIGRTMIN", "sh"}, Cmd{"tini", "-e", "256", "sh"},
                         Cmd{"tini", "-z", "sh"}, Cmd{"tini"}, Cmd{"tini", "-g"}, Cmd{"tini", "--grace", "1s", "sh"},
                         Cmd{"tini", "-r", "15:3", "sh"}, Cmd{"tini", "--version", "sh"}}) {
            INFO(bad[1 % bad.size()]);
            Parse b(bad);
            CHECK((b.action() == Action::usage_error || b.action() == Action::bad_value));
        }
    }
    SECTION("--version only alone; -h, -l") {
        CHECK(Parse({"tini", "--version"}).action() == Action::version);
        CHECK(Parse({"tini", "-h"}).action() == Action::help);
        CHECK(Parse({"tini", "-l"}).action() == Action::license);
    }
    SECTION("options after the command's words count, as with glibc's getopt") {
        Parse late({"tini", "sleep", "-s", "10"});
        REQUIRE(late.action() == Action::run);
        CHECK(late.config.subreaper);
        CHECK(late.command() == Cmd{"sleep", "10"});
        Parse sh({"tini", "sh", "-c", "exit 3"});
        CHECK(sh.action() == Action::usage_error);  // -c is no option of tini's
        Parse dashes({"tini", "-s", "sh", "--", "-c", "exit 3"});
        REQUIRE(dashes.action() == Action::run);
        CHECK(dashes.command() == Cmd{"sh", "-c", "exit 3"});
        Parse posix({"tini", "sh", "-c", "exit 3"}, {"POSIXLY_CORRECT=1"});
        REQUIRE(posix.action() == Action::run);
        CHECK(posix.command() == Cmd{"sh", "-c", "exit 3"});
    }
}

TEST_CASE("as dumb-init: dumb-init's options and variables", "[options][names]") {
    SECTION("setsid by default, off only with -c or DUMB_INIT_SETSID=0") {
        Parse p({"dumb-init", "sh"});
        REQUIRE(p.action() == Action::run);
        CHECK(p.config.setsid);
        CHECK(p.config.process_group);
        CHECK(p.config.verbosity == 0);
        for (const char* ignored : {"DUMB_INIT_SETSID=", "DUMB_INIT_SETSID=false", "DUMB_INIT_SETSID=1",
                                    "DUMB_INIT_SETSID=00"}) {
            INFO(ignored);
            Parse e({"dumb-init", "sh"}, {ignored});
            REQUIRE(e.action() == Action::run);
            CHECK(e.config.setsid);
        }
        Parse off({"dumb-init", "sh"}, {"DUMB_INIT_SETSID=0"});
        CHECK_FALSE(off.config.setsid);
        CHECK_FALSE(off.config.process_group);
        Parse c({"dumb-init", "--single-child", "sh"});
        CHECK_FALSE(c.config.setsid);
        CHECK_FALSE(c.config.process_group);
    }
    SECTION("debug only with exactly DUMB_INIT_DEBUG=1 or -v") {
        for (const char* ignored : {"DUMB_INIT_DEBUG=", "DUMB_INIT_DEBUG=0", "DUMB_INIT_DEBUG=true"}) {
            Parse e({"dumb-init", "sh"}, {ignored});
            REQUIRE(e.action() == Action::run);
            CHECK(e.config.verbosity == 0);
        }
        CHECK(Parse({"dumb-init", "sh"}, {"DUMB_INIT_DEBUG=1"}).config.verbosity == 3);
        CHECK(Parse({"dumb-init", "-v", "sh"}).config.verbosity == 3);
    }
    SECTION("-r s:r with numbers 1-31 and 0-31") {
        Parse rw({"dumb-init", "--rewrite", "15:2", "-r", "1:31", "-r", "31:0", "sh"});
        REQUIRE(rw.action() == Action::run);
        CHECK(rw.config.rewrite.apply(15) == 2);
        CHECK(rw.config.rewrite.apply(1) == 31);
        CHECK(rw.config.rewrite.apply(31) == 0);
        Parse chld({"dumb-init", "-r", "17:15", "sh"});  // accepted, without effect, as dumb-init
        REQUIRE(chld.action() == Action::run);
        CHECK(chld.config.rewrite.apply(17) == 17);
        for (auto bad : {Cmd{"dumb-init", "-r"}, Cmd{"dumb-init", "-r", "", "sh"}, Cmd{"dumb-init", "-r", "herp", "sh"},
                         Cmd{"dumb-init", "-r", "herp:derp", "sh"}, Cmd{"dumb-init", "-r", "15", "sh"},
                         Cmd{"dumb-init", "-r", "15::12", "sh"}, Cmd{"dumb-init", "-r", "15:derp", "sh"},
                         Cmd{"dumb-init", "-r", "1:32", "sh"}, Cmd{"dumb-init", "-r", "0:1", "sh"},
                         Cmd{"dumb-init", "-r", "TERM:QUIT", "sh"}, Cmd{"dumb-init", "--yolo", "sh"},
                         Cmd{"dumb-init", "-g", "sh"}, Cmd{"dumb-init"}}) {
            INFO(bad.size());
            Parse b(bad);
            CHECK((b.action() == Action::usage_error || b.action() == Action::bad_value));
        }
    }
    SECTION("options stop at the first word") {
        Parse p({"dumb-init", "sh", "-c", "exit 3"});
        REQUIRE(p.action() == Action::run);
        CHECK(p.command() == Cmd{"sh", "-c", "exit 3"});
        CHECK(Parse({"dumb-init", "-V"}).action() == Action::version);
        CHECK(Parse({"dumb-init", "--help"}).action() == Action::help);
    }
}

TEST_CASE("as catatonit: catatonit's options and variables", "[options][names]") {
    Parse p({"catatonit", "-P"});
    REQUIRE(p.action() == Action::run);
    CHECK(p.config.pause);
    CHECK(p.config.subreaper);
    for (const char* set : {"CATATONIT_DEBUG=", "CATATONIT_DEBUG=0", "CATATONIT_DEBUG=1"}) {
        Parse d({"/usr/libexec/podman/catatonit", "sh"}, {set});
        REQUIRE(d.action() == Action::run);
        CHECK(d.config.verbosity == 3);
    }
    Parse log({"catatonit", "sh"}, {"CATATONIT_LOG=x"});
    CHECK(log.action() == Action::bad_value);
    CHECK_THAT(log.error(), Catch::Contains("CATATONIT_LOG"));
    Parse late({"catatonit", "sleep", "-g", "1"});
    REQUIRE(late.action() == Action::run);
    CHECK(late.config.process_group);
    CHECK(late.command() == Cmd{"sleep", "1"});
    CHECK(Parse({"catatonit", "--version"}).action() == Action::version);
    CHECK(Parse({"catatonit", "-L"}).action() == Action::license);
    CHECK(Parse({"catatonit", "-c", "sh"}).action() == Action::usage_error);
    CHECK(Parse({"catatonit"}).action() == Action::usage_error);
}

TEST_CASE("each name reads its own peer's variables and INITD_*", "[options][names]") {
    const std::initializer_list<std::string> peers = {
        "TINI_SUBREAPER=1", "TINI_KILL_PROCESS_GROUP=1", "TINI_VERBOSITY=2",
        "DUMB_INIT_SETSID=1", "DUMB_INIT_DEBUG=1", "CATATONIT_DEBUG=1", "CATATONIT_LOG=1"};
    Parse initd({"initd", "sh"}, peers);
    REQUIRE(initd.action() == Action::run);
    CHECK_FALSE(initd.config.process_group);
    CHECK_FALSE(initd.config.setsid);
    CHECK(initd.config.verbosity == 0);

    Parse tini({"tini", "sh"}, {"DUMB_INIT_SETSID=1", "DUMB_INIT_DEBUG=1", "CATATONIT_DEBUG=1"});
    CHECK_FALSE(tini.config.setsid);
    CHECK(tini.config.verbosity == 1);

    Parse dumb({"dumb-init", "sh"}, {"TINI_KILL_PROCESS_GROUP=1", "TINI_VERBOSITY=2", "CATATONIT_DEBUG=1",
                                     "DUMB_INIT_SETSID=0"});
    CHECK_FALSE(dumb.config.process_group);
    CHECK(dumb.config.verbosity == 0);

    for (const char* name : {"tini", "dumb-init", "catatonit"}) {
        INFO(name);
        Parse grace({name, "sh"}, {"INITD_GRACE=1s"});
        REQUIRE(grace.action() == Action::run);
        CHECK(grace.config.grace_ms == 1000);
    }
}

TEST_CASE("format_help lists the name's own options", "[options][output]") {
    SECTION("as initd") {
        Parse p({"initd", "--help"});
        REQUIRE(p.action() == Action::help);
        captured.clear();
        initd::format_help(p.config, capture);
        CHECK_THAT(captured, Catch::StartsWith("Usage: initd "));
        for (const char* o : kLongOptions) {
            INFO(o);
            CHECK_THAT(captured, Catch::Contains(std::string("--") + o));
        }
        for (const char* pair : {"-r, --rewrite", "-g, --process-group", "-c, --single-child", "-P, --pause",
                                 "-u, --user", "-s, --subreaper", "-p, --pdeathsig", "-e, --expect-exit",
                                 "-w, --warn-reap", "-v, --verbose", "-h, --help", "-V, --version",
                                 "-l, --license"}) {
            INFO(pair);
            CHECK_THAT(captured, Catch::Contains(pair));
        }
        CHECK_THAT(captured, Catch::Contains("DURATION"));
        CHECK(captured.back() == '\n');
    }
    SECTION("as tini, called with a directory") {
        Parse p({"/sbin/tini", "-h"});
        REQUIRE(p.action() == Action::help);
        captured.clear();
        initd::format_help(p.config, capture);
        CHECK_THAT(captured, Catch::Contains("Usage: tini"));
        CHECK_THAT(captured, !Catch::Contains("/sbin/tini"));
        for (const char* o : {"-s", "-p SIGNAL", "-e EXIT_CODE", "-g", "-w", "-l", "--version"}) {
            INFO(o);
            CHECK_THAT(captured, Catch::Contains(o));
        }
        CHECK_THAT(captured, !Catch::Contains("--grace"));
    }
    SECTION("as dumb-init") {
        Parse p({"dumb-init", "-h"});
        captured.clear();
        initd::format_help(p.config, capture);
        CHECK_THAT(captured, Catch::Contains("Usage: dumb-init"));
        CHECK_THAT(captured, Catch::Contains("--single-child"));
    }
}

TEST_CASE("format_version in each name's format", "[options][output]") {
    REQUIRE(std::string(initd::kVersion).size() > 0);
    auto version_of = [](Cmd argv) {
        Parse p(argv);
        REQUIRE(p.action() == Action::version);
        captured.clear();
        initd::format_version(p.config, capture);
        return captured;
    };
    for (const char* name : {"tini", "/sbin/tini", "docker-init", "tini-static"}) {
        INFO(name);
        CHECK(version_of({name, "--version"}) == std::string("tini version ") + initd::kVersion + " - git.initd\n");
    }
    CHECK(version_of({"catatonit", "-V"}) == std::string("tini version ") + initd::kVersion + " - git.initd\n");
    CHECK(version_of({"initd", "--version"}) == std::string("initd ") + initd::kVersion + "\n");
    CHECK(version_of({"dumb-init", "-V"}) == std::string("dumb-init v") + initd::kVersion + " (initd)\n");
}

TEST_CASE("format_license", "[options][output]") {
    captured.clear();
    initd::format_license(capture);
    CHECK_THAT(captured, Catch::Contains("MIT"));
    CHECK_THAT(captured, Catch::Contains("initd"));
    CHECK(captured.back() == '\n');
}

TEST_CASE("several processes: --services, --startup (repeatable), shutdown scripts", "[options]") {
    SECTION("with a command") {
        Parse p({"initd", "--services", "/s", "--startup", "/a", "--startup=/b", "--pre-shutdown", "/pre",
                 "--post-shutdown", "/post", "--", "app"});
        REQUIRE(p.action() == Action::run);
        CHECK(std::string(p.config.services) == "/s");
        CHECK(std::string(p.config.startup[0]) == "/a");
        CHECK(std::string(p.config.startup[1]) == "/b");
        CHECK(std::string(p.config.pre_shutdown) == "/pre");
        CHECK(std::string(p.config.post_shutdown) == "/post");
        CHECK(p.command() == std::vector<std::string>{"app"});
    }
    SECTION("--services needs no command; scripts alone do") {
        Parse services({"initd", "--services", "/s"});
        CHECK(services.action() == Action::run);
        CHECK(services.command().empty());
        Parse scripts({"initd", "--startup", "/a"});
        CHECK(scripts.action() == Action::usage_error);
        CHECK_THAT(scripts.error(), Catch::Contains("missing command"));
    }
    SECTION("INITD_SERVICES and INITD_STARTUP (a comma-separated list)") {
        Parse p({"initd"}, {"INITD_SERVICES=/s", "INITD_STARTUP=/a,/b"});
        REQUIRE(p.action() == Action::run);
        CHECK(std::string(p.config.services) == "/s");
        CHECK(std::string(p.config.startup[0]) == "/a");  // each path alone, not "/a,/b"
        CHECK(std::string(p.config.startup[1]) == "/b");
        CHECK(p.config.startup[2] == nullptr);
    }
    SECTION("INITD_STARTUP's paths beside --startup's, and past their room a clear error") {
        Parse p({"initd", "--startup", "/x", "--", "app"}, {"INITD_STARTUP=/a,,/b/c"});
        REQUIRE(p.action() == Action::run);
        CHECK(std::string(p.config.startup[0]) == "/a");
        CHECK(std::string(p.config.startup[1]) == "/b/c");
        CHECK(std::string(p.config.startup[2]) == "/x");
        std::string many = "INITD_STARTUP=/" + std::string(300, 'a') + ",/b";
        Parse full({"initd", "app"}, {many.c_str()});
        CHECK(full.action() == Action::bad_value);
        CHECK_THAT(full.error(), Catch::Contains("INITD_STARTUP") && Catch::Contains("bytes"));
    }
    SECTION("at most four start-up paths") {
        Parse p({"initd", "--startup", "1", "--startup", "2", "--startup", "3", "--startup", "4", "--startup", "5", "x"});
        CHECK(p.action() == Action::bad_value);
        CHECK_THAT(p.error(), Catch::Contains("more than 4"));
    }
}

TEST_CASE("my_init: baseimage-docker's layout, its options and variables", "[options]") {
    SECTION("defaults") {
        Parse p({"/sbin/my_init"});
        REQUIRE(p.action() == Action::run);
        CHECK(std::string(p.config.services) == "/etc/service");
        CHECK(p.config.startup[0] == nullptr);
        CHECK(std::string(p.config.startup[1]) == "/etc/my_init.d");
        CHECK(std::string(p.config.startup[2]) == "/etc/rc.local");
        CHECK(std::string(p.config.pre_shutdown) == "/etc/my_init.pre_shutdown.d");
        CHECK(std::string(p.config.post_shutdown) == "/etc/my_init.post_shutdown.d");
        CHECK(p.config.service_stop_ms == 30000);
        CHECK(p.config.kill_after_ms == 30000);
        CHECK(p.config.grace_ms == 30000);
        CHECK(p.config.kill_all_on_exit);
        CHECK(p.config.verbosity == 1);
    }
    SECTION("flags") {
        Parse p({"my_init", "--skip-startup-files", "--no-kill-all-on-exit", "--quiet", "--enable-insecure-key", "--", "app"});
        REQUIRE(p.action() == Action::run);
        CHECK(std::string(p.config.startup[0]) == "/usr/sbin/enable_insecure_key");
        CHECK(p.config.startup[1] == nullptr);
        CHECK_FALSE(p.config.kill_all_on_exit);
        CHECK(p.config.verbosity == 0);
    }
    SECTION("--skip-runit drops the services and the shutdown scripts, and needs a command") {
        Parse p({"my_init", "--skip-runit", "app"});
        REQUIRE(p.action() == Action::run);
        CHECK(p.config.services == nullptr);
        CHECK(p.config.pre_shutdown == nullptr);
        Parse alone({"my_init", "--skip-runit"});
        CHECK(alone.action() == Action::refuse);
    }
    SECTION("KILL_PROCESS_TIMEOUT, KILL_ALL_PROCESSES_TIMEOUT, ENV_INIT_DIRECTORY") {
        Parse p({"my_init"}, {"KILL_PROCESS_TIMEOUT=5", "KILL_ALL_PROCESSES_TIMEOUT=7", "ENV_INIT_DIRECTORY=/x"});
        REQUIRE(p.action() == Action::run);
        CHECK(p.config.service_stop_ms == 5000);
        CHECK(p.config.kill_after_ms == 5000);
        CHECK(p.config.grace_ms == 7000);
        CHECK(std::string(p.config.startup[1]) == "/x");
    }
    SECTION("an unknown option: usage, exit 2") {
        Parse p({"my_init", "--bogus"});
        CHECK(p.action() == Action::usage_error);
        CHECK(p.config.row->usage_exit == 2);
    }
}

TEST_CASE("an empty argv (execve with none) and INITD_SERVICES: no command, inside argv", "[options]") {
    Parse p(std::vector<std::string>{}, {"INITD_SERVICES=/s"});
    REQUIRE(p.action() == Action::run);
    REQUIRE(p.config.command != nullptr);
    CHECK(p.config.command[0] == nullptr);
}

TEST_CASE("dock: Go's flag syntax, help and version as its CLI library does", "[options][dock]") {
    SECTION("one dash or two, =VALUE or the next word") {
        Parse p({"/usr/bin/dock", "--io=/tmp/log", "-web-hook", "http://127.0.0.1:9/h", "-d", "--thug", "sh", "-c", "x"});
        REQUIRE(p.action() == Action::run);
        CHECK(std::string(p.config.io) == "/tmp/log");
        CHECK(std::string(p.config.web_hook) == "http://127.0.0.1:9/h");
        CHECK(p.config.verbosity == 3);
        CHECK(p.config.thug);
        CHECK(p.command() == Cmd{"sh", "-c", "x"});
    }
    SECTION("a boolean flag never takes the next word: --thug true runs true") {
        Parse p({"dock", "--thug", "true"});
        REQUIRE(p.action() == Action::run);
        CHECK(p.config.thug);
        CHECK(p.command() == Cmd{"true"});
        Parse off({"dock", "-thug=false", "sh"});
        CHECK(off.action() == Action::run);
        CHECK_FALSE(off.config.thug);
        Parse bad({"dock", "-thug=maybe", "sh"});
        CHECK(bad.action() == Action::usage_error);
    }
    SECTION("a value flag takes the next word even if it looks like an option") {
        Parse p({"dock", "--stdout-prefix", "-x-:red", "sh"});
        REQUIRE(p.action() == Action::run);
        CHECK(std::string(p.config.stdout_prefix) == "-x-:red");
        Parse missing({"dock", "--io"});
        CHECK(missing.action() == Action::usage_error);
    }
    SECTION("options end at the first word or at --") {
        Parse p({"dock", "sh", "--thug"});
        CHECK_FALSE(p.config.thug);
        CHECK(p.command() == Cmd{"sh", "--thug"});
        Parse dashes({"dock", "--", "-x"});
        CHECK(dashes.command() == Cmd{"-x"});
    }
    SECTION("no clusters, no abbreviations: exit 1") {
        for (const char* o : {"-dthug", "--th", "--bogus", "-"}) {
            Parse p({"dock", o, "sh"});
            INFO(o);
            if (std::string(o) == "-") {  // a lone dash is a word: the command
                CHECK(p.action() == Action::run);
                continue;
            }
            CHECK(p.action() == Action::usage_error);
            CHECK(p.config.row->usage_exit == 1);
        }
    }
    SECTION("--log-rotate is a whole number of hours; 0 or less is off") {
        Parse two({"dock", "--log-rotate", "2", "sh"});
        CHECK(two.config.log_rotate_ms == 2 * 3600 * 1000ull);
        Parse negative({"dock", "--log-rotate=-1", "sh"});
        CHECK(negative.action() == Action::run);
        CHECK(negative.config.log_rotate_ms == 0);
        Parse bad({"dock", "--log-rotate", "1h", "sh"});
        CHECK(bad.action() == Action::bad_value);
    }
    SECTION("help: -h, --help, a first word help or h, or no command at all") {
        for (auto args : {Cmd{"dock", "-h"}, Cmd{"dock", "--help"}, Cmd{"dock", "help"}, Cmd{"dock", "h", "sh"}, Cmd{"dock"},
                          Cmd{"dock", "--thug"}}) {
            Parse p(args);
            INFO(args.size());
            CHECK(p.action() == Action::help);
        }
    }
    SECTION("-v is --version") {
        Parse v({"dock", "-v"});
        CHECK(v.action() == Action::version);
        Parse version({"dock", "--version", "sh"});
        CHECK(version.action() == Action::version);
    }
    SECTION("the row: pid only, SIGWINCH dropped, exit 255 when the command cannot run") {
        Parse p({"dock", "sh"});
        CHECK_FALSE(p.config.process_group);
        CHECK(p.config.rewrite.apply(SIGWINCH) == 0);
        CHECK(p.config.rewrite.apply(SIGTERM) == SIGTERM);
        CHECK(p.config.row->exit_not_found == 255);
        CHECK(p.config.row->stderr_to_stdout);
        CHECK(p.config.row->child_pdeathsig == SIGTERM);
    }
}

TEST_CASE("initd: dock's features as options and INITD_ variables", "[options][dock]") {
    Parse p({"initd", "--io", "tcp://127.0.0.1:9", "--stdout-prefix", "app:green", "--log-rotate", "2h", "--bind-port",
             "8080", "--strict-port-binding", "--thug", "--notify-socket", "--web-hook", "http://h/", "--", "sh"});
    REQUIRE(p.action() == Action::run);
    CHECK(std::string(p.config.io) == "tcp://127.0.0.1:9");
    CHECK(std::string(p.config.stdout_prefix) == "app:green");
    CHECK(p.config.log_rotate_ms == 2 * 3600 * 1000ull);
    CHECK(p.config.bind_port == 8080);
    CHECK(p.config.strict_port_binding);
    CHECK(p.config.thug);
    CHECK(p.config.notify_socket);
    CHECK(std::string(p.config.web_hook) == "http://h/");
    CHECK_FALSE(p.config.row->stderr_to_stdout);

    Parse env({"initd", "sh"}, {"INITD_THUG=1", "INITD_NOTIFY_SOCKET=1", "INITD_BIND_PORT=80", "INITD_LOG_ROTATE=90s"});
    REQUIRE(env.action() == Action::run);
    CHECK(env.config.thug);
    CHECK(env.config.notify_socket);
    CHECK(env.config.bind_port == 80);
    CHECK(env.config.log_rotate_ms == 90000);
    for (const char* bad : {"0", "65536", "http"}) {
        Parse b({"initd", "--bind-port", bad, "sh"});
        INFO(bad);
        CHECK(b.action() == Action::bad_value);
    }
}
