#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo: runs in the UML guest and shows lag doing its job against a
# Linux bonding partner (802.3ad), step by step.

set -u
top=$(cd "$(dirname "$0")/.." && pwd)
PS=$top/tests/selftests/partner_state.py

step() { printf '\n== %s\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@"; }
ports() {
	local i
	printf '   %-4s %-13s %-10s %-6s %-8s %s\n' port mux reason actor partner partner_system
	for i in 0 1 2 3; do
		# One read of all five files, so that the row is one moment.
		ip netns exec host sh -c "cd /sys/class/net/a$i/lag_port &&
			cat state reason actor_state partner_state partner_system" |
			paste -s -d ' ' | xargs printf '   %-4s %-13s %-10s %-6s %-8s %s\n' "a$i"
	done
}
active() { ip netns exec host cat /sys/class/net/lag0/lag/active_ports; }
mark() { t0=$(date +%s%N); }
wait_active() { # N: wait for N distributing members, say how long since mark
	local n=$1 i=0
	until [ "$(active)" = "$n" ] || [ $i -ge 400 ]; do sleep 0.1; i=$((i + 1)); done
	echo "   $(active) members distributing, $(( ($(date +%s%N) - t0) / 1000000 )) ms after that"
}

ip netns add host
ip netns add switch
trap 'ip netns del host; ip netns del switch' EXIT
for i in 0 1 2 3; do
	ip link add a$i netns host type veth peer name b$i netns switch
done
ip -n host link set lo up
ip -n switch link set lo up

step "The partner: Linux bonding in 802.3ad mode, fast rate, on b0..b3"
run ip -n switch link add bond0 type bond mode 802.3ad lacp_rate fast miimon 100
for i in 0 1 2 3; do ip -n switch link set b$i master bond0; done
run ip -n switch link set bond0 up
ip -n switch addr add 192.0.2.2/24 dev bond0

step "Our side: lag0 over a0..a3 (lag.ko is loaded)"
run ip -n host link add lag0 type lag
run ip netns exec host sh -c 'echo fast > /sys/class/net/lag0/lag/lacp_rate'
for i in 0 1 2 3; do run ip -n host link set a$i master lag0; done
mark
run ip -n host link set lag0 up
ip -n host addr add 192.0.2.1/24 dev lag0
wait_active 4
ports

step "A fifth member is refused, and nothing changes"
ip -n host link add a4 type veth peer name b4
run ip -n host link set a4 master lag0
echo "   members: $(ip -n host -j link show master lag0 | jq -r '[.[].ifname] | join(" ")')"

step "The partner agrees: our ports in its active aggregator, in sync, collecting, distributing"
ip netns exec switch python3 "$PS" bond bond0 | jq -c 'to_entries[] | {port: .key, ours_up: .value.ours_up, our_state: .value.partner_state}'

step "Traffic over the aggregate"
run ip netns exec host ping -c 3 -i 0.2 192.0.2.2
run ip netns exec host ethtool lag0 | grep -E 'Speed|Duplex'

step "b0 stays up but falls silent (tc drops its LACPDUs): a0 leaves within the 3s short timeout"
run tc -n switch qdisc add dev b0 clsact
mark
run tc -n switch filter add dev b0 egress protocol 0x8809 matchall action drop
wait_active 3
ports
echo "   carrier: $(ip netns exec host cat /sys/class/net/lag0/carrier) (min_links 0)"

step "With min_links 4 the LAG has no carrier while a member is out"
run ip netns exec host sh -c 'echo 4 > /sys/class/net/lag0/lag/min_links'
echo "   carrier: $(ip netns exec host cat /sys/class/net/lag0/carrier)"

step "b0 speaks again: a0 comes back, and so does the carrier"
mark
run tc -n switch qdisc del dev b0 clsact
wait_active 4
echo "   carrier: $(ip netns exec host cat /sys/class/net/lag0/carrier)"

step "Deleting the LAG gives each member back its own address"
mac=$(ip -n host -j link show a1 | jq -r '.[0].address')
run ip -n host link del lag0
echo "   a1: $mac while a member, $(ip -n host -j link show a1 | jq -r '.[0].address') now"
