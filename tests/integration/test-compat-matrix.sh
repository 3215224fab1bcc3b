#!/bin/bash
# Compat matrix: the series' linux-source (e.g. 6.1.192) built for several kernel ABIs
# of the same series, each with `make KVER=<abi>` (prepare, probes, kbuild, check-module:
# every symbol resolved against that ABI's Module.symvers). Prints a table
# ABI x source version x result x build time x shimmed APIs.
#
#   COMPAT_ABIS="6.1.0-47-amd64 6.1.0-56-amd64"   the ABIs (default: the oldest and the
#                                                newest installed 6.1 ABI with headers and i915)
#   COMPAT_SRC=<tree|tarball>                    passed as I915_SRC (default: the usual search)
#   COMPAT_JOBS=2                                make -j (one build at a time)
# Skips cleanly when only one 6.1 ABI is installed. Work trees: work/compat-<abi>
# (kept with WORK_KEEP=1, the default of tests/run; rebuilds are then incremental).
# That `make` installs nothing is test-make-build's business, not repeated here.
. "$(dirname "$0")/../lib.sh"
cd "$PKG_TOP" || exit 1
. scripts/lib.sh
PROG=test-compat-matrix
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

if [ -n "${COMPAT_ABIS:-}" ]; then
	read -r -a abis <<< "$COMPAT_ABIS"
else
	for kd in /lib/modules/*/build; do
		[ -f "$kd/.config" ] && grep -q '^CONFIG_DRM_I915=' "$kd/.config" || continue
		v=$(kdir_version "$kd") || continue
		case $v in 6.1.*) printf '%s %s\n' "$v" "$(basename "$(dirname "$kd")")" ;; esac
	done | sort -V > "$T/abis"
	mapfile -t abis < <( { head -n 1 "$T/abis"; tail -n 1 "$T/abis"; } | cut -d' ' -f2 | awk '!seen[$0]++')
	if [ "${#abis[@]}" -lt 2 ]; then
		skip "compat matrix" "only ${#abis[@]} 6.1 ABI with headers and i915 installed (${abis[*]:-none}); install an older one (e.g. apt-get install linux-headers-6.1.0-47-amd64, with /etc/dkms/no-autoinstall) or set COMPAT_ABIS"
		exit 0
	fi
fi

rows=()
for k in "${abis[@]}"; do
	kd=/lib/modules/$k/build
	if [ ! -f "$kd/Makefile" ]; then
		skip "compat matrix: $k" "headers not installed"
		rows+=("$k|-|-|skipped: no headers|-|-")
		continue
	fi
	if [ -z "$(kconfig_value "$kd" CONFIG_DRM_I915)" ]; then
		skip "compat matrix: $k" "built without CONFIG_DRM_I915"
		rows+=("$k|$(kdir_version "$kd")|-|skipped: no i915|-|-")
		continue
	fi
	W=work/compat-$k
	[ "${WORK_KEEP:-0}" = 1 ] || rm -rf "$W"
	start=$(date +%s)
	log=$T/$k.log
	if make KVER="$k" WORK="$W" ${COMPAT_SRC:+I915_SRC="$COMPAT_SRC"} prepare > "$log" 2>&1; then
		make -j"${COMPAT_JOBS:-2}" KVER="$k" WORK="$W" ${COMPAT_SRC:+I915_SRC="$COMPAT_SRC"} >> "$log" 2>&1
		rc=$?
	else
		rc=$?
	fi
	took=$(( $(date +%s) - start ))
	src=$(sed -n 's/^source_version=//p' "$W/provenance" 2>/dev/null)
	shims=$(sed -n 's|^/\* #undef I915_DKMS_HAVE_\(.*\) \*/$|\1|p' "$W/drivers/gpu/drm/i915/dkms/i915_dkms_compat.h" 2>/dev/null |
		tr 'A-Z' 'a-z' | paste -sd' ')
	if [ "$rc" -eq 0 ] && grep -q "check-module: $k: .*symbols and vermagic OK" "$log"; then
		result=ok
		ok "compat matrix: linux $src i915 builds for $k and resolves every symbol ($(kdir_version "$kd")), ${took}s"
	else
		why=$(grep -m1 -E 'error:|Error [0-9]|needs symbols' "$log" | sed "s|$PKG_TOP/||g")
		result="FAILED (exit $rc)"
		bad "compat matrix: linux ${src:-?} i915 builds for $k" "exit $rc: ${why:-see the log below}"
		tail -n 15 "$log" | sed 's/^/    | /'
	fi
	rows+=("$k|$(kdir_version "$kd")|${src:--}|$result|${took}s|${shims:-none}")
	[ "${WORK_KEEP:-0}" = 1 ] || rm -rf "$W"
done

ccache=off
[ "${I915_CCACHE:-1}" != 0 ] && command -v ccache >/dev/null && ccache=on
echo "# compat matrix (make -j${COMPAT_JOBS:-2}, ccache $ccache)"
{
	echo "ABI|kernel|i915 source|result|build time|shimmed (probe said missing)"
	printf '%s\n' "${rows[@]}"
} | awk -F'|' '{ r[NR] = $0; for (i = 1; i <= NF; i++) if (length($i) > w[i]) w[i] = length($i) }
	END { for (n = 1; n <= NR; n++) { k = split(r[n], f, "|"); line = "#   ";
	      for (i = 1; i <= k; i++) line = line sprintf(i < k ? "%-" w[i] "s  " : "%s", f[i]); print line } }'
t_done
