// my_init's container environment: /etc/container_environment holds one file per
// variable, so that a startup script can set variables for everything started after it;
// container_environment.sh and .json are dumps of it for shells and other programs.
// Read and written byte for byte as baseimage-docker's my_init does, but for the
// differences the README lists ("my_init's container environment").
#pragma once

#include <cstddef>
#include <span>
#include <string_view>

#include "initd/text.hpp"

namespace initd::container_env {

struct Paths {
    const char* dir = "/etc/container_environment";
    const char* sh = "/etc/container_environment.sh";
    const char* json = "/etc/container_environment.json";
};

// add_missing at start: the process environment wins over the files. replace after a
// startup script: the environment is rebuilt from the files, so a variable whose file
// the script removed is gone (HOME USER GROUP UID GID SHELL and names no file can
// have are kept: my_init loses them).
enum class Import { add_missing, replace };

// everywhere at start: one file per variable in the directory, and both dumps.
// dumps_only after a startup script: the directory is what the script left.
enum class Export { everywhere, dumps_only };

// The environment children get: "NAME=VALUE" strings packed in one fixed buffer, in
// the order my_init's dumps list them (the process's order, then what was added).
// 66 KiB: give it static storage (it needs no constructor run there), not the stack.
class Environment {
public:
    static constexpr std::size_t kMaxVariables = 256;
    static constexpr std::size_t kMaxText = 64 * 1024;  // all "NAME=VALUE\0" strings together

    // Replaces everything with envp's variables; of two with one name the first wins, as
    // getenv finds it; entries with no name or no '=' are skipped. False when they do
    // not all fit (those that fit are kept).
    bool adopt(char** envp);

    // Adds NAME or replaces its value in place (the order keeps its place). False when
    // it does not fit (a replacement needs room for both strings for a moment), or for
    // a name that cannot be one (empty, '=' or NUL in it) or a NUL in the value.
    bool set(std::string_view name, std::string_view value);

    // The value of NAME, or null.
    const char* get(std::string_view name) const;

    // Null-terminated, for execve; valid until the next change.
    char** envp() { return vars_; }
    std::span<char* const> variables() const { return {vars_, count_}; }

private:
    friend bool import_directory(Environment&, const Paths&, Import, Text&);

    long find(std::string_view name) const;
    char* begin(std::string_view name, std::size_t value_size, long& old);
    void commit(const char* end, long old);
    void drop_text(std::size_t index);
    void remove(std::size_t index);
    const char* take_file(std::string_view name, int fd);
    void sort_from(std::size_t first);

    char* vars_[kMaxVariables + 1] = {};  // + the null that ends envp
    std::size_t count_ = 0;
    std::size_t used_ = 0;  // bytes of text_ the strings hold, from its start
    char text_[kMaxText] = {};  // zeros: a static Environment needs no constructor run
};

// Reads every regular file of paths.dir (one trailing newline dropped; "\r\n" and "\r"
// read as "\n", as Python reads text); new variables are added in byte order of their
// names. No directory: true, nothing done. False (and why) when a file cannot be read,
// holds a NUL or does not fit; the environment then holds part of the directory.
bool import_directory(Environment& env, const Paths& paths, Import how, Text& why);

// Writes the environment as my_init does. Files are truncated in place, so existing
// ones keep their mode and new ones get 0666 less the umask. No directory: nothing
// written, true. False (and why) at the first file that cannot be written.
bool export_environment(const Environment& env, const Paths& paths, Export what, Text& why);

}  // namespace initd::container_env
