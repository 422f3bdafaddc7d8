# Toolchain: a static arm64 (aarch64) initd against musl, cross-built on amd64, as the
# amd64 binary is (musl.cmake): Debian's cross g++ compiles against musl's arm64 headers,
# and musl's arm64 gcc wrapper links musl's crt and libc.a. Debian 12:
#   dpkg --add-architecture arm64 && apt-get update &&
#   apt-get install g++-aarch64-linux-gnu musl-dev:arm64
#   cmake -S . -B build-arm64 -DINITD_TOOLCHAIN=$PWD/cmake/aarch64-linux-musl.cmake
# Only the release binary uses it (the sub-build); tests/arm64/run runs it under qemu-user.
# The cross compiler, strip and search paths are those of the glibc toolchain; the C
# headers, the link and the libc are musl's.
include(${CMAKE_CURRENT_LIST_DIR}/aarch64-linux-gnu.cmake)
set(_musl /usr/lib/aarch64-linux-musl)
if(NOT EXISTS ${_musl}/libc.a)
  message(FATAL_ERROR "initd: ${_musl}/libc.a missing: apt-get install musl-dev:arm64 "
                      "(after dpkg --add-architecture arm64 && apt-get update)")
endif()
set(CMAKE_C_COMPILER aarch64-linux-musl-gcc)

execute_process(COMMAND ${_triple}-g++ -dumpversion OUTPUT_VARIABLE _gcc_major OUTPUT_STRIP_TRAILING_WHITESPACE)
execute_process(COMMAND ${_triple}-g++ -print-file-name=include OUTPUT_VARIABLE _gcc_include OUTPUT_STRIP_TRAILING_WHITESPACE)
set(_cxx /usr/${_triple}/include/c++/${_gcc_major})
# As in musl.cmake: libstdc++'s header-only parts first, then gcc's, then musl's C headers.
set(CMAKE_CXX_FLAGS_INIT
  "-nostdinc -isystem ${_cxx} -isystem ${_cxx}/${_triple} -isystem ${_gcc_include} -isystem /usr/include/aarch64-linux-musl -include ${CMAKE_CURRENT_LIST_DIR}/musl-compat.h")
# musl's wrapper (a C driver) links musl's crt and libc, and no libstdc++.
set(CMAKE_CXX_LINK_EXECUTABLE "aarch64-linux-musl-gcc <FLAGS> <CMAKE_CXX_LINK_FLAGS> <LINK_FLAGS> <OBJECTS> -o <TARGET> <LINK_LIBRARIES>")
set(INITD_LIBC "musl, arm64" CACHE INTERNAL "")
