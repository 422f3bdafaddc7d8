// The application the host-side Docker tests run under initd (or tini, or nothing) in a
// scratch image. Static: the image has no libc. Every mode writes one line on stdout
// once it is set up ("ready ..."), which the test reads from `docker run`'s output
// before it signals or inspects the container.
//
//   app exit N          exit with status N
//   app killself SIG    die of signal SIG
//   app sleep           default dispositions, wait for ever (SIGTERM kills it, unless
//                       it is PID 1, where the kernel ignores it)
//   app ignore-term     ignore SIGTERM and SIGINT, wait for ever
//   app record          print "signal N" for every signal; exit 100+N on TERM, INT, QUIT
//   app orphans COUNT   make COUNT orphans, wait until all have exited, say how many the
//                       parent of this app (initd) adopted, wait for ever
//   app eat             touch ever more memory, 1 MiB at a time, until killed
//   app whoami          print uid, gid, groups and HOME, exit 0
//   app pid1            print PID 1's comm, the size of PID 1's executable and our
//                       parent's pid, exit 0
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "orphans.hpp"

namespace {

void say(const std::string& line) {
    std::string text = line + "\n";
    (void)!write(1, text.data(), text.size());
}

[[noreturn]] void wait_for_ever() {
    for (;;) pause();
}

int die_of(int sig) {
    signal(sig, SIG_DFL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    kill(getpid(), sig);
    pause();
    return 100;
}

int record() {
    sigset_t all;
    sigfillset(&all);
    sigprocmask(SIG_SETMASK, &all, nullptr);
    say("ready record");
    for (;;) {
        int sig = sigwaitinfo(&all, nullptr);
        if (sig < 0) continue;
        say("signal " + std::to_string(sig));
        if (sig == SIGTERM || sig == SIGINT || sig == SIGQUIT) return 100 + sig;
    }
}

// Orphans whose adoption by the app's parent (initd) is checked by each of them.
int orphans(int count) {
    int made = 0;
    int adopted = helpers::make_adopted_orphans(count, getppid(), made);
    say("orphans " + std::to_string(made) + " adopted " + std::to_string(adopted));
    wait_for_ever();
}

int whoami() {
    gid_t groups[64];
    int n = getgroups(64, groups);
    std::string list;
    for (int i = 0; i < n; ++i) list += (i ? "," : "") + std::to_string(groups[i]);
    const char* home = getenv("HOME");
    say("uid " + std::to_string(getuid()) + " gid " + std::to_string(getgid()) + " groups " + list +
        " home " + (home ? home : "-"));
    return 0;
}

int pid1() {
    char comm[64] = "?";
    if (FILE* f = fopen("/proc/1/comm", "r")) {
        if (fgets(comm, sizeof comm, f)) comm[strcspn(comm, "\n")] = '\0';
        fclose(f);
    }
    struct stat st{};
    long long size = stat("/proc/1/exe", &st) == 0 ? static_cast<long long>(st.st_size) : -1;
    say(std::string("pid1 comm ") + comm + " exe_size " + std::to_string(size) + " ppid " +
        std::to_string(getppid()));
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    std::string mode = argc > 1 ? argv[1] : "";
    int n = argc > 2 ? std::atoi(argv[2]) : 0;
    if (mode == "exit") return n;
    if (mode == "killself") return die_of(n);
    if (mode == "sleep") {
        say("ready sleep");
        wait_for_ever();
    }
    if (mode == "ignore-term") {
        signal(SIGTERM, SIG_IGN);
        signal(SIGINT, SIG_IGN);
        say("ready ignore-term");
        wait_for_ever();
    }
    if (mode == "record") return record();
    if (mode == "orphans") return orphans(n);
    if (mode == "eat") {
        // Never freed, every page written: the cgroup's limit must be reached.
        for (;;) {
            char* block = static_cast<char*>(std::malloc(1 << 20));
            if (!block) return 1;
            std::memset(block, 1, 1 << 20);
        }
    }
    if (mode == "whoami") return whoami();
    if (mode == "pid1") return pid1();
    fprintf(stderr, "app: unknown mode '%s'\n", mode.c_str());
    return 64;
}
