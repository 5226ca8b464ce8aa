#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# splat-check-test.sh: tests/guest/splat-check.sh on kernel logs made up
# here, on the host: what passes, what fails, and which KCSAN reports count
# as lag's. TAP on stdout; exits 1 if a case failed.

here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0 failed=0

# kcsan_report FIRST SECOND: a KCSAN report whose title names FIRST and
# SECOND, as the kernel prints it (kernel/kcsan/report.c)
kcsan_report() {
	cat <<-END
	==================================================================
	BUG: KCSAN: data-race in $1 / $2

	write to 0xffff888004a1c0a8 of 1 bytes by task 211 on cpu 2:
	 $1+0x1d/0x80
	 dev_ioctl+0x2a5/0x8e0

	read to 0xffff888004a1c0a8 of 1 bytes by interrupt on cpu 0:
	 $2+0x3c/0x200
	 dev_hard_start_xmit+0xcd/0x3a0

	value changed: 0x03 -> 0x01

	Reported by Kernel Concurrency Sanitizer on:
	CPU: 0 UID: 0 PID: 0 Comm: swapper/0 Not tainted 6.12.118 #1
	==================================================================
	END
}

# case EXPECT DESC: splat-check on $tmp/s (console.log built by the caller,
# dmesg.txt a copy) must exit EXPECT (0 or 1)
case_() {
	local expect=$1 desc=$2 rc
	n=$((n + 1))
	cp "$tmp/s/console.log" "$tmp/s/dmesg.txt"
	"$here/splat-check.sh" "$tmp/s" > "$tmp/out" 2>&1
	rc=$?
	if [ "$rc" = "$expect" ]; then
		echo "ok $n - $desc"
	else
		echo "not ok $n - $desc"
		echo "# splat-check exited $rc, expected $expect:"
		sed 's/^/# /' "$tmp/out"
		failed=1
	fi
}

# log LINE...: a fresh console.log, boot lines, the insmod marker, LINEs
log() {
	rm -rf "$tmp/s"
	mkdir -p "$tmp/s"
	{
		echo "WARNING: CPU: 0 PID: 1 at boot, before lag"
		echo "lag-runner: loading lag.ko"
		printf '%s\n' "$@"
		echo "lag-runner: done"
	} > "$tmp/s/console.log"
}

log "lag0: a0 joined as port 1"
case_ 0 "a clean log after insmod passes (a splat before it does not count)"

log "WARNING: CPU: 1 PID: 40 at net/core/dev.c:1 lag_start_xmit+0x1/0x2 [lag]"
case_ 1 "a WARNING after insmod fails"

log "$(kcsan_report "lag_update_tx [lag]" "lag_start_xmit [lag]")"
case_ 1 "a KCSAN race between two lag functions fails"

log "$(kcsan_report "__dev_queue_xmit" "lag_start_xmit [lag]")"
case_ 1 "a KCSAN race with one lag function fails"
n=$((n + 1))
if grep -q "a race in lag: BUG: KCSAN: data-race in __dev_queue_xmit / lag_start_xmit \[lag\]" "$tmp/out"; then
	echo "ok $n - the race in lag is named"
else
	echo "not ok $n - the race in lag is named"
	sed 's/^/# /' "$tmp/out"
	failed=1
fi

log "$(kcsan_report "veth_xmit" "veth_get_stats64")"
case_ 0 "a KCSAN race outside lag is listed, not failed"
n=$((n + 1))
if grep -q "a race outside lag" "$tmp/out" && [ -s "$tmp/s/kcsan.txt" ]; then
	echo "ok $n - a race outside lag is named and kept in kcsan.txt"
else
	echo "not ok $n - a race outside lag is named and kept in kcsan.txt"
	failed=1
fi

log "$(kcsan_report "veth_xmit" "veth_get_stats64")" \
	"BUG: KASAN: slab-use-after-free in lag_handle_frame+0x1/0x2 [lag]"
case_ 1 "a KASAN report after a KCSAN block outside lag still fails"

# A console cut off in the middle of a KCSAN report outside lag: a splat
# in dmesg.txt after it must still be seen.
log "$(kcsan_report "veth_xmit" "veth_get_stats64" | head -n 6)"
n=$((n + 1))
{
	echo "lag-runner: loading lag.ko"
	echo "WARNING: CPU: 2 PID: 7 at lag_main.c:1 lag_release+0x1/0x2 [lag]"
} > "$tmp/s/dmesg.txt"
if ! "$here/splat-check.sh" "$tmp/s" > "$tmp/out" 2>&1; then
	echo "ok $n - a KCSAN report cut short hides no splat after it"
else
	echo "not ok $n - a KCSAN report cut short hides no splat after it"
	sed 's/^/# /' "$tmp/out"
	failed=1
fi

echo "1..$n"
exit "$failed"
