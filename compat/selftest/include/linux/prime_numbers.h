/* SPDX-License-Identifier: GPL-2.0 */
/*
 * i915-vma-cleanup compat shim: is_prime_number()/next_prime_number() for kernels
 * built without CONFIG_PRIME_NUMBERS (all Debian 12 flavours: the header ships,
 * lib/math/prime_numbers.o does not).
 *
 * Upstream API: commit cf4a7207b1cb ("lib: Add a simple prime number generator",
 * Linux 4.11); CONFIG_DRM_I915_SELFTEST selects PRIME_NUMBERS.
 *
 * selftest-only: never linked into the production module.
 *
 * The two functions are renamed to the package prefix so that this copy can never
 * clash with a kernel that has them; implementation in
 * compat/selftest/i915_dkms_prime_numbers.c.
 */
#ifndef I915_DKMS_COMPAT_PRIME_NUMBERS_H
#define I915_DKMS_COMPAT_PRIME_NUMBERS_H

#define is_prime_number i915_dkms_is_prime_number
#define next_prime_number i915_dkms_next_prime_number

#include_next <linux/prime_numbers.h>

#endif /* I915_DKMS_COMPAT_PRIME_NUMBERS_H */
