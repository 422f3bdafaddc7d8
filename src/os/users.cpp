#include "initd/users.hpp"

#include <cstring>

#include "initd/line_reader.hpp"

namespace initd {
namespace {

constexpr std::size_t kPasswdFields = 7, kGroupFields = 4;
using Fields = std::string_view[kPasswdFields];

// A passwd or group file, entry by entry.
class Entries {
public:
    explicit Entries(const char* path) : reader_(path, buffer_) {}

    // The colon-separated fields of the next line that has at least `count` of them
    // (lines with fewer are no entry: comments, garbage); false at the end.
    bool next(Fields& f, std::size_t count) {
        while (auto line = reader_.next()) {
            std::string_view rest = *line;
            std::size_t i = 0;
            for (; i < count; ++i) {
                auto colon = rest.find(':');
                f[i] = rest.substr(0, colon);
                if (colon == std::string_view::npos) break;
                rest.remove_prefix(colon + 1);
            }
            if (i + 1 >= count) return true;
        }
        return false;
    }

private:
    char buffer_[4096];  // a longer line is skipped: no user or group entry initd can use
    LineReader reader_;
};

// A uid or gid: digits only, none past 4294967294 ((uid_t)-1 is no id).
bool parse_id(std::string_view text, unsigned& id) {
    unsigned long long value = 0;
    for (char c : text) {
        if (c < '0' || c > '9') return false;
        value = value * 10 + static_cast<unsigned>(c - '0');
        if (value > 0xFFFFFFFEu) return false;
    }
    id = static_cast<unsigned>(value);
    return !text.empty();
}

// The bytes of `from` that fit `to` (of `size` bytes) with a NUL after them.
void copy(std::string_view from, char* to, std::size_t size) {
    std::size_t n = from.size() < size - 1 ? from.size() : size - 1;
    std::memcpy(to, from.data(), n);
    to[n] = '\0';
}

// The first passwd entry named `name`, or (when `by_id`) with the uid `id`: its uid, gid
// and home in `out`, its name in `found_name`.
bool find_passwd(const char* path, std::string_view name, bool by_id, uid_t id, Credentials& out,
                 char (&found_name)[64]) {
    Entries entries(path);
    Fields f;
    while (entries.next(f, kPasswdFields)) {
        uid_t uid;
        gid_t gid;
        if (!parse_id(f[2], uid) || !parse_id(f[3], gid) || (by_id ? uid != id : f[0] != name)) continue;
        copy(f[0], found_name, sizeof found_name);
        out.uid = uid;
        out.gid = gid;
        // An empty home field leaves the default "HOME=/". (At most 199 bytes of it.)
        if (!f[5].empty()) copy(f[5], out.home_variable + 5, 200);
        return true;
    }
    return false;
}

bool find_group(const char* path, std::string_view name, gid_t& gid) {
    Entries entries(path);
    Fields f;
    while (entries.next(f, kGroupFields))
        if (f[0] == name && parse_id(f[2], gid)) return true;
    return false;
}

bool has_member(std::string_view members, std::string_view user) {
    for (;;) {
        auto comma = members.find(',');
        if (members.substr(0, comma) == user) return true;
        if (comma == std::string_view::npos) return false;
        members.remove_prefix(comma + 1);
    }
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
    Entries entries(path);
    Fields f;
    while (entries.next(f, kGroupFields)) {
        gid_t gid;
        if (has_member(f[3], user) && parse_id(f[2], gid) && !add_group(out, gid)) {
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
    uid_t numeric_uid = 0;
    bool by_id = parse_id(user, numeric_uid);
    char name[64];  // the entry's, for its memberships
    bool found = find_passwd(files.passwd, user, by_id, numeric_uid, out, name);
    if (!found) {
        if (!by_id) {
            error << "unknown user '" << user << "' (not in " << files.passwd << ")";
            return false;
        }
        // A uid with no passwd entry runs with gid 0 and HOME=/, as `docker run -u UID` does.
        out.uid = numeric_uid;
    }

    if (!group.empty() && !parse_id(group, out.gid) && !find_group(files.group, group, out.gid)) {
        error << "unknown group '" << group << "' (not in " << files.group << ")";
        return false;
    }

    if (!found) return add_group(out, out.gid);
    return collect_groups(files.group, name, out, error);
}

}  // namespace initd
