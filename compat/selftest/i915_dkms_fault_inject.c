// SPDX-License-Identifier: GPL-2.0
/*
 * i915-vma-cleanup compat shim: should_fail() for kernels without
 * CONFIG_FAULT_INJECTION. Upstream API: commit 6ff1cb355e62 ("[PATCH]
 * fault-injection capabilities infrastructure", Linux 2.6.20), lib/fault-inject.c.
 *
 * selftest-only: never linked into the production module.
 */
#include <linux/fault-inject.h>
#include <linux/printk.h>
#include <linux/random.h>

#ifndef CONFIG_FAULT_INJECTION
bool i915_dkms_should_fail(struct fault_attr *attr, ssize_t size)
{
	/* No need to check any other properties if the probability is 0 */
	if (attr->probability == 0)
		return false;
	/* task filtering needs the task's make-it-fail flag (CONFIG_FAULT_INJECTION) */
	if (attr->task_filter)
		return false;
	if (atomic_read(&attr->times) == 0)
		return false;
	if (atomic_read(&attr->space) > size) {
		atomic_sub(size, &attr->space);
		return false;
	}
	if (attr->interval > 1) {
		attr->count++;
		if (attr->count % attr->interval)
			return false;
	}
	if (attr->probability <= get_random_u32() % 100)
		return false;

	if (attr->verbose > 1)
		pr_debug("i915-vma-cleanup: fault injected (size %zd)\n", size);
	if (atomic_read(&attr->times) != -1)
		atomic_add_unless(&attr->times, -1, 0);
	return true;
}
#endif
