// SPDX-License-Identifier: GPL-2.0
/*
 * Legacy mock probe GEM_REQUEST_ALLOC_OUT -> I915_DKMS_HAVE_GEM_REQUEST_ALLOC_OUT
 * (test-only: scripts/4-build/prepare-tree runs src/selftests/probes/ for the selftest
 * and mutant variants of a design with a legacy mock; the answers land in
 * dkms/i915_dkms_legacy_probes.h, which only src/selftests/i915_dkms_legacy_*.c read)
 *
 * Tests:    i915_drv.h declares int i915_gem_request_alloc(ring, ctx, &req): the caller
 *           gets the request it submits (explicit requests: i915_switch_context(req),
 *           i915_vma_move_to_active(vma, req), __i915_add_request(req, obj, flush)).
 * Upstream: the conversion of GEM submission to explicit requests (John Harrison's
 *           series, merged for v4.3-rc1). Read on the trees: 4.3.0 and 4.4.1 have it;
 *           4.2.0 allocates into ring->outstanding_lazy_request
 *           (probe gem_lazy_request); 4.5 returns the request instead (neither).
 * Used by:  src/selftests/i915_dkms_legacy_leak_4_3.c (mock_activate)
 */
#include "i915_drv.h"

typedef char i915_dkms_probe_gem_request_alloc_out[
	__builtin_types_compatible_p(__typeof__(&i915_gem_request_alloc),
				     int (*)(struct intel_engine_cs *, struct intel_context *,
					     struct drm_i915_gem_request **)) ? 1 : -1];
