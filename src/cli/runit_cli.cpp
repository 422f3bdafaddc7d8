#include "initd/runit_cli.hpp"

#include <cerrno>
#include <cstring>
#include <string.h>
#include <unistd.h>

#include "initd/duration.hpp"
#include "initd/log.hpp"

namespace initd::runit {
namespace {

// The errnos a service directory, a FIFO or an exec gives in practice, in runit's
// words; one string with NULs between, to spare a pointer per entry.
constexpr unsigned char kErrnos[] = {ENOENT, ENXIO, EACCES, EPERM, ENOTDIR, EISDIR, EIO, EAGAIN, ENOEXEC, ELOOP};
constexpr char kWords[] =
    "file does not exist\0device not configured\0access denied\0permission denied\0"
    "not a directory\0is a directory\0input/output error\0temporary failure\0"
    "exec format error\0symbolic link loop";

// runit's sv reads a word by its first letter, except the words spelled out here, which
// come first ("s..." is status unless it is one of them). One entry: the word, ':', the
// letters for supervise/control, and '-' (no waiting), 'w' (wait) or 'k' (wait, then
// SIGKILL at the timeout); a word of one letter stands for every word it begins.
constexpr char kSvWords[] =
    "try-restart:tcw check:Cw shutdown:xw start:uw stop:dw restart:tcuw reload:hw "
    "force-reload:tck force-restart:tcuk force-shutdown:xk force-stop:dk "
    "x:x- e:x- X:xk E:xk D:dk T:tck s:s- ";

}  // namespace

const char* error_text(int err) {
    const char* word = kWords;
    for (unsigned char e : kErrnos) {
        if (e == err) return word;
        word += std::strlen(word) + 1;
    }
    return log::errno_text(err);
}

void usage(const char* line) {
    log::write_all(STDERR_FILENO, line);
    _exit(100);
}

unsigned long scan_ulong(const char*& s) {
    unsigned long n = 0;
    while (*s >= '0' && *s <= '9') n = n * 10 + static_cast<unsigned long>(*s++ - '0');
    return n;
}

int Getopt::next(char** argv, const char* spec, Text& complaint) {
    char* arg = argv[index];
    if (!at) {
        if (!arg || arg[0] != '-' || !arg[1]) return 0;
        ++at;
        if (arg[1] == '-' && !arg[2]) {
            ++index;
            at = 0;
            return 0;
        }
    }
    char c = arg[at++];
    const char* known = c == ':' ? nullptr : std::strchr(spec, c);
    if (!arg[at]) {
        ++index;
        at = 0;
    }
    const char* why = "illegal option -- ";
    if (known && known[1] == ':') {
        value = at ? arg + at : argv[index];
        if (value) {
            ++index;
            at = 0;
            return c;
        }
        why = "option requires an argument -- ";
    } else if (known) {
        return c;
    }
    complaint << why << c << '\n';
    return '?';
}

int Getopt::next(char** argv, const char* spec, const char* tool, const char* usage_line) {
    Text complaint;
    complaint << tool << ": ";
    int c = next(argv, spec, complaint);
    if (c == '?') {
        log::write_all(STDERR_FILENO, complaint.view());
        usage(usage_line);
    }
    return c;
}

bool Env::put(const char* entry) {
    std::size_t name = ::strchrnul(entry, '=') - entry;
    for (std::size_t i = 0; i < count; ++i)
        if (std::strncmp(entries[i], entry, name) == 0 && entries[i][name] == '=') {
            entries[i] = entries[--count];
            break;
        }
    if (entry[name]) {
        if (count == kCapacity) return false;
        entries[count++] = const_cast<char*>(entry);  // exec takes char* const*
    }
    entries[count] = nullptr;
    return true;
}

bool sv_action(const char* word, SvAction& out) {
    if (!*word) return false;
    out = {};
    for (const char* entry = kSvWords; *entry;) {
        const char* colon = std::strchr(entry, ':');
        const char* end = std::strchr(colon, ' ');
        std::size_t len = static_cast<std::size_t>(colon - entry);
        // The whole word, or its first letter for an entry of one letter.
        bool match = std::strncmp(word, entry, len) == 0 && (len == 1 || !word[len]);
        entry = end + 1;
        if (!match) continue;
        std::memcpy(out.letters, colon + 1, static_cast<std::size_t>(end - colon - 2));
        out.wait = end[-1] != '-';
        out.kill = end[-1] == 'k';
        return true;
    }
    if (!std::strchr("tcudophaikq12", word[0])) return false;
    out.letters[0] = word[0];
    return true;
}

void format_status(Text& out, const char* name, const Status& s, long long now, bool normally_up) {
    const char* state = "down: \0run: \0finish: ";  // by State: words, not pointers to them
    for (int n = static_cast<int>(s.state); n > 0; --n) state = next_word(state);
    out << state << name << ": ";
    if (s.state != State::down) out << "(pid " << s.pid << ") ";
    out << (now < s.since_sec ? 0 : now - s.since_sec) << 's';
    bool pid = s.pid != 0;
    if (pid && !normally_up) out << ", normally down";
    if (!pid && normally_up) out << ", normally up";
    if (pid && s.paused) out << ", paused";
    if (!pid && s.want_up) out << ", want up";
    if (pid && !s.want_up) out << ", want down";
    if (pid && s.got_term) out << ", got TERM";
}

}  // namespace initd::runit
