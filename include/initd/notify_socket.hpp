// Readiness the way today's orchestrators ask for it: systemd's notify protocol, which
// podman's --sdnotify=container passes into the container. initd makes a NOTIFY_SOCKET
// of its own for the child; a datagram with the line "READY=1" from the child counts as
// "running", and initd then sends "READY=1" to its own NOTIFY_SOCKET, if it was given
// one, so that initd is ready when its child is.
//
// Where the socket lives: in the abstract namespace, with a name the kernel picks
// (autobind: "@" and five hex digits). Abstract needs no writable file system and no
// permission (a child that dropped privileges with -u can still send), leaves no file
// behind, and the kernel's choice cannot collide: a name like "@initd-<pid>-notify"
// would, for two containers of one pod, which share their network namespace and both
// have initd as PID 1. The same sharing lets a neighbour in that namespace send to it;
// systemd accepts as much from any process of the unit with NotifyAccess=all.
#pragma once

#include <string_view>

#include "initd/text.hpp"

namespace initd {

class NotifySocket {
public:
    // Binds the socket (datagrams, non-blocking, close-on-exec) and asks for SIGIO
    // (O_ASYNC, owner: this process) when a datagram arrives: the loop, which blocks
    // every signal and takes them with sigtimedwait, then calls on_io(). False, with
    // `why` saying which call failed, when it cannot.
    bool open(Text& why);

    // "NOTIFY_SOCKET=@xxxxx", for the child's environment (ChildSetup::variable, which
    // replaces a NOTIFY_SOCKET initd was given); valid once open() succeeded.
    const char* env_entry() const { return entry_; }
    int fd() const { return fd_; }

    // On SIGIO: reads every datagram waiting (each up to 4 KiB; more is cut, and file
    // descriptors sent along are closed by the kernel). True once: for the first
    // datagram with a line "READY=1" ("READY=1", "STATUS=up\nREADY=1\n").
    bool on_io();

    // Closes the socket (the child's later sd_notify calls then fail, harmlessly).
    void close();

    // Sends "READY=1" to the NOTIFY_SOCKET of `envp` (initd's own environment, not the
    // child's): a path, or "@name" in the abstract namespace. Without waiting: a full
    // receiver loses it. False when there is none, or the datagram could not be sent.
    static bool forward_ready(char* const* envp);

private:
    int fd_ = -1;
    bool ready_ = false;
    char entry_[24];  // "NOTIFY_SOCKET=@" + five hex digits, made by open()
};

// --- The parsing, pure, for the unit tests. ---

// Whether a notify datagram holds the line "READY=1" (lines end in '\n').
bool has_ready_line(std::string_view datagram);

}  // namespace initd
