// man initd(1) DESCRIPTION, README "Coming from tini..." (child subreaper by default):
// every orphan initd inherits is reaped, as PID 1 and as a subreaper.
#include <catch2/catch.hpp>

#include "harness.hpp"

using namespace harness;

TEST_CASE("1,000 orphans are adopted and reaped while the child runs", "[reaping]") {
    Mode mode = GENERATE(Mode::pid1, Mode::subreaper);
    INFO(mode_name(mode));
    auto r = run(initd_launch(mode, {}, {helper("zombie_factory"), "1000", "10"}), 60000);
    INFO("factory said: " << r.out << r.err);
    CHECK(r.out == "adopted by initd 1000\norphans 1000\nzombies left 0\n");
    CHECK(r.code == 0);
}
