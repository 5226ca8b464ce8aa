#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# splat-check.sh SCRATCH: fail (and name the splat) if the guest's kernel log
# shows any splat after lag.ko was loaded, or kmemleak found leaks.

scratch=$1
status=0

# The console sees every message as it is printed; dmesg.txt is the kernel
# log buffer read at the end. Check both, each from the marker printed just
# before insmod on, so that module init counts and boot messages do not.
after=$(awk 'FNR == 1 { on = 0 } /lag-runner: loading lag.ko/ { on = 1 } on' \
	"$scratch/console.log" "$scratch/dmesg.txt" 2> /dev/null)
log="$scratch/console.log"
if [ -z "$after" ]; then
	echo "splat-check: the log never shows lag.ko loaded" >&2
	grep -h -m5 'lag-runner:' "$scratch/console.log" "$scratch/dmesg.txt" >&2
	exit 1
fi

# KCSAN (the x86_64 KCSAN kernel of make check-kcsan) reports a data race
# as a block from "BUG: KCSAN:" to "Reported by ...", titled with the two
# functions that raced, a module's with its name ("lag_foo [lag]"). A race
# in which a function of lag's is one of the two fails; any other report
# (the core's, a driver's, with lag at most deeper in a stack) is listed,
# saved whole in kcsan.txt, and left to whoever reads it. The blocks are
# taken out before the patterns below, whose "BUG:" would match them.
# Read from the console only: dmesg.txt holds the same reports again.
kcsan=$(awk '/lag-runner: loading lag.ko/ { mark = 1 } !mark { next }
	/BUG: KCSAN:/ { on = 1 } on { print } /Reported by Kernel Concurrency Sanitizer/ { on = 0 }' \
	"$scratch/console.log" 2> /dev/null)
if [ -n "$kcsan" ]; then
	echo "$kcsan" > "$scratch/kcsan.txt"
	# A block cut short (a console that stopped mid-report) ends at the
	# marker that starts the next file's part, so it hides nothing after.
	after=$(awk '/lag-runner: loading lag.ko/ { on = 0 } /BUG: KCSAN:/ { on = 1 }
		!on { print } /Reported by Kernel Concurrency Sanitizer/ { on = 0 }' <<< "$after")
	while IFS= read -r title; do
		case "$title" in
		*"[lag]"*)
			echo "splat-check: KCSAN: a race in lag: $title" >&2
			status=1 ;;
		*) echo "splat-check: KCSAN: a race outside lag (see kcsan.txt): $title" >&2 ;;
		esac
	done < <(grep -o 'BUG: KCSAN: .*' <<< "$kcsan" | sort -u)
fi

patterns=(
	'BUG:' 'WARNING:' 'KASAN' 'UBSAN' 'Oops' 'Kernel panic' 'kernel BUG'
	'general protection' 'possible circular locking' 'possible recursive locking'
	'inconsistent lock state' 'lockdep' 'suspicious RCU usage' 'refcount_t:'
	'unregister_netdevice: waiting' 'rcu_sched self-detected stall'
	'rcu: INFO' 'blocked for more than' 'lag-runner: rmmod .* failed'
	'lag-runner: insmod .* failed' 'ODEBUG'
)
for p in "${patterns[@]}"; do
	hit=$(grep -m1 -e "$p" <<< "$after")
	if [ -n "$hit" ]; then
		echo "splat-check: kernel splat after insmod: $hit" >&2
		status=1
	fi
done
if [ "$status" != 0 ]; then
	echo "splat-check: full log in $log" >&2
fi

if [ -s "$scratch/kmemleak.txt" ]; then
	echo "splat-check: kmemleak: $(grep -c 'unreferenced object' "$scratch/kmemleak.txt") leak(s):" >&2
	head -n 30 "$scratch/kmemleak.txt" >&2
	status=1
fi
exit $status
