// README "Hardening" (Stress and resources), "How it works", man initd(1) FILES: no heap,
// no descriptors kept, no files opened but /etc/passwd, /etc/group and /proc. Checked on
// the real binary: its symbol table, and strace of a run.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cctype>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <dirent.h>
#include <fcntl.h>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <unistd.h>

#include "harness.hpp"

using namespace harness;

namespace {

std::string command_output(const std::string& command) {
    FILE* pipe = popen(command.c_str(), "r");
    REQUIRE(pipe);
    std::string out;
    char buffer[4096];
    std::size_t n;
    while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, n);
    CHECK(pclose(pipe) == 0);
    return out;
}

bool is_allocator(const std::string& symbol) {
    static const std::set<std::string> names = {"malloc", "calloc", "realloc", "free", "posix_memalign",
                                                "aligned_alloc", "memalign", "valloc", "pvalloc", "reallocarray"};
    // operator new / new[] / delete / delete[] in every overload (_Znwm, _ZnamSt11align_val_t, ...).
    return names.count(symbol) || symbol.rfind("_Znw", 0) == 0 || symbol.rfind("_Zna", 0) == 0 ||
           symbol.rfind("_Zdl", 0) == 0 || symbol.rfind("_Zda", 0) == 0;
}

// What strace saw initd itself open: (pid of initd's execve, paths it opened after it).
struct Trace {
    bool saw_initd = false;
    std::vector<std::string> initd_opens;
    std::vector<std::string> other_opens;  // the child's, for the record
};

Trace read_trace(const std::string& path) {
    std::ifstream in(path);
    REQUIRE(in);
    Trace t;
    std::string initd_pid;
    std::regex execve_re(R"(^(\d+) +execve\("([^"]*)\")");
    std::regex open_re(R"(^(\d+) +(open|openat|openat2)\((?:AT_FDCWD, |\d+, )?"([^"]*)\")");
    std::smatch m;
    for (std::string line; std::getline(in, line);) {
        if (std::regex_search(line, m, execve_re) && m[2] == initd_path() && initd_pid.empty() &&
            line.find("= 0") != std::string::npos) {
            initd_pid = m[1];
            t.saw_initd = true;
        } else if (std::regex_search(line, m, open_re)) {
            if (!initd_pid.empty() && m[1] == initd_pid) t.initd_opens.push_back(m[3]);
            else t.other_opens.push_back(m[3]);
        }
    }
    return t;
}

// /dev/termination-log: only when the child failed (README "Kubernetes").
bool allowed_to_open(const std::string& path) {
    return path == "/etc/passwd" || path == "/etc/group" || path == "/proc" || path.rfind("/proc/", 0) == 0 ||
           path == "/dev/termination-log";
}

// initd under `strace -f` (as PID 1: through `unshare --pid --fork --mount-proc`, so
// initd is PID 1 of a new namespace and strace still sees it).
Trace traced_run(Mode mode, std::vector<std::string> options, std::vector<std::string> command, int expected_code) {
    INFO("strace: '" STRACE_PATH "', unshare: '" UNSHARE_PATH "' (apt-get install strace util-linux)");
    REQUIRE(access(STRACE_PATH, X_OK) == 0);
    REQUIRE(access(UNSHARE_PATH, X_OK) == 0);
    char dir_template[] = "/tmp/initd-strace-XXXXXX";
    REQUIRE(mkdtemp(dir_template));
    std::string trace = std::string(dir_template) + "/trace";
    std::vector<std::string> wrapper = {STRACE_PATH, "-f", "-qq", "-o", trace, "-e", "trace=execve,open,openat,openat2", "--"};
    if (mode == Mode::pid1) wrapper.insert(wrapper.end(), {UNSHARE_PATH, "--pid", "--fork", "--mount-proc"});
    auto r = run(under(wrapper, initd_launch(Mode::subreaper, std::move(options), std::move(command))), 60000);
    INFO("stderr: " << r.err);
    CHECK(r.code == expected_code);
    Trace t = read_trace(trace);
    unlink(trace.c_str());
    rmdir(dir_template);
    return t;
}

}  // namespace

#if INITD_LIBC_MUSL
TEST_CASE("the static binary contains no allocator", "[resources]") {
    std::string binary = initd_path() + ".unstripped";
    REQUIRE(access(binary.c_str(), R_OK) == 0);
    // Defined (T, W, ...) or referenced (U): either way it would be reachable.
    std::istringstream symbols(command_output("nm " + binary));
    std::vector<std::string> found;
    std::size_t count = 0;
    bool saw_main = false;
    for (std::string line; std::getline(symbols, line);) {
        std::string name = line.substr(line.find_last_of(' ') + 1);
        ++count;
        saw_main |= name == "main";
        if (is_allocator(name)) found.push_back(line);
    }
    REQUIRE(saw_main);  // the symbol table is really there
    INFO("allocator symbols: " << Catch::Detail::stringify(found));
    CHECK(found.empty());
}

#if defined(__x86_64__)
TEST_CASE("the plain path touches no page of the large zeroed objects the services use", "[resources]") {
    // The service table, the listings, my_init's environment and dock's parts (over 100
    // KiB) are in .lbss, each on pages of its own (include/initd/large_bss.hpp): no page
    // of that range may be in memory while initd runs a plain child. (libc's and
    // initd's small variables come before it; where they end depends on the size of
    // the code, so they are not what this checks.)
    std::istringstream sections(command_output("readelf -SW " + initd_path()));
    unsigned long start = 0, size = 0;
    for (std::string line; std::getline(sections, line);) {
        std::istringstream words(line.substr(line.find(']') + 1));
        std::string name, type;
        if (words >> name >> type && name == ".lbss") words >> std::hex >> start >> std::hex >> size >> std::hex >> size;
    }
    REQUIRE(start != 0);
    REQUIRE(size > 100 * 1024);
    REQUIRE(start % 4096 == 0);
    Recorded r(Mode::subreaper);
    int pagemap = open(("/proc/" + std::to_string(r.process.pid()) + "/pagemap").c_str(), O_RDONLY | O_CLOEXEC);
    REQUIRE(pagemap >= 0);
    std::vector<unsigned long> present;
    for (unsigned long page = start; page < start + size; page += 4096) {
        std::uint64_t entry = 0;
        REQUIRE(pread(pagemap, &entry, sizeof entry, static_cast<off_t>(page / 4096 * sizeof entry)) == sizeof entry);
        if (entry >> 63) present.push_back(page);  // bit 63: the page is in memory
    }
    close(pagemap);
    INFO("pages in memory: " << Catch::Detail::stringify(present));
    CHECK(present.empty());
    r.finish();
}
#endif
#endif

TEST_CASE("initd keeps no descriptor beyond 0-2 while its child runs", "[resources]") {
    Mode mode = GENERATE(Mode::pid1, Mode::subreaper);
    INFO(mode_name(mode));
    Recorded r(mode);  // initd inherits the reporter's pipe as fd 3 and must close it
    Process& p = r.process;
    // The child reports before initd has surely closed fd 3: allow it a moment.
    std::set<std::string> fds;
    for (int attempt = 0; attempt < 200; ++attempt) {
        fds.clear();
        DIR* dir = opendir(("/proc/" + std::to_string(p.pid()) + "/fd").c_str());
        REQUIRE(dir);
        while (dirent* e = readdir(dir))
            if (e->d_name[0] != '.') fds.insert(e->d_name);
        closedir(dir);
        if (fds == std::set<std::string>{"0", "1", "2"}) break;
        usleep(10000);
    }
    CHECK(fds == std::set<std::string>{"0", "1", "2"});
    r.finish();
}

TEST_CASE("initd opens no files but /etc/passwd, /etc/group, /proc and, after a failure, /dev/termination-log",
          "[resources]") {
    Mode mode = GENERATE(Mode::pid1, Mode::subreaper);
    INFO(mode_name(mode));

    SECTION("a plain child that succeeds: nothing but /proc (the shutdown's look for leftovers)") {
        Trace t = traced_run(mode, {}, {helper("exit_with"), "0"}, 0);
        REQUIRE(t.saw_initd);
        INFO("initd opened " << Catch::Detail::stringify(t.initd_opens));
        CHECK(std::all_of(t.initd_opens.begin(), t.initd_opens.end(),
                          [](const std::string& path) { return path.rfind("/proc", 0) == 0; }));
    }
    SECTION("a plain child that fails: /proc, and /dev/termination-log once") {
        Trace t = traced_run(mode, {}, {helper("exit_with"), "5"}, 5);
        REQUIRE(t.saw_initd);
        INFO("initd opened " << Catch::Detail::stringify(t.initd_opens));
        CHECK(std::count(t.initd_opens.begin(), t.initd_opens.end(), "/dev/termination-log") == 1);
        CHECK(std::all_of(t.initd_opens.begin(), t.initd_opens.end(), allowed_to_open));
    }
    SECTION("--user: /etc/passwd and /etc/group, nothing else") {
        Trace t = traced_run(mode, {"--user", "nobody"}, {helper_for_anyone("exit_with"), "0"}, 0);
        REQUIRE(t.saw_initd);
        INFO("initd opened " << Catch::Detail::stringify(t.initd_opens));
        CHECK(std::count(t.initd_opens.begin(), t.initd_opens.end(), "/etc/passwd") >= 1);
        CHECK(std::count(t.initd_opens.begin(), t.initd_opens.end(), "/etc/group") >= 1);
        CHECK(std::all_of(t.initd_opens.begin(), t.initd_opens.end(), allowed_to_open));
    }
    SECTION("a shutdown with a process left over: only /proc") {
        // sh leaves `sleep` behind; initd's shutdown finds and ends it through /proc.
        Trace t = traced_run(mode, {"--grace", "5s"}, {"/bin/sh", "-c", "sleep 100 & exit 4"}, 4);
        REQUIRE(t.saw_initd);
        INFO("initd opened " << Catch::Detail::stringify(t.initd_opens));
        // As PID 1 that is kill(-1); as a subreaper, a walk down from initd's own
        // /proc/PID/task/PID/children.
        CHECK(std::count_if(t.initd_opens.begin(), t.initd_opens.end(),
                            [](const std::string& path) { return path.rfind("/proc", 0) == 0; }) >= 1);
        CHECK(std::all_of(t.initd_opens.begin(), t.initd_opens.end(), allowed_to_open));
    }
}

TEST_CASE("every signal is blocked before initd reads its options, so none is lost or fatal meanwhile",
          "[resources]") {
    // A usage error is the first thing initd says after reading its options: its write
    // must come after the mask that blocks every signal (README "How it works").
    REQUIRE(access(STRACE_PATH, X_OK) == 0);
    char dir_template[] = "/tmp/initd-strace-XXXXXX";
    REQUIRE(mkdtemp(dir_template));
    std::string trace = std::string(dir_template) + "/trace";
    auto r = run(under({STRACE_PATH, "-qq", "-o", trace, "-e", "trace=rt_sigprocmask,write", "--"},
                       initd_launch(Mode::subreaper, {"--no-such-option", "true"})));
    CHECK(r.code == 2);
    auto text = read_file(trace);
    REQUIRE(text);
    auto lines = lines_of(*text);
    auto first = [&](const std::string& call) {
        for (std::size_t i = 0; i < lines.size(); ++i)
            if (lines[i].rfind(call, 0) == 0) return static_cast<long>(i);
        return -1L;
    };
    long blocked = first("rt_sigprocmask(SIG_SETMASK, ~[]");
    long said = first("write(2,");
    INFO(*text);
    CHECK(blocked >= 0);
    CHECK(said > blocked);
    unlink(trace.c_str());
    rmdir(dir_template);
}
