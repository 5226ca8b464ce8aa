#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Init of every guest booted under QEMU by tests/guest/qemu.sh: Debian's
# stock kernels (tests/stock/check-stock.sh; their initramfs switches to the
# host's root first) and the x86_64 SMP test kernels (tests/smp/check-smp.sh;
# the kernel mounts the host's root itself). The root is the host's,
# read-only, over virtio-9p; the job's scratch directory is the 9p tag
# "job"; the modules in the job's LAG_MODPROBE are loaded first (veth and
# bonding are modules on the stock kernels, built in on ours). The rest is
# tests/guest/lib.sh, as in every guest.

# shellcheck source=tests/guest/lib.sh
. "$(dirname "$0")/lib.sh"

guest_mount_base
mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144,cache=none job /run/lag-job
# The host's qemu_boot waits for this to tell a boot hang from a slow job.
: > /run/lag-job/booted
guest_setup "lag-$(uname -r | cut -d- -f1)"
# shellcheck disable=SC1091,SC2046 # the job's file; one word per module
guest_run_job $(. /run/lag-job/job.env && echo "$LAG_MODPROBE")
