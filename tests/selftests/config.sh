#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Configuration: every LAG option through ip (the iproute2 plugin in
# tools/iproute2, built on the host) and through sysfs, valid and invalid,
# each read back through the other interface and `ip -d -j`; member state
# in `ip -d link show` and `ip monitor`; and who may configure at all.

. "$(dirname "$0")/lib.sh"

export IP_LIB_DIR=$LAG_TOP/tools/iproute2

# info NS DEV KEY: IFLA_INFO_DATA field KEY of DEV, as `ip -d -j` shows it
info() {
	link_json "$1" "$2" | jq -r ".[0].linkinfo.info_data.$3"
}

# sinfo NS DEV KEY: the member data field KEY of DEV
sinfo() {
	link_json "$1" "$2" | jq -r ".[0].linkinfo.info_slave_data.$3"
}

# all_info NS DEV: every LAG field, one line, for before/after comparisons
all_info() {
	link_json "$1" "$2" | jq -c '.[0].linkinfo.info_data'
}

# all_sysfs NS DEV: every sysfs file of the LAG, one line
all_sysfs() {
	nsx "$1" grep -r . "/sys/class/net/$2/lag/" | sort | tr '\n' ' '
}

# both NS DEV OPTION VALUE: sysfs and ip -d -j both show VALUE
both() {
	check_eq "$(lag_sysfs "$1" "$2" "$3")" "$4" "sysfs $3"
	check_eq "$(info "$1" "$2" "$3")" "$4" "ip -d -j $3"
}

# The settable options: name, a valid non-default value, another.
OPTS=(
	"min_links 3 0"
	"lacp_rate fast slow"
	"lacp_active off on"
	"lacp_fallback on off"
	"xmit_hash_policy layer3+4 encap2+3"
	"actor_sys_prio 4096 1"
	"actor_system 02:11:22:33:44:55 00:00:00:00:00:00"
)

test_plugin() {
	local ns out
	ns=$(ns_new plug) || return 1
	check test -e "$IP_LIB_DIR/link_lag.so"
	out=$(ip link help lag 2>&1)
	check grep -q xmit_hash_policy <<< "$out"
	check grep -q user_port_key <<< "$out"
	check grep -q port_prio <<< "$(ip link help lag_slave 2>&1)"
	check ip -n "$ns" link add lag0 type lag
	# The defaults, through both interfaces.
	both "$ns" lag0 min_links 0
	both "$ns" lag0 lacp_rate slow
	both "$ns" lag0 lacp_active on
	both "$ns" lag0 lacp_fallback off
	both "$ns" lag0 xmit_hash_policy layer2
	both "$ns" lag0 actor_sys_prio 65535
	both "$ns" lag0 actor_system 00:00:00:00:00:00
	check_eq "$(info "$ns" lag0 user_port_key)" 0 "user_port_key"
	check_eq "$(info "$ns" lag0 active_ports)" 0 "active_ports"
	check_eq "$(info "$ns" lag0 active_aggregator)" 0 "active_aggregator"
	# Plain text shows the same.
	out=$(ip -n "$ns" -d link show lag0)
	check grep -q "lag min_links 0 lacp_rate slow lacp_active on" <<< "$out"
}

test_create_with_options() {
	local ns
	ns=$(ns_new create) || return 1
	check ip -n "$ns" link add lag0 type lag min_links 2 lacp_rate fast \
		xmit_hash_policy layer3+4 lacp_active off lacp_fallback on \
		actor_sys_prio 100 actor_system 02:00:00:00:00:01 user_port_key 7
	both "$ns" lag0 min_links 2
	both "$ns" lag0 lacp_rate fast
	both "$ns" lag0 lacp_active off
	both "$ns" lag0 lacp_fallback on
	both "$ns" lag0 xmit_hash_policy layer3+4
	both "$ns" lag0 actor_sys_prio 100
	both "$ns" lag0 actor_system 02:00:00:00:00:01
	check_eq "$(info "$ns" lag0 user_port_key)" 7 "user_port_key"
}

test_ip_set() {
	local ns o name v1 v2 key
	ns=$(ns_new ipset) || return 1
	check ip -n "$ns" link add lag0 type lag
	for o in "${OPTS[@]}"; do
		read -r name v1 v2 <<< "$o"
		check ip -n "$ns" link set lag0 type lag "$name" "$v1"
		both "$ns" lag0 "$name" "$v1"
		check ip -n "$ns" link set lag0 type lag "$name" "$v2"
		both "$ns" lag0 "$name" "$v2"
	done
	# user_port_key has no sysfs file: the member's actor key carries it.
	check ip -n "$ns" link add v0 type veth peer name v1
	check ip -n "$ns" link set v0 master lag0
	for key in 1023 5 0; do
		check ip -n "$ns" link set lag0 type lag user_port_key "$key"
		check_eq "$(info "$ns" lag0 user_port_key)" "$key" "user_port_key"
		check_eq $(($(nsx "$ns" cat /sys/class/net/v0/lag_port/actor_key) >> 6)) \
			"$key" "actor_key >> 6"
		check_eq $(($(sinfo "$ns" v0 actor_key) >> 6)) "$key" "member actor_key >> 6"
	done
	# Several options in one request.
	check ip -n "$ns" link set lag0 type lag min_links 4 lacp_rate fast actor_sys_prio 7
	both "$ns" lag0 min_links 4
	both "$ns" lag0 lacp_rate fast
	both "$ns" lag0 actor_sys_prio 7
}

test_sysfs_set() {
	local ns o name v1 v2
	ns=$(ns_new sysset) || return 1
	check ip -n "$ns" link add lag0 type lag
	for o in "${OPTS[@]}"; do
		read -r name v1 v2 <<< "$o"
		check nsx "$ns" sh -c "echo $v1 > /sys/class/net/lag0/lag/$name"
		both "$ns" lag0 "$name" "$v1"
		check nsx "$ns" sh -c "echo $v2 > /sys/class/net/lag0/lag/$name"
		both "$ns" lag0 "$name" "$v2"
	done
}

# state NS: lag0's settings as ip -d -j and sysfs show them, one line
state() {
	echo "$(all_info "$1" lag0) $(all_sysfs "$1" lag0)"
}

# ip_refused NS EXPECTED-MESSAGE ARGS...: `ip -n NS link ARGS` fails saying
# EXPECTED-MESSAGE, and lag0's settings are still $_state.
ip_refused() {
	local ns=$1 msg=$2 err
	shift 2
	if err=$(ip -n "$ns" link "$@" 2>&1); then
		echo "accepted: ip link $*"
		_failed=1
		return 1
	fi
	echo "ip link $*: $err"
	check grep -q -e "$msg" <<< "$err"
	check_eq "$(state "$ns")" "$_state" "settings after a refused request"
}

test_ip_invalid() {
	local ns
	ns=$(ns_new ipinv) || return 1
	check ip -n "$ns" link add lag0 type lag min_links 1 lacp_rate fast \
		actor_sys_prio 10 actor_system 02:00:00:00:00:09 user_port_key 3
	_state=$(state "$ns")
	# Out of the kernel's range: refused by its policy.
	ip_refused "$ns" "min_links must be 0..4" set lag0 type lag min_links 5
	ip_refused "$ns" "actor_sys_prio must be 1..65535" set lag0 type lag actor_sys_prio 0
	ip_refused "$ns" "user_port_key must be 0..1023" set lag0 type lag user_port_key 1024
	ip_refused "$ns" "actor_system must be a unicast" \
		set lag0 type lag actor_system 01:80:c2:00:00:02
	ip_refused "$ns" "actor_system must be a unicast" \
		set lag0 type lag actor_system ff:ff:ff:ff:ff:ff
	# A valid option with an invalid one: none is applied.
	ip_refused "$ns" "user_port_key must be 0..1023" set lag0 type lag min_links 3 \
		lacp_rate slow xmit_hash_policy layer2+3 user_port_key 5000
	ip_refused "$ns" "unicast" set lag0 type lag actor_sys_prio 99 \
		actor_system 03:00:00:00:00:01
	# Not a value of the attribute's type or not a keyword: the plugin.
	ip_refused "$ns" 'invalid value "256" for "min_links"' set lag0 type lag min_links 256
	ip_refused "$ns" 'invalid value "-1"' set lag0 type lag min_links -1
	ip_refused "$ns" 'invalid value "medium"' set lag0 type lag lacp_rate medium
	ip_refused "$ns" 'invalid value "yes"' set lag0 type lag lacp_active yes
	ip_refused "$ns" 'invalid value "1"' set lag0 type lag lacp_fallback 1
	ip_refused "$ns" 'invalid value "layer4"' set lag0 type lag xmit_hash_policy layer4
	ip_refused "$ns" 'invalid value "65536"' set lag0 type lag actor_sys_prio 65536
	ip_refused "$ns" 'invalid value "02:00:00:00:00"' set lag0 type lag actor_system 02:00:00:00:00
	ip_refused "$ns" 'invalid value "x"' set lag0 type lag user_port_key x
	ip_refused "$ns" 'unknown option "mode"' set lag0 type lag mode 4
	ip_refused "$ns" 'needs a value' set lag0 type lag min_links
	# A create that is refused leaves no device.
	check_fail ip -n "$ns" link add lag1 type lag min_links 1 lacp_fallback on user_port_key 2000
	check_fail ip -n "$ns" link show lag1
	check_fail ip -n "$ns" link add lag1 type lag actor_system 01:00:00:00:00:00
	check_fail ip -n "$ns" link show lag1
	check_eq "$(info "$ns" lag0 user_port_key)" 3 "user_port_key"
}

# sysfs_refused NS ATTR VALUE: the write fails, lag0's settings are still
# $_state
sysfs_refused() {
	if nsx "$1" sh -c "echo '$3' > /sys/class/net/lag0/lag/$2" 2> /dev/null; then
		echo "sysfs accepted $2=$3"
		_failed=1
	fi
	check_eq "$(state "$1")" "$_state" "settings after refused $2=$3"
}

test_sysfs_invalid() {
	local ns
	ns=$(ns_new sysinv) || return 1
	check ip -n "$ns" link add lag0 type lag min_links 2 lacp_rate fast \
		actor_system 02:00:00:00:00:07
	_state=$(state "$ns")
	sysfs_refused "$ns" min_links 5
	sysfs_refused "$ns" min_links -1
	sysfs_refused "$ns" min_links two
	sysfs_refused "$ns" lacp_rate medium
	sysfs_refused "$ns" lacp_active 1
	sysfs_refused "$ns" lacp_fallback yes
	sysfs_refused "$ns" xmit_hash_policy layer4
	sysfs_refused "$ns" actor_sys_prio 0
	sysfs_refused "$ns" actor_sys_prio 65536
	sysfs_refused "$ns" actor_system 01:00:5e:00:00:01
	sysfs_refused "$ns" actor_system 02:00:00:00:00
	sysfs_refused "$ns" active_ports 1
	both "$ns" lag0 min_links 2
	both "$ns" lag0 actor_system 02:00:00:00:00:07
}

_mux_is() { # NS DEV STATE
	test "$(sinfo "$1" "$2" mux_state)" = "$3"
}

test_member_state() {
	local a b j sys_b
	a=$(ns_new mema) || return 1
	b=$(ns_new memb) || return 1
	check lag_pair "$a" lag0 "$b" lag1 2
	check ip -n "$a" link set lag0 type lag lacp_rate fast
	check ip -n "$b" link set lag1 type lag lacp_rate fast actor_sys_prio 200 \
		user_port_key 9
	check wait_active "$a" lag0 2 15
	check wait_for 5 _mux_is "$a" a0 distributing
	sys_b=$(ip -n "$b" -j link show lag1 | jq -r '.[0].address')

	# The LAG's read-only state.
	j=$(link_json "$a" lag0)
	check_eq "$(jq -r '.[0].linkinfo.info_data.active_ports' <<< "$j")" \
		"$(active_ports "$a" lag0)" "active_ports (ip vs sysfs)"
	check_eq "$(jq -r '.[0].linkinfo.info_data.active_ports' <<< "$j")" 2 "active_ports"
	check_eq "$(jq -r '.[0].linkinfo.info_data.partner_system' <<< "$j")" \
		"$sys_b" "partner_system"
	check_eq "$(jq -r '.[0].linkinfo.info_data.partner_sys_prio' <<< "$j")" 200 "partner_sys_prio"
	check_eq $(($(jq -r '.[0].linkinfo.info_data.partner_key' <<< "$j") >> 6)) 9 \
		"partner_key >> 6"
	check_eq "$(jq -r '.[0].linkinfo.info_data.active_aggregator' <<< "$j")" \
		"$(nsx "$a" cat /sys/class/net/a0/lag_port/aggregator_id)" "active_aggregator"
	check test "$(jq -r '.[0].linkinfo.info_data.active_aggregator' <<< "$j")" -gt 0

	# A member's state, against its sysfs files.
	j=$(link_json "$a" a0)
	check_eq "$(jq -r '.[0].linkinfo.info_slave_kind' <<< "$j")" lag "slave kind"
	check_eq "$(jq -r '.[0].linkinfo.info_slave_data.mux_state' <<< "$j")" \
		"$(nsx "$a" cat /sys/class/net/a0/lag_port/state)" "mux_state"
	check_eq "$(jq -r '.[0].linkinfo.info_slave_data.reason' <<< "$j")" none "reason"
	check_eq "$(jq -r '.[0].linkinfo.info_slave_data.partner_system' <<< "$j")" \
		"$sys_b" "member partner_system"
	check_eq "$(printf %02x "$(jq -r '.[0].linkinfo.info_slave_data.actor_state' <<< "$j")")" \
		"$(nsx "$a" cat /sys/class/net/a0/lag_port/actor_state)" "actor_state"
	check_eq "$(printf %02x "$(jq -r '.[0].linkinfo.info_slave_data.partner_state' <<< "$j")")" \
		"$(nsx "$a" cat /sys/class/net/a0/lag_port/partner_state)" "partner_state"
	check_eq "$(jq -r '.[0].linkinfo.info_slave_data.port_number' <<< "$j")" \
		"$(nsx "$a" cat /sys/class/net/a0/lag_port/port_number)" "port_number"
	check test "$(jq -r '.[0].linkinfo.info_slave_data.lacpdu_rx' <<< "$j")" -gt 0
	check test "$(jq -r '.[0].linkinfo.info_slave_data.lacpdu_tx' <<< "$j")" -gt 0
	check_eq "$(jq -r '.[0].linkinfo.info_slave_data.lacpdu_rx_errors' <<< "$j")" 0 "rx errors"
	check grep -q "lag_slave state distributing mux_state distributing reason none" \
		<<< "$(ip -n "$a" -d link show a0)"

	# Port priority: set through ip, seen in sysfs and by the partner.
	check_eq "$(sinfo "$a" a0 port_prio)" 255 "default port_prio"
	check ip -n "$a" link set a0 type lag_slave port_prio 17
	check_eq "$(sinfo "$a" a0 port_prio)" 17 "port_prio"
	check_eq "$(nsx "$a" cat /sys/class/net/a0/lag_port/port_prio)" 17 "sysfs port_prio"
	check ip -n "$a" link set a0 type lag_slave port_prio 0
	check_eq "$(sinfo "$a" a0 port_prio)" 0 "port_prio 0"
	check_fail ip -n "$a" link set a0 type lag_slave port_prio 65536
	check_fail ip -n "$a" link set a0 type lag_slave mux_state 0
	check_eq "$(sinfo "$a" a0 port_prio)" 0 "port_prio after refusals"
	# Not a member of a LAG: nothing to set.
	check ip -n "$a" link add d0 type veth peer name d1
	check_fail ip -n "$a" link set d0 type lag_slave port_prio 3

	# The LAG down: its members say so.
	check ip -n "$a" link set lag0 down
	check_eq "$(sinfo "$a" a0 reason)" lag_down "reason with the LAG down"
}

test_monitor() {
	local a b mon states
	a=$(ns_new mona) || return 1
	b=$(ns_new monb) || return 1
	check lag_pair "$a" lag0 "$b" lag1 1
	check ip -n "$a" link set lag0 type lag lacp_rate fast
	check ip -n "$b" link set lag1 type lag lacp_rate fast
	check wait_active "$a" lag0 1 15 || return 1
	mon=$_tmp/monitor.out
	ip -n "$a" -d monitor link > "$mon" 2>&1 &
	_pids+=($!)
	sleep 1
	# The partner changes its key: a0 leaves its aggregator and rejoins.
	check ip -n "$b" link set lag1 type lag user_port_key 5
	check wait_for 5 grep -q -E "mux_state (detached|waiting|attached|collecting)" "$mon"
	check wait_active "$a" lag0 1 15
	check wait_for 5 _mux_is "$a" a0 distributing
	sleep 1
	kill "${_pids[-1]}"
	states=$(grep -o 'mux_state [a-z]*' "$mon" | awk '{print $2}' | uniq | tr '\n' ' ')
	echo "a0 as ip monitor saw it: $states"
	# Out of distributing, then back.
	check grep -q -E '(detached|waiting|attached|collecting) .*distributing' <<< "$states"
}

# as_nobody NS CMD...: CMD in NS as user and group 65534, no capabilities,
# with the plugin where that user can read it
as_nobody() {
	local ns=$1
	shift
	IP_LIB_DIR=$_pubdir nsx "$ns" setpriv --reuid 65534 --regid 65534 \
		--clear-groups -- "$@"
}

# as_root_without_net_admin NS CMD...: uid 0 without CAP_NET_ADMIN
as_root_without_net_admin() {
	local ns=$1
	shift
	nsx "$ns" setpriv --bounding-set -net_admin -- "$@"
}

# refused_by_kernel WHO NS CMD...: CMD fails with EPERM or EACCES
refused_by_kernel() {
	local who=$1 out
	shift
	if out=$("$who" "$@" 2>&1); then
		echo "accepted as $who: ${*:2}"
		_failed=1
		return 1
	fi
	echo "as $who: ${*:2}: $out"
	check grep -q -e "Operation not permitted" -e "Permission denied" <<< "$out"
}

test_unprivileged() {
	local ns before
	ns=$(ns_new unpriv) || return 1
	_pubdir=$(mktemp -d /tmp/lag-plugin.XXXXXX)
	chmod 755 "$_pubdir"
	cp "$IP_LIB_DIR/link_lag.so" "$_pubdir/"
	ln -s link_lag.so "$_pubdir/link_lag_slave.so"
	check ip -n "$ns" link add lag0 type lag min_links 1
	check ip -n "$ns" link add v0 type veth peer name v1
	before=$(state "$ns")

	refused_by_kernel as_nobody "$ns" ip link add lag9 type lag
	refused_by_kernel as_nobody "$ns" ip link add lag9 type lag min_links 2
	check_fail ip -n "$ns" link show lag9
	refused_by_kernel as_nobody "$ns" ip link set lag0 type lag min_links 3
	refused_by_kernel as_nobody "$ns" ip link set lag0 type lag lacp_rate fast
	refused_by_kernel as_nobody "$ns" ip link set v0 master lag0
	check_eq "$(master_of "$ns" v0)" "" "v0's master"
	refused_by_kernel as_nobody "$ns" sh -c '/bin/echo 3 > /sys/class/net/lag0/lag/min_links'
	refused_by_kernel as_nobody "$ns" sh -c '/bin/echo fast > /sys/class/net/lag0/lag/lacp_rate'

	# uid 0 without CAP_NET_ADMIN: the files' modes let it write, the
	# kernel refuses.
	refused_by_kernel as_root_without_net_admin "$ns" ip link add lag9 type lag
	refused_by_kernel as_root_without_net_admin "$ns" \
		ip link set lag0 type lag min_links 3
	refused_by_kernel as_root_without_net_admin "$ns" \
		sh -c '/bin/echo 3 > /sys/class/net/lag0/lag/min_links'
	refused_by_kernel as_root_without_net_admin "$ns" \
		sh -c '/bin/echo 02:00:00:00:00:03 > /sys/class/net/lag0/lag/actor_system'
	check_eq "$(state "$ns")" "$before" "settings"

	# A member's priority, likewise.
	check ip -n "$ns" link set v0 master lag0
	refused_by_kernel as_nobody "$ns" ip link set v0 type lag_slave port_prio 9
	check_eq "$(sinfo "$ns" v0 port_prio)" 255 "port_prio"
	rm -rf "$_pubdir"
}

run_test "plugin loaded: ip link help lag, defaults through ip and sysfs" test_plugin
run_test "ip link add with every option; sysfs and ip -d -j agree" test_create_with_options
run_test "ip link set each option; sysfs and ip -d -j agree" test_ip_set
run_test "sysfs write each option; ip -d -j agrees" test_sysfs_set
run_test "invalid values through ip: clear error, nothing changes" test_ip_invalid
run_test "invalid values through sysfs: refused, nothing changes" test_sysfs_invalid
run_test "member LACP state in ip -d link show; port_prio through lag_slave" test_member_state
run_test "ip monitor link: a member leaves distributing and returns" test_monitor
run_test "unprivileged users can neither create, change nor enslave" test_unprivileged
finish
