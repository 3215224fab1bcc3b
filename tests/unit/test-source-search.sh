#!/bin/bash
# Where distributions put the kernel source, against fake layouts (no real kernel):
# Ubuntu linux-source-X.Y.Z and HWE tarballs, RHEL rpmbuild -bp trees, kernel.org trees,
# a per-kernel source set with scripts/1-source/set-source (what a dkms autoinstall reads, having no
# I915_SRC), the "not found" line naming the package of the distribution it runs on
# (/etc/os-release), and `make KDIR=<tree>` taking the release from the tree.
. "$(dirname "$0")/../lib.sh"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export I915_SOURCES_CONF=$T/etc/sources.conf I915_SOURCE_CACHE=$T/cache

# tree DIR X.Y.Z [EXTRAVERSION]: a tiny kernel tree with an i915 directory
tree() {
	mkdir -p "$1/drivers/gpu/drm/i915" "$1/drivers/platform/x86" "$1/include/config"
	IFS=. read -r a b c <<<"$2"
	printf 'VERSION = %s\nPATCHLEVEL = %s\nSUBLEVEL = %s\nEXTRAVERSION = %s\n' "$a" "$b" "$c" "${3:-}" > "$1/Makefile"
	echo "obj-m += i915.o" > "$1/drivers/gpu/drm/i915/Makefile"
	echo "/* $2 */" > "$1/drivers/gpu/drm/i915/i915_drv.c"
	echo "$2${3:-}" > "$1/include/config/kernel.release"
}
# tarball FILE X.Y.Z: the same as a tarball whose top directory is the file's name
tarball() {
	local top; top=$(basename "$1"); top=${top%%.tar*}
	tree "$T/mk/$top" "$2"; mkdir -p "$(dirname "$1")"
	tar -C "$T/mk" -cjf "$1" "$top"
}
acquire() {  # acquire KDIR [SEARCH]: prints the picked source_path
	rm -rf "$T/out"
	I915_SRC_SEARCH=${2:-$T/none} "$PKG_TOP/scripts/1-source/acquire-source" --kver "$(cat "$1/include/config/kernel.release")" --kdir "$1" --out "$T/out" 2>"$T/err" &&
		prov_get "$T/out/provenance" source_path
}
prov_get() { sed -n "s/^$2=//p" "$1" | tail -n 1; }

# Ubuntu: linux-source-4.15.0 ships /usr/src/linux-source-4.15.0/linux-source-4.15.0.tar.bz2
tree "$T/kdir-4.15" 4.15.0 -213-generic
tarball "$T/usrsrc/linux-source-4.15.0/linux-source-4.15.0.tar.bz2" 4.15.0
check "Ubuntu linux-source-X.Y.Z tarball is found" test "$(acquire "$T/kdir-4.15" "$T/usrsrc")" = "$T/usrsrc/linux-source-4.15.0/linux-source-4.15.0.tar.bz2"
# Ubuntu HWE: linux-hwe-5.4-source-5.4.0
tree "$T/kdir-5.4" 5.4.0 -150-generic
tarball "$T/usrsrc/linux-hwe-5.4-source-5.4.0/linux-hwe-5.4-source-5.4.0.tar.bz2" 5.4.0
check "Ubuntu HWE linux-hwe-X.Y-source-X.Y.Z tarball is found" test "$(acquire "$T/kdir-5.4" "$T/usrsrc")" = "$T/usrsrc/linux-hwe-5.4-source-5.4.0/linux-hwe-5.4-source-5.4.0.tar.bz2"
# RHEL: rpmbuild -bp leaves ~/rpmbuild/BUILD/kernel-<ver>/linux-<ver>.<arch>/
tree "$T/kdir-3.10" 3.10.0 -1160.el7.x86_64
tree "$T/rpmbuild/BUILD/kernel-3.10.0-1160.el7/linux-3.10.0-1160.el7.x86_64" 3.10.0
check "RHEL rpmbuild -bp tree is found" test "$(acquire "$T/kdir-3.10" "$T/rpmbuild/BUILD")" = "$T/rpmbuild/BUILD/kernel-3.10.0-1160.el7/linux-3.10.0-1160.el7.x86_64"
# kernel.org tree unpacked in /usr/src
tree "$T/kdir-4.1" 4.1.52
tree "$T/usrsrc/linux-4.1.52" 4.1.52
check "kernel.org tree /usr/src/linux-X.Y.Z is found" test "$(acquire "$T/kdir-4.1" "$T/usrsrc")" = "$T/usrsrc/linux-4.1.52"

# set-source: a tree elsewhere, kept per kernel for dkms (no I915_SRC in its environment)
tree "$T/home/dev/my kernel" 4.2.8
tree "$T/kdir-4.2" 4.2.8 -ckt1
check "set-source records a source for 4.2.8-ckt1" "$PKG_TOP/scripts/1-source/set-source" --kver 4.2.8-ckt1 "$T/home/dev/my kernel"
check "acquire-source takes the set source without I915_SRC (a path with a space)" test "$(acquire "$T/kdir-4.2")" = "$T/home/dev/my kernel"
check "a glob pattern matches later releases" "$PKG_TOP/scripts/1-source/set-source" --kver '4.2.8-*' "$T/home/dev/my kernel"
check "the sources file is data: a path with \$(cmd) is not run" sh -c "mkdir -p '$T/x\$(touch $T/pwned)' && cp -r '$T/home/dev/my kernel/.' '$T/x\$(touch $T/pwned)/' && '$PKG_TOP/scripts/1-source/set-source' --kver 4.2.8-ckt1 '$T/x\$(touch $T/pwned)' 2>/dev/null && test ! -e $T/pwned"
acquire "$T/kdir-4.2" > /dev/null
check "... and acquire-source reading it runs nothing either" test ! -e "$T/pwned"
check "set-source --remove forgets it" "$PKG_TOP/scripts/1-source/set-source" --kver 4.2.8-ckt1 --remove
check "set-source --list shows what is left" test "$("$PKG_TOP/scripts/1-source/set-source" --list)" = "4.2.8-* $T/home/dev/my kernel"
conf_before=$(snapshot "$T/etc")
expect_fail "set-source refuses a directory that is not a kernel tree" 3 'is not a kernel tree' "$PKG_TOP/scripts/1-source/set-source" --kver 4.2.8 "$T"
expect_fail "set-source names a path that does not exist" 3 "^set-source: error: $T/nowhere does not exist" "$PKG_TOP/scripts/1-source/set-source" --kver 4.2.8 "$T/nowhere"
check "... and the refusals changed nothing" test "$(snapshot "$T/etc")" = "$conf_before"
"$PKG_TOP/scripts/1-source/set-source" --kver '4.2.8-*' --remove 2>/dev/null

# not found: the remedy names the package of the distribution it runs on
for os in "debian:ID=debian:apt-get install linux-source-4.15" \
          "ubuntu:ID=ubuntu@ID_LIKE=debian:apt-get install linux-source-4.15.0 .*linux-hwe-4.15-source-4.15.0" \
          "rhel:ID=\"rhel\"@ID_LIKE=\"fedora\":install the kernel source RPM of 4.15.0-213-generic and run rpmbuild -bp" \
          "suse:ID=\"sles\"@ID_LIKE=\"suse\":zypper install kernel-source"; do
	IFS=: read -r name lines want <<<"$os"
	tr '@' '\n' <<<"$lines" > "$T/os-release-$name"
	I915_OS_RELEASE=$T/os-release-$name expect_fail "no source on $name: the remedy is '$want'" 3 "no i915 source for kernel 4.15.0-213-generic .*: $want" \
		env I915_SRC_SEARCH="$T/none" "$PKG_TOP/scripts/1-source/acquire-source" --kver 4.15.0-213-generic --kdir "$T/kdir-4.15" --out "$T/out"
done

# no kernel with headers at all (an empty /lib/modules in a private mount namespace)
if [ "$(id -u)" -eq 0 ] && command -v unshare >/dev/null; then
	mkdir -p "$T/nomods"
	expect_fail "no kernel headers: default-kernel says so in one line with the remedy" 3 \
		"no installed kernel headers with CONFIG_DRM_I915 .*: apt-get install linux-headers-" \
		unshare -m sh -c "mount --bind '$T/nomods' /usr/lib/modules && exec '$PKG_TOP/scripts/4-build/default-kernel'"
fi

# make KDIR=<tree> without KVER: the release of the tree
check "make KDIR=<tree> builds for the tree's release (no KVER)" \
	grep -q -- '--kver "4.1.52"' <<<"$(cd "$PKG_TOP" && make -s -n prepare KDIR="$T/kdir-4.1" WORK=work/none 2>&1)"
rm -f "$T/kdir-4.1/include/config/kernel.release"
expect_fail "make KDIR=<unprepared tree>: one line naming modules_prepare (make's exit 2)" 2 'no include/config/kernel.release.*modules_prepare' \
	make -s -C "$PKG_TOP" prepare KDIR="$T/kdir-4.1" WORK=work/none
t_done
