#!/bin/bash
# The legacy runtime harness (tests/legacy/) without legacy trees: the verdict read
# from serial logs made here (each shape the kernel and the guest script print), and
# check-legacy's and build-kernel's answers to missing or wrong input. The real runs
# (`make check-legacy LEGACY_TREES=...`) are recorded in docs/legacy-kernels.md; the
# harness's boot and load path against the 6.1 image is tests/vm/test-legacy-vm.sh.
. "$(dirname "$0")/../lib.sh"
V=$PKG_TOP/tests/legacy/verdict
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

# mklog OPTIONS > log: a serial log as run-vm keeps it after tests/legacy/guest.sh.
#   fix=N mut=N rounds=K cycles=N hazard=ok|fail act=N  extra_<phase>=LINE (a kernel line
#   printed in that phase: boot, cycles, selftest, hazard, mutant, hazmut) hazmut=ok|fail|none
#   nodone=1 (selftest ends without its done line)
mklog() {
	local fix=0 mut=100 rounds=100 cycles=20 hazard=ok act=10 hazmut=none nodone='' kv
	local -A extra=()
	for kv in "$@"; do
		case $kv in extra_*) k=${kv%%=*}; extra[${k#extra_}]=${kv#*=} ;; *) local "$kv" ;; esac
	done
	t=0; p() { t=$((t + 1)); printf '[%5d.%06d] %s\r\n' $((t / 10)) $((t % 10)) "$1"; }
	p "Linux version 4.1.52 (root@host) (gcc version 12.2.0 (Debian 12.2.0-14))"
	[ -n "${extra[boot]:-}" ] && p "${extra[boot]}"
	printf 'G| guest output: WARNING: CPU: this guest-printed line is not the kernel\r\n'
	p "legacy-phase: boot-end"
	[ -n "${extra[cycles]:-}" ] && p "${extra[cycles]}"
	p "legacy-phase: cycles done=$cycles"
	p "legacy-phase: selftest"
	p "i915_dkms_legacy: leak rounds=$rounds leaked=$fix vm_freed=$((rounds - fix))"
	[ -n "${extra[selftest]:-}" ] && p "${extra[selftest]}"
	p "i915_dkms_legacy: active_at_free rounds=10 leaked=$act"
	p "i915_dkms_legacy: bench N=1 rounds=8 ns_per_vma=4000"
	p "i915_dkms_legacy: bench N=16 rounds=8 ns_per_vma=3000"
	p "i915_dkms_legacy: bench N=256 rounds=8 ns_per_vma=2000"
	p "i915_dkms_legacy: hazard begin"
	[ -n "${extra[hazard]:-}" ] && p "${extra[hazard]}"
	p "i915_dkms_legacy: hazard end checks=$hazard"
	[ -n "$nodone" ] || p "i915_dkms_legacy: done rc=0"
	p "legacy-phase: mutant"
	p "i915_dkms_legacy: leak rounds=$rounds leaked=$mut vm_freed=$((rounds - mut))"
	[ -n "${extra[mutant]:-}" ] && p "${extra[mutant]}"
	p "i915_dkms_legacy: done rc=0"
	if [ "$hazmut" != none ]; then
		p "legacy-phase: hazmut"
		p "i915_dkms_legacy: leak rounds=$rounds leaked=0 vm_freed=$rounds"
		p "i915_dkms_legacy: hazard begin"
		[ "$hazmut" = ok ] || p "BUG: KASan: use after free in i915_gem_gtt_finish_object+0x1d/0x1d0 [i915] at addr ffff880076041408"
		p "i915_dkms_legacy: hazard end checks=ok"
	fi
	p "legacy-phase: end"
}
# verdict_of NAME LOG [ARGS]: sets OUT and RC
verdict_of() { mklog "${@:2}" > "$T/$1.log"; OUT=$("$V" --log "$T/$1.log" --kernel 4.1.52 ${VARGS:-}); RC=$?; }
line() { grep -a '^legacy-runtime: kernel=4.1.52 rounds' <<<"$OUT"; }

verdict_of good
check "verdict: a clean run is proven (exit 0)" test $RC -eq 0
check "verdict: the legacy-runtime line of a clean run" test "$(line)" = "legacy-runtime: kernel=4.1.52 rounds=100 fix_leaked=0 mutant_leaked=100 hazard=pass active_at_free=leaks log=clean"
check "verdict: benchmark line with the ratio N=256/N=1" grep -qx 'legacy-bench: kernel=4.1.52 ns_per_vma N=1:4000 N=16:3000 N=256:2000 ratio_256_1=0.50' <<<"$OUT"
check "verdict: a WARNING printed by the guest script (G| line) is not kernel log" grep -q 'log=clean' <<<"$OUT"

verdict_of fixleak fix=3
check "verdict: the fix build leaking is not proven" test $RC -eq 1
check "verdict: fix_leaked counts the leaked rounds" grep -q 'fix_leaked=3 ' <<<"$(line)"
check "verdict: says why (fix leaked)" grep -q 'not proven: the fix build leaked 3 of 100' <<<"$OUT"

verdict_of mutnoleak mut=0
check "verdict: a mutant that does not leak proves nothing (not proven)" test $RC -eq 1
check "verdict: says the test cannot tell" grep -q 'mutant leaked 0 of 100: the leak test cannot tell' <<<"$OUT"

verdict_of kasan "extra_hazard=BUG: KASan: use after free in i915_gem_gtt_finish_object+0x1d/0x1d0 [i915] at addr ffff880076041408"
check "verdict: KASAN in the hazard section fails the hazard subtest" grep -q 'hazard=fail .*log=KASAN' <<<"$(line)"
check "verdict: ... and the kernel is not proven" test $RC -eq 1

verdict_of hazcheck hazard=fail
check "verdict: the hazard subtest's own checks failing fail it" grep -q 'hazard=fail active_at_free=leaks log=clean' <<<"$(line)"

verdict_of warn "extra_cycles=WARNING: CPU: 0 PID: 863 at drivers/gpu/drm/i915/i915_gem.c:4522 i915_gem_free_object+0x522/0x560 [i915]()"
check "verdict: a WARN during the load/unload cycles: log=WARN, not proven" test "$(grep -o 'log=[A-Z]*' <<<"$(line)")/$RC" = "log=WARN/1"

verdict_of lockdep "extra_selftest=[ INFO: possible circular locking dependency detected ]"
check "verdict: lockdep in the selftest: log=LOCKDEP" grep -q 'log=LOCKDEP' <<<"$(line)"

verdict_of slub "extra_mutant=BUG kmalloc-512 (Tainted: G    B      O   ): Poison overwritten"
check "verdict: slab poison (kernels without KASAN) counts as BUG" grep -q 'log=BUG' <<<"$(line)"

verdict_of bootonly "extra_boot=[ INFO: possible recursive locking detected ]"
check "verdict: a report before the tests is shown, not counted (proven)" test $RC -eq 0
check "verdict: ... on its own legacy-boot line" grep -q '^legacy-boot: kernel=4.1.52 log=LOCKDEP before the tests (not counted): \[ INFO: possible recursive locking detected \]' <<<"$OUT"

verdict_of fewcycles cycles=7
check "verdict: fewer than 20 load/unload cycles: not proven" grep -q 'not proven: 7 of 20 load/unload cycles' <<<"$OUT"

verdict_of reclaimed act=0
check "verdict: active_at_free=reclaimed when no active VMA is left" grep -q 'active_at_free=reclaimed' <<<"$(line)"

verdict_of nodone nodone=1
check "verdict: a selftest without its done line is not proven" grep -q 'not proven: the selftest ended with no done line' <<<"$OUT"

VARGS=--hazard-mutant verdict_of hm_caught hazmut=fail
check "verdict: the hazard mutant's use-after-free is caught (legacy-hazard-mutant hazard=fail, proven)" \
	test "$(grep -o '^legacy-hazard-mutant: kernel=4.1.52 hazard=[a-z]* ([A-Z]*' <<<"$OUT")/$RC" = "legacy-hazard-mutant: kernel=4.1.52 hazard=fail (KASAN/0"
VARGS=--hazard-mutant verdict_of hm_missed hazmut=ok
check "verdict: a hazard subtest that passes on the hazard mutant is not proven" grep -q 'not proven: the hazard subtest passed on the hazard mutant' <<<"$OUT"

printf 'G| nothing from the kernel\n' > "$T/empty.log"
OUT=$("$V" --log "$T/empty.log" --kernel 4.1.52); RC=$?
check "verdict: a log with no test output (the module never loaded) is not proven" test $RC -eq 1
check "verdict: ... and says the selftest printed nothing" grep -q 'not proven: the selftest variant printed no leak report' <<<"$OUT"
expect_fail "verdict: an unreadable log: one error line, exit 2" 2 "cannot read the serial log '$T/none.log' \(kernel 4.1.52\)" "$V" --log "$T/none.log" --kernel 4.1.52

# check-legacy and build-kernel on bad input
OUT=$(env -u LEGACY_TREES "$PKG_TOP/tests/legacy/check-legacy" 2>&1); RC=$?
check "check-legacy: without LEGACY_TREES one skip line, exit 0" test "$RC/$(wc -l <<<"$OUT")/$(grep -c '^skip - check-legacy: LEGACY_TREES is not set' <<<"$OUT")" = "0/1/1"
expect_fail "check-legacy: a tree that does not exist: one error line, exit 2" 2 "$T/nope is not a kernel source tree .*LEGACY_TREES names kernel source trees" \
	env LEGACY_TREES="$T/nope" LEGACY_LOGS="$T/logs" "$PKG_TOP/tests/legacy/check-legacy"
mkdir -p "$T/v61/drivers/gpu/drm" && cp -r "$PKG_TOP/tests/fixtures/classify/vm-release" "$T/v61/drivers/gpu/drm/i915"
OUT=$(LEGACY_TREES="$T/v61" LEGACY_LOGS="$T/logs" "$PKG_TOP/tests/legacy/check-legacy" 2>&1); RC=$?
check "check-legacy: a verify-mode tree is skipped with its design named (exit 0)" \
	grep -q "^legacy-runtime: tree=$T/v61 skipped: vm-release design, verify mode" <<<"$OUT"
check "check-legacy: ... exit 0, nothing built" test "$RC/$(ls "$T/logs" 2>/dev/null | wc -l)" = "0/0"
expect_fail "build-kernel: a directory that is not a kernel tree: one error line, exit 2" 2 "$T/v61 is not a kernel source tree with x86 and i915" \
	"$PKG_TOP/tests/legacy/build-kernel" --tree "$T/v61" --cache "$T/cache"
check "build-kernel: ... and no cache entry made" test ! -e "$T/cache"
t_done
