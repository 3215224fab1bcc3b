#!/bin/sh
# Build (make -C tests/hw) and run the i915 VMA-leak hardware acceptance test.
#
#   tests/hw/run.sh [--device /dev/dri/cardN] [--debugfs PATH]
#
# Exit status is the test's own: 0 PASS, 1 FAIL, 2 usage error, 77 SKIP.
# Missing build dependencies (libdrm-dev, pkg-config) are a SKIP (77) with the
# apt-get command to fix it; any other build failure is a FAIL (1).

set -u

here=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd) || exit 1
prog=flink-exit-vma-leak

if ! command -v pkg-config >/dev/null 2>&1 || ! pkg-config --exists libdrm; then
	echo "SKIP: cannot build $prog: libdrm development files missing" \
	     "(apt-get install -y libdrm-dev pkg-config)"
	exit 77
fi

if ! make --no-print-directory -s -C "$here" "$prog" >&2; then
	echo "FAIL: could not build $here/$prog (compiler output above)"
	exit 1
fi

exec "$here/$prog" "$@"
