#!/bin/bash
# Verify mode (4.4 .. 5.18 designs) and the skipped designs on prepared kernel trees,
# through make and through dkms (this machine's and every DKMS_VERSIONS script), each dkms
# in a sandbox (private mount namespace: /lib/modules, /etc/dkms and /boot are the
# sandbox's; nothing on the host changes). The results table of docs/results.md.
#
#   VERIFY_TREES="<tree> ..."   trees whose i915 the package verifies (on request: the opt-in
#                               I915_MODE=verify for make, scripts/2-decide/set-mode for dkms):
#                               classify-source says verify; the design's production series
#                               applies with patch -p1 --fuzz=0 to the tree's i915;
#                               `make KDIR=<tree> I915_SRC=<tree> I915_MODE=verify` builds i915.ko with
#                               dkms_mode=verify and that generation, the reclaim hooks and no
#                               test seam; dkms add/build/install installs that module
#                               (kvmgt exactly where the tree's config builds it)
#   SKIP_TREES="<tree> ..."     trees the package does not serve (pre-PPGTT, unknown design):
#                               make stops with prepare-tree's one line (exit 77, make's
#                               Error 77) and writes no work tree; dkms build is a skip
#                               (BUILD_EXCLUSIVE: exit 77, or 9 before dkms 3.0.11), nothing built
# The source of a dkms build is set with scripts/1-source/set-source (a dkms build has no I915_SRC).
# VERIFY_MAKE_ARGS: extra make arguments (e.g. -j2). With /usr/lib/ccache on PATH the
# compiler of these trees goes through ccache (the dkms builds of one tree share objects).
# Without trees: one skip line.
. "$(dirname "$0")/../lib.sh"
cd "$PKG_TOP" || exit 1
if [ -z "${VERIFY_TREES:-}${SKIP_TREES:-}" ]; then
	skip "verify/skip builds on kernel trees" "VERIFY_TREES / SKIP_TREES not set (prepared kernel trees; docs/results.md)"
	exit 0
fi
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
V=$(cat VERSION)
dkms_list=$(command -v dkms || true)
for d in ${DKMS_VERSIONS:-}; do dkms_list="$dkms_list $d"; done

# sandbox DKMS TREE KVER ACTIONS...: S (the sandbox dir) and rc; log in $S/log
sandbox() {
	local dk=$1 tree=$2 kver=$3 ver opts a; shift 3
	ver=$("$dk" --version 2>/dev/null | grep -oE '[0-9]+\.[0-9][0-9.]*' | head -n 1)
	S=$T/dkms-$(basename "$(dirname "$dk")")-$kver; rm -rf "$S"; mkdir -p "$S/tree" "$S/src" "$S/modules/$kver"
	mkdir -p "$S/src/i915-vma-cleanup-$V"
	tar -C "$PKG_TOP" --exclude=./.git --exclude=./work -cf - . | tar -C "$S/src/i915-vma-cleanup-$V" -xf -
	ln -s "$tree" "$S/modules/$kver/build"
	I915_SOURCES_CONF=$S/sources.conf scripts/1-source/set-source --kver "$kver" "$tree" 2>/dev/null
	# the opt-in: verify mode for this kernel (a kernel that is not affected is left alone
	# by default); dkms builds read it from the file, as autoinstall would
	: > "$S/modes.conf"
	[ "${OPT_IN:-0}" = 1 ] && I915_MODES_CONF=$S/modes.conf scripts/2-decide/set-mode --kver "$kver" verify >/dev/null 2>&1
	opts="--dkmstree $S/tree --sourcetree $S/src --installtree /usr/lib/modules -k $kver --kernelsourcedir $tree"
	case $ver in 2.*) opts="$opts --no-prepare-kernel --no-clean-kernel" ;; esac
	cmd=
	for a in "$@"; do cmd="$cmd '$dk' $a -m i915-vma-cleanup -v $V $opts &&"; done
	I915_SOURCES_CONF=$S/sources.conf I915_MODES_CONF=$S/modes.conf I915_DESIGN_CACHE=$S/designs unshare -m sh -c "mount --bind '$S/modules' /usr/lib/modules &&
		mount -t tmpfs tmpfs /etc/dkms && mount -t tmpfs tmpfs /boot && $cmd true" > "$S/log" 2>&1; rc=$?
	label="dkms ${ver:-?} ($(basename "$(dirname "$dk")"))"
	[ "$dk" = "$(command -v dkms)" ] && label="dkms ${ver:-?} (this machine)"
}
result() { echo "# result: $*"; }

for tree in ${VERIFY_TREES:-}; do
	name=$(basename "$tree") kver=$(cat "$tree/include/config/kernel.release" 2>/dev/null)
	[ -n "$kver" ] || { bad "$name: tree is prepared" "no include/config/kernel.release"; continue; }
	cls=$(scripts/2-decide/classify-source "$tree/drivers/gpu/drm/i915" 2>&1)
	gen=$(sed -n 's/^generation=//p' <<<"$cls") mode=$(sed -n 's/^mode=//p' <<<"$cls")
	check "$name: classify-source says verify ($gen; $(sed -n 's/^evidence=//p' <<<"$cls"))" test "$mode" = verify
	[ "$mode" = verify ] || continue
	# the production series applies with fuzz 0 to the tree's own i915 (scratch copy)
	rm -rf "$T/apply" && mkdir -p "$T/apply/drivers/gpu/drm" && cp -a "$tree/drivers/gpu/drm/i915" "$T/apply/drivers/gpu/drm/"
	failed=
	while read -r p _; do
		case $p in ''|'#'*) continue ;; esac
		patch -s -p1 -N --fuzz=0 --no-backup-if-mismatch -d "$T/apply" < "patches/$gen/$p" > "$T/apply.log" 2>&1 || { failed=$p; break; }
	done < "patches/$gen/series"
	check "$name: patches/$gen/series applies with patch -p1 --fuzz=0${failed:+ (not: $failed: $(grep -m1 FAILED "$T/apply.log"))}" test -z "$failed"
	W=work/test-verify-$kver; rm -rf "$W"
	before=$(snapshot "/lib/modules/$kver" /boot/*"$kver"* /var/lib/dkms/*/*/"$kver")
	start=$(date +%s)
	# shellcheck disable=SC2086
	if make KDIR="$tree" I915_SRC="$tree" I915_MODE=verify WORK="$W" ${VERIFY_MAKE_ARGS:-} > "$T/build.log" 2>&1; then
		mk=ok; ok "$name: make KDIR=<tree> I915_SRC=<tree> I915_MODE=verify builds i915.ko for $kver ($(( $(date +%s) - start )) s)"
	else
		mk=FAILED; bad "$name: make builds i915.ko for $kver" "$(grep -m1 -E 'error|Error' "$T/build.log")"
	fi
	m=$W/drivers/gpu/drm/i915/i915.ko
	if [ $mk = ok ]; then
		check "$name: modinfo dkms_mode=verify, dkms_generation=$gen, vermagic $kver" \
			test "$(modinfo -F dkms_mode "$m"):$(modinfo -F dkms_generation "$m"):$(modinfo -F vermagic "$m" | cut -d' ' -f1)" = "verify:$gen:$kver"
		nm "$m" > "$T/nm"
		check "$name: nm has the reclaim hooks and init/exit" test "$(grep -cE ' T i915_dkms_(init|exit|vm_released|vma_reclaimed)$' "$T/nm")" -eq 4
		check "$name: the production module has no test seam (i915_dkms_reclaim_enabled)" test "$(grep -c i915_dkms_reclaim_enabled "$T/nm")" -eq 0
		check "$name: nothing installed for $kver" test "$(snapshot "/lib/modules/$kver" /boot/*"$kver"* /var/lib/dkms/*/*/"$kver")" = "$before"
	fi
	[ "${WORK_KEEP:-0}" = 1 ] || rm -rf "$W"
	want=i915; grep -q "^CONFIG_DRM_I915_GVT_KVMGT=m" "$tree/.config" && want="i915 kvmgt"
	cells=
	for dk in $dkms_list; do
		start=$(date +%s)
		OPT_IN=1 sandbox "$dk" "$tree" "$kver" add build install
		got=$(find "$S/modules/$kver" -name '*.ko*' -printf '%f\n' | sed 's/\.ko.*//' | sort | tr '\n' ' ')
		i=$(find "$S/modules/$kver" -name 'i915.ko*' | head -n 1)
		if [ $rc -eq 0 ] && [ "$got" = "$want " ] &&
		   [ "$(modinfo -F dkms_mode "$i"):$(modinfo -F dkms_generation "$i")" = "verify:$gen" ]; then
			ok "$name: $label add/build/install: $want, verify mode, $gen ($(( $(date +%s) - start )) s)"; cells="$cells $label=ok"
		else
			bad "$name: $label add/build/install" "exit $rc, installed: ${got:-nothing}; $(grep -m1 -E 'rror' "$S/log" || tail -n 1 "$S/log")"
			cp "$S/log" "$(mktemp --suffix=.log "/var/tmp/i915-vma-cleanup-verify-$kver-$(basename "$(dirname "$dk")")-XXXXXX")" 2>/dev/null
			cells="$cells $label=FAILED"
		fi
	done
	result "$name $kver $gen verify make=$mk$cells"
done

for tree in ${SKIP_TREES:-}; do
	name=$(basename "$tree") kver=$(cat "$tree/include/config/kernel.release" 2>/dev/null)
	[ -n "$kver" ] || { bad "$name: tree is prepared" "no include/config/kernel.release"; continue; }
	W=work/test-verify-$kver; rm -rf "$W"
	make KDIR="$tree" I915_SRC="$tree" WORK="$W" > "$T/build.log" 2>&1; rc=$?
	line=$(grep -m1 '^prepare-tree: error:' "$T/build.log")
	check "$name: make stops (exit $rc, Error 77) with one line naming $kver and the design: ${line#prepare-tree: error: }" \
		bash -c "[ $rc = 2 ] && grep -q 'Error 77' '$T/build.log' && [ \$(grep -c 'error:' '$T/build.log') = 1 ] && grep -q 'kernel $kver, ' <<<'${line//\'/}'"
	check "$name: no work tree written" test -z "$(ls -d "$W"* 2>/dev/null)"
	reason=$(I915_SOURCES_CONF=$T/sc-$kver I915_DESIGN_CACHE=$T/designs bash -c "scripts/1-source/set-source --kver '$kver' '$tree' 2>/dev/null; scripts/5-install/dkms-target --kver '$kver' --kdir '$tree' reason")
	check "$name: dkms-target: ${reason}" grep -q '^skip: ' <<<"$reason"
	cells=
	for dk in $dkms_list; do
		sandbox "$dk" "$tree" "$kver" add build
		got=$(ls "$S/tree/i915-vma-cleanup/$V/$kver" 2>/dev/null)
		if { [ $rc -eq 77 ] || [ $rc -eq 9 ]; } && grep -q BUILD_EXCLUSIVE "$S/log" && [ -z "$got" ]; then
			ok "$name: $label build: skipped (exit $rc, BUILD_EXCLUSIVE), nothing built"; cells="$cells $label=skip($rc)"
		else
			bad "$name: $label build is a skip" "exit $rc, built: ${got:-nothing}; $(tail -n 2 "$S/log" | tr '\n' ' ')"; cells="$cells $label=FAILED"
		fi
	done
	result "$name $kver skip make=exit77$cells"
done
t_done
