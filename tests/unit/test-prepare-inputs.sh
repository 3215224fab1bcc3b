#!/bin/bash
# prepare-tree's inputs are data, and its reuse key covers all of them:
#   - a source path with shell syntax or a space is recorded and read back as text: the
#     provenance and the plan are parsed (prov_get, plan_get), never sourced (the
#     provenance used to be, and `;cmd;` in I915_SRC ran cmd as root);
#   - the reuse key is the sha256 of WORK/plan (scripts/2-decide/plan), nothing else;
#   - editing a compat patch (applied or not) or choosing another variant re-prepares
#     WORK; an unchanged input keeps it ("already prepared", incremental build);
#   - the production tree never gets the design's test series, the mutant tree does.
# Real Debian headers and linux-source-6.1; nothing is compiled but the probes.
. "$(dirname "$0")/../lib.sh"
K=${TEST_KERNEL_61:-6.1.0-56-amd64}
SRC=/usr/src/linux-source-6.1.tar.xz
[ -d "/lib/modules/$K/build" ] && [ -f "$SRC" ] || { skip "prepare-tree inputs" "needs linux-headers-$K and linux-source-6.1 (tests/deps)"; exit 0; }
T=$(mktemp -d)
cd "$PKG_TOP" || exit 1
W=work/test-prepare-inputs
trap 'rm -rf "$T" "$W" "$W"-*' EXIT

# a directory whose name is shell: the tarball hard-linked (or copied) into it
evil="$T/a;touch $T/pwned;b c"
mkdir -p "$evil"
ln "$SRC" "$evil/linux-source-6.1.tar.xz" 2>/dev/null || cp "$SRC" "$evil/"
prep() { scripts/4-build/prepare-tree --kver "$K" --kdir "/lib/modules/$K/build" --work "$W${2:-}" --src "$evil/linux-source-6.1.tar.xz" ${1:+--variant "$1"} > "$T/log" 2>&1; }
check "prepare-tree with I915_SRC in a directory named 'a;touch pwned;b c'" prep
check "... ran nothing from the path" test ! -e "$T/pwned"
check "... and the module identity names the path's version, read as data" grep -q 'I915_DKMS_SOURCE_VERSION "6.1' "$W/drivers/gpu/drm/i915/dkms/i915_dkms_build.h"
check "... the provenance keeps the path as it is" grep -qxF "source_path=$evil/linux-source-6.1.tar.xz" "$W/provenance"
check "... the plan too, read back by plan_get" test "$(plan_value "$W/plan" source_path)" = "$evil/linux-source-6.1.tar.xz"
check "the reuse key (.prepared) is the sha256 of the plan" test "$(cat "$W/.prepared")" = "$(sha256sum < "$W/plan" | cut -d' ' -f1)"

# kept or prepared anew, told by the WORK directory itself (a new one replaces it whole)
inode() { stat -c %i "$W"; }
i0=$(inode)
prep
check "the same inputs again keep WORK (incremental)" test "$(inode)" = "$i0"

# a compat patch edited (even one this kernel does not need): WORK is prepared anew
P=$T/patches; cp -r patches "$P"
c=$(ls "$P"/compat/*.patch | head -n 1)
prep_p() { I915_PATCH_DIR=$P prep; }
prep_p
check "same patch contents from another directory: WORK kept" test "$(inode)" = "$i0"
sed -i '1s/^/# edited\n/' "$c"
prep_p
check "an edited compat patch ($(basename "$c")) re-prepares WORK" test "$(inode)" != "$i0"
# the design's test series is in the test variants' plan only: editing it keeps the
# production tree; editing the production series does not
i2=$(inode)
sed -i '1s/^/# edited\n/' "$P"/vm-release/test/0001-*.patch
prep_p
check "an edited test-series patch keeps the production WORK" test "$(inode)" = "$i2"
sed -i '1s/^/# edited\n/' "$P"/vm-release/0002-*.patch
prep_p
check "an edited series patch re-prepares WORK" test "$(inode)" != "$i2"

# variants: production has no test series, the mutant has it
check "production WORK has no test series in its plan" test -z "$(plan_value "$W/plan" test_series)"
check "production i915 has no test seam call" test -z "$(grep -rl 'i915_dkms_reclaim_enabled\|i915_dkms_cleanup_enabled' "$W/drivers/gpu/drm/i915" --include='*.c')"
prep mutant -mutant
check "mutant WORK got vm-release/test (its plan)" test "$(plan_value "$W-mutant/plan" test_series)" = vm-release/test
check "mutant i915 calls the seam" test -n "$(grep -rl 'i915_dkms_reclaim_enabled' "$W-mutant/drivers/gpu/drm/i915" --include='*.c')"
i1=$(stat -c %i "$W-mutant")
prep selftest -mutant
check "selftest after mutant keeps the shared tree (only a kbuild flag differs)" test "$(stat -c %i "$W-mutant")" = "$i1"
prep production -mutant
check "production in a test variant's WORK prepares it anew (no test series)" test "$(stat -c %i "$W-mutant")" != "$i1"
t_done
