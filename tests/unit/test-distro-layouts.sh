#!/bin/bash
# RHEL and SUSE kernel layouts, faked (no such distribution in CI):
#  - RHEL kernel-devel: KDIR=/usr/src/kernels/<kver>; when it lacks Module.symvers, the
#    kernel's symbol list is /boot/symvers-<kver>.gz: check-module checks the module's
#    undefined symbols against it, build-module gives it to modpost (KBUILD_EXTRA_SYMBOLS)
#  - SUSE: source /usr/src/linux-<ver>, KDIR /usr/src/linux-<ver>-obj/<arch>/<flavor>
#    whose Makefile is a wrapper (a comment and "include .../Makefile"; older kbuild:
#    VERSION/PATCHLEVEL and "MAKEARGS := -C ..."), the release from
#    include/config/kernel.release; kernel-devel's /usr/src/linux-<ver> (Makefiles and
#    Kconfig only) is not a source
#  - the remedy lines name the distribution's package (/etc/os-release)
#  - Ubuntu 16.04: a kernel that also ships i915_bpo (not rebuilt) is named in a note
. "$(dirname "$0")/../lib.sh"
T=$(mktemp -d)
W=work/.test-distro-layouts-$$
trap 'rm -rf "$T" "$PKG_TOP/$W"' EXIT
export I915_SOURCES_CONF=$T/etc/sources.conf I915_SOURCE_CACHE=$T/cache I915_BOOT_DIR=$T/boot
printf 'ID="rhel"\nID_LIKE="fedora"\n' > "$T/os-rhel"
printf 'ID="sles"\nID_LIKE="suse"\n' > "$T/os-suse"

# --- RHEL: kernel-devel without Module.symvers, /boot/symvers-<kver>.gz -------------------
K=5.14.0-99.dkmstest.el9.x86_64
KD=$T/usr/src/kernels/$K
mkdir -p "$KD/include/config" "$T/boot" "$PKG_TOP/$W/drivers/gpu/drm/i915"
printf 'VERSION = 5\nPATCHLEVEL = 14\nSUBLEVEL = 0\n' > "$KD/Makefile"
echo CONFIG_DRM_I915=m > "$KD/.config"
echo "$K" > "$KD/include/config/kernel.release"
printf '0x12345678\t_printk\tvmlinux\tEXPORT_SYMBOL\t\n0x9abcdef0\tdrm_dev_put\tdrivers/gpu/drm/drm\tEXPORT_SYMBOL\t\n' | gzip > "$T/boot/symvers-$K.gz"
printf '0x12345678\t_printk\tvmlinux\tEXPORT_SYMBOL\t\n' | gzip > "$T/boot/symvers-short.gz"
# a stand-in i915.ko: an ELF object with the identity a real build has and two imports
cat > "$T/m.c" <<EOF
extern void _printk(const char *, ...);
extern void drm_dev_put(void *);
void f(void) { _printk("x"); drm_dev_put(0); }
static const char mi[] __attribute__((section(".modinfo"), used)) =
	"vermagic=$K SMP mod_unload modversions \0version=1.0.0\0dkms_mode=verify\0dkms_source=5.14.0\0dkms_source_sha256=00\0dkms_generation=vm-close\0dkms_upstream_fix=e9f24d5fb7cf\0";
EOF
# the plan the stand-in was built from (check-module compares modinfo with it)
printf 'generation=vm-close\nsource_sha256=00\npackage_version=%s\n' "$(cat "$PKG_TOP/VERSION")" > "$PKG_TOP/$W/plan"
if ! gcc -c -o "$T/i915.ko" "$T/m.c" 2> "$T/gcc.err"; then
	skip "RHEL symvers checks" "gcc cannot build the stand-in module: $(head -n 1 "$T/gcc.err")"
else
	check "kernel_symvers: KDIR without Module.symvers -> /boot/symvers-<kver>.gz" \
		test "$(. "$PKG_TOP/scripts/lib.sh"; kernel_symvers "$KD" "$K")" = "$T/boot/symvers-$K.gz"
	cm() { cp "$T/i915.ko" "$PKG_TOP/$W/drivers/gpu/drm/i915/"; (cd "$PKG_TOP" && scripts/4-build/check-module --kver "$K" --kdir "$KD" --work "$W"); }
	out=$(cm 2>&1); rc=$?
	check "check-module reads /boot/symvers-<kver>.gz: every import found, symbols checked (exit $rc: $out)" \
		bash -c "[ $rc = 0 ] && grep -q 'symbols and vermagic OK' <<<'$out' && ! grep -q 'not checked' <<<'$out'"
	cp "$T/boot/symvers-short.gz" "$T/boot/symvers-$K.gz.tmp" && mv "$T/boot/symvers-$K.gz" "$T/boot/full.gz" && mv "$T/boot/symvers-$K.gz.tmp" "$T/boot/symvers-$K.gz"
	expect_fail "check-module: an import /boot/symvers-<kver>.gz lacks is refused" 1 "$K: i915.ko needs symbols kernel $K does not export: drm_dev_put" cm
	check "... and the refused module was deleted" test ! -e "$PKG_TOP/$W/drivers/gpu/drm/i915/i915.ko"
	mv "$T/boot/full.gz" "$T/boot/symvers-$K.gz"
fi
# build-module hands it to modpost: a make that records its arguments
printf '#!/bin/sh\nprintf "%%s\\n" "$@" > %s/make.args\n' "$T" > "$T/make" && chmod +x "$T/make"
(cd "$PKG_TOP" && MAKE=$T/make scripts/4-build/build-module --kver "$K" --kdir "$KD" --work "$W" -- modules) > "$T/bm.out" 2>&1
check "build-module: no Module.symvers in KDIR -> KBUILD_EXTRA_SYMBOLS= the kernel's symvers, decompressed" \
	bash -c "grep -qx 'KBUILD_EXTRA_SYMBOLS=$PKG_TOP/$W/.kernel-symvers' '$T/make.args' && cmp -s <(zcat '$T/boot/symvers-$K.gz') '$PKG_TOP/$W/.kernel-symvers'"
zcat "$T/boot/symvers-$K.gz" > "$KD/Module.symvers"
(cd "$PKG_TOP" && MAKE=$T/make scripts/4-build/build-module --kver "$K" --kdir "$KD" --work "$W" -- modules) > "$T/bm.out" 2>&1
check "build-module: KDIR's own Module.symvers -> modpost reads that one (no KBUILD_EXTRA_SYMBOLS)" \
	bash -c "! grep -q KBUILD_EXTRA_SYMBOLS '$T/make.args' && [ ! -e '$PKG_TOP/$W/.kernel-symvers' ]"

# --- SUSE: /usr/src/linux-<ver> + /usr/src/linux-<ver>-obj/<arch>/<flavor> --------------
src_tree() {   # src_tree DIR X.Y.Z: a kernel source tree with i915
	mkdir -p "$1/drivers/gpu/drm/i915"
	IFS=. read -r a b c <<<"$2"
	printf 'VERSION = %s\nPATCHLEVEL = %s\nSUBLEVEL = %s\nEXTRAVERSION =\n' "$a" "$b" "$c" > "$1/Makefile"
	echo "obj-m += i915.o" > "$1/drivers/gpu/drm/i915/Makefile"
	echo "/* $2 */" > "$1/drivers/gpu/drm/i915/i915_drv.c"
}
obj_dir() {    # obj_dir DIR RELEASE: a configured -obj build dir (Makefile written by the caller)
	mkdir -p "$1/include/config"
	echo "$2" > "$1/include/config/kernel.release"
	echo CONFIG_DRM_I915=m > "$1/.config"
}
S=$T/suse/usr/src
src_tree "$S/linux-5.14.21-150400.22" 5.14.21
obj=$S/linux-5.14.21-150400.22-obj/x86_64/default
obj_dir "$obj" 5.14.21-150400.22-default
printf '# Automatically generated by %s/linux-5.14.21-150400.22/scripts/mkmakefile: don'"'"'t edit\ninclude %s/linux-5.14.21-150400.22/Makefile\n' "$S" "$S" > "$obj/Makefile"
check "SUSE -obj dir (two-line wrapper): its version is the wrapped source's" \
	test "$(. "$PKG_TOP/scripts/lib.sh"; kdir_version "$obj")" = 5.14.21
acq() { rm -rf "$T/out"; I915_SRC_SEARCH=$S "$PKG_TOP/scripts/1-source/acquire-source" --kver "$1" --kdir "$2" --out "$T/out" 2>"$T/err" && sed -n 's/^source_path=//p' "$T/out/provenance"; }
check "SUSE: the source is /usr/src/linux-<ver>, not the -obj dir" test "$(acq 5.14.21-150400.22-default "$obj")" = "$S/linux-5.14.21-150400.22"
check "make KDIR=<SUSE -obj dir> builds for its release (include/config/kernel.release)" \
	grep -q -- '--kver "5.14.21-150400.22-default"' <<<"$(cd "$PKG_TOP" && make -s -n prepare KDIR="$obj" WORK=work/none 2>&1)"
# SLES 15 SP2's older wrapper: VERSION/PATCHLEVEL only, the source named by MAKEARGS -C
src_tree "$S/linux-5.3.18-22" 5.3.18
old=$S/linux-5.3.18-22-obj/x86_64/default
obj_dir "$old" 5.3.18-22-default
printf '# Automatically generated by %s/linux-5.3.18-22/scripts/mkmakefile: don'"'"'t edit\n\nVERSION = 5\nPATCHLEVEL = 3\n\nlastword = $(word $(words $(1)),$(1))\nmakedir := $(dir $(call lastword,$(MAKEFILE_LIST)))\n\nMAKEARGS := -C %s/linux-5.3.18-22\nMAKEARGS += O=$(if $(patsubst /%%,,$(makedir)),$(CURDIR)/)$(patsubst %%/,%%,$(makedir))\n' "$S" "$S" > "$old/Makefile"
check "SUSE -obj dir (older mkmakefile wrapper): the sublevel comes from the source it names (5.3.18, not 5.3.0)" \
	test "$(. "$PKG_TOP/scripts/lib.sh"; kdir_version "$old")" = 5.3.18
# a wrapper whose target is gone: the release it was prepared for
gone=$T/gone-obj
obj_dir "$gone" 5.14.21-150500.55-default
printf '# Automatically generated: don'"'"'t edit\ninclude /nonexistent/linux-5.14.21-150500.55/Makefile\n' > "$gone/Makefile"
check "a wrapper whose source is absent: X.Y.Z of include/config/kernel.release" \
	test "$(. "$PKG_TOP/scripts/lib.sh"; kdir_version "$gone")" = 5.14.21
# kernel-devel alone: /usr/src/linux-<ver> has i915's Makefile and Kconfig, not its sources
D=$T/develonly/usr/src
mkdir -p "$D/linux-5.14.21-150400.24/drivers/gpu/drm/i915"
printf 'VERSION = 5\nPATCHLEVEL = 14\nSUBLEVEL = 21\n' > "$D/linux-5.14.21-150400.24/Makefile"
echo "obj-m += i915.o" > "$D/linux-5.14.21-150400.24/drivers/gpu/drm/i915/Makefile"
obj2=$D/linux-5.14.21-150400.24-obj/x86_64/default
obj_dir "$obj2" 5.14.21-150400.24-default
printf '# Automatically generated: don'"'"'t edit\ninclude %s/linux-5.14.21-150400.24/Makefile\n' "$D" > "$obj2/Makefile"
I915_OS_RELEASE=$T/os-suse expect_fail "SUSE kernel-devel's tree is not a source: the remedy is zypper install kernel-source" 3 \
	"no i915 source for kernel 5.14.21-150400.24-default \(linux 5.14.21\) .*: zypper install kernel-source" \
	env I915_SRC_SEARCH="$D" "$PKG_TOP/scripts/1-source/acquire-source" --kver 5.14.21-150400.24-default --kdir "$obj2" --out "$T/out2"

# --- Ubuntu 16.04: a kernel that also ships i915_bpo (ubuntu/i915) says so ----------------
mkdir -p "$T/mods/4.4.0-999-dkmstest-generic/kernel/ubuntu/i915" "$T/mods/4.4.0-998-dkmstest-generic/kernel/drivers/gpu/drm/i915"
: > "$T/mods/4.4.0-999-dkmstest-generic/kernel/ubuntu/i915/i915_bpo.ko"
check "bpo_note: a kernel with i915_bpo.ko gets the note that i915_bpo is not rebuilt" \
	grep -q '^kernel 4.4.0-999-dkmstest-generic also has i915_bpo (ubuntu/i915), which drives Skylake/Broxton/Kaby Lake GPUs instead of i915 and is not rebuilt' \
	<<<"$(. "$PKG_TOP/scripts/lib.sh"; I915_MODULES_ROOT=$T/mods bpo_note 4.4.0-999-dkmstest-generic)"
check "bpo_note: nothing for a kernel without it" test -z "$(. "$PKG_TOP/scripts/lib.sh"; I915_MODULES_ROOT=$T/mods bpo_note 4.4.0-998-dkmstest-generic)"

# --- remedies name the distribution's package ----------------------------------------------
mkdir -p "$T/nokdir"
for os in "rhel:dnf install kernel-devel-$K" "suse:zypper install kernel-devel kernel-default-devel"; do
	name=${os%%:*} want=${os#*:}
	I915_OS_RELEASE=$T/os-$name expect_fail "no readable headers on $name: the remedy is '$want'" 3 "cannot read the kernel version of .*: install its headers \($want" \
		"$PKG_TOP/scripts/1-source/acquire-source" --kver "$([ "$name" = rhel ] && echo "$K" || echo 5.14.21-150400.22-default)" --kdir "$T/nokdir" --out "$T/out3"
done
t_done
