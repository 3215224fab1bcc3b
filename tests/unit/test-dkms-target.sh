#!/bin/bash
# scripts/5-install/dkms-target: the per-kernel answers dkms.conf gets (module list, BUILD_EXCLUSIVE_KERNEL,
# reason), against fake kernel build dirs: kvmgt exactly where the kernel builds it (never
# required on 3.18-4.9 kernels, which have no kvmgt), no i915 and PREEMPT_RT without its rt
# set skipped (the regex matches no release), a kernel whose i915 source is pre-PPGTT (no
# leak possible) or of a design the package does not know skipped with that reason, everything
# else served; the build entry point's exit 77 on those sources; then the real dkms.conf read
# by real dkms (this machine's, plus every DKMS_VERSIONS script) in sandboxed dkms trees,
# building a stub package: kernels served, kernels skipped (a skip, never a failure, also
# through the kernel hook) and a real build error (a failure, never a skip).
. "$(dirname "$0")/../lib.sh"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
unset I915_MODE   # the default: verify mode is asked for where a check says so
export I915_SOURCE_CACHE=$T/cache I915_SOURCES_CONF=$T/sources.conf I915_DESIGN_CACHE=$T/designs I915_EXTRACT_CACHE_DIR=$T/extracted
# the source search sees only the sources this test sets (sources.conf), never the machine's
export I915_SRC_SEARCH=$T/no-search
dt() { "$PKG_TOP/scripts/5-install/dkms-target" "$@"; }
boot_before=$(snapshot /boot)
cache_before=$(snapshot /var/cache/i915-vma-cleanup)

# fake KDIR: fake NAME CONFIG_LINES... (its Makefile has the version of the release NAME)
fake() {
	local d=$T/k/$1 a b c; shift
	mkdir -p "$d/include/config"
	printf '%s\n' "$@" > "$d/.config"
	echo "$(basename "$d")" > "$d/include/config/kernel.release"
	IFS=.- read -r a b c _ <<<"$(basename "$d")"
	printf 'VERSION = %s\nPATCHLEVEL = %s\nSUBLEVEL = %s\n' "$a" "$b" "${c%%[!0-9]*}" > "$d/Makefile"
	echo "$d"
}
# source NAME X.Y.Z I915_DIR: a kernel tree whose i915 is a copy of I915_DIR, set for
# kernel NAME with scripts/1-source/set-source (what a dkms build, which has no I915_SRC, reads)
source_for() {
	local s=$T/src/linux-$2 a b c
	mkdir -p "$s/drivers/gpu/drm/i915"
	cp -r "$3/." "$s/drivers/gpu/drm/i915/"; rm -f "$s/drivers/gpu/drm/i915/expected"
	echo 'obj-m += i915.o' > "$s/drivers/gpu/drm/i915/Makefile"
	IFS=. read -r a b c <<<"$2"
	printf 'VERSION = %s\nPATCHLEVEL = %s\nSUBLEVEL = %s\n' "$a" "$b" "$c" > "$s/Makefile"
	"$PKG_TOP/scripts/1-source/set-source" --kver "$1" "$s" > /dev/null 2>&1
	echo "$s"
}
matches() { [[ $1 =~ $2 ]]; }
FX=$PKG_TOP/tests/fixtures/classify
# The package's series are written for real kernels, not for the classifier's fixtures: here
# each served design's series is one small patch of its fixture (headers as the plan wants),
# so "the series applies" is true for the fixture sources and false for an edited copy.
export I915_PATCH_DIR=$T/patches
cp -r "$PKG_TOP/patches" "$T/patches"
fixture_series() {   # fixture_series DESIGN ROLE FILE LINE: DESIGN's series = one patch adding a line after LINE
	local d=$T/patches/$1 n
	rm -f "$d"/*.patch; mkdir -p "$d"
	n=$(grep -nxF -- "$4" "$FX/$1/$3" | head -n 1 | cut -d: -f1)
	{ printf 'From: test\nSubject: test series of %s\nI915-DKMS-Design: %s\nI915-DKMS-Role: %s\n---\n' "$1" "$1" "$2"
	  printf -- '--- a/drivers/gpu/drm/i915/%s\n+++ b/drivers/gpu/drm/i915/%s\n@@ -%s,2 +%s,3 @@ fixture\n %s\n+/* test series */\n %s\n' \
		"$3" "$3" "$n" "$n" "$4" "$(sed -n "$((n + 1))p" "$FX/$1/$3")"; } > "$d/0001-test.patch"
	echo 0001-test.patch > "$d/series"
}
fixture_series leak-4.1 backport i915_gem_context.c 'void i915_gem_context_free(struct kref *ctx_ref)'
fixture_series vm-destroy instrumentation i915_gem_gtt.c "$(sed -n '/^[a-z].*__i915_vm_release/p' "$FX/vm-destroy/i915_gem_gtt.c" | head -n 1)"

kv=$(fake 6.1.0-99-dkmstest-amd64 CONFIG_DRM_I915=m CONFIG_DRM_I915_GVT_KVMGT=m)
old=$(fake 4.1.99-dkmstest CONFIG_DRM_I915=m)
nogvt=$(fake 5.14.0-99.dkmstest.el9.x86_64 CONFIG_DRM_I915=m CONFIG_DRM_I915_GVT=y)
cloud=$(fake 6.1.0-99-dkmstest-cloud-amd64 CONFIG_DRM=m)
rt=$(fake 6.1.0-99-dkmstest-rt-amd64 CONFIG_DRM_I915=m CONFIG_PREEMPT_RT=y)
plus=$(fake 6.12.999+dkmstest-amd64 CONFIG_DRM_I915=m CONFIG_DRM_I915_GVT_KVMGT=m)
# the design, read from each kernel's source: 4.1.99 a known one (leak-4.1: served),
# 3.16.99 pre-PPGTT (a tree), 3.17.99 pre-PPGTT (a tarball), 3.99.99 unknown; the broken
# kernel has no source set: served, and its (stub) build fails
pre=$(fake 3.16.99-dkmstest CONFIG_DRM_I915=m)
pre17=$(fake 3.17.99-dkmstest CONFIG_DRM_I915=m)
unk=$(fake 3.99.99-dkmstest CONFIG_DRM_I915=m)
broken=$(fake 5.4.99-dkmstest-broken CONFIG_DRM_I915=m)
source_for 4.1.99-dkmstest 4.1.99 "$FX/leak-4.1" > /dev/null
pre_src=$(source_for 3.16.99-dkmstest 3.16.99 "$FX/pre-ppgtt")
mkdir -p "$T/unknown-i915" && : > "$T/unknown-i915/i915_drv.h"
printf 'void i915_ppgtt_put(struct i915_hw_ppgtt *ppgtt)\n{\n}\n' > "$T/unknown-i915/i915_gem_gtt.c"
unk_src=$(source_for 3.99.99-dkmstest 3.99.99 "$T/unknown-i915")
s17=$(source_for 3.17.99-dkmstest 3.17.99 "$FX/pre-ppgtt-evict")
# designs that reclaim already (vm-destroy): skipped by default, served when verify is asked
# for (scripts/2-decide/set-mode); the same source with its hunk changed: the verify series does not
# apply (a skip, even when asked for); a leak-4.1 source whose fix series does not apply
# (a skip for dkms, which make install and the status command call a failure)
ver=$(fake 5.4.99-dkmstest-verify CONFIG_DRM_I915=m)
optin=$(fake 5.4.97-dkmstest-optin CONFIG_DRM_I915=m)
vna=$(fake 5.4.98-dkmstest-verify-noapply CONFIG_DRM_I915=m)
fna=$(fake 4.1.98-dkmstest-noapply CONFIG_DRM_I915=m)
source_for 5.4.99-dkmstest-verify 5.4.99 "$FX/vm-destroy" > /dev/null
source_for 5.4.97-dkmstest-optin 5.4.97 "$FX/vm-destroy" > /dev/null
vna_src=$(source_for 5.4.98-dkmstest-verify-noapply 5.4.98 "$FX/vm-destroy")
sed -i 's/^static void __i915_vm_release(struct work_struct \*work)$/static void __i915_vm_release(struct work_struct *w)/' "$vna_src/drivers/gpu/drm/i915/i915_gem_gtt.c"
fna_src=$(source_for 4.1.98-dkmstest-noapply 4.1.98 "$FX/leak-4.1")
sed -i 's/^void i915_gem_context_free(struct kref \*ctx_ref)$/void i915_gem_context_free(struct kref *ref)/' "$fna_src/drivers/gpu/drm/i915/i915_gem_context.c"
export I915_MODES_CONF=$T/modes.conf
"$PKG_TOP/scripts/2-decide/set-mode" --kver '5.4.97-dkmstest-*' verify 2>/dev/null
"$PKG_TOP/scripts/2-decide/set-mode" --kver 5.4.98-dkmstest-verify-noapply verify 2>/dev/null
mv "$s17" "$T/src/linux-3.17.99-tmp" && mkdir -p "$s17" && tar -C "$T/src" -cJf "$s17/linux-3.17.99.tar.xz" --transform 's|^linux-3.17.99-tmp|linux-3.17.99|' linux-3.17.99-tmp &&
	rm -rf "$T/src/linux-3.17.99-tmp" && "$PKG_TOP/scripts/1-source/set-source" --kver 3.17.99-dkmstest "$s17/linux-3.17.99.tar.xz" > /dev/null 2>&1

check "modules: i915 and kvmgt where the kernel builds kvmgt (=m)" test "$(dt --kver 6.1.0-99-dkmstest-amd64 --kdir "$kv" modules)" = "i915 kvmgt"
check "modules: i915 alone on a 4.1 kernel (no kvmgt before 4.10)" test "$(dt --kver 4.1.99-dkmstest --kdir "$old" modules)" = "i915"
check "modules: i915 alone where GVT is on but kvmgt is not (RHEL 9 shape)" test "$(dt --kver 5.14.0-99.dkmstest.el9.x86_64 --kdir "$nogvt" modules)" = "i915"
check "modules without a kernel (dkms add, status): i915" test "$(dt modules)" = "i915"

for k in "6.1.0-99-dkmstest-amd64 $kv" "4.1.99-dkmstest $old" "6.12.999+dkmstest-amd64 $plus"; do
	set -- $k
	re=$(dt --kver "$1" --kdir "$2" exclusive)
	check "exclusive: $1 is served (BUILD_EXCLUSIVE_KERNEL '$re' matches it)" matches "$1" "$re"
	check "reason: $1 serve" test "$(dt --kver "$1" --kdir "$2" reason)" = serve
done
re=$(dt --kver 6.12.999+dkmstest-amd64 --kdir "$plus" exclusive)
check "exclusive: the release is matched literally ('+' and '.' escaped)" test "$(matches 6.12.999dkmstest-amd64 "$re" && echo y)" = ""
check "exclusive: without a kernel every release matches" test "$(dt exclusive)" = '.*'

re=$(dt --kver 6.1.0-99-dkmstest-cloud-amd64 --kdir "$cloud" exclusive)
check "exclusive: a kernel without i915 is skipped (regex matches no release)" test "$(matches 6.1.0-99-dkmstest-cloud-amd64 "$re" && echo y)" = ""
check "reason: a kernel without i915 says why" grep -q '^skip: kernel 6.1.0-99-dkmstest-cloud-amd64 is built without CONFIG_DRM_I915' <<<"$(dt --kver 6.1.0-99-dkmstest-cloud-amd64 --kdir "$cloud" reason)"
re=$(dt --kver 6.1.0-99-dkmstest-rt-amd64 --kdir "$rt" exclusive)
check "exclusive: PREEMPT_RT without its rt patch set is skipped" test "$(matches 6.1.0-99-dkmstest-rt-amd64 "$re" && echo y)" = ""
check "reason: PREEMPT_RT names fetch-source as the remedy" grep -q 'scripts/1-source/fetch-source --kver 6.1.0-99-dkmstest-rt-amd64' <<<"$(dt --kver 6.1.0-99-dkmstest-rt-amd64 --kdir "$rt" reason)"
mkdir -p "$T/cache/patches-rt/6.1.0-99-dkmstest-rt-amd64" && echo x.patch > "$T/cache/patches-rt/6.1.0-99-dkmstest-rt-amd64/series"
re=$(dt --kver 6.1.0-99-dkmstest-rt-amd64 --kdir "$rt" exclusive)
check "exclusive: PREEMPT_RT with its rt patch set in the cache is served" matches 6.1.0-99-dkmstest-rt-amd64 "$re"
check "never fails: a broken call still exits 0 (dkms.conf reads its output)" dt --kver x --kdir /nonexistent bogus-query 2>/dev/null

# --- the design of the kernel's source: skipped, never failed, where the package has nothing
# to do (pre-PPGTT) or does not know the design; served where it knows it
for k in "3.16.99-dkmstest $pre tree" "3.17.99-dkmstest $pre17 tarball"; do
	set -- $k
	re=$(dt --kver "$1" --kdir "$2" exclusive)
	check "exclusive: $1, a pre-PPGTT i915 source ($3), is skipped (regex matches no release)" test "$(matches "$1" "$re" && echo y)" = ""
	check "reason: $1 says not affected, pre-PPGTT, nothing to fix" grep -q "^skip: kernel $1 is not affected: the i915 of .* has a pre-PPGTT i915 design: .*nothing to fix" <<<"$(dt --kver "$1" --kdir "$2" reason)"
done
re=$(dt --kver 3.99.99-dkmstest --kdir "$unk" exclusive)
check "exclusive: 3.99.99-dkmstest, an unknown i915 design, is skipped" test "$(matches 3.99.99-dkmstest "$re" && echo y)" = ""
check "reason: an unknown design says so and how to report it (classify-source --explain)" \
	grep -q "^skip: kernel 3.99.99-dkmstest: the i915 of $unk_src is a design i915-vma-cleanup does not know (.*); nothing changed, the stock i915 stays: report it with the output of .*/scripts/2-decide/classify-source --explain " <<<"$(dt --kver 3.99.99-dkmstest --kdir "$unk" reason)"
check "reason: an affected design (leak-4.1 source) whose series applies is served" test "$(dt --kver 4.1.99-dkmstest --kdir "$old" reason)" = serve
check "decision: ... in fix mode, affected" test "$(dt --kver 4.1.99-dkmstest --kdir "$old" decision | grep -E '^(action|affected|applies)=' | paste -sd' ')" = "affected=yes applies=yes action=fix"
check "reason: a kernel whose source is not found is served (its build names the package to install)" test "$(dt --kver 5.4.99-dkmstest-broken --kdir "$broken" reason)" = serve
# the default: a design that reclaims already keeps its stock i915
check "reason: a design that reclaims already (vm-destroy) is skipped by default: not affected, fixed upstream, stock i915 stays, how to ask for verify" \
	grep -q "^skip: kernel 5.4.99-dkmstest-verify is not affected: its i915 reclaims a dead context's VMAs already (vm-destroy design, fixed upstream); the stock i915 stays (verify mode.*scripts/2-decide/set-mode --kver 5.4.99-dkmstest-verify verify, or I915_MODE=verify)" <<<"$(dt --kver 5.4.99-dkmstest-verify --kdir "$ver" reason)"
re=$(dt --kver 5.4.99-dkmstest-verify --kdir "$ver" exclusive)
check "exclusive: ... matches no release" test "$(matches 5.4.99-dkmstest-verify "$re" && echo y)" = ""
check "I915_MODE=verify for one run: served in verify mode" test "$(I915_MODE=verify dt --kver 5.4.99-dkmstest-verify --kdir "$ver" decision | grep -E '^(affected|action)=' | paste -sd' ')" = "affected=no action=verify"
# the per-kernel memo keys the mode asked for, not only who asked: auto after verify is a skip again
check "I915_MODE=auto right after I915_MODE=verify (same caches): skipped again, not the memo's verify" \
	test "$(I915_MODE=auto dt --kver 5.4.99-dkmstest-verify --kdir "$ver" decision | grep -E '^(requested|action)=' | paste -sd' ')" = "requested=auto action=skip"
check "set-mode verify for a glob (modes.conf): served in verify mode" test "$(dt --kver 5.4.97-dkmstest-optin --kdir "$optin" decision | grep -E '^(action|requested_by)=' | paste -sd' ')" = "requested_by=$T/modes.conf: 5.4.97-dkmstest-* verify action=verify"
check "verify asked for, series does not apply: a skip naming the kernel, the design and the first failed hunk with its function" \
	grep -q "^skip: kernel 5.4.98-dkmstest-verify-noapply: verify mode was asked for, but the vm-destroy series does not apply to the i915 of $vna_src (vm-destroy/0001-test.patch: drivers/gpu/drm/i915/i915_gem_gtt.c hunk #1 at line [0-9]* in fixture); skipped, the stock i915 stays: report it with this line" <<<"$(dt --kver 5.4.98-dkmstest-verify-noapply --kdir "$vna" reason)"
check "an affected kernel whose fix series does not apply: a skip for dkms, affected=yes applies=no (make install: FAILED)" \
	test "$(dt --kver 4.1.98-dkmstest-noapply --kdir "$fna" decision | grep -E '^(affected|applies|action)=' | paste -sd' ')" = "affected=yes applies=no action=skip"
check "... its reason says it needs the fix and has not got it" grep -q "^skip: kernel 4.1.98-dkmstest-noapply needs the fix (leak-4.1 design) but its series does not apply .*i915_gem_context.c hunk #1 at line [0-9]* in fixture): nothing changed, the stock i915 (which leaks) stays" <<<"$(dt --kver 4.1.98-dkmstest-noapply --kdir "$fna" reason)"
I915_MODE=bogus dt --kver 5.4.99-dkmstest-verify --kdir "$ver" reason > /dev/null 2>&1
check "a bad I915_MODE: dkms-target still exits 0 (serve, so the build says what is wrong)" test $? = 0
# one decision per source, kept: the second round of answers reads the records
round() {
	for k in "3.16.99-dkmstest $pre" "3.17.99-dkmstest $pre17" "3.99.99-dkmstest $unk" "4.1.99-dkmstest $old" "5.4.99-dkmstest-verify $ver"; do
		set -- $k; dt --kver "$1" --kdir "$2" exclusive > /dev/null
	done
}
round; recs=$(snapshot "$T/designs"); round
check "the decisions were made once and kept (records unchanged by a second round)" test "$(snapshot "$T/designs")" = "$recs"
check "... one record per source: the two vm-destroy trees with the same i915 share one" \
	test "$(find "$T/designs" -maxdepth 1 -name 'source-*' | wc -l)" = 7
# make install's per-kernel lines (scripts/5-install/install-kernels) on the same decisions, with a
# dkms that must not be asked to install any of these kernels (each is a skip)
mkdir -p "$T/fakebin" "$T/mods"
printf '#!/bin/sh\ncase $1 in status) exit 0 ;; esac\necho "fake dkms: $*" >> "%s/dkms-calls"; exit 1\n' "$T" > "$T/fakebin/dkms"
chmod +x "$T/fakebin/dkms"
for k in "5.4.99-dkmstest-verify $ver" "4.1.98-dkmstest-noapply $fna" "3.16.99-dkmstest $pre"; do
	set -- $k; mkdir -p "$T/mods/$1"; ln -sfn "$2" "$T/mods/$1/build"
done
out=$(PATH=$T/fakebin:$PATH I915_MODULES_ROOT=$T/mods "$PKG_TOP/scripts/5-install/install-kernels" 5.4.99-dkmstest-verify 4.1.98-dkmstest-noapply 3.16.99-dkmstest 2>&1); rc=$?
check "install-kernels: a kernel that reclaims already: one line, not affected, fixed upstream, stock i915 kept" \
	grep -qx "5.4.99-dkmstest-verify: not affected: fixed upstream (vm-destroy design), stock i915 kept (verify mode on request: scripts/2-decide/set-mode --kver 5.4.99-dkmstest-verify verify)" <<<"$out"
check "install-kernels: an affected kernel whose series does not apply is FAILED, with the failed hunk" \
	grep -q "^4.1.98-dkmstest-noapply: FAILED: kernel 4.1.98-dkmstest-noapply needs the fix (leak-4.1 design) but its series does not apply .*hunk #1" <<<"$out"
check "install-kernels: a pre-PPGTT kernel is skipped with its reason" grep -q "^3.16.99-dkmstest: skipped: kernel 3.16.99-dkmstest is not affected" <<<"$out"
check "install-kernels: exit 1 (a kernel that needs the fix did not get it), dkms never asked to build a skipped kernel" \
	test "$rc:$(cat "$T/dkms-calls" 2>/dev/null)" = "1:"
out=$(PATH=$T/fakebin:$PATH I915_MODULES_ROOT=$T/mods "$PKG_TOP/scripts/5-install/install-kernels" 5.4.99-dkmstest-verify 3.16.99-dkmstest 2>&1)
check "install-kernels: only kernels left alone for a reason: exit 0" test $? = 0

# the build entry point on the same sources: exit 77, one line naming the kernel, no work tree
expect_fail "prepare-tree: pre-PPGTT source: exit 77, not affected, nothing to fix" 77 \
	"^prepare-tree: error: kernel 3.16.99-dkmstest is not affected: the i915 of $pre_src has a pre-PPGTT i915 design: .*nothing to fix, the stock i915 stays$" \
	"$PKG_TOP/scripts/4-build/prepare-tree" --kver 3.16.99-dkmstest --kdir "$pre" --work "$T/w-pre"
expect_fail "make: the same line, make's Error 77" 2 "kernel 3.16.99-dkmstest is not affected: .*pre-PPGTT" \
	make -s -C "$PKG_TOP" KVER=3.16.99-dkmstest KDIR="$pre" WORK="$T/w-pre"
expect_fail "prepare-tree: unknown design: exit 77, says how to report it" 77 \
	"^prepare-tree: error: kernel 3.99.99-dkmstest: the i915 of $unk_src is a design i915-vma-cleanup does not know \(per-context PPGTT but no i915_gem_context_free definition: matches no known i915 design .*\); nothing changed, the stock i915 stays: report it with the output of .*classify-source --explain " \
	"$PKG_TOP/scripts/4-build/prepare-tree" --kver 3.99.99-dkmstest --kdir "$unk" --work "$T/w-unk"
expect_fail "prepare-tree: a design that reclaims already, no verify asked for: exit 77, names the opt-in" 77 \
	"^prepare-tree: error: kernel 5.4.99-dkmstest-verify is not affected: .*I915_MODE=verify\)$" \
	"$PKG_TOP/scripts/4-build/prepare-tree" --kver 5.4.99-dkmstest-verify --kdir "$ver" --work "$T/w-ver"
expect_fail "prepare-tree: I915_MODE=bogus: exit 2, names the values" 2 "I915_MODE=bogus is not one of auto, verify" \
	env I915_MODE=bogus "$PKG_TOP/scripts/4-build/prepare-tree" --kver 5.4.99-dkmstest-verify --kdir "$ver" --work "$T/w-ver"
check "... and they wrote no work tree" test -z "$(ls -d "$T"/w-pre* "$T"/w-unk* "$T"/w-ver* 2>/dev/null)"

# --- the real dkms.conf, read by real dkms (this machine's; DKMS_VERSIONS="path/to/dkms ..."
# adds others: release tags 2.2.0.3, 2.8.7, 3.0.10, 3.4.x, Debian 12's package, prepared as
# in docs/legacy-kernels.md), each in a private mount namespace whose /lib/modules,
# /var/lib/dkms, /etc/dkms and /boot are the sandbox's, with that release's dkms, kernel
# hook and autoinstaller at their installed paths. A stub build leaves what the real one
# does (i915.ko, and kvmgt.ko where the kernel's config builds it) and fails for the
# "broken" kernel (a real build error).
# in_ns S DKMS CMD...: CMD in that namespace
in_ns() {
	unshare -m bash -c '
		S=$1 dk=$2; shift 2
		mount --bind "$S/modules" /usr/lib/modules && mount --bind "$S/tree" /var/lib/dkms &&
			mount -t tmpfs tmpfs /etc/dkms && mount -t tmpfs tmpfs /boot || exit 99
		if [ "$dk" != /usr/sbin/dkms ]; then
			mount --bind "$dk" /usr/sbin/dkms || exit 99
			for f in hook autoinstaller; do
				[ -f "$S/bin/$f" ] || continue
				case $f in hook) t=/etc/kernel/header_postinst.d/dkms ;; *) t=/usr/lib/dkms/dkms_autoinstaller ;; esac
				mount --bind "$S/bin/$f" "$t" || exit 99
			done
		fi
		exec "$@"' in_ns "$@"
}
# the kernels: NAME KDIR EXPECTED (the modules built, "skip" or "fail")
KERNELS="6.1.0-99-dkmstest-amd64:$kv:i915 kvmgt
4.1.99-dkmstest:$old:i915
5.4.99-dkmstest-verify:$ver:skip
5.4.97-dkmstest-optin:$optin:i915
5.4.98-dkmstest-verify-noapply:$vna:skip
4.1.98-dkmstest-noapply:$fna:skip
6.1.0-99-dkmstest-cloud-amd64:$cloud:skip
3.16.99-dkmstest:$pre:skip
3.17.99-dkmstest:$pre17:skip
3.99.99-dkmstest:$unk:skip
5.4.99-dkmstest-broken:$broken:fail"
sandbox_dkms() {   # sandbox_dkms DKMS LABEL N
	local dkms=$1 label=$2 S=$T/dkms-$3 kv kdir want rc got v dir extra=()
	v=$(cat "$PKG_TOP/VERSION")
	P=$S/src/i915-vma-cleanup-$v
	mkdir -p "$P" "$S/tree" "$S/modules" "$S/bin"
	cp -r "$PKG_TOP/dkms.conf" "$PKG_TOP/VERSION" "$PKG_TOP/scripts" "$P/"
	printf '%s\n' 'all:' \
		'	@case "$(KVER)" in *broken*) echo "stub: a real build error" >&2; exit 1 ;; esac' \
		'	mkdir -p work/$(KVER)/drivers/gpu/drm/i915' \
		'	echo i915 > work/$(KVER)/drivers/gpu/drm/i915/i915.ko' \
		'	if grep -q "^CONFIG_DRM_I915_GVT_KVMGT=m" $(KDIR)/.config; then echo kvmgt > work/$(KVER)/drivers/gpu/drm/i915/kvmgt.ko; fi' \
		'clean:' '	rm -rf work' > "$P/Makefile"
	# that release's kernel hook and autoinstaller (3.1+: debian_kernel_postinst.d)
	dir=$(dirname "$dkms")
	for f in debian_kernel_postinst.d kernel_postinst.d_dkms; do
		[ -f "$dir/$f" ] && { install -m 0755 "$dir/$f" "$S/bin/hook"; break; }
	done
	[ -f "$dir/dkms_autoinstaller" ] && install -m 0755 "$dir/dkms_autoinstaller" "$S/bin/autoinstaller"
	# dkms 2.x would prepare the kernel tree first
	"$dkms" --version 2>/dev/null | grep -qE '(^| |-)2\.' && extra=(--no-prepare-kernel --no-clean-kernel)
	while IFS=: read -r kv kdir want; do
		mkdir -p "$S/modules/$kv"; ln -sfn "$kdir" "$S/modules/$kv/build"
	done <<<"$KERNELS"
	in_ns "$S" "$dkms" "$dkms" add -m i915-vma-cleanup -v "$v" --sourcetree "$S/src" > "$S/add.log" 2>&1 ||
		{ bad "$label: dkms add" "$(tail -n 2 "$S/add.log" | tr '\n' ' ')"; return; }
	while IFS=: read -r kv kdir want; do
		in_ns "$S" "$dkms" "$dkms" build -m i915-vma-cleanup -v "$v" -k "$kv" --sourcetree "$S/src" "${extra[@]}" > "$S/$kv.log" 2>&1; rc=$?
		got=$(ls "$S/tree/i915-vma-cleanup/$v/$kv"/*/module 2>/dev/null | sed 's/\.ko.*//' | sort | tr '\n' ' ')
		case $want in
		skip)	# dkms's skip: BUILD_EXCLUSIVE, exit 77 (3.0.11+, Debian 12) or 9 (older)
			check "$label: build $kv: skipped (BUILD_EXCLUSIVE, exit 77 or 9), nothing built (exit $rc, built: ${got:-nothing})" \
				bash -c "[ '$rc' = 77 -o '$rc' = 9 ] && [ -z '$got' ] && grep -q BUILD_EXCLUSIVE '$S/$kv.log'" ;;
		fail)	check "$label: build $kv: a real build error is a failure (dkms exit 10, not a skip; exit $rc)" test "$rc:$got" = "10:" ;;
		*)	check "$label: build $kv: exactly $want (exit $rc, built: ${got:-nothing})" test "$rc:$got" = "0:$want " ;;
		esac
	done <<<"$KERNELS"
	check "$label: dkms.conf declares nothing this dkms calls deprecated (dkms 3.4: CLEAN)" \
		test -z "$(grep -h 'Deprecated feature' "$S"/*.log 2>/dev/null | sort -u)"
	# the kernel hook a headers package runs (dkms autoinstall for that kernel): on a kernel
	# the package skips it must exit 0 and install nothing (dkms <= 3.0.10 fails it, and so
	# the headers package, unless AUTOINSTALL is empty for that kernel); on a served one it
	# installs; on a build error it installs nothing, and a dkms 3 hook exits non-zero
	if [ ! -f "$S/bin/hook" ] && [ "$dkms" != /usr/sbin/dkms ]; then
		skip "$label: kernel hook" "no kernel_postinst.d_dkms / debian_kernel_postinst.d beside $dkms"; return
	fi
	dkms3=0; "$dkms" --version 2>/dev/null | grep -qE '(^| |-)3\.' && dkms3=1
	while IFS=: read -r kv kdir want; do
		in_ns "$S" "$dkms" /etc/kernel/header_postinst.d/dkms "$kv" > "$S/hook-$kv.log" 2>&1; rc=$?
		got=$(find "$S/modules/$kv" -name '*.ko*' -printf '%f\n' 2>/dev/null | sed 's/\.ko.*//' | sort | tr '\n' ' ')
		case $want in
		skip)	check "$label: header_postinst hook for $kv (skipped) exits 0, installs nothing (exit $rc, installed: ${got:-nothing})" test "$rc:$got" = "0:" ;;
		fail)	if [ $dkms3 = 1 ]; then
				check "$label: header_postinst hook for $kv (build error) fails, installs nothing (exit $rc, installed: ${got:-nothing})" test "$rc" -ne 0 -a -z "$got"
			else
				check "$label: header_postinst hook for $kv (build error) installs nothing (dkms 2's hook always exits 0; exit $rc)" test -z "$got"
			fi ;;
		*)	check "$label: header_postinst hook for $kv exits 0 and installs: $want (exit $rc, installed: ${got:-nothing})" test "$rc:$got" = "0:$want " ;;
		esac
	done <<<"$KERNELS"
}
if ! command -v unshare > /dev/null || [ "$(id -u)" -ne 0 ] || [ ! -x /usr/sbin/dkms ] || [ ! -x /etc/kernel/header_postinst.d/dkms ]; then
	skip "sandboxed dkms builds and kernel hooks" "need root, unshare and the dkms package (apt-get install dkms)"
else
	n=0
	for d in /usr/sbin/dkms ${DKMS_VERSIONS:-}; do
		n=$((n + 1)); d=$(realpath "$d")
		label="dkms $("$d" --version 2>/dev/null | grep -oE '[0-9][0-9.]+' | head -n 1)"
		[ "$d" = /usr/sbin/dkms ] && label="$label (this machine)" || label="$label ($(basename "$(dirname "$d")"))"
		sandbox_dkms "$d" "$label" "$n"
	done
fi
check "nothing reached the machine: /boot and /var/cache/i915-vma-cleanup unchanged, no dkmstest kernel in /lib/modules or /var/lib/dkms" \
	test "$(snapshot /boot)" = "$boot_before" -a "$(snapshot /var/cache/i915-vma-cleanup)" = "$cache_before" -a -z "$(find /lib/modules/ /var/lib/dkms/ -maxdepth 4 -name '*dkmstest*' 2>/dev/null | head -n 1)"
t_done
