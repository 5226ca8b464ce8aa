#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Trace events: each member's receive and mux transitions, with the member
# and its reason, in events/lag/ for perf and trace-cmd.

. "$(dirname "$0")/lib.sh"

T=/sys/kernel/tracing

test_transitions() {
	local a b
	mountpoint -q $T || mount -t tracefs nodev $T || return 1
	check test -d $T/events/lag/lag_mux_state
	check test -d $T/events/lag/lag_rx_state
	echo > $T/trace
	echo 1 > $T/events/lag/enable
	a=$(ns_new tr-a) || return 1
	b=$(ns_new tr-b) || return 1
	check lag_pair "$a" lag0 "$b" lag1 2
	check wait_active "$a" lag0 2 20
	check ip -n "$b" link set b1 down
	check wait_active "$a" lag0 1 10
	# b1's last LACPDU stops a1 at once; its carrier loss follows (linkwatch).
	check wait_for 10 _reason_is "$a" a1 down
	echo 0 > $T/events/lag/enable
	grep -E 'lag_(rx|mux)_state' $T/trace | sed 's/^ *//' | grep -v ' -> current, reason none' | tail -n 40
	check grep -q 'lag_rx_state: a0 port 1: receive port_disabled -> expired' $T/trace
	check grep -q 'lag_rx_state: a0 port 1: receive .* -> current' $T/trace
	check grep -q 'lag_mux_state: a0 port 1: mux waiting -> attached' $T/trace
	check grep -q 'lag_mux_state: a0 port 1: mux collecting -> distributing' $T/trace
	# a1 lost its carrier: its transitions say so.
	check grep -q 'lag_rx_state: a1 port 2: receive current -> port_disabled' $T/trace
	check grep -q 'lag_mux_state: a1 port 2: mux distributing -> ' $T/trace
	echo > $T/trace
}

run_test "receive and mux transitions in events/lag" test_transitions
finish
