#!/bin/bash
# Data stays data, and what root writes has the modes it says (issue 21, item 5):
#   set-source compares releases as strings (4.10 does not replace 4.1), never expands a
#   backslash in --kver, refuses '#6.6' (a comment in sources.conf) and a path with a tab;
#   the generated C header's values are C string literals (lib.sh c_string: quote and
#   backslash escaped, a control character refused); setup's /usr/src tree is replaced by
#   staging and renames (lib.sh replace_dir: a failed copy leaves the old tree whole);
#   the directories set-source and the caches create are 0755 under umask 077.
. "$(dirname "$0")/../lib.sh"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export I915_SOURCES_CONF=$T/etc/i915/sources.conf
SS=$PKG_TOP/scripts/1-source/set-source
mkdir -p "$T/a/drivers/gpu/drm/i915" "$T/b/drivers/gpu/drm/i915" "$T/c/drivers/gpu/drm/i915"
lines() { grep -v '^#' "$I915_SOURCES_CONF"; }

# --- set-source ------------------------------------------------------------------------------
(umask 077; "$SS" --kver 4.1 "$T/a" 2>/dev/null)
check "set-source makes its directory 0755 under umask 077, the file 0644" \
	test "$(stat -c %a "$T/etc/i915"):$(stat -c %a "$I915_SOURCES_CONF")" = "755:644"
"$SS" --kver 4.10 "$T/b" 2>/dev/null
check "--kver 4.10 keeps the 4.1 line (releases compared as strings, not numbers)" \
	test "$(lines | sort | tr '\n' '|')" = "4.1 $T/a|4.10 $T/b|"
"$SS" --kver '6.1.0-1\tx*' "$T/a" 2>/dev/null; "$SS" --kver '6.1.0-1\tx*' "$T/c" 2>/dev/null
check "a backslash in --kver is kept as it is (set twice: one line, the second path)" \
	test "$(lines | grep -c 'x\*')|$(lines | grep -F '6.1.0-1\tx*')" = "1|6.1.0-1\\tx* $T/c"
expect_fail "--kver '#6.6' (a comment in sources.conf) is refused" 2 "--kver '#6.6' starts with '#'" "$SS" --kver '#6.6' "$T/a"
mkdir -p "$T/tab	dir/drivers/gpu/drm/i915"
expect_fail "a path with a tab is refused" 2 "contains a control character \\(a tab" "$SS" --kver 6.6.1 "$T/tab	dir"
expect_fail "--kver with a tab is refused" 2 "contains white space or a control character" "$SS" --kver "$(printf '6.6\t1')" "$T/a"
check "sources.conf holds only what was set" test "$(lines | wc -l)" -eq 3
"$SS" --kver 4.1 --remove 2>/dev/null
check "--remove 4.1 keeps 4.10" test "$(lines | sort | tr '\n' '|')" = "4.10 $T/b|6.1.0-1\\tx* $T/c|"

# --- the generated header's strings --------------------------------------------------------------
c() { (. "$PKG_TOP/scripts/lib.sh" && c_string "$1"); }
check "c_string escapes a double quote and a backslash" test "$(c 'a"b\c')" = '"a\"b\\c"'
check "c_string refuses a newline or a tab" bash -c "! ( . '$PKG_TOP/scripts/lib.sh'; c_string \"\$(printf 'a\nb')\" ) && ! ( . '$PKG_TOP/scripts/lib.sh'; c_string \"\$(printf 'a\tb')\" )"
if command -v gcc >/dev/null 2>&1; then
	v='6.1.192"; int pwned = 1; //\'
	printf '#define V %s\nconst char *v = V;\n' "$(c "$v")" > "$T/h.c"
	printf '#include <stdio.h>\nextern const char *v;\nint main(void) { fputs(v, stdout); return 0; }\n' > "$T/m.c"
	check "a value with a quote and a backslash compiles to itself, nothing injected" \
		bash -c "gcc -o '$T/m' '$T/h.c' '$T/m.c' 2>/dev/null && test \"\$('$T/m')\" = '$v' && ! nm '$T/m' | grep -q pwned"
fi
# the real prepare-tree: a release with a quote and a backslash reaches the header as itself
K61=${TEST_KERNEL_61:-6.1.0-56-amd64}
if [ -d "/lib/modules/$K61/build" ] && [ -f /usr/src/linux-source-6.1.tar.xz ] && command -v gcc >/dev/null 2>&1; then
	kv="$K61\"x\\"
	nice -n 10 "$PKG_TOP/scripts/4-build/prepare-tree" --kver "$kv" --kdir "/lib/modules/$K61/build" --work "$T/w" \
		--src /usr/src/linux-source-6.1.tar.xz > "$T/prep.log" 2>&1
	printf '#include <stdio.h>\n#include "%s"\nint main(void) { fputs(I915_DKMS_TARGET_KVER, stdout); return 0; }\n' \
		"$T/w/drivers/gpu/drm/i915/dkms/i915_dkms_build.h" > "$T/k.c"
	if gcc -o "$T/k" "$T/k.c" 2>"$T/gcc.err" && [ "$("$T/k")" = "$kv" ]; then
		ok "prepare-tree: a release holding a quote and a backslash is the same string in the generated header"
	else bad "prepare-tree: a release with a quote and a backslash in the generated header" "$(tail -n 1 "$T/prep.log"); $(head -n 2 "$T/gcc.err" | tr '\n' ' ')"; fi
else
	skip "prepare-tree: the generated header's strings" "needs linux-headers-$K61 and linux-source-6.1 (tests/deps)"
fi

# --- setup's /usr/src tree: staged, then renamed --------------------------------------------------
rd() { (. "$PKG_TOP/scripts/lib.sh" && replace_dir "$@"); }
mkdir -p "$T/usrsrc/pkg-1"; echo old > "$T/usrsrc/pkg-1/dkms.conf"; echo old > "$T/usrsrc/pkg-1/helper"
fill_fail() { echo new > "$1/dkms.conf"; return 1; }   # a copy that breaks half-way
export -f fill_fail
rd "$T/usrsrc/pkg-1" fill_fail 2>/dev/null
check "a copy that fails half-way leaves the old tree whole, no staging left" \
	bash -c "test \"\$(cat '$T/usrsrc/pkg-1/dkms.conf' '$T/usrsrc/pkg-1/helper')\" = 'old
old' && test -z \"\$(ls -d '$T/usrsrc/pkg-1'.* 2>/dev/null)\""
(umask 077; rd "$T/usrsrc/pkg-1" "$PKG_TOP/scripts/5-install/ship-tree" 2>/dev/null)
check "a good copy replaces it (dkms.conf and its helper together, 0755)" \
	bash -c "cmp -s '$PKG_TOP/dkms.conf' '$T/usrsrc/pkg-1/dkms.conf' && test -x '$T/usrsrc/pkg-1/scripts/5-install/dkms-target' && test ! -e '$T/usrsrc/pkg-1/helper' && test \"\$(stat -c %a '$T/usrsrc/pkg-1')\" = 755"
check "setup replaces /usr/src/<pkg>-<ver> through replace_dir (no rm -rf, then copy)" \
	bash -c "grep -q 'replace_dir \"\$src_dir\" \"\$PKG_TOP/scripts/5-install/ship-tree\"' '$PKG_TOP/scripts/5-install/setup' && ! grep -q '^rm -rf \"\$src_dir\"' '$PKG_TOP/scripts/5-install/setup'"

# --- cache directories ---------------------------------------------------------------------------
(umask 077; . "$PKG_TOP/scripts/lib.sh" && mkdir_shared "$T/var/cache/pkg/designs")
check "a cache directory and its parents are 0755 under umask 077" test "$(stat -c %a "$T/var/cache" "$T/var/cache/pkg" "$T/var/cache/pkg/designs" | tr '\n' ' ')" = "755 755 755 "
t_done
