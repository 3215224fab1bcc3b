# shellcheck shell=bash
# The one initramfs rule of the package: which i915 a kernel's initramfs holds and whether
# it is the one modprobe loads from /lib/modules. Sourced by scripts/5-install/initramfs-sync (after
# dkms install/remove) and built into the status command (tools/status), so that both
# answer alike. bash >= 4.3, coreutils; lsinitramfs/unmkinitramfs (initramfs-tools) or
# lsinitrd (dracut) to read an initramfs; xz/zstd/gzip for compressed modules.

# ir_decompress FILE -> FILE's content, decompressed by its name (.xz, .zst, .gz)
ir_decompress() {
	case $1 in
	*.xz) xz -dc "$1" ;;
	*.zst) zstd -dc "$1" ;;
	*.gz) gzip -dc "$1" ;;
	*) cat "$1" ;;
	esac
}

# ir_module_sha FILE -> sha256 of a module's decompressed content (a signed and an
# unsigned copy differ; an .xz and the plain .ko of one build do not); fails when it
# cannot be read or decompressed
ir_module_sha() {
	local s
	s=$(set -o pipefail; ir_decompress "$1" 2>/dev/null | sha256sum) || return 1
	printf '%s\n' "${s%% *}"
}

# ir_file ROOT KVER -> the kernel's initramfs: /boot/initrd.img-KVER (Debian, Ubuntu) or
# /boot/initramfs-KVER.img (dracut); nothing when it has none
ir_file() {
	local f
	for f in "$1/boot/initrd.img-$2" "$1/boot/initramfs-$2.img"; do
		[ -f "$f" ] && { printf '%s\n' "$f"; return 0; }
	done
	return 0
}

# ir_pick_i915 < LISTING -> the i915.ko the initramfs's own modprobe takes: the first
# under updates/, else under extra/ (where dkms installs), else the first listed.
# A listing is one path a line (lsinitramfs) or ls -l lines (lsinitrd: the last field).
ir_pick_i915() {
	awk '{ p = $NF; sub(/^(\.\/)+/, "", p) }
	     p ~ /\/i915\.ko(\.(xz|zst|gz))?$/ {
		if (p ~ /\/updates\//) { if (u == "") u = p }
		else if (p ~ /\/extra\//) { if (e == "") e = p }
		if (a == "") a = p
	     }
	     END { print (u != "" ? u : (e != "" ? e : a)) }'
}

# ir_check ROOT KVER WANT STOCK -> key=value lines (data, never sourced):
#   initramfs=<path>  state=<state>  i915=<path inside>  sha256=<its decompressed sha256>
#   why=<what could not be checked>  problem=<what is wrong> (an initramfs that cannot be listed)
# WANT is the module modprobe loads (or nothing), STOCK the kernel's own i915 (or nothing).
# state: no-initramfs | unreadable | not-checked | no-i915 (it loads from disk: fine) |
#        no-module (an i915 inside, none on disk) | same (as WANT) | stock | other
# ir_same_modinfo GOT WANT TMPDIR: both modules (decompressed) carry the same .modinfo
ir_same_modinfo() {
	local mi1 mi2
	ir_decompress "$1" > "$3/got.ko" && ir_decompress "$2" > "$3/want.ko" || return 1
	mi1=$(modinfo "$3/want.ko" 2>/dev/null | grep -v '^filename:') || return 1
	mi2=$(modinfo "$3/got.ko" 2>/dev/null | grep -v '^filename:') || return 1
	[ -n "$mi1" ] && [ "$mi1" = "$mi2" ]
}

ir_check() {
	local root=$1 kver=$2 want=$3 stock=$4 f list inside tmp got sha
	f=$(ir_file "$root" "$kver")
	printf 'initramfs=%s\n' "$f"
	if [ -z "$f" ]; then echo state=no-initramfs; return 0; fi
	if [ "${IR_NO_INITRAMFS:-0}" = 1 ]; then printf 'state=not-checked\nwhy=initramfs not checked (--no-initramfs)\n'; return 0; fi
	if [ ! -r "$f" ]; then
		printf 'state=unreadable\nwhy=initramfs not checked: cannot read %s (Permission denied): run as root\n' "${f#"$root"}"
		return 0
	fi
	if command -v lsinitramfs >/dev/null 2>&1 && command -v unmkinitramfs >/dev/null 2>&1; then
		list=$(lsinitramfs "$f" 2>/dev/null) || list=
	elif command -v lsinitrd >/dev/null 2>&1; then
		list=$(lsinitrd "$f" 2>/dev/null) || list=
	else
		printf 'state=not-checked\nwhy=initramfs not checked: neither lsinitramfs/unmkinitramfs (initramfs-tools) nor lsinitrd (dracut) is installed\n'
		return 0
	fi
	# an initramfs that cannot be listed (corrupt, truncated) is never "no i915": what boots
	# from it is not known
	if [ -z "$list" ]; then
		printf 'state=unreadable\nwhy=cannot list %s (corrupt or truncated?)\nproblem=%s cannot be listed (corrupt or truncated?): the next boot may fail; rebuild it: update-initramfs -u -k %s (dracut: dracut -f --kver %s)\n' \
			"${f#"$root"}" "${f#"$root"}" "$kver" "$kver"
		return 0
	fi
	inside=$(printf '%s\n' "$list" | ir_pick_i915)
	printf 'i915=%s\n' "$inside"
	if [ -z "$inside" ]; then echo state=no-i915; return 0; fi
	if [ -z "$want" ]; then echo state=no-module; return 0; fi
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/i915-vma-cleanup-initramfs.XXXXXX") || {
		printf 'state=not-checked\nwhy=initramfs not checked: cannot create a temporary directory\n'; return 0; }
	if command -v unmkinitramfs >/dev/null 2>&1; then
		# not root: device nodes fail, the regular files are there
		unmkinitramfs "$f" "$tmp" >/dev/null 2>&1
		got=$(find "$tmp" -type f -path "*/$inside" 2>/dev/null | head -n 1)
	else
		got=$tmp/${inside##*/}
		lsinitrd "$f" -f "$inside" > "$got" 2>/dev/null || got=
	fi
	if [ -z "$got" ] || ! sha=$(ir_module_sha "$got"); then
		printf 'state=not-checked\nwhy=initramfs not checked: could not unpack %s from %s (run as root?)\n' "$inside" "${f#"$root"}"
	elif [ "$sha" = "$(ir_module_sha "$want")" ]; then
		printf 'state=same\nsha256=%s\n' "$sha"
	elif ! command -v unmkinitramfs >/dev/null 2>&1 && ir_same_modinfo "$got" "$want" "$tmp"; then
		# dracut strips the debug info of unsigned, uncompressed modules (strip -g):
		# the same module is then the one with the same .modinfo (version, srcversion,
		# vermagic, the package's identity)
		printf 'state=same\nsha256=%s\nwhy=stripped by dracut: the same .modinfo\n' "$sha"
	elif [ -n "$stock" ] && [ "$sha" = "$(ir_module_sha "$stock")" ]; then
		printf 'state=stock\nsha256=%s\n' "$sha"
	else
		printf 'state=other\nsha256=%s\n' "$sha"
	fi
	rm -rf "$tmp"
}
