// resolve_user against passwd and group files written to /tmp.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <string>
#include <unistd.h>
#include <vector>

#include "initd/users.hpp"

using initd::Credentials;
using initd::resolve_user;
using initd::Text;
using initd::UserFiles;

namespace {

// A file in /tmp with the given content, removed when it goes out of scope.
class TempFile {
public:
    explicit TempFile(const std::string& content) {
        char name[] = "/tmp/initd-users-test-XXXXXX";
        int fd = ::mkstemp(name);
        REQUIRE(fd >= 0);
        path_ = name;
        std::size_t done = 0;
        while (done < content.size()) {
            ssize_t n = ::write(fd, content.data() + done, content.size() - done);
            REQUIRE(n > 0);
            done += static_cast<std::size_t>(n);
        }
        ::close(fd);
    }
    ~TempFile() { ::unlink(path_.c_str()); }
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;

    const char* path() const { return path_.c_str(); }

private:
    std::string path_;
};

const char* const kPasswd =
    "root:x:0:0:root:/root:/bin/sh\n"
    "# a comment line\n"
    "\n"
    "garbage\n"
    "broken:x:notanumber:100:Broken:/home/broken:/bin/sh\n"
    "alsobroken:x:1500:badgid:Also:/home/also:/bin/sh\n"
    "short:x:1600\n"
    "bob:x:1000:1000:Bob:/home/bob:/bin/sh\n"
    "alice:x:1001:1001:Alice:/home/alice:/bin/bash\n"
    "nohome:x:1002:1002:No Home::/bin/sh\n"
    "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n"
    "dup:x:1003:1003::/home/first:/bin/sh\n"
    "dup:x:1004:1004::/home/second:/bin/sh\n";

const char* const kGroup =
    "root:x:0:\n"
    "garbage line\n"
    "wheel:x:10:alice,bob\n"
    "staff:x:50:bob\n"
    "bob:x:1000:bob\n"
    "alice:x:1001:\n"
    "bobby:x:60:bobby,bobb,xbob\n"
    "badgid:x:zzz:bob\n"
    "users:x:100:carol,bob,dave\n"
    "nogroup:x:65534:\n";

struct Fixture {
    TempFile passwd{kPasswd};
    TempFile group{kGroup};
    UserFiles files() const { return UserFiles{passwd.path(), group.path()}; }
};

std::vector<gid_t> groups_of(const Credentials& c) {
    return std::vector<gid_t>(c.groups.begin(), c.groups.begin() + static_cast<long>(c.group_count));
}

bool has_duplicates(std::vector<gid_t> g) {
    std::sort(g.begin(), g.end());
    return std::adjacent_find(g.begin(), g.end()) != g.end();
}

std::string home(const Credentials& c) { return c.home_variable; }

}  // namespace

TEST_CASE("resolve_user by name", "[users]") {
    Fixture f;
    Credentials c;
    Text error;
    REQUIRE(resolve_user("bob", c, error, f.files()));
    CHECK(error.empty());
    CHECK(c.uid == 1000);
    CHECK(c.gid == 1000);
    CHECK(home(c) == "HOME=/home/bob");
    auto g = groups_of(c);
    REQUIRE_FALSE(g.empty());
    CHECK(g.front() == 1000);  // the primary group first
    // Member of wheel, staff, bob (own primary, listed), users; not bobby (only "bobb"/"xbob"),
    // not the line with a bad gid.
    std::vector<gid_t> expected{1000, 10, 50, 100};
    CHECK(std::is_permutation(g.begin(), g.end(), expected.begin(), expected.end()));
    CHECK(c.group_count == 4);
    CHECK_FALSE(has_duplicates(g));
}

TEST_CASE("resolve_user by number finds the passwd entry", "[users]") {
    Fixture f;
    Credentials c;
    Text error;
    REQUIRE(resolve_user("1001", c, error, f.files()));
    CHECK(c.uid == 1001);
    CHECK(c.gid == 1001);
    CHECK(home(c) == "HOME=/home/alice");
    // Supplementary groups by the entry's name.
    auto g = groups_of(c);
    CHECK(g.front() == 1001);
    CHECK(std::find(g.begin(), g.end(), 10) != g.end());
    CHECK(std::find(g.begin(), g.end(), 50) == g.end());
    CHECK(c.group_count == 2);

    Credentials r;
    REQUIRE(resolve_user("0", r, error, f.files()));
    CHECK(r.uid == 0);
    CHECK(r.gid == 0);
    CHECK(home(r) == "HOME=/root");
    CHECK(groups_of(r) == std::vector<gid_t>{0});
}

TEST_CASE("resolve_user with a group", "[users]") {
    Fixture f;
    Text error;

    SECTION("by group name") {
        Credentials c;
        REQUIRE(resolve_user("bob:staff", c, error, f.files()));
        CHECK(c.uid == 1000);
        CHECK(c.gid == 50);
        CHECK(home(c) == "HOME=/home/bob");
        auto g = groups_of(c);
        CHECK(g.front() == 50);
        CHECK_FALSE(has_duplicates(g));
        CHECK(std::find(g.begin(), g.end(), 10) != g.end());
    }
    SECTION("by gid") {
        Credentials c;
        REQUIRE(resolve_user("alice:4242", c, error, f.files()));
        CHECK(c.uid == 1001);
        CHECK(c.gid == 4242);
        auto g = groups_of(c);
        CHECK(g.front() == 4242);
        CHECK(std::find(g.begin(), g.end(), 10) != g.end());
        CHECK_FALSE(has_duplicates(g));
    }
    SECTION("by gid that exists") {
        Credentials c;
        REQUIRE(resolve_user("bob:65534", c, error, f.files()));
        CHECK(c.gid == 65534);
    }
    SECTION("uid and gid, neither in the files") {
        Credentials c;
        REQUIRE(resolve_user("4242:4343", c, error, f.files()));
        CHECK(c.uid == 4242);
        CHECK(c.gid == 4343);
        CHECK(groups_of(c) == std::vector<gid_t>{4343});
        CHECK(home(c) == "HOME=/");
    }
    SECTION("unknown group") {
        Credentials c;
        CHECK_FALSE(resolve_user("bob:nosuchgroup", c, error, f.files()));
        CHECK_THAT(std::string(error.view()), Catch::Contains("unknown group 'nosuchgroup'"));
    }
    SECTION("a group line with a bad gid is not a match") {
        Credentials c;
        CHECK_FALSE(resolve_user("bob:badgid", c, error, f.files()));
        CHECK_THAT(std::string(error.view()), Catch::Contains("unknown group 'badgid'"));
    }
}

TEST_CASE("a uid with no passwd entry runs with gid 0 and HOME=/", "[users]") {
    Fixture f;
    Credentials c;
    Text error;
    REQUIRE(resolve_user("4242", c, error, f.files()));
    CHECK(c.uid == 4242);
    CHECK(c.gid == 0);
    CHECK(groups_of(c) == std::vector<gid_t>{0});
    CHECK(home(c) == "HOME=/");
}

TEST_CASE("an empty home field gives HOME=/", "[users]") {
    Fixture f;
    Credentials c;
    Text error;
    REQUIRE(resolve_user("nohome", c, error, f.files()));
    CHECK(c.uid == 1002);
    CHECK(home(c) == "HOME=/");
}

TEST_CASE("the first passwd entry of a name wins", "[users]") {
    Fixture f;
    Credentials c;
    Text error;
    REQUIRE(resolve_user("dup", c, error, f.files()));
    CHECK(c.uid == 1003);
    CHECK(home(c) == "HOME=/home/first");
}

TEST_CASE("resolving again resets the credentials", "[users]") {
    Fixture f;
    Credentials c;
    Text error;
    REQUIRE(resolve_user("bob", c, error, f.files()));
    REQUIRE(c.group_count == 4);
    REQUIRE(resolve_user("4242", c, error, f.files()));
    CHECK(c.group_count == 1);
    CHECK(home(c) == "HOME=/");
}

TEST_CASE("unknown users and bad specs", "[users]") {
    Fixture f;
    Credentials c;
    Text error;

    SECTION("unknown user") {
        CHECK_FALSE(resolve_user("bob2", c, error, f.files()));
        CHECK_THAT(std::string(error.view()), Catch::Contains("unknown user 'bob2'"));
        error.clear();
        CHECK_FALSE(resolve_user("bo", c, error, f.files()));  // a prefix is not a name
        CHECK_THAT(std::string(error.view()), Catch::Contains("unknown user 'bo'"));
        error.clear();
        CHECK_FALSE(resolve_user("BOB", c, error, f.files()));  // names are case-sensitive
        CHECK_THAT(std::string(error.view()), Catch::Contains("'BOB'"));
    }
    SECTION("malformed entries are skipped, not matched") {
        for (const char* name : {"broken", "alsobroken", "short", "garbage", "# a comment line"}) {
            INFO(name);
            error.clear();
            CHECK_FALSE(resolve_user(name, c, error, f.files()));
            CHECK_THAT(std::string(error.view()), Catch::Contains(std::string("unknown user '") + name + "'"));
        }
        // ... and the uid of a broken line is not found either.
        Credentials u;
        REQUIRE(resolve_user("1500", u, error, f.files()));
        CHECK(u.gid == 0);
        CHECK(home(u) == "HOME=/");
    }
    SECTION("bad specs") {
        for (const char* spec : {"", ":x", "bob:", ":", "::"}) {
            INFO("spec '" << spec << "'");
            error.clear();
            CHECK_FALSE(resolve_user(spec, c, error, f.files()));
            CHECK_THAT(std::string(error.view()), Catch::Contains("bad user"));
            CHECK_THAT(std::string(error.view()), Catch::Contains(std::string("'") + spec + "'"));
        }
    }
    SECTION("bob:staff:x is an unknown group 'staff:x'") {
        CHECK_FALSE(resolve_user("bob:staff:x", c, error, f.files()));
        CHECK_THAT(std::string(error.view()), Catch::Contains("unknown group"));
    }
}

TEST_CASE("files that do not exist", "[users]") {
    UserFiles missing{"/tmp/initd-users-test-does-not-exist/passwd", "/tmp/initd-users-test-does-not-exist/group"};
    Credentials c;
    Text error;
    CHECK_FALSE(resolve_user("bob", c, error, missing));
    CHECK_THAT(std::string(error.view()), Catch::Contains("unknown user 'bob'"));

    // A number needs no entry.
    error.clear();
    REQUIRE(resolve_user("1000", c, error, missing));
    CHECK(c.uid == 1000);
    CHECK(c.gid == 0);
    CHECK(home(c) == "HOME=/");

    error.clear();
    REQUIRE(resolve_user("1000:1000", c, error, missing));
    CHECK(c.gid == 1000);

    error.clear();
    CHECK_FALSE(resolve_user("1000:staff", c, error, missing));
    CHECK_THAT(std::string(error.view()), Catch::Contains("unknown group 'staff'"));

    // An existing passwd with a missing group file: no supplementary groups.
    TempFile passwd(kPasswd);
    error.clear();
    REQUIRE(resolve_user("bob", c, error, UserFiles{passwd.path(), missing.group}));
    CHECK(groups_of(c) == std::vector<gid_t>{1000});
}

TEST_CASE("the last line needs no trailing newline", "[users]") {
    TempFile passwd("root:x:0:0:root:/root:/bin/sh\ncarol:x:1005:1005::/home/carol:/bin/sh");
    TempFile group("root:x:0:\nusers:x:100:carol");
    Credentials c;
    Text error;
    REQUIRE(resolve_user("carol", c, error, UserFiles{passwd.path(), group.path()}));
    CHECK(c.uid == 1005);
    CHECK(c.gid == 1005);
    CHECK(home(c) == "HOME=/home/carol");
    CHECK(groups_of(c) == std::vector<gid_t>{1005, 100});

    error.clear();
    REQUIRE(resolve_user("carol:users", c, error, UserFiles{passwd.path(), group.path()}));
    CHECK(c.gid == 100);
}

TEST_CASE("empty files", "[users]") {
    TempFile passwd("");
    TempFile group("");
    Credentials c;
    Text error;
    CHECK_FALSE(resolve_user("bob", c, error, UserFiles{passwd.path(), group.path()}));
    CHECK_THAT(std::string(error.view()), Catch::Contains("unknown user 'bob'"));
}

TEST_CASE("a line longer than 4096 bytes is skipped without breaking the next", "[users]") {
    // Lengths around the reader's 4096-byte buffer, and far beyond it.
    std::size_t length = GENERATE(4094u, 4095u, 4096u, 4097u, 5000u, 8191u, 8192u, 8193u, 20000u);
    INFO("long line of " << length << " bytes");

    // The long line looks like an entry for "longuser"; its tail past 4096 bytes looks
    // like an entry for "tail": neither may be found (when the line is too long), and
    // "dave" after it must be.
    std::string tail = "tail:x:3000:3000::/home/tail:/bin/sh";
    std::string head = "longuser:x:2000:2000::/home/";
    std::string line = head;
    line += std::string(length > head.size() + 10 ? length - head.size() - 10 : 0, 'h');
    line += ":/bin/sh:";
    while (line.size() < length) line += ':';
    REQUIRE(line.size() == length);

    std::string passwd_text = "root:x:0:0:root:/root:/bin/sh\n" + line + "\n" +
                              "dave:x:2001:2001::/home/dave:/bin/sh\n";
    // A second long line whose tail (after 4096 bytes) is a complete entry.
    std::string filler(std::max<std::size_t>(length, 4096), 'A');
    passwd_text += filler + tail + "\n" + "erin:x:2002:2002::/home/erin:/bin/sh\n";

    std::string group_text = "root:x:0:\nbig:x:700:" + std::string(length, 'z') + ",dave\n" +
                             "extra:x:701:dave,erin\n";
    TempFile passwd(passwd_text);
    TempFile group(group_text);
    UserFiles files{passwd.path(), group.path()};

    Credentials c;
    Text error;
    REQUIRE(resolve_user("dave", c, error, files));
    CHECK(c.uid == 2001);
    CHECK(home(c) == "HOME=/home/dave");
    auto g = groups_of(c);
    CHECK(std::find(g.begin(), g.end(), 701) != g.end());

    error.clear();
    REQUIRE(resolve_user("erin", c, error, files));
    CHECK(c.uid == 2002);
    CHECK(home(c) == "HOME=/home/erin");

    error.clear();
    CHECK_FALSE(resolve_user("tail", c, error, files));
    CHECK_THAT(std::string(error.view()), Catch::Contains("unknown user 'tail'"));

    error.clear();
    bool found_long = resolve_user("longuser", c, error, files);
    if (length + 1 <= 4096) {
        // Fits the buffer with its newline: an ordinary line.
        CHECK(found_long);
        CHECK(c.uid == 2000);
    } else {
        CHECK_FALSE(found_long);
    }
}

TEST_CASE("many lines: the reader refills its buffer correctly", "[users]") {
    std::string passwd_text, group_text;
    for (int i = 0; i < 2000; ++i) {
        passwd_text += "user" + std::to_string(i) + ":x:" + std::to_string(10000 + i) + ":" +
                       std::to_string(20000 + i) + "::/home/user" + std::to_string(i) + ":/bin/sh\n";
        group_text += "g" + std::to_string(i) + ":x:" + std::to_string(30000 + i) + ":" +
                      (i % 100 == 7 ? "someone,user1999,other" : "someone") + "\n";
    }
    TempFile passwd(passwd_text);
    TempFile group(group_text);
    UserFiles files{passwd.path(), group.path()};
    for (int i : {0, 1, 99, 100, 101, 777, 1000, 1234, 1998, 1999}) {
        INFO("user" << i);
        Credentials c;
        Text error;
        REQUIRE(resolve_user("user" + std::to_string(i), c, error, files));
        CHECK(c.uid == static_cast<uid_t>(10000 + i));
        CHECK(c.gid == static_cast<gid_t>(20000 + i));
        CHECK(home(c) == "HOME=/home/user" + std::to_string(i));
    }
    Credentials c;
    Text error;
    REQUIRE(resolve_user("user1999", c, error, files));
    CHECK(c.group_count == 21);  // primary + 20 memberships
    REQUIRE(resolve_user("g5:g1999", c, error, files) == false);  // g5 is a group, not a user
    error.clear();
    REQUIRE(resolve_user("user5:g1999", c, error, files));
    CHECK(c.gid == 31999);
}

TEST_CASE("more than 256 groups is an error", "[users]") {
    std::string group_text;
    for (int i = 0; i < 300; ++i) group_text += "g" + std::to_string(i) + ":x:" + std::to_string(5000 + i) + ":bob\n";
    TempFile passwd("bob:x:1000:1000::/home/bob:/bin/sh\n");
    TempFile group(group_text);
    Credentials c;
    Text error;
    CHECK_FALSE(resolve_user("bob", c, error, UserFiles{passwd.path(), group.path()}));
    CHECK_THAT(std::string(error.view()), Catch::Contains("256"));
    CHECK_THAT(std::string(error.view()), Catch::Contains("'bob'"));

    // Exactly 256 (primary + 255) fits.
    std::string fits;
    for (int i = 0; i < 255; ++i) fits += "g" + std::to_string(i) + ":x:" + std::to_string(5000 + i) + ":bob\n";
    TempFile group2(fits);
    error.clear();
    REQUIRE(resolve_user("bob", c, error, UserFiles{passwd.path(), group2.path()}));
    CHECK(c.group_count == 256);
}
