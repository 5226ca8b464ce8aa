# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# What every guest's init does, sourced by each: tests/guest/init.sh (the
# UML debug kernel, run by tests/run-guest.sh) and tests/guest/qemu-init.sh
# (every kernel under QEMU, booted by tests/guest/qemu.sh: Debian's stock
# kernels and the x86_64 SMP test kernels).
# The host's root is the guest's, read-only; a guest writes only to tmpfs
# and to the job's scratch directory, which holds job.env (what to run) and
# receives out, rc and dmesg.txt, the files tests/guest/splat-check.sh and
# the runners read (and, under QEMU, booted: see qemu-init.sh).
#
#   guest_mount_base          proc, sysfs, devtmpfs and a tmpfs on /run
#   (the init mounts the job's directory on /run/lag-job: hostfs or 9p)
#   guest_setup HOSTNAME      a tmpfs on /tmp that keeps the checkout in
#                             view, /tmp/lag-job, debugfs, devpts, /dev/shm
#   guest_run_job [MODULE..]  modprobe MODULEs, insmod lag.ko (and
#                             lag_kunit.ko when asked), run the job's
#                             script, rmmod, scan for leaks, finish

# shellcheck source=tests/guest/env.sh
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"

export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/tmp LANG=C.UTF-8

job=/tmp/lag-job
kml=/sys/kernel/debug/kmemleak

kmsg() { echo "lag-runner: $*" > /dev/kmsg; }

# finish RC: save the kernel log and RC for the host, power off.
finish() {
	dmesg > "$job/dmesg.txt"
	echo "$1" > "$job/rc"
	sync
	echo o > /proc/sysrq-trigger
	sleep 10
	echo b > /proc/sysrq-trigger
	exit "$1"
}

guest_mount_base() {
	mount -t proc proc /proc
	mount -t sysfs sysfs /sys
	mountpoint -q /dev || mount -t devtmpfs devtmpfs /dev
	mount -t tmpfs tmpfs /run
	mkdir -p /run/lag-job
}

guest_setup() {
	local top

	# The guest's /tmp is a tmpfs; a checkout under the host's /tmp (a
	# fresh clone there, as CI may make) would vanish under it, so it is
	# bound back at the same path.
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
	mkdir -p /dev/pts /dev/shm $job
	mount -t devpts devpts /dev/pts
	mount -t tmpfs tmpfs /dev/shm
	mount --bind /run/lag-job $job
	hostname "$1"
	ip link set lo up
}

# The kmemleak scan, where the kernel has it: leaks land in kmemleak.txt.
guest_kmemleak_clear() {
	[ -w $kml ] || return 0
	echo scan > $kml
	echo clear > $kml
}

guest_kmemleak_scan() {
	[ -w $kml ] || return 0
	# kmemleak reports objects unreferenced for at least 5 seconds.
	sleep 6
	echo scan > $kml
	echo scan > $kml
	cat $kml > "$job/kmemleak.txt"
}

guest_kunit() {
	local mark d

	mark=$(dmesg | wc -l)
	if ! insmod "$LAG_MODDIR/lag_kunit.ko"; then
		kmsg "insmod lag_kunit.ko failed"
		return 95
	fi
	dmesg | tail -n +"$((mark + 1))" > "$job/kunit.log"
	mkdir -p "$job/kunit"
	for d in /sys/kernel/debug/kunit/*/; do
		cp "$d/results" "$job/kunit/$(basename "$d").ktap" 2> /dev/null
	done
	rmmod lag_kunit || { kmsg "rmmod lag_kunit failed"; return 96; }
}

guest_run_job() {
	local m rc=0 src v

	# shellcheck source=/dev/null
	. "$job/job.env"
	export LAG_TOP LAG_MODDIR
	for v in "${guest_env_vars[@]}"; do
		# shellcheck disable=SC2163 # exports the variable named by v
		[ -n "${!v:-}" ] && export "$v"
	done
	cd "$LAG_TOP" || finish 97

	kmsg "kernel $(uname -r)"
	for m in "$@"; do
		modprobe "$m" || { kmsg "modprobe $m failed"; finish 93; }
	done
	guest_kmemleak_clear

	# Splats count from here on: module init included.
	kmsg "loading lag.ko"
	if ! insmod "$LAG_MODDIR/lag.ko"; then
		kmsg "insmod lag.ko failed"
		finish 98
	fi
	kmsg "module loaded"

	if [ "${LAG_KUNIT:-0}" = 1 ]; then
		guest_kunit || rc=$?
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
	guest_kmemleak_scan
	kmsg "done"
	finish "$rc"
}
