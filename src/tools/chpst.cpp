// runit's chpst: change the process state, then exec. The steps run in runit's order
// (setsid, envdir, chroot, nice, -U, -u, lock, closing 0-2, limits), with runit's
// messages ("chpst: fatal: ...", exit 111; usage, exit 100).
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "initd/directory.hpp"
#include "initd/log.hpp"
#include "initd/runit_cli.hpp"
#include "initd/spawn.hpp"
#include "initd/tools.hpp"
#include "initd/users.hpp"

namespace initd::tools {
namespace {

// "chpst: LEVEL: WHAT[: ARG][: error]" on stderr.
void say(const char* level, const char* what, const char* arg, int err) {
    Text t;
    t << "chpst: " << level << what;
    if (arg) t << ": " << arg;
    if (err) t << ": " << runit::error_text(err);
    t << '\n';
    log::write_all(STDERR_FILENO, t.view());
}

[[noreturn]] void fatal(const char* what, const char* arg, int err) {
    say("fatal: ", what, arg, err);
    _exit(111);
}
// Most failures are a call's: its errno goes with the line.
[[noreturn]] void die(const char* what, const char* arg = nullptr) { fatal(what, arg, errno); }

constexpr char kUsage[] =
    "usage: chpst [-vVP012] [-u user[:group]] [-U user[:group]] [-b argv0] [-e dir] [-/ root] "
    "[-n nice] [-l|-L lock] [-m n] [-d n] [-o n] [-p n] [-f n] [-c n] [-t n] prog\n\n";
[[noreturn]] void usage() { runit::usage(kUsage); }

// A whole word of digits (none is 0), else usage.
long number(const char* s) {
    long n = static_cast<long>(runit::scan_ulong(s));
    if (*s) usage();
    return n;
}

// runit's user[:group] for -u and -U: a name from /etc/passwd (not a uid) with its
// primary group or the named one, and that group alone; or ":UID:GID[:GID]...".
void account(const char* spec, Credentials& user) {
    if (*spec == ':') {
        const char* p = spec + 1;
        user.uid = static_cast<uid_t>(runit::scan_ulong(p));
        if (*p != ':') fatal("invalid uid/gids", spec + 1, 0);
        user.group_count = 0;
        do {
            gid_t gid = static_cast<gid_t>(runit::scan_ulong(++p));
            if (user.group_count < Credentials::kMaxGroups) user.groups[user.group_count++] = gid;
        } while (*p == ':');
        if (*p) fatal("invalid uid/gids", spec + 1, 0);
        user.gid = user.groups[0];
        return;
    }
    Text ignored;
    const char* p = spec;
    while (*p >= '0' && *p <= '9') ++p;
    if (*p == ':' || !*p || !resolve_user(spec, user, ignored)) fatal("unknown user/group", spec, 0);
    user.groups[0] = user.gid;
    user.group_count = 1;
}

// runit's envdir: a variable per file, its first line with trailing blanks cut and NULs
// made newlines; an empty file removes the variable. Values live in `store`.
[[gnu::noinline]]  // inlined in chpst, gcc made the binary 64 bytes larger
void envdir(const char* dir, runit::Env& env, char* store, std::size_t room, bool verbose) {
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) die("unable to switch to directory", dir);
    alignas(8) char buffer[2048];
    for_each_entry(fd, buffer, [&](const LinuxDirent64& entry) {
        const char* name = entry.d_name;
        if (*name == '.') return true;
        Text what;  // runit: no colon between the words and the file
        what << "unable to read " << dir << '/' << name;
        std::size_t len = std::strlen(name);
        if (room < len + 3) fatal("out of memory.", nullptr, 0);
        int file = openat(fd, name, O_RDONLY | O_CLOEXEC);
        ssize_t got = file < 0 ? -1 : read(file, store + len + 1, room - len - 2);
        int err = errno;
        if (file >= 0) close(file);
        if (got < 0) {
            if (err != EISDIR) fatal(what.c_str(), nullptr, err);
            if (verbose) say("warning: ", what.c_str(), nullptr, err);
            return true;
        }
        std::memcpy(store, name, len);
        char* value = store + len + 1;
        char* end = value + got;
        if (got) {
            end = static_cast<char*>(std::memchr(value, '\n', static_cast<std::size_t>(got)));
            if (!end) end = value + got;
            while (end > value && (end[-1] == ' ' || end[-1] == '\t')) --end;
            for (char* c = value; c < end; ++c)
                if (!*c) *c = '\n';
            store[len] = '=';
        } else {
            store[len] = '\0';  // "NAME" alone: removed
        }
        *end = '\0';
        if (!env.put(store)) fatal("out of memory.", nullptr, 0);
        room -= static_cast<std::size_t>(end + 1 - store);
        store = end + 1;
        return true;
    });
    close(fd);
}

// The limit options and the resources they set (-m sets four).
constexpr char kLimitLetters[] = "dopfcrt";
constexpr unsigned char kLimitResources[] = {RLIMIT_DATA, RLIMIT_NOFILE, RLIMIT_NPROC, RLIMIT_FSIZE,
                                             RLIMIT_CORE, RLIMIT_RSS, RLIMIT_CPU};

}  // namespace

int chpst(int, char** argv, char** envp) {
    // The options as tables: a word-valued one is a slot of `word`, a flag one of `flag`,
    // a limit one of `limits` (by resource), so that parsing is three lookups.
    static constexpr char kWords[] = "uUbe/lLn", kFlags[] = "vP012";
    enum { set_user, env_user, argv0, dir, root_word, lock_wait, lock_now, nice_word };
    enum { verbose, new_session, close_0 };
    const char* word[sizeof kWords - 1] = {};
    bool flag[sizeof kFlags - 1] = {};
    long limits[RLIM_NLIMITS];
    for (long& l : limits) l = -1;  // -1: leave alone

    runit::Getopt opt;
    for (int c; (c = opt.next(argv, "u:U:b:e:m:d:o:p:f:c:r:t:/:n:l:L:vP012V", "chpst", kUsage));) {
        const char* v = opt.value;
        if (const char* w = std::strchr(kWords, c)) {
            if ((c == 'l' || c == 'L') && (word[lock_wait] || word[lock_now])) usage();  // one lock at most
            word[w - kWords] = v;
        } else if (const char* f = std::strchr(kFlags, c)) {
            flag[f - kFlags] = true;
        } else if (const char* l = std::strchr(kLimitLetters, c)) {
            limits[kLimitResources[l - kLimitLetters]] = number(v);
        } else if (c == 'm') {
            limits[RLIMIT_DATA] = limits[RLIMIT_STACK] = limits[RLIMIT_MEMLOCK] = limits[RLIMIT_AS] = number(v);
        } else {  // -V: initd has no runit version to show
            usage();
        }
    }
    const char* lock = word[lock_wait] ? word[lock_wait] : word[lock_now];
    long nice = 0;
    if (const char* n = word[nice_word]) nice = *n == '-' ? -number(n + 1) : number(n + (*n == '+'));
    char** command = argv + opt.index;
    if (!*command) usage();

    runit::Env env(envp);
    char store[65536];  // envdir's values
    if (flag[new_session]) syscall(SYS_setsid);  // (raw: see terminal.cpp)
    if (word[dir]) envdir(word[dir], env, store, sizeof store, flag[verbose]);
    if (const char* root = word[root_word]) {
        if (syscall(SYS_chdir, root) < 0) die("unable to change directory", root);
        if (syscall(SYS_chroot, ".") < 0) die("unable to change root directory");
    }
    if (nice) {
        long now = 20 - syscall(SYS_getpriority, long{PRIO_PROCESS}, 0L);  // the kernel's 40..1 is nice -20..19
        if (syscall(SYS_setpriority, long{PRIO_PROCESS}, 0L, now + nice) < 0) die("unable to set nice level");
    }
    Credentials user;
    Text ids;  // "GID=...\0UID=...": in the environment until exec
    if (word[env_user]) {
        account(word[env_user], user);
        ids << "GID=" << static_cast<unsigned long>(user.gid) << '\0' << "UID=" << static_cast<unsigned long>(user.uid);
        const char* gid_var = ids.c_str();
        env.put(gid_var);
        env.put(gid_var + std::strlen(gid_var) + 1);
    }
    if (word[set_user]) {
        account(word[set_user], user);
        if (const char* call = become_user(user)) {
            Text why;
            why << "unable to " << call;
            die(why.c_str());
        }
    }
    if (lock) {
        // Not close-on-exec: the lock is the command's to hold.
        int fd = open(lock, O_WRONLY | O_NONBLOCK | O_APPEND | O_CREAT, 0600);
        if (fd < 0) die("unable to open lock", lock);
        if (syscall(SYS_flock, long{fd}, long{word[lock_wait] ? LOCK_EX : LOCK_EX | LOCK_NB}) < 0)
            die("unable to lock", lock);
    }
    for (int fd = 0; fd < 3; ++fd)
        if (flag[close_0 + fd] && close(fd) < 0) {
            Text why;
            why << "unable to close std" << (fd == 0 ? "in" : fd == 1 ? "out" : "err");
            die(why.c_str());
        }
    for (int r = 0; r < RLIM_NLIMITS; ++r) {
        if (limits[r] < 0) continue;
        rlimit l;
        if (syscall(SYS_prlimit64, 0L, long{r}, nullptr, &l) < 0) die("unable to getrlimit()");
        l.rlim_cur = static_cast<rlim_t>(limits[r]) > l.rlim_max ? l.rlim_max : static_cast<rlim_t>(limits[r]);
        if (syscall(SYS_prlimit64, 0L, long{r}, &l, nullptr) < 0) die("unable to setrlimit()");
    }
    const char* file = *command;
    if (word[argv0]) *command = const_cast<char*>(word[argv0]);
    int err = exec_search(file, command, env.entries, envp);
    fatal("unable to run", *command, err);
}

}  // namespace initd::tools
