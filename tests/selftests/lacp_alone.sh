#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# LACP with no partner, or with ourselves: fallback and loop detection.

. "$(dirname "$0")/lib.sh"

test_no_partner() {
	local ns i
	ns=$(ns_new alone) || return 1
	check ip -n "$ns" link add lag0 type lag
	for i in 0 1; do
		check ip -n "$ns" link add "a$i" type veth peer name "b$i"
		check ip -n "$ns" link set "b$i" up
		check ip -n "$ns" link set "a$i" master lag0
	done
	check ip -n "$ns" link set lag0 up
	sleep 4
	check_eq "$(active_ports "$ns" lag0)" 0 "distributing with no partner"
	check_eq "$(nsx "$ns" cat /sys/class/net/lag0/carrier)" 0 "carrier with no partner"
	check_eq "$(nsx "$ns" cat /sys/class/net/a0/lag_port/reason)" defaulted "a0 reason"
}

test_fallback() {
	local a b i
	a=$(ns_new fb-a) || return 1
	b=$(ns_new fb-b) || return 1
	check ip -n "$a" link add lag0 type lag
	check nsx "$a" sh -c 'echo on > /sys/class/net/lag0/lag/lacp_fallback'
	check_eq "$(lag_sysfs "$a" lag0 lacp_fallback)" on "lacp_fallback"
	for i in 0 1 2 3; do
		check veth "$a" "a$i" "$b" "b$i"
		check ip -n "$b" link set "b$i" up
		check ip -n "$a" link set "a$i" master lag0
	done
	check ip -n "$a" link set lag0 up
	# No partner speaks: the lowest port number distributes alone.
	check wait_active "$a" lag0 1 10
	sleep 2
	check_eq "$(active_ports "$a" lag0)" 1 "distributing under fallback"
	check_eq "$(nsx "$a" cat /sys/class/net/a0/lag_port/state)" fallback "a0 (port 1) state"
	check_eq "$(nsx "$a" cat /sys/class/net/a0/lag_port/reason)" none "a0 reason"
	check_eq "$(nsx "$a" cat /sys/class/net/a1/lag_port/reason)" defaulted "a1 reason"
	check_eq "$(nsx "$a" cat /sys/class/net/lag0/carrier)" 1 "carrier under fallback"
	# The partner speaks: normal selection takes over on all four.
	for i in 0 1 2 3; do check ip -n "$b" link set "b$i" down; done
	check partner_bond "$b" bond0 fast b0 b1 b2 b3
	check wait_active "$a" lag0 4 30
	check_eq "$(nsx "$a" cat /sys/class/net/a3/lag_port/reason)" none "a3 reason"
}

test_loop() {
	local ns
	ns=$(ns_new loop) || return 1
	check ip -n "$ns" link add lag0 type lag
	# a0 and a1 are cabled to each other: each hears our own system.
	check ip -n "$ns" link add a0 type veth peer name a1
	check ip -n "$ns" link set a0 master lag0
	check ip -n "$ns" link set a1 master lag0
	check ip -n "$ns" link set lag0 up
	sleep 5
	check_eq "$(active_ports "$ns" lag0)" 0 "distributing members on a loop"
	check_eq "$(nsx "$ns" cat /sys/class/net/a0/lag_port/reason)" loop "a0 reason"
	check_eq "$(nsx "$ns" cat /sys/class/net/a1/lag_port/reason)" loop "a1 reason"
	check test "$(nsx "$ns" cat /sys/class/net/a0/lag_port/lacpdu_rx)" -gt 0
}

run_test "with no partner and no fallback: no member distributes, no carrier" test_no_partner
run_test "lacp_fallback: one member distributes until a partner speaks" test_fallback
run_test "two members cabled to each other are never selected (loop)" test_loop
finish
