// SPDX-License-Identifier: GPL-2.0
/*
 * Legacy mock probe GEM_LAZY_REQUEST -> I915_DKMS_HAVE_GEM_LAZY_REQUEST
 * (test-only, as gem_request_alloc_out.c)
 *
 * Tests:    the ring carries the request being built (struct drm_i915_gem_request
 *           *outstanding_lazy_request), which intel_ring_begin(ring, n) allocates, and
 *           int __i915_add_request(ring, file, obj) submits it: the submission of 4.0,
 *           4.1 and 4.2 (with the ring-based i915_switch_context(ring, ctx) and
 *           i915_vma_move_to_active(vma, ring)), mock_submit_lazy() in
 *           i915_dkms_legacy_mock.h.
 * Upstream: outstanding_lazy_request replaced 3.19's outstanding_lazy_seqno (whose
 *           __i915_add_request() has a fourth argument) in v4.0; the explicit requests
 *           of v4.3 removed it (probe gem_request_alloc_out).
 *           Read on the trees: 4.0.4, 4.1.52 and 4.2.0 have it; 3.18.140, 3.19.8,
 *           4.3.0 and 4.4.1 do not.
 * Used by:  src/selftests/i915_dkms_legacy_leak_4_1.c and _leak_4_3.c (mock_activate)
 */
#include "i915_drv.h"

typedef char i915_dkms_probe_gem_lazy_request[
	__builtin_types_compatible_p(__typeof__(((struct intel_engine_cs *)0)->outstanding_lazy_request),
				     struct drm_i915_gem_request *) &&
	__builtin_types_compatible_p(__typeof__(&__i915_add_request),
				     int (*)(struct intel_engine_cs *, struct drm_file *,
					     struct drm_i915_gem_object *)) ? 1 : -1];
