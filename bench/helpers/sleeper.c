/* sleeper: the idle child used for the memory, idle and shutdown measurements.
 *
 * It tells the driver "I am running" with one byte on fd 3 (the report pipe;
 * a failed write is ignored, e.g. inside a container where fd 3 is not open),
 * then sleeps in pause().  It installs no handler on purpose: SIGTERM keeps its
 * default action, so the child dies at once when an init forwards SIGTERM
 * ("well-behaved"), and ignores it when it is PID 1 itself (no init), which is
 * exactly the case an init exists to fix. */
#include <unistd.h>

int main(void)
{
	char ready = 'R';
	(void)!write(3, &ready, 1);
	for (;;)
		pause();
}
