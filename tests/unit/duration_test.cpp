// parse_duration_ms: "500ms", "5s", "5", "2m" -> milliseconds; at most a day.
#include <catch2/catch.hpp>

#include <cstdint>
#include <optional>
#include <string>

#include "initd/duration.hpp"

using initd::kMaxDurationMs;
using initd::parse_duration_ms;

namespace {
std::optional<std::uint64_t> ms(std::uint64_t v) { return v; }
}  // namespace

TEST_CASE("durations with and without units", "[duration]") {
    CHECK(parse_duration_ms("500ms") == ms(500));
    CHECK(parse_duration_ms("5s") == ms(5000));
    CHECK(parse_duration_ms("5") == ms(5000));
    CHECK(parse_duration_ms("2m") == ms(120000));
    CHECK(parse_duration_ms("0") == ms(0));
    CHECK(parse_duration_ms("0ms") == ms(0));
    CHECK(parse_duration_ms("0s") == ms(0));
    CHECK(parse_duration_ms("0m") == ms(0));
    CHECK(parse_duration_ms("1ms") == ms(1));
    CHECK(parse_duration_ms("1") == ms(1000));
    CHECK(parse_duration_ms("10s") == ms(10000));
    CHECK(parse_duration_ms("90m") == ms(90 * 60 * 1000));
    CHECK(parse_duration_ms("007") == ms(7000));
}

TEST_CASE("the longest duration is 24 hours", "[duration]") {
    REQUIRE(kMaxDurationMs == 86400000u);
    CHECK(parse_duration_ms("86400000ms") == ms(kMaxDurationMs));
    CHECK(parse_duration_ms("86400s") == ms(kMaxDurationMs));
    CHECK(parse_duration_ms("86400") == ms(kMaxDurationMs));
    CHECK(parse_duration_ms("1440m") == ms(kMaxDurationMs));

    CHECK_FALSE(parse_duration_ms("86400001ms").has_value());
    CHECK_FALSE(parse_duration_ms("86401s").has_value());
    CHECK_FALSE(parse_duration_ms("86401").has_value());
    CHECK_FALSE(parse_duration_ms("1441m").has_value());
    CHECK(parse_duration_ms("24h") == ms(24 * 3600 * 1000));
    CHECK(parse_duration_ms("2h") == ms(2 * 3600 * 1000));
    CHECK_FALSE(parse_duration_ms("25h").has_value());
    CHECK_FALSE(parse_duration_ms("18446744073709551615").has_value());   // UINT64_MAX seconds
    CHECK_FALSE(parse_duration_ms("18446744073709551615ms").has_value());
    CHECK_FALSE(parse_duration_ms("307445734561825861m").has_value());    // wraps when * 60000
}

TEST_CASE("bad durations are rejected", "[duration]") {
    const char* bad = GENERATE("-1", "-0", "5x", "", "ms", "s", "m", "1.5s", "1.5", "5 s", " 5", "5 ", "s5",
                               "+5", "99999999999999999999", "99999999999999999999ms", "5S", "5MS", "5sec",
                               "5hh", "5d", "5msx", "5ss", "5mm", "0x10", "1e3", "5s5", "5,0");
    INFO("input '" << bad << "'");
    CHECK_FALSE(parse_duration_ms(bad).has_value());
}

TEST_CASE("parse_duration_ms reads only the given view", "[duration]") {
    std::string text = "5s0";
    CHECK(parse_duration_ms(std::string_view(text).substr(0, 2)) == ms(5000));
    CHECK(parse_duration_ms(std::string_view(text).substr(0, 1)) == ms(5000));
    std::string text2 = "500msXX";
    CHECK(parse_duration_ms(std::string_view(text2).substr(0, 5)) == ms(500));
}

TEST_CASE("parse_number: digits only, at least one", "[duration]") {
    using initd::parse_number;
    CHECK(parse_number("0") == ms(0));
    CHECK(parse_number("007") == ms(7));
    CHECK(parse_number("65535") == ms(65535));
    CHECK(parse_number("1125899906842624") == ms(1ull << 50));
    const char* bad = GENERATE("", "-1", "+1", " 1", "1 ", "1x", "0x10", "1125899906842625", "99999999999999999999");
    INFO("input '" << bad << "'");
    CHECK_FALSE(parse_number(bad).has_value());
}

TEST_CASE("take_number takes the leading digits off", "[duration]") {
    std::string_view text = "500ms";
    CHECK(initd::take_number(text) == ms(500));
    CHECK(text == "ms");
    std::string_view none = "ms";
    CHECK_FALSE(initd::take_number(none).has_value());
    CHECK(none == "ms");
}

TEST_CASE("is_word and word_index compare whole words", "[duration]") {
    CHECK(initd::is_word("no", "no"));
    CHECK_FALSE(initd::is_word("n", "no"));
    CHECK_FALSE(initd::is_word("nope", "no"));
    CHECK(initd::is_word("", ""));
    CHECK_FALSE(initd::is_word(std::string_view("no\0", 3), "no"));
    const char* words = "no\0on-failure\0always\0";
    CHECK(initd::word_index("no", words) == 0);
    CHECK(initd::word_index("on-failure", words) == 1);
    CHECK(initd::word_index("always", words) == 2);
    CHECK(initd::word_index("", words) == -1);
    CHECK(initd::word_index("on", words) == -1);
    CHECK(initd::word_index("alwaysx", words) == -1);
}
