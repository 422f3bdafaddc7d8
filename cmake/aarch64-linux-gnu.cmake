# Toolchain: a static arm64 (aarch64) initd, cross-built on amd64 with Debian's
# g++-aarch64-linux-gnu (`apt-get install g++-aarch64-linux-gnu`), linked statically
# against arm64 glibc: larger than musl, same code. The release binary uses
# aarch64-linux-musl.cmake (which builds on this file); this one is for machines where
# musl-dev:arm64 cannot be installed.
#   cmake -S . -B build-arm64 -DINITD_TOOLCHAIN=$PWD/cmake/aarch64-linux-gnu.cmake
# Only the release binary uses it (the sub-build); the tests stay amd64 and run the
# arm64 initd through qemu-user (binfmt_misc), where the kernel allows that.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(_triple aarch64-linux-gnu)
set(CMAKE_C_COMPILER ${_triple}-gcc)
set(CMAKE_CXX_COMPILER ${_triple}-g++)
set(CMAKE_STRIP ${_triple}-strip CACHE FILEPATH "")
set(CMAKE_FIND_ROOT_PATH /usr/${_triple})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
# gcc, a C driver, links no libstdc++ (the code needs none), as in static-glibc.cmake.
set(CMAKE_CXX_LINK_EXECUTABLE "${_triple}-gcc <FLAGS> <CMAKE_CXX_LINK_FLAGS> <LINK_FLAGS> <OBJECTS> -o <TARGET> <LINK_LIBRARIES>")
set(INITD_LIBC "glibc, arm64" CACHE INTERNAL "")
