// dock's --io URL: where the child's output goes, and for a socket where its input
// comes from. Parsing is pure; dialling and the pseudo-terminal are system calls.
#pragma once

#include <string_view>

#include "initd/text.hpp"

namespace initd::io {

enum class Kind { standard, file, tcp, unix_socket };

struct Url {
    Kind kind = Kind::standard;
    // file: the path (the tail of the URL, so still null-terminated); unix: the
    // socket's path; tcp: the host (a numeric IPv4, [IPv6] or localhost).
    std::string_view path;
    unsigned port = 0;  // tcp
};

// file:///P (or file://P), a bare path, tcp://HOST:PORT, unix://PATH; "" is initd's
// stdout, as in dock. tls:// and ssl:// are refused (no TLS without a TLS library), as
// is any other scheme. False with one line in `why`.
bool parse_url(std::string_view url, Url& out, Text& why);

// Connects to a tcp or unix Url within 5 s (dock's dial timeout); the socket is
// close-on-exec, or -1 with `why`.
int dial(const Url& url, Text& why);

// A pseudo-terminal with echo off: its master in `master` (close-on-exec), its slave in
// `slave` (close-on-exec too: the child gets copies). False with `why`.
bool open_terminal(int& master, int& slave, Text& why);

// ": " and errno's text after `t`: how every dock message about a failed call ends.
Text& with_errno(Text& t);

}  // namespace initd::io
