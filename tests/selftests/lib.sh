#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Shared helpers for the lag selftests (kselftest TAP style). Each test file
# sources this, makes its own namespaces through these helpers and calls
# run_test for each case; everything it made is removed on exit, pass or
# fail. Tests run inside the UML guest (tests/run-guest.sh), as root.

set -u

LAG_TOP=${LAG_TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
NS_PREFIX="lt$$"
_namespaces=()
_pids=()
_ntest=0
_nfail=0
_failed=0
_tmp=$(mktemp -d)

echo "TAP version 13"

# --- results -----------------------------------------------------------

# note TEXT...: a TAP comment
note() { echo "# $*"; }

# check CMD...: run CMD; if it fails, the current test fails (not fatal)
check() {
	if ! "$@"; then
		echo "check failed: $*"
		_failed=1
		return 1
	fi
}

# check_eq ACTUAL EXPECTED WHAT
check_eq() {
	if [ "$1" != "$2" ]; then
		echo "$3: got '$1', expected '$2'"
		_failed=1
		return 1
	fi
}

# check_fail CMD...: CMD must fail
check_fail() {
	if "$@"; then
		echo "unexpectedly succeeded: $*"
		_failed=1
		return 1
	fi
}

# run_test DESCRIPTION FUNCTION [ARGS...]: one TAP line; the function's output
# becomes TAP comments.
run_test() {
	local desc=$1 rc
	shift
	_failed=0
	_ntest=$((_ntest + 1))
	# LAG_TEST_FILTER: a regular expression; cases it does not match skip.
	if [ -n "${LAG_TEST_FILTER:-}" ] && ! grep -q -E "$LAG_TEST_FILTER" <<< "$desc"; then
		echo "ok $_ntest - $desc # SKIP not selected by LAG_TEST_FILTER"
		return
	fi
	"$@" > "$_tmp/log" 2>&1
	rc=$?
	sed 's/^/# /' "$_tmp/log"
	if [ "$rc" = 0 ] && [ "$_failed" = 0 ]; then
		echo "ok $_ntest - $desc"
	else
		echo "not ok $_ntest - $desc"
		_nfail=$((_nfail + 1))
	fi
}

# skip_test DESCRIPTION REASON
skip_test() {
	_ntest=$((_ntest + 1))
	echo "ok $_ntest - $1 # SKIP $2"
}

# --- cleanup -----------------------------------------------------------

cleanup() {
	local p ns
	for p in "${_pids[@]}"; do
		kill "$p" 2> /dev/null
	done
	for ns in "${_namespaces[@]}"; do
		ip netns pids "$ns" 2> /dev/null | xargs -r kill 2> /dev/null
		ip netns del "$ns" 2> /dev/null
	done
	rm -rf "$_tmp"
}

finish() {
	echo "1..$_ntest"
	cleanup
	trap - EXIT
	[ "$_nfail" = 0 ]
	exit $?
}
trap 'cleanup' EXIT

# --- topology ----------------------------------------------------------

# ns_new NAME: create namespace $NS_PREFIX-NAME, print its full name
ns_new() {
	local ns=$NS_PREFIX-$1
	ip netns add "$ns" || return 1
	_namespaces+=("$ns")
	ip -n "$ns" link set lo up
	echo "$ns"
}

# nsx NS CMD...: run CMD in namespace NS
nsx() {
	local ns=$1
	shift
	ip netns exec "$ns" "$@"
}

# veth NS1 IF1 NS2 IF2: a veth pair between two namespaces, both ends down
veth() {
	ip link add "$2" netns "$1" type veth peer name "$4" netns "$3"
}

# wait_for SECONDS CMD...: poll CMD every 0.1 s until it succeeds
wait_for() {
	local deadline=$((SECONDS + $1))
	shift
	until "$@"; do
		[ "$SECONDS" -ge "$deadline" ] && return 1
		sleep 0.1
	done
}

# link_json NS DEV: `ip -d -j link show DEV` in NS
link_json() {
	ip -n "$1" -d -j link show dev "$2"
}

# jget JSON PYTHON-EXPR: evaluate EXPR on the parsed JSON as `j`
jget() {
	python3 -c 'import json,sys; j=json.loads(sys.argv[1]); print(eval(sys.argv[2]))' "$1" "$2"
}

# --- partners ----------------------------------------------------------

# partner_bond NS BOND RATE IF...: Linux bonding in 802.3ad mode over IF...
# (RATE fast|slow), up.
partner_bond() {
	local ns=$1 bond=$2 rate=$3 i
	shift 3
	ip -n "$ns" link add "$bond" type bond mode 802.3ad lacp_rate "$rate" \
		miimon 100 xmit_hash_policy layer3+4 || return 1
	for i in "$@"; do
		ip -n "$ns" link set "$i" down
		ip -n "$ns" link set "$i" master "$bond" || return 1
	done
	ip -n "$ns" link set "$bond" up
}

# partner_team NS TEAM RATE IF...: teamd's lacp runner over IF... (daemonised)
partner_team() {
	local ns=$1 team=$2 rate=$3 ports="" i fast=false
	shift 3
	[ "$rate" = fast ] && fast=true
	for i in "$@"; do
		ports="$ports${ports:+,}\"$i\": {}"
		ip -n "$ns" link set "$i" down
	done
	mkdir -p /run/teamd
	cat > "$_tmp/$team.conf" <<EOT
{"device": "$team",
 "runner": {"name": "lacp", "active": true, "fast_rate": $fast,
            "tx_hash": ["eth", "ipv4", "ipv6", "l4"]},
 "link_watch": {"name": "ethtool"},
 "ports": {$ports}}
EOT
	nsx "$ns" teamd -d -r -f "$_tmp/$team.conf" -p "$_tmp/$team.pid" || return 1
	ip -n "$ns" link set "$team" up
}

# --- lag ---------------------------------------------------------------

lag_sysfs() { # NS DEV ATTR: read /sys/class/net/DEV/lag/ATTR in NS
	nsx "$1" cat "/sys/class/net/$2/lag/$3"
}

# lag_pair NSA LAGA NSB LAGB N [OPTS]: LAGA in NSA and LAGB in NSB joined by N
# veth pairs (aN in NSA, bN in NSB), all up. Members are a0..a(N-1).
lag_pair() {
	local nsa=$1 laga=$2 nsb=$3 lagb=$4 n=$5 i
	ip -n "$nsa" link add "$laga" type lag || return 1
	ip -n "$nsb" link add "$lagb" type lag || return 1
	for ((i = 0; i < n; i++)); do
		veth "$nsa" "a$i" "$nsb" "b$i" || return 1
		ip -n "$nsa" link set "a$i" master "$laga" || return 1
		ip -n "$nsb" link set "b$i" master "$lagb" || return 1
	done
	ip -n "$nsa" link set "$laga" up
	ip -n "$nsb" link set "$lagb" up
}

# active_ports NS LAG: the number of distributing members
active_ports() { lag_sysfs "$1" "$2" active_ports; }

# _reason_is NS DEV WORD: DEV's lag_port/reason is WORD
_reason_is() { test "$(nsx "$1" cat "/sys/class/net/$2/lag_port/reason")" = "$3"; }

_active_is() { test "$(active_ports "$1" "$2")" = "$3"; }

# wait_active NS LAG N [SECONDS]: wait until N members distribute
wait_active() {
	wait_for "${4:-10}" _active_is "$1" "$2" "$3"
}

# master_of NS DEV: the name of DEV's master, empty if none
master_of() {
	ip -n "$1" -j link show dev "$2" | jq -r '.[0].master // empty'
}

# tx_packets NS DEV
tx_packets() {
	ip -n "$1" -j -s link show dev "$2" | jq '.[0].stats64.tx.packets'
}

# is_up NS DEV: "true" if DEV is administratively up
is_up() {
	ip -n "$1" -j link show dev "$2" | jq '.[0].flags | index("UP") != null'
}
