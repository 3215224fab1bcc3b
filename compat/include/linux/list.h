/* SPDX-License-Identifier: GPL-2.0 */
/*
 * i915-vma-cleanup compat shim for <linux/list.h> (see docs/compat.md).
 *
 * list_count_nodes(): upstream 4d70c74659d9 "i915: Move list_count() to list.h as
 * list_count_nodes() for broader use" (v6.3-rc1), in Debian's 6.1 from 6.1.192 on
 * (ABI 6.1.0-56), absent in 6.1.170 (ABI 6.1.0-47). Decided by
 * compat/probes/list_count_nodes.c.
 */
#ifndef __I915_DKMS_LINUX_LIST_H
#define __I915_DKMS_LINUX_LIST_H
#include_next <linux/list.h>

#ifndef I915_DKMS_COMPAT_PROBED
#error "compat/include used without the generated i915_dkms_compat.h (scripts/2-decide/probe-kernel)"
#endif

#ifndef I915_DKMS_HAVE_LIST_COUNT_NODES
/* the upstream implementation, under the package's prefix */
static inline size_t i915_dkms_list_count_nodes(struct list_head *head)
{
	struct list_head *pos;
	size_t count = 0;

	list_for_each(pos, head)
		count++;

	return count;
}
#define list_count_nodes i915_dkms_list_count_nodes
#endif

#endif /* __I915_DKMS_LINUX_LIST_H */
