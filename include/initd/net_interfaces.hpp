// The container's network interfaces and one address of each family, as dock's web hook
// reports them. Read through one netlink socket: getifaddrs allocates, and initd has no
// heap.
#pragma once

#include <cstddef>
#include <span>

namespace initd {

struct NetInterface {
    int index;
    char name[16];  // IFNAMSIZ, NUL-terminated
    bool has_ipv4, has_ipv6;
    unsigned char ipv4[4];
    unsigned char ipv6[16];
};

// More links than this are left out of the hook: a container has a handful.
inline constexpr std::size_t kMaxNetInterfaces = 16;

// Fills `out` with every link (lo and links without addresses too) in the kernel's dump
// order, which is the order Go's net.Interfaces() gives dock. Each keeps the last address
// of each family in the kernel's address dump, as dock does; an IPv4-mapped IPv6 address
// counts as IPv4, as Go's To4() says. Links past out.size() are ignored.
// Returns how many were filled, or -1 with errno set.
int list_net_interfaces(std::span<NetInterface> out);

}  // namespace initd
