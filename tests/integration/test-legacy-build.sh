#!/bin/bash
# Fix mode on legacy kernels (3.18 .. 4.3 backport, 4.4 .. 4.8 ctx-clean completion): for
# every prepared kernel tree in LEGACY_TREES (space-separated paths: prepared trees, see
# docs/legacy-kernels.md, or plain trees whose kernel make check-legacy built),
# classify its i915 (must be leak-* or ctx-clean), build it with `make KVER= KDIR= I915_SRC=`
# (the tree is both the build dir and the i915 source), and check that the module is the
# fix-mode build with the 4.4 cleanup in it (the walk: the backport's
# i915_gem_context_clean on leak-*, upstream's own as i915_dkms_ppgtt_clean on ctx-clean):
#   - modinfo dkms_mode=fix, dkms_generation = the classified generation
#   - nm: the walk (static, gcc may add a suffix such as .isra.0),
#     __i915_vma_unbind_no_wait, the package hooks
#   - objdump: i915_gem_context_free calls i915_gem_context_clean (or the walk, where the
#     wrapper is inlined), the walk calls
#     __i915_vma_unbind_no_wait; i915_init calls i915_dkms_init before drm_pci_init,
#     i915_exit calls i915_dkms_exit
#   - the patched source in WORK calls the cleanup between intel_lr_context_free()
#     and i915_ppgtt_put(), and the cleanup has 4.4's shape
#   - nothing was installed for that kernel
#   - dkms: with this machine's dkms and every dkms script in DKMS_VERSIONS (e.g. the
#     2.2.0.3, 2.8.7, 3.0.10 and 3.4.x releases, docs/legacy-kernels.md), a sandboxed
#     add/build/install (private mount namespace: /lib/modules and /etc/dkms are the
#     sandbox's; nothing on the host changes) installs a fix-mode i915 for that kernel,
#     with no kvmgt (these kernels have none); the source comes from scripts/1-source/set-source
#     (a dkms build has no I915_SRC)
# Work trees are work/test-legacy-<kver> (kept with WORK_KEEP=1).
# Without LEGACY_TREES: one skip line, exit 0.
# LEGACY_MAKE_ARGS: extra make arguments, e.g. "-j2" or "KCFLAGS=-fno-pie".
. "$(dirname "$0")/../lib.sh"
cd "$PKG_TOP" || exit 1

if [ -z "${LEGACY_TREES:-}" ]; then
	skip "legacy fix builds" "LEGACY_TREES not set (space-separated 3.18-4.3 kernel trees: prepared ones, or plain ones whose kernel make check-legacy built; see docs/legacy-kernels.md)"
	exit 0
fi

T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
have_objdump=0
command -v objdump >/dev/null && objdump --help 2>/dev/null | grep -q -- '--disassemble=' && have_objdump=1

# disasm KO SYMBOL: disassembly with relocations of one function (suffixed names too)
disasm() {
	local ko=$1 sym=$2 s
	s=$(nm "$ko" | awk -v s="$sym" '$3 == s || index($3, s ".") == 1 { print $3; exit }')
	[ -n "$s" ] && objdump -dr --no-show-raw-insn --disassemble="$s" "$ko"
}

# body FILE FUNCTION: the lines of FUNCTION's definition (its name at the start of a line
# or after its type), up to its closing brace
body() { awk -v f="$2" '$0 ~ "^([a-z].*[ *])?" f "\\(" { p = 1 } p { print } p && /^}/ { exit }' "$1"; }

# dkms_build DKMS KDIR KVER NAME GEN SRC: dkms add/build/install of a copy of the package
# in a sandbox (mount namespace), KDIR as the kernel's build dir, SRC (set-source) as source
dkms_list=$(command -v dkms || true)
for d in ${DKMS_VERSIONS:-}; do dkms_list="$dkms_list $d"; done
dkms_build() {
	local dk=$1 tree=$2 kver=$3 name=$4 gen=$5 src=$6 ver label S P rc m opts
	ver=$("$dk" --version 2>/dev/null | grep -oE '[0-9]+\.[0-9][0-9.]*' | head -n 1)
	label="$name: dkms ${ver:-?} ($dk)"
	if [ "$(id -u)" -ne 0 ] || ! command -v unshare >/dev/null; then skip "$label" "needs root and unshare"; return; fi
	S=$T/dkms-${ver:-x}-$kver; rm -rf "$S"; mkdir -p "$S/tree" "$S/src" "$S/modules/$kver"
	P=$S/src/i915-vma-cleanup-$(cat VERSION)
	mkdir -p "$P"
	tar -C "$PKG_TOP" --exclude=./.git --exclude=./work -cf - . | tar -C "$P" -xf -
	ln -s "$tree" "$S/modules/$kver/build"
	I915_SOURCES_CONF=$S/sources.conf scripts/1-source/set-source --kver "$kver" "$src" 2>/dev/null
	opts="--dkmstree $S/tree --sourcetree $S/src --installtree /usr/lib/modules -k $kver --kernelsourcedir $tree"
	case $ver in 2.*) opts="$opts --no-prepare-kernel --no-clean-kernel" ;; esac
	# shellcheck disable=SC2086
	I915_SOURCES_CONF=$S/sources.conf unshare -m sh -c "mount --bind '$S/modules' /usr/lib/modules && mount -t tmpfs tmpfs /etc/dkms &&
		mount -t tmpfs tmpfs /boot &&
		'$dk' add -m i915-vma-cleanup -v $(cat VERSION) $opts && '$dk' build -m i915-vma-cleanup -v $(cat VERSION) $opts &&
		'$dk' install -m i915-vma-cleanup -v $(cat VERSION) $opts" > "$S/log" 2>&1; rc=$?
	m=$(find "$S/modules/$kver" -name 'i915.ko*' | head -n 1)
	if [ $rc -ne 0 ] || [ -z "$m" ]; then
		bad "$label: add/build/install" "exit $rc; $(grep -m1 -E 'rror' "$S/log" || tail -n 1 "$S/log") (log: $S/log)"
		cp "$S/log" "$(mktemp --suffix=.log "/var/tmp/i915-vma-cleanup-legacy-dkms-${ver:-x}-$kver-XXXXXX")" 2>/dev/null
		return
	fi
	ok "$label: add/build/install"
	check "$label: installed i915 is fix mode, $gen (${m#"$S/modules/"})" \
		test "$(modinfo -F dkms_mode "$m"):$(modinfo -F dkms_generation "$m")" = "fix:$gen"
	check "$label: no kvmgt needed or installed" test -z "$(find "$S/modules/$kver" -name 'kvmgt.ko*')"
}

for tree in $LEGACY_TREES; do
	tree=${tree%/}
	name=$(basename "$tree")
	i915=$tree/drivers/gpu/drm/i915

	# --- classification of the unpatched tree -------------------------------------------
	if cls=$(scripts/2-decide/classify-source "$i915" 2>"$T/cls.err"); then
		gen=$(sed -n 's/^generation=//p' <<<"$cls")
		mode=$(sed -n 's/^mode=//p' <<<"$cls")
	else
		gen='' mode=''
	fi
	case $mode:$gen in
	# walk: the function with the cleanup's list walk (the backport's on leak-*; on
	# ctx-clean upstream's own, which its completion 0003 runs on an address space)
	fix:leak-*) ok "$name: classify-source says $gen ($(sed -n 's/^evidence=//p' <<<"$cls"))"; walk=i915_gem_context_clean ;;
	fix:ctx-clean) ok "$name: classify-source says $gen ($(sed -n 's/^evidence=//p' <<<"$cls"))"; walk=i915_dkms_ppgtt_clean ;;
	*) bad "$name: classify-source says leak-*" "got '${mode:-}' '${gen:-}' $(head -n 1 "$T/cls.err")"; continue ;;
	esac

	# --- the tree must be prepared (config + modules_prepare), or be a plain tree whose
	# kernel make check-legacy built (tests/legacy/build-kernel's cache entry) -------------
	kdir=$tree ksrc=$tree
	if [ ! -f "$tree/include/config/kernel.release" ] &&
	   entry=$(tests/legacy/build-kernel --tree "$tree" --key-only 2>/dev/null) && [ -f "$entry/.complete" ]; then
		kdir=$entry/build ksrc=$entry/src
	fi
	kver=$(cat "$kdir/include/config/kernel.release" 2>/dev/null)
	if [ -z "$kver" ] || [ ! -f "$kdir/include/generated/autoconf.h" ] || [ ! -x "$kdir/scripts/mod/modpost" ]; then
		bad "$name: tree is prepared" "no kernel.release/autoconf.h/modpost: run make olddefconfig && make modules_prepare in $tree, or make check-legacy LEGACY_TREES=$tree (docs/legacy-kernels.md)"
		continue
	fi

	# --- build ---------------------------------------------------------------------------
	W=work/test-legacy-$kver
	# only what belongs to this kernel: other tests may install for the Debian kernels meanwhile
	before=$(snapshot "/lib/modules/$kver" /boot/*"$kver"* /var/lib/dkms/*/*/"$kver")
	rm -rf "$W"
	start=$(date +%s)
	# no KVER: make takes the release from KDIR (include/config/kernel.release)
	# shellcheck disable=SC2086
	if make KDIR="$kdir" I915_SRC="$ksrc" WORK="$W" ${LEGACY_MAKE_ARGS:-} > "$T/build.log" 2>&1; then
		ok "$name: make KDIR=<tree> (no KVER) builds i915.ko for $kver ($(( $(date +%s) - start )) s)"
	else
		bad "$name: make builds i915.ko for $kver" "$(grep -m1 -E 'error|Error' "$T/build.log")"
		continue
	fi
	m=$W/drivers/gpu/drm/i915/i915.ko
	check "$name: modinfo dkms_mode=fix" test "$(modinfo -F dkms_mode "$m" 2>/dev/null)" = fix
	check "$name: modinfo dkms_generation=$gen" test "$(modinfo -F dkms_generation "$m" 2>/dev/null)" = "$gen"
	check "$name: vermagic is $kver" test "$(modinfo -F vermagic "$m" 2>/dev/null | cut -d' ' -f1)" = "$kver"

	# --- symbols ---------------------------------------------------------------------------
	nm "$m" > "$T/nm"
	check "$name: nm has $walk (local)" grep -qE " t $walk(\\.[a-z]+\\.[0-9]+)?\$" "$T/nm"
	check "$name: nm has __i915_vma_unbind_no_wait" grep -qE ' T __i915_vma_unbind_no_wait$' "$T/nm"
	check "$name: nm has the i915_vma_unbind wrapper" grep -qE ' T i915_vma_unbind$' "$T/nm"
	check "$name: nm has the package hooks" test "$(grep -cE ' T i915_dkms_(init|exit|vma_reclaimed|context_cleaned)$' "$T/nm")" -eq 4
	check "$name: the production module has no test seam (i915_dkms_cleanup_enabled)" \
		test "$(grep -c 'i915_dkms_cleanup_enabled' "$T/nm")" -eq 0

	# --- calls in the built module ---------------------------------------------------------------
	if [ $have_objdump -eq 1 ]; then
		# (ctx-clean's i915_gem_context_clean is a wrapper gcc may inline: then the walk is the call)
		check "$name: i915_gem_context_free calls i915_gem_context_clean or $walk (objdump)" \
			grep -qE "(call.*<|R_X86_64_(PLT|PC)32[[:space:]]+)(i915_gem_context_clean|$walk)(\\.[a-z]+\\.[0-9]+)?[>-]" <<<"$(disasm "$m" i915_gem_context_free)"
		check "$name: $walk calls __i915_vma_unbind_no_wait (objdump)" \
			grep -qE '(R_X86_64_PLT32|R_X86_64_PC32|call).*__i915_vma_unbind_no_wait' <<<"$(disasm "$m" "$walk")"
		# i915_init/i915_exit are listed under their module_init/module_exit aliases
		calls=$(objdump -dr --no-show-raw-insn -j .init.text "$m" |
			awk '/^[0-9a-f]+ <init_module>:/ { p = 1; next } /^[0-9a-f]+ <.*>:/ { p = 0 } p' |
			grep -oE '(i915_dkms_init|drm_pci_init)' | head -n 2 | tr '\n' ' ')
		check "$name: i915_init calls i915_dkms_init before drm_pci_init (objdump)" \
			test "$calls" = "i915_dkms_init drm_pci_init "
		check "$name: i915_exit calls i915_dkms_exit (objdump)" \
			grep -q 'i915_dkms_exit' <<<"$(objdump -dr -j .exit.text "$m" |
				awk '/^[0-9a-f]+ <cleanup_module>:/ { p = 1; next } /^[0-9a-f]+ <.*>:/ { p = 0 } p')"
	else
		skip "$name: calls in the built module" "objdump with --disassemble=SYM (binutils >= 2.32) not available"
	fi

	# --- the patched source ---------------------------------------------------------------------
	src=$W/drivers/gpu/drm/i915/i915_gem_context.c
	free_body=$(body "$src" i915_gem_context_free)
	order=$(grep -nE 'intel_lr_context_free\(ctx\);|i915_gem_context_clean\(ctx\);|i915_ppgtt_put\(ctx->ppgtt\);' <<<"$free_body" |
		sed -E 's/^[0-9]+:[[:space:]]*//; s/\(.*//' | tr '\n' ' ')
	check "$name: i915_gem_context_free: lr_context_free, then clean, then ppgtt_put (source)" \
		test "$order" = "intel_lr_context_free i915_gem_context_clean i915_ppgtt_put "
	clean_body=$(body "$src" i915_gem_context_clean)
	check "$name: cleanup ($walk) walks inactive_list (mm_list or vm_link), unbinds without waiting (source)" \
		grep -qzE 'if \(!ppgtt\)[[:space:]]+return;.*list_for_each_entry_safe\(vma, next, &ppgtt->base\.inactive_list,[[:space:]]+(mm_list|vm_link)\).*if \(WARN_ON\(__i915_vma_unbind_no_wait\(vma\)\)\)[[:space:]]+break;' <<<"$(body "$src" "$walk")"
	# the no-wait unbind must not retire the object (the retire may drop its last
	# reference: the leak-4.1 use-after-free); where the design retires in unbind at all,
	# only after the wait
	unbind_body=$(body "$W/drivers/gpu/drm/i915/i915_gem.c" __i915_vma_unbind)
	retires=$(grep -c 'i915_gem_object_retire(obj);' <<<"$unbind_body")
	guarded=$(awk '/if \(wait\)/ { w = 1 } w && /i915_gem_object_retire\(obj\);/ { n++ } /^\t}/ { w = 0 } END { print n + 0 }' <<<"$unbind_body")
	check "$name: __i915_vma_unbind retires the object only after the wait ($retires retire(s), $guarded under 'if (wait)')" \
		test "$retires" -eq "$guarded"
	# the completion (leak-3.18/0004, issue 20): the context cleanup marks its VM closed,
	# and only the device-wide retire reaps closed VMs, after every ring's walk; never
	# the per-ring retire, which runs inside ring waits a waiting unbind can reach
	if grep -q 'i915_gem_retire_closed_vms' "$W/drivers/gpu/drm/i915/i915_gem.c"; then
		retire_body=$(body "$W/drivers/gpu/drm/i915/i915_gem.c" i915_gem_retire_requests)
		ring_body=$(body "$W/drivers/gpu/drm/i915/i915_gem.c" i915_gem_retire_requests_ring)
		check "$name: completion: the cleanup marks the VM closed; i915_gem_retire_requests reaps after the ring loop, the per-ring retire never (source)" \
			test "$(grep -c 'ppgtt->base.closed = true;' <<<"$clean_body")" -eq 1 -a \
			"$(awk '/for_each_ring/ { l = 1 } l && /^\t}/ { d = 1 } d && /i915_gem_retire_closed_vms\(dev\);/ { n++ } END { print n + 0 }' <<<"$retire_body")" -eq 1 -a \
			"$(grep -c 'i915_gem_retire_closed_vms' <<<"$ring_body")" -eq 0
	fi
	check "$name: nothing installed for $kver (/lib/modules, /boot, /var/lib/dkms)" \
		test "$(snapshot "/lib/modules/$kver" /boot/*"$kver"* /var/lib/dkms/*/*/"$kver")" = "$before"
	[ "${WORK_KEEP:-0}" = 1 ] || rm -rf "$W"

	# --- dkms, each version, sandboxed ------------------------------------------------------
	for dk in $dkms_list; do
		dkms_build "$dk" "$kdir" "$kver" "$name" "$gen" "$ksrc"
	done
done
t_done
