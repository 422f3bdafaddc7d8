// The pure half of the web hook: the URL, /etc/hosts, and the request's bytes.
#include "initd/web_hook.hpp"

#include <sys/socket.h>
#include <cstring>

namespace initd {
namespace {

bool same_word(std::string_view a, std::string_view b) {  // ASCII case-insensitive
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if ((a[i] | 0x20) != (b[i] | 0x20)) return false;
    return true;
}

int hex_digit(char c) {
    unsigned lower = static_cast<unsigned char>(c) | 0x20;
    return c >= '0' && c <= '9' ? c - '0' : lower >= 'a' && lower <= 'f' ? static_cast<int>(lower - 'a' + 10) : -1;
}

// inet_pton's work at a third of musl's size: dotted quads without leading zeros, and
// IPv6 groups with at most one "::" (an IPv6 address ending in a dotted quad is not read).
bool parse_address(std::string_view s, int family, unsigned char* out) {
    std::memset(out, 0, 16);
    std::size_t i = 0;
    if (family == AF_INET) {
        for (int part = 0; part < 4; ++part) {
            unsigned value = 0, digits = 0;
            for (; i < s.size() && s[i] >= '0' && s[i] <= '9' && digits < 4; ++i, ++digits) value = value * 10 + (s[i] - '0');
            if (digits == 0 || value > 255 || (digits > 1 && s[i - digits] == '0')) return false;
            out[part] = static_cast<unsigned char>(value);
            if (part < 3 && (i == s.size() || s[i++] != '.')) return false;
        }
        return i == s.size();
    }
    unsigned groups[8];
    int count = 0, gap = -1;
    if (s.starts_with("::")) gap = 0, i = 2;
    while (i < s.size()) {
        unsigned value = 0, digits = 0;
        for (; i < s.size() && hex_digit(s[i]) >= 0 && digits < 5; ++i, ++digits) value = value * 16 + hex_digit(s[i]);
        if (digits == 0 || digits > 4 || count == 8) return false;
        groups[count++] = value;
        if (i == s.size()) break;
        if (s[i++] != ':' || i == s.size()) return false;
        if (s[i] == ':') {
            if (gap >= 0) return false;
            gap = count;
            ++i;
        }
    }
    if (gap < 0 ? count != 8 : count > 7) return false;
    for (int k = 0; k < count; ++k) {  // the groups after the gap go to the end
        int at = gap < 0 || k < gap ? k : 8 - count + k;
        out[2 * at] = static_cast<unsigned char>(groups[k] >> 8);
        out[2 * at + 1] = static_cast<unsigned char>(groups[k]);
    }
    return true;
}

// Writes what fits and counts everything, so that a first pass can measure the body.
struct Out {
    char* data;
    std::size_t capacity, length = 0;
    void put(std::string_view s) {
        if (length + s.size() <= capacity) std::memcpy(data + length, s.data(), s.size());
        length += s.size();
    }
    void put(unsigned long n, unsigned base) {
        char digits[20], *p = digits + sizeof digits;
        do *--p = "0123456789abcdef"[n % base];
        while (n /= base);
        put({p, static_cast<std::size_t>(digits + sizeof digits - p)});
    }
};

// As Go's encoding/json: the short escapes, \u00XX for other control characters and for
// < > & (its HTML-safe default), and U+FFFD for a byte that does not start valid UTF-8.
// (Overlong forms and surrogates are not told apart: interface names never hold them.)
void put_json_string(Out& out, std::string_view s) {
    out.put("\"");
    for (std::size_t i = 0; i < s.size(); ++i) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        std::size_t extra = c >= 0xF0 && c <= 0xF4 ? 3 : c >= 0xE0 && c <= 0xEF ? 2 : c >= 0xC2 && c <= 0xDF ? 1 : 0;
        if (c >= 0x80) {
            bool valid = extra > 0 && i + extra < s.size();
            for (std::size_t k = 1; valid && k <= extra; ++k) valid = (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
            if (!valid) {
                out.put("\\ufffd");
                continue;
            }
            out.put(s.substr(i, extra + 1));
            i += extra;
        } else if (c == '"' || c == '\\') {
            out.put("\\");
            out.put(s.substr(i, 1));
        } else if (c == '\n' || c == '\r' || c == '\t') {
            out.put(c == '\n' ? "\\n" : c == '\r' ? "\\r" : "\\t");
        } else if (c < 0x20 || c == '<' || c == '>' || c == '&') {
            out.put("\\u00");
            out.put(c >> 4, 16);
            out.put(c & 15, 16);
        } else {
            out.put(s.substr(i, 1));
        }
    }
    out.put("\"");
}

// As Go's net.IP.String(): dotted quad; IPv6 in lower-case hexadecimal, the first longest
// run of two or more zero groups written "::" (RFC 5952).
void put_address(Out& out, const unsigned char* a, bool v6) {
    out.put("\"");
    if (!v6) {
        for (int i = 0; i < 4; ++i) {
            if (i) out.put(".");
            out.put(a[i], 10);
        }
    } else {
        int best = -1, best_length = 1;
        for (int i = 0; i < 8;) {
            int j = i;
            while (j < 8 && a[2 * j] == 0 && a[2 * j + 1] == 0) ++j;
            if (j - i > best_length) best = i, best_length = j - i;
            i = j > i ? j : i + 1;
        }
        for (int i = 0; i < 8; ++i) {
            if (i == best) {
                out.put("::");
                if ((i += best_length) == 8) break;
            } else if (i) {
                out.put(":");
            }
            out.put(static_cast<unsigned long>(a[2 * i] << 8 | a[2 * i + 1]), 16);
        }
    }
    out.put("\"");
}

void put_body(Out& out, std::string_view status, std::span<const NetInterface> interfaces) {
    out.put("{\"ps\":{\"status\":");
    put_json_string(out, status);
    // Go writes an empty list as null.
    out.put(interfaces.empty() ? ",\"net_interfaces\":null" : ",\"net_interfaces\":[");
    for (const NetInterface& it : interfaces) {
        out.put(&it == interfaces.data() ? "{\"name\":" : ",{\"name\":");
        put_json_string(out, {it.name, strnlen(it.name, sizeof it.name)});
        if (it.has_ipv4) {
            out.put(",\"ipv4\":");
            put_address(out, it.ipv4, false);
        }
        if (it.has_ipv6) {
            out.put(",\"ipv6\":");
            put_address(out, it.ipv6, true);
        }
        out.put("}");
    }
    out.put(interfaces.empty() ? "}}" : "]}}");
}

}  // namespace

bool parse_hook_url(std::string_view url, HookTarget& out, Text& why) {
    out = HookTarget{};
    bool http = same_word(url.substr(0, 7), "http://");
    // One pass: the host ends at / ? or #, the path at #; the last ':' outside brackets
    // starts the port ("host:" is port 80, as in Go).
    const char *p = url.data() + (http ? 7 : url.size()), *end = url.data() + url.size();
    const char *host = p, *host_end = nullptr, *path_end = end, *colon = nullptr, *close = nullptr;
    bool bad = false;
    for (const char* c = url.data(); c < end; ++c) bad |= static_cast<unsigned char>(*c) <= ' ' || *c == 0x7f;
    for (; p < end && *p != '#'; ++p) {
        if (!host_end && (*p == '/' || *p == '?')) host_end = p;
        if (!host_end && *p == ':') colon = p;
        if (!host_end && *p == ']') close = p, colon = nullptr;
    }
    path_end = p;
    if (!host_end) host_end = path_end;
    out.host = {host, static_cast<std::size_t>(host_end - host)};
    out.path = {host_end, static_cast<std::size_t>(path_end - host_end)};
    bool bracket = host < host_end && *host == '[';
    const char* name_end = colon ? colon : host_end;
    if (bracket && close) out.name = {host + 1, static_cast<std::size_t>(close - host - 1)};
    else out.name = {host, static_cast<std::size_t>(name_end - host)};
    unsigned port = colon && colon + 1 < host_end ? 0 : 80;
    for (const char* c = colon ? colon + 1 : host_end; c < host_end; ++c)
        port = port < 65536 && *c >= '0' && *c <= '9' ? port * 10 + (*c - '0') : 65536;
    const char* problem = nullptr;
    if (same_word(url.substr(0, 8), "https://"))
        problem = "https needs TLS, which initd cannot do with libc alone: use http://";
    else if (!http)
        problem = "not http://HOST[:PORT][/PATH]";
    else if (url.size() > kMaxHookUrl)
        problem = "too long";
    else if (bad)
        problem = "a space or control character";
    else if (out.host.find('@') != std::string_view::npos)
        problem = "a user or password in the URL is not supported";
    else if (bracket && (!close || (close + 1 != host_end && close + 1 != colon)))
        problem = "an IPv6 address goes in brackets: [ADDRESS]:PORT";
    else if (port == 0 || port > 65535)
        problem = "bad port";
    else if (out.name.empty())
        problem = "no host";
    else if (bracket && !parse_address(out.name, AF_INET6, out.address))
        problem = "not an IPv6 address in the brackets";
    if (problem) {
        why << "web hook '" << url.substr(0, 200) << "': " << problem;  // the problem must fit
        return false;
    }
    out.port = static_cast<std::uint16_t>(port);
    if (bracket) {
        out.family = AF_INET6;
    } else if (parse_address(out.name, AF_INET, out.address)) {
        out.family = AF_INET;
    } else if (same_word(out.name, "localhost")) {
        static constexpr unsigned char loopback[4] = {127, 0, 0, 1};
        std::memcpy(out.address, loopback, 4);
        out.family = AF_INET;
    }
    return true;
}

bool parse_hosts_line(std::string_view line, HookTarget& target) {
    line = line.substr(0, line.find('#'));
    constexpr std::string_view blank = " \t\r";
    std::string_view address;
    for (;;) {
        std::size_t start = line.find_first_not_of(blank);
        if (start == std::string_view::npos) return false;
        line.remove_prefix(start);
        std::string_view word = line.substr(0, line.find_first_of(blank));
        line.remove_prefix(word.size());
        if (address.empty()) {
            address = word;
        } else if (same_word(word, target.name)) {
            // An address with a zone (fe80::1%eth0) is not read: no match.
            for (int family : {AF_INET, AF_INET6}) {
                if (parse_address(address, family, target.address)) {
                    target.family = family;
                    return true;
                }
            }
            return false;
        }
    }
}

bool find_in_hosts(std::string_view hosts, HookTarget& target) {
    while (!hosts.empty()) {
        std::size_t end = hosts.find('\n');
        if (parse_hosts_line(hosts.substr(0, end), target)) return true;
        hosts.remove_prefix(end == std::string_view::npos ? hosts.size() : end + 1);
    }
    return false;
}

std::size_t format_hook_request(std::string_view status, std::span<const NetInterface> interfaces,
                                const HookTarget& target, std::span<char> buffer) {
    auto head = [&](Out& out, std::size_t body) {
        out.put("PUT ");
        if (target.path.empty() || target.path[0] == '?') out.put("/");
        out.put(target.path);
        out.put(" HTTP/1.1\r\nHost: ");
        out.put(target.host);
        out.put("\r\nContent-Type: application/json\r\nContent-Length: ");
        out.put(body, 10);
        out.put("\r\nConnection: close\r\n\r\n");
    };
    // The body's length goes before it: measure first, dropping the last interfaces
    // until the whole request fits.
    std::size_t body_length;
    for (;;) {
        Out body{nullptr, 0}, whole{nullptr, 0};
        put_body(body, status, interfaces);
        head(whole, body_length = body.length);
        if (whole.length + body_length <= buffer.size() || interfaces.empty()) break;
        interfaces = interfaces.first(interfaces.size() - 1);
    }
    Out out{buffer.data(), buffer.size()};
    head(out, body_length);
    put_body(out, status, interfaces);
    return out.length <= buffer.size() ? out.length : 0;
}

}  // namespace initd
