#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Link-local frames other than Slow Protocols (LLDP, EAPOL, ...) belong to
# the physical link: a socket bound to a member for ETH_P_LLDP receives
# them whether or not the member collects.

. "$(dirname "$0")/lib.sh"

# lldp_listen NS DEV OUT: print the payload tag of each LLDP frame DEV
# receives (ETH_P_LLDP socket bound to DEV) into OUT
lldp_listen() {
	nsx "$1" python3 -c '
import socket, sys
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x88cc))
s.bind((sys.argv[1], 0))
print("ready", flush=True)
while True:
    data, addr = s.recvfrom(2048)
    if addr[2] != socket.PACKET_OUTGOING:
        print("got", data[14:16].decode(errors="replace"), flush=True)
' "$2" > "$3" &
	_pids+=($!)
	wait_for 5 grep -q ready "$3"
}

# lldp_send NS DEV TAG: three LLDP-addressed frames out of DEV carrying TAG
lldp_send() {
	nsx "$1" python3 -c '
import socket, sys
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((sys.argv[1], 0))
src = open("/sys/class/net/%s/address" % sys.argv[1]).read().strip()
frame = (bytes.fromhex("0180c200000e") + bytes.fromhex(src.replace(":", "")) +
         b"\x88\xcc" + sys.argv[2].encode() + bytes(44))
for _ in range(3):
    s.send(frame)
' "$2" "$3"
}

test_lldp() {
	local a b
	a=$(ns_new ll-a) || return 1
	b=$(ns_new ll-b) || return 1
	check ip -n "$a" link add lag0 type lag
	check veth "$a" a0 "$b" b0
	check ip -n "$a" link set a0 master lag0
	check ip -n "$a" link set lag0 up
	check ip -n "$b" link set b0 up
	check lldp_listen "$a" a0 "$_tmp/lldp"
	# No partner has spoken: a0 does not collect.
	check_eq "$(nsx "$a" cat /sys/class/net/a0/lag_port/mux_state)" detached "a0's mux state"
	check lldp_send "$b" b0 p1
	check wait_for 3 grep -q "got p1" "$_tmp/lldp"
	# A partner: once a0 distributes, the same.
	check ip -n "$b" link add lag1 type lag
	check ip -n "$b" link set b0 master lag1
	check ip -n "$b" link set lag1 up
	check wait_active "$a" lag0 1 20
	check lldp_send "$b" b0 p2
	check wait_for 3 grep -q "got p2" "$_tmp/lldp"
	cat "$_tmp/lldp"
}

run_test "LLDP reaches a socket bound to a member, collecting or not" test_lldp
finish
