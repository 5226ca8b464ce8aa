#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# suite.sh SELFTEST...: the guest side of tests/smp/check-smp.sh. Runs each
# selftest in turn in this one boot (a boot of the debug kernel under TCG
# takes minutes, a selftest seconds to a minute), each with lag.ko loaded
# as the runner left it: its TAP goes to /tmp/lag-job/NAME.tap, its exit
# status to NAME.rc, and a line "lag-smp: NAME" to the kernel log first, so
# that a splat can be placed. On the KCSAN kernel it saves KCSAN's counters
# before and after (kcsan-before.txt, kcsan-after.txt). Exits 1 if any
# selftest failed.

job=/tmp/lag-job
kcsan=/sys/kernel/debug/kcsan
rc=0
# KCSAN's counters (the KCSAN kernel only), before and after: proof that
# its watchpoints were armed while the selftests ran.
[ -r $kcsan ] && cat $kcsan > "$job/kcsan-before.txt"
for t in "$@"; do
	name=$(basename "$t" .sh)
	echo "lag-smp: $name" > /dev/kmsg
	"$t" > "$job/$name.tap" 2>&1 < /dev/null
	r=$?
	echo "$r" > "$job/$name.rc"
	echo "$name: exit $r"
	[ "$r" = 0 ] || rc=1
done
[ -r $kcsan ] && cat $kcsan > "$job/kcsan-after.txt"
exit "$rc"
