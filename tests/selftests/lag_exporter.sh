#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# lag-exporter and lag-status: promtool check metrics on the exporter's
# output, and every value equal to sysfs (lag_exporter_check.py), for a
# converged four-member LAG against bonding and for a LAG with a defaulted
# member (its peer speaks no LACP); lag-status shows the same members,
# states and reasons, in text and JSON.

. "$(dirname "$0")/lib.sh"

EXP=$LAG_TOP/tools/lag-exporter
STATUS=$LAG_TOP/tools/lag-status
CHK=$LAG_TOP/tests/selftests/lag_exporter_check.py

# status_matches NS LAG: lag-status -j agrees with sysfs, and the text names
# every member with its state and reason
status_matches() {
	local ns=$1 lag=$2 j m st rs
	j=$(nsx "$ns" python3 "$STATUS" -j "$lag") || return 1
	nsx "$ns" python3 "$STATUS" "$lag" > "$_tmp/status.txt" || return 1
	cat "$_tmp/status.txt"
	for m in $(lag_sysfs "$ns" "$lag" ports); do
		st=$(nsx "$ns" cat "/sys/class/net/$m/lag_port/state")
		rs=$(nsx "$ns" cat "/sys/class/net/$m/lag_port/reason")
		check_eq "$(jq -r --arg m "$m" '.[0].members[] | select(.name == $m) | "\(.state) \(.reason)"' <<< "$j")" \
			"$st $rs" "lag-status -j $m"
		check grep -q -E "^  $m +(up|down) +$st +$rs " "$_tmp/status.txt"
	done
	check_eq "$(jq -r '.[0].min_links' <<< "$j")" "$(lag_sysfs "$ns" "$lag" min_links)" "min_links"
}

test_converged() {
	local a b i
	a=$(ns_new exp-a) || return 1
	b=$(ns_new exp-b) || return 1
	for i in 0 1 2 3; do
		check veth "$a" "a$i" "$b" "b$i"
	done
	check partner_bond "$b" bond0 fast b0 b1 b2 b3
	check ip -n "$a" link add lag0 type lag
	nsx "$a" sh -c 'echo fast > /sys/class/net/lag0/lag/lacp_rate; echo 2 > /sys/class/net/lag0/lag/min_links'
	for i in 0 1 2 3; do
		check ip -n "$a" link set "a$i" master lag0
	done
	check ip -n "$a" link set lag0 up
	check wait_active "$a" lag0 4 40
	check nsx "$a" python3 "$CHK" "$EXP" "$_tmp/conv.prom" a0=none a1=none a2=none a3=none
	check grep -q '^lag_distributing_members{lag="lag0"} 4$' "$_tmp/conv.prom"
	check status_matches "$a" lag0
}

test_defaulted() {
	local a b
	a=$(ns_new def-a) || return 1
	b=$(ns_new def-b) || return 1
	check veth "$a" a0 "$b" b0
	check veth "$a" a1 "$b" b1
	check partner_bond "$b" bond0 fast b0
	ip -n "$b" link set b1 up	# a peer that speaks no LACP
	check ip -n "$a" link add lag1 type lag
	check ip -n "$a" link set a0 master lag1
	check ip -n "$a" link set a1 master lag1
	check ip -n "$a" link set lag1 up
	check wait_active "$a" lag1 1 40
	check wait_for 20 _reason_is "$a" a1 defaulted
	check nsx "$a" python3 "$CHK" "$EXP" "$_tmp/def.prom" a0=none a1=defaulted
	check grep -q '^lag_member_reason{lag="lag1",member="a1",reason="defaulted"} 1$' "$_tmp/def.prom"
	check status_matches "$a" lag1
}

run_test "lag-exporter: promtool and sysfs agree for a converged LAG; lag-status" test_converged
run_test "lag-exporter: promtool and sysfs agree with a defaulted member; lag-status" test_defaulted
finish
