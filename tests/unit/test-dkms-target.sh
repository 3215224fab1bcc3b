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
boot_before=$(snapshot /boot)

# fake KDIR: fake NAME CONFIG_LINES...
fake() {
	local d=$T/k/$1; shift
	mkdir -p "$d/include/config"
	printf '%s\n' "$@" > "$d/.config"
	echo "$(basename "$d")" > "$d/include/config/kernel.release"
	echo "$d"
}
matches() { [[ $1 =~ $2 ]]; }

kv=$(fake 6.1.0-99-dkmstest-amd64 CONFIG_DRM_I915=m CONFIG_DRM_I915_GVT_KVMGT=m)
old=$(fake 4.1.99-dkmstest CONFIG_DRM_I915=m)
nogvt=$(fake 5.14.0-99.dkmstest.el9.x86_64 CONFIG_DRM_I915=m CONFIG_DRM_I915_GVT=y)
cloud=$(fake 6.1.0-99-dkmstest-cloud-amd64 CONFIG_DRM=m)
rt=$(fake 6.1.0-99-dkmstest-rt-amd64 CONFIG_DRM_I915=m CONFIG_PREEMPT_RT=y)
plus=$(fake 6.12.999+dkmstest-amd64 CONFIG_DRM_I915=m CONFIG_DRM_I915_GVT_KVMGT=m)

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
check "reason: PREEMPT_RT names fetch-source as the remedy" grep -q 'scripts/fetch-source --kver 6.1.0-99-dkmstest-rt-amd64' <<<"$(dt --kver 6.1.0-99-dkmstest-rt-amd64 --kdir "$rt" reason)"
mkdir -p "$T/cache/patches-rt/6.1.0-99-dkmstest-rt-amd64" && echo x.patch > "$T/cache/patches-rt/6.1.0-99-dkmstest-rt-amd64/series"
re=$(dt --kver 6.1.0-99-dkmstest-rt-amd64 --kdir "$rt" exclusive)
check "exclusive: PREEMPT_RT with its rt patch set in the cache is served" matches 6.1.0-99-dkmstest-rt-amd64 "$re"
check "never fails: a broken call still exits 0 (dkms.conf reads its output)" dt --kver x --kdir /nonexistent bogus-query 2>/dev/null

# --- the real dkms.conf, read by real dkms (this machine's; DKMS_VERSIONS="path/to/dkms ..."
# adds others, e.g. 2.2.0.3 / 2.8.7 / 3.4.x scripts prepared as in docs/legacy-kernels.md),
# in sandboxed trees, with a stub build that leaves what the real one does: i915.ko, and
# kvmgt.ko where the kernel's config builds it
sandbox_dkms() {   # sandbox_dkms DKMS LABEL
	local dkms=$1 label=$2 S k kv rc v=$(cat "$PKG_TOP/VERSION")
	S=$T/dkms-${label// /-}; P=$S/src/i915-vma-cleanup-$v
	mkdir -p "$P" "$S/tree" "$S/inst"
	cp -r "$PKG_TOP/dkms.conf" "$PKG_TOP/VERSION" "$PKG_TOP/scripts" "$P/"
	printf '%s\n' 'all:' \
		'	mkdir -p work/$(KVER)/drivers/gpu/drm/i915' \
		'	echo i915 > work/$(KVER)/drivers/gpu/drm/i915/i915.ko' \
		'	if grep -q "^CONFIG_DRM_I915_GVT_KVMGT=m" $(KDIR)/.config; then echo kvmgt > work/$(KVER)/drivers/gpu/drm/i915/kvmgt.ko; fi' \
		'clean:' '	rm -rf work' > "$P/Makefile"
	D=("$dkms" --dkmstree "$S/tree" --sourcetree "$S/src" --installtree "$S/inst")
	"${D[@]}" add -m i915-vma-cleanup -v "$v" > "$S/add.log" 2>&1 || { bad "$label: dkms add" "$(tail -n 2 "$S/add.log" | tr '\n' ' ')"; return; }
	for k in "6.1.0-99-dkmstest-amd64 $kv_dir i915 kvmgt" "4.1.99-dkmstest $old i915" "6.1.0-99-dkmstest-cloud-amd64 $cloud skip"; do
		set -- $k; kv=$1; kdir=$2; shift 2
		"${D[@]}" build -m i915-vma-cleanup -v "$v" -k "$kv" --kernelsourcedir "$kdir" > "$S/$kv.log" 2>&1; rc=$?
		built=$(ls "$S/tree/i915-vma-cleanup/$v/$kv"/*/module 2>/dev/null | sed 's/\.ko.*//' | sort | tr '\n' ' ')
		if [ "$*" = skip ]; then
			check "$label: $kv (no i915) is skipped: exit 77, nothing built (exit $rc)" test "$rc:$built" = "77:"
		else
			check "$label: $kv builds exactly: $* (exit $rc, built: ${built:-nothing})" test "$rc:$built" = "0:$* "
		fi
	done
}
# The kernel hook a headers package runs (dkms autoinstall for that kernel), in a private
# mount namespace whose /lib/modules, /var/lib/dkms and /etc/dkms are the sandbox's: on a
# kernel the package skips it must exit 0 (dkms <= 3.0.10 fails it, and so the headers
# package, unless AUTOINSTALL is empty for that kernel), and on a served one install.
hook_test() {   # hook_test LABEL (after sandbox_dkms LABEL)
	local label=$1 S k rc hook=/etc/kernel/header_postinst.d/dkms
	S=$T/dkms-${label// /-}
	[ -x "$hook" ] && command -v unshare >/dev/null && [ "$(id -u)" -eq 0 ] ||
		{ skip "$label: kernel hook autoinstall" "needs root, unshare and $hook (dkms package)"; return; }
	mkdir -p "$S/modules" "$S/etc"
	for k in "6.1.0-99-dkmstest-cloud-amd64 $cloud" "6.1.0-99-dkmstest-amd64 $kv_dir" "4.1.99-dkmstest $old"; do
		set -- $k; mkdir -p "$S/modules/$1"; ln -sfn "$2" "$S/modules/$1/build"
	done
	for k in "6.1.0-99-dkmstest-cloud-amd64 " "6.1.0-99-dkmstest-amd64 i915 kvmgt " "4.1.99-dkmstest i915 "; do
		set -- $k; kv=$1; shift
		# (/boot too: an install runs POST_INSTALL, whose initramfs rebuild must not touch
		# the machine's initramfs of a kernel with the same name)
		unshare -m sh -c "mount --bind '$S/modules' /usr/lib/modules && mount --bind '$S/tree' /var/lib/dkms &&
			mount -t tmpfs tmpfs /etc/dkms && mount -t tmpfs tmpfs /boot && exec $hook $kv" > "$S/hook-$kv.log" 2>&1; rc=$?
		got=$(find "$S/modules/$kv" -name '*.ko*' -printf '%f\n' 2>/dev/null | sed 's/\.ko.*//' | sort | tr '\n' ' ')
		check "$label: header_postinst hook for $kv exits 0 and installs: ${*:-nothing} (exit $rc, installed: ${got:-nothing})" \
			test "$rc:${got% }" = "0:$*"
	done
}
kv_dir=$kv
if command -v dkms >/dev/null; then
	label="dkms $(dkms --version 2>/dev/null | grep -oE '[0-9][0-9.]+' | head -n 1)"
	sandbox_dkms "$(command -v dkms)" "$label"
	hook_test "$label"
else
	skip "sandboxed dkms builds" "dkms is not installed (apt-get install dkms)"
fi
for d in ${DKMS_VERSIONS:-}; do sandbox_dkms "$d" "dkms $("$d" --version 2>/dev/null | grep -oE '[0-9][0-9.]+' | head -n 1)"; done
check "nothing reached the machine: /boot unchanged, no dkmstest kernel in /lib/modules or /var/lib/dkms" \
	test "$(snapshot /boot)" = "$boot_before" -a -z "$(find /lib/modules/ /var/lib/dkms/ -maxdepth 4 -name '*dkmstest*' 2>/dev/null | head -n 1)"
t_done
