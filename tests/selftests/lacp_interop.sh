#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# LACP against the partners Linux operators run: bonding in 802.3ad mode and
# teamd's lacp runner, each in its own namespace, four veth links.

. "$(dirname "$0")/lib.sh"

PS=$LAG_TOP/tests/selftests/partner_state.py
SP=$LAG_TOP/tests/selftests/slowproto.py

# our_lag NS RATE [N]: lag0 in NS with members a0..a(N-1), up
our_lag() {
	local ns=$1 rate=$2 n=${3:-4} i
	ip -n "$ns" link add lag0 type lag || return 1
	nsx "$ns" sh -c "echo $rate > /sys/class/net/lag0/lag/lacp_rate" || return 1
	for ((i = 0; i < n; i++)); do
		ip -n "$ns" link set "a$i" master lag0 || return 1
	done
	ip -n "$ns" link set lag0 up
}

# links NSA NSB [FIRST] [N]: veth aI in NSA to bI in NSB
links() {
	local i
	for ((i = ${3:-0}; i < ${3:-0} + ${4:-4}; i++)); do
		veth "$1" "a$i" "$2" "b$i" || return 1
	done
}

_partner_up() { # NS KIND DEV N
	test "$(nsx "$1" python3 "$PS" "$2" "$3" | jq '[.[] | select(.ours_up)] | length')" = "$4"
}

# since START: seconds elapsed, with two decimals
since() { echo "scale=2; ($(date +%s%N) - $1) / 1000000000" | bc; }

ping_ok() { # NSA NSB
	ip -n "$1" addr add 192.0.2.1/24 dev lag0
	ip -n "$2" addr add 192.0.2.2/24 dev "$3"
	nsx "$1" ping -c 3 -i 0.2 -W 2 192.0.2.2 > /dev/null
}

test_bond() { # RATE
	local a b c d t0 tl tb
	a=$(ns_new bond-$1-a) || return 1
	b=$(ns_new bond-$1-b) || return 1
	check links "$a" "$b"
	check partner_bond "$b" bond0 "$1" b0 b1 b2 b3
	t0=$(date +%s%N)
	check our_lag "$a" "$1"
	check wait_active "$a" lag0 4 40
	tl=$(since "$t0")
	check wait_for 10 _partner_up "$b" bond bond0 4
	nsx "$b" python3 "$PS" bond bond0
	check ping_ok "$a" "$b" bond0

	# The same, bonding against bonding, for comparison.
	c=$(ns_new bond-$1-c) || return 1
	d=$(ns_new bond-$1-d) || return 1
	check links "$c" "$d"
	check partner_bond "$d" bond0 "$1" b0 b1 b2 b3
	t0=$(date +%s%N)
	check partner_bond "$c" bond0 "$1" a0 a1 a2 a3
	check wait_for 40 _partner_up "$d" bond bond0 4
	tb=$(since "$t0")
	note "convergence ($1 rate, enslave to all four distributing): lag ${tl}s, bonding ${tb}s"
}

_bond_sees() { # NS BOND JQ-EXPR: true for every port
	test "$(nsx "$1" python3 "$PS" bond "$2" | jq "[.[] | $3] | all")" = true
}

test_config_changes() {
	local a b
	a=$(ns_new cfg-a) || return 1
	b=$(ns_new cfg-b) || return 1
	check links "$a" "$b"
	check partner_bond "$b" bond0 fast b0 b1 b2 b3
	check our_lag "$a" fast
	check wait_active "$a" lag0 4 40
	# Our TIMEOUT bit (0x02) as bonding records it follows lacp_rate.
	check wait_for 5 _bond_sees "$b" bond0 '(.partner_state % 4) >= 2'
	check nsx "$a" sh -c 'echo slow > /sys/class/net/lag0/lag/lacp_rate'
	check wait_for 5 _bond_sees "$b" bond0 '(.partner_state % 4) < 2'
	check nsx "$a" sh -c 'echo 100 > /sys/class/net/lag0/lag/actor_sys_prio'
	check wait_for 5 _bond_sees "$b" bond0 '.partner_sys_prio == 100'
	check nsx "$a" sh -c 'echo 02:00:00:00:00:42 > /sys/class/net/lag0/lag/actor_system'
	check wait_for 5 _bond_sees "$b" bond0 '.partner_system == "02:00:00:00:00:42"'
	check wait_active "$a" lag0 4 20
	check wait_for 10 _partner_up "$b" bond bond0 4
	nsx "$b" python3 "$PS" bond bond0
}

test_team() {
	local a b t0
	if ! command -v teamd > /dev/null; then
		echo "teamd is not installed"
		return 1
	fi
	a=$(ns_new team-a) || return 1
	b=$(ns_new team-b) || return 1
	check links "$a" "$b"
	check partner_team "$b" team0 fast b0 b1 b2 b3
	t0=$(date +%s%N)
	check our_lag "$a" fast
	check wait_active "$a" lag0 4 40
	note "convergence against teamd: $(since "$t0")s"
	check wait_for 10 _partner_up "$b" team team0 4
	nsx "$b" python3 "$PS" team team0
	check ping_ok "$a" "$b" team0
}

# The silent partner's bounds, in seconds, from the protocol's timers (IEEE
# 802.1AX; both ends at the fast rate; ours in include/lacp.h, bonding's the
# same): fast periodic 1, short timeout 3 (three fast periods), Aggregate
# wait 2, slow periodic 30; at most three LACPDUs per fast period.
# - A port whose partner falls silent expires one short timeout after the
#   partner's last LACPDU and falls back to its defaulted partner one short
#   timeout later: at most 3 and 6 s after the filter goes on.
# - Once the partner speaks again the port distributes after: the partner's
#   next LACPDU (its fast periodic, 1 s); from defaulted, a re-selection and
#   the Aggregate wait (2 s); our LACPDU in sync, then the partner's showing
#   it collecting, each sent at once but possibly held by the three-per-second
#   limit (1 s each). 1 + 2 + 1 + 1 = 5 s.
# - Unless bonding's b0 has fallen back to its defaulted partner as well (its
#   actor state shows Defaulted, 0x40): a defaulted a0 sends only at the slow
#   rate (its defaulted partner has a long timeout), so b0 defaults two short
#   timeouts after a0's last LACPDU, i.e. when the filter stays on 6 s past
#   a0's defaulting. Both ends then send only at the slow rate: the first
#   LACPDU may take 30 s, then both re-select (2 s) and exchange (2 s): 34 s.
# Each bound gets SLACK seconds of timer lateness: a QEMU TCG guest on a
# loaded host runs its timers and its polls late (the one failure seen, with
# a 10 s bound, was in a stock 6.1 guest running 40 to 60 % slower than usual
# while a whole make check shared its two CPUs). The fast return's bound,
# 15 s, stays below the slow periodic time: a port that had to wait for a
# slow periodic LACPDU still fails.
FAST=1 SHORT=3 AGG_WAIT=2 SLOW=30 SLACK=10

# Our a0's transitions, in a tracing instance of this test's own (nothing if
# tracefs or the lag events are missing: they only help diagnose).
_trace=""
trace_start() { # NAME
	local t=/sys/kernel/tracing
	mountpoint -q $t || mount -t tracefs nodev $t 2> /dev/null || return 0
	_trace=$t/instances/$NS_PREFIX-$1
	mkdir "$_trace" 2> /dev/null || { _trace=""; return 0; }
	if ! echo 'dev == "a0"' > "$_trace/events/lag/lag_rx_state/filter" ||
			! echo 'dev == "a0"' > "$_trace/events/lag/lag_mux_state/filter" ||
			! echo 1 > "$_trace/events/lag/enable"; then
		rmdir "$_trace"
		_trace=""
	fi
} 2> /dev/null
trace_mark() { [ -z "$_trace" ] || echo "$*" > "$_trace/trace_marker"; }
trace_show() {
	[ -n "$_trace" ] || return 0
	# Other tests' LAGs, all distributing, have an a0 too: leave out
	# what a distributing a0 logs for each LACPDU.
	echo "lag events of a0 (seconds since boot):"
	grep -v -e '^#' -e 'receive current -> current, reason none' "$_trace/trace" |
		sed -e 's/^ *//' -e 's/^.*\] [^ ]* *//' | tail -n 40
}
trace_stop() {
	[ -n "$_trace" ] || return 0
	echo 0 > "$_trace/events/lag/enable"
	rmdir "$_trace"
	_trace=""
}

# bond_actor_state NS BOND PORT: bonding's actor state for PORT, in decimal
bond_actor_state() {
	# shellcheck disable=SC2016 # an awk program
	nsx "$1" awk -v p="$3" '
		/^Slave Interface:/ { s = ($3 == p); a = 0 }
		s && /details actor lacp pdu:/ { a = 1 }
		s && a && /port state:/ { print $3; exit }' "/proc/net/bonding/$2"
}

# now: nanoseconds since the epoch, without a fork (for since)
now() { echo "${EPOCHREALTIME/./}000"; }

# silence NS on|off: drop b0's outgoing LACPDUs in NS, or stop
silence() {
	if [ "$2" = on ]; then
		tc -n "$1" qdisc add dev b0 clsact &&
			tc -n "$1" filter add dev b0 egress protocol 0x8809 matchall action drop &&
			trace_mark "b0 silenced"
	else
		tc -n "$1" qdisc del dev b0 clsact && trace_mark "b0 speaks again"
	fi
}

# silent_diag NSA NSB: a0 and its partner b0 as each end sees them (the
# case prints a0's transitions at its end)
silent_diag() {
	echo "/proc/net/bonding/bond0 (the partner):"
	nsx "$2" cat /proc/net/bonding/bond0
	echo "lag0 active_ports: $(active_ports "$1" lag0)"
	echo "a0 lag_port:"
	nsx "$1" sh -c 'cd /sys/class/net/a0/lag_port && grep -H . *' | tr '\n' ' ' | fold -s -w 100
	echo
}

# secs NS1 NS2: NS2 - NS1 nanoseconds in seconds, two decimals
secs() { printf '%d.%02d' $((($2 - $1) / 1000000000)) $((($2 - $1) / 10000000 % 100)); }

# silent_return NSA NSB SILENT-SINCE [WHAT]: lift the filter at once; a0
# distributes again within the bound (see above). Only b0's state is read
# before the wait: in a slow guest every command here takes its time.
silent_return() {
	local a=$1 b=$2 st bound t0 back=0
	silence "$b" off || return 1
	t0=${EPOCHREALTIME/./}000
	st=$(bond_actor_state "$b" bond0 b0)
	if [ $((${st:-0} & 0x40)) != 0 ]; then
		bound=$((SLOW + AGG_WAIT + 2 * FAST + SLACK))
	else
		bound=$((FAST + AGG_WAIT + 2 * FAST + SLACK))
	fi
	if wait_active "$a" lag0 4 "$bound"; then
		back=1
		note "a0 back $(secs "$t0" "$(now)")s after the filter was removed${4:+, $4} (bound ${bound}s)"
	else
		echo "a0 not back within ${bound}s after the filter was removed${4:+, $4}"
	fi
	note "b0 had been silent $(secs "$3" "$t0")s; its actor state then: ${st:-?}"
	[ $((${st:-0} & 0x40)) = 0 ] ||
		note "b0 had fallen back to its defaulted partner too: both ends at the slow rate"
	[ "$back" = 1 ] && return 0
	silent_diag "$a" "$b"
	return 1
}

test_silent_partner() {
	local a b t0 reason
	a=$(ns_new silent-a) || return 1
	b=$(ns_new silent-b) || return 1
	check links "$a" "$b"
	check partner_bond "$b" bond0 fast b0 b1 b2 b3
	check our_lag "$a" fast
	check wait_active "$a" lag0 4 40
	trace_start silent
	# b0 stays up but its LACPDUs are dropped on the way out.
	check silence "$b" on
	t0=$(now)
	check wait_active "$a" lag0 3 $((SHORT + SLACK))
	note "a0 left $(since "$t0")s after its partner fell silent (short timeout ${SHORT}s)"
	check_fail test "$(nsx "$a" cat /sys/class/net/a0/lag_port/state)" = distributing
	reason=$(nsx "$a" cat /sys/class/net/a0/lag_port/reason)
	echo "a0 reason: $reason"
	check grep -q -x -e expired -e defaulted <<< "$reason"
	check silent_return "$a" "$b" "$t0"

	# Silent long enough to fall back to the defaulted partner, then back.
	check silence "$b" on
	t0=$(now)
	check wait_for $((2 * SHORT + SLACK)) _reason_is "$a" a0 defaulted
	check silent_return "$a" "$b" "$t0" "from defaulted"
	trace_show
	trace_stop
}

test_two_partners() {
	local a b c
	a=$(ns_new two-a) || return 1
	b=$(ns_new two-b) || return 1
	c=$(ns_new two-c) || return 1
	check links "$a" "$b" 0 2
	check links "$a" "$c" 2 2
	check partner_bond "$b" bond0 fast b0 b1
	check partner_bond "$c" bond0 fast b2 b3
	check our_lag "$a" fast
	check wait_active "$a" lag0 2 20
	sleep 3
	check_eq "$(active_ports "$a" lag0)" 2 "distributing members"
	local i sys=() dist=0
	for i in 0 1 2 3; do
		if [ "$(nsx "$a" cat /sys/class/net/a$i/lag_port/state)" = distributing ]; then
			dist=$((dist + 1))
			sys+=("$(nsx "$a" cat /sys/class/net/a$i/lag_port/partner_system)")
		else
			check_eq "$(nsx "$a" cat /sys/class/net/a$i/lag_port/reason)" partner "a$i reason"
		fi
	done
	check_eq "$dist" 2 "members distributing"
	check_eq "${sys[0]}" "${sys[1]}" "partner system of the distributing members"
}

test_passive() {
	local a b c d
	a=$(ns_new pas-a) || return 1
	b=$(ns_new pas-b) || return 1
	check links "$a" "$b"
	check ip -n "$b" link add bond0 type bond mode 802.3ad lacp_active off miimon 100
	for i in 0 1 2 3; do check ip -n "$b" link set "b$i" master bond0; done
	check ip -n "$b" link set bond0 up
	check ip -n "$a" link add lag0 type lag
	check nsx "$a" sh -c 'echo off > /sys/class/net/lag0/lag/lacp_active'
	for i in 0 1 2 3; do check ip -n "$a" link set "a$i" master lag0; done
	check ip -n "$a" link set lag0 up
	sleep 8
	check_eq "$(active_ports "$a" lag0)" 0 "passive with passive: distributing"
	# Passive: no LACPDU of our own, only answers to bonding's (which
	# sends on enslave even when passive), so never more than we heard.
	check test "$(nsx "$a" cat /sys/class/net/a0/lag_port/lacpdu_tx)" -le \
		"$(nsx "$a" cat /sys/class/net/a0/lag_port/lacpdu_rx)"
	echo "a0 reason: $(nsx "$a" cat /sys/class/net/a0/lag_port/reason)"

	c=$(ns_new pas-c) || return 1
	d=$(ns_new pas-d) || return 1
	check links "$c" "$d"
	check partner_bond "$d" bond0 slow b0 b1 b2 b3
	check ip -n "$c" link add lag0 type lag
	check nsx "$c" sh -c 'echo off > /sys/class/net/lag0/lag/lacp_active'
	for i in 0 1 2 3; do check ip -n "$c" link set "a$i" master lag0; done
	check ip -n "$c" link set lag0 up
	check wait_active "$c" lag0 4 40
}

test_marker() {
	local a b out
	a=$(ns_new mark-a) || return 1
	b=$(ns_new mark-b) || return 1
	check links "$a" "$b" 0 1
	check ip -n "$b" link set b0 up
	check our_lag "$a" fast 1
	out=$(nsx "$b" python3 "$SP" marker b0)
	echo "response: $out"
	check_eq "$(jq .port <<< "$out")" 7 "requester port"
	check_eq "$(jq -r .system <<< "$out")" 020000c0ffee "requester system"
	check_eq "$(jq .tid <<< "$out")" $((0x12345678)) "transaction ID"
	check_eq "$(jq .len <<< "$out")" 110 "Marker PDU length"
	check_eq "$(nsx "$a" cat /sys/class/net/a0/lag_port/marker_rx)" 1 "marker_rx"
	check_eq "$(nsx "$a" cat /sys/class/net/a0/lag_port/marker_tx)" 1 "marker_tx"
}

test_tshark() {
	local a b n
	if ! command -v tshark > /dev/null; then
		echo "tshark is not installed"
		return 1
	fi
	a=$(ns_new tsh-a) || return 1
	b=$(ns_new tsh-b) || return 1
	check links "$a" "$b" 0 1
	check partner_bond "$b" bond0 fast b0
	check our_lag "$a" fast 1
	check wait_active "$a" lag0 1 20
	n=$(nsx "$b" python3 "$SP" capture b0 3.5 "$_tmp/lacp.pcap")
	echo "captured $n LACPDUs"
	check test "$n" -ge 3
	tshark -r "$_tmp/lacp.pcap" -V > "$_tmp/decoded" 2>&1
	check grep -q "Link Aggregation Control Protocol" "$_tmp/decoded"
	check grep -q "LACP Version: 0x01" "$_tmp/decoded"
	check_fail grep -i -e malformed -e "Expert Info" "$_tmp/decoded"
	tshark -r "$_tmp/lacp.pcap" -q -z expert > "$_tmp/expert" 2>&1
	check_fail grep -q -i -e "^Errors" -e "^Warns" "$_tmp/expert"
	head -n 60 "$_tmp/decoded"
}

run_test "against bonding (fast): all four distribute, bonding agrees" test_bond fast
run_test "against bonding (slow): all four distribute, bonding agrees" test_bond slow
run_test "rate, system priority and system changes reach the partner at once" test_config_changes
run_test "against teamd's lacp runner: all four distribute, teamd agrees" test_team
run_test "a silent partner port leaves within the short timeout, returns" test_silent_partner
run_test "two partner systems: only one partner's members distribute" test_two_partners
run_test "passive with passive never aggregates; with an active partner it does" test_passive
run_test "a Marker Information PDU gets a Marker Response" test_marker
run_test "our LACPDUs decode in tshark without warnings" test_tshark
finish
