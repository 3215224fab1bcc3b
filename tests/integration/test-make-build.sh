#!/bin/bash
# `make` alone: builds for one kernel without installing anything; an interrupted
# build (SIGKILL of the whole make during compilation, a .cmd it was writing cut short)
# followed by a rerun succeeds and rebuilds incrementally; the result carries its identity and the hooks.
# It builds the oldest 6.1 ABI from the series' linux-source (6.1.192 for 6.1.170:
# the compat layer at work) in the compat matrix's work tree, which tests/run runs next
# on that tree (nothing left to compile) and the VM smoke test loads (WORK_KEEP=1).
. "$(dirname "$0")/../lib.sh"
K=${TEST_MAKE_KERNEL:-6.1.0-47-amd64}
SRC=${TEST_MAKE_SRC:-/usr/src/linux-source-6.1.tar.xz}
W=work/compat-$K
cd "$PKG_TOP" || exit 1
[ -d "/lib/modules/$K/build" ] || { skip "make build" "headers of $K not installed"; exit 0; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
rm -rf "$W"
before=$(snapshot "/lib/modules/$K" /var/lib/dkms/i915-vma-cleanup /boot)

# 1. start a build and kill it hard once compilation is under way
setsid make -j"$(nproc)" KVER="$K" WORK="$W" I915_SRC="$SRC" > "$T/first.log" 2>&1 &
pid=$!
for _ in $(seq 1 300); do
	[ "$(find "$W" -name '*.o' 2>/dev/null | head -n 20 | wc -l)" -ge 20 ] && break
	kill -0 $pid 2>/dev/null || break
	sleep 1
done
kill -KILL -- -"$pid" 2>/dev/null
wait $pid 2>/dev/null
objs=$(find "$W" -name '*.o' 2>/dev/null | wc -l)
check "interrupted build was killed mid-compile ($objs objects)" test "$objs" -ge 1 -a ! -f "$W/drivers/gpu/drm/i915/i915.ko"

# A kill that lands while fixdep writes a .cmd leaves it cut short, in the middle of a
# $(wildcard ...): every later make of the directory then stops at it ("unterminated
# call to function 'wildcard'"; CI saw it once from the kill above). Here one .cmd the
# killed build wrote is cut so, the state such a kill leaves.
cut=$(find "$W" -name '.*.o.cmd' -size +8k 2>/dev/null | head -n1)
if [ -n "$cut" ]; then
	at=$(grep -b -o '\$(wildcard ' "$cut" | sed -n '10s/:.*//p')
	truncate -s $(( ${at:-100} + 12 )) "$cut"
fi
check "the killed build left a .cmd to cut short (${cut#"$W"/})" test -n "$cut"

# 2. rerun: must succeed without starting over (WORK kept: the same directory)
ino=$(stat -c %i "$W" 2>/dev/null)
start=$(date +%s)
if make -j"$(nproc)" KVER="$K" WORK="$W" I915_SRC="$SRC" > "$T/second.log" 2>&1; then
	ok "rerun after the interrupted build succeeds ($(( $(date +%s) - start )) s)"
else
	bad "rerun after the interrupted build succeeds" "$(grep -m1 -E 'error|Stop\.|Error [0-9]' "$T/second.log")"
fi
check "rerun kept the prepared tree (incremental)" test "$(stat -c %i "$W" 2>/dev/null)" = "$ino"
m=$W/drivers/gpu/drm/i915/i915.ko
check "i915.ko built" test -f "$m"
check "kvmgt.ko built with it" test -f "$W/drivers/gpu/drm/i915/kvmgt.ko"
check "modinfo dkms_mode=verify" test "$(modinfo -F dkms_mode "$m" 2>/dev/null)" = verify
check "modinfo has the read-only dkms_identity parameter" grep -q '^dkms_identity:' <<<"$(modinfo -F parm "$m" 2>/dev/null)"
check "module defines the reclaim counters" test "$(nm "$m" 2>/dev/null | grep -cE ' T i915_dkms_(vm_released|vma_reclaimed)$')" -eq 2
check "the production module has no test seam (i915_dkms_reclaim_enabled, mock selftest)" \
	test "$(nm "$m" 2>/dev/null | grep -cE 'i915_dkms_(reclaim|cleanup)_enabled|i915_dkms_leak_mock_selftests')" -eq 0
check "clear_vm_list reports reclaimed VMAs (patched call)" grep -q 'i915_dkms_vma_reclaimed(vma);' "$W/drivers/gpu/drm/i915/gt/intel_gtt.c"

# 3. a third make is a no-op for the compiler
rc=0; make -j"$(nproc)" KVER="$K" WORK="$W" I915_SRC="$SRC" > "$T/third.log" 2>&1 || rc=$?
check "unchanged tree: make succeeds and recompiles nothing" test "$rc" -eq 0 -a "$(grep -c ' CC \[M\]' "$T/third.log")" -eq 0

check "make installed nothing (/lib/modules, /var/lib/dkms, /boot unchanged)" \
	test "$(snapshot "/lib/modules/$K" /var/lib/dkms/i915-vma-cleanup /boot)" = "$before"
[ "${WORK_KEEP:-0}" = 1 ] || rm -rf "$W"
t_done
