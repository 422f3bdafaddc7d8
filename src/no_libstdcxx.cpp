// The shipped binary links no libstdc++. The header-only pieces initd uses still name
// libstdc++'s error hooks (string_view::substr checks its position); initd never
// takes those paths, and if it did, stopping at once beats undefined behaviour.
#include <cstdlib>

namespace std {
[[noreturn]] void __throw_out_of_range_fmt(const char*, ...) { __builtin_trap(); }
[[noreturn]] void __throw_length_error(const char*) { __builtin_trap(); }
[[noreturn]] void __throw_logic_error(const char*) { __builtin_trap(); }
[[noreturn]] void __throw_bad_optional_access() { __builtin_trap(); }
}  // namespace std
