/* SPDX-License-Identifier: GPL-2.0 */
/*
 * i915-vma-cleanup: the part of the legacy mock device every fix-mode design shares
 * (test-only). Included by src/selftests/i915_dkms_legacy_<design>.c after its
 * struct mock (pdev, dev, priv, ringbuf, hw_seqno, saved_ppgtt, saved_execlists,
 * ctx_freed_in_retire and saved_hangcheck are the fields used
 * here) and mock_last_seqno() (the seqno of the last request submitted), before its
 * mock_init()/mock_fini(), which add what differs: the slabs, the GGTT as an address
 * space, the ring's buffer and emitters, the seqno start.
 * Compiled once per design against that design's structures.
 */
#ifndef I915_DKMS_LEGACY_MOCK_H
#define I915_DKMS_LEGACY_MOCK_H

/* what src/selftests/probes/ found in this i915 (prepare-tree, test variants) */
#include "dkms/i915_dkms_legacy_probes.h"

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
 * no GGTT-resident page directory as gen6/7's; not VLV/CHV; LLC: no clflush; a design
 * file with MOCK_GEN7_PPGTT makes it an Ivybridge in mock_ggtt_scratch_init()), the
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

/* Every design: what the kernel's own
 * __i915_add_request() touches after queueing a request, which a driver load sets up
 * (i915_gem_load(), i915_driver_load()): the hangcheck (off: i915.enable_hangcheck=0
 * for the run, as a user can set it), the retire and idle works and the driver's
 * workqueue (the mock's works do nothing: retiring is the test's, through
 * mock_complete_and_retire()), and the busy marking (mm.busy already set: no runtime
 * PM or RPS, which the mock has none of). m->saved_hangcheck is the design's field. */
static void mock_no_work(struct work_struct *work)
{
}

static int mock_request_work_init(struct mock *m)
{
	struct drm_i915_private *priv = m->priv;

	INIT_DELAYED_WORK(&priv->mm.retire_work, mock_no_work);
	INIT_DELAYED_WORK(&priv->mm.idle_work, mock_no_work);
	priv->wq = alloc_ordered_workqueue("i915-dkms-mock", 0);
	if (!priv->wq)
		return -ENOMEM;
	m->saved_hangcheck = i915.enable_hangcheck;
	i915.enable_hangcheck = false;
	priv->mm.busy = true;
	return 0;
}

static void mock_request_work_fini(struct mock *m)
{
	struct drm_i915_private *priv = m->priv;

	if (!priv || !priv->wq)
		return;
	cancel_delayed_work_sync(&priv->mm.retire_work);
	cancel_delayed_work_sync(&priv->mm.idle_work);
	destroy_workqueue(priv->wq);
	priv->wq = NULL;
	i915.enable_hangcheck = m->saved_hangcheck;
}

/* Requests hold their context as on the real kernel: what the scenarios read of that
 * (every design's mock). */

/* the contexts alive (each one leaves dev_priv->context_list in
 * i915_gem_context_free(); nothing in the retire creates one) */
static unsigned int mock_context_count(struct mock *m)
{
	struct intel_context *ctx;
	unsigned int n = 0;

	list_for_each_entry(ctx, &m->priv->context_list, link)
		n++;
	return n;
}

/* the hardware completes every request up to @seqno, and the kernel retires
 * (i915_gem_retire_requests_ring(): completed objects to the inactive lists first,
 * then the requests freed, each dropping its context reference); the contexts that
 * died in there are counted (test-only: m->ctx_freed_in_retire) */
#ifdef MOCK_EXECLISTS
/* the execlists device (i915_dkms_legacy_execlists.h, after this file) */
static void mock_gpu_complete(struct mock *m, u32 seqno);
static void mock_execlists_fini(struct mock *m);
#endif

/* the hardware completes every request up to @seqno; nothing is retired */
static void mock_set_seqno(struct mock *m, u32 seqno)
{
	m->hw_seqno = seqno;
#ifdef MOCK_EXECLISTS
	if (m->execlists)
		mock_gpu_complete(m, seqno);	/* the breadcrumb, the context switches */
#endif
}

static void mock_complete_and_retire_to(struct mock *m, u32 seqno)
{
	unsigned int before;

	mock_set_seqno(m, seqno);
#ifdef MOCK_EXECLISTS
	if (m->execlists) {
		/* the device-wide retire, as the retire work runs it: the request list,
		 * then intel_execlists_retire_requests() (and, patched in, the package's
		 * completion after the ring walk) */
		mutex_lock(&m->dev->struct_mutex);
		before = mock_context_count(m);
		i915_gem_retire_requests(m->dev);
		m->ctx_freed_in_retire += before - mock_context_count(m);
		mutex_unlock(&m->dev->struct_mutex);
		return;
	}
#endif
	mutex_lock(&m->dev->struct_mutex);
	before = mock_context_count(m);
	i915_gem_retire_requests_ring(&m->priv->ring[RCS]);
	m->ctx_freed_in_retire += before - mock_context_count(m);
#ifdef I915_DKMS_RETIRE_CLOSED_VMS
	/* then what i915_gem_retire_requests() runs after every ring's walk: the
	 * package's completion (patches/leak-<design>/0004), the kernel's code as
	 * patched. The mock calls the one ring's retire and this itself: its ring has no
	 * ring buffer object (intel_ring_initialized() is false), its device no idle work. */
	i915_gem_retire_closed_vms(m->dev);
#endif
	mutex_unlock(&m->dev->struct_mutex);
}

/* everything submitted completes and retires (mock_last_seqno(): the design's) */
static void mock_complete_and_retire(struct mock *m)
{
	mock_complete_and_retire_to(m, mock_last_seqno(m));
}

/* at the end, with every request retired: what i915_gem_context_fini() drops, the
 * ring's reference to the last context that ran on it */
static void mock_ring_fini(struct mock *m)
{
	struct intel_engine_cs *ring;

	if (!m->priv)
		return;
	ring = &m->priv->ring[RCS];
	mutex_lock(&m->dev->struct_mutex);
	if (ring->last_context)
		i915_gem_context_unreference(ring->last_context);
	ring->last_context = NULL;
	mutex_unlock(&m->dev->struct_mutex);
}

/* Test-only mutant (I915_DKMS_LEGACY_MOCK_NO_CTX_REF, a selftest build made by
 * tests/legacy/check-legacy): a queued request gives its context reference back at
 * once, as the mocks of this package did before issue 19; contexts then never die
 * inside retirement (ctx_freed_in_retire=0), which is how the counter is shown to
 * measure the reference. The ring's reference keeps the context alive here. */
static void mock_request_drop_context(struct drm_i915_gem_request *req)
{
#ifdef I915_DKMS_LEGACY_MOCK_NO_CTX_REF
	if (req->ctx) {
		i915_gem_context_unreference(req->ctx);
		req->ctx = NULL;
	}
#endif
}

#ifdef I915_DKMS_HAVE_GEM_LAZY_REQUEST
/* A batch of the client @file_priv in its context @ctx, reading @vma, submitted as
 * 4.0-4.2's execbuffer does on the legacy ring buffer, with the kernel's own code:
 * i915_switch_context() to the context (the ring takes a reference to it and drops
 * the one to the context it ran before), intel_ring_begin(), which preallocates the
 * request and its seqno (ring->outstanding_lazy_request), @vma moved to the active
 * list under it (i915_vma_move_to_active: active reference, last_read_req), then
 * i915_gem_execbuffer_retire_commands(): __i915_add_request(ring, file, obj), which
 * queues the request with the ring's current context (request->ctx and
 * i915_gem_context_reference()) and on the client's request list.
 * i915_gem_request_free(), when the retire drops the request, drops that reference:
 * a context whose last reference is a request's dies inside retirement.
 * Called with struct_mutex held. */
static struct drm_i915_gem_request *
mock_submit_lazy(struct intel_engine_cs *ring, struct drm_i915_file_private *file_priv,
		 struct intel_context *ctx, struct i915_vma *vma)
{
	struct drm_i915_gem_request *req;

	if (i915_switch_context(ring, ctx) || intel_ring_begin(ring, 0))
		return NULL;
	req = ring->outstanding_lazy_request;
	/* the domains execbuffer gives an object the batch only reads */
	vma->obj->base.read_domains = I915_GEM_DOMAIN_RENDER;
	vma->obj->base.write_domain = 0;
	i915_vma_move_to_active(vma, ring);
	ring->gpu_caches_dirty = true;
	if (__i915_add_request(ring, file_priv->file, vma->obj))
		return NULL;	/* cannot happen with the mock's emitters */
	return req;
}
#endif

/* the GGTT as an address space, never bound here (no drm_mm): what 3.18-4.3's
 * i915_init_vm() and 4.4's i915_address_space_init() (i915_gem_gtt_init()) set up
 * besides the drm_mm; i915_is_ggtt() compares against it */
static void mock_ggtt_vm_init(struct mock *m)
{
	struct drm_i915_private *priv = m->priv;

	priv->gtt.base.dev = m->dev;
	INIT_LIST_HEAD(&priv->gtt.base.active_list);
	INIT_LIST_HEAD(&priv->gtt.base.inactive_list);
	list_add_tail(&priv->gtt.base.global_link, &priv->vm_list);
}

#ifdef MOCK_GEN7_PPGTT
/* gen7 (Ivybridge) full PPGTT on the ring buffer (a design file defines MOCK_GEN7_PPGTT):
 * what 3.18/3.19 grant full PPGTT to, and what 4.2-4.4 allow it on without execlists.
 * Each PPGTT's page directory is 512 GGTT PTEs carved out of the GGTT's address space
 * (gen6_ppgtt_allocate_page_directories(): a 2 MiB drm_mm node, top down) and written
 * through the GGTT's PTE mapping (dev_priv->gtt.gsm: gen6_write_pdes(), from 4.2
 * gen6_write_pde()); a leaked PPGTT keeps that node, the symptom gen7 machines show.
 * Here the GGTT is Ivybridge's 2 GiB with its drm_mm, and its PTEs are memory instead
 * of the GSM BAR: the kernel's own code allocates, writes and frees the page
 * directories; mock_gen7_ggtt_fini() takes the drm_mm down, which WARNs when a node
 * (a page directory) is left. */
typedef __typeof__(((struct i915_address_space *)0)->pte_encode(0, I915_CACHE_NONE, false, 0)) mock_pte_t;

/* The GGTT's PTE encoder of Ivybridge: the kernel's is ivb_pte_encode(), static in
 * i915_gem_gtt.c and installed by the GGTT probe (gen6_gmch_probe(), which maps the
 * PCI BAR the mock has not); the same bits, from the same macros. Each gen7 PPGTT
 * copies it (gen6_ppgtt_init(): ppgtt->base.pte_encode) for its own PTEs. */
static mock_pte_t mock_ivb_pte_encode(dma_addr_t addr, enum i915_cache_level level,
				      bool valid, u32 unused)
{
	mock_pte_t pte = valid ? GEN6_PTE_VALID : 0;

	pte |= GEN6_PTE_ADDR_ENCODE(addr);
	switch (level) {
	case I915_CACHE_L3_LLC:
		pte |= GEN7_PTE_CACHE_L3_LLC;
		break;
	case I915_CACHE_LLC:
		pte |= GEN6_PTE_CACHE_LLC;
		break;
	default:
		pte |= GEN6_PTE_UNCACHED;
		break;
	}
	return pte;
}

static int mock_gen7_ggtt_init(struct mock *m)
{
	struct drm_i915_private *priv = m->priv;
	struct intel_device_info *info = (struct intel_device_info *)&priv->info;

	info->gen = 7;
	info->is_ivybridge = 1;
	priv->gtt.base.total = 2ULL << 30;
	priv->gtt.mappable_end = 256 << 20;
	priv->gtt.base.pte_encode = mock_ivb_pte_encode;
	priv->gtt.gsm = (void __iomem __force *)vzalloc((priv->gtt.base.total >> PAGE_SHIFT) *
							sizeof(mock_pte_t));
	if (!priv->gtt.gsm)
		return -ENOMEM;
	drm_mm_init(&priv->gtt.base.mm, 0, priv->gtt.base.total);
	return 0;
}

static void mock_gen7_ggtt_fini(struct mock *m)
{
	struct drm_i915_private *priv = m->priv;

	if (!priv || !priv->gtt.gsm)
		return;
	drm_mm_takedown(&priv->gtt.base.mm);	/* WARNs when a page directory is left */
	vfree((void __force *)priv->gtt.gsm);
	priv->gtt.gsm = NULL;
}
#endif

#ifdef I915_DKMS_HAVE_VM_SCRATCH_ADDR
/* 3.18-4.2 (probe vm_scratch_addr): every PPGTT's unused PTEs point at the GGTT's
 * scratch page (__hw_ppgtt_init() copies dev_priv->gtt.base.scratch into each PPGTT),
 * which i915_gem_gtt_init() allocates; 4.3+ PPGTTs have their own. */
static int mock_ggtt_scratch_page_init(struct mock *m)
{
	struct drm_i915_private *priv = m->priv;
	dma_addr_t addr;

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

static void mock_ggtt_scratch_page_fini(struct mock *m)
{
	struct drm_i915_private *priv = m->priv;

	if (!priv)
		return;
	if (priv->gtt.base.scratch.addr)
		dma_unmap_page(&m->pdev->dev, priv->gtt.base.scratch.addr,
			       PAGE_SIZE, DMA_BIDIRECTIONAL);
	if (priv->gtt.base.scratch.page)
		__free_page(priv->gtt.base.scratch.page);
	priv->gtt.base.scratch.addr = 0;
	priv->gtt.base.scratch.page = NULL;
}
#elif defined(MOCK_GGTT_SCRATCH)
#error "i915-vma-cleanup legacy mock: this design's mock needs the GGTT's scratch page, which this i915's address spaces do not have (vm->scratch.addr; dkms/i915_dkms_legacy_probes.log)"
#endif

#ifdef MOCK_GGTT_SCRATCH
/* 3.18-4.1 (a design file defines MOCK_GGTT_SCRATCH): the GGTT as an address space
 * (never bound here) with the scratch page every PPGTT's unused PTEs point to; on gen8
 * (4.0/4.1) its size is each PPGTT's (gen8_ppgtt_init(ppgtt, gtt.base.total)): 1 GiB,
 * one page directory, 512 page tables allocated with each context; on gen7
 * (MOCK_GEN7_PPGTT, 3.18/3.19) Ivybridge's, above. */
static int mock_ggtt_scratch_init(struct mock *m)
{
	mock_ggtt_vm_init(m);
#ifdef MOCK_GEN7_PPGTT
	if (mock_gen7_ggtt_init(m))
		return -ENOMEM;
#else
	m->priv->gtt.base.total = 1ULL << 30;
#endif
	return mock_ggtt_scratch_page_init(m);
}

static void mock_ggtt_scratch_fini(struct mock *m)
{
#ifdef MOCK_GEN7_PPGTT
	mock_gen7_ggtt_fini(m);
#endif
	mock_ggtt_scratch_page_fini(m);
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
#ifdef MOCK_EXECLISTS
	mock_execlists_fini(m);	/* the rings and the default context, while GEM is up */
#endif
	mock_request_work_fini(m);
	if (m->priv) {
		mock_ggtt_scratch_fini(m);
		if (m->priv->slab)
			kmem_cache_destroy(m->priv->slab);
	}
	mock_dev_fini(m);
}
#endif

#endif /* I915_DKMS_LEGACY_MOCK_H */
