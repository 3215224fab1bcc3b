# find-def.awk: the first definition of the C function NAME in one file (used by
# scripts/2-decide/classify-source; tested by tests/unit/test-find-def.sh).
#
#   awk -v name=NAME -v mode=def  -f find-def.awk FILE   prints the definition's line number
#   awk -v name=NAME -v mode=body -f find-def.awk FILE   prints its body, "{" to the matching
#                                                        "}", comments removed, string and
#                                                        character literals emptied
# A definition: NAME followed by "(" on a line that starts in column 0 with only a
# return type before it (or at column 0 right after a type-only line), and the
# parameter list closed by ")" followed by "{". Prototypes, calls, macros and
# mentions in comments or strings do not count, nor does anything in an "#if 0" block
# (up to its #else/#elif/#endif). Prints nothing when FILE has no such definition.
# Plain POSIX awk (mawk, gawk, busybox): it runs at dkms build time on old distributions.

# strip LINE: LINE without comments (a /* */ comment may span lines: incom) and with
# the contents of string and character literals removed, so neither can hide or fake
# a brace, a parenthesis or a name
function strip(line,    out, c, i, n, q) {
	out = ""
	while (line != "") {
		if (incom) {
			i = index(line, "*/")
			if (i == 0)
				return out
			line = substr(line, i + 2); incom = 0; out = out " "
			continue
		}
		if (!match(line, /\/\*|\/\/|["\047]/))
			return out line
		out = out substr(line, 1, RSTART - 1)
		c = substr(line, RSTART, 1)
		if (c == "/") {
			if (substr(line, RSTART + 1, 1) == "/")
				return out
			incom = 1; line = substr(line, RSTART + 2)
			continue
		}
		q = c; line = substr(line, RSTART + 1); n = length(line)
		for (i = 1; i <= n; i++) {
			c = substr(line, i, 1)
			if (c == "\\") { i++; continue }
			if (c == q) break
		}
		out = out q q
		line = (i <= n) ? substr(line, i + 1) : ""
	}
	return out
}
{
	s = strip($0)
	if (s ~ /^[ \t]*#[ \t]*if[ \t]+0([^0-9A-Za-z_]|$)/) { skip++; L[++nl] = ""; next }
	if (skip) {
		if (s ~ /^[ \t]*#[ \t]*if/) skip++
		else if (s ~ /^[ \t]*#[ \t]*endif/) skip--
		else if (skip == 1 && s ~ /^[ \t]*#[ \t]*(else|elif)/) skip = 0
		L[++nl] = ""
		next
	}
	L[++nl] = s
}
END {
	typeonly = "^[A-Za-z_][A-Za-z0-9_ \t*]*$"
	for (i = 1; i <= nl; i++) {
		line = L[i]
		if (!match(line, "(^|[^A-Za-z0-9_])" name "[ \t]*[(]"))
			continue
		st = (substr(line, RSTART, 1) ~ /[A-Za-z0-9_]/) ? RSTART : RSTART + 1
		pre = substr(line, 1, st - 1)
		if (pre != "") {
			if (pre !~ typeonly) continue
		} else {
			for (j = i - 1; j > 0 && L[j] ~ /^[ \t]*$/; j--) ;
			if (j < 1 || L[j] !~ typeonly) continue
		}
		# walk from the "(" to its ")" and on to the next non-blank character
		rest = substr(line, st + length(name)); k = i; depth = 0; seen = 0; found = 0
		while (1) {
			n = length(rest)
			for (p = 1; p <= n; p++) {
				c = substr(rest, p, 1)
				if (!seen || depth > 0) {
					if (c == "(") { depth++; seen = 1 }
					else if (c == ")") depth--
					else if (seen && (c == ";" || c == "{" || c == "}")) { found = -1; break }
				} else if (c !~ /[ \t]/) {
					found = (c == "{") ? 1 : -1
					break
				}
			}
			if (found != 0 || k >= nl || k - i > 40) break
			k++; rest = L[k]
		}
		if (found != 1)
			continue
		if (mode == "def") { print i; exit 0 }
		# body: from this "{" to the matching "}"
		body = ""; bd = 0; rest = substr(rest, p)
		while (1) {
			n = length(rest)
			for (q = 1; q <= n; q++) {
				c = substr(rest, q, 1)
				if (c == "{") bd++
				else if (c == "}") { bd--; if (bd == 0) break }
			}
			if (bd == 0) { body = body substr(rest, 1, q); break }
			body = body rest "\n"
			if (k >= nl) break
			k++; rest = L[k]
		}
		print body
		exit 0
	}
}
