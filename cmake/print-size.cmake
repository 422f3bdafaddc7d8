# Run after the static build: says what users will copy into their images.
file(SIZE "${BINARY}" size)
math(EXPR kib "(${size} + 1023) / 1024")
message(STATUS "initd: ${BINARY} is ${size} bytes (${kib} KiB), static, ${LIBC}")
