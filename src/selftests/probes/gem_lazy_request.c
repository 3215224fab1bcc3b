// SPDX-License-Identifier: GPL-2.0
/*
 * Legacy mock probe GEM_LAZY_REQUEST -> I915_DKMS_HAVE_GEM_LAZY_REQUEST
 * (test-only, as gem_request_alloc_out.c)
 *
 * Tests:    the ring carries the request being built (struct drm_i915_gem_request
 *           *outstanding_lazy_request), which intel_ring_begin(ring, n) allocates
 *           with i915_gem_request_alloc(ring, ctx) and __i915_add_request(ring, file,
 *           obj) submits: 4.1's and 4.2's submission (the ring-based
 *           i915_switch_context(ring, ctx) and i915_vma_move_to_active(vma, ring)).
 * Upstream: outstanding_lazy_request replaced 3.19's outstanding_lazy_seqno in v4.0;
 *           the explicit requests of v4.3 removed it (probe gem_request_alloc_out).
 *           Read on the trees: 4.1.52, 4.2.8 and Ubuntu's 4.2.8-ckt12 have it.
 * Used by:  src/selftests/i915_dkms_legacy_leak_4_3.c (mock_activate)
 */
#include "i915_drv.h"

typedef char i915_dkms_probe_gem_lazy_request[
	__builtin_types_compatible_p(__typeof__(((struct intel_engine_cs *)0)->outstanding_lazy_request),
				     struct drm_i915_gem_request *) &&
	__builtin_types_compatible_p(__typeof__(&i915_gem_request_alloc),
				     int (*)(struct intel_engine_cs *, struct intel_context *)) ? 1 : -1];
