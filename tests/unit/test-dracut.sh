#!/bin/bash
# scripts/5-install/initramfs-sync on a dracut machine (RHEL, SUSE, Fedora), with the real dracut
# (Debian's dracut-core, which installs beside initramfs-tools; tests/deps installs it
# where apt removes nothing for it). In a private mount namespace: a fake kernel's module
# tree on /lib/modules, /boot and /etc/dracut.conf.d the test's own, and a PATH without
# initramfs-tools (update-initramfs, lsinitramfs, unmkinitramfs), as on RHEL. The modules
# are stand-ins (ELF objects with a .modinfo: the stock i915 and ours, in updates/dkms).
# Checked with lsinitrd, independently of the script: after install the image holds ours,
# a stale image is refused (--check-only), after remove it holds the stock one again.
. "$(dirname "$0")/../lib.sh"
if ! command -v dracut >/dev/null || ! command -v lsinitrd >/dev/null; then
	skip "dracut initramfs path" "dracut is not installed (apt-get install --no-install-recommends dracut-core)"; t_done
fi
if [ "$(id -u)" -ne 0 ] || ! command -v unshare >/dev/null; then
	skip "dracut initramfs path" "needs root and unshare (a private mount namespace)"; t_done
fi
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
K=6.1.0-99-dkmstest-amd64
boot_before=$(snapshot /boot)
mkdir -p "$T/mods/$K/kernel/drivers/gpu/drm/i915" "$T/mods/$K/updates/dkms" "$T/boot" "$T/conf" "$T/bin"
for v in stock ours ours2; do
	printf 'static const char mi[] __attribute__((section(".modinfo"), used)) =\n\t"name=i915\\0vermagic=%s SMP mod_unload \\0version=%s\\0license=GPL\\0";\n' "$K" "$v" > "$T/$v.c"
	gcc -g -c -o "$T/$v.ko" "$T/$v.c" || { bad "stand-in modules" "gcc failed"; t_done; }
done
cp "$T/stock.ko" "$T/mods/$K/kernel/drivers/gpu/drm/i915/i915.ko"
cp "$T/ours.ko" "$T/mods/$K/updates/dkms/i915.ko"
: > "$T/boot/initramfs-$K.img"
# a small image: no host-only detection, the base module, i915 asked for, no compression
printf 'hostonly="no"\ndracutmodules+=" base "\nadd_drivers+=" i915 "\ncompress="cat"\n' > "$T/conf/test.conf"
for d in /usr/local/bin /usr/bin /usr/sbin /bin /sbin; do
	for f in "$d"/*; do
		n=${f##*/}
		case $n in update-initramfs|lsinitramfs|unmkinitramfs) continue ;; esac
		[ -e "$T/bin/$n" ] || ln -s "$f" "$T/bin/$n"
	done
done

# in the namespace: install (ours), a stale image, remove (stock again); lsinitrd after each
unshare -m bash -s -- "$T" "$K" "$PKG_TOP" > "$T/ns.log" 2>&1 <<'NS'
T=$1 K=$2 P=$3
mount --bind "$T/mods" /usr/lib/modules && mount --bind "$T/boot" /boot &&
	mkdir -p /etc/dracut.conf.d && mount --bind "$T/conf" /etc/dracut.conf.d || exit 99
export PATH=$T/bin
img=/boot/initramfs-$K.img
ver_in_image() { lsinitrd "$img" -f "$1" > "$T/x.ko" 2>/dev/null && modinfo -F version "$T/x.ko"; }
command -v update-initramfs lsinitramfs > /dev/null && { echo "initramfs-tools still on PATH"; exit 98; }
"$P/scripts/5-install/initramfs-sync" "$K" /lib/modules > "$T/install.out" 2>&1; echo $? > "$T/install.rc"
lsinitrd "$img" | awk '/^-/ { print $NF }' | grep 'i915\.ko' > "$T/install.list"
ver_in_image "usr/lib/modules/$K/updates/dkms/i915.ko" > "$T/install.ver"
cp "$T/ours2.ko" "/lib/modules/$K/updates/dkms/i915.ko"
"$P/scripts/5-install/initramfs-sync" "$K" /lib/modules --check-only > "$T/stale.out" 2>&1; echo $? > "$T/stale.rc"
rm "/lib/modules/$K/updates/dkms/i915.ko"
"$P/scripts/5-install/initramfs-sync" "$K" /lib/modules > "$T/remove.out" 2>&1; echo $? > "$T/remove.rc"
lsinitrd "$img" | awk '/^-/ { print $NF }' | grep 'i915\.ko' > "$T/remove.list"
ver_in_image "usr/lib/modules/$K/kernel/drivers/gpu/drm/i915/i915.ko" > "$T/remove.ver"
NS
rc=$?
if [ $rc -ne 0 ]; then
	bad "dracut namespace" "exit $rc: $(tail -n 3 "$T/ns.log" | tr '\n' ' ')"; t_done
fi
check "install: initramfs-sync rebuilds with dracut and finds ours in the image (exit $(cat "$T/install.rc"): $(grep -v depmod "$T/install.out" | tr '\n' ' '))" \
	bash -c "[ \"\$(cat '$T/install.rc')\" = 0 ] && grep -qE 'holds the .*i915 (of|as) /lib/modules/$K/updates/dkms/i915.ko.*consistent' '$T/install.out'"
check "install: lsinitrd lists updates/dkms/i915.ko, and lsinitrd -f gives our module (version 'ours': $(cat "$T/install.ver"))" \
	bash -c "grep -qx 'usr/lib/modules/$K/updates/dkms/i915.ko' '$T/install.list' && [ \"\$(cat '$T/install.ver')\" = ours ]"
check "stale image (another i915 in updates/dkms now): --check-only refuses it and names dracut -f (exit $(cat "$T/stale.rc"))" \
	bash -c "[ \"\$(cat '$T/stale.rc')\" = 1 ] && grep -q 'error: $K: /boot/initramfs-$K.img holds an i915.ko .* that is not .*: run dracut -f /boot/initramfs-$K.img $K' '$T/stale.out'"
check "remove: the rebuilt image holds the stock i915 only (exit $(cat "$T/remove.rc"); version in the image: $(cat "$T/remove.ver"))" \
	bash -c "[ \"\$(cat '$T/remove.rc')\" = 0 ] && ! grep -q updates/ '$T/remove.list' && [ \"\$(cat '$T/remove.ver')\" = stock ]"
check "the machine's /boot is unchanged" test "$(snapshot /boot)" = "$boot_before"
t_done
