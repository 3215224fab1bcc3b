/* SPDX-License-Identifier: GPL-2.0 */
/*
 * i915-vma-cleanup: the part of the legacy mock device every fix-mode design shares
 * (test-only). Included by src/selftests/i915_dkms_legacy_<design>.c after its
 * struct mock (pdev, dev, priv, ringbuf, hw_seqno, saved_ppgtt, saved_execlists are
 * the fields used here), before its mock_init()/mock_fini(), which add what differs:
 * the slabs, the GGTT as an address space, the ring's buffer, the seqno start.
 * Compiled once per design against that design's structures.
 */
#ifndef I915_DKMS_LEGACY_MOCK_H
#define I915_DKMS_LEGACY_MOCK_H

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

/* A fake PCI device with direct DMA (dma_map_* on x86 without an IOMMU), a drm_device
 * with GEM from drm_dev_alloc() (the object name idr, the mmap offset manager), the
 * dev_priv a driver load would allocate with gen8 device info (page tables in memory:
 * no GGTT-resident page directory as gen6/7's; not VLV/CHV; LLC: no clflush), the
 * lists i915_gem_load() initialises, the render ring with a seqno the test controls,
 * and full PPGTT without execlists (i915.enable_ppgtt=2 as the user would set it). */
static int mock_dev_init(struct mock *m)
{
	struct drm_i915_private *priv;
	struct intel_device_info *info;
	struct intel_engine_cs *ring;
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
	if (!m->dev)
		return -ENOMEM;
	m->dev->pdev = m->pdev;

	priv = kzalloc(sizeof(*priv), GFP_KERNEL);
	if (!priv)
		return -ENOMEM;
	m->priv = priv;
	priv->dev = m->dev;
	m->dev->dev_private = priv;

	info = (struct intel_device_info *)&priv->info;
	info->gen = 8;
	info->has_llc = 1;
	info->ring_mask = RENDER_RING;

	spin_lock_init(&priv->mm.object_stat_lock);
	INIT_LIST_HEAD(&priv->vm_list);
	INIT_LIST_HEAD(&priv->context_list);
	INIT_LIST_HEAD(&priv->mm.unbound_list);
	INIT_LIST_HEAD(&priv->mm.bound_list);
	INIT_LIST_HEAD(&priv->mm.fence_list);
	for (i = 0; i < I915_MAX_NUM_FENCES; i++)
		INIT_LIST_HEAD(&priv->fence_regs[i].lru_list);
	priv->mm.interruptible = true;

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

static void mock_dev_fini(struct mock *m)
{
	if (m->priv) {
		i915.enable_ppgtt = m->saved_ppgtt;
		i915.enable_execlists = m->saved_execlists;
		kfree(m->priv);
	}
	if (m->dev)
		drm_dev_unref(m->dev);
	if (m->pdev)
		put_device(&m->pdev->dev);
}

#ifdef MOCK_GGTT_SCRATCH
/* 3.18-4.1 (a design file defines MOCK_GGTT_SCRATCH): the GGTT as an address space (never bound here) with the scratch page
 * every PPGTT's unused PTEs point to; its size is each PPGTT's
 * (gen8_ppgtt_init(ppgtt, gtt.base.total)): 1 GiB, one page directory, 512 page
 * tables allocated with each context. (4.2+ PPGTTs have their own scratch.) */
static int mock_ggtt_scratch_init(struct mock *m)
{
	struct drm_i915_private *priv = m->priv;
	dma_addr_t addr;

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
	return 0;
}

static void mock_ggtt_scratch_fini(struct mock *m)
{
	struct drm_i915_private *priv = m->priv;

	if (priv->gtt.base.scratch.addr)
		dma_unmap_page(&m->pdev->dev, priv->gtt.base.scratch.addr,
			       PAGE_SIZE, DMA_BIDIRECTIONAL);
	if (priv->gtt.base.scratch.page)
		__free_page(priv->gtt.base.scratch.page);
}

/* the shared device, i915_gem_load()'s object slab and the GGTT scratch page */
static int mock_init_slab_scratch(struct mock *m)
{
	int ret = mock_dev_init(m);

	if (ret)
		return ret;
	m->priv->slab = kmem_cache_create("i915_dkms_mock_obj",
					  sizeof(struct drm_i915_gem_object), 0,
					  SLAB_HWCACHE_ALIGN, NULL);
	if (!m->priv->slab)
		return -ENOMEM;
	return mock_ggtt_scratch_init(m);
}

static void mock_fini(struct mock *m)
{
	if (m->priv) {
		mock_ggtt_scratch_fini(m);
		if (m->priv->slab)
			kmem_cache_destroy(m->priv->slab);
	}
	mock_dev_fini(m);
}
#endif

#endif /* I915_DKMS_LEGACY_MOCK_H */
