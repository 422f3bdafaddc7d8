// The /proc parsing behind the shutdown's walk down initd's tree.
#include <catch2/catch.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "initd/processes.hpp"

using initd::processes::parse_stat;
using initd::processes::PidList;

namespace {

// The pids of `text` fed in chunks of `size` bytes.
std::vector<pid_t> pids_of(std::string_view text, std::size_t size) {
    std::vector<pid_t> out;
    auto keep = [&](pid_t pid) { out.push_back(pid); };
    PidList list;
    for (std::size_t at = 0; at < text.size(); at += size) list.feed(text.substr(at, size), keep);
    list.finish(keep);
    return out;
}

}  // namespace

TEST_CASE("PidList yields the pids of a children file whatever the chunk size", "[processes]") {
    std::string_view text = "12 345 6789 4194304 ";
    std::vector<pid_t> want{12, 345, 6789, 4194304};
    for (std::size_t size = 1; size <= text.size(); ++size) {
        INFO("chunk size " << size);
        CHECK(pids_of(text, size) == want);
    }
}

TEST_CASE("PidList: an empty list, and a last pid without a separator", "[processes]") {
    CHECK(pids_of("", 4).empty());
    CHECK(pids_of(" \n ", 1).empty());
    CHECK(pids_of("7 8", 1) == std::vector<pid_t>{7, 8});
    CHECK(pids_of("7\n", 2) == std::vector<pid_t>{7});
}

TEST_CASE("PidList skips tokens that are no pid", "[processes]") {
    // Zero, past the kernel's limit, overflowing, or with other characters.
    CHECK(pids_of("0 4194305 99999999999999999999 1x2 -3 +4 5 ", 3) == std::vector<pid_t>{5});
    // A spoilt token does not spoil the next one.
    CHECK(pids_of("12a 13", 5) == std::vector<pid_t>{13});
}

TEST_CASE("parse_stat reads state, ppid and threads after the last parenthesis", "[processes]") {
    // A real line: num_threads is the 20th field.
    auto plain = parse_stat("123 (sh) S 45 123 123 34816 123 4194560 117 0 0 0 0 0 0 0 20 0 3 0 4242 "
                            "2539520 221 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n");
    REQUIRE(plain);
    CHECK(plain->state == 'S');
    CHECK(plain->ppid == 45);
    CHECK(plain->threads == 3);

    // comm can hold spaces and parentheses, even ") Z 1 "; negative fields are skipped.
    auto tricky = parse_stat("77 (a) Z 1 (b) R 9 77 77 0 -1 0 0 0 0 0 0 0 0 0 -2 -20 1 0");
    REQUIRE(tricky);
    CHECK(tricky->state == 'R');
    CHECK(tricky->ppid == 9);
    CHECK(tricky->threads == 1);

    // A parent outside the namespace shows as 0.
    auto outside = parse_stat("1 (initd) S 0 1 1 0");
    REQUIRE(outside);
    CHECK(outside->ppid == 0);
    CHECK(outside->threads == 0);  // cut short: unknown

    auto last = parse_stat("5 (x) T 4");
    REQUIRE(last);
    CHECK(last->ppid == 4);
    CHECK(last->threads == 0);

    auto garbled = parse_stat("5 (x) T 4 1 1 0 0 0 0 0 0 0 0 0 0 0 0 0 x2 0");
    REQUIRE(garbled);
    CHECK(garbled->threads == 0);
}

TEST_CASE("parse_stat rejects what is not a stat line", "[processes]") {
    CHECK_FALSE(parse_stat(""));
    CHECK_FALSE(parse_stat("123 sh S 45"));
    CHECK_FALSE(parse_stat("123 (sh) S"));
    CHECK_FALSE(parse_stat("123 (sh) S "));
    CHECK_FALSE(parse_stat("123 (sh)S 45 1"));
    CHECK_FALSE(parse_stat("123 (sh) S x45 1"));
    CHECK_FALSE(parse_stat("123 (sh) S -2 1"));
    CHECK_FALSE(parse_stat("123 (sh) S 99999999999 1"));
}
