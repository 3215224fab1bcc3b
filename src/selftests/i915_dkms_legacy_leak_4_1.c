// SPDX-License-Identifier: GPL-2.0
/*
 * i915-vma-cleanup: legacy mock selftest for the leak-4.1 design (4.0.y, 4.1.y).
 * Test-only: linked into the selftest and mutant variants alone
 * (compat/kbuild/i915.Kbuild), run on load with i915.dkms_legacy_selftest=1.
 * Scenarios and report lines: i915_dkms_legacy.h.
 *
 * The mock device is what this design's GEM code needs and nothing more: a fake PCI
 * device (direct DMA), a drm_device from drm_dev_alloc() with GEM, the lists, slab
 * and scratch page i915_gem_load()/i915_gem_gtt_init() would set up, gen8 device
 * info (in-memory page tables, LLC: no clflush), full PPGTT without execlists, and
 * a render ring whose seqno the test advances (requests complete when told).
 * Everything else is the kernel's own i915: i915_gem_open() (per-file default context
 * with its PPGTT), i915_gem_object_pin() (bind), i915_vma_move_to_active(),
 * i915_vma_unbind(), i915_gem_context_close() (the backported cleanup),
 * i915_gem_retire_requests_ring(), i915_gem_free_object().
 */
#include <linux/dma-mapping.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/slab.h>

#include "i915_drv.h"
#include "dkms/i915_dkms.h"
#include "i915_dkms_legacy.h"

struct mock {
	struct pci_dev *pdev;
	struct drm_device *dev;
	struct drm_i915_private *priv;
	struct intel_ringbuffer ringbuf;
	u32 hw_seqno, next_seqno;
	int saved_ppgtt, saved_execlists;
};

#define MOCK_GGTT_SCRATCH	/* every PPGTT's unused PTEs point at the GGTT's scratch page */
#include "i915_dkms_legacy_mock.h"

/* what 4.1 adds to the shared mock device: i915_gem_load()'s object slab, the IRQ
 * state request waits check, the GGTT with its scratch page */
static int mock_init(struct mock *m)
{
	int ret = mock_init_slab_scratch(m);

	if (ret)
		return ret;
	m->priv->pm.irqs_enabled = true;	/* request waits check it; none sleeps here */
	return 0;
}

/* a request on the render ring, queued as i915_add_request() leaves it, and @vma
 * moved to the active list under it (i915_vma_move_to_active: active reference) */
static struct drm_i915_gem_request *mock_activate(struct mock *m, struct i915_vma *vma)
{
	struct intel_engine_cs *ring = &m->priv->ring[RCS];
	struct drm_i915_gem_request *req = kzalloc(sizeof(*req), GFP_KERNEL);

	if (!req)
		return NULL;
	kref_init(&req->ref);
	req->ring = ring;
	req->ringbuf = &m->ringbuf;
	req->seqno = ++m->next_seqno;
	list_add_tail(&req->list, &ring->request_list);
	/* the domains execbuffer gives an object the batch only reads */
	vma->obj->base.read_domains = I915_GEM_DOMAIN_RENDER;
	vma->obj->base.write_domain = 0;
	ring->outstanding_lazy_request = req;
	i915_vma_move_to_active(vma, ring);
	ring->outstanding_lazy_request = NULL;
	return req;
}

static void mock_complete_and_retire(struct mock *m)
{
	m->hw_seqno = m->next_seqno;
	mutex_lock(&m->dev->struct_mutex);
	i915_gem_retire_requests_ring(&m->priv->ring[RCS]);
#ifdef I915_DKMS_RETIRE_CLOSED_VMS
	/* then what i915_gem_retire_requests() runs after every ring's walk: the
	 * package's completion (patches/leak-4.1/0004), the kernel's code as patched */
	i915_gem_retire_closed_vms(m->dev);
#endif
	mutex_unlock(&m->dev->struct_mutex);
}

#include "i915_dkms_legacy_scenarios.h"

/* The 4.0/4.1 hazard: the object is active on the render ring through a VMA in
 * another address space, with a completed but unretired request; that VMA is
 * evicted (a waiting unbind, not the last VMA: no retire); the handles are closed,
 * so the active reference is the only one; the importer's context is destroyed and
 * the cleanup unbinds the last VMA without waiting. That unbind must not drop the
 * object (a retire there frees it under the unbind: KASAN use-after-free); the
 * retire path frees it later.
 * The checks assert both unbinds the hazard relies on: the eviction left vi as the
 * object's only VMA (read while the handles still hold the object), and the cleanup
 * unbound vi (the package's counter: one VMA, none in the mutant, which skips the
 * cleanup; no read of memory the hazard may have freed). */
static int run_hazard(struct mock *m)
{
	const bool cleanup = i915_dkms_cleanup_enabled();
	struct hazard h = {};
	unsigned long reclaimed;
	bool unbound = false;
	int ret = hazard_setup(m, &h);

	if (!ret) {
		ret = i915_vma_unbind(h.ve);		/* eviction: waits, not the last VMA */
		unbound = !ret && obj_vmas_in(h.obj, &h.pe->base) == 0 &&
			  obj_vmas_in(h.obj, &h.pi->base) == 1;
		mutex_unlock(&m->dev->struct_mutex);
	}
	if (!ret) {
		hazard_close_handles(&h);
		reclaimed = vmas_reclaimed();
		hazard_cleanup(m, &h);			/* the cleanup's no-wait unbind */
		unbound = unbound && vmas_reclaimed() - reclaimed == (cleanup ? 1 : 0);
		legacy_report("hazard end checks=%s", hazard_retired(m) && unbound ? "ok" : "fail");
	}
	hazard_fini(m, &h);
	return ret;
}

