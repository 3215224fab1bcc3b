// SPDX-License-Identifier: GPL-2.0
/*
 * Legacy mock probe CONTEXT_ENABLE_REQ -> I915_DKMS_HAVE_CONTEXT_ENABLE_REQ
 * (test-only, as gem_request_alloc_out.c)
 *
 * Tests:    int i915_gem_context_enable(struct drm_i915_gem_request *req): the caller
 *           (i915_gem_init_hw()) allocates each ring's first request in the default
 *           context, and i915_gem_context_enable() emits into it (with execlists: the
 *           ring's init_context(), the render state); without it,
 *           i915_gem_context_enable(dev_priv) makes its own requests (4.0-4.2).
 * Upstream: part of the v4.3-rc1 explicit-request conversion ("drm/i915: Update
 *           i915_gem_context_enable() to take a request structure").
 *           Read on the trees: 4.3.0 and 4.4.1 have it; 4.0.4, 4.1.52 and 4.2.0
 *           do not.
 * Used by:  src/selftests/i915_dkms_legacy_execlists.h (mock_execlists_init)
 */
#include "i915_drv.h"

typedef char i915_dkms_probe_context_enable_req[
	__builtin_types_compatible_p(__typeof__(&i915_gem_context_enable),
				     int (*)(struct drm_i915_gem_request *)) ? 1 : -1];
