// The order of start-up and shutdown scripts: my_init's (byte order, dotfiles in,
// directories and non-executables out, a single file as a path of its own).
#include <catch2/catch.hpp>

#include <cstdlib>
#include <fcntl.h>
#include <string>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

#include "initd/script_queue.hpp"

namespace {

std::string temp_dir() {
    char path[] = "/tmp/initd-scripts-XXXXXX";
    REQUIRE(mkdtemp(path));
    return path;
}

void file(const std::string& path, mode_t mode) {
    int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, mode);
    REQUIRE(fd >= 0);
    close(fd);
    chmod(path.c_str(), mode);
}

std::vector<std::string> drain(initd::ScriptQueue& queue) {
    std::vector<std::string> out;
    while (const char* p = queue.next()) out.push_back(p);
    return out;
}

}  // namespace

TEST_CASE("scripts run in byte order, dotfiles included, others skipped", "[scripts]") {
    std::string d = temp_dir();
    for (const char* name : {"a-x", "9-x", "10-x", "A-x", ".hidden"}) file(d + "/" + name, 0755);
    file(d + "/50-not-executable", 0644);
    mkdir((d + "/60-directory").c_str(), 0755);
    symlink((d + "/a-x").c_str(), (d + "/b-link").c_str());
    std::string rc = d + "/rc.local";
    std::string dir = d;
    const char* paths[] = {nullptr, dir.c_str(), rc.c_str(), "/nonexistent/initd"};
    static initd::ScriptQueue queue;
    queue.load(paths, 4);
    CHECK(drain(queue) == std::vector<std::string>{d + "/.hidden", d + "/10-x", d + "/9-x", d + "/A-x", d + "/a-x",
                                                  d + "/b-link"});
    file(rc, 0755);  // now rc.local counts, after the directory
    queue.load(paths, 4);
    auto all = drain(queue);
    // rc.local, executable, is now one of d's scripts too, and then the path of its own
    REQUIRE(all.size() == 8);
    CHECK(all[6] == rc);
    CHECK(all.back() == rc);
    std::system(("rm -rf " + d).c_str());
}
