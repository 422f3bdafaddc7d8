#!/bin/sh
# The shell-script app of Dockerfile.alpine: background workers, and a clean exit on
# SIGTERM (which initd forwards from `docker stop`).
trap 'echo "app.sh: stopping"; kill $worker 2>/dev/null; wait; exit 0' TERM INT
( while :; do date; sleep 5; done ) &
worker=$!
wait
