#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# agg_select against two bonding partners that are not one system (two
# switches that are no MLAG pair): lag0's a0 is cabled to bond B (one port,
# its own namespace), a1 and a2 to bond C (two ports, another namespace).
# stable keeps the partner it found first; count moves to C, which has more
# ports; prio moves to the partner with the best system priority, here B,
# and a change of policy on a running LAG takes effect at once.

. "$(dirname "$0")/lib.sh"

export IP_LIB_DIR=$LAG_TOP/tools/iproute2

# topo A B C: lag0 in A, bond b0 (a0) in B, bond c0 (a1, a2) in C. B comes
# up first, C ten seconds later, so that stable has a first partner.
topo() {
	local a=$1 b=$2 c=$3
	ip -n "$a" link add lag0 type lag lacp_rate fast || return 1
	veth "$a" a0 "$b" b0p || return 1
	veth "$a" a1 "$c" c0p || return 1
	veth "$a" a2 "$c" c1p || return 1
	for i in a0 a1 a2; do
		ip -n "$a" link set "$i" master lag0 || return 1
	done
	ip -n "$a" link set lag0 up
	# B's system priority is the better one (lower).
	ip -n "$b" link add b0 type bond mode 802.3ad lacp_rate fast miimon 100 \
		ad_actor_sys_prio 100 || return 1
	ip -n "$b" link set b0p master b0 || return 1
	ip -n "$b" link set b0 up
	wait_active "$a" lag0 1 15 || { echo "B never aggregated"; return 1; }
	ip -n "$c" link add c0 type bond mode 802.3ad lacp_rate fast miimon 100 \
		ad_actor_sys_prio 200 || return 1
	ip -n "$c" link set c0p master c0 || return 1
	ip -n "$c" link set c1p master c0 || return 1
	ip -n "$c" link set c0 up
}

# distributing_are NS MEMBERS...: exactly MEMBERS of lag0 distribute
distributing_are() {
	local ns=$1 m want=" ${*:2} " got=" "
	for m in a0 a1 a2; do
		[ "$(nsx "$ns" cat /sys/class/net/$m/lag_port/state)" = distributing ] &&
			got="$got$m "
	done
	[ "$got" = "$want" ]
}

# show NS: the members' states, for a failing case
show() {
	local m
	for m in a0 a1 a2; do
		echo "$m: $(nsx "$1" cat /sys/class/net/$m/lag_port/state) $(nsx "$1" cat /sys/class/net/$m/lag_port/reason)"
	done
	echo "active_aggregator $(lag_sysfs "$1" lag0 active_aggregator) agg_select $(lag_sysfs "$1" lag0 agg_select)"
}

# case POLICY EXPECTED-MEMBERS...
agg_case() {
	local policy=$1 a b c
	shift
	a=$(ns_new "a$policy") && b=$(ns_new "b$policy") && c=$(ns_new "c$policy") || return 1
	topo "$a" "$b" "$c" || return 1
	check ip -n "$a" link set lag0 type lag agg_select "$policy"
	# C takes about 3 s to aggregate; stay 10 s to see nothing flaps back.
	sleep 10
	if ! wait_for 10 distributing_are "$a" "$@"; then
		echo "agg_select $policy: expected $* to distribute"
		show "$a"
		return 1
	fi
	note "agg_select $policy: $* distribute; $(show "$a" | tail -n 1)"
	sleep 3
	check distributing_are "$a" "$@"
	# The partners agree: the bond whose ports lag0 left sees them out of sync.
	[ "$policy" = prio ] && check_eq "$(lag_sysfs "$a" lag0 partner_sys_prio)" 100 "partner_sys_prio"
	[ "$policy" = count ] && check_eq "$(lag_sysfs "$a" lag0 partner_sys_prio)" 200 "partner_sys_prio"
	return 0
}

test_stable() { agg_case stable a0; }
test_count() { agg_case count a1 a2; }

test_prio() {
	local a b c
	a=$(ns_new ap) && b=$(ns_new bp) && c=$(ns_new cp) || return 1
	# count first: C's two ports win.
	topo "$a" "$b" "$c" || return 1
	ip -n "$a" link set lag0 type lag agg_select count
	wait_for 20 distributing_are "$a" a1 a2 || { show "$a"; return 1; }
	# Now prio, on the running LAG: B has the better system priority.
	check ip -n "$a" link set lag0 type lag agg_select prio
	if ! wait_for 15 distributing_are "$a" a0; then
		echo "agg_select prio: expected a0 to distribute"
		show "$a"
		return 1
	fi
	check_eq "$(lag_sysfs "$a" lag0 agg_select)" prio "agg_select"
	check_eq "$(lag_sysfs "$a" lag0 partner_sys_prio)" 100 "partner_sys_prio"
	check_eq "$(nsx "$a" cat /sys/class/net/a1/lag_port/reason)" partner "a1 reason"
}

run_test "agg_select stable: the first partner is kept" test_stable
run_test "agg_select count: the partner with more ports wins" test_count
run_test "agg_select prio on a running LAG: the better system priority wins" test_prio
finish
