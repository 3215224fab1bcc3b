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

static struct mock *the_mock;	/* the ring's get_seqno reads the test's seqno */

static struct drm_driver mock_driver = {
	.driver_features = DRIVER_GEM,
	.gem_free_object = i915_gem_free_object,
	.name = "i915-dkms-mock",
	.desc = "i915-vma-cleanup legacy mock",
	.date = "20261127",
};

static u32 mock_get_seqno(struct intel_engine_cs *ring, bool lazy)
{
	return the_mock ? the_mock->hw_seqno : 0;
}

static void mock_release_pdev(struct device *dev)
{
	kfree(to_pci_dev(dev));
}

static int mock_init(struct mock *m)
{
	struct drm_i915_private *priv;
	struct intel_device_info *info;
	struct intel_engine_cs *ring;
	dma_addr_t addr;
	int i;

	m->pdev = kzalloc(sizeof(*m->pdev), GFP_KERNEL);
	if (!m->pdev)
		return -ENOMEM;
	device_initialize(&m->pdev->dev);
	m->pdev->dev.release = mock_release_pdev;
	dev_set_name(&m->pdev->dev, "i915-dkms-mock");
	m->pdev->dma_mask = DMA_BIT_MASK(39);
	m->pdev->dev.dma_mask = &m->pdev->dma_mask;
	m->pdev->dev.coherent_dma_mask = DMA_BIT_MASK(39);

	m->dev = drm_dev_alloc(&mock_driver, &m->pdev->dev);
	if (!m->dev) {
		put_device(&m->pdev->dev);
		return -ENOMEM;
	}
	m->dev->pdev = m->pdev;

	priv = kzalloc(sizeof(*priv), GFP_KERNEL);
	if (!priv) {
		drm_dev_unref(m->dev);
		put_device(&m->pdev->dev);
		return -ENOMEM;
	}
	m->priv = priv;
	priv->dev = m->dev;
	m->dev->dev_private = priv;

	info = (struct intel_device_info *)&priv->info;
	info->gen = 8;
	info->has_llc = 1;
	info->ring_mask = RENDER_RING;

	spin_lock_init(&priv->mm.object_stat_lock);
	priv->slab = kmem_cache_create("i915_dkms_mock_obj",
				       sizeof(struct drm_i915_gem_object), 0,
				       SLAB_HWCACHE_ALIGN, NULL);
	INIT_LIST_HEAD(&priv->vm_list);
	INIT_LIST_HEAD(&priv->context_list);
	INIT_LIST_HEAD(&priv->mm.unbound_list);
	INIT_LIST_HEAD(&priv->mm.bound_list);
	INIT_LIST_HEAD(&priv->mm.fence_list);
	for (i = 0; i < I915_MAX_NUM_FENCES; i++)
		INIT_LIST_HEAD(&priv->fence_regs[i].lru_list);
	priv->mm.interruptible = true;
	priv->pm.irqs_enabled = true;	/* request waits check it; none sleeps here */

	/* the GGTT as an address space (never bound here) with its scratch page */
	priv->gtt.base.dev = m->dev;
	priv->gtt.base.total = 1ULL << 30;
	INIT_LIST_HEAD(&priv->gtt.base.active_list);
	INIT_LIST_HEAD(&priv->gtt.base.inactive_list);
	list_add_tail(&priv->gtt.base.global_link, &priv->vm_list);
	priv->gtt.base.scratch.page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!priv->gtt.base.scratch.page)
		return -ENOMEM;
	addr = dma_map_page(&m->pdev->dev, priv->gtt.base.scratch.page, 0,
			    PAGE_SIZE, DMA_BIDIRECTIONAL);
	if (dma_mapping_error(&m->pdev->dev, addr))
		return -ENOMEM;
	priv->gtt.base.scratch.addr = addr;

	/* the render ring: lists, a seqno the test controls */
	for (i = 0; i < I915_NUM_RINGS; i++) {
		INIT_LIST_HEAD(&priv->ring[i].active_list);
		INIT_LIST_HEAD(&priv->ring[i].request_list);
	}
	ring = &priv->ring[RCS];
	ring->name = "mock render ring";
	ring->id = RCS;
	ring->dev = m->dev;
	ring->get_seqno = mock_get_seqno;
	m->ringbuf.ring = ring;

	m->saved_ppgtt = i915.enable_ppgtt;
	m->saved_execlists = i915.enable_execlists;
	i915.enable_ppgtt = 2;		/* full PPGTT: a private address space per context */
	i915.enable_execlists = 0;
	return 0;
}

static void mock_fini(struct mock *m)
{
	struct drm_i915_private *priv = m->priv;

	if (priv) {
		i915.enable_ppgtt = m->saved_ppgtt;
		i915.enable_execlists = m->saved_execlists;
		if (priv->gtt.base.scratch.addr)
			dma_unmap_page(&m->pdev->dev, priv->gtt.base.scratch.addr,
				       PAGE_SIZE, DMA_BIDIRECTIONAL);
		if (priv->gtt.base.scratch.page)
			__free_page(priv->gtt.base.scratch.page);
		if (priv->slab)
			kmem_cache_destroy(priv->slab);
		kfree(priv);
	}
	if (m->dev)
		drm_dev_unref(m->dev);
	if (m->pdev)
		put_device(&m->pdev->dev);
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
	mutex_unlock(&m->dev->struct_mutex);
}

#include "i915_dkms_legacy_scenarios.h"

/* The 4.0/4.1 hazard: the object is active on the render ring through a VMA in
 * another address space, with a completed but unretired request; that VMA is
 * evicted (a waiting unbind, not the last VMA: no retire); the handles are closed,
 * so the active reference is the only one; the importer's context is destroyed and
 * the cleanup unbinds the last VMA without waiting. That unbind must not drop the
 * object (a retire there frees it under the unbind: KASAN use-after-free); the
 * retire path frees it later. */
static int run_hazard(struct mock *m)
{
	struct drm_file *exp = mock_file_open(m), *imp = mock_file_open(m);
	struct i915_hw_ppgtt *pe, *pi;
	struct drm_i915_gem_object *obj = NULL;
	struct i915_vma *ve = NULL, *vi = NULL;
	u32 eh = 0, ih = 0;
	bool ok = false;
	int ret = -ENOMEM;

	if (!exp || !imp)
		goto out;
	obj = mock_object(m, exp, &eh);
	if (!obj || drm_gem_handle_create(imp, &obj->base, &ih))
		goto out;
	mutex_lock(&m->dev->struct_mutex);
	pe = file_ppgtt(exp);
	pi = file_ppgtt(imp);
	if (pe && pi) {
		ve = mock_bind(obj, &pe->base);
		vi = mock_bind(obj, &pi->base);
	}
	ret = -ENOSPC;
	if (ve && vi && mock_activate(m, ve)) {
		m->hw_seqno = m->next_seqno;		/* completed, not retired */
		ret = i915_vma_unbind(ve);		/* eviction: waits, not the last VMA */
	}
	mutex_unlock(&m->dev->struct_mutex);
	if (ret)
		goto out;
	drm_gem_handle_delete(imp, ih);
	ih = 0;
	drm_gem_handle_delete(exp, eh);
	eh = 0;

	legacy_report("hazard begin");
	mock_file_close(m, imp, NULL, 0);	/* the cleanup's no-wait unbind */
	imp = NULL;
	mock_complete_and_retire(m);		/* frees the object */
	mutex_lock(&m->dev->struct_mutex);
	ok = list_empty(&m->priv->ring[RCS].active_list) &&
	     list_empty(&m->priv->ring[RCS].request_list) &&
	     list_empty(&m->priv->mm.bound_list);
	mutex_unlock(&m->dev->struct_mutex);
	legacy_report("hazard end checks=%s", ok ? "ok" : "fail");
out:
	if (imp)
		mock_file_close(m, imp, &ih, 1);
	if (exp)
		mock_file_close(m, exp, &eh, 1);
	return ret;
}

