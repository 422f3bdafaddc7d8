#include "initd/container_environment.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <dirent.h>
#include <unistd.h>
#include <utility>

#include "initd/directory.hpp"
#include "initd/log.hpp"

namespace initd::container_env {
namespace {

// Past the capacity; the check keeps the message true (cheaper than formatting it).
constexpr char kFull[] = "does not fit (256 variables, 64 KiB of text)";
static_assert(Environment::kMaxVariables == 256 && Environment::kMaxText == 64 * 1024);

// Every string of an Environment has its '='.
std::string_view name_of(const char* variable) { return {variable, std::strchr(variable, '=')}; }

// They describe whoever a process runs as (setuser sets them): my_init leaves them out
// of the directory and the shell dump, so that a dump never pins them for another user.
bool personal(std::string_view name) {
    // Each name after its length: a loop smaller than six comparisons.
    for (const char* p = "\4HOME\4USER\5GROUP\3UID\3GID\5SHELL"; *p; p += *p + 1)
        if (name.size() == std::size_t(*p) && std::memcmp(name.data(), p + 1, name.size()) == 0) return true;
    return false;
}

// Whether variable a's name comes before b's in byte order (the '=' ends a name).
bool before(const char* a, const char* b) {
    while (*a == *b && *a != '=') ++a, ++b;
    auto byte = [](const char* p) { return *p == '=' ? 0 : static_cast<unsigned char>(*p) + 1; };
    return byte(a) < byte(b);
}

// A name both a file and a variable can have (no '/', no '='): a variable of another
// name stays out of the directory, and a file of another name is no variable (my_init
// crashes on both).
bool fits_a_file(std::string_view name) {
    bool dots_only = true;
    for (char c : name) {
        if (c == '/' || c == '=') return false;
        dots_only = dots_only && c == '.';
    }
    // Not empty nor longer than a file name can be, and not "." or "..".
    return name.size() - 1 < 255 && !(dots_only && name.size() <= 2);
}

// Whether the variable has a file in the directory.
bool filed(std::string_view name) { return !personal(name) && fits_a_file(name); }

// "PATH[/NAME]: PROBLEM", errno's words by default.
bool failed(Text& why, const char* path, std::string_view name = {}, const char* problem = nullptr) {
    if (!problem) problem = log::errno_text(errno);
    why << path;
    if (!name.empty()) why << '/' << name;
    why << ": " << problem;
    return false;
}

// A file written through a small buffer: the dumps can be far larger than any Text.
class Output {
public:
    explicit Output(int fd) : fd_(fd), ok_(fd >= 0) {}
    void put(char c) {
        if (length_ == sizeof buffer_) flush();
        buffer_[length_++] = c;
    }
    void put(const char* s) {
        while (*s) put(*s++);
    }
    // Flushes and closes; false when anything failed (errno says why).
    bool finish() {
        flush();
        if (fd_ >= 0 && ::close(fd_) < 0) ok_ = false;
        return ok_;
    }

private:
    void flush() {
        ok_ = ok_ && log::write_all(fd_, {buffer_, length_});
        length_ = 0;
    }
    int fd_;
    bool ok_;
    std::size_t length_ = 0;
    char buffer_[512];
};

// As Python's open(path, "w"): truncated in place, so an existing file keeps its mode.
constexpr int kCreate = O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC;

// The code point at s[at], advancing `at`. A byte that starts no valid UTF-8 sequence
// is U+DC00 + byte, as Python's surrogateescape decodes the environment.
char32_t next_code_point(std::string_view s, std::size_t& at) {
    unsigned char lead = s[at++];
    if (lead < 0x80) return lead;
    int more = lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : lead >= 0xC2 ? 1 : 0;
    if (more == 0 || lead > 0xF4 || at + more > s.size()) return 0xDC00 + lead;
    char32_t c = lead & (0x3F >> more);
    for (int i = 0; i < more; ++i) {
        unsigned char next = s[at + i];
        if ((next & 0xC0) != 0x80) return 0xDC00 + lead;
        c = c << 6 | (next & 0x3F);
    }
    // Overlong forms, surrogates and what lies past Unicode are not UTF-8 either.
    constexpr char32_t kLeast[] = {0, 0x80, 0x800, 0x10000};
    if (c < kLeast[more] || (c >= 0xD800 && c < 0xE000) || c > 0x10FFFF) return 0xDC00 + lead;
    at += more;
    return c;
}

bool word(char32_t c) { return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || c == '_'; }

void put_hex4(Output& out, char32_t c) {
    out.put("\\u");
    for (int shift = 12; shift >= 0; shift -= 4) out.put("0123456789abcdef"[(c >> shift) & 0xF]);
}

// As Python's json.dumps writes a string (ensure_ascii).
void put_json(Output& out, std::string_view s) {
    // Pairs: a character, the letter of its short escape.
    constexpr std::string_view kShort = "\"\"\\\\\bb\ff\nn\rr\tt";
    out.put('"');
    for (std::size_t at = 0; at < s.size();) {
        char32_t c = next_code_point(s, at);
        std::size_t pair = 0;
        while (pair < kShort.size() && char32_t(kShort[pair]) != c) pair += 2;
        if (pair < kShort.size()) {
            out.put('\\');
            out.put(kShort[pair + 1]);
        } else if (c >= ' ' && c <= '~') {
            out.put(char(c));
        } else if (c >= 0x10000) {  // a surrogate pair
            put_hex4(out, 0xD800 + ((c - 0x10000) >> 10));
            put_hex4(out, 0xDC00 + ((c - 0x10000) & 0x3FF));
        } else {
            put_hex4(out, c);
        }
    }
    out.put('"');
}

// `export NAME=VALUE`: each character of NAME but [A-Za-z0-9_] becomes '_' (my_init's
// re.sub(r'\W', '_')); VALUE as Python's shlex.quote quotes it.
void put_shell_line(Output& out, std::string_view name, const char* value) {
    out.put("export ");
    for (std::size_t at = 0; at < name.size();) {
        char32_t c = next_code_point(name, at);
        out.put(word(c) ? char(c) : '_');
    }
    out.put('=');
    bool safe = *value;
    for (const char* c = value; *c; ++c) safe = safe && (word(*c) || std::strchr("@%+=:,./-", *c));
    if (safe) {
        out.put(value);
    } else {
        out.put('\'');
        for (const char* c = value; *c; ++c) *c == '\'' ? out.put("'\"'\"'") : out.put(*c);
        out.put('\'');
    }
    out.put('\n');
}

// A file for each variable that can have one, in the open directory `dir` (at `path`).
bool write_files(const Environment& env, int dir, const char* path, Text& why) {
    for (const char* variable : env.variables()) {
        std::string_view name = name_of(variable);
        if (!filed(name)) continue;
        Text file;  // NAME, NUL-terminated for openat
        file << name;
        Output out(::openat(dir, file.c_str(), kCreate, 0666));
        out.put(variable + name.size() + 1);
        if (!out.finish()) return failed(why, path, name);
    }
    return true;
}

enum class Dump { shell, json };

// container_environment.sh (a line for each variable but the personal ones) or .json (a
// JSON object as json.dumps writes it: ", " and ": " between, nothing after).
bool write_dump(const Environment& env, const char* path, Dump dump, Text& why) {
    Output out(::open(path, kCreate, 0666));
    const char* separator = "{";  // before the next name: the object's opening, then ", "
    for (const char* variable : env.variables()) {
        std::string_view name = name_of(variable);
        const char* value = variable + name.size() + 1;
        if (dump == Dump::shell) {
            if (!personal(name)) put_shell_line(out, name, value);
            continue;
        }
        out.put(separator);
        put_json(out, name);
        out.put(": ");
        put_json(out, value);
        separator = ", ";
    }
    if (dump == Dump::json) out.put(*separator == '{' ? "{}" : "}");  // still open when empty
    return out.finish() || failed(why, path);
}

}  // namespace

// --- Environment: strings packed at the start of text_, vars_ pointing at them. ---

long Environment::find(std::string_view name) const {
    for (std::size_t i = 0; i < count_; ++i)
        if (std::strncmp(vars_[i], name.data(), name.size()) == 0 && vars_[i][name.size()] == '=')
            return static_cast<long>(i);
    return -1;
}

// Writes "NAME=" after the strings; returns where the value goes (with room for
// `value_size` bytes and a NUL), or null when it does not fit. `old`: NAME's index, or -1.
char* Environment::begin(std::string_view name, std::size_t value_size, long& old) {
    old = find(name);
    if (name.empty() || name.size() + value_size + 2 > kMaxText - used_ || (old < 0 && count_ == kMaxVariables))
        return nullptr;
    char* s = text_ + used_;
    std::memcpy(s, name.data(), name.size());
    s[name.size()] = '=';
    return s + name.size() + 1;
}

// The string begun by begin() and ending at `end` (its NUL) becomes a variable: in the
// place of the one of its name (`old`), or last.
void Environment::commit(const char* end, long old) {
    char* added = text_ + used_;
    used_ = static_cast<std::size_t>(end + 1 - text_);
    vars_[count_] = added;  // in the slot of the final null: it moves with the others
    if (old < 0) {
        vars_[++count_] = nullptr;
        return;
    }
    drop_text(static_cast<std::size_t>(old));
    vars_[old] = vars_[count_];
    vars_[count_] = nullptr;
}

// Takes the string of vars_[index] out of text_; the strings after it move down.
void Environment::drop_text(std::size_t index) {
    char* gone = vars_[index];
    std::size_t length = std::strlen(gone) + 1;
    std::memmove(gone, gone + length, static_cast<std::size_t>(text_ + used_ - (gone + length)));
    used_ -= length;
    for (std::size_t i = 0; i <= count_; ++i)
        if (vars_[i] > gone) vars_[i] -= length;
}

void Environment::remove(std::size_t index) {
    drop_text(index);
    for (std::size_t i = index; i < count_; ++i) vars_[i] = vars_[i + 1];  // with the final null
    --count_;
}

bool Environment::adopt(char** envp) {
    count_ = used_ = 0;
    vars_[0] = nullptr;
    bool ok = true;
    for (char** e = envp; e && *e; ++e) {
        const char* equals = std::strchr(*e, '=');
        if (!equals || equals == *e) continue;  // no '=' or no name: no variable
        // set() without its checks: an entry holds no NUL and its name no '='.
        long old;
        std::size_t value_size = std::strlen(equals + 1);
        char* value = begin({*e, equals}, value_size, old);
        if (old >= 0) continue;  // a second one of the name (what begin() wrote is left unused)
        if (value) {
            std::memcpy(value, equals + 1, value_size + 1);
            commit(value + value_size, old);
        }
        ok = value && ok;
    }
    return ok;
}

bool Environment::set(std::string_view name, std::string_view value) {
    long old;
    char* s = begin(name, value.size(), old);
    if (!s) return false;
    std::memcpy(s, value.data(), value.size());
    s[value.size()] = '\0';
    // Written first, checked after: a NUL anywhere, or an '=' in the name, cuts it short.
    if (std::strlen(text_ + used_) != name.size() + 1 + value.size() || name_of(text_ + used_).size() != name.size())
        return false;
    commit(s + value.size(), old);
    return true;
}

const char* Environment::get(std::string_view name) const {
    long i = find(name);
    return i < 0 ? nullptr : vars_[i] + name.size() + 1;
}

// Reads the open file `fd` as the value of `name` (read straight into the free text,
// no buffer of its own); null, or what went wrong.
const char* Environment::take_file(std::string_view name, int fd) {
    long old;
    char* value = begin(name, 0, old);
    if (!value) return kFull;
    std::size_t room = static_cast<std::size_t>(text_ + kMaxText - value);  // with the byte of the final NUL
    std::size_t length = 0;
    for (;;) {
        ssize_t n = ::read(fd, value + length, room - length);
        if (n < 0 && errno == EINTR) continue;
        // A link to a directory is no variable, as a subdirectory is not.
        if (n < 0) return errno == EISDIR ? nullptr : log::errno_text(errno);
        if (n == 0) break;
        length += static_cast<std::size_t>(n);
        if (length == room) return kFull;
    }
    // Python reads text with universal newlines: "\r\n" and a lone "\r" become "\n".
    std::size_t kept = 0;
    for (std::size_t i = 0; i < length; ++i) {
        char c = value[i];
        if (c == '\0') return "a NUL byte cannot be in a variable";
        if (c == '\r') {
            c = '\n';
            if (i + 1 < length && value[i + 1] == '\n') ++i;
        }
        value[kept++] = c;
    }
    if (kept > 0 && value[kept - 1] == '\n') --kept;  // the one trailing newline an editor adds
    value[kept] = '\0';
    commit(value + kept, old);
    return nullptr;
}

// Insertion sort, small and enough for 256: my_init adds new files in sorted order.
void Environment::sort_from(std::size_t first) {
    for (std::size_t i = first + 1; i < count_; ++i)
        for (std::size_t j = i; j > first && before(vars_[j], vars_[j - 1]); --j)
            std::swap(vars_[j], vars_[j - 1]);
}

// --- The directory and the dumps. ---

bool import_directory(Environment& env, const Paths& paths, Import how, Text& why) {
    int dir = ::open(paths.dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir < 0) return errno == ENOENT || failed(why, paths.dir);
    if (how == Import::replace) {
        for (std::size_t i = 0; i < env.count_;) {
            std::string_view name = name_of(env.vars_[i]);
            if (filed(name))
                env.remove(i);
            else
                ++i;
        }
    }
    std::size_t first_new = env.count_;
    alignas(8) char buffer[2048];
    long listed = for_each_entry(dir, buffer, [&](const LinuxDirent64& entry) {
        std::string_view name = entry.d_name;
        // No subdirectory, FIFO (it would hang the start) or device is a variable.
        if (!fits_a_file(name) || (entry.d_type != DT_REG && entry.d_type != DT_LNK && entry.d_type != DT_UNKNOWN))
            return true;
        if (how == Import::add_missing && env.find(name) >= 0) return true;
        int fd = ::openat(dir, entry.d_name, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
        if (fd < 0) return failed(why, paths.dir, name);
        const char* problem = env.take_file(name, fd);
        ::close(fd);
        return !problem || failed(why, paths.dir, name, problem);
    });
    bool ok = listed == 0 || (listed < 0 && failed(why, paths.dir));
    ::close(dir);
    env.sort_from(first_new);
    return ok;
}

bool export_environment(const Environment& env, const Paths& paths, Export what, Text& why) {
    int dir = ::open(paths.dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir < 0) return errno == ENOENT || failed(why, paths.dir);
    bool ok = what == Export::dumps_only || write_files(env, dir, paths.dir, why);
    ::close(dir);
    return ok && write_dump(env, paths.sh, Dump::shell, why) && write_dump(env, paths.json, Dump::json, why);
}

}  // namespace initd::container_env
