/* spew: the service of the relay measurement (its `run`).
 *
 * It stops itself at once (SIGSTOP), so that the driver can read the
 * supervisor's CPU time and start the clock before any byte flows; after
 * SIGCONT it writes the number of bytes named in ./size as 64-byte lines to
 * stdout (the pipe to its logger), 4 KiB per write() as stdio does on a pipe,
 * then sleeps in pause() so that the supervisor has nothing to restart. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(void)
{
	FILE *f = fopen("size", "r");
	unsigned long long total = 0;
	if (!f || fscanf(f, "%llu", &total) != 1)
		return 111;
	fclose(f);
	char buf[4096];
	for (int i = 0; i < 64; i++) {
		memset(buf + i * 64, 'a' + i % 26, 63);
		buf[i * 64 + 63] = '\n';
	}
	raise(SIGSTOP);
	while (total > 0) {
		size_t n = total < sizeof buf ? (size_t)total : sizeof buf;
		ssize_t w = write(1, buf, n);
		if (w <= 0)
			return 111;
		total -= (unsigned long long)w;
	}
	for (;;)
		pause();
}
