// relay_throughput: what dock's output relay costs a child that writes a lot. A child
// writes MIB MiB of 100-byte lines (4 KiB a write, as stdio does) straight to a target,
// then through the relay (src/dock/output_relay.cpp) without and with a prefix, driven as
// initd's loop drives it: SIGIO taken by sigtimedwait, then on_io(). Targets: /dev/null
// and a file. Prints MB/s and the ratio to the direct write.
//
//     relay_throughput [MIB [FILE]]     (1024 MiB and /tmp/relay_throughput.out by default)
//
// Built with the tests (it links the modules' host library; in its own directory because
// bench/run compiles bench/*.cpp into the driver); bench/run does not run it. The
// "output" row of bench/run measures the same through the real binary.
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <memory>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

#include "initd/output_relay.hpp"

namespace {

[[noreturn]] void write_lines(int fd, unsigned long long bytes) {
    char buffer[4096];
    for (std::size_t i = 0; i < sizeof buffer; ++i) buffer[i] = i % 100 == 99 ? '\n' : char('a' + i % 26);
    // 4096 is not a multiple of 100: each write starts where the last one's lines stopped.
    std::size_t at = 0;
    while (bytes) {
        std::size_t n = bytes < 4000 ? bytes : 4000;
        if (write(fd, buffer + at, n) != ssize_t(n)) _exit(1);
        bytes -= n;
        at = (at + n) % 100;
    }
    _exit(0);
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

double direct(const char* path, unsigned long long bytes) {
    auto t0 = std::chrono::steady_clock::now();
    pid_t pid = fork();
    if (pid == 0) {
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0600);
        write_lines(fd, bytes);
    }
    int status;
    waitpid(pid, &status, 0);
    return seconds_since(t0);
}

double relayed(const char* path, unsigned long long bytes, const char* prefix) {
    truncate(path, 0);
    auto relay = std::make_unique<initd::OutputRelay>();
    initd::Text why;
    if (!relay->open_file(path, prefix, why)) {
        std::fprintf(stderr, "%.*s\n", int(why.view().size()), why.view().data());
        std::exit(1);
    }
    sigset_t sigio;
    sigemptyset(&sigio);
    sigaddset(&sigio, SIGIO);
    auto t0 = std::chrono::steady_clock::now();
    pid_t pid = fork();
    if (pid == 0) write_lines(relay->child_output_fd(), bytes);
    relay->after_spawn();
    int status;
    while (waitpid(pid, &status, WNOHANG) == 0) {
        timespec t{0, 50 * 1000000L};  // the timeout only notices the child's exit
        sigtimedwait(&sigio, nullptr, &t);
        relay->on_io();
    }
    relay->drain_at_exit();
    double s = seconds_since(t0);
    // The relay's descriptors stay open (initd never closes them): closed here by hand.
    for (int fd = 3; fd < 64; ++fd) close(fd);
    return s;
}

}  // namespace

int main(int argc, char** argv) {
    unsigned long long mib = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1024;
    const char* file = argc > 2 ? argv[2] : "/tmp/relay_throughput.out";
    unsigned long long bytes = mib << 20;
    sigset_t sigio;
    sigemptyset(&sigio);
    sigaddset(&sigio, SIGIO);
    sigprocmask(SIG_BLOCK, &sigio, nullptr);  // as initd: taken by sigtimedwait

    std::printf("%llu MiB of 100-byte lines, 4000 bytes a write\n\n", mib);
    std::printf("| target | direct (MB/s) | relay, no prefix (MB/s) | ratio | relay, prefix (MB/s) | ratio |\n");
    std::printf("|---|---|---|---|---|---|\n");
    for (const char* target : {"/dev/null", file}) {
        double mb = double(bytes) / 1e6;
        double d = mb / direct(target, bytes);
        double plain = mb / relayed(target, bytes, "");
        double prefixed = mb / relayed(target, bytes, "app:green");
        std::printf("| %s | %.0f | %.0f | %.2f | %.0f | %.2f |\n", target, d, plain, plain / d, prefixed, prefixed / d);
        std::fflush(stdout);
    }
    unlink(file);
    return 0;
}
