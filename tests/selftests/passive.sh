#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A passive LAG follows a partner that becomes active: lag0 passive
# (lacp_active off) with a passive bonding partner (correctly no
# aggregation), then the partner is reconfigured to active LACP, as a
# switch's port-channel moved from passive to active would be. lag0 must
# answer its first LACPDU and aggregate within seconds, not after the
# partner's own defaulted timers (bonding then waits 30 s between
# LACPDUs). Both ends at the slow rate, where the wait would show.
# And the other way: lag0 turned active aggregates at once, and turned
# passive again tells the (passive) partner that it no longer aggregates.

. "$(dirname "$0")/lib.sh"

export IP_LIB_DIR=$LAG_TOP/tools/iproute2

# setup A B: passive lag0 in A over a0..a3, passive bond0 in B over b0..b3
setup() {
	local a=$1 b=$2 i
	ip -n "$a" link add lag0 type lag lacp_rate slow lacp_active off || return 1
	for i in 0 1 2 3; do
		veth "$a" "a$i" "$b" "b$i" || return 1
		ip -n "$a" link set "a$i" master lag0 || return 1
	done
	ip -n "$a" link set lag0 up
	ip -n "$b" link add bond0 type bond mode 802.3ad lacp_rate slow \
		lacp_active off miimon 100 || return 1
	for i in 0 1 2 3; do
		ip -n "$b" link set "b$i" master bond0 || return 1
	done
	ip -n "$b" link set bond0 up
}

# member_line NS DEV: the member's state words, for the log
member_line() {
	local d=/sys/class/net/$2/lag_port f out=""
	for f in mux_state reason partner_state lacpdu_rx lacpdu_tx; do
		out="$out $f=$(nsx "$1" cat "$d/$f")"
	done
	echo "$2:$out"
}

# bond_distributing NS PORT: bonding's actor state for PORT has Distributing
bond_distributing() {
	local st
	# shellcheck disable=SC2016 # an awk program
	st=$(nsx "$1" awk -v p="$2" '
		/^Slave Interface:/ { s = ($3 == p); a = 0 }
		s && /details actor lacp pdu:/ { a = 1 }
		s && a && /port state:/ { print $3; exit }' /proc/net/bonding/bond0)
	[ -n "$st" ] && [ $((st & 0x20)) -ne 0 ]
}

_partner_active() {
	[ $((0x$(nsx "$1" cat "/sys/class/net/$2/lag_port/partner_state") & 1)) -eq 1 ]
}

test_partner_turns_active() {
	local a b t0 i
	a=$(ns_new pfa) && b=$(ns_new pfb) || return 1
	setup "$a" "$b" || return 1
	# Both passive: nothing aggregates; lag0 answers what it hears, once.
	sleep 4
	check_eq "$(active_ports "$a" lag0)" 0 "active_ports, both ends passive"
	check_eq "$(nsx "$a" cat /sys/class/net/a0/lag_port/reason)" passive "a0 reason"
	note "both passive: $(member_line "$a" a0)"
	for i in 0 1 2 3; do
		check test "$(nsx "$a" cat "/sys/class/net/a$i/lag_port/lacpdu_tx")" -ge 1
	done
	# The partner turns active. Bonding's own Periodic machine sends its
	# first LACPDU at the slow rate (802.1AX 6.4.13: FAST_PERIODIC goes
	# to SLOW_PERIODIC at once for a long-timeout partner): lag0 follows
	# within seconds of it.
	ip -n "$b" link set bond0 down
	check ip -n "$b" link set bond0 type bond lacp_active on
	ip -n "$b" link set bond0 up
	check wait_for 45 _partner_active "$a" a0 || return
	t0=$SECONDS
	if ! check wait_active "$a" lag0 4 5; then
		note "$(member_line "$a" a0)"
		return
	fi
	note "four members distribute $((SECONDS - t0)) s after the partner's first active LACPDU"
}

test_lag_turns_active() {
	local a b t0
	a=$(ns_new paa) && b=$(ns_new pab) || return 1
	setup "$a" "$b" || return 1
	sleep 4
	check_eq "$(active_ports "$a" lag0)" 0 "active_ports, both ends passive"
	t0=$SECONDS
	check ip -n "$a" link set lag0 type lag lacp_active on
	if ! check wait_active "$a" lag0 4 10; then
		note "$(member_line "$a" a0)"
		return
	fi
	note "four members distribute $((SECONDS - t0)) s after lag0 turned active"
	# Back to passive: both ends are, so nothing aggregates, and the
	# partner is told at once instead of at its timeout (90 s).
	check ip -n "$a" link set lag0 type lag lacp_active off
	check wait_active "$a" lag0 0 3
	for i in 0 1 2 3; do
		check wait_for 3 not bond_distributing "$b" "b$i"
	done
}

not() { ! "$@"; }

run_test "passive lag0 follows a bonding partner that turns active" test_partner_turns_active
run_test "lag0 turned active aggregates with a passive bonding partner, and tells it when it turns passive again" test_lag_turns_active
finish
