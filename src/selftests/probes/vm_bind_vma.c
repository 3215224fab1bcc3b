// SPDX-License-Identifier: GPL-2.0
/*
 * Legacy mock probe VM_BIND_VMA -> I915_DKMS_HAVE_VM_BIND_VMA
 * (test-only, as gem_request_alloc_out.c)
 *
 * Tests:    the address space binds its VMAs: struct i915_address_space has
 *           int (*bind_vma)(struct i915_vma *, enum i915_cache_level, u32) and
 *           void (*unbind_vma)(struct i915_vma *), which i915_gem_gtt_init() sets
 *           for the GGTT to ggtt_bind_vma()/ggtt_unbind_vma() (static in
 *           i915_gem_gtt.c) after probing the GGTT's BAR; without it each VMA
 *           carries its own (void) bind_vma, set when it is created (4.0/4.1).
 * Upstream: moved from the VMA to the address space in v4.2-rc1 ("drm/i915: Move
 *           vma vfuncs to address_space"), returning int from then on.
 *           Read on the trees: 4.2.0, 4.3.0 and 4.4.1 have it; 4.0.4 and 4.1.52 do not.
 * Used by:  src/selftests/i915_dkms_legacy_execlists.h (mock_execlists_hw_init: the
 *           GGTT's binding, which the execlists device's state objects and ring
 *           buffers use)
 */
#include "i915_drv.h"

typedef char i915_dkms_probe_vm_bind_vma[
	__builtin_types_compatible_p(__typeof__(((struct i915_address_space *)0)->bind_vma),
				     int (*)(struct i915_vma *, enum i915_cache_level, u32)) &&
	__builtin_types_compatible_p(__typeof__(((struct i915_address_space *)0)->unbind_vma),
				     void (*)(struct i915_vma *)) ? 1 : -1];
