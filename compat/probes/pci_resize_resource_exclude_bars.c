// SPDX-License-Identifier: GPL-2.0
/*
 * Probe PCI_RESIZE_RESOURCE_EXCLUDE_BARS -> I915_DKMS_HAVE_PCI_RESIZE_RESOURCE_EXCLUDE_BARS
 *
 * Tests:    pci_resize_resource() takes the fourth argument `int exclude_bars`
 *           (a mask of BARs the PCI core must not release), i.e. the prototype is
 *           int pci_resize_resource(struct pci_dev *, int resno, int size, int exclude_bars).
 * Upstream: 337b1b566db0 "PCI: Fix restoring BARs on BAR resize rollback path"
 *           (v6.18), backported to the 6.1.y stable series together with the callers
 *           (i915's _resize_bar() passes 0). Debian's 6.1.192 (ABI 6.1.0-56) has the
 *           4-argument form, 6.1.170 (ABI 6.1.0-47) the original 3-argument one.
 * Shim:     compat/include/linux/pci.h
 * Used by:  gt/intel_region_lmem.c (_resize_bar)
 */
#include <linux/pci.h>

_Static_assert(__builtin_types_compatible_p(typeof(&pci_resize_resource),
					   int (*)(struct pci_dev *, int, int, int)),
	       "pci_resize_resource() has no exclude_bars argument");
