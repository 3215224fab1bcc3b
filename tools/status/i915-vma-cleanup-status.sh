#!/bin/bash
# i915-vma-cleanup-status: is the i915-vma-cleanup i915.ko built, installed, in the
# initramfs, signed and loaded, for every kernel in /lib/modules?
#
#   i915-vma-cleanup-status [--json] [--root DIR] [--kernel KVER]... [--no-initramfs]
#
# For each kernel: affected (the package's decision, scripts/2-decide/decide, kept in
# /var/cache/i915-vma-cleanup/designs/kernel/<kver>: yes = the kernel lacks the upstream
# cleanup (fix mode), no = it has it (stock i915 kept, or verify mode on request); without
# a decision, the mode of a module of ours), whether modprobe resolves i915 to our module (updates/ or
# extra/, modinfo dkms_package), whether the i915 the kernel's initramfs holds is the one
# modprobe loads (the package's one initramfs rule, scripts/5-install/initramfs-rule.sh, the same
# as scripts/5-install/initramfs-sync's: built into this file by tools/status/Makefile), who signed
# it, and, for the running kernel, whether the loaded i915 is it
# (/sys/module/i915/parameters/dkms_identity, srcversion).
#
# Exit: 0 consistent (or nothing installed), 1 something is inconsistent (each problem is
# printed with what to do), 2 usage. Runs without root; what it could not read is a note.
# --root DIR reads DIR/lib/modules, DIR/boot, DIR/var/lib/dkms, DIR/sys and DIR/proc
# instead of the live system (image builders, tests); the running kernel is then
# DIR/proc/sys/kernel/osrelease.
# SPDX-License-Identifier: GPL-2.0-only
set -uo pipefail
PROG=i915-vma-cleanup-status
PKG=i915-vma-cleanup
VERSION=@VERSION@
# where scripts/2-decide/decide keeps its answer per kernel (lib.sh DESIGN_CACHE/kernel)
DECISIONS=/var/cache/i915-vma-cleanup/designs/kernel

# @INITRAMFS_RULE@

usage() {
	cat <<EOF
usage: $PROG [--json] [--root DIR] [--kernel KVER]... [--no-initramfs]
  For each kernel in DIR/lib/modules: is it affected (fix mode) or not (verify mode),
  is the $PKG i915.ko installed, does the initramfs hold the same i915,
  is it signed and by whom, is the loaded i915 the installed one.
  --json          machine-readable output (one JSON object)
  --root DIR      inspect an image or another root instead of /
  --kernel KVER   only this kernel (repeatable)
  --no-initramfs  do not unpack initramfs images (faster)
  Exit: 0 consistent, 1 something is inconsistent (PROBLEM lines), 2 usage.
EOF
}
fail() { printf '%s: error: %s\n' "$PROG" "$*" >&2; exit 2; }

json=0 root=/ only=()
IR_NO_INITRAMFS=0
while [ $# -gt 0 ]; do
	case $1 in
	--json) json=1 ;;
	--no-initramfs) IR_NO_INITRAMFS=1; export IR_NO_INITRAMFS ;;   # read by ir_check (the rule built in)
	--root) [ $# -ge 2 ] || fail "--root needs a directory"; root=$2; shift ;;
	--kernel) [ $# -ge 2 ] || fail "--kernel needs a release"; only+=("$2"); shift ;;
	-h|--help) usage; exit 0 ;;
	--version) echo "$PROG $VERSION"; exit 0 ;;
	*) printf '%s: error: unknown argument '\''%s'\''\n' "$PROG" "$1" >&2; usage >&2; exit 2 ;;
	esac
	shift
done
R=$(realpath -e "$root" 2>/dev/null) || fail "--root $root: no such directory"
[ "$R" = / ] && R=
PATH=$PATH:/usr/sbin:/sbin
command -v modinfo >/dev/null 2>&1 || fail "modinfo not found: apt-get install kmod (dnf/zypper install kmod)"
shown() { local p=${1#"$R"}; printf '%s' "${p:-$1}"; }

if [ -n "$R" ]; then
	running=$(head -n 1 "$R/proc/sys/kernel/osrelease" 2>/dev/null)
else
	running=$(uname -r)
fi
if [ -d "$R/sys/firmware/efi" ]; then
	sb=unknown
	v=$(od -An -tu1 -j4 -N1 "$R/sys/firmware/efi/efivars/SecureBoot-8be4df61-93ca-11d2-aa0d-00e098032b8c" 2>/dev/null | tr -d ' ')
	case $v in 1) sb=enabled ;; '') ;; *) sb=disabled ;; esac
elif [ -d "$R/sys" ]; then sb=not-efi
else sb=unknown
fi
boot_time=$(sed -n 's/^btime //p' "$R/proc/stat" 2>/dev/null)

[ -d "$R/lib/modules" ] || fail "cannot read $R/lib/modules"
kernels=()
while IFS= read -r k; do
	[ -n "$k" ] || continue
	if [ ${#only[@]} -gt 0 ]; then
		case " ${only[*]} " in *" $k "*) ;; *) continue ;; esac
	fi
	kernels+=("$k")
done < <(cd "$R/lib/modules" && for d in */; do [ -d "$d" ] && echo "${d%/}"; done | sort -V)
for k in ${only[@]+"${only[@]}"}; do
	[ -d "$R/lib/modules/$k" ] || fail "no $R/lib/modules/$k"
done

mi() { modinfo -F "$1" "$2" 2>/dev/null | head -n 1 | sed 's/[[:space:]]*$//'; }
resolve() {   # resolve KVER NAME -> the file modprobe would load, or nothing
	local p
	p=$(modinfo ${R:+-b "$R"} -k "$1" -n "$2" 2>/dev/null | head -n 1)
	case $p in /*) ;; *) return 0 ;; esac
	# some kmod versions print the path without the -b prefix
	[ -n "$R" ] && [ "${p#"$R"/}" = "$p" ] && p=$R$p
	printf '%s\n' "$p"
}
out_of_tree() { case $1 in */updates/*|*/extra/*) return 0 ;; esac; return 1; }
sig_marker() {   # the decompressed module ends with the kernel's signature marker
	[ "$(ir_decompress "$1" 2>/dev/null | tail -c 28)" = "~Module signature appended~" ]
}

# --- per kernel: results in K_<field>[i] ---------------------------------------------------
declare -a K_cfg K_rt K_hasmod K_mod K_ours K_ver K_mode K_gen K_src K_srcsha K_fix K_vm K_srcv \
	K_signer K_sigkey K_sigalgo K_signed K_sha K_stock K_built K_kvmgt K_ir K_irf K_iri K_irsha \
	K_ld K_ident K_prob K_note K_pkg K_daff K_ddesign K_ddmode K_daction K_dreason
NL=$'\n'
problem() { K_prob[$i]+="$*$NL"; }
note() { K_note[$i]+="$*$NL"; }
bad=0
for i in ${kernels[@]+"${!kernels[@]}"}; do
	k=${kernels[$i]} M=$R/lib/modules/${kernels[$i]}
	K_prob[$i]='' K_note[$i]=
	c=$M/build/.config
	K_cfg[$i]='' K_rt[$i]=0
	if [ -f "$c" ]; then
		K_cfg[$i]=$(sed -n 's/^CONFIG_DRM_I915=\(.\).*/\1/p' "$c" | head -n 1)
		K_cfg[$i]=${K_cfg[$i]:-n}
		grep -qx 'CONFIG_PREEMPT_RT=y' "$c" && K_rt[$i]=1
	fi
	K_hasmod[$i]=0
	{ [ -f "$M/modules.dep" ] || [ -d "$M/kernel" ]; } && K_hasmod[$i]=1
	K_stock[$i]=
	for f in "$M"/kernel/drivers/gpu/drm/i915/i915.ko{,.xz,.zst,.gz}; do
		[ -f "$f" ] && { K_stock[$i]=$f; break; }
	done
	K_built[$i]=
	for f in "$R"/var/lib/dkms/$PKG/*/"$k"/*/module/i915.ko*; do
		[ -f "$f" ] || continue
		K_built[$i]=$(mi dkms_mode "$f"); [ -n "${K_built[$i]}" ] && break
	done
	# the package's decision about this kernel (scripts/2-decide/decide, kept by every dkms command and
	# make install): affected or not, needs no installed module to say so
	d=$R$DECISIONS/$k
	for f in daff:affected ddesign:design ddmode:design_mode daction:action dreason:reason; do
		v=$(sed -n "s/^${f#*:}=//p" "$d" 2>/dev/null | tail -n 1)
		printf -v "K_${f%%:*}[$i]" '%s' "$v"
	done
	m=$(resolve "$k" i915)
	K_mod[$i]=$m K_ours[$i]=0 K_signed[$i]=0 K_sha[$i]='' K_kvmgt[$i]=
	for f in ver:version mode:dkms_mode gen:dkms_generation src:dkms_source srcsha:dkms_source_sha256 \
		fix:dkms_upstream_fix vm:vermagic srcv:srcversion signer:signer sigkey:sig_key sigalgo:sig_hashalgo pkg:dkms_package; do
		v=
		[ -n "$m" ] && v=$(mi "${f#*:}" "$m")
		printf -v "K_${f%%:*}[$i]" '%s' "$v"
	done
	if [ -n "$m" ]; then
		out_of_tree "$m" && [ "${K_pkg[$i]}" = "$PKG" ] && K_ours[$i]=1
		K_sha[$i]=$(ir_module_sha "$m") || K_sha[$i]=
		{ [ -n "${K_signer[$i]}" ] || sig_marker "$m"; } && K_signed[$i]=1
	elif [ "${K_hasmod[$i]}" = 1 ] && [ ! -f "$M/modules.dep" ]; then
		note "no modules.dep: run depmod -a $k; module resolution not checked"
	fi

	if [ "${K_ours[$i]}" = 1 ]; then
		vk=${K_vm[$i]%% *}
		[ "$vk" = "$k" ] ||
			problem "the installed $(shown "$m") is built for kernel ${vk:-(none)} (vermagic), not $k: modprobe will refuse it; rebuild: dkms remove $PKG/${K_ver[$i]} -k $k && dkms install $PKG/${K_ver[$i]} -k $k"
		K_kvmgt[$i]=$(resolve "$k" kvmgt)
		if [ -n "${K_kvmgt[$i]}" ] && [ "$(mi dkms_package "${K_kvmgt[$i]}")" != "$PKG" ]; then
			problem "i915 is this package's but kvmgt ($(shown "${K_kvmgt[$i]}")) is not: kvmgt will fail to load (unknown symbols); reinstall: dkms install $PKG/${K_ver[$i]} -k $k --force"
		fi
		[ "$sb" = enabled ] && [ "${K_signed[$i]}" = 0 ] &&
			problem "Secure Boot is enabled and $(shown "$m") is not signed: the kernel will refuse it (see docs/packaging.md, Secure Boot)"
		[ -n "${K_sha[$i]}" ] || note "cannot decompress $(shown "$m") (xz/zstd/gzip missing): initramfs comparison not possible"
	elif [ -n "$m" ] && out_of_tree "$m"; then
		note "modprobe loads another out-of-tree i915 ($(shown "$m")), not this package's"
	elif [ "${K_daff[$i]}" = yes ] && [ "${K_daction[$i]}" = skip ]; then
		problem "this kernel needs the fix and does not have it: ${K_dreason[$i]}"
	elif [ "${K_daff[$i]}" = yes ]; then
		problem "this kernel needs the fix (${K_ddesign[$i]} design) but runs the stock i915, which leaks: dkms install $PKG/<version> -k $k (or make install)"
	elif [ "${K_built[$i]}" = fix ]; then
		# the kernel lacks the upstream cleanup and runs without it: not "skipped", a problem
		problem "this kernel needs the fix (dkms built it in fix mode) but runs the stock i915, which leaks: dkms install $PKG/<version> -k $k"
	elif [ -n "${K_built[$i]}" ]; then
		note "built by dkms (${K_built[$i]} mode) but not installed: dkms install $PKG/<version> -k $k"
	elif [ "${K_daff[$i]}" = no ] && [ "${K_ddmode[$i]}" = verify ]; then
		note "not affected: fixed upstream (${K_ddesign[$i]} design), stock i915 kept"
	fi

	# the initramfs: the package's one rule (ir_check)
	r=$(ir_check "$R" "$k" "$m" "${K_stock[$i]}")
	K_ir[$i]=$(printf '%s\n' "$r" | sed -n 's/^state=//p')
	K_irf[$i]=$(printf '%s\n' "$r" | sed -n 's/^initramfs=//p')
	K_iri[$i]=$(printf '%s\n' "$r" | sed -n 's/^i915=//p')
	K_irsha[$i]=$(printf '%s\n' "$r" | sed -n 's/^sha256=//p')
	why=$(printf '%s\n' "$r" | sed -n 's/^why=//p')
	[ -n "$why" ] && note "$why"
	why=$(printf '%s\n' "$r" | sed -n 's/^problem=//p')
	[ -z "$why" ] || problem "$why"
	if [ "${K_ir[$i]}" = stock ] && [ "${K_ours[$i]}" = 1 ]; then
		problem "$(shown "${K_irf[$i]}") holds the stock i915, not the installed $(shown "$m"): the stock driver loads at boot; run update-initramfs -u -k $k (dracut: dracut -f --kver $k)"
	elif [ "${K_ir[$i]}" = stock ] || [ "${K_ir[$i]}" = other ]; then
		problem "$(shown "${K_irf[$i]}") holds an i915 (${K_iri[$i]}) that is not the one modprobe loads ($(shown "$m")): run update-initramfs -u -k $k"
	fi

	# the loaded i915 (the running kernel only)
	K_ident[$i]=
	if [ -z "$running" ]; then K_ld[$i]=unknown
	elif [ "$k" != "$running" ]; then K_ld[$i]=not-running
	elif [ ! -d "$R/sys/module/i915" ]; then K_ld[$i]=not-loaded
	else
		id=$(head -n 1 "$R/sys/module/i915/parameters/dkms_identity" 2>/dev/null)
		if [ "${id%% *}" != "$PKG" ]; then
			K_ld[$i]=stock
		else
			K_ident[$i]=$id
			field() { printf '%s\n' " $id" | tr ' ' '\n' | sed -n "s/^$1=//p" | head -n 1; }
			srcv=$(head -n 1 "$R/sys/module/i915/srcversion" 2>/dev/null)
			set -- $id
			if [ "${K_ours[$i]}" = 1 ] && [ "${2:-}" = "${K_ver[$i]}" ] && [ "$(field mode)" = "${K_mode[$i]}" ] &&
			   [ "$(field source)" = "${K_src[$i]}" ] && [ "$(field sha256)" = "${K_srcsha[$i]}" ] &&
			   { [ -z "$srcv" ] || [ -z "${K_srcv[$i]}" ] || [ "$srcv" = "${K_srcv[$i]}" ]; }; then
				K_ld[$i]=ours
			else
				K_ld[$i]=ours-other-build
			fi
		fi
	fi
	case ${K_ld[$i]} in stock) what="the stock one" ;; *) what="another build of this package" ;; esac
	if [ "${K_ours[$i]}" = 1 ] && case ${K_ld[$i]} in stock|ours-other-build) true ;; *) false ;; esac; then
		mt=$(stat -c %Y "$m" 2>/dev/null)
		if [ -n "$boot_time" ] && [ -n "$mt" ] && [ "$mt" -lt "$boot_time" ]; then
			problem "the loaded i915 is $what, not the installed $(shown "$m"), although that was installed before this boot: check the initramfs (update-initramfs -u -k $k), 'modprobe -c | grep i915' and blacklists"
		else
			note "pending: the loaded i915 is $what; reboot (or modprobe -r i915 && modprobe i915) to load the installed one"
		fi
	elif [ "${K_ours[$i]}" = 0 ] && case ${K_ld[$i]} in ours|ours-other-build) true ;; *) false ;; esac; then
		note "pending: the loaded i915 is this package's but it is no longer installed; reboot to load the stock one"
	fi
done

# Secure Boot: is the dkms signing certificate enrolled? (live system only)
if [ -z "$R" ] && [ "$sb" = enabled ] && command -v mokutil >/dev/null 2>&1 && [ -f /var/lib/dkms/mok.pub ] &&
   mokutil --test-key /var/lib/dkms/mok.pub 2>&1 | grep -q 'not enrolled'; then
	for i in ${kernels[@]+"${!kernels[@]}"}; do
		[ "${K_ours[$i]}" = 1 ] && case ${K_signer[$i]} in *DKMS*) true ;; *) false ;; esac &&
			problem "signed with /var/lib/dkms/mok.pub, which is not enrolled: mokutil --import /var/lib/dkms/mok.pub, then reboot and enrol it"
	done
fi
for i in ${kernels[@]+"${!kernels[@]}"}; do [ -n "${K_prob[$i]}" ] && bad=1; done

affected() {   # affected I -> "yes|no|unknown MODE": the decision, else the mode of a module
	local mode=${K_built[$1]}
	[ "${K_ours[$1]}" = 1 ] && mode=${K_mode[$1]}
	if [ -n "${K_daff[$1]}" ]; then
		[ -n "$mode" ] || case ${K_daction[$1]} in fix|verify) mode=${K_daction[$1]} ;; *) mode=none ;; esac
		echo "${K_daff[$1]} $mode"; return
	fi
	case $mode in fix) echo "yes fix" ;; verify) echo "no verify" ;; *) echo "unknown $mode" ;; esac
}

# --- output --------------------------------------------------------------------------------
if [ $json = 1 ]; then
	js() {   # js VALUE -> a JSON string, or null for an empty value
		local s=$1
		[ -n "$s" ] || { printf null; return; }
		s=${s//\\/\\\\}; s=${s//\"/\\\"}; s=${s//$'\t'/\\t}; s=${s//$'\n'/\\n}
		if [[ $s == *[$'\001'-$'\037'$'\177']* ]]; then   # any other control character: \u00XX
			local out='' c i
			for ((i = 0; i < ${#s}; i++)); do
				c=${s:i:1}
				[[ $c == [$'\001'-$'\037'$'\177'] ]] && printf -v c '\\u%04x' "'$c"
				out+=$c
			done
			s=$out
		fi
		printf '"%s"' "$s"
	}
	jb() { [ "$1" = 1 ] && printf true || printf false; }
	jl() {   # jl LINES -> a JSON array of the non-empty lines
		local l first=1
		printf '['
		while IFS= read -r l; do
			[ -n "$l" ] || continue
			[ $first = 1 ] || printf ','
			js "$l"; first=0
		done <<< "$1"
		printf ']'
	}
	printf '{"tool":%s,"version":%s,"root":%s,"running_kernel":%s,"secure_boot":%s,"consistent":%s,"kernels":[' \
		"$(js "$PROG")" "$(js "$VERSION")" "$(js "$root")" "$(js "$running")" "$(js "$sb")" "$(jb $((1 - bad)))"
	for i in ${kernels[@]+"${!kernels[@]}"}; do
		read -r aff mode <<< "$(affected "$i")"
		[ "$i" = 0 ] || printf ','
		printf '{"kernel":%s,"i915_config":%s,"preempt_rt":%s,"affected":%s,"mode":%s,"design":%s,"decision":%s,"installed":%s,"module":' \
			"$(js "${kernels[$i]}")" "$(js "${K_cfg[$i]}")" "$(jb "${K_rt[$i]}")" "$(js "$aff")" "$(js "$mode")" \
			"$(js "${K_ddesign[$i]}")" "$(js "${K_daction[$i]}")" "$(jb "${K_ours[$i]}")"
		if [ -z "${K_mod[$i]}" ]; then printf 'null'
		else
			printf '{"path":%s,"ours":%s,"version":%s,"dkms_mode":%s,"dkms_generation":%s,"dkms_source":%s,"dkms_source_sha256":%s,"dkms_upstream_fix":%s,"vermagic":%s,"srcversion":%s,"sha256":%s,"signed":%s,"signer":%s,"sig_key":%s}' \
				"$(js "$(shown "${K_mod[$i]}")")" "$(jb "${K_ours[$i]}")" "$(js "${K_ver[$i]}")" "$(js "${K_mode[$i]}")" \
				"$(js "${K_gen[$i]}")" "$(js "${K_src[$i]}")" "$(js "${K_srcsha[$i]}")" "$(js "${K_fix[$i]}")" \
				"$(js "${K_vm[$i]}")" "$(js "${K_srcv[$i]}")" "$(js "${K_sha[$i]}")" "$(jb "${K_signed[$i]}")" \
				"$(js "${K_signer[$i]}")" "$(js "${K_sigkey[$i]}")"
		fi
		printf ',"stock_module":%s,"built_mode":%s,"kvmgt":%s,"initramfs":{"path":%s,"state":%s,"i915":%s,"sha256":%s},"loaded":{"state":%s,"identity":%s},"problems":%s,"notes":%s}' \
			"$(js "$(shown "${K_stock[$i]}")")" "$(js "${K_built[$i]}")" "$(js "$(shown "${K_kvmgt[$i]}")")" \
			"$(js "$(shown "${K_irf[$i]}")")" "$(js "${K_ir[$i]}")" "$(js "${K_iri[$i]}")" "$(js "${K_irsha[$i]}")" \
			"$(js "${K_ld[$i]}")" "$(js "${K_ident[$i]}")" "$(jl "${K_prob[$i]}")" "$(jl "${K_note[$i]}")"
	done
	printf ']}\n'
	exit $bad
fi

printf '%s %s   root: %s   running kernel: %s   Secure Boot: %s\n\n' "$PROG" "$VERSION" "$root" "${running:-unknown}" "$sb"
row() { printf '%-28s %-30s %-22s %-14s %-26s %s\n' "$@"; }
row KERNEL AFFECTED INSTALLED INITRAMFS SIGNED LOADED
for i in ${kernels[@]+"${!kernels[@]}"}; do
	read -r aff mode <<< "$(affected "$i")"
	if [ "$aff" = unknown ]; then
		if [ "${K_cfg[$i]}" = n ]; then aff="no i915 in config"
		elif [ "${K_rt[$i]}" = 1 ]; then aff="unknown (rt: not built)"
		else aff="unknown (not built)"; fi
	elif [ "$mode" = none ] && [ "$aff" = no ]; then
		aff="no (${K_ddesign[$i]}: stock kept)"
	elif [ "$mode" = none ]; then
		aff="$aff (${K_ddesign[$i]}: NOT FIXED)"
	else
		aff="$aff ($mode mode)"
	fi
	m=${K_mod[$i]}
	if [ "${K_ours[$i]}" = 1 ]; then inst="yes (${K_ver[$i]})"
	elif [ "${K_hasmod[$i]}" = 0 ]; then inst="no (headers only)"
	elif [ -z "$m" ]; then inst="no (no i915)"
	elif out_of_tree "$m"; then inst="no (other i915)"
	else inst="no (stock i915)"; fi
	case ${K_ir[$i]} in
	no-initramfs) ir="no initramfs" ;; unreadable) ir=unreadable ;; not-checked) ir="not checked" ;;
	no-i915) ir="no i915" ;; same) ir="same i915" ;; stock) ir="STOCK i915" ;; other) ir="OTHER i915" ;;
	no-module) ir="i915, none on disk" ;; *) ir=${K_ir[$i]} ;;
	esac
	if [ -z "$m" ]; then sig=-
	elif [ -n "${K_signer[$i]}" ]; then sig="yes: ${K_signer[$i]:0:50}"
	elif [ "${K_signed[$i]}" = 1 ]; then sig="yes (signer unknown)"
	else sig=no; fi
	case ${K_ld[$i]} in
	not-running) ld=- ;; unknown) ld=unknown ;; not-loaded) ld="not loaded" ;;
	ours) ld="ours (installed)" ;; ours-other-build) ld="ours (other build)" ;; *) ld=stock ;;
	esac
	row "${kernels[$i]}" "$aff" "$inst" "$ir" "$sig" "$ld"
done
for i in ${kernels[@]+"${!kernels[@]}"}; do
	[ -n "${K_prob[$i]}${K_note[$i]}" ] || [ "${K_ours[$i]}" = 1 ] || continue
	printf '\n%s:\n' "${kernels[$i]}"
	if [ "${K_ours[$i]}" = 1 ]; then
		printf '  module:     %s (%s mode, linux %s i915, source sha256 %.16s...)\n' "$(shown "${K_mod[$i]}")" \
			"${K_mode[$i]}" "${K_src[$i]}" "${K_srcsha[$i]}"
		[ -n "${K_signer[$i]}" ] &&
			printf '  signature:  signer "%s", key %s (%s)\n' "${K_signer[$i]}" "${K_sigkey[$i]}" "${K_sigalgo[$i]}"
	fi
	[ -n "${K_irf[$i]}" ] && [ -n "${K_iri[$i]}" ] && printf '  initramfs:  %s holds %s\n' "$(shown "${K_irf[$i]}")" "${K_iri[$i]}"
	[ -n "${K_ident[$i]}" ] && printf '  loaded:     %s\n' "${K_ident[$i]}"
	printf '%s' "${K_prob[$i]}" | sed 's/^/  PROBLEM:    /'
	printf '%s' "${K_note[$i]}" | sed 's/^/  note:       /'
done
if [ $bad = 1 ]; then
	printf '\nINCONSISTENT: see PROBLEM lines above (exit 1)\n'
else
	printf '\nconsistent (exit 0)\n'
fi
exit $bad
