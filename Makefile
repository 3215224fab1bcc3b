# i915-vma-cleanup: rebuild the target kernel's own i915 with the context-destruction
# VMA cleanup (fix mode) or with instrumentation of the upstream cleanup (verify mode).
#
#   make [KVER=<release>] [KDIR=<build dir>] [I915_SRC=<kernel tree|tarball>]
#                         build for one kernel, install nothing (this is what dkms runs)
#   sudo make install     main job: prerequisites, then dkms add/build/install for every
#                         installed kernel that has i915 (scripts/5-install/setup)
#   sudo make check       the test suite (tests/run); installs what the tests need
#   make check-legacy LEGACY_TREES="<kernel source tree> ..."
#                         fix mode proven at runtime in 3.18-4.4 kernels (tests/legacy/)
#   make bench            build-time and module-size benchmark (tools/bench/bench)
#   make bench-abi        a second kernel ABI after a first, same source (tools/bench/bench-abi)
#   make bench-vm         teardown cost per destroyed context under QEMU (tests/vm/bench-selftest)
#   make matrix           build for every installed kernel with i915, print a table
#   make clean            remove work/ (extracted sources and objects)
#   sudo make uninstall   dkms remove for all kernels; the stock i915 comes back
#
# KVER defaults to the running kernel when it has headers and CONFIG_DRM_I915, else the
# newest installed kernel that has both; with KDIR= alone, the release of that build dir.
# dkms passes KERNELRELEASE; it is honoured.

SHELL := /bin/bash
# KDIR= alone: the release of that build dir (its include/config/kernel.release).
ifeq ($(origin KVER),undefined)
KVER := $(or $(KERNELRELEASE),$(shell scripts/4-build/default-kernel $(if $(KDIR),--kdir "$(KDIR)") 2>/dev/null))
endif
KDIR ?= /lib/modules/$(KVER)/build
I915_SRC ?=

# I915_VARIANT: production (default; what dkms installs), selftest (the same source with
# CONFIG_DRM_I915_SELFTEST, test-only, see tests/vm), mutant (selftest + the upstream
# reclaim disabled by src/, test-only: proves the leak test can fail). selftest and
# mutant share a work tree, so switching between them recompiles one object.
I915_VARIANT ?= production
ifeq ($(I915_VARIANT),production)
WORK ?= work/$(KVER)
VARIANT_FLAGS :=
else ifneq ($(filter selftest mutant,$(I915_VARIANT)),)
WORK ?= work/$(KVER)-selftest
VARIANT_FLAGS := CONFIG_DRM_I915_SELFTEST=y KCPPFLAGS=-DCONFIG_DRM_I915_SELFTEST=1 I915_VARIANT=$(I915_VARIANT)
else
$(error I915_VARIANT=$(I915_VARIANT) is not one of production, selftest, mutant)
endif
# I915_LEGACY_MOCK=no-ctx-ref: test-only, with I915_VARIANT=selftest on a 3.18-4.3 design
# whose mock has it (tests/legacy/check-legacy): the legacy mock's requests hold no
# context reference (a mutant of the mock, not of the driver). Reaches kbuild
# (compat/kbuild/i915.Kbuild) as a command-line variable.
ifneq ($(I915_LEGACY_MOCK),)
ifneq ($(I915_LEGACY_MOCK)/$(I915_VARIANT),no-ctx-ref/selftest)
$(error I915_LEGACY_MOCK=$(I915_LEGACY_MOCK) with I915_VARIANT=$(I915_VARIANT): the one mock mutant is I915_LEGACY_MOCK=no-ctx-ref, with I915_VARIANT=selftest)
endif
endif

# Debian's kernel headers run the compiler through ccache when this is set
# (see KDIR/.kernelvariables); scripts/4-build/build-module compiles at paths that do not name
# the ABI, so a rebuild (dkms) and another ABI of the same source get much cheaper
# (docs/compat.md, "Building a second ABI").
# I915_CCACHE=0 turns it off (the benchmark does, for a fair baseline). As root (make
# install, dkms) the cache is /var/cache/i915-vma-cleanup/ccache (root-owned, 0700;
# I915_CCACHE_DIR), never one under $HOME, and the caller's CCACHE_* are dropped
# (scripts/4-build/build-module); ccache is off when that directory cannot be root's own.
I915_CCACHE ?= $(if $(shell command -v ccache),1,0)
KBUILD_ENV := $(if $(filter 1,$(I915_CCACHE)),DEBIAN_KERNEL_USE_CCACHE=1)

.PHONY: all modules prepare need-kernel clean install uninstall check check-legacy bench bench-abi bench-vm matrix

all: modules

need-kernel:
	@test -n "$(KVER)" || { scripts/4-build/default-kernel $(if $(KDIR),--kdir "$(KDIR)") > /dev/null; exit 3; }

prepare: need-kernel
	scripts/4-build/prepare-tree --kver "$(KVER)" --kdir "$(KDIR)" --work "$(WORK)" --variant "$(I915_VARIANT)" $(if $(I915_SRC),--src "$(I915_SRC)")

modules: prepare
	+$(KBUILD_ENV) MAKE="$(MAKE)" scripts/4-build/build-module --kver "$(KVER)" --kdir "$(KDIR)" --work "$(WORK)" -- $(VARIANT_FLAGS) modules
	scripts/4-build/check-module --kver "$(KVER)" --kdir "$(KDIR)" --work "$(WORK)"

clean:
	rm -rf work .tmp_versions Module.symvers modules.order .modules.order.cmd .Module.symvers.cmd .module-common.o .module-common.o.cmd

install:
	scripts/5-install/setup

uninstall:
	scripts/5-install/setup --remove

check:
	tests/run

# the fix proven at runtime inside 3.18-4.4 kernels built from their source (QEMU, KASAN)
check-legacy:
	tests/legacy/check-legacy

bench:
	tools/bench/bench

bench-abi:
	tools/bench/bench-abi

# teardown benchmark of the leak selftest under QEMU (boot-to-load, selftest duration,
# cost per destroyed context with N = 1, 16, 256 VMAs); needs the selftest trees
# (make KVER=<kver> I915_VARIANT=selftest, or a `make check` run); BENCH_KERNELS="..."
bench-vm:
	BENCH_KERNELS="$(BENCH_KERNELS)" tests/vm/bench-selftest

# compat matrix: every installed kernel with headers and i915, one table (docs/compat.md)
matrix:
	COMPAT_ABIS="$$(scripts/4-build/list-kernels --i915 | tr '\n' ' ')" \
		tests/integration/test-compat-matrix.sh
