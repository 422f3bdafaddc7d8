// libFuzzer target: resolve_user over /etc/passwd and /etc/group files written from
// the input.
//
// Input layout: the USER[:GROUP] spec up to the first '\n'; then the passwd file's
// text up to the first 0x01 byte; then the group file's text. The two files are
// temporary files made once per process and rewritten for every input.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <unistd.h>

#include "initd/users.hpp"

namespace {

void check(bool ok) {
    if (!ok) std::abort();
}

struct TempFile {
    std::string path;
    int fd = -1;
    explicit TempFile(const char* kind) {
        const char* dir = std::getenv("TMPDIR");
        path = std::string(dir && *dir ? dir : "/tmp") + "/initd-fuzz-" + kind + "-XXXXXX";
        fd = mkstemp(path.data());
        if (fd < 0) {
            std::perror("mkstemp");
            std::abort();
        }
    }
    ~TempFile() {
        close(fd);
        unlink(path.c_str());
    }
    void set(std::string_view text) {
        check(ftruncate(fd, 0) == 0);
        check(pwrite(fd, text.data(), text.size(), 0) == static_cast<ssize_t>(text.size()));
    }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static TempFile passwd("passwd"), group("group");
    std::string_view input(reinterpret_cast<const char*>(data), size);
    auto nl = input.find('\n');
    std::string_view spec_text = input.substr(0, nl);
    std::string_view files = nl == std::string_view::npos ? std::string_view() : input.substr(nl + 1);
    auto split = files.find('\x01');
    passwd.set(files.substr(0, split));
    group.set(split == std::string_view::npos ? std::string_view() : files.substr(split + 1));

    // Exactly sized: a read past the spec's end is a heap overflow.
    std::unique_ptr<char[]> spec(new char[spec_text.size() ? spec_text.size() : 1]);
    std::memcpy(spec.get(), spec_text.data(), spec_text.size());

    initd::Credentials out;
    initd::Text error;
    initd::UserFiles paths{passwd.path.c_str(), group.path.c_str()};
    bool ok = initd::resolve_user(std::string_view(spec.get(), spec_text.size()), out, error, paths);
    check(ok == error.empty());
    check(out.group_count <= initd::Credentials::kMaxGroups);
    check(std::memchr(out.home_variable, '\0', sizeof out.home_variable) != nullptr);
    check(std::strncmp(out.home_variable, "HOME=", 5) == 0);
    if (ok) {
        // The primary group is always among the supplementary ones, and only once.
        std::size_t primary = 0;
        for (std::size_t i = 0; i < out.group_count; ++i) primary += out.groups[i] == out.gid;
        check(primary == 1);
        for (std::size_t i = 0; i < out.group_count; ++i)
            for (std::size_t j = i + 1; j < out.group_count; ++j) check(out.groups[i] != out.groups[j]);
    }
    return 0;
}
