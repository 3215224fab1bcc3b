#!/bin/bash
# Bad input: each case must give one clear 'error:' line naming the problem and the
# remedy, the documented exit code, and change nothing (work tree, /lib/modules,
# dkms tree). None of these cases compiles anything.
. "$(dirname "$0")/../lib.sh"
K61=${TEST_KERNEL_61:-6.1.0-56-amd64}
K612=${TEST_KERNEL_612:-6.12.117+deb12-amd64}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cd "$PKG_TOP" || exit 1

[ -d "/lib/modules/$K61/build" ] || { skip "bad input" "headers of $K61 not installed (tests/deps installs them)"; exit 0; }

system_before=$(snapshot "/lib/modules/$K61" "/lib/modules/$K612" /var/lib/dkms /boot)

# --- acquisition ------------------------------------------------------------------------
mkdir -p "$T/empty"
expect_fail "missing source names the package to install" 3 "apt-get install linux-source-6\.1" \
	env I915_SRC_SEARCH="$T/empty" scripts/1-source/acquire-source --kver "$K61" --kdir "/lib/modules/$K61/build" --out "$T/o1"
check "missing source left no output" test ! -e "$T/o1/provenance"

expect_fail "source of another series is refused" 3 "not of the 6\.1 series.*linux-source-6\.1" \
	scripts/1-source/acquire-source --kver "$K61" --kdir "/lib/modules/$K61/build" --out "$T/o2" --src /usr/src/linux-source-6.12.tar.xz

head -c 40000000 /usr/src/linux-source-6.1.tar.xz > "$T/linux-source-6.1.tar.xz"
expect_fail "truncated tarball is refused" 3 "corrupt or truncated" \
	scripts/1-source/acquire-source --kver "$K61" --kdir "/lib/modules/$K61/build" --out "$T/o3" --src "$T/linux-source-6.1.tar.xz"

# cut after the members the build needs (Makefile, i915, platform/x86 end before 70% of the
# stream): the extraction stops after them and never reads the rest (lib.sh tar_extract)
mkdir -p "$T/tail" && head -c 120000000 /usr/src/linux-source-6.1.tar.xz > "$T/tail/linux-source-6.1.tar.xz"
out=$(scripts/1-source/acquire-source --kver "$K61" --kdir "/lib/modules/$K61/build" --out "$T/o3b" --src "$T/tail/linux-source-6.1.tar.xz" 2>&1)
check "a tarball cut off after the i915 members still gives the source (the rest is never decompressed)" \
	test -f "$T/o3b/drivers/gpu/drm/i915/i915_gem.c" -a -f "$T/o3b/drivers/platform/x86/intel_ips.h" -a -f "$T/o3b/provenance"
[ -f "$T/o3b/provenance" ] || printf '  %s\n' "$out"
rm -rf "$T/tail" "$T/o3b"

head -c 100000 /dev/urandom > "$T/garbage.tar.xz"
expect_fail "corrupt tarball is refused" 3 "corrupt or truncated" \
	scripts/1-source/acquire-source --kver "$K61" --kdir "/lib/modules/$K61/build" --out "$T/o4" --src "$T/garbage.tar.xz"

expect_fail "I915_SRC that does not exist" 3 "does not exist" \
	scripts/1-source/acquire-source --kver "$K61" --kdir "/lib/modules/$K61/build" --out "$T/o5" --src "$T/nowhere"

expect_fail "fetch-source for a kernel without a headers package names the package" 3 "no installed package linux-headers-6\.1\.0-99-amd64: apt-get install" \
	env I915_SOURCE_CACHE="$T/cache" scripts/1-source/fetch-source --kver 6.1.0-99-amd64
check "fetch-source refusal created no cache" test ! -e "$T/cache"

# --- the build entry point -----------------------------------------------------------------
# (make itself exits 2 when a recipe fails; the script's own code, 3, is in its line)
expect_fail "missing headers names the package" 2 "apt-get install linux-headers-6\.1\.0-99-amd64" \
	make -s KVER=6.1.0-99-amd64 WORK="$T/w-missing"
check "missing headers created no work tree" test ! -e "$T/w-missing"

mkdir -p "$T/kdir-noi915"
printf 'VERSION = 6\nPATCHLEVEL = 1\nSUBLEVEL = 192\n' > "$T/kdir-noi915/Makefile"
printf 'CONFIG_DRM=m\n# CONFIG_DRM_I915 is not set\n' > "$T/kdir-noi915/.config"
expect_fail "kernel without CONFIG_DRM_I915 is skipped with 77" 77 "without CONFIG_DRM_I915.*skipped" \
	scripts/4-build/prepare-tree --kver 6.1.0-56-cloud-amd64 --kdir "$T/kdir-noi915" --work "$T/w-noi915"

# A patch that does not apply: one hunk of the real series broken, against the real source.
# An existing prepared work tree must survive untouched.
cp -a patches "$T/patches"
sed -i 's/^ \t\tstruct drm_i915_gem_object \*obj = vma->obj;$/ \t\tstruct drm_i915_gem_object *obj = vma->object_that_does_not_exist;/' \
	"$T/patches/vm-release/0002-drm-i915-gtt-count-vm-reclaim.patch"
mkdir -p "$T/w-patch" && echo keep > "$T/w-patch/.prepared" && before=$(snapshot "$T/w-patch")
expect_fail "patch that does not apply: the decision skips the kernel (77), naming the patch, file and hunk" 77 "kernel $K61: verify mode was asked for, but the vm-release series does not apply to the i915 of .* \(vm-release/0002-drm-i915-gtt-count-vm-reclaim\.patch: drivers/gpu/drm/i915/gt/intel_gtt\.c hunk #[0-9]+ at line [0-9]+.*\); skipped, the stock i915 stays: report it with this line" \
	env I915_PATCH_DIR="$T/patches" scripts/4-build/prepare-tree --kver "$K61" --kdir "/lib/modules/$K61/build" --work "$T/w-patch"
check "failed patch left the existing work tree as it was" test "$(snapshot "$T/w-patch")" = "$before"
check "failed patch left no staging directory" test -z "$(ls -d "$T"/w-patch.stage.* 2>/dev/null)"

# A compat patch whose header does not say when it applies (developer error): named, and
# nothing prepared.
cp -a patches "$T/patches-cp"
sed -i '/^I915-DKMS-When-Source-Has:/d' "$T/patches-cp/compat/fbdev-client-restore-force.patch"
expect_fail "compat patch without its When-Source-Has line is named" 3 "fbdev-client-restore-force\.patch needs one I915-DKMS-When-Missing: or I915-DKMS-When-Present: .* and one I915-DKMS-When-Source-Has: .* line in its header" \
	env I915_PATCH_DIR="$T/patches-cp" scripts/4-build/prepare-tree --kver "$K61" --kdir "/lib/modules/$K61/build" --work "$T/w-cp"
check "bad compat patch left no work tree and no staging directory" test ! -e "$T/w-cp" -a -z "$(ls -d "$T"/w-cp.stage.* 2>/dev/null)"

# --- install without root ----------------------------------------------------------------------
if command -v setpriv >/dev/null; then
	expect_fail "install as non-root is refused" 1 "needs root.*sudo make install" \
		setpriv --reuid=65534 --regid=65534 --clear-groups scripts/5-install/setup --no-deps
else
	skip "install as non-root is refused" "setpriv (util-linux) missing"
fi

check "bad input changed nothing in /lib/modules, /var/lib/dkms or /boot" \
	test "$(snapshot "/lib/modules/$K61" "/lib/modules/$K612" /var/lib/dkms /boot)" = "$system_before"
t_done
