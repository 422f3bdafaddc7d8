/* sigecho: the signal-receiving child for the forwarding measurements.
 *
 * All signals are blocked first and taken with sigwaitinfo(), so nothing is
 * lost to a handler race and the arrival time is taken the moment the kernel
 * hands the signal over.  Reports go to fd 3 (a pipe the driver reads).
 *
 *   sigecho latency : for each SIGUSR1, write its CLOCK_MONOTONIC arrival time
 *                     (uint64 ns) so the driver can subtract its send time.
 *   sigecho count   : count SIGUSR1 and signal 35 (SIGRTMIN+1 for the kernel;
 *                     glibc reserves 32-33, so we use the raw number); on signal
 *                     36 (the end-of-burst marker) write both counts as two
 *                     uint32 and start again from zero.
 *
 * SIGTERM, SIGINT and SIGHUP end it with status 0. */
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define SIG_COUNTED 35 /* real-time: queued, so the count shows real loss */
#define SIG_MARKER 36  /* real-time and higher: dequeued after every 35 */

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void write_all(const void *buf, size_t len)
{
	const char *p = buf;
	while (len > 0) {
		ssize_t n = write(3, p, len);
		if (n <= 0)
			_exit(3); /* the driver went away: nothing left to do */
		p += n;
		len -= (size_t)n;
	}
}

int main(int argc, char **argv)
{
	int latency_mode = argc > 1 && strcmp(argv[1], "latency") == 0;
	sigset_t all, wanted;
	uint32_t counts[2] = {0, 0}; /* [0] SIGUSR1, [1] signal 35 */

	/* Block before announcing readiness: a signal that arrives between the
	 * ready byte and sigwaitinfo() must stay pending, not kill us. */
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, NULL);

	sigemptyset(&wanted);
	sigaddset(&wanted, SIGUSR1);
	sigaddset(&wanted, SIG_COUNTED);
	sigaddset(&wanted, SIG_MARKER);
	sigaddset(&wanted, SIGTERM);
	sigaddset(&wanted, SIGINT);
	sigaddset(&wanted, SIGHUP);

	write_all("R", 1);
	for (;;) {
		int sig = sigwaitinfo(&wanted, NULL);
		if (sig < 0)
			continue; /* EINTR from a stop/continue */
		if (sig == SIGTERM || sig == SIGINT || sig == SIGHUP)
			return 0;
		if (latency_mode) {
			if (sig == SIGUSR1) {
				uint64_t t = now_ns();
				write_all(&t, sizeof t);
			}
			continue;
		}
		if (sig == SIGUSR1)
			counts[0]++;
		else if (sig == SIG_COUNTED)
			counts[1]++;
		else if (sig == SIG_MARKER) {
			write_all(counts, sizeof counts);
			counts[0] = counts[1] = 0;
		}
	}
}
