#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Individual links, as 802.1AX 6.4.14 says: a partner port that reports
# itself Individual (Aggregation clear in its actor state: a switch port
# configured as individual or standalone) gets an aggregator of its own
# and carries traffic when it is the best the LAG has; members left out
# read reason "individual". The partner is a packet-socket script
# (lacp_partner.py) answering as an Individual port.

. "$(dirname "$0")/lib.sh"

export IP_LIB_DIR=$LAG_TOP/tools/iproute2

# Actor state of the scripted partner: Activity, Sync, Collecting,
# Distributing; Aggregation clear.
INDIVIDUAL=39

# setup A B N [OPTS...]: lag0 in A over a0..a(N-1), up; bN in B, up
setup() {
	local a=$1 b=$2 n=$3 i
	shift 3
	ip -n "$a" link add lag0 type lag "$@" || return 1
	for ((i = 0; i < n; i++)); do
		veth "$a" "a$i" "$b" "b$i" || return 1
		ip -n "$a" link set "a$i" master lag0 || return 1
		ip -n "$b" link set "b$i" up
	done
	ip -n "$a" link set lag0 up
}

# partner B IF SECS PORT: the scripted Individual partner on IF, in the
# background; its JSON summary goes to $_tmp/IF.json
partner() {
	# shellcheck disable=SC2154 # _tmp: lib.sh's scratch directory
	nsx "$1" "$LAG_TOP/tests/selftests/lacp_partner.py" "$2" "$3" \
		"$INDIVIDUAL" "$4" > "$_tmp/$2.json" &
}

carrier() {
	test "$(nsx "$1" cat "/sys/class/net/$2/carrier")" = "$3"
}

test_alone() {
	local a b
	a=$(ns_new ina) && b=$(ns_new inb) || return 1
	setup "$a" "$b" 1 || return 1
	partner "$b" b0 20 1
	check wait_active "$a" lag0 1 15 ||
		note "a0: $(nsx "$a" grep . /sys/class/net/a0/lag_port/{mux_state,reason,partner_state} | paste -sd' ')"
	check_eq "$(nsx "$a" cat /sys/class/net/a0/lag_port/reason)" none "a0 reason"
	check carrier "$a" lag0 1
	wait
}

test_two() {
	local a b r0 r1
	a=$(ns_new i2a) && b=$(ns_new i2b) || return 1
	setup "$a" "$b" 2 min_links 1 || return 1
	partner "$b" b0 20 1
	partner "$b" b1 20 2
	check wait_active "$a" lag0 1 15
	sleep 2
	check_eq "$(active_ports "$a" lag0)" 1 "active_ports: one aggregator of one link"
	r0=$(nsx "$a" cat /sys/class/net/a0/lag_port/reason)
	r1=$(nsx "$a" cat /sys/class/net/a1/lag_port/reason)
	check_eq "$(echo "$r0 $r1" | tr ' ' '\n' | sort | paste -sd' ')" \
		"individual none" "reasons of a0 and a1"
	check carrier "$a" lag0 1
	# min_links counts the Individual link: two asked for, one there.
	check ip -n "$a" link set lag0 type lag min_links 2
	check wait_for 3 carrier "$a" lag0 0
	wait
}

run_test "an Individual partner port: the link carries traffic alone" test_alone
run_test "two Individual partner ports: one aggregator each, one active, the other says why" test_two
finish
