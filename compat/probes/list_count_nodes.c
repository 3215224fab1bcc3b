// SPDX-License-Identifier: GPL-2.0
/*
 * Probe LIST_COUNT_NODES -> I915_DKMS_HAVE_LIST_COUNT_NODES
 *
 * Tests:    <linux/list.h> declares size_t list_count_nodes(struct list_head *).
 * Upstream: 4d70c74659d9 "i915: Move list_count() to list.h as list_count_nodes()
 *           for broader use" (v6.3-rc1). Debian's 6.1.192 (ABI 6.1.0-56) carries it
 *           through the 6.1.y stable series; 6.1.170 (ABI 6.1.0-47) does not.
 * Shim:     compat/include/linux/list.h
 * Used by:  gt/intel_execlists_submission.c (intel_execlists_dump_active_requests)
 */
#include <linux/list.h>

/* the type check makes a different prototype fail as well, not only a missing one */
size_t (*i915_dkms_probe_list_count_nodes)(struct list_head *head) = list_count_nodes;
