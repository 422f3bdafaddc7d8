// rotate_log in a temporary directory: archives the real gzip reads back, the 5 newest
// kept, and a log left whole whenever a step fails.
#include <catch2/catch.hpp>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <ctime>
#include <dirent.h>
#include <fcntl.h>
#include <string>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

#include "initd/gzip.hpp"
#include "initd/log_rotate.hpp"

using initd::Text;

namespace {

initd::GzipWriter gz;  // 164 KiB: not on the stack

constexpr std::int64_t kNoon = 1714564800;  // 2024-05-01 12:00:00 UTC

std::string stamp(std::int64_t seconds) {
    char out[14];
    initd::utc_stamp(seconds, out);
    return std::string(out, 14);
}

std::string read_file(const std::string& path) {
    std::string out;
    if (FILE* f = std::fopen(path.c_str(), "rb")) {
        char buffer[65536];
        for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, f)) > 0;) out.append(buffer, n);
        std::fclose(f);
    }
    return out;
}

void write_file(const std::string& path, const std::string& data) {
    FILE* f = std::fopen(path.c_str(), "wb");
    REQUIRE(f);
    std::fwrite(data.data(), 1, data.size(), f);
    std::fclose(f);
}

// What `gzip -dc` makes of the file, or "exit N" if it fails.
std::string gunzip(const std::string& path) {
    FILE* pipe = popen(("gzip -dc " + path + " 2>&1").c_str(), "r");
    REQUIRE(pipe);
    std::string out;
    char buffer[65536];
    for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) out.append(buffer, n);
    int status = pclose(pipe);
    return status == 0 ? out : "exit " + std::to_string(status);
}

// A temporary directory with the log `app.log` open as the relay opens it.
struct LogDir {
    std::string dir, log;
    int fd;
    LogDir() {
        char path[] = "/tmp/initd-rotate-test-XXXXXX";
        REQUIRE(mkdtemp(path));
        dir = path;
        log = dir + "/app.log";
        fd = open(log.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
        REQUIRE(fd >= 0);
    }
    ~LogDir() {
        close(fd);
        std::system(("rm -rf " + dir).c_str());
    }
    void append(const std::string& text) const {
        REQUIRE(write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()));
    }
    std::string archive(std::int64_t seconds) const { return log + "_" + stamp(seconds) + ".gz"; }
    bool rotate(std::int64_t seconds, Text& why) const { return initd::rotate_log(log.c_str(), fd, seconds, gz, why); }
    std::vector<std::string> names() const {
        std::vector<std::string> out;
        DIR* d = opendir(dir.c_str());
        while (dirent* e = readdir(d))
            if (e->d_name[0] != '.') out.push_back(e->d_name);
        closedir(d);
        std::sort(out.begin(), out.end());
        return out;
    }
};

std::string lines(int count, const char* tag) {
    std::string out;
    for (int i = 0; i < count; ++i) out += std::string(tag) + " line " + std::to_string(i) + " of the service\n";
    return out;
}

}  // namespace

TEST_CASE("utc_stamp writes YYYYmmddHHMMSS in UTC as gmtime does", "[log_rotate]") {
    CHECK(stamp(0) == "19700101000000");
    CHECK(stamp(951782400) == "20000229000000");
    CHECK(stamp(kNoon) == "20240501120000");
    CHECK(stamp(253402300799) == "99991231235959");
    // Leap years, centuries and 2000, every month's ends: a day and a bit at a time.
    for (std::int64_t t = 0; t < 253402300799; t += 86400 * 7 + 3607) {
        std::time_t seconds = static_cast<std::time_t>(t);
        std::tm tm{};
        gmtime_r(&seconds, &tm);
        char expected[32];
        std::strftime(expected, sizeof expected, "%Y%m%d%H%M%S", &tm);
        if (stamp(t) != expected) FAIL(t << ": " << stamp(t) << " != " << expected);
    }
}

TEST_CASE("a rotation archives the log exactly, mode 0600, and empties it for the next write", "[log_rotate]") {
    LogDir d;
    std::string old = lines(20000, "before");
    d.append(old);
    Text why;
    REQUIRE(d.rotate(kNoon, why));
    CHECK(why.empty());
    CHECK(d.names() == std::vector<std::string>{"app.log", "app.log_20240501120000.gz"});
    CHECK(gunzip(d.archive(kNoon)) == old);
    struct stat st{};
    REQUIRE(stat(d.archive(kNoon).c_str(), &st) == 0);
    CHECK((st.st_mode & 07777) == 0600);
    CHECK(read_file(d.log).empty());
    d.append("after\n");  // O_APPEND: at the new end, offset 0
    CHECK(read_file(d.log) == "after\n");
}

TEST_CASE("seven rotations in distinct seconds leave the five newest, and other files alone", "[log_rotate]") {
    LogDir d;
    // Not P's archives: other names, and the wrong number of digits.
    for (const char* other : {"other.log_20000101000000.gz", "app.log_2000010100000.gz", "app.log_x.gz",
                              "app.log_20000101000000.gz.bak", "app.log_2000010100000a.gz"})
        write_file(d.dir + "/" + other, "keep");
    for (int i = 1; i <= 7; ++i) {
        std::string text = lines(100, ("rotation " + std::to_string(i)).c_str());
        d.append(text);
        Text why;
        REQUIRE(d.rotate(kNoon + i * 3600, why));
        CHECK(why.empty());
        CHECK(gunzip(d.archive(kNoon + i * 3600)) == text);
    }
    std::vector<std::string> expected = {"app.log", "app.log_2000010100000.gz", "app.log_2000010100000a.gz",
                                         "app.log_20000101000000.gz.bak"};
    for (int i = 3; i <= 7; ++i) expected.push_back("app.log_" + stamp(kNoon + i * 3600) + ".gz");
    expected.push_back("app.log_x.gz");
    expected.push_back("other.log_20000101000000.gz");
    std::sort(expected.begin(), expected.end());
    CHECK(d.names() == expected);
}

TEST_CASE("older archives left by dock count too: the newest five stay", "[log_rotate]") {
    LogDir d;
    for (int i = 0; i < 8; ++i) write_file(d.archive(kNoon - 86400 * (i + 1)), "old");
    d.append("new\n");
    Text why;
    REQUIRE(d.rotate(kNoon, why));
    std::vector<std::string> expected = {"app.log", "app.log_" + stamp(kNoon) + ".gz"};
    for (int i = 0; i < 4; ++i) expected.push_back("app.log_" + stamp(kNoon - 86400 * (i + 1)) + ".gz");
    std::sort(expected.begin(), expected.end());
    CHECK(d.names() == expected);
}

TEST_CASE("two rotations in one second keep both archives, the second named a second later", "[log_rotate]") {
    LogDir d;
    Text why;
    d.append("first\n");
    REQUIRE(d.rotate(kNoon, why));
    d.append("second\n");
    REQUIRE(d.rotate(kNoon, why));
    CHECK(gunzip(d.archive(kNoon)) == "first\n");
    CHECK(gunzip(d.archive(kNoon + 1)) == "second\n");
    CHECK(read_file(d.log).empty());
}

TEST_CASE("an empty log makes no archive", "[log_rotate]") {
    LogDir d;
    Text why;
    CHECK(d.rotate(kNoon, why));
    CHECK(why.empty());
    CHECK(d.names() == std::vector<std::string>{"app.log"});
}

TEST_CASE("when the archive cannot be written the log is left whole and no archive stays", "[log_rotate]") {
    LogDir d;
    std::string old;
    for (int i = 0; i < 20000; ++i) old += std::to_string(i * 2654435761u) + "\n";  // compresses poorly
    d.append(old);
    // Files past 4 KiB cannot grow (root or not): the archive's write fails with EFBIG.
    // Only the soft limit: a lowered hard limit could not be raised again without
    // CAP_SYS_RESOURCE, and would kill later tests of this process (SIGXFSZ).
    struct rlimit saved{};
    getrlimit(RLIMIT_FSIZE, &saved);
    struct rlimit small{4096, saved.rlim_max};
    auto previous = std::signal(SIGXFSZ, SIG_IGN);
    setrlimit(RLIMIT_FSIZE, &small);
    Text why;
    bool rotated = d.rotate(kNoon, why);
    setrlimit(RLIMIT_FSIZE, &saved);
    std::signal(SIGXFSZ, previous);
    CHECK_FALSE(rotated);
    CHECK(std::string(why.view()) ==
          "log rotation of " + d.log + ": write app.log_20240501120000.gz: File too large");
    CHECK(d.names() == std::vector<std::string>{"app.log"});
    CHECK(read_file(d.log) == old);
}

TEST_CASE("a log whose directory is gone, or a file replaced under its name, is not emptied", "[log_rotate]") {
    LogDir d;
    d.append("kept\n");
    Text why;
    SECTION("the directory is missing") {
        CHECK_FALSE(initd::rotate_log((d.dir + "/gone/app.log").c_str(), d.fd, kNoon, gz, why));
        CHECK(std::string(why.view()) == "log rotation of " + d.dir + "/gone/app.log: open " + d.dir +
                                             "/gone/app.log: No such file or directory");
    }
    SECTION("the file at the path is another one") {
        REQUIRE(rename(d.log.c_str(), (d.log + ".moved").c_str()) == 0);
        write_file(d.log, "someone else's\n");
        CHECK_FALSE(d.rotate(kNoon, why));
        CHECK(std::string(why.view()) ==
              "log rotation of " + d.log + ": not the file written to (moved or replaced)");
        CHECK(read_file(d.log) == "someone else's\n");
        CHECK(read_file(d.log + ".moved") == "kept\n");
        CHECK(d.names() == std::vector<std::string>{"app.log", "app.log.moved"});
    }
}
