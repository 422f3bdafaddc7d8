#!/bin/bash
# Podman end to end (Debian's podman 4.3, rootful): `cases.sh FUNCTION`, one CTest test
# each. Everything podman keeps for these tests lives in $INITD_PODMAN_STATE: its own
# storage (storage.conf), its own tmp_dir, and a containers.conf (CONTAINERS_CONF) that says
#   init_path = build/initd          what `podman run --init` mounts at /run/podman-init
#   helper_binaries_dir = [a dir with a `catatonit` link to initd]
#                                    where 4.3 finds the catatonit it copies into the
#                                    localhost/podman-pause image of a pod's infra container
#   default_ulimits = nofile, nproc  the sandbox of the test machines refuses podman's
#                                    default rlimits ("error setting rlimit type 7")
# Nothing is pulled: the image is `podman import`ed from a tar of static programs
# (busybox-static and the tests' helpers). Fails, never skips, when podman cannot run.
set -u
src=${INITD_SOURCE_DIR:?}
build=${INITD_BUILD_DIR:?}
state=${INITD_PODMAN_STATE:?}
image=localhost/initd-test:podman
export CONTAINERS_CONF=$state/containers.conf CONTAINERS_STORAGE_CONF=$state/storage.conf
. "$src/tests/checks.sh"  # ok, fail, expect_eq, now_ms
run() { podman run --rm --init "$image" "$@"; }

setup() {
    if ! command -v podman >/dev/null; then
        echo "podman missing: installing Debian's podman"
        DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends podman ||
            { echo "FAIL: apt-get install podman failed: the podman tests cannot run"; exit 1; }
    fi
    if ! file /bin/busybox 2>/dev/null | grep -q "statically linked"; then
        echo "no static /bin/busybox: installing Debian's busybox-static"
        DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends busybox-static ||
            { echo "FAIL: apt-get install busybox-static failed: the podman tests cannot run"; exit 1; }
    fi
    cleanup >/dev/null 2>&1
    mkdir -p "$state/helpers" "$state/rootfs/bin"
    ln -sf "$build/initd" "$state/helpers/catatonit"
    cat >"$state/containers.conf" <<CONF
[containers]
default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]
init_path = "$build/initd"
[engine]
helper_binaries_dir = ["$state/helpers"]
tmp_dir = "$state/tmp"
CONF
    cat >"$state/storage.conf" <<CONF
[storage]
driver = "vfs"
graphroot = "$state/storage"
runroot = "$state/run"
CONF
    cp /bin/busybox "$build/initd" "$build/helpers/exit_with" "$build/helpers/zombie_factory" \
        "$build/helpers/notify_ready" "$state/rootfs/bin/"
    ln -sf busybox "$state/rootfs/bin/sh"
    tar -C "$state/rootfs" -c . | podman import - "$image" >/dev/null ||
        { echo "FAIL: podman import failed: the podman tests cannot run"; exit 1; }
    echo "podman $(podman version --format '{{.Client.Version}}'), image $image, state in $state"
}

cleanup() {
    podman pod rm -f -a >/dev/null 2>&1
    podman rm -f -a >/dev/null 2>&1
    podman rmi -f -a >/dev/null 2>&1
    rm -rf "$state/storage" "$state/run" "$state/tmp" "$state/rootfs"
}

# `podman run --init` runs `/run/podman-init -- CMD`; initd answers to that name as catatonit.
init_path() {
    expect_eq "PID 1" "/run/podman-init -- /bin/sh -c cat /proc/1/cmdline | tr '\\0' ' '" \
        "$(run /bin/sh -c "cat /proc/1/cmdline | tr '\\0' ' '" | sed 's/ $//')"
    expect_eq "PID 1 is build/initd" "$(md5sum <"$build/initd" | cut -d' ' -f1)" \
        "$(run /bin/sh -c 'md5sum </proc/1/exe' | cut -d' ' -f1)"
    expect_eq "podman-init --version (catatonit's, tini's format)" "tini version" \
        "$(run /run/podman-init --version | cut -d' ' -f1-2)"
}

exit_codes() {
    for code in 0 1 3 127 255; do
        run /bin/exit_with "$code"
        expect_eq "exit_with $code" "$code" "$?"
    done
    run /bin/exit_with signal 9
    expect_eq "killed by SIGKILL" 137 "$?"
}

orphans() {
    local out
    out=$(run /bin/zombie_factory 500 10)
    expect_eq "zombie_factory's status" 0 "$?"
    echo "$out"
    grep -q "^zombies left 0$" <<<"$out" && ok "no zombie left" || fail "zombies left"
}

# podman stop sends SIGTERM to PID 1; initd forwards it to sleep (no handler: it dies).
stop() {
    local name=initd-test-stop-$$ t0 ms code
    podman run -d --init --name "$name" "$image" /bin/busybox sleep 1000 >/dev/null || fail "podman run -d"
    t0=$(now_ms)
    podman stop -t 10 "$name" >/dev/null
    ms=$(($(now_ms) - t0))
    code=$(podman inspect --format '{{.State.ExitCode}}' "$name")
    podman rm -f "$name" >/dev/null
    expect_eq "exit code after podman stop" 143 "$code"
    if [ "$ms" -lt 3000 ]; then ok "podman stop took $ms ms (timeout 10 s)"; else fail "podman stop took $ms ms"; fi
}

# A pod sharing its PID namespace: the infra container runs podman-pause's /catatonit -P,
# which is initd; a member's orphans are re-parented to it and reaped; the pod stops.
pod() {
    local pod=initd-test-pod-$$ out t0 ms
    podman pod create --name "$pod" --share pid >/dev/null || { fail "podman pod create"; return; }
    podman pod start "$pod" >/dev/null || fail "podman pod start"
    expect_eq "the infra container's PID 1" "/catatonit -P" \
        "$(podman run --rm --pod "$pod" "$image" /bin/sh -c "cat /proc/1/cmdline | tr '\\0' ' '" | sed 's/ $//')"
    expect_eq "/catatonit is build/initd" "$(md5sum <"$build/initd" | cut -d' ' -f1)" \
        "$(podman run --rm --pod "$pod" "$image" /bin/sh -c 'md5sum </proc/1/exe' | cut -d' ' -f1)"
    # 20 orphans (their subshell exits at once): PID 1, the infra's initd, adopts them;
    # killed, they must be reaped: none left, no zombie (ps's STAT Z). Bounded: 5 s.
    out=$(podman run --rm --pod "$pod" "$image" /bin/sh -c '
        for i in $(seq 20); do (busybox sleep 1000 &); done
        orphans() { busybox ps -o pid,ppid,stat,args | busybox awk "\$2 == 1 && /[s]leep 1000/"; }
        echo "adopted by 1: $(orphans | busybox wc -l)"
        kill $(orphans | busybox awk "{print \$1}")
        for i in $(seq 100); do
            [ -z "$(orphans)" ] && break
            busybox sleep 0.05
        done
        echo "left: $(orphans | busybox wc -l)"
        echo "zombies: $(busybox ps -o stat | grep -c "^Z")"')
    echo "$out"
    grep -q "^adopted by 1: 20$" <<<"$out" && ok "20 orphans adopted by the infra's initd" || fail "orphans not adopted"
    grep -q "^left: 0$" <<<"$out" && ok "all reaped" || fail "orphans left"
    grep -q "^zombies: 0$" <<<"$out" && ok "no zombie" || fail "zombies left"
    t0=$(now_ms)
    podman pod stop "$pod" >/dev/null || fail "podman pod stop"
    ms=$(($(now_ms) - t0))
    expect_eq "infra's exit code (initd -P on SIGTERM)" 0 \
        "$(podman ps -a --pod --filter "pod=$pod" --format '{{.ExitCode}}' | head -1)"
    if [ "$ms" -lt 3000 ]; then ok "podman pod stop took $ms ms"; else fail "podman pod stop took $ms ms"; fi
    podman pod rm -f "$pod" >/dev/null
}

# --sdnotify=container: podman hands the container the NOTIFY_SOCKET it was given (here a
# socket this case listens on); initd --notify-socket makes a NOTIFY_SOCKET of its own for
# the child and passes the child's READY=1 on. Checked: the child's socket is initd's, not
# podman's, and READY=1 arrives here. (The option's name comes in INITD_NOTIFY_OPTION.)
sdnotify() {
    local option=${INITD_NOTIFY_OPTION:-} name=initd-test-notify-$$ sock=$state/notify.sock
    [ -n "$option" ] || { fail "INITD_NOTIFY_OPTION is not set (tests/podman/CMakeLists.txt sets it)"; return; }
    rm -f "$sock"
    # The listener: every datagram, one line each, until READY=1 (30 s at most).
    python3 - "$sock" >"$state/notify.log" <<'PY' &
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
s.settimeout(30)
while True:
    message = s.recv(4096).decode()
    print(message.replace("\n", " "), flush=True)
    if "READY=1" in message.split("\n"):
        break
PY
    local listener=$!
    for _ in $(seq 50); do [ -S "$sock" ] && break; sleep 0.1; done
    NOTIFY_SOCKET=$sock timeout 30 podman run -d --sdnotify=container --name "$name" "$image" \
        /bin/initd "$option" -- /bin/notify_ready /bin/busybox sleep 1000 >/dev/null
    expect_eq "podman run -d --sdnotify=container" 0 "$?"
    wait "$listener"
    grep -q "READY=1" "$state/notify.log" && ok "READY=1 reached podman's NOTIFY_SOCKET: $(cat "$state/notify.log")" ||
        fail "no READY=1 reached podman's NOTIFY_SOCKET"
    local given
    given=$(podman logs "$name" 2>&1 | grep "^NOTIFY_SOCKET=")
    if [ -n "$given" ] && [ "$given" != "NOTIFY_SOCKET=/run/notify/notify.sock" ]; then ok "the child's socket is initd's: $given"
    else fail "the child's socket is not initd's own: '$given'"; fi
    podman rm -f "$name" >/dev/null
}

[ $# -eq 1 ] || { echo "usage: cases.sh FUNCTION"; exit 2; }
"$1"
[ "$failures" -eq 0 ] || { echo "$failures check(s) failed"; exit 1; }
