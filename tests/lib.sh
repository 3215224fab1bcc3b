# shellcheck shell=bash
# Helpers for the test scripts. Each test script prints one line per check:
#   ok - NAME | not ok - NAME: WHY | skip - NAME: WHY
# and exits 1 if any check failed. tests/run counts the lines.
TESTS_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PKG_TOP=$(cd "$TESTS_TOP/.." && pwd)
T_FAILED=0

ok()   { printf 'ok - %s\n' "$1"; }
bad()  { printf 'not ok - %s: %s\n' "$1" "$2"; T_FAILED=1; }
skip() { printf 'skip - %s: %s\n' "$1" "$2"; }

# check NAME CMD...: ok when CMD succeeds
check() { local n=$1; shift; if "$@"; then ok "$n"; else bad "$n" "failed: $*"; fi; }

# expect_fail NAME WANT_RC PATTERN CMD...: CMD must exit WANT_RC and print exactly one
# 'error:' line on stderr matching PATTERN (the one clear line users get).
expect_fail() {
	local n=$1 want=$2 pat=$3 out rc lines; shift 3
	out=$("$@" 2>&1 >/dev/null); rc=$?
	lines=$(printf '%s\n' "$out" | grep -c 'error:' || true)
	if [ "$rc" -ne "$want" ]; then
		bad "$n" "exit $rc, want $want; output: $(printf '%s' "$out" | tail -n 3 | tr '\n' ' ')"
	elif ! printf '%s\n' "$out" | grep -qE -- "$pat"; then
		bad "$n" "message does not match /$pat/: $(printf '%s' "$out" | tail -n 3 | tr '\n' ' ')"
	elif [ "$lines" -gt 1 ]; then
		bad "$n" "$lines error lines, want one: $(printf '%s' "$out" | tr '\n' ' ')"
	else
		ok "$n"
	fi
}

# snapshot DIR...: a digest of the names, sizes and mtimes below the dirs (to prove
# that something failed without changing anything).
snapshot() { find "$@" -printf '%p %s %T@\n' 2>/dev/null | LC_ALL=C sort | sha256sum | cut -d' ' -f1; }

t_done() { exit "$T_FAILED"; }
