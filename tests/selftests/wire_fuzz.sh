#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Bad input from the wire: the known-bad corpus of the lacp_fuzz KUnit suite
# and random, mutated PDUs (pdu_corpus.py, fixed seed) are sent with packet
# sockets from the partner's side (Linux bonding in 802.3ad mode, four links)
# while traffic flows. The malformed and unknown counters of each member
# must rise by exactly what was sent, Marker PDUs must be counted and
# answered, and all four members must distribute again within seconds. The
# runner fails the run on any splat.

. "$(dirname "$0")/lib.sh"

CORPUS=$LAG_TOP/tests/selftests/pdu_corpus.py
PS=$LAG_TOP/tests/selftests/partner_state.py
SP=$LAG_TOP/tests/selftests/slowproto.py
COUNTERS="lacpdu_rx lacpdu_rx_errors unknown_rx marker_rx marker_tx marker_resp_rx marker_rx_dropped"

# fz_setup NSA NSB RATE MTU: lag0 (a0..a3) in NSA against bond0 (b0..b3) in
# NSB, all four distributing, addresses 192.0.2.1 and .2
fz_setup() {
	local a=$1 b=$2 rate=$3 mtu=$4 i
	for i in 0 1 2 3; do
		veth "$a" "a$i" "$b" "b$i" || return 1
	done
	partner_bond "$b" bond0 "$rate" b0 b1 b2 b3 || return 1
	ip -n "$b" link set bond0 mtu "$mtu" || return 1
	ip -n "$a" link add lag0 type lag || return 1
	nsx "$a" sh -c "echo $rate > /sys/class/net/lag0/lag/lacp_rate" || return 1
	for i in 0 1 2 3; do
		ip -n "$a" link set "a$i" master lag0 || return 1
	done
	ip -n "$a" link set lag0 mtu "$mtu" || return 1
	ip -n "$a" link set lag0 up || return 1
	ip -n "$a" addr add 192.0.2.1/24 dev lag0
	ip -n "$b" addr add 192.0.2.2/24 dev bond0
	wait_active "$a" lag0 4 40
}

# counters NS: "aN.counter value" lines for every member, in one read
counters() {
	local c i files=()
	for i in 0 1 2 3; do
		for c in $COUNTERS; do
			files+=("/sys/class/net/a$i/lag_port/$c")
		done
	done
	nsx "$1" grep -H . "${files[@]}" |
		sed -E 's|^/sys/class/net/(a[0-3])/lag_port/([a-z_]+):|\1.\2 |'
}

# delta BEFORE AFTER KEY: AFTER's value of KEY minus BEFORE's
delta() {
	echo $(($(awk -v k="$3" '$1 == k { print $2 }' "$2") - \
		$(awk -v k="$3" '$1 == k { print $2 }' "$1")))
}

_partner_up() { # NS N
	test "$(nsx "$1" python3 "$PS" bond bond0 | jq '[.[] | select(.ours_up)] | length')" = "$2"
}

# since START: seconds elapsed, two decimals
since() { echo "scale=2; ($(date +%s%N) - $1) / 1000000000" | bc; }

test_wire() { # RATE MTU RANDOM
	local rate=$1 mtu=$2 nrandom=$3 a b own out i t0 pid d want tx secs
	a=$(ns_new wf-$rate-a) || return 1
	b=$(ns_new wf-$rate-b) || return 1
	t0=$(date +%s%N)
	check fz_setup "$a" "$b" "$rate" "$mtu" || return 1
	echo "set up, four distributing, in $(since "$t0")s"
	check wait_for 15 _partner_up "$b" 4
	check nsx "$a" ping -c 2 -i 0.2 -W 2 192.0.2.2 > /dev/null
	own=$(ip -n "$a" -j link show dev lag0 | jq -r '.[0].address')

	# traffic throughout: a ping flood, bounded in time
	# (ip netns exec execs ping: $! is ping, which SIGINT stops)
	ip netns exec "$a" ping -f -q -W 1 -w 120 192.0.2.2 > "$_tmp/ping" 2>&1 &
	pid=$!
	_pids+=("$pid")
	sleep 1

	t0=$(date +%s%N)
	counters "$a" > "$_tmp/before"
	echo "counters read in $(since "$t0")s"
	t0=$(date +%s%N)
	if ! out=$(nsx "$b" python3 "$CORPUS" send --own "$own" \
		--random "$nrandom" --max-len "$mtu" b0 b1 b2 b3); then
		echo "pdu_corpus.py failed"
		kill "$pid"
		return 1
	fi
	echo "sent in $(since "$t0")s: $out"
	secs=$(( ($(date +%s%N) - t0 + 999999999) / 1000000000 + 1))
	# every frame sent is processed in softirq before the next; let the
	# last ones drain
	sleep 1
	counters "$a" > "$_tmp/after"

	for i in 0 1 2 3; do
		want=$(jq ".b$i.malformed" <<< "$out")
		check_eq "$(delta "$_tmp/before" "$_tmp/after" "a$i.lacpdu_rx_errors")" "$want" \
			"a$i lacpdu_rx_errors rise"
		want=$(jq ".b$i.unknown" <<< "$out")
		check_eq "$(delta "$_tmp/before" "$_tmp/after" "a$i.unknown_rx")" "$want" \
			"a$i unknown_rx rise"
		want=$(jq ".b$i.marker" <<< "$out")
		check_eq "$(delta "$_tmp/before" "$_tmp/after" "a$i.marker_rx")" "$want" \
			"a$i marker_rx rise"
		# answered, or left unanswered by the limit of 5 in any second
		tx=$(delta "$_tmp/before" "$_tmp/after" "a$i.marker_tx")
		check_eq "$((tx + $(delta "$_tmp/before" "$_tmp/after" "a$i.marker_rx_dropped")))" \
			"$want" "a$i marker_tx + marker_rx_dropped rise"
		check test "$tx" -le $((5 * (secs + 1)))
		echo "a$i: $want Marker PDUs in ${secs}s, $tx answered"
		want=$(jq ".b$i.marker_resp" <<< "$out")
		check_eq "$(delta "$_tmp/before" "$_tmp/after" "a$i.marker_resp_rx")" "$want" \
			"a$i marker_resp_rx rise"
		want=$(jq ".b$i.lacpdu" <<< "$out")
		d=$(delta "$_tmp/before" "$_tmp/after" "a$i.lacpdu_rx")
		check test "$d" -ge "$want"
		echo "a$i: +$(delta "$_tmp/before" "$_tmp/after" "a$i.lacpdu_rx_errors") malformed," \
			"+$(delta "$_tmp/before" "$_tmp/after" "a$i.unknown_rx") unknown," \
			"+$d LACPDUs ($want from the corpus)"
	done

	t0=$(date +%s%N)
	if check wait_active "$a" lag0 4 10; then
		note "all four distributing $(since "$t0")s after the corpus ended ($rate rate)"
	else
		for i in 0 1 2 3; do
			echo "a$i: $(nsx "$a" cat /sys/class/net/a$i/lag_port/state)" \
				"$(nsx "$a" cat /sys/class/net/a$i/lag_port/reason)"
		done
	fi
	check wait_for 10 _partner_up "$b" 4
	kill -INT "$pid" 2> /dev/null
	wait "$pid" 2> /dev/null
	echo "ping flood: $(grep -E 'transmitted|rtt' "$_tmp/ping" | tr '\n' ' ')"
	check grep -q -E '[1-9][0-9]* received' "$_tmp/ping"
	check nsx "$a" ping -c 3 -i 0.2 -W 2 192.0.2.2 > /dev/null
}

# Other Slow Protocols subtypes belong to the physical link: a daemon
# bound to the member gets them, the LAG and unbound listeners do not, and
# LACPDUs (the partner's, every second at fast rate) reach no listener.
test_other_subtypes() {
	local a b before after i pids=()
	local hdr=0180c2000002020000000b008809
	local oam=${hdr}03000000 esmc=${hdr}0a0019a7000110000000010004 pad
	pad=$(printf '%0*d' 84 0)
	a=$(ns_new wf-os-a) || return 1
	b=$(ns_new wf-os-b) || return 1
	check fz_setup "$a" "$b" fast 1500 || return 1
	before=$(nsx "$a" cat /sys/class/net/a0/lag_port/unknown_rx)
	for i in a0 lag0 ""; do
		ip netns exec "$a" python3 "$SP" listen "$i" 8 > "$_tmp/listen-${i:-any}" &
		pids+=($!)
	done
	sleep 1.5
	check nsx "$b" python3 "$SP" send b0 "$oam$pad"
	check nsx "$b" python3 "$SP" send b0 "$esmc${pad:18}"
	wait "${pids[@]}"
	after=$(nsx "$a" cat /sys/class/net/a0/lag_port/unknown_rx)
	check_eq "$(cat "$_tmp/listen-a0")" "[3, 10]" "a listener bound to a0 got OAM and ESMC only"
	check_eq "$(cat "$_tmp/listen-lag0")" "[]" "a listener bound to lag0 got nothing"
	check_eq "$(cat "$_tmp/listen-any")" "[]" "an unbound listener got nothing"
	check_eq "$((after - before))" 2 "a0 unknown_rx rise"
	check wait_active "$a" lag0 4 5
}

run_test "other Slow Protocols subtypes go to the member's own listeners only" \
	test_other_subtypes
run_test "corpus and 2000 random PDUs from the partner's side, fast rate, 9000 MTU, under a ping flood" \
	test_wire fast 9000 2000
run_test "corpus and 500 random PDUs from the partner's side, slow rate, under a ping flood" \
	test_wire slow 1500 500
finish
