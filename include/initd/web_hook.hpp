// dock's --web-hook: an HTTP PUT of the child's status ("starting", "running",
// "crashed") and the network interfaces, as
//   {"ps":{"status":"running","net_interfaces":[{"name":"lo","ipv4":"127.0.0.1","ipv6":"::1"}]}}
// Plain HTTP only (TLS needs a library initd does not have), no DNS (musl's resolver
// allocates): the host is an address, localhost, or a name in /etc/hosts.
// Unlike dock, which waits for ever, every request gives up after a timeout, so that a
// slow hook never holds up forwarding or reaping.
#pragma once

#include <cstddef>
#include <cstdint>
#include <netinet/in.h>
#include <span>
#include <string_view>

#include "initd/deadlines.hpp"
#include "initd/net_interfaces.hpp"
#include "initd/text.hpp"

namespace initd {

// Where the PUTs go. The views point into the URL given to parse_hook_url, which must
// outlive the target (argv and environ do).
struct HookTarget {
    std::string_view host;  // the authority as written ("example:8080"): the Host header
    std::string_view name;  // the host alone, without brackets or port
    std::string_view path;  // path and query as written ("" stands for "/")
    union {
        sockaddr any;  // any.sa_family is 0 while `name` is still to be looked up
        sockaddr_in v4;
        sockaddr_in6 v6;
    } to{};
};

// Reads http://HOST[:PORT][/PATH][?QUERY][#FRAGMENT]; HOST is a numeric address (IPv6 in
// brackets), localhost (127.0.0.1) or a name, left for find_in_hosts. Returns null, or
// what is wrong.
const char* parse_hook_url(std::string_view url, HookTarget& out);

// A URL's port, 1 to 65535, all of `digits`; 0 when it is not one ("" neither).
unsigned parse_port(std::string_view digits);

// The host of a URL (an IPv6 address in brackets) and its port: the name and, for a
// numeric address or localhost, the address (to.any.sa_family stays 0 for a name).
// False when the host is empty.
bool set_host(std::string_view host, unsigned port, HookTarget& out);

// One /etc/hosts line: when it names target.name, sets target's address and says true.
bool parse_hosts_line(std::string_view line, HookTarget& target);
// The first line of the hosts file `path` that names target.name.
bool find_in_hosts(const char* path, HookTarget& target);

// The whole request: PUT, Host, Content-Type, Content-Length, Connection: close, the
// JSON body. Interfaces that do not fit in `out` are left out from the end (a URL is at
// most kMaxHookUrl long, so the rest always fits in 4 KiB). Returns the length.
inline constexpr std::size_t kMaxHookUrl = 2048;
std::size_t format_hook_request(const char* status, std::span<const NetInterface> interfaces,
                                const HookTarget& target, std::span<char> out);

// The client: one request at a time, never blocking except in send_and_wait. Its socket
// raises SIGIO (F_SETOWN to initd, O_ASYNC) whenever it makes progress possible.
class WebHook {
public:
    static constexpr int kRequestTimeoutMs = 5000;
    static constexpr const char* starting = "starting";
    static constexpr const char* running = "running";
    static constexpr const char* crashed = "crashed";

    // Parses the URL and, for a name, reads /etc/hosts. False: `why` says why.
    bool configure(std::string_view url, Text& why);
    bool configured() const { return target_.to.any.sa_family != 0; }

    // Queues a status (a string that lives for ever: one of the three above) and starts
    // its request if none is under way. Statuses go in order; past kQueue waiting, the
    // last waiting one is replaced, so that the newest status still arrives last.
    void send(const char* status);
    // After any SIGIO: moves the request under way as far as it can go without waiting.
    void on_io();
    // The request under way's time limit (monotonic ms, as now_ms()), disarmed while none is.
    const Deadline& deadline() const { return deadline_; }
    std::int64_t deadline_ms() const { return deadline_.at(); }  // -1: none
    // When deadline_ms() has come: gives the request up and starts the next.
    void on_deadline(std::int64_t now);
    // Nothing under way and nothing waiting.
    bool idle() const { return queued_ == 0; }
    // send(status) (none: null), then waits with poll() until everything queued is done or timeout_ms
    // has passed (a request still under way then goes on as usual). True if idle then.
    bool send_and_wait(const char* status, int timeout_ms);

    // For the tests: a shorter limit than kRequestTimeoutMs.
    void set_request_timeout_ms(int ms) { timeout_ms_ = ms; }

private:
    static constexpr int kQueue = 4;
    void pump();
    bool open_request();
    void finish(int err);

    HookTarget target_;
    const char* queue_[kQueue];  // [0, queued_) are set; queue_[0] is the one under way when fd_ >= 0
    int queued_ = 0;
    int fd_ = -1;
    int timeout_ms_ = kRequestTimeoutMs;
    Deadline deadline_;
    // Set by open_request, read only while its request is under way: no initial values.
    bool reading_;
    std::size_t done_, length_;  // bytes sent (then read) and the request's length
    char buffer_[4096];          // the request, then the response's headers
};

}  // namespace initd
