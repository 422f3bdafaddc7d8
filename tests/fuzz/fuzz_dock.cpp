// libFuzzer target: dock's parsers on any bytes. The first byte picks one; each must
// stay inside its input and output, and keep the promises its header makes:
//  - prefix_lines: what it writes is the input with the prefix before each line start,
//    whatever the chunking (checked against a one-pass reference);
//  - format_hook_request: Content-Length equals the body's length;
//  - the URL, /proc/net, status-mask and notify parsers: no crash, no overread (ASan).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>

#include "initd/io_socket.hpp"
#include "initd/net_interfaces.hpp"
#include "initd/notify_socket.hpp"
#include "initd/output_relay.hpp"
#include "initd/port_probe.hpp"
#include "initd/signal_masks.hpp"
#include "initd/web_hook.hpp"

namespace {

void check_prefix_lines(std::string_view in) {
    // The first line of the input is the prefix spec, the rest the output to prefix.
    auto nl = in.find('\n');
    std::string_view spec = in.substr(0, nl), text = nl == std::string_view::npos ? "" : in.substr(nl + 1);
    initd::relay::Prefix prefix;
    initd::Text why;
    if (!initd::relay::make_prefix(spec, prefix, why)) return;
    std::string expected;
    bool start = true;
    for (char c : text) {
        if (start) expected += prefix.view();
        expected += c;
        start = c == '\n';
    }
    // Through a small output buffer, so that every boundary case is met.
    std::string got;
    char out[700];
    bool at_line_start = true;
    while (!text.empty()) {
        std::size_t filled = 0;
        std::size_t used = initd::relay::prefix_lines(text, prefix.view(), out, filled, at_line_start, false);
        if (used == 0 && filled == 0) std::abort();  // no progress: a caller would spin
        got.append(out, filled);
        text.remove_prefix(used);
    }
    if (got != expected) std::abort();
}

void check_request(std::string_view url) {
    initd::HookTarget target;
    std::string copy(url);  // the target's views point into it
    if (initd::parse_hook_url(copy, target)) return;
    initd::NetInterface interfaces[2] = {};
    std::strcpy(interfaces[0].name, "lo\"\\\x01");
    interfaces[0].has_ipv4 = true;
    interfaces[0].ipv4[0] = 127;
    interfaces[1].has_ipv6 = true;
    interfaces[1].ipv6[15] = 1;
    char out[4096];
    std::size_t n = initd::format_hook_request("running", interfaces, target, out);
    if (n > sizeof out) std::abort();
    std::string_view request(out, n);
    auto header_end = request.find("\r\n\r\n");
    auto cl = request.find("Content-Length: ");
    if (header_end == std::string_view::npos || cl == std::string_view::npos) std::abort();
    if (std::strtoul(std::string(request.substr(cl + 16, 12)).c_str(), nullptr, 10) != n - header_end - 4) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    std::unique_ptr<char[]> copy(new char[size]);
    std::memcpy(copy.get(), data + 1, size - 1);
    std::string_view text(copy.get(), size - 1);
    switch (data[0] % 7) {
    case 0: check_prefix_lines(text); break;
    case 1: check_request(text); break;
    case 2: {
        initd::io::Url url;
        initd::Text why;
        initd::io::parse_url(text, url, why);
        break;
    }
    case 3: (void)initd::port_probe::parse_net_line(text); (void)initd::port_probe::socket_inode(text); break;
    case 4:
        for (int sig = 1; sig <= 64; ++sig) (void)initd::mask_line_has(text, sig);
        break;
    case 5: (void)initd::has_ready_line(text); break;
    case 6: {
        initd::HookTarget target;
        (void)initd::parse_hosts_line(text, target);
        break;
    }
    }
    return 0;
}
