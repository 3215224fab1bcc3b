#!/bin/bash
# Smoke test of the production module in the exact Debian kernel it was built for,
# under QEMU (tests/vm/run-vm): loads (rc 0), shows its identity in sysfs, debugfs and
# dmesg, survives 20 unload/load cycles, and the kernel log has no WARN/Oops/BUG.
# Uses the module tests/integration/test-make-build.sh leaves in work/ (WORK_KEEP=1).
. "$(dirname "$0")/../lib.sh"
K=${TEST_KERNEL_61:-6.1.0-56-amd64}
W=$PKG_TOP/work/test-$K/drivers/gpu/drm/i915
[ -f "$W/i915.ko" ] || { skip "vm smoke $K" "no module built in $W (run tests/integration/test-make-build.sh with WORK_KEEP=1 first)"; exit 0; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cp "$W/i915.ko" "$T/"
cat > "$T/guest.sh" <<'GUEST'
insmod /modules/i915.ko || exit 10
echo "identity: $(cat /sys/module/i915/parameters/dkms_identity)"
echo "reclaim: $(tr '\n' ' ' < /sys/kernel/debug/i915-vma-cleanup/reclaim)"
dmesg | grep -m1 'i915-vma-cleanup' | sed 's/^/banner: /'
i=0
while [ $i -lt 20 ]; do
	rmmod i915 || exit 11
	insmod /modules/i915.ko || exit 12
	i=$((i + 1))
done
rmmod i915 || exit 13
echo "cycles: $i"
GUEST
out=$("$TESTS_TOP/vm/run-vm" --kver "$K" --modules-dir "$T" --guest-script "$T/guest.sh" 2>"$T/err"); rc=$?
[ $rc -eq 77 ] && { skip "vm smoke $K" "$(tail -n 1 "$T/err")"; exit 0; }
check "vm smoke $K: loads, 20 unload/load cycles, clean kernel log (run-vm rc $rc)" test $rc -eq 0
[ $rc -eq 0 ] || sed 's/^/    | /' "$T/err" | tail -n 15
check "vm smoke $K: sysfs identity says verify mode" grep -q '^identity: i915-vma-cleanup .* mode=verify ' <<<"$out"
check "vm smoke $K: debugfs counters readable" grep -q '^reclaim: mode: verify vm_released: [0-9]' <<<"$out"
check "vm smoke $K: load banner in dmesg" grep -q '^banner: .*i915-vma-cleanup' <<<"$out"
check "vm smoke $K: 20 cycles done" grep -q '^cycles: 20$' <<<"$out"
grep -m1 'timing:' "$T/err" | sed 's/^.*timing: /    timing: /'
t_done
