#!/bin/sh
# The main command of the baseimage-style image: looks at the services with sv (initd
# under that name), kills one, and exits 0 only when everything was as expected.
bad=0
ok() { echo "ok: $*"; }
no() { echo "FAIL: $*"; bad=1; }
wait_for() {  # COMMAND...: until it succeeds, at most 10 s
    for _ in $(seq 200); do "$@" && return 0; sleep 0.05; done
    return 1
}
has_pid() { [ -s "/etc/service/$1/supervise/pid" ]; }
wait_for has_pid web && wait_for has_pid worker && wait_for grep -q worker-run /tmp/order || no "services did not start"
case $(sv status web) in "run: web: (pid "*"; run: log: (pid "*) ok "sv status web";; *) no "sv status web: $(sv status web)";; esac
case $(sv status idle) in "down: idle: "*) ok "idle is down";; *) no "sv status idle: $(sv status idle)";; esac
[ "$FROM_FIRST" = exported ] && ok "main sees FROM_FIRST" || no "main sees FROM_FIRST='$FROM_FIRST'"
log=$(cat /etc/service/web/log/supervise/pid)
old=$(cat /etc/service/worker/supervise/pid)
kill -9 "$old"
new_pid() { p=$(cat /etc/service/worker/supervise/pid); [ -n "$p" ] && [ "$p" != "$old" ]; }
wait_for new_pid && ok "worker restarted with a new pid" || no "worker not restarted"
[ "$(cat /etc/service/web/log/supervise/pid)" = "$log" ] && ok "web's logger kept" || no "web's logger changed"
sv down worker >/dev/null; wait_for sh -c 'sv status worker | grep -q "^down:"' && ok "sv down" || no "sv down"
sv up worker >/dev/null; wait_for sh -c 'sv status worker | grep -q "^run:"' && ok "sv up" || no "sv up"
wait_for grep -q "web sees exported" /tmp/web.log && ok "web's output reached its logger" || no "web.log: $(cat /tmp/web.log)"
echo main-end >> /tmp/order
exit $((bad * 3))
