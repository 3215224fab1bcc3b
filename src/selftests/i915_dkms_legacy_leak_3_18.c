// SPDX-License-Identifier: GPL-2.0
/*
 * i915-vma-cleanup: legacy mock selftest for the leak-3.18 design (3.18.y, 3.19.y).
 * Test-only: linked into the selftest and mutant variants alone
 * (compat/kbuild/i915.Kbuild), run on load with i915.dkms_legacy_selftest=1.
 * Scenarios and report lines: i915_dkms_legacy.h. Read side by side with
 * i915_dkms_legacy_leak_4_1.c: same scenarios, names and order; what differs is
 * 3.18's own GEM code (seqno-based activity, requests without a reference count of
 * their own, the retire in every waiting unbind), and that this mock submits its
 * requests through 3.18's own __i915_add_request(), so each request holds its
 * context as on the real kernel (a context dies inside
 * request retirement, and busy_elsewhere replaces active_at_free).
 *
 * The mock device is what this design's GEM code needs and nothing more: a fake PCI
 * device (direct DMA), a drm_device from drm_dev_alloc() with GEM, the lists, slab
 * and scratch page i915_gem_load()/i915_gem_gtt_init() would set up, Ivybridge
 * (gen7, LLC: no clflush) with full PPGTT on the ring buffer, a GGTT of 2 GiB whose
 * drm_mm the kernel carves each PPGTT's page directory out of and whose PTEs (the
 * GSM mapping on hardware) are memory, and a render ring whose seqno the test
 * advances (requests complete when told).
 * Everything else is the kernel's own i915: i915_gem_open() (per-file default context
 * with its PPGTT: gen6_ppgtt_init(), the page directory's GGTT node, gen6_write_pdes()),
 * i915_gem_object_pin() (bind: gen6_ppgtt_insert_entries()), i915_switch_context(),
 * i915_vma_move_to_active(), __i915_add_request() (the request and its context
 * reference), i915_vma_unbind(), i915_gem_context_close(), i915_gem_release(),
 * i915_gem_retire_requests_ring() (i915_gem_free_request(), and the backported
 * cleanup when the last context reference goes there), i915_gem_free_object(),
 * i915_ppgtt_release() (gen6_ppgtt_cleanup(): the page directory's node back).
 *
 * Gen7 full PPGTT on the ring buffer is what 3.18 and 3.19 run (sanitize_enable_ppgtt()
 * grants enable_ppgtt=2 only where HAS_PPGTT(): gen7, not gen8); the mock sets the
 * parameter directly. Not mocked: the HW context image (Ivybridge's contexts are
 * the "fake" kind here, so i915_switch_context() does not reach do_switch() and its
 * gen7_mm_switch() ring commands) and the GGTT probe (its PTE encoder is
 * re-stated: mock_ivb_pte_encode()). A leaked PPGTT keeps its page directory's 2 MiB
 * GGTT node, the symptom gen7 machines show; mock_fini()'s drm_mm_takedown() WARNs
 * (log=WARN) when one is left at the end.
 */
#include <linux/dma-mapping.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "i915_drv.h"
#include "dkms/i915_dkms.h"
#include "i915_dkms_legacy.h"

struct mock {
	struct pci_dev *pdev;
	struct drm_device *dev;
	struct drm_i915_private *priv;
	struct intel_ringbuffer ringbuf;
	u32 hw_seqno, next_seqno;	/* seqno 0 is "idle" to 3.18: requests start at 1 */
	int saved_ppgtt, saved_execlists;
	bool saved_hangcheck;
	/* test-only: contexts freed inside i915_gem_retire_requests_ring() (by
	 * i915_gem_free_request() dropping the request's context reference) */
	unsigned int ctx_freed_in_retire;
};

static u32 mock_last_seqno(struct mock *m)
{
	return m->next_seqno;
}

#define MOCK_GGTT_SCRATCH	/* every PPGTT's unused PTEs point at the GGTT's scratch page */
#define MOCK_GEN7_PPGTT		/* gen7 (Ivybridge) full PPGTT: page directories in the GGTT */
#include "i915_dkms_legacy_mock.h"

/* The ring's two emitters __i915_add_request() calls: the flush execbuffer asks for
 * (ring->gpu_caches_dirty) and the breadcrumb (ring->add_request: seqno store and
 * user interrupt). The mock ring executes nothing: the test sets its seqno. */
static int mock_ring_flush(struct intel_engine_cs *ring, u32 invalidate, u32 flush)
{
	return 0;
}

static int mock_ring_add_request(struct intel_engine_cs *ring)
{
	return 0;
}

/* what 3.18 adds to the shared mock device: i915_gem_load()'s object slab, the GGTT
 * with its scratch page, the ringbuffer whose last_retired_head the retire
 * updates (3.18 reaches it through ring->buffer), the ring's emitters, and what
 * __i915_add_request() queues after a request (mock_request_work_init(): hangcheck off,
 * works that do nothing, busy already marked; 3.18 skips that part under
 * ums.mm_suspended, which 3.19 no longer has: the mock leaves it clear, so that both
 * run the same code). Request waits WARN unless intel_irqs_enabled(): 3.18 reads
 * pm._irqs_disabled, false as allocated; none sleeps here. */
static int mock_init(struct mock *m)
{
	struct intel_engine_cs *ring;
	int ret = mock_init_slab_scratch(m);

	if (!ret)
		ret = mock_request_work_init(m);
	if (ret)
		return ret;
	ring = &m->priv->ring[RCS];
	ring->buffer = &m->ringbuf;
	ring->flush = mock_ring_flush;
	ring->add_request = mock_ring_add_request;
	return 0;
}

/* A batch executed by the client whose address space @vma is in, on the render ring,
 * as 3.18's execbuffer (legacy ringbuffer submission) does it, with the kernel's own
 * code: i915_switch_context() to the client's default context (the ring takes a
 * reference to it and drops the one to the context it ran before: 3.18 keeps the last
 * context of a ring alive until another one runs), the request and seqno
 * intel_ring_begin() preallocates (intel_ring_alloc_seqno()), @vma moved to the
 * active list under that seqno (i915_vma_move_to_active: active reference,
 * obj->ring, obj->last_read_seqno), then i915_gem_execbuffer_retire_commands():
 * __i915_add_request(ring, file, obj), which queues the request with its context
 * (request->ctx = ring->last_context and i915_gem_context_reference()) and on the
 * client's request list. i915_gem_free_request(), run by the retire, drops that
 * reference: a context whose last reference is a request's dies inside retirement.
 * Called with struct_mutex held. */
static struct drm_i915_gem_request *mock_activate(struct mock *m, struct i915_vma *vma)
{
	struct intel_engine_cs *ring = &m->priv->ring[RCS];
	struct drm_i915_file_private *file_priv = i915_vm_to_ppgtt(vma->vm)->file_priv;
	struct intel_context *ctx;
	struct drm_i915_gem_request *req;

	if (!file_priv)
		return NULL;
	ctx = i915_gem_context_get(file_priv, DEFAULT_CONTEXT_HANDLE);
	if (IS_ERR(ctx) || i915_switch_context(ring, ctx))
		return NULL;
	req = kzalloc(sizeof(*req), GFP_KERNEL);
	if (!req)
		return NULL;
	ring->preallocated_lazy_request = req;
	ring->outstanding_lazy_seqno = ++m->next_seqno;
	/* the domains execbuffer gives an object the batch only reads */
	vma->obj->base.read_domains = I915_GEM_DOMAIN_RENDER;
	vma->obj->base.write_domain = 0;
	i915_vma_move_to_active(vma, ring);
	ring->gpu_caches_dirty = true;
	if (__i915_add_request(ring, file_priv->file, vma->obj, NULL)) {
		/* not queued: nothing holds it (cannot happen with the mock's emitters) */
		ring->preallocated_lazy_request = NULL;
		ring->outstanding_lazy_seqno = 0;
		kfree(req);
		return NULL;
	}
	mock_request_drop_context(req);	/* the mock mutant only */
	return req;
}

#include "i915_dkms_legacy_scenarios.h"

/* objects the device accounts for (i915_gem_object_init() counts one in,
 * i915_gem_free_object() out): tells whether an object was freed without touching it */
static u32 mock_object_count(struct mock *m)
{
	u32 n;

	spin_lock(&m->priv->mm.object_stat_lock);
	n = m->priv->mm.object_count;
	spin_unlock(&m->priv->mm.object_stat_lock);
	return n;
}

/* The 3.18 hazard (why the backport moves 3.18's retire under "if (wait)"): the
 * object is active on the render ring through a VMA in another address space, with
 * a completed but unretired request; the handles are closed, so the active
 * reference is the only one; the importer's context is destroyed and the cleanup
 * unbinds its VMA without waiting. 3.18's unbind retires the object before every
 * unbind, not only the last VMA's as 4.0/4.1 do: on the no-wait path that retire
 * would drop the last reference and free the object, and the VMA being unbound,
 * under the unbind (use-after-free; without KASAN, slub_debug=FZPU poison reports
 * it). The retire path frees it later.
 * Unlike 4.1, the exporter's VMA is not evicted first: 3.18's waiting unbind
 * retires the object whichever VMA it unbinds, which would drop the very active
 * reference the hazard needs. It stays bound (and active) in the exporter's
 * address space; the object's free unbinds it.
 * The checks touch no memory the hazard may have freed: the object count says
 * whether the object is alive (only then is it read), the package's counter says
 * whether the cleanup unbound the importer's VMA (one VMA; none in the mutant,
 * which skips the cleanup), and the retire must free the object exactly once. */
static int run_hazard(struct mock *m)
{
	const bool cleanup = i915_dkms_cleanup_enabled();
	struct hazard h = {};
	unsigned long reclaimed;
	u32 count;
	bool ok;
	int ret = hazard_setup(m, &h);

	if (ret)
		goto out;
	mutex_unlock(&m->dev->struct_mutex);	/* no eviction of ve: it would retire */
	hazard_close_handles(&h);
	count = mock_object_count(m);
	reclaimed = vmas_reclaimed();

	hazard_cleanup(m, &h);			/* the cleanup's no-wait unbind */
	mutex_lock(&m->dev->struct_mutex);
	/* the unbind left the object alive, active, without the importer's VMA */
	ok = mock_object_count(m) == count &&
	     vmas_reclaimed() - reclaimed == (cleanup ? 1 : 0);
	if (ok)
		ok = h.obj->active && h.obj->ring == &m->priv->ring[RCS] &&
		     obj_vmas_in(h.obj, &h.pe->base) == 1 &&
		     obj_vmas_in(h.obj, &h.pi->base) == (cleanup ? 0 : 1);
	mutex_unlock(&m->dev->struct_mutex);
	ok = hazard_retired(m) && ok;		/* frees the object */
	mutex_lock(&m->dev->struct_mutex);
	ok = ok && mock_object_count(m) == count - 1 &&
	     list_empty(&h.pe->base.active_list) &&
	     list_empty(&h.pe->base.inactive_list);
	mutex_unlock(&m->dev->struct_mutex);
	legacy_report("hazard end checks=%s", ok ? "ok" : "fail");
out:
	hazard_fini(m, &h);
	return ret;
}

