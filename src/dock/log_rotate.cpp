#include "initd/log_rotate.hpp"

#include <cerrno>
#include <climits>
#include <cstring>
#include <fcntl.h>
#include <string_view>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "initd/directory.hpp"
#include "initd/log.hpp"

namespace initd {
namespace {

struct Fd {
    int fd = -1;
    ~Fd() {
        if (fd >= 0) ::close(fd);
    }
};

bool failed(Text& why, const char* path, const char* call, const char* object) {
    why << "log rotation of " << path << ": " << call << ' ' << object << ": " << std::strerror(errno);
    return false;
}

bool to_file(void* fd, const unsigned char* data, std::size_t n) {
    return log::write_all(*static_cast<int*>(fd), {reinterpret_cast<const char*>(data), n});
}

void put_digits(char* out, std::uint64_t value, int width) {
    while (width--) {
        out[width] = static_cast<char>('0' + value % 10);
        value /= 10;
    }
}

// base_YYYYmmddHHMMSS.gz: all of one length, so byte order is time order.
bool is_archive(const char* name, std::string_view base) {
    std::size_t n = base.size();
    if (std::strlen(name) != n + 18 || std::memcmp(name, base.data(), n) != 0 || name[n] != '_' ||
        std::memcmp(name + n + 15, ".gz", 3) != 0)
        return false;
    for (std::size_t i = n + 1; i < n + 15; ++i)
        if (static_cast<unsigned>(name[i] - '0') > 9) return false;
    return true;
}

// One pass over the directory per archive removed, the oldest each time: no list to
// hold, however many files the directory has (one more pass than removals).
void remove_old_archives(int dir, const char* path, std::string_view base, Text& why) {
    for (;;) {
        char oldest[NAME_MAX + 1];
        int count = 0;
        alignas(8) char buffer[2048];
        ::lseek(dir, 0, SEEK_SET);
        long listed = for_each_entry(dir, buffer, [&](const LinuxDirent64& entry) {
            if (is_archive(entry.d_name, base) && (count++ == 0 || std::strcmp(entry.d_name, oldest) < 0))
                std::strcpy(oldest, entry.d_name);
            return true;
        });
        if (listed < 0) {
            failed(why, path, "getdents64", "its directory");
            return;
        }
        if (count <= kLogArchivesKept) return;
        if (::unlinkat(dir, oldest, 0) != 0) {
            failed(why, path, "unlink", oldest);
            return;
        }
    }
}

}  // namespace

void utc_stamp(std::int64_t unix_seconds, char out[14]) {
    if (unix_seconds < 0) unix_seconds = 0;
    auto second = static_cast<unsigned>(unix_seconds % 86400);
    // Count from 0000-03-01 in 400-year eras of 146097 days: the leap day is then the
    // last day of a year, and months from March on have a linear length formula.
    auto days = static_cast<unsigned>(unix_seconds / 86400) + 719468;
    unsigned era = days / 146097, day_of_era = days % 146097;
    unsigned year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
    unsigned day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    unsigned month_from_march = (5 * day_of_year + 2) / 153;
    unsigned day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
    unsigned month = month_from_march < 10 ? month_from_march + 3 : month_from_march - 9;
    std::uint64_t date = (era * 400 + year_of_era + (month <= 2)) * 10000 + month * 100 + day;
    put_digits(out, date * 1000000 + second / 3600 * 10000 + second / 60 % 60 * 100 + second % 60, 14);
}

bool rotate_log(const char* path, int log_fd, std::int64_t unix_seconds, GzipWriter& gz, Text& why) {
    why.clear();
    const char* slash = std::strrchr(path, '/');
    std::string_view base = slash ? slash + 1 : path;
    char name[PATH_MAX];  // P's directory, then the archive's name in it
    if (std::strlen(path) + 20 > sizeof name) {
        errno = ENAMETOOLONG;
        return failed(why, path, "open", path);
    }
    std::size_t dir_length = slash ? (slash == path ? 1 : static_cast<std::size_t>(slash - path)) : 1;
    std::memcpy(name, slash ? path : ".", dir_length);
    name[dir_length] = '\0';
    Fd dir{::open(name, O_RDONLY | O_DIRECTORY | O_CLOEXEC)};
    if (dir.fd < 0) return failed(why, path, "open", name);

    // The log is read by its name: the writer's descriptor may be write-only. It must
    // still be the writer's file, or emptying it would lose what was not archived.
    Fd in{::openat(dir.fd, base.data(), O_RDONLY | O_CLOEXEC)};
    struct stat read_side{}, write_side{};
    if (in.fd < 0) return failed(why, path, "open", path);
    if (syscall(SYS_fstat, in.fd, &read_side) != 0 || syscall(SYS_fstat, log_fd, &write_side) != 0)
        return failed(why, path, "fstat", path);
    if (read_side.st_ino != write_side.st_ino || read_side.st_dev != write_side.st_dev) {
        why << "log rotation of " << path << ": not the file written to any more (moved or replaced)";
        return false;
    }
    // Nothing to archive: an archive per quiet interval would push the real ones out.
    if (read_side.st_size == 0) return true;

    Fd archive;
    for (unsigned later = 0; archive.fd < 0; ++later) {
        std::memcpy(name, base.data(), base.size());
        name[base.size()] = '_';
        utc_stamp(unix_seconds + later, name + base.size() + 1);
        std::memcpy(name + base.size() + 15, ".gz", 4);
        archive.fd = ::openat(dir.fd, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (archive.fd < 0 && (errno != EEXIST || later == 60)) return failed(why, path, "open", name);
    }

    gz.begin(to_file, &archive.fd);
    const char *call = nullptr, *object = name;
    unsigned char buffer[8192];
    for (ssize_t n; !call && (n = ::read(in.fd, buffer, sizeof buffer)) != 0;) {
        if (n < 0) call = "read", object = path;
        else if (!gz.write(buffer, static_cast<std::size_t>(n))) call = "write";
    }
    if (!call && !gz.finish()) call = "write";
    if (!call && ::fsync(archive.fd) != 0) call = "fsync";
    if (!call && ::ftruncate(log_fd, 0) != 0) call = "ftruncate", object = path;
    if (call) {
        int err = errno;
        ::unlinkat(dir.fd, name, 0);  // unfinished, or the log still holds its lines
        errno = err;
        return failed(why, path, call, object);
    }
    remove_old_archives(dir.fd, path, base, why);
    return true;
}

}  // namespace initd
