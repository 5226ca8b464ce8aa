#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What a LAG passes on and counts for its members: a member's request to
# announce (NETDEV_NOTIFY_PEERS, NETDEV_RESEND_IGMP) becomes the LAG's,
# a member transmit that fails counts in the LAG's tx_dropped, and the
# member that lent the LAG its address is warned about when it leaves.

. "$(dirname "$0")/lib.sh"

stat_of() { # NS DEV tx.packets|tx.dropped
	ip -n "$1" -j -s link show dev "$2" | jq ".[0].stats64.$3"
}

test_announce() {
	local ns pid
	ns=$(ns_new ann) || return 1
	# A team device as the member: adding a port to it makes it announce
	# (team's notify_peers and mcast_rejoin counts).
	check ip -n "$ns" link add team1 type team
	check nsx "$ns" teamnl team1 setoption notify_peers_count 1
	check nsx "$ns" teamnl team1 setoption mcast_rejoin_count 1
	check ip -n "$ns" link add v1 type veth peer name w1
	check ip -n "$ns" link add lag0 type lag
	check ip -n "$ns" link set team1 master lag0
	check ip -n "$ns" link set lag0 up
	ip -n "$ns" -o monitor link > "$_tmp/mon" 2>&1 &
	pid=$!
	_pids+=("$pid")
	sleep 0.5
	check ip -n "$ns" link set v1 master team1
	check wait_for 5 grep -q -E "^[0-9]+: team1: .*event NOTIFY PEERS" "$_tmp/mon"
	check wait_for 5 grep -q -E "^[0-9]+: team1: .*event RESEND IGMP" "$_tmp/mon"
	check wait_for 5 grep -q -E "^[0-9]+: lag0: .*event NOTIFY PEERS" "$_tmp/mon"
	check wait_for 5 grep -q -E "^[0-9]+: lag0: .*event RESEND IGMP" "$_tmp/mon"
	grep "event" "$_tmp/mon" | sed -E 's/^([0-9]+: [^:]+):.*(event [A-Z ]+).*/\1 \2/'
}

test_tx_dropped() {
	local a b tx0 dr0 tx1 dr1
	a=$(ns_new drop-a) || return 1
	b=$(ns_new drop-b) || return 1
	check lag_pair "$a" lag0 "$b" lag1 1
	check ip -n "$a" addr add 192.0.2.1/24 dev lag0
	check ip -n "$b" addr add 192.0.2.2/24 dev lag1
	check wait_active "$a" lag0 1 20
	check nsx "$a" ping -c 1 -W 2 192.0.2.2 > /dev/null
	# The member's own egress drops everything from here on.
	check nsx "$a" tc qdisc add dev a0 clsact
	check nsx "$a" tc filter add dev a0 egress matchall action drop
	tx0=$(stat_of "$a" lag0 tx.packets)
	dr0=$(stat_of "$a" lag0 tx.dropped)
	nsx "$a" ping -c 5 -i 0.2 -W 1 192.0.2.2 > /dev/null
	tx1=$(stat_of "$a" lag0 tx.packets)
	dr1=$(stat_of "$a" lag0 tx.dropped)
	echo "lag0 tx_packets $tx0 -> $tx1, tx_dropped $dr0 -> $dr1"
	check_eq "$tx1" "$tx0" "lag0 tx_packets while the member drops"
	check test $((dr1 - dr0)) -ge 5
}

test_donor_warns() {
	local ns mac0
	ns=$(ns_new donor) || return 1
	check ip -n "$ns" link add v0 type veth peer name w0
	check ip -n "$ns" link add v1 type veth peer name w1
	mac0=$(ip -n "$ns" -j link show v0 | jq -r '.[0].address')
	check ip -n "$ns" link add lag0 type lag
	check ip -n "$ns" link set v0 master lag0
	check ip -n "$ns" link set v1 master lag0
	check ip -n "$ns" link set v0 nomaster
	check_eq "$(ip -n "$ns" -j link show lag0 | jq -r '.[0].address')" "$mac0" "lag0 keeps the address"
	check_eq "$(ip -n "$ns" -j link show v0 | jq -r '.[0].address')" "$mac0" "v0 has its own back"
	check sh -c "dmesg | grep -q 'lag0: v0 left with $mac0, still the address of lag0: give one of them another'"
	# A member that did not lend its address leaves without a word.
	check ip -n "$ns" link add v2 type veth peer name w2
	check ip -n "$ns" link set v2 master lag0
	check ip -n "$ns" link set v2 nomaster
	check_eq "$(dmesg | grep -c 'lag0: v2 left with')" 0 "warnings for v2"
}

run_test "a member's NOTIFY_PEERS and RESEND_IGMP reach the LAG" test_announce
run_test "a member transmit that fails counts in the LAG's tx_dropped" test_tx_dropped
run_test "the member that lent the LAG its address is warned about" test_donor_warns
finish
