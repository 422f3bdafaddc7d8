// log: every line is "initd: <text>\n", however long the text.
#include <catch2/catch.hpp>

#include <cerrno>
#include <fcntl.h>
#include <string>
#include <unistd.h>

#include "capture.hpp"
#include "initd/log.hpp"

using capture::stderr_of;
using initd::Text;


namespace {

std::string formatted(const Text& text) {
    Text out;
    initd::log::format(text, out);
    return std::string(out.view());
}

constexpr std::size_t kRoom = Text::capacity - 8;  // "initd: " and the newline

}  // namespace

TEST_CASE("a log line longer than the formatter keeps its newline", "[log]") {
    initd::log::set_verbosity(0);
    Text t;
    t << "cannot execute '/" << std::string(600, 'd') << "': No such file or directory";
    std::string out = stderr_of([&] { initd::log::line(initd::log::Level::error, t); });
    CHECK(out.size() == Text::capacity);
    CHECK(out.rfind("initd: cannot execute '/ddd", 0) == 0);
    CHECK(out.substr(out.size() - 4) == "...\n");
}

TEST_CASE("log::format: short texts as they are, long ones cut with a marker", "[log]") {
    SECTION("short") {
        Text t;
        t << "started 'true' as pid " << 7;
        CHECK(formatted(t) == "initd: started 'true' as pid 7\n");
    }
    SECTION("empty") { CHECK(formatted(Text()) == "initd: \n"); }
    SECTION("exactly as long as a line can hold: no marker") {
        Text t;
        t << std::string(kRoom, 'x');
        CHECK(formatted(t) == "initd: " + std::string(kRoom, 'x') + "\n");
    }
    SECTION("one byte more: cut, with the marker") {
        Text t;
        t << std::string(kRoom + 1, 'x');
        std::string out = formatted(t);
        CHECK(out == "initd: " + std::string(kRoom - 3, 'x') + "...\n");
        CHECK(out.size() == Text::capacity);
    }
    SECTION("a text its own capacity cut is marked even when it would fit") {
        Text t;
        t << std::string(Text::capacity + 5, 'y');
        REQUIRE(t.truncated());
        CHECK(formatted(t) == "initd: " + std::string(kRoom - 3, 'y') + "...\n");
    }
    SECTION("the cut does not split a UTF-8 character") {
        // "é" is two bytes; placed so the cut would fall between them.
        Text t;
        t << std::string(kRoom - 4, 'a') << "é" << std::string(10, 'b');
        CHECK(formatted(t) == "initd: " + std::string(kRoom - 4, 'a') + "...\n");
    }
}

TEST_CASE("errno_text: libc's words for the errnos initd meets, a number for the rest", "[log]") {
    CHECK(std::string(initd::log::errno_text(EPERM)) == "Operation not permitted");
    CHECK(std::string(initd::log::errno_text(ENOENT)) == "No such file or directory");
    CHECK(std::string(initd::log::errno_text(ENOEXEC)) == "Exec format error");
    CHECK(std::string(initd::log::errno_text(EAGAIN)) == "Resource temporarily unavailable");
    CHECK(std::string(initd::log::errno_text(EACCES)) == "Permission denied");
    CHECK(std::string(initd::log::errno_text(ECONNREFUSED)) == "Connection refused");
    CHECK(std::string(initd::log::errno_text(EDQUOT)) == "Quota exceeded");  // the last: order kept
    CHECK(std::string(initd::log::errno_text(EHWPOISON)) == "errno " + std::to_string(EHWPOISON));
    CHECK(std::string(initd::log::errno_text(0)) == "errno 0");
}
