#!/bin/bash
# Packaging (docs/packaging.md), built from a copy of the tree in a temp dir so that no
# build product lands in the repository:
#   Debian: dpkg-buildpackage -us -uc -b (dh-dkms) -> i915-vma-cleanup-dkms_<ver>_all.deb:
#     control fields, contents (/usr/src/<pkg>-<ver>/: every tracked file the dkms build
#     needs, no .git/work/tests/debian/objects), dh-dkms maintainer scripts; and
#     i915-vma-cleanup-status_<ver>_all.deb (the status command)
#   RPM: rpmbuild -bb i915-vma-cleanup.spec on a tarball of the tree -> noarch rpm: file
#     list, requires, %post/%preun; the %post run with a stand-in dkms must tolerate a
#     kernel that fails and one that BUILD_EXCLUSIVE skips
# TEST_DEB_INSTALL=1 (root, ~4 min per kernel; tests/run sets it): apt install ./<deb> builds
# and installs through the dh-dkms postinst for TEST_KERNELS but the last one, which is
# then built by the kernel's header hook when its headers are (re)installed (other kernels with i915 are excluded
# for the test with /etc/dkms/<pkg>-<ver>-<kernel>.conf; kernels without i915 are left
# to BUILD_EXCLUSIVE), the initramfs holds our i915, the status command says consistent;
# apt purge removes the dkms tree, /usr/src and the modules and puts the stock i915 back
# into the initramfs.
. "$(dirname "$0")/../lib.sh"
PKG=i915-vma-cleanup
VER=$(cat "$PKG_TOP/VERSION")
KERNELS=${TEST_KERNELS:-6.1.0-56-amd64 6.12.117+deb12-amd64}
T=$(mktemp -d)
conf=/etc/initramfs-tools/modules
cleanup_files=()
cleanup() {
	[ -f "$T/modules.orig" ] && cp -a "$T/modules.orig" "$conf"
	[ ${#cleanup_files[@]} -gt 0 ] && rm -f "${cleanup_files[@]}"
	rm -rf "$T"
}
trap cleanup EXIT

# --- tools (tests/deps should install them; done here too when missing) -----------------
need=()
command -v dpkg-buildpackage >/dev/null 2>&1 || need+=(dpkg-dev)
command -v dh >/dev/null 2>&1 || need+=(debhelper)
command -v dh_dkms >/dev/null 2>&1 || need+=(dh-dkms)
command -v rpmbuild >/dev/null 2>&1 || need+=(rpm)
command -v gcc >/dev/null 2>&1 || need+=(gcc)
if [ ${#need[@]} -gt 0 ] && [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
	DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${need[@]}" >/dev/null 2>&1 ||
		{ apt-get update >/dev/null 2>&1; DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${need[@]}" >/dev/null 2>&1; }
fi

# the tree as packagers get it: a copy without VCS data and build products
mkdir -p "$T/deb/$PKG-$VER"
copy_tree() {
	tar -C "$PKG_TOP" --exclude=./.git --exclude=./work --exclude=./Module.symvers --exclude=./modules.order \
		--exclude='./.*.cmd' --exclude=./.tmp_versions --exclude=./tools/status/i915-vma-cleanup-status "$@" -cf - .
}
copy_tree | tar -C "$T/deb/$PKG-$VER" -xf -
# what the dkms source tree must hold: MANIFEST's files (scripts/5-install/ship-tree --list, the
# one list setup, debian/rules and the spec use); it must not drop a tracked file
"$PKG_TOP/scripts/5-install/ship-tree" --list > "$T/want"
if git -C "$PKG_TOP" rev-parse --git-dir >/dev/null 2>&1; then
	mapfile -t entries < <(grep -v '^#' "$PKG_TOP/MANIFEST")
	git -C "$PKG_TOP" ls-files -- "${entries[@]}" | sort > "$T/tracked"
	check "MANIFEST: the shipped list holds every tracked file of its entries" test -z "$(comm -23 "$T/tracked" "$T/want")"
fi

# shipped_tree LABEL FILES: a package's /usr/src tree (FILES: its files, relative) holds
# exactly MANIFEST's files, and nothing of VCS, tests, packaging or builds
shipped_tree() {
	local missing extra
	missing=$(comm -23 "$T/want" "$2" | tr '\n' ' ')
	extra=$(comm -13 "$T/want" "$2" | grep -v '^$' | tr '\n' ' ')
	check "$1: /usr/src/$PKG-$VER holds exactly MANIFEST's files${missing:+ (missing: $missing)}${extra:+ (extra: $extra)}" \
		test -z "$missing$extra"
	check "$1: no .git, work/, tests/, debian/, tools/ or kbuild objects in /usr/src" \
		test -z "$(grep -E '(^|/)(\.git|work|tests|debian|tools)(/|$)|\.(o|ko|mod|cmd)$' "$2")"
}

# ===== Debian ============================================================================
DEB=$T/deb/${PKG}-dkms_${VER}_all.deb
if ! command -v dh_dkms >/dev/null 2>&1 || ! command -v dpkg-buildpackage >/dev/null 2>&1; then
	skip "deb: build" "dpkg-buildpackage or dh_dkms missing: apt-get install dpkg-dev debhelper dh-dkms"
else
	start=$(date +%s)
	if (cd "$T/deb/$PKG-$VER" && dpkg-buildpackage -us -uc -b) > "$T/deb.log" 2>&1 && [ -f "$DEB" ]; then
		ok "deb: dpkg-buildpackage -us -uc -b builds ${PKG}-dkms_${VER}_all.deb ($(( $(date +%s) - start )) s)"
	else
		bad "deb: dpkg-buildpackage -us -uc -b" "$(grep -E 'error|rror:' "$T/deb.log" | tail -n 3 | tr '\n' ' ')"
	fi
fi
if [ -f "$DEB" ]; then
	field() { dpkg-deb -f "$DEB" "$1"; }
	check "deb: Package is ${PKG}-dkms" test "$(field Package)" = "${PKG}-dkms"
	check "deb: Version is $VER (VERSION)" test "$(field Version)" = "$VER"
	check "deb: Architecture is all" test "$(field Architecture)" = all
	deps=$(field Depends)
	for d in dkms make gcc patch xz-utils kmod; do
		check "deb: Depends on $d" grep -qE "(^|, )$d( |,|$)" <<<"$deps"
	done
	check "deb: Recommends linux-source-6.1 | linux-source-6.12 and initramfs-tools" \
		grep -qE 'linux-source-6\.1 \| linux-source-6\.12.*initramfs-tools' <<<"$(field Recommends)"

	dpkg-deb -c "$DEB" | awk '{print $1, $NF}' > "$T/deb.ls"
	src=./usr/src/$PKG-$VER
	sed -n "s|^[^ ]* $src/||p" "$T/deb.ls" | grep -v '/$' | sort > "$T/deb.files"
	shipped_tree deb "$T/deb.files"
	check "deb: scripts are executable (dkms runs POST_INSTALL scripts/5-install/initramfs-sync)" \
		grep -q "^-rwxr-xr-x $src/scripts/5-install/initramfs-sync$" "$T/deb.ls"
	dpkg-deb -x "$DEB" "$T/deb-x"
	check "deb: dkms.conf is the tree's" cmp -s "$PKG_TOP/dkms.conf" "$T/deb-x/usr/src/$PKG-$VER/dkms.conf"
	check "deb: documentation in /usr/share/doc/${PKG}-dkms" test -n "$(find "$T/deb-x/usr/share/doc/${PKG}-dkms/" -iname 'readme*')"
	dpkg-deb -e "$DEB" "$T/deb-ctl"
	check "deb: postinst is dh-dkms's (dkms common.postinst for $PKG $VER)" \
		grep -q "common.postinst.*DKMS_NAME=$PKG\|DKMS_NAME=$PKG" "$T/deb-ctl/postinst"
	check "deb: postinst names version $VER" grep -q "DKMS_VERSION=$VER" "$T/deb-ctl/postinst"
	check "deb: prerm runs dkms remove --all" grep -q 'dkms remove -m $DKMS_NAME -v $DKMS_VERSION --all' "$T/deb-ctl/prerm"
	check "deb: build left nothing in the repository" \
		test ! -e "$PKG_TOP/debian/files" -a ! -e "$PKG_TOP/debian/${PKG}-dkms" -a ! -e "$PKG_TOP/debian/.debhelper"
fi
SDEB=$(find "$T/deb" -maxdepth 1 -name "${PKG}-status_${VER}_*.deb" | head -n 1)
if [ -n "$SDEB" ]; then
	dpkg-deb -x "$SDEB" "$T/sdeb-x"
	check "status deb: /usr/bin/${PKG}-status runs (--version is $VER)" \
		test "$("$T/sdeb-x/usr/bin/${PKG}-status" --version 2>/dev/null)" = "${PKG}-status $VER"
elif [ -f "$DEB" ]; then
	bad "status deb" "no ${PKG}-status_${VER}_*.deb was built"
fi

# ===== RPM ===============================================================================
SPEC=$PKG_TOP/$PKG.spec
check "spec: Version is $VER (VERSION)" test "$(sed -n 's/^Version:[[:space:]]*//p' "$SPEC")" = "$VER"
if ! command -v rpmbuild >/dev/null 2>&1; then
	skip "rpm: build" "rpmbuild missing: apt-get install rpm"
else
	R=$T/rpm
	mkdir -p "$R/SOURCES"
	copy_tree --transform "s,^\\.,$PKG-$VER," -z > "$R/SOURCES/$PKG-$VER.tar.gz"
	if rpmbuild --define "_topdir $R" -bb "$SPEC" > "$T/rpm.log" 2>&1; then
		ok "rpm: rpmbuild -bb $PKG.spec"
	else
		bad "rpm: rpmbuild -bb" "$(grep -iE 'error' "$T/rpm.log" | tail -n 3 | tr '\n' ' ')"
	fi
	RPM=$R/RPMS/noarch/$PKG-$VER-1.noarch.rpm
	[ -f "$RPM" ] || RPM=$(ls "$R"/RPMS/noarch/"$PKG"-"$VER"-*.noarch.rpm 2>/dev/null | head -n 1)
	if [ -n "$RPM" ] && [ -f "$RPM" ]; then
		check "rpm: $PKG $VER noarch" test "$(rpm -qp --qf '%{NAME} %{VERSION} %{ARCH}' "$RPM" 2>/dev/null)" = "$PKG $VER noarch"
		# files only (--dump: path size mtime digest mode ...; directories have mode 040xxx)
		rpm -qp --dump "$RPM" 2>/dev/null | awk '$5 !~ /^040/ { print $1 }' > "$T/rpm.ls"
		sed -n "s|^/usr/src/$PKG-$VER/||p" "$T/rpm.ls" | sort > "$T/rpm.all"
		shipped_tree rpm "$T/rpm.all"
		rpm -qp --scripts "$RPM" 2>/dev/null > "$T/rpm.scripts"
		check "rpm: %post registers with dkms (dkms add -m $PKG -v $VER)" grep -q "dkms add -m $PKG -v $VER" "$T/rpm.scripts"
		check "rpm: %post builds+installs per kernel (scripts/5-install/install-kernels, the loop of make install)" \
			grep -q "/usr/src/$PKG-$VER/scripts/5-install/install-kernels --version $VER" "$T/rpm.scripts"
		check "rpm: %preun runs dkms remove --all" \
			grep -q "dkms remove -m $PKG -v $VER --all" <<<"$(sed -n '/^preuninstall scriptlet/,$p' "$T/rpm.scripts")"
		reqs=$(rpm -qpR "$RPM" 2>/dev/null)
		for d in dkms make gcc patch xz kmod; do
			check "rpm: Requires $d" grep -qx "$d" <<<"$reqs"
		done
		# %post against this machine's /lib/modules with a stand-in dkms: one kernel fails,
		# kernels without i915 exit 77; the scriptlet must report both and exit 0.
		# (%post runs the installed tree's scripts/5-install/install-kernels: here the checkout's)
		sed -n '/^postinstall scriptlet/,/^preuninstall scriptlet/p' "$T/rpm.scripts" | sed '1d;$d' |
			sed "s|/usr/src/$PKG-$VER/scripts/|$PKG_TOP/scripts/|g" > "$T/post.sh"
		fail_k=$("$PKG_TOP/scripts/4-build/list-kernels" --i915 | head -n 1)
		if [ -n "$fail_k" ]; then
			mkdir -p "$T/fakebin"
			cat > "$T/fakebin/dkms" <<EOF
#!/bin/sh
echo "\$*" >> "$T/dkms.calls"
case " \$* " in
*" add "*) exit 0 ;;
*" -k $fail_k "*) echo "error: stand-in build failure"; exit 10 ;;
esac
for a; do k=\$a; done
grep -q '^CONFIG_DRM_I915=[ym]' "/lib/modules/\$k/build/.config" 2>/dev/null || exit 77
exit 0
EOF
			printf '#!/bin/sh\ncase "$*" in *dkms_package*) echo %s ;; *" -n "*) echo /lib/modules/k/updates/dkms/i915.ko ;; *) echo verify ;; esac\n' "$PKG" > "$T/fakebin/modinfo"
			chmod +x "$T/fakebin/dkms" "$T/fakebin/modinfo"
			out=$(PATH=$T/fakebin:$PATH I915_LOG_DIR=$T/log sh "$T/post.sh" 2>&1); rc=$?
			check "rpm: %post exits 0 although a kernel failed" test "$rc" -eq 0
			check "rpm: %post names the failed kernel and its log" grep -q "$fail_k: FAILED.*log: $T/log/$fail_k.log" <<<"$out"
			check "rpm: %post tries every kernel with headers" \
				test "$(grep -c -- ' -k ' "$T/dkms.calls")" -eq "$("$PKG_TOP/scripts/4-build/list-kernels" | wc -l)"
			check "rpm: %post reports the others installed" grep -q ": installed (verify mode" <<<"$out"
			noi915=$(comm -23 <("$PKG_TOP/scripts/4-build/list-kernels") <("$PKG_TOP/scripts/4-build/list-kernels" --i915) | head -n 1)
			if [ -n "$noi915" ]; then
				check "rpm: %post reports $noi915 (no i915) as skipped, with dkms-target's reason" \
					grep -q "$noi915: skipped: kernel $noi915 is built without CONFIG_DRM_I915" <<<"$out"
			fi
		else
			skip "rpm: %post with a stand-in dkms" "no kernel headers installed"
		fi
	else
		bad "rpm: package" "no $PKG-$VER-*.noarch.rpm built"
	fi
fi

# ===== install through apt (TEST_DEB_INSTALL=1) ========================================
if [ "${TEST_DEB_INSTALL:-0}" != 1 ]; then
	skip "deb: apt install/purge of the package" "set TEST_DEB_INSTALL=1 (root; dkms builds every test kernel, ~4 min each)"
	t_done
fi
[ "$(id -u)" -eq 0 ] || { skip "deb: apt install/purge" "needs root"; t_done; }
[ -f "$DEB" ] || { bad "deb: apt install" "no package was built"; t_done; }
starts_unregistered "deb: apt install/purge: starts with the package unregistered" || t_done

unpack() { case $1 in *.xz) xz -dc "$1" ;; *.zst) zstd -dc "$1" ;; *) cat "$1" ;; esac; }
sha() { unpack "$1" | sha256sum | cut -d' ' -f1; }
initrd_i915_sha() {
	local d=$T/initrd-$1 f
	rm -rf "$d"; unmkinitramfs "/boot/initrd.img-$1" "$d" >/dev/null 2>&1 || { echo unreadable; return; }
	f=$(find "$d" -name 'i915.ko*' | head -n 1)
	if [ -n "$f" ]; then sha "$f"; else echo none; fi
}

# Only TEST_KERNELS are built: other kernels that have headers with i915 are excluded with
# a per-kernel dkms override (the documented way to skip a kernel).
for d in /lib/modules/*/; do
	k=$(basename "$d")
	case " $KERNELS " in *" $k "*) continue ;; esac
	if grep -q '^CONFIG_DRM_I915=[ym]' "$d/build/.config" 2>/dev/null; then
		f=/etc/dkms/$PKG-$VER-$k.conf
		[ -e "$f" ] && continue
		echo 'BUILD_EXCLUSIVE_KERNEL="^$"   # test-packaging.sh: not a test kernel' > "$f"
		cleanup_files+=("$f")
	fi
done
# The last test kernel is held back from the package's postinst and built later through
# the kernel's own hook (reinstalling its headers runs dkms autoinstall), as when a new
# kernel arrives after the package.
late=${KERNELS##* }
late_override=/etc/dkms/$PKG-$VER-$late.conf
if [ ! -e "$late_override" ]; then
	echo 'BUILD_EXCLUSIVE_KERNEL="^$"   # test-packaging.sh: built later through the kernel hook' > "$late_override"
	cleanup_files+=("$late_override")
fi
cp -a "$conf" "$T/modules.orig" 2>/dev/null || : > "$T/modules.orig"
grep -qx i915 "$conf" 2>/dev/null || echo i915 >> "$conf"
declare -A stock_sha
for k in $KERNELS; do
	[ -d "/lib/modules/$k/build" ] || { bad "$k: headers" "linux-headers-$k is not installed (tests/deps)"; continue; }
	stock_sha[$k]=$(sha "$(modinfo -k "$k" -n i915)")
done

start=$(date +%s)
DEBIAN_FRONTEND=noninteractive apt-get install -y "$DEB" > "$T/apt.log" 2>&1; rc=$?
secs=$(( $(date +%s) - start ))
if [ $rc -eq 0 ]; then
	ok "deb: apt install ./${PKG}-dkms_${VER}_all.deb ($secs s for: $KERNELS)"
else
	bad "deb: apt install" "rc $rc after $secs s: $(grep -vE '^readelf' "$T/apt.log" | tail -n 4 | tr '\n' ' ')"
fi
grep -E 'Building for|Skipped|Error!|initramfs-sync' "$T/apt.log" | sed 's/^/    | /'
check "$late: held back from the postinst (not installed yet)" \
	test -z "$(dkms status -m "$PKG" -v "$VER" -k "$late" 2>/dev/null | grep installed)"
rm -f "$late_override"
start=$(date +%s)
DEBIAN_FRONTEND=noninteractive apt-get install -y --reinstall "linux-headers-$late" > "$T/hook.log" 2>&1; rc=$?
check "$late: installing its headers afterwards builds and installs the module via the kernel hook (rc $rc, $(( $(date +%s) - start )) s)" \
	grep -q installed <<<"$(dkms status -m "$PKG" -v "$VER" -k "$late" 2>/dev/null)"
for k in $KERNELS; do
	check "$k: dkms status says installed" grep -q installed <<<"$(dkms status -m "$PKG" -v "$VER" -k "$k" 2>/dev/null)"
	mod=$(modinfo -k "$k" -n i915 2>/dev/null)
	check "$k: modprobe resolves i915 to updates/dkms" grep -q '/updates/dkms/i915\.ko' <<<"$mod"
	check "$k: modinfo version $VER, dkms_mode set" test "$(modinfo -F version "$mod")" = "$VER" -a -n "$(modinfo -F dkms_mode "$mod")"
	if [ -f "/boot/initrd.img-$k" ]; then
		check "$k: initramfs refreshed: holds our i915" test "$(initrd_i915_sha "$k")" = "$(sha "$mod")"
	fi
done
for d in /lib/modules/*/; do
	k=$(basename "$d")
	if [ ! -f "$d/build/.config" ] || grep -q '^CONFIG_DRM_I915=[ym]' "$d/build/.config"; then continue; fi
	check "$k (no i915): postinst skipped it, nothing installed" \
		test -z "$(dkms status -m "$PKG" -v "$VER" -k "$k" 2>/dev/null | grep installed)"
done
STATUS=$T/status
mkdir -p "$T/status-build"
if make -s -C "$PKG_TOP/tools/status" BUILD="$T/status-build" >/dev/null 2>&1 && cp "$T/status-build/$PKG-status" "$STATUS"; then
	for k in $KERNELS; do
		out=$("$STATUS" --kernel "$k" 2>&1); rc=$?
		check "$k: status command: exit 0, installed, initramfs same" \
			test "$rc" -eq 0 -a -n "$(grep -F "$k " <<<"$out" | grep -E "yes \($VER\).*same i915")"
	done
fi

start=$(date +%s)
DEBIAN_FRONTEND=noninteractive apt-get purge -y "${PKG}-dkms" > "$T/purge.log" 2>&1; rc=$?
check "deb: apt purge ${PKG}-dkms ($(( $(date +%s) - start )) s)" test "$rc" -eq 0
check "purge: no dkms tree left" test ! -e "/var/lib/dkms/$PKG"
check "purge: no /usr/src/$PKG-$VER" test ! -e "/usr/src/$PKG-$VER"
check "purge: no module left in updates/dkms" \
	test -z "$(find /lib/modules/*/updates -name 'i915.ko*' -o -name 'kvmgt.ko*' 2>/dev/null | head -n 1)"
for k in $KERNELS; do
	check "$k: after purge modprobe resolves the stock i915" grep -q '/kernel/drivers/gpu/drm/i915/' <<<"$(modinfo -k "$k" -n i915)"
	if [ -f "/boot/initrd.img-$k" ]; then
		check "$k: after purge the initramfs holds the stock i915" test "$(initrd_i915_sha "$k")" = "${stock_sha[$k]}"
	fi
done
# the initramfs configuration goes back, and with it the initramfs of the test kernels
cp -a "$T/modules.orig" "$conf"
for k in $KERNELS; do
	[ -f "/boot/initrd.img-$k" ] && update-initramfs -u -k "$k" >/dev/null 2>&1
done
t_done
