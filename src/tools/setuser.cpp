// phusion baseimage-docker's setuser: USER's groups, gid and uid, USER, HOME and UID set
// in the environment and nothing else changed (not even the working directory), then
// exec: setuser supervises nothing. Every failure is one line and exit 1, as there.
#include <cerrno>
#include <cstring>
#include <string_view>

#include "initd/log.hpp"
#include "initd/runit_cli.hpp"
#include "initd/spawn.hpp"
#include "initd/tools.hpp"
#include "initd/users.hpp"

namespace initd::tools {

int setuser(int argc, char** argv, char** envp) {
    if (argc < 3) {
        log::write_all(2, "Usage: /sbin/setuser USERNAME COMMAND [args..]\n");
        return 1;
    }
    Text line;
    line << "setuser: ";
    const char* name = argv[1];
    const char* p = name;
    while (*p >= '0' && *p <= '9') ++p;
    Credentials user;
    // resolve_user's complaint (unused: phusion's words are said instead), then, once
    // resolve_user has succeeded and left it empty, "UID=...\0USER=...".
    Text vars;
    // phusion looks a name up with getpwnam only: a uid or USER:GROUP names nobody.
    if (!*p || std::strchr(name, ':') || !resolve_user(name, user, vars)) {
        line << "user " << name << " not found\n";
    } else if (const char* call = become_user(user)) {
        line << call << ": " << log::errno_text(errno) << '\n';
    } else {
        runit::Env env(envp);
        // UID first in the buffer: a name too long for it cuts only itself.
        vars << "UID=" << static_cast<unsigned long>(user.uid) << '\0' << "USER=" << name;
        const char* uid_var = vars.c_str();
        env.put(uid_var + std::strlen(uid_var) + 1);
        env.put(user.home_variable);
        env.put(uid_var);
        int err = exec_search(argv[2], argv + 2, env.entries, env.entries);
        // Python's words for the OSError that os.execvp raised.
        line << "cannot execute " << argv[2] << ": [Errno " << err << "] " << log::errno_text(err) << '\n';
    }
    log::write_all(2, line.view());
    return 1;
}

}  // namespace initd::tools
