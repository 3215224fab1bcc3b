# tests/legacy/hazmut-guest.sh: run by busybox sh in the guest (tests/vm/run-vm
# --guest-script) for a boot of its own per further device of a design's mock
# (tests/legacy/check-legacy): the hazard mutant's hazard subtest alone on the device
# named by legacy_device=<d> on the kernel command line (RUNVM_APPEND; an unknown word
# there goes to init's environment). Its use-after-free ends the boot, which is why each
# device needs one; tests/legacy/verdict --hazard-mutant-only reads the log.
mark() { echo "legacy-phase: $*" > /dev/kmsg; }
mark "boot-end"
d=$(sed -n 's/.*legacy_device=\([0-9][0-9]*\).*/\1/p' /proc/cmdline)
mark "hazmut device=${d:-0}"
insmod /modules/i915_hazmut.ko dkms_legacy_selftest=2 dkms_legacy_device="${d:-0}" && rmmod i915
mark "end"
