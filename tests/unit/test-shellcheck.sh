#!/bin/bash
# Runs shellcheck -S warning over every shell script of the package (scripts/, tools/, tests/,
# .ci/): the *.sh files and the files without an extension that start with a shell #!
# line; a file with no #! line (a sourced library) is checked as bash; what a script
# sources is followed (-x, paths relative to the script). One line per file.
. "$(dirname "$0")/../lib.sh"
command -v shellcheck >/dev/null 2>&1 || { skip "shellcheck" "shellcheck is not installed (tests/deps installs it)"; exit 0; }
cd "$PKG_TOP" || exit 1
# one shellcheck job per file, $(nproc) at a time (each file is checked twice: with lib.sh
# followed (-x), and as a reviewer runs it, without: PROG, set for lib.sh, then reads as
# unused, SC2034); each job writes its verdict to a file, reported below in file order
R=$(mktemp -d)
trap 'rm -rf "$R"' EXIT
files=()
while IFS= read -r f; do
	base=${f##*/} first=$(head -n 1 "$f")
	case $base in
	*.sh) ;;
	*.*) continue ;;
	*) case $first in '#!'*sh*) ;; *) continue ;; esac ;;
	esac
	files+=("$f")
done < <(find scripts tools tests .ci -path tests/fixtures -prune -o -type f -print | LC_ALL=C sort)
# shellcheck disable=SC2016 # the job's script is single-quoted on purpose: its own $1, $2
printf '%s\0' "${files[@]}" | xargs -0 -I {} -P "$(nproc)" bash -c '
	f=$1 r=$2/$(printf "%s" "$1" | tr / _)
	opts=(-S warning -x -P SCRIPTDIR) plain=(-S warning)
	case $(head -n 1 "$f") in "#!"*) ;; *) opts+=(-s bash) plain+=(-s bash) ;; esac
	if out=$(shellcheck "${opts[@]}" -f gcc "$f" 2>&1) && out=$(shellcheck "${plain[@]}" -f gcc "$f" 2>&1); then
		: > "$r.ok"
	else
		printf "%s\n" "$out" | head -n 5 | sed "s|^$f:||" | tr "\n" " " > "$r.bad"
	fi' _ {} "$R"
n=0
for f in "${files[@]}"; do
	n=$((n + 1))
	r=$R/$(printf '%s' "$f" | tr / _)
	if [ -f "$r.ok" ]; then ok "shellcheck: $f"
	elif [ -f "$r.bad" ]; then bad "shellcheck: $f" "$(cat "$r.bad")"
	else bad "shellcheck: $f" "no verdict (the shellcheck job did not finish)"; fi
done
[ "$n" -gt 30 ] || bad "shellcheck: the scripts were found" "only $n files"
t_done
