// The web hook: its URL, /etc/hosts, the request's bytes, and the client against a
// local HTTP server.
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <csignal>
#include <cstring>
#include <fstream>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <string>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <vector>

#include "initd/deadlines.hpp"
#include "initd/net_interfaces.hpp"
#include "initd/web_hook.hpp"

using namespace initd;

namespace {

HookTarget parsed(std::string_view url) {
    HookTarget t;
    INFO(url);
    const char* problem = parse_hook_url(url, t);
    REQUIRE(problem == nullptr);
    return t;
}

std::string refusal(std::string_view url) {
    HookTarget t;
    INFO(url);
    const char* problem = parse_hook_url(url, t);
    CHECK(problem != nullptr);
    return problem ? problem : "";
}

int family(const HookTarget& t) { return t.to.any.sa_family; }
int port(const HookTarget& t) { return ntohs(t.to.v4.sin_port); }
const void* address(const HookTarget& t) {
    return family(t) == AF_INET6 ? static_cast<const void*>(&t.to.v6.sin6_addr) : &t.to.v4.sin_addr;
}
unsigned char address_byte(const HookTarget& t, int i) { return static_cast<const unsigned char*>(address(t))[i]; }

NetInterface interface(const char* name, std::initializer_list<int> v4, std::initializer_list<int> v6) {
    NetInterface it{};
    std::strncpy(it.name, name, sizeof it.name - 1);
    it.has_ipv4 = v4.size() == 4;
    it.has_ipv6 = v6.size() == 16;
    int i = 0;
    for (int b : v4) it.ipv4[i++] = static_cast<unsigned char>(b);
    i = 0;
    for (int b : v6) it.ipv6[i++] = static_cast<unsigned char>(b);
    return it;
}

std::string request(const char* status, std::vector<NetInterface> interfaces, std::size_t room = 4096) {
    HookTarget target = parsed("http://hook:8080/ps");
    std::vector<char> buffer(room);
    std::size_t n = format_hook_request(status, interfaces, target, buffer);
    REQUIRE(n <= room);
    return std::string(buffer.data(), n);
}

std::string body(const std::string& request) { return request.substr(request.find("\r\n\r\n") + 4); }

// The JSON of one interface, as the body gives it.
std::string ipv6_json(std::initializer_list<int> groups) {
    std::initializer_list<int> none;
    std::vector<int> bytes;
    for (int g : groups) bytes.insert(bytes.end(), {g >> 8, g & 0xff});
    NetInterface it = interface("x", none, none);
    it.has_ipv6 = true;
    for (int i = 0; i < 16; ++i) it.ipv6[i] = static_cast<unsigned char>(bytes[i]);
    std::string b = body(request("running", {it}));
    auto at = b.find("\"ipv6\":\"") + 8;
    return b.substr(at, b.find('"', at) - at);
}

// SIGIO blocked, as in initd's loop (and in the server thread, which inherits it); what
// is left pending at the end is taken, so that nothing kills the test run later.
struct SigioBlocked {
    sigset_t set, old;
    SigioBlocked() {
        sigemptyset(&set);
        sigaddset(&set, SIGIO);
        pthread_sigmask(SIG_BLOCK, &set, &old);
    }
    ~SigioBlocked() {
        timespec zero{};
        while (sigtimedwait(&set, nullptr, &zero) == SIGIO) {}
        pthread_sigmask(SIG_SETMASK, &old, nullptr);
    }
};

// A local HTTP server that records whole requests. Connection i is answered when
// answer[i], otherwise held open, unanswered, until the server ends.
class HookServer {
public:
    explicit HookServer(std::vector<bool> answer) {
        listener_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t size = sizeof a;
        REQUIRE(bind(listener_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
        REQUIRE(listen(listener_, 8) == 0);
        getsockname(listener_, reinterpret_cast<sockaddr*>(&a), &size);
        port = ntohs(a.sin_port);
        thread_ = std::thread([this, answer] { serve(answer); });
    }
    ~HookServer() { wait(); }

    std::string url(const char* path = "/") const { return "http://127.0.0.1:" + std::to_string(port) + path; }
    // The requests received, once every connection expected has come (or 5 s passed).
    const std::vector<std::string>& wait() {
        if (thread_.joinable()) thread_.join();
        if (listener_ >= 0) close(listener_);
        listener_ = -1;
        return requests_;
    }

    int port = 0;

private:
    static bool readable(int fd) {
        pollfd p{fd, POLLIN, 0};
        return poll(&p, 1, 5000) == 1;
    }
    void serve(std::vector<bool> answer) {
        std::vector<int> held;
        for (bool reply : answer) {
            if (!readable(listener_)) break;
            int fd = accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
            std::string r;
            char chunk[1024];
            ssize_t n;
            while (!complete(r) && readable(fd) && (n = read(fd, chunk, sizeof chunk)) > 0) r.append(chunk, n);
            requests_.push_back(r);
            if (!reply) {
                held.push_back(fd);
                continue;
            }
            std::string_view ok = "HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n";
            CHECK(write(fd, ok.data(), ok.size()) == static_cast<ssize_t>(ok.size()));
            close(fd);
        }
        for (int fd : held) close(fd);
    }
    static bool complete(const std::string& r) {
        auto end = r.find("\r\n\r\n");
        if (end == std::string::npos) return false;
        auto length = r.find("Content-Length: ");
        return length != std::string::npos && r.size() >= end + 4 + std::stoul(r.substr(length + 16));
    }

    int listener_ = -1;
    std::thread thread_;
    std::vector<std::string> requests_;
};

// What initd's loop does, with sigtimedwait on SIGIO, until the hook is idle.
void drive(WebHook& hook, const SigioBlocked& sigio, int limit_ms) {
    std::int64_t end = now_ms() + limit_ms;
    while (!hook.idle() && now_ms() < end) {
        std::int64_t wait = hook.deadline_ms() - now_ms();
        if (wait < 0) wait = 0;
        timespec ts{static_cast<time_t>(wait / 1000), static_cast<long>(wait % 1000) * 1000000};
        if (sigtimedwait(&sigio.set, nullptr, &ts) == SIGIO) hook.on_io();
        else hook.on_deadline(now_ms());
    }
}

}  // namespace

TEST_CASE("a hook URL gives the address, port, Host and path", "[web_hook]") {
    HookTarget t = parsed("http://127.0.0.1:8080/hooks/ps?id=3#top");
    CHECK(family(t) == AF_INET);
    CHECK(port(t) == 8080);
    CHECK(t.host == "127.0.0.1:8080");
    CHECK(t.name == "127.0.0.1");
    CHECK(t.path == "/hooks/ps?id=3");
    CHECK(std::memcmp(address(t), "\x7f\0\0\x01", 4) == 0);

    t = parsed("http://[::1]:9000");
    CHECK(family(t) == AF_INET6);
    CHECK(port(t) == 9000);
    CHECK(t.host == "[::1]:9000");
    CHECK(t.name == "::1");
    CHECK(t.path.empty());
    CHECK(address_byte(t, 15) == 1);
    CHECK(t.to.v6.sin6_flowinfo == 0);

    t = parsed("HTTP://LocalHost/");
    CHECK(family(t) == AF_INET);
    CHECK(port(t) == 80);
    CHECK(address_byte(t, 0) == 127);
    CHECK(t.path == "/");

    t = parsed("http://hook.example:/ps");
    CHECK(family(t) == 0);  // left for /etc/hosts
    CHECK(t.name == "hook.example");
    CHECK(port(t) == 80);

    CHECK(port(parsed("http://[fe80::1]/")) == 80);
    t = parsed("http://[1:23:456:789a:BCDE:f:0:ffff]/");
    CHECK(std::memcmp(address(t), "\x00\x01\x00\x23\x04\x56\x78\x9a\xbc\xde\x00\x0f\x00\x00\xff\xff", 16) == 0);
    t = parsed("http://[2001:db8::8:1]/");
    CHECK(std::memcmp(address(t), "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\x08\0\x01", 16) == 0);
    t = parsed("http://[fe80::]/");
    CHECK(std::memcmp(address(t), "\xfe\x80\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 16) == 0);
    CHECK(family(parsed("http://[::]/")) == AF_INET6);
    CHECK(address_byte(parsed("http://[1:2:3:4:5:6:7::]/"), 13) == 7);
    t = parsed("http://10.200.0.255/");
    CHECK(std::memcmp(address(t), "\x0a\xc8\x00\xff", 4) == 0);
    CHECK(family(parsed("http://0.0.0.0/")) == AF_INET);
    // Not numeric addresses: names, for /etc/hosts (which then says no).
    for (const char* name : {"1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1..2.3", "1.2.3.4.", "1.2.3.1000", "0x1.2.3.4",
                             "[fe80::1%eth0]", "[1:2:3:4:5:6:7:8:9]", "[1:2:3:4:5:6:7]", "[12345::]", "[1::2::3]",
                             "[:1]", "[1:]", "[1:::2]", "[::ffff:1.2.3.4]", "[g::]", "[zz]", "[::1", "[::1]x"})
        CHECK(family(parsed(std::string("http://") + name + "/")) == 0);
    CHECK(parsed("http://h?x=1").path == "?x=1");
}

TEST_CASE("a hook URL that initd cannot use is refused in one line that says why", "[web_hook]") {
    CHECK(refusal("https://hook/") == "https needs TLS: use http://");
    CHECK(refusal("HTTPS://hook/").starts_with("https needs TLS"));
    CHECK(refusal("ftp://hook/") == "not http://HOST[:PORT][/PATH]");
    for (std::string bad : std::initializer_list<std::string>{"", "http:/x", "http://", "http://:80/", "http:///ps", "http://[]/", "http://h:0/",
                            "http://h:65536/", "http://h:8x/", "http://h:-1/", "http://h:99999999999/", "http://a b/",
                            "http://h/\x01", "http://h/" + std::string(kMaxHookUrl, 'a')})
        CHECK(refusal(bad) == "not http://HOST[:PORT][/PATH]");
}

TEST_CASE("an /etc/hosts line gives its address to the names it lists, not to comments", "[web_hook]") {
    HookTarget t = parsed("http://Hook.Example/");
    CHECK(parse_hosts_line("10.0.0.5\thook.example hook # the hook", t));
    CHECK(family(t) == AF_INET);
    CHECK(std::memcmp(address(t), "\x0a\0\0\x05", 4) == 0);

    t = parsed("http://hook/");
    CHECK(parse_hosts_line("  10.0.0.6 hook.example hook\r", t));
    CHECK(address_byte(t, 3) == 6);

    t = parsed("http://ip6-localhost:81/");
    CHECK(parse_hosts_line("::1 localhost ip6-localhost ip6-loopback", t));
    CHECK(family(t) == AF_INET6);
    CHECK(address_byte(t, 15) == 1);
    CHECK(port(t) == 81);

    t = parsed("http://hook/");
    CHECK_FALSE(parse_hosts_line("# 10.0.0.9 hook", t));
    CHECK_FALSE(parse_hosts_line("10.0.0.9 other # hook", t));
    CHECK_FALSE(parse_hosts_line("10.0.0.9 hook.example", t));
    CHECK_FALSE(parse_hosts_line("hook", t));  // the address, not a name
    CHECK_FALSE(parse_hosts_line("fe80::1%eth0 hook", t));
    CHECK_FALSE(parse_hosts_line("", t));
    CHECK(family(t) == 0);

    char path[] = "/tmp/web_hook_hosts_XXXXXX";
    int fd = mkstemp(path);
    REQUIRE(fd >= 0);
    std::string_view hosts = "127.0.0.1 localhost\n# 10.0.0.1 hook\n\n10.0.0.2 a hook\n10.0.0.3 hook\n10.0.0.4 last";
    CHECK(write(fd, hosts.data(), hosts.size()) == static_cast<ssize_t>(hosts.size()));
    close(fd);
    CHECK(find_in_hosts(path, t));
    CHECK(address_byte(t, 3) == 2);  // the first line that names it
    t = parsed("http://last/");
    CHECK(find_in_hosts(path, t));  // the last line, without its '\n'
    CHECK(address_byte(t, 3) == 4);
    t = parsed("http://missing/");
    CHECK_FALSE(find_in_hosts(path, t));
    CHECK_FALSE(find_in_hosts("/nonexistent/hosts", t));
    unlink(path);
}

TEST_CASE("the request is dock's PUT with a compact JSON body, interfaces in order", "[web_hook]") {
    std::string r = request("running",
                            {interface("lo", {127, 0, 0, 1}, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}),
                             interface("eth0", {172, 17, 0, 2},
                                       {0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0x42, 0xac, 0xff, 0xfe, 0x11, 0, 2}),
                             interface("dummy0", {}, {}), interface("tun0", {10, 8, 0, 1}, {})});
    std::string json =
        R"({"ps":{"status":"running","net_interfaces":[{"name":"lo","ipv4":"127.0.0.1","ipv6":"::1"},)"
        R"({"name":"eth0","ipv4":"172.17.0.2","ipv6":"fe80::42:acff:fe11:2"},{"name":"dummy0"},)"
        R"({"name":"tun0","ipv4":"10.8.0.1"}]}})";
    CHECK(r == "PUT /ps HTTP/1.1\r\nHost: hook:8080\r\nContent-Type: application/json\r\nContent-Length: " +
                   std::to_string(json.size()) + "\r\nConnection: close\r\n\r\n" + json);
    CHECK(body(request("crashed", {})) == R"({"ps":{"status":"crashed","net_interfaces":null}})");

    HookTarget target = parsed("http://[::1]/?a=b");
    char buffer[256];
    std::string_view head(buffer, format_hook_request("starting", {}, target, buffer));
    CHECK(head.starts_with("PUT /?a=b HTTP/1.1\r\nHost: [::1]\r\n"));
}

TEST_CASE("IPv6 addresses are written as Go writes them", "[web_hook]") {
    CHECK(ipv6_json({0x2001, 0xdb8, 0, 0, 0, 0, 0, 1}) == "2001:db8::1");
    CHECK(ipv6_json({0x2001, 0xdb8, 0, 1, 0, 0, 0, 1}) == "2001:db8:0:1::1");
    CHECK(ipv6_json({0x2001, 0xdb8, 0, 0, 1, 0, 0, 1}) == "2001:db8::1:0:0:1");  // the first of equal runs
    CHECK(ipv6_json({1, 0, 0, 2, 0, 0, 0, 3}) == "1:0:0:2::3");                   // the longest run
    CHECK(ipv6_json({1, 0, 2, 3, 4, 5, 6, 7}) == "1:0:2:3:4:5:6:7");             // one zero group stays
    CHECK(ipv6_json({0, 0, 0, 0, 0, 0, 0, 0}) == "::");
    CHECK(ipv6_json({0xfe80, 0, 0, 0, 0, 0, 0, 0}) == "fe80::");
    CHECK(ipv6_json({0, 0, 0, 0, 0, 0, 0, 0xABCD}) == "::abcd");
    CHECK(ipv6_json({0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff}) ==
          "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
}

TEST_CASE("odd interface names are escaped: quotes, backslashes, control characters", "[web_hook]") {
    std::initializer_list<int> none;
    std::string b = body(request("running", {interface("a\"b\\c<d>&\x01\x1f", none, none)}));
    CHECK(b.find(R"({"name":"a\"b\\c<d>&\u0001\u001f"})") != std::string::npos);
    b = body(request("running", {interface("caf\xc3\xa9", none, none)}));
    CHECK(b.find(R"({"name":"café"})") != std::string::npos);
}

TEST_CASE("interfaces that do not fit are left out from the end, and the length stays right", "[web_hook]") {
    std::vector<NetInterface> many;
    for (int i = 0; i < 16; ++i)
        many.push_back(interface(("eth" + std::to_string(i)).c_str(), {10, 0, 0, i}, {}));
    std::string r = request("running", many, 300);
    CHECK(r.size() <= 300);
    CHECK(r.size() > 250);
    std::string b = body(r);
    CHECK(r.find("Content-Length: " + std::to_string(b.size()) + "\r\n") != std::string::npos);
    CHECK(b.starts_with(R"({"ps":{"status":"running","net_interfaces":[{"name":"eth0","ipv4":"10.0.0.0"},)"));
    CHECK(b.ends_with("}]}}"));
    CHECK(b.find("eth15") == std::string::npos);
    CHECK(request("running", many).find("eth15") != std::string::npos);
}

TEST_CASE("net_interfaces lists lo with 127.0.0.1, and ::1 when lo has IPv6", "[web_hook]") {
    NetInterface list[kMaxNetInterfaces];
    int n = list_net_interfaces(list);
    REQUIRE(n >= 1);
    const NetInterface* lo = nullptr;
    for (int i = 0; i < n; ++i)
        if (std::string_view(list[i].name) == "lo") lo = &list[i];
    REQUIRE(lo != nullptr);
    CHECK(lo->index == 1);
    CHECK(lo->has_ipv4);
    CHECK(std::memcmp(lo->ipv4, "\x7f\0\0\x01", 4) == 0);
    std::ifstream inet6("/proc/net/if_inet6");
    std::string line;
    bool lo_has_v6 = false;
    while (std::getline(inet6, line)) lo_has_v6 |= line.starts_with("00000000000000000000000000000001") && line.ends_with(" lo");
    CHECK(lo->has_ipv6 == lo_has_v6);
    if (lo_has_v6) CHECK(lo->ipv6[15] == 1);
}

TEST_CASE("send_and_wait delivers starting with dock's method, path, headers and body", "[web_hook]") {
    SigioBlocked sigio;
    HookServer server({true});
    WebHook hook;
    Text why;
    std::string url = server.url("/ps/7?x=1");
    REQUIRE(hook.configure(url, why));
    CHECK(hook.send_and_wait(WebHook::starting, 5000));
    CHECK(hook.idle());
    CHECK(hook.deadline_ms() == -1);
    auto requests = server.wait();
    REQUIRE(requests.size() == 1);
    std::string head = "PUT /ps/7?x=1 HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(server.port) +
                       "\r\nContent-Type: application/json\r\nContent-Length: ";
    CHECK(requests[0].starts_with(head));
    std::string b = body(requests[0]);
    CHECK(requests[0].find("Content-Length: " + std::to_string(b.size()) + "\r\nConnection: close\r\n\r\n{") !=
          std::string::npos);
    CHECK(b.starts_with(R"({"ps":{"status":"starting","net_interfaces":[{"name":"lo","ipv4":"127.0.0.1")"));
    CHECK(b.ends_with("}]}}"));
}

TEST_CASE("statuses sent one after the other arrive in order, driven by SIGIO", "[web_hook]") {
    SigioBlocked sigio;
    HookServer server({true, true, true});
    WebHook hook;
    Text why;
    std::string url = server.url();
    REQUIRE(hook.configure(url, why));
    auto start = now_ms();
    hook.send(WebHook::starting);
    hook.send(WebHook::running);
    hook.send(WebHook::crashed);
    CHECK_FALSE(hook.idle());
    CHECK(hook.deadline_ms() > start);
    drive(hook, sigio, 5000);
    CHECK(hook.idle());
    CHECK(now_ms() - start < 2000);  // SIGIO woke the loop, not the 5 s deadline
    auto requests = server.wait();
    REQUIRE(requests.size() == 3);
    CHECK(body(requests[0]).starts_with(R"({"ps":{"status":"starting")"));
    CHECK(body(requests[1]).starts_with(R"({"ps":{"status":"running")"));
    CHECK(body(requests[2]).starts_with(R"({"ps":{"status":"crashed")"));
}

TEST_CASE("a hook that never answers costs send_and_wait its timeout, and the next status still goes", "[web_hook]") {
    SigioBlocked sigio;
    HookServer server({false, true});
    WebHook hook;
    Text why;
    std::string url = server.url();
    REQUIRE(hook.configure(url, why));
    hook.set_request_timeout_ms(600);
    auto start = now_ms();
    CHECK_FALSE(hook.send_and_wait(WebHook::starting, 200));
    auto waited = now_ms() - start;
    CHECK(waited >= 200);
    CHECK(waited < 500);
    CHECK_FALSE(hook.idle());  // starting is still under way, until its own limit
    CHECK(hook.deadline_ms() >= start + 600);
    hook.send(WebHook::running);
    drive(hook, sigio, 3000);
    CHECK(hook.idle());
    auto requests = server.wait();
    REQUIRE(requests.size() == 2);
    CHECK(body(requests[0]).starts_with(R"({"ps":{"status":"starting")"));
    CHECK(body(requests[1]).starts_with(R"({"ps":{"status":"running")"));
}

TEST_CASE("past four statuses queued, the newest replaces the last one waiting", "[web_hook]") {
    SigioBlocked sigio;
    HookServer server({false, true, true, true});  // starting is held, so the others wait
    WebHook hook;
    Text why;
    std::string url = server.url();
    REQUIRE(hook.configure(url, why));
    hook.set_request_timeout_ms(300);
    for (const char* status : {WebHook::starting, WebHook::running, WebHook::crashed, WebHook::crashed, WebHook::running})
        hook.send(status);
    drive(hook, sigio, 3000);
    CHECK(hook.idle());
    auto requests = server.wait();
    REQUIRE(requests.size() == 4);
    CHECK(body(requests[1]).starts_with(R"({"ps":{"status":"running")"));
    CHECK(body(requests[2]).starts_with(R"({"ps":{"status":"crashed")"));
    CHECK(body(requests[3]).starts_with(R"({"ps":{"status":"running")"));
}

TEST_CASE("a refused connection ends send_and_wait at once", "[web_hook]") {
    SigioBlocked sigio;
    int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t size = sizeof a;
    REQUIRE(bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);  // a port, but no listener
    getsockname(s, reinterpret_cast<sockaddr*>(&a), &size);
    WebHook hook;
    Text why;
    std::string url = "http://localhost:" + std::to_string(ntohs(a.sin_port)) + "/";
    REQUIRE(hook.configure(url, why));
    auto start = now_ms();
    CHECK(hook.send_and_wait(WebHook::starting, 5000));
    CHECK(now_ms() - start < 1000);
    CHECK(hook.idle());
    close(s);
}

TEST_CASE("a host name that is not in /etc/hosts is an error at configure time", "[web_hook]") {
    WebHook hook;
    Text why;
    CHECK_FALSE(hook.configure("http://no-such-host.invalid:8080/", why));
    CHECK(why.view() == "web hook 'http://no-such-host.invalid:8080/': host not in /etc/hosts (no DNS)");
    why.clear();
    CHECK_FALSE(hook.configure("https://127.0.0.1/", why));
    CHECK(why.view() == "web hook 'https://127.0.0.1/': https needs TLS: use http://");
    CHECK_FALSE(hook.configured());
    hook.send(WebHook::running);  // nothing to send to: nothing happens
    CHECK(hook.idle());
}
