#!/bin/bash
# lib.sh parse_opts/need_opts, the one option parser of the scripts: values, flags, a dash
# in a name, defaults kept, "--" and what follows (--rest), and the bad inputs (an unknown
# option, a missing value, a required one absent): exit 2 with one line naming the usage.
. "$(dirname "$0")/../lib.sh"
run() {   # run SPEC... -- ARGS...: a script that parses ARGS and prints what it got
	bash -c '. "$0/scripts/lib.sh"; set -euo pipefail; PROG=t; kver=default cache=/c no_deps=0 quiet=0
		parse_opts "usage: t --kver K" "$@"
		need_opts "usage: t --kver K" kver
		printf "%s|%s|%s|%s|%s\n" "$kver" "$cache" "$no_deps" "$quiet" "${REST[*]:-}"' "$PKG_TOP" "$@"
}
check "values and flags" test "$(run kver cache no-deps! quiet! -- --kver 6.1 --no-deps --cache '/a b')" = "6.1|/a b|1|0|"
check "defaults kept for options not given" test "$(run kver cache -- --kver 6.1)" = "6.1|/c|0|0|"
check "a value that looks like shell stays text" test "$(run kver -- --kver '$(touch /tmp/x);y')" = '$(touch /tmp/x);y|/c|0|0|'
check "--rest: what follows -- is passed on" test "$(run kver --rest -- --kver k -- modules V=1)" = "k|/c|0|0|modules V=1"
expect_fail "-- without --rest is an unknown argument" 2 "unknown argument '--' \(usage: t --kver K\)" run kver -- --kver k -- modules
expect_fail "unknown option: exit 2, one line with the usage" 2 "unknown argument '--bogus' \(usage: t --kver K\)" run kver -- --bogus
expect_fail "an option without its value: exit 2" 2 "--cache needs a value" run kver cache -- --kver k --cache
expect_fail "a required option left empty: exit 2" 2 "usage: t --kver K" run kver -- --kver ''
t_done
