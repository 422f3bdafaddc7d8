// USER[:GROUP] -> uid, gid, supplementary groups and home, read from /etc/passwd and
// /etc/group directly: a static binary has no NSS, and scratch images ship only those.
#pragma once

#include <array>
#include <cstddef>
#include <string_view>
#include <sys/types.h>

#include "initd/text.hpp"

namespace initd {

struct Credentials {
    static constexpr std::size_t kMaxGroups = 256;

    uid_t uid = 0;
    gid_t gid = 0;
    std::array<gid_t, kMaxGroups> groups{};
    std::size_t group_count = 0;
    char home_variable[256] = "HOME=/";  // what the child's HOME becomes
};

struct UserFiles {
    const char* passwd = "/etc/passwd";
    const char* group = "/etc/group";
};

// Fills `out`; on failure says why in `error` ("unknown user 'bob' in /etc/passwd").
bool resolve_user(std::string_view spec, Credentials& out, Text& error, UserFiles files = {});

}  // namespace initd
