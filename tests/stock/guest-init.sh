#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Init of a stock Debian kernel booted by tests/stock/check-stock.sh, after
# the initramfs switched to the host's root (read-only, over virtio-9p).
# The job's scratch directory is the 9p tag "job"; the rest is
# tests/guest/lib.sh, as in every guest. veth and bonding are modules here.

# shellcheck source=tests/guest/lib.sh
. "$(dirname "$0")/../guest/lib.sh"

guest_mount_base
mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144,cache=none job /run/lag-job
guest_setup lag-stock
guest_run_job veth bonding
