// README "my_init": initd called as my_init, as PID 1 with a baseimage-docker layout in
// its /etc (a test directory bind-mounted over /etc in initd's own mount namespace).
#include <catch2/catch.hpp>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <string>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

#include "harness.hpp"

using namespace harness;

namespace {

struct Etc {
    std::string root;  // becomes /etc inside
    Etc() {
        char path[] = "/tmp/initd-my-init-XXXXXX";
        REQUIRE(mkdtemp(path));
        root = path;
        chmod(root.c_str(), 0755);
        for (const char* dir : {"/container_environment", "/my_init.d", "/my_init.pre_shutdown.d",
                                "/my_init.post_shutdown.d", "/service", "/service/web", "/service/web/log", "/service/idle"})
            REQUIRE(mkdir((root + dir).c_str(), 0755) == 0);
        std::ofstream(root + "/container_environment/FROM_FILE") << "file value\n";
        // The first script exports a variable for the ones after it (my_init's way).
        script("/my_init.d/10-first", "echo first >> /etc/order\nprintf exported > /etc/container_environment/FROM_FIRST");
        script("/my_init.d/20-second", "echo \"second sees $FROM_FIRST\" >> /etc/order");
        script("/rc.local", "echo rc.local >> /etc/order");
        script("/service/web/run", "echo \"web sees $FROM_FIRST\" >> /etc/order\nexec sleep 1000");
        script("/service/web/log/run", "exec cat > /dev/null");
        script("/service/idle/run", "exec sleep 1000");
        std::ofstream(root + "/service/idle/down");
        script("/my_init.pre_shutdown.d/pre", "echo pre >> /etc/order");
        script("/my_init.post_shutdown.d/post", "echo post >> /etc/order");
    }
    ~Etc() { std::system(("rm -rf " + root).c_str()); }
    void script(const std::string& path, const std::string& body) const {
        std::ofstream(root + path) << "#!/bin/sh\n" << body << "\n";
        chmod((root + path).c_str(), 0755);
    }
    std::string order() const { return read_file(root + "/order").value_or(""); }
    Launch launch(std::vector<std::string> options, std::vector<std::string> command) const {
        Launch l = initd_launch(Mode::pid1, std::move(options), std::move(command), "my_init");
        l.bind_mounts.emplace_back(root, "/etc");
        return l;
    }
};

}  // namespace

TEST_CASE("my_init: container environment, start-up files in order, services, main command, shutdown", "[my_init]") {
    Etc etc;
    auto r = run(etc.launch({}, {"/bin/sh", "-c",
                                      "for i in $(seq 200); do grep -q web /etc/order && break; sleep 0.05; done\n"
                                      "echo \"main sees $FROM_FIRST and $FROM_FILE\" >> /etc/order; exit 5"}));
    INFO(r.err);
    CHECK(r.code == 5);
    CHECK(etc.order() == "first\nsecond sees exported\nrc.local\nweb sees exported\n"
                         "main sees exported and file value\npre\npost\n");
    // The dumps my_init writes: a shell file and a JSON file.
    auto sh = read_file(etc.root + "/container_environment.sh");
    REQUIRE(sh);
    CHECK(sh->find("export FROM_FIRST=exported\n") != std::string::npos);
    CHECK(sh->find("export FROM_FILE='file value'\n") != std::string::npos);
    auto json = read_file(etc.root + "/container_environment.json");
    REQUIRE(json);
    CHECK(json->find("\"FROM_FIRST\": \"exported\"") != std::string::npos);
}

TEST_CASE("my_init: a failing start-up file stops it with 1, nothing after it runs", "[my_init]") {
    Etc etc;
    etc.script("/my_init.d/15-fails", "exit 7");
    auto r = run(etc.launch({}, {"/bin/sh", "-c", "echo main >> /etc/order"}));
    CHECK(r.code == 1);
    CHECK(etc.order() == "first\n");
}

TEST_CASE("my_init: SIGTERM without a main command stops the services and exits 2", "[my_init]") {
    Etc etc;
    Process initd(etc.launch({}, {}));
    for (int i = 0; i < 500 && etc.order().find("web") == std::string::npos; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    REQUIRE(etc.order().find("web") != std::string::npos);
    initd.signal(SIGTERM);
    CHECK(initd.wait() == 2);
    CHECK(etc.order().find("pre\npost\n") != std::string::npos);
}

TEST_CASE("my_init: --skip-startup-files, --skip-runit and a command", "[my_init]") {
    Etc etc;
    auto r = run(etc.launch({"--skip-startup-files", "--skip-runit"}, {"/bin/sh", "-c", "echo main >> /etc/order"}));
    CHECK(r.code == 0);
    CHECK(etc.order() == "main\n");
}

TEST_CASE("my_init: --skip-runit without a command exits 1 before anything runs, an unknown option 2", "[my_init]") {
    Etc etc;
    auto r = run(etc.launch({"--skip-runit"}, {}));
    CHECK(r.code == 1);
    CHECK(etc.order().empty());
    CHECK(run(etc.launch({"--bogus"}, {})).code == 2);
}

TEST_CASE("my_init: SIGINT reaches the main command as SIGTERM, and my_init exits 2", "[my_init]") {
    Etc etc;
    etc.script("/trap", "trap 'echo got-term >> /etc/order; exit 0' TERM\ntrap 'echo got-int >> /etc/order; exit 0' INT\n"
                        "echo ready >> /etc/order\nsleep 1000 & wait");
    Process initd(etc.launch({"--skip-runit"}, {"/etc/trap"}));
    for (int i = 0; i < 500 && etc.order().find("ready") == std::string::npos; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    REQUIRE(etc.order().find("ready") != std::string::npos);
    initd.signal(SIGINT);
    CHECK(initd.wait() == 2);
    CHECK(etc.order().find("got-term") != std::string::npos);
}
