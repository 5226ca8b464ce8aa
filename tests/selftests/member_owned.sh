#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A member belongs to its LAG alone: its MTU and MAC address follow the
# LAG's and nobody else may change them; it has no IPv6 of its own; a
# refused or failed enslave leaves the LAG and the device exactly as they
# were.

. "$(dirname "$0")/lib.sh"

mtu_of() { ip -n "$1" -j link show dev "$2" | jq '.[0].mtu'; }
mac_of() { ip -n "$1" -j link show dev "$2" | jq -r '.[0].address'; }

test_no_drift() {
	local ns out mac
	ns=$(ns_new drift) || return 1
	check ip -n "$ns" link add lag0 type lag
	check ip -n "$ns" link add v0 type veth peer name w0
	check ip -n "$ns" link add v1 type veth peer name w1
	check ip -n "$ns" link set v0 master lag0
	check ip -n "$ns" link set v1 master lag0
	out=$(ip -n "$ns" link set v1 mtu 1400 2>&1)
	check_eq "$?" 2 "exit status of a member MTU change"
	echo "ip said: $out"
	check grep -q "Device or resource busy" <<< "$out"
	check_eq "$(mtu_of "$ns" v1)" 1500 "member MTU after a refused change"
	check nsx "$ns" sh -c 'dmesg | grep -q "lag0: v1 is a member: set the MTU on lag0"'
	out=$(ip -n "$ns" link set v1 address 02:00:00:00:00:99 2>&1)
	check_eq "$?" 2 "exit status of a member address change"
	echo "ip said: $out"
	check grep -q "lag0: v1 is a member: set the address on lag0" <<< "$out"
	check_eq "$(mac_of "$ns" v1)" "$(mac_of "$ns" lag0)" "member address after a refused change"
	# The LAG's own changes still reach every member.
	check ip -n "$ns" link set lag0 mtu 1400
	check_eq "$(mtu_of "$ns" v0)" 1400 "v0 MTU follows the LAG"
	check_eq "$(mtu_of "$ns" v1)" 1400 "v1 MTU follows the LAG"
	mac=02:00:00:00:00:42
	check ip -n "$ns" link set lag0 address $mac
	check_eq "$(mac_of "$ns" v0)" $mac "v0 address follows the LAG"
	check_eq "$(mac_of "$ns" v1)" $mac "v1 address follows the LAG"
	# Released, the device is its own again.
	check ip -n "$ns" link set v1 nomaster
	check ip -n "$ns" link set v1 mtu 1300
	check_eq "$(mtu_of "$ns" v1)" 1300 "a released device's MTU"
}

# capture_ipv6 NS DEV SECONDS OUT: count the IPv6 frames DEV receives in NS
# (not those it sends) for SECONDS, into OUT; prints "ready" first
capture_ipv6() {
	nsx "$1" python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x86dd))
s.bind((sys.argv[1], 0))
s.settimeout(0.2)
print("ready", flush=True)
n, end = 0, time.time() + float(sys.argv[2])
while time.time() < end:
    try:
        data, addr = s.recvfrom(2048)
    except socket.timeout:
        continue
    if addr[2] == socket.PACKET_OUTGOING:
        continue
    n += 1
    # ICMPv6 type, after a hop-by-hop header for MLD: 135 NS (DAD),
    # 133 RS, 143 MLDv2 report
    t = data[54] if data[20] == 58 else data[62] if data[20] == 0 else -1
    print("frame from %s next header %d icmpv6 type %d" %
          (data[6:12].hex(":"), data[20], t), flush=True)
print("count", n, flush=True)
' "$2" "$3" > "$4" &
	_pids+=($!)
	wait_for 5 grep -q ready "$4"
}

test_no_ipv6() {
	local a b
	a=$(ns_new v6-a) || return 1
	b=$(ns_new v6-b) || return 1
	check ip -n "$a" link add lag0 type lag
	check veth "$a" a0 "$b" b0
	# The far end is up (a0 gets carrier) and listens from before a0 is up.
	check ip -n "$b" link set b0 up
	check capture_ipv6 "$b" b0 4 "$_tmp/v6"
	# lag0 stays down: nothing of its own can leave through a0.
	check ip -n "$a" link set a0 master lag0
	check_eq "$(is_up "$a" a0)" true "a0 brought up by lag0"
	check wait_for 8 grep -q "^count" "$_tmp/v6"
	cat "$_tmp/v6"
	check_eq "$(ip -n "$a" -6 -j addr show dev a0 | jq '[.[].addr_info[]] | length')" 0 \
		"IPv6 addresses on the member"
	check_eq "$(sed -n 's/^count //p' "$_tmp/v6")" 0 "IPv6 frames sent from the member"
	# Released, it is a device of its own again.
	check ip -n "$a" link set a0 nomaster
	check_eq "$(ip -n "$a" -d -j link show a0 | jq '.[0].flags | index("SLAVE")')" null \
		"SLAVE flag after release"
	check ip -n "$a" link set a0 down
	check ip -n "$a" link set a0 up
	check wait_for 5 sh -c "ip -n $a -6 addr show dev a0 | grep -q fe80::"
}

# state_of NS DEV: what a refused or failed enslave must leave as it was
state_of() {
	ip -n "$1" -d -j link show dev "$2" |
		jq -c '.[0] | [.address, .addr_assign_type // "", .mtu, .flags, .master // ""]'
}

# refused NS DEV LAG WORDS: enslaving DEV to LAG fails saying WORDS; DEV,
# LAG and LAG's LACP system ID are as they were
refused() {
	local ns=$1 dev=$2 lag=$3 words=$4 before lbefore sys out
	before=$(state_of "$ns" "$dev")
	lbefore=$(state_of "$ns" "$lag")
	sys=$(nsx "$ns" cat /sys/class/net/"$lag"/address)
	out=$(ip -n "$ns" link set "$dev" master "$lag" 2>&1)
	check_eq "$?" 2 "exit status of the refused enslave"
	echo "ip said: $out"
	check grep -q -- "$words" <<< "$out"
	check_eq "$(state_of "$ns" "$dev")" "$before" "$dev after the refusal"
	check_eq "$(state_of "$ns" "$lag")" "$lbefore" "$lag after the refusal"
	check_eq "$(nsx "$ns" cat /sys/class/net/"$lag"/address)" "$sys" "$lag's address"
}

test_late_failure() {
	local ns i low=v0
	ns=$(ns_new late) || return 1
	check ip -n "$ns" link add lag0 type lag
	check ip -n "$ns" link add link lag0 name lag0.5 type vlan id 5
	check ip -n "$ns" link add v0 type veth peer name w0
	check ip -n "$ns" link set v0 up
	# v0.1.2.3.4.5.6 is 7 devices deep, lag0 with its VLAN 2 high: the
	# kernel's nesting limit (8) refuses the upper link, the last step
	# that can fail, after the member's MTU, address and state changed.
	for i in 1 2 3 4 5 6; do
		check ip -n "$ns" link add link "$low" name "$low.$i" type vlan id "$i"
		check ip -n "$ns" link set "$low.$i" up
		low=$low.$i
	done
	check ip -n "$ns" link set "$low" down
	check ip -n "$ns" link set "$low" mtu 1400
	refused "$ns" "$low" lag0 "lag0: $low cannot be linked under lag0: -EMLINK"
	check_eq "$(ip -n "$ns" -6 -j addr show dev "$low" | jq '[.[].addr_info[]] | length')" 0 \
		"IPv6 addresses on the refused device"
	# Up before: up after, with its address.
	check ip -n "$ns" link set "$low" up
	refused "$ns" "$low" lag0 "lag0: $low cannot be linked under lag0: -EMLINK"
	# With a member already (the LAG's address taken from it), the same.
	check ip -n "$ns" link add v9 type veth peer name w9
	check ip -n "$ns" link set v9 master lag0
	refused "$ns" "$low" lag0 "lag0: $low cannot be linked under lag0: -EMLINK"
	check_eq "$(lag_sysfs "$ns" lag0 ports)" "v9" "lag0's members"
}

test_bond_refused() {
	local ns
	ns=$(ns_new bond) || return 1
	check ip -n "$ns" link add lag0 type lag
	check ip -n "$ns" link add bond1 type bond mode active-backup
	refused "$ns" bond1 lag0 "lag0: bond1 is a bond; bonds cannot be members"
	# Enslaved, bonding would read lag's port as its own slave.
	check ip -n "$ns" link set bond1 up
	check ip -n "$ns" link set bond1 down
}

test_rx_handler_busy() {
	local ns
	ns=$(ns_new busy) || return 1
	check ip -n "$ns" link add lag0 type lag
	check ip -n "$ns" link add v0 type veth peer name w0
	check ip -n "$ns" link add link v0 name mv0 type macvlan
	refused "$ns" v0 lag0 "lag0: v0 is already claimed by another handler"
}

test_vlan_challenged() {
	local ns
	ns=$(ns_new chal) || return 1
	check ip -n "$ns" link add lag0 type lag
	check ip -n "$ns" link add link lag0 name lag0.5 type vlan id 5
	check ip -n "$ns" link add vrf0 type vrf table 10
	refused "$ns" vrf0 lag0 "lag0: vrf0 cannot carry VLANs and lag0 has some"
}

run_test "a member's MTU and address are refused to all but its LAG" test_no_drift
run_test "a member brought up by its LAG has no IPv6 and sends none" test_no_ipv6
run_test "a late enslave failure restores the LAG and the device exactly" test_late_failure
run_test "a bond is refused as a member" test_bond_refused
# can_make KIND: this kernel can make a link of KIND (over a dummy)
can_make() {
	local ns
	ns=$(ns_new "probe-$1") || return 1
	ip -n "$ns" link add d0 type dummy &&
		ip -n "$ns" link add link d0 name p0 type "$1" 2> /dev/null
}

desc="a device whose rx handler is taken (macvlan lower) is refused, nothing changed"
if can_make macvlan; then
	run_test "$desc" test_rx_handler_busy
else
	# Bridge, bond and team ports have a master, refused (or released by
	# ip) before their rx handler matters.
	skip_test "$desc" "no macvlan in this kernel (CONFIG_MACVLAN unset), the one device here whose rx handler is taken without a master"
fi
desc="a VLAN-challenged device (a VRF) is refused by a LAG with VLANs"
if can_make vrf; then
	run_test "$desc" test_vlan_challenged
else
	skip_test "$desc" "no VRF in this kernel (CONFIG_NET_VRF unset), the one Ethernet VLAN-challenged device it could make"
fi
finish
