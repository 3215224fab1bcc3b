#!/bin/bash
# scripts/2-decide/plan on fixtures (no kernel headers, nothing compiled): the plan decides the
# design, series, test series, rt set and compat patches of one target and records each
# input's content hash, as data:
#   - a source path with `;cmd;` and a space is a value, never run;
#   - editing a compat patch (applied or not) or the rt set changes the plan (and so the
#     reuse key, its sha256); the same patches elsewhere give the same plan;
#   - selftest and mutant get one plan with the test series, production none, and
#     editing the test series leaves the production plan as it was;
#   - the compat rules come from the patches' headers (I915-DKMS-When-*), and every
#     shipped series patch's header names its design and a role of its series (no test
#     seam in a production series);
#   - bad input (an rt kernel without its rt set, a compat patch without its rules): one
#     line, non-zero exit, no plan written;
#   - apply-patches --plan refuses inputs edited since the plan was made.
. "$(dirname "$0")/../lib.sh"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
I=drivers/gpu/drm/i915
evil="$T/a;touch $T/pwned;b c/linux-source-6.1.tar.xz"

# the extracted source: the classifier's vm-release fixture, a Kconfig, an intel_fbdev.c
# with the 2-argument restore callback (6.12.117's), and acquire-source's provenance
S=$T/stage
mkdir -p "$S/$I/display"
cp -r "$PKG_TOP/tests/fixtures/classify/vm-release/." "$S/$I/"
rm -f "$S/$I/expected"
printf 'config DRM_I915\n\ttristate "Intel"\n\tdepends on DRM\n\tdepends on !PREEMPT_RT\n' > "$S/$I/Kconfig"
printf 'static int intel_fbdev_client_restore(struct drm_client_dev *client, bool force)\n{\n\treturn 0;\n}\n' > "$S/$I/display/intel_fbdev.c"
printf 'source_kind=tarball\nsource_path=%s\nsource_version=6.1.192\nsource_sha256=%064d\ntarget_kver=6.1.0-99-amd64\ntarget_version=6.1.192\n' \
	"$evil" 0 > "$S/provenance"
mkdir -p "$T/kdir" "$T/kdir-rt"
echo CONFIG_DRM_I915=m > "$T/kdir/.config"
printf 'CONFIG_DRM_I915=m\nCONFIG_PREEMPT_RT=y\n' > "$T/kdir-rt/.config"
# probe answers: the kernel lacks the force argument, or has it
printf '/* #undef I915_DKMS_HAVE_DRM_FB_HELPER_RESTORE_FORCE */\n' > "$T/missing.h"
printf '#define I915_DKMS_HAVE_DRM_FB_HELPER_RESTORE_FORCE 1\n' > "$T/present.h"
cp -r "$PKG_TOP/patches" "$T/patches"
mkdir -p "$T/rt"
printf 'From: test\nSubject: rt\n\n--- a/%s/Kconfig\n+++ b/%s/Kconfig\n@@ -4 +4 @@\n-\tdepends on !PREEMPT_RT\n+\tdepends on DRM\n' "$I" "$I" > "$T/rt/0001-rt.patch"
echo 0001-rt.patch > "$T/rt/series"
# the decision (scripts/2-decide/decide's record for this kernel and source): an input, like the probes
decision() {   # decision ACTION [DESIGN] -> $T/decision
	printf 'decision_format=1\nkver=6.1.0-99-amd64\nsource_key=%064d\ndesign=%s\ndesign_mode=verify\nevidence=gt/intel_gtt.c:__i915_vm_release\naffected=no\napplies=yes\naction=%s\nreason=the reason of the decision\n' \
		0 "${2:-vm-release}" "$1" > "$T/decision"
}
decision verify

# plan NAME [ENV...] -- ARGS...: scripts/2-decide/plan --out $T/NAME.plan
plan() {
	local name=$1; shift
	local envs=(I915_PATCH_DIR="$T/patches" I915_RT_PATCHES="$T/none")
	while [ $# -gt 0 ] && [ "$1" != -- ]; do envs+=("$1"); shift; done
	shift
	env "${envs[@]}" "$PKG_TOP/scripts/2-decide/plan" --kver 6.1.0-99-amd64 --tree "$S" --decision "$T/decision" --out "$T/$name.plan" "$@"
}
hash_of() { sha256sum < "$T/$1.plan" | cut -d' ' -f1; }
val() { plan_value "$T/$1.plan" "$2"; }

check "plan: production, the kernel lacks the force argument" plan p -- --kdir "$T/kdir" --probes "$T/missing.h"
check "... design from the source (vm-release, verify mode, series vm-release)" \
	test "$(val p mode)/$(val p generation)/$(val p series)" = verify/vm-release/vm-release
check "... a path with ';cmd;' and a space is a value: nothing ran" test ! -e "$T/pwned"
check "... and it reads back unchanged" test "$(val p source_path)" = "$evil"
check "... every value is one key=value line of a known form" \
	test -z "$(grep -vE '^[a-z0-9_]+=' "$T/p.plan")"
check "... no test series in production" test -z "$(val p test_series)"
check "... compat: the no-force patch (probe: missing, the source has the 2-argument callback)" \
	test "$(val p compat_patch)" = fbdev-client-restore-no-force.patch
check "... no rt set for a non-rt kernel" test -z "$(val p rt_patches)"
plan p2 -- --kdir "$T/kdir" --probes "$T/missing.h"
check "the same inputs give the same plan (the reuse key is stable)" test "$(hash_of p)" = "$(hash_of p2)"
check "the kernel has the force argument: no compat patch for this source" \
	bash -c "'$PKG_TOP/scripts/2-decide/plan' --kver 6.1.0-99-amd64 --kdir '$T/kdir' --tree '$S' --decision '$T/decision' --probes '$T/present.h' | grep -q '^compat_patch=' && exit 1 || exit 0"

# a compat patch edited, applied or not: another plan
cp -r "$T/patches" "$T/patches.orig"
sed -i '1s/^/# edited\n/' "$T/patches/compat/fbdev-client-restore-force.patch"
plan p3 -- --kdir "$T/kdir" --probes "$T/missing.h"
check "an edited compat patch that does not apply changes the plan" test "$(hash_of p3)" != "$(hash_of p)"
rm -rf "$T/patches" && cp -r "$T/patches.orig" "$T/patches"
plan p4 I915_PATCH_DIR="$T/patches.orig" -- --kdir "$T/kdir" --probes "$T/missing.h"
check "the same patches from another directory: the same plan" test "$(hash_of p4)" = "$(hash_of p)"

# variants
plan s -- --kdir "$T/kdir" --probes "$T/missing.h" --variant selftest
plan m -- --kdir "$T/kdir" --probes "$T/missing.h" --variant mutant
check "selftest and mutant: one plan (only a kbuild flag differs)" test "$(hash_of s)" = "$(hash_of m)"
check "... with the test series vm-release/test" test "$(val m test_series)" = vm-release/test
sed -i '1s/^/# edited\n/' "$T"/patches/vm-release/test/0001-*.patch
plan p5 -- --kdir "$T/kdir" --probes "$T/missing.h"
plan m2 -- --kdir "$T/kdir" --probes "$T/missing.h" --variant mutant
check "an edited test-series patch: the production plan is unchanged" test "$(hash_of p5)" = "$(hash_of p)"
check "... the test variants' plan changes" test "$(hash_of m2)" != "$(hash_of m)"
rm -rf "$T/patches" && cp -r "$T/patches.orig" "$T/patches"

# PREEMPT_RT
expect_fail "rt kernel, non-rt i915, no rt set: exit 77, one line with the remedy" 77 \
	'6.1.0-99-amd64 is PREEMPT_RT .* no rt patch set in .*: run scripts/1-source/fetch-source' \
	plan r0 -- --kdir "$T/kdir-rt" --probes "$T/missing.h"
check "... and no plan written" test ! -e "$T/r0.plan"
check "rt kernel with an rt set: the plan names it" plan r1 I915_RT_PATCHES="$T/rt" -- --kdir "$T/kdir-rt" --probes "$T/missing.h"
check "... by its real path" test "$(val r1 rt_patches)" = "$(realpath "$T/rt")"
echo '# a comment' >> "$T/rt/0001-rt.patch"
plan r2 I915_RT_PATCHES="$T/rt" -- --kdir "$T/kdir-rt" --probes "$T/missing.h"
check "an edited rt patch changes the plan" test "$(hash_of r2)" != "$(hash_of r1)"

# a compat patch without its rules: refused, nothing written
sed -i '/^I915-DKMS-When-Source-Has:/d' "$T/patches/compat/fbdev-client-restore-force.patch"
expect_fail "a compat patch without I915-DKMS-When-Source-Has: exit 3, names the patch" 3 \
	'compat patch fbdev-client-restore-force.patch needs .*I915-DKMS-When-Source-Has' \
	plan b1 -- --kdir "$T/kdir" --probes "$T/missing.h"
check "... and no plan written" test ! -e "$T/b1.plan"
rm -rf "$T/patches" && cp -r "$T/patches.orig" "$T/patches"
# the patches' own headers: every design's series and test series as shipped pass; a
# test seam in a production series, or a patch of another design, is refused
seen=
for fx in "$PKG_TOP"/tests/fixtures/classify/*/; do   # one classifier fixture per design
	g=$(sed -n 's/^generation=//p' "$fx/expected")
	[ -n "$g" ] && [ -d "$PKG_TOP/patches/$g" ] || continue
	case " $seen " in *" $g "*) continue ;; esac
	seen="$seen $g"
	d=$T/design-$g; mkdir -p "$d/$I"; cp "$S/provenance" "$d/"
	cp -r "$fx". "$d/$I/"
	[ -d "$fx/drivers/gpu/drm/i915" ] && cp -r "$fx/drivers/gpu/drm/i915/." "$d/$I/"
	decision "$(sed -n 's/^mode=//p' "$fx/expected")" "$g"
	for v in production mutant; do
		if out=$(I915_PATCH_DIR="$PKG_TOP/patches" "$PKG_TOP/scripts/2-decide/plan" --kver 6.1.0-99-amd64 --kdir "$T/kdir" --tree "$d" --decision "$T/decision" --probes "$T/missing.h" --variant $v 2>&1) &&
		   [ "$(printf '%s\n' "$out" | sed -n 's/^series=//p')" = "$g" ]; then
			ok "patches/$g ($v): every patch's header names the design and a role of its series"
		else
			bad "patches/$g ($v)" "$(printf '%s' "$out" | tail -n 2 | tr '\n' ' ')"
		fi
	done
done
decision verify
seam=$(ls "$T"/patches/vm-release/test/0001-*.patch)
cp "$seam" "$T/patches/vm-release/"
echo "$(basename "$seam")" >> "$T/patches/vm-release/series"
expect_fail "a test-seam patch in the production series is refused (exit 3)" 3 \
	"has I915-DKMS-Role 'test-seam', which does not belong in vm-release/series" \
	plan t1 -- --kdir "$T/kdir" --probes "$T/missing.h"
rm -rf "$T/patches" && cp -r "$T/patches.orig" "$T/patches"
sed -i 's/^I915-DKMS-Design: vm-release$/I915-DKMS-Design: vm-close/' "$T"/patches/vm-release/0002-*.patch
expect_fail "a patch of another design in the series is refused (exit 3)" 3 \
	"is in the vm-release series but its I915-DKMS-Design header says 'vm-close'" \
	plan t2 -- --kdir "$T/kdir" --probes "$T/missing.h"
rm -rf "$T/patches" && cp -r "$T/patches.orig" "$T/patches"

expect_fail "usage: no --probes: exit 2" 2 'usage: plan' \
	"$PKG_TOP/scripts/2-decide/plan" --kver 6.1.0-99-amd64 --kdir "$T/kdir" --tree "$S" --decision "$T/decision"

# the decision is carried, never made again: a skip is the plan's exit 77 with its reason;
# a decision of another kernel or source is refused
decision skip
expect_fail "a decision to skip: exit 77 with the decision's reason, no plan" 77 \
	'the reason of the decision' plan d1 -- --kdir "$T/kdir" --probes "$T/missing.h"
check "... and no plan written" test ! -e "$T/d1.plan"
decision verify; sed -i 's/^source_key=.*/source_key=1234/' "$T/decision"
expect_fail "a decision made for another source is refused (exit 3)" 3 \
	'is not the one for this kernel and source' plan d2 -- --kdir "$T/kdir" --probes "$T/missing.h"
decision verify
plan d3 -- --kdir "$T/kdir" --probes "$T/missing.h"
check "the plan carries the decision: affected=no, applies=yes, mode verify" \
	test "$(val d3 affected)/$(val d3 applies)/$(val d3 mode)" = no/yes/verify

# apply-patches --plan: the inputs must be those the plan hashed
cp -r "$S" "$T/tree"
sed -i '1s/^/# edited after the plan\n/' "$T"/patches/vm-release/0001-*.patch
before=$(snapshot "$T/tree")
expect_fail "apply-patches --plan: a series edited after the plan is refused (exit 3)" 3 \
	'the series .*vm-release changed since the plan was made' \
	env I915_PATCH_DIR="$T/patches" "$PKG_TOP/scripts/3-patch/apply-patches" --plan "$T/p.plan" --tree "$T/tree"
check "... and the tree is untouched" test "$(snapshot "$T/tree")" = "$before"
t_done
