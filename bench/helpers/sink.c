/* sink: the logger of the relay measurement (its `log/run`).
 *
 * It reads stdin (the pipe from the service) in 64 KiB reads and throws the
 * bytes away.  When it has read the number of bytes named in ../size it
 * writes "BYTES NS\n" to ./result (through ./result.new and rename, so the
 * driver never sees half a line), NS being CLOCK_MONOTONIC at that moment,
 * then goes on reading until end of file. */
#include <stdio.h>
#include <time.h>
#include <unistd.h>

static char buf[65536];

int main(void)
{
	FILE *f = fopen("../size", "r");
	unsigned long long want = 0, got = 0;
	if (!f || fscanf(f, "%llu", &want) != 1)
		return 111;
	fclose(f);
	int told = 0;
	ssize_t n;
	while ((n = read(0, buf, sizeof buf)) > 0) {
		got += (unsigned long long)n;
		if (!told && got >= want) {
			struct timespec ts;
			clock_gettime(CLOCK_MONOTONIC, &ts);
			FILE *r = fopen("result.new", "w");
			if (r) {
				fprintf(r, "%llu %llu\n", got,
				        (unsigned long long)ts.tv_sec * 1000000000ull + (unsigned long long)ts.tv_nsec);
				fclose(r);
				rename("result.new", "result");
			}
			told = 1;
		}
	}
	return 0;
}
