#include "initd/signal_masks.hpp"

#include "initd/duration.hpp"
#include "initd/line_reader.hpp"
#include "initd/text.hpp"

namespace initd {

bool mask_line_has(std::string_view line, int sig) {
    // The kernel writes the mask as hex digits right after "SigBlk:\t": only the one
    // digit that holds the bit is read, four bits a digit from the right.
    std::size_t from_right = static_cast<std::size_t>(sig - 1) / 4;
    std::string_view key(line.data(), line.size() < 7 ? line.size() : 7);  // one table lookup, not two starts_with
    if (word_index(key, "SigBlk:\0SigIgn:\0") < 0 || sig < 1 || sig > 64 ||
        line.size() < 9 + from_right)
        return false;
    char c = line[line.size() - 1 - from_right] | 0x20;
    return ((c <= '9' ? c - '0' : c - 'a' + 10) >> ((sig - 1) % 4)) & 1;
}

bool ignores_or_blocks(pid_t pid, int sig) {
    Text path;
    path << "/proc/" << pid << "/status";
    char buffer[1024];  // the lines are short but for Groups:, which may be long
    LineReader lines(path.c_str(), buffer);
    while (auto line = lines.next())
        if (mask_line_has(*line, sig)) return true;
    return false;
}

}  // namespace initd
