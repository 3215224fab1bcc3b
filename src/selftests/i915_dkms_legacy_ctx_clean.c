// SPDX-License-Identifier: GPL-2.0
/*
 * i915-vma-cleanup: legacy mock selftest for the ctx-clean design (4.4 .. 4.8; run on
 * 4.4.1). Test-only: linked into the selftest and mutant variants alone
 * (compat/kbuild/i915.Kbuild), run on load with i915.dkms_legacy_selftest=1.
 *
 * The cleanup it runs is the kernel's own (e9f24d5fb7cf as released in 4.4:
 * i915_gem_context_clean()) with the package's completion (patches/ctx-clean/0003).
 * Everything the leak-4.3 mock calls has 4.3's signature and behaviour on 4.4
 * (i915_gem_request_alloc(ring, ctx, &req) taking the request's context reference,
 * i915_gem_request_add_to_client(), i915_switch_context(req), i915_vma_move_to_active(),
 * __i915_add_request(req, obj, true), i915_gem_retire_requests_ring() retiring
 * requests before objects, i915_gem_request_free() dropping the context reference;
 * the mock's GGTT address space is set up without 4.3's i915_init_vm(), which 4.4
 * made i915_address_space_init()), so that mock is this design's, unchanged: the
 * same scenarios, device and report lines (i915_dkms_legacy_leak_4_3.c). 4.6 renamed
 * the rings to engines and 4.8 intel_context to i915_gem_context: this mock is for
 * 4.4/4.5 until a tree of those is read.
 * Its gen7 ring-buffer device only: leak-4.3's second device (gen8 with execlists,
 * i915_dkms_legacy_execlists.h) drives 4.2/4.3's execlists API, which 4.4 changed
 * (intel_lr_context_deferred_alloc(), the context pin count kept in the context);
 * 4.4's execlists are not mocked (docs/legacy-kernels.md).
 */
#define MOCK_NO_EXECLISTS
#include "i915_dkms_legacy_leak_4_3.c"
