# tests/legacy/guest.sh: run by busybox sh in the guest (tests/vm/run-vm --guest-script).
# /modules/i915.ko is the production fix-mode module; i915_selftest.ko and
# i915_mutant.ko, when present, are the test variants with the package's legacy mock
# selftest (i915_ctxmut.ko: the selftest variant with the mock mutant, requests without
# their context reference; i915_compmut.ko: the selftest variant without the package's
# completion patch; i915_hazmut.ko: the selftest variant of a hazard mutant of
# the backport). Each phase starts with a marker written to /dev/kmsg, so that it sits in
# the kernel log in order with what the module prints; tests/legacy/verdict splits the
# serial log at these markers.
mark() { echo "legacy-phase: $*" > /dev/kmsg; }
mark "boot-end"
# production module: load/unload cycles
n=0
while [ $n -lt 20 ]; do
	insmod /modules/i915.ko || break
	rmmod i915 || break
	n=$((n + 1))
done
mark "cycles done=$n"
for v in selftest mutant ctxmut compmut hazmut; do	# hazmut last: its use-after-free may leave the kernel unusable
	[ -f /modules/i915_$v.ko ] || continue
	mark "$v"
	insmod /modules/i915_$v.ko dkms_legacy_selftest=1 && rmmod i915
done
mark "end"
