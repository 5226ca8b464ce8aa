#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# PID 1 of the UML test guest (see tests/run-guest.sh). The root is the
# host's, read-only; everything written goes to tmpfs or to the job's
# scratch directory, mounted at /tmp/lag-job.

export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/tmp LANG=C.UTF-8

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mountpoint -q /dev || mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /run
# A checkout under the host's /tmp would vanish under the guest's tmpfs:
# keep it visible at the same path.
top=$(sed -n 's/^LAG_TOP=//p' "$LAG_JOB/job.env")
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
mount -t hostfs -o "$LAG_JOB" hostfs /tmp/lag-job
job=/tmp/lag-job
hostname lag-guest
ip link set lo up

kmsg() { echo "lag-runner: $*" > /dev/kmsg; }

finish() {
	dmesg > "$job/dmesg.txt"
	echo "$1" > "$job/rc"
	sync
	echo o > /proc/sysrq-trigger
	sleep 5
	exit "$1"
}

# shellcheck source=/dev/null
. "$job/job.env"
export LAG_TOP LAG_MODDIR
[ -n "${LAG_TEST_FILTER:-}" ] && export LAG_TEST_FILTER
cd "$LAG_TOP" || finish 97

# Leaks that exist before our module is loaded are not ours.
kml=/sys/kernel/debug/kmemleak
if [ -w $kml ]; then
	echo scan > $kml
	echo clear > $kml
fi

# Splats count from here on: module init included.
kmsg "loading lag.ko"
if ! insmod "$LAG_MODDIR/lag.ko"; then
	kmsg "insmod lag.ko failed"
	finish 98
fi
kmsg "module loaded"

rc=0
if [ "$LAG_KUNIT" = 1 ]; then
	mark=$(dmesg | wc -l)
	if insmod "$LAG_MODDIR/lag_kunit.ko"; then
		dmesg | tail -n +"$((mark + 1))" > "$job/kunit.log"
		mkdir -p "$job/kunit"
		for d in /sys/kernel/debug/kunit/*/; do
			s=$(basename "$d")
			cp "$d/results" "$job/kunit/$s.ktap" 2>/dev/null
		done
		rmmod lag_kunit || { kmsg "rmmod lag_kunit failed"; rc=96; }
	else
		kmsg "insmod lag_kunit.ko failed"
		rc=95
	fi
fi

if [ ${#LAG_SCRIPT[@]} -gt 0 ]; then
	"${LAG_SCRIPT[@]}" > "$job/out" 2>&1 < /dev/null
	src=$?
	[ "$rc" = 0 ] && rc=$src
fi

if ! rmmod lag; then
	kmsg "rmmod lag failed"
	[ "$rc" = 0 ] && rc=94
fi

if [ -w $kml ]; then
	# kmemleak reports objects unreferenced for at least 5 seconds.
	sleep 6
	echo scan > $kml
	echo scan > $kml
	cat $kml > "$job/kmemleak.txt"
fi
kmsg "done"
finish "$rc"
