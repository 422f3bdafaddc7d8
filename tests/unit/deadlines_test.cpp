// Deadline and timeout_until_next.
#include <catch2/catch.hpp>

#include <array>
#include <cstdint>
#include <vector>

#include "initd/deadlines.hpp"

using initd::Deadline;
using initd::now_ms;
using initd::timeout_until_next;

TEST_CASE("now_ms is monotonic", "[deadlines]") {
    auto a = now_ms();
    auto b = now_ms();
    CHECK(a >= 0);
    CHECK(b >= a);
}

TEST_CASE("Deadline arm, disarm, due", "[deadlines]") {
    Deadline d;
    CHECK_FALSE(d.armed());
    CHECK(d.at() == -1);
    CHECK_FALSE(d.due(0));
    CHECK_FALSE(d.due(now_ms()));
    CHECK_FALSE(d.due(INT64_MAX));

    auto before = now_ms();
    d.arm_in(1000);
    auto after = now_ms();
    CHECK(d.armed());
    CHECK(d.at() >= before + 1000);
    CHECK(d.at() <= after + 1000);
    CHECK_FALSE(d.due(d.at() - 1));
    CHECK(d.due(d.at()));
    CHECK(d.due(d.at() + 1));
    CHECK_FALSE(d.due(now_ms()));

    d.disarm();
    CHECK_FALSE(d.armed());
    CHECK_FALSE(d.due(INT64_MAX));

    d.arm_in(0);
    CHECK(d.armed());
    CHECK(d.due(now_ms()));

    // Re-arming moves the deadline.
    d.arm_in(50000);
    CHECK_FALSE(d.due(now_ms()));
    CHECK(d.at() >= now_ms() + 49000);
}

TEST_CASE("Deadline expire: true once when due, and disarms it", "[deadlines]") {
    Deadline d;
    CHECK_FALSE(d.expire(INT64_MAX));  // never armed
    d.arm_in(1000);
    CHECK_FALSE(d.expire(d.at() - 1));
    CHECK(d.armed());
    CHECK(d.expire(d.at()));
    CHECK_FALSE(d.armed());
    CHECK_FALSE(d.expire(INT64_MAX));  // only once
}

TEST_CASE("timeout_until_next", "[deadlines]") {
    std::array<Deadline, 4> ds{};
    auto now = now_ms();

    SECTION("none armed: wait for ever") {
        CHECK(timeout_until_next(ds, now) == -1);
        std::vector<Deadline> none;
        CHECK(timeout_until_next(none, now) == -1);
    }
    SECTION("one due: 0") {
        ds[2].arm_in(0);
        CHECK(timeout_until_next(ds, ds[2].at()) == 0);
        CHECK(timeout_until_next(ds, ds[2].at() + 5000) == 0);
    }
    SECTION("one pending: the time until it") {
        ds[1].arm_in(3000);
        auto at = ds[1].at();
        CHECK(timeout_until_next(ds, at - 3000) == 3000);
        CHECK(timeout_until_next(ds, at - 1) == 1);
        CHECK(timeout_until_next(ds, at) == 0);
    }
    SECTION("the nearest is chosen, whatever its position") {
        ds[0].arm_in(5000);
        ds[1].arm_in(20000);
        ds[3].arm_in(700);
        auto base = ds[3].at() - 700;  // ~ the arming time
        auto t = timeout_until_next(ds, base);
        CHECK(t == ds[3].at() - base);
        CHECK(t <= 700);
        CHECK(t >= 690);

        ds[3].disarm();
        CHECK(timeout_until_next(ds, ds[0].at() - 100) == 100);
        ds[0].disarm();
        CHECK(timeout_until_next(ds, ds[1].at() - 42) == 42);
        ds[1].disarm();
        CHECK(timeout_until_next(ds, now) == -1);
    }
    SECTION("never negative, even long past every deadline") {
        ds[0].arm_in(10);
        ds[2].arm_in(20);
        CHECK(timeout_until_next(ds, ds[2].at() + 1000000) == 0);
        CHECK(timeout_until_next(ds, INT64_MAX / 2) == 0);
    }
    SECTION("a past deadline beats a future one") {
        ds[0].arm_in(60000);
        ds[1].arm_in(0);
        CHECK(timeout_until_next(ds, ds[1].at() + 10) == 0);
    }
    SECTION("works over a vector too") {
        std::vector<Deadline> v(3);
        v[1].arm_in(250);
        CHECK(timeout_until_next(v, v[1].at() - 250) == 250);
        v[0].arm_in(100);
        auto base = v[1].at() - 250;
        auto nearest = v[0].at() < v[1].at() ? v[0].at() : v[1].at();
        CHECK(timeout_until_next(v, base) == nearest - base);
    }
}
