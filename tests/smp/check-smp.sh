#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check-smp.sh [smp|kcsan [SCRIPT...]]: lag on an x86_64 kernel with four CPUs under
# QEMU (TCG), where a frame sent on one CPU meets a member released on
# another, the LACP timers race the rx handler, and sysfs and netlink
# writers run at once. The UML test kernel is uniprocessor and cannot show
# any of that.
#
#   smp    (make check-smp) the debug kernel: KASAN, lockdep, RCU proving,
#          atomic-sleep, kmemleak and the netdev refcount tracker. It runs
#          the KUnit suites once, then the selftests concurrency can break:
#          churn (its loops pinned each to its CPU), datapath, membership
#          and lacp_interop.
#   kcsan  (make check-kcsan) the KCSAN kernel (KCSAN excludes KASAN), with
#          lockdep: churn and datapath. A data race reported in a function
#          of lag's fails; any other is listed (tests/guest/splat-check.sh).
#
# Each kernel is built once from Debian's linux-source-6.12
# (tests/kernel/build-KIND.sh) and cached like the UML kernel; lag.ko is
# built for it in build/KIND/. Everything runs in one boot (a boot takes
# minutes under TCG with the checkers): KUnit as the module loads, then each
# selftest in turn (tests/smp/suite.sh); the splat, rmmod and kmemleak
# checks are the UML runner's (tests/guest/lib.sh,
# tests/guest/splat-check.sh). Prints one line per check and, last,
# "N passed, N failed[, N skipped]"; exits non-zero when anything failed.
#
# SCRIPTs (paths) run first, in the same boot, before the selftests.
#
# Environment: LAG_SMP_SELFTESTS (selftest names instead of the default, set
# and empty for none; a name with a slash is a script path),
# LAG_SMP_KUNIT=0|1 (KUnit or not,
# instead of the kind's default), LAG_SMP_CPUS (guest CPUs, default 4),
# LAG_SMP_MEM (MiB, default 3072), LAG_SMP_TIMEOUT (seconds for the boot,
# default 3600), LAG_TEST_FILTER (as in run-guest.sh), LAG_CHURN_SECS and
# LAG_CHURN_FLOOD (as in churn.sh).

set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
kind=${1:-smp}
[ $# -gt 0 ] && shift
first=("$@")
case "$kind" in
smp)
	selftests=${LAG_SMP_SELFTESTS-churn datapath membership lacp_interop}
	kunit=${LAG_SMP_KUNIT:-1}
	;;
kcsan)
	selftests=${LAG_SMP_SELFTESTS-churn datapath}
	kunit=${LAG_SMP_KUNIT:-0}
	;;
*)
	echo "usage: $0 [smp|kcsan [SCRIPT...]]" >&2
	exit 2
	;;
esac
logs=$top/build/check-$kind
rm -rf "$logs"
mkdir -p "$logs"
qemu_smp=${LAG_SMP_CPUS:-4}
qemu_mem=${LAG_SMP_MEM:-3072}
qemu_timeout=${LAG_SMP_TIMEOUT:-3600}

passed=0 failed=0 skipped=0
pass() { passed=$((passed + 1)); echo "ok - $*"; }
fail() { failed=$((failed + 1)); echo "FAIL - $*"; }
skip() { skipped=$((skipped + 1)); echo "skip - $*"; }

# shellcheck source=tests/guest/qemu.sh
. "$top/tests/guest/qemu.sh"

finish() {
	local summary="$passed passed, $failed failed"
	[ "$skipped" -gt 0 ] && summary="$summary, $skipped skipped"
	echo "# check-$kind took ${SECONDS}s; logs in $logs"
	echo "$summary"
	[ "$failed" = 0 ]
	exit
}

if ! command -v qemu-system-x86_64 > /dev/null; then
	fail "$kind: qemu-system-x86_64 missing (install qemu-system-x86)"
	finish
fi

t0=$SECONDS
if tree=$("$top/tests/kernel/build-$kind.sh" 2> "$logs/kernel.log"); then
	pass "$kind: x86_64 test kernel ($tree, $((SECONDS - t0))s)"
else
	fail "$kind: x86_64 test kernel (see $logs/kernel.log)"
	tail -n 20 "$logs/kernel.log" | sed 's/^/    /'
	finish
fi
kernel=$tree/arch/x86/boot/bzImage
moddir=$top/build/$kind
if ! make -C "$top" KDIR="$tree" B="$moddir" modules > "$logs/modules.log" 2>&1; then
	fail "$kind: lag.ko for the x86_64 test kernel (see $logs/modules.log)"
	grep -i -m 10 -e warning -e error "$logs/modules.log" | sed 's/^/    /'
	finish
fi

# The kernel mounts the host's root itself (9p is built in).
append="root=hostroot rootfstype=9p ro"
append="$append rootflags=trans=virtio,version=9p2000.L,msize=262144,cache=loose"
append="$append init=$top/tests/guest/qemu-init.sh"
# ACPI's PCI interrupt routing (_PRT) runs into the interpreter's 30 s loop
# timeout twice under TCG; the MP table's routing does the same instantly.
append="$append acpi=noirq"
# KASAN reports only its first bad access unless told otherwise: a report
# before lag.ko loads (seen here once, in identify_cpu() at boot under
# TCG) would silence every later one, lag's included.
append="$append kasan_multi_shot"

# One boot for everything: booting this kernel under TCG takes minutes.
scripts=()
for t in ${first[@]+"${first[@]}"}; do
	if [ -f "$t" ]; then
		scripts+=("$(realpath "$t")")
	else
		fail "$kind: no script $t"
	fi
done
for name in $selftests; do
	t=$top/tests/selftests/$name.sh
	case "$name" in
	*/*) t=$(realpath "$name") ;;
	esac
	if [ -f "$t" ]; then
		scripts+=("$t")
	else
		fail "$kind: no selftest $name"
	fi
done
scratch=$logs/guest
qemu_job "$scratch" "$moddir" "" "$kunit" "$top/tests/smp/suite.sh" ${scripts[@]+"${scripts[@]}"}
t0=$SECONDS
qemu_boot "$scratch" "$kernel" "" "$append" > "$logs/guest.err" 2>&1
rc=$?
secs=$((SECONDS - t0))

if [ "$kunit" = 1 ]; then
	if [ -s "$scratch/kunit.log" ] &&
			python3 "$tree/tools/testing/kunit/kunit.py" parse \
			--json="$scratch/kunit.json" < "$scratch/kunit.log" \
			> "$logs/kunit.parse" 2>&1; then
		"$top/tests/kunit_summary.py" "$scratch/kunit.json" > "$logs/kunit.sum"
		while read -r word rest; do
			case "$word" in
			ok) pass "$kind: $rest" ;;
			skip) skip "$kind: $rest" ;;
			FAIL) fail "$kind: $rest" ;;
			esac
		done < <(grep -v '^kunit:' "$logs/kunit.sum")
	else
		fail "$kind: KUnit: no results (see $scratch/kunit.log)"
	fi
fi
for t in ${scripts[@]+"${scripts[@]}"}; do
	name=$(basename "$t" .sh)
	qemu_tap "$kind: $name" "$scratch/$name.tap"
	r=$(cat "$scratch/$name.rc" 2> /dev/null)
	if [ "$r" = 0 ]; then
		pass "$kind: $name: exit 0"
	else
		fail "$kind: $name: exit ${r:-none (it never ended)} (see $scratch/$name.tap)"
	fi
done
# KCSAN sets a watchpoint on one access in a few thousand: a run in which
# it set none could not have seen a race.
if [ "$kind" = kcsan ]; then
	kcsan_count() { sed -n "s/^$1: //p" "$2" 2> /dev/null; }
	w0=$(kcsan_count setup_watchpoints "$scratch/kcsan-before.txt")
	w1=$(kcsan_count setup_watchpoints "$scratch/kcsan-after.txt")
	r0=$(kcsan_count data_races "$scratch/kcsan-before.txt")
	r1=$(kcsan_count data_races "$scratch/kcsan-after.txt")
	if [ -n "$w0" ] && [ -n "$w1" ] && [ "$((w1 - w0))" -gt 0 ]; then
		pass "$kind: KCSAN watched the selftests: $((w1 - w0)) watchpoints set up, $((r1 - r0)) data races seen"
	else
		fail "$kind: KCSAN set up no watchpoint during the selftests (counters: '${w0:-none}' -> '${w1:-none}', see $scratch/kcsan-*.txt)"
	fi
fi

# Every KCSAN report, lag's or not, named here (splat-check.sh failed the
# run on one of lag's); whole in the scratch directory's kcsan.txt.
if [ -s "$scratch/kcsan.txt" ]; then
	grep -o 'BUG: KCSAN: .*' "$scratch/kcsan.txt" | sort | uniq -c |
		sed "s|^ *\([0-9]*\) BUG: KCSAN: \(.*\)|# $kind: KCSAN, \1 report(s): \2|"
elif [ "$kind" = kcsan ]; then
	echo "# $kind: no KCSAN report"
fi
if [ "$rc" = 0 ]; then
	pass "$kind: guest run on $qemu_smp CPUs: no splat, no leak, clean unload (${secs}s)"
else
	fail "$kind: guest run exited $rc (${secs}s; see $logs/guest.err and $scratch/)"
	head -n 20 "$logs/guest.err" | sed 's/^/    /'
fi
finish
