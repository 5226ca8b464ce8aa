#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot the UML test kernel with the host root (read-only, through hostfs),
# load lag.ko, run one script inside the guest and return its status.
#
# Usage: tests/run-guest.sh [--kunit] [--timeout SECS] [SCRIPT [ARGS...]]
#
#   --kunit    also load lag_kunit.ko (its suites run at load) and parse their
#              KTAP with the kernel tree's kunit.py; each case is reported
#   SCRIPT     runs in the guest as root with the repository as working
#              directory; its stdout and stderr are printed here afterwards
#
# The guest writes only to its scratch directory ($LAG_SCRATCH, default
# build/guest/<pid>), mounted read-write at /tmp/lag-job inside the guest.
# The console goes to console.log there. After insmod, any kernel splat
# (BUG, WARNING, KASAN, lockdep, suspicious RCU usage, refcount warnings,
# unregister_netdevice waits, a failed rmmod, kmemleak reports from a scan at
# the end) fails the run and is named on stderr.
#
# Environment: LAG_UML_TREE (skip building/locating the UML tree),
# LAG_MODDIR (the modules built for that tree; default build/uml),
# LAG_KEEP=1 (keep the scratch directory), LAG_TEST_FILTER (a regular
# expression: selftest cases whose description does not match skip),
# LAG_CHURN_SECS and LAG_CHURN_FLOOD (how long churn.sh churns, and
# whether it floods the members too).

set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=tests/guest/env.sh
. "$top/tests/guest/env.sh"
kunit=0
timeout=900
while [ $# -gt 0 ]; do
	case "$1" in
	--kunit) kunit=1; shift ;;
	--timeout) timeout=$2; shift 2 ;;
	--) shift; break ;;
	-*) echo "run-guest: unknown option $1" >&2; exit 2 ;;
	*) break ;;
	esac
done

tree=${LAG_UML_TREE:-$("$top/tests/kernel/build-uml.sh")} || exit 1
moddir=${LAG_MODDIR:-$top/build/uml}
if [ ! -f "$moddir/lag.ko" ] || [ "$kunit" = 1 ] && [ ! -f "$moddir/lag_kunit.ko" ]; then
	echo "run-guest: $moddir has no modules; run 'make uml' first" >&2
	exit 1
fi

scratch=${LAG_SCRATCH:-$top/build/guest/$$}
rm -rf "$scratch"
mkdir -p "$scratch"

{
	printf 'LAG_TOP=%q\n' "$top"
	printf 'LAG_MODDIR=%q\n' "$moddir"
	printf 'LAG_KUNIT=%q\n' "$kunit"
	guest_env_print
	printf 'LAG_SCRIPT=('
	[ $# -gt 0 ] && printf '%q ' "$@"
	printf ')\n'
} > "$scratch/job.env"

# kasan_multi_shot: KASAN reports only its first bad access otherwise, and
# one before lag.ko loads would silence every later one.
status=0
timeout --kill-after=10 "$timeout" "$tree/linux" \
	mem=1536M log_buf_len=8M rootfstype=hostfs rootflags=/ ro kasan_multi_shot \
	init="$top/tests/guest/init.sh" LAG_JOB="$scratch" \
	uml_dir="$scratch/uml" con0=fd:0,fd:1 con=null ssl=null \
	< /dev/null > "$scratch/console.log" 2>&1 || status=$?

[ -f "$scratch/out" ] && cat "$scratch/out"

fail() { echo "run-guest: FAIL: $*" >&2; status=1; }

if [ ! -f "$scratch/rc" ]; then
	if [ "$status" = 124 ] || [ "$status" = 137 ]; then
		fail "guest timed out after ${timeout}s"
	else
		fail "guest died before the job finished (exit $status)"
	fi
	tail -n 40 "$scratch/console.log" >&2
else
	rc=$(cat "$scratch/rc")
	status=0
	[ "$rc" = 0 ] || { echo "run-guest: script exited $rc" >&2; status=$rc; }
fi

"$top/tests/guest/splat-check.sh" "$scratch" || status=1

if [ "$kunit" = 1 ]; then
	if [ -s "$scratch/kunit.log" ]; then
		python3 "$tree/tools/testing/kunit/kunit.py" parse \
			--json="$scratch/kunit.json" < "$scratch/kunit.log" || status=1
	else
		fail "no KUnit output"
	fi
fi

if [ "$status" = 0 ] && [ -z "${LAG_KEEP:-}" ] && [ -z "${LAG_SCRATCH:-}" ]; then
	rm -rf "$scratch"
else
	echo "run-guest: scratch kept in $scratch" >&2
fi
exit "$status"
