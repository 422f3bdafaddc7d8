#include "initd/log_rotate.hpp"

#include <cerrno>
#include <climits>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "initd/directory.hpp"
#include "initd/io_socket.hpp"
#include "initd/log.hpp"

namespace initd {
namespace {

// The start of every message here.
Text& about(Text& why, const char* path) { return why << "log rotation of " << path << ": "; }

bool failed(Text& why, const char* path, const char* call, const char* object) {
    io::with_errno(about(why, path) << call << ' ' << object);
    return false;
}

bool to_file(void* fd, const unsigned char* data, std::size_t n) {
    return log::write_all(*static_cast<int*>(fd), {reinterpret_cast<const char*>(data), n});
}

// base_YYYYmmddHHMMSS.gz: all of one length, so byte order is time order.
bool is_archive(const char* name, const char* base, std::size_t n) {
    if (std::strncmp(name, base, n) != 0 || name[n] != '_') return false;
    for (std::size_t i = n + 1; i < n + 15; ++i)  // stops at the name's end too
        if (static_cast<unsigned>(name[i] - '0') > 9) return false;
    return std::strcmp(name + n + 15, ".gz") == 0;
}

// One pass over the directory per archive removed, the oldest each time: no list to
// hold, however many files the directory has (one more pass than removals).
void remove_old_archives(int dir, const char* path, const char* base, std::size_t n, Text& why) {
    for (int count = kLogArchivesKept + 1; count > kLogArchivesKept;) {
        char oldest[NAME_MAX + 1];
        alignas(8) char buffer[2048];
        count = 0;
        ::lseek(dir, 0, SEEK_SET);
        long listed = for_each_entry(dir, buffer, [&](const LinuxDirent64& entry) {
            if (is_archive(entry.d_name, base, n) && (count++ == 0 || std::strcmp(entry.d_name, oldest) < 0))
                std::memcpy(oldest, entry.d_name, n + 19);  // base_YYYYmmddHHMMSS.gz and its '\0'
            return true;
        });
        if (listed < 0) count = 0, failed(why, path, "getdents64", ".");
        else if (count > kLogArchivesKept && syscall(SYS_unlinkat, dir, oldest, 0) != 0) count = 0, failed(why, path, "unlink", oldest);
    }
}

// Every descriptor of one rotation, closed however it ends (close(-1) does nothing).
struct Fds {
    int dir, in, archive = -1;
    ~Fds() {
        ::close(dir);
        ::close(in);
        ::close(archive);
    }
};

}  // namespace

void utc_stamp(std::int64_t unix_seconds, char out[14]) {
    if (unix_seconds < 0) unix_seconds = 0;
    auto second = static_cast<unsigned>(unix_seconds % 86400);
    auto days = static_cast<unsigned>(unix_seconds / 86400);
    // A year, then a month, at a time: at most 8030 turns, once per rotation.
    unsigned year = 1970, month = 0, leap;
    for (;; ++year) {
        leap = (year % 4 == 0) - (year % 100 == 0) + (year % 400 == 0);
        if (days < 365 + leap) break;
        days -= 365 + leap;
    }
    for (;; ++month) {
        unsigned length = "\37\34\37\36\37\36\37\37\36\37\36\37"[month] + (month == 1) * leap;
        if (days < length) break;
        days -= length;
    }
    std::uint64_t value = ((year * 100ull + month + 1) * 100 + days + 1) * 1000000 + second / 3600 * 10000 +
                          second / 60 % 60 * 100 + second % 60;
    for (int i = 14; i--; value /= 10) out[i] = static_cast<char>('0' + value % 10);
}

bool rotate_log(const char* path, int log_fd, std::int64_t unix_seconds, GzipWriter& gz, Text& why) {
    why.clear();
    std::size_t n = std::strlen(path), dir_length = n;  // path's directory, with its last '/'
    while (dir_length && path[dir_length - 1] != '/') --dir_length;
    const char* base = path + dir_length;
    n -= dir_length;
    // The log is read by its name: the writer's descriptor may be write-only. It must
    // still be the writer's file, or emptying it would lose what was not archived.
    // Opened first: it also proves that the path fits in PATH_MAX, and so in `name`.
    Fds fd{-1, ::open(path, O_RDONLY | O_CLOEXEC)};
    if (fd.in < 0) return failed(why, path, "open", path);
    char name[PATH_MAX + 20];  // P's directory, then the archive's name in it
    std::memcpy(name, dir_length ? path : "./", dir_length ? dir_length : 2);  // "dir/" opens as "dir"
    name[dir_length ? dir_length : 2] = '\0';
    fd.dir = ::open(name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd.dir < 0) return failed(why, path, "open", name);
    struct stat read_side, write_side;
    if (syscall(SYS_fstat, fd.in, &read_side) != 0 || syscall(SYS_fstat, log_fd, &write_side) != 0)
        return failed(why, path, "fstat", path);
    if (read_side.st_ino != write_side.st_ino || read_side.st_dev != write_side.st_dev) {
        about(why, path) << "not the file written to (moved or replaced)";
        return false;
    }
    // Nothing to archive: an archive per quiet interval would push the real ones out.
    if (read_side.st_size == 0) return true;

    std::memcpy(name, base, n);
    name[n] = '_';
    std::memcpy(name + n + 15, ".gz", 4);
    for (unsigned later = 0; fd.archive < 0; ++later) {
        utc_stamp(unix_seconds + later, name + n + 1);
        fd.archive = ::openat(fd.dir, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd.archive < 0 && (errno != EEXIST || later == 60)) return failed(why, path, "open", name);
    }

    gz.begin(to_file, &fd.archive);
    const char *call = nullptr, *object = name;
    unsigned char buffer[8192];
    for (ssize_t got; !call && (got = ::read(fd.in, buffer, sizeof buffer)) != 0;) {
        if (got < 0) call = "read", object = path;
        else if (!gz.write(buffer, static_cast<std::size_t>(got))) call = "write";
    }
    if (!call && !gz.finish()) call = "write";
    // Raw calls: musl's wrappers are linked for this file alone.
    if (!call && syscall(SYS_fsync, fd.archive) != 0) call = "fsync";
    if (!call && syscall(SYS_ftruncate, log_fd, 0L) != 0) call = "ftruncate", object = path;
    if (call) {
        int err = errno;
        syscall(SYS_unlinkat, fd.dir, name, 0);  // unfinished, or the log still holds its lines
        errno = err;
        return failed(why, path, call, object);
    }
    remove_old_archives(fd.dir, path, base, n, why);
    return true;
}

}  // namespace initd
