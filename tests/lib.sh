# shellcheck shell=bash
# Helpers for the test scripts. Each test script prints one line per check:
#   ok - NAME | not ok - NAME: WHY | skip - NAME: WHY
# and exits 1 if any check failed. tests/run counts the lines.
TESTS_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PKG_TOP=$(cd "$TESTS_TOP/.." && pwd)
T_FAILED=0
# Debian 12's kernels, which most tests build for, reclaim a dead context's VMAs already: the
# package leaves them alone unless verify mode is asked for. The tests of verify mode run with
# that opt-in; the tests of the default (test-dkms-target, the lifecycle test's first part)
# take it away (unset I915_MODE / env -u I915_MODE).
export I915_MODE=${I915_MODE-verify}

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

# starts_unregistered NAME: the tests that install the package themselves (lifecycle,
# packaging) need it absent. Installed through apt: skip (dpkg owns it). Registered with
# dkms: under tests/run, which took any installation out of the way (tests/hold-install,
# I915_TESTS_HELD=1), that is a failure; run alone, a skip naming the remedy.
starts_unregistered() {
	local pkg=i915-vma-cleanup ver
	ver=$(cat "$PKG_TOP/VERSION")
	if dpkg-query -W -f='${Status}' "$pkg-dkms" 2>/dev/null | grep -q 'install ok installed'; then
		skip "$1" "$pkg-dkms is installed through apt (apt purge $pkg-dkms first)"; return 1
	fi
	[ -z "$(dkms status -m "$pkg" 2>/dev/null)" ] && [ ! -e "/usr/src/$pkg-$ver" ] && return 0
	if [ "${I915_TESTS_HELD:-0}" = 1 ]; then
		bad "$1" "$pkg is still registered with dkms (or /usr/src/$pkg-$ver exists) though tests/hold-install took it out"
	else
		skip "$1" "$pkg is already registered with dkms: run it through 'make check' (which puts the installation back afterwards), or 'make uninstall' first"
	fi
	return 1
}

t_done() { exit "$T_FAILED"; }

# plan_value PLAN KEY -> KEY's values in a plan (scripts/2-decide/plan), through the scripts' own
# reader (lib.sh plan_get): what a step decided is read from its data, never its log
plan_value() { (. "$PKG_TOP/scripts/lib.sh" && plan_get "$@"); }

# cached_exact_source KVER -> the Debian source version of KVER's headers when the
# package's source cache holds that exact source (scripts/1-source/fetch-source put it
# there); fails otherwise. The scripts' SOURCE_CACHE (scripts/lib.sh) must be set.
cached_exact_source() {
	local v
	v=$(dpkg-query -W -f='${source:Version}' "linux-headers-$1" 2>/dev/null) && [ -n "$v" ] &&
		ls "$SOURCE_CACHE/linux-source-$v/"linux-source-*.tar.* >/dev/null 2>&1 && echo "$v"
}
