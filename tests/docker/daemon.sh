#!/bin/bash
# CTest fixture for the Docker tests.
#   daemon.sh start: make sure a Docker daemon answers. If none does, install Debian's
#     docker.io when dockerd is missing, start dockerd in the background with its own log
#     file and pidfile, and wait (bounded) until `docker info` answers. What it started is
#     recorded in $INITD_DOCKER_STATE/dockerd.started, so that
#   daemon.sh stop: stops the daemon only if `start` started it.
# Fails (never skips) with the reason when no daemon can be had.
set -u
state=${INITD_DOCKER_STATE:?}
mkdir -p "$state"
started=$state/dockerd.started
log=$state/dockerd.log
pidfile=$state/dockerd.pid

fail() {
    echo "docker daemon: $*" >&2
    exit 1
}

daemon_answers() { docker info >/dev/null 2>&1; }

start() {
    rm -f "$started"
    if command -v docker >/dev/null && daemon_answers; then
        echo "a Docker daemon is running already: $(docker version --format 'server {{.Server.Version}}')"
        return 0
    fi
    if ! command -v dockerd >/dev/null || ! command -v docker >/dev/null; then
        echo "dockerd or docker missing: installing Debian's docker.io"
        export DEBIAN_FRONTEND=noninteractive
        apt-get install -y --no-install-recommends docker.io ||
            { apt-get update && apt-get install -y --no-install-recommends docker.io; } ||
            fail "apt-get install docker.io failed"
    fi
    echo "no Docker daemon answers: starting dockerd (log: $log)"
    # Its own session and no descriptor of ours, so it outlives this test and CTest does
    # not wait for it. For trying this path out next to a running daemon:
    # INITD_DOCKERD="unshare --net dockerd", INITD_DOCKERD_ARGS="-H unix://... --data-root ..."
    # with DOCKER_HOST set to that socket.
    # shellcheck disable=SC2086
    setsid ${INITD_DOCKERD:-dockerd} --pidfile "$pidfile" ${INITD_DOCKERD_ARGS:-} </dev/null >"$log" 2>&1 &
    local pid=$!
    echo "$pid" >"$started"
    for _ in $(seq 1 120); do
        if daemon_answers; then
            echo "dockerd (pid $pid) answers"
            return 0
        fi
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.5
    done
    local why="did not answer within 60 s"
    kill -0 "$pid" 2>/dev/null || why="exited"
    echo "--- last lines of $log:" >&2
    tail -n 30 "$log" >&2
    kill "$pid" 2>/dev/null
    rm -f "$started"
    fail "dockerd $why (its log is above); the Docker tests cannot run"
}

stop() {
    if [ ! -f "$started" ]; then
        echo "the Docker daemon was running before the tests: left running"
        return 0
    fi
    local pid
    pid=$(cat "$started")
    rm -f "$started"
    kill -TERM "$pid" 2>/dev/null || { echo "dockerd (pid $pid) already gone"; return 0; }
    for _ in $(seq 1 300); do
        kill -0 "$pid" 2>/dev/null || { echo "stopped dockerd (pid $pid), which the tests had started"; return 0; }
        sleep 0.1
    done
    fail "dockerd (pid $pid) still running 30 s after SIGTERM"
}

case ${1:-} in
start) start ;;
stop) stop ;;
*) fail "usage: daemon.sh start|stop" ;;
esac
