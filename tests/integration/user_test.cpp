// README "Running as another user" (-u/--user): the child runs with the uid, gid and supplementary groups asked
// for, read from /etc/passwd and /etc/group, with HOME set, and cannot regain root.
#include <catch2/catch.hpp>

#include <cerrno>
#include <fstream>
#include <map>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.hpp"

using namespace harness;

namespace {

// A test user database, bind-mounted over /etc/passwd and /etc/group inside initd's
// own mount namespace (PID 1 mode), so no real user is created.
struct TestUsers {
    std::string dir = "/tmp/initd-user-test-" + std::to_string(getpid());
    TestUsers() {
        REQUIRE((mkdir(dir.c_str(), 0755) == 0 || errno == EEXIST));
        std::ofstream(dir + "/passwd") << "root:x:0:0:root:/root:/bin/sh\n"
                                          "tester:x:4242:4343:Test User:/home/tester:/bin/sh\n"
                                          "# a comment line, and a broken one\n"
                                          "broken:x:notanumber:1::/:/bin/sh\n"
                                          "nohome:x:4444:4343:::/bin/sh\n";
        std::ofstream(dir + "/group") << "root:x:0:\n"
                                         "testers:x:4343:\n"
                                         "extra:x:5001:someone,tester\n"
                                         "more:x:5002:tester\n"
                                         "others:x:5003:someone,testerX\n";
    }
    ~TestUsers() {
        unlink((dir + "/passwd").c_str());
        unlink((dir + "/group").c_str());
        rmdir(dir.c_str());
    }
    std::vector<std::pair<std::string, std::string>> mounts() const {
        return {{dir + "/passwd", "/etc/passwd"}, {dir + "/group", "/etc/group"}};
    }
};

// What the `ids` helper reported: "Uid", "Gid", "Groups", "HOME", "regain root".
std::map<std::string, std::string> ids_as(Mode mode, const std::string& user, const TestUsers* users,
                                          int& code) {
    Launch l = initd_launch(mode, {"-u", user}, {helper_for_anyone("ids")});  // the user runs it
    l.extra_env = {"HOME=/root"};
    if (users) l.bind_mounts = users->mounts();
    auto r = run(l);
    code = r.code;
    INFO("stderr: " << r.err);
    REQUIRE(!r.reported.empty());
    CHECK(r.reported.back() == "end");
    std::map<std::string, std::string> seen;
    for (const auto& line : r.reported) {
        if (line == "end") break;
        auto colon = line.find_first_of(":=");
        std::string value = line.substr(colon + 1);
        while (!value.empty() && (value[0] == '\t' || value[0] == ' ')) value.erase(0, 1);
        while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.pop_back();
        seen[line.substr(0, colon)] = value;
    }
    return seen;
}

}  // namespace

TEST_CASE("user switch: the child runs as the user, with its groups and HOME (test user database)", "[user]") {
    require_root("a user namespace maps only one uid, so -u cannot be tested");
    TestUsers users;
    struct Case {
        std::string user;
        std::string uid, gid, groups, home;
    };
    auto c = GENERATE(
        // Primary group from passwd, supplementary groups from the member lists.
        Case{"tester", "4242", "4343", "4343 5001 5002", "/home/tester"},
        Case{"4242", "4242", "4343", "4343 5001 5002", "/home/tester"},
        // GROUP replaces the primary group; memberships stay.
        Case{"tester:extra", "4242", "5001", "5001 5002", "/home/tester"},
        Case{"tester:5003", "4242", "5003", "5001 5002 5003", "/home/tester"},
        // A uid with no entry: gid 0 unless given, HOME=/ (as `docker run -u`).
        Case{"7777", "7777", "0", "0", "/"},
        Case{"7777:more", "7777", "5002", "5002", "/"},
        // An empty home field means /.
        Case{"nohome", "4444", "4343", "4343", "/"});
    INFO("-u " << c.user);
    int code = -1;
    auto seen = ids_as(Mode::pid1, c.user, &users, code);
    CHECK(code == 0);
    // /proc/self/status: real, effective, saved and filesystem ids.
    CHECK(seen["Uid"] == c.uid + "\t" + c.uid + "\t" + c.uid + "\t" + c.uid);
    CHECK(seen["Gid"] == c.gid + "\t" + c.gid + "\t" + c.gid + "\t" + c.gid);
    CHECK(seen["Groups"] == c.groups);
    CHECK(seen["HOME"] == c.home);
    CHECK(seen["regain root"] == "no");
}

TEST_CASE("user switch with the system's users: nobody, daemon", "[user]") {
    require_root("-u cannot be tested");
    Mode mode = GENERATE(Mode::pid1, Mode::subreaper);
    INFO(mode_name(mode));
    struct Case {
        std::string user;
        std::string uid, gid, home;
    };
    auto c = GENERATE(Case{"nobody", "65534", "65534", "/nonexistent"},
                      Case{"daemon", "1", "1", "/usr/sbin"},
                      Case{"daemon:daemon", "1", "1", "/usr/sbin"},
                      Case{"65534:1", "65534", "1", "/nonexistent"});
    INFO("-u " << c.user);
    int code = -1;
    auto seen = ids_as(mode, c.user, nullptr, code);
    CHECK(code == 0);
    CHECK(seen["Uid"] == c.uid + "\t" + c.uid + "\t" + c.uid + "\t" + c.uid);
    CHECK(seen["Gid"] == c.gid + "\t" + c.gid + "\t" + c.gid + "\t" + c.gid);
    CHECK(seen["Groups"] == c.gid);  // none of them is a member of any group
    CHECK(seen["HOME"] == c.home);
    CHECK(seen["regain root"] == "no");
}

TEST_CASE("INITD_USER works like -u", "[user]") {
    require_root("-u cannot be tested");
    Launch l = initd_launch(Mode::subreaper, {}, {helper_for_anyone("ids")});
    l.extra_env = {"INITD_USER=nobody"};
    auto r = run(l);
    REQUIRE(!r.reported.empty());
    CHECK(r.reported[0] == "Uid:\t65534\t65534\t65534\t65534");
    CHECK(r.code == 0);
}

TEST_CASE("an unknown user or group: exit 2, one line naming it, nothing run", "[user]") {
    Mode mode = GENERATE(Mode::pid1, Mode::subreaper);
    INFO(mode_name(mode));
    std::string marker = "/tmp/initd-user-test-marker-" + std::to_string(getpid());
    unlink(marker.c_str());
    struct Case {
        std::vector<std::string> args;
        std::vector<std::string> env;
        std::string line;
    };
    std::vector<Case> cases = {
        {{"-u", "nosuchuser"}, {}, "initd: unknown user 'nosuchuser' (not in /etc/passwd)"},
        {{"--user", "root:nosuchgroup"}, {}, "initd: unknown group 'nosuchgroup' (not in /etc/group)"},
        {{"--user=nosuchuser:root"}, {}, "initd: unknown user 'nosuchuser' (not in /etc/passwd)"},
        {{}, {"INITD_USER=nosuchuser"}, "initd: unknown user 'nosuchuser' (not in /etc/passwd)"},
    };
    for (const auto& c : cases) {
        INFO("initd " << Catch::Detail::stringify(c.args) << " env " << Catch::Detail::stringify(c.env));
        std::vector<std::string> args = c.args;
        args.insert(args.end(), {"touch", marker});
        Launch l = initd_launch(mode, args);
        l.extra_env = c.env;
        check_refused(l, c.line);
    }
    for (std::string spec : {":root", "root:"}) {
        INFO("-u " << spec);
        auto r = run(initd_launch(mode, {"-u", spec, "touch", marker}));
        CHECK(r.code == 2);
        CHECK(lines_of(r.err).size() == 1);
        CHECK(r.err.find("'" + spec + "'") != std::string::npos);
        CHECK(r.err.find("USER:GROUP") != std::string::npos);
    }
    CHECK(access(marker.c_str(), F_OK) != 0);
}
