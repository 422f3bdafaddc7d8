// --bind-port: whether a socket on a port is in the kernel's tables yet, as dock checks
// it (any socket on that local port, TCP or UDP, IPv4 or IPv6, in any state), and with
// --strict-port-binding only if a descendant of initd holds it. Each call reads the
// tables once: the loop calls it every 200 ms until it is true, then never again.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <sys/types.h>

namespace initd::port_probe {

// True when a socket on local port `port` is in /proc/net/{tcp,tcp6,udp,udp6}. With
// `holders_below` > 0 (strict: initd passes its own pid) the socket must also be open in
// a process below that pid, by its parent links in /proc/PID/stat (so as PID 1 anything
// that was re-parented to initd counts; a `docker exec` process, whose parent is outside,
// does not; nor does `holders_below` itself). The tables are read in the network
// namespace of initd, and the descendants seen in initd's /proc.
// Strict mode looks for the port's inodes in batches of kBatch: no capacity limit.
bool port_bound(int port, pid_t holders_below = 0);
inline constexpr int kBatch = 32;

// --- The parsing, pure, for the unit tests. ---

struct Entry {
    unsigned port;        // local port
    std::uint64_t inode;  // 0 for sockets no process holds (TIME_WAIT)
};

// One line of /proc/net/{tcp,tcp6,udp,udp6}:
// "  0: 0100007F:0CEA 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000  0 12345 1 ..."
// (local address "ADDR:PORT" in hex, the inode the tenth field); none for the header.
std::optional<Entry> parse_net_line(std::string_view line);

// The inode of a /proc/PID/fd link's target "socket:[12345]"; none for other files.
std::optional<std::uint64_t> socket_inode(std::string_view link);

}  // namespace initd::port_probe
