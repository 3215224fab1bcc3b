# tests/legacy/bench-guest.sh: run by busybox sh in the guest (tests/vm/run-vm
# --guest-script) for the legacy teardown benchmark of tests/legacy/check-legacy: a boot
# of its own, whose clocks count executed instructions (RUNVM_ICOUNT), so that the two
# builds compare without the host's load in the figures.
# /modules/i915_selftest.ko is the selftest variant (the backport and the package's
# completion), /modules/i915_compmut.ko the same without the completion (the backport
# alone). They are loaded in turn, PASSES times each, with dkms_legacy_selftest=3 (the
# mock selftest's benchmark alone: per N, the median over its rounds); each load starts
# with a marker in the kernel log that tests/legacy/bench-verdict splits the log at.
PASSES=3
mark() { echo "legacy-phase: $*" > /dev/kmsg; }
mark "boot-end"
p=1
while [ $p -le $PASSES ]; do
	for v in selftest compmut; do
		[ -f /modules/i915_$v.ko ] || continue
		mark "bench-$v pass=$p"
		insmod /modules/i915_$v.ko dkms_legacy_selftest=3 && rmmod i915
	done
	p=$((p + 1))
done
mark "end"
