// Text: the fixed-capacity message buffer.
#include <catch2/catch.hpp>

#include <climits>
#include <cstring>
#include <limits>
#include <string>

#include "initd/text.hpp"

using initd::Text;

namespace {
std::string str(const Text& t) { return std::string(t.view()); }
}  // namespace

TEST_CASE("Text starts empty", "[text]") {
    Text t;
    CHECK(t.empty());
    CHECK(t.view().empty());
    CHECK(std::string(t.c_str()).empty());
}

TEST_CASE("Text formats strings, chars and C strings", "[text]") {
    Text t;
    t << "initd: " << std::string_view("abc") << ' ' << 'x' << std::string_view() << "";
    CHECK(str(t) == "initd: abc x");
    CHECK_FALSE(t.empty());

    const char* null = nullptr;
    Text n;
    n << null;
    CHECK(str(n) == "(null)");

    // A string_view with embedded NUL is copied as is (length, not strlen).
    Text z;
    z << std::string_view("a\0b", 3);
    CHECK(z.view().size() == 3);
    CHECK(z.view() == std::string_view("a\0b", 3));
}

TEST_CASE("Text formats integers", "[text]") {
    Text t;
    t << 0;
    CHECK(str(t) == "0");
    t.clear();
    t << 42;
    CHECK(str(t) == "42");
    t.clear();
    t << -42;
    CHECK(str(t) == "-42");
    t.clear();
    t << -1 << ' ' << 1;
    CHECK(str(t) == "-1 1");
    t.clear();
    t << INT_MIN << ' ' << INT_MAX;
    CHECK(str(t) == "-2147483648 2147483647");
    t.clear();
    t << LLONG_MIN;
    CHECK(str(t) == "-9223372036854775808");
    t.clear();
    t << LLONG_MAX;
    CHECK(str(t) == "9223372036854775807");
    t.clear();
    t << -123456789L;
    CHECK(str(t) == "-123456789");
    t.clear();
    t << 4294967295u;  // UINT_MAX: not negative
    CHECK(str(t) == "4294967295");
    t.clear();
    t << 3000000000u;
    CHECK(str(t) == "3000000000");
    t.clear();
    t << 86400000ul;
    CHECK(str(t) == "86400000");
    t.clear();
    t << "pid " << 17 << " exited with " << 143 << " (" << -1 << ")";
    CHECK(str(t) == "pid 17 exited with 143 (-1)");
}

TEST_CASE("Text formats unsigned long above LLONG_MAX", "[text]") {
    // Known bug (reported): operator<<(unsigned long) casts to long long, so values
    // above LLONG_MAX (e.g. a uint64_t) print as negative numbers.
    Text t;
    t << std::numeric_limits<unsigned long>::max();
    CHECK(str(t) == "18446744073709551615");
}

TEST_CASE("clear empties the text", "[text]") {
    Text t;
    t << "something";
    t.clear();
    CHECK(t.empty());
    CHECK(str(t).empty());
    t << "new";
    CHECK(str(t) == "new");
    CHECK(std::string(t.c_str()) == "new");
}

TEST_CASE("Text truncates at its capacity and never overflows", "[text]") {
    REQUIRE(Text::capacity == 480);

    SECTION("one long string") {
        std::string big(1000, 'a');
        for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>('a' + i % 26);
        Text t;
        t << big;
        CHECK(t.view().size() == Text::capacity);
        CHECK(str(t) == big.substr(0, Text::capacity));
        const char* c = t.c_str();
        CHECK(std::strlen(c) == Text::capacity);
        CHECK(std::string(c) == big.substr(0, Text::capacity));
        // Further writes change nothing.
        t << "more" << 12345 << 'x';
        CHECK(str(t) == big.substr(0, Text::capacity));
    }
    SECTION("many small pieces, exactly to the brim") {
        Text t;
        for (std::size_t i = 0; i < Text::capacity; ++i) t << 'z';
        CHECK(t.view().size() == Text::capacity);
        CHECK(str(t) == std::string(Text::capacity, 'z'));
        t << 'y';
        CHECK(str(t) == std::string(Text::capacity, 'z'));
        CHECK(std::strlen(t.c_str()) == Text::capacity);
    }
    SECTION("a number clipped at the end") {
        Text t;
        t << std::string(Text::capacity - 3, '.');
        t << -123456;
        CHECK(t.view().size() == Text::capacity);
        CHECK(str(t) == std::string(Text::capacity - 3, '.') + "-12");
    }
    SECTION("the bytes after the object are untouched") {
        struct Guarded {
            Text t;
            char guard[16];
        } g;
        std::memset(g.guard, 0x5A, sizeof g.guard);
        g.t << std::string(2000, 'q');
        g.t.c_str();
        g.t << std::string(2000, 'r');
        g.t.c_str();
        for (char c : g.guard) CHECK(c == 0x5A);
    }
}

TEST_CASE("c_str terminates and can be called repeatedly", "[text]") {
    Text t;
    t << "abc";
    const char* a = t.c_str();
    CHECK(std::string(a) == "abc");
    CHECK(std::strlen(a) == 3);
    t << "def";
    CHECK(std::string(t.c_str()) == "abcdef");
    CHECK(str(t) == "abcdef");  // the terminator is not part of the view
    CHECK(t.view().size() == 6);
}

TEST_CASE("Text says when something did not fit", "[text]") {
    Text t;
    t << std::string(Text::capacity, 'a');
    CHECK_FALSE(t.truncated());  // to the brim is not cut
    t << "";
    CHECK_FALSE(t.truncated());
    t << 'b';
    CHECK(t.truncated());
    t.clear();
    CHECK_FALSE(t.truncated());
    t << std::string(Text::capacity + 1, 'c');
    CHECK(t.truncated());
}
