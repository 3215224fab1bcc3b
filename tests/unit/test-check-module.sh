#!/bin/bash
# scripts/4-build/check-module against fake modules (ELF objects whose .modinfo carries the
# fields; no kernel code compiled, no Module.symvers so symbols are not checked): a module
# whose identity is WORK/plan's passes; one whose design, source sha256 or version is not
# the plan's (a stale build) is refused with one line and deleted, as is one built for
# another kernel.
. "$(dirname "$0")/../lib.sh"
command -v gcc >/dev/null 2>&1 && command -v modinfo >/dev/null 2>&1 ||
	{ skip "check-module" "needs gcc and kmod"; exit 0; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
K=6.1.0-99-amd64
VER=$(cat "$PKG_TOP/VERSION")
sha=$(printf '%064d' 1)
mkdir -p "$T/kdir"
echo CONFIG_DRM_I915=m > "$T/kdir/.config"
mkmod() {   # mkmod WORK FIELD=VALUE...: WORK/drivers/gpu/drm/i915/i915.ko
	local w=$1 f; shift
	mkdir -p "$w/drivers/gpu/drm/i915"
	{
		printf 'static const char mi[] __attribute__((section(".modinfo"), used, aligned(1))) =\n'
		for f in "$@"; do printf '\t"%s\\0"\n' "$f"; done
		printf '\t;\n'
	} > "$T/m.c"
	gcc -c -o "$w/drivers/gpu/drm/i915/i915.ko" "$T/m.c"
	printf 'kver=%s\ngeneration=vm-release\nsource_sha256=%s\npackage_version=%s\n' "$K" "$sha" "$VER" > "$w/plan"
}
fields() {   # the identity of a module built from the plan, with one field overridden
	local gen=vm-release s=$sha v=$VER vm=$K
	case ${1:-} in gen=*) gen=${1#*=} ;; sha=*) s=${1#*=} ;; ver=*) v=${1#*=} ;; vm=*) vm=${1#*=} ;; esac
	echo "version=$v" "dkms_mode=verify" "dkms_generation=$gen" "dkms_source=6.1.192" \
		"dkms_source_sha256=$s" "dkms_upstream_fix=e9f24d5fb7cf x" "vermagic=$vm SMP preempt mod_unload "
}
cm() { "$PKG_TOP/scripts/4-build/check-module" --kver "$K" --kdir "$T/kdir" --work "$1"; }

# shellcheck disable=SC2046
mkmod "$T/ok" $(fields)
check "the planned module passes" bash -c "$(declare -f cm); K=$K T=$T PKG_TOP=$PKG_TOP cm $T/ok 2>/dev/null"
# shellcheck disable=SC2046
mkmod "$T/gen" $(fields gen=vm-close)
expect_fail "another design than the plan's: refused" 1 "says dkms_generation=vm-close but .*/plan says generation=vm-release: a stale build" cm "$T/gen"
check "... and the module is deleted" test ! -e "$T/gen/drivers/gpu/drm/i915/i915.ko"
# shellcheck disable=SC2046
mkmod "$T/sha" $(fields sha=$(printf '%064d' 2))
expect_fail "another source than the plan's: refused" 1 "says dkms_source_sha256=0+2 but .*plan says source_sha256=0+1" cm "$T/sha"
# shellcheck disable=SC2046
mkmod "$T/ver" $(fields ver=0.9)
expect_fail "another package version than the plan's: refused" 1 "says version=0.9 but .*plan says package_version=$VER" cm "$T/ver"
# shellcheck disable=SC2046
mkmod "$T/vm" $(fields vm=6.1.0-98-amd64)
expect_fail "vermagic of another kernel: refused" 1 "has vermagic '6.1.0-98-amd64', not '$K'" cm "$T/vm"
t_done
