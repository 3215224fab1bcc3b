// SPDX-License-Identifier: GPL-2.0
/*
 * Legacy mock probe RING_EMIT_REQUEST -> I915_DKMS_HAVE_RING_EMIT_REQUEST
 * (test-only, as gem_request_alloc_out.c)
 *
 * Tests:    the ring's emitters __i915_add_request() calls take the request:
 *           int (*flush)(struct drm_i915_gem_request *, u32, u32) and
 *           int (*add_request)(struct drm_i915_gem_request *); without it they take
 *           the ring (struct intel_engine_cs *), as on 4.1 and 4.2.
 * Upstream: part of the same v4.3-rc1 request conversion. Read on the trees: 4.3.0 and
 *           4.4.1 have it; 4.2.0 does not.
 * Used by:  src/selftests/i915_dkms_legacy_leak_4_3.c (mock_ring_flush, mock_ring_add_request)
 */
#include "i915_drv.h"

typedef char i915_dkms_probe_ring_emit_request[
	__builtin_types_compatible_p(__typeof__(((struct intel_engine_cs *)0)->add_request),
				     int (*)(struct drm_i915_gem_request *)) &&
	__builtin_types_compatible_p(__typeof__(((struct intel_engine_cs *)0)->flush),
				     int (*)(struct drm_i915_gem_request *, u32, u32)) ? 1 : -1];
