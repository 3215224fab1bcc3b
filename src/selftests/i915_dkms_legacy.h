/* SPDX-License-Identifier: GPL-2.0 */
/*
 * i915-vma-cleanup: what the legacy mock selftests (i915_dkms_legacy_<design>.c,
 * one per fix-mode design, test-only) share: the module parameter that runs them,
 * the round count and the report lines that tests/legacy/ parses.
 *
 * Each design's file builds a mock device for that design's own i915 code (no
 * hardware: a fake PCI device with direct DMA, gen8 full PPGTT in memory) and runs,
 * on module load with i915.dkms_legacy_selftest=1 (=2: the hazard subtest alone; =3:
 * the benchmark alone):
 *   leak          K rounds of flink-and-exit (exporter keeps its handle, importer gets
 *                 a second one, binds a VMA in its context's PPGTT and exits); a round
 *                 leaks when a VMA is left in that address space or the PPGTT survives.
 *                 The mock's requests hold their context as the kernel's do: the
 *                 importer also executes a batch with the object and its context
 *                 dies inside request retirement.
 *   busy_elsewhere the importer's context dies (inside the retire of its own request)
 *                 while the shared object is still busy with another client's
 *                 request (a compositor's); is the importer's VMA and address space
 *                 reclaimed once the object goes idle?
 *   bench         contexts destroyed with N bound VMAs (benchmark, not a test): the
 *                 median over its rounds of the cleanup's time per VMA.
 *   hazard        last: an object whose request completed but was not retired loses
 *                 its last VMA through the cleanup's no-wait unbind while nothing but
 *                 its active reference holds it (the 4.0/4.1 use-after-free).
 * Report lines (one each, dmesg; KASAN/WARN/BUG between the hazard markers fail it):
 *   i915_dkms_legacy: device gen=<g> full_ppgtt=<0|1> execlists=<0|1>
 *   i915_dkms_legacy: leak rounds=<K> leaked=<n> vm_freed=<m>
 *   i915_dkms_legacy: busy_elsewhere rounds=<r> leaked=<n> busy_at_free=<b>
 *   i915_dkms_legacy: bench N=<n> rounds=<r> ns_per_vma=<x>
 *   i915_dkms_legacy: hazard begin
 *   i915_dkms_legacy: hazard end checks=<ok|fail>
 *   i915_dkms_legacy: ctx_freed_in_retire=<c>   (contexts that died inside
 *                 i915_gem_retire_requests_ring(), test-only count)
 *   i915_dkms_legacy: done rc=<errno>
 */
#ifndef I915_DKMS_LEGACY_H
#define I915_DKMS_LEGACY_H

#include <linux/moduleparam.h>
#include <linux/printk.h>

#define I915_DKMS_LEGACY_ROUNDS 100
/* i915.dkms_legacy_selftest=2: the hazard subtest alone (tests/legacy/guest.sh loads the
 * hazard mutant so: its waiting cleanup may fail earlier, in a context freed inside
 * request retirement, and the subtest must be shown to catch it by itself) */
#define I915_DKMS_LEGACY_HAZARD_ONLY 2
/* i915.dkms_legacy_selftest=3: the teardown benchmark alone (tests/legacy/bench-guest.sh
 * loads the test variants so, in turn, in a guest whose clock counts instructions) */
#define I915_DKMS_LEGACY_BENCH_ONLY 3
#define I915_DKMS_LEGACY_BENCH_ROUNDS 9
#define I915_DKMS_LEGACY_TAG "i915_dkms_legacy: "

static int i915_dkms_legacy_run;
module_param_named(dkms_legacy_selftest, i915_dkms_legacy_run, int, 0400);
MODULE_PARM_DESC(dkms_legacy_selftest,
		 "test-only build: run the package's legacy mock selftest on load (1; 2: its hazard subtest alone; 3: its benchmark alone)");

/* i915.dkms_legacy_device=<d>: the scenarios on that device configuration of the mock
 * alone (0: the ring buffer; 1: gen8 with execlists, where the design's mock has it);
 * default -1: each in turn. check-legacy boots the hazard mutant once per further
 * device so (tests/legacy/hazmut-guest.sh): its use-after-free ends a boot. */
static int i915_dkms_legacy_device = -1;
module_param_named(dkms_legacy_device, i915_dkms_legacy_device, int, 0400);
MODULE_PARM_DESC(dkms_legacy_device,
		 "test-only build: run the legacy mock selftest on one device configuration (0: ring buffer, 1: execlists; default -1: each)");

#define legacy_report(fmt, ...) pr_info(I915_DKMS_LEGACY_TAG fmt "\n", ##__VA_ARGS__)

#endif /* I915_DKMS_LEGACY_H */
