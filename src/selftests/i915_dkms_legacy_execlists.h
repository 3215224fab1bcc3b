/* SPDX-License-Identifier: GPL-2.0 */
/*
 * i915-vma-cleanup: the execlists device of the legacy mocks (test-only): gen8
 * (Broadwell) full PPGTT with execlists, what 4.0-4.3 run on gen8 by default
 * (intel_sanitize_enable_execlists()) and, from 4.2, the only way they give gen8 full
 * PPGTT. Included by a design file that defines MOCK_EXECLISTS, after
 * i915_dkms_legacy_mock.h; its struct mock has the fields `bool execlists` and
 * `struct mock_gpu *gpu`. The driver's API differs between the releases and is taken
 * from the compile probes (src/selftests/probes/), never from a version number:
 * execbuffer's backend with its arguments or with 4.3's i915_execbuffer_params and
 * explicit request (probe execbuf_params), the default context's first request made
 * by i915_gem_init_hw() (4.3: probe context_enable_req) or by
 * i915_gem_context_enable() itself.
 *
 * Everything the driver does is the kernel's own code, run as i915_gem_init() and
 * i915_gem_init_hw() run it: i915_gem_context_init() (the global default context and
 * its PPGTT), intel_logical_rings_init() (the render ring's vfuncs, the default
 * context's state object and ring buffer pinned in the GGTT, its status page, the
 * pipe-control scratch page, the seqno set near the wrap), i915_ppgtt_init_hw(), the
 * ring's init_hw() (gen8_init_render_ring(): the workaround list),
 * i915_gem_context_enable() (the default context's workarounds and render state, a
 * request; on 4.3 in the request i915_gem_init_hw() allocates, with
 * i915_ppgtt_init_ring()); execbuffer's backend intel_execlists_submission() for
 * every batch (on 4.3 after i915_gem_request_alloc() and
 * i915_gem_request_add_to_client(), as i915_gem_do_execbuffer()), after what i915_gem_validate_context()
 * does for a context's first batch (intel_lr_context_deferred_create(): state object,
 * ring buffer, register state, its own workarounds and render-state request); the
 * requests (each holds its context and pins it), execlists_context_queue(), the ELSP
 * writes, intel_lrc_irq_handler() on the context-switch interrupt, and the retire:
 * i915_gem_retire_requests() (request list, then intel_execlists_retire_requests()),
 * where contexts die; at the end i915_gem_cleanup_ringbuffer() (intel_logical_ring_cleanup())
 * and i915_gem_context_fini().
 *
 * What the mock fakes is the hardware behind it:
 *  - MMIO: a register file in memory (dev_priv->uncore.funcs; no forcewake, which
 *    the kernel skips without force_wake_get); RING_MI_MODE reads idle;
 *  - the GGTT: Broadwell's PTEs in memory (gsm, as the gen7 mock's), the kernel's
 *    drm_mm and binding code; the PTE writer is the mock's (the kernel's
 *    gen8_ggtt_insert_entries() is static, installed by the GGTT probe of a real BAR),
 *    and so, from 4.2, is the GGTT's bind_vma/unbind_vma (ggtt_bind_vma(), static);
 *  - the aperture the kernel ioremap_wc()s ring buffers through: a PCI BAR of memory
 *    (QEMU's ivshmem-plain, tests/vm/run-vm --aperture); the CPU's ring writes land
 *    there untranslated, and nothing executes them;
 *  - the command streamer: an ELSP port pair. A submission loads the two elements
 *    the driver wrote (their last request's seqno read from the execlist queue the
 *    driver holds locked while it writes). 4.0/4.1 write the ELSP with I915_WRITE(),
 *    which reaches the register functions; 4.2/4.3's execlists_elsp_write() writes it
 *    raw (I915_WRITE_FW(): writel() to dev_priv->regs, no function sees it), so there
 *    the register keeps what was written last (element 0's lower descriptor dword,
 *    valid bit set) and the mock reads it whenever it gets control back from the
 *    driver (after a submission and after each interrupt): the elements are then the
 *    two requests at the head of the execlist queue, as execlists_context_unqueue()
 *    leaves them, and element 0's context must be the one the register names;
 *    mock_gpu_complete() stores a seqno in the
 *    status page (the breadcrumb), completes the elements it covers and posts the
 *    context-status events the hardware posts (element switch, active to idle, and
 *    the lite-restore preemption when the driver resubmits the running context),
 *    then raises the context-switch interrupt: intel_lrc_irq_handler() runs in hard
 *    interrupt context (irq_work), as from gen8_gt_irq_handler();
 *  - the reset 4.3's i915_gem_cleanup_ringbuffer() asks for under execlists: the
 *    engine's RESET_CTL handshake, and the full reset (GEN6_GDRST, written raw)
 *    completed by a work of the mock's, as the hardware clears the bit.
 */
#ifndef I915_DKMS_LEGACY_EXECLISTS_H
#define I915_DKMS_LEGACY_EXECLISTS_H

#include <linux/irq_work.h>
#include <linux/vmalloc.h>

#define MOCK_REGS_SIZE		(2 << 20)	/* Broadwell's MMIO BAR: 2 MiB of registers */
#define MOCK_GGTT_SIZE		(1ULL << 30)	/* and each PPGTT's size on 4.0/4.1 gen8 */
/* the context-status event bits (intel_lrc.c's GEN8_CTX_STATUS_*, private there) */
#define MOCK_CSB_PREEMPTED	(1 << 1)
#define MOCK_CSB_ELEMENT_SWITCH	(1 << 2)
#define MOCK_CSB_ACTIVE_IDLE	(1 << 3)
#define MOCK_CSB_COMPLETE	(1 << 4)
#define MOCK_CSB_LITE_RESTORE	(1 << 15)
#define MOCK_CSB_ENTRIES	6
#define MOCK_APERTURE_VENDOR	0x1af4	/* QEMU ivshmem-plain: BAR 2 is memory */
#define MOCK_APERTURE_DEVICE	0x1110

struct mock_port {
	u32 ctx_id;	/* the descriptor's upper dword: intel_execlists_ctx_id() */
	u32 seqno;	/* the seqno of the element's last request */
};

struct mock_gpu {
	struct mock *m;
	u32 *regs;
	struct pci_dev *aperture;
	bool aperture_enabled;
	struct mock_port port[2];	/* port[0] runs */
	int nports;
	u32 elsp[4];
	int nelsp;
	u32 csb_wp;		/* the write pointer the hardware advances */
	unsigned int events, irqs, lite_restores, elsp_submits, resets, reset_polls;
	struct irq_work irq;
	struct delayed_work reset;	/* 4.3+: the full reset completing (GEN6_GDRST) */
};

static u32 *mock_reg(off_t offset)
{
	return &the_mock->gpu->regs[(offset & (MOCK_REGS_SIZE - 1)) >> 2];
}

/* post one context-status event (the hardware's CSB write, then its write pointer) */
static void mock_csb_post(struct mock *m, u32 status, u32 ctx_id)
{
	struct intel_engine_cs *ring = &m->priv->ring[RCS];
	u32 wp = (m->gpu->csb_wp + 1) % MOCK_CSB_ENTRIES;
	u32 ptr = RING_CONTEXT_STATUS_PTR(ring);

	*mock_reg(RING_CONTEXT_STATUS_BUF(ring) + wp * 8) = status;
	*mock_reg(RING_CONTEXT_STATUS_BUF(ring) + wp * 8 + 4) = ctx_id;
	m->gpu->csb_wp = wp;
	*mock_reg(ptr) = (*mock_reg(ptr) & ~0x7) | wp;
	m->gpu->events++;
}

/* events posted and not yet read by the driver (its read pointer: the ring's) */
static bool mock_csb_pending(struct mock *m)
{
	return m->gpu->csb_wp != m->priv->ring[RCS].next_context_status_buffer;
}

/* the seqno of @n-th request of the execlist queue, which the driver holds locked
 * while it writes the ELSP (execlists_context_unqueue()) */
static u32 mock_queue_seqno(struct intel_engine_cs *ring, int n)
{
	struct drm_i915_gem_request *req;

	int i = 0;

	list_for_each_entry(req, &ring->execlist_queue, execlist_link)
		if (i++ == n)
			return req->seqno;
	WARN(1, "i915_dkms_legacy: ELSP element %d without a queued request\n", n);
	return 0;
}

/* the hardware loads @n elements: if a context is running (the driver resubmitted it
 * with one more request: execlists_context_unqueue() after an element completed), it
 * is a lite restore, the preemption event for the running element first */
static void mock_elsp_load(struct mock *m, const struct mock_port *p, int n)
{
	struct mock_gpu *g = m->gpu;

	if (g->nports) {
		WARN(g->port[0].ctx_id != p[0].ctx_id,
		     "i915_dkms_legacy: ELSP written with another context running\n");
		mock_csb_post(m, MOCK_CSB_PREEMPTED | MOCK_CSB_LITE_RESTORE, g->port[0].ctx_id);
		g->lite_restores++;
		irq_work_queue(&g->irq);
	}
	g->port[0] = p[0];
	if (n == 2)
		g->port[1] = p[1];
	g->nports = n;
	g->elsp_submits++;
}

/* 4.0/4.1 (I915_WRITE): the fourth ELSP dword loads the two elements (element 1's
 * descriptor first) */
static void mock_elsp_write(struct mock *m, u32 val)
{
	struct intel_engine_cs *ring = &m->priv->ring[RCS];
	struct mock_gpu *g = m->gpu;
	struct mock_port p[2];
	int n;

	assert_spin_locked(&ring->execlist_lock);
	g->elsp[g->nelsp++] = val;
	if (g->nelsp < 4)
		return;
	g->nelsp = 0;
	p[0].ctx_id = g->elsp[2];
	p[0].seqno = mock_queue_seqno(ring, 0);
	n = 1;
	if (g->elsp[0] || g->elsp[1]) {
		p[1].ctx_id = g->elsp[0];
		p[1].seqno = mock_queue_seqno(ring, 1);
		n = 2;
	}
	mock_elsp_load(m, p, n);
}

/* 4.2/4.3 (I915_WRITE_FW, raw): the register holds the last dword written (element 0's
 * lower descriptor: the context's GGTT address, whose page number is its ID, and the
 * valid bit) or 0, the mock's mark that it has read it. The elements are the head of
 * the execlist queue and the request after it when the driver counted that one as
 * submitted too (execlists_context_unqueue() merges a context's requests into its last
 * one, submits the head and the next context's and counts both in elsp_submitted; a
 * request queued after the write has 0). Called with the execlist lock. */
static void mock_elsp_poll(struct mock *m)
{
	struct intel_engine_cs *ring = &m->priv->ring[RCS];
	u32 *elsp = mock_reg(RING_ELSP(ring));
	struct drm_i915_gem_request *req;
	struct mock_port p[2];
	int n = 0;

	assert_spin_locked(&ring->execlist_lock);
	if (!*elsp)
		return;
	list_for_each_entry(req, &ring->execlist_queue, execlist_link) {
		if (!req->elsp_submitted)	/* queued after the write */
			break;
		p[n].ctx_id = intel_execlists_ctx_id(req->ctx->engine[RCS].state);
		p[n].seqno = req->seqno;
		if (++n == 2)
			break;
	}
	WARN(!n || p[0].ctx_id != *elsp >> 12,
	     "i915_dkms_legacy: ELSP written (%08x) for a context not at the queue's head\n", *elsp);
	*elsp = 0;
	if (n)
		mock_elsp_load(m, p, n);
}

#ifdef RING_RESET_CTL
/* 4.3+: the reset i915_gem_cleanup_ringbuffer() does under execlists (intel_gpu_reset(),
 * gen8_do_reset()): the engine's RESET_CTL, a masked register whose READY_TO_RESET
 * follows REQUEST_RESET (the engine is idle), then the full reset: GEN6_GDRST written
 * raw (gen6_do_reset(), no function sees it), which the hardware clears when the reset
 * is done; the mock's hardware does that from a work that looks every jiffy */
static void mock_gdrst_work(struct work_struct *work)
{
	struct mock_gpu *g = container_of(work, struct mock_gpu, reset.work);
	u32 *gdrst = &g->regs[GEN6_GDRST >> 2];

	if (*gdrst & GEN6_GRDOM_FULL) {
		*gdrst &= ~GEN6_GRDOM_FULL;
		g->resets++;
	} else if (g->reset_polls++ < 1000) {
		schedule_delayed_work(&g->reset, 1);
	}
}

static void mock_reset_ctl_write(struct mock *m, off_t off, u32 val)
{
	u32 *r = mock_reg(off), mask = val >> 16;

	*r = (*r & ~mask) | (val & mask & 0xffff);
	if (*r & RESET_CTL_REQUEST_RESET) {
		*r |= RESET_CTL_READY_TO_RESET;
		m->gpu->reset_polls = 0;
		schedule_delayed_work(&m->gpu->reset, 1);
	} else {
		*r &= ~RESET_CTL_READY_TO_RESET;
	}
}
#endif

static u8 mock_readb(struct drm_i915_private *p, off_t off, bool trace)
{
	return *((u8 *)the_mock->gpu->regs + (off & (MOCK_REGS_SIZE - 1)));
}

static u16 mock_readw(struct drm_i915_private *p, off_t off, bool trace)
{
	return *(u16 *)((u8 *)the_mock->gpu->regs + (off & (MOCK_REGS_SIZE - 2)));
}

static u32 mock_readl(struct drm_i915_private *p, off_t off, bool trace)
{
	u32 v = *mock_reg(off);

	if (off == RING_MI_MODE(p->ring[RCS].mmio_base))
		v |= MODE_IDLE;		/* the command streamer is idle when asked */
	return v;
}

static u64 mock_readq(struct drm_i915_private *p, off_t off, bool trace)
{
	return (u64)mock_readl(p, off + 4, trace) << 32 | mock_readl(p, off, trace);
}

static void mock_writeb(struct drm_i915_private *p, off_t off, u8 val, bool trace)
{
	*((u8 *)the_mock->gpu->regs + (off & (MOCK_REGS_SIZE - 1))) = val;
}

static void mock_writew(struct drm_i915_private *p, off_t off, u16 val, bool trace)
{
	*(u16 *)((u8 *)the_mock->gpu->regs + (off & (MOCK_REGS_SIZE - 2))) = val;
}

static void mock_writel(struct drm_i915_private *p, off_t off, u32 val, bool trace)
{
	struct intel_engine_cs *ring = &p->ring[RCS];

	if (ring->mmio_base && off == RING_ELSP(ring)) {
		mock_elsp_write(the_mock, val);
#ifdef RING_RESET_CTL
	} else if (ring->mmio_base && off == RING_RESET_CTL(ring->mmio_base)) {
		mock_reset_ctl_write(the_mock, off, val);
#endif
	} else if (ring->mmio_base && off == RING_CONTEXT_STATUS_PTR(ring)) {
		/* the driver writes its read pointer; the write pointer is the hardware's */
		*mock_reg(off) = (val & ~0x7) | the_mock->gpu->csb_wp;
	} else {
		*mock_reg(off) = val;
	}
}

static void mock_writeq(struct drm_i915_private *p, off_t off, u64 val, bool trace)
{
	mock_writel(p, off, (u32)val, trace);
	mock_writel(p, off + 4, val >> 32, trace);
}

/* the context-switch interrupt: gen8_gt_irq_handler() calls this for the render
 * ring's GT_CONTEXT_SWITCH_INTERRUPT, in hard interrupt context */
static void mock_csb_irq(struct irq_work *work)
{
	struct mock *m = container_of(work, struct mock_gpu, irq)->m;

	m->gpu->irqs++;
	intel_lrc_irq_handler(&m->priv->ring[RCS]);
}

/* Broadwell's GGTT PTE (gen8_pte_encode(): present, writable, the cached PPAT index
 * for LLC levels) for every page of @st at @start, in the PTE array */
static void mock_gen8_ggtt_insert_entries(struct i915_address_space *vm, struct sg_table *st,
					  uint64_t start, enum i915_cache_level level, u32 flags)
{
	u64 *pte = (u64 __force *)((struct drm_i915_private *)vm->dev->dev_private)->gtt.gsm + (start >> PAGE_SHIFT);
	struct sg_page_iter it;

	for_each_sg_page(st->sgl, &it, st->nents, 0)
		*pte++ = (sg_dma_address(it.sg) + (it.sg_pgoffset << PAGE_SHIFT)) |
			 _PAGE_PRESENT | _PAGE_RW |
			 (level == I915_CACHE_NONE ? PPAT_UNCACHED_INDEX : PPAT_CACHED_INDEX);
}

/* gen8_ggtt_clear_range(): the scratch page's PTE (3.18-4.2: the GGTT's scratch page,
 * probe vm_scratch_addr; 4.3's GGTT scratch page comes from the GGTT probe the mock
 * has not run: not present) */
static void mock_gen8_ggtt_clear_range(struct i915_address_space *vm, uint64_t start,
				       uint64_t length, bool use_scratch)
{
	u64 *pte = (u64 __force *)((struct drm_i915_private *)vm->dev->dev_private)->gtt.gsm + (start >> PAGE_SHIFT);
	u64 n = length >> PAGE_SHIFT;

	while (n--)
#ifdef I915_DKMS_HAVE_VM_SCRATCH_ADDR
		*pte++ = vm->scratch.addr | _PAGE_PRESENT | _PAGE_RW | PPAT_CACHED_INDEX;
#else
		*pte++ = 0;
#endif
}

#ifdef I915_DKMS_HAVE_VM_BIND_VMA
/* 4.2+ (probe vm_bind_vma): the GGTT binds its VMAs through the address space's
 * bind_vma/unbind_vma, which i915_gem_gtt_init() sets to ggtt_bind_vma() and
 * ggtt_unbind_vma() (static) after the GGTT probe the mock has not run. The same
 * steps for what the device binds (the normal view, no aliasing PPGTT: the device
 * has full PPGTT): the view's pages are the object's (i915_get_ggtt_vma_pages()), the
 * PTEs written (GLOBAL_BIND), and cleared on unbind. */
static int mock_ggtt_bind_vma(struct i915_vma *vma, enum i915_cache_level level, u32 flags)
{
	if (WARN_ON(vma->ggtt_view.type != I915_GGTT_VIEW_NORMAL))
		return -EINVAL;
	vma->ggtt_view.pages = vma->obj->pages;
	vma->vm->insert_entries(vma->vm, vma->ggtt_view.pages, vma->node.start, level, 0);
	vma->bound |= GLOBAL_BIND;
	return 0;
}

static void mock_ggtt_unbind_vma(struct i915_vma *vma)
{
	if (vma->bound & GLOBAL_BIND)
		vma->vm->clear_range(vma->vm, vma->node.start,
				     min_t(u64, vma->obj->base.size, vma->node.size), true);
}
#endif

/* the hardware behind the driver: registers, the GGTT's PTEs and drm_mm, the
 * aperture BAR; then what i915_gem_init() sets for execlists (dev_priv->gt) */
static int mock_execlists_hw_init(struct mock *m)
{
	struct drm_i915_private *priv = m->priv;
	struct intel_uncore_funcs *f = &priv->uncore.funcs;
	struct pci_dev *ap;

	m->gpu = kzalloc(sizeof(*m->gpu), GFP_KERNEL);
	if (!m->gpu)
		return -ENOMEM;
	m->gpu->m = m;
	m->gpu->regs = vzalloc(MOCK_REGS_SIZE);
	if (!m->gpu->regs)
		return -ENOMEM;
	priv->regs = (void __iomem __force *)m->gpu->regs;
	f->mmio_readb = mock_readb;
	f->mmio_readw = mock_readw;
	f->mmio_readl = mock_readl;
	f->mmio_readq = mock_readq;
	f->mmio_writeb = mock_writeb;
	f->mmio_writew = mock_writew;
	f->mmio_writel = mock_writel;
	f->mmio_writeq = mock_writeq;
	spin_lock_init(&priv->uncore.lock);
	init_irq_work(&m->gpu->irq, mock_csb_irq);
#ifdef RING_RESET_CTL
	INIT_DELAYED_WORK(&m->gpu->reset, mock_gdrst_work);
#endif

	ap = pci_get_device(MOCK_APERTURE_VENDOR, MOCK_APERTURE_DEVICE, NULL);
	if (!ap) {
		legacy_report("execlists device: no aperture (QEMU ivshmem-plain, tests/vm/run-vm --aperture)");
		return -ENODEV;
	}
	m->gpu->aperture = ap;
	if (pci_enable_device_mem(ap))
		return -ENODEV;
	m->gpu->aperture_enabled = true;
	priv->gtt.mappable_base = pci_resource_start(ap, 2);
	priv->gtt.mappable_end = min_t(u64, pci_resource_len(ap, 2), MOCK_GGTT_SIZE);

	priv->gtt.base.total = MOCK_GGTT_SIZE;
	priv->gtt.base.start = 0;
	priv->gtt.gsm = (void __iomem __force *)vzalloc((MOCK_GGTT_SIZE >> PAGE_SHIFT) * sizeof(u64));
	if (!priv->gtt.gsm)
		return -ENOMEM;
	priv->gtt.base.insert_entries = mock_gen8_ggtt_insert_entries;
	priv->gtt.base.clear_range = mock_gen8_ggtt_clear_range;
#ifdef I915_DKMS_HAVE_VM_BIND_VMA
	priv->gtt.base.bind_vma = mock_ggtt_bind_vma;
	priv->gtt.base.unbind_vma = mock_ggtt_unbind_vma;
#endif
	/* i915_gem_setup_global_gtt(): the range less the guard page */
	drm_mm_init(&priv->gtt.base.mm, 0, MOCK_GGTT_SIZE - PAGE_SIZE);

	/* execbuffer's backend (gt.do_execbuf, from 4.2 gt.execbuf_submit) is
	 * intel_execlists_submission(), which mock_submit_execlists() calls */
	priv->gt.init_rings = intel_logical_rings_init;
	priv->gt.cleanup_ring = intel_logical_ring_cleanup;
	priv->gt.stop_ring = intel_logical_ring_stop;
	return 0;
}

static void mock_execlists_hw_fini(struct mock *m)
{
	struct drm_i915_private *priv = m->priv;

	if (m->gpu->regs) {
		irq_work_sync(&m->gpu->irq);
#ifdef RING_RESET_CTL
		cancel_delayed_work_sync(&m->gpu->reset);
#endif
	}
	if (priv && priv->gtt.gsm) {
		drm_mm_takedown(&priv->gtt.base.mm);	/* WARNs when a node is left */
		vfree((void __force *)priv->gtt.gsm);
		priv->gtt.gsm = NULL;
	}
	if (m->gpu->aperture_enabled)
		pci_disable_device(m->gpu->aperture);
	pci_dev_put(m->gpu->aperture);
	vfree(m->gpu->regs);
	kfree(m->gpu);
	m->gpu = NULL;
}

/* The hardware reaches @seqno: the breadcrumb in the status page (a seqno it has
 * reached already: the elements the driver loaded meanwhile), then every element
 * whose last request it covers completes, in order (element switch while the other
 * element is loaded, active to idle after the last), and the interrupt is raised
 * until the driver has read every event; each resubmission it makes from the handler
 * is loaded (and may complete at once). Process context, struct_mutex not needed. */
static void mock_gpu_complete(struct mock *m, u32 seqno)
{
	struct intel_engine_cs *ring = &m->priv->ring[RCS];
	struct mock_gpu *g = m->gpu;
	unsigned long flags;
	bool raise;

	intel_write_status_page(ring, I915_GEM_HWS_INDEX, seqno);
	do {
		spin_lock_irqsave(&ring->execlist_lock, flags);
		mock_elsp_poll(m);	/* 4.2/4.3: what the last interrupt resubmitted */
		while (g->nports && i915_seqno_passed(seqno, g->port[0].seqno)) {
			if (g->nports == 2) {
				mock_csb_post(m, MOCK_CSB_COMPLETE | MOCK_CSB_ELEMENT_SWITCH,
					      g->port[0].ctx_id);
				g->port[0] = g->port[1];
			} else {
				mock_csb_post(m, MOCK_CSB_COMPLETE | MOCK_CSB_ACTIVE_IDLE,
					      g->port[0].ctx_id);
			}
			g->nports--;
		}
		raise = mock_csb_pending(m);
		spin_unlock_irqrestore(&ring->execlist_lock, flags);
		if (raise) {
			irq_work_queue(&g->irq);
			irq_work_sync(&g->irq);
		}
	} while (raise);
}

/* i915_gem_init() and i915_gem_init_hw() for the render ring, with execlists */
static int mock_execlists_init(struct mock *m)
{
	struct drm_i915_private *priv = m->priv;
	struct intel_engine_cs *ring = &priv->ring[RCS];
#ifdef I915_DKMS_HAVE_CONTEXT_ENABLE_REQ
	struct drm_i915_gem_request *req;
#endif
	int ret;

	i915.enable_execlists = 1;
	ret = mock_execlists_hw_init(m);
	if (ret)
		return ret;
	mutex_lock(&m->dev->struct_mutex);
	ret = i915_gem_context_init(m->dev);
	if (!ret)
		ret = priv->gt.init_rings(m->dev);
	if (!ret)
		ret = i915_ppgtt_init_hw(m->dev);
	if (!ret)
		ret = ring->init_hw(ring);
#ifdef I915_DKMS_HAVE_CONTEXT_ENABLE_REQ
	/* 4.3: the ring's first request, in the default context */
	if (!ret)
		ret = i915_gem_request_alloc(ring, ring->default_context, &req);
	if (!ret) {
		ret = i915_ppgtt_init_ring(req);
		if (!ret)
			ret = i915_gem_context_enable(req);
		if (ret)
			i915_gem_request_cancel(req);
		else
			i915_add_request_no_flush(req);
	}
#else
	if (!ret)
		ret = i915_gem_context_enable(priv);
#endif
	mutex_unlock(&m->dev->struct_mutex);
	return ret;
}

/* i915_driver_unload()'s GEM part, every request retired: the rings, then the
 * default context (intel_lr_context_free(): its state and ring buffer unpinned) */
static void mock_execlists_fini(struct mock *m)
{
	if (!m->gpu)
		return;
	if (!m->priv || !m->gpu->regs)
		goto hw;
	mutex_lock(&m->dev->struct_mutex);
	if (m->priv->ring[RCS].default_context) {
		i915_gem_cleanup_ringbuffer(m->dev);
		i915_gem_context_fini(m->dev);
	}
	mutex_unlock(&m->dev->struct_mutex);
	legacy_report("execlists device: elsp_submits=%u csb_events=%u irqs=%u lite_restores=%u resets=%u",
		      m->gpu->elsp_submits, m->gpu->events, m->gpu->irqs, m->gpu->lite_restores,
		      m->gpu->resets);
hw:
	mock_execlists_hw_fini(m);
}

/* A batch of the client @file_priv in its context @ctx, reading @vma, through
 * execbuffer's execlists backend: what i915_gem_do_execbuffer() does around it
 * (i915_gem_validate_context(): the context's LRC state on its first batch; the
 * object reserved (pinned) with the domains relocation processing gives a read-only
 * object, in the execbuffer's vma list; on 4.3 the context reference execbuffer holds
 * while it builds the request, i915_gem_request_alloc() (the request's own context
 * reference, the context pinned) and i915_gem_request_add_to_client()), then
 * intel_execlists_submission(): the cache flush, MI_BATCH_BUFFER_START, the VMA moved
 * to the active list and i915_gem_execbuffer_retire_commands() (__i915_add_request():
 * gen8_emit_request(), execlists_context_queue()). The request holds the context.
 * The mock then reads the ELSP (4.2/4.3) and raises the interrupt for what that
 * posted. Called with struct_mutex held. */
static struct drm_i915_gem_request *
mock_submit_execlists(struct mock *m, struct drm_i915_file_private *file_priv,
		      struct intel_context *ctx, struct i915_vma *vma)
{
	struct intel_engine_cs *ring = &m->priv->ring[RCS];
	struct drm_i915_gem_execbuffer2 args = { .flags = I915_EXEC_RENDER };
	struct drm_i915_gem_exec_object2 entry = {};
	struct drm_i915_gem_request *req = NULL;
	LIST_HEAD(vmas);
	int ret;

	if (!ctx->engine[RCS].state && intel_lr_context_deferred_create(ctx, ring))
		return NULL;
	vma->pin_count++;
	vma->exec_entry = &entry;
	list_add_tail(&vma->exec_list, &vmas);
	vma->obj->base.pending_read_domains = I915_GEM_DOMAIN_RENDER | I915_GEM_DOMAIN_COMMAND;
	vma->obj->base.pending_write_domain = 0;
#ifdef I915_DKMS_HAVE_EXECBUF_PARAMS
	{
		struct i915_execbuffer_params params = {
			.dev = m->dev, .file = file_priv->file, .ring = ring, .ctx = ctx,
			.batch_obj = vma->obj, .batch_obj_vm_offset = vma->node.start,
		};

		i915_gem_context_reference(ctx);
		ret = i915_gem_request_alloc(ring, ctx, &params.request);
		if (!ret)
			ret = i915_gem_request_add_to_client(params.request, file_priv->file);
		if (!ret)
			ret = intel_execlists_submission(&params, &args, &vmas);
		i915_gem_context_unreference(ctx);	/* the request owns the ref now */
		if (ret && params.request)
			i915_gem_request_cancel(params.request);
		req = ret ? NULL : params.request;
	}
#else
	ret = intel_execlists_submission(m->dev, file_priv->file, ring, ctx, &args, &vmas,
					 vma->obj, vma->node.start, 0);
	if (!ret && !list_empty(&ring->request_list))
		req = list_last_entry(&ring->request_list, struct drm_i915_gem_request, list);
#endif
	list_del_init(&vma->exec_list);
	vma->exec_entry = NULL;
	vma->pin_count--;
	if (req)	/* the ELSP write, if the queue was empty; nothing completes */
		mock_gpu_complete(m, intel_read_status_page(ring, I915_GEM_HWS_INDEX));
	return req;
}

#endif /* I915_DKMS_LEGACY_EXECLISTS_H */
