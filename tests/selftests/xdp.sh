#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# XDP on a LAG: a native program attached to lag0 runs on every member (the
# veth members' own XDP counters show it), on a member that joins and not
# on one that leaves; XDP_DROP, XDP_PASS and XDP_TX on the members; a
# redirect into the LAG (bpf_redirect from a device outside it) hashed over
# the distributing members, and counted as dropped when none distributes;
# members joining and leaving under traffic; a member without native XDP
# (dummy) refused at attach and at join, with the extack message, nothing
# changed, and a member whose driver refuses the program likewise; detach.
# The partner is bonding in 802.3ad mode in another namespace. The programs
# are tests/xdp/*.c, built by `make -C tests/xdp` into build/xdp/: without
# them the test fails.
#
# XDP_TX leaves by the member the frame came in on: the core redirects an
# XDP_TX to the member the master's hash picks only for bonding's slaves
# (see lag_xdp.c); the test checks that it is answered, not by which member.

# shellcheck disable=SC2317 # functions called through run_test
. "$(dirname "$0")/lib.sh"

export IP_LIB_DIR=$LAG_TOP/tools/iproute2

XDP_OBJ=$LAG_TOP/build/xdp
UDP=$LAG_TOP/tests/selftests/udp_flows.py
PORT=9000		# XDP_TEST_PORT: the only frames the programs act on
LAG_IFINDEX=4242	# XDP_TEST_LAG_IFINDEX: xdp_redirect.o's target
XDP_ATTACHED_DRV=1	# IFLA_XDP_ATTACHED's value for a native program

missing=""
for p in xdp_drop xdp_pass xdp_tx xdp_redirect; do
	[ -f "$XDP_OBJ/$p.o" ] || missing="$missing $p.o"
done
if [ -n "$missing" ]; then
	no_progs() {
		echo "missing in $XDP_OBJ:$missing"
		echo "build them first: make -C tests/xdp (clang, llvm, libbpf-dev)"
		return 1
	}
	run_test "the XDP test programs are built" no_progs
	finish
fi

# --- helpers -----------------------------------------------------------

# vstat NS DEV NAME: a veth's ethtool statistic (rx_queue_0_xdp_drops, ...)
vstat() {
	nsx "$1" ethtool -S "$2" | awk -v k="$3:" '$1 == k { print $2; f = 1 }
		END { if (!f) print 0 }'
}

# vsum NS NAME DEV...: the sum of NAME over the devices
vsum() {
	local ns=$1 name=$2 d s=0
	shift 2
	for d in "$@"; do
		s=$((s + $(vstat "$ns" "$d" "$name")))
	done
	echo "$s"
}

# rx_packets NS DEV, tx_dropped NS DEV
rx_packets() {
	ip -n "$1" -j -s link show dev "$2" | jq '.[0].stats64.rx.packets'
}
tx_dropped() {
	ip -n "$1" -j -s link show dev "$2" | jq '.[0].stats64.tx.dropped'
}

# egress_hits NS DEV: packets DEV's tc egress filters matched
egress_hits() {
	tc -n "$1" -s -j filter show dev "$2" egress |
		jq '[.[] | .options.actions[0].stats.packets // empty] | add // 0'
}

# xdp_mode NS DEV: IFLA_XDP_ATTACHED of DEV, 0 without a program
xdp_mode() {
	ip -n "$1" -d -j link show dev "$2" | jq '.[0].xdp.mode // 0'
}

# xdp_attach NS DEV PROG: attach build/xdp/PROG.o (ip link ... xdp obj)
xdp_attach() {
	ip -n "$1" link set dev "$2" xdp obj "$XDP_OBJ/$3.o" sec xdp
}

# setup A B N: lag0 (index LAG_IFINDEX, fast, layer3+4) in A over a0..aN-1,
# bond0 in B over b0..bN-1, addresses 192.0.2.1 and .2; wait until all
# distribute. bond0 runs xdp_pass.o (bonding puts it on b0..): a veth takes
# XDP frames (XDP_TX, or redirected) only while its peer has NAPI, and
# XDP_TX kicks the peer's NAPI only when the peer has a program. bond0
# checksums what it sends in software: a veth hands a frame on with its
# checksum still to be done (CHECKSUM_PARTIAL), which XDP_TX and a
# redirect, sending the bare frame, would carry to the receiver unfinished.
setup() {
	local a=$1 b=$2 n=$3 i ports=()
	ip -n "$a" link add lag0 index "$LAG_IFINDEX" type lag lacp_rate fast \
		|| return 1
	nsx "$a" sh -c 'echo layer3+4 > /sys/class/net/lag0/lag/xmit_hash_policy' \
		|| return 1
	for ((i = 0; i < n; i++)); do
		veth "$a" "a$i" "$b" "b$i" || return 1
		ip -n "$a" link set "a$i" master lag0 || return 1
		ports+=("b$i")
	done
	ip -n "$a" link set lag0 up
	partner_bond "$b" bond0 fast "${ports[@]}" || return 1
	xdp_attach "$b" bond0 xdp_pass || return 1
	nsx "$b" ethtool -K bond0 tx off > /dev/null || return 1
	ip -n "$a" addr add 192.0.2.1/24 dev lag0
	ip -n "$b" addr add 192.0.2.2/24 dev bond0
	wait_active "$a" lag0 "$n" 20 || { echo "lag0 never distributed on $n"; return 1; }
	# ARP both ways before any count is taken.
	nsx "$b" ping -c 1 -W 2 192.0.2.1 > /dev/null
}

# udp_recv NS ADDR EXPECTED TIMEOUT: start a receiver on ADDR:PORT in the
# background, writing to $_tmp/rx; wait until it listens
udp_recv() {
	rm -f "$_tmp/rx"
	nsx "$1" python3 "$UDP" recv "$2" "$PORT" "$3" "$4" > "$_tmp/rx" &
	_rx_pid=$!
	wait_for 5 grep -q ready "$_tmp/rx"
}

# udp_done: wait for the receiver; $_got is what it counted (not in a
# command substitution: its subshell could not wait for the receiver)
udp_done() {
	wait "$_rx_pid"
	_got=$(tail -n 1 "$_tmp/rx")
}

# udp_send NS ADDR FLOWS PER_FLOW: FLOWS source ports, PER_FLOW datagrams each
udp_send() {
	nsx "$1" python3 "$UDP" send "$2" "$PORT" "$3" "$4"
}

# echo_client NS ADDR FLOWS PER_FLOW: send as udp_send and print how many
# datagrams came back to the sending sockets
echo_client() {
	nsx "$1" python3 - "$2" "$PORT" "$3" "$4" <<'EOF'
import select
import socket
import sys
import time

addr, port, flows, per = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
socks = []
for i in range(flows):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("", 21000 + i))
    s.setblocking(False)
    socks.append(s)
got = 0
for _ in range(per):
    for i, s in enumerate(socks):
        s.sendto(b"x" * 64, (addr, port))
        if i % 16 == 15:
            time.sleep(0.005)
sent = flows * per
deadline = time.monotonic() + 10
while got < sent and time.monotonic() < deadline:
    ready, _, _ = select.select(socks, [], [], 0.5)
    for s in ready:
        try:
            while True:
                s.recv(2048)
                got += 1
        except BlockingIOError:
            pass
print(got)
EOF
}

# redirect_src A C B: c0 in A, with xdp_redirect.o, facing d0 in C
# (198.51.100.3, checksums in software, see setup), whose frames for
# 192.0.2.2 carry bond0's address in B
redirect_src() {
	local a=$1 c=$2 b=$3 mac
	veth "$a" c0 "$c" d0 || return 1
	ip -n "$a" link set c0 up
	ip -n "$c" link set d0 up
	nsx "$c" ethtool -K d0 tx off > /dev/null || return 1
	ip -n "$c" addr add 198.51.100.3/24 dev d0
	ip -n "$c" route add 192.0.2.0/24 dev d0
	mac=$(ip -n "$b" -j link show dev bond0 | jq -r '.[0].address')
	ip -n "$c" neigh add 192.0.2.2 lladdr "$mac" dev d0 nud permanent
	ip -n "$b" route add 198.51.100.0/24 dev bond0
	xdp_attach "$a" c0 xdp_redirect
}

# --- tests -------------------------------------------------------------

# lag_with_prog NAME PROG: the caller's namespaces a and b (NAME-a, NAME-b),
# set up with two members, and PROG attached to lag0, native
lag_with_prog() {
	a=$(ns_new "$1-a") || return 1
	b=$(ns_new "$1-b") || return 1
	check setup "$a" "$b" 2 || return 1
	check xdp_attach "$a" lag0 "$2" || return 1
	check_eq "$(xdp_mode "$a" lag0)" "$XDP_ATTACHED_DRV" "lag0's XDP mode (1: native)"
}

test_pass() {
	local a b before0 before1 got
	a=$(ns_new pass-a) || return 1
	b=$(ns_new pass-b) || return 1
	check setup "$a" "$b" 2 || return 1
	before0=$(vstat "$a" a0 rx_queue_0_xdp_packets)
	before1=$(vstat "$a" a1 rx_queue_0_xdp_packets)
	check xdp_attach "$a" lag0 xdp_pass || return 1
	check_eq "$(xdp_mode "$a" lag0)" "$XDP_ATTACHED_DRV" "lag0's XDP mode (1: native)"
	udp_recv "$a" 192.0.2.1 1024 20
	check udp_send "$b" 192.0.2.1 256 4
	udp_done
	check_eq "$_got" 1024 "datagrams through XDP_PASS, of 1024"
	echo "a0 ran the program on $(($(vstat "$a" a0 rx_queue_0_xdp_packets) - before0)) frames," \
		"a1 on $(($(vstat "$a" a1 rx_queue_0_xdp_packets) - before1))"
	check test "$(($(vstat "$a" a0 rx_queue_0_xdp_packets) - before0))" -ge 100
	check test "$(($(vstat "$a" a1 rx_queue_0_xdp_packets) - before1))" -ge 100
	check ip -n "$a" link set lag0 xdp off
	check_eq "$(xdp_mode "$a" lag0)" 0 "lag0's XDP mode after detach"
}

test_drop_detach() {
	local a b drops got
	lag_with_prog drop xdp_drop || return 1
	drops=$(vsum "$a" rx_queue_0_xdp_drops a0 a1)
	udp_recv "$a" 192.0.2.1 1 8
	check udp_send "$b" 192.0.2.1 256 4
	udp_done
	check_eq "$_got" 0 "datagrams past XDP_DROP"
	check_eq "$(($(vsum "$a" rx_queue_0_xdp_drops a0 a1) - drops))" 1024 \
		"frames the members dropped, of 1024"
	check_eq "$(active_ports "$a" lag0)" 2 "members distributing under XDP_DROP"

	# Detached: every member lets everything through again.
	check ip -n "$a" link set lag0 xdp off
	check_eq "$(xdp_mode "$a" lag0)" 0 "lag0's XDP mode after detach"
	drops=$(vsum "$a" rx_queue_0_xdp_drops a0 a1)
	udp_recv "$a" 192.0.2.1 1024 20
	check udp_send "$b" 192.0.2.1 256 4
	udp_done
	check_eq "$_got" 1024 "datagrams after detach, of 1024"
	check_eq "$(vsum "$a" rx_queue_0_xdp_drops a0 a1)" "$drops" "members' XDP drops after detach"
}

test_tx() {
	local a b tx rx got
	lag_with_prog tx xdp_tx || return 1
	tx=$(vsum "$a" rx_queue_0_xdp_tx a0 a1)
	rx=$(rx_packets "$a" lag0)
	got=$(echo_client "$b" 192.0.2.1 256 4)
	check_eq "$got" 1024 "datagrams answered by XDP_TX, of 1024"
	check_eq "$(($(vsum "$a" rx_queue_0_xdp_tx a0 a1) - tx))" 1024 "members' XDP_TX count"
	# The answered frames never reached the LAG (LACPDUs do not count).
	check test "$(($(rx_packets "$a" lag0) - rx))" -lt 100
	check ip -n "$a" link set lag0 xdp off
}

test_redirect() {
	local a b c tx rx0 rx1 d0 d1 drop stack
	a=$(ns_new redir-a) || return 1
	b=$(ns_new redir-b) || return 1
	c=$(ns_new redir-c) || return 1
	check setup "$a" "$b" 2 || return 1
	check redirect_src "$a" "$c" "$b" || return 1
	check_eq "$(xdp_mode "$a" c0)" "$XDP_ATTACHED_DRV" "c0's XDP mode (1: native)"
	tx=$(vsum "$a" rx_queue_0_xdp_redirect c0)
	rx0=$(rx_packets "$b" b0)
	rx1=$(rx_packets "$b" b1)
	udp_recv "$b" 192.0.2.2 1024 20
	check udp_send "$c" 192.0.2.2 256 4
	udp_done
	check_eq "$_got" 1024 "datagrams redirected into lag0, of 1024"
	check_eq "$(($(vsum "$a" rx_queue_0_xdp_redirect c0) - tx))" 1024 "c0's redirects"
	d0=$(($(rx_packets "$b" b0) - rx0))
	d1=$(($(rx_packets "$b" b1) - rx1))
	echo "b0 received $d0 frames, b1 $d1"
	check test "$d0" -ge 100
	check test "$d1" -ge 100

	# No member distributes: the LAG counts the frames it could not send.
	# The stack may send by lag0 in that second too (an ARP probe for
	# bond0's address, an IPv6 router solicitation), and a frame of its
	# that reaches lag0 counts there as well: the neighbour is made
	# permanent and IPv6 taken off lag0 to keep it quiet, and lag0's tc
	# egress hook counts what the stack sent all the same (redirected
	# frames never pass it).
	check ip -n "$a" neigh replace 192.0.2.2 lladdr \
		"$(ip -n "$b" -j link show dev bond0 | jq -r '.[0].address')" \
		dev lag0 nud permanent
	check nsx "$a" sysctl -qw net.ipv6.conf.lag0.disable_ipv6=1
	check tc -n "$a" qdisc add dev lag0 clsact
	check tc -n "$a" filter add dev lag0 egress matchall action pass
	check ip -n "$b" link set bond0 down
	check wait_active "$a" lag0 0 15
	drop=$(tx_dropped "$a" lag0)
	stack=$(egress_hits "$a" lag0)
	check udp_send "$c" 192.0.2.2 16 4
	sleep 1
	drop=$(($(tx_dropped "$a" lag0) - drop))
	stack=$(($(egress_hits "$a" lag0) - stack))
	echo "lag0 dropped $drop frames, of 64 redirected and $stack the stack sent"
	check test "$drop" -ge 64
	check test "$drop" -le $((64 + stack))
}

# join_leave A B: a2 joins and a0 leaves lag0 and come back, five times,
# RTNL against the traffic of the caller
join_leave() {
	local a=$1 b=$2 i
	for i in 1 2 3 4 5; do
		ip -n "$a" link set a2 master lag0 || return 1
		ip -n "$b" link set b2 down
		ip -n "$b" link set b2 master bond0 || return 1
		ip -n "$a" link set a0 nomaster || return 1
		sleep 0.3
		ip -n "$a" link set a0 master lag0 || return 1
		ip -n "$a" link set a2 nomaster || return 1
		ip -n "$b" link set b2 nomaster
		ip -n "$b" link set b2 up
		sleep 0.3
	done
}

test_churn() {
	local a b c drops2 pkts0 pid1 pid2 got
	a=$(ns_new churn-a) || return 1
	b=$(ns_new churn-b) || return 1
	c=$(ns_new churn-c) || return 1
	check setup "$a" "$b" 2 || return 1
	check redirect_src "$a" "$c" "$b" || return 1
	veth "$a" a2 "$b" b2 || return 1
	ip -n "$b" link set b2 up
	check xdp_attach "$a" lag0 xdp_drop || return 1

	# A member that joins runs the LAG's program.
	check ip -n "$a" link set a2 master lag0
	check ip -n "$b" link set b2 down
	check ip -n "$b" link set b2 master bond0
	check wait_active "$a" lag0 3 20
	drops2=$(vstat "$a" a2 rx_queue_0_xdp_drops)
	check udp_send "$b" 192.0.2.1 256 4
	echo "a2 dropped $(($(vstat "$a" a2 rx_queue_0_xdp_drops) - drops2)) frames after joining"
	check test "$(($(vstat "$a" a2 rx_queue_0_xdp_drops) - drops2))" -ge 100

	# A member that leaves does not.
	check ip -n "$a" link set a2 nomaster
	check wait_active "$a" lag0 2 20
	pkts0=$(vstat "$a" a2 rx_queue_0_xdp_packets)
	# b2 stays in bond0: its share reaches a2, no member now.
	check udp_send "$b" 192.0.2.1 256 4
	check_eq "$(vstat "$a" a2 rx_queue_0_xdp_packets)" "$pkts0" "a2's XDP frames after it left"
	check ip -n "$b" link set b2 nomaster
	check ip -n "$b" link set b2 up
	# a2 may see no frame at all once it left (closed, b2 without
	# carrier): its peer's MTU tells instead. veth caps b2's MTU while a2
	# runs a program; with none left on a2, 9000 is taken.
	check ip -n "$b" link set b2 mtu 9000
	check ip -n "$b" link set b2 mtu 1500

	# Members joining and leaving under both kinds of traffic: frames to
	# the members' program from B, frames redirected into lag0 from C.
	udp_send "$b" 192.0.2.1 64 150 &
	pid1=$!
	udp_send "$c" 192.0.2.2 64 150 &
	pid2=$!
	check join_leave "$a" "$b"
	wait "$pid1" "$pid2"
	check wait_active "$a" lag0 2 20

	# And the LAG still does both.
	udp_recv "$b" 192.0.2.2 1024 20
	check udp_send "$c" 192.0.2.2 256 4
	udp_done
	check_eq "$_got" 1024 "datagrams redirected into lag0 after the churn, of 1024"
	udp_recv "$a" 192.0.2.1 1 8
	check udp_send "$b" 192.0.2.1 256 4
	udp_done
	check_eq "$_got" 0 "datagrams past XDP_DROP after the churn"
	check ip -n "$a" link set lag0 xdp off
}

# xdp_refused NS CMD...: CMD must fail; its output goes to $_tmp/err
xdp_refused() {
	local ns=$1
	shift
	if ip -n "$ns" "$@" > "$_tmp/err" 2>&1; then
		echo "unexpectedly succeeded: ip $*"
		return 1
	fi
	echo "ip $*: $(cat "$_tmp/err")"
}

test_refused() {
	local a b pkts rx
	a=$(ns_new ref-a) || return 1
	b=$(ns_new ref-b) || return 1
	check ip -n "$a" link add lag0 type lag || return 1
	veth "$a" a0 "$b" b0 || return 1
	check ip -n "$a" link add dummy0 type dummy
	check ip -n "$a" link set a0 master lag0
	check ip -n "$a" link set dummy0 master lag0
	check ip -n "$a" link set lag0 up
	ip -n "$b" link set b0 up

	# At attach: dummy has no ndo_bpf.
	check xdp_refused "$a" link set dev lag0 xdp obj "$XDP_OBJ/xdp_pass.o" sec xdp
	check grep -q "lag0: member dummy0 has no native XDP" "$_tmp/err"
	check_eq "$(xdp_mode "$a" lag0)" 0 "lag0's XDP mode after the refusal"
	# a0 did not get it either: frames to it run no program.
	# (b0's ARP requests for an address nobody has reach a0.)
	ip -n "$b" addr add 192.0.2.2/24 dev b0
	pkts=$(vstat "$a" a0 rx_queue_0_xdp_packets)
	rx=$(rx_packets "$a" a0)
	nsx "$b" ping -c 3 -i 0.3 -W 1 192.0.2.9 > /dev/null 2>&1
	check test "$(rx_packets "$a" a0)" -gt "$rx"
	check_eq "$(vstat "$a" a0 rx_queue_0_xdp_packets)" "$pkts" "a0's XDP frames"

	# At join: dummy0 out, the program on, dummy0 refused; nothing changed.
	check ip -n "$a" link set dummy0 nomaster
	check xdp_attach "$a" lag0 xdp_pass
	check_eq "$(xdp_mode "$a" lag0)" "$XDP_ATTACHED_DRV" "lag0's XDP mode (1: native)"
	check xdp_refused "$a" link set dummy0 master lag0
	check grep -q "lag0: dummy0 has no native XDP, and lag0 has an XDP program" "$_tmp/err"
	check_eq "$(master_of "$a" dummy0)" "" "dummy0's master"
	check_eq "$(ip -n "$a" -j link show master lag0 | jq length)" 1 "lag0's members"
	check_eq "$(xdp_mode "$a" lag0)" "$XDP_ATTACHED_DRV" "lag0's XDP mode after the refusal"

	# A device with a program of its own cannot join a LAG with one.
	check ip -n "$a" link add dev e0 type veth peer name e1
	check xdp_attach "$a" e0 xdp_pass
	check xdp_refused "$a" link set e0 master lag0
	check grep -q "lag0: e0 has an XDP program of its own" "$_tmp/err"
	check_eq "$(master_of "$a" e0)" "" "e0's master"

	# Deleting the LAG detaches its program from the members: b0's MTU
	# is no longer capped (a0 runs none), and a0 can take one of its own.
	check ip -n "$a" link del lag0
	check ip -n "$b" link set b0 mtu 9000
	check ip -n "$b" link set b0 mtu 1500
	check xdp_attach "$a" a0 xdp_pass
	check_eq "$(xdp_mode "$a" a0)" "$XDP_ATTACHED_DRV" "a0's own program"
	check ip -n "$a" link set a0 xdp off
}

# A member's driver refuses the program: veth does when its peer's MTU is
# above what XDP takes. While a veth runs a program, its peer's MTU is capped
# (so b0's MTU tells whether a0 runs one).
test_driver_refuses() {
	local a b
	a=$(ns_new drv-a) || return 1
	b=$(ns_new drv-b) || return 1
	check ip -n "$a" link add lag0 type lag || return 1
	veth "$a" a0 "$b" b0 || return 1
	veth "$a" a1 "$b" b1 || return 1
	check ip -n "$b" link set b1 mtu 9000
	check ip -n "$a" link set a0 master lag0
	check ip -n "$a" link set a1 master lag0
	check ip -n "$a" link set lag0 up
	ip -n "$b" link set b0 up
	ip -n "$b" link set b1 up

	# At attach: a1 refuses after a0 took it; a0 gives it back.
	check xdp_refused "$a" link set dev lag0 xdp obj "$XDP_OBJ/xdp_pass.o" sec xdp
	check grep -q "Peer MTU is too large to set XDP" "$_tmp/err"
	check_eq "$(xdp_mode "$a" lag0)" 0 "lag0's XDP mode after the refusal"
	check ip -n "$b" link set b0 mtu 9000
	check ip -n "$b" link set b0 mtu 1500

	# At join: a1 refuses; it is no member, the others keep the program.
	check ip -n "$a" link set a1 nomaster
	check xdp_attach "$a" lag0 xdp_pass
	check_fail ip -n "$b" link set b0 mtu 9000 2> /dev/null
	check xdp_refused "$a" link set a1 master lag0
	check grep -q "Peer MTU is too large to set XDP" "$_tmp/err"
	check_eq "$(master_of "$a" a1)" "" "a1's master"
	check_eq "$(ip -n "$a" -j link show master lag0 | jq length)" 1 "lag0's members"
	check_eq "$(xdp_mode "$a" lag0)" "$XDP_ATTACHED_DRV" "lag0's XDP mode after the refusal"

	# Detached: a0 lets b0's MTU go.
	check ip -n "$a" link set lag0 xdp off
	check ip -n "$b" link set b0 mtu 9000
}

run_test "XDP_PASS: native on the LAG, run by every member" test_pass
run_test "XDP_DROP on the members, then detached" test_drop_detach
run_test "XDP_TX answers from the members" test_tx
run_test "redirect into the LAG hashed over the members; dropped without one" test_redirect
run_test "members join and leave under XDP traffic" test_churn
run_test "a member without native XDP is refused at attach and join" test_refused
run_test "a member's driver refusing the program changes nothing" test_driver_refuses
finish
