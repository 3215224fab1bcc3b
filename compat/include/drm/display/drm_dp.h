/* SPDX-License-Identifier: MIT */
/*
 * i915-vma-cleanup compat shim for <drm/display/drm_dp.h> (see docs/compat.md).
 *
 * Constants only: each is defined under #ifndef with the upstream value, so no probe
 * is needed (the preprocessor itself tells whether the kernel has it).
 */
#ifndef __I915_DKMS_DRM_DISPLAY_DRM_DP_H
#define __I915_DKMS_DRM_DISPLAY_DRM_DP_H
#include_next <drm/display/drm_dp.h>

/*
 * DP_EDP_15 (DPCD 0x700 eDP revision 1.5): upstream 5dfc37a6b77b "drm/dp: Add eDP 1.5
 * bit definition" (v6.15), in the 6.1.y stable series with the i915 eDP 1.5 PSR/
 * backlight fixes that use it (Debian 6.1.192); absent in 6.1.170.
 */
#ifndef DP_EDP_15
# define DP_EDP_15			    0x06    /* eDP 1.5 */
#endif

#endif /* __I915_DKMS_DRM_DISPLAY_DRM_DP_H */
