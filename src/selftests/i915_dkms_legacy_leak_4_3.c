// SPDX-License-Identifier: GPL-2.0
/*
 * i915-vma-cleanup: legacy mock selftest for the leak-4.3 design (4.2.y, 4.3.y).
 * Test-only: linked into the selftest and mutant variants alone
 * (compat/kbuild/i915.Kbuild), run on load with i915.dkms_legacy_selftest=1.
 * Scenarios and report lines: i915_dkms_legacy.h. Written to read side by side with
 * i915_dkms_legacy_leak_4_1.c: same scenarios, names and order; what differs is
 * what 4.2/4.3's GEM code differs in. This mock submits its requests through the
 * kernel's own legacy ringbuffer path, so a context dies inside request retirement as
 * on the real kernel: 4.3's explicit requests (i915_gem_request_alloc(), which takes
 * the request's context reference, i915_switch_context(req), __i915_add_request(req))
 * or 4.2's lazy request (intel_ring_begin() allocates ring->outstanding_lazy_request,
 * __i915_add_request(ring, file, obj) takes the context reference), as the compile
 * probes of src/selftests/probes/ found this i915 (dkms/i915_dkms_legacy_probes.h,
 * written by prepare-tree for the test variants): the API, never a version number.
 *
 * The mock device is what this design's GEM code needs and nothing more: a fake PCI
 * device (direct DMA), a drm_device from drm_dev_alloc() with GEM, the slabs
 * (objects, vmas, requests), lists and GGTT i915_gem_load() and i915_gem_gtt_init()
 * would set up (Ivybridge's 2 GiB GGTT with its drm_mm, the PTEs in memory instead of
 * the GSM BAR: mock_gen7_ggtt_init(); on 4.2 the GGTT's scratch page, which every PPGTT's
 * unused PTEs point at, probe vm_scratch_addr; 4.3+ PPGTTs have their own),
 * the works and workqueue __i915_add_request() queues on, Ivybridge device info
 * (gen7, LLC: no clflush), full PPGTT without execlists (legacy ringbuffer requests),
 * and a render ring with an empty ringbuffer and emitters that emit nothing, whose
 * seqno the test advances (requests complete when told).
 * Everything else is the kernel's own i915: i915_gem_open() (per-file default context
 * with its PPGTT: gen6_ppgtt_init(), its scratch, the page directory's GGTT node),
 * i915_gem_object_pin(PIN_USER) (bind: gen6_alloc_va_range() writing the PDEs,
 * gen6_ppgtt_insert_entries()), i915_gem_request_alloc()
 * (4.3) or intel_ring_begin() (4.2), i915_gem_request_add_to_client() (4.3),
 * i915_switch_context(), i915_vma_move_to_active(), __i915_add_request(), i915_gem_context_close() (the backported cleanup),
 * i915_gem_retire_requests_ring() (i915_gem_request_retire(), per-ring
 * i915_gem_object_retire__read(), i915_gem_request_free() dropping the context
 * reference), i915_gem_free_object(), i915_ppgtt_release() (gen6_ppgtt_cleanup():
 * the page directory's node back).
 *
 * 4.2/4.3 give gen8 full PPGTT only with execlists (sanitize_enable_ppgtt()); full
 * PPGTT on the legacy ringbuffer is gen7's (i915.enable_ppgtt=2 on Ivybridge and
 * Haswell), which this mock runs first. The scenarios then run again on a second
 * device, gen8 with execlists (MOCK_EXECLISTS, i915_dkms_legacy_execlists.h): the
 * kernel's own ring and default-context setup, execbuffer's execlists backend, the
 * ELSP, the context-switch interrupt and intel_execlists_retire_requests(), over a
 * register file, an aperture BAR and a command streamer the mock provides. Not
 * mocked: the HW context image on the ring buffer (the gen7 contexts are the "fake"
 * kind: i915_switch_context() does not reach do_switch() and its mm_switch ring
 * commands) and the GGTT probe (its PTE encoder is re-stated); docs/legacy-kernels.md
 * lists what stays unproven.
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
#include "dkms/i915_dkms_legacy_probes.h"
#include "i915_dkms_legacy.h"

#if !defined(I915_DKMS_HAVE_GEM_REQUEST_ALLOC_OUT) && !defined(I915_DKMS_HAVE_GEM_LAZY_REQUEST)
#error "i915-vma-cleanup legacy mock: this i915 submits requests neither as 4.3 (i915_gem_request_alloc(ring, ctx, &req)) nor as 4.2 (ring->outstanding_lazy_request): the mock does not know its submission API (dkms/i915_dkms_legacy_probes.log says what the probes found)"
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

#define MOCK_GEN7_PPGTT		/* gen7 (Ivybridge) full PPGTT: page directories in the GGTT */
#ifndef MOCK_NO_EXECLISTS	/* (ctx-clean's 4.4 includes this mock without it) */
#define MOCK_EXECLISTS		/* and a second device: gen8 with execlists */
#endif
#include "i915_dkms_legacy_mock.h"
#ifdef MOCK_EXECLISTS
#include "i915_dkms_legacy_execlists.h"
#endif

/* The ring's two emitters __i915_add_request() calls: the flush execbuffer asks for
 * (ring->gpu_caches_dirty) and the breadcrumb (ring->add_request: seqno store and
 * user interrupt). The mock ring executes nothing: the test sets its seqno. */
#ifdef I915_DKMS_HAVE_RING_EMIT_REQUEST
static int mock_ring_flush(struct drm_i915_gem_request *req, u32 invalidate, u32 flush)
{
	return 0;
}

static int mock_ring_add_request(struct drm_i915_gem_request *req)
{
	return 0;
}
#else	/* 4.2: the emitters take the ring */
static int mock_ring_flush(struct intel_engine_cs *ring, u32 invalidate, u32 flush)
{
	return 0;
}

static int mock_ring_add_request(struct intel_engine_cs *ring)
{
	return 0;
}
#endif

/* what 4.3 adds to the shared mock device: i915_gem_load()'s three slabs (objects,
 * VMAs for i915_gem_vma_create, requests), the IRQ state request waits check, the
 * first seqno, the GGTT as an address space (no scratch on 4.3: its PPGTTs have their
 * own), and an empty legacy ringbuffer with room; or, for the second device, gen8
 * with execlists: the kernel's own ring and default-context setup, whose first
 * requests complete and retire */
static int mock_init(struct mock *m)
{
	struct drm_i915_private *priv;
	int ret = mock_dev_init(m);

	if (ret)
		return ret;
	priv = m->priv;
	priv->objects = kmem_cache_create("i915_dkms_mock_obj",
					  sizeof(struct drm_i915_gem_object), 0,
					  SLAB_HWCACHE_ALIGN, NULL);
	priv->vmas = kmem_cache_create("i915_dkms_mock_vma",
				       sizeof(struct i915_vma), 0,
				       SLAB_HWCACHE_ALIGN, NULL);
	priv->requests = kmem_cache_create("i915_dkms_mock_req",
					   sizeof(struct drm_i915_gem_request), 0,
					   SLAB_HWCACHE_ALIGN, NULL);
	if (!priv->objects || !priv->vmas || !priv->requests)
		return -ENOMEM;
	ret = mock_request_work_init(m);
	if (ret)
		return ret;
	priv->pm.irqs_enabled = true;	/* request waits check it; none sleeps here */
	/* seqno 0 is "none": the first request would otherwise run
	 * i915_gem_init_seqno() (idle the rings, queue the idle work): what that leaves */
	priv->next_seqno = 1;

	mock_ggtt_vm_init(m);
#ifdef MOCK_EXECLISTS
	if (m->execlists) {
#ifdef I915_DKMS_HAVE_VM_SCRATCH_ADDR
		ret = mock_ggtt_scratch_page_init(m);	/* 4.2: every PPGTT points at it */
		if (ret)
			return ret;
#endif
		ret = mock_execlists_init(m);
		if (!ret)
			mock_complete_and_retire(m);
		return ret;
	}
#endif
	ret = mock_gen7_ggtt_init(m);
#ifdef I915_DKMS_HAVE_VM_SCRATCH_ADDR
	/* 4.2: the PPGTTs' unused PTEs point at the GGTT's scratch page (4.3+: their own) */
	if (!ret)
		ret = mock_ggtt_scratch_page_init(m);
#endif
	if (ret)
		return ret;

	/* so that the request's ring reservation (4.3: i915_gem_request_alloc()'s
	 * intel_ring_begin(req, 0); 4.2: intel_ring_begin(ring, 0)) neither waits nor
	 * wraps; nothing is ever emitted */
	priv->ring[RCS].buffer = &m->ringbuf;
	priv->ring[RCS].flush = mock_ring_flush;
	priv->ring[RCS].add_request = mock_ring_add_request;
	m->ringbuf.size = 32 * PAGE_SIZE;
	m->ringbuf.effective_size = m->ringbuf.size;
	m->ringbuf.space = m->ringbuf.size;
	return 0;
}

static void mock_fini(struct mock *m)
{
	struct drm_i915_private *priv = m->priv;

#ifdef MOCK_EXECLISTS
	mock_execlists_fini(m);	/* the rings and the default context, while GEM is up */
#endif
	mock_request_work_fini(m);
	mock_gen7_ggtt_fini(m);
#ifdef I915_DKMS_HAVE_VM_SCRATCH_ADDR
	mock_ggtt_scratch_page_fini(m);
#endif
	if (priv) {
		if (priv->requests)
			kmem_cache_destroy(priv->requests);
		if (priv->vmas)
			kmem_cache_destroy(priv->vmas);
		if (priv->objects)
			kmem_cache_destroy(priv->objects);
	}
	mock_dev_fini(m);
}

/* A batch executed by the client whose address space @vma is in, on the render ring,
 * as 4.3's execbuffer (i915_gem_do_execbuffer(), legacy ringbuffer submission) does
 * it (4.2's, below), with the kernel's own code: i915_gem_request_alloc() in the client's default
 * context (the request takes a reference to it; its seqno; the ring space reserved
 * for the request's own commands), i915_gem_request_add_to_client(),
 * i915_switch_context() (the ring takes a reference to the context and drops the one
 * to the context it ran before), @vma moved to the active list under the request
 * (i915_vma_move_to_active: obj->active |= the ring, last_read_req[RCS], active
 * reference), then i915_gem_execbuffer_retire_commands(): __i915_add_request(req,
 * obj, true), which queues it. i915_gem_request_free(), when the retire drops the
 * request, drops its context reference: a context whose last reference is a
 * request's dies inside retirement. Called with struct_mutex held. */
static struct drm_i915_gem_request *mock_activate(struct mock *m, struct i915_vma *vma)
{
	struct intel_engine_cs *ring = &m->priv->ring[RCS];
	struct drm_i915_file_private *file_priv = i915_vm_to_ppgtt(vma->vm)->file_priv;
	struct drm_i915_gem_request *req;
	struct intel_context *ctx;

	if (!file_priv)
		return NULL;
	ctx = i915_gem_context_get(file_priv, DEFAULT_CONTEXT_HANDLE);
	if (IS_ERR(ctx))
		return NULL;
#ifdef MOCK_EXECLISTS
	if (m->execlists)	/* execbuffer's execlists backend */
		return mock_submit_execlists(m, file_priv, ctx, vma);
#endif
#ifdef I915_DKMS_HAVE_GEM_REQUEST_ALLOC_OUT
	if (i915_gem_request_alloc(ring, ctx, &req))
		return NULL;
	if (i915_gem_request_add_to_client(req, file_priv->file) ||
	    i915_switch_context(req)) {
		i915_gem_request_cancel(req);
		return NULL;
	}
	/* the domains execbuffer gives an object the batch only reads */
	vma->obj->base.read_domains = I915_GEM_DOMAIN_RENDER;
	vma->obj->base.write_domain = 0;
	i915_vma_move_to_active(vma, req);
	ring->gpu_caches_dirty = true;
	__i915_add_request(req, vma->obj, true);
#else	/* 4.2: the lazy request, as 4.0/4.1 (i915_dkms_legacy_mock.h) */
	req = mock_submit_lazy(ring, file_priv, ctx, vma);
	if (!req)
		return NULL;
#endif
	mock_request_drop_context(req);		/* the mock mutant only */
	return req;
}

#include "i915_dkms_legacy_scenarios.h"

/* The 4.0/4.1 hazard, as far as 4.3 can reach it. On 4.1: the object is active on
 * the render ring through a VMA in another address space, with a completed but
 * unretired request; that VMA is evicted (a waiting unbind, not the last VMA: no
 * retire); the handles are closed, so the active reference is the only one; the
 * importer's context is destroyed and the cleanup unbinds the last VMA without
 * waiting; a retire in that unbind frees the object under it.
 *
 * 4.2/4.3's i915_vma_unbind() has no retire of its own, but its wait retires:
 * i915_gem_object_wait_rendering() retires each read request it waited for
 * (i915_gem_object_retire__read(), which drops the active reference with the last
 * ring), completed or not. So the eviction step cannot leave the object active
 * here: a waiting unbind of ve makes it idle and the shape is gone. Nor can ve go
 * any other way: on 4.3 a VMA leaves its VM's active list only when its object is
 * retired, and the cleanup walks inactive lists only, so an active object keeps the
 * VMA that made it active and the importer's VMA cannot be its last one.
 *
 * What 4.3 can reach, and this builds: the object active through ve (exporter's
 * PPGTT) with a completed, unretired request; vi idle on the importer's inactive
 * list (i915_vma_move_to_active() moves ve alone); the handles closed, so the
 * active reference is the only one; the importer's context destroyed: the cleanup
 * unbinds vi without waiting while nothing but the active reference holds the
 * object. With 0001 the no-wait path neither waits nor retires: the object is still
 * active after it, and the retire path frees it later (its free unbinds ve). Any
 * retire on the no-wait path (a wait, which on 4.3 retires: the waiting cleanup of
 * upstream's v1/v2, or an explicit retire or unreference) frees the object inside
 * that unbind, which goes on with the freed VMA and object: KASAN use-after-free
 * between the markers. The shape itself is checked before them, and the unbind the
 * hazard relies on after it: the cleanup unbound vi (the package's counter: one VMA,
 * none in the mutant, which skips the cleanup). */
static int run_hazard(struct mock *m)
{
	const bool cleanup = i915_dkms_cleanup_enabled();
	struct hazard h = {};
	unsigned long reclaimed;
	bool shape, held, unbound;
	int ret = hazard_setup(m, &h);

	if (ret)
		goto out;
	mutex_unlock(&m->dev->struct_mutex);	/* no eviction of ve: it would retire */
	hazard_close_handles(&h);

	/* the shape: active on the render ring alone, its request completed and still
	 * queued (not retired), the active reference the only one, vi idle */
	mutex_lock(&m->dev->struct_mutex);
	shape = h.obj->active == intel_ring_flag(&m->priv->ring[RCS]) &&
		h.obj->last_read_req[RCS] == h.req && !list_empty(&h.req->list) &&
		i915_gem_request_completed(h.req, true) &&
		atomic_read(&h.obj->base.refcount.refcount) == 1 &&
		list_empty(&h.pi->base.active_list) && !list_empty(&h.vi->mm_list);
	mutex_unlock(&m->dev->struct_mutex);

	reclaimed = vmas_reclaimed();
	hazard_cleanup(m, &h);			/* the cleanup's no-wait unbind of vi */
	unbound = vmas_reclaimed() - reclaimed == (cleanup ? 1 : 0);
	mutex_lock(&m->dev->struct_mutex);
	held = h.obj->active;			/* not retired by that unbind */
	mutex_unlock(&m->dev->struct_mutex);
	legacy_report("hazard end checks=%s",
		      hazard_retired(m) && shape && held && unbound ? "ok" : "fail");
out:
	hazard_fini(m, &h);
	return ret;
}

