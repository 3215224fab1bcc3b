// SPDX-License-Identifier: GPL-2.0
/*
 * i915-vma-cleanup: mock selftest of the flink-and-exit VMA leak (issue #3).
 *
 * selftest-only: never linked into the production module (compat/kbuild/i915.Kbuild
 * adds it for I915_VARIANT=selftest|mutant; registered in
 * selftests/i915_mock_selftests.h by patches/vm-release/0003).
 *
 * Scenario, K rounds on a mock device:
 *   exporter  creates an object and keeps its handle (reference) to the end;
 *   importer  gets a second handle (flink open: a second reference), binds a VMA
 *             in its own context's private address space (mock ppgtt), then exits:
 *             drops its handle, its context and its vm reference.
 * After the release work ran (i915_gem_drain_workqueue: i915->wq + rcu_barrier, as
 * i915 does), the round is clean when
 *   - the address space's release ran once (i915_dkms_get_stats: vm_released +1)
 *     and reclaimed the VMA (vmas_reclaimed +>=1);
 *   - the object has no VMA left in that address space, and its bound/unbound
 *     lists are empty;
 *   - nothing but this test holds the vm structure (resv_ref == 1), so dropping
 *     our hold frees it: the address space is freed.
 * A round that is not clean is a leak. Before Linux 4.4 (and in the test-only
 * mutant build, where src/ skips the upstream reclaim) every round leaks.
 *
 * Second subtest, a benchmark, not a test (it always returns 0, so it cannot change
 * the result of the leak check, which runs first): for N = 1, 16 and 256 objects
 * each bound (one VMA) in one private address space, the time (ktime) from dropping
 * the importer's context and vm reference to the end of the release work (the same
 * drain as above), over R rounds; one line per N:
 *   i915_dkms_bench: N=<n> rounds=<r> ns_per_context=<x> ns_per_vma=<y>
 * (tests/vm/bench-selftest). The objects outlive every round, as the exporter's do.
 */
#include <linux/kref.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/slab.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>

#include "gem/i915_gem_context.h"
#include "gem/i915_gem_internal.h"
#include "gem/selftests/mock_context.h"
#include "gt/intel_gt.h"
#include "gt/intel_gtt.h"
#include "i915_drv.h"
#include "i915_gem.h"
#include "i915_selftest.h"
#include "i915_vma.h"
#include "selftests/mock_gem_device.h"
#include "selftests/mock_gtt.h"

#include "dkms/i915_dkms.h"

#define I915_DKMS_LEAK_ROUNDS 100

static bool obj_has_vma_in(struct drm_i915_gem_object *obj,
			   const struct i915_address_space *vm)
{
	struct i915_vma *vma;
	bool found = false;

	spin_lock(&obj->vma.lock);
	list_for_each_entry(vma, &obj->vma.list, obj_link) {
		if (vma->vm == vm) {
			found = true;
			break;
		}
	}
	spin_unlock(&obj->vma.lock);
	return found;
}

struct leak_round {
	unsigned long released, skipped, reclaimed;
	bool vma_left, lists_busy;
	unsigned int resv_refs;
};

/* One flink-and-exit round. Returns <0 on a setup error; *r says what was left. */
static int flink_and_exit(struct drm_i915_private *i915, struct leak_round *r)
{
	struct i915_dkms_stats before = {}, after;
	struct drm_i915_gem_object *obj;
	struct i915_address_space *vm;
	struct i915_gem_context *ctx;
	struct i915_vma *vma;
	int err;

	/* exporter: creates the object, holds its handle until the end */
	obj = i915_gem_object_create_internal(i915, PAGE_SIZE);
	if (IS_ERR(obj))
		return PTR_ERR(obj);

	/* importer: a context with its own private address space */
	ctx = mock_context(i915, "dkms-importer");
	if (!ctx) {
		err = -ENOMEM;
		goto out_obj;
	}
	vm = i915_gem_context_get_eb_vm(ctx);
	/* hold the structure (not the address space) to look at it after release */
	i915_vm_resv_get(vm);

	/* flink open: the importer's handle is a second reference */
	i915_gem_object_get(obj);

	vma = i915_vma_instance(obj, vm, NULL);
	if (IS_ERR(vma)) {
		err = PTR_ERR(vma);
		goto out_import;
	}
	err = i915_vma_pin(vma, 0, 0, PIN_USER);
	if (err)
		goto out_import;
	i915_vma_unpin(vma);	/* as after an execbuf: bound, not pinned */

	i915_dkms_get_stats(&before);
out_import:
	/* importer exits: handle, context, vm; the exporter still holds obj */
	i915_gem_object_put(obj);
	mock_context_close(ctx);
	i915_vm_put(vm);
	i915_gem_drain_workqueue(i915);

	if (!err) {
		i915_dkms_get_stats(&after);
		r->released = after.vm_released - before.vm_released;
		r->skipped = after.vm_release_skipped - before.vm_release_skipped;
		r->reclaimed = after.vmas_reclaimed - before.vmas_reclaimed;
		r->vma_left = obj_has_vma_in(obj, vm);
		mutex_lock(&vm->mutex);
		r->lists_busy = !list_empty(&vm->bound_list) ||
				!list_empty(&vm->unbound_list);
		mutex_unlock(&vm->mutex);
		r->resv_refs = kref_read(&vm->resv_ref);
	}
	/* the last reference when the release ran: frees the vm */
	i915_vm_resv_put(vm);
out_obj:
	i915_gem_object_put(obj);	/* exporter closes */
	return err;
}

static bool round_clean(const struct leak_round *r)
{
	return r->released == 1 && r->reclaimed >= 1 && !r->vma_left &&
	       !r->lists_busy && r->resv_refs == 1;
}

static int igt_dkms_flink_and_exit(void *arg)
{
	struct drm_i915_private *i915 = arg;
	unsigned long released = 0, reclaimed = 0, skipped = 0;
	unsigned int n, leaked = 0;
	struct leak_round r;
	int err;

	for (n = 0; n < I915_DKMS_LEAK_ROUNDS; n++) {
		memset(&r, 0, sizeof(r));
		err = flink_and_exit(i915, &r);
		if (err) {
			pr_err("i915_dkms_leak: round %u: setup failed: %d\n", n, err);
			return err;
		}
		released += r.released;
		skipped += r.skipped;
		reclaimed += r.reclaimed;
		if (!round_clean(&r)) {
			if (!leaked)
				pr_err("i915_dkms_leak: round %u leaked: vm_released +%lu (skipped +%lu), vmas_reclaimed +%lu, vma left in vm: %s, vm lists empty: %s, vm structure refs: %u (want 1)\n",
				       n, r.released, r.skipped, r.reclaimed,
				       str_yes_no(r.vma_left),
				       str_yes_no(!r.lists_busy), r.resv_refs);
			leaked++;
		}
		cond_resched();
	}

	pr_info("i915_dkms_leak: flink-and-exit mode=%s K=%u leaked=%u vm_released=+%lu vm_release_skipped=+%lu vmas_reclaimed=+%lu result=%s\n",
		i915_dkms_mode(), I915_DKMS_LEAK_ROUNDS, leaked, released, skipped,
		reclaimed, leaked ? "FAIL" : "PASS");
	return leaked ? -EINVAL : 0;
}

/* --- benchmark: cost of the teardown path (issue #3); never a failure --------- */

#define I915_DKMS_BENCH_MAX_VMAS 256

/*
 * One round: a fresh context (private address space), objs[0..n) each bound in it,
 * then the importer's exit. *ns: from dropping the context and vm references to the
 * end of the release work. *reclaimed: vmas_reclaimed over the teardown.
 */
static int bench_teardown_round(struct drm_i915_private *i915,
				struct drm_i915_gem_object **objs, unsigned int n,
				u64 *ns, unsigned long *reclaimed)
{
	struct i915_dkms_stats before = {}, after = {};
	struct i915_address_space *vm;
	struct i915_gem_context *ctx;
	struct i915_vma *vma;
	unsigned int i;
	ktime_t t0;
	int err = 0;

	ctx = mock_context(i915, "dkms-bench");
	if (!ctx)
		return -ENOMEM;
	vm = i915_gem_context_get_eb_vm(ctx);

	for (i = 0; i < n; i++) {
		vma = i915_vma_instance(objs[i], vm, NULL);
		if (IS_ERR(vma)) {
			err = PTR_ERR(vma);
			break;
		}
		err = i915_vma_pin(vma, 0, 0, PIN_USER);
		if (err)
			break;
		i915_vma_unpin(vma);	/* bound, not pinned */
	}

	/* the teardown is done even after a setup error, only its time is dropped */
	i915_dkms_get_stats(&before);
	t0 = ktime_get();
	mock_context_close(ctx);
	i915_vm_put(vm);
	i915_gem_drain_workqueue(i915);
	*ns = ktime_to_ns(ktime_sub(ktime_get(), t0));
	i915_dkms_get_stats(&after);
	*reclaimed = after.vmas_reclaimed - before.vmas_reclaimed;
	return err;
}

static int igt_dkms_bench_teardown(void *arg)
{
	static const struct {
		unsigned int n, rounds;
	} sizes[] = {
		{ 1, 20 },
		{ 16, 20 },
		{ I915_DKMS_BENCH_MAX_VMAS, 5 },
	};
	struct drm_i915_private *i915 = arg;
	struct drm_i915_gem_object **objs;
	unsigned long reclaimed, round_reclaimed;
	unsigned int i, s, r;
	u64 total, ns;
	int err;

	objs = kcalloc(I915_DKMS_BENCH_MAX_VMAS, sizeof(*objs), GFP_KERNEL);
	if (!objs) {
		pr_info("i915_dkms_bench: skipped: out of memory (benchmark only)\n");
		return 0;
	}
	for (i = 0; i < I915_DKMS_BENCH_MAX_VMAS; i++) {
		objs[i] = i915_gem_object_create_internal(i915, PAGE_SIZE);
		if (IS_ERR(objs[i])) {
			pr_info("i915_dkms_bench: skipped: object %u: %ld (benchmark only)\n",
				i, PTR_ERR(objs[i]));
			objs[i] = NULL;
			goto out;
		}
	}

	for (s = 0; s < ARRAY_SIZE(sizes); s++) {
		total = 0;
		reclaimed = 0;
		for (r = 0; r < sizes[s].rounds; r++) {
			err = bench_teardown_round(i915, objs, sizes[s].n, &ns,
						   &round_reclaimed);
			if (err) {
				pr_info("i915_dkms_bench: N=%u round %u: setup failed: %d (benchmark only)\n",
					sizes[s].n, r, err);
				goto out;
			}
			total += ns;
			reclaimed += round_reclaimed;
			cond_resched();
		}
		pr_info("i915_dkms_bench: N=%u rounds=%u ns_per_context=%llu ns_per_vma=%llu\n",
			sizes[s].n, sizes[s].rounds,
			div_u64(total, sizes[s].rounds),
			div_u64(total, sizes[s].rounds * sizes[s].n));
		if (reclaimed != (unsigned long)sizes[s].rounds * sizes[s].n)
			pr_info("i915_dkms_bench: N=%u note: vmas_reclaimed=+%lu, expected +%u: the timed path did not reclaim every VMA\n",
				sizes[s].n, reclaimed, sizes[s].rounds * sizes[s].n);
	}
out:
	for (i = 0; i < I915_DKMS_BENCH_MAX_VMAS && objs[i]; i++)
		i915_gem_object_put(objs[i]);
	kfree(objs);
	return 0;
}

int i915_dkms_leak_mock_selftests(void)
{
	static const struct i915_subtest tests[] = {
		SUBTEST(igt_dkms_flink_and_exit),
		SUBTEST(igt_dkms_bench_teardown),	/* timing only, always 0 */
	};
	struct drm_i915_private *i915;
	struct intel_gt *gt;
	int err;

	i915 = mock_gem_device();
	if (!i915)
		return -ENOMEM;

	/* as the vma/gtt mock selftests do */
	err = intel_gt_assign_ggtt(to_gt(i915));
	if (err)
		goto out_put;
	gt = to_gt(i915);
	mock_init_ggtt(gt);

	err = i915_subtests(tests, i915);

	mock_device_flush(i915);
	i915_gem_drain_freed_objects(i915);
	mock_fini_ggtt(gt->ggtt);
out_put:
	mock_destroy_device(i915);
	return err;
}
