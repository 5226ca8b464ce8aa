#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Privileges and network namespaces: every configuration path needs
# CAP_NET_ADMIN over the LAG's network namespace. An unprivileged user can
# change nothing; root of a user namespace manages LAGs in a network
# namespace it owns and nowhere else; a LAG never leaves its namespace; a
# member that leaves the namespace leaves the LAG cleanly.

. "$(dirname "$0")/lib.sh"

NOBODY=(setpriv --reuid 65534 --regid 65534 --clear-groups --inh-caps=-all)
ATTRS="ports min_links xmit_hash_policy lacp_rate lacp_active lacp_fallback actor_sys_prio actor_system active_ports"

# The iproute2 plugin, copied where an unprivileged user can load it; empty
# when it does not work (the netlink cases are then skipped with a note).
PLUGIN=""
plugin_setup() {
	local dir=/tmp/lag-ip-$$
	IP_LIB_DIR=$LAG_TOP/tools/iproute2 ip link help lag > /dev/null 2>&1 || return 1
	mkdir -m 755 "$dir" && cp "$LAG_TOP"/tools/iproute2/link_lag*.so "$dir"/ &&
		chmod 644 "$dir"/*.so && PLUGIN=$dir
}
plugin_setup || echo "# netlink options: 'ip link help lag' fails with IP_LIB_DIR=$LAG_TOP/tools/iproute2; those cases only use sysfs"

# nl_refused NS CMD-PREFIX... -- LAG: each netlink option change must fail
# with EPERM (not for want of the plugin)
nl_refused() {
	local ns=$1 out o
	shift
	[ -n "$PLUGIN" ] || return 0
	for o in "min_links 2" "lacp_rate fast" "lacp_active off" "lacp_fallback on" \
		"xmit_hash_policy layer3+4" "actor_sys_prio 7" "actor_system 02:01:02:03:04:05" \
		"user_port_key 5"; do
		# shellcheck disable=SC2086
		out=$(IP_LIB_DIR=$PLUGIN nsx "$ns" "$@" $o 2>&1)
		check_eq "$?" 2 "exit status of: $* $o"
		check grep -q "Operation not permitted" <<< "$out" || echo "ip said: $out"
	done
}

# a valid value for each attribute, different from the default
value_for() {
	case $1 in
	ports) echo +a3 ;;
	min_links) echo 2 ;;
	xmit_hash_policy) echo layer3+4 ;;
	lacp_rate) echo fast ;;
	lacp_active) echo off ;;
	lacp_fallback) echo on ;;
	actor_sys_prio) echo 100 ;;
	actor_system) echo 02:11:22:33:44:55 ;;
	active_ports) echo 3 ;;
	esac
}

# snapshot NS LAG: every attribute's value, one per line
snapshot() {
	local f
	for f in $ATTRS; do
		echo "$f=$(nsx "$1" cat "/sys/class/net/$2/lag/$f")"
	done
}

# refused_writes NS LAG CMD-PREFIX...: each attribute write, run through
# CMD-PREFIX in NS, must fail and change nothing
refused_writes() {
	local ns=$1 lag=$2 f before
	shift 2
	before=$(snapshot "$ns" "$lag")
	for f in $ATTRS; do
		check_fail nsx "$ns" "$@" sh -c \
			"echo $(value_for "$f") > /sys/class/net/$lag/lag/$f" 2> /dev/null &&
			echo "refused: $f"
	done
	check_eq "$(snapshot "$ns" "$lag")" "$before" "attributes after refused writes"
}

test_unprivileged() {
	local a b f
	a=$(ns_new np-a) || return 1
	b=$(ns_new np-b) || return 1
	check lag_pair "$a" lag0 "$b" lag1 3
	check veth "$a" a3 "$b" b3
	# plain unprivileged: no CAP_NET_ADMIN anywhere
	check_fail nsx "$a" "${NOBODY[@]}" ip link add lag9 type lag
	check_fail nsx "$a" "${NOBODY[@]}" ip link set a3 master lag0
	check_fail nsx "$a" "${NOBODY[@]}" ip link set a0 nomaster
	check_fail nsx "$a" "${NOBODY[@]}" ip link set lag0 down
	check_fail nsx "$a" "${NOBODY[@]}" ip link set lag0 mtu 1400
	check_fail nsx "$a" "${NOBODY[@]}" ip link set lag0 address 02:00:00:00:00:77
	check_fail nsx "$a" "${NOBODY[@]}" ip link del lag0
	check_eq "$(master_of "$a" a0)" lag0 "a0's master"
	check_eq "$(master_of "$a" a3)" "" "a3's master"
	check_eq "$(ip -n "$a" -j link show lag0 | jq -r '.[0].mtu')" 1500 "lag0 MTU"
	check_eq "$(is_up "$a" lag0)" true "lag0 up"
	check_fail ip -n "$a" link show lag9 2> /dev/null
	nl_refused "$a" "${NOBODY[@]}" ip link set lag0 type lag
	[ -n "$PLUGIN" ] && check_fail nsx "$a" "${NOBODY[@]}" env IP_LIB_DIR="$PLUGIN" \
		ip link set a0 type lag_slave port_prio 9 2> /dev/null
	# sysfs: refused by the file mode ...
	refused_writes "$a" lag0 "${NOBODY[@]}"
	# ... and by the kernel's own check when the mode would allow it
	for f in $ATTRS; do
		[ "$f" = active_ports ] || check nsx "$a" chmod a+w "/sys/class/net/lag0/lag/$f"
	done
	refused_writes "$a" lag0 "${NOBODY[@]}"
	# reading is allowed
	check nsx "$a" "${NOBODY[@]}" cat /sys/class/net/lag0/lag/lacp_rate /sys/class/net/a0/lag_port/state > /dev/null
	# root still can
	check nsx "$a" sh -c 'echo 2 > /sys/class/net/lag0/lag/min_links'
	check_eq "$(lag_sysfs "$a" lag0 min_links)" 2 "min_links written by root"
}

# in_userns SCRIPT: run SCRIPT (bash) as root of a new user namespace
# created by an unprivileged user, with its own network and mount
# namespaces and sysfs mounted for that network namespace
in_userns() {
	"${NOBODY[@]}" unshare --user --map-root-user --net --mount \
		bash -c "mount -t sysfs sysfs /sys && ip link set lo up && $1"
}

test_userns_own() {
	local out
	if ! "${NOBODY[@]}" unshare --user --map-root-user true 2> /dev/null; then
		echo "unprivileged user namespaces are disabled here"
		return 1
	fi
	# shellcheck disable=SC2016
	out=$(PLUGIN=$PLUGIN in_userns '
		set -e
		ip link add lag0 type lag
		ip link add v0 type veth peer name w0
		ip link add v1 type veth peer name w1
		ip link set v0 master lag0
		ip link set v1 master lag0
		ip link set lag0 up
		echo fast > /sys/class/net/lag0/lag/lacp_rate
		echo 1 > /sys/class/net/lag0/lag/min_links
		echo layer3+4 > /sys/class/net/lag0/lag/xmit_hash_policy
		echo on > /sys/class/net/lag0/lag/lacp_fallback
		echo 1000 > /sys/class/net/lag0/lag/actor_sys_prio
		echo 02:aa:bb:cc:dd:ee > /sys/class/net/lag0/lag/actor_system
		echo off > /sys/class/net/lag0/lag/lacp_active
		echo on > /sys/class/net/lag0/lag/lacp_active
		ip link add v2 type veth peer name w2
		echo +v2 > /sys/class/net/lag0/lag/ports
		echo "ports=$(cat /sys/class/net/lag0/lag/ports)"
		echo -v2 > /sys/class/net/lag0/lag/ports
		if [ -n "$PLUGIN" ]; then
			IP_LIB_DIR=$PLUGIN ip link set lag0 type lag actor_sys_prio 2000 user_port_key 3
			IP_LIB_DIR=$PLUGIN ip link set v0 type lag_slave port_prio 17
			IP_LIB_DIR=$PLUGIN ip link add lag1 type lag lacp_rate fast
			ip link del lag1
			echo "nl_prio=$(cat /sys/class/net/lag0/lag/actor_sys_prio)"
			echo "nl_port_prio=$(cat /sys/class/net/v0/lag_port/port_prio)"
		fi
		ip link set lag0 mtu 1400
		for f in lacp_rate min_links xmit_hash_policy lacp_fallback actor_sys_prio actor_system lacp_active; do
			echo "$f=$(cat /sys/class/net/lag0/lag/$f)"
		done
		echo "v0_master=$(ip -j link show v0 | jq -r ".[0].master")"
		echo "v0_state=$(cat /sys/class/net/v0/lag_port/state)"
		ip link set v1 nomaster
		echo "v1_master=$(ip -j link show v1 | jq -r ".[0].master // \"none\"")"
		ip link del lag0
		echo "v0_after=$(ip -j link show v0 | jq -r ".[0].master // \"none\"")"
		echo done
	' 2>&1)
	echo "$out"
	check grep -qx "lacp_rate=fast" <<< "$out"
	check grep -qx "min_links=1" <<< "$out"
	check grep -qx "xmit_hash_policy=layer3+4" <<< "$out"
	check grep -qx "lacp_fallback=on" <<< "$out"
	# 1000 through sysfs, then 2000 through netlink when the plugin works
	check grep -qx "actor_sys_prio=$([ -n "$PLUGIN" ] && echo 2000 || echo 1000)" <<< "$out"
	check grep -qx "ports=v0 v1 v2" <<< "$out"
	if [ -n "$PLUGIN" ]; then
		check grep -qx "nl_prio=2000" <<< "$out"
		check grep -qx "nl_port_prio=17" <<< "$out"
	fi
	check grep -qx "actor_system=02:aa:bb:cc:dd:ee" <<< "$out"
	check grep -qx "lacp_active=on" <<< "$out"
	check grep -qx "v0_master=lag0" <<< "$out"
	check grep -qx "v1_master=none" <<< "$out"
	check grep -qx "v0_after=none" <<< "$out"
	check grep -qx "done" <<< "$out"
}

test_userns_other() {
	local lag=lagp$$ a out f before
	if ! "${NOBODY[@]}" unshare --user --map-root-user true 2> /dev/null; then
		echo "unprivileged user namespaces are disabled here"
		return 1
	fi
	a=$(ns_new un-a) || return 1
	# a LAG in the initial network namespace and one in a namespace root made
	check ip link add "$lag" type lag
	check ip -n "$a" link add lag0 type lag
	check ip -n "$a" link add v0 type veth peer name w0
	check ip -n "$a" link set v0 master lag0
	for f in $ATTRS; do
		[ "$f" = active_ports ] && continue
		check chmod a+w "/sys/class/net/$lag/lag/$f"
		check nsx "$a" chmod a+w "/sys/class/net/lag0/lag/$f"
	done
	before=$(cat /sys/class/net/"$lag"/lag/*)

	# root of a user namespace, still in the initial network namespace:
	# CAP_NET_ADMIN in its own user namespace only
	out=$("${NOBODY[@]}" unshare --user --map-root-user bash -c "
		ip link set $lag down 2>&1 && echo changed-updown
		ip link set $lag mtu 1400 2>&1 && echo changed-mtu
		ip link del $lag 2>&1 && echo changed-del
		ip link add lagq$$ type lag 2>&1 && echo changed-add
		for f in $ATTRS; do
			case \$f in
			min_links) v=3 ;; xmit_hash_policy) v=layer2+3 ;;
			lacp_rate) v=fast ;; lacp_active) v=off ;;
			lacp_fallback) v=on ;; actor_sys_prio) v=7 ;;
			actor_system) v=02:01:02:03:04:05 ;; ports) v=+w0 ;; *) v=1 ;;
			esac
			(echo \$v > /sys/class/net/$lag/lag/\$f) 2>&1 && echo changed-\$f
		done
		if [ -n \"$PLUGIN\" ]; then
			IP_LIB_DIR=$PLUGIN ip link set $lag type lag lacp_rate fast 2>&1 && echo changed-nl
			IP_LIB_DIR=$PLUGIN ip link add lagq$$ type lag min_links 1 2>&1 && echo changed-nl-add
		fi
		# and into a namespace root made, by its name or by a process
		ip -n $a link set lag0 down 2>&1 && echo changed-other-ns
		nsenter --net=/run/netns/$a ip link set v0 nomaster 2>&1 && echo changed-other-ns-member
		true")
	echo "$out"
	check_fail grep -q changed <<< "$out"
	check_eq "$(cat /sys/class/net/"$lag"/lag/*)" "$before" \
		"attributes of the initial namespace's LAG"
	check_eq "$(ip -j link show "$lag" | jq -r '.[0].mtu')" 1500 "MTU of $lag"
	check_eq "$(master_of "$a" v0)" lag0 "v0's master"
	check_fail ip link show "lagq$$" 2> /dev/null
	check ip link del "$lag"
}

test_lag_netns_refused() {
	local a b c out
	a=$(ns_new mv-a) || return 1
	b=$(ns_new mv-b) || return 1
	c=$(ns_new mv-c) || return 1
	check lag_pair "$a" lag0 "$b" lag1 4
	check wait_active "$a" lag0 4 30
	out=$(ip -n "$a" link set lag0 netns "$c" 2>&1)
	check_eq "$?" 2 "exit status of moving lag0"
	echo "ip said: $out"
	check ip -n "$a" link show lag0 > /dev/null
	check_fail ip -n "$c" link show lag0 2> /dev/null
	check_eq "$(ip -n "$a" -j link show master lag0 | jq length)" 4 "members of lag0"
	check_eq "$(active_ports "$a" lag0)" 4 "distributing members"
	# the same for a LAG without members, and by netns id
	check ip -n "$a" link add lag2 type lag
	check_fail ip -n "$a" link set lag2 netns "$c" 2> /dev/null
	check ip -n "$a" link show lag2 > /dev/null
}

test_member_netns() {
	local a b c mac2 macl i
	a=$(ns_new mm-a) || return 1
	b=$(ns_new mm-b) || return 1
	c=$(ns_new mm-c) || return 1
	for i in 0 1 2 3; do check veth "$a" "a$i" "$b" "b$i"; done
	mac2=$(ip -n "$a" -j link show a2 | jq -r '.[0].address')
	check ip -n "$a" link add lag0 type lag
	check ip -n "$b" link add lag1 type lag
	for i in 0 1 2 3; do
		check ip -n "$a" link set "a$i" master lag0
		check ip -n "$b" link set "b$i" master lag1
	done
	# a member MTU other than its own, so that giving it back shows
	check ip -n "$a" link set lag0 mtu 1400
	check ip -n "$b" link set lag1 mtu 1400
	check ip -n "$a" link set lag0 up
	check ip -n "$b" link set lag1 up
	check wait_active "$a" lag0 4 30
	macl=$(ip -n "$a" -j link show a2 | jq -r '.[0].address')
	echo "a2: own address $mac2, as a member $macl"

	check ip -n "$a" link set a2 netns "$c"
	check_eq "$(ip -n "$a" -j link show master lag0 | jq length)" 3 "members of lag0"
	check_eq "$(master_of "$c" a2)" "" "a2's master in its new namespace"
	check_eq "$(ip -n "$c" -j link show a2 | jq -r '.[0].address')" "$mac2" "a2's own address back"
	check_eq "$(ip -n "$c" -j link show a2 | jq -r '.[0].mtu')" 1500 "a2's own MTU back"
	check_fail nsx "$c" test -e /sys/class/net/a2/lag_port
	check wait_active "$a" lag0 3 10
	check_eq "$(active_ports "$a" lag0)" 3 "distributing members after a2 left"
	# it works in its new namespace, and can come back
	check ip -n "$c" link set a2 up
	check ip -n "$c" addr add 192.0.2.9/24 dev a2
	check ip -n "$c" link set a2 netns "$a"
	check ip -n "$a" link set a2 master lag0
	check wait_active "$a" lag0 4 30
	# a member moved away while the LAG is down, then the LAG deleted
	check ip -n "$a" link set lag0 down
	check ip -n "$a" link set a1 netns "$c"
	check_eq "$(master_of "$c" a1)" "" "a1's master"
	check_eq "$(ip -n "$c" -j link show a1 | jq -r '.[0].mtu')" 1500 "a1's own MTU back"
	check ip -n "$a" link del lag0
	check_eq "$(master_of "$a" a3)" "" "a3's master after lag0 was deleted"
	# a member deleted while enslaved
	check ip -n "$b" link del b0
	check_eq "$(ip -n "$b" -j link show master lag1 | jq length)" 3 "members of lag1"
}

run_test "an unprivileged user cannot create, change, enslave or write sysfs" test_unprivileged
run_test "root of a user namespace manages a LAG in its own network namespace" test_userns_own
run_test "root of a user namespace cannot touch a LAG of another namespace" test_userns_other
run_test "a LAG cannot move to another network namespace" test_lag_netns_refused
run_test "a member moved to another network namespace leaves the LAG cleanly" test_member_netns
finish
