// README "Exit codes": bad input is one line on stderr and exit 2, before anything is spawned.
#include <catch2/catch.hpp>

#include <unistd.h>

#include "harness.hpp"

using namespace harness;

TEST_CASE("usage errors: one line, exit 2, nothing run", "[errors]") {
    // `touch` would leave a file if initd ran anything at all.
    std::string marker = "/tmp/initd-errors-test-marker";
    unlink(marker.c_str());
    struct Case {
        std::vector<std::string> args;
        std::string line;
    };
    std::vector<Case> cases = {
        {{"--bogus", "touch", marker}, "initd: unknown option '--bogus'; try 'initd --help'"},
        {{"-x", "touch", marker}, "initd: unknown option '-x'; try 'initd --help'"},
        {{}, "initd: missing command; try 'initd --help'"},
        {{"--"}, "initd: missing command; try 'initd --help'"},
        {{"-r"}, "initd: option '-r' needs a value (FROM:TO); try 'initd --help'"},
        {{"--rewrite", "99:x", "touch", marker},
         "initd: bad value for --rewrite: bad rewrite rule '99:x': unknown signal '99'"},
        {{"-r", "15:", "touch", marker},
         "initd: bad value for --rewrite: bad rewrite rule '15:': expected FROM:TO, both signals"},
    };
    for (const auto& c : cases) {
        INFO("initd " << Catch::Detail::stringify(c.args));
        check_refused(initd_launch(Mode::subreaper, c.args), c.line);
    }
    CHECK(access(marker.c_str(), F_OK) != 0);
}

TEST_CASE("bad environment values name the variable", "[errors]") {
    Launch l = initd_launch(Mode::subreaper, {"true"});
    l.extra_env = {"INITD_REWRITE=15:3,TERM:BOGUS"};
    check_refused(l, "initd: bad value for INITD_REWRITE: bad rewrite rule 'TERM:BOGUS': unknown signal 'BOGUS'");
}

TEST_CASE("help and version print to stdout and exit 0", "[errors]") {
    auto help = run(initd_launch(Mode::subreaper, {"--help"}));
    CHECK(help.code == 0);
    CHECK(help.out.rfind("Usage: initd [OPTION]... [--] COMMAND [ARG]...\n", 0) == 0);
    CHECK(help.out.find("--rewrite FROM:TO") != std::string::npos);
    CHECK(help.err.empty());
    auto version = run(initd_launch(Mode::subreaper, {"-V"}));
    CHECK(version.code == 0);
    CHECK(version.out.rfind("initd ", 0) == 0);
}
