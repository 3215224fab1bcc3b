#!/bin/bash
# The QEMU harness itself (tests/vm/selftest): exit codes pass through, a module of
# the wrong kernel is reported, for both kernels, with the stock i915 of each image.
. "$(dirname "$0")/../lib.sh"
out=$("$TESTS_TOP/vm/selftest" 2>&1); rc=$?
[ $rc -eq 77 ] && { skip "vm harness" "$(printf '%s\n' "$out" | grep -m1 SKIP)"; exit 0; }
printf '%s\n' "$out" | sed -n 's/^[^:]*: PASS: \(.*\)$/ok - vm harness: \1/p; s/^[^:]*: FAIL: \(.*\)$/not ok - vm harness: \1/p; s/^[^:]*: SKIP: \(.*\)$/skip - vm harness: \1/p'
exit $rc
