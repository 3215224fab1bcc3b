#!/bin/bash
# scripts/dkms-target: the per-kernel answers dkms.conf gets (module list, BUILD_EXCLUSIVE_KERNEL,
# reason), against fake kernel build dirs: kvmgt exactly where the kernel builds it (never
# required on 3.18-4.9 kernels, which have no kvmgt), no i915 and PREEMPT_RT without its rt
# set skipped (the regex matches no release), everything else served; then the real
# dkms.conf read by the dkms of this machine in a sandboxed dkms tree, building a stub
# package for a kernel with kvmgt, one without, and one without i915.
. "$(dirname "$0")/../lib.sh"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export I915_SOURCE_CACHE=$T/cache I915_SOURCES_CONF=$T/sources.conf
dt() { "$PKG_TOP/scripts/dkms-target" "$@"; }

# fake KDIR: fake NAME CONFIG_LINES...
fake() {
	local d=$T/k/$1; shift
	mkdir -p "$d/include/config"
	printf '%s\n' "$@" > "$d/.config"
	echo "$(basename "$d")" > "$d/include/config/kernel.release"
	echo "$d"
}
matches() { [[ $1 =~ $2 ]]; }

kv=$(fake 6.1.0-56-amd64 CONFIG_DRM_I915=m CONFIG_DRM_I915_GVT_KVMGT=m)
old=$(fake 4.1.52 CONFIG_DRM_I915=m)
nogvt=$(fake 5.14.0-70.el9.x86_64 CONFIG_DRM_I915=m CONFIG_DRM_I915_GVT=y)
cloud=$(fake 6.1.0-56-cloud-amd64 CONFIG_DRM=m)
rt=$(fake 6.1.0-47-rt-amd64 CONFIG_DRM_I915=m CONFIG_PREEMPT_RT=y)
plus=$(fake 6.12.117+deb12-amd64 CONFIG_DRM_I915=m CONFIG_DRM_I915_GVT_KVMGT=m)

check "modules: i915 and kvmgt where the kernel builds kvmgt (=m)" test "$(dt --kver 6.1.0-56-amd64 --kdir "$kv" modules)" = "i915 kvmgt"
check "modules: i915 alone on a 4.1 kernel (no kvmgt before 4.10)" test "$(dt --kver 4.1.52 --kdir "$old" modules)" = "i915"
check "modules: i915 alone where GVT is on but kvmgt is not (RHEL 9 shape)" test "$(dt --kver 5.14.0-70.el9.x86_64 --kdir "$nogvt" modules)" = "i915"
check "modules without a kernel (dkms add, status): i915" test "$(dt modules)" = "i915"

for k in "6.1.0-56-amd64 $kv" "4.1.52 $old" "6.12.117+deb12-amd64 $plus"; do
	set -- $k
	re=$(dt --kver "$1" --kdir "$2" exclusive)
	check "exclusive: $1 is served (BUILD_EXCLUSIVE_KERNEL '$re' matches it)" matches "$1" "$re"
	check "reason: $1 serve" test "$(dt --kver "$1" --kdir "$2" reason)" = serve
done
re=$(dt --kver 6.12.117+deb12-amd64 --kdir "$plus" exclusive)
check "exclusive: the release is matched literally ('+' and '.' escaped)" test "$(matches 6.12.117deb12-amd64 "$re" && echo y)" = ""
check "exclusive: without a kernel every release matches" test "$(dt exclusive)" = '.*'

re=$(dt --kver 6.1.0-56-cloud-amd64 --kdir "$cloud" exclusive)
check "exclusive: a kernel without i915 is skipped (regex matches no release)" test "$(matches 6.1.0-56-cloud-amd64 "$re" && echo y)" = ""
check "reason: a kernel without i915 says why" grep -q '^skip: kernel 6.1.0-56-cloud-amd64 is built without CONFIG_DRM_I915' <<<"$(dt --kver 6.1.0-56-cloud-amd64 --kdir "$cloud" reason)"
re=$(dt --kver 6.1.0-47-rt-amd64 --kdir "$rt" exclusive)
check "exclusive: PREEMPT_RT without its rt patch set is skipped" test "$(matches 6.1.0-47-rt-amd64 "$re" && echo y)" = ""
check "reason: PREEMPT_RT names fetch-source as the remedy" grep -q 'scripts/fetch-source --kver 6.1.0-47-rt-amd64' <<<"$(dt --kver 6.1.0-47-rt-amd64 --kdir "$rt" reason)"
mkdir -p "$T/cache/patches-rt/6.1.0-47-rt-amd64" && echo x.patch > "$T/cache/patches-rt/6.1.0-47-rt-amd64/series"
re=$(dt --kver 6.1.0-47-rt-amd64 --kdir "$rt" exclusive)
check "exclusive: PREEMPT_RT with its rt patch set in the cache is served" matches 6.1.0-47-rt-amd64 "$re"
check "never fails: a broken call still exits 0 (dkms.conf reads its output)" dt --kver x --kdir /nonexistent bogus-query 2>/dev/null
t_done
