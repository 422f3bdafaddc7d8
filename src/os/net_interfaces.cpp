#include "initd/net_interfaces.hpp"

#include <cerrno>
#include <cstring>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>
#include <unistd.h>

namespace initd {
namespace {

// One message of a dump: a link gives an interface, an address fills it in.
void take(const nlmsghdr* h, std::span<NetInterface> out, int& count) {
    bool link = h->nlmsg_type == RTM_NEWLINK;
    if (!link && h->nlmsg_type != RTM_NEWADDR) return;
    std::size_t head = NLMSG_ALIGN(link ? sizeof(ifinfomsg) : sizeof(ifaddrmsg));
    if (h->nlmsg_len < NLMSG_LENGTH(head)) return;
    const auto* body = static_cast<const char*>(NLMSG_DATA(h));
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
    const rtattr* address = nullptr;
    std::size_t left = h->nlmsg_len - NLMSG_LENGTH(head);
    for (auto* a = reinterpret_cast<const rtattr*>(body + head); RTA_OK(a, left); a = RTA_NEXT(a, left)) {
        std::size_t size = RTA_PAYLOAD(a);
        if (link && a->rta_type == IFLA_IFNAME) {
            std::memcpy(it->name, RTA_DATA(a), size < sizeof it->name ? size : sizeof it->name - 1);
        } else if (!link && (a->rta_type == IFA_LOCAL || (a->rta_type == IFA_ADDRESS && !address))) {
            address = a;
        }
    }
    if (!address) return;
    const auto* bytes = static_cast<const unsigned char*>(RTA_DATA(address));
    std::size_t size = RTA_PAYLOAD(address);
    static constexpr unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (size == 16 && std::memcmp(bytes, mapped, 12) != 0) {
        std::memcpy(it->ipv6, bytes, 16);
        it->has_ipv6 = true;
    } else if (size == 4 || size == 16) {
        std::memcpy(it->ipv4, bytes + size - 4, 4);
        it->has_ipv4 = true;
    }
}

// Asks for one dump and reads it to its end. Returns false with errno set.
bool dump(int fd, unsigned short type, std::span<NetInterface> out, int& count) {
    struct {
        nlmsghdr header;
        ifaddrmsg family;  // ifinfomsg's first byte is its family too: AF_UNSPEC, all
    } request{};
    request.header.nlmsg_len = sizeof request;
    request.header.nlmsg_type = type;
    request.header.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    request.header.nlmsg_seq = type;
    if (::send(fd, &request, sizeof request, 0) < 0) return false;
    // The kernel fills each read with whole messages, up to the reader's buffer and never
    // past 8 KiB (NLMSG_GOODSIZE) before the first read: one link fits many times.
    alignas(nlmsghdr) char buffer[8192];
    for (;;) {
        ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            if (n == 0) errno = EIO;
            return false;
        }
        std::size_t left = static_cast<std::size_t>(n);
        for (auto* h = reinterpret_cast<const nlmsghdr*>(buffer); NLMSG_OK(h, left); h = NLMSG_NEXT(h, left)) {
            if (h->nlmsg_type == NLMSG_DONE) return true;
            if (h->nlmsg_type == NLMSG_ERROR) {
                errno = -static_cast<const nlmsgerr*>(NLMSG_DATA(h))->error;
                return false;
            }
            take(h, out, count);
        }
    }
}

}  // namespace

int list_net_interfaces(std::span<NetInterface> out) {
    int fd = ::socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
    if (fd < 0) return -1;
    int count = 0;
    bool ok = dump(fd, RTM_GETLINK, out, count) && dump(fd, RTM_GETADDR, out, count);
    int err = errno;
    ::close(fd);
    errno = err;
    return ok ? count : -1;
}

}  // namespace initd
