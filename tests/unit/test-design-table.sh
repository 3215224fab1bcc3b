#!/bin/bash
# The design table exists once, in patches/designs: README.md's table and
# docs/verify-designs.md's are that file as tools/design-table prints it, and the
# designs it lists are exactly the series directories under patches/ (but compat/)
# and exactly the tokens scripts/2-decide/classify-source emits.
#  - tools/design-table --check passes on this checkout
#  - it fails (exit 1, naming README.md) on a copy whose README table differs in one cell
#  - every fix/verify design has patches/<design>/series whose patches name it in
#    I915-DKMS-Design; a skip design has no series; every patches/<dir> is a design
#  - the tokens of classify-source's emit lines = the fix/verify designs
#  - every classify fixture's generation is a design
. "$(dirname "$0")/../lib.sh"
TOOL=$PKG_TOP/tools/design-table
DATA=$PKG_TOP/patches/designs
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT

check "tools/design-table --check: README.md and docs/verify-designs.md match patches/designs" \
	"$TOOL" --check "$PKG_TOP"

# a mismatched README: one cell changed (where handle-close ends, as the copies disagreed)
mkdir -p "$T/top/docs"
cp "$PKG_TOP/docs/verify-designs.md" "$T/top/docs/"
sed 's/^| 4\.9; RHEL 7\.4: /| 4.9–4.15; RHEL 7.4: /' "$PKG_TOP/README.md" > "$T/top/README.md"
if cmp -s "$PKG_TOP/README.md" "$T/top/README.md"; then
	bad "the mutated README differs" "the sed changed nothing: the handle-close row moved"
else
	"$TOOL" --check "$T/top" > "$T/out" 2>&1; rc=$?
	if [ "$rc" = 1 ] && grep -q 'README.md: the readme table differs' "$T/out" &&
	   grep -q '4.9–4.15' "$T/out"; then
		ok "a README whose table differs from patches/designs fails the check, naming the row"
	else
		bad "a README whose table differs from patches/designs fails the check" "exit $rc: $(tr '\n' ' ' < "$T/out")"
	fi
fi
# a README without its markers fails too
grep -v '^<!-- design-table:readme' "$PKG_TOP/README.md" > "$T/top/README.md"
"$TOOL" --check "$T/top" > "$T/out" 2>&1; rc=$?
if [ "$rc" = 1 ] && grep -q 'no single pair of design-table:readme markers' "$T/out"; then
	ok "a README without the design-table markers fails the check"
else
	bad "a README without the design-table markers fails the check" "exit $rc: $(tr '\n' ' ' < "$T/out")"
fi

# a fix design without "lacks:" (what decide's reason says its stock i915 lacks)
sed '/^lacks: /d' "$DATA" > "$T/designs-nolacks"
mkdir -p "$T/nl/patches" && cp "$T/designs-nolacks" "$T/nl/patches/designs"
mkdir -p "$T/nl/tools" && cp "$TOOL" "$T/nl/tools/design-table"
"$T/nl/tools/design-table" readme > "$T/out" 2>&1; rc=$?
check "a fix design without lacks: fails the table, naming it (exit $rc)" \
	bash -c "[ $rc != 0 ] && grep -q 'ctx-clean: a fix design with no lacks' '$T/out'"
# decide's reason reads it (scripts/lib.sh design_field)
lacks_of() { (. "$PKG_TOP/scripts/lib.sh" && design_field "$1" lacks); }
check "design_field: ctx-clean lacks what its released cleanup misses" \
	test "$(lacks_of ctx-clean)" = "its context cleanup misses the VMAs still active when the context dies"
check "design_field: leak-4.1 lacks the cleanup; a verify design and an unknown one: nothing" \
	test "$(lacks_of leak-4.1)/$(lacks_of vm-release)/$(lacks_of no-such)" = "no context-destruction VMA cleanup//"
check "design_field: a key is matched whole, at the start of a line (leak-3.18's \"mode\")" \
	test "$(. "$PKG_TOP/scripts/lib.sh" && design_field leak-3.18 mode)" = fix

# designs NAME=MODE, one a line
awk -F': ' '/^design: / { d = $2 } /^mode: / { print d "=" $2 }' "$DATA" > "$T/designs"
check "patches/designs lists designs" test -s "$T/designs"

# the series directories
while IFS='=' read -r d m; do
	case $m in
	skip)
		check "$d (skip): no series" test ! -e "$PKG_TOP/patches/$d/series" ;;
	*)
		if [ ! -f "$PKG_TOP/patches/$d/series" ]; then
			bad "$d ($m): patches/$d/series" "missing"; continue
		fi
		wrong=
		while read -r p _; do
			case $p in ''|'#'*) continue ;; esac
			(. "$PKG_TOP/scripts/lib.sh" && patch_field "$PKG_TOP/patches/$d/$p" I915-DKMS-Design) |
				tr ', ' '\n\n' | grep -qxF -- "$d" || wrong="$wrong $p"
		done < "$PKG_TOP/patches/$d/series"
		check "$d ($m): patches/$d/series, each patch names $d in I915-DKMS-Design${wrong:+ (not:$wrong)}" test -z "$wrong" ;;
	esac
done < "$T/designs"
for dir in "$PKG_TOP"/patches/*/; do
	d=$(basename "$dir")
	[ "$d" = compat ] && continue
	check "patches/$d/ is a design of patches/designs" grep -qx "$d=[a-z]*" "$T/designs"
done

# classify-source's tokens
grep -oE '^[[:space:]]*emit (fix|verify) [a-z0-9.-]+' "$PKG_TOP/scripts/2-decide/classify-source" |
	awk '{ print $3 "=" $2 }' | LC_ALL=C sort -u > "$T/emitted"
grep -v '=skip$' "$T/designs" | LC_ALL=C sort -u > "$T/listed"
if cmp -s "$T/emitted" "$T/listed"; then
	ok "classify-source emits exactly the fix/verify designs of patches/designs, with their modes"
else
	bad "classify-source emits exactly the fix/verify designs of patches/designs" \
		"$(diff "$T/listed" "$T/emitted" | grep '^[<>]' | sed 's/^</only in patches\/designs:/; s/^>/only in classify-source:/' | tr '\n' ' ')"
fi
for e in "$PKG_TOP"/tests/fixtures/classify/*/expected; do
	g=$(sed -n 's/^generation=//p' "$e")
	[ -n "$g" ] || continue
	check "fixture $(basename "$(dirname "$e")"): generation $g is a design" grep -q "^$g=" "$T/designs"
done
t_done
