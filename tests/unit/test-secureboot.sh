#!/bin/bash
# Secure Boot: a module the machine would not load is never built for dkms to install
# over the stock i915 (issue 21). A fake Secure Boot state (efivars, I915_EFIVARS_DIR), a
# fake mokutil first on PATH, fake modules (ELF objects with a .modinfo) and a fake dkms
# key (I915_DKMS_FRAMEWORK_CONF); nothing of the machine's own is read or touched.
#   scripts/4-build/check-module (the end of every build, dkms's MAKE[0]): Secure Boot on and the
#   dkms certificate not enrolled, or missing, or no mokutil: exit 1, one FAILED line with
#   the remedy (mokutil --import), the module deleted; enrolled, Secure Boot off, or a
#   kernel that checks no signatures: it passes.
#   scripts/4-build/secureboot-check --module: a signed module whose key is enrolled loads; an
#   unsigned one, or one signed by a key not enrolled, does not.
. "$(dirname "$0")/../lib.sh"
command -v gcc >/dev/null 2>&1 && command -v modinfo >/dev/null 2>&1 ||
	{ skip "Secure Boot checks" "needs gcc and kmod"; exit 0; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
K=6.1.0-99-amd64
VER=$(cat "$PKG_TOP/VERSION")
sha=$(printf '%064d' 1)
mkdir -p "$T/kdir" "$T/bin" "$T/efi/efivars" "$T/dkms"
printf 'CONFIG_DRM_I915=m\nCONFIG_MODULE_SIG=y\n' > "$T/kdir/.config"

# fake mokutil: Secure Boot state from $T/sb-state, enrolled certificates (paths) in
# $T/enrolled, enrolled serials in $T/serials
cat > "$T/bin/mokutil" <<EOF
#!/bin/bash
case \$1 in
--sb-state) cat "$T/sb-state" ;;
--test-key) if grep -qxF -- "\$2" "$T/enrolled" 2>/dev/null; then echo "\$2 is already enrolled"; else echo "\$2 is not enrolled"; fi ;;
--list-enrolled) while read -r s; do printf '[key 1]\nCertificate:\n    Serial Number:\n        %s\n' "\$s"; done < "$T/serials" ;;
*) exit 2 ;;
esac
EOF
chmod +x "$T/bin/mokutil"
: > "$T/enrolled"; : > "$T/serials"; echo "SecureBoot enabled" > "$T/sb-state"
sb() { printf "\\x06\\x00\\x00\\x00\\x$1" > "$T/efi/efivars/SecureBoot-8be4df61-93ca-11d2-aa0d-00e098032b8c"; }
export PATH=$T/bin:$PATH I915_EFIVARS_DIR=$T/efi/efivars I915_DKMS_FRAMEWORK_CONF=$T/dkms/framework.conf
unset I915_SIGN_CERT I915_SECUREBOOT_CHECK
echo 'mok_certificate="'"$T"'/dkms/mok.pub"' > "$T/dkms/framework.conf"

mkmod() {   # mkmod WORK: WORK/drivers/gpu/drm/i915/i915.ko of the plan WORK/plan
	local w=$1 f
	mkdir -p "$w/drivers/gpu/drm/i915"
	{
		printf 'static const char mi[] __attribute__((section(".modinfo"), used, aligned(1))) =\n'
		for f in "version=$VER" dkms_mode=verify dkms_generation=vm-release dkms_source=6.1.192 \
			"dkms_source_sha256=$sha" "dkms_upstream_fix=e9f24d5fb7cf x" "vermagic=$K SMP preempt mod_unload "; do
			printf '\t"%s\\0"\n' "$f"
		done
		printf '\t;\n'
	} > "$T/m.c"
	gcc -c -o "$w/drivers/gpu/drm/i915/i915.ko" "$T/m.c"
	printf 'kver=%s\ngeneration=vm-release\nsource_sha256=%s\npackage_version=%s\n' "$K" "$sha" "$VER" > "$w/plan"
}
cm() { mkmod "$1"; "$PKG_TOP/scripts/4-build/check-module" --kver "$K" --kdir "$T/kdir" --work "$1"; }
kept() { test -f "$1/drivers/gpu/drm/i915/i915.ko"; }

# --- at the end of the build ------------------------------------------------------------------
sb 01
openssl req -new -x509 -nodes -days 1 -subj "/CN=test dkms key" -newkey rsa:2048 \
	-keyout "$T/dkms/mok.key" -outform DER -out "$T/dkms/mok.pub" >/dev/null 2>&1 || echo fake > "$T/dkms/mok.pub"
expect_fail "Secure Boot on, the dkms key not enrolled: the build fails with the remedy" 1 \
	"$K: FAILED: Secure Boot is on and dkms signs with $T/dkms/mok.pub, which is not enrolled.*the stock i915 stays: mokutil --import $T/dkms/mok.pub, reboot" \
	cm "$T/w1"
check "... and the module is deleted, so dkms installs nothing over the stock i915" bash -c "! test -e '$T/w1/drivers/gpu/drm/i915/i915.ko'"
mv "$T/dkms/mok.pub" "$T/dkms/mok.pub.away"
expect_fail "Secure Boot on, no dkms key yet (dkms would make a new one): the build fails" 1 \
	"FAILED: Secure Boot is on and dkms has no signing key yet .*mokutil --import" cm "$T/w2"
mv "$T/dkms/mok.pub.away" "$T/dkms/mok.pub"
echo "$T/dkms/mok.pub" > "$T/enrolled"
check "Secure Boot on, the dkms key enrolled: the build passes, the module kept" bash -c "$(declare -f cm mkmod kept); K=$K T=$T VER=$VER sha=$sha PKG_TOP=$PKG_TOP; cm $T/w3 2>/dev/null && kept $T/w3"
: > "$T/enrolled"
sb 00
check "Secure Boot off (efivars): the build passes" bash -c "$(declare -f cm mkmod kept); K=$K T=$T VER=$VER sha=$sha PKG_TOP=$PKG_TOP; cm $T/w4 2>/dev/null && kept $T/w4"
rm -f "$T"/efi/efivars/SecureBoot-*
expect_fail "no efivars value, mokutil --sb-state says enabled: the build fails" 1 "FAILED: Secure Boot is on" cm "$T/w5"
echo "SecureBoot disabled" > "$T/sb-state"
check "mokutil --sb-state says disabled: the build passes" bash -c "$(declare -f cm mkmod kept); K=$K T=$T VER=$VER sha=$sha PKG_TOP=$PKG_TOP; cm $T/w6 2>/dev/null && kept $T/w6"
sb 01
printf 'CONFIG_DRM_I915=m\n' > "$T/kdir/.config"
check "a kernel without CONFIG_MODULE_SIG loads any module: the build passes" bash -c "$(declare -f cm mkmod kept); K=$K T=$T VER=$VER sha=$sha PKG_TOP=$PKG_TOP; cm $T/w7 2>/dev/null && kept $T/w7"
printf 'CONFIG_DRM_I915=m\nCONFIG_MODULE_SIG=y\n' > "$T/kdir/.config"
mv "$T/bin/mokutil" "$T/mokutil.away"
if command -v mokutil >/dev/null 2>&1; then
	skip "Secure Boot on and no mokutil: the build fails" "this machine has a mokutil of its own"
else
	expect_fail "Secure Boot on and no mokutil: the build fails, saying to install it" 1 "FAILED: Secure Boot is on and mokutil is not installed.*install mokutil" cm "$T/w8"
fi
mv "$T/mokutil.away" "$T/bin/mokutil"
check "I915_SECUREBOOT_CHECK=0 (an image builder that signs elsewhere) skips the check" bash -c "$(declare -f cm mkmod kept); K=$K T=$T VER=$VER sha=$sha PKG_TOP=$PKG_TOP; I915_SECUREBOOT_CHECK=0 cm $T/w9 2>/dev/null && kept $T/w9"

# --- an installed (signed) module ------------------------------------------------------------
sbc() { "$PKG_TOP/scripts/4-build/secureboot-check" --kver "$K" --kdir "$T/kdir" --module "$1"; }
mkmod "$T/s"
expect_fail "an unsigned installed module under Secure Boot will not load" 1 "is not signed: the kernel would refuse it" sbc "$T/s/drivers/gpu/drm/i915/i915.ko"
SIGN_FILE=$(ls /usr/lib/linux-kbuild-*/scripts/sign-file /lib/modules/*/build/scripts/sign-file 2>/dev/null | head -n 1)
if [ -n "$SIGN_FILE" ] && [ -f "$T/dkms/mok.key" ] &&
   "$SIGN_FILE" sha256 "$T/dkms/mok.key" "$T/dkms/mok.pub" "$T/s/drivers/gpu/drm/i915/i915.ko" 2>/dev/null; then
	expect_fail "a module signed by a key not enrolled will not load" 1 "signed by 'test dkms key' .*not enrolled.*mokutil --import" sbc "$T/s/drivers/gpu/drm/i915/i915.ko"
	openssl x509 -inform DER -in "$T/dkms/mok.pub" -noout -serial | sed 's/^serial=//; s/../&:/g; s/:$//' | tr 'A-F' 'a-f' > "$T/serials"
	check "a module signed by an enrolled key loads" bash -c "$(declare -f sbc); K=$K T=$T PKG_TOP=$PKG_TOP; sbc $T/s/drivers/gpu/drm/i915/i915.ko 2>/dev/null"
else
	skip "signed modules" "no sign-file (linux-kbuild) or openssl"
fi
t_done
