// libFuzzer target: argv, the environment and argv[0]'s personality -> parse_options.
//
// Input layout: byte 0 picks argv[0] (a personality name, with or without a path,
// or the first argument string itself); the rest is split at the first 0x01 byte
// into the argument part and the environment part, each a list of NUL-separated
// strings. Every string is its own heap block, so ASan sees any read past its end.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "initd/duration.hpp"
#include "initd/options.hpp"

namespace {

std::vector<std::string> split(std::string_view data) {
    std::vector<std::string> parts;
    if (data.empty()) return parts;
    std::size_t start = 0;
    for (;;) {
        auto nul = data.find('\0', start);
        parts.emplace_back(data.substr(start, nul - start));
        if (nul == std::string_view::npos) return parts;
        start = nul + 1;
    }
}

// Exactly-sized copies: a read one byte past a string's NUL is a heap overflow.
struct CStrings {
    std::vector<std::unique_ptr<char[]>> blocks;
    std::vector<char*> pointers;
    explicit CStrings(const std::vector<std::string>& strings) {
        for (const auto& s : strings) {
            blocks.emplace_back(new char[s.size() + 1]);
            std::memcpy(blocks.back().get(), s.c_str(), s.size() + 1);
            pointers.push_back(blocks.back().get());
        }
        pointers.push_back(nullptr);
    }
    bool owns(const char* p) const {
        for (std::size_t i = 0; i < blocks.size(); ++i) {
            const char* b = blocks[i].get();
            if (p >= b && p <= b + std::strlen(b)) return true;
        }
        return false;
    }
};

void ignore(std::string_view) {}

// Says which invariant broke before aborting (the fuzzer's report shows no line).
void check_at(bool ok, int line) {
    if (ok) return;
    std::fprintf(stderr, "fuzz_options.cpp:%d: invariant broken\n", line);
    std::abort();
}
#define check(ok) check_at((ok), __LINE__)

constexpr const char* kNames[] = {"initd", "tini", "/sbin/tini", "docker-init", "tini-static",
                                  "/usr/bin/dumb-init", "catatonit", "./initd"};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
    std::size_t pick = data[0] % (std::size(kNames) + 1);

    auto split_at = input.find('\x01');
    std::vector<std::string> args = split(input.substr(0, split_at));
    std::vector<std::string> env =
        split_at == std::string_view::npos ? std::vector<std::string>{} : split(input.substr(split_at + 1));
    if (pick < std::size(kNames)) args.insert(args.begin(), kNames[pick]);

    CStrings argv(args), envp(env);
    int argc = static_cast<int>(args.size());
    initd::Config config;
    initd::ParseResult r = initd::parse_options(argc, argv.pointers.data(), envp.pointers.data(), config);

    // What main() relies on after a parse.
    switch (r.action) {
    case initd::Action::run:
        check(r.error.empty());
        if (config.pause) {
            check(config.command == nullptr);
        } else {
            check(config.command != nullptr);
            // An empty command (argv's terminating null) only when services run without one.
            check(config.command >= argv.pointers.data() + (argc > 0) && config.command <= argv.pointers.data() + argc);
            check(config.command[0] != nullptr || config.services != nullptr);
            check(config.command[argc - (config.command - argv.pointers.data())] == nullptr);
        }
        break;
    case initd::Action::usage_error:
    case initd::Action::bad_value:
    case initd::Action::refuse:
        check(!r.error.empty());
        break;
    default:
        break;
    }
    check(config.grace_ms <= initd::kMaxDurationMs && config.kill_after_ms <= initd::kMaxDurationMs);
    for (auto ms : config.delay_ms) check(ms <= initd::kMaxDurationMs);
    check(config.pdeathsig >= 0 && config.pdeathsig <= initd::kSignalMax);
    for (int s = 1; s <= initd::kSignalMax; ++s) {
        int to = config.rewrite.apply(s);
        check(to >= 0 && to <= initd::kSignalMax);
    }
    if (config.setsid && r.action == initd::Action::run) check(config.process_group);
    // --user keeps a pointer into argv or the environment: it must still be a string there.
    if (config.user) check(argv.owns(config.user) || envp.owns(config.user));
    if (config.called_as) check(std::strlen(config.called_as) < 1u << 20);

    initd::format_help(config, ignore);
    initd::format_version(config, ignore);
    return 0;
}
