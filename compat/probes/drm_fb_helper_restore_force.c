// SPDX-License-Identifier: GPL-2.0
/*
 * Probe DRM_FB_HELPER_RESTORE_FORCE -> I915_DKMS_HAVE_DRM_FB_HELPER_RESTORE_FORCE
 *
 * Tests:    drm_fb_helper_restore_fbdev_mode_unlocked() takes the second argument
 *           `bool force`, i.e. the prototype is
 *           int drm_fb_helper_restore_fbdev_mode_unlocked(struct drm_fb_helper *, bool).
 * Upstream: 943240d342f1 "drm/client: Pass force parameter to client restore"
 *           (v6.19), in the 6.12.y stable series from Debian's 6.12.113 on (the
 *           6.12.117 i915 passes it); 6.12.107 and 6.12.111 have the 1-argument form.
 * Shim:     compat/include/drm/drm_fb_helper.h
 * Used by:  display/intel_fbdev.c (intel_fbdev_restore_mode)
 */
#include <drm/drm_fb_helper.h>

_Static_assert(__builtin_types_compatible_p(typeof(&drm_fb_helper_restore_fbdev_mode_unlocked),
					   int (*)(struct drm_fb_helper *, bool)),
	       "drm_fb_helper_restore_fbdev_mode_unlocked() has no force argument");
