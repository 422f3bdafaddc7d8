# Toolchain: the host g++ compiling against musl's headers, linked by musl-gcc into a
# fully static binary. Only libstdc++'s header-only parts are used, so no libstdc++
# is linked. Debian: `apt-get install musl-tools`.
set(CMAKE_SYSTEM_NAME Linux)

set(INITD_TRIPLE "x86_64-linux-gnu" CACHE STRING "the gcc triple whose libstdc++ headers are used")
set(INITD_MUSL_TRIPLE "x86_64-linux-musl" CACHE STRING "the musl triple (headers under /usr/include/<triple>)")
set(INITD_GCC "gcc" CACHE STRING "the gcc of that triple")
set(INITD_GXX "g++" CACHE STRING "the g++ of that triple")
set(INITD_MUSL_GCC "musl-gcc" CACHE STRING "the musl-gcc wrapper of that triple")

set(CMAKE_C_COMPILER ${INITD_MUSL_GCC})
set(CMAKE_CXX_COMPILER ${INITD_GXX})

execute_process(COMMAND ${INITD_GXX} -dumpversion OUTPUT_VARIABLE _gcc_major OUTPUT_STRIP_TRAILING_WHITESPACE)
execute_process(COMMAND ${INITD_GXX} -print-file-name=include OUTPUT_VARIABLE _gcc_include OUTPUT_STRIP_TRAILING_WHITESPACE)
set(_musl_include /usr/include/${INITD_MUSL_TRIPLE})
if(NOT EXISTS ${_musl_include}/stdio.h)
  set(_musl_include /usr/lib/musl/include)
endif()

# Order matters: libstdc++'s wrappers (<cstring>) must come before the C headers.
set(CMAKE_CXX_FLAGS_INIT
  "-nostdinc -isystem /usr/include/c++/${_gcc_major} -isystem /usr/include/${INITD_TRIPLE}/c++/${_gcc_major} -isystem ${_gcc_include} -isystem ${_musl_include} -include ${CMAKE_CURRENT_LIST_DIR}/musl-compat.h")

# musl-gcc links musl's crt and libc instead of glibc's; being a C driver, it adds no libstdc++.
set(CMAKE_CXX_LINK_EXECUTABLE "${INITD_MUSL_GCC} <FLAGS> <CMAKE_CXX_LINK_FLAGS> <LINK_FLAGS> <OBJECTS> -o <TARGET> <LINK_LIBRARIES>")
set(INITD_LIBC "musl" CACHE INTERNAL "")
