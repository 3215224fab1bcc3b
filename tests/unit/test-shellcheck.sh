#!/bin/bash
# Runs shellcheck -S warning over every shell script of the package (scripts/, tools/, tests/,
# .ci/): the *.sh files and the files without an extension that start with a shell #!
# line; a file with no #! line (a sourced library) is checked as bash; what a script
# sources is followed (-x, paths relative to the script). One line per file.
. "$(dirname "$0")/../lib.sh"
command -v shellcheck >/dev/null 2>&1 || { skip "shellcheck" "shellcheck is not installed (tests/deps installs it)"; exit 0; }
cd "$PKG_TOP" || exit 1
n=0
while IFS= read -r f; do
	base=${f##*/} first=$(head -n 1 "$f")
	case $base in
	*.sh) ;;
	*.*) continue ;;
	*) case $first in '#!'*sh*) ;; *) continue ;; esac ;;
	esac
	opts=(-S warning -x -P SCRIPTDIR)
	plain=(-S warning)
	case $first in '#!'*) ;; *) opts+=(-s bash) plain+=(-s bash) ;; esac
	n=$((n + 1))
	# with lib.sh followed (-x), and as a reviewer runs it, without (PROG, set for lib.sh,
	# then reads as unused: SC2034)
	if out=$(shellcheck "${opts[@]}" -f gcc "$f" 2>&1) && out=$(shellcheck "${plain[@]}" -f gcc "$f" 2>&1); then
		ok "shellcheck: $f"
	else
		bad "shellcheck: $f" "$(printf '%s\n' "$out" | head -n 5 | sed "s|^$f:||" | tr '\n' ' ')"
	fi
done < <(find scripts tools tests .ci -path tests/fixtures -prune -o -type f -print | LC_ALL=C sort)
[ "$n" -gt 30 ] || bad "shellcheck: the scripts were found" "only $n files"
t_done
