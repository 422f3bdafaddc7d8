#!/bin/bash
# Checks what a release ships, from this build directory:
#   release_check.sh install: `cmake --install` lays out sbin/initd, the man page and the
#     docker-init link; the man page names every option of --help and every variable.
#   release_check.sh package: cpack makes the tar.gz, the .deb and a .sha256 for each.
set -u
src=${INITD_SOURCE_DIR:?}
build=${INITD_BUILD_DIR:?}
arch=${INITD_PACKAGE_ARCH:?}
work=$(mktemp -d /tmp/initd-release.XXXXXX)
trap 'rm -rf "$work"' EXIT
failures=0
ok() { echo "ok: $*"; }
fail() {
    echo "FAIL: $*"
    failures=$((failures + 1))
}
check() {  # WHAT COMMAND...
    local what=$1
    shift
    if "$@"; then ok "$what"; else fail "$what"; fi
}

install_layout() {
    cmake --install "$build" --prefix "$work/usr" >/dev/null || fail "cmake --install"
    check "sbin/initd is build/initd" cmp -s "$build/initd" "$work/usr/sbin/initd"
    check "sbin/initd is executable" test -x "$work/usr/sbin/initd"
    check "share/man/man1/initd.1" test -s "$work/usr/share/man/man1/initd.1"
    check "share/doc/initd/LICENSE" test -s "$work/usr/share/doc/initd/LICENSE"
    check "libexec/initd/docker-init is a link" test -L "$work/usr/libexec/initd/docker-init"
    local version
    version=$("$work/usr/libexec/initd/docker-init" --version 2>&1)
    if [[ $version == "tini version "*" - git.initd" ]]; then ok "docker-init --version: $version"
    else fail "docker-init --version: '$version' is not in tini's format"; fi

    local man=$work/usr/share/man/man1/initd.1 text
    if command -v groff >/dev/null; then
        local warnings
        warnings=$(groff -man -Tutf8 -ww -z "$man" 2>&1)
        [ -z "$warnings" ] && ok "groff reads the man page without warnings" || fail "groff: $warnings"
    fi
    # Compare with what the page says, with roff's escaped hyphens and fonts taken out.
    text=$(sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' "$man")
    local missing=()
    for option in $("$build/initd" --help | grep -oE -- '--[a-z][a-z-]+' | sort -u); do
        grep -qF -- "$option" <<<"$text" || missing+=("$option")
    done
    for short in $("$build/initd" --help | grep -oE -- '^  -[a-zA-Z]' | sort -u); do
        grep -qF -- "$short" <<<"$text" || missing+=("$short")
    done
    # initd's variables are its long options marked kVariable in names.cpp (the name
    # inline, or in a shared k...Text constant); the other names' are EnvSpec rows.
    local names=$src/src/cli/names.cpp initd_variables=()
    for spec in $(grep -oE '(k[A-Za-z]+Text|"[a-z-]+\\0)[^}]*kVariable\}' "$names" | grep -oE '^(k[A-Za-z]+Text|"[a-z-]+)'); do
        [[ $spec == k* ]] && spec=$(grep -oE "$spec\\[\\] = \"[a-z-]+" "$names" | cut -d'"' -f2)
        spec=${spec#\"}; spec=${spec^^}; initd_variables+=("INITD_${spec//-/_}")
    done
    [ ${#initd_variables[@]} -ge 26 ] || fail "only ${#initd_variables[@]} INITD_* variables found in names.cpp"
    for variable in "${initd_variables[@]}" $(grep -ohE 'EnvSpec\{"[A-Z_]+"' "$names" | cut -d'"' -f2) \
        tini tini-static docker-init dumb-init catatonit LISTEN_PID 126 127 137; do
        grep -qF -- "$variable" <<<"$text" || missing+=("$variable")
    done
    if [ ${#missing[@]} -eq 0 ]; then ok "the man page names every option, variable, name and exit code"
    else fail "the man page lacks: ${missing[*]}"; fi
}

packages() {
    local out=$work/packages
    cpack --config "$build/CPackConfig.cmake" -B "$out" >"$work/cpack.log" 2>&1 ||
        { cat "$work/cpack.log"; fail "cpack"; }
    local version
    version=$(sed -n 's/^set(CPACK_PACKAGE_VERSION "\(.*\)")/\1/p' "$build/CPackConfig.cmake")
    local tgz=initd-$version-linux-$arch.tar.gz deb=initd_${version}_$arch.deb
    ls "$out"
    for file in "$tgz" "$deb"; do
        check "$file made" test -s "$out/$file"
        check "$file.sha256 matches it" bash -c "cd '$out' && sha256sum -c --quiet '$file.sha256'"
    done
    check "the tarball holds sbin/initd and the man page" bash -c \
        "tar tzf '$out/$tgz' | grep -qx 'initd-$version-linux-$arch/sbin/initd' &&
         tar tzf '$out/$tgz' | grep -qx 'initd-$version-linux-$arch/share/man/man1/initd.1'"
    check "the .deb is for $arch" test "$(dpkg-deb -f "$out/$deb" Architecture)" = "$arch"
    check "the .deb installs /usr/sbin/initd" bash -c "dpkg-deb -c '$out/$deb' | grep -q ' ./usr/sbin/initd$'"
}

case ${1:-} in
install) install_layout ;;
package) packages ;;
*) fail "usage: release_check.sh install|package" ;;
esac
echo "$failures failed"
[ "$failures" -eq 0 ]
