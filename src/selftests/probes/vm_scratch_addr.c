// SPDX-License-Identifier: GPL-2.0
/*
 * Legacy mock probe VM_SCRATCH_ADDR -> I915_DKMS_HAVE_VM_SCRATCH_ADDR
 * (test-only, as gem_request_alloc_out.c)
 *
 * Tests:    struct i915_address_space has the scratch page as a struct of its own
 *           (scratch.page, scratch.addr), which __hw_ppgtt_init() copies from the
 *           GGTT's into every PPGTT: the unused PTEs of every PPGTT point at the GGTT's
 *           scratch page, so the mock device must have one (gen6_initialize_pt()
 *           WARNs on a zero scratch.addr).
 * Upstream: 4.3's PPGTTs have their own scratch page, table and directory
 *           (scratch_page, scratch_pt, scratch_pd: the scratch rework merged for
 *           v4.3-rc1). Read on the trees: 3.18.140, 3.19.8, 4.0.4, 4.1.52 and 4.2.0 have
 *           it; 4.3.0 and 4.4.1 do not.
 * Used by:  src/selftests/i915_dkms_legacy_mock.h (mock_ggtt_scratch_page_init), the
 *           leak-4.3 mock on 4.2
 */
#include "i915_drv.h"

typedef char i915_dkms_probe_vm_scratch_addr[
	__builtin_types_compatible_p(__typeof__(((struct i915_address_space *)0)->scratch.addr),
				     dma_addr_t) ? 1 : -1];
