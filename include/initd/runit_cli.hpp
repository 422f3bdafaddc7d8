// The pure parts of the one-shot tools (setuser, chpst, sv: tools.hpp): runit's option
// scanner, runit's words for an errno, the environment edit runit's chpst makes, what an
// `sv` command word means, and sv's status line. No system call here but usage()'s:
// unit-tested.
#pragma once

#include <cstddef>

#include "initd/runit_status.hpp"
#include "initd/text.hpp"

namespace initd::runit {

// runit's words for an errno ("file does not exist"), which sv and chpst print where
// libc would say "No such file or directory"; log::errno_text for the rarer ones.
const char* error_text(int err);

// `line` on stderr, then exit 100: sv's and chpst's usage.
[[noreturn]] void usage(const char* line);

// runit's scan_ulong: the number the leading digits of `s` make (none: 0); `s` is left
// on the first other character.
unsigned long scan_ulong(const char*& s);

// runit's getopt: options end at the first word that is not one, or after "--"; "-w5",
// "-w 5" and "-vw5" are the same. A bad option writes "PROG: illegal option -- c" (or
// "option requires an argument") to `complaint` and returns '?'; 0 at the end.
struct Getopt {
    int index = 1;        // the next argument to read; after the end, the first operand
    const char* value{};  // the option's argument
    int at = 0;           // position inside a bundle like "-vw5"
    int next(char** argv, const char* spec, Text& complaint);
    // The same, but a bad option ends the tool as runit's do: "TOOL: " and the
    // complaint on stderr, then usage(usage_line). Never returns '?'.
    int next(char** argv, const char* spec, const char* tool, const char* usage_line);
};

// An environment being edited the way runit's pathexec_env does it, so that chpst's
// result is runit's to the order: "NAME=VALUE" replaces the first NAME (the last entry
// moves into its place) and is appended; "NAME" alone removes it.
struct Env {
    static constexpr std::size_t kCapacity = 2048;
    char* entries[kCapacity + 1];
    std::size_t count = 0;
    explicit Env(char** envp) {
        while (envp && *envp && count < kCapacity) entries[count++] = *envp++;
        entries[count] = nullptr;
    }
    bool put(const char* entry);  // false when full
};

// What an `sv` command word asks for: the letters written to supervise/control (or 'C'
// for check, 's' for status), whether to wait for the result, whether a timeout ends in
// SIGKILL (the force- commands).
struct SvAction {
    char letters[4];
    bool wait;
    bool kill;
};
// False for a word sv does not know (sv then prints its usage). As runit, only some
// words must be spelled out: "u", "up" and "upper" all mean up.
bool sv_action(const char* word, SvAction& out);

// "run: NAME: (pid 12) 5s, normally down" (no newline): runit's words for `status` at
// unix time `now`, for a service whose down file exists (`normally_up` false) or not.
void format_status(Text& out, const char* name, const Status& s, long long now, bool normally_up);

}  // namespace initd::runit
