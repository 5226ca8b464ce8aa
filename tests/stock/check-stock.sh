#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check-stock: lag.ko on Debian's stock 6.1 and 6.12 amd64 kernels.
#
# For each /usr/src/linux-headers-<ver>-amd64 (the newest 6.1 and 6.12): build
# lag.ko against the headers (build/stock/<ver>/), boot /boot/vmlinuz-<ver>
# (package linux-image-<ver>, which must match the headers exactly) under
# QEMU with TCG, and run selftests there: by default the partner interop
# selftest (tests/selftests/lacp_interop.sh: bonding, teamd, ...), one fresh
# boot per selftest file.
#
# The root: a small initramfs (busybox-static and the virtio/9p modules of
# that kernel, see initramfs-init) mounts the host's root read-only over
# virtio-9p, so the guest runs the host's iproute2, python3, jq, teamd and
# tshark, and modprobes from the host's /lib/modules/<ver>. The guest writes
# only to tmpfs and to its scratch directory, build/check-stock/<ver>/<test>/
# (console.log, dmesg.txt, out, rc: the layout tests/guest/splat-check.sh
# reads), which is shared read-write. Nothing is loaded into the host.
#
# The stock kernels have no KASAN, lockdep or kmemleak: the splat check here
# finds BUG, WARNING, Oops, panics, RCU stalls, refcount warnings,
# unregister_netdevice waits and failed insmod/rmmod, not what only the debug
# kernel (make check) can see.
#
# Prints one line per check and, last, "N passed, N failed[, N skipped]";
# exits non-zero when anything failed.
#
# Environment: LAG_STOCK_KERNELS (versions, default the newest 6.1 and 6.12
# headers found), LAG_STOCK_SELFTESTS (selftest names, default
# "lacp_interop"; a name with a slash is a script path), LAG_TEST_FILTER
# (as in run-guest.sh), LAG_STOCK_TIMEOUT (seconds per boot, default 1200),
# LAG_STOCK_SMP (guest CPUs, default the host's, at most 4), LAG_STOCK_MEM
# (MiB, default 2048).

set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
logs=$top/build/check-stock
rm -rf "$logs"
mkdir -p "$logs"
qemu_timeout=${LAG_STOCK_TIMEOUT:-1200}
qemu_smp=${LAG_STOCK_SMP:-$(nproc)}
[ "$qemu_smp" -gt 4 ] && qemu_smp=4
qemu_mem=${LAG_STOCK_MEM:-2048}
selftests=${LAG_STOCK_SELFTESTS:-lacp_interop}

passed=0 failed=0 skipped=0
pass() { passed=$((passed + 1)); echo "ok - $*"; }
fail() { failed=$((failed + 1)); echo "FAIL - $*"; }
skip() { skipped=$((skipped + 1)); echo "skip - $*"; }

# shellcheck source=tests/guest/qemu.sh
. "$top/tests/guest/qemu.sh"

newest() { ls -d $1 2> /dev/null | sort -V | tail -n 1; }

if [ -n "${LAG_STOCK_KERNELS:-}" ]; then
	kernels=$LAG_STOCK_KERNELS
else
	kernels=""
	for p in '6.1.*-amd64' '6.12.*-amd64'; do
		k=$(newest "/usr/src/linux-headers-$p")
		if [ -n "$k" ]; then
			kernels="$kernels ${k#/usr/src/linux-headers-}"
		else
			fail "no Debian headers /usr/src/linux-headers-$p (install linux-headers-amd64 linux-headers-6.12-amd64)"
		fi
	done
fi

missing=""
for c in qemu-system-x86_64 busybox cpio xz modprobe; do
	command -v "$c" > /dev/null || missing="$missing $c"
done
if [ -n "$missing" ]; then
	fail "missing:$missing (install qemu-system-x86 busybox-static cpio xz-utils kmod)"
	kernels=""
fi

# initramfs VER DIR: build DIR/initramfs.cpio.gz for kernel VER
initramfs() {
	local ver=$1 dir=$2 root=$2/initramfs m f name
	rm -rf "$root"
	mkdir -p "$root"/{bin,dev,proc,sys,modules}
	cp "$(command -v busybox)" "$root/bin/busybox"
	ln -s busybox "$root/bin/sh"
	cp "$top/tests/stock/initramfs-init" "$root/init"
	: > "$root/modules/order"
	for m in virtio_pci 9pnet_virtio 9p; do
		modprobe -S "$ver" --show-depends "$m" > "$dir/deps.$m" || return 1
		while read -r word f; do
			[ "$word" = insmod ] || continue
			f=${f%% *}
			name=$(basename "$f")
			name=${name%.xz}
			name=${name%.zst}
			grep -qx "$name" "$root/modules/order" && continue
			case "$f" in
			*.xz) xz -dc "$f" > "$root/modules/$name" ;;
			*.zst) zstd -dcq "$f" > "$root/modules/$name" ;;
			*) cp "$f" "$root/modules/$name" ;;
			esac || return 1
			echo "$name" >> "$root/modules/order"
		done < "$dir/deps.$m"
	done
	(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) > "$dir/initramfs.cpio.gz"
}

t_all=$(date +%s)
for ver in $kernels; do
	kdir=/usr/src/linux-headers-$ver
	moddir=$logs/$ver
	mkdir -p "$moddir"
	t0=$(date +%s)
	if make -C "$top" KDIR="$kdir" B="$top/build/stock/$ver" modules > "$moddir/build.log" 2>&1 &&
			cp "$top/build/stock/$ver/lag.ko" "$moddir/lag.ko"; then
		pass "$ver: build lag.ko ($(($(date +%s) - t0))s)"
	else
		fail "$ver: build lag.ko (see $moddir/build.log)"
		grep -i -m 10 -e 'warning' -e 'error' "$moddir/build.log" | sed 's/^/    /'
		continue
	fi
	vermagic=$(modinfo -F vermagic "$moddir/lag.ko" | cut -d' ' -f1)
	if [ "$vermagic" != "$ver" ]; then
		fail "$ver: lag.ko vermagic is '$vermagic'"
		continue
	fi
	if [ ! -r "/boot/vmlinuz-$ver" ] || [ ! -d "/lib/modules/$ver/kernel" ]; then
		fail "$ver: no stock kernel to boot (apt-get install linux-image-$ver)"
		continue
	fi
	if ! initramfs "$ver" "$moddir" > "$moddir/initramfs.log" 2>&1; then
		fail "$ver: initramfs (see $moddir/initramfs.log)"
		continue
	fi
	for name in $selftests; do
		t=$top/tests/selftests/$name.sh
		case "$name" in
		*/*) t=$(realpath "$name"); name=$(basename "$name" .sh) ;;
		esac
		if [ ! -f "$t" ]; then
			fail "$ver: no selftest $name"
			continue
		fi
		t0=$(date +%s)
		qemu_job "$moddir/$name" "$moddir" "veth bonding" 0 "$t"
		qemu_boot "$moddir/$name" "/boot/vmlinuz-$ver" "$moddir/initramfs.cpio.gz" \
			"LAG_STOCK_INIT=$top/tests/guest/qemu-init.sh" \
			> "$moddir/$name.out" 2> "$moddir/$name.err"
		rc=$?
		cat "$moddir/$name/out" > "$moddir/$name.tap" 2> /dev/null
		# The test's own TAP lines, one check each.
		qemu_tap "$ver: $name" "$moddir/$name.tap"
		secs=$(($(date +%s) - t0))
		if [ "$rc" = 0 ]; then
			pass "$ver: $name: guest run (no splat, clean unload; ${secs}s)"
		else
			fail "$ver: $name: guest run exited $rc (${secs}s; see $moddir/$name.err and $moddir/$name/)"
			head -n 20 "$moddir/$name.err" | sed 's/^/    /'
		fi
	done
done

summary="$passed passed, $failed failed"
[ "$skipped" -gt 0 ] && summary="$summary, $skipped skipped"
echo "# check-stock took $(($(date +%s) - t_all))s; logs in $logs"
echo "$summary"
[ "$failed" = 0 ]
