/* bareinit [--] COMMAND [ARG]...: the theoretical floor for an init.
 *
 * It does only what every init must do to run a command: fork, execvp, wait.
 * No signal set-up, no reaping of others, no option parsing beyond an
 * optional "--", so its start-up cost is the cost of one extra static process
 * in the chain. */
#include <errno.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int first = 1;
	if (first < argc && strcmp(argv[first], "--") == 0)
		first++;
	if (first >= argc)
		return 2;

	pid_t pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0) {
		execvp(argv[first], argv + first);
		_exit(127);
	}
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return 1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
