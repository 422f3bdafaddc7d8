// The services' state machine without processes or real time: a fake ServiceOps records
// what the table asks for, and the test plays the clock and the children's deaths.
#include <catch2/catch.hpp>

#include <csignal>
#include <string>
#include <sys/wait.h>
#include <vector>

#include "initd/service_table.hpp"

using namespace initd;
using namespace initd::services;

namespace {

int exited(int code) { return code << 8; }          // a wait status: exit(code)
int killed(int sig) { return sig; }                  // a wait status: killed by sig

struct FakeOps : ServiceOps {
    std::int64_t now = 10000;
    pid_t next_pid = 100;
    bool refuse = false;                    // start() fails (exec impossible)
    std::vector<std::string> started;       // "NAME/run", "NAME/log", "NAME/finish 3 0"
    std::vector<std::pair<pid_t, int>> signals;
    std::vector<runit::Status> published;
    ServiceTable* table = nullptr;
    int released_count = 0;

    pid_t start(int service, Which which, const int* finish) override {
        std::string what = std::string(table->at(service).name) + (which == Which::run ? "/" : "/log/");
        what += finish ? "finish " + std::to_string(finish[0]) + " " + std::to_string(finish[1]) : "run";
        started.push_back(what);
        return refuse ? -1 : next_pid++;
    }
    void signal(pid_t pid, int sig) override { signals.emplace_back(pid, sig); }
    std::int64_t now_ms() override { return now; }
    void wall_now(std::int64_t& sec, std::uint32_t& nsec) override {
        sec = now / 1000;
        nsec = 0;
    }
    void publish(int, Which, const runit::Status& status) override { published.push_back(status); }
    void released(int) override { ++released_count; }
};

struct Fixture {
    FakeOps ops;
    ServiceTable& table;
    static ServiceTable& fresh() {
        static ServiceTable t;
        t = ServiceTable{};
        return t;
    }
    Fixture() : table(fresh()) {
        table.bind(ops);
        ops.table = &table;
    }
};

}  // namespace

TEST_CASE("services start in table order, each logger before its service", "[services]") {
    Fixture f;
    f.table.add("a", true, false, false, true, true);
    f.table.add("b", false, false, false, true, false);
    f.table.add("c", false, false, false, false, false);  // ./down: not started
    f.table.start_wanted();
    CHECK(f.ops.started == std::vector<std::string>{"a/log/run", "a/run", "b/run"});
    const Service& a = f.table.at(0);
    CHECK(a.run.state == runit::State::run);
    CHECK(a.run.pid == 101);
    CHECK(a.log.pid == 100);
    CHECK(f.ops.published.back().pid == 102);
}

TEST_CASE("a new service is published by refresh, once its files are in place", "[services]") {
    Fixture f;
    f.table.add("a", true, false, false, false, true);
    CHECK(f.ops.published.empty());
    f.table.refresh(0);
    REQUIRE(f.ops.published.size() == 2);  // run, then its logger
    CHECK_FALSE(f.ops.published[0].want_up);
    CHECK(f.ops.published[1].want_up);
    CHECK(f.ops.published[1].state == runit::State::down);
}

TEST_CASE("a service that exits is started again, no sooner than a second after its last start", "[services]") {
    Fixture f;
    f.table.add("a", false, false, false, true, false);
    f.table.start_wanted();
    f.ops.now += 5000;  // ran 5 s: restarted at once
    CHECK(f.table.on_exit(100, exited(1)));
    CHECK(f.ops.started.size() == 2);
    CHECK(f.table.at(0).run.pid == 101);
    f.ops.now += 200;  // ran 0.2 s: runit's pause
    CHECK(f.table.on_exit(101, exited(1)));
    CHECK(f.ops.started.size() == 2);
    CHECK(f.table.at(0).run.state == runit::State::down);
    CHECK(f.table.timeout_ms() == 800);
    f.ops.now += 799;
    f.table.on_deadlines();
    CHECK(f.ops.started.size() == 2);
    f.ops.now += 1;
    f.table.on_deadlines();
    CHECK(f.ops.started.size() == 3);
    CHECK(f.table.timeout_ms() == -1);
}

TEST_CASE("a run that cannot be started is tried again every second, not in a loop", "[services]") {
    Fixture f;
    f.ops.refuse = true;
    f.table.add("a", false, false, false, true, false);
    f.table.start_wanted();
    CHECK(f.ops.started.size() == 1);
    CHECK(f.table.at(0).run.state == runit::State::down);
    CHECK(f.ops.published.back().want_up);
    CHECK(f.table.timeout_ms() == 1000);
    f.ops.now += 1000;
    f.table.on_deadlines();
    CHECK(f.ops.started.size() == 2);
}

TEST_CASE("finish runs with the exit code, or -1 and the signal, then run again", "[services]") {
    Fixture f;
    f.table.add("a", false, true, false, true, false);
    f.table.start_wanted();
    f.ops.now += 5000;
    f.table.on_exit(100, exited(3));
    CHECK(f.ops.started.back() == "a/finish 3 0");
    CHECK(f.table.at(0).run.state == runit::State::finish);
    f.table.on_exit(101, exited(0));
    CHECK(f.ops.started.back() == "a/run");
    f.ops.now += 5000;
    f.table.on_exit(102, killed(SIGKILL));
    CHECK(f.ops.started.back() == "a/finish -1 9");
}

TEST_CASE("sv down sends TERM then CONT, and the service stays down", "[services]") {
    Fixture f;
    f.table.add("a", false, false, false, true, false);
    f.table.start_wanted();
    CHECK(f.table.control(0, Which::run, 'd'));
    CHECK(f.ops.signals == std::vector<std::pair<pid_t, int>>{{100, SIGTERM}, {100, SIGCONT}});
    CHECK(f.ops.published.back().got_term);
    CHECK_FALSE(f.ops.published.back().want_up);
    f.ops.now += 5000;
    f.table.on_exit(100, killed(SIGTERM));
    CHECK(f.ops.started.size() == 1);
    CHECK(f.table.at(0).run.state == runit::State::down);
    CHECK_FALSE(f.table.at(0).run.got_term);
    CHECK(f.table.control(0, Which::run, 'u'));
    CHECK(f.ops.started.size() == 2);
}

TEST_CASE("sv once starts a down service and does not restart it", "[services]") {
    Fixture f;
    f.table.add("a", false, false, false, false, false);
    f.table.start_wanted();
    CHECK(f.ops.started.empty());
    f.table.control(0, Which::run, 'o');
    CHECK(f.ops.started.size() == 1);
    f.ops.now += 5000;
    f.table.on_exit(100, exited(0));
    CHECK(f.ops.started.size() == 1);
}

TEST_CASE("the signal letters reach the running program", "[services]") {
    Fixture f;
    f.table.add("a", true, false, false, true, true);
    f.table.start_wanted();  // log 100, run 101
    for (char c : std::string("hai12qk")) CHECK(f.table.control(0, Which::run, c));
    CHECK(f.table.control(0, Which::log, 'h'));
    std::vector<std::pair<pid_t, int>> want = {{101, SIGHUP},  {101, SIGALRM}, {101, SIGINT}, {101, SIGUSR1},
                                               {101, SIGUSR2}, {101, SIGQUIT}, {101, SIGKILL}, {100, SIGHUP}};
    CHECK(f.ops.signals == want);
    CHECK_FALSE(f.table.control(0, Which::run, 'z'));
    f.table.control(0, Which::run, 'p');
    CHECK(f.ops.signals.back() == std::pair<pid_t, int>{101, SIGSTOP});
    CHECK(f.ops.published.back().paused);
    f.table.control(0, Which::run, 'c');
    CHECK(f.ops.signals.back() == std::pair<pid_t, int>{101, SIGCONT});
    CHECK_FALSE(f.ops.published.back().paused);
}

TEST_CASE("shutdown: services first, loggers after them, SIGKILL for what stays", "[services]") {
    Fixture f;
    f.table.add("a", true, false, false, true, true);  // log 100, run 101
    f.table.add("b", false, false, false, true, false);  // run 102
    f.table.start_wanted();
    f.table.stop_all(Which::run);
    CHECK(f.ops.signals == std::vector<std::pair<pid_t, int>>{{101, SIGTERM}, {101, SIGCONT}, {102, SIGTERM}, {102, SIGCONT}});
    CHECK_FALSE(f.table.services_down());
    f.table.on_exit(101, killed(SIGTERM));
    CHECK_FALSE(f.table.services_down());
    f.table.kill_all();
    CHECK(f.ops.signals.back() == std::pair<pid_t, int>{102, SIGKILL});
    f.table.on_exit(102, killed(SIGKILL));
    CHECK(f.table.services_down());
    CHECK_FALSE(f.table.all_down());
    f.table.stop_all(Which::log);
    f.table.on_exit(100, exited(0));
    CHECK(f.table.all_down());
    CHECK(f.ops.started.size() == 3);  // nothing restarted
}

TEST_CASE("a service whose directory went away is stopped, then its row is free", "[services]") {
    Fixture f;
    f.table.add("a", false, false, false, true, false);
    f.table.start_wanted();
    f.table.remove(0);
    CHECK(f.ops.signals.front() == std::pair<pid_t, int>{100, SIGTERM});
    CHECK(f.table.find("a") == 0);
    f.table.on_exit(100, killed(SIGTERM));
    CHECK(f.ops.released_count == 1);
    CHECK(f.table.find("a") == -1);
    CHECK(f.ops.started.size() == 1);
}

TEST_CASE("the table holds 64 services and says when it is full", "[services]") {
    Fixture f;
    for (int i = 0; i < kMaxServices; ++i) CHECK(f.table.add(std::to_string(i).c_str(), false, false, false, true, false) == i);
    CHECK(f.table.add("one-more", false, false, false, true, false) == -1);
}

TEST_CASE("signals for every running service skip loggers and finish scripts", "[services]") {
    Fixture f;
    f.table.add("a", true, true, false, true, true);  // log 100, run 101
    f.table.add("b", false, false, false, true, false);  // run 102
    f.table.start_wanted();
    f.ops.now += 5000;
    f.table.on_exit(101, exited(0));  // a's finish runs as 103
    f.table.signal_running(SIGUSR1);
    CHECK(f.ops.signals == std::vector<std::pair<pid_t, int>>{{102, SIGUSR1}});
}

TEST_CASE("sv up and sv once start at once, even within runit's pause", "[services]") {
    Fixture f;
    f.table.add("a", false, false, false, true, false);
    f.table.start_wanted();
    f.table.control(0, Which::run, 'd');
    f.ops.now += 100;
    f.table.on_exit(100, killed(SIGTERM));
    f.table.control(0, Which::run, 'u');
    CHECK(f.ops.started.size() == 2);
    f.table.control(0, Which::run, 'd');
    f.ops.now += 100;
    f.table.on_exit(101, killed(SIGTERM));
    f.table.control(0, Which::run, 'o');
    CHECK(f.ops.started.size() == 3);
}
