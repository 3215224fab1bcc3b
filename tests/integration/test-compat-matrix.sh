#!/bin/bash
# Compat matrix: i915 sources built for kernel ABIs of their series, each with
# `make KVER=<abi>` (prepare: source, rt patches, patches, probes; then kbuild and
# check-module: every symbol resolved against that ABI's Module.symvers). Prints a
# table ABI x source x match x rt patches x result x prepare/build time x ccache hits
# x shimmed APIs and compat patches.
#
#   COMPAT_ABIS="6.1.0-47-amd64 ..."   the ABIs (default: the oldest and newest installed
#                                      ABI with headers and i915 of each series);
#                                      ABI=<tarball|tree> pins that ABI's source;
#                                      ABI:prepare prepares it (source, rt patches,
#                                      series, probes) without compiling (CI's rt ABI:
#                                      its compile is `make matrix`'s)
#   COMPAT_SOURCES=pipeline            the source the pipeline itself picks (exact
#                                      version if present, else the nearest; default)
#                 =all                 every source of the ABI's series in /usr/src and
#                                      the source cache, the exact one first
#                 ="<tarball|tree> ..." these (each used for the ABIs of its series)
#   COMPAT_RT_PATCHES=<patches-rt dir> rt patch set for rt ABIs that have none of their
#                                      own in the source cache (scripts/1-source/fetch-source)
#   COMPAT_JOBS=2                      make -j
# One work tree per ABI (work/compat-<abi>, kept with WORK_KEEP=1, the default of
# tests/run): a second source for the same ABI recompiles only what differs (ccache).
# An rt ABI without an rt patch set is a skip line (prepare-tree refuses the non-rt
# driver), not a failure. That `make` installs nothing is test-make-build's business.
. "$(dirname "$0")/../lib.sh"
cd "$PKG_TOP" || exit 1
. scripts/lib.sh
# shellcheck disable=SC2034 # read by lib.sh (die, note, warn)
PROG=test-compat-matrix
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

if [ -n "${COMPAT_ABIS:-}" ]; then
	read -r -a abis <<< "$COMPAT_ABIS"
else
	for k in $(list_kernels --i915); do
		v=$(kdir_version "/lib/modules/$k/build") || continue
		printf '%s %s %s\n' "$(kernel_series "$v")" "$v" "$k"
	done | sort -k1,1V -k2,2V > "$T/abis"
	mapfile -t abis < <(awk '{ if (!($1 in first)) first[$1] = $3; last[$1] = $3 }
		END { for (s in first) { print first[s]; if (last[s] != first[s]) print last[s] } }' "$T/abis" | sort -V)
	if [ "${#abis[@]}" -lt 2 ]; then
		skip "compat matrix" "only ${#abis[@]} ABI with headers and i915 installed (${abis[*]:-none}); install an older one (e.g. apt-get install linux-headers-6.1.0-47-amd64, with /etc/dkms/no-autoinstall) or set COMPAT_ABIS"
		exit 0
	fi
fi

# sources_for SERIES TARGET_VERSION -> the sources to build, one per line ("" = pipeline)
sources_for() {
	local series=$1 target=$2 c v
	case ${COMPAT_SOURCES:-pipeline} in
	pipeline) echo "" ;;
	all)
		for c in /usr/src/linux-source-"$series".tar.* "$SOURCE_CACHE"/linux-source-"$series".*/linux-source-*.tar.*; do
			[ -f "$c" ] || continue
			v=$(source_version "$c")
			[ "$(kernel_series "$v")" = "$series" ] && printf '%s %s\n' "$([ "$v" = "$target" ] && echo 0 || echo 1)" "$c"
		done | sort -k1,1n | cut -d' ' -f2- | awk '!seen[$0]++' ;;
	*)
		for c in $COMPAT_SOURCES; do
			v=$(source_version "$c")
			[ "$(kernel_series "$v")" = "$series" ] && echo "$c"
		done ;;
	esac
}

rows=()
for entry in "${abis[@]}"; do
	only_prepare=
	case $entry in *:prepare) only_prepare=1 entry=${entry%:prepare} ;; esac
	k=${entry%%=*} pin=
	[ "$k" != "$entry" ] && pin=${entry#*=}
	kd=/lib/modules/$k/build
	if [ ! -f "$kd/Makefile" ]; then
		skip "compat matrix: $k" "headers not installed (apt-get install linux-headers-$k)"
		rows+=("$k|-|-|-|-|skipped: no headers|-|-|-|-")
		continue
	fi
	kv=$(kdir_version "$kd")
	if [ -z "$(kconfig_value "$kd" CONFIG_DRM_I915)" ]; then
		skip "compat matrix: $k" "built without CONFIG_DRM_I915"
		rows+=("$k|$kv|-|-|-|skipped: no i915|-|-|-|-")
		continue
	fi
	rtp=
	if [ "$(kconfig_value "$kd" CONFIG_PREEMPT_RT)" = y ] && [ ! -f "$SOURCE_CACHE/patches-rt/$k/series" ] && [ -n "${COMPAT_RT_PATCHES:-}" ]; then
		rtp=$COMPAT_RT_PATCHES
	fi
	W=work/compat-$k
	[ "${WORK_KEEP:-0}" = 1 ] || rm -rf "$W"
	if [ -n "$pin" ]; then srcs=("$pin"); else mapfile -t srcs < <(sources_for "$(kernel_series "$kv")" "$kv"); fi
	[ ${#srcs[@]} -gt 0 ] || srcs=("")
	for s in "${srcs[@]}"; do
		mk=(make KVER="$k" WORK="$W" ${s:+I915_SRC="$s"} ${rtp:+I915_RT_PATCHES="$rtp"})
		log=$T/$k.log
		read -r h0 m0 < <(ccache_counts)
		t0=$(date +%s)
		"${mk[@]}" prepare > "$log" 2>&1; rc=$?
		t1=$(date +%s)
		[ $rc -eq 0 ] && [ -z "$only_prepare" ] && { "${mk[@]}" -j"${COMPAT_JOBS:-2}" >> "$log" 2>&1; rc=$?; }
		t2=$(date +%s)
		read -r h1 m1 < <(ccache_counts)
		hits=-
		[ $(( h1 - h0 + m1 - m0 )) -gt 0 ] && hits="$(( 100 * (h1 - h0) / (h1 - h0 + m1 - m0) ))%"
		src=$(plan_value "$W/plan" source_version)
		[ $rc -eq 0 ] || src=$( [ -n "$s" ] && source_version "$s" )
		match=-
		if [ -n "$src" ]; then
			if [ "$src" = "$kv" ]; then match=exact
			elif [ "$(printf '%s\n%s\n' "$src" "$kv" | sort -V | head -n 1)" = "$kv" ]; then match=newer
			else match=older; fi
		fi
		rt=$(plan_value "$W/plan" rt_patches)
		rtdesc=-
		[ -n "$rt" ] && rtdesc="$(basename "$rt")$([ -n "$rtp" ] && echo " (COMPAT_RT_PATCHES)")"
		shims=$(sed -n 's|^/\* #undef I915_DKMS_HAVE_\(.*\) \*/$|\1|p' "$W/drivers/gpu/drm/i915/dkms/i915_dkms_compat.h" 2>/dev/null |
			tr 'A-Z' 'a-z' | paste -sd' ')
		cpatches=$(plan_value "$W/plan" compat_patch | paste -sd' ')
		name="linux ${src:-?} i915 ($match) for $k"
		# check-module deletes a module that would not load: one left with the kernel's
		# vermagic passed it
		km=$W/drivers/gpu/drm/i915/i915.ko
		if [ -n "$only_prepare" ] && [ $rc -eq 0 ]; then
			# prepared, not compiled: the source, its rt patch set where the kernel is rt
			# (the prepared Kconfig without the non-rt dependency) and the series applied
			# (a kernel whose exact source the source cache holds, scripts/1-source/fetch-source,
			# must be prepared from it, not from the series' newest)
			exact='' debver=''
			[ -z "$pin" ] && debver=$(cached_exact_source "$k") && exact=1
			if [ -n "$exact" ] && [ "$match" != exact ]; then
				result="FAILED (not its exact source)"
				bad "compat matrix: $name" "the source cache holds linux-source-$debver, but the plan took linux $src"
			elif [ "$(kconfig_value "$kd" CONFIG_PREEMPT_RT)" != y ] || { [ -n "$rt" ] && ! grep -q '!PREEMPT_RT' "$W/drivers/gpu/drm/i915/Kconfig"; }; then
				result="prepared (not compiled)"
				ok "compat matrix: $name prepared${exact:+ from its exact source}${rt:+ with its rt patch set} (source, series, probes; compiled by make matrix), $((t1 - t0))s"
			else
				result="FAILED (rt kernel prepared without its rt patch set)"
				bad "compat matrix: $name" "rt kernel prepared, but the plan names no rt patch set or the Kconfig still says !PREEMPT_RT"
			fi
		elif [ $rc -eq 0 ] && [ -f "$km" ] && [ "$(modinfo -F vermagic "$km" | cut -d' ' -f1)" = "$k" ]; then
			result=ok
			ok "compat matrix: $name builds and resolves every symbol (kernel $kv${rt:+, rt patches}), $((t2 - t0))s"
		elif grep -q "is PREEMPT_RT but the i915 .* is the non-rt driver" "$log"; then
			result="skipped: rt kernel, no rt patch set"
			skip "compat matrix: $name" "$(grep -m1 -o 'is PREEMPT_RT but.*' "$log" | cut -c1-160)"
		else
			why=$(grep -m1 -E 'error:|Error [0-9]|needs symbols' "$log" | sed "s|$PKG_TOP/||g")
			result="FAILED (exit $rc)"
			bad "compat matrix: $name" "exit $rc: ${why:-see the log below}"
			tail -n 15 "$log" | sed 's/^/    | /'
		fi
		cc=$(grep -c ' CC \[M\]' "$log")
		rows+=("$k|$kv|${src:--}|$match|$rtdesc|$result|$((t1 - t0))s|$((t2 - t1))s, $cc objects|$hits|${shims:-none}${cpatches:+; compat patch $cpatches}")
	done
	[ "${WORK_KEEP:-0}" = 1 ] || rm -rf "$W"
done

ccache=off
[ "${I915_CCACHE:-1}" != 0 ] && command -v ccache >/dev/null && ccache=on
echo "# compat matrix (make -j${COMPAT_JOBS:-2}, ccache $ccache, sources: ${COMPAT_SOURCES:-pipeline})"
{
	echo "ABI|kernel|i915 source|match|rt patches|result|prepare|build (compiled)|ccache hits|shimmed (probe said missing); compat patches"
	printf '%s\n' "${rows[@]}"
} | awk -F'|' '{ r[NR] = $0; for (i = 1; i <= NF; i++) if (length($i) > w[i]) w[i] = length($i) }
	END { for (n = 1; n <= NR; n++) { k = split(r[n], f, "|"); line = "#   ";
	      for (i = 1; i <= k; i++) line = line sprintf(i < k ? "%-" w[i] "s  " : "%s", f[i]); print line } }'
t_done
