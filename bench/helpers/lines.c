/* lines: writes argv[1] MiB of 100-byte lines to stdout, 4 KiB a write (as stdio
 * buffers them), then exits 0 (1 if a write fails).  The child of the output
 * measurement: initd relays it (--io, --stdout-prefix) or stays out of its way. */
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	static char buf[4096];
	for (size_t i = 0; i < sizeof buf; i++)
		buf[i] = i % 100 == 99 ? '\n' : (char)('a' + i % 26);
	unsigned long long left = (argc > 1 ? strtoull(argv[1], 0, 10) : 64) << 20;
	while (left) {
		size_t n = left < sizeof buf ? left : sizeof buf;
		/* 4096 is not a multiple of 100: the lines run on from one write to the next. */
		if (write(1, buf, n) != (ssize_t)n)
			return 1;
		left -= n;
	}
	return 0;
}
