#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Who may join a LAG, what joining and leaving do to a member.

. "$(dirname "$0")/lib.sh"

test_fifth_refused() {
	local a b out
	a=$(ns_new five-a) || return 1
	b=$(ns_new five-b) || return 1
	check lag_pair "$a" lag0 "$b" lag1 4
	check veth "$a" a4 "$b" b4
	out=$(ip -n "$a" link set a4 master lag0 2>&1)
	check_eq "$?" 2 "exit status of the fifth enslave"
	echo "ip said: $out"
	check grep -q "lag0: a4 refused: a LAG has at most 4 members" <<< "$out"
	check_eq "$(master_of "$a" a4)" "" "fifth member's master"
	check_eq "$(ip -n "$a" -j link show master lag0 | jq length)" 4 "members of lag0"
}

test_speed_refused() {
	local ns out
	ns=$(ns_new speed) || return 1
	check ip -n "$ns" link add lag0 type lag
	check ip -n "$ns" link add v0 type veth peer name w0
	check ip -n "$ns" link set v0 master lag0
	check ip -n "$ns" tuntap add dev tap0 mode tap
	check nsx "$ns" ethtool -s tap0 speed 1000 duplex full
	out=$(ip -n "$ns" link set tap0 master lag0 2>&1)
	check_eq "$?" 2 "exit status"
	echo "ip said: $out"
	check grep -q "lag0: tap0 speed 1000Mb/s differs from 10000Mb/s" <<< "$out"
	check_eq "$(master_of "$ns" tap0)" "" "tap0's master"
	check_eq "$(ip -n "$ns" -j link show master lag0 | jq length)" 1 "members"
}

test_kinds_refused() {
	local ns out
	ns=$(ns_new kinds) || return 1
	check ip -n "$ns" link add lag0 type lag
	check ip -n "$ns" link add lag1 type lag
	out=$(ip -n "$ns" link set lag1 master lag0 2>&1)
	check grep -q "lag1 is a LAG" <<< "$out"
	out=$(ip -n "$ns" link set lo master lag0 2>&1)
	check grep -q "lo is not an Ethernet device" <<< "$out"
	check ip -n "$ns" link add link lag0 name lag0.5 type vlan id 5
	out=$(ip -n "$ns" link set lag0.5 master lag0 2>&1)
	check grep -q "lag0.5 is stacked on lag0" <<< "$out"
	check_eq "$(ip -n "$ns" -j link show master lag0 | jq length)" 0 "members"
}

test_move() {
	local ns
	ns=$(ns_new move) || return 1
	check ip -n "$ns" link add lag0 type lag
	check ip -n "$ns" link add lag1 type lag
	check ip -n "$ns" link add v0 type veth peer name w0
	check ip -n "$ns" link add v1 type veth peer name w1
	check ip -n "$ns" link set v0 master lag0
	check ip -n "$ns" link set v1 master lag0
	check ip -n "$ns" link set v0 master lag1
	check_eq "$(master_of "$ns" v0)" lag1 "v0's master"
	check_eq "$(ip -n "$ns" -j link show master lag0 | jq -r '.[].ifname')" v1 "lag0 members"
	check_eq "$(ip -n "$ns" -j link show master lag1 | jq -r '.[].ifname')" v0 "lag1 members"
	check ip -n "$ns" link set v0 nomaster
	check_eq "$(master_of "$ns" v0)" "" "v0's master after nomaster"
}

test_restore() {
	local ns mac0 mac1 lagmac
	ns=$(ns_new restore) || return 1
	check ip -n "$ns" link add v0 type veth peer name w0
	check ip -n "$ns" link add v1 type veth peer name w1
	check ip -n "$ns" link set v1 mtu 1400 up
	mac0=$(ip -n "$ns" -j link show v0 | jq -r '.[0].address')
	mac1=$(ip -n "$ns" -j link show v1 | jq -r '.[0].address')
	check ip -n "$ns" link add lag0 type lag
	check ip -n "$ns" link set v0 master lag0
	check ip -n "$ns" link set v1 master lag0
	lagmac=$(ip -n "$ns" -j link show lag0 | jq -r '.[0].address')
	check_eq "$lagmac" "$mac0" "LAG took its first member's address"
	check_eq "$(ip -n "$ns" -j link show v1 | jq -r '.[0].address')" "$mac0" "v1 has the LAG's address"
	check ip -n "$ns" link set lag0 mtu 9000
	check_eq "$(ip -n "$ns" -j link show v1 | jq '.[0].mtu')" 9000 "member MTU follows the LAG"
	check ip -n "$ns" link set lag0 promisc on
	check_eq "$(ip -n "$ns" -d -j link show v1 | jq '.[0].promiscuity')" 1 "member promiscuity"
	check ip -n "$ns" link del lag0
	check_eq "$(ip -n "$ns" -j link show v0 | jq -r '.[0].address')" "$mac0" "v0 address"
	check_eq "$(ip -n "$ns" -j link show v1 | jq -r '.[0].address')" "$mac1" "v1 address"
	check_eq "$(ip -n "$ns" -j link show v0 | jq '.[0].mtu')" 1500 "v0 MTU"
	check_eq "$(ip -n "$ns" -j link show v1 | jq '.[0].mtu')" 1400 "v1 MTU"
	check_eq "$(ip -n "$ns" -d -j link show v1 | jq '.[0].promiscuity')" 0 "v1 promiscuity"
	check_eq "$(is_up "$ns" v0)" false "v0 down again"
	check_eq "$(is_up "$ns" v1)" true "v1 still up"
	check_eq "$(master_of "$ns" v1)" "" "v1's master"
}

test_sysfs_ports() {
	local ns
	ns=$(ns_new ports) || return 1
	check ip -n "$ns" link add lag0 type lag
	check ip -n "$ns" link add lag1 type lag
	check ip -n "$ns" link add v0 type veth peer name w0
	check ip -n "$ns" link add v1 type veth peer name w1
	check nsx "$ns" sh -c 'echo +v0 > /sys/class/net/lag0/lag/ports'
	check nsx "$ns" sh -c 'echo +v1 > /sys/class/net/lag0/lag/ports'
	check_eq "$(lag_sysfs "$ns" lag0 ports)" "v0 v1" "lag0 ports"
	check_eq "$(master_of "$ns" v1)" lag0 "v1's master"
	# A member of another LAG moves.
	check nsx "$ns" sh -c 'echo +v1 > /sys/class/net/lag1/lag/ports'
	check_eq "$(lag_sysfs "$ns" lag0 ports)" "v0" "lag0 ports after the move"
	check_eq "$(lag_sysfs "$ns" lag1 ports)" "v1" "lag1 ports after the move"
	check nsx "$ns" sh -c 'echo -v0 > /sys/class/net/lag0/lag/ports'
	check_eq "$(lag_sysfs "$ns" lag0 ports)" "" "lag0 ports after -v0"
	check_eq "$(master_of "$ns" v0)" "" "v0's master"
	check_fail nsx "$ns" sh -c 'echo +nosuch > /sys/class/net/lag0/lag/ports'
	check_fail nsx "$ns" sh -c 'echo -v1 > /sys/class/net/lag0/lag/ports'
	check_fail nsx "$ns" sh -c 'echo v1 > /sys/class/net/lag0/lag/ports'
	check_fail nsx "$ns" sh -c 'echo +lag1 > /sys/class/net/lag0/lag/ports'
	check_eq "$(lag_sysfs "$ns" lag1 ports)" "v1" "lag1 ports unchanged by bad writes"
}

# hold_taps NS NAME...: open tap devices NAME... in NS and keep them open
# (carrier on) until the test ends.
hold_taps() {
	local ns=$1
	shift
	nsx "$ns" python3 -c '
import fcntl, os, struct, sys, time
fds = []
for name in sys.argv[1:]:
    fd = os.open("/dev/net/tun", os.O_RDWR)
    fcntl.ioctl(fd, 0x400454ca, struct.pack("16sH", name.encode(), 0x0002 | 0x1000))
    fds.append(fd)
print("ready", flush=True)
time.sleep(120)
' "$@" > "$_tmp/taps" &
	_pids+=($!)
	# python3 starts in seconds on UML, in more than 10 on the SMP debug
	# guest under TCG
	wait_for 60 grep -q ready "$_tmp/taps"
}

test_speed_follows() {
	local ns
	ns=$(ns_new spd) || return 1
	check hold_taps "$ns" t0 t1
	check nsx "$ns" ethtool -s t0 speed 1000 duplex full
	check nsx "$ns" ethtool -s t1 speed 1000 duplex full
	check ip -n "$ns" link add lag0 type lag
	check ip -n "$ns" link set t0 master lag0
	check ip -n "$ns" link set t1 master lag0
	check ip -n "$ns" link set lag0 up
	check wait_for 5 _reason_is "$ns" t0 defaulted
	# t1 renegotiates alone: it no longer matches the LAG.
	check nsx "$ns" ethtool -s t1 speed 10000 duplex full
	check ip -n "$ns" link set t1 down
	check ip -n "$ns" link set t1 up
	check wait_for 5 _reason_is "$ns" t1 speed
	# Both renegotiated: the LAG follows its members.
	check nsx "$ns" ethtool -s t0 speed 10000 duplex full
	check ip -n "$ns" link set t0 down
	check ip -n "$ns" link set t0 up
	check wait_for 5 _reason_is "$ns" t0 defaulted
	check wait_for 5 _reason_is "$ns" t1 defaulted
}

_sent_lacpdu() { test "$(nsx "$1" cat "/sys/class/net/$2/lag_port/lacpdu_tx")" -gt 0; }

test_no_duplex() {
	local ns
	ns=$(ns_new dup) || return 1
	# dummy reports neither speed nor duplex: LACP still runs on it.
	check ip -n "$ns" link add dummy0 type dummy
	check ip -n "$ns" link add lag0 type lag
	check ip -n "$ns" link set dummy0 master lag0
	check ip -n "$ns" link set lag0 up
	check wait_for 5 _reason_is "$ns" dummy0 defaulted
	# Its reason reads defaulted from the start; it sends within a second.
	check wait_for 5 _sent_lacpdu "$ns" dummy0
}

run_test "a fifth member is refused, the LAG unchanged" test_fifth_refused
run_test "a 1000Mb/s tap is refused from a 10000Mb/s LAG" test_speed_refused
run_test "LAGs, loopback and uppers of the LAG are refused" test_kinds_refused
run_test "a member moves from one LAG to another" test_move
run_test "the LAG's speed follows its members when all renegotiate" test_speed_follows
run_test "a member reporting no speed or duplex runs LACP" test_no_duplex
run_test "sysfs ports: +DEV, -DEV, moves and bad writes" test_sysfs_ports
run_test "deleting a LAG gives members back their MAC, MTU and flags" test_restore
finish
