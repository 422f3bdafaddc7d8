// Zombie factory: makes COUNT orphans (double fork; each grandchild checks that initd
// adopted it, then exits), then keeps running while it counts the processes left whose
// parent is initd (its own parent) in /proc, until none is left. Prints "adopted by
// initd N", "orphans N" and "zombies left N" on stdout; exits 0 when all were adopted
// and none is left within TIMEOUT seconds (default 10), 1 otherwise.
#include "orphans.hpp"
#include "report.hpp"

int main(int argc, char** argv) {
    int count = argc > 1 ? std::atoi(argv[1]) : 1000;
    int timeout_s = argc > 2 ? std::atoi(argv[2]) : 10;
    pid_t initd = getppid();

    int made = 0;
    int adopted = helpers::make_adopted_orphans(count, initd, made);
    printf("adopted by initd %d\n", adopted);
    printf("orphans %d\n", made);
    fflush(stdout);

    long long deadline = helpers::monotonic_ns() + timeout_s * 1000000000LL;
    helpers::ProcessCount left = helpers::count_children_of(initd);
    // Polling is the only way to watch another process's zombies; 1 ms keeps it cheap.
    while (left.others != 0 && helpers::monotonic_ns() < deadline) {
        usleep(1000);
        left = helpers::count_children_of(initd);
    }
    printf("zombies left %d\n", left.zombies);
    return left.others == 0 && made == count && adopted == count ? 0 : 1;
}
