/* SPDX-License-Identifier: GPL-2.0 */
/*
 * i915-vma-cleanup compat shim for <linux/pci.h> (see docs/compat.md).
 *
 * pci_resize_resource(dev, resno, size, exclude_bars): upstream
 * 337b1b566db0 "PCI: Fix restoring BARs on BAR resize rollback path" (v6.18)
 * added the fourth argument, a mask of BARs the PCI core must not release while
 * it resizes, and passed 0 from every caller that does not need it (i915 among
 * them); the stable series took it with its callers (Debian 6.1.192 / ABI
 * 6.1.0-56, 6.12.117).
 * Older kernels (6.1.170 / ABI 6.1.0-47) export the 3-argument form.
 * Decided by compat/probes/pci_resize_resource_exclude_bars.c.
 *
 * The i915 source and the kernel may be on either side of the change (the source is
 * of the kernel's series, not necessarily its sublevel), so the macro below counts the
 * caller's arguments and calls the kernel's export with the form it has:
 *  - 4-argument caller, 3-argument kernel: exclude_bars is dropped. The 3-argument
 *    core releases no BAR itself (the caller must release them first; i915's
 *    _resize_bar() does, with _release_bars()), so every BAR is already "excluded".
 *  - 3-argument caller, 4-argument kernel: exclude_bars = 0, the value upstream
 *    passes for i915 (and the kernel's own i915 of that version passes).
 *  - same form on both sides: the kernel's function, unchanged.
 */
#ifndef __I915_DKMS_LINUX_PCI_H
#define __I915_DKMS_LINUX_PCI_H
#include_next <linux/pci.h>

#ifndef I915_DKMS_COMPAT_PROBED
#error "compat/include used without the generated i915_dkms_compat.h (scripts/2-decide/probe-kernel)"
#endif

/*
 * Macros only, no inline functions: nothing here refers to pci_resize_resource()
 * unless a caller does (kernels before the Resizable BAR API, 4.15, and the legacy
 * trees of docs/legacy-kernels.md have none). Within the expansion of
 * pci_resize_resource(...) its own name is not expanded again: it is the kernel's
 * function.
 */
#define __I915_DKMS_PICK_4TH_ARG(_1, _2, _3, _4, name, ...) name

#ifdef I915_DKMS_HAVE_PCI_RESIZE_RESOURCE_EXCLUDE_BARS
#define i915_dkms_pci_resize_resource3(dev, resno, size) \
	pci_resize_resource(dev, resno, size, 0)
#define pci_resize_resource(...)						\
	__I915_DKMS_PICK_4TH_ARG(__VA_ARGS__, pci_resize_resource,		\
				 i915_dkms_pci_resize_resource3, )(__VA_ARGS__)
#else
/* exclude_bars is dropped (and not evaluated): the 3-argument core releases no BAR */
#define i915_dkms_pci_resize_resource(dev, resno, size, exclude_bars) \
	pci_resize_resource(dev, resno, size)
#define pci_resize_resource(...)						\
	__I915_DKMS_PICK_4TH_ARG(__VA_ARGS__, i915_dkms_pci_resize_resource,	\
				 pci_resize_resource, )(__VA_ARGS__)
#endif

#endif /* __I915_DKMS_LINUX_PCI_H */
