#!/bin/bash
# scripts/4-build/build-module: kbuild runs at paths that do not name the kernel ABI (so ccache
# serves one ABI's objects to the next), for Debian-style split headers only, without
# touching the headers, and gives the tree back whatever kbuild does.
# Uses two fake split header dirs whose "kernel Makefile" reports what kbuild would
# see: its source and object tree ($(realpath) of itself, as the kernel's does), the
# module tree it is given, and a header's content. No compiler involved.
. "$(dirname "$0")/../lib.sh"
T=$(mktemp -d)
W=work/test-build-paths
trap 'rm -rf "$T" "${PKG_TOP:?}/$W" "$PKG_TOP/.test-build-paths.o"' EXIT
cd "$PKG_TOP" || exit 1

for abi in 1 2; do
	c=$T/usr/src/linux-headers-6.1.0-$abi-common
	k=$T/usr/src/linux-headers-6.1.0-$abi-amd64
	mkdir -p "$c/include/linux" "$k/include/generated"
	# shellcheck disable=SC2016
	printf '%s\n' 'this-makefile := $(lastword $(MAKEFILE_LIST))' \
		'abs_srctree := $(realpath $(dir $(this-makefile)))' \
		'modules:' \
		'	@echo "srctree=$(abs_srctree)"' \
		'	@echo "objtree=$(CURDIR)"' \
		'	@echo "module=$(M)/$(I915_WORK)"' \
		'	@echo "header=$$(cat $(abs_srctree)/include/linux/h.h)"' \
		'	@echo "config=$$(cat include/generated/autoconf.h)"' \
		'	@echo "source=$$(cat $(M)/$(I915_WORK)/drivers/gpu/drm/i915/x.c)"' \
		'	@echo "had_object=$$(test -f $(M)/$(I915_WORK)/drivers/gpu/drm/i915/x.o && echo yes || echo no)"' \
		'	@echo "had_top_object=$$(test -f $(M)/.test-build-paths.o && echo yes || echo no)"' \
		'	@touch $(M)/$(I915_WORK)/drivers/gpu/drm/i915/x.o $(M)/.test-build-paths.o' \
		'	@$(if $(FAIL),false)' > "$c/Makefile"
	echo "same header" > "$c/include/linux/h.h"
	echo "#define CONFIG_BUILD_SALT \"6.1.0-$abi-amd64\"" > "$k/include/generated/autoconf.h"
	echo "include $c/Makefile" > "$k/Makefile"
	ln -s ../../lib/linux-kbuild-6.1/scripts "$c/scripts"
	mkdir -p "$W/$abi/drivers/gpu/drm/i915"
	echo "tree $abi" > "$W/$abi/drivers/gpu/drm/i915/x.c"
done
K1=$T/usr/src/linux-headers-6.1.0-1-amd64 K2=$T/usr/src/linux-headers-6.1.0-2-amd64
before=$(snapshot "$T/usr")
sum_before=$(cat "$K1/Makefile" "$T/usr/src/linux-headers-6.1.0-1-common/Makefile" | sha256sum)

build() {   # build ABI KDIR [ENV...] -> output of build-module in $T/out.<abi>
	local abi=$1 kdir=$2; shift 2
	env "$@" scripts/4-build/build-module --kver "6.1.0-$abi-amd64" --kdir "$kdir" --work "$W/$abi" -- modules > "$T/out.$abi" 2>&1
}
field() { sed -n "s/^$2=//p" "$T/out.$1"; }

check "ABI 1 builds through the view" build 1 "$K1"
check "ABI 2 builds through the view" build 2 "$K2"
check "both ABIs: the same source tree path (work/.kview/common, not the -common dir)" \
	test "$(field 1 srctree)" = "$PKG_TOP/work/.kview/common" -a "$(field 2 srctree)" = "$PKG_TOP/work/.kview/common"
check "both ABIs: the same object tree path (work/.kview/build)" \
	test "$(field 1 objtree)" = "$PKG_TOP/work/.kview/build" -a "$(field 2 objtree)" = "$PKG_TOP/work/.kview/build"
check "both ABIs: the same module tree path (work/.build)" \
	test "$(field 1 module)" = "$PKG_TOP/work/.build" -a "$(field 2 module)" = "$PKG_TOP/work/.build"
check "each ABI sees its own config and its own tree" \
	test "$(field 1 config)" = '#define CONFIG_BUILD_SALT "6.1.0-1-amd64"' -a "$(field 2 config)" = '#define CONFIG_BUILD_SALT "6.1.0-2-amd64"' \
	-a "$(field 1 source)" = "tree 1" -a "$(field 2 source)" = "tree 2"
check "each ABI's headers reach the compiler" test "$(field 2 header)" = "same header"
check "objects land in WORK itself" test -f "$W/1/drivers/gpu/drm/i915/x.o" -a -f "$W/2/drivers/gpu/drm/i915/x.o"
check "the headers are untouched (names, sizes, mtimes, the Makefiles' content)" \
	test "$(snapshot "$T/usr")" = "$before" -a "$(cat "$K1/Makefile" "$T/usr/src/linux-headers-6.1.0-1-common/Makefile" | sha256sum)" = "$sum_before"
check "nothing left behind (work/.kview, work/.build)" test ! -e work/.kview -a ! -L work/.build

# kbuild keeps an object whose command line is unchanged and whose inputs are older; at
# fixed paths it cannot see that the kernel changed, so build-module must
build 1 "$K1" && build 1 "$K1"
check "the same tree again for the same kernel keeps its objects (incremental)" \
	test "$(field 1 had_object)" = yes -a "$(field 1 had_top_object)" = yes
build 2 "$K2"   # ABI 2's own tree, so the package top was last built for ABI 2
env scripts/4-build/build-module --kver 6.1.0-2-amd64 --kdir "$K2" --work "$W/1" -- modules > "$T/out.1" 2>&1
check "tree 1 built for another kernel: its objects are deleted first" test "$(field 1 had_object)" = no
build 1 "$K1"
check "the package top's objects too (6.12's .module-common.o carries the vermagic)" test "$(field 1 had_top_object)" = no -a "$(field 1 had_object)" = no

build 1 "$K1" FAIL=1; rc=$?
check "a failing kbuild fails the step (exit $rc) and still cleans the view" test "$rc" -ne 0 -a ! -e work/.kview -a ! -L work/.build

check "I915_STABLE_PATHS=0 builds at the real paths" build 1 "$K1" I915_STABLE_PATHS=0
check "  ... srctree is the -common dir itself" test "$(field 1 srctree)" = "$T/usr/src/linux-headers-6.1.0-1-common" -a "$(field 1 module)" = "$PKG_TOP/$W/1"

# a full kernel tree (its Makefile is the kernel's own, not a one-line include): real paths
mkdir -p "$T/tree"
cp "$T/usr/src/linux-headers-6.1.0-1-common/Makefile" "$T/tree/Makefile"
cp -r "$K1/include" "$T/usr/src/linux-headers-6.1.0-1-common/include" "$T/tree/"
check "a full kernel tree is built at its own paths" build 1 "$T/tree"
check "  ... srctree is that tree" test "$(field 1 srctree)" = "$T/tree"

expect_fail "an absolute WORK: exit 2, says it must be below the package dir" 2 'must be a path below the package dir' \
	scripts/4-build/build-module --kver 6.1.0-1-amd64 --kdir "$K1" --work "$PKG_TOP/$W/1"
expect_fail "an unprepared WORK: exit 2, names make prepare" 2 'not a prepared tree.*make prepare' \
	scripts/4-build/build-module --kver 6.1.0-1-amd64 --kdir "$K1" --work "$W/none"
t_done
