#!/bin/bash
# i915's mock selftests and the package's flink-and-exit leak selftest (issue #3), in
# the exact Debian kernel, under QEMU (tests/vm/run-vm). Per kernel:
#   1. make I915_VARIANT=selftest (CONFIG_DRM_I915_SELFTEST, compat/selftest shims);
#   2. boot it; for each chosen mock selftest: insmod i915.ko mock_selftests=-1
#      igt__N__mock_<name>=1, read the result back from
#      /sys/module/i915/parameters/mock_selftests (-25 = ENOTTY = passed; anything
#      else is the error the selftest returned), rmmod; the leak selftest prints
#      "i915_dkms_leak: ... K=100 leaked=N ... result=PASS|FAIL";
#   3. make I915_VARIANT=mutant (one object rebuilt: src/ skips the upstream reclaim),
#      run the leak selftest alone: it must fail, with leaked close to K.
# One summary line per kernel: selftests passed/failed, leak result, mutation caught.
#
# Environment: TEST_SELFTEST_KERNELS (default: 6.1.0-56-amd64 6.12.117+deb12-amd64),
# TEST_SELFTEST_MOCKS (mock selftest names, space separated, or "all"; default: the
# ones about objects, VMAs, GTT and contexts, plus dkms_leak), TEST_SELFTEST_TIMEOUT
# (run-vm timeout per boot, default 1500 s). Builds use -j2, one at a time.
. "$(dirname "$0")/../lib.sh"
KERNELS=${TEST_SELFTEST_KERNELS:-"6.1.0-56-amd64 6.12.117+deb12-amd64"}
# Default: the mock selftests about objects, VMAs, GTT/address spaces (and the sanity
# check), plus ours. Left out of the default, with the reason:
#   memory_region  fails on 6.12.117 in igt_mock_splintered_region ("too large contiguous
#                  allocation was not rejected"): the kernel's own drm_buddy allocator,
#                  no package code involved (passes on 6.1.192); run it with
#                  TEST_SELFTEST_MOCKS=all
#   shmem fence syncmap uncore ring engine timelines requests hugepages: unrelated to
#                  VMA reclaim; all pass on 6.1 and 6.12 with TEST_SELFTEST_MOCKS=all, left
#                  out to keep CI within its time budget
MOCKS=${TEST_SELFTEST_MOCKS:-"sanitycheck scatterlist objects phys dmabuf vma evict gtt dkms_leak"}
VM_TIMEOUT=${TEST_SELFTEST_TIMEOUT:-1500}
K_ROUNDS=100
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

# build KVER VARIANT LOG: the package Makefile, as a user would run it
build() {
	make -C "$PKG_TOP" KVER="$1" I915_VARIANT="$2" -j2 >"$3" 2>&1
}

# guest_script PARAM...: one insmod per mock selftest parameter
guest_script() {
	local p
	echo 'cd /; n=0'
	for p in "$@"; do
		cat <<GUEST
dmesg -c >/dev/null
insmod /modules/i915.ko mock_selftests=-1 $p=1 || echo "insmod failed: $p"
echo "R $p \$(cat /sys/module/i915/parameters/mock_selftests 2>/dev/null || echo none)"
dmesg | grep -E 'i915_dkms_leak:|failed with error' | sed 's/^/D /'
rmmod i915 2>/dev/null
GUEST
	done
}

# run KVER MODDIR NAME PARAM...: boots, writes the guest output to $T/NAME.out
run_guest() {
	local k=$1 dir=$2 name=$3; shift 3
	guest_script "$@" >"$T/$name.sh"
	"$TESTS_TOP/vm/run-vm" --kver "$k" --modules-dir "$dir" --guest-script "$T/$name.sh" \
		--timeout "$VM_TIMEOUT" --log "$T/$name.serial" >"$T/$name.out" 2>"$T/$name.err"
}

kernel() {
	local k=$1 w=$PKG_TOP/work/$1-selftest/drivers/gpu/drm/i915 rc params p name want n
	local passed=() failed=() leak leak_res mut mut_line caught=no vmrc
	if [ ! -f "/lib/modules/$k/build/Makefile" ]; then
		skip "selftests $k" "no headers for $k (apt-get install linux-headers-$k)"; return
	fi
	mkdir -p "$T/$k-st" "$T/$k-mut"
	if ! build "$k" selftest "$T/$k-st.log"; then
		bad "selftests $k: selftest build" "$(grep -m3 -E 'error|Error' "$T/$k-st.log" | tr '\n' ' ')"; return
	fi
	ok "selftests $k: make I915_VARIANT=selftest builds i915.ko with CONFIG_DRM_I915_SELFTEST"
	cp "$w/i915.ko" "$T/$k-st/"
	check "selftests $k: selftest module reports dkms_mode verify" \
		grep -qx 'verify' <(modinfo -F dkms_mode "$T/$k-st/i915.ko")

	# the parameter of each chosen mock selftest: igt__<line>__mock_<name>
	params=()
	for p in $(modinfo -p "$T/$k-st/i915.ko" | sed -n 's/^\(igt__[0-9]*__mock_[A-Za-z0-9_]*\):.*/\1/p'); do
		name=${p#igt__*__mock_}
		if [ "$MOCKS" = all ] || [[ " $MOCKS " == *" $name "* ]]; then params+=("$p"); fi
	done
	[[ " ${params[*]} " == *__mock_dkms_leak\ * ]] ||
		{ bad "selftests $k: dkms_leak registered" "no igt__*__mock_dkms_leak parameter in modinfo -p"; return; }

	run_guest "$k" "$T/$k-st" "$k-st" "${params[@]}"; vmrc=$?
	[ $vmrc -eq 77 ] && { skip "selftests $k" "$(tail -n 1 "$T/$k-st.err")"; return; }
	for p in "${params[@]}"; do
		name=${p#igt__*__mock_}
		rc=$(sed -n "s/^R $p //p" "$T/$k-st.out")
		if [ "$rc" = -25 ]; then passed+=("$name"); else failed+=("$name(${rc:-no result})"); fi
	done
	echo "# $k mock selftests passed: ${passed[*]:-none}"
	echo "# $k mock selftests failed: ${failed[*]:-none}"
	sed -n 's/^D \[[^]]*\] */# /p' "$T/$k-st.out" | head -n 12
	if [ ${#failed[@]} -eq 0 ] && [ $vmrc -eq 0 ]; then
		ok "selftests $k: ${#passed[@]} mock selftests passed, kernel log clean"
	else
		bad "selftests $k: mock selftests" "${#failed[@]} failed: ${failed[*]}; run-vm rc $vmrc ($(grep -m1 -E 'FAIL|problems' "$T/$k-st.err" | cut -c1-160))"
		sed 's/^/    | /' "$T/$k-st.err" | tail -n 12
	fi
	leak=$(grep -o 'i915_dkms_leak: flink-and-exit .*' "$T/$k-st.out" | tail -n 1)
	leak_res=$(sed -n 's/.* leaked=\([0-9]*\) .*/\1/p' <<<"$leak")
	if [ "$leak_res" = 0 ] && grep -q "K=$K_ROUNDS .*vm_released=+$K_ROUNDS .*result=PASS" <<<"$leak"; then
		ok "selftests $k: leak selftest: 0 of $K_ROUNDS flink-and-exit rounds leaked"
	else
		bad "selftests $k: leak selftest" "${leak:-no i915_dkms_leak line in dmesg}"
	fi

	# mutation: the same test against a module whose reclaim is disabled
	if ! build "$k" mutant "$T/$k-mut.log"; then
		bad "selftests $k: mutant build" "$(grep -m3 -E 'error|Error' "$T/$k-mut.log" | tr '\n' ' ')"
	else
		cp "$w/i915.ko" "$T/$k-mut/"
		n=$(grep '  CC \[M\]' "$T/$k-mut.log" | grep -vc '\.mod\.o$')
		if [ "$n" -le 1 ]; then
			ok "selftests $k: mutant rebuild was incremental ($n object compiled)"
		else
			bad "selftests $k: mutant rebuild not incremental" "$n objects compiled, e.g. $(grep -m2 '  CC \[M\]' "$T/$k-mut.log" | sed 's|.*/i915/||' | tr '\n' ' ')"
		fi
		for p in "${params[@]}"; do [[ $p == *__mock_dkms_leak ]] && mut=$p; done
		run_guest "$k" "$T/$k-mut" "$k-mut" "$mut"; vmrc=$?
		mut_line=$(grep -o 'i915_dkms_leak: flink-and-exit .*' "$T/$k-mut.out" | tail -n 1)
		rc=$(sed -n "s/^R $mut //p" "$T/$k-mut.out")
		leak=$(sed -n 's/.* leaked=\([0-9]*\) .*/\1/p' <<<"$mut_line")
		echo "# $k mutant: ${mut_line:-no i915_dkms_leak line} (selftest rc ${rc:-none}, run-vm rc $vmrc)"
		if [ -n "$leak" ] && [ "$leak" -ge $((K_ROUNDS * 9 / 10)) ] && [ "$rc" != -25 ] &&
			grep -q 'mode=verify-mutant .*result=FAIL' <<<"$mut_line"; then
			caught=yes
			ok "selftests $k: mutation caught: leak selftest fails with leaked=$leak of $K_ROUNDS"
		else
			bad "selftests $k: mutation not caught" "${mut_line:-no i915_dkms_leak line} (rc ${rc:-none})"
			sed 's/^/    | /' "$T/$k-mut.err" | tail -n 8
		fi
	fi
	want="selftests ${#passed[@]} passed ${#failed[@]} failed, leak test leaked=${leak_res:-?}/$K_ROUNDS, mutation caught $caught"
	if [ ${#failed[@]} -eq 0 ] && [ "$leak_res" = 0 ] && [ $caught = yes ]; then
		ok "summary $k: $want"
	else
		bad "summary $k" "$want"
	fi
}

for k in $KERNELS; do kernel "$k"; done
t_done
