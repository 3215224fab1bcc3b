#!/bin/bash
# tools/status (i915-vma-cleanup-status): built with its Makefile (a bash script with the
# package's one initramfs rule, scripts/5-install/initramfs-rule.sh, built in), then run with --root
# against fake systems made here (fake i915.ko/kvmgt.ko ELF objects carrying the
# modinfo fields, depmod'ed; a gzip cpio initramfs; fake /sys and /proc):
#   consistent state (exit 0), stale initramfs holding the stock i915 (exit 1), an
#   initramfs holding both (the updates/ copy is the one its modprobe takes: exit 0,
#   for the status command and initramfs-sync's rule alike), unsigned
#   module (exit 0; exit 1 under Secure Boot), module whose vermagic is another kernel's
#   (exit 1), stock kvmgt beside our i915 (exit 1), loaded stock i915 after a reboot
#   (exit 1) or before it (pending, exit 0), not built / built only; --json; usage.
# Then one run against this machine: must not crash (exit 0, or 1 with a PROBLEM line).
# Needs no root and compiles no kernel code.
. "$(dirname "$0")/../lib.sh"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
TOOL=$T/bin/i915-vma-cleanup-status
K=6.1.0-99-amd64           # fake kernels: never a real one
K2=6.12.99+deb12-amd64
VER=$(cat "$PKG_TOP/VERSION")

for p in gcc make depmod modinfo cpio gzip lsinitramfs unmkinitramfs; do
	command -v "$p" >/dev/null 2>&1 || PATH=$PATH:/usr/sbin:/sbin
	command -v "$p" >/dev/null 2>&1 || { skip "status command" "$p is not installed (tests/deps: kmod, cpio, initramfs-tools)"; exit 0; }
done

# --- build ------------------------------------------------------------------------------------
mkdir -p "$T/bin"
if make -s -C "$PKG_TOP/tools/status" BUILD="$T/bin" >"$T/build.log" 2>&1 && [ -x "$TOOL" ]; then
	ok "tools/status builds"
else
	bad "tools/status builds" "$(tail -n 5 "$T/build.log" | tr '\n' ' ')"
	t_done
fi
check "the built command carries initramfs-sync's rule (scripts/5-install/initramfs-rule.sh), not its own" \
	bash -c "grep -qF -- \"\$(sed -n '/^ir_pick_i915() {/,/^}/p' '$PKG_TOP/scripts/5-install/initramfs-rule.sh')\" '$TOOL' && test \"\$(grep -c '^ir_pick_i915() {' '$TOOL')\" = 1"

# --- fake modules -------------------------------------------------------------------------------
# mkmod OUT FIELD=VALUE...: an ELF object with a .modinfo section, which is all modinfo
# and depmod read.
mkmod() {
	local out=$1 f c=$T/mod.c; shift
	{
		printf 'static const char mi[] __attribute__((section(".modinfo"), used, aligned(1))) =\n'
		for f in "$@"; do printf '\t"%s\\0"\n' "$f"; done
		printf '\t;\nint fake_%s(void) { return 0; }\n' "$RANDOM"
	} > "$c"
	mkdir -p "$(dirname "$out")"
	gcc -c -o "$out" "$c"
}
SIGN_FILE=$(ls /usr/lib/linux-kbuild-*/scripts/sign-file /lib/modules/*/build/scripts/sign-file 2>/dev/null | head -n 1)
can_sign=0
if [ -n "$SIGN_FILE" ] && command -v openssl >/dev/null 2>&1 &&
   openssl req -new -x509 -nodes -days 1 -subj "/CN=status test key" -newkey rsa:2048 \
	-keyout "$T/key.pem" -outform DER -out "$T/cert.der" >/dev/null 2>&1; then
	can_sign=1
fi
sign() { "$SIGN_FILE" sha256 "$T/key.pem" "$T/cert.der" "$1"; }

src_sha=4d415b3d364834fd818270e88813e90323bbfce4f519a0e6bd4940ddcd7df693
# mkroot DIR [options]: a fake system with kernel $K (and $K2, headers only)
#   --vermagic V     our i915 claims kernel V
#   --unsigned       our i915 is not signed
#   --initrd stock|ours|both|none|absent   i915 in the initramfs (absent: no initramfs at
#                                     all; both: the stock copy listed first)
#   --loaded ours|stock|none          /sys/module/i915 of the running kernel $K
#   --installed-after-boot            our module's mtime is after btime
#   --stock-kvmgt                     kvmgt in updates/dkms is missing (stock one resolves)
#   --not-installed [--built MODE]    no updates/dkms; optionally a module in the dkms tree
#   --secure-boot                     efivars say Secure Boot is on
mkroot() {
	local R=$1 vm=$K signed=1 initrd=ours loaded=ours after=0 kvmgt=1 installed=1 built='' sb=0
	shift
	while [ $# -gt 0 ]; do
		case $1 in
		--vermagic) vm=$2; shift ;;
		--unsigned) signed=0 ;;
		--initrd) initrd=$2; shift ;;
		--loaded) loaded=$2; shift ;;
		--installed-after-boot) after=1 ;;
		--stock-kvmgt) kvmgt=0 ;;
		--not-installed) installed=0 ;;
		--built) built=$2; shift ;;
		--secure-boot) sb=1 ;;
		esac
		shift
	done
	local M=$R/lib/modules/$K
	mkmod "$M/kernel/drivers/gpu/drm/i915/i915.ko" "vermagic=$K SMP preempt mod_unload modversions " "name=i915" "srcversion=STOCK0123456789ABCDE" "license=GPL and additional rights"
	mkmod "$M/kernel/drivers/gpu/drm/i915/kvmgt.ko" "vermagic=$K SMP preempt mod_unload modversions " "name=kvmgt"
	if [ $installed -eq 1 ]; then
		mkmod "$M/updates/dkms/i915.ko" "version=$VER" "dkms_package=i915-vma-cleanup" "dkms_mode=verify" \
			"dkms_generation=vm-release" "dkms_source=6.1.192" "dkms_source_sha256=$src_sha" \
			"dkms_upstream_fix=e9f24d5fb7cf test" "srcversion=OURS0123456789ABCDEF" \
			"vermagic=$vm SMP preempt mod_unload modversions " "name=i915"
		[ $signed -eq 1 ] && [ $can_sign -eq 1 ] && sign "$M/updates/dkms/i915.ko"
		[ $kvmgt -eq 1 ] && mkmod "$M/updates/dkms/kvmgt.ko" "version=$VER" "dkms_package=i915-vma-cleanup" "vermagic=$vm SMP preempt mod_unload modversions " "name=kvmgt"
		if [ $after -eq 1 ]; then touch -d '@2000000000' "$M/updates/dkms/i915.ko"; else touch -d '@1500000000' "$M/updates/dkms/i915.ko"; fi
	fi
	if [ -n "$built" ]; then
		mkmod "$R/var/lib/dkms/i915-vma-cleanup/$VER/$K/x86_64/module/i915.ko" "version=$VER" "dkms_package=i915-vma-cleanup" "dkms_mode=$built" "vermagic=$K SMP preempt mod_unload modversions " "name=i915"
	fi
	mkdir -p "$M/build" "$R/lib/modules/$K2/build"
	echo CONFIG_DRM_I915=m > "$M/build/.config"
	echo CONFIG_DRM_I915=m > "$R/lib/modules/$K2/build/.config"
	depmod -b "$R" "$K" 2>/dev/null
	# initramfs (gzip'ed newc cpio, as unmkinitramfs reads it)
	mkdir -p "$R/boot"
	if [ "$initrd" != absent ]; then
		local S=$T/stage; rm -rf "$S"; mkdir -p "$S/usr/lib/modules/$K" "$S/scripts"
		echo init > "$S/init"
		case $initrd in
		ours|both)  install -D "$M/updates/dkms/i915.ko" "$S/usr/lib/modules/$K/updates/dkms/i915.ko" ;;
		esac
		case $initrd in
		stock|both) install -D "$M/kernel/drivers/gpu/drm/i915/i915.ko" "$S/usr/lib/modules/$K/kernel/drivers/gpu/drm/i915/i915.ko" ;;
		esac
		# sorted: kernel/ is listed before updates/
		(cd "$S" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) | gzip > "$R/boot/initrd.img-$K"
	fi
	# the running kernel, its boot time and the loaded i915
	mkdir -p "$R/proc/sys/kernel" "$R/sys/module"
	echo "$K" > "$R/proc/sys/kernel/osrelease"
	printf 'cpu  1 2 3\nbtime 1700000000\n' > "$R/proc/stat"
	case $loaded in
	ours)  mkdir -p "$R/sys/module/i915/parameters"
	       echo "i915-vma-cleanup $VER mode=verify generation=vm-release source=6.1.192 sha256=$src_sha kernel=$K upstream=e9f24d5fb7cf" \
			> "$R/sys/module/i915/parameters/dkms_identity"
	       echo OURS0123456789ABCDEF > "$R/sys/module/i915/srcversion" ;;
	stock) mkdir -p "$R/sys/module/i915/parameters"; echo STOCK0123456789ABCDE > "$R/sys/module/i915/srcversion" ;;
	esac
	if [ $sb -eq 1 ]; then
		mkdir -p "$R/sys/firmware/efi/efivars"
		printf '\x06\x00\x00\x00\x01' > "$R/sys/firmware/efi/efivars/SecureBoot-8be4df61-93ca-11d2-aa0d-00e098032b8c"
	fi
}

# status NAME WANT_RC PATTERN... : run the tool on $T/NAME; exit code and every pattern
# (grep -E on the output) must match. Output kept in $T/NAME.out.
status() {
	local name=$1 want=$2 rc p miss=; shift 2
	"$TOOL" --root "$T/$name" > "$T/$name.out" 2>&1; rc=$?
	for p in "$@"; do grep -qE -- "$p" "$T/$name.out" || miss+="/$p/ "; done
	if [ "$rc" -ne "$want" ]; then
		bad "status: $name" "exit $rc, want $want: $(grep -E 'PROBLEM|error' "$T/$name.out" | head -n 2 | tr '\n' ' ')"
	elif [ -n "$miss" ]; then
		bad "status: $name" "output lacks $miss: $(tr '\n' ' ' < "$T/$name.out" | cut -c1-600)"
	else
		ok "status: $name (exit $rc)"
	fi
}
re() { printf '%s' "$1" | sed 's/[.+]/\\&/g'; }   # a kernel release as a literal in a regex
krow() { echo "^$(re "$K")[[:space:]].*$1"; }   # a pattern on the row of kernel $K

# --- fake systems ------------------------------------------------------------------------------------
mkroot "$T/consistent"
if [ $can_sign -eq 1 ]; then
	status consistent 0 "$(krow 'no \(verify mode\).*yes \('"$VER"'\).*same i915.*yes: status test key.*ours \(installed\)')" \
		"^$(re "$K2")[[:space:]].*unknown \(not built\).*no \(headers only\)" "^consistent"
else
	skip "status: signed module" "no sign-file (linux-kbuild) or openssl"
	status consistent 0 "$(krow 'no \(verify mode\).*yes \('"$VER"'\).*same i915')" "^consistent"
fi

# a second kernel that is PREEMPT_RT: dkms skips it, the table says so (and --json)
mkroot "$T/rt"
printf 'CONFIG_PREEMPT_RT=y\nCONFIG_DRM_I915=m\n' > "$T/rt/lib/modules/$K2/build/.config"
status rt 0 "^$(re "$K2")[[:space:]].*unknown \(rt: not built\).*no \(headers only\)" "$(krow 'no \(verify mode\)')"
"$TOOL" --root "$T/rt" --json | python3 -c '
import json, sys
d = {k["kernel"]: k for k in json.load(sys.stdin)["kernels"]}
assert d[sys.argv[1]]["preempt_rt"] is True and d[sys.argv[2]]["preempt_rt"] is False' "$K2" "$K" &&
	ok "status --json: preempt_rt true for the rt kernel only" || bad "status --json: preempt_rt" "$("$TOOL" --root "$T/rt" --json | cut -c1-300)"

mkroot "$T/stale-initramfs" --initrd stock
status stale-initramfs 1 "$(krow 'STOCK i915')" "PROBLEM:.*holds the stock i915.*update-initramfs -u -k $(re "$K")" "^INCONSISTENT"

# both copies inside: the initramfs's modprobe takes updates/ (the one rule), so it is ours
mkroot "$T/both-in-initramfs" --initrd both
status both-in-initramfs 0 "$(krow 'same i915')" "initramfs: .* holds usr/lib/modules/$(re "$K")/updates/dkms/i915.ko" "^consistent"
if . "$PKG_TOP/scripts/5-install/initramfs-rule.sh" 2>/dev/null; then
	lsinitramfs "$T/both-in-initramfs/boot/initrd.img-$K" > "$T/both.list" 2>/dev/null
	check "initramfs-sync's rule picks the same copy (updates/, though kernel/ is listed first)" \
		test "$(ir_pick_i915 < "$T/both.list")" = "usr/lib/modules/$K/updates/dkms/i915.ko" -a \
		"$(grep -n 'i915.ko$' "$T/both.list" | head -n 1 | grep -c kernel/)" = 1
fi

mkroot "$T/unsigned" --unsigned
status unsigned 0 "$(krow 'yes \('"$VER"'\).*same i915[[:space:]]+no[[:space:]]')" "^consistent"

mkroot "$T/unsigned-secure-boot" --unsigned --secure-boot
status unsigned-secure-boot 1 "Secure Boot: enabled" "PROBLEM:.*Secure Boot is enabled and .*updates/dkms/i915.ko is not signed"

mkroot "$T/other-vermagic" --vermagic "$K2"
status other-vermagic 1 "PROBLEM:.*built for kernel $(re "$K2") \(vermagic\), not $(re "$K")"

mkroot "$T/stock-kvmgt" --stock-kvmgt
status stock-kvmgt 1 "PROBLEM:.*kvmgt .*kernel/drivers/gpu/drm/i915/kvmgt.ko.* is not"

mkroot "$T/no-i915-in-initramfs" --initrd none
status no-i915-in-initramfs 0 "$(krow 'no i915[[:space:]]')" "^consistent"

mkroot "$T/no-initramfs" --initrd absent
status no-initramfs 0 "$(krow 'no initramfs')"

mkroot "$T/stock-loaded-after-reboot" --loaded stock
status stock-loaded-after-reboot 1 "$(krow 'stock$')" "PROBLEM:.*loaded i915 is the stock one.*installed before this boot"

mkroot "$T/stock-loaded-pending" --loaded stock --installed-after-boot
status stock-loaded-pending 0 "note:.*pending: the loaded i915 is the stock one.*reboot"

mkroot "$T/not-loaded" --loaded none
status not-loaded 0 "$(krow 'not loaded$')"

mkroot "$T/not-built" --not-installed --initrd stock --loaded stock
status not-built 0 "$(krow 'unknown \(not built\).*no \(stock i915\).*same i915.*stock$')"

# an affected kernel built in fix mode but running the stock i915: a problem (exit 1), never "fine"
mkroot "$T/built-only" --not-installed --built fix --initrd none --loaded none
status built-only 1 "$(krow 'yes \(fix mode\).*no \(stock i915\)')" "PROBLEM:.*needs the fix .*runs the stock i915.*dkms install"
mkroot "$T/built-only-verify" --not-installed --built verify --initrd none --loaded none
status built-only-verify 0 "$(krow 'no \(verify mode\).*no \(stock i915\)')" "built by dkms \(verify mode\) but not installed"

# the package's decision (scripts/2-decide/decide's record per kernel): AFFECTED without any module
# decided ROOT KEY=VALUE...: the record of kernel $K in ROOT's decision cache
decided() {
	local d=$1/var/cache/i915-vma-cleanup/designs/kernel; shift
	mkdir -p "$d"; printf '%s\n' "$@" > "$d/$K"
}
mkroot "$T/not-affected" --not-installed --initrd stock --loaded stock
decided "$T/not-affected" affected=no design=vm-release design_mode=verify action=skip "reason=kernel $K is not affected"
status not-affected 0 "$(krow 'no \(vm-release: stock kept\).*no \(stock i915\)')" \
	"note: +not affected: fixed upstream \(vm-release design\), stock i915 kept" "^consistent"
mkroot "$T/affected-not-applying" --not-installed --initrd stock --loaded stock
decided "$T/affected-not-applying" affected=yes design=leak-4.1 design_mode=fix applies=no action=skip \
	"reason=kernel $K needs the fix (leak-4.1 design) but its series does not apply (x.c hunk #1)"
status affected-not-applying 1 "$(krow 'yes \(leak-4.1: NOT FIXED\).*no \(stock i915\)')" \
	"PROBLEM: +this kernel needs the fix and does not have it: kernel $(re "$K") needs the fix \(leak-4.1 design\) but its series does not apply" "^INCONSISTENT"
mkroot "$T/affected-not-installed" --not-installed --initrd stock --loaded stock
decided "$T/affected-not-installed" affected=yes design=leak-4.3 design_mode=fix applies=yes action=fix reason=x
status affected-not-installed 1 "$(krow 'yes \(fix mode\).*no \(stock i915\)')" \
	"PROBLEM: +this kernel needs the fix \(leak-4.3 design\) but runs the stock i915"
"$TOOL" --root "$T/affected-not-applying" --json | python3 -c '
import json, sys
k = [k for k in json.load(sys.stdin)["kernels"] if k["kernel"] == sys.argv[1]][0]
sys.exit(0 if (k["affected"], k["design"], k["decision"]) == ("yes", "leak-4.1", "skip") else 1)' "$K" &&
	ok "status --json: the decision (affected, design, decision)" || bad "status --json: the decision" "$("$TOOL" --root "$T/affected-not-applying" --json | cut -c1-300)"

# --- json, options ---------------------------------------------------------------------------------
"$TOOL" --root "$T/stale-initramfs" --json > "$T/j.json" 2>&1; rc=$?
check "--json: exit 1 on the stale initramfs too" test "$rc" -eq 1
if command -v python3 >/dev/null 2>&1; then
	check "--json: valid JSON with consistent=false and initramfs state 'stock'" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
k = [k for k in d["kernels"] if k["kernel"] == sys.argv[2]][0]
assert d["consistent"] is False and k["initramfs"]["state"] == "stock" and k["installed"] is True
assert k["module"]["dkms_mode"] == "verify" and k["affected"] == "no" and k["problems"]
' "$T/j.json" "$K"
else
	skip "--json: valid JSON" "python3 not installed"
fi
check "--kernel restricts the report" test "$("$TOOL" --root "$T/consistent" --kernel "$K2" | grep -c "^$(re "$K")[[:space:]]")" -eq 0
"$TOOL" --bogus >/dev/null 2>&1; rc=$?
check "unknown option: exit 2" test "$rc" -eq 2
"$TOOL" --root "$T/consistent" --kernel 9.9.9-none >/dev/null 2>&1; rc=$?
check "unknown kernel: exit 2" test "$rc" -eq 2
# without root: an initramfs it cannot read is "not checked", not a failure
chmod 600 "$T/consistent/boot/initrd.img-$K"
as_user=()
if [ "$(id -u)" -eq 0 ] && command -v runuser >/dev/null 2>&1 && id nobody >/dev/null 2>&1; then
	chmod 755 "$T" "$T/bin"
	as_user=(runuser -u nobody --)
fi
if [ "$(id -u)" -ne 0 ] || [ ${#as_user[@]} -gt 0 ]; then
	out=$("${as_user[@]}" "$TOOL" --root "$T/consistent" 2>&1); rc=$?
	if [ "$rc" -eq 0 ] && grep -qE "$(krow 'unreadable')" <<<"$out" && grep -q 'initramfs not checked: cannot read' <<<"$out"; then
		ok "status: without root an unreadable initramfs is reported as not checked (exit 0)"
	else
		bad "status: unreadable initramfs" "exit $rc: $(tr '\n' ' ' <<<"$out" | cut -c1-400)"
	fi
else
	skip "status: unreadable initramfs" "root without runuser/nobody"
fi
chmod 644 "$T/consistent/boot/initrd.img-$K"

# a corrupt initramfs (issue 21): it cannot be listed, so what boots is not known: a PROBLEM
mkroot "$T/corrupt-initramfs"
head -c 4096 /dev/urandom > "$T/corrupt-initramfs/boot/initrd.img-$K"
status corrupt-initramfs 1 "$(krow 'unreadable')" "PROBLEM: .*initrd.img-$K cannot be listed \(corrupt or truncated\?\).*update-initramfs -u -k $K" "^INCONSISTENT"
# --json keeps no control character raw (a field of the module carrying ESC and CR)
mkroot "$T/ctl"
mkmod "$T/ctl/lib/modules/$K/updates/dkms/i915.ko" "version=$VER" "dkms_package=i915-vma-cleanup" "dkms_mode=verify" \
	"dkms_generation=vm-release" "dkms_source=6.1.192\\033[31m\\rX" "dkms_source_sha256=$src_sha" \
	"dkms_upstream_fix=e9f24d5fb7cf test" "vermagic=$K SMP preempt mod_unload modversions " "name=i915"
depmod -b "$T/ctl" "$K" 2>/dev/null
"$TOOL" --root "$T/ctl" --json > "$T/ctl.json" 2>/dev/null
if command -v python3 >/dev/null 2>&1; then
	check "--json: control characters are escaped (strict JSON parser, the value kept)" python3 -c '
import json, sys
raw = open(sys.argv[1], "rb").read()
assert not any(b < 0x20 for b in raw.rstrip(b"\n")), "raw control character"
d = json.loads(raw)
k = [k for k in d["kernels"] if k["kernel"] == sys.argv[2]][0]
assert k["module"]["dkms_source"] == "6.1.192\x1b[31m\rX", k["module"]["dkms_source"]
' "$T/ctl.json" "$K"
else
	skip "--json: control characters are escaped" "python3 not installed"
fi

# --- the real machine --------------------------------------------------------------------------------
"$TOOL" > "$T/real.out" 2>&1; rc=$?
sed 's/^/    | /' "$T/real.out" | head -n 20
if [ "$rc" -eq 0 ]; then
	ok "real machine: exit 0 (consistent)"
elif [ "$rc" -eq 1 ] && grep -q 'PROBLEM:' "$T/real.out"; then
	ok "real machine: exit 1 with a reason ($(grep -m1 'PROBLEM:' "$T/real.out" | cut -c1-120))"
else
	bad "real machine" "exit $rc without a PROBLEM line"
fi
"$TOOL" --json > "$T/real.json" 2>/dev/null; rc=$?
if command -v python3 >/dev/null 2>&1; then
	check "real machine: --json parses (exit $rc)" python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$T/real.json"
fi
t_done
