// The pure half of the web hook: the URL, /etc/hosts, and the request's bytes.
#include "initd/web_hook.hpp"

#include <bit>
#include <cstring>

#include "initd/line_reader.hpp"

namespace initd {
namespace {

// `s` starts with the `n` bytes at `p`, ASCII case-insensitive.
bool starts(std::string_view s, const char* p, std::size_t n) {
    if (s.size() < n) return false;
    for (std::size_t i = 0; i < n; ++i)
        if ((s[i] | 0x20) != (p[i] | 0x20)) return false;
    return true;
}

// htons without a call (musl's is a function).
std::uint16_t big_endian16(unsigned n) {
    auto v = static_cast<std::uint16_t>(n);
    return std::endian::native == std::endian::big ? v : __builtin_bswap16(v);
}

int hex_digit(char c) {
    unsigned lower = static_cast<unsigned char>(c) | 0x20;
    return c >= '0' && c <= '9' ? c - '0' : lower >= 'a' && lower <= 'f' ? static_cast<int>(lower - 'a' + 10) : -1;
}

// inet_pton's work at about half of musl's size: dotted quads without leading zeros, and
// IPv6 groups with at most one "::" (an IPv6 address ending in a dotted quad is not read).
bool parse_address(std::string_view s, int family, unsigned char* out) {
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
    int count = 0, gap = -1;  // groups read; the group before which "::" stands
    if (s.starts_with("::")) gap = 0, i = 2;
    while (i < s.size()) {
        unsigned value = 0, digits = 0;
        for (int d; i < s.size() && (d = hex_digit(s[i])) >= 0 && digits < 5; ++i, ++digits) value = value * 16 + d;
        if (digits == 0 || digits > 4 || count == 8) return false;
        out[2 * count] = static_cast<unsigned char>(value >> 8);
        out[2 * count++ + 1] = static_cast<unsigned char>(value);
        if (i == s.size()) break;
        if (s[i++] != ':' || i == s.size()) return false;
        if (s[i] == ':') {
            if (gap >= 0) return false;
            gap = count;
            ++i;
        }
    }
    if (gap < 0 ? count != 8 : count > 7) return false;
    if (gap >= 0) {  // the groups after the gap go to the end, zeros before them
        std::size_t after = 2 * static_cast<std::size_t>(count - gap);
        std::memmove(out + 16 - after, out + 2 * gap, after);
        std::memset(out + 2 * gap, 0, 16 - 2 * static_cast<std::size_t>(count));
    }
    return true;
}

// A numeric address of either family into `t.to` (keeping its port).
bool numeric(std::string_view s, HookTarget& t) {
    if (parse_address(s, AF_INET, reinterpret_cast<unsigned char*>(&t.to.v4.sin_addr))) t.to.any.sa_family = AF_INET;
    else if (parse_address(s, AF_INET6, t.to.v6.sin6_addr.s6_addr)) t.to.any.sa_family = AF_INET6;
    return t.to.any.sa_family != 0;
}

// The request under construction: it writes what fits and counts everything, so that a
// write that did not fit can be undone. At file level, and taking C strings: a call
// with a literal is then two instructions.
struct {
    char* data;
    std::size_t capacity, length;
} request;

void add(const char* s, std::size_t n) {
    if (request.length + n <= request.capacity) std::memcpy(request.data + request.length, s, n);
    request.length += n;
}
void put(const char* s) { add(s, std::strlen(s)); }
void put(unsigned n, unsigned base) {
    char digits[12], *p = digits + sizeof digits;
    do *--p = "0123456789abcdef"[n % base];
    while (n /= base);
    add(p, static_cast<std::size_t>(digits + sizeof digits - p));
}

// As Go's net.IP.String(): dotted quad; IPv6 in lower-case hexadecimal, the first longest
// run of two or more zero groups written "::" (RFC 5952).
void put_address(const char* key, const unsigned char* a, bool v6) {
    put(key);
    int n = v6 ? 8 : 4, best = n, best_length = 1;
    for (int i = 0; v6 && i < 8; ++i) {
        int j = i;
        while (j < 8 && a[2 * j] == 0 && a[2 * j + 1] == 0) ++j;
        if (j - i > best_length) best = i, best_length = j - i;
    }
    for (int i = 0; i < n; ++i) {
        if (i == best) {
            put("::");
            i += best_length - 1;
            continue;
        }
        if (i && i != best + best_length) put(v6 ? ":" : ".");
        put(v6 ? a[2 * i] << 8 | a[2 * i + 1] : a[i], v6 ? 16 : 10);
    }
    put("\"");
}

}  // namespace

const char* parse_hook_url(std::string_view url, HookTarget& out) {
    out = HookTarget{};
    if (starts(url, "https://", 8)) return "https needs TLS: use http://";
    const char* bad = "not http://HOST[:PORT][/PATH]";
    if (url.size() > kMaxHookUrl || !starts(url, "http://", 7)) return bad;
    // The host ends at / ? or #, the path at #; a ':' after the host or its ']' starts
    // the port ("host:" is port 80, as in Go).
    const char *host = url.data() + 7, *end = url.data() + url.size(), *p = host, *colon = end, *path = nullptr;
    for (; p < end && *p != '#'; ++p) {
        if (static_cast<unsigned char>(*p) <= ' ' || *p == 0x7f) return bad;
        if (path) continue;
        if (*p == '/' || *p == '?') path = p;
        if (*p == ':') colon = p;
        if (*p == ']') colon = end;
    }
    if (!path) path = p;
    out.host = {host, static_cast<std::size_t>(path - host)};
    out.path = {path, static_cast<std::size_t>(p - path)};
    unsigned port = 80;
    if (colon < path) {
        if (colon + 1 < path) port = parse_port({colon + 1, static_cast<std::size_t>(path - colon - 1)});
        path = colon;  // now the end of the name
    }
    return !port || !set_host({host, static_cast<std::size_t>(path - host)}, port, out) ? bad : nullptr;
}

unsigned parse_port(std::string_view digits) {
    unsigned port = 0;
    for (char c : digits) port = port < 65536 && c >= '0' && c <= '9' ? port * 10 + (c - '0') : 65536;
    return port < 65536 ? port : 0;
}

bool set_host(std::string_view host, unsigned port, HookTarget& out) {
    if (host.size() > 1 && host[0] == '[' && host.back() == ']') host = {host.data() + 1, host.size() - 2};
    out.name = host;
    out.to.v4.sin_port = big_endian16(port);  // the same place in both
    if (!numeric(host, out) && host.size() == 9 && starts(host, "localhost", 9)) {
        out.to.any.sa_family = AF_INET;
        constexpr std::uint32_t loopback = INADDR_LOOPBACK;
        out.to.v4.sin_addr.s_addr = std::endian::native == std::endian::big ? loopback : __builtin_bswap32(loopback);
    }
    return !host.empty();
}

bool parse_hosts_line(std::string_view line, HookTarget& target) {
    const char *p = line.data(), *end = p + line.size();
    std::string_view address;
    auto blank = [&](const char* c) { return static_cast<unsigned char>(*c) <= ' '; };
    while (p < end && *p != '#') {
        if (blank(p)) {
            ++p;
            continue;
        }
        const char* word = p;
        while (p < end && *p != '#' && !blank(p)) ++p;
        std::size_t size = static_cast<std::size_t>(p - word);
        if (address.empty()) address = {word, size};
        // An address with a zone (fe80::1%eth0) is not read: no match.
        else if (size == target.name.size() && starts(target.name, word, size)) return numeric(address, target);
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
    request = {buffer.data(), buffer.size(), 0};
    put("PUT ");
    if (!target.path.starts_with('/')) put("/");
    add(target.path.data(), target.path.size());
    put(" HTTP/1.1\r\nHost: ");
    add(target.host.data(), target.host.size());
    put("\r\nContent-Type: application/json\r\nContent-Length: ");
    // The body's length goes before it: the body is written after room for the rest of
    // the head (a length of up to 4 digits), then moved up to it.
    constexpr const char* tail = "\r\nConnection: close\r\n\r\n";
    std::size_t head = request.length, body = request.length += 4 + std::strlen(tail);
    put("{\"ps\":{\"status\":\"");
    put(status);
    // Go writes an empty list as null.
    put(interfaces.empty() ? "\",\"net_interfaces\":null}}" : "\",\"net_interfaces\":[");
    for (const NetInterface& it : interfaces) {
        std::size_t before = request.length;
        put(&",{\"name\":\""[&it == interfaces.data()]);  // no comma before the first
        // Interface names are short ASCII: only quotes, backslashes and control
        // characters need escaping.
        for (std::size_t i = 0; i < sizeof it.name && it.name[i]; ++i) {
            unsigned char c = static_cast<unsigned char>(it.name[i]);
            if (c == '"' || c == '\\') put("\\");
            if (c < 0x20) {
                put(c < 0x10 ? "\\u000" : "\\u001");
                put(c & 15, 16);
            } else {
                add(&it.name[i], 1);
            }
        }
        put("\"");
        if (it.has_ipv4) put_address(",\"ipv4\":\"", it.ipv4, false);
        if (it.has_ipv6) put_address(",\"ipv6\":\"", it.ipv6, true);
        put("}");
        if (request.length + 3 > request.capacity) {  // no room for this one and the end
            request.length = before;
            break;
        }
    }
    if (!interfaces.empty()) put("]}}");
    std::size_t end = request.length;
    if (end > request.capacity) return 0;
    request.length = head;
    put(static_cast<unsigned>(end - body), 10);
    put(tail);
    std::memmove(request.data + request.length, request.data + body, end - body);
    return request.length + end - body;
}

}  // namespace initd
