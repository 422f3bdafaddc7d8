// libFuzzer target: signal names and numbers, and rewrite rules.
//
// The input is one text (not NUL-terminated: an exactly-sized heap copy, so ASan sees
// any read past its end). Properties checked beyond "no crash":
//  - parse_signal gives 1..64 or nothing, and signal_name of what it gives parses
//    back to the same number (the log names a signal the way the user can write it);
//  - parse_rewrite_rule sets only FROM (never KILL or STOP) to 0..64, or fails and
//    says why, leaving the table as it was.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string_view>

#include "initd/signals.hpp"

namespace {
void check(bool ok) {
    if (!ok) std::abort();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::unique_ptr<char[]> copy(new char[size ? size : 1]);
    std::memcpy(copy.get(), data, size);
    std::string_view text(copy.get(), size);

    if (auto sig = initd::parse_signal(text)) {
        check(*sig >= 1 && *sig <= initd::kSignalMax);
        initd::SignalName name = initd::signal_name(*sig);
        check(std::memchr(name.text, '\0', sizeof name.text) != nullptr);
        check(initd::parse_signal(name.view()) == sig);
    }

    initd::RewriteTable table;
    initd::Text error;
    bool ok = initd::parse_rewrite_rule(text, table, error);
    int ruled = 0;
    for (int s = 1; s <= initd::kSignalMax; ++s) {
        int to = table.apply(s);
        check(to >= 0 && to <= initd::kSignalMax);
        if (table.has_rule(s)) ++ruled;
        else check(to == s);
    }
    if (ok) {
        check(error.empty());
        check(ruled == 1);
        auto colon = text.find(':');
        check(colon != std::string_view::npos);
        auto from = initd::parse_signal(text.substr(0, colon));
        check(from && table.has_rule(*from) && *from != 9 && *from != 19);
    } else {
        check(!error.empty());
        check(ruled == 0);
    }
    return 0;
}
