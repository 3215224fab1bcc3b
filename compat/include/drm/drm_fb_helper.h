/* SPDX-License-Identifier: MIT */
/*
 * i915-vma-cleanup compat shim for <drm/drm_fb_helper.h> (see docs/compat.md).
 *
 * drm_fb_helper_restore_fbdev_mode_unlocked(fb_helper, force): upstream
 * 943240d342f1 "drm/client: Pass force parameter to client restore" (v6.19) added
 * `force` (restore even while a DRM master holds the display: sysrq emergency restore)
 * and converted the callers, i915's intel_fbdev_restore_mode() among them; the 6.12.y
 * stable series took it (Debian 6.12.113 on). 6.12.107/6.12.111 export the
 * 1-argument form. Decided by compat/probes/drm_fb_helper_restore_force.c.
 *
 * The i915 source and the kernel may be on either side of the change, so the macro
 * below counts the caller's arguments (as compat/include/linux/pci.h does):
 *  - 2-argument caller, 1-argument kernel: `force` is evaluated and dropped; the older
 *    kernel has no forced restore, so the restore behaves as that kernel's own i915's.
 *  - 1-argument caller, 2-argument kernel: force = false, the non-forced restore the
 *    1-argument function always did.
 *  - same form on both sides: the kernel's function, unchanged.
 */
#ifndef __I915_DKMS_DRM_DRM_FB_HELPER_H
#define __I915_DKMS_DRM_DRM_FB_HELPER_H
#include_next <drm/drm_fb_helper.h>

#ifndef I915_DKMS_COMPAT_PROBED
#error "compat/include used without the generated i915_dkms_compat.h (scripts/2-decide/probe-kernel)"
#endif

/* Macros only; inside the expansion the function's own name is the kernel's function. */
#define __I915_DKMS_PICK_3RD_ARG(_1, _2, name, ...) name

#ifdef I915_DKMS_HAVE_DRM_FB_HELPER_RESTORE_FORCE
#define i915_dkms_drm_fb_helper_restore1(fb_helper) \
	drm_fb_helper_restore_fbdev_mode_unlocked(fb_helper, false)
#define drm_fb_helper_restore_fbdev_mode_unlocked(...)					\
	__I915_DKMS_PICK_3RD_ARG(__VA_ARGS__, drm_fb_helper_restore_fbdev_mode_unlocked,	\
				 i915_dkms_drm_fb_helper_restore1, )(__VA_ARGS__)
#else
#define i915_dkms_drm_fb_helper_restore2(fb_helper, force) \
	({ (void)(force); drm_fb_helper_restore_fbdev_mode_unlocked(fb_helper); })
#define drm_fb_helper_restore_fbdev_mode_unlocked(...)					\
	__I915_DKMS_PICK_3RD_ARG(__VA_ARGS__, i915_dkms_drm_fb_helper_restore2,		\
				 drm_fb_helper_restore_fbdev_mode_unlocked, )(__VA_ARGS__)
#endif

#endif /* __I915_DKMS_DRM_DRM_FB_HELPER_H */
