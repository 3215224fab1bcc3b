/* SPDX-License-Identifier: GPL-2.0 */
/*
 * i915-vma-cleanup compat shim: struct fault_attr / should_fail() for kernels
 * built without CONFIG_FAULT_INJECTION (all Debian 12 flavours).
 *
 * Upstream API: commit 6ff1cb355e62 ("[PATCH] fault-injection capabilities
 * infrastructure", Linux 2.6.20); i915 uses it for vm->fault_attr and
 * engine->reset_timeout under CONFIG_DRM_I915_SELFTEST, whose Kconfig selects
 * FAULT_INJECTION.
 *
 * selftest-only: never linked into the production module (compat/kbuild/i915.Kbuild
 * adds compat/selftest/include only for I915_VARIANT=selftest|mutant).
 *
 * With CONFIG_FAULT_INJECTION the kernel's header is used as it is. Without it,
 * the kernel header still provides the page/slab helpers; the part i915 needs is
 * defined here, and should_fail() maps to i915_dkms_should_fail()
 * (compat/selftest/i915_dkms_fault_inject.c): probability, interval, times and
 * space are honoured as in lib/fault-inject.c; task filtering and stack-trace
 * filters are not supported (i915 sets neither).
 */
#ifndef I915_DKMS_COMPAT_FAULT_INJECT_H
#define I915_DKMS_COMPAT_FAULT_INJECT_H

#ifdef CONFIG_FAULT_INJECTION
#include_next <linux/fault-inject.h>
#else
/*
 * Without CONFIG_FAULT_INJECTION, 6.1's header defines no struct fault_attr and
 * no should_fail(); 6.12's defines an empty struct fault_attr and a should_fail()
 * that always returns false. Either way i915's selftests cannot use them: the
 * kernel's names are moved aside while its header is read, then defined here.
 * (6.1's header is not self-contained in this configuration: hence types.h.)
 */
#include <linux/atomic.h>
#include <linux/types.h>
#define fault_attr i915_dkms_kernel_fault_attr
#define setup_fault_attr i915_dkms_kernel_setup_fault_attr
#define should_fail_ex i915_dkms_kernel_should_fail_ex
#define should_fail i915_dkms_kernel_should_fail
#include_next <linux/fault-inject.h>
#undef fault_attr
#undef setup_fault_attr
#undef should_fail_ex
#undef should_fail

struct fault_attr {
	unsigned long probability;
	unsigned long interval;
	atomic_t times;
	atomic_t space;
	unsigned long verbose;
	bool task_filter;
	unsigned long count;
};

#undef DECLARE_FAULT_ATTR
#define FAULT_ATTR_INITIALIZER {		\
		.interval = 1,			\
		.times = ATOMIC_INIT(1),	\
		.verbose = 2,			\
	}

#define DECLARE_FAULT_ATTR(name) struct fault_attr name = FAULT_ATTR_INITIALIZER

bool i915_dkms_should_fail(struct fault_attr *attr, ssize_t size);
#define should_fail(attr, size) i915_dkms_should_fail(attr, size)

#endif /* !CONFIG_FAULT_INJECTION */
#endif /* I915_DKMS_COMPAT_FAULT_INJECT_H */
