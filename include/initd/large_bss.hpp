// Where the large zeroed objects of the services go (the service table, the listings,
// my_init's environment: over 100 KiB that only --services and my_init touch). In .bss
// they come before libc's and initd's small variables, which then sit on a page of
// their own that the plain path touches: one more page of memory for nothing. In
// .lbss, which the x86-64 linker places after .bss, the small ones stay on the data
// segment's last page, or (depending on where the code ends) spill onto one page past
// it. Each large object starts on a page of its own, so that such a page never holds
// the start of one: only address space is spent on the alignment, no memory.
// (Elsewhere it is plain .bss.)
#pragma once

#if defined(__x86_64__)
#define INITD_LARGE_BSS __attribute__((section(".lbss"), aligned(4096)))
#else
#define INITD_LARGE_BSS
#endif
