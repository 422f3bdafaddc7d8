// oom: reading /proc/self/cgroup and the cgroup's flat-keyed files.
#include <catch2/catch.hpp>

#include "initd/oom.hpp"

using namespace initd::oom;

TEST_CASE("the memory cgroup of cgroup v2, v1 and a hybrid host", "[oom]") {
    auto v2 = memory_cgroup("0::/kubepods/pod1/abc\n");
    REQUIRE(v2);
    CHECK(v2->path == "/kubepods/pod1/abc");
    CHECK_FALSE(v2->v1);
    auto hybrid = memory_cgroup("5:cpu,cpuacct:/docker/x\n4:memory:/docker/x1\n1:name=systemd:/\n0::/\n");
    REQUIRE(hybrid);
    CHECK(hybrid->path == "/docker/x1");
    CHECK(hybrid->v1);
    CHECK_FALSE(memory_cgroup("3:cpu:/\n1:name=systemd:/\n"));
    CHECK_FALSE(memory_cgroup(""));
}

TEST_CASE("oom_kill is read from memory.events and memory.oom_control, not from its look-alikes", "[oom]") {
    CHECK(value_of("low 0\nhigh 0\nmax 12\noom 2\noom_kill 2\noom_group_kill 0\n", "oom_kill ") == 2u);
    CHECK(value_of("oom_kill_disable 0\nunder_oom 0\noom_kill 17\n", "oom_kill ") == 17u);
    CHECK_FALSE(value_of("oom_kill_disable 0\nunder_oom 0\n", "oom_kill "));  // before kernel 4.13
    CHECK(value_of("67108864\n", "") == 67108864u);
    CHECK(value_of("9223372036854771712\n", "") >= std::uint64_t{1} << 59);  // v1's "no limit"
    CHECK_FALSE(value_of("max\n", ""));
    CHECK_FALSE(value_of("", ""));
}
