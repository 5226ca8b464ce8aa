#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A member belongs to its LAG alone: its MTU and MAC address follow the
# LAG's and nobody else may change them; it has no IPv6 of its own; a
# refused or failed enslave leaves the LAG and the device exactly as they
# were.

. "$(dirname "$0")/lib.sh"

mtu_of() { ip -n "$1" -j link show dev "$2" | jq '.[0].mtu'; }
mac_of() { ip -n "$1" -j link show dev "$2" | jq -r '.[0].address'; }

test_no_drift() {
	local ns out mac
	ns=$(ns_new drift) || return 1
	check ip -n "$ns" link add lag0 type lag
	check ip -n "$ns" link add v0 type veth peer name w0
	check ip -n "$ns" link add v1 type veth peer name w1
	check ip -n "$ns" link set v0 master lag0
	check ip -n "$ns" link set v1 master lag0
	out=$(ip -n "$ns" link set v1 mtu 1400 2>&1)
	check_eq "$?" 2 "exit status of a member MTU change"
	echo "ip said: $out"
	check grep -q "Device or resource busy" <<< "$out"
	check_eq "$(mtu_of "$ns" v1)" 1500 "member MTU after a refused change"
	check nsx "$ns" sh -c 'dmesg | grep -q "lag0: v1 is a member: set the MTU on lag0"'
	out=$(ip -n "$ns" link set v1 address 02:00:00:00:00:99 2>&1)
	check_eq "$?" 2 "exit status of a member address change"
	echo "ip said: $out"
	check grep -q "lag0: v1 is a member: set the address on lag0" <<< "$out"
	check_eq "$(mac_of "$ns" v1)" "$(mac_of "$ns" lag0)" "member address after a refused change"
	# The LAG's own changes still reach every member.
	check ip -n "$ns" link set lag0 mtu 1400
	check_eq "$(mtu_of "$ns" v0)" 1400 "v0 MTU follows the LAG"
	check_eq "$(mtu_of "$ns" v1)" 1400 "v1 MTU follows the LAG"
	mac=02:00:00:00:00:42
	check ip -n "$ns" link set lag0 address $mac
	check_eq "$(mac_of "$ns" v0)" $mac "v0 address follows the LAG"
	check_eq "$(mac_of "$ns" v1)" $mac "v1 address follows the LAG"
	# Released, the device is its own again.
	check ip -n "$ns" link set v1 nomaster
	check ip -n "$ns" link set v1 mtu 1300
	check_eq "$(mtu_of "$ns" v1)" 1300 "a released device's MTU"
}

run_test "a member's MTU and address are refused to all but its LAG" test_no_drift
finish
