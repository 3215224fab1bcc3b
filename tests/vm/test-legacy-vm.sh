#!/bin/bash
# The legacy runtime harness's boot, load and verdict path (tests/legacy/guest.sh,
# tests/vm/run-vm, tests/legacy/verdict) against the 6.1 image CI has: the production
# module's 20 load/unload cycles are counted from the kernel log and the log is clean;
# with no legacy selftest (6.x uses i915's own mock selftests, tests/vm/test-selftests.sh)
# the verdict must say the kernel is not proven, and why. A module for another ABI
# must fail the cycles. The legacy kernels themselves: make check-legacy LEGACY_TREES=...
. "$(dirname "$0")/../lib.sh"
K=${TEST_KERNEL_61:-6.1.0-56-amd64}
OTHER=${TEST_LEGACY_OTHER:-work/compat-6.1.0-47-amd64}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
run() {	# run NAME MODULE-DIR: boots K with the guest script; sets OUT (verdict), RC
	local ko=$PKG_TOP/$2/drivers/gpu/drm/i915/i915.ko
	mkdir -p "$T/$1" && cp "$ko" "$T/$1/i915.ko" || return 1
	"$TESTS_TOP/vm/run-vm" --kver "$K" --modules-dir "$T/$1" --guest-script "$PKG_TOP/tests/legacy/guest.sh" \
		--timeout 300 --log "$T/$1.log" > /dev/null 2> "$T/$1.err"
	VMRC=$?
	OUT=$("$PKG_TOP/tests/legacy/verdict" --log "$T/$1.log" --kernel "$K"); RC=$?
}
# run-vm's scan of the kernel log (tests/legacy/kernel-problems, shared with the verdict)
# and check-legacy's expected section, without a module: reports written to /dev/kmsg
# as a debug kernel prints them, in the hazard mutant's hazard section (expected) and
# before it (a failure, 122).
kmsg_script() {	# kmsg_script LINE-BEFORE-THE-SECTION > script
	printf 'k() { echo "$1" > /dev/kmsg; }\n'
	printf 'k "legacy-phase: selftest"\nk "i915_dkms_legacy: hazard begin"\nk "i915_dkms_legacy: hazard end checks=ok"\n'
	printf 'k "legacy-phase: hazmut"\n'
	[ -z "$1" ] || printf 'k "%s"\n' "$1"
	printf 'k "i915_dkms_legacy: hazard begin"\nk "BUG: KASAN: use-after-free in i915_gem_object_unpin_pages+0x1d/0x40 [i915]"\nk "Call Trace:"\nk "legacy-phase: end"\n'
}
EXPECT=(--expect-after 'legacy-phase: hazmut' --expect-after 'i915_dkms_legacy: hazard begin')
kmsg_script "" > "$T/expected.sh"
"$TESTS_TOP/vm/run-vm" --kver "$K" --guest-script "$T/expected.sh" --timeout 300 --log "$T/expected.log" "${EXPECT[@]}" > /dev/null 2> "$T/expected.err"
VMRC=$?
if [ "$VMRC" = 77 ]; then skip "legacy harness on $K" "$(tail -n 1 "$T/expected.err")"; t_done; fi
check "run-vm on $K: reports in the expected section (--expect-after) are listed, not a failure (rc $VMRC)" \
	eval '[ "$VMRC" = 0 ] && grep -q "^    KASAN: .*BUG: KASAN: use-after-free" "$T/expected.err" && ! grep -q "kernel log shows problems" "$T/expected.err"'
OUT=$("$PKG_TOP/tests/legacy/verdict" --log "$T/expected.log" --kernel "$K" --hazard-mutant)
check "verdict on the same log: log=clean, the hazard mutant caught" \
	eval 'grep -q " log=clean$" <<<"$OUT" && grep -q "^legacy-hazard-mutant: kernel=$K hazard=fail (KASAN" <<<"$OUT"'
kmsg_script "BUG: scheduling while atomic: insmod/1234/0x00000002" > "$T/unexpected.sh"
"$TESTS_TOP/vm/run-vm" --kver "$K" --guest-script "$T/unexpected.sh" --timeout 300 --log "$T/unexpected.log" "${EXPECT[@]}" > /dev/null 2> "$T/unexpected.err"
VMRC=$?
check "run-vm on $K: a report outside the expected section: exit 122 (check-legacy: not proven), the line named" \
	eval '[ "$VMRC" = 122 ] && grep -q "^    BUG: .*BUG: scheduling while atomic" "$T/unexpected.err"'

if [ ! -f "$PKG_TOP/work/installed-$K/drivers/gpu/drm/i915/i915.ko" ]; then
	skip "legacy harness on $K" "no module in work/installed-$K (tests/integration/test-dkms-lifecycle.sh leaves it)"
	t_done
fi
run prod "work/installed-$K"
if [ "$VMRC" = 77 ]; then skip "legacy harness on $K" "$(tail -n 1 "$T/prod.err")"; t_done; fi
check "legacy harness on $K: the guest script ran to its end marker (run-vm rc $VMRC)" grep -qa 'legacy-phase: end' "$T/prod.log"
check "legacy harness on $K: 20 load/unload cycles counted from the kernel log" grep -qa 'legacy-phase: cycles done=20' "$T/prod.log"
check "legacy harness on $K: verdict log=clean" grep -q "^legacy-runtime: kernel=$K rounds=0 fix_leaked=? mutant_leaked=? hazard=fail busy_elsewhere=unknown log=clean$" <<<"$OUT"
check "legacy harness on $K: without a legacy selftest the kernel is not proven (exit 1)" test "$RC" -eq 1
check "legacy harness on $K: ... because the selftest printed nothing" grep -q "not proven: the selftest variant printed no leak report" <<<"$OUT"
check "legacy harness on $K: ... and not because of the cycles" eval '! grep -q "load/unload cycles" <<<"$OUT"'
if [ -f "$PKG_TOP/$OTHER/drivers/gpu/drm/i915/i915.ko" ]; then
	run other "$OTHER"
	check "legacy harness on $K: a module built for another ABI fails its cycles (0 of 20)" grep -q 'not proven: 0 of 20 load/unload cycles' <<<"$OUT"
else
	skip "legacy harness on $K: module for another ABI" "no module in $OTHER (tests/integration/test-make-build.sh leaves it)"
fi
t_done
