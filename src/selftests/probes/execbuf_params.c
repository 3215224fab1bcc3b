// SPDX-License-Identifier: GPL-2.0
/*
 * Legacy mock probe EXECBUF_PARAMS -> I915_DKMS_HAVE_EXECBUF_PARAMS
 * (test-only, as gem_request_alloc_out.c)
 *
 * Tests:    execbuffer's execlists backend takes what i915_gem_do_execbuffer() built,
 *           int intel_execlists_submission(struct i915_execbuffer_params *params,
 *           struct drm_i915_gem_execbuffer2 *args, struct list_head *vmas), with the
 *           request already allocated (params->request); without it the backend takes
 *           (dev, file, ring, ctx, args, vmas, batch_obj, exec_start, dispatch_flags)
 *           and the request is the ring's lazy one (4.0-4.2).
 * Upstream: struct i915_execbuffer_params came with the v4.3-rc1 request conversion
 *           (John Harrison's series).
 *           Read on the trees: 4.3.0 and 4.4.1 have it; 4.0.4, 4.1.52 and 4.2.0 do not.
 * Used by:  src/selftests/i915_dkms_legacy_execlists.h (mock_submit_execlists)
 */
#include "i915_drv.h"

typedef char i915_dkms_probe_execbuf_params[
	__builtin_types_compatible_p(__typeof__(&intel_execlists_submission),
				     int (*)(struct i915_execbuffer_params *,
					     struct drm_i915_gem_execbuffer2 *,
					     struct list_head *)) ? 1 : -1];
