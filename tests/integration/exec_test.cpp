// README "Coming from tini, dumb-init or catatonit", scripts without #!: how initd finds
// and runs the command, as execvp does for tini and dumb-init: a script without "#!"
// runs under /bin/sh, and the first PATH= of the environment is the one searched.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.hpp"

using namespace harness;

namespace {

// A temporary directory of files, removed with it.
class Dir {
public:
    Dir() {
        char path[] = "/tmp/initd-exec-test-XXXXXX";
        REQUIRE(mkdtemp(path));
        path_ = path;
    }
    ~Dir() {
        for (const auto& f : files_) unlink(f.c_str());
        rmdir(path_.c_str());
    }
    Dir(const Dir&) = delete;
    Dir& operator=(const Dir&) = delete;

    const std::string& path() const { return path_; }
    std::string write(const std::string& name, const std::string& content, mode_t mode) {
        std::string file = path_ + "/" + name;
        int fd = open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
        REQUIRE(fd >= 0);
        REQUIRE(::write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size()));
        close(fd);
        REQUIRE(chmod(file.c_str(), mode) == 0);  // whatever the umask
        files_.push_back(file);
        return file;
    }

private:
    std::string path_;
    std::vector<std::string> files_;
};

// The script's name, unique enough not to be found anywhere else on PATH.
const std::string kScript = "initd-exec-test-exit-7";

Launch launch(Mode mode, std::vector<std::string> argv) {
    Launch l;
    l.mode = mode;
    l.argv = std::move(argv);
    return l;
}

}  // namespace

TEST_CASE("a script without #! runs under /bin/sh", "[exec]") {
    Mode mode = GENERATE(Mode::pid1, Mode::subreaper);
    INFO(mode_name(mode));
    Dir dir;
    std::string script = dir.write(kScript, "exit 7\n", 0755);
    auto r = run(launch(mode, {"initd", script}));
    CHECK(r.code == 7);
    CHECK(r.err.empty());
}

TEST_CASE("a script without #! gets its arguments, and its path as $0", "[exec]") {
    Dir dir;
    std::string script = dir.write("args", "[ \"$0\" = \"" + dir.path() + "/args\" ] || exit 90\n"
                                           "[ \"$#\" = 2 ] || exit 91\n"
                                           "[ \"$2\" = 'two words' ] || exit 92\n"
                                           "exit \"$1\"\n",
                                   0755);
    auto r = run(launch(Mode::subreaper, {"initd", "--", script, "9", "two words"}));
    CHECK(r.code == 9);
    CHECK(r.err.empty());
}

TEST_CASE("a script without #! is found through PATH", "[exec]") {
    // The harness's PATH starts with /usr/local/bin: the script's directory takes its
    // place in initd's own mount namespace (PID 1 mode only), the host's is untouched.
    Dir dir;
    dir.write(kScript, "exit 7\n", 0755);
    Launch l = launch(Mode::pid1, {"initd", kScript});
    l.bind_mounts = {{dir.path(), "/usr/local/bin"}};
    auto r = run(l);
    CHECK(r.code == 7);
    CHECK(r.err.empty());
}

TEST_CASE("the first PATH= of the environment is the one searched", "[exec]") {
    Dir dir;
    dir.write(kScript, "exit 7\n", 0755);
    SECTION("a later PATH= naming the script's directory is not searched") {
        Launch l = launch(Mode::subreaper, {"initd", kScript});
        l.extra_env = {"PATH=" + dir.path()};  // after the harness's own PATH=
        auto r = run(l);
        CHECK(r.code == 127);
        CHECK(r.err == "initd: cannot execute '" + kScript + "': No such file or directory\n");
    }
    SECTION("the first PATH= finds the script though a later one would not") {
        Launch l = launch(Mode::pid1, {"initd", kScript});
        l.bind_mounts = {{dir.path(), "/usr/local/bin"}};
        l.extra_env = {"PATH=/nonexistent"};
        auto r = run(l);
        CHECK(r.code == 7);
        CHECK(r.err.empty());
    }
}

TEST_CASE("a script without #! and no shell to run it: the file's own error, 126", "[exec]") {
    // A file that is not executable over /bin/sh (in initd's mount namespace only).
    Dir dir;
    std::string script = dir.write(kScript, "exit 7\n", 0755);
    std::string no_shell = dir.write("no-shell", "", 0644);
    Launch l = launch(Mode::pid1, {"initd", script});
    l.bind_mounts = {{no_shell, "/bin/sh"}};
    auto r = run(l);
    CHECK(r.code == 126);
    CHECK(r.err == "initd: cannot execute '" + script + "': Exec format error\n");
}

TEST_CASE("a long command name still gives a whole line, newline included", "[exec]") {
    std::string name = "/nonexistent/" + std::string(600, 'x');
    auto r = run(launch(Mode::subreaper, {"initd", name}));
    CHECK(r.code == 127);
    REQUIRE(!r.err.empty());
    CHECK(r.err.rfind("initd: cannot execute '/nonexistent/xxx", 0) == 0);
    CHECK(r.err.substr(r.err.size() - 4) == "...\n");
    CHECK(lines_of(r.err).size() == 1);
}

TEST_CASE("at -vvv events come in the order they happen, and no started line for a failed exec", "[exec]") {
    Mode mode = GENERATE(Mode::pid1, Mode::subreaper);
    INFO(mode_name(mode));
    auto failed = run(launch(mode, {"initd", "-vvv", "--", "/nonexistent/initd-exec-test"}));
    CHECK(failed.code == 127);
    CHECK(failed.err.find("initd: cannot execute '/nonexistent/initd-exec-test': No such file or directory\n") !=
          std::string::npos);
    CHECK(failed.err.find("started '/nonexistent/initd-exec-test'") == std::string::npos);

    auto ok = run(launch(mode, {"initd", "-vvv", "--", helper("exit_with"), "0"}));
    CHECK(ok.code == 0);
    CHECK(ok.err.find("initd: started '" + helper("exit_with") + "' as pid ") != std::string::npos);
}
