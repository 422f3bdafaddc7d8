/* tree: the main child of the "shutdown of a tree" measurement.
 *
 * `tree N M` starts N children, each of which starts M children of its own;
 * all of them keep default signal dispositions and sleep in pause().  When
 * every one of them is running it writes 'R' to fd 3 (the report pipe), or
 * 'F' if some fork failed; then it waits for one byte on stdin, writes its
 * CLOCK_MONOTONIC time in nanoseconds (8 bytes) to fd 3 and exits at once,
 * leaving all N*(M+1) descendants to the init.  The descendants close stdin
 * and fd 3, so no pipe of the driver stays open through them. */
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static void rest(int ready_fd)
{
	char c = 'r';
	(void)!write(ready_fd, &c, 1);
	close(ready_fd);
	for (;;)
		pause();
}

/* A child of the main process: its own M children first, then it rests too. */
static void branch(int ready_fd, int m)
{
	for (int j = 0; j < m; j++)
		if (fork() == 0)
			rest(ready_fd);
	rest(ready_fd);
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 50;
	int m = argc > 2 ? atoi(argv[2]) : 100;
	int ready[2];
	if (pipe(ready) != 0)
		return 1;
	for (int i = 0; i < n; i++) {
		pid_t pid = fork();
		if (pid == 0) {
			close(ready[0]);
			close(0);
			close(3);
			branch(ready[1], m);
		}
	}
	close(ready[1]);
	/* One byte from every descendant; EOF once all have written (or died). */
	long want = (long)n * (m + 1), got = 0;
	char buf[4096];
	ssize_t r;
	while (got < want && (r = read(ready[0], buf, sizeof buf)) > 0)
		got += r;
	char status = got == want ? 'R' : 'F';
	(void)!write(3, &status, 1);

	char go;
	(void)!read(0, &go, 1);
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	uint64_t now = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
	(void)!write(3, &now, sizeof now);
	_exit(0);
}
