/* SPDX-License-Identifier: GPL-2.0 */
/*
 * i915-vma-cleanup compat shim: mock_drm_getfile() for kernels whose drm.ko does
 * not export it (it is EXPORT_SYMBOL_FOR_TESTS_ONLY, i.e. only with
 * CONFIG_DRM_EXPORT_FOR_TESTS, which no Debian 12 flavour sets).
 *
 * Upstream API: the commit "drm: Expose a method for creating anonymous struct
 * file around drm_minor" (Chris Wilson, Linux 5.6; commit id NOT verified here:
 * the linux-source tarballs carry no git history).
 *
 * selftest-only: never linked into the production module.
 *
 * The name maps to i915_dkms_mock_drm_getfile() (compat/selftest/i915_dkms_mock_drm.c),
 * a reimplementation on exported API only.
 */
#ifndef I915_DKMS_COMPAT_DRM_FILE_H
#define I915_DKMS_COMPAT_DRM_FILE_H

#define mock_drm_getfile i915_dkms_mock_drm_getfile

#include_next <drm/drm_file.h>

#endif /* I915_DKMS_COMPAT_DRM_FILE_H */
