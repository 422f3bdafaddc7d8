// The pure parts of sv, chpst and setuser (runit_cli.hpp): runit's getopt, its errno
// words, the environment edit, sv's command words and its status line.
#include <catch2/catch.hpp>

#include <cerrno>
#include <string>
#include <vector>

#include "initd/runit_cli.hpp"

using namespace initd;
using namespace initd::runit;

namespace {

struct Args {
    std::vector<std::string> words;
    std::vector<char*> argv;
    explicit Args(std::vector<std::string> w) : words(std::move(w)) {
        for (auto& s : words) argv.push_back(s.data());
        argv.push_back(nullptr);
    }
};

// Every option as "c" or "c=value", then "|" and the first operand's index.
std::string scan(std::vector<std::string> words, std::string& complaint) {
    Args a(std::move(words));
    Getopt opt;
    Text why;
    std::string seen;
    for (int c; (c = opt.next(a.argv.data(), "w:vV", why));) {
        seen += static_cast<char>(c);
        if (c == 'w') seen += "=" + std::string(opt.value);
        seen += ' ';
    }
    complaint = std::string(why.view());
    return seen + "|" + std::to_string(opt.index);
}

}  // namespace

TEST_CASE("runit getopt: bundles, attached and separate values, -- and the first operand end it", "[runit]") {
    std::string why;
    CHECK(scan({"sv", "-v", "-w", "5", "up", "x"}, why) == "v w=5 |4");
    CHECK(scan({"sv", "-vw5", "up"}, why) == "v w=5 |2");
    CHECK(scan({"sv", "--", "-v"}, why) == "|2");
    CHECK(scan({"sv", "-", "x"}, why) == "|1");
    CHECK(scan({"sv", "up", "-v"}, why) == "|1");
    CHECK(why.empty());
    CHECK(scan({"sv", "-z"}, why) == "? |2");
    CHECK(why == "illegal option -- z\n");
    CHECK(scan({"sv", "-w"}, why) == "? |2");
    CHECK(why == "option requires an argument -- w\n");
}

TEST_CASE("runit error words: runit's for the common errnos, libc.s words (log::errno_text) for the rest", "[runit]") {
    CHECK(std::string(error_text(ENOENT)) == "file does not exist");
    CHECK(std::string(error_text(ENXIO)) == "device not configured");
    CHECK(std::string(error_text(EACCES)) == "access denied");
    CHECK(std::string(error_text(ELOOP)) == "symbolic link loop");
    CHECK(std::string(error_text(EBADF)).size() > 0);
}

TEST_CASE("env edit: runit's order, NAME alone removes, an unknown NAME is a no-op", "[runit]") {
    std::string a = "A=1", b = "B=2", c = "C=3";
    char* envp[] = {a.data(), b.data(), c.data(), nullptr};
    Env env(envp);
    CHECK(env.put("A=9"));  // the last entry moves into A's place, A=9 goes last
    CHECK(env.put("B"));
    CHECK(env.put("NONE"));
    CHECK(env.put("D="));
    std::vector<std::string> got;
    for (std::size_t i = 0; i < env.count; ++i) got.push_back(env.entries[i]);
    CHECK(got == std::vector<std::string>{"C=3", "A=9", "D="});
    CHECK(env.entries[env.count] == nullptr);
}

TEST_CASE("sv words: spelled-out words, first letters, and what sv refuses", "[runit]") {
    struct Case {
        const char* word;
        const char* letters;
        bool wait, kill;
    };
    for (const Case& c : {Case{"up", "u", false, false}, Case{"u", "u", false, false}, Case{"upper", "u", false, false},
                          Case{"down", "d", false, false}, Case{"once", "o", false, false},
                          Case{"term", "t", false, false}, Case{"cont", "c", false, false},
                          Case{"check", "C", true, false}, Case{"status", "s", false, false},
                          Case{"sxyz", "s", false, false}, Case{"exit", "x", false, false},
                          Case{"start", "u", true, false}, Case{"stop", "d", true, false},
                          Case{"restart", "tcu", true, false}, Case{"reload", "h", true, false},
                          Case{"try-restart", "tc", true, false}, Case{"shutdown", "x", true, false},
                          Case{"force-stop", "d", true, true}, Case{"force-reload", "tc", true, true},
                          Case{"force-restart", "tcu", true, true}, Case{"force-shutdown", "x", true, true},
                          Case{"Down", "d", true, true}, Case{"Term", "tc", true, true}, Case{"Exit", "x", true, true},
                          Case{"1", "1", false, false}, Case{"alarm", "a", false, false}}) {
        INFO(c.word);
        SvAction a;
        REQUIRE(sv_action(c.word, a));
        CHECK(std::string(a.letters) == c.letters);
        CHECK(a.wait == c.wait);
        CHECK(a.kill == c.kill);
    }
    SvAction a;
    for (const char* bad : {"", "bogus", "rxyz", "force-start", "zap", "Up"}) {
        INFO(bad);
        CHECK_FALSE(sv_action(bad, a));
    }
}

TEST_CASE("sv status line: runit's words for run, down and finish", "[runit]") {
    auto line = [](const Status& s, bool normally_up) {
        Text t;
        format_status(t, "web", s, 1000, normally_up);
        return std::string(t.view());
    };
    Status run{.since_sec = 995, .pid = 12, .want_up = true, .state = State::run};
    CHECK(line(run, true) == "run: web: (pid 12) 5s");
    CHECK(line(run, false) == "run: web: (pid 12) 5s, normally down");
    Status odd = run;
    odd.paused = true;
    odd.want_up = false;
    odd.got_term = true;
    CHECK(line(odd, true) == "run: web: (pid 12) 5s, paused, want down, got TERM");
    Status down{.since_sec = 997, .want_up = false, .state = State::down};
    CHECK(line(down, true) == "down: web: 3s, normally up");
    down.want_up = true;
    CHECK(line(down, false) == "down: web: 3s, want up");
    Status finish{.since_sec = 2000, .pid = 7, .want_up = true, .state = State::finish};
    CHECK(line(finish, true) == "finish: web: (pid 7) 0s");  // a clock behind the record: 0s
}

TEST_CASE("runit scan_ulong: leading digits, and where they end", "[runit]") {
    const char* s = "42:7";
    CHECK(scan_ulong(s) == 42);
    CHECK(std::string(s) == ":7");
    const char* none = "x1";
    CHECK(scan_ulong(none) == 0);
    CHECK(std::string(none) == "x1");
}

TEST_CASE("supervise/status record: runsv's byte order, and back", "[runit]") {
    Status s;
    s.since_sec = 0x01020304;
    s.since_nsec = 0x0A0B0C0D;
    s.pid = 0x11223344;
    s.paused = true;
    s.want_up = false;
    s.got_term = true;
    s.state = State::finish;
    Record r = encode(s);
    const unsigned char want[20] = {0x40, 0, 0, 0, 0x01, 0x02, 0x03, 0x0E, 0x0A, 0x0B,
                                    0x0C, 0x0D, 0x44, 0x33, 0x22, 0x11, 1, 'd', 1, 2};
    CHECK(std::vector<unsigned char>(r.begin(), r.end()) == std::vector<unsigned char>(want, want + 20));
    Status back;
    REQUIRE(decode(r, back));
    CHECK(back.since_sec == s.since_sec);
    CHECK(back.since_nsec == s.since_nsec);
    CHECK(back.pid == s.pid);
    CHECK(back.paused);
    CHECK(!back.want_up);
    CHECK(back.got_term);
    CHECK(back.state == State::finish);
    r[19] = 3;
    CHECK(!decode(r, back));
    CHECK(!decode(std::span<const unsigned char>(r.data(), 19), back));
}
