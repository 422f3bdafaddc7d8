# Sourced by the end-to-end case scripts (tests/docker/cases.sh, tests/podman/cases.sh):
# how a case says what it saw. Each check prints one line; `fail` counts in $failures.
failures=0
ok() { echo "ok: $*"; }
fail() {
    echo "FAIL: $*"
    failures=$((failures + 1))
}
expect_eq() {  # WHAT EXPECTED ACTUAL
    if [ "$2" = "$3" ]; then ok "$1: $3"; else fail "$1: expected '$2', got '$3'"; fi
}
expect_between() {  # WHAT LOW HIGH ACTUAL(ms)
    if [ "$4" -ge "$2" ] && [ "$4" -lt "$3" ]; then ok "$1: $4 ms (expected $2-$3 ms)"
    else fail "$1: $4 ms, expected $2-$3 ms"; fi
}
now_ms() { echo $(($(date +%s%N) / 1000000)); }
