#!/bin/bash
# The compat probe machinery (scripts/2-decide/probe-kernel) and the shims (compat/include/):
# the test's own tiny probes decide yes / no / signature correctly against the installed
# 6.1 headers; bad input fails with one clear line; the package's probes and shims are
# documented (upstream commit), consistent with each other and free of version checks;
# the shims compile, with the real probe results, against every installed 6.1 and 6.12 ABI
# (and stay inert on the legacy trees of LEGACY_TREES, when set).
. "$(dirname "$0")/../lib.sh"
K=${TEST_KERNEL_61:-6.1.0-56-amd64}
KD=/lib/modules/$K/build
PK=$PKG_TOP/scripts/2-decide/probe-kernel
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

# --- static checks (no headers needed) ---------------------------------------------
probes=$(ls "$PKG_TOP"/compat/probes/*.c 2>/dev/null)
undocumented=
for p in $probes; do
	grep -qE '^ \* Tests: ' "$p" && grep -qE '^ \* Upstream: [0-9a-f]{12} "' "$p" || undocumented="$undocumented $(basename "$p")"
done
check "every probe says what it tests and cites the upstream commit (id + subject)${undocumented:+ (not:$undocumented)}" \
	test -n "$probes" -a -z "$undocumented"
uncited=
while IFS= read -r s; do
	grep -qE '[0-9a-f]{12} "' "$s" && grep -q '#include_next' "$s" || uncited="$uncited ${s#"$PKG_TOP"/}"
done < <(find "$PKG_TOP/compat/include" -name '*.h')
check "every shim #include_next's the kernel header and cites an upstream commit${uncited:+ (not:$uncited)}" test -z "$uncited"
# a flag a shim tests but no probe defines would switch its shim on for every kernel
flags=$(grep -rhoE 'I915_DKMS_HAVE_[A-Z0-9_]+' "$PKG_TOP/compat/include" | sort -u)
known=$(for p in $probes; do echo "I915_DKMS_HAVE_$(basename "$p" .c | tr 'a-z' 'A-Z')"; done | sort -u)
stray=$(comm -23 <(echo "$flags") <(echo "$known") | tr '\n' ' ')
unused=$(comm -13 <(echo "$flags") <(echo "$known") | tr '\n' ' ')
check "every I915_DKMS_HAVE_ flag a shim tests comes from a probe${stray:+ (no probe: $stray)}" test -z "$stray"
check "every probe is used by a shim${unused:+ (unused: $unused)}" test -z "$unused"
check "no version checks in the shims or probes" \
	test -z "$(grep -rlE 'LINUX_VERSION_CODE|KERNEL_VERSION *\(' "$PKG_TOP/compat/include" "$PKG_TOP/compat/probes")"

# --- bad input -----------------------------------------------------------------------
expect_fail "probe-kernel without --out: usage, exit 2" 2 'usage: probe-kernel' "$PK" --kdir "$KD"
expect_fail "probe-kernel with a missing KDIR: exit 3, says which headers to install" 3 'no kernel headers at .*linux-headers' \
	"$PK" --kdir "$T/nowhere" --out "$T/out"
mkdir -p "$T/badname"; echo 'int x;' > "$T/badname/Bad-Name.c"
expect_fail "a probe name that is no C identifier: exit 2" 2 'must be lower-case' \
	"$PK" --kdir "$KD" --out "$T/out" --probes "$T/badname"
# headers that build nothing: the control probe fails, so no "everything missing" header
mkdir -p "$T/brokenkdir"; printf 'all %%:\n\t@echo "broken headers: cc1: error" >&2; exit 1\n' > "$T/brokenkdir/Makefile"
mkdir -p "$T/p1"; echo 'int x;' > "$T/p1/anything.c"
expect_fail "headers that cannot build an empty module: exit 3, no header written" 3 'cannot build even an empty module' \
	"$PK" --kdir "$T/brokenkdir" --out "$T/broken-out" --probes "$T/p1"
check "no compat header after the failed control probe" test ! -e "$T/broken-out/i915_dkms_compat.h"

if [ ! -f "$KD/Makefile" ]; then
	skip "probe machinery against $K" "headers of $K not installed"
	t_done
fi

# --- the machinery with the test's own probes ----------------------------------------
P=$T/probes
mkdir -p "$P"
cat > "$P/t_yes.c" <<'EOF'
/* must say yes on any kernel: list_add() is as old as the list API */
#include <linux/list.h>
void (*t_yes)(struct list_head *, struct list_head *) = list_add;
EOF
cat > "$P/t_no.c" <<'EOF'
/* must say no: no kernel has this */
#include <linux/list.h>
void *t_no = (void *)i915_dkms_no_such_api;
EOF
cat > "$P/t_sig_new.c" <<'EOF'
/* signature: 4-argument pci_resize_resource() (yes on 6.1.0-56) */
#include <linux/pci.h>
_Static_assert(__builtin_types_compatible_p(typeof(&pci_resize_resource),
	       int (*)(struct pci_dev *, int, int, int)), "3 arguments");
EOF
cat > "$P/t_sig_old.c" <<'EOF'
/* signature: 3-argument pci_resize_resource() (no on 6.1.0-56) */
#include <linux/pci.h>
_Static_assert(__builtin_types_compatible_p(typeof(&pci_resize_resource),
	       int (*)(struct pci_dev *, int, int)), "4 arguments");
EOF
start=$(date +%s)
"$PK" --kdir "$KD" --out "$T/out" --probes "$P" --name "$K" > "$T/stdout" 2> "$T/stderr"; rc=$?
took=$(( $(date +%s) - start ))
H=$T/out/i915_dkms_compat.h
check "probe-kernel exits 0 ($took s)" test "$rc" -eq 0
check "probe-kernel is quiet: nothing on stdout, one summary line on stderr" \
	test ! -s "$T/stdout" -a "$(wc -l < "$T/stderr")" -eq 1
check "yes-probe: #define I915_DKMS_HAVE_T_YES 1" grep -qx '#define I915_DKMS_HAVE_T_YES 1' "$H"
check "no-probe: /* #undef I915_DKMS_HAVE_T_NO */" grep -qxF '/* #undef I915_DKMS_HAVE_T_NO */' "$H"
check "signature probe: the 4-argument pci_resize_resource of $K is found" grep -qx '#define I915_DKMS_HAVE_T_SIG_NEW 1' "$H"
check "signature probe: the 3-argument form is not" grep -qxF '/* #undef I915_DKMS_HAVE_T_SIG_OLD */' "$H"
check "the header marks itself as probed (the shims refuse to work without it)" grep -qx '#define I915_DKMS_COMPAT_PROBED 1' "$H"
check "the compiler output of the failed probe is kept in the log" grep -q 'i915_dkms_no_such_api' "$T/out/i915_dkms_compat.log"
check "the header compiles as C" gcc -fsyntax-only -x c "$H"
m1=$(stat -c %Y "$H"); sleep 1
"$PK" --kdir "$KD" --out "$T/out" --probes "$P" --name "$K" 2>/dev/null
check "an unchanged result keeps the header's mtime (no needless rebuild)" test "$(stat -c %Y "$H")" = "$m1"
# a probe lost in the parallel run (a make on PATH that builds, then drops t_yes.o the
# first time: what one parallel build of session 14 did to a probe) is built once more
# alone, and its answer is the second build's; the change is named on stderr
mkdir -p "$T/flaky-bin"
cat > "$T/flaky-bin/make" <<EOF
#!/bin/bash
$(command -v make) "\$@"; rc=\$?
for a in "\$@"; do case \$a in M=*) m=\${a#M=} ;; esac; done
if [ ! -e "$T/flaky-once" ] && [ -n "\${m:-}" ]; then touch "$T/flaky-once"; rm -f "\$m/t_yes.o"; fi
exit \$rc
EOF
chmod +x "$T/flaky-bin/make"
PATH="$T/flaky-bin:$PATH" "$PK" --kdir "$KD" --out "$T/out-flaky" --probes "$P" --name "$K" 2> "$T/flaky-stderr"
check "a probe lost in the parallel run is built alone: its answer stands (present), and stderr says so" \
	eval 'grep -qx "#define I915_DKMS_HAVE_T_YES 1" "$T/out-flaky/i915_dkms_compat.h" && grep -q "probe t_yes failed in the parallel run and compiled alone" "$T/flaky-stderr" && test -e "$T/flaky-once"'
check "... and a probe that fails alone too stays absent" grep -qxF '/* #undef I915_DKMS_HAVE_T_NO */' "$T/out-flaky/i915_dkms_compat.h"
# the parent make's command-line variables must not reach the probe build
MAKEFLAGS="-- M=/nonexistent obj-m=broken.o" "$PK" --kdir "$KD" --out "$T/out2" --probes "$P" --name "$K" 2>/dev/null
check "a parent make's MAKEFLAGS do not leak into the probe build" cmp -s "$T/out2/i915_dkms_compat.h" "$H"

# --- the legacy mock's probes of i915's own API (src/selftests/probes/, test-only) -------
# prepare-tree runs them for the test variants of a design with a legacy mock, with the
# extracted driver on the include path (--include) into their own header (--header).
LP=$PKG_TOP/src/selftests/probes
lprobes=$(ls "$LP"/*.c 2>/dev/null)
undocumented=
for p in $lprobes; do
	grep -qE '^ \* Tests: ' "$p" && grep -qE 'Read on the trees: ' "$p" && grep -qE '^ \* Used by: ' "$p" ||
		undocumented="$undocumented $(basename "$p")"
done
check "every legacy mock probe says what it tests, on which trees it was read and who uses it${undocumented:+ (not:$undocumented)}" \
	test -n "$lprobes" -a -z "$undocumented"
lflags=$(grep -rhoE 'I915_DKMS_HAVE_[A-Z0-9_]+' "$PKG_TOP"/src/selftests/*.[ch] | sort -u)
lknown=$(for p in $lprobes; do echo "I915_DKMS_HAVE_$(basename "$p" .c | tr 'a-z' 'A-Z')"; done | sort -u)
check "the legacy mocks test exactly the flags their probes define" test "$lflags" = "$lknown"
check "no version checks in the legacy mocks or their probes" \
	test -z "$(grep -rlE 'LINUX_VERSION_CODE|KERNEL_VERSION *\(' "$PKG_TOP"/src/selftests "$LP")"
expect_fail "probe-kernel --header that is no C identifier: exit 2" 2 'lower-case letters' \
	"$PK" --kdir "$KD" --out "$T/out" --header 'Bad-Name'
# two stand-in drivers, each with the one declaration shape of a release (4.3: explicit
# requests, PPGTTs with their own scratch page, the execlists backend taking execbuffer's
# params, the context enable taking a request; both: the address space's bind_vma;
# 4.2: the lazy request, emitters that take
# the ring, the GGTT's scratch page in every address space, the older backend and
# context enable)
mkdir -p "$T/i915-43" "$T/i915-42"
cat > "$T/i915-43/i915_drv.h" <<'EOF'
#include <linux/types.h>
struct intel_context;
struct drm_i915_gem_request;
struct intel_engine_cs {
	int (*flush)(struct drm_i915_gem_request *req, u32 invalidate, u32 flush);
	int (*add_request)(struct drm_i915_gem_request *req);
};
struct i915_page_scratch;
struct i915_vma;
enum i915_cache_level { I915_CACHE_NONE };
struct i915_address_space {
	struct i915_page_scratch *scratch_page;
	int (*bind_vma)(struct i915_vma *vma, enum i915_cache_level cache_level, u32 flags);
	void (*unbind_vma)(struct i915_vma *vma);
};
int i915_gem_request_alloc(struct intel_engine_cs *ring, struct intel_context *ctx,
			   struct drm_i915_gem_request **req_out);
int i915_gem_context_enable(struct drm_i915_gem_request *req);
struct i915_execbuffer_params;
struct drm_i915_gem_execbuffer2;
int intel_execlists_submission(struct i915_execbuffer_params *params,
			       struct drm_i915_gem_execbuffer2 *args, struct list_head *vmas);
EOF
cat > "$T/i915-42/i915_drv.h" <<'EOF'
#include <linux/types.h>
struct intel_context;
struct drm_i915_gem_request;
struct intel_engine_cs {
	int (*flush)(struct intel_engine_cs *ring, u32 invalidate, u32 flush);
	int (*add_request)(struct intel_engine_cs *ring);
	struct drm_i915_gem_request *outstanding_lazy_request;
};
struct page;
struct i915_vma;
enum i915_cache_level { I915_CACHE_NONE };
struct i915_address_space {
	struct {
		dma_addr_t addr;
		struct page *page;
	} scratch;
	int (*bind_vma)(struct i915_vma *vma, enum i915_cache_level cache_level, u32 flags);
	void (*unbind_vma)(struct i915_vma *vma);
};
struct drm_file;
struct drm_i915_gem_object;
int i915_gem_request_alloc(struct intel_engine_cs *ring, struct intel_context *ctx);
int __i915_add_request(struct intel_engine_cs *ring, struct drm_file *file,
		       struct drm_i915_gem_object *batch_obj);
struct drm_i915_private;
int i915_gem_context_enable(struct drm_i915_private *dev_priv);
struct drm_device;
struct drm_i915_gem_execbuffer2;
int intel_execlists_submission(struct drm_device *dev, struct drm_file *file,
			       struct intel_engine_cs *ring, struct intel_context *ctx,
			       struct drm_i915_gem_execbuffer2 *args, struct list_head *vmas,
			       struct drm_i915_gem_object *batch_obj, u64 exec_start,
			       u32 dispatch_flags);
EOF
for v in 43 42; do
	"$PK" --kdir "$KD" --out "$T/lout-$v" --probes "$LP" --include "$T/i915-$v" --header i915_dkms_legacy_probes --name "$K" 2>/dev/null
done
LH=i915_dkms_legacy_probes.h
check "legacy probes, 4.3's declarations: explicit requests, request emitters, the params backend and request context enable, no lazy request" \
	test "$(grep -ho '^#define I915_DKMS_HAVE_[A-Z_]*' "$T/lout-43/$LH" | sort | tr '\n' ' ')" = "#define I915_DKMS_HAVE_CONTEXT_ENABLE_REQ #define I915_DKMS_HAVE_EXECBUF_PARAMS #define I915_DKMS_HAVE_GEM_REQUEST_ALLOC_OUT #define I915_DKMS_HAVE_RING_EMIT_REQUEST #define I915_DKMS_HAVE_VM_BIND_VMA "
check "legacy probes, 4.2's declarations: the lazy request, the address space's bind_vma and the GGTT's scratch page in every address space" \
	test "$(grep -ho '^#define I915_DKMS_HAVE_[A-Z_]*' "$T/lout-42/$LH" | sort | tr '\n' ' ')" = "#define I915_DKMS_HAVE_GEM_LAZY_REQUEST #define I915_DKMS_HAVE_VM_BIND_VMA #define I915_DKMS_HAVE_VM_SCRATCH_ADDR "
check "--header names the header, its log and its own include guard; the compat header is not written" \
	test -f "$T/lout-42/i915_dkms_legacy_probes.log" -a ! -e "$T/lout-42/i915_dkms_compat.h" -a \
	"$(grep -c '^#ifndef I915_DKMS_LEGACY_PROBES_H$' "$T/lout-42/$LH" 2>/dev/null)" = 1
printf '#include "%s"\n#include "%s"\nint both;\n' "$T/out/i915_dkms_compat.h" "$T/lout-42/$LH" > "$T/both.c"
check "the legacy header and the compat header can both be read (no guard or macro clash)" \
	gcc -fsyntax-only -Werror -x c "$T/both.c"

# --- the package's probes and shims against every installed 6.1 and 6.12 ABI -----------
cat > "$T/consumer.c" <<'EOF'
/* uses each shimmed API the way the i915 sources of 6.1 and 6.12 do */
#include <linux/list.h>
#include <linux/pci.h>
#include <linux/overflow.h>
#include <drm/display/drm_dp.h>
#include <drm/drm_fb_helper.h>
size_t c_count(struct list_head *h) { return list_count_nodes(h); }
int c_resize4(struct pci_dev *p) { return pci_resize_resource(p, 0, 1, 0); }
int c_resize3(struct pci_dev *p) { return pci_resize_resource(p, 0, 1); }
int c_edp15 = DP_EDP_15;
int c_range(u64 a, u64 b) { return range_overflows_t(u64, a, b, 1ULL << 32) || range_end_overflows_t(u64, a, b, 4096); }
int c_restore2(struct drm_fb_helper *h, bool force) { return drm_fb_helper_restore_fbdev_mode_unlocked(h, force); }
int c_restore1(struct drm_fb_helper *h) { return drm_fb_helper_restore_fbdev_mode_unlocked(h); }
int c_range_values(void) { return range_overflows(4, 0, 4) * 2 + range_end_overflows(4, 0, 4); }
EOF
# compile_with_shims KDIR HEADER FILE.c -> 0 when FILE.o was built with the shims
compile_with_shims() {
	local kd=$1 hdr=$2 src=$3 d
	d=$(mktemp -d "$T/c.XXXXXX")
	cp "$src" "$d/"
	printf 'NOSTDINC_FLAGS += -I%s/compat/include -include %s\nobj-m := %s\n' \
		"$PKG_TOP" "$hdr" "$(basename "$src" .c).o" > "$d/Kbuild"
	env -u MAKEFLAGS -u MAKELEVEL make -C "$kd" M="$d" "$(basename "$src" .c).o" > "$d/log" 2>&1
	[ -f "$d/$(basename "$src" .c).o" ] || { sed 's/^/    /' "$d/log" | grep -E 'error' | head -n 5; return 1; }
}
n=0
for kv in $("$PKG_TOP/scripts/4-build/list-kernels" --i915); do
	kd=/lib/modules/$kv/build
	case $(. "$PKG_TOP/scripts/lib.sh"; kdir_version "$kd") in 6.1.*|6.12.*) ;; *) continue ;; esac
	n=$((n + 1))
	"$PK" --kdir "$kd" --out "$T/real-$kv" --name "$kv" 2>/dev/null
	check "$kv: the package's probes run" test -f "$T/real-$kv/i915_dkms_compat.h"
	check "$kv: list_count_nodes, pci_resize_resource (3 and 4 arguments), DP_EDP_15, range_(end_)overflows and drm_fb_helper_restore_fbdev_mode_unlocked (1 and 2 arguments) compile with the shims" \
		compile_with_shims "$kd" "$T/real-$kv/i915_dkms_compat.h" "$T/consumer.c"
done
[ "$n" -gt 0 ] || skip "shims against the installed 6.1/6.12 ABIs" "no 6.1 or 6.12 headers with i915 installed"
# legacy trees (docs/legacy-kernels.md) lack the APIs entirely: the shims must stay inert
printf '#include <linux/list.h>\n#include <linux/pci.h>\nint legacy_x;\n' > "$T/legacy.c"
for tree in ${LEGACY_TREES:-}; do
	[ -f "$tree/Makefile" ] || continue
	lv=$(basename "$tree")
	if "$PK" --kdir "$tree" --out "$T/legacy-$lv" --name "$lv" 2>/dev/null; then
		check "$lv (legacy tree): the shims are inert where the APIs do not exist at all" \
			compile_with_shims "$tree" "$T/legacy-$lv/i915_dkms_compat.h" "$T/legacy.c"
	else
		bad "$lv (legacy tree): probe-kernel runs" "exit $?"
	fi
done
# on the newest ABI of each series (the linux-source's own version) the shims add nothing
# the source uses: 6.1.0-56 has the 6.1 APIs (the 6.12-only fbdev force argument is not
# one of them), 6.12.117 has every API
check "$K (the 6.1 source's own ABI): the 6.1 probes say 'have'" \
	test -z "$(grep -F '#undef' "$T/real-$K/i915_dkms_compat.h" 2>/dev/null | grep -v DRM_FB_HELPER_RESTORE_FORCE)" -a -f "$T/real-$K/i915_dkms_compat.h"
K612=${TEST_KERNEL_612:-6.12.117+deb12-amd64}
if [ -f "$T/real-$K612/i915_dkms_compat.h" ]; then
	check "$K612 (the 6.12 source's own ABI): every package probe says 'have'" \
		test -z "$(grep -F '#undef' "$T/real-$K612/i915_dkms_compat.h")"
fi
# a shim used where the kernel has the API: the prefix keeps the two from clashing
sed 's|^#define I915_DKMS_HAVE_LIST_COUNT_NODES 1|/* #undef I915_DKMS_HAVE_LIST_COUNT_NODES */|' \
	"$T/real-$K/i915_dkms_compat.h" > "$T/forced.h"
printf '#include <linux/list.h>\nsize_t c_count(struct list_head *h) { return list_count_nodes(h); }\n' > "$T/forced_list.c"
check "$K: the list_count_nodes shim forced on beside the kernel's own compiles (prefixed)" \
	compile_with_shims "$KD" "$T/forced.h" "$T/forced_list.c"
printf '#include <linux/list.h>\nint x;\n' > "$T/noprobe.c"
d=$(mktemp -d "$T/np.XXXXXX"); cp "$T/noprobe.c" "$d/"
printf 'NOSTDINC_FLAGS += -I%s/compat/include\nobj-m := noprobe.o\n' "$PKG_TOP" > "$d/Kbuild"
env -u MAKEFLAGS -u MAKELEVEL make -C "$KD" M="$d" noprobe.o > "$d/log" 2>&1
check "a shim without the generated header stops the build with a clear #error" \
	grep -q 'compat/include used without the generated i915_dkms_compat.h' "$d/log"

# --- compat patches (patches/compat): used only when the probe says what the patch is for
# (missing or present) and the source has the line the patch changes; prepare only (no
# compile), with the real 6.12.117 and 6.12.107 sources
K612OLD=${TEST_OLD_KERNEL_612:-6.12.107+deb12-amd64}
SRC612=/usr/src/linux-source-6.12.tar.xz
if [ -f "/lib/modules/$K612OLD/build/Makefile" ] && [ -f "/lib/modules/$K612/build/Makefile" ] && [ -f "$SRC612" ]; then
	for kv in "$K612OLD" "$K612"; do
		"$PKG_TOP/scripts/4-build/prepare-tree" --kver "$kv" --kdir "/lib/modules/$kv/build" --work "$T/cp/$kv" --src "$SRC612" > "$T/cp-$kv.log" 2>&1 ||
			bad "compat patches: prepare $kv" "$(tail -n 2 "$T/cp-$kv.log" | tr '\n' ' ')"
	done
	check "compat patches: $K612OLD (no force argument) gets fbdev-client-restore-no-force with the 6.12.117 source" \
		bash -c "test '$(plan_value "$T/cp/$K612OLD/plan" compat_patch)' = fbdev-client-restore-no-force.patch &&
			grep -q '\.restore	= i915_dkms_fbdev_client_restore,' '$T/cp/$K612OLD/drivers/gpu/drm/i915/display/intel_fbdev.c'"
	check "compat patches: $K612 (has it) gets none, its intel_fbdev.c is the source's" \
		bash -c "test -z '$(plan_value "$T/cp/$K612/plan" compat_patch)' && ! grep -q i915_dkms '$T/cp/$K612/drivers/gpu/drm/i915/display/intel_fbdev.c'"
	# the other direction: an older source (the 1-argument callback) on a kernel with the change
	SOURCE_CACHE=$(. "$PKG_TOP/scripts/lib.sh"; echo "$SOURCE_CACHE")
	old_src=$(ls "$SOURCE_CACHE"/linux-source-6.12.107-*/linux-source-6.12.tar.xz 2>/dev/null | head -n 1)
	if [ -n "$old_src" ]; then
		if "$PKG_TOP/scripts/4-build/prepare-tree" --kver "$K612" --kdir "/lib/modules/$K612/build" --work "$T/cp/old-$K612" --src "$old_src" > "$T/cp-old.log" 2>&1; then
			check "compat patches: $K612 (force argument) gets fbdev-client-restore-force with the 6.12.107 source" \
				bash -c "test '$(plan_value "$T/cp/old-$K612/plan" compat_patch)' = fbdev-client-restore-force.patch &&
					grep -q '^static int intel_fbdev_client_restore(struct drm_client_dev \*client, bool force)' '$T/cp/old-$K612/drivers/gpu/drm/i915/display/intel_fbdev.c'"
		else
			bad "compat patches: prepare the 6.12.107 source for $K612" "$(tail -n 2 "$T/cp-old.log" | tr '\n' ' ')"
		fi
	else
		skip "compat patches: 6.12.107 source on $K612" "the 6.12.107 source is not in $SOURCE_CACHE (scripts/1-source/fetch-source --kver 6.12.107+deb12-amd64)"
	fi
	if "$PKG_TOP/scripts/4-build/prepare-tree" --kver "$K" --kdir "$KD" --work "$T/cp/$K" --src /usr/src/linux-source-6.1.tar.xz > "$T/cp-$K.log" 2>&1; then
		check "compat patches: the 6.1.192 source on $K (probe says missing, the source lacks the line) gets none" \
			bash -c "grep -q '#undef I915_DKMS_HAVE_DRM_FB_HELPER_RESTORE_FORCE' '$T/cp/$K/drivers/gpu/drm/i915/dkms/i915_dkms_compat.h' && test -z '$(plan_value "$T/cp/$K/plan" compat_patch)'"
	else
		bad "compat patches: prepare $K" "$(tail -n 2 "$T/cp-$K.log" | tr '\n' ' ')"
	fi
else
	skip "compat patches" "needs the headers of $K612OLD and $K612 and $SRC612 (tests/deps installs them)"
fi
t_done
