#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tools/systemd/lag-unit, what lag@NAME.service runs: a LAG from
# NAME.conf (options and members) against a bonding partner, deleted by
# stop with every member restored; a bad option, a bad line and a missing
# member refused with nothing left; a member that appears late waited for.

. "$(dirname "$0")/lib.sh"

UNIT=$LAG_TOP/tools/systemd/lag-unit
export IP_LIB_DIR=$LAG_TOP/tools/iproute2 LAG_CONF_DIR=$_tmp/conf
mkdir -p "$LAG_CONF_DIR"

lu() { # NS start|stop NAME
	nsx "$1" "$UNIT" "$2" "$3"
}
lag_exists() { ip -n "$1" link show dev "$2" > /dev/null 2>&1; }
snapshot() {
	ip -n "$1" -j link show dev "$2" |
		jq -r '.[0] | "\(.address) \(.mtu) \(.flags | index("UP") != null) \(.master // "-")"'
}

test_start_stop() {
	local a b i before=()
	a=$(ns_new su-a) || return 1
	b=$(ns_new su-b) || return 1
	for i in 0 1 2 3; do
		check veth "$a" "a$i" "$b" "b$i"
		before[i]=$(snapshot "$a" "a$i")
	done
	check partner_bond "$b" bond0 fast b0 b1 b2 b3
	cat > "$LAG_CONF_DIR/lag0.conf" <<EOT
# a comment
options min_links 2 lacp_rate fast   # trailing comment
options xmit_hash_policy layer3+4
ports a0 a1
ports a2 a3
EOT
	check lu "$a" start lag0 || return 1
	check_eq "$(lag_sysfs "$a" lag0 ports)" "a0 a1 a2 a3" ports
	check_eq "$(lag_sysfs "$a" lag0 min_links)" 2 min_links
	check_eq "$(lag_sysfs "$a" lag0 lacp_rate)" fast lacp_rate
	check_eq "$(lag_sysfs "$a" lag0 xmit_hash_policy)" layer3+4 xmit_hash_policy
	check_eq "$(is_up "$a" lag0)" true "lag0 up"
	check wait_active "$a" lag0 4 40
	check_fail lu "$a" start lag0
	check lu "$a" stop lag0
	check_fail lag_exists "$a" lag0
	for i in 0 1 2 3; do
		check_eq "$(snapshot "$a" "a$i")" "${before[i]}" "a$i after stop"
	done
	check lu "$a" stop lag0
}

# refused NS NAME PATTERN: start NAME fails, its message matches PATTERN,
# and no NAME is left
refused() {
	local out
	out=$(lu "$1" start "$2" 2>&1)
	check test $? != 0
	echo "$out"
	check grep -q -e "$3" <<< "$out"
	check_fail lag_exists "$1" "$2"
}

test_refused() {
	local a i
	a=$(ns_new sr-a) || return 1
	for i in 0 1; do
		ip -n "$a" link add "a$i" type veth peer name "p$i"
	done
	printf 'options min_links 9\nports a0 a1\n' > "$LAG_CONF_DIR/lag1.conf"
	refused "$a" lag1 '^Error: '
	printf 'option min_links 1\n' > "$LAG_CONF_DIR/lag2.conf"
	refused "$a" lag2 "unknown keyword 'option'"
	printf 'ports a0 a1 nosuch\nwait 1\n' > "$LAG_CONF_DIR/lag3.conf"
	check_fail lu "$a" start lag3
	check_fail lag_exists "$a" lag3
	check_eq "$(master_of "$a" a0)$(master_of "$a" a1)" "" "masters after a refused start"
	check_fail lu "$a" start nosuchconf
	check_fail lu "$a" start ../x
}

test_late_member() {
	local a pid
	a=$(ns_new sl-a) || return 1
	ip -n "$a" link add a0 type veth peer name p0
	printf 'ports a0 late0\nwait 10\n' > "$LAG_CONF_DIR/lag4.conf"
	lu "$a" start lag4 &
	pid=$!
	sleep 1
	ip -n "$a" link add late0 type veth peer name p1
	check wait "$pid"
	check_eq "$(lag_sysfs "$a" lag4 ports)" "a0 late0" "ports with a late member"
	check lu "$a" stop lag4
}

run_test "lag-unit: start from NAME.conf against bonding, stop restores members" test_start_stop
run_test "lag-unit: bad option, bad line, missing member refused with nothing left" test_refused
run_test "lag-unit: a member that appears late is waited for" test_late_member
finish
