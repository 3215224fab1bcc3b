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
# hazmut last: its use-after-free may leave the kernel unusable. It runs the hazard subtest
# alone (dkms_legacy_selftest=2): its waiting cleanup can fail earlier, in the leak rounds
# whose contexts die inside request retirement (the recursion of the fix's v2), and the
# hazard subtest must be shown to catch the mutant by itself.
for v in selftest mutant ctxmut compmut hazmut; do
	[ -f /modules/i915_$v.ko ] || continue
	mark "$v"
	run=1
	[ $v != hazmut ] || run=2
	insmod /modules/i915_$v.ko dkms_legacy_selftest=$run && rmmod i915
done
mark "end"
