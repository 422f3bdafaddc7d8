/* libstdc++'s os_defines.h asks glibc's version; musl is not glibc. */
#ifndef __GLIBC_PREREQ
#define __GLIBC_PREREQ(major, minor) 0
#endif
