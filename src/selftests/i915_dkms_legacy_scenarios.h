/* SPDX-License-Identifier: GPL-2.0 */
/*
 * i915-vma-cleanup: the scenarios of the legacy mock selftests, the same for every
 * fix-mode design (test-only). Included by src/selftests/i915_dkms_legacy_<design>.c
 * after it defined, against its own i915:
 *   struct mock (dev, priv, hw_seqno, ...), the_mock, mock_init(), mock_fini(),
 *   mock_activate() (a request on the render ring with a VMA active under it) and
 *   mock_complete_and_retire();
 * and before its run_hazard() (the hazard differs per design). The code below is
 * compiled once per design against that design's structures: the names it uses are
 * the same in 3.18, 4.1 and 4.3.
 *
 * Every design's mock submits requests as its kernel does, each holding its context
 * (3.18 and 4.1: __i915_add_request() takes the ring's current context; 4.3:
 * i915_gem_request_alloc()), and defines mock_last_seqno(); the shared mock device
 * (i915_dkms_legacy_mock.h) gives mock_complete_and_retire_to() (complete up to a
 * seqno, then retire), mock_ring_fini() (the ring's last-context reference, dropped at
 * the end) and counts the contexts that died inside the retire
 * (m->ctx_freed_in_retire). The scenarios are production's: the flink-and-exit rounds
 * submit the importer's batch and its context dies inside retirement, and
 * busy_elsewhere has the shared object kept busy by another client when the
 * importer's context dies. (Before issue 19 the mocks' requests held no context and a
 * scenario freed a context under its own outstanding request, active_at_free: a shape
 * no real kernel has.)
 */
#ifndef I915_DKMS_LEGACY_SCENARIOS_H
#define I915_DKMS_LEGACY_SCENARIOS_H

#include <linux/sort.h>

/* a client: what open() of the device node does (per-file default context, PPGTT) */
static struct drm_file *mock_file_open(struct mock *m)
{
	struct drm_file *file = kzalloc(sizeof(*file), GFP_KERNEL);

	if (!file)
		return NULL;
	idr_init(&file->object_idr);
	spin_lock_init(&file->table_lock);
	file->filp = (struct file *)file;	/* a key for drm_vma_node_allow() only */
	if (i915_gem_open(m->dev, file)) {
		kfree(file);
		return NULL;
	}
	return file;
}

/* what close() of the last fd does, in drm_release()'s order: preclose (contexts:
 * i915_driver_preclose() without the modeset part the mock has none of; on 4.3 a
 * context still referenced by a request outlives this and goes when the request is
 * freed), the handles (drm_gem_release()), postclose */
static void mock_file_close(struct mock *m, struct drm_file *file, u32 *handles, int n)
{
	int i;

	mutex_lock(&m->dev->struct_mutex);
	i915_gem_context_close(m->dev, file);
	i915_gem_release(m->dev, file);
	mutex_unlock(&m->dev->struct_mutex);
	for (i = 0; i < n; i++)
		if (handles[i])
			drm_gem_handle_delete(file, handles[i]);
	idr_destroy(&file->object_idr);
	kfree(file->driver_priv);
	kfree(file);
}

static struct i915_hw_ppgtt *file_ppgtt(struct drm_file *file)
{
	struct intel_context *ctx =
		i915_gem_context_get(file->driver_priv, DEFAULT_CONTEXT_HANDLE);

	return IS_ERR_OR_NULL(ctx) ? NULL : ctx->ppgtt;
}

/* a new object, one handle in @file (the exporter's, as GEM_CREATE leaves it) */
static struct drm_i915_gem_object *mock_object(struct mock *m, struct drm_file *file,
					       u32 *handle)
{
	struct drm_i915_gem_object *obj = i915_gem_alloc_object(m->dev, PAGE_SIZE);

	if (!obj)
		return NULL;
	if (drm_gem_handle_create(file, &obj->base, handle)) {
		drm_gem_object_unreference_unlocked(&obj->base);
		return NULL;
	}
	drm_gem_object_unreference_unlocked(&obj->base);
	return obj;
}

/* bind as execbuffer does (pin in a PPGTT, then unpin): a VMA on vm's inactive list.
 * 4.2+ say PIN_USER for a PPGTT bind (4.3's i915_vma_bind warns on none); before,
 * a PPGTT pin takes no flags. */
#ifdef PIN_USER
#define MOCK_PIN_FLAGS PIN_USER
#else
#define MOCK_PIN_FLAGS 0
#endif
static struct i915_vma *mock_bind(struct drm_i915_gem_object *obj,
				  struct i915_address_space *vm)
{
	struct i915_vma *vma;

	if (i915_gem_object_pin(obj, vm, 0, MOCK_PIN_FLAGS))
		return NULL;
	vma = i915_gem_obj_to_vma(obj, vm);
	if (vma)
		vma->pin_count--;
	return vma;
}

static int obj_vmas_in(struct drm_i915_gem_object *obj, struct i915_address_space *vm)
{
	struct i915_vma *vma;
	int n = 0;

	list_for_each_entry(vma, &obj->vma_list, vma_link)
		n += vma->vm == vm;	/* pointer compare only: vm may be freed */
	return n;
}

static bool vm_alive(struct mock *m, struct i915_address_space *vm)
{
	struct i915_address_space *v;

	list_for_each_entry(v, &m->priv->vm_list, global_link)
		if (v == vm)
			return true;
	return false;
}

/* The importer of a new object of the exporter @exp (which keeps its handle in
 * *@exp_handle): a new client, *@imp, opened by its flink name (its own handle in
 * *@imp_handle). 0, or an error; *@imp is NULL only when the client could not be
 * opened (else the caller closes it). */
static int mock_import(struct mock *m, struct drm_file *exp, u32 *exp_handle,
		       struct drm_file **imp, struct drm_i915_gem_object **obj,
		       u32 *imp_handle)
{
	*imp = mock_file_open(m);
	if (!*imp)
		return -ENOMEM;
	*obj = mock_object(m, exp, exp_handle);
	if (!*obj)
		return -ENOMEM;
	/* flink + open: the importer's own handle on the same object */
	return drm_gem_handle_create(*imp, &(*obj)->base, imp_handle);
}

/* another client's batch: an object of its own, bound in its address space */
static struct i915_vma *mock_client_batch(struct mock *m, struct drm_file *file, u32 *handle)
{
	struct drm_i915_gem_object *obj = mock_object(m, file, handle);
	struct i915_hw_ppgtt *ppgtt;
	struct i915_vma *vma = NULL;

	if (!obj)
		return NULL;
	mutex_lock(&m->dev->struct_mutex);
	ppgtt = file_ppgtt(file);
	if (ppgtt)
		vma = mock_bind(obj, &ppgtt->base);
	mutex_unlock(&m->dev->struct_mutex);
	return vma;
}

static unsigned int mock_contexts(struct mock *m)
{
	unsigned int n;

	mutex_lock(&m->dev->struct_mutex);
	n = mock_context_count(m);
	mutex_unlock(&m->dev->struct_mutex);
	return n;
}

/* One round, with requests that hold their context; the exporter (@exp) keeps its
 * handle to the end.
 * flink-and-exit (!@busy), as IGT's flink-and-exit-vma-leak runs it: the importer
 * executes a batch with the shared object (its request holds its context) and exits;
 * another client (the exporter) executes a batch of its own (@exp_batch), so the ring
 * drops its reference to the importer's context; both complete, and the retire moves
 * the object to the inactive lists, then frees the importer's request and with it
 * the context, whose cleanup finds the importer's VMA idle.
 * busy_elsewhere (@busy): the exporter (a compositor) executes a batch with the shared
 * object too, through its own VMA, after the importer's; the importer exits; its
 * request completes and retires, its context dies inside that retire while the
 * object is still busy with the compositor's request (the importer's VMA is still on
 * its address space's active list, which the 4.4 cleanup does not walk); then the
 * compositor's request completes and retires and the object goes idle. A round leaks
 * when a VMA of the object is left in the importer's address space, or that space is
 * still on dev_priv->vm_list. @busy_at_free counts the rounds in which the importer's
 * context was gone while the object was still active (the scenario's shape). */
static int leak_round(struct mock *m, struct drm_file *exp, u32 *exp_handle,
		      struct i915_vma *exp_batch, bool busy, int *leaked, int *freed,
		      int *busy_at_free)
{
	struct drm_i915_gem_request *rq = NULL;
	struct drm_i915_gem_object *obj = NULL;
	struct i915_hw_ppgtt *ppgtt, *pe;
	struct i915_address_space *vm;
	struct i915_vma *vi = NULL, *ve = NULL;
	struct drm_file *imp;
	unsigned int contexts;
	u32 imp_handle = 0, imp_seqno = 0;
	int ret;

	ret = mock_import(m, exp, exp_handle, &imp, &obj, &imp_handle);
	if (!imp)
		return ret;
	if (ret)
		goto close;

	mutex_lock(&m->dev->struct_mutex);
	ppgtt = file_ppgtt(imp);
	pe = file_ppgtt(exp);
	ret = -ENOSPC;
	if (ppgtt && pe) {
		vi = mock_bind(obj, &ppgtt->base);
		ve = busy ? mock_bind(obj, &pe->base) : exp_batch;
	}
	if (vi && ve) {
		ret = -ENOMEM;
		rq = mock_activate(m, vi);		/* the importer's batch */
		if (rq) {
			imp_seqno = rq->seqno;
			/* the other client's batch: the shared object (busy) or its own */
			ret = mock_activate(m, ve) ? 0 : -ENOMEM;
		}
	}
	mutex_unlock(&m->dev->struct_mutex);
	if (ret)
		goto close;
	vm = &ppgtt->base;

	/* the importer exits: its context's handle goes, then its object handle; the
	 * context lives on in its request (and, in the mutant, dies here) */
	contexts = mock_contexts(m);
	mock_file_close(m, imp, &imp_handle, 1);
	if (busy) {
		mock_complete_and_retire_to(m, imp_seqno);	/* the importer's request */
		mutex_lock(&m->dev->struct_mutex);
		*busy_at_free += mock_context_count(m) == contexts - 1 && obj->active;
		mutex_unlock(&m->dev->struct_mutex);
	}
	mock_complete_and_retire(m);	/* everything: the object goes idle */

	mutex_lock(&m->dev->struct_mutex);
	*leaked += obj_vmas_in(obj, vm) > 0 || vm_alive(m, vm);
	*freed += !vm_alive(m, vm);
	mutex_unlock(&m->dev->struct_mutex);
	return 0;

close:
	mock_file_close(m, imp, &imp_handle, 1);
	mock_complete_and_retire(m);
	return ret;
}

/* flink-and-exit (!@busy) or busy_elsewhere (@busy) rounds; the exporter's last
 * handle is its own batch */
static int run_leak(struct mock *m, bool busy, int rounds)
{
	u32 *handles = kcalloc(rounds + 1, sizeof(*handles), GFP_KERNEL);
	struct drm_file *exp = mock_file_open(m);
	struct i915_vma *batch = NULL;
	int i = 0, leaked = 0, freed = 0, busy_at_free = 0, ret = -ENOMEM;

	if (handles && exp)
		batch = mock_client_batch(m, exp, &handles[rounds]);
	if (batch) {
		for (ret = 0; i < rounds && !ret; i++)
			ret = leak_round(m, exp, &handles[i], batch, busy, &leaked, &freed,
					 &busy_at_free);
		if (busy)
			legacy_report("busy_elsewhere rounds=%d leaked=%d busy_at_free=%d", i,
				      leaked, busy_at_free);
		else
			legacy_report("leak rounds=%d leaked=%d vm_freed=%d", i, leaked, freed);
	}
	if (exp)	/* the exporter exits: its objects go, and any VMA left with them */
		mock_file_close(m, exp, handles, handles ? rounds + 1 : 0);
	kfree(handles);
	return ret;
}

/* Benchmark: one importer context with @n bound VMAs destroyed; the time is that of
 * the cleanup walk itself (test-only timing between the seam that starts it and
 * i915_dkms_context_cleaned() or i915_dkms_cleanup_timer_stop(), src/i915_dkms_main.c),
 * not of the context's whole teardown (the PPGTT's page tables cost the same for any n). */
static int bench_once(struct mock *m, struct drm_file *exp, int n, u64 *ns)
{
	u32 *eh = kcalloc(n, sizeof(*eh), GFP_KERNEL);
	struct drm_file *imp = mock_file_open(m);
	struct i915_dkms_stats before, after;
	struct i915_hw_ppgtt *ppgtt;
	int i, ret = -ENOMEM;

	if (!eh || !imp)
		goto out;
	for (i = 0, ret = 0; i < n && !ret; i++) {
		struct drm_i915_gem_object *obj = mock_object(m, exp, &eh[i]);

		ret = -ENOMEM;
		if (!obj)
			break;
		mutex_lock(&m->dev->struct_mutex);
		ppgtt = file_ppgtt(imp);
		ret = ppgtt && mock_bind(obj, &ppgtt->base) ? 0 : -ENOSPC;
		mutex_unlock(&m->dev->struct_mutex);
	}
	if (ret)
		goto out;
	i915_dkms_get_stats(&before);
	mutex_lock(&m->dev->struct_mutex);
	i915_gem_context_close(m->dev, imp);
	mutex_unlock(&m->dev->struct_mutex);
	i915_dkms_get_stats(&after);
	*ns = after.cleanup_ns - before.cleanup_ns;
out:
	if (imp)
		mock_file_close(m, imp, NULL, 0);
	for (i = 0; eh && i < n; i++)
		if (eh[i])
			drm_gem_handle_delete(exp, eh[i]);
	kfree(eh);
	return ret;
}

static int cmp_u64(const void *a, const void *b)
{
	const u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/* per N: the median over the rounds of the cleanup's ns per VMA (one slow round, a
 * timer interrupt or the host, moves a mean, not the median) */
static int run_bench(struct mock *m)
{
	static const int sizes[] = { 1, 16, 256 };
	const int rounds = I915_DKMS_LEGACY_BENCH_ROUNDS;
	struct drm_file *exp = mock_file_open(m);
	u64 ns[I915_DKMS_LEGACY_BENCH_ROUNDS];
	int i, r, ret = 0;

	if (!exp)
		return -ENOMEM;
	for (i = 0; i < ARRAY_SIZE(sizes) && !ret; i++) {
		for (r = 0; r < rounds && !ret; r++)
			ret = bench_once(m, exp, sizes[i], &ns[r]);
		if (ret)
			break;
		sort(ns, rounds, sizeof(ns[0]), cmp_u64, NULL);
		legacy_report("bench N=%d rounds=%d ns_per_vma=%llu", sizes[i], rounds,
			      div64_u64(ns[rounds / 2], sizes[i]));
	}
	mock_file_close(m, exp, NULL, 0);
	return ret;
}

/* The hazard's common part (each design's run_hazard() adds its own steps and checks).
 * hazard_setup(): both clients, one object with the exporter's and the importer's
 * handle, a VMA in each address space, the exporter's (ve) active on the render ring
 * under a request that completed and was not retired. On success it returns with
 * struct_mutex held, so that the design's next step (4.1: evict ve) sees that state. */
struct hazard {
	struct drm_file *exp, *imp;
	struct drm_i915_gem_object *obj;
	struct i915_hw_ppgtt *pe, *pi;
	struct i915_vma *ve, *vi;
	struct drm_i915_gem_request *req;
	u32 eh, ih;
};

static int hazard_setup(struct mock *m, struct hazard *h)
{
	h->exp = mock_file_open(m);
	h->imp = mock_file_open(m);
	if (!h->exp || !h->imp)
		return -ENOMEM;
	h->obj = mock_object(m, h->exp, &h->eh);
	if (!h->obj || drm_gem_handle_create(h->imp, &h->obj->base, &h->ih))
		return -ENOMEM;
	mutex_lock(&m->dev->struct_mutex);
	h->pe = file_ppgtt(h->exp);
	h->pi = file_ppgtt(h->imp);
	if (h->pe && h->pi) {
		h->ve = mock_bind(h->obj, &h->pe->base);
		h->vi = mock_bind(h->obj, &h->pi->base);
	}
	if (h->ve && h->vi)
		h->req = mock_activate(m, h->ve);
	if (!h->req) {
		mutex_unlock(&m->dev->struct_mutex);
		return -ENOSPC;
	}
	mock_set_seqno(m, h->req->seqno);	/* completed, not retired */
	return 0;
}

/* both handles closed: the active reference is the only one left */
static void hazard_close_handles(struct hazard *h)
{
	drm_gem_handle_delete(h->imp, h->ih);
	h->ih = 0;
	drm_gem_handle_delete(h->exp, h->eh);
	h->eh = 0;
}

/* VMAs the context cleanup unbound so far (the package's counter, 0002): says
 * whether the cleanup unbound vi without touching memory the hazard may have freed */
static unsigned long vmas_reclaimed(void)
{
	struct i915_dkms_stats st;

	i915_dkms_get_stats(&st);
	return st.vmas_reclaimed;
}

/* the importer exits: its context's cleanup unbinds vi without waiting */
static void hazard_cleanup(struct mock *m, struct hazard *h)
{
	legacy_report("hazard begin");
	mock_file_close(m, h->imp, NULL, 0);
	h->imp = NULL;
}

/* objects bound in an address space other than the GGTT (where the execlists
 * device keeps the default context's state, its ring buffer and the scratch page) */
static int ppgtt_bound_objects(struct mock *m)
{
	struct drm_i915_gem_object *obj;
	struct i915_vma *vma;
	int n = 0;

	list_for_each_entry(obj, &m->priv->mm.bound_list, global_list)
		list_for_each_entry(vma, &obj->vma_list, vma_link)
			n += !i915_is_ggtt(vma->vm);
	return n;
}

/* after the retire (which frees the object): nothing left on the ring or bound in a
 * PPGTT */
static bool hazard_retired(struct mock *m)
{
	bool ok;

	mock_complete_and_retire(m);
	mutex_lock(&m->dev->struct_mutex);
	ok = list_empty(&m->priv->ring[RCS].active_list) &&
	     list_empty(&m->priv->ring[RCS].request_list) &&
	     !ppgtt_bound_objects(m);
	mutex_unlock(&m->dev->struct_mutex);
	return ok;
}

static void hazard_fini(struct mock *m, struct hazard *h)
{
	if (h->imp)
		mock_file_close(m, h->imp, &h->ih, 1);
	if (h->exp)
		mock_file_close(m, h->exp, &h->eh, 1);
}

static int run_hazard(struct mock *m);	/* the design's own: last */

/* The device configurations a design's mock runs, in turn, each a fresh device:
 * 0 the ring buffer, 1 (a design with MOCK_EXECLISTS) gen8 with execlists
 * (i915_dkms_legacy_execlists.h). The mock mutant's requests drop their context
 * reference, which execlists (whose queue dereferences the request's context from the
 * interrupt handler) cannot run: that build runs the ring buffer alone. */
#if defined(MOCK_EXECLISTS) && !defined(I915_DKMS_LEGACY_MOCK_NO_CTX_REF)
#define MOCK_DEVICES 2
#else
#define MOCK_DEVICES 1
#endif

/* one device configuration: its report lines, from "device" to "ctx_freed_in_retire"
 * (tests/legacy/verdict reads each device's section) */
static int run_device(int d)
{
	struct mock *m = kzalloc(sizeof(*m), GFP_KERNEL);
	int ret;

	if (!m)
		return -ENOMEM;
	the_mock = m;
#ifdef MOCK_EXECLISTS
	m->execlists = d == 1;
#endif
	ret = mock_init(m);
	/* the generation the mock device runs (its PPGTT code) and its submission */
	legacy_report("device gen=%d full_ppgtt=%d execlists=%d%s", m->dev ? INTEL_INFO(m->dev)->gen : 0,
		      i915.enable_ppgtt == 2, i915.enable_execlists, ret ? " init=failed" : "");
	if (i915_dkms_legacy_run == I915_DKMS_LEGACY_BENCH_ONLY) {
		if (!ret)
			ret = run_bench(m);
	} else {
		if (i915_dkms_legacy_run != I915_DKMS_LEGACY_HAZARD_ONLY) {
			if (!ret)
				ret = run_leak(m, false, I915_DKMS_LEGACY_ROUNDS);
			if (!ret)
				ret = run_leak(m, true, 10);	/* busy_elsewhere */
			if (!ret && d == 0)	/* the benchmark: on the first device */
				ret = run_bench(m);
		}
		if (!ret)
			ret = run_hazard(m);
	}
	legacy_report("ctx_freed_in_retire=%u", m->ctx_freed_in_retire);
	mock_ring_fini(m);
	mock_fini(m);
	the_mock = NULL;
	kfree(m);
	return ret;
}

int i915_dkms_legacy_selftest(void)
{
	int d, ret = 0;

	if (!i915_dkms_legacy_run)
		return 0;
	if (i915_dkms_legacy_device >= MOCK_DEVICES) {
		legacy_report("device %d: this mock has %d device(s)", i915_dkms_legacy_device,
			      MOCK_DEVICES);
		ret = -EINVAL;
	}
	for (d = 0; d < MOCK_DEVICES && !ret; d++)
		if ((i915_dkms_legacy_device < 0 || d == i915_dkms_legacy_device) &&
		    (i915_dkms_legacy_run != I915_DKMS_LEGACY_BENCH_ONLY || d == 0))
			ret = run_device(d);
	legacy_report("done rc=%d", ret);
	return 0;
}

#endif /* I915_DKMS_LEGACY_SCENARIOS_H */
