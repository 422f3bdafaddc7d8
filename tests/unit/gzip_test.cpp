// GzipWriter: what it writes must be what the real gzip reads back.
#include <catch2/catch.hpp>

#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <unistd.h>

#include "initd/gzip.hpp"

namespace {

initd::GzipWriter gz;  // 164 KiB: not on the stack

bool append(void* ctx, const unsigned char* data, std::size_t n) {
    static_cast<std::string*>(ctx)->append(reinterpret_cast<const char*>(data), n);
    return true;
}

// `input` through GzipWriter, fed `chunk` bytes at a time.
std::string compress(const std::string& input, std::size_t chunk = 65536) {
    std::string out;
    gz.begin(append, &out);
    for (std::size_t at = 0; at < input.size(); at += chunk) {
        std::size_t n = input.size() - at < chunk ? input.size() - at : chunk;
        REQUIRE(gz.write(reinterpret_cast<const unsigned char*>(input.data() + at), n));
    }
    REQUIRE(gz.finish());
    return out;
}

// Runs `gzip ARGS file` on `data` and returns its output, or "exit N" if it failed.
std::string run_gzip(const char* args, const std::string& data) {
    char path[] = "/tmp/initd-gzip-test-XXXXXX";
    int fd = mkstemp(path);
    REQUIRE(fd >= 0);
    REQUIRE(write(fd, data.data(), data.size()) == static_cast<ssize_t>(data.size()));
    close(fd);
    std::string command = std::string("gzip ") + args + " " + path + " 2>&1";
    FILE* pipe = popen(command.c_str(), "r");
    REQUIRE(pipe);
    std::string out;
    char buffer[65536];
    for (std::size_t n; (n = fread(buffer, 1, sizeof buffer, pipe)) > 0;) out.append(buffer, n);
    int status = pclose(pipe);
    unlink(path);
    return status == 0 ? out : "exit " + std::to_string(status) + ": " + out;
}

std::string log_lines(std::size_t size) {
    static const char* const levels[] = {"INFO", "INFO", "INFO", "WARN", "DEBUG", "ERROR"};
    static const char* const paths[] = {"/api/v1/items", "/api/v1/users", "/healthz", "/metrics"};
    std::mt19937 random(42);
    std::string out;
    char line[256];
    for (unsigned second = 0; out.size() < size; second += random() % 3) {
        std::snprintf(line, sizeof line,
                      "2024-05-01T%02u:%02u:%02u.%03uZ %s [worker-%u] request id=%08x method=GET path=%s/%u "
                      "status=%u duration=%ums\n",
                      second / 3600 % 24, second / 60 % 60, second % 60, unsigned(random() % 1000),
                      levels[random() % 6], unsigned(random() % 8), unsigned(random()), paths[random() % 4],
                      unsigned(random() % 5000), random() % 5 ? 200u : 404u, unsigned(random() % 900));
        out += line;
    }
    return out;
}

std::string random_bytes(std::size_t size) {
    std::mt19937 random(7);
    std::string out(size, '\0');
    for (char& c : out) c = static_cast<char>(random());
    return out;
}

}  // namespace

TEST_CASE("gzip -dc reads back what GzipWriter wrote, and gzip -t passes", "[gzip]") {
    std::string lines = log_lines(1 << 20);
    std::string input = GENERATE_COPY(std::string(), std::string("x"), std::string("hello\nhello\nhello\n"),
                                      lines, std::string(1 << 20, 'a') + std::string(300, 'b'),
                                      random_bytes(300 * 1024));
    std::size_t chunk = GENERATE(std::size_t(65536), std::size_t(4093));
    CAPTURE(input.size(), chunk);
    std::string archive = compress(input, chunk);
    CHECK(run_gzip("-dc", archive) == input);
    CHECK(run_gzip("-t", archive).empty());
}

TEST_CASE("data many windows long, fed in odd chunks, round trips", "[gzip]") {
    // Repeats at distances near and past 32 KiB, across the buffer's slides.
    std::string block = random_bytes(32768 + 5);
    std::string input = block + log_lines(200000) + block + std::string(70000, '\n') + block;
    std::size_t chunk = GENERATE(std::size_t(1), std::size_t(7), std::size_t(258), std::size_t(65537));
    CAPTURE(chunk);
    CHECK(run_gzip("-dc", compress(input, chunk)) == input);
}

TEST_CASE("log lines shrink several times, runs of one byte far more", "[gzip]") {
    std::string lines = log_lines(1 << 20);
    double ratio = double(lines.size()) / double(compress(lines).size());
    WARN("1 MiB of log lines: ratio " << ratio << " (gzip -6: "
                                      << double(lines.size()) / double(run_gzip("-6c", lines).size()) << ")");
    CHECK(ratio > 3.5);
    CHECK(compress(std::string(1 << 20, 'a')).size() < 8 * 1024);
    // Incompressible: every byte a literal, over 143 in 9 bits.
    CHECK(compress(random_bytes(100000)).size() < 100000 * 107 / 100);
}

TEST_CASE("the same input gives the same bytes, and the stream's fields are gzip's", "[gzip]") {
    std::string lines = log_lines(100000);
    std::string first = compress(lines), second = compress(lines, 999);
    CHECK(first == second);
    REQUIRE(first.size() > 18);
    CHECK(first.compare(0, 4, "\x1f\x8b\x08\x00", 4) == 0);  // magic, deflate, no name
    auto le32 = [&](std::size_t at) {
        return std::uint32_t(std::uint8_t(first[at])) | std::uint32_t(std::uint8_t(first[at + 1])) << 8 |
               std::uint32_t(std::uint8_t(first[at + 2])) << 16 | std::uint32_t(std::uint8_t(first[at + 3])) << 24;
    };
    CHECK(le32(first.size() - 4) == lines.size());  // ISIZE
}

TEST_CASE("a sink that fails makes write and finish fail, and is not called again", "[gzip]") {
    struct Count {
        int calls = 0;
    } count;
    auto refuse = [](void* ctx, const unsigned char*, std::size_t) {
        ++static_cast<Count*>(ctx)->calls;
        return false;
    };
    gz.begin(refuse, &count);
    std::string data = random_bytes(20000);  // more than one output buffer
    CHECK_FALSE(gz.write(reinterpret_cast<const unsigned char*>(data.data()), data.size()));
    CHECK_FALSE(gz.write(reinterpret_cast<const unsigned char*>(data.data()), data.size()));
    CHECK_FALSE(gz.finish());
    CHECK(count.calls == 1);
    // And the writer starts afresh after it.
    std::string ok = compress("again\n");
    CHECK(run_gzip("-dc", ok) == "again\n");
}
