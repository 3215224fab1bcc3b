#!/bin/bash
# PREEMPT_RT kernels: mainline i915 says `depends on !PREEMPT_RT`, Debian builds its rt
# i915 with the rt patch set (debian/patches-rt). prepare-tree must never build the
# non-rt driver for an rt kernel: it applies the i915 part of an rt patch set or stops
# (exit 77, one line with the remedy, nothing written). dkms skips rt kernels whose rt
# patch set is not in the source cache.
# Runs prepare only (no compile) on a tiny source tree made from the classifier's
# vm-release fixture, against real rt headers (probes need them).
. "$(dirname "$0")/../lib.sh"
KRT=${TEST_KERNEL_RT:-6.1.0-47-rt-amd64}
K61=${TEST_KERNEL_61:-6.1.0-56-amd64}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cd "$PKG_TOP" || exit 1
. scripts/lib.sh

[ "$(kconfig_value "/lib/modules/$KRT/build" CONFIG_PREEMPT_RT)" = y ] ||
	{ skip "PREEMPT_RT" "no rt kernel headers ($KRT; tests/deps installs linux-headers-$KRT)"; exit 0; }

# a kernel "tree" with the non-rt i915 Kconfig
I=drivers/gpu/drm/i915
mkdir -p "$T/tree/$I" "$T/patches/vm-release"
cp -r tests/fixtures/classify/vm-release/. "$T/tree/$I/"
rm -f "$T/tree/$I/expected"
printf 'VERSION = 6\nPATCHLEVEL = 1\nSUBLEVEL = 192\n' > "$T/tree/Makefile"
echo 'obj-m += i915.o' > "$T/tree/$I/Makefile"
printf 'config DRM_I915\n\ttristate "Intel 8xx/9xx/G3x/G4x/HD Graphics"\n\tdepends on DRM\n\tdepends on !PREEMPT_RT\n\tselect SHMEM\n' > "$T/tree/$I/Kconfig"
: > "$T/patches/vm-release/series"

# rt patch sets in Debian's layout: a series file and -p1 patches for the whole kernel
mkpatch() {   # mkpatch FILE PATH OLD NEW: a one-hunk patch replacing line OLD by NEW
	printf 'From: test\nSubject: %s\n\n--- a/%s\n+++ b/%s\n@@ -1 +1 @@\n-%s\n+%s\n' "$(basename "$1")" "$2" "$2" "$3" "$4" > "$1"
}
kconfig_revert() {   # the revert of "drm/i915: Depend on !PREEMPT_RT" (Debian's 0031)
	cat > "$1" <<'EOF'
From: test
Subject: Revert "drm/i915: Depend on !PREEMPT_RT."

--- a/drivers/gpu/drm/i915/Kconfig
+++ b/drivers/gpu/drm/i915/Kconfig
@@ -2,4 +2,3 @@ config DRM_I915
 	tristate "Intel 8xx/9xx/G3x/G4x/HD Graphics"
 	depends on DRM
-	depends on !PREEMPT_RT
 	select SHMEM
EOF
}
hdr_line=$(head -n 1 "$T/tree/$I/i915_drv.h")
mkdir -p "$T/rt-good" "$T/rt-mixed" "$T/rt-norevert"
mkpatch "$T/rt-good/0001-sched.patch" kernel/sched/core.c 'old' 'new'
kconfig_revert "$T/rt-good/0002-revert.patch"
mkpatch "$T/rt-good/0003-i915.patch" "$I/i915_drv.h" "$hdr_line" "$hdr_line /* rt */"
printf 'From: test\nSubject: a new file outside i915\n\n--- /dev/null\n+++ b/kernel/rt-new.c\n@@ -0,0 +1 @@\n+/* rt */\n' > "$T/rt-good/0004-new.patch"
printf '0001-sched.patch\n# comment\n0002-revert.patch\n0003-i915.patch\n0004-new.patch\n' > "$T/rt-good/series"
cp "$T/rt-good/0002-revert.patch" "$T/rt-mixed/"
{ cat "$T/rt-good/0003-i915.patch"; sed -n '/^---/,$p' "$T/rt-good/0001-sched.patch"; } > "$T/rt-mixed/0003-mixed.patch"
printf '0002-revert.patch\n0003-mixed.patch\n' > "$T/rt-mixed/series"
cp "$T/rt-good/0003-i915.patch" "$T/rt-norevert/"
echo 0003-i915.patch > "$T/rt-norevert/series"

prep() {   # prep KVER WORK RT_PATCHES
	env I915_SRC="$T/tree" I915_PATCH_DIR="$T/patches" I915_RT_PATCHES="$3" \
		scripts/4-build/prepare-tree --kver "$1" --kdir "/lib/modules/$1/build" --work "$2"
}

expect_fail "rt kernel + non-rt i915 + no rt patch set: skipped with the remedy" 77 \
	"$KRT is PREEMPT_RT but the i915 of .* is the non-rt driver .*depends on !PREEMPT_RT.*scripts/1-source/fetch-source --kver $KRT" \
	prep "$KRT" "$T/w1" "$T/none"
check "refused rt build wrote no work tree" test -z "$(ls -d "$T"/w1* 2>/dev/null)"

if prep "$KRT" "$T/w2" "$T/rt-good" > "$T/out2" 2>&1; then
	ok "rt kernel + rt patch set: prepared"
	check "the patches outside $I/ were skipped, not applied (no kernel/ in WORK)" test ! -e "$T/w2/kernel"
	check "the prepared i915 no longer depends on !PREEMPT_RT" bash -c "! grep -q '!PREEMPT_RT' '$T/w2/$I/Kconfig'"
	check "the i915 rt patch is in the prepared source" grep -q '/\* rt \*/' "$T/w2/$I/i915_drv.h"
	check "the plan names the rt patch set" test "$(plan_value "$T/w2/plan" rt_patches)" = "$(realpath "$T/rt-good")"
	check "the module will say which rt patch set it carries (dkms_rt_patches)" \
		grep -q "I915_DKMS_RT_PATCHES \"$(realpath "$T/rt-good")\"" "$T/w2/$I/dkms/i915_dkms_build.h"
	# the rt set is an input of the plan: the same set keeps WORK, an edited one (even a
	# patch outside i915, which is not applied) prepares it anew
	i2=$(stat -c %i "$T/w2")
	prep "$KRT" "$T/w2" "$T/rt-good" > /dev/null 2>&1
	check "the same rt patch set again keeps WORK" test "$(stat -c %i "$T/w2")" = "$i2"
	echo '# edited' >> "$T/rt-good/0001-sched.patch"
	prep "$KRT" "$T/w2" "$T/rt-good" > /dev/null 2>&1
	check "an edited rt patch set re-prepares WORK" test "$(stat -c %i "$T/w2")" != "$i2"
else
	bad "rt kernel + rt patch set: prepared" "$(tail -n 3 "$T/out2" | tr '\n' ' ')"
fi

expect_fail "an rt patch touching i915 and other files is refused" 4 "0003-mixed.patch touches $I/ and other files" \
	prep "$KRT" "$T/w3" "$T/rt-mixed"
expect_fail "an rt patch set that keeps 'depends on !PREEMPT_RT' is refused" 3 "leaves i915 at 'depends on !PREEMPT_RT'" \
	prep "$KRT" "$T/w4" "$T/rt-norevert"

if [ -d "/lib/modules/$K61/build" ]; then
	if prep "$K61" "$T/w5" "$T/rt-good" > "$T/out5" 2>&1; then
		check "non-rt kernel: no rt patches applied even when a set is given" test -z "$(plan_value "$T/w5/plan" rt_patches)" -a -n "$(grep '!PREEMPT_RT' "$T/w5/$I/Kconfig")"
		check "non-rt kernel: dkms_rt_patches says none" grep -q 'I915_DKMS_RT_PATCHES "none"' "$T/w5/$I/dkms/i915_dkms_build.h"
	else
		bad "non-rt kernel: prepared" "$(tail -n 3 "$T/out5" | tr '\n' ' ')"
	fi
fi

# dkms itself skips an rt kernel whose rt patch set is not in the source cache (an empty
# cache here; dkms.conf's BUILD_EXCLUSIVE_KERNEL from scripts/5-install/dkms-target), in a sandbox
if command -v dkms >/dev/null 2>&1; then
	export I915_SOURCE_CACHE=$T/empty-cache
	P=$PKG_NAME V=$PKG_VERSION
	mkdir -p "$T/dkms" "$T/src/$P-$V" "$T/inst"
	tar -C "$PKG_TOP" --exclude=./.git --exclude=./work -cf - . | tar -C "$T/src/$P-$V" -xf -
	d=(dkms --dkmstree "$T/dkms" --sourcetree "$T/src" --installtree "$T/inst" --no-depmod)
	"${d[@]}" add -m "$P" -v "$V" > "$T/dkms.log" 2>&1
	"${d[@]}" build -m "$P" -v "$V" -k "$KRT" >> "$T/dkms.log" 2>&1; rc=$?
	check "dkms skips the rt kernel $KRT without its rt patch set (exit 77, BUILD_EXCLUSIVE), builds nothing" \
		bash -c "[ $rc -eq 77 ] && grep -q BUILD_EXCLUSIVE '$T/dkms.log' && [ ! -e '$T/dkms/$P/$V/build/work' ]"
fi
t_done
