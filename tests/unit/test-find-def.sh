#!/bin/bash
# scripts/2-decide/find-def.awk (classify-source's C-definition finder) on tiny C files
# (tests/fixtures/find-def/): nested braces, comments, string and character literals,
# #if 0 blocks (with #else and nested #if), a prototype before its definition, a call
# and a macro that are no definitions, a static inline in a header, a return type on
# the line before. Every line of expected: FILE NAME LINE ("-": no definition); the
# bodies in FILE.NAME.body. Run with each awk installed (mawk, gawk, busybox).
. "$(dirname "$0")/../lib.sh"
FX=$PKG_TOP/tests/fixtures/find-def
FD=$PKG_TOP/scripts/2-decide/find-def.awk
awks=()
for a in mawk gawk original-awk; do command -v "$a" >/dev/null 2>&1 && awks+=("$a"); done
command -v busybox >/dev/null 2>&1 && busybox awk 'BEGIN {}' 2>/dev/null && awks+=("busybox awk")
[ ${#awks[@]} -gt 0 ] || awks=(awk)
n=0
for a in "${awks[@]}"; do
	while read -r file name line; do
		case $file in ''|'#'*) continue ;; esac
		got=$($a -v name="$name" -v mode=def -f "$FD" "$FX/$file")
		[ "$line" = - ] && line=
		if [ "$got" = "$line" ]; then
			ok "$a: $file: $name ${line:+defined at line $line}${line:-has no definition}"
		else
			bad "$a: $file: $name" "line '${got}', want '${line}'"
		fi
		n=$((n + 1))
		[ -f "$FX/$file.$name.body" ] || continue
		if $a -v name="$name" -v mode=body -f "$FD" "$FX/$file" | cmp -s - "$FX/$file.$name.body"; then
			ok "$a: $file: the body of $name"
		else
			bad "$a: $file: the body of $name" "$($a -v name="$name" -v mode=body -f "$FD" "$FX/$file" | diff "$FX/$file.$name.body" - | head -n 5 | tr '\n' ' ')"
		fi
	done < "$FX/expected"
done
[ "$n" -gt 0 ] || bad "find-def fixtures" "none read from $FX/expected"
t_done
