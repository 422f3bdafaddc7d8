// my_init's container environment in a temporary root, compared byte for byte with
// what the real my_init wrote from the same input (unit/data/container_environment).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

#include "initd/container_environment.hpp"

using initd::Text;
using namespace initd::container_env;
namespace fs = std::filesystem;

namespace {

const std::string kData = std::string(TEST_DATA_DIR) + "/container_environment/";

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

void spill(const std::string& path, const std::string& content, mode_t mode = 0644) {
    std::ofstream(path, std::ios::binary | std::ios::trunc) << content;
    REQUIRE(::chmod(path.c_str(), mode) == 0);
}

std::string mode_of(const std::string& path) {
    struct stat st {};
    REQUIRE(::stat(path.c_str(), &st) == 0);
    char text[8];
    std::snprintf(text, sizeof text, "%04o\n", st.st_mode & 07777);
    return text;
}

// A scratch root holding container_environment/ (unless told not to), removed at the end;
// umask 022 as in a container (my_init's fixtures were written with it).
struct Root {
    explicit Root(bool with_dir = true) {
        char name[] = "/tmp/initd-container-env-XXXXXX";
        REQUIRE(::mkdtemp(name));
        path = name;
        if (with_dir) fs::create_directory(path + "/container_environment");
        dir = path + "/container_environment";
        sh = dir + ".sh";
        json = dir + ".json";
        old_umask = ::umask(022);
    }
    ~Root() {
        ::umask(old_umask);
        fs::remove_all(path);
    }
    Paths paths() const { return Paths{dir.c_str(), sh.c_str(), json.c_str()}; }

    std::string path, dir, sh, json;
    mode_t old_umask;
};

// The generator's file list: per file "NAME MODE LENGTH\n", the bytes, "\n".
void write_files(const Root& root, const std::string& list) {
    std::size_t at = 0;
    while (at < list.size()) {
        std::size_t end = list.find('\n', at);
        std::istringstream header(list.substr(at, end - at));
        std::string name, mode;
        std::size_t length = 0;
        header >> name >> mode >> length;
        spill(root.dir + "/" + name, list.substr(end + 1, length), std::stoi(mode, nullptr, 8));
        at = end + 1 + length + 1;
    }
}

// The directory in that format, files in byte order as the generator lists them.
std::string list_files(const std::string& dir) {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(dir)) names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());
    std::string out;
    for (const auto& name : names) {
        std::string content = slurp(dir + "/" + name), mode = mode_of(dir + "/" + name);
        out += name + " " + mode.substr(0, 4) + " " + std::to_string(content.size()) + "\n" + content + "\n";
    }
    return out;
}

// An environment block as execve takes it, from NUL-separated "NAME=VALUE" strings.
struct Envp {
    explicit Envp(const std::string& block) {
        for (std::size_t at = 0; at < block.size(); at = block.find('\0', at) + 1) strings.push_back(block.c_str() + at);
        for (auto& s : strings) pointers.push_back(s.data());
        pointers.push_back(nullptr);
    }
    Envp(std::initializer_list<const char*> list) : Envp(join(list)) {}
    static std::string join(std::initializer_list<const char*> list) {
        std::string out;
        for (const char* s : list) out += std::string(s) + '\0';
        return out;
    }
    std::vector<std::string> strings;
    std::vector<char*> pointers;
};

std::vector<std::string> strings_of(Environment& env) {
    std::vector<std::string> out;
    for (char** e = env.envp(); *e; ++e) out.push_back(*e);
    return out;
}

// my_init's start: the files under the process's environment, then everything exported.
void start(Environment& env, const Root& root, Envp& envp) {
    Text why;
    REQUIRE(env.adopt(envp.pointers.data()));
    REQUIRE(import_directory(env, root.paths(), Import::add_missing, why));
    REQUIRE(export_environment(env, root.paths(), Export::everywhere, why));
    CHECK(why.empty());
}

// A fixture's case: its files in place, its environment adopted, my_init's start done.
// The start case's list names a dump that exists before start "../container_environment.sh".
void start_case(const std::string& data, const Root& root, Environment& env) {
    write_files(root, slurp(data + "files"));
    Envp envp(slurp(data + "environ"));
    start(env, root, envp);
}

// What my_init left in the case: the directory, both dumps and their modes.
void check_outputs(const std::string& data, const Root& root) {
    CHECK(list_files(root.dir) == slurp(data + "expected.dir"));
    CHECK(slurp(root.sh) == slurp(data + "expected.sh"));
    CHECK(slurp(root.json) == slurp(data + "expected.json"));
    CHECK(mode_of(root.sh) == slurp(data + "expected.sh.mode"));
    CHECK(mode_of(root.json) == slurp(data + "expected.json.mode"));
}

// What export_environment writes for one variable: the .sh and .json dumps.
std::pair<std::string, std::string> dumps_of(const char* name, const std::string& value) {
    Root root;
    auto env = std::make_unique<Environment>();
    REQUIRE(env->set(name, value));
    Text why;
    REQUIRE(export_environment(*env, root.paths(), Export::dumps_only, why));
    return {slurp(root.sh), slurp(root.json)};
}

}  // namespace

TEST_CASE("container_env: at start the directory and both dumps are what my_init wrote", "[container_env]") {
    const std::string data = kData + "start/";
    Root root;
    auto env = std::make_unique<Environment>();
    start_case(data, root, *env);
    check_outputs(data, root);  // the .sh existed (mode 0600) and keeps its mode
    CHECK(std::string(env->get("FROM_ENV")) == "env");  // the process's environment wins
    CHECK(std::string(env->get("NEW_B")) == "b\n");      // one trailing newline dropped
}

TEST_CASE("container_env: after a startup script the environment is rebuilt from the directory as my_init rebuilds it",
          "[container_env]") {
    const std::string data = kData + "after_script/";
    Root root;
    auto env = std::make_unique<Environment>();
    start_case(data, root, *env);
    std::string command = "cd '" + root.path + "' && /bin/sh '" + data + "script'";
    REQUIRE(std::system(command.c_str()) == 0);
    Text why;
    REQUIRE(import_directory(*env, root.paths(), Import::replace, why));
    REQUIRE(export_environment(*env, root.paths(), Export::dumps_only, why));
    check_outputs(data, root);
    CHECK(env->get("B") == nullptr);  // its file was removed
    CHECK(std::string(env->get("A")) == "changed");
    CHECK(std::string(env->get("WIN")) == "cr");  // "\r\n" read as "\n", then dropped
}

TEST_CASE("container_env: without the directory nothing is read or written", "[container_env]") {
    Root root(false);
    auto env = std::make_unique<Environment>();
    Envp envp{"A=1"};
    Text why;
    REQUIRE(env->adopt(envp.pointers.data()));
    CHECK(import_directory(*env, root.paths(), Import::add_missing, why));
    CHECK(import_directory(*env, root.paths(), Import::replace, why));
    CHECK(export_environment(*env, root.paths(), Export::everywhere, why));
    CHECK(why.empty());
    CHECK(strings_of(*env) == std::vector<std::string>{"A=1"});
    CHECK(!fs::exists(root.sh));
    CHECK(!fs::exists(root.json));
}

TEST_CASE("container_env: a rebuild keeps HOME USER GROUP UID GID SHELL, which my_init drops", "[container_env]") {
    Root root;
    auto env = std::make_unique<Environment>();
    Envp envp{"HOME=/root", "A=1", "USER=root", "GROUP=g", "UID=0", "GID=0", "SHELL=/bin/sh"};
    start(*env, root, envp);
    CHECK(!fs::exists(root.dir + "/HOME"));
    CHECK(slurp(root.sh) == "export A=1\n");
    spill(root.dir + "/B", "2\n");
    Text why;
    REQUIRE(import_directory(*env, root.paths(), Import::replace, why));
    CHECK(strings_of(*env) == std::vector<std::string>{"HOME=/root", "USER=root", "GROUP=g", "UID=0", "GID=0",
                                                       "SHELL=/bin/sh", "A=1", "B=2"});
    // A script may still set one of them through a file.
    spill(root.dir + "/HOME", "/home/x");
    REQUIRE(import_directory(*env, root.paths(), Import::replace, why));
    CHECK(std::string(env->get("HOME")) == "/home/x");
}

TEST_CASE("container_env: adopt keeps the first of two variables of one name, as getenv does", "[container_env]") {
    auto env = std::make_unique<Environment>();
    Envp envp{"A=1", "no equals sign", "=no name", "A=2", "B=x=y"};
    REQUIRE(env->adopt(envp.pointers.data()));
    CHECK(strings_of(*env) == std::vector<std::string>{"A=1", "B=x=y"});
    Envp other{"C=3"};
    REQUIRE(env->adopt(other.pointers.data()));  // replaces everything
    CHECK(strings_of(*env) == std::vector<std::string>{"C=3"});
}

TEST_CASE("container_env: set replaces a value in its place and reuses the text", "[container_env]") {
    auto env = std::make_unique<Environment>();
    REQUIRE(env->set("A", "1"));
    REQUIRE(env->set("B", "2"));
    REQUIRE(env->set("C", "3"));
    // Far more than 64 KiB written in all: the old strings' room comes back.
    std::string big(1000, 'x');
    for (int i = 0; i < 500; ++i) REQUIRE(env->set("B", big + std::to_string(i)));
    CHECK(strings_of(*env) == std::vector<std::string>{"A=1", "B=" + big + "499", "C=3"});
    CHECK(std::string(env->get("C")) == "3");
    CHECK(env->get("D") == nullptr);
    CHECK(env->get("") == nullptr);
    CHECK(!env->set("", "x"));
    CHECK(!env->set("A=B", "x"));
    CHECK(!env->set(std::string_view("A\0B", 3), "x"));
    CHECK(!env->set("A", std::string_view("x\0y", 3)));
    CHECK(env->set("E", ""));
    CHECK(std::string(env->get("E")).empty());
}

TEST_CASE("container_env: past 256 variables or 64 KiB of text nothing more is added, and the import says why",
          "[container_env]") {
    auto env = std::make_unique<Environment>();
    for (int i = 0; i < 256; ++i) REQUIRE(env->set("V" + std::to_string(i), "x"));
    CHECK(!env->set("ONE_MORE", "x"));
    CHECK(env->set("V7", "replacing still works"));
    CHECK(std::string(env->get("V7")) == "replacing still works");

    Root root;
    spill(root.dir + "/ONE_MORE", "x");
    Text why;
    CHECK(!import_directory(*env, root.paths(), Import::add_missing, why));
    CHECK(why.view() == root.dir + "/ONE_MORE: does not fit (256 variables, 64 KiB of text)");

    REQUIRE(env->adopt(Envp{"A=1"}.pointers.data()));
    CHECK(!env->set("BIG", std::string(Environment::kMaxText, 'x')));
    // Exactly full: "A=1", then "BIG=" + the value + a NUL each.
    CHECK(env->set("BIG", std::string(Environment::kMaxText - 4 - 5, 'x')));
    CHECK(!env->set("C", ""));

    // A file one byte too large for the room left fails; one that fits is read whole.
    REQUIRE(env->adopt(Envp{"A=1"}.pointers.data()));
    spill(root.dir + "/ONE_MORE", std::string(Environment::kMaxText - 4 - 9, 'y'));
    why.clear();
    CHECK(!import_directory(*env, root.paths(), Import::add_missing, why));
    CHECK(why.view() == root.dir + "/ONE_MORE: does not fit (256 variables, 64 KiB of text)");
    spill(root.dir + "/ONE_MORE", std::string(Environment::kMaxText - 4 - 10, 'y'));
    why.clear();
    CHECK(import_directory(*env, root.paths(), Import::add_missing, why));
    CHECK(std::string(env->get("ONE_MORE")).size() == Environment::kMaxText - 14);
}

TEST_CASE("container_env: new variables come in byte order of their names, a prefix first", "[container_env]") {
    Root root;
    for (const char* name : {"\xc3\xa9", "_", "AB", "A-", "a", "A", "B"}) spill(root.dir + "/" + name, "x");
    auto env = std::make_unique<Environment>();
    REQUIRE(env->set("B", "process"));
    Text why;
    REQUIRE(import_directory(*env, root.paths(), Import::add_missing, why));
    CHECK(strings_of(*env) ==
          std::vector<std::string>{"B=process", "A=x", "A-=x", "AB=x", "_=x", "a=x", "\xc3\xa9=x"});
}

TEST_CASE("container_env: a file holding a NUL byte fails the import with its path", "[container_env]") {
    Root root;
    spill(root.dir + "/BAD", std::string("a\0b", 3));
    auto env = std::make_unique<Environment>();
    Text why;
    CHECK(!import_directory(*env, root.paths(), Import::add_missing, why));
    CHECK(why.view() == root.dir + "/BAD: a NUL byte cannot be in a variable");
}

TEST_CASE("container_env: only regular files are variables, read through symlinks", "[container_env]") {
    Root root;
    fs::create_directory(root.dir + "/SUBDIR");
    REQUIRE(::mkfifo((root.dir + "/FIFO").c_str(), 0644) == 0);  // must not hang the start
    spill(root.path + "/target", "linked\n");
    fs::create_symlink(root.path + "/target", root.dir + "/LINK");
    fs::create_directory_symlink(root.dir + "/SUBDIR", root.dir + "/LINK_TO_DIR");
    spill(root.dir + "/with=sign", "x");
    auto env = std::make_unique<Environment>();
    Text why;
    REQUIRE(import_directory(*env, root.paths(), Import::add_missing, why));
    CHECK(strings_of(*env) == std::vector<std::string>{"LINK=linked"});
}

TEST_CASE("container_env: a name no file can hold stays out of the directory and survives a rebuild",
          "[container_env]") {
    Root root;
    auto env = std::make_unique<Environment>();
    Envp envp{"a/b=slash", "..=dots", "OK=1"};
    start(*env, root, envp);
    CHECK(list_files(root.dir) == "OK 0644 1\n1\n");
    CHECK(slurp(root.sh) == "export a_b=slash\nexport __=dots\nexport OK=1\n");
    Text why;
    REQUIRE(import_directory(*env, root.paths(), Import::replace, why));
    CHECK(strings_of(*env) == std::vector<std::string>{"a/b=slash", "..=dots", "OK=1"});
}

TEST_CASE("container_env: values are quoted as shlex.quote quotes them", "[container_env]") {
    CHECK(dumps_of("A", "").first == "export A=''\n");
    CHECK(dumps_of("A", "plain-_@%+=:,./09AZaz").first == "export A=plain-_@%+=:,./09AZaz\n");
    CHECK(dumps_of("A", "it's").first == "export A='it'\"'\"'s'\n");
    CHECK(dumps_of("A", "''").first == "export A=''\"'\"''\"'\"''\n");
    // shlex.quote's \w is ASCII; my_init's own copy would leave "café" bare.
    CHECK(dumps_of("A", "caf\xc3\xa9").first == "export A='caf\xc3\xa9'\n");
}

TEST_CASE("container_env: names lose every character but [A-Za-z0-9_] in the shell dump", "[container_env]") {
    CHECK(dumps_of("a-b.c d", "1").first == "export a_b_c_d=1\n");
    CHECK(dumps_of("x\xe2\x82\xacy", "1").first == "export x_y=1\n");     // one character, one '_'
    CHECK(dumps_of("x\xe2\x82\xac\xffy", "1").first == "export x__y=1\n");  // and a stray byte another
    CHECK(dumps_of("x\xc3\xa9y", "1").first == "export x_y=1\n");         // my_init would keep the é
}

TEST_CASE("container_env: JSON as json.dumps writes it, bytes that are not UTF-8 as Python holds them",
          "[container_env]") {
    auto json = [](const std::string& value) {
        std::string out = dumps_of("V", value).second;
        REQUIRE(out.substr(0, 7) == "{\"V\": \"");
        return out.substr(7, out.size() - 9);
    };
    CHECK(dumps_of("V", "x").second == "{\"V\": \"x\"}");
    CHECK(json("\"\\/\b\f\n\r\t\x01\x7f ~") == "\\\"\\\\/\\b\\f\\n\\r\\t\\u0001\\u007f ~");
    CHECK(json("\xe2\x82\xac\xf0\x9f\x98\x80") == "\\u20ac\\ud83d\\ude00");
    // As json.dumps(os.fsdecode(bytes)) prints them.
    CHECK(json("\xc0\x80") == "\\udcc0\\udc80");                // overlong
    CHECK(json("\xed\xa0\x80") == "\\udced\\udca0\\udc80");     // a surrogate
    CHECK(json("a\xe2\x82") == "a\\udce2\\udc82");              // cut short
    CHECK(json("\xf4\x90\x80\x80") == "\\udcf4\\udc90\\udc80\\udc80");  // past U+10FFFF
    CHECK(json("\x80x") == "\\udc80x");
    CHECK(json("\xe2\x82\xac\xff") == "\\u20ac\\udcff");
}

TEST_CASE("container_env: an export that cannot write says which file", "[container_env]") {
    Root root;
    auto env = std::make_unique<Environment>();
    REQUIRE(env->set("A", "1"));
    Paths paths = root.paths();
    std::string sh = root.path + "/missing/container_environment.sh";
    paths.sh = sh.c_str();
    Text why;
    CHECK(!export_environment(*env, paths, Export::everywhere, why));
    CHECK(why.view() == sh + ": No such file or directory");
    CHECK(slurp(root.dir + "/A") == "1");
}

TEST_CASE("container_env: an empty environment dumps as nothing and {}", "[container_env]") {
    Root root;
    auto env = std::make_unique<Environment>();
    Text why;
    REQUIRE(export_environment(*env, root.paths(), Export::everywhere, why));
    CHECK(slurp(root.sh).empty());
    CHECK(slurp(root.json) == "{}");
}
