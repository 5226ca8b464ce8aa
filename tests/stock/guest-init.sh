#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Init of a stock Debian kernel booted by tests/stock/check-stock.sh, after
# the initramfs switched to the host's root (read-only, over virtio-9p).
# Everything written goes to tmpfs or to the job's scratch directory (9p tag
# "job", mounted read-write at /tmp/lag-job). Like tests/guest/init.sh: load
# veth and bonding, insmod lag.ko (splats count from the marker printed just
# before), run the job's script, rmmod lag, save the kernel log, power off.

export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/tmp LANG=C.UTF-8

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /run
mkdir -p /run/lag-job
mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144,cache=none job /run/lag-job
# A checkout under the host's /tmp would vanish under the guest's tmpfs:
# keep it visible at the same path (as tests/guest/init.sh does for UML).
top=$(sed -n 's/^LAG_TOP=//p' /run/lag-job/job.env)
case "$top" in
/tmp/*)
	mkdir -p /run/lag-top
	mount --bind "$top" /run/lag-top
	mount -t tmpfs tmpfs /tmp
	mkdir -p "$top"
	mount --bind /run/lag-top "$top"
	;;
*)
	mount -t tmpfs tmpfs /tmp
	;;
esac
mount -t debugfs debugfs /sys/kernel/debug
mkdir -p /dev/pts /dev/shm /tmp/lag-job
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /dev/shm
job=/tmp/lag-job
mount --bind /run/lag-job $job
hostname lag-stock
ip link set lo up

kmsg() { echo "lag-runner: $*" > /dev/kmsg; }

finish() {
	dmesg > "$job/dmesg.txt"
	echo "$1" > "$job/rc"
	sync
	echo o > /proc/sysrq-trigger
	sleep 10
	echo b > /proc/sysrq-trigger
}

# shellcheck source=/dev/null
. "$job/job.env"
export LAG_TOP LAG_MODDIR
[ -n "${LAG_TEST_FILTER:-}" ] && export LAG_TEST_FILTER
cd "$LAG_TOP" || finish 97

kmsg "kernel $(uname -r)"
for m in veth bonding; do
	modprobe "$m" || { kmsg "modprobe $m failed"; finish 93; }
done

# Splats count from here on: module init included.
kmsg "loading lag.ko"
if ! insmod "$LAG_MODDIR/lag.ko"; then
	kmsg "insmod lag.ko failed"
	finish 98
fi
kmsg "module loaded"

rc=0
if [ ${#LAG_SCRIPT[@]} -gt 0 ]; then
	"${LAG_SCRIPT[@]}" > "$job/out" 2>&1 < /dev/null
	rc=$?
fi

if ! rmmod lag; then
	kmsg "rmmod lag failed"
	[ "$rc" = 0 ] && rc=94
fi
kmsg "done"
finish "$rc"
