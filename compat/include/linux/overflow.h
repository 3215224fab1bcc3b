/* SPDX-License-Identifier: GPL-2.0 */
/*
 * i915-vma-cleanup compat shim for <linux/overflow.h> (see docs/compat.md).
 *
 * Macros only: each is defined under #ifndef with the upstream body, so no probe is
 * needed (the preprocessor itself tells whether the kernel has it).
 *
 * range_overflows(), range_overflows_t(), range_end_overflows(), range_end_overflows_t():
 * upstream 5f3cec21f6d5 "overflow: add range_overflows() and range_end_overflows()"
 * (moved from i915_utils.h, where the end variants were range_overflows_end*; i915
 * then dropped its copies: "drm/i915: rename range_overflows_end() to
 * range_end_overflows()"). In the 6.12.y stable series from 6.12.115: the 6.12.117 i915
 * uses them, the 6.12.107..113 headers lack them. An older i915 that still defines
 * range_overflows{,_t} itself redefines them with the same tokens, which C allows.
 */
#ifndef __I915_DKMS_LINUX_OVERFLOW_H
#define __I915_DKMS_LINUX_OVERFLOW_H
#include_next <linux/overflow.h>

#ifndef range_overflows
#define range_overflows(start, size, max) ({ \
	typeof(start) start__ = (start); \
	typeof(size) size__ = (size); \
	typeof(max) max__ = (max); \
	(void)(&start__ == &size__); \
	(void)(&start__ == &max__); \
	start__ >= max__ || size__ > max__ - start__; \
})
#endif

#ifndef range_overflows_t
#define range_overflows_t(type, start, size, max) \
	range_overflows((type)(start), (type)(size), (type)(max))
#endif

#ifndef range_end_overflows
#define range_end_overflows(start, size, max) ({ \
	typeof(start) start__ = (start); \
	typeof(size) size__ = (size); \
	typeof(max) max__ = (max); \
	(void)(&start__ == &size__); \
	(void)(&start__ == &max__); \
	start__ > max__ || size__ > max__ - start__; \
})
#endif

#ifndef range_end_overflows_t
#define range_end_overflows_t(type, start, size, max) \
	range_end_overflows((type)(start), (type)(size), (type)(max))
#endif

#endif /* __I915_DKMS_LINUX_OVERFLOW_H */
