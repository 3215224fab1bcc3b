# shellcheck shell=bash
# Shared helpers for the scripts of i915-vma-cleanup. Source it; do not run it.

PKG_NAME=i915-vma-cleanup
PKG_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck disable=SC2034 # used by the scripts that source this file
PKG_VERSION=$(cat "$PKG_TOP/VERSION")

# Exact kernel sources fetched by scripts/1-source/fetch-source (searched by acquire-source
# after /usr/src; removed by setup --remove).
# shellcheck disable=SC2034 # used by the scripts that source this file
SOURCE_CACHE=${I915_SOURCE_CACHE:-/var/cache/i915-vma-cleanup/sources}

# The design of each kernel source, as classify-source read it, for scripts/5-install/dkms-target
# (one small data file per source, keyed by the source's path, size/mtimes and the
# classifier itself); a missing or unwritable cache only costs time.
# shellcheck disable=SC2034 # used by the scripts that source this file
DESIGN_CACHE=${I915_DESIGN_CACHE:-/var/cache/i915-vma-cleanup/designs}

# Per-kernel i915 sources set with scripts/1-source/set-source: lines "<kernel release or glob>
# <tree or tarball>"; read by acquire-source when I915_SRC is not given (so also by a
# dkms autoinstall, which has no environment of the user's).
SOURCES_CONF=${I915_SOURCES_CONF:-/etc/i915-vma-cleanup/sources.conf}

# configured_source KVER -> the source set for KVER (the first matching line); the
# file is parsed as data: the pattern is only matched as a glob, nothing is executed
configured_source() {
	local line
	line=$(conf_lookup "$SOURCES_CONF" "$1") || return 1
	printf '%s\n' "${line#* }"
}

# The mode asked for per kernel, set with scripts/2-decide/set-mode: lines "<kernel release or glob>
# <auto|verify>"; read by scripts/2-decide/decide when I915_MODE is not given (so also by a dkms
# autoinstall). Without a line: auto (fix an affected kernel, leave any other alone).
# shellcheck disable=SC2034 # used by the scripts that source this file
MODES_CONF=${I915_MODES_CONF:-/etc/i915-vma-cleanup/modes.conf}

# The i915 part of a kernel tarball, extracted once (by its sha256) by scripts/2-decide/decide and
# reused by the build's acquire-source (prepare-tree); root-owned, removed by setup --remove.
EXTRACT_CACHE=${I915_EXTRACT_CACHE_DIR:-/var/cache/i915-vma-cleanup/extracted}

# extract_cache WORK -> where the build keeps extracted sources: EXTRACT_CACHE for root
# (shared with scripts/2-decide/decide, so a dkms build decompresses a tarball once), else beside WORK
extract_cache() {
	if [ "$(id -u)" = 0 ]; then printf '%s\n' "$EXTRACT_CACHE"; else printf '%s\n' "$(dirname "$1")/.extracted"; fi
}

# conf_lookup FILE KVER -> "<pattern> <value>" of the first line of FILE whose glob
# matches KVER; the file is data: the pattern is only matched, nothing is executed
conf_lookup() {
	local pat val
	[ -f "$1" ] || return 1
	# root never takes a setting another user can write (the default applies instead)
	if as_root && [ "${I915_SRC_TRUST_OWNER:-0}" != 1 ] && [ -n "$(writable_by_others "$1")" ]; then
		note "warning: $1 can be written by a user other than root: ignored (chown root $1; chmod go-w $1)"
		return 1
	fi
	while read -r pat val; do
		case $pat in ''|'#'*) continue ;; esac
		# shellcheck disable=SC2254
		case $2 in $pat) [ -n "$val" ] && { printf '%s %s\n' "$pat" "$val"; return 0; } ;; esac
	done < "$1"
	return 1
}

# --- what root reads: nothing another user can write ----------------------------------

# as_root: this run takes root's rules (euid 0; I915_AS_ROOT=1 in tests, which can only
# make a run stricter)
as_root() { [ "${I915_AS_ROOT:-0}" = 1 ] || [ "$(id -u)" = 0 ]; }

# root_home -> root's home directory from the password database (never $HOME, which sudo
# up to Ubuntu 19.04, sudo -E and su -m leave at the invoking user's)
root_home() { getent passwd root 2>/dev/null | cut -d: -f6 | head -n 1; }

# writable_by_others PATH -> the first of PATH (a file or a tree: its Makefile and the
# driver's directories) and the directories above it that a user other than root can
# write: not owned by root, or group/world-writable (a directory above: world-writable
# without the sticky bit; /usr/src may be group src's); nothing when PATH is safe. A
# symlink is judged by what it points to.
writable_by_others() {
	local p d f
	p=$(realpath -e -- "$1" 2>/dev/null) || { printf '%s
' "$1"; return 0; }
	f=$(find "$p" -maxdepth 0 \( ! -user 0 -o -perm /022 \) -print 2>/dev/null)
	if [ -z "$f" ] && [ -d "$p" ]; then
		f=$(cd "$p" && find Makefile drivers/gpu/drm/i915 drivers/platform/x86 \
			\( ! -user 0 -o \( ! -type l -perm /022 \) \) -print -quit 2>/dev/null)
		[ -z "$f" ] || f=$p/$f
	fi
	if [ -z "$f" ]; then
		d=$(dirname "$p")
		while :; do
			f=$(find "$d" -maxdepth 0 \( ! -user 0 -o \( -perm -002 ! -perm -1000 \) \) -print 2>/dev/null)
			[ -z "$f" ] && [ "$d" != / ] || break
			d=$(dirname "$d")
		done
	fi
	[ -z "$f" ] || printf '%s\n' "$f"
}

# refuse_untrusted WHAT PATH KVER: as root, exit 3 with one line when another user can
# write PATH (writable_by_others), unless I915_SRC_TRUST_OWNER=1 says the caller vouches
# for it
refuse_untrusted() {
	local what=$1 path=$2 kver=$3 w
	as_root && [ "${I915_SRC_TRUST_OWNER:-0}" != 1 ] || return 0
	w=$(writable_by_others "$path")
	[ -z "$w" ] && return 0
	die 3 "kernel $kver: refusing $what $path: $w can be written by a user other than root (owner $(stat -c %U "$w" 2>/dev/null || echo unknown), mode $(stat -c %a "$w" 2>/dev/null || echo unknown)), and root builds a kernel driver from it; copy it to a root-owned place (e.g. cp -a <it> /usr/src/ && chown -R root:root /usr/src/<it>, chmod -R go-w), or, if you trust who can write it, pass I915_SRC_TRUST_OWNER=1"
}

# root_ccache_dir -> prepare ccache for a root build: its directory is the package's own,
# root-owned and 0700 ($I915_CCACHE_DIR, default /var/cache/i915-vma-cleanup/ccache), never
# one under $HOME; prints it, fails (ccache must then be off) when it cannot be made so
root_ccache_dir() {
	local d=${I915_CCACHE_DIR:-/var/cache/$PKG_NAME/ccache}
	(umask 077; mkdir -p "$d") 2>/dev/null || return 1
	chmod 0700 "$d" 2>/dev/null || return 1
	[ -z "$(writable_by_others "$d")" ] || return 1
	printf '%s\n' "$d"
}

# log_dir -> where root keeps the logs of failed installs: the package's own directory,
# root-owned 0700 (I915_LOG_DIR, default /var/log/i915-vma-cleanup), never a fixed name in
# a shared temporary directory; a private mktemp -d when that cannot be made
log_dir() {
	local d=${I915_LOG_DIR:-/var/log/$PKG_NAME}
	if (umask 077; mkdir -p "$d") 2>/dev/null && chmod 0700 "$d" 2>/dev/null &&
	   { ! as_root || [ -z "$(writable_by_others "$d")" ]; }; then
		printf '%s\n' "$d"
	else
		mktemp -d "${TMPDIR:-/tmp}/$PKG_NAME-logs.XXXXXX"
	fi
}

# keep_log FILE NAME -> copies FILE to the log directory as NAME (replacing, never
# writing through, what is there) and prints the copy's path
keep_log() {
	local d
	d=$(log_dir) || return 1
	cp "$1" "$d/.$2.$$" && chmod 600 "$d/.$2.$$" && mv -f "$d/.$2.$$" "$d/$2" && printf '%s\n' "$d/$2"
}

# c_string VALUE -> VALUE as a C string literal ("..." with backslash and double quote
# escaped), for the generated headers; fails on a control character (a newline would end
# the #define), which no version, release or hash has
c_string() {
	local s=$1
	case $s in *[$'\001'-$'\037'$'\177']*) return 1 ;; esac
	s=${s//\\/\\\\}; s=${s//\"/\\\"}
	printf '"%s"\n' "$s"
}

# mkdir_shared DIR: DIR and its missing parents, 0755 whatever the umask (the caches and
# /etc/i915-vma-cleanup are read by dkms builds and by users' make)
mkdir_shared() { (umask 022 && mkdir -p -- "$1"); }

# replace_dir DEST CMD...: CMD fills a staging directory beside DEST (its path is CMD's
# last argument), which then replaces DEST by renames: an interrupted or failed CMD leaves
# DEST as it was (setup: /usr/src/<pkg>-<ver>, whose dkms.conf names helpers beside it)
replace_dir() {
	local dest=$1 stage old=; shift
	rm -rf -- "$dest".new.* "$dest".old.*
	stage=$(mktemp -d "$dest.new.XXXXXX") || return 1
	if ! "$@" "$stage"; then rm -rf -- "$stage"; return 1; fi
	chmod 755 "$stage"
	if [ -e "$dest" ]; then
		old=$dest.old.$$
		mv -T -- "$dest" "$old" || { rm -rf -- "$stage"; return 1; }
	fi
	mv -T -- "$stage" "$dest" || { [ -z "$old" ] || mv -T -- "$old" "$dest"; return 1; }
	[ -z "$old" ] || rm -rf -- "$old"
}

# --- Secure Boot (scripts/4-build/secureboot-check) --------------------------------------------

# secure_boot_state -> enabled | disabled | not-efi | unknown: the SecureBoot variable of
# the EFI global GUID in efivars (I915_EFIVARS_DIR, default /sys/firmware/efi/efivars;
# 4 bytes of attributes, then the value), else mokutil --sb-state; no EFI: not-efi
secure_boot_state() {
	local d=${I915_EFIVARS_DIR:-/sys/firmware/efi/efivars} v out
	v=$(od -An -tu1 -j4 -N1 "$d/SecureBoot-8be4df61-93ca-11d2-aa0d-00e098032b8c" 2>/dev/null | tr -d ' ')
	case $v in 1) echo enabled; return ;; ?*) echo disabled; return ;; esac
	if command -v mokutil >/dev/null 2>&1; then
		out=$(mokutil --sb-state 2>/dev/null || true)
		case $out in *"SecureBoot enabled"*) echo enabled; return ;; *"SecureBoot disabled"*) echo disabled; return ;; esac
	fi
	if [ ! -d "$(dirname "$d")" ]; then echo not-efi; else echo unknown; fi
}

# sign_cert -> the certificate dkms signs modules with: I915_SIGN_CERT, else mok_certificate=
# of dkms's framework.conf (I915_DKMS_FRAMEWORK_CONF) and its framework.conf.d/*.conf
# (the last one set wins; parsed, never sourced), else /var/lib/dkms/mok.pub, else Ubuntu's
# /var/lib/shim-signed/mok/MOK.der when it exists (dkms 2's kmodsign)
sign_cert() {
	local conf=${I915_DKMS_FRAMEWORK_CONF:-/etc/dkms/framework.conf} c f
	[ -z "${I915_SIGN_CERT:-}" ] || { printf '%s\n' "$I915_SIGN_CERT"; return 0; }
	c=$(for f in "$conf" "$conf".d/*.conf; do [ -f "$f" ] && cat "$f"; done 2>/dev/null |
		sed -n 's/^[[:space:]]*mok_certificate=["'"'"']\{0,1\}\([^"'"'"']*\)["'"'"']\{0,1\}[[:space:]]*$/\1/p' | tail -n 1)
	if [ -z "$c" ]; then
		c=/var/lib/dkms/mok.pub
		[ -f "$c" ] || [ ! -f /var/lib/shim-signed/mok/MOK.der ] || c=/var/lib/shim-signed/mok/MOK.der
	fi
	printf '%s\n' "$c"
}

# conf_set FILE HEADER KEY [VALUE]: FILE without the line of KEY (compared as a string;
# passed through the environment, since awk -v expands backslash escapes), plus
# "KEY VALUE" when VALUE is given; written to a temporary file and renamed (0644), its
# directory 0755 whatever the umask
conf_set() {
	local f=$1 header=$2 key=$3 val=${4-} tmp
	mkdir_shared "$(dirname "$f")"
	tmp=$(mktemp "$f.XXXXXX") || return 1
	{
		if [ -f "$f" ]; then K=$key awk '$1 "" != ENVIRON["K"]' "$f"; else printf '%s\n' "$header"; fi
		[ -z "$val" ] || printf '%s %s\n' "$key" "$val"
	} > "$tmp" && chmod 644 "$tmp" && mv "$tmp" "$f" || { rm -f "$tmp"; return 1; }
}

# The upstream change this package carries (fix mode) or verifies (verify mode).
# shellcheck disable=SC2034 # used by the scripts that source this file
UPSTREAM_FIX="e9f24d5fb7cf drm/i915: Clean up associated VMAs on context destruction (Linux 4.4)"

# die CODE "one line naming the problem and the remedy"
die() {
	local code=$1; shift
	printf '%s: error: %s\n' "${PROG:-$PKG_NAME}" "$*" >&2
	exit "$code"
}

note() { printf '%s: %s\n' "${PROG:-$PKG_NAME}" "$*" >&2; }

# apt_get_install PKG...: apt-get install, quiet on success (apt's notes, such as
# debconf's, are noise to users here); on failure apt's own E: lines go to stderr and
# apt's exit code is returned, for the caller's one error line.
apt_get_install() {
	local log rc=0
	log=$(mktemp)
	DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@" > "$log" 2>&1 || rc=$?
	[ $rc -eq 0 ] || sed -n '/^E: /p' "$log" | tail -n 3 >&2
	rm -f "$log"
	return $rc
}

# prov_get FILE KEY -> the value of KEY in a key=value data file (a provenance); the
# file is parsed, never sourced: a value may hold any character but a newline.
prov_get() { sed -n "s/^$2=//p" "$1" 2>/dev/null | tail -n 1; }

# os_family -> debian | ubuntu | rhel | suse | other: the distribution this runs on, from
# /etc/os-release (I915_OS_RELEASE=FILE for tests); parsed, never sourced
os_family() {
	local f=${I915_OS_RELEASE:-/etc/os-release} id like
	id=$(sed -n 's/^ID=//p' "$f" 2>/dev/null | tr -d '"' | head -n 1)
	like=$(sed -n 's/^ID_LIKE=//p' "$f" 2>/dev/null | tr -d '"' | head -n 1)
	case " $id $like " in
	*" ubuntu "*) echo ubuntu ;;
	*" debian "*) echo debian ;;
	*" rhel "*|*" fedora "*|*" centos "*) echo rhel ;;
	*" suse "*|*" sles "*|*" opensuse "*) echo suse ;;
	*) echo other ;;
	esac
}

# headers_remedy KVER -> how to install KVER's build dir on this distribution
headers_remedy() {
	case $(os_family) in
	debian|ubuntu) echo "apt-get install linux-headers-$1" ;;
	rhel) echo "dnf install kernel-devel-$1 (yum on RHEL 7)" ;;
	suse) echo "zypper install kernel-devel kernel-${1##*-}-devel" ;;
	*) echo "install the build dir (headers) of kernel $1" ;;
	esac
}

# source_remedy KVER VERSION -> how to get the source of kernel KVER (linux VERSION) here
source_remedy() {
	local kver=$1 v=$2
	case $(os_family) in
	debian) echo "apt-get install linux-source-$(kernel_series "$v")" ;;
	ubuntu) echo "apt-get install linux-source-$(ubuntu_base "$v") (an HWE kernel: linux-hwe-$(kernel_series "$v")-source-$(ubuntu_base "$v")), or apt-get source linux-image-unsigned-$kver" ;;
	rhel) echo "install the kernel source RPM of $kver and run rpmbuild -bp (~/rpmbuild/BUILD/kernel-*/linux-*), then pass I915_SRC=<that tree> or run scripts/1-source/set-source --kver $kver <that tree>" ;;
	suse) echo "zypper install kernel-source (it unpacks to /usr/src/linux-$v*)" ;;
	*) echo "unpack the linux $v source (kernel.org tarball or your vendor's tree) and pass I915_SRC=<tree or tarball>" ;;
	esac
}

# ubuntu_base VERSION -> "X.Y.0": Ubuntu names its source packages after the series' .0
ubuntu_base() { echo "$(kernel_series "$1").0"; }

# kernel_series VERSION -> "X.Y"
kernel_series() { printf '%s\n' "$1" | cut -d. -f1,2; }

# makefile_version FILE -> "X.Y.Z" read from a kernel top-level Makefile
# (VERSION/PATCHLEVEL/SUBLEVEL); prints nothing when the file is not one.
makefile_version() {
	awk -F' *= *' '
		$1 == "VERSION"    { v = $2 }
		$1 == "PATCHLEVEL" { p = $2 }
		$1 == "SUBLEVEL"   { s = $2 }
		END { if (v != "" && p != "") printf "%s.%s.%s\n", v, p, (s == "" ? 0 : s) }
	' "$1" 2>/dev/null
}

# kdir_common KDIR -> the directory a Debian-style split headers dir builds from.
# Debian's linux-headers-<abi>-<flavour> holds the config and generated headers, and
# its Makefile is the one line `include /usr/src/linux-headers-<abi>-common/Makefile`;
# prints that -common directory, nothing for any other kind of build dir.
kdir_common() {
	local mk=$1/Makefile
	[ -f "$mk" ] && [ "$(grep -cv '^[[:space:]]*$' "$mk")" = 1 ] || return 0
	sed -n 's|^include[[:space:]]\+\(/.*\)/Makefile[[:space:]]*$|\1|p' "$mk"
}

# kdir_version KDIR -> upstream version of a kernel build dir: from its Makefile when
# that is the kernel's own (it has SUBLEVEL), else from the Makefile it wraps: Debian's
# split headers and the O= build dirs of newer kbuild, e.g. SUSE's
# /usr/src/linux-<ver>-obj/<arch>/<flavor> ("# Automatically generated ..." and
# "include /usr/src/linux-<ver>/Makefile"), or the older mkmakefile wrapper (VERSION and
# PATCHLEVEL only, "MAKEARGS := -C /usr/src/linux-<ver>"); last, X.Y.Z of the release
# the dir was prepared for (include/config/kernel.release)
kdir_version() {
	local kdir=$1 v='' inner
	[ -f "$kdir/Makefile" ] || return 1
	grep -q '^SUBLEVEL[[:space:]]*=' "$kdir/Makefile" && v=$(makefile_version "$kdir/Makefile")
	if [ -z "$v" ]; then
		inner=$(sed -n -e 's|^include[[:space:]]\+\(/[^[:space:]]*\)/Makefile[[:space:]]*$|\1|p' \
			-e 's|^MAKEARGS[[:space:]]*:=[[:space:]]*-C[[:space:]]\+\(/[^[:space:]]*\)[[:space:]]*$|\1|p' "$kdir/Makefile" | head -n 1)
		[ -n "$inner" ] && [ "$inner" != "$kdir" ] && v=$(makefile_version "$inner/Makefile")
	fi
	[ -n "$v" ] || v=$(kdir_release "$kdir" | sed -n 's/^\([0-9]\+\.[0-9]\+\)\(\.[0-9]\+\)\{0,1\}.*/\1\2/p')
	case $v in *.*.*) ;; ?*) v=$v.0 ;; esac
	[ -n "$v" ] && printf '%s\n' "$v"
}

# kernel_symvers KDIR KVER -> the kernel's exported symbols (with CRCs): KDIR/Module.symvers,
# else the copy RHEL's kernel packages put in /boot (symvers-<kver>.gz; I915_BOOT_DIR for
# tests); fails when there is neither. Read it with `zcat -f`.
kernel_symvers() {
	local f
	for f in "$1/Module.symvers" "${I915_BOOT_DIR:-/boot}/symvers-$2.gz"; do
		[ -s "$f" ] && { printf '%s\n' "$f"; return 0; }
	done
	return 1
}

# kdir_release KDIR -> the kernel release a configured build dir was prepared for
# (include/config/kernel.release: kernel.org trees, Debian/Ubuntu headers, RHEL
# kernel-devel, SUSE -obj dirs alike); fails when there is none
kdir_release() {
	local r
	r=$(head -n 1 "$1/include/config/kernel.release" 2>/dev/null) && [ -n "$r" ] && printf '%s\n' "$r"
}

# list_kernels [--i915] -> the installed kernels that have a configured build dir
# (/lib/modules/<k>/build/.config), with --i915 only those with CONFIG_DRM_I915; oldest
# first. The one kernel listing of setup, install-kernels, default-kernel and the matrix.
list_kernels() {
	local d k
	for d in /lib/modules/*/; do
		k=$(basename "$d")
		[ -f "$d/build/.config" ] || continue
		[ "${1:-}" != --i915 ] || [ -n "$(kconfig_value "$d/build" CONFIG_DRM_I915)" ] || continue
		echo "$k"
	done | sort -V
}

# bpo_note KVER -> one sentence when the kernel also ships Ubuntu 16.04's second i915,
# i915_bpo (ubuntu/i915: a 4.6-era backport that drives Skylake, Broxton and Kaby Lake,
# whose IDs the 4.4 i915 lacks), which this package does not rebuild; nothing otherwise.
# (I915_MODULES_ROOT for tests; docs/verify-designs.md, "Ubuntu 16.04's i915_bpo")
bpo_note() {
	[ -n "$(find "${I915_MODULES_ROOT:-/lib/modules}/$1/" -name 'i915_bpo.ko*' -print -quit 2>/dev/null)" ] || return 0
	echo "kernel $1 also has i915_bpo (ubuntu/i915), which drives Skylake/Broxton/Kaby Lake GPUs instead of i915 and is not rebuilt by this package (docs/verify-designs.md)"
}

# kconfig_value KDIR CONFIG_X -> y|m|"" from the build dir's .config
kconfig_value() {
	sed -n "s/^$2=\\(.*\\)$/\\1/p" "$1/.config" 2>/dev/null | head -n 1
}

# ccache_counts -> "HITS MISSES" so far (ccache 4.x): the benchmark and the matrix
# report the hits of one build as the difference of two readings
ccache_counts() {
	local d=${CCACHE_DIR:-}
	as_root && d=${I915_CCACHE_DIR:-/var/cache/$PKG_NAME/ccache}   # root builds' cache (build-module)
	env ${d:+CCACHE_DIR="$d"} ccache --print-stats 2>/dev/null |
		awk '$1 ~ /^(direct|preprocessed)_cache_hit$/ { h += $2 } $1 == "cache_miss" { m = $2 } END { print h + 0, m + 0 }'
}

# --- kernel sources: trees and tarballs (acquire-source, the compat matrix) ---

is_tarball() { case $1 in *.tar|*.tar.xz|*.txz|*.tar.bz2|*.tbz2|*.tar.gz|*.tgz|*.tar.zst) return 0 ;; esac; return 1; }

decompressor() {
	case $1 in
	*.xz|*.txz) echo "xz -T0 -dc" ;;   # multi-threaded where the file has several blocks (Debian's linux-source: 2x)
	*.bz2|*.tbz2) echo "bzip2 -dc" ;;
	*.gz|*.tgz) echo "gzip -dc" ;;
	*.zst) echo "zstd -dc" ;;
	*) echo "cat" ;;
	esac
}

# tar_prefix TARBALL -> the top directory of the archive ("linux-source-6.1")
tar_prefix() {
	# shellcheck disable=SC2046
	$(decompressor "$1") "$1" 2>/dev/null | tar -t 2>/dev/null | head -n 1 | cut -d/ -f1 || true
}

# tar_extract TARBALL DIR MEMBER... : extract the members (files or whole directories)
# into DIR and stop reading once the last of them has passed (GNU tar --occurrence: a
# tree's tar holds a directory's members together). Debian's linux-source-6.12 has i915
# at 41% and drivers/platform/x86 at 64% of 1.5 GB: the rest is never decompressed. The
# decompressor then dies of SIGPIPE (141), or says "Broken pipe" where SIGPIPE is
# ignored: that is the early stop, not an error. Call it as a condition; status 1 with
# the errors on stderr when tar or the decompressor failed otherwise (corrupt, truncated,
# a member missing).
tar_extract() {
	local t=$1 dir=$2 derr rc=0
	shift 2
	derr=$(mktemp) || return 1
	# shellcheck disable=SC2046
	$(decompressor "$t") "$t" 2>"$derr" | tar -x -C "$dir" --occurrence=1 -- "$@"
	local te_st=("${PIPESTATUS[@]}")
	if [ "${te_st[1]}" -ne 0 ]; then rc=1
	elif [ "${te_st[0]}" -ne 0 ] && [ "${te_st[0]}" -ne 141 ] && ! grep -q 'Broken pipe' "$derr"; then rc=1
	fi
	[ $rc -eq 0 ] || cat "$derr" >&2
	rm -f "$derr"
	return $rc
}

# source_version CANDIDATE -> X.Y.Z read from a kernel tree's or tarball's top-level
# Makefile; nothing when it has none (not a kernel source, or truncated)
source_version() {
	local c=$1 prefix
	if [ -d "$c" ]; then
		makefile_version "$c/Makefile"
	else
		prefix=$(tar_prefix "$c")
		[ -n "$prefix" ] || return 0
		# shellcheck disable=SC2046
		{ $(decompressor "$c") "$c" 2>/dev/null | tar -xO --occurrence=1 -- "$prefix/Makefile" 2>/dev/null || true; } |
			makefile_version /dev/stdin
	fi
}

# --- the plan (scripts/2-decide/plan) and the patches' metadata -------------------------------

# plan_get PLAN KEY -> the values of KEY in a plan (key=value lines written by
# scripts/2-decide/plan), one per line, in order (compat_patch= may repeat); parsed, never sourced
plan_get() { sed -n "s/^$2=//p" "$1" 2>/dev/null; }

# patch_field PATCH FIELD -> the values of a header field ("Field: value") of a patch,
# one per line: only the header counts (the lines before the first ---/diff/+++ line),
# never a line of the diff itself
patch_field() {
	awk -v f="$2" '/^(---|\+\+\+|diff |Index: )/ { exit }
		index($0, f ":") == 1 { v = substr($0, length(f) + 2); sub(/^[ \t]+/, "", v); print v }' "$1"
}

# dir_sha256 DIR [SUBDIR] -> sha256 of the contents of the files below DIR by their names
# relative to DIR (the same files elsewhere give the same hash), SUBDIR left out
dir_sha256() {
	(cd "$1" && find . ${2:+-path "./$2" -prune -o} -type f -print0 | LC_ALL=C sort -z |
		xargs -0 -r sha256sum) | sha256sum | cut -d' ' -f1
}

# i915_tree_sha256 DIR -> the sha256 acquire-source's provenance records for a tree
# source: of the files below DIR (its i915 directory) by their names relative to DIR
i915_tree_sha256() {
	(cd "$1" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum) | sha256sum | cut -d' ' -f1
}

# first_failed_hunk PATCH ROOT: apply PATCH (-p1, no fuzz, not reversed) to ROOT when
# all of it applies (0); otherwise apply nothing, print where it first fails, as
# "<file> hunk #N at line L in <the hunk's function>", and return 1
first_failed_hunk() {
	local p=$1 root=$2 out file hunk at fn
	if out=$(patch --dry-run -p1 -N --fuzz=0 --no-backup-if-mismatch -r - -d "$root" < "$p" 2>&1); then
		patch -s -p1 -N --fuzz=0 --no-backup-if-mismatch -r - -d "$root" < "$p" > /dev/null 2>&1 && return 0
	fi
	file=$(printf '%s\n' "$out" | awk '/^checking file /{f=$3} /FAILED|Reversed|can.t find file/{print f; exit}')
	hunk=$(printf '%s\n' "$out" | sed -n 's/^Hunk #\([0-9]*\) FAILED at \([0-9]*\).*/\1 \2/p' | head -n 1)
	if [ -n "$hunk" ]; then
		at=${hunk#* } hunk=${hunk%% *}
		fn=$(awk -v f="$file" -v n="$hunk" '/^\+\+\+ /{ t = $2; sub(/^[^\/]*\//, "", t); c = 0; next }
			/^@@ / && t == f { if (++c == n) { sub(/^@@ [^@]* @@ ?/, ""); print; exit } }' "$p")
		# a hunk header without its function: the definition above that line of the source
		[ -n "$fn" ] || fn=$(awk -v l="$at" 'NR > l { exit } /^[A-Za-z_][^;]*\(/ && !/;[[:space:]]*$/ { d = $0 } END { print d }' "$root/$file" 2>/dev/null)
		printf '%s hunk #%s at line %s%s\n' "${file:-?}" "$hunk" "$at" "${fn:+ in $fn}"
	elif printf '%s\n' "$out" | grep -q 'Reversed'; then
		printf '%s: already applied (reversed patch)\n' "${file:-?}"
	elif printf '%s\n' "$out" | grep -q "can.t find file"; then
		for file in $(sed -n 's|^+++ [^/]*/\([^[:space:]]*\).*|\1|p' "$p"); do
			[ -e "$root/$file" ] || break
		done
		printf '%s: no such file in this source\n' "$file"
	else
		printf '%s\n' "$(printf '%s\n' "$out" | grep -v '^checking file' | head -n 1)"
	fi
	return 1
}

# file_sha256 FILE -> sha256 of FILE's contents
file_sha256() { sha256sum < "$1" | cut -d' ' -f1; }

# patch_root -> where the series and compat patches are (I915_PATCH_DIR for tests)
patch_root() { printf '%s\n' "${I915_PATCH_DIR:-$PKG_TOP/patches}"; }

# design_field DESIGN KEY -> the value of KEY in DESIGN's stanza of the design table
# (patches/designs, the one copy: "key: value" lines), empty when it has none; data,
# read with awk, never executed
design_field() {
	awk -v d="$1" -v k="$2" '/^design: / { on = (substr($0, 9) == d) }
		on && index($0, k ": ") == 1 { print substr($0, length(k) + 3); exit }' "$(patch_root)/designs" 2>/dev/null
}

# rt_excluded TREE -> true when TREE's i915 is the non-rt driver (Kconfig: depends on
# !PREEMPT_RT); an rt kernel needs the i915 part of its rt patch set first
rt_excluded() { grep -Eq '^[[:space:]]*depends on .*!PREEMPT_RT' "$1/drivers/gpu/drm/i915/Kconfig"; }

# --- arguments ------------------------------------------------------------------------

# parse_opts "USAGE" SPEC... -- "$@": the one option parser of the scripts. Each SPEC is
# an option name: "kver" takes a value (--kver VALUE sets $kver; a dash in the name is
# an underscore in the variable), "verbose!" is a flag (--verbose sets $verbose=1), and
# "--rest" lets the arguments after a "--" through, in the array REST. Anything else: one
# line with USAGE, exit 2. Variables of options not given keep their defaults.
parse_opts() {
	local usage=$1 o a hit rest=0
	local -a specs=()
	shift
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		[ "$1" = '--rest' ] && rest=1 || specs+=("$1")
		shift
	done
	[ $# -gt 0 ] && shift
	REST=()
	while [ $# -gt 0 ]; do
		a=$1 hit=
		if [ "$a" = -- ] && [ $rest = 1 ]; then
			shift; REST=("$@"); return 0
		fi
		for o in "${specs[@]}"; do
			case $o in
			*!) o=${o%!}; [ "$a" = "--$o" ] || continue
			    printf -v "${o//-/_}" 1; hit=1; shift; break ;;
			*)  [ "$a" = "--$o" ] || continue
			    [ $# -ge 2 ] || die 2 "$a needs a value ($usage)"
			    printf -v "${o//-/_}" '%s' "$2"; hit=1; shift 2; break ;;
			esac
		done
		[ -n "$hit" ] || die 2 "unknown argument '$a' ($usage)"
	done
}

# need_opts "USAGE" VAR...: exit 2 with USAGE when one of the VARs is empty
need_opts() {
	local usage=$1 v; shift
	for v in "$@"; do [ -n "${!v:-}" ] || die 2 "$usage"; done
}
