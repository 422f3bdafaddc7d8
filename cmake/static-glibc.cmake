# Toolchain for machines without musl: static against glibc. Larger (glibc's static
# start-up code), but the same code and still no libstdc++: gcc, a C driver, links it.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_C_COMPILER gcc)
set(CMAKE_CXX_COMPILER g++)
set(CMAKE_CXX_LINK_EXECUTABLE "gcc <FLAGS> <CMAKE_CXX_LINK_FLAGS> <LINK_FLAGS> <OBJECTS> -o <TARGET> <LINK_LIBRARIES>")
set(INITD_LIBC "glibc" CACHE INTERNAL "")
