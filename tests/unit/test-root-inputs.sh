#!/bin/bash
# Root builds a kernel driver: nothing another user can write reaches it (issue 21).
# Fake kernels and sources only (versions 9.99.x: never a real kernel's), taken through
# root's rules (I915_AS_ROOT=1, which only makes a run stricter):
#   a tree planted in a user's HOME (rpmbuild/BUILD) is not searched; a source tree or
#   tarball owned by another user, or group/world-writable, and a sources.conf another
#   user can write are refused with one line (I915_SRC_TRUST_OWNER=1 vouches for it);
#   ccache's directory for a root build is the package's own (0700), never the user's;
#   an `#include "../../../.."` copies nothing from outside the source; a tar member named
#   like an option (--to-command=...) is a name, never an option.
. "$(dirname "$0")/../lib.sh"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export I915_SOURCES_CONF=$T/etc/sources.conf I915_SOURCE_CACHE=$T/cache I915_AS_ROOT=1
unset I915_SRC I915_SRC_TRUST_OWNER
[ "$(id -u)" = 0 ] || { skip "root's inputs" "needs root (chown of the fake sources)"; exit 0; }
nobody=$(id -u nobody 2>/dev/null || echo 65534)

tree() {   # tree DIR X.Y.Z: a tiny kernel tree with an i915 directory
	mkdir -p "$1/drivers/gpu/drm/i915" "$1/drivers/platform/x86" "$1/include/config"
	IFS=. read -r a b c <<<"$2"
	printf 'VERSION = %s\nPATCHLEVEL = %s\nSUBLEVEL = %s\nEXTRAVERSION =\n' "$a" "$b" "$c" > "$1/Makefile"
	echo "obj-m += i915.o" > "$1/drivers/gpu/drm/i915/Makefile"
	echo "/* $2 */" > "$1/drivers/gpu/drm/i915/i915_drv.c"
	echo "$2" > "$1/include/config/kernel.release"
}
acq() {   # acq KDIR OUT [ARGS...]: acquire-source for the kernel of KDIR, stderr in $T/err
	local k=$1 o=$2; shift 2
	rm -rf "$o"
	"$PKG_TOP/scripts/1-source/acquire-source" --kver "$(cat "$k/include/config/kernel.release")" --kdir "$k" --out "$o" "$@" 2>"$T/err"
}
acq_e() {   # acq_e KDIR OUT [ARGS...]: the same, stderr as it is (for expect_fail)
	local k=$1 o=$2; shift 2
	rm -rf "$o"
	"$PKG_TOP/scripts/1-source/acquire-source" --kver "$(cat "$k/include/config/kernel.release")" --kdir "$k" --out "$o" "$@"
}
prov() { sed -n "s/^$2=//p" "$1/provenance" 2>/dev/null | tail -n 1; }

# --- 1. a user's HOME is not root's search -----------------------------------------------
tree "$T/kdir" 9.99.1
tree "$T/home/rpmbuild/BUILD/kernel-9.99.1/linux-9.99.1" 9.99.1
chown -R "$nobody" "$T/home"
out=$(cd "$T" && HOME=$T/home "$PKG_TOP/scripts/1-source/acquire-source" --which --kver 9.99.1 --kdir "$T/kdir" 2>"$T/err")
rc=$?
if [ $rc -ne 0 ] && [ -z "$out" ]; then ok "a tree planted in the user's \$HOME/rpmbuild/BUILD is not root's source (exit $rc)"
else bad "a tree planted in the user's \$HOME/rpmbuild/BUILD is not root's source" "exit $rc, picked: $out"; fi

# --- 2. sources another user can write: refused, with one line naming them -----------------
tree "$T/src/user-tree" 9.99.1
chown -R "$nobody" "$T/src/user-tree"
expect_fail "a tree owned by another user is refused (I915_SRC)" 3 "refusing the i915 source $T/src/user-tree: .* user other than root .*I915_SRC_TRUST_OWNER=1" \
	acq_e "$T/kdir" "$T/out" --src "$T/src/user-tree"
tree "$T/src/gw-tree" 9.99.1
chmod g+w "$T/src/gw-tree/drivers/gpu/drm/i915/i915_drv.c"
expect_fail "a root tree with a group-writable driver file is refused" 3 "refusing the i915 source $T/src/gw-tree: $T/src/gw-tree/drivers/gpu/drm/i915/i915_drv.c can be written" \
	acq_e "$T/kdir" "$T/out" --src "$T/src/gw-tree"
# the build's path (prepare-tree: decide, then acquire-source) says the same, in one line
echo CONFIG_DRM_I915=m > "$T/kdir/.config"
expect_fail "make's prepare step refuses the group-writable tree with the same line" 3 "refusing the i915 source $T/src/gw-tree: $T/src/gw-tree/drivers/gpu/drm/i915/i915_drv.c can be written" \
	env I915_DESIGN_CACHE="$T/design-cache" "$PKG_TOP/scripts/4-build/prepare-tree" --kver 9.99.1 --kdir "$T/kdir" --work work/test-root-inputs --src "$T/src/gw-tree"
tree "$T/mk/linux-9.99.1" 9.99.1
tar -C "$T/mk" -cjf "$T/src/linux-9.99.1.tar.bz2" linux-9.99.1
chmod o+w "$T/src/linux-9.99.1.tar.bz2"
expect_fail "a world-writable tarball is refused" 3 "refusing the i915 source $T/src/linux-9.99.1.tar.bz2" \
	acq_e "$T/kdir" "$T/out" --src "$T/src/linux-9.99.1.tar.bz2"
mkdir -p "$T/search"; cp -a "$T/src/user-tree" "$T/search/linux-9.99.1"
expect_fail "a searched tree owned by another user is refused, not used" 3 "refusing the i915 source $T/search/linux-9.99.1" \
	env I915_SRC_SEARCH="$T/search" "$PKG_TOP/scripts/1-source/acquire-source" --which --kver 9.99.1 --kdir "$T/kdir"
mkdir -p "$T/userdir"; chown "$nobody" "$T/userdir"; tree "$T/userdir/linux-9.99.1" 9.99.1
expect_fail "a root tree inside another user's directory is refused" 3 "refusing the i915 source $T/userdir/linux-9.99.1: $T/userdir can be written" \
	acq_e "$T/kdir" "$T/out" --src "$T/userdir/linux-9.99.1"
if acq "$T/kdir" "$T/out" --src "$T/src/user-tree" </dev/null 2>/dev/null; [ $? -ne 0 ] &&
   I915_SRC_TRUST_OWNER=1 acq "$T/kdir" "$T/out" --src "$T/src/user-tree" && [ "$(prov "$T/out" source_path)" = "$T/src/user-tree" ]; then
	ok "I915_SRC_TRUST_OWNER=1 vouches for a user's tree"
else bad "I915_SRC_TRUST_OWNER=1 vouches for a user's tree" "$(tail -n 2 "$T/err")"; fi
tree "$T/src/root-tree" 9.99.1
mkdir -p "$T/etc"; printf '9.99.1 %s\n' "$T/src/root-tree" > "$I915_SOURCES_CONF"; chmod 666 "$I915_SOURCES_CONF"
expect_fail "a sources.conf another user can write is refused" 3 "refusing the source settings $I915_SOURCES_CONF" \
	acq_e "$T/kdir" "$T/out"
chmod 644 "$I915_SOURCES_CONF"
check "a root-owned source and sources.conf are used" bash -c "$(declare -f acq prov); T='$T' PKG_TOP='$PKG_TOP'; acq '$T/kdir' '$T/out' && test \"\$(prov '$T/out' source_path)\" = '$T/src/root-tree'"
rm -f "$I915_SOURCES_CONF"
printf '9.99.* verify\n' > "$T/etc/modes.conf"; chmod 622 "$T/etc/modes.conf"
lookup() { (. "$PKG_TOP/scripts/lib.sh" && conf_lookup "$T/etc/modes.conf" 9.99.1) 2>/dev/null; }
check "a settings file another user can write is not read by root (conf_lookup: the default applies)" test -z "$(lookup)"
chmod 644 "$T/etc/modes.conf"
check "... a root-owned 0644 one is" test "$(lookup)" = "9.99.* verify"

# --- 3. ccache: root's cache is the package's, never the user's ----------------------------
mkdir -p "$T/pkg/work/x/drivers/gpu/drm/i915" "$T/k2"
cp -a "$PKG_TOP/scripts" "$PKG_TOP/VERSION" "$T/pkg/"
printf '#!/bin/bash\necho "CCACHE_DIR=${CCACHE_DIR:-} USE=${DEBIAN_KERNEL_USE_CCACHE:-} PREFIX=${CCACHE_PREFIX:-}"\n' > "$T/fakemake"
chmod +x "$T/fakemake"; echo 'all:' > "$T/k2/Makefile"
mkdir -p "$T/home/.ccache"; chown "$nobody" "$T/home/.ccache"
got=$(cd "$T" && umask 000 && HOME=$T/home CCACHE_DIR=$T/home/.ccache CCACHE_PREFIX="$T/evil" DEBIAN_KERNEL_USE_CCACHE=1 \
	MAKE=$T/fakemake I915_CCACHE_DIR=$T/var/cache/ccache "$T/pkg/scripts/4-build/build-module" --kver 9.99.1 --kdir "$T/k2" --work work/x 2>&1)
if [ "$got" = "CCACHE_DIR=$T/var/cache/ccache USE=1 PREFIX=" ] && [ "$(stat -c '%a %u' "$T/var/cache/ccache")" = "700 0" ]; then
	ok "a root build uses the package's own ccache directory (0700, root), not the user's, and none of the user's CCACHE_ settings"
else bad "a root build uses the package's own ccache directory" "got: $got; mode: $(stat -c '%a %u' "$T/var/cache/ccache" 2>&1)"; fi
mkdir -p "$T/var/cache/bad"; chown "$nobody" "$T/var/cache/bad"
got=$(cd "$T" && DEBIAN_KERNEL_USE_CCACHE=1 MAKE=$T/fakemake I915_CCACHE_DIR=$T/var/cache/bad "$T/pkg/scripts/4-build/build-module" --kver 9.99.1 --kdir "$T/k2" --work work/x 2>/dev/null)
check "a ccache directory another user owns turns ccache off for root" test "$got" = "CCACHE_DIR= USE= PREFIX="

# --- 5. an include that leaves the source; a tar member named like an option -------------------
tree "$T/src/inc-tree" 9.99.1
mkdir -p "$T/secret"; echo "root only" > "$T/secret/key.h"
rel=$(realpath -m --relative-to="$T/src/inc-tree/drivers/gpu/drm/i915" "$T/secret/key.h")
printf '#include "%s"\n' "$rel" >> "$T/src/inc-tree/drivers/gpu/drm/i915/i915_drv.c"
acq "$T/kdir" "$T/out" --src "$T/src/inc-tree"; rc=$?
if [ $rc -eq 3 ] && grep -q 'outside the kernel source' "$T/err" && ! grep -rqs "root only" "$T/out"; then
	ok "an #include \"../../../..\" out of the source is refused, nothing copied (exit 3)"
else bad "an #include \"../../../..\" out of the source is refused" "exit $rc: $(tail -n 1 "$T/err"); copied: $(grep -rls 'root only' "$T/out" 2>/dev/null)"; fi

evil='--checkpoint-action=exec=pwn'
tree "$T/mk2/$evil" 9.99.1
head -c 300000 /dev/urandom > "$T/mk2/$evil/drivers/gpu/drm/i915/blob"   # enough records for tar's checkpoints
tar -C "$T/mk2" -cjf "$T/src/evil.tar.bz2" -- "$evil"
mkdir -p "$T/run/pwn"; printf '#!/bin/sh\ntouch "%s/pwned"\n' "$T" > "$T/run/pwn/Makefile"; chmod +x "$T/run/pwn/Makefile"
rm -rf "$T/out"
(cd "$T/run" && "$PKG_TOP/scripts/1-source/acquire-source" --kver 9.99.1 --kdir "$T/kdir" --out "$T/out" --src "$T/src/evil.tar.bz2" >/dev/null 2>"$T/err"); rc=$?
if [ ! -e "$T/pwned" ] && [ $rc -eq 0 ] && [ "$(prov "$T/out" source_version)" = 9.99.1 ] && [ -f "$T/out/drivers/gpu/drm/i915/blob" ]; then
	ok "a tar member named '$evil/...' is read as a name (the source is used), never as tar's option (nothing run)"
else bad "a tar member named like an option is a name, never tar's option" "exit $rc ($(tail -n 1 "$T/err")); run: $(ls "$T/pwned" 2>/dev/null)"; fi

t_done
