#!/bin/bash
# The Docker end-to-end cases, one per CTest test: `cases.sh FUNCTION`. Each prints what
# it saw and exits 1 if any expectation failed. The images are FROM scratch: initd, the
# static test programs of this directory, and tini-static to compare against.
#
# INITD_DOCKER_INIT=tini|none swaps initd for tini or for nothing (the app as PID 1), to
# watch the cases fail where initd's behaviour is what they test.
set -u
src=${INITD_SOURCE_DIR:?}
build=${INITD_BUILD_DIR:?}
image=${INITD_DOCKER_IMAGE:?}
work=$(mktemp -d /tmp/initd-docker.XXXXXX)
failures=0
containers=()

cleanup() {
    [ ${#containers[@]} -eq 0 ] || docker rm -f "${containers[@]}" >/dev/null 2>&1
    rm -rf "$work"
}
trap cleanup EXIT

. "$src/tests/checks.sh"  # ok, fail, expect_eq, expect_between, now_ms

# CMD=(the init with OPTIONS, then APP...): `under_init OPTIONS -- APP...`.
under_init() {
    local options=()
    while [ "$1" != -- ]; do options+=("$1"); shift; done
    shift
    case ${INITD_DOCKER_INIT:-initd} in
    initd) CMD=(/sbin/initd "${options[@]}" -- "$@") ;;
    tini) CMD=(/sbin/tini-static -- "$@") ;;
    none) CMD=("$@") ;;
    esac
}

# `start NAME DOCKER-RUN-ARGS...`: runs a container attached (docker run's exit code is
# the container's), its stdout on descriptor 7 through a fifo; waits for the app's first
# line (its "ready") and leaves it in $FIRST. `finish` waits for docker run: $CODE.
start() {
    NAME=initd-test-$1-$$
    shift
    containers+=("$NAME")
    mkfifo "$work/$NAME.out"
    docker run --rm --name "$NAME" "$@" >"$work/$NAME.out" 2>"$work/$NAME.err" &
    RUN_PID=$!
    exec 7<"$work/$NAME.out"
    FIRST=
    if ! read -r -t 60 -u 7 FIRST; then
        fail "no first line from the container; docker run said: $(cat "$work/$NAME.err")"
        return 1
    fi
    echo "container $NAME says: $FIRST"
}
next_line() {
    LINE=
    read -r -t 30 -u 7 LINE || LINE="(nothing within 30 s)"
    echo "container says: $LINE"
}
finish() {
    wait "$RUN_PID"
    CODE=$?
    exec 7<&-
    [ -s "$work/$NAME.err" ] && echo "docker run's stderr: $(cat "$work/$NAME.err")"
}
# `timed_stop NAME TIMEOUT`: docker stop, its duration in $STOP_MS.
timed_stop() {
    local t0
    t0=$(now_ms)
    docker stop -t "$2" "$1" >/dev/null
    STOP_MS=$(($(now_ms) - t0))
}

done_case() {
    echo "$failures failed"
    [ "$failures" -eq 0 ]
    exit
}

# --- fixtures -------------------------------------------------------------------------

build_images() {
    local pid1=$work/pid1 apps=$work/apps
    mkdir -p "$pid1" "$apps"
    local tini=/usr/bin/tini-static
    if [ ! -x "$tini" ]; then
        echo "tini-static missing: installing Debian's tini (the stop-time comparison uses it)"
        DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends tini >/dev/null ||
            { fail "apt-get install tini failed"; done_case; }
    fi
    cp "$build/initd" "$build/docker/in_container_test" "$pid1/" &&
        cp "$build/initd" "$tini" "$build/docker/app" "$src/tests/docker/rootfs/etc/passwd" \
            "$src/tests/docker/rootfs/etc/group" "$apps/" || { fail "build outputs missing"; done_case; }
    # A tag built again would leave the image it named behind, untagged.
    docker rmi -f "$image:pid1" "$image:apps" >/dev/null 2>&1
    if docker build -q -f "$src/Dockerfile.test" -t "$image:pid1" "$pid1"; then
        ok "built $image:pid1 from Dockerfile.test"
    else fail "docker build -f Dockerfile.test"; fi
    if docker build -q -f "$src/tests/docker/Dockerfile.apps" -t "$image:apps" "$apps"; then
        ok "built $image:apps"
    else fail "docker build -f tests/docker/Dockerfile.apps"; fi
    build_baseimage
    done_case
}

# tests/docker/baseimage: baseimage-docker's layout FROM scratch, with initd as
# /sbin/my_init and /sbin/sv, and busybox (Debian's busybox-static) for the scripts.
build_baseimage() {
    local dir=$work/baseimage root=$work/baseimage/rootfs busybox=/bin/busybox
    if ! "$busybox" true 2>/dev/null || ! file -L "$busybox" | grep -q 'statically linked'; then
        echo "a static busybox is missing: installing Debian's busybox-static"
        DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends busybox-static >/dev/null ||
            { fail "apt-get install busybox-static failed"; return; }
    fi
    mkdir -p "$root/sbin" "$root/bin" "$root/tmp" "$root/etc/container_environment"
    chmod 1777 "$root/tmp"
    cp -a "$src/tests/docker/baseimage/etc" "$src/tests/docker/baseimage/check.sh" "$root/"
    cp "$src/tests/docker/baseimage/Dockerfile" "$dir/"
    cp "$build/initd" "$root/sbin/my_init"
    ln -s my_init "$root/sbin/sv"
    cp "$busybox" "$root/bin/busybox"
    for applet in sh sleep cat grep seq cut kill; do ln -s busybox "$root/bin/$applet"; done
    docker rmi -f "$image:baseimage" >/dev/null 2>&1
    if docker build -q -t "$image:baseimage" "$dir"; then ok "built $image:baseimage"
    else fail "docker build tests/docker/baseimage"; fi
}

remove_images() {
    docker rmi -f "$image:pid1" "$image:apps" "$image:baseimage" >/dev/null
    expect_eq "images removed" 0 $?
    done_case
}

# --- cases ----------------------------------------------------------------------------

in_container() {
    local out code
    out=$(docker run --rm "$image:pid1" 2>&1)
    code=$?
    echo "$out"
    expect_eq "in-container test's exit code" 0 "$code"
    expect_eq "checks passed" 5 "$(grep -c '^ok ' <<<"$out")"
    # A scratch image: no shell to fall back on.
    docker run --rm --entrypoint /bin/sh "$image:pid1" -c true >/dev/null 2>&1
    code=$?
    if [ "$code" -ne 0 ]; then ok "the image has no /bin/sh (docker run exits $code)"
    else fail "the image has a shell"; fi
    done_case
}

# The same program as PID 1 itself: the checks must catch that (parent not PID 1, PID 1
# not initd, zombies never reaped), or they prove nothing.
in_container_without_initd() {
    local out code
    out=$(docker run --rm --entrypoint /in_container_test "$image:pid1" 2>&1)
    code=$?
    echo "$out"
    expect_eq "exit code without initd (first failed check: 11, parent is not PID 1)" 11 "$code"
    if grep -q '^FAIL no zombie left' <<<"$out"; then ok "the zombies were seen"
    else fail "the zombies were not seen"; fi
    done_case
}

exit_codes() {
    local expected args code
    for pair in "0|/app exit 0" "3|/app exit 3" "137|/app killself 9" "143|/app killself 15" \
        "127|/no/such/program"; do
        expected=${pair%%|*}
        read -r -a args <<<"${pair#*|}"
        under_init -- "${args[@]}"
        docker run --rm "$image:apps" "${CMD[@]}" >/dev/null 2>"$work/err"
        code=$?
        expect_eq "docker run ... ${CMD[*]}" "$expected" "$code"
        [ "$code" = "$expected" ] || cat "$work/err"
    done
    done_case
}

stop_fast() {
    under_init -- /app sleep
    start stop-fast "$image:apps" "${CMD[@]}" || done_case
    timed_stop "$NAME" 10
    finish
    echo "docker stop -t 10, app that dies of SIGTERM: $STOP_MS ms"
    expect_eq "exit code (SIGTERM: 128+15)" 143 "$CODE"
    # Docker's own round trips take a few hundred ms (seconds on a loaded machine); the bug
    # this catches is the 10 s timeout.
    expect_between "docker stop" 0 5000 "$STOP_MS"
    done_case
}

stop_kill_after() {
    under_init --kill-after 1s -- /app ignore-term
    start stop-kill-after "$image:apps" "${CMD[@]}" || done_case
    timed_stop "$NAME" 10
    finish
    echo "docker stop -t 10, app that ignores SIGTERM, --kill-after 1s: $STOP_MS ms"
    expect_eq "exit code (SIGKILL: 128+9)" 137 "$CODE"
    expect_between "docker stop (--kill-after 1s fires, not docker's 10 s)" 950 6000 "$STOP_MS"
    done_case
}

kill_hup() {
    under_init -- /app record
    start kill-hup "$image:apps" "${CMD[@]}" || done_case
    docker kill -s HUP "$NAME" >/dev/null
    next_line
    expect_eq "the app received" "signal 1" "$LINE"
    docker stop -t 10 "$NAME" >/dev/null
    next_line
    expect_eq "then docker stop's" "signal 15" "$LINE"
    finish
    expect_eq "exit code (the app's 100+15)" 115 "$CODE"
    done_case
}

# initd as dock in a scratch image: its Go flags, the prefix on every line of stdout and
# stderr, the exit code, and --thug turning docker stop's SIGTERM that the app ignores into
# SIGKILL at once (not docker's 10 s timeout).
dock() {
    local out
    out=$(docker run --rm "$image:apps" /sbin/dock -stdout-prefix "app " /app whoami 2>&1)
    expect_eq "dock's exit code" 0 "$?"
    echo "$out"
    if [ -n "$out" ] && ! grep -qv '^app ' <<<"$out"; then ok "every line starts with the prefix"
    else fail "a line without the prefix: $out"; fi
    docker run --rm "$image:apps" /sbin/dock /app exit 3 >/dev/null 2>&1
    expect_eq "exit code through dock" 3 "$?"
    start dock-thug "$image:apps" /sbin/dock --thug /app ignore-term || done_case
    timed_stop "$NAME" 10
    finish
    expect_eq "exit code (--thug: SIGKILL, 128+9)" 137 "$CODE"
    expect_between "docker stop with --thug" 0 5000 "$STOP_MS"
    done_case
}

# my_init's life in a container: start-up files, services checked with sv from the main
# command (tests/docker/baseimage/check.sh), then the shutdown order after it ends.
baseimage() {
    local name=initd-test-baseimage-$$ out code
    containers+=("$name")
    out=$(docker run --name "$name" "$image:baseimage" 2>&1)
    code=$?
    echo "$out"
    expect_eq "exit code (check.sh's)" 0 "$code"
    expect_eq "checks passed" 8 "$(grep -c '^ok: ' <<<"$out")"
    docker cp "$name:/tmp/order" "$work/order" >/dev/null
    echo "order: $(tr '\n' '|' <"$work/order")"
    expect_eq "start-up files first, in order" "first|second sees exported|" "$(head -2 "$work/order" | tr '\n' '|')"
    expect_eq "after the main command: pre-shutdown, the services' stop, post-shutdown" \
        "main-end|pre: run|worker-term|post: down|" "$(tail -4 "$work/order" | tr '\n' '|')"
    done_case
}

# No main command: my_init runs the services until docker stop, then exits 2 (as my_init).
baseimage_stop() {
    local name=initd-test-baseimage-stop-$$ code
    containers+=("$name")
    docker run -d --name "$name" --entrypoint /sbin/my_init "$image:baseimage" >/dev/null
    for _ in $(seq 100); do
        docker exec "$name" /bin/grep -q worker-run /tmp/order 2>/dev/null && break
        sleep 0.1
    done
    timed_stop "$name" 10
    code=$(docker wait "$name")
    expect_eq "exit code after docker stop" 2 "$code"
    expect_between "docker stop" 0 5000 "$STOP_MS"
    docker cp "$name:/tmp/order" "$work/order" >/dev/null
    expect_eq "the shutdown" "pre: run|worker-term|post: down|" "$(tail -3 "$work/order" | tr '\n' '|')"
    done_case
}

rewrite_stop() {
    under_init --rewrite 15:3 -- /app record
    start rewrite "$image:apps" "${CMD[@]}" || done_case
    timed_stop "$NAME" 10
    next_line
    finish
    expect_eq "docker stop delivered" "signal 3" "$LINE"
    expect_eq "exit code (the app's 100+3)" 103 "$CODE"
    expect_between "docker stop" 0 5000 "$STOP_MS"
    done_case
}

# Zombies of the container's processes, seen from the host: docker top lists what is in
# the container's cgroup, and a zombie has left its cgroup already, so docker top alone
# cannot show one; /proc/PID/task/*/children of each process it lists can.
zombies_in() {
    local pid children=()
    for pid in $(docker top "$1" -eo pid | tail -n +2); do
        # shellcheck disable=SC2207  # pids: splitting on spaces is what is wanted
        children+=($(cat /proc/"$pid"/task/*/children 2>/dev/null))
    done
    [ ${#children[@]} -eq 0 ] && { echo 0; return; }
    printf '/proc/%s/stat\n' "${children[@]}" | xargs cat 2>/dev/null |
        awk '{ sub(/.*\) /, ""); if ($1 == "Z") n++ } END { print n + 0 }'
}

orphans_top() {
    under_init -- /app orphans 1000
    start orphans "$image:apps" "${CMD[@]}" || done_case
    expect_eq "the app says" "orphans 1000 adopted 1000" "$FIRST"
    # The orphans have exited; initd reaps on SIGCHLD. Look (bounded) until no zombie
    # is left; the processes left must be the init and the app.
    local top zombies deadline=$(($(now_ms) + 10000)) looks=0
    while :; do
        top=$(docker top "$NAME" -eo pid,ppid,stat,args)
        zombies=$(($(zombies_in "$NAME") + $(awk 'NR > 1 && ($3 ~ /^Z/ || /<defunct>/)' <<<"$top" | wc -l)))
        looks=$((looks + 1))
        [ "$zombies" -eq 0 ] || [ "$(now_ms)" -ge "$deadline" ] && break
        sleep 0.1
    done
    echo "$top"
    expect_eq "zombies (docker top, and the children of its processes in /proc; after $looks looks)" 0 "$zombies"
    expect_eq "processes in the container" 2 "$(($(wc -l <<<"$top") - 1))"
    docker kill "$NAME" >/dev/null
    finish
    done_case
}

user() {
    local out
    out=$(docker run --rm "$image:apps" /sbin/initd --user app -- /app whoami 2>&1)
    expect_eq "initd --user app" "uid 1000 gid 1000 groups 1000,2000 home /home/app" "$out"
    out=$(docker run --rm -e INITD_USER=app:extra "$image:apps" /sbin/initd -- /app whoami 2>&1)
    expect_eq "INITD_USER=app:extra" "uid 1000 gid 2000 groups 2000 home /home/app" "$out"
    out=$(docker run --rm "$image:apps" /sbin/initd --user nobody -- /app whoami 2>&1)
    local code=$?
    expect_eq "initd --user nobody (not in /etc/passwd): exit code" 2 "$code"
    echo "initd said: $out"
    done_case
}

# docker run -m: the app outgrows the limit and the kernel's OOM killer SIGKILLs it. initd
# reads the container's memory cgroup (on cgroup v1 Docker mounts it as the root of
# /sys/fs/cgroup/memory, while /proc/self/cgroup names the host's path) and says so on
# stderr and in the termination log, an empty file mounted where Kubernetes mounts it.
oom_kill() {
    local log=$work/termination-log limit=memory.max out code
    [ "$(stat -fc %T /sys/fs/cgroup)" = cgroup2fs ] || limit=memory.limit_in_bytes
    : >"$log"
    out=$(docker run --rm -m 32m --memory-swap 32m -v "$log:/dev/termination-log" "$image:apps" \
        /sbin/initd -- /app eat 2>&1)
    code=$?
    echo "docker run said: $out"
    expect_eq "exit code" 137 "$code"
    expect_eq "the termination log" \
        "exited with status 137: killed by SIGKILL (the kernel's OOM killer: $limit 32 MiB reached)" "$(cat "$log")"
    [[ $out == *"initd: child killed by SIGKILL: the kernel's OOM killer: $limit 32 MiB reached"* ]] &&
        ok "initd's line names the OOM killer" || fail "initd's line does not name the OOM killer"
    : >"$log"
    docker run --rm -m 32m -v "$log:/dev/termination-log" "$image:apps" /sbin/initd -- /app killself 9
    expect_eq "a plain SIGKILL under a limit: exit code" 137 $?
    expect_eq "a plain SIGKILL is no OOM kill" "exited with status 137: killed by SIGKILL" "$(cat "$log")"
    done_case
}

# Dockerfile.release: a FROM scratch image of initd and its links, used as users would,
# `COPY --from=` it into a second image.
release_image() {
    local version release=$image-release
    version=$("$build/initd" --version | cut -d' ' -f2)
    cmake --build "$build" --target release_rootfs >/dev/null || { fail "release_rootfs"; done_case; }
    if docker build -q -f "$src/Dockerfile.release" -t "$release:$version" "$build/release-rootfs" >/dev/null; then
        ok "built $release:$version from Dockerfile.release"
    else fail "docker build -f Dockerfile.release"; done_case; fi
    for link in /sbin/tini:tini /sbin/docker-init:tini /usr/bin/catatonit:tini /sbin/dumb-init:dumb-init \
                /sbin/initd:initd; do
        expect_eq "${link%%:*} --version" "${link#*:}" \
            "$(docker run --rm --entrypoint "${link%%:*}" "$release:$version" --version 2>&1 | cut -d' ' -f1)"
    done
    mkdir -p "$work/user"
    cp "$build/helpers/exit_with" "$work/user/"
    cat >"$work/user/Dockerfile" <<DOCKERFILE
FROM scratch
COPY --from=$release:$version /sbin/initd /sbin/initd
COPY exit_with /exit_with
ENTRYPOINT ["/sbin/initd", "--"]
DOCKERFILE
    if docker build -q -t "$release:user" "$work/user" >/dev/null; then ok "COPY --from=$release:$version into a second image"
    else fail "docker build with COPY --from"; fi
    docker run --rm "$release:user" /exit_with 3
    expect_eq "the copied initd runs, its child's status passes through" 3 $?
    expect_eq "it is build/initd" "$(md5sum <"$build/initd" | cut -d' ' -f1)" \
        "$(docker run --rm --entrypoint /sbin/initd "$release:user" --version >/dev/null &&
           docker create "$release:user" >"$work/cid" && docker cp "$(cat "$work/cid")":/sbin/initd - | tar -xO | md5sum | cut -d' ' -f1)"
    [ -s "$work/cid" ] && docker rm "$(cat "$work/cid")" >/dev/null
    docker rmi -f "$release:user" "$release:$version" >/dev/null
    done_case
}

# A second daemon, all its own (data, exec root, socket, pidfile, no network set-up),
# whose --init-path is this build's initd, under the name Docker's info expects. It runs
# in a network namespace of its own: with --bridge=none dockerd deletes the host's
# docker0, which would break the first daemon's containers.
init_path() {
    local dir
    dir=$(mktemp -d /tmp/idk.XXXXXX)  # short: containerd's sockets live under it
    ln -s "$build/initd" "$dir/docker-init"
    local sock=unix://$dir/docker.sock
    setsid unshare --net dockerd --data-root "$dir/data" --exec-root "$dir/exec" --pidfile "$dir/dockerd.pid" \
        -H "$sock" --bridge=none --iptables=false --ip-masq=false \
        --containerd-namespace initd-test --containerd-plugins-namespace initd-test-plugins \
        --init-path "$dir/docker-init" </dev/null >"$dir/dockerd.log" 2>&1 &
    local pid=$! answered=0
    for _ in $(seq 1 120); do
        if docker -H "$sock" info >/dev/null 2>&1; then answered=1; break; fi
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.5
    done
    if [ "$answered" = 1 ]; then
        ok "second dockerd (pid $pid) answers on $sock"
        local info
        info=$(docker -H "$sock" info --format '{{.InitBinary}} {{.InitCommit.ID}}')
        expect_eq "docker info: init binary and commit (from 'tini version ... - git.initd')" \
            "$dir/docker-init initd" "$info"
        docker save "$image:apps" | docker -H "$sock" load -q
        local out size
        out=$(docker -H "$sock" run --rm --init --network none "$image:apps" /app pid1 2>&1)
        size=$(stat -L -c %s "$build/initd")
        expect_eq "docker run --init: pid 1 as the app sees it" "pid1 comm docker-init exe_size $size ppid 1" "$out"
        out=$(docker -H "$sock" run --rm --init --network none "$image:apps" /app exit 3 2>&1)
        expect_eq "docker run --init: exit code" 3 $?
    else
        fail "the second dockerd did not answer within 60 s; its log:"
        tail -n 30 "$dir/dockerd.log"
    fi
    kill -TERM "$pid" 2>/dev/null
    for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then
        fail "second dockerd still running 30 s after SIGTERM: killing it"
        kill -KILL "$pid"
    else ok "second dockerd stopped"; fi
    # Anything still mounted under it must not be deleted through the mount.
    grep -o " $dir/[^ ]*" /proc/mounts | sort -r | xargs -r -n1 umount -l
    rm -rf "$dir"
    done_case
}

# The numbers the README quotes: docker stop of an app that installs no SIGTERM handler,
# under initd, under tini, and as PID 1 itself (where the kernel ignores SIGTERM, so only
# docker's SIGKILL at the timeout ends it: -t 2 here, not the default 10, to keep it short).
stop_times() {
    local times=() ms
    for init in initd tini none; do
        local timeout=10 runs=3
        [ "$init" = none ] && timeout=2 runs=1
        for run in $(seq 1 $runs); do
            INITD_DOCKER_INIT=$init under_init -- /app sleep
            start "stop-$init-$run" "$image:apps" "${CMD[@]}" || done_case
            timed_stop "$NAME" "$timeout"
            finish
            echo "docker stop -t $timeout, app with no SIGTERM handler, init: $init, run $run: $STOP_MS ms (exit code $CODE)"
            times+=("$init $timeout $STOP_MS")
        done
    done
    echo "--- docker stop times (ms):"
    printf '%s\n' "${times[@]}" | awk '{ t[$1] = t[$1] " " $3; to[$1] = $2 }
        END { for (i in t) printf "  %-5s (docker stop -t %s):%s\n", i, to[i], t[i] }' | sort
    for entry in "${times[@]}"; do
        read -r init timeout ms <<<"$entry"
        case $init in
        initd) expect_between "initd, docker stop" 0 5000 "$ms" ;;
        none) expect_between "no init, docker stop -t 2 waits for the timeout" 1900 6000 "$ms" ;;
        esac
    done
    done_case
}

"$@"
