#!/bin/sh
# Shows initd at work as PID 1 of a new PID namespace (needs root): it adopts and
# reaps orphans, forwards a signal to its child, and exits with the child's status.
set -eu
initd=${1:-build/initd}
unshare --pid --fork --mount-proc "$initd" -v -v -w -- sh -c '
  echo "child: I am pid $$; my parent, pid $PPID, is $(cat /proc/1/comm)"
  for i in 1 2 3; do sh -c "sleep 0.2 &"; done
  echo "child: made 3 orphans; their parent is now: $(cat /proc/*/stat 2>/dev/null | grep -c "(sleep) . 1 ") x pid 1"
  sleep 0.5
  echo "child: zombies left after they exited: $(cat /proc/*/stat 2>/dev/null | grep -c ") Z ")"
  trap "echo \"child: got SIGUSR1, forwarded by initd\"; got=1" USR1
  got=0; kill -USR1 1
  while [ $got = 0 ]; do sleep 0.05; done
  echo "child: exiting with status 3"
  exit 3
' || echo "initd exited with status $? (the child's)"
