#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Wire hygiene: Slow Protocols frames not addressed to 01:80:c2:00:00:02
# (a unicast one, as a promiscuous member lets in) never drive the LACP
# machines and are counted in misdirected_rx; the LACPDUs lag builds have
# their network header after the Ethernet header, so a SOCK_DGRAM packet
# socket (and anything else reading from the network header) sees the PDU
# itself, 110 bytes.

. "$(dirname "$0")/lib.sh"

export IP_LIB_DIR=$LAG_TOP/tools/iproute2
SP=$LAG_TOP/tests/selftests/slowproto.py

port_attr() { nsx "$1" cat "/sys/class/net/$2/lag_port/$3"; }

test_misdirected() {
	local a b mac pdu rx0 mis0
	a=$(ns_new wha) && b=$(ns_new whb) || return 1
	lag_pair "$a" lag0 "$b" lag1 1 || return 1
	check wait_active "$a" lag0 1 10
	mac=$(nsx "$a" cat /sys/class/net/a0/address)
	nsx "$a" ip link set a0 promisc on
	rx0=$(port_attr "$a" a0 lacpdu_rx)
	mis0=$(port_attr "$a" a0 misdirected_rx)
	# An LACPDU from another system, to a0's own address: if it reached
	# the machines, a0 would leave lag1's aggregator for its partner.
	pdu=$(python3 -c 'import sys; sys.path.insert(0, sys.argv[1]); import pdu_corpus as c
a = c.info(1, bytes.fromhex("020000000077"), 5, 1, 9, 0x3d)
print(c.lacpdu(a, bytes(18)).hex())' "$LAG_TOP/tests/selftests")
	check nsx "$b" "$SP" send b0 "${mac//:/}$(nsx "$b" cat /sys/class/net/b0/address | tr -d :)8809$pdu"
	check nsx "$b" "$SP" send b0 "02000000abcd$(nsx "$b" cat /sys/class/net/b0/address | tr -d :)8809$pdu"
	sleep 0.5
	check_eq "$(($(port_attr "$a" a0 misdirected_rx) - mis0))" 2 "misdirected_rx rise"
	# lag1's own LACPDUs still count; the two frames did not.
	check_eq "$(port_attr "$a" a0 partner_system)" "$(nsx "$b" cat /sys/class/net/lag1/address)" "a0 partner"
	check test "$(port_attr "$a" a0 lacpdu_rx)" -le $((rx0 + 2))
	check_eq "$(active_ports "$a" lag0)" 1 "active_ports"
}

test_network_header() {
	local a b lens
	a=$(ns_new wna) && b=$(ns_new wnb) || return 1
	lag_pair "$a" lag0 "$b" lag1 1 || return 1
	check ip -n "$a" link set lag0 type lag lacp_rate fast
	check ip -n "$b" link set lag1 type lag lacp_rate fast
	lens=$(nsx "$a" "$SP" netlen a0 5)
	note "outgoing Slow Protocols frames on a0, from the network header: $lens"
	check test "$lens" != "[]"
	check_eq "$(echo "$lens" | jq 'map(select(. != 110)) | length')" 0 "frames not 110 bytes from the network header"
}

run_test "Slow Protocols frames not to 01:80:c2:00:00:02 are dropped and counted" test_misdirected
run_test "lag's LACPDUs have their network header after the Ethernet header" test_network_header
finish
