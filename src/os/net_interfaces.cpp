#include "initd/net_interfaces.hpp"

#include <cerrno>
#include <cstring>
#include <cstdint>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace initd {
namespace {

// The little of <linux/rtnetlink.h> used here: musl's toolchain has no kernel headers.
struct nlmsghdr {
    std::uint32_t nlmsg_len;
    std::uint16_t nlmsg_type, nlmsg_flags;
    std::uint32_t nlmsg_seq, nlmsg_pid;
};
struct ifinfomsg {
    unsigned char ifi_family, pad;
    unsigned short ifi_type;
    int ifi_index;
    unsigned ifi_flags, ifi_change;
};
struct ifaddrmsg {
    unsigned char ifa_family, ifa_prefixlen, ifa_flags, ifa_scope;
    std::uint32_t ifa_index;
};
struct rtattr {
    unsigned short rta_len, rta_type;
};
enum : unsigned short {
    NETLINK_ROUTE = 0, NLMSG_ERROR = 2, NLMSG_DONE = 3, RTM_NEWLINK = 16, RTM_GETLINK = 18, RTM_NEWADDR = 20,
    RTM_GETADDR = 22, NLM_F_REQUEST = 1, NLM_F_DUMP = 0x300, IFLA_IFNAME = 3, IFA_ADDRESS = 1, IFA_LOCAL = 2,
};
constexpr std::size_t align4(std::size_t n) { return (n + 3) & ~std::size_t{3}; }

// One message of a dump: a link gives an interface, an address fills one in.
void take(const nlmsghdr* h, std::span<NetInterface> out, int& count) {
    bool link = h->nlmsg_type == RTM_NEWLINK;
    if (!link && h->nlmsg_type != RTM_NEWADDR) return;
    const auto* body = reinterpret_cast<const char*>(h + 1);
    int index = link ? reinterpret_cast<const ifinfomsg*>(body)->ifi_index
                     : static_cast<int>(reinterpret_cast<const ifaddrmsg*>(body)->ifa_index);
    NetInterface* it = nullptr;
    for (int i = 0; i < count; ++i)
        if (out[i].index == index) it = &out[i];
    if (link) {
        if (count == static_cast<int>(out.size())) return;
        it = &out[count++];
        *it = NetInterface{index, {}, false, false, {}, {}};
    }
    if (!it) return;
    // Go takes IFA_LOCAL when there is one (the local end of a point-to-point link),
    // IFA_ADDRESS otherwise.
    const unsigned char* address = nullptr;
    std::size_t address_size = 0;
    for (std::size_t at = sizeof(nlmsghdr) + (link ? sizeof(ifinfomsg) : sizeof(ifaddrmsg));
         at + sizeof(rtattr) <= h->nlmsg_len;) {
        const auto* a = reinterpret_cast<const rtattr*>(reinterpret_cast<const char*>(h) + at);
        if (a->rta_len < sizeof(rtattr)) break;
        const auto* data = reinterpret_cast<const unsigned char*>(a + 1);
        std::size_t size = a->rta_len - sizeof(rtattr);
        if (link && a->rta_type == IFLA_IFNAME) {
            std::memcpy(it->name, data, size < sizeof it->name ? size : sizeof it->name - 1);
        } else if (!link && (a->rta_type == IFA_LOCAL || (a->rta_type == IFA_ADDRESS && !address))) {
            address = data;
            address_size = size;
        }
        at += align4(a->rta_len);
    }
    static constexpr unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (address_size == 16 && std::memcmp(address, mapped, 12) != 0) {
        std::memcpy(it->ipv6, address, 16);
        it->has_ipv6 = true;
    } else if (address_size == 4 || address_size == 16) {
        std::memcpy(it->ipv4, address + address_size - 4, 4);
        it->has_ipv4 = true;
    }
}

}  // namespace

int list_net_interfaces(std::span<NetInterface> out) {
    int fd = static_cast<int>(syscall(SYS_socket, AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE));
    if (fd < 0) return -1;
    int count = 0;
    // The kernel fills each read with whole messages, never more than the reader's buffer
    // holds nor, before the first read, 8 KiB (NLMSG_GOODSIZE): one link fits many times.
    alignas(nlmsghdr) char buffer[8192];
    // Two dumps, links then addresses, each read to its end (write and read: on a
    // netlink socket they are send and recv).
    struct {
        nlmsghdr header;
        ifinfomsg family;  // AF_UNSPEC: all; the kernel reads ifaddrmsg's family at the same place
    } request{{sizeof request, RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP, 0, 0}, {}};
    for (auto& type = request.header.nlmsg_type; type <= RTM_GETADDR; type += RTM_GETADDR - RTM_GETLINK) {
        if (::write(fd, &request, sizeof request) < 0) count = -1;
        for (bool done = count < 0; !done;) {
            ssize_t n = ::read(fd, buffer, sizeof buffer);
            if (n <= 0) {  // 0 never comes from netlink: errno stays as it was
                count = -1;
                break;
            }
            for (std::size_t at = 0; at + sizeof(nlmsghdr) <= static_cast<std::size_t>(n);) {
                const auto* h = reinterpret_cast<const nlmsghdr*>(buffer + at);
                if (h->nlmsg_len < sizeof(nlmsghdr)) break;
                if (h->nlmsg_type == NLMSG_DONE) done = true;
                if (h->nlmsg_type == NLMSG_ERROR) {
                    int error;  // nlmsgerr's first field
                    std::memcpy(&error, h + 1, sizeof error);
                    errno = -error;
                    count = -1;
                    done = true;
                }
                take(h, out, count);
                at += align4(h->nlmsg_len);
            }
        }
        if (count < 0) break;
    }
    ::close(fd);  // which cannot fail, nor change errno
    return count;
}

}  // namespace initd
