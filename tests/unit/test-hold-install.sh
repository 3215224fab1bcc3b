#!/bin/bash
# tests/hold-install (make check after make install) with a fake dkms, modinfo and
# dpkg-query on PATH and a private /usr/src: what "out" records and removes, what "back"
# restores, both dkms status formats, an apt installation left alone, a failing put-back
# reported as a failing test line. No root, nothing outside a temp dir is touched.
. "$(dirname "$0")/../lib.sh"
PKG=i915-vma-cleanup
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
mkdir -p "$T/bin" "$T/src"
export I915_LOG_DIR=$T/log FAKE_STATE=$T/state HOLD_SRC_ROOT=$T/src FAKE_LOG=$T/calls PATH=$T/bin:$PATH

# state: one line per "ver kernel state" (kernel "-" = registered only)
cat > "$T/bin/dkms" <<'EOF'
#!/bin/bash
echo "dkms $*" >> "$FAKE_LOG"
cmd=$1; shift; m= v= k=
while [ $# -gt 0 ]; do case $1 in -m) m=$2; shift 2 ;; -v) v=$2; shift 2 ;; -k) k=$2; shift 2 ;; *) shift ;; esac; done
touch "$FAKE_STATE"
case $cmd in
status)
	while read -r ver kern st; do
		[ -n "$v" ] && [ "$v" != "$ver" ] && continue
		if [ "$kern" = - ]; then echo "$m/$ver: added"
		elif [ "${FAKE_DKMS2:-0}" = 1 ]; then echo "$m, $ver, $kern, x86_64: $st"
		else echo "$m/$ver, $kern, x86_64: $st"; fi
	done < "$FAKE_STATE" ;;
remove) grep -v "^$v " "$FAKE_STATE" > "$FAKE_STATE.n"; mv "$FAKE_STATE.n" "$FAKE_STATE" ;;
add) [ -d "$HOLD_SRC_ROOT/$m-$v" ] || exit 1; echo "$v - added" >> "$FAKE_STATE" ;;
install) [ "$k" = "${FAKE_FAIL_KERNEL:-}" ] && exit 10
	grep -v "^$v - " "$FAKE_STATE" > "$FAKE_STATE.n"; mv "$FAKE_STATE.n" "$FAKE_STATE"; echo "$v $k installed" >> "$FAKE_STATE" ;;
esac
EOF
cat > "$T/bin/modinfo" <<'EOF'
#!/bin/bash
k=$2
if grep -q " $k installed" "$FAKE_STATE" 2>/dev/null; then echo "/lib/modules/$k/updates/dkms/i915.ko"
else echo "/lib/modules/$k/kernel/drivers/gpu/drm/i915/i915.ko"; fi
EOF
cat > "$T/bin/dpkg-query" <<'EOF'
#!/bin/bash
[ "${FAKE_APT:-0}" = 1 ] && echo "install ok installed"
exit 0
EOF
chmod +x "$T/bin/"*
hold() { "$PKG_TOP/tests/hold-install" "$@" 2>"$T/err"; }
setup_state() {   # lines "ver kernel state"; a /usr/src tree per version
	rm -rf "$T/src"/* "$T/held" "$FAKE_LOG"; : > "$FAKE_STATE"
	[ $# -eq 0 ] || printf '%s\n' "$@" > "$FAKE_STATE"
	local v; for v in $(printf '%s\n' "$@" | cut -d' ' -f1 | sort -u); do
		mkdir -p "$T/src/$PKG-$v" && echo "tree $v" > "$T/src/$PKG-$v/marker"; done
}

# 1. installed for two kernels (dkms 3 format): out removes it, back restores both
setup_state "1.0.0 6.1.0-56-amd64 installed" "1.0.0 6.12.117+deb12-amd64 installed"
hold out "$T/held"
check "out: records the kernels it was installed for" \
	test "$(cat "$T/held/1.0.0/kernels" 2>/dev/null)" = "6.1.0-56-amd64 6.12.117+deb12-amd64"
check "out: dkms remove --all, nothing registered" bash -c "grep -q 'dkms remove -m $PKG -v 1.0.0 --all' '$FAKE_LOG' && test ! -s '$FAKE_STATE'"
check "out: /usr/src tree saved and removed" test -f "$T/held/1.0.0/src/marker" -a ! -e "$T/src/$PKG-1.0.0"
check "out: says what it did, naming the kernels" grep -q 'installed for: 6.1.0-56-amd64 6.12.117+deb12-amd64.*put back after the tests' "$T/err"
echo "1.0.0 6.1.0-56-amd64 installed" >> "$FAKE_STATE"   # the tests' own registration, left over
out=$(hold back "$T/held")
check "back: one passing test line" test "$out" = "ok - put back: $PKG 1.0.0 installed for 6.1.0-56-amd64 6.12.117+deb12-amd64 before the tests"
check "back: installed for the same kernels again" \
	test "$(sort "$FAKE_STATE" | tr '\n' ' ')" = "1.0.0 6.1.0-56-amd64 installed 1.0.0 6.12.117+deb12-amd64 installed "
check "back: the saved tree is the one registered" grep -qx "tree 1.0.0" "$T/src/$PKG-1.0.0/marker"
check "back: the saved state is gone" test ! -e "$T/held"

# 2. dkms 2 status format, two versions, one only registered
setup_state "0.9.0 6.1.0-47-amd64 installed" "1.0.0 - added"
FAKE_DKMS2=1 hold out "$T/held"
check "out (dkms 2 format): both versions held" test -f "$T/held/0.9.0/kernels" -a -f "$T/held/1.0.0/kernels"
check "out (dkms 2 format): 0.9.0's kernel recorded, 1.0.0 registered only" \
	test "$(cat "$T/held/0.9.0/kernels")|$(cat "$T/held/1.0.0/kernels")" = "6.1.0-47-amd64|"
out=$(hold back "$T/held")
check "back: both versions put back" test "$(grep -c '^ok - put back' <<<"$out")" -eq 2

# 3. a failing dkms install at put-back is a failing test line, with the remedy
setup_state "1.0.0 6.1.0-56-amd64 installed"
hold out "$T/held"
out=$(FAKE_FAIL_KERNEL=6.1.0-56-amd64 hold back "$T/held")
check "back: a failed dkms install is 'not ok' naming the kernel, its log in the package's log directory (never /var/tmp) and the remedy" \
	grep -q "^not ok - put back: .*dkms install for 6.1.0-56-amd64 failed (log: $T/log/put-back.log); reinstall with sudo make install" <<<"$out"

# 4. installed through apt: left to dpkg
setup_state "1.0.0 6.1.0-56-amd64 installed"
FAKE_APT=1 hold out "$T/held"
check "out: an apt installation is left as it is" bash -c "test ! -e '$T/held' && ! grep -q 'dkms remove' '$FAKE_LOG' 2>/dev/null && test -d '$T/src/$PKG-1.0.0'"
check "out: and says so, with the remedy" grep -q 'installed through apt.*apt purge' "$T/err"

# 5. nothing registered: nothing held, nothing printed by back
setup_state
hold out "$T/held"
check "out: nothing registered, nothing held" test ! -e "$T/held"
check "back: nothing held, no test line" test -z "$(hold back "$T/held")"
t_done
