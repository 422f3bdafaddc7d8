#include "initd/signal_masks.hpp"

#include "initd/line_reader.hpp"
#include "initd/text.hpp"

namespace initd {

bool mask_line_has(std::string_view line, int sig) {
    if (!line.starts_with("SigBlk:") && !line.starts_with("SigIgn:")) return false;
    std::string_view hex = line.substr(7);
    while (!hex.empty() && (hex[0] == '\t' || hex[0] == ' ')) hex.remove_prefix(1);
    while (!hex.empty() && (hex.back() == ' ' || hex.back() == '\t')) hex.remove_suffix(1);
    // Only the one digit that holds the bit is read: four bits a digit, from the right.
    std::size_t from_right = static_cast<std::size_t>(sig - 1) / 4;
    if (sig < 1 || sig > 64 || from_right >= hex.size()) return false;
    char c = hex[hex.size() - 1 - from_right] | 0x20;
    int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : 0;
    return (digit >> ((sig - 1) % 4)) & 1;
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
