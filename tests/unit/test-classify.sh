#!/bin/bash
# Unit tests of scripts/2-decide/classify-source.
#
#  - every case under tests/fixtures/classify/<case>/ (the i915 directory is the case
#    directory itself, or <case>/drivers/gpu/drm/i915 when that exists); <case>/expected
#    holds the exact stdout, or "exit=N" (then stdout must be empty and stderr one line)
#  - usage errors (no argument, missing path, a file, a kernel root, an empty dir)
#  - real trees:
#      I915_REAL_TREES="dir ..."   6.x i915 directories, expected vm-release
#                                  (default: extracted from Debian's
#                                  /usr/src/linux-source-{6.1,6.12}.tar.xz; a skip line
#                                  for each one not installed)
#      LEGACY_TREES="tree ..."     kernel trees (the top directory, as for
#                                  tests/integration/test-legacy-build.sh); the expected
#                                  answer comes from the version in the tree's Makefile
#                                  (the classifier sees only its i915 directory); without
#                                  LEGACY_TREES one skip line; a RHEL tree is
#                                  expected by its RHEL release instead
# One line per check (tests/lib.sh: ok / not ok / skip), then the counts of this script.
. "$(dirname "$0")/../lib.sh"
CLASSIFY=$PKG_TOP/scripts/2-decide/classify-source
FIXTURES=$PKG_TOP/tests/fixtures/classify

npass=0 nfail=0 nskip=0
pass()   { npass=$((npass + 1)); ok "$1"; }
not_ok() { local n=$1; shift; nfail=$((nfail + 1)); bad "$n" "$*"; }
skipped() { nskip=$((nskip + 1)); skip "$1" "$2"; }
TMP=$(mktemp -d) || exit 1
trap 'rm -rf "$TMP"' EXIT

# run NAME EXPECTATION ARGS...: EXPECTATION is the exact stdout (exit 0) or "exit=N"
run() {
	local name=$1 want=$2 rc out err lines; shift 2
	"$CLASSIFY" "$@" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	out=$(cat "$TMP/out"); err=$(cat "$TMP/err")
	case $want in
	exit=*)
		lines=$(grep -c '' "$TMP/err")
		if [ "$rc" = "${want#exit=}" ] && [ -z "$out" ] && [ "$lines" = 1 ] && [ -n "$err" ]; then
			pass "$name"
		else
			not_ok "$name" "want $want, stdout empty, one stderr line;" \
				"got exit=$rc, stdout: $out;" "stderr ($lines lines): $err"
		fi
		;;
	*)
		if [ "$rc" = 0 ] && [ "$out" = "$want" ] && [ -z "$err" ] &&
		   [ "$(grep -c '' "$TMP/out")" = 3 ] &&
		   grep -qE '^evidence=[A-Za-z0-9_./:,+-]+$' "$TMP/out"; then
			pass "$name"
		else
			not_ok "$name" "want (exit 0): $(printf '%s' "$want" | tr '\n' ' ');" \
				"got exit=$rc: $(printf '%s' "$out" | tr '\n' ' ');" "stderr: $err"
		fi
		;;
	esac
}

# --- fixtures -----------------------------------------------------------------
nfix=0
for case_dir in "$FIXTURES"/*/; do
	case_dir=${case_dir%/}
	[ -f "$case_dir/expected" ] || continue
	name=${case_dir##*/}
	dir=$case_dir
	[ -d "$case_dir/drivers/gpu/drm/i915" ] && dir=$case_dir/drivers/gpu/drm/i915
	run "fixture $name" "$(cat "$case_dir/expected")" "$dir"
	nfix=$((nfix + 1))
done
[ "$nfix" -gt 0 ] || not_ok "fixtures found under $FIXTURES" "none"

# --- usage errors ---------------------------------------------------------------
run "usage: no argument" exit=2
run "usage: two arguments" exit=2 "$FIXTURES/leak-4.1" "$FIXTURES/leak-4.3"
run "usage: missing path" exit=2 "$TMP/does-not-exist"
: >"$TMP/a-file"
run "usage: a file, not a directory" exit=2 "$TMP/a-file"
mkdir "$TMP/empty"
run "usage: empty directory" exit=2 "$TMP/empty"
if [ -d "$FIXTURES/vendor-3.10-rebased/drivers/gpu/drm/i915" ]; then
	run "usage: kernel root instead of its i915 directory" exit=2 "$FIXTURES/vendor-3.10-rebased"
fi
# a trailing slash and a symlink to the i915 directory give the same answer
if [ -f "$FIXTURES/leak-4.1/expected" ]; then
	run "trailing slash" "$(cat "$FIXTURES/leak-4.1/expected")" "$FIXTURES/leak-4.1/"
	ln -s "$FIXTURES/leak-4.1" "$TMP/link"
	run "symlinked i915 directory" "$(cat "$FIXTURES/leak-4.1/expected")" "$TMP/link"
fi

# --- the pre-PPGTT outcome is its own (exit 4), --explain shows what was read ------------
# (exit 3 stays "a design the package does not know", which dkms also skips, but with
# another reason: the user is asked to report it)
"$CLASSIFY" "$FIXTURES/pre-ppgtt" >/dev/null 2>"$TMP/err"; rc=$?
if [ "$rc" = 4 ] && grep -q 'pre-PPGTT i915 design: .*nothing to fix' "$TMP/err"; then
	ok "pre-ppgtt: exit 4, 'nothing to fix'"
else
	not_ok "pre-ppgtt: exit 4, 'nothing to fix'" "got exit=$rc: $(cat "$TMP/err")"
fi
"$CLASSIFY" --explain "$FIXTURES/pre-ppgtt" >"$TMP/out" 2>"$TMP/err"; rc=$?
if [ "$rc" = 4 ] && grep -qx 'not defined: i915_ppgtt_put' "$TMP/out" &&
   grep -qx 'defined: i915_gem_context_free in i915_gem_context.c' "$TMP/out" && [ "$(grep -c '' "$TMP/err")" = 1 ]; then
	ok "--explain: where each function is defined, then the same verdict and exit code"
else
	not_ok "--explain: where each function is defined, then the same verdict and exit code" \
		"got exit=$rc: $(tr '\n' ' ' < "$TMP/out") stderr: $(cat "$TMP/err")"
fi
"$CLASSIFY" --explain "$FIXTURES/leak-4.1" >"$TMP/out" 2>&1
if [ "$(tail -n 3 "$TMP/out")" = "$(cat "$FIXTURES/leak-4.1/expected")" ]; then
	ok "--explain on a known design ends with the usual three lines"
else
	not_ok "--explain on a known design ends with the usual three lines" "$(tail -n 3 "$TMP/out" | tr '\n' ' ')"
fi
mkdir -p "$TMP/unknown" && : > "$TMP/unknown/i915_drv.h"
printf 'void i915_ppgtt_put(struct i915_hw_ppgtt *ppgtt)\n{\n}\n' > "$TMP/unknown/i915_gem_gtt.c"
out=$("$CLASSIFY" "$TMP/unknown" 2>&1 >/dev/null); rc=$?
case $rc:$out in
3:*"classify-source --explain"*) ok "unknown design: exit 3, names classify-source --explain for the report" ;;
*) not_ok "unknown design: exit 3, names classify-source --explain for the report" "got exit=$rc: $out" ;;
esac

# --- real 6.x trees (a skip line for each one absent) -------------------------------
VMREL=$(printf 'mode=verify\ngeneration=vm-release\nevidence=gt/intel_gtt.c:__i915_vm_release+__i915_vm_close+clear_vm_list')
if [ -n "${I915_REAL_TREES:-}" ]; then
	real=$I915_REAL_TREES
else
	# the real Debian 12 sources (linux-source-6.1/6.12, installed by tests/deps)
	real=
	for v in 6.1 6.12; do
		t=/usr/src/linux-source-$v.tar.xz
		if [ -f "$t" ] && tar -xJf "$t" -C "$TMP" "linux-source-$v/drivers/gpu/drm/i915" 2>/dev/null; then
			real="$real $TMP/linux-source-$v/drivers/gpu/drm/i915"
		else
			skipped "real tree linux-source-$v" "$t not installed (apt-get install linux-source-$v)"
		fi
	done
fi
for d in $real; do
	if [ -d "$d" ]; then
		run "real tree $d" "$VMREL" "$d"
	else
		not_ok "real tree $d" "I915_REAL_TREES names a missing directory"
	fi
done

# --- legacy kernel trees (LEGACY_TREES; one skip line without it) ---------------
# series -> expected outcome, as read from the trees (see the header of classify-source and
# patches/designs); a series no tree of which was read has no expectation (a skip line)
fx() { printf 'mode=fix\ngeneration=%s\nevidence=i915_gem.c:i915_vma_unbind+%s\n' "$1" "$2"; }
legacy_expect() {
	case $1 in
	3.1[0-7]|3.1[0-7].*)  echo exit=4 ;;
	3.18|3.18.*|3.19|3.19.*)
		fx leak-3.18 'i915_gem_object_finish_gpu,no-ggtt_view' ;;
	4.0|4.0.*|4.1|4.1.*)
		fx leak-4.1 'i915_gem_object_finish_gpu+ggtt_view' ;;
	4.2|4.2.*|4.3|4.3.*)
		fx leak-4.3 'i915_gem_object_wait_rendering' ;;
	4.[4-8]|4.[4-8].*)
		printf 'mode=fix\ngeneration=ctx-clean\nevidence=i915_gem_context.c:i915_gem_context_clean\n' ;;
	4.9|4.9.*)
		printf 'mode=verify\ngeneration=handle-close\nevidence=i915_gem.c:i915_gem_close_object+i915_ppgtt_close\n' ;;
	4.14|4.14.*|4.15|4.15.*)
		printf 'mode=verify\ngeneration=handle-close-lut\nevidence=i915_gem.c:i915_gem_close_object+lut_list+i915_ppgtt_close\n' ;;
	4.19|4.19.*|5.2|5.2.*)
		printf 'mode=verify\ngeneration=handle-close-release\nevidence=i915_gem_gtt.c:i915_ppgtt_release+ppgtt_destroy_vma\n' ;;
	5.3|5.3.*)
		printf 'mode=verify\ngeneration=vm-destroy\nevidence=i915_gem_gtt.c:i915_vm_release+ppgtt_destroy_vma\n' ;;
	5.4|5.4.*)
		printf 'mode=verify\ngeneration=vm-destroy\nevidence=i915_gem_gtt.c:__i915_vm_release+ppgtt_destroy_vma\n' ;;
	5.10|5.10.*)
		printf 'mode=verify\ngeneration=vm-close-pci-init\nevidence=gt/intel_gtt.c:__i915_vm_close+open+bound_list,no-i915_module.c\n' ;;
	5.1[5-8]|5.1[5-8].*)
		printf 'mode=verify\ngeneration=vm-close\nevidence=gt/intel_gtt.c:__i915_vm_close+open+bound_list\n' ;;
	5.19|5.19.*|6.*)  printf '%s\n' "$VMREL" ;;
	*) return 1 ;;
	esac
}
if [ -z "${LEGACY_TREES:-}" ]; then
	skipped "legacy trees" "LEGACY_TREES not set (space-separated kernel trees, e.g. the 3.18-4.3 trees of docs/legacy-kernels.md)"
fi
# rhel_release TREE -> "7.9" for a RHEL tree (RHEL_MAJOR/RHEL_MINOR in its Makefile or
# Makefile.rhelver), nothing otherwise: a vendor rebase's version says nothing
rhel_release() {
	local f=("$1/Makefile")
	[ -f "$1/Makefile.rhelver" ] && f+=("$1/Makefile.rhelver")
	awk -F' *= *' '$1 == "RHEL_MAJOR" { M = $2 } $1 == "RHEL_MINOR" { m = $2 }
		END { if (M != "") print M "." m }' "${f[@]}" 2>/dev/null
}
for t in ${LEGACY_TREES:-}; do
	v=$( (. "$PKG_TOP/scripts/lib.sh" && makefile_version "$t/Makefile") )
	r=$(rhel_release "$t")
	if [ ! -d "$t/drivers/gpu/drm/i915" ] || [ -z "$v" ]; then
		not_ok "legacy tree $t" "LEGACY_TREES names no kernel tree with a Makefile version and drivers/gpu/drm/i915"
	elif [ -n "$r" ]; then
		# the 5.0/5.1 DRM of RHEL 7.9 and 8.1 (see the header of classify-source)
		case $r in
		7.9|8.1) got=$("$CLASSIFY" "$t/drivers/gpu/drm/i915" 2>&1 | sed -n 's/^generation=//p')
			if [ "$got" = handle-close-release ]; then pass "legacy RHEL $r ($t): handle-close-release"
			else not_ok "legacy RHEL $r ($t)" "generation '$got', want handle-close-release"; fi ;;
		*) skipped "legacy RHEL $r ($t)" "no expectation for this RHEL release" ;;
		esac
	elif want=$(legacy_expect "$v"); then
		run "legacy $v ($t)" "$(printf '%s' "$want")" "$t/drivers/gpu/drm/i915"
	else
		skipped "legacy $v ($t)" "no expectation for this series"
	fi
done

printf '# test-classify: %d passed, %d failed, %d skipped\n' "$npass" "$nfail" "$nskip"
t_done
