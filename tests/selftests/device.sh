#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The LAG device itself: ip link add/del, its kind, and module unload
# deleting every LAG.

. "$(dirname "$0")/lib.sh"

test_create_delete() {
	local ns
	ns=$(ns_new dev) || return 1
	check ip -n "$ns" link add lag0 type lag
	check_eq "$(jget "$(link_json "$ns" lag0)" 'j[0]["linkinfo"]["info_kind"]')" lag "kind"
	check ip -n "$ns" link set lag0 up
	check ip -n "$ns" link del lag0
	check_fail ip -n "$ns" link show lag0
}

test_two_lags() {
	local ns
	ns=$(ns_new two) || return 1
	check ip -n "$ns" link add lag0 type lag
	check ip -n "$ns" link add lag1 type lag
	check_fail ip -n "$ns" link add lag1 type lag
	check_eq "$(ip -n "$ns" -j link show type lag | jq length)" 2 "LAG count"
}

test_unload_deletes() {
	local a b
	a=$(ns_new unl-a) || return 1
	b=$(ns_new unl-b) || return 1
	check ip -n "$a" link add lag0 type lag
	check ip -n "$a" link set lag0 up
	check ip -n "$b" link add lag7 type lag
	check rmmod lag
	check_fail ip -n "$a" link show lag0
	check_fail ip -n "$b" link show lag7
	check insmod "$LAG_MODDIR/lag.ko"
	check ip -n "$a" link add lag0 type lag
}

run_test "ip link add/del type lag" test_create_delete
run_test "two LAGs in one namespace, duplicate name refused" test_two_lags
run_test "rmmod deletes every LAG in every namespace" test_unload_deletes
finish
