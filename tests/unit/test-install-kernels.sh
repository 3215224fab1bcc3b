#!/bin/bash
# scripts/5-install/install-kernels: every failure reaches the summary and the exit status (issue 21).
# A copy of the package's scripts with a fake dkms and modinfo first on PATH, a fake
# initramfs-sync (the initramfs rule's answer) and a fake Secure Boot state; a fake kernel
# (never a real one) whose modules live under $T (I915_MODULES_ROOT); logs in $T
# (I915_LOG_DIR). Nothing of the machine's /boot, /lib/modules or dkms tree is touched.
#   the initramfs check fails after a dkms install that "succeeded" (dkms ignores its
#   POST_INSTALL hook): FAILED, exit 1, log kept; Secure Boot on and the installed module
#   signed by no enrolled key: FAILED with the remedy, dkms uninstall (stock i915 back),
#   exit 1; a dkms failure: FAILED with the log in the package's root-only log directory,
#   never a fixed name in /var/tmp (a symlink planted there is not written through).
. "$(dirname "$0")/../lib.sh"
command -v gcc >/dev/null 2>&1 && command -v modinfo >/dev/null 2>&1 ||
	{ skip "install-kernels" "needs gcc and kmod"; exit 0; }
T=$(mktemp -d)
K=6.1.0-99-ik$$-amd64
trap 'rm -rf "$T"; rm -f "/var/tmp/i915-vma-cleanup-$K.log"' EXIT
VER=$(cat "$PKG_TOP/VERSION")
mkdir -p "$T/pkg" "$T/bin" "$T/mods/$K/build" "$T/efi/efivars"
cp -a "$PKG_TOP/scripts" "$PKG_TOP/VERSION" "$PKG_TOP/dkms.conf" "$T/pkg/"
printf 'CONFIG_DRM_I915=m\nCONFIG_MODULE_SIG=y\n' > "$T/mods/$K/build/.config"
MOD=$T/mods/$K/updates/dkms/i915.ko
mkdir -p "$(dirname "$MOD")"
{
	printf 'static const char mi[] __attribute__((section(".modinfo"), used, aligned(1))) =\n'
	for f in "version=$VER" dkms_package=i915-vma-cleanup dkms_mode=verify dkms_source=6.1.192 "vermagic=$K SMP "; do printf '\t"%s\\0"\n' "$f"; done
	printf '\t;\n'
} > "$T/m.c"
gcc -c -o "$MOD" "$T/m.c"
REAL_MODINFO=$(command -v modinfo)

# fake dkms: "install" succeeds unless $T/dkms-fails, and says what its hook said
cat > "$T/bin/dkms" <<EOF
#!/bin/bash
echo "dkms \$*" >> "$T/dkms.calls"
case \$1 in
install) [ -e "$T/dkms-fails" ] && { echo "make-step: error: the build broke"; exit 10; }
         echo "Running the post_install script:"; cat "$T/hook-says" 2>/dev/null; exit 0 ;;
*) exit 0 ;;
esac
EOF
# fake modinfo: modprobe's i915 for the fake kernel is $MOD
cat > "$T/bin/modinfo" <<EOF
#!/bin/bash
[ "\$1" = -k ] && [ "\$2" = "$K" ] && [ "\$3" = -n ] && { echo "$MOD"; exit 0; }
exec "$REAL_MODINFO" "\$@"
EOF
cat > "$T/bin/mokutil" <<EOF
#!/bin/bash
case \$1 in --sb-state) echo "SecureBoot disabled" ;; --test-key) echo "\$2 is not enrolled" ;; --list-enrolled) ;; esac
EOF
# fake initramfs rule: fails when $T/initramfs-bad exists
cat > "$T/pkg/scripts/5-install/initramfs-sync" <<EOF
#!/bin/bash
[ -e "$T/initramfs-bad" ] && { echo "initramfs-sync: error: \$1: /boot/initrd.img-\$1 holds an i915.ko (kernel/drivers/gpu/drm/i915/i915.ko) that is not ours: run update-initramfs -u -k \$1" >&2; exit 1; }
exit 0
EOF
chmod +x "$T/bin/"* "$T/pkg/scripts/5-install/initramfs-sync"
export PATH=$T/bin:$PATH I915_MODULES_ROOT=$T/mods I915_LOG_DIR=$T/log I915_EFIVARS_DIR=$T/efi/efivars \
	I915_DKMS_FRAMEWORK_CONF=$T/none.conf
unset I915_SECUREBOOT_CHECK I915_SIGN_CERT
ik() { "$T/pkg/scripts/5-install/install-kernels" "$K" > "$T/out" 2>&1; echo $?; }

# all well: installed, exit 0
rc=$(ik)
check "a good install: installed, exit 0" bash -c "[ $rc = 0 ] && grep -q '^$K: installed (verify mode' '$T/out'"

# the hook failed (dkms ignores it): the initramfs rule says so
touch "$T/initramfs-bad"; echo "initramfs-sync: error: update-initramfs -u -k $K failed" > "$T/hook-says"
rc=$(ik)
if [ "$rc" = 1 ] && grep -q "^$K: FAILED: installed, but the initramfs is not right: .*update-initramfs -u -k $K (full log: $T/log/$K.log)" "$T/out" &&
   ! grep -q "^$K: installed" "$T/out" && grep -q 'update-initramfs -u -k .* failed' "$T/log/$K.log"; then
	ok "a failed initramfs after dkms install: FAILED, exit 1, the log kept with the hook's error"
else bad "a failed initramfs after dkms install: FAILED, exit 1, log kept" "exit $rc: $(tr '\n' ' ' < "$T/out")"; fi
rm -f "$T/initramfs-bad" "$T/log/$K.log"
rc=$(ik)
if [ "$rc" = 0 ] && grep -q "^$K: note: the install log holds an error: .*(full log: $T/log/$K.log)" "$T/out" && [ -s "$T/log/$K.log" ]; then
	ok "a successful install whose log holds an error: a note, the log kept"
else bad "a successful install whose log holds an error: a note, the log kept" "exit $rc: $(tr '\n' ' ' < "$T/out")"; fi
rm -f "$T/hook-says"

# Secure Boot on; the installed module is not signed: the stock i915 must stay
printf '\x06\x00\x00\x00\x01' > "$T/efi/efivars/SecureBoot-8be4df61-93ca-11d2-aa0d-00e098032b8c"
: > "$T/dkms.calls"
rc=$(ik)
if [ "$rc" = 1 ] && grep -q "^$K: FAILED: .*Secure Boot is on and .*i915.ko is not signed.*dkms uninstall put the stock i915 back" "$T/out" &&
   grep -q "^dkms uninstall -m i915-vma-cleanup -v $VER -k $K" "$T/dkms.calls"; then
	ok "Secure Boot on, module not loadable: FAILED with the remedy, dkms uninstall (stock i915 back), exit 1"
else bad "Secure Boot on, module not loadable: FAILED, stock i915 back, exit 1" "exit $rc: $(tr '\n' ' ' < "$T/out"); dkms: $(tr '\n' ' ' < "$T/dkms.calls")"; fi
rm -f "$T"/efi/efivars/*

# a dkms failure: the log in the package's own 0700 directory; a symlink in /var/tmp untouched
echo "root only" > "$T/victim"
ln -sf "$T/victim" "/var/tmp/i915-vma-cleanup-$K.log"
touch "$T/dkms-fails"
rc=$(ik)
if [ "$rc" = 1 ] && grep -q "^$K: FAILED (dkms rc 10): make-step: error: the build broke (full log: $T/log/$K.log)" "$T/out" &&
   [ "$(cat "$T/victim")" = "root only" ] && [ "$(stat -c %a "$T/log")" = 700 ] && [ "$(stat -c %a "$T/log/$K.log")" = 600 ]; then
	ok "a dkms failure: FAILED, its log in the package's 0700 log directory, nothing written through a symlink in /var/tmp"
else bad "a dkms failure: log kept safely" "exit $rc: $(tr '\n' ' ' < "$T/out"); victim: $(cat "$T/victim")"; fi
rm -f "$T/dkms-fails"
t_done
