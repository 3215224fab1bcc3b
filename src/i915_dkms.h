/* SPDX-License-Identifier: GPL-2.0 */
/*
 * i915-vma-cleanup: the package's own code linked into the rebuilt i915.ko.
 *
 * The driver patches under patches/<generation>/ call these hooks; everything
 * else (identity, counters, debugfs) lives here, outside the driver's files.
 * Kept free of i915 types so one file builds against every supported series
 * (3.18 .. 6.12).
 */
#ifndef I915_DKMS_H
#define I915_DKMS_H

#include <linux/types.h>

/* Counters of the teardown paths, read by debugfs and by the selftests. */
struct i915_dkms_stats {
	unsigned long vm_released;	/* address spaces whose release ran */
	unsigned long vm_release_skipped; /* test-only mutation build: releases suppressed */
	unsigned long vmas_reclaimed;	/* VMAs unbound/destroyed at teardown */
	unsigned long contexts_cleaned;	/* fix mode: contexts that ran the 4.4 cleanup */
	u64 cleanup_ns;			/* test variants: time in the fix-mode cleanup walks */
};

/* Called from i915's module init/exit (first entry after the nomodeset check). */
int i915_dkms_init(void);
void i915_dkms_exit(void);

/* At the start of an address space's release (verify mode, 5.19+ designs). */
void i915_dkms_vm_released(const void *vm);

/* Once for every VMA reclaimed while an address space or context is torn down. */
void i915_dkms_vma_reclaimed(const void *vma);

/* Fix mode: a context ran the backported cleanup and unbound @nvmas VMAs. */
void i915_dkms_context_cleaned(unsigned int nvmas);

/*
 * Test seams, only in the selftest and mutant variants (I915_DKMS_TEST_SEAMS):
 * false in the mutation build, which skips the upstream reclaim (verify mode) or
 * the backported cleanup (fix mode) to prove the leak test can fail.
 */
bool i915_dkms_reclaim_enabled(void);
bool i915_dkms_cleanup_enabled(void);
int i915_dkms_legacy_selftest(void);
/* Test seams of a design whose cleanup is the kernel's own (ctx-clean): the legacy
 * benchmark's timer around its call, without i915_dkms_cleanup_enabled()'s switch. */
void i915_dkms_cleanup_timer_start(void);
void i915_dkms_cleanup_timer_stop(void);

void i915_dkms_get_stats(struct i915_dkms_stats *out);

/* "fix" or "verify" (with a "-mutant" suffix in the test-only mutation build). */
const char *i915_dkms_mode(void);

#endif /* I915_DKMS_H */
