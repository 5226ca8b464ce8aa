#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Leaving tells the partner: a member that leaves the LAG (nomaster, moved
# to another LAG, the LAG deleted) sends one last LACPDU out of sync, so
# that a bonding partner at the slow rate (90 s timeout) stops distributing
# to that link within a second instead of at its timeout. Both ends at the
# slow rate; members that were up before they joined stay up when
# released, so their carrier tells the partner nothing. (A member closed,
# unregistered or moved to another namespace sends the same LACPDU from
# NETDEV_GOING_DOWN; with veth members the peer loses carrier then anyway,
# so only KUnit's test_sm_leave can tell that case apart.)

. "$(dirname "$0")/lib.sh"

export IP_LIB_DIR=$LAG_TOP/tools/iproute2

# bond_distributing NS BOND PORT: bonding's actor state for PORT has the
# Distributing bit
bond_distributing() {
	local st
	# shellcheck disable=SC2016 # an awk program
	st=$(nsx "$1" awk -v p="$3" '
		/^Slave Interface:/ { s = ($3 == p); a = 0 }
		s && /details actor lacp pdu:/ { a = 1 }
		s && a && /port state:/ { print $3; exit }' "/proc/net/bonding/$2")
	[ -n "$st" ] && [ $((st & 0x20)) -ne 0 ]
}


# setup A B: lag0 (slow) in A over a0..a3, up before they join; bond0
# (slow) in B over b0..b3; wait until all four distribute on both sides
setup() {
	local a=$1 b=$2 i
	ip -n "$a" link add lag0 type lag lacp_rate slow || return 1
	for i in 0 1 2 3; do
		veth "$a" "a$i" "$b" "b$i" || return 1
		ip -n "$a" link set "a$i" up
	done
	for i in 0 1 2 3; do
		ip -n "$a" link set "a$i" master lag0 || return 1
	done
	ip -n "$a" link set lag0 up
	partner_bond "$b" bond0 slow b0 b1 b2 b3 || return 1
	wait_active "$a" lag0 4 20 || { echo "never converged"; return 1; }
	for i in 0 1 2 3; do
		wait_for 10 bond_distributing "$b" bond0 "b$i" ||
			{ echo "bond0 b$i never distributed"; return 1; }
	done
}

# bond_dist_ports NS: the ports whose actor state has Distributing, in one
# read of /proc/net/bonding/bond0
bond_dist_ports() {
	# shellcheck disable=SC2016 # an awk program
	nsx "$1" awk '
		/^Slave Interface:/ { p = $3; a = 0 }
		/details actor lacp pdu:/ { a = 1 }
		a && /port state:/ { if (int($3 / 32) % 2) printf "%s ", p; a = 0 }' \
		/proc/net/bonding/bond0
}

# _none_of NS PORT...: none of PORT... distributes on bonding's side
_none_of() {
	local d p
	d=" $(bond_dist_ports "$1")"
	shift
	for p in "$@"; do
		[[ "$d" == *" $p "* ]] && return 1
	done
	return 0
}

# stops_within NS PORT...: bonding stops distributing on every PORT within
# 1 s of now; prints how long it took
stops_within() {
	local ns=$1 t0=${EPOCHREALTIME/./} t
	shift
	until _none_of "$ns" "$@"; do
		t=${EPOCHREALTIME/./}
		if [ $((t - t0)) -gt 1000000 ]; then
			echo "bond0 still distributes on $(bond_dist_ports "$ns")after 1 s"
			return 1
		fi
		sleep 0.05
	done
	t=${EPOCHREALTIME/./}
	note "bonding stopped distributing on $* after $(((t - t0) / 1000)) ms"
}

test_nomaster() {
	local a b
	a=$(ns_new nma) && b=$(ns_new nmb) || return 1
	setup "$a" "$b" || return 1
	check ip -n "$a" link set a0 nomaster
	check is_up "$a" a0
	check stops_within "$b" b0
	# The others carry on.
	check bond_distributing "$b" bond0 b1
	check_eq "$(active_ports "$a" lag0)" 3 "active_ports"
}

test_move() {
	local a b
	a=$(ns_new mva) && b=$(ns_new mvb) || return 1
	setup "$a" "$b" || return 1
	ip -n "$a" link add lag1 type lag lacp_rate slow || return 1
	check ip -n "$a" link set a1 master lag1
	check stops_within "$b" b1
}

test_delete() {
	local a b
	a=$(ns_new dla) && b=$(ns_new dlb) || return 1
	setup "$a" "$b" || return 1
	check ip -n "$a" link del lag0
	check stops_within "$b" b0 b1 b2 b3
}

test_lag_down() {
	local a b i t0
	a=$(ns_new lda) && b=$(ns_new ldb) || return 1
	setup "$a" "$b" || return 1
	check ip -n "$a" link set lag0 down
	check stops_within "$b" b0 b1 b2 b3
	check_eq "$(nsx "$a" cat /sys/class/net/a0/lag_port/reason)" lag_down "a0 reason"
	# Up again: back within seconds, not after a slow-rate period (30 s)
	# or timeout (90 s).
	t0=$SECONDS
	check ip -n "$a" link set lag0 up
	check wait_active "$a" lag0 4 10
	for i in 0 1 2 3; do
		check wait_for 10 bond_distributing "$b" bond0 "b$i"
	done
	note "after up: four members distribute on both sides after $((SECONDS - t0)) s"
}

run_test "nomaster: the partner stops distributing to the link within 1 s" test_nomaster
run_test "moved to another LAG: the partner stops within 1 s" test_move
run_test "LAG deleted: the partner stops on every link within 1 s" test_delete
run_test "LAG set down: the partner stops within 1 s; up: back without a timeout" test_lag_down
finish
