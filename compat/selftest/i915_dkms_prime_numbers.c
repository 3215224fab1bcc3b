// SPDX-License-Identifier: GPL-2.0
/*
 * i915-vma-cleanup compat shim: prime numbers for i915's selftests on kernels
 * without CONFIG_PRIME_NUMBERS. Upstream API: commit cf4a7207b1cb ("lib: Add a
 * simple prime number generator", Linux 4.11), lib/math/prime_numbers.c.
 *
 * selftest-only: never linked into the production module.
 *
 * Plain trial division, no sieve cache: the selftests walk primes up to a few
 * thousand (at most ~2^20), where this costs microseconds per call.
 */
#include <linux/kernel.h>
#include <linux/math.h>
#include <linux/prime_numbers.h>	/* the shim: maps to the i915_dkms_ names */

bool i915_dkms_is_prime_number(unsigned long x)
{
	unsigned long d, limit;

	if (x < 2)
		return false;
	if (x < 4)
		return true;
	if (!(x & 1))
		return false;
	limit = int_sqrt(x);
	for (d = 3; d <= limit; d += 2)
		if (x % d == 0)
			return false;
	return true;
}

unsigned long i915_dkms_next_prime_number(unsigned long x)
{
	if (x < 2)
		return 2;
	while (x < ULONG_MAX && !i915_dkms_is_prime_number(++x))
		;
	return x;
}
