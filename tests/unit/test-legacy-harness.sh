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
#   fix=N mut=N rounds=K cycles=N hazard=ok|fail act=N  extra_<where>=LINES (kernel lines,
#   newline-separated, printed there: boot, cycles, selftest, hazard (the selftest's hazard
#   section), mutant, ctxmut (the mock mutant's phase), hazmut (the hazard mutant's phase
#   before its hazard subtest), hmhazard (the hazard mutant's hazard section, after its
#   use-after-free), end (after the end marker)) hazmut=ok|fail|none nodone=1 (selftest
#   ends without its done line)
#   be=N (busy_elsewhere leaked, default 10; be= prints none) bat=N (its busy_at_free,
#   default 10) ctx=N (the selftest's ctx_freed_in_retire line, default 110; ctx= prints
#   none) act=N (an active_at_free line as the mocks printed it before their requests held
#   their context; default none) ctxmut=none|N|nocount (the mock mutant's phase, with that
#   count or without the line) compmut=none|N|active (the completion mutant's phase, its
#   busy_elsewhere leaked=N, or an active_at_free line instead) cfix=N|none (the completion
#   mutant's flink-and-exit leaked count, default 0; none: no leak line)
mklog() {
	local fix=0 mut=100 rounds=100 cycles=20 hazard=ok act=none hazmut=none nodone='' kv
	local be=10 bat=10 ctx=110 ctxmut=none compmut=none cfix=0
	local -A extra=()
	for kv in "$@"; do
		case $kv in extra_*) k=${kv%%=*}; extra[${k#extra_}]=${kv#*=} ;; *) local "$kv" ;; esac
	done
	t=0; p() { t=$((t + 1)); printf '[%5d.%06d] %s\r\n' $((t / 10)) $((t % 10)) "$1"; }
	x() { local l; [ -n "${extra[$1]:-}" ] || return 0; while IFS= read -r l; do p "$l"; done <<<"${extra[$1]}"; }
	p "Linux version 4.1.52 (root@host) (gcc version 12.2.0 (Debian 12.2.0-14))"
	x boot
	printf 'G| guest output: WARNING: CPU: this guest-printed line is not the kernel\r\n'
	p "legacy-phase: boot-end"
	x cycles
	p "legacy-phase: cycles done=$cycles"
	p "legacy-phase: selftest"
	p "i915_dkms_legacy: leak rounds=$rounds leaked=$fix vm_freed=$((rounds - fix))"
	x selftest
	[ -z "$be" ] || p "i915_dkms_legacy: busy_elsewhere rounds=10 leaked=$be busy_at_free=$bat"
	[ "$act" = none ] || p "i915_dkms_legacy: active_at_free rounds=10 leaked=$act"
	p "i915_dkms_legacy: bench N=1 rounds=8 ns_per_vma=4000"
	p "i915_dkms_legacy: bench N=16 rounds=8 ns_per_vma=3000"
	p "i915_dkms_legacy: bench N=256 rounds=8 ns_per_vma=2000"
	p "i915_dkms_legacy: hazard begin"
	x hazard
	p "i915_dkms_legacy: hazard end checks=$hazard"
	[ -z "$ctx" ] || p "i915_dkms_legacy: ctx_freed_in_retire=$ctx"
	[ -n "$nodone" ] || p "i915_dkms_legacy: done rc=0"
	p "legacy-phase: mutant"
	p "i915_dkms_legacy: leak rounds=$rounds leaked=$mut vm_freed=$((rounds - mut))"
	x mutant
	p "i915_dkms_legacy: done rc=0"
	if [ "$ctxmut" != none ]; then
		p "legacy-phase: ctxmut"
		p "i915_dkms_legacy: leak rounds=$rounds leaked=$rounds vm_freed=0"
		x ctxmut
		p "i915_dkms_legacy: busy_elsewhere rounds=10 leaked=10 busy_at_free=10"
		p "i915_dkms_legacy: hazard begin"
		p "i915_dkms_legacy: hazard end checks=ok"
		[ "$ctxmut" = nocount ] || p "i915_dkms_legacy: ctx_freed_in_retire=$ctxmut"
		p "i915_dkms_legacy: done rc=0"
	fi
	if [ "$compmut" != none ]; then
		p "legacy-phase: compmut"
		[ "$cfix" = none ] || p "i915_dkms_legacy: leak rounds=$rounds leaked=$cfix vm_freed=$((rounds - cfix))"
		if [ "$compmut" = active ]; then p "i915_dkms_legacy: active_at_free rounds=10 leaked=10"
		else p "i915_dkms_legacy: busy_elsewhere rounds=10 leaked=$compmut busy_at_free=10"; fi
		x compmut
		p "i915_dkms_legacy: bench N=1 rounds=8 ns_per_vma=5000"
		p "i915_dkms_legacy: bench N=256 rounds=8 ns_per_vma=1000"
		p "i915_dkms_legacy: done rc=0"
	fi
	if [ "$hazmut" != none ]; then
		p "legacy-phase: hazmut"
		p "i915_dkms_legacy: leak rounds=$rounds leaked=0 vm_freed=$rounds"
		x hazmut
		p "i915_dkms_legacy: hazard begin"
		[ "$hazmut" = ok ] || p "BUG: KASan: use after free in i915_gem_gtt_finish_object+0x1d/0x1d0 [i915] at addr ffff880076041408"
		x hmhazard
		p "i915_dkms_legacy: hazard end checks=ok"
	fi
	p "legacy-phase: end"
	x end
}
# verdict_of NAME LOG [ARGS]: sets OUT and RC
verdict_of() { mklog "${@:2}" > "$T/$1.log"; OUT=$("$V" --log "$T/$1.log" --kernel 4.1.52 ${VARGS:-}); RC=$?; }
line() { grep -a '^legacy-runtime: kernel=4.1.52 rounds' <<<"$OUT"; }

verdict_of good
check "verdict: a clean run is proven (exit 0)" test $RC -eq 0
check "verdict: the legacy-runtime line of a clean run" test "$(line)" = "legacy-runtime: kernel=4.1.52 rounds=100 fix_leaked=0 mutant_leaked=100 hazard=pass busy_elsewhere=leaks ctx_freed_in_retire=110 log=clean"
check "verdict: benchmark line with the ratio N=256/N=1" grep -qx 'legacy-bench: kernel=4.1.52 ns_per_vma N=1:4000 N=16:3000 N=256:2000 ratio_256_1=0.50' <<<"$OUT"
check "verdict: a WARNING printed by the guest script (G| line) is not kernel log" grep -q 'log=clean' <<<"$OUT"

# busy_elsewhere, the count of contexts freed inside retirement, and the mock mutant whose
# requests hold none
M18=(act=none be=10 ctx=110)
VARGS=--mock-mutant verdict_of good18 "${M18[@]}" ctxmut=0
check "verdict: a clean run of a mock whose requests hold their context is proven (exit 0)" test $RC -eq 0
check "verdict: its legacy-runtime line (busy_elsewhere, ctx_freed_in_retire)" test "$(line)" = "legacy-runtime: kernel=4.1.52 rounds=100 fix_leaked=0 mutant_leaked=100 hazard=pass busy_elsewhere=leaks ctx_freed_in_retire=110 log=clean"
check "verdict: the mock mutant's line" grep -qx 'legacy-mock-mutant: kernel=4.1.52 ctx_freed_in_retire=0 fix_leaked=100 busy_elsewhere=leaks (the selftest build whose mock.s requests hold no context reference)' <<<"$OUT"
VARGS=--mock-mutant verdict_of be_reclaimed act=none be=0 ctx=110 ctxmut=0
check "verdict: busy_elsewhere=reclaimed when no VMA is left" test "$(grep -o 'busy_elsewhere=[a-z]*' <<<"$(line)")/$RC" = "busy_elsewhere=reclaimed/0"
VARGS=--mock-mutant verdict_of be_shape "${M18[@]}" bat=7 ctxmut=0
check "verdict: busy_elsewhere not in its shape in every round: not proven" \
	test "$(grep -c 'not proven: busy_elsewhere did not take its shape: .* in 7 of 10 rounds' <<<"$OUT")/$RC" = "1/1"
VARGS=--mock-mutant verdict_of ctx0 act=none be=10 ctx=0 ctxmut=0
check "verdict: no context freed inside retirement (ctx_freed_in_retire=0): not proven" \
	test "$(grep -c 'not proven: no context died inside request retirement (ctx_freed_in_retire=0)' <<<"$OUT")/$RC" = "1/1"
VARGS=--mock-mutant verdict_of ctxnone be=10 ctx= ctxmut=0
check "verdict: busy_elsewhere without the count of contexts freed inside retirement: not proven" \
	test "$(grep -c 'not proven: no context died inside request retirement (ctx_freed_in_retire=none)' <<<"$OUT")/$RC" = "1/1"
VARGS=--mock-mutant verdict_of cm_freed "${M18[@]}" ctxmut=4
check "verdict: a mock mutant that frees contexts inside retirement: not proven" \
	test "$(grep -c 'not proven: the mock mutant (requests without their context reference) freed 4 context(s) inside retirement' <<<"$OUT")/$RC" = "1/1"
VARGS=--mock-mutant verdict_of cm_nocount "${M18[@]}" ctxmut=nocount
check "verdict: a mock mutant without its count: not proven" \
	test "$(grep -c 'not proven: the mock mutant (requests without their context reference) printed no ctx_freed_in_retire count' <<<"$OUT")/$RC" = "1/1"
VARGS=--mock-mutant verdict_of cm_missing "${M18[@]}"
check "verdict: --mock-mutant and no mock mutant phase in the log: not proven" \
	test "$(grep -c 'not proven: the mock mutant .* printed no ctx_freed_in_retire count' <<<"$OUT")/$RC" = "1/1"
# a series with the package's completion (issue 20): reclaimed with it, leaks without it
MC=(act=none be=0 ctx=110 ctxmut=0)
VARGS="--mock-mutant --completion-mutant" verdict_of comp_good "${MC[@]}" compmut=10
check "verdict: completion reclaims, its mutant leaks: proven (exit 0)" test $RC -eq 0
check "verdict: the completion mutant's line" \
	grep -qx 'legacy-completion-mutant: kernel=4.1.52 busy_elsewhere=leaks fix_leaked=0 (the selftest build without the package.s completion)' <<<"$OUT"
check "verdict: the proof run prints no with/without bench line (the benchmark boot's: bench-verdict)" \
	test "$(grep -c 'legacy-completion-bench' <<<"$OUT")" = 0

# two device configurations in one phase (the ring buffer, then gen8 with execlists:
# i915_dkms_legacy_execlists.h): every device's reports count, the worst one wins; the
# first device's failure is not hidden by the second's success (each seen proven when
# only the last report of a kind was read)
L=i915_dkms_legacy
DEV0="$L: device gen=8 full_ppgtt=1 execlists=0"
DEV1="$L: device gen=8 full_ppgtt=1 execlists=1"
EXL="$DEV1
$L: leak rounds=100 leaked=0 vm_freed=100
$L: busy_elsewhere rounds=10 leaked=0 busy_at_free=10
$L: execlists device: elsp_submits=233 csb_events=343 irqs=243 lite_restores=10"
EXLMUT="$DEV1
$L: leak rounds=100 leaked=100 vm_freed=0"
D2=(act=none ctx=110 "extra_boot=" "extra_selftest=$EXL" "extra_mutant=$EXLMUT")
verdict_of dev2_good "${D2[@]}" be=0
check "verdict: two devices, both clean: proven (exit 0)" test $RC -eq 0
verdict_of dev2_list "${D2[@]}" be=0 "extra_selftest=$DEV0
$EXL" "extra_mutant=$DEV0
$EXLMUT"
check "verdict: the devices of each phase are listed" \
	grep -qx 'legacy-devices: kernel=4.1.52 selftest=gen8,gen8+execlists mutant=gen8,gen8+execlists elsp_submits=233 (each device.s reports counted, the worst one wins)' <<<"$OUT"
verdict_of dev2_fix "${D2[@]}" be=0 fix=3
check "verdict: the first device leaks in the fix build, the second not: fix_leaked=3, not proven" \
	test "$(grep -c 'not proven: the fix build leaked 3 of 100' <<<"$OUT")/$(grep -o 'fix_leaked=[0-9]*' <<<"$(line)")/$RC" = "1/fix_leaked=3/1"
verdict_of dev2_mut "${D2[@]}" be=0 mut=0
check "verdict: one device's mutant does not leak: mutant_leaked=0, not proven" \
	test "$(grep -c 'not proven: the mutant leaked 0 of 100' <<<"$OUT")/$RC" = "1/1"
verdict_of dev2_be "${D2[@]}" be=0 "extra_selftest=$DEV1
$L: leak rounds=100 leaked=0 vm_freed=100
$L: busy_elsewhere rounds=10 leaked=2 busy_at_free=10"
check "verdict: busy_elsewhere leaks on one device: busy_elsewhere=leaks" \
	test "$(grep -o 'busy_elsewhere=[a-z]*' <<<"$(line)")" = "busy_elsewhere=leaks"
verdict_of dev2_hazard "${D2[@]}" be=0 hazard=fail "extra_selftest=$EXL
$L: hazard begin
$L: hazard end checks=ok"
check "verdict: one device's hazard subtest fails, the other's passes: hazard=fail, not proven" \
	test "$(grep -o 'hazard=[a-z]*' <<<"$(line)")/$RC" = "hazard=fail/1"
verdict_of dev2_init "${D2[@]}" be=0 "extra_selftest=$EXL
$L: execlists device: no aperture (QEMU ivshmem-plain, tests/vm/run-vm --aperture)
$DEV1 init=failed"
check "verdict: a device that failed to initialise: not proven, the reason named" \
	test "$(grep -c 'not proven: a mock device failed to initialise: .*no aperture' <<<"$OUT")/$RC" = "1/1"
verdict_of dev2_noelsp "${D2[@]}" be=0 "extra_selftest=${EXL/elsp_submits=233/elsp_submits=0}"
check "verdict: an execlists device that submitted nothing to its ELSP: not proven" \
	test "$(grep -c 'not proven: the execlists device submitted nothing to its ELSP (elsp_submits=0)' <<<"$OUT")/$RC" = "1/1"
verdict_of dev2_other "${D2[@]}" be=0 "extra_mutant=$L: leak rounds=100 leaked=100 vm_freed=0"
check "verdict: the mutant ran fewer devices than the selftest: not proven" \
	test "$(grep -c 'not proven: the mutant ran other devices () than the selftest (gen8+execlists)' <<<"$OUT")/$RC" = "1/1"

# the hazard mutant's boot of its own on a further device (tests/legacy/hazmut-guest.sh,
# verdict --hazard-mutant-only)
hmlog() {	# hmlog HAZARD-LINES [BEFORE-LINE] > log
	local t=0 l
	p() { t=$((t + 1)); printf '[%5d.%06d] %s\r\n' $((t / 10)) $((t % 10)) "$1"; }
	p "Linux version 4.1.52 (root@host)"
	p "legacy-phase: boot-end"
	p "legacy-phase: hazmut device=1"
	p "$DEV1"
	[ -z "${2:-}" ] || p "$2"
	p "$L: hazard begin"
	while IFS= read -r l; do p "$l"; done <<<"$1"
}
hmv() { OUT=$("$V" --log "$T/$1.log" --kernel 4.1.52 --hazard-mutant-only); RC=$?; }
UAF="BUG: KASAN: use after free in i915_gem_gtt_finish_object+0x1d/0x40 [i915]
Kernel panic - not syncing: Fatal exception"
hmlog "$UAF" > "$T/hm1.log"; hmv hm1
check "verdict --hazard-mutant-only: the use-after-free on the execlists device: caught (exit 0)" \
	test "$(grep -c '^legacy-hazard-mutant: kernel=4.1.52 device=gen8+execlists hazard=fail (KASAN in the hazard section' <<<"$OUT")/$RC" = "1/0"
hmlog "$L: hazard end checks=ok" > "$T/hm2.log"; hmv hm2
check "verdict --hazard-mutant-only: a hazard subtest that passes on the mutant: not proven (exit 1)" \
	test "$(grep -c 'not proven: the hazard subtest passed on the hazard mutant on device gen8+execlists' <<<"$OUT")/$RC" = "1/1"
hmlog "$UAF" "WARNING: CPU: 1 PID: 77 at drivers/gpu/drm/i915/intel_lrc.c:345 execlists_submit_contexts+0x1/0x2 [i915]" > "$T/hm3.log"; hmv hm3
check "verdict --hazard-mutant-only: a kernel error report before the hazard subtest: not proven (exit 1)" \
	test "$(grep -c 'not proven: kernel log not clean before the hazard subtest: WARN' <<<"$OUT")/$RC" = "1/1"
printf '[    0.100000] legacy-phase: boot-end\r\n' > "$T/hm4.log"; hmv hm4
check "verdict --hazard-mutant-only: a boot that never loaded the mutant: not proven (exit 1)" \
	test "$(grep -c 'not proven: the hazard mutant never reached its hazard subtest on device none' <<<"$OUT")/$RC" = "1/1"

# the benchmark boot (tests/legacy/bench-guest.sh): per N and build, the median over the passes
BV=$PKG_TOP/tests/legacy/bench-verdict
# benchlog SEL1 CMP1 SEL2 CMP2 SEL3 CMP3: N=1 figures per pass (N=16 and N=256 fixed)
benchlog() {
	local p=1
	echo "[    1.0] legacy-phase: boot-end"
	while [ $# -ge 2 ]; do
		echo "[    2.$p] legacy-phase: bench-selftest pass=$p"
		[ "$1" = none ] || echo "[    2.$p] i915_dkms_legacy: bench N=1 rounds=9 ns_per_vma=$1"
		echo "[    2.$p] i915_dkms_legacy: bench N=16 rounds=9 ns_per_vma=500"
		echo "[    2.$p] i915_dkms_legacy: bench N=256 rounds=9 ns_per_vma=400"
		echo "[    3.$p] legacy-phase: bench-compmut pass=$p"
		echo "[    3.$p] i915_dkms_legacy: bench N=1 rounds=9 ns_per_vma=$2"
		echo "[    3.$p] i915_dkms_legacy: bench N=16 rounds=9 ns_per_vma=500"
		echo "[    3.$p] i915_dkms_legacy: bench N=256 rounds=9 ns_per_vma=400"
		shift 2; p=$((p + 1))
	done
	echo "[    9.0] legacy-phase: end"
}
benchlog 1010 1000 5000 1000 1000 990 > "$T/bench-outlier.log"
OUT=$("$BV" --log "$T/bench-outlier.log" --kernel 4.1.52); RC=$?
check "bench-verdict: the median over the passes leaves out one slow pass (exit 0)" \
	test "$OUT/$RC" = "legacy-completion-bench: kernel=4.1.52 passes=3 ns_per_vma with/without the completion N=1:1010/1000=1.01 N=16:500/500=1.00 N=256:400/400=1.00 max_ratio=1.01 within_1.2x=yes/0"
benchlog 1300 1000 1300 1000 1250 1000 > "$T/bench-slow.log"
OUT=$("$BV" --log "$T/bench-slow.log" --kernel 4.1.52); RC=$?
check "bench-verdict: a completion 1.3x slower is not within 1.2x (said, exit 0: a benchmark)" \
	test "$(grep -c 'N=1:1300/1000=1.30 .* max_ratio=1.30 within_1.2x=no$' <<<"$OUT")/$RC" = "1/0"
benchlog none 1000 none 1000 none 1000 > "$T/bench-missing.log"
OUT=$("$BV" --log "$T/bench-missing.log" --kernel 4.1.52); RC=$?
check "bench-verdict: a build that printed no N=1 figure: not measured, exit 1" \
	test "$(grep -c 'not measured: no figure for N=1 from both builds' <<<"$OUT")/$RC" = "1/1"
expect_fail "bench-verdict: a --limit that is not a number: usage error" 2 'is not a number' "$BV" --log "$T/bench-slow.log" --kernel x --limit 1,2
# the benchmark boot's QEMU option is a value, never more arguments: one line, exit 2, no boot
expect_fail "run-vm: an RUNVM_ICOUNT holding more than a -icount value: usage error, no boot" 2 'RUNVM_ICOUNT wants a QEMU -icount value' \
	env RUNVM_ICOUNT='shift=0 -d' "$PKG_TOP/tests/vm/run-vm" --kver 6.1.0-56-amd64
expect_fail "run-vm: an RUNVM_APERTURE that is not a size in MiB: usage error, no boot" 2 'RUNVM_APERTURE wants a size in MiB' \
	env RUNVM_APERTURE='64M,share=on' "$PKG_TOP/tests/vm/run-vm" --kver 6.1.0-56-amd64
# 4.2/4.3: the backport alone leaks the flink-and-exit rounds whose context dies inside the
# retire before its object went inactive; reported, and the run is still proven
VARGS="--mock-mutant --completion-mutant" verdict_of comp_fixleak "${MC[@]}" compmut=10 cfix=100
check "verdict: the build without the completion leaking flink-and-exit rounds is reported, still proven" \
	test "$(grep -c '^legacy-completion-mutant: kernel=4.1.52 busy_elsewhere=leaks fix_leaked=100 ' <<<"$OUT")/$RC" = "1/0"
# two devices, the first (gen7) leaking every round without the completion, the second
# (execlists) none: the report shows the most any device leaked (leak-4.3 on 4.3.0, session 14)
VARGS="--mock-mutant --completion-mutant" verdict_of comp_fixleak2 "${MC[@]}" compmut=10 cfix=100 "extra_compmut=$DEV1
$L: leak rounds=100 leaked=0 vm_freed=100
$L: busy_elsewhere rounds=10 leaked=10 busy_at_free=10"
check "verdict: the build without the completion, two devices, one leaking its rounds: fix_leaked=100 (the most), still proven" \
	test "$(grep -c '^legacy-completion-mutant: kernel=4.1.52 busy_elsewhere=leaks fix_leaked=100 ' <<<"$OUT")/$RC" = "1/0"
VARGS="--mock-mutant --completion-mutant" verdict_of comp_noleakline "${MC[@]}" compmut=10 cfix=none
check "verdict: the build without the completion printing no leak report: not proven" \
	test "$(grep -c 'not proven: the build without the completion printed no leak report' <<<"$OUT")/$RC" = "1/1"
VARGS="--mock-mutant --completion-mutant" verdict_of comp_mut_reclaims "${MC[@]}" compmut=0
check "verdict: the build without the completion reclaims too: not proven" \
	test "$(grep -c 'not proven: the build without the completion gave busy_elsewhere=reclaimed' <<<"$OUT")/$RC" = "1/1"
VARGS="--mock-mutant --completion-mutant" verdict_of comp_leaks act=none be=10 ctx=110 ctxmut=0 compmut=10
check "verdict: a series with the completion whose selftest still leaks busy_elsewhere: not proven" \
	test "$(grep -c 'not proven: the series carries the completion, but the selftest build gave busy_elsewhere=leaks' <<<"$OUT")/$RC" = "1/1"
# active_at_free (a context freed under its own outstanding request: the mocks before
# their requests held their context) is no scenario of a real kernel: never accepted
VARGS=--completion-mutant verdict_of comp_active be= ctx= act=0 compmut=active
check "verdict: only active_at_free, reclaimed with the completion, leaking without: not proven" \
	test "$(grep -c 'not proven: the selftest printed no busy_elsewhere report' <<<"$OUT")/$(grep -c 'not proven: the build without the completion gave busy_elsewhere=unknown' <<<"$OUT")/$RC" = "1/1/1"
verdict_of oldmock be= ctx= act=10
check "verdict: an active_at_free report instead of busy_elsewhere: not proven, busy_elsewhere=unknown" \
	test "$(grep -c 'not proven: the selftest printed no busy_elsewhere report' <<<"$OUT")/$(grep -o 'busy_elsewhere=[a-z]*' <<<"$(line)")/$RC" = "1/busy_elsewhere=unknown/1"
VARGS="--mock-mutant --completion-mutant" verdict_of comp_missing "${MC[@]}"
check "verdict: --completion-mutant and no completion mutant phase: not proven" \
	test "$(grep -c 'not proven: the build without the completion gave busy_elsewhere=unknown' <<<"$OUT")/$RC" = "1/1"

verdict_of noscenario be=
check "verdict: no busy_elsewhere reported: not proven" \
	test "$(grep -c 'not proven: the selftest printed no busy_elsewhere report' <<<"$OUT")/$(grep -o 'busy_elsewhere=[a-z]*' <<<"$(line)")/$RC" = "1/busy_elsewhere=unknown/1"

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
check "verdict: the hazard subtest's own checks failing fail it" grep -q 'hazard=fail busy_elsewhere=leaks ctx_freed_in_retire=110 log=clean' <<<"$(line)"

verdict_of warn "extra_cycles=WARNING: CPU: 0 PID: 863 at drivers/gpu/drm/i915/i915_gem.c:4522 i915_gem_free_object+0x522/0x560 [i915]()"
check "verdict: a WARN during the load/unload cycles: log=WARN, not proven" test "$(grep -o 'log=[A-Z]*' <<<"$(line)")/$RC" = "log=WARN/1"

verdict_of lockdep "extra_selftest=[ INFO: possible circular locking dependency detected ]"
check "verdict: lockdep in the selftest: log=LOCKDEP" grep -q 'log=LOCKDEP' <<<"$(line)"

verdict_of slub "extra_mutant=BUG kmalloc-512 (Tainted: G    B      O   ): Poison overwritten"
check "verdict: slab poison (kernels without KASAN) counts as BUG" grep -q 'log=BUG' <<<"$(line)"

verdict_of bootonly "extra_boot=[ INFO: possible recursive locking detected ]"
check "verdict: a report while the kernel booted counts (lockdep is off after its first report): not proven" test $RC -eq 1
check "verdict: ... shown on its own legacy-boot line" grep -q '^legacy-boot: kernel=4.1.52 log=LOCKDEP before the tests (counted: .*): \[ INFO: possible recursive locking detected \]' <<<"$OUT"
check "verdict: ... and the reason names it" grep -q 'not proven: kernel log not clean: LOCKDEP (\[ INFO: possible recursive locking detected \])' <<<"$OUT"

# Every kernel error report a debug kernel prints (tests/legacy/kernel-problems), one
# line each as the 3.18-4.3 kernels (and later ones) print it: put into the hazard section
# it fails the hazard subtest; put anywhere else (boot, the cycles, the selftest outside
# its hazard section, the mutant, the hazard mutant before its hazard subtest, after the
# end marker) the kernel is not proven.
REPORTS=(
	"BUG: sleeping function called from invalid context at mm/slub.c:1240"
	"BUG: scheduling while atomic: insmod/1234/0x00000002"
	"BUG: Bad page state in process insmod  pfn:7a2b1"
	"BUG: spinlock bad magic on CPU#0, insmod/1234"
	"spinlock bad magic on CPU#1, kworker/1:1/31"
	"BUG: spinlock lockup suspected on CPU#1, insmod/1234"
	"BUG: unable to handle kernel paging request at ffff880076041408"
	"BUG: unable to handle kernel NULL pointer dereference at 0000000000000010"
	"BUG: soft lockup - CPU#0 stuck for 22s! [insmod:1234]"
	"[ BUG: bad unlock balance detected! ]"
	"WARNING: bad unlock balance detected!"
	"[ BUG: held lock freed! ]"
	"kmem_cache_destroy i915_vma: Slab cache still has objects"
	"BUG i915_vma (Tainted: G           O   ): Objects remaining in i915_vma on kmem_cache_close()"
	"Objects remaining in i915_gem_object on __kmem_cache_shutdown()"
	"BUG kmalloc-512 (Not tainted): Redzone overwritten"
	"BUG kmalloc-512 (Tainted: G    B      O   ): Poison overwritten"
	"Oops: 0000 [#1] SMP KASAN"
	"general protection fault: 0000 [#1] SMP"
	"kernel BUG at drivers/gpu/drm/i915/i915_drv.h:2010!"
	"Kernel panic - not syncing: Fatal exception"
	"PANIC: double fault, error_code: 0x0"
	"Call Trace:"
	"RIP: 0010:[<ffffffffa01b2c3d>]  [<ffffffffa01b2c3d>] i915_gem_free_object+0x3d/0x560 [i915]"
	"RIP: 0010:i915_gem_free_object+0x3d/0x560 [i915]"
	"---[ end trace 4d1a3f0c6e2b7a91 ]---"
	"UBSAN: Undefined behaviour in drivers/gpu/drm/i915/i915_gem_gtt.c:612:20"
	"[ INFO: possible circular locking dependency detected ]"
	"WARNING: possible circular locking dependency detected"
	"[ INFO: possible recursive locking detected ]"
	"[ INFO: inconsistent lock state ]"
	"[ INFO: possible irq lock inversion dependency detected ]"
	"[ INFO: suspicious RCU usage. ]"
	"WARNING: suspicious RCU usage"
	"list_add corruption. prev->next should be next (ffff88007a2b1c08), but was ffff88007a2b1c00. (prev=ffff88007a2b1c00)."
	"list_del corruption, ffff88007a2b1c00->next is LIST_POISON1 (dead000000100100)"
	"list_add double add: new=ffff88007a2b1c00, prev=ffff88007a2b1c00, next=ffff88007a2b1c08."
	"BUG: KASan: use after free in i915_gem_free_object+0x2a/0x560 [i915] at addr ffff880076041408"
	"BUG: KASAN: slab-out-of-bounds in i915_vma_unbind+0x3d/0x60 [i915]"
	"kasan: GPF could be caused by NULL-ptr deref or user memory access"
	"WARNING: CPU: 0 PID: 863 at drivers/gpu/drm/i915/i915_gem.c:4522 i915_gem_free_object+0x522/0x560 [i915]()"
	"WARNING: at drivers/gpu/drm/i915/i915_gem.c:4522 i915_gem_free_object+0x522/0x560 [i915]()"
	"------------[ cut here ]------------"
	"======================================================"
	"=================================================================="
	"INFO: task insmod:1234 blocked for more than 120 seconds."
	"INFO: rcu_sched self-detected stall on CPU { 0}  (t=21000 jiffies g=1234 c=1233 q=12)"
	"NMI watchdog: Watchdog detected hard LOCKUP on cpu 1"
	"[drm:gen8_do_reset [i915]] *ERROR* render ring: reset request timeout"
	"[drm:i915_gem_init_hw] *ERROR* Failed to initialize GPU, declaring it wedged"
)
WHERE=(boot cycles selftest mutant ctxmut hazmut end)
elsewhere() {	# elsewhere WHERE LINE: the verdict of a log with LINE there (the hazard mutant's
	# phase: with --hazard-mutant; after the end marker: without, or it would be expected;
	# the mock mutant's phase: with --mock-mutant)
	if [ "$1" = end ]; then verdict_of where "extra_$1=$2"
	else VARGS="--hazard-mutant --mock-mutant" verdict_of where hazmut=fail ctxmut=0 "extra_$1=$2"; fi
}
i=0
for r in "${REPORTS[@]}"; do
	verdict_of class "extra_hazard=$r"
	check "verdict: '$r' in the hazard section fails it (hazard=fail, not proven)" \
		test "$(grep -o 'hazard=[a-z]*' <<<"$(line)")/$RC" = "hazard=fail/1"
	w=${WHERE[i % ${#WHERE[@]}]}; i=$((i + 1))
	elsewhere "$w" "$r"
	check "verdict: '$r' ($w) is a kernel log problem: not proven" \
		eval '[ "$RC" = 1 ] && grep -q "not proven: kernel log not clean" <<<"$OUT"'
done
for w in "${WHERE[@]}"; do
	elsewhere "$w" "BUG: scheduling while atomic: insmod/1234/0x00000002"
	check "verdict: a report in the $w part of the log: not proven, log=BUG" \
		test "$(grep -o 'log=[A-Za-z]*' <<<"$(line)")/$RC" = "log=BUG/1"
done
# the expected section: the hazard mutant's use-after-free and what follows it
VARGS=--hazard-mutant verdict_of expected hazmut=fail "extra_hmhazard=$(printf '%s\n' "${REPORTS[@]}")" \
	"extra_end=$(printf '%s\n' "general protection fault: 0000 [#2] SMP" "Call Trace:")"
check "verdict: every report after the hazard mutant's hazard begin is expected (proven)" \
	test "$(grep -o 'log=[A-Za-z]*' <<<"$(line)")/$RC" = "log=clean/0"
check "verdict: ... and the hazard mutant is caught" grep -q '^legacy-hazard-mutant: kernel=4.1.52 hazard=fail (KASAN' <<<"$OUT"
verdict_of notexpected hazmut=fail "extra_hmhazard=general protection fault: 0000 [#1] SMP"
check "verdict: without --hazard-mutant nothing is expected (not proven)" \
	test "$(grep -o 'log=[A-Za-z]*' <<<"$(line)")/$RC" = "log=KASAN/1"
# lines a clean boot of these kernels prints are not reports
verdict_of benign "extra_boot=$(printf '%s\n' "kasan: KernelAddressSanitizer initialized" \
	"Lock dependency validator: Copyright (c) 2006 Red Hat, Inc., Ingo Molnar" \
	"... MAX_LOCKDEP_SUBCLASSES:  8" " memory used by lock dependency info: 8671 kB" \
	"SLUB: HWalign=64, Order=0-3, MinObjects=0, CPUs=2, Nodes=1" "debug: unmapping init [mem 0xffffffff82000000-0xffffffff8215ffff]" \
	"[drm] Initialized i915 1.6.0 20150130 for 0000:00:00.0 on minor 0")"
check "verdict: lines of a clean debug boot are not reports (proven)" test "$(grep -o 'log=[A-Za-z]*' <<<"$(line)")/$RC" = "log=clean/0"

verdict_of fewcycles cycles=7
check "verdict: fewer than 20 load/unload cycles: not proven" grep -q 'not proven: 7 of 20 load/unload cycles' <<<"$OUT"

verdict_of reclaimed be=0
check "verdict: busy_elsewhere=reclaimed when no VMA is left" grep -q 'busy_elsewhere=reclaimed' <<<"$(line)"

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
# a cache entry marked complete whose build lost kernel.release and Module.symvers (what a
# dkms 2.x "prepare" leaves) is not handed out: it is built again (here: a stand-in tree
# that cannot build, so exit 1 with the build log named)
mkdir -p "$T/kt/arch/x86" "$T/kt/drivers/gpu/drm/i915"
printf 'VERSION = 4\nPATCHLEVEL = 2\nSUBLEVEL = 0\nEXTRAVERSION =\nall:\n\tfalse\n' > "$T/kt/Makefile"
KE=$("$PKG_TOP/tests/legacy/build-kernel" --tree "$T/kt" --cache "$T/kcache" --key-only)
mkdir -p "$KE/build/include/generated" && touch "$KE/.complete" "$KE/build/include/generated/autoconf.h"
OUT=$("$PKG_TOP/tests/legacy/build-kernel" --tree "$T/kt" --cache "$T/kcache" 2>&1); RC=$?
check "build-kernel: a cached kernel that lost kernel.release and Module.symvers is built again, not handed out" \
	eval '[ "$RC" != 0 ] && grep -q "lost build/include/config/kernel.release or build/Module.symvers: building it again" <<<"$OUT"'
t_done
