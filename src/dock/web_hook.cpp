// The pure half of the web hook: the URL, /etc/hosts, and the request's bytes.
#include "initd/web_hook.hpp"

#include <arpa/inet.h>
#include <cstring>

#include "initd/line_reader.hpp"

namespace initd {
namespace {

bool same_word(std::string_view a, std::string_view b) {  // ASCII case-insensitive
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if ((a[i] | 0x20) != (b[i] | 0x20)) return false;
    return true;
}

// A numeric address of either family into `to` (keeping its port). musl's inet_pton,
// which --io links anyway; it wants a terminated string.
bool numeric(std::string_view s, HookTarget& t) {
    char text[48] = {};
    if (s.size() >= sizeof text) return false;
    std::memcpy(text, s.data(), s.size());
    // IPv6 first: a failed IPv4 parse may leave bytes in what is sin6_flowinfo.
    if (inet_pton(AF_INET6, text, &t.to.v6.sin6_addr) == 1) t.to.any.sa_family = AF_INET6;
    else if (inet_pton(AF_INET, text, &t.to.v4.sin_addr) == 1) t.to.any.sa_family = AF_INET;
    return t.to.any.sa_family != 0;
}

// Writes what fits and counts everything, so that a write that did not fit can be undone.
// (C strings, not views: a call with a literal costs two instructions.)
struct Out {
    char* data;
    std::size_t capacity, length = 0;
    void add(const char* s, std::size_t n) {
        if (length + n <= capacity) std::memcpy(data + length, s, n);
        length += n;
    }
    void put(const char* s) { add(s, std::strlen(s)); }
    void put(char c) { add(&c, 1); }
    void put(unsigned n, unsigned base) {
        char digits[12], *p = digits + sizeof digits;
        do *--p = "0123456789abcdef"[n % base];
        while (n /= base);
        add(p, static_cast<std::size_t>(digits + sizeof digits - p));
    }
};

// As Go's net.IP.String(): dotted quad; IPv6 in lower-case hexadecimal, the first longest
// run of two or more zero groups written "::" (RFC 5952).
void put_address(Out& out, const char* key, const unsigned char* a, bool v6) {
    out.put(key);
    int n = v6 ? 8 : 4, best = n, best_length = 1;
    for (int i = 0; v6 && i < 8; ++i) {
        int j = i;
        while (j < 8 && a[2 * j] == 0 && a[2 * j + 1] == 0) ++j;
        if (j - i > best_length) best = i, best_length = j - i;
    }
    for (int i = 0; i < n; ++i) {
        if (i == best) {
            out.put("::");
            i += best_length - 1;
            continue;
        }
        if (i && i != best + best_length) out.put(v6 ? ':' : '.');
        out.put(v6 ? a[2 * i] << 8 | a[2 * i + 1] : a[i], v6 ? 16 : 10);
    }
    out.put('"');
}

}  // namespace

bool parse_hook_url(std::string_view url, HookTarget& out, Text& why) {
    out = HookTarget{};
    const char* problem = "not http://HOST[:PORT][/PATH]";
    bool bad = url.size() > kMaxHookUrl || !same_word(url.substr(0, 7), "http://");
    for (char c : url) bad |= static_cast<unsigned char>(c) <= ' ' || c == 0x7f;
    if (same_word(url.substr(0, 8), "https://")) {
        problem = "https needs TLS, which initd cannot do with libc alone: use http://";
        bad = true;
    }
    // The host ends at / or ?, the path at #; a ':' after the host or its ']' starts the
    // port ("host:" is port 80, as in Go).
    std::string_view rest = bad ? "" : url.substr(7, url.find('#') - 7);
    out.host = rest.substr(0, rest.find_first_of("/?"));
    out.path = rest.substr(out.host.size());
    std::string_view name = out.host;
    std::size_t colon = name.rfind(':');
    unsigned port = 80;
    if (colon != name.npos && (!name.starts_with('[') || name[colon - 1] == ']')) {
        port = colon + 1 < name.size() ? 0 : 80;
        for (char c : name.substr(colon + 1)) port = port < 65536 && c >= '0' && c <= '9' ? port * 10 + (c - '0') : 65536;
        name = name.substr(0, colon);
    }
    if (name.size() > 1 && name.starts_with('[') && name.ends_with(']')) name = name.substr(1, name.size() - 2);
    out.name = name;
    if (bad || name.empty() || port - 1 > 65534) {
        why << "web hook '" << url.substr(0, 200) << "': " << problem;  // the problem must fit
        return false;
    }
    out.to.v4.sin_port = htons(static_cast<std::uint16_t>(port));  // the same place in both
    if (!numeric(name, out) && same_word(name, "localhost")) {
        out.to.any.sa_family = AF_INET;
        out.to.v4.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    }
    return true;
}

bool parse_hosts_line(std::string_view line, HookTarget& target) {
    line = line.substr(0, line.find('#'));
    std::string_view address;
    for (std::size_t i = 0, start = 0; i <= line.size(); ++i) {
        if (i < line.size() && static_cast<unsigned char>(line[i]) > ' ') continue;
        std::string_view word = line.substr(start, i - start);
        start = i + 1;
        if (word.empty()) continue;
        if (address.empty()) address = word;
        // An address with a zone (fe80::1%eth0) is not read: no match.
        else if (same_word(word, target.name)) return numeric(address, target);
    }
    return false;
}

bool find_in_hosts(const char* path, HookTarget& target) {
    char buffer[1024];
    LineReader hosts(path, buffer);
    while (auto line = hosts.next())
        if (parse_hosts_line(*line, target)) return true;
    return false;
}

std::size_t format_hook_request(const char* status, std::span<const NetInterface> interfaces,
                                const HookTarget& target, std::span<char> buffer) {
    Out out{buffer.data(), buffer.size()};
    out.put("PUT ");
    if (!target.path.starts_with('/')) out.put('/');
    out.add(target.path.data(), target.path.size());
    out.put(" HTTP/1.1\r\nHost: ");
    out.add(target.host.data(), target.host.size());
    out.put("\r\nContent-Type: application/json\r\nContent-Length: ");
    // The body's length goes before it: the body is written after room for the rest of
    // the head (a length of up to 4 digits), then moved up to it.
    constexpr const char* tail = "\r\nConnection: close\r\n\r\n";
    std::size_t head = out.length, body = out.length += 4 + std::strlen(tail);
    out.put("{\"ps\":{\"status\":\"");
    out.put(status);
    // Go writes an empty list as null.
    out.put(interfaces.empty() ? "\",\"net_interfaces\":null}}" : "\",\"net_interfaces\":[");
    for (const NetInterface& it : interfaces) {
        std::size_t before = out.length;
        out.put(&it == interfaces.data() ? "{\"name\":\"" : ",{\"name\":\"");
        // Interface names are short ASCII: only quotes, backslashes and control
        // characters need escaping.
        for (std::size_t i = 0; i < sizeof it.name && it.name[i]; ++i) {
            unsigned char c = static_cast<unsigned char>(it.name[i]);
            if (c == '"' || c == '\\') out.put('\\');
            if (c < 0x20) {
                out.put(c < 0x10 ? "\\u000" : "\\u001");
                out.put(c & 15, 16);
            } else {
                out.put(static_cast<char>(c));
            }
        }
        out.put('"');
        if (it.has_ipv4) put_address(out, ",\"ipv4\":\"", it.ipv4, false);
        if (it.has_ipv6) put_address(out, ",\"ipv6\":\"", it.ipv6, true);
        out.put('}');
        if (out.length + 3 > out.capacity) {  // no room for this one and the end
            out.length = before;
            break;
        }
    }
    if (!interfaces.empty()) out.put("]}}");
    std::size_t end = out.length;
    if (end > out.capacity) return 0;
    out.length = head;
    out.put(static_cast<unsigned>(end - body), 10);
    out.put(tail);
    std::memmove(out.data + out.length, out.data + body, end - body);
    return out.length + end - body;
}

}  // namespace initd
