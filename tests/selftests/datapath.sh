#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Frames through a LAG: IPv4, IPv6 and VLANs; flows spread over every
# member; min_links gating the carrier; unloading under traffic.
# Two LAGs face each other over four veth pairs.

. "$(dirname "$0")/lib.sh"

UDP=$LAG_TOP/tests/selftests/udp_flows.py

setup_pair() { # NSA NSB
	lag_pair "$1" lag0 "$2" lag0 4 || return 1
	ip -n "$1" addr add 192.0.2.1/24 dev lag0
	ip -n "$2" addr add 192.0.2.2/24 dev lag0
	ip -n "$1" addr add 2001:db8::1/64 dev lag0 nodad
	ip -n "$2" addr add 2001:db8::2/64 dev lag0 nodad
	wait_active "$1" lag0 4 && wait_active "$2" lag0 4
}

test_ping() {
	local a b
	a=$(ns_new ping-a) || return 1
	b=$(ns_new ping-b) || return 1
	check setup_pair "$a" "$b"
	check nsx "$a" ping -c 3 -i 0.2 -W 2 192.0.2.2
	check nsx "$a" ping -6 -c 3 -i 0.2 -W 2 2001:db8::2
	check ip -n "$a" link add link lag0 name lag0.10 type vlan id 10
	check ip -n "$b" link add link lag0 name lag0.10 type vlan id 10
	check ip -n "$a" addr add 198.51.100.1/24 dev lag0.10
	check ip -n "$b" addr add 198.51.100.2/24 dev lag0.10
	check ip -n "$a" link set lag0.10 up
	check ip -n "$b" link set lag0.10 up
	check nsx "$a" ping -c 3 -i 0.2 -W 2 198.51.100.2
}

test_flows() {
	local a b i before after rx pid
	a=$(ns_new flows-a) || return 1
	b=$(ns_new flows-b) || return 1
	check setup_pair "$a" "$b"
	check nsx "$a" sh -c 'echo layer3+4 > /sys/class/net/lag0/lag/xmit_hash_policy'
	check_eq "$(lag_sysfs "$a" lag0 xmit_hash_policy)" layer3+4 "policy"
	nsx "$a" ping -c 1 -W 2 192.0.2.2 > /dev/null
	for i in 0 1 2 3; do before[i]=$(tx_packets "$a" "a$i"); done
	nsx "$b" python3 "$UDP" recv 192.0.2.2 5001 1024 20 > "$_tmp/rx" &
	pid=$!
	wait_for 5 grep -q ready "$_tmp/rx"
	check nsx "$a" python3 "$UDP" send 192.0.2.2 5001 256 4
	wait "$pid"
	rx=$(tail -n 1 "$_tmp/rx")
	if ! check_eq "$rx" 1024 "datagrams received of 1024 sent"; then
		ip -n "$b" -s link show lag0
		nsx "$b" grep Udp: /proc/net/snmp
	fi
	for i in 0 1 2 3; do
		after=$(tx_packets "$a" "a$i")
		echo "a$i sent $((after - before[i])) frames"
		check test $((after - before[i])) -ge 100
	done
}

test_min_links() {
	local a b
	a=$(ns_new minl-a) || return 1
	b=$(ns_new minl-b) || return 1
	check setup_pair "$a" "$b"
	check_eq "$(lag_sysfs "$a" lag0 min_links)" 0 "default min_links"
	check nsx "$a" sh -c 'echo 3 > /sys/class/net/lag0/lag/min_links'
	check_eq "$(nsx "$a" cat /sys/class/net/lag0/carrier)" 1 "carrier with 4 of min 3"
	check ip -n "$b" link set b0 down
	check wait_active "$a" lag0 3
	check_eq "$(nsx "$a" cat /sys/class/net/lag0/carrier)" 1 "carrier with 3 of min 3"
	check ip -n "$b" link set b1 down
	check wait_active "$a" lag0 2
	check_eq "$(nsx "$a" cat /sys/class/net/lag0/carrier)" 0 "carrier with 2 of min 3"
	check ip -n "$b" link set b1 up
	check wait_active "$a" lag0 3
	check_eq "$(nsx "$a" cat /sys/class/net/lag0/carrier)" 1 "carrier back with 3"
	check_fail nsx "$a" sh -c 'echo 5 > /sys/class/net/lag0/lag/min_links'
	check_eq "$(lag_sysfs "$a" lag0 min_links)" 3 "min_links unchanged by a bad write"
}

test_unload_under_traffic() {
	local a b pid
	a=$(ns_new unl-a) || return 1
	b=$(ns_new unl-b) || return 1
	check setup_pair "$a" "$b"
	nsx "$a" ping -f -q -w 30 192.0.2.2 > /dev/null 2>&1 &
	pid=$!
	nsx "$b" python3 "$UDP" send 192.0.2.1 9 64 50 &
	sleep 1
	check rmmod lag
	kill "$pid" 2> /dev/null
	wait
	check_fail ip -n "$a" link show lag0
	check_eq "$(master_of "$a" a0)" "" "a0's master"
	check insmod "$LAG_MODDIR/lag.ko"
}

run_test "IPv4, IPv6 and a VLAN over the LAG" test_ping
run_test "256 UDP flows use all four members, none lost" test_flows
run_test "min_links gates the carrier" test_min_links
run_test "rmmod under traffic" test_unload_under_traffic
finish
