#!/bin/bash
# Real dkms lifecycle on real Debian kernels, through the README's main job
# (scripts/5-install/setup = dkms add + build + install for the given kernels): by default the
# package leaves these kernels alone (their i915 reclaims already): one line each, nothing
# built, stock i915 and initramfs unchanged, the status command on the PATH says so; then
# with verify mode asked for (scripts/2-decide/set-mode, as a support engineer does):
#   installed module: dkms status, modinfo identity, updates/dkms path, kvmgt too,
#   initramfs holds our i915 (i915 is forced into the initramfs for the test),
#   uninstall restores the stock module and initramfs, remove leaves no trace.
# Then a sandboxed dkms run (--dkmstree/--sourcetree/--installtree) that must not
# touch /lib/modules, /var/lib/dkms, /usr/src or /boot: an image builder's build for a
# kernel that is not the newest (6.12.107), from the source the pipeline picks: its exact
# source when scripts/1-source/fetch-source put it in the cache (tests/deps does), else the
# series' newest. With WORK_KEEP=1 the installed modules are saved to
# work/installed-<kernel>/ for the VM smoke test. TEST_SANDBOX_BUILD=0 (tests/run, for
# CI's time budget) stops the sandboxed run after add and the default skip: its build
# (a full i915 compile) is then a skip line; the exact-source choice for that kernel is
# still checked by the compat matrix (its prepare), the sandbox flags by
# tests/unit/test-dkms-target.sh (stub package, every dkms version).
. "$(dirname "$0")/../lib.sh"
. "$PKG_TOP/scripts/lib.sh"
PKG=i915-vma-cleanup
VER=$(cat "$PKG_TOP/VERSION")
KERNELS=${TEST_KERNELS:-6.1.0-56-amd64 6.12.117+deb12-amd64}
SANDBOX_KERNEL=${TEST_SANDBOX_KERNEL:-6.12.107+deb12-amd64}
SANDBOX_SRC=${TEST_SANDBOX_SRC:-}
T=$(mktemp -d)
conf=/etc/initramfs-tools/modules
cp -a "$conf" "$T/modules.orig" 2>/dev/null || : > "$T/modules.orig"
# the mode setting (scripts/2-decide/set-mode) the opt-in writes, put back as it was
modes=$MODES_CONF
[ -f "$modes" ] && cp -a "$modes" "$T/modes.orig"
restore() {
	cp -a "$T/modules.orig" "$conf"
	if [ -f "$T/modes.orig" ]; then cp -a "$T/modes.orig" "$modes"; else rm -f "$modes"; fi
	rm -rf "$T"
}
trap restore EXIT

[ "$(id -u)" -eq 0 ] || { skip "dkms lifecycle" "needs root"; exit 0; }

unpack() { case $1 in *.xz) xz -dc "$1" ;; *.zst) zstd -dc "$1" ;; *) cat "$1" ;; esac; }
sha() { unpack "$1" | sha256sum | cut -d' ' -f1; }
initrd_i915_sha() {   # sha256 of the i915.ko inside kernel $1's initramfs, or "none"
	local d=$T/initrd-$1 f
	rm -rf "$d"; unmkinitramfs "/boot/initrd.img-$1" "$d" >/dev/null 2>&1 || { echo unreadable; return; }
	f=$(find "$d" -name 'i915.ko*' | head -n 1)
	if [ -n "$f" ]; then sha "$f"; else echo none; fi
}

# Force i915 into the initramfs so "the initramfs holds our module" is checkable
# (Debian's default MODULES=most does not include it; early-KMS users add it).
grep -qx i915 "$conf" 2>/dev/null || echo i915 >> "$conf"

# The test installs, uninstalls and removes the package itself: it starts unregistered
# (tests/run takes a user's installation out of the way and puts it back afterwards).
starts_unregistered "dkms lifecycle: starts with the package unregistered" || t_done

declare -A stock_path stock_sha stock_kvmgt stock_kvmgt_sha
for k in $KERNELS; do
	[ -d "/lib/modules/$k/build" ] || { bad "$k: headers" "linux-headers-$k is not installed"; continue; }
	stock_path[$k]=$(modinfo -k "$k" -n i915)
	case ${stock_path[$k]} in
	*/kernel/drivers/gpu/drm/i915/i915.ko*) ;;
	*) bad "$k: modprobe resolves the distribution's i915 before the test" \
		"it resolves ${stock_path[$k]:-nothing} (a leftover of another installation? remove it, depmod -a $k)" ;;
	esac
	stock_sha[$k]=$(sha "${stock_path[$k]}")
	stock_kvmgt[$k]=$(modinfo -k "$k" -n kvmgt)
	stock_kvmgt_sha[$k]=$(sha "${stock_kvmgt[$k]}")
done

# --- the main job by default: Debian 12's kernels reclaim already, their stock i915 stays ------
declare -A initrd_before
for k in $KERNELS; do initrd_before[$k]=$(sha256sum < "/boot/initrd.img-$k" 2>/dev/null); done
rm -f "$modes"
default_log=$T/default.log
if env -u I915_MODE "$PKG_TOP/scripts/5-install/setup" --no-deps --kernels "$KERNELS" > "$default_log" 2>&1; then
	ok "default: scripts/5-install/setup exits 0 for: $KERNELS"
else
	bad "default: scripts/5-install/setup exits 0 for: $KERNELS" "$(tail -n 5 "$default_log" | tr '\n' ' ')"
fi
sed 's/^/    | /' "$default_log" | tail -n 4
status_cmd=$(command -v i915-vma-cleanup-status)
status_says() {   # status_says KVER OUT: its row and its note say "not affected, stock kept"
	awk -v k="$1" '$1 == k' "$2" | grep -qF 'no (vm-release: stock kept)' &&
		grep -qF 'not affected: fixed upstream (vm-release design), stock i915 kept' "$2"
}
check "default: the summary says nothing was installed (no reboot asked for)" \
	bash -c "grep -q '^Nothing was installed: every kernel keeps its stock i915' '$default_log' && ! grep -q '^Reboot' '$default_log'"
check "default: make install left the status command on the PATH ($status_cmd)" test "$status_cmd" = /usr/local/bin/i915-vma-cleanup-status
for k in $KERNELS; do
	check "default: $k: one line, not affected, fixed upstream (vm-release), stock i915 kept" \
		grep -qx "  $k: not affected: fixed upstream (vm-release design), stock i915 kept (verify mode on request: scripts/2-decide/set-mode --kver $k verify)" "$default_log"
	check "default: $k: nothing built or installed by dkms" test -z "$(dkms status -m "$PKG" -v "$VER" -k "$k" 2>/dev/null)"
	check "default: $k: modprobe still resolves the stock i915, unchanged" \
		test "$(modinfo -k "$k" -n i915)" = "${stock_path[$k]}" -a "$(sha "${stock_path[$k]}")" = "${stock_sha[$k]}"
	check "default: $k: the initramfs was not rebuilt" test "$(sha256sum < "/boot/initrd.img-$k" 2>/dev/null)" = "${initrd_before[$k]}"
	"$status_cmd" --kernel "$k" --no-initramfs > "$T/st.out" 2>&1
	check "default: $k: the status command says not affected, stock i915 kept (no module needed)" \
		status_says "$k" "$T/st.out"
done

# --- add + build + install: the main job, verify mode asked for with scripts/2-decide/set-mode -------------
for k in $KERNELS; do "$PKG_TOP/scripts/2-decide/set-mode" --kver "$k" verify 2>/dev/null; done
setup_log=$T/setup.log
if env -u I915_MODE "$PKG_TOP/scripts/5-install/setup" --no-deps --kernels "$KERNELS" > "$setup_log" 2>&1; then
	ok "scripts/5-install/setup installs for: $KERNELS"
else
	bad "scripts/5-install/setup installs for: $KERNELS" "$(tail -n 5 "$setup_log" | tr '\n' ' ')"
fi
sed 's/^/    | /' "$setup_log" | tail -n 8

for k in $KERNELS; do
	series=$(echo "$k" | cut -d. -f1,2)
	tarball=/usr/src/linux-source-$series.tar.xz
	src_ver=$(tar -xJOf "$tarball" --occurrence=1 "linux-source-$series/Makefile" |
		awk -F' *= *' '$1=="VERSION"{v=$2} $1=="PATCHLEVEL"{p=$2} $1=="SUBLEVEL"{s=$2} END{print v"."p"."s}')
	status=$(dkms status -m "$PKG" -v "$VER" -k "$k" 2>/dev/null)
	check "$k: dkms status says installed" grep -q "installed" <<<"$status"
	mod=$(modinfo -k "$k" -n i915 2>/dev/null)
	check "$k: modprobe resolves i915 to updates/dkms ($mod)" grep -q "/updates/dkms/i915.ko" <<<"$mod"
	check "$k: installed kvmgt is ours too" grep -q "/updates/dkms/kvmgt.ko" <<<"$(modinfo -k "$k" -n kvmgt 2>/dev/null)"
	check "$k: modinfo version is $VER" test "$(modinfo -F version "$mod")" = "$VER"
	check "$k: modinfo dkms_mode is verify (6.x already reclaims VMAs)" test "$(modinfo -F dkms_mode "$mod")" = verify
	check "$k: modinfo dkms_source is $src_ver" test "$(modinfo -F dkms_source "$mod")" = "$src_ver"
	check "$k: modinfo dkms_source_sha256 is the tarball's" \
		test "$(modinfo -F dkms_source_sha256 "$mod")" = "$(sha256sum "$tarball" | cut -d' ' -f1)"
	check "$k: modinfo names the upstream fix" grep -q e9f24d5fb7cf <<<"$(modinfo -F dkms_upstream_fix "$mod")"
	check "$k: installed module is not the stock one" test "$(sha "$mod")" != "${stock_sha[$k]}"
	check "$k: stock module is still on disk for uninstall" test -f "${stock_path[$k]}"
	# Secure Boot: dkms signs with its MOK pair (generated when absent, framework.conf)
	if [ -f /var/lib/dkms/mok.pub ]; then
		want=$(openssl x509 -inform DER -in /var/lib/dkms/mok.pub -noout -serial | cut -d= -f2 | sed 's/^0*//')
		got=$(modinfo -F sig_key "$mod" | tr -d ': \n' | sed 's/^0*//')
		check "$k: installed module is signed by dkms's MOK key (signer: $(modinfo -F signer "$mod"))" \
			test -n "$got" -a "$got" = "$want"
	else
		skip "$k: installed module is signed by dkms's MOK key" "no /var/lib/dkms/mok.pub (dkms did not sign)"
	fi
	if [ "${WORK_KEEP:-0}" = 1 ]; then   # the installed artifact, for tests/vm/test-smoke.sh
		rm -rf "$PKG_TOP/work/installed-$k" && mkdir -p "$PKG_TOP/work/installed-$k/drivers/gpu/drm/i915"
		unpack "$mod" > "$PKG_TOP/work/installed-$k/drivers/gpu/drm/i915/i915.ko"
	fi
	if [ -f "/boot/initrd.img-$k" ]; then
		check "$k: initramfs holds our i915" test "$(initrd_i915_sha "$k")" = "$(sha "$mod")"
	else
		skip "$k: initramfs holds our i915" "no /boot/initrd.img-$k (install linux-image-$k)"
	fi
done

# --- uninstall: the stock module and initramfs come back -----------------------------------
for k in $KERNELS; do
	dkms uninstall -m "$PKG" -v "$VER" -k "$k" > "$T/un.log" 2>&1 || bad "$k: dkms uninstall" "$(tail -n 3 "$T/un.log" | tr '\n' ' ')"
	check "$k: after uninstall modprobe resolves the stock i915" test "$(modinfo -k "$k" -n i915)" = "${stock_path[$k]}"
	check "$k: after uninstall the stock file is unchanged" test "$(sha "${stock_path[$k]}")" = "${stock_sha[$k]}"
	check "$k: after uninstall the stock kvmgt is back and unchanged" \
		test "$(modinfo -k "$k" -n kvmgt)" = "${stock_kvmgt[$k]}" -a "$(sha "${stock_kvmgt[$k]}" 2>/dev/null)" = "${stock_kvmgt_sha[$k]}"
	if [ -f "/boot/initrd.img-$k" ]; then
		check "$k: after uninstall the initramfs holds the stock i915" test "$(initrd_i915_sha "$k")" = "${stock_sha[$k]}"
	fi
	check "$k: dkms status after uninstall is 'built'" grep -q built <<<"$(dkms status -m "$PKG" -v "$VER" -k "$k")"
done

# --- remove: no trace --------------------------------------------------------------------------
# (the initramfs configuration goes back first, so remove's initramfs refresh leaves
# the initramfs as it was before the test)
cp -a "$T/modules.orig" "$conf"
# remove also deletes the source cache (scripts/1-source/fetch-source); the tests' own fetches
# (tests/deps) are kept aside as hard links and put back afterwards
saved=
if [ -d "$SOURCE_CACHE" ]; then
	saved=$SOURCE_CACHE.lifecycle-test
	rm -rf "$saved" && cp -al "$SOURCE_CACHE" "$saved"
fi
"$PKG_TOP/scripts/5-install/setup" --remove > "$T/rm.log" 2>&1 || bad "setup --remove" "$(tail -n 3 "$T/rm.log" | tr '\n' ' ')"
check "remove: no dkms tree left" test ! -e "/var/lib/dkms/$PKG"
check "remove: no source left in /usr/src" test ! -e "/usr/src/$PKG-$VER"
check "remove: no source cache left ($SOURCE_CACHE)" test ! -e "$SOURCE_CACHE"
check "remove: no module left in any updates/dkms" test -z "$(find /lib/modules/*/updates -name 'i915.ko*' -o -name 'kvmgt.ko*' 2>/dev/null | head -n 1)"
[ -n "$saved" ] && mv "$saved" "$SOURCE_CACHE"

# --- sandboxed dkms: touches nothing outside its three trees ----------------------------------
k=$SANDBOX_KERNEL
before=$(snapshot /lib/modules /var/lib/dkms /usr/src /boot)
S=$T/sandbox
mkdir -p "$S/dkms" "$S/src" "$S/modules/$k"
tar -C "$PKG_TOP" --exclude=./.git --exclude=./work -cf - . | tar -C "$S/src" --one-top-level="$PKG-$VER" -xf -
d=(dkms --dkmstree "$S/dkms" --sourcetree "$S/src" --installtree "$S/modules" --no-depmod)
if [ ! -d "/lib/modules/$k/build" ]; then
	bad "sandbox: headers of $k" "linux-headers-$k is not installed (tests/deps installs it)"
elif ! "${d[@]}" add -m "$PKG" -v "$VER" > "$T/sb.log" 2>&1; then
	bad "sandbox: dkms add" "$(tail -n 5 "$T/sb.log" | tr '\n' ' ')"
else
	env -u I915_MODE "${d[@]}" build -m "$PKG" -v "$VER" -k "$k" > "$T/sb-default.log" 2>&1; rc=$?
	check "sandbox: by default dkms build skips $k (BUILD_EXCLUSIVE, exit $rc), nothing built" \
		bash -c "[ '$rc' = 77 ] && grep -q BUILD_EXCLUSIVE '$T/sb-default.log' && [ -z \"\$(find '$S/dkms' -name '*.ko*')\" ]"
	if [ "${TEST_SANDBOX_BUILD:-1}" = 0 ]; then
		skip "sandbox: dkms build/install of $k in the sandbox" "TEST_SANDBOX_BUILD=0 (CI's time budget; the compat matrix prepares $k from its exact source)"
	elif I915_SRC=$SANDBOX_SRC "${d[@]}" build -m "$PKG" -v "$VER" -k "$k" >> "$T/sb.log" 2>&1 &&
	     "${d[@]}" install -m "$PKG" -v "$VER" -k "$k" >> "$T/sb.log" 2>&1; then
		ok "sandbox: dkms add/build/install with --dkmstree/--sourcetree/--installtree"
	else
		bad "sandbox: dkms add/build/install" "$(tail -n 5 "$T/sb.log" | tr '\n' ' ')"
	fi
fi
sbmod=$(find "$S/modules/$k" -name 'i915.ko*' | head -n 1)
[ "${TEST_SANDBOX_BUILD:-1}" = 0 ] || check "sandbox: module landed in the sandbox install tree" test -n "$sbmod"
if [ -n "$sbmod" ]; then
	sbsrc=$(modinfo -F dkms_source "$sbmod"); sbk=$(kdir_version "/lib/modules/$k/build")
	if [ -z "$SANDBOX_SRC" ] && cached_exact_source "$k" >/dev/null; then
		check "sandbox: the dkms build for $k took its exact source from the cache (linux $sbsrc)" test "$sbsrc" = "$sbk"
	fi
	# (check-module deletes a module that would not load, failing the dkms build: one
	# that landed passed it)
	check "sandbox: linux $sbsrc i915 for $k (linux $sbk): vermagic $k, every symbol resolved (check-module)" \
		bash -c "modinfo -F vermagic '$sbmod' | grep -q '^$k '"
fi
check "sandbox: /lib/modules, /var/lib/dkms, /usr/src and /boot untouched" \
	test "$(snapshot /lib/modules /var/lib/dkms /usr/src /boot)" = "$before"
t_done
