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

// One message of a dump (`length` bytes past its header): a link gives an interface, an
// address fills one in.
void take(unsigned short type, const char* body, std::size_t length, std::span<NetInterface> out, int& count) {
    bool link = type == RTM_NEWLINK;
    std::size_t head = link ? sizeof(ifinfomsg) : sizeof(ifaddrmsg);
    if ((!link && type != RTM_NEWADDR) || length < head) return;
    int index = link ? reinterpret_cast<const ifinfomsg*>(body)->ifi_index
                     : static_cast<int>(reinterpret_cast<const ifaddrmsg*>(body)->ifa_index);
    NetInterface* it = nullptr;
    if (link) {
        if (count == static_cast<int>(out.size())) return;
        it = &out[count++];
        std::memset(it, 0, sizeof *it);
        it->index = index;
    } else {
        for (int i = 0; i < count; ++i)
            if (out[i].index == index) it = &out[i];
        if (!it) return;
    }
    // Go takes IFA_LOCAL when there is one (the local end of a point-to-point link),
    // IFA_ADDRESS otherwise.
    const unsigned char* address = nullptr;
    std::size_t address_size = 0;
    for (std::size_t at = head; at + sizeof(rtattr) <= length;) {
        const auto* a = reinterpret_cast<const rtattr*>(body + at);
        if (a->rta_len < sizeof(rtattr) || at + a->rta_len > length) break;
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

// Asks for one dump and reads it to its end. Returns false with errno set.
bool dump(int fd, unsigned short type, std::span<NetInterface> out, int& count) {
    struct {
        nlmsghdr header;
        ifinfomsg family;  // AF_UNSPEC: all; the kernel reads ifaddrmsg's family at the same place
    } request{};
    request.header.nlmsg_len = sizeof request;
    request.header.nlmsg_type = type;
    request.header.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    if (::send(fd, &request, sizeof request, 0) < 0) return false;
    // The kernel fills each read with whole messages, never more than the reader's buffer
    // holds nor, before the first read, 8 KiB (NLMSG_GOODSIZE): one link fits many times.
    alignas(nlmsghdr) char buffer[8192];
    for (;;) {
        ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
        if (n <= 0) {
            if (n == 0) errno = EIO;
            return false;
        }
        for (std::size_t at = 0; at + sizeof(nlmsghdr) <= static_cast<std::size_t>(n);) {
            const auto* h = reinterpret_cast<const nlmsghdr*>(buffer + at);
            if (h->nlmsg_len < sizeof(nlmsghdr) || at + h->nlmsg_len > static_cast<std::size_t>(n)) break;
            const char* body = buffer + at + sizeof(nlmsghdr);
            if (h->nlmsg_type == NLMSG_DONE) return true;
            if (h->nlmsg_type == NLMSG_ERROR) {
                int error;  // nlmsgerr's first field
                std::memcpy(&error, body, sizeof error);
                errno = error < 0 ? -error : EIO;
                return false;
            }
            take(h->nlmsg_type, body, h->nlmsg_len - sizeof(nlmsghdr), out, count);
            at += align4(h->nlmsg_len);
        }
    }
}

}  // namespace

int list_net_interfaces(std::span<NetInterface> out) {
    int fd = static_cast<int>(syscall(SYS_socket, AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE));
    if (fd < 0) return -1;
    int count = 0;
    bool ok = dump(fd, RTM_GETLINK, out, count) && dump(fd, RTM_GETADDR, out, count);
    int err = errno;
    ::close(fd);
    errno = err;
    return ok ? count : -1;
}

}  // namespace initd
