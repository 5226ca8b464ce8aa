# SPDX-License-Identifier: GPL-2.0
#
# lag: out-of-tree build and test entry points.
#
#   make                      lag.ko for the running kernel
#   make KDIR=<tree> [ARCH=um] lag.ko for another kernel build tree
#   make demo                 boot the UML test kernel and show lag at work
#   make check                every check and test; last line "N passed, N failed"
#   make install / uninstall  lag.ko for the running kernel and the ip plugin
#   make bench                figures against bonding (non-debug UML kernel)
#   make check-stock          interop selftests on Debian's stock kernels (QEMU)
#   make check-smp            KASAN/lockdep kernel on 4 CPUs (QEMU): churn & co.
#   make check-kcsan          KCSAN kernel on 4 CPUs (QEMU): churn, datapath
#   make dkms-check           dkms add/build/install/remove for both headers
#
# Each kernel gets its own shadow tree of symlinks under build/, so builds
# for several kernels never share objects.

KVER ?= $(shell uname -r)
KDIR ?= /lib/modules/$(KVER)/build
top := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
kid := $(notdir $(abspath $(KDIR)))$(if $(ARCH),-$(ARCH))-$(shell echo '$(abspath $(KDIR)) $(ARCH)' | sha1sum | cut -c1-8)
B ?= $(top)/build/$(kid)

.PHONY: all modules shadow deps uml demo check bench check-stock check-smp check-kcsan dkms-check install uninstall clean help

all: modules

shadow:
	@mkdir -p $(B)/tests/kunit
	@find $(B) -type l -delete
	@ln -s $(top)/Kbuild $(top)/include $(B)/
	@for f in $(top)/*.c $(top)/tests/kunit/*.c; do \
		[ -e "$$f" ] && ln -s "$$f" "$(B)/$${f#$(top)/}"; true; done

modules: shadow
	$(MAKE) -C $(KDIR) M=$(B) $(if $(ARCH),ARCH=$(ARCH)) modules
	cp $(B)/lag.ko $(top)/lag.ko

# The UML test kernel (built once and cached, see tests/kernel/build-uml.sh)
# and the modules built for it, in build/uml.
uml:
	$(MAKE) -C $(top) KDIR=$$($(top)/tests/kernel/build-uml.sh) ARCH=um B=$(top)/build/uml modules

# Debian packages the tests need (idempotent; installs only what is missing).
deps:
	$(top)/tests/install-deps.sh

demo: deps
	$(MAKE) -C $(top) uml
	$(top)/tests/run-guest.sh $(top)/tests/demo.sh

check: deps
	$(top)/tests/install-deps.sh check
	$(top)/tests/check.sh

# Side-by-side figures against bonding on a UML kernel without the debug
# checkers (tests/kernel/uml-bench.config); see Documentation/bench.md.
bench: deps
	$(top)/tests/bench/run.sh

# Debian's stock 6.1 and 6.12 kernels under QEMU (TCG), and DKMS: also the
# stages "stock" and "dkms" of make check; they need a few more packages
# (tests/install-deps.sh stock).
check-stock: deps
	$(top)/tests/install-deps.sh stock
	$(top)/tests/stock/check-stock.sh

# The x86_64 SMP debug kernel under QEMU (TCG): the stage "smp" of
# tests/check.sh with everything it can run, KUnit and the four selftests;
# make check runs only churn there, for time (see README).
check-smp: deps
	$(top)/tests/install-deps.sh stock
	LAG_CHECK_ONLY=smp LAG_SMP_KUNIT=1 LAG_CHURN_SECS=60 \
		LAG_SMP_SELFTESTS="churn datapath membership lacp_interop" $(top)/tests/check.sh

# The x86_64 KCSAN kernel under QEMU (TCG): churn and datapath; fails on a
# data race reported in lag's code (see README).
check-kcsan: deps
	$(top)/tests/install-deps.sh stock
	$(top)/tests/smp/check-smp.sh kcsan

dkms-check: deps
	$(top)/tests/install-deps.sh stock
	$(top)/tests/stock/dkms-check.sh

# make deb: the Debian packages lag-dkms and lag-tools (debian/), built by
# dpkg-buildpackage in a copy of the tracked files, into build/deb/.
.PHONY: deb
deb:
	rm -rf $(top)/build/deb
	mkdir -p $(top)/build/deb/lag
	cd $(top) && git ls-files -co --exclude-standard | grep -v '^build/' | \
		tar -c -T - | tar -x -C $(top)/build/deb/lag
	cd $(top)/build/deb/lag && DEB_BUILD_OPTIONS="$(DEB_BUILD_OPTIONS) noddebs" \
		dpkg-buildpackage -us -uc -b
	@ls $(top)/build/deb/*.deb

# The module for the running kernel (or KDIR) and the iproute2 plugin.
install: modules
	$(MAKE) -C $(KDIR) M=$(B) modules_install
	depmod -a $(if $(KVER),$(KVER))
	$(MAKE) -C $(top)/tools/iproute2 install

uninstall:
	rm -f /lib/modules/$(KVER)/updates/lag.ko* /lib/modules/$(KVER)/extra/lag.ko*
	depmod -a $(KVER)
	$(MAKE) -C $(top)/tools/iproute2 uninstall

clean:
	rm -rf $(top)/build $(top)/*.ko
	$(MAKE) -C $(top)/tools/iproute2 clean

help:
	@sed -n '3,15p' $(top)/Makefile
