// What a piece of code writes on a descriptor, for the unit tests of modules that log.
#pragma once

#include <catch2/catch.hpp>

#include <fcntl.h>
#include <string>
#include <unistd.h>

namespace capture {

// Runs `body` with `fd` pointing at `target`, then puts `fd` back.
template <typename Body>
void with_fd(int fd, int target, Body body) {
    int saved = dup(fd);
    REQUIRE(saved >= 0);
    REQUIRE(dup2(target, fd) == fd);
    body();
    dup2(saved, fd);
    close(saved);
}

// What `body` writes on stderr, read back through a pipe.
template <typename Body>
std::string stderr_of(Body body) {
    int fds[2];
    REQUIRE(pipe2(fds, O_CLOEXEC) == 0);
    with_fd(STDERR_FILENO, fds[1], body);
    close(fds[1]);
    std::string out;
    char buffer[4096];
    ssize_t n;
    while ((n = read(fds[0], buffer, sizeof buffer)) > 0) out.append(buffer, static_cast<std::size_t>(n));
    close(fds[0]);
    return out;
}

}  // namespace capture
