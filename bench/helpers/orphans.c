/* orphans N: the zombie factory for the reaping measurement.
 *
 * Makes N orphans as fast as it can with the classic double fork: a middle
 * child forks a grandchild and exits; the grandchild exits at once.  We reap
 * only the middle child, so every grandchild ends up as a zombie that only the
 * reaper (PID 1 of the namespace, or a subreaper) can collect.
 *
 * Both forks are vfork(): on the benchmark VM a fork() costs over 1 ms (page
 * tables are copied) against tens of microseconds for vfork(), and the point
 * is to flood the reaper, not to time fork().  The middle child calls nothing
 * but vfork() and _exit(); a nested vfork() is outside what POSIX promises for
 * a vfork child but is well defined on Linux (each child borrows the memory of
 * the one above it, which stays suspended until the child _exit()s).
 *
 * Protocol with the driver: write 'R' on fd 3 when running, then wait for one
 * byte (or end of file) on stdin before starting, so the driver can first
 * freeze the init for the backlog measurement.  When done, write how many
 * orphans were made (uint32; a fork can fail when the pid space is full) on
 * fd 3, then sleep until killed, so the init stays in its normal loop while
 * the driver watches the zombies go. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

/* One orphan.  Kept out of line so that the vfork() children, which borrow
 * this frame, cannot disturb the caller's loop variables.  Returns 0, or -1
 * when no process could be made. */
static __attribute__((noinline)) int make_orphan(void)
{
	pid_t middle = vfork();
	if (middle < 0)
		return -1;
	if (middle == 0) {
		if (vfork() == 0)
			_exit(0); /* the grandchild: the orphan-to-be */
		_exit(0);
	}
	while (waitpid(middle, NULL, 0) < 0 && errno == EINTR)
		;
	return 0;
}

int main(int argc, char **argv)
{
	long want = argc > 1 ? strtol(argv[1], NULL, 10) : 10000;
	uint32_t made = 0;
	char go;

	(void)!write(3, "R", 1);
	(void)!read(0, &go, 1);
	while (made < want && make_orphan() == 0) /* stops early when out of pids */
		made++;
	(void)!write(3, &made, sizeof made);
	for (;;)
		pause();
}
