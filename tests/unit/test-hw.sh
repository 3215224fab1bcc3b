#!/bin/bash
# The hardware acceptance test (tests/hw): builds warning-free, and on a machine without
# an i915 device it skips cleanly (exit 77, one SKIP line). On a support engineer's
# machine with an Intel GPU the same script runs the real flink-and-exit leak check, and
# only a PASS passes.
. "$(dirname "$0")/../lib.sh"
T=$(mktemp -d)
trap 'rm -rf "$T"; make -s -C "$TESTS_TOP/hw" clean >/dev/null 2>&1' EXIT
if make -s -C "$TESTS_TOP/hw" clean all > "$T/build.log" 2>&1; then
	ok "hw test builds with -Wall -Wextra -Werror"
else
	bad "hw test builds with -Wall -Wextra -Werror" "$(head -n 5 "$T/build.log" | tr '\n' ' ')"
fi
"$TESTS_TOP/hw/run.sh" > "$T/out" 2>&1; rc=$?
has_i915=$(for c in /sys/class/drm/card*/device/driver; do readlink "$c"; done 2>/dev/null | grep -c '/i915$')
if [ "${has_i915:-0}" -eq 0 ]; then
	check "without an i915 device it skips with 77 (rc $rc)" test "$rc" -eq 77
	check "the skip is one clear line" test "$(grep -c . "$T/out")" -eq 1 -a "$(grep -c '^SKIP: ' "$T/out")" -eq 1
	sed 's/^/    | /' "$T/out"
else
	sed 's/^/    | /' "$T/out"
	# a machine with an i915 must run the check: a skip there (no root, no debugfs, no
	# full PPGTT) is a failure that names what to fix, never a pass
	check "flink-and-exit VMA leak on this machine's i915 (rc $rc: $(head -n 1 "$T/out"))" test "$rc" -eq 0
fi
t_done
