#!/bin/bash
# Smoke test of the production module in the exact Debian kernel it was built for,
# under QEMU (tests/vm/run-vm): loads (rc 0), shows its identity in sysfs, debugfs and
# dmesg, survives 20 unload/load cycles, and the kernel log has no WARN/Oops/BUG.
# Uses the modules the build tests leave in work/ (WORK_KEEP=1): the one dkms installed
# for the newest 6.1 ABI (saved by tests/integration/test-dkms-lifecycle.sh, signed by
# dkms's key), the oldest 6.1 ABI from test-make-build.sh (the 6.1.192 source built for
# 6.1.170 through the compat layer) and the rt one from test-compat-matrix.sh (the
# i915 part of Debian's rt patch set applied), each in its own Debian kernel.
. "$(dirname "$0")/../lib.sh"
K56=${TEST_KERNEL_61:-6.1.0-56-amd64}
KRT=${TEST_KERNEL_RT:-6.1.0-47-rt-amd64}
BUILDS=${TEST_SMOKE_BUILDS:-"$K56:work/installed-$K56 6.1.0-47-amd64:work/compat-6.1.0-47-amd64 $KRT:work/compat-$KRT"}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
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
smoke() {   # smoke KVER WORK
	local K=$1 W=$PKG_TOP/$2/drivers/gpu/drm/i915 out rc
	[ -f "$W/i915.ko" ] || { skip "vm smoke $K" "no module built in $W (the build tests leave it with WORK_KEEP=1)"; return; }
	rm -f "$T"/*.ko && cp "$W/i915.ko" "$T/"
	out=$("$TESTS_TOP/vm/run-vm" --kver "$K" --modules-dir "$T" --guest-script "$T/guest.sh" 2>"$T/err"); rc=$?
	[ $rc -eq 77 ] && { skip "vm smoke $K" "$(tail -n 1 "$T/err")"; return; }
	check "vm smoke $K: loads, 20 unload/load cycles, clean kernel log (run-vm rc $rc)" test $rc -eq 0
	[ $rc -eq 0 ] || sed 's/^/    | /' "$T/err" | tail -n 15
	check "vm smoke $K: sysfs identity says verify mode for $K" grep -q "^identity: i915-vma-cleanup .* mode=verify .* kernel=$K " <<<"$out"
	check "vm smoke $K: debugfs counters readable" grep -q '^reclaim: mode: verify vm_released: [0-9]' <<<"$out"
	check "vm smoke $K: load banner in dmesg" grep -q '^banner: .*i915-vma-cleanup' <<<"$out"
	check "vm smoke $K: 20 cycles done" grep -q '^cycles: 20$' <<<"$out"
	grep -m1 'timing:' "$T/err" | sed 's/^.*timing: /    timing: /'
}
for b in $BUILDS; do smoke "${b%%:*}" "${b#*:}"; done
t_done
