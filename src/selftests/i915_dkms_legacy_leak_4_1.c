// SPDX-License-Identifier: GPL-2.0
/*
 * i915-vma-cleanup: legacy mock selftest for the leak-4.1 design (4.0.y, 4.1.y).
 * Test-only: linked into the selftest and mutant variants alone
 * (compat/kbuild/i915.Kbuild), run on load with i915.dkms_legacy_selftest=1.
 * Scenarios and report lines: i915_dkms_legacy.h. Read side by side with
 * i915_dkms_legacy_leak_3_18.c: same scenarios, names and order. This mock submits
 * its requests through 4.1's own legacy ringbuffer path (i915_switch_context(),
 * intel_ring_begin() preallocating the request, __i915_add_request()), so each
 * request holds its context as on the real kernel (a
 * context dies inside request retirement, i915_gem_request_free()).
 *
 * The mock device is what this design's GEM code needs and nothing more: a fake PCI
 * device (direct DMA), a drm_device from drm_dev_alloc() with GEM, the lists, slab
 * and scratch page i915_gem_load()/i915_gem_gtt_init() would set up, the works and
 * workqueue __i915_add_request() queues on, gen8 device info
 * (in-memory page tables, LLC: no clflush), full PPGTT without execlists, and a
 * render ring with an empty ringbuffer and emitters that emit nothing, whose seqno
 * the test advances (requests complete when told).
 * Everything else is the kernel's own i915: i915_gem_open() (per-file default context
 * with its PPGTT), i915_gem_object_pin() (bind), i915_switch_context(),
 * intel_ring_begin(), i915_vma_move_to_active(), __i915_add_request() (the request,
 * its context reference, the client's request list), i915_vma_unbind(),
 * i915_gem_context_close() (the backported cleanup), i915_gem_release(),
 * i915_gem_retire_requests_ring() (i915_gem_request_free(), and the cleanup when the
 * last context reference goes there), i915_gem_free_object().
 *
 * Full PPGTT on the legacy ringbuffer is what 4.0/4.1 give gen7 and gen8 with
 * i915.enable_execlists=0 (sanitize_enable_ppgtt(): full PPGTT on gen8 needs
 * execlists only from 4.2 on). The scenarios then run again on a second device, gen8
 * with execlists, what 4.0/4.1 pick by default on gen8 (MOCK_EXECLISTS,
 * i915_dkms_legacy_execlists.h): the kernel's own ring and default-context setup,
 * execbuffer's execlists backend, the ELSP, the context-switch interrupt and
 * intel_execlists_retire_requests(), over a register file, an aperture BAR and a
 * command streamer the mock provides.
 */
#include <linux/dma-mapping.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/slab.h>

#include "i915_drv.h"
#include "dkms/i915_dkms.h"
#include "dkms/i915_dkms_legacy_probes.h"
#include "i915_dkms_legacy.h"

#ifndef I915_DKMS_HAVE_GEM_LAZY_REQUEST
#error "i915-vma-cleanup legacy mock: this i915 has no lazy-request submission (ring->outstanding_lazy_request, __i915_add_request(ring, file, obj)): the leak-4.1 mock does not know its submission API (dkms/i915_dkms_legacy_probes.log)"
#endif

struct mock {
	struct pci_dev *pdev;
	struct drm_device *dev;
	struct drm_i915_private *priv;
	struct intel_ringbuffer ringbuf;
	u32 hw_seqno;		/* seqnos are issued by i915_gem_get_seqno() */
	int saved_ppgtt, saved_execlists;
	bool saved_hangcheck;
	/* test-only: contexts freed inside i915_gem_retire_requests_ring() (by
	 * i915_gem_request_free() dropping the request's context reference) */
	unsigned int ctx_freed_in_retire;
	bool execlists;		/* the second device: gen8 with execlists */
	struct mock_gpu *gpu;	/* its hardware (i915_dkms_legacy_execlists.h) */
};

static u32 mock_last_seqno(struct mock *m)
{
	return m->priv->last_seqno;
}

#define MOCK_GGTT_SCRATCH	/* every PPGTT's unused PTEs point at the GGTT's scratch page */
#define MOCK_EXECLISTS		/* and a second device: gen8 with execlists */
#include "i915_dkms_legacy_mock.h"
#include "i915_dkms_legacy_execlists.h"

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

/* what 4.1 adds to the shared mock device: i915_gem_load()'s object slab, the GGTT
 * with its scratch page, the IRQ state request waits check, the first seqno, the
 * works __i915_add_request() queues, and the render ring's empty ringbuffer (its
 * requests' ringbuf, whose last_retired_head the retire updates) and emitters */
static int mock_init(struct mock *m)
{
	struct intel_engine_cs *ring;
	int ret = mock_init_slab_scratch(m);

	if (!ret)
		ret = mock_request_work_init(m);
	if (ret)
		return ret;
	m->priv->pm.irqs_enabled = true;	/* request waits check it; none sleeps here */
	if (m->execlists) {
		/* the kernel's own ring and default-context setup; its first request
		 * (the default context's render state) completes and retires */
		ret = mock_execlists_init(m);
		if (!ret)
			mock_complete_and_retire(m);
		return ret;
	}
	/* seqno 0 is "none": the first request would otherwise run
	 * i915_gem_init_seqno() (idle the rings, queue the idle work): what that leaves */
	m->priv->next_seqno = 1;
	ring = &m->priv->ring[RCS];
	ring->buffer = &m->ringbuf;
	ring->flush = mock_ring_flush;
	ring->add_request = mock_ring_add_request;
	return 0;
}

/* A batch executed by the client whose address space @vma is in, on the render ring,
 * as 4.0/4.1's execbuffer (i915_gem_ringbuffer_submission(), legacy ringbuffer) does
 * it, in the client's default context: mock_submit_lazy() (i915_dkms_legacy_mock.h),
 * the kernel's own lazy-request submission, whose request holds the context.
 * Called with struct_mutex held. */
static struct drm_i915_gem_request *mock_activate(struct mock *m, struct i915_vma *vma)
{
	struct drm_i915_file_private *file_priv = i915_vm_to_ppgtt(vma->vm)->file_priv;
	struct drm_i915_gem_request *req;
	struct intel_context *ctx;

	if (!file_priv)
		return NULL;
	ctx = i915_gem_context_get(file_priv, DEFAULT_CONTEXT_HANDLE);
	if (IS_ERR(ctx))
		return NULL;
	if (m->execlists)	/* execbuffer's execlists backend */
		return mock_submit_execlists(m, file_priv, ctx, vma);
	req = mock_submit_lazy(&m->priv->ring[RCS], file_priv, ctx, vma);
	if (req)
		mock_request_drop_context(req);		/* the mock mutant only */
	return req;
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

