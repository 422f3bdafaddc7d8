#include "initd/users.hpp"

#include <charconv>
#include <cstring>
#include <optional>

#include "initd/line_reader.hpp"

namespace initd {
namespace {

// The colon-separated fields of a passwd or group line.
template <std::size_t N>
bool split_fields(std::string_view line, std::array<std::string_view, N>& fields) {
    for (std::size_t i = 0; i < N; ++i) {
        auto colon = line.find(':');
        fields[i] = line.substr(0, colon);
        if (colon == std::string_view::npos) return i == N - 1;
        line.remove_prefix(colon + 1);
    }
    return true;
}

template <typename T>
std::optional<T> parse_id(std::string_view text) {
    unsigned long value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value > 0xFFFFFFFEul)
        return std::nullopt;
    return static_cast<T>(value);
}

struct PasswdEntry {
    char name[64];
    uid_t uid;
    gid_t gid;
    char home[200];
};

void copy(std::string_view from, char* to, std::size_t size) {
    std::size_t n = from.size() < size - 1 ? from.size() : size - 1;
    std::memcpy(to, from.data(), n);
    to[n] = '\0';
}

// The passwd entry whose name is `name`, or (when `by_id`) whose uid is `id`.
std::optional<PasswdEntry> find_passwd(const char* path, std::string_view name, std::optional<uid_t> by_id) {
    char buffer[4096];  // a longer line is skipped: no user or group entry initd can use
    LineReader reader(path, buffer);
    while (auto line = reader.next()) {
        std::array<std::string_view, 7> f;
        if (!split_fields(*line, f)) continue;
        auto uid = parse_id<uid_t>(f[2]);
        auto gid = parse_id<gid_t>(f[3]);
        if (!uid || !gid) continue;
        if (by_id ? *uid != *by_id : f[0] != name) continue;
        PasswdEntry e{};
        copy(f[0], e.name, sizeof e.name);
        e.uid = *uid;
        e.gid = *gid;
        copy(f[5], e.home, sizeof e.home);
        return e;
    }
    return std::nullopt;
}

std::optional<gid_t> find_group(const char* path, std::string_view name) {
    char buffer[4096];  // a longer line is skipped: no user or group entry initd can use
    LineReader reader(path, buffer);
    while (auto line = reader.next()) {
        std::array<std::string_view, 4> f;
        if (!split_fields(*line, f) || f[0] != name) continue;
        if (auto gid = parse_id<gid_t>(f[2])) return gid;
    }
    return std::nullopt;
}

bool has_member(std::string_view members, std::string_view user) {
    while (!members.empty()) {
        auto comma = members.find(',');
        if (members.substr(0, comma) == user) return true;
        if (comma == std::string_view::npos) break;
        members.remove_prefix(comma + 1);
    }
    return false;
}

bool add_group(Credentials& out, gid_t gid) {
    for (std::size_t i = 0; i < out.group_count; ++i)
        if (out.groups[i] == gid) return true;
    if (out.group_count == out.groups.size()) return false;
    out.groups[out.group_count++] = gid;
    return true;
}

// The primary group, then every group of /etc/group that lists `user` as a member.
bool collect_groups(const char* path, std::string_view user, Credentials& out, Text& error) {
    add_group(out, out.gid);
    char buffer[4096];  // a longer line is skipped: no user or group entry initd can use
    LineReader reader(path, buffer);
    while (auto line = reader.next()) {
        std::array<std::string_view, 4> f;
        if (!split_fields(*line, f) || !has_member(f[3], user)) continue;
        auto gid = parse_id<gid_t>(f[2]);
        if (gid && !add_group(out, *gid)) {
            error << "user '" << user << "' is in more than " << Credentials::kMaxGroups << " groups";
            return false;
        }
    }
    return true;
}

}  // namespace

bool resolve_user(std::string_view spec, Credentials& out, Text& error, UserFiles files) {
    auto colon = spec.find(':');
    std::string_view user = spec.substr(0, colon);
    std::string_view group = colon == std::string_view::npos ? std::string_view() : spec.substr(colon + 1);
    if (user.empty() || (colon != std::string_view::npos && group.empty())) {
        error << "bad user '" << spec << "': expected USER or USER:GROUP";
        return false;
    }

    out = Credentials{};
    auto numeric_uid = parse_id<uid_t>(user);
    auto entry = find_passwd(files.passwd, user, numeric_uid);
    if (!entry && !numeric_uid) {
        error << "unknown user '" << user << "' (not in " << files.passwd << ")";
        return false;
    }
    if (entry) {
        out.uid = entry->uid;
        out.gid = entry->gid;
        Text home;
        home << "HOME=" << (entry->home[0] ? entry->home : "/");
        copy(home.view(), out.home_variable, sizeof out.home_variable);
    } else {
        // A uid with no passwd entry runs with gid 0 and HOME=/, as `docker run -u UID` does.
        out.uid = *numeric_uid;
        out.gid = 0;
    }

    if (!group.empty()) {
        auto gid = parse_id<gid_t>(group);
        if (!gid) gid = find_group(files.group, group);
        if (!gid) {
            error << "unknown group '" << group << "' (not in " << files.group << ")";
            return false;
        }
        out.gid = *gid;
    }

    if (!entry) return add_group(out, out.gid);
    return collect_groups(files.group, entry->name, out, error);
}

}  // namespace initd
