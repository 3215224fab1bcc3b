#!/bin/bash
# dkms.conf stays declarative and in step with the package: PACKAGE_VERSION equals
# VERSION, no logic (no if/case/loops/command substitution), every referenced script
# exists and is executable, and dkms itself accepts the file.
. "$(dirname "$0")/../lib.sh"
conf=$PKG_TOP/dkms.conf
check "PACKAGE_VERSION equals VERSION" grep -qx "PACKAGE_VERSION=\"$(cat "$PKG_TOP/VERSION")\"" "$conf"
v=$(cat "$PKG_TOP/VERSION")
check "RPM spec Version equals VERSION" grep -qE "^Version:[[:space:]]+$v$" "$PKG_TOP/i915-vma-cleanup.spec"
check "debian/changelog top entry equals VERSION" grep -q "^i915-vma-cleanup ($v)" "$PKG_TOP/debian/changelog"
# the one allowed command: scripts/5-install/dkms-target, beside dkms.conf (the per-kernel answers)
answers='\$\("\$\{BASH_SOURCE\[0\]%/\*\}/scripts/5-install/dkms-target" --kver "\$\{(kernelver\}" --kdir "\$\{kernel_source_dir\}" (modules|exclusive|built-locations|dest-locations)|_ka\}" autoinstall)\)'
check "no logic in dkms.conf (only scripts/5-install/dkms-target answers)" test -z "$(grep -vE '^[[:space:]]*(#|$)' "$conf" | sed -E "s#$answers##g" | grep -E '\$\(|`|(^|[[:space:]])(if|then|case|for|while|function)([[:space:]]|$)|&&|\|\|')"
check "dkms.conf takes the module list, its locations, BUILD_EXCLUSIVE_KERNEL and AUTOINSTALL from dkms-target" \
	test "$(grep -cE "^((BUILT_MODULE_NAME|BUILT_MODULE_LOCATION|DEST_MODULE_LOCATION)=\($answers\)|(BUILD_EXCLUSIVE_KERNEL|AUTOINSTALL)=\"$answers\")\$" "$conf")" -eq 5
check "only assignments in dkms.conf" test -z "$(grep -vE '^[[:space:]]*(#|$)' "$conf" | grep -vE '^[A-Z_]+(\[[0-9]+\])?=')"
for s in $(sed -n 's/^POST_[A-Z]*="\([^ "]*\).*/\1/p' "$conf" | sort -u); do
	check "dkms.conf hook $s is executable" test -x "$PKG_TOP/$s"
done
if command -v dkms >/dev/null && [ "$(id -u)" -eq 0 ]; then
	T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
	mkdir -p "$T/src/i915-vma-cleanup-$(cat "$PKG_TOP/VERSION")" "$T/tree"
	cp -r "$conf" "$PKG_TOP/VERSION" "$PKG_TOP/scripts" "$T/src/i915-vma-cleanup-$(cat "$PKG_TOP/VERSION")/"
	sandbox_add() { dkms --dkmstree "$T/tree" --sourcetree "$T/src" add -m i915-vma-cleanup -v "$(cat "$PKG_TOP/VERSION")" >/dev/null 2>&1; }
	check "dkms parses dkms.conf (sandboxed add)" sandbox_add
else
	skip "dkms parses dkms.conf (sandboxed add)" "needs dkms and root"
fi
t_done
