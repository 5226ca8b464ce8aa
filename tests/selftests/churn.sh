#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Churn: for LAG_CHURN_SECS (default 60) seconds, concurrently: members
# enslaved, released and moved between two LAGs; member carrier flaps; LAGs
# down and up; MTU changes; every option written through sysfs (and
# netlink, when the iproute2 plugin knows the lag kind); LAGs created and
# deleted, also by deleting their network namespace; members moved through
# /sys/class/net/<lag>/lag/ports too; sysfs read all along;
# traffic throughout; on a guest with more than one CPU, a flood from the
# partner's ports into the members as well, so that frames are in the
# members' rx handlers on one CPU while the members are released on
# another. Then `rmmod lag` with LAGs still present, and insmod
# again for the runner. Pass: every loop ran at least once (each count is
# printed; the netlink writer is one of them, so a missing plugin fails),
# the LAGs that should exist do and are consistent, and (the runner's part)
# no splat, no leak.

. "$(dirname "$0")/lib.sh"

SECS=${LAG_CHURN_SECS:-60}
N=6		# a0..a5 (NSA) to b0..b5 (NSB)
# The flood: on by default where there is a CPU to spare for it (a flood
# would starve the single-CPU guest of the churn itself); LAG_CHURN_FLOOD=1
# forces it on, 0 off.
FLOOD=${LAG_CHURN_FLOOD:-$(($(nproc) > 1))}
FLOOD_PPS=${LAG_CHURN_FLOOD_PPS:-2000}	# per partner port

# the netlink options, if the iproute2 plugin is there
netlink_ok() {
	IP_LIB_DIR=$LAG_TOP/tools/iproute2 ip link help lag > /dev/null 2>&1
}

# loop NAME CMD...: run CMD until the deadline, at least once (a loop
# spawned late, on a slow guest, still does its part), counting iterations
# in $_tmp/NAME.count; bounded in time
loop() {
	local name=$1 n=0
	shift
	while :; do
		"$@" > /dev/null 2>&1
		n=$((n + 1))
		[ "$SECONDS" -lt "$END" ] || break
	done
	echo "$n" > "$_tmp/$name.count"
}

# spawn NAME CMD: loop NAME CMD in the background, pinned to the next CPU in
# turn (taskset), so that on an SMP guest the loops really run at once
ncpu=$(nproc)
nextcpu=0
spawn() {
	local cpu=$((nextcpu % ncpu))
	nextcpu=$((nextcpu + 1))
	{
		taskset -pc "$cpu" "$BASHPID" > /dev/null || echo "# taskset $cpu failed for $1"
		loop "$@"
	} &
	pids+=($!)
	echo "$1: on CPU $cpu of $ncpu"
}

pick() { echo $((RANDOM % $1)); }

enslaver() { # move, release or enslave a random member
	local i=$(($(pick $N))) r=$(($(pick 4)))
	case $r in
	0) ip -n "$A" link set "a$i" nomaster ;;
	*) ip -n "$A" link set "a$i" master "lag$((r % 2))" ;;
	esac
}

flapper() { # pull and plug a cable (the partner's end) or the member's end
	local i=$(($(pick $N)))
	if [ "$(pick 2)" = 0 ]; then
		ip -n "$B" link set "b$i" down
		sleep "0.$(pick 3)"
		ip -n "$B" link set "b$i" up
	else
		ip -n "$A" link set "a$i" down
		sleep "0.$(pick 3)"
		ip -n "$A" link set "a$i" up
	fi
}

updown() {
	local l=lag$(($(pick 2)))
	ip -n "$A" link set "$l" down
	sleep "0.$(pick 5)"
	ip -n "$A" link set "$l" up
}

mtu() {
	ip -n "$A" link set "lag$(($(pick 2)))" mtu $((1280 + RANDOM % 7720))
	# and a member's own MTU, which the LAG does not control
	ip -n "$A" link set "a$(($(pick $N)))" mtu $((1280 + RANDOM % 7720))
}

OPTS=(min_links xmit_hash_policy lacp_rate lacp_active lacp_fallback actor_sys_prio actor_system)
rand_value() { # OPTION: a valid or an invalid value
	local bad=$(($(pick 6) == 0))
	case $1 in
	min_links) [ $bad = 1 ] && echo 9 || echo $(($(pick 5))) ;;
	xmit_hash_policy)
		local pol=(layer2 layer2+3 layer3+4 encap2+3 encap3+4 bogus)
		echo "${pol[$(pick 6)]}" ;;
	lacp_rate) local rates=(slow fast quick); echo "${rates[$(pick 3)]}" ;;
	lacp_active | lacp_fallback) local onoff=(on off maybe); echo "${onoff[$(pick 3)]}" ;;
	actor_sys_prio) [ $bad = 1 ] && echo 0 || echo $((1 + RANDOM)) ;;
	actor_system)
		local macs=(00:00:00:00:00:00 02:00:00:00:00:42 01:00:5e:00:00:01 zz)
		echo "${macs[$(pick 4)]}" ;;
	esac
}

sysfs_writer() {
	local l=lag$(($(pick 3))) o=${OPTS[$(pick ${#OPTS[@]})]}
	nsx "$A" sh -c "echo $(rand_value "$o") > /sys/class/net/$l/lag/$o"
}

ports_writer() { # enslave, release and move through sysfs
	local l=lag$(($(pick 2))) op=+
	[ "$(pick 3)" = 0 ] && op=-
	nsx "$A" sh -c "echo $op""a$(($(pick $N))) > /sys/class/net/$l/lag/ports"
}

netlink_writer() { # every option, the user key and a member's priority
	local l=lag$(($(pick 2))) o=${OPTS[$(pick ${#OPTS[@]})]}
	export IP_LIB_DIR=$LAG_TOP/tools/iproute2
	ip -n "$A" link set "$l" type lag "$o" "$(rand_value "$o")"
	ip -n "$A" link set "$l" type lag user_port_key $((RANDOM % 1100))
	ip -n "$A" link set "a$(($(pick $N)))" type lag_slave port_prio $((RANDOM % 70000))
}

reader() { # every attribute of every LAG and member, racing with release
	nsx "$A" sh -c 'cat /sys/class/net/lag*/lag/* /sys/class/net/a*/lag_port/* \
		/sys/class/net/lag*/statistics/* > /dev/null 2>&1'
	ip -n "$A" -d -s link show > /dev/null
}

creator() { # a LAG with members made and deleted; one in a namespace deleted
	local ns=$NS_PREFIX-tmp$((RANDOM % 100))
	if netlink_ok; then
		IP_LIB_DIR=$LAG_TOP/tools/iproute2 ip -n "$A" link add lag2 type lag \
			lacp_rate fast min_links 1 xmit_hash_policy layer2+3
	else
		ip -n "$A" link add lag2 type lag
	fi
	ip -n "$A" link add d0 type dummy
	ip -n "$A" link add d1 type dummy
	ip -n "$A" link set d0 master lag2
	ip -n "$A" link set d1 master lag2
	ip -n "$A" link set lag2 up
	ip -n "$A" link set d0 up
	sleep "0.$(pick 5)"
	ip -n "$A" link del lag2
	ip -n "$A" link del d0
	ip -n "$A" link del d1
	# a whole namespace, LAG and members, deleted at once
	ip netns add "$ns" || return
	ip -n "$ns" link add lag0 type lag
	ip -n "$ns" link add v0 type veth peer name w0
	ip -n "$ns" link set v0 master lag0
	ip -n "$ns" link set w0 up
	ip -n "$ns" link set lag0 up
	sleep "0.$(pick 3)"
	ip netns del "$ns"
}

# flood_start: pktgen in NSB sends from every partner port b<i> to its
# member a<i>, FLOOD_PPS frames a second each, until flood_stop or until
# that port first goes down or loses carrier: pktgen stops such a device
# for good, and the flapper and a release of a member that was down when
# it was enslaved do that (so the flood is densest in the first seconds).
# One kernel thread (the last CPU's) sends them all, and the member's rx
# handler runs on that CPU (veth delivers on the sender's CPU). Set up in
# one shell: a process costs a second or more on a TCG guest. (Here-strings,
# not <(...): the guests' /dev has no /dev/fd.)
PG=/proc/net/pktgen
flood_start() {
	local i mac c cmds=()
	while read -r i mac; do
		cmds+=("add_device b${i#a}:kpktgend_$((ncpu - 1))")
		for c in "count 0" "clone_skb 0" "pkt_size 60" "ratep $FLOOD_PPS" \
				"dst_mac $mac" "dst_min 192.0.2.250" "dst_max 192.0.2.250" \
				"udp_dst_min 9" "udp_dst_max 9" "udp_src_min 1024" \
				"udp_src_max 65535" "flag UDPSRC_RND"; do
			cmds+=("$c:b${i#a}")
		done
	done <<< "$(ip -n "$A" -j link show | jq -r '.[] | select(.ifname | test("^a[0-9]+$")) |
		.ifname + " " + .address')"
	[ ${#cmds[@]} = $((N * 13)) ] || return 1
	# "CMD:FILE" each: echo CMD > $PG/FILE, stopping at the first refused
	nsx "$B" sh -c 'for c in "$@"; do echo "${c%:*}" > "'"$PG"'/${c##*:}" || exit 1; done' \
		sh "${cmds[@]}" || return 1
	# "start" returns when every device has stopped; $! is the writer
	# itself (ip netns exec execs it), for flood_stop to kill if need be
	ip netns exec "$B" sh -c "echo start > $PG/pgctrl" > /dev/null 2>&1 &
	flood_pid=$!
}

# flood_stop: stop pktgen, print what it sent
flood_stop() {
	local n sum=0
	# a signal to the writer stops pktgen's threads too
	nsx "$B" sh -c "echo stop > $PG/pgctrl" || kill "$flood_pid"
	wait "$flood_pid" 2> /dev/null
	while read -r n; do
		sum=$((sum + n))
	done <<< "$(nsx "$B" sh -c "cat $PG/b*" | sed -n 's/.*pkts-sofar: \([0-9]*\).*/\1/p')"
	echo "flood: $sum frames from the partner's ports into the members"
	check test "$sum" -gt 0
}

# the final state: a0..a2 in lag0, a3..a5 in lag1, like the partner's bonds
settle() {
	local i
	ip -n "$A" link set lag0 mtu 1500
	ip -n "$A" link set lag1 mtu 1500
	for i in $(seq 0 $((N - 1))); do
		ip -n "$A" link set "a$i" nomaster
		ip -n "$B" link set "b$i" up
	done
	for i in 0 1 2; do ip -n "$A" link set "a$i" master lag0 || return 1; done
	for i in 3 4 5; do ip -n "$A" link set "a$i" master lag1 || return 1; done
	for i in 0 1; do
		nsx "$A" sh -c "echo 0 > /sys/class/net/lag$i/lag/min_links; \
			echo on > /sys/class/net/lag$i/lag/lacp_active; \
			echo off > /sys/class/net/lag$i/lag/lacp_fallback; \
			echo fast > /sys/class/net/lag$i/lag/lacp_rate; \
			echo 00:00:00:00:00:00 > /sys/class/net/lag$i/lag/actor_system" || return 1
		ip -n "$A" link set "lag$i" up || return 1
	done
	for i in $(seq 0 $((N - 1))); do ip -n "$A" link set "a$i" up; done
}

# consistent NS: every member's master and lag_port directory agree, and
# no LAG has more than four members or more distributing than members
consistent() {
	local i m l n
	for i in $(seq 0 $((N - 1))); do
		m=$(master_of "$A" "a$i")
		echo "a$i: master ${m:-none}"
		if [ -n "$m" ]; then
			check nsx "$A" test -d "/sys/class/net/a$i/lag_port"
		else
			check_fail nsx "$A" test -e "/sys/class/net/a$i/lag_port"
		fi
	done
	for l in lag0 lag1; do
		n=$(ip -n "$A" -j link show master "$l" | jq length)
		check test "$n" -le 4
		check test "$(active_ports "$A" "$l")" -le "$n"
	done
}

test_churn() {
	local i pids=() name addrs=() n flood_pid=
	A=$(ns_new churn-a) || return 1
	B=$(ns_new churn-b) || return 1
	export A B
	for i in $(seq 0 $((N - 1))); do
		check veth "$A" "a$i" "$B" "b$i" || return 1
		addrs[i]=$(ip -n "$A" -j link show "a$i" | jq -r '.[0].address')
	done
	check partner_bond "$B" bond0 fast b0 b1 b2 || return 1
	check partner_bond "$B" bond1 fast b3 b4 b5 || return 1
	check ip -n "$B" link set bond0 mtu 9000
	check ip -n "$B" link set bond1 mtu 9000
	check ip -n "$B" addr add 192.0.2.2/24 dev bond0
	check ip -n "$B" addr add 198.51.100.2/24 dev bond1
	check ip -n "$A" link add lag0 type lag
	check ip -n "$A" link add lag1 type lag
	check ip -n "$A" addr add 192.0.2.1/24 dev lag0
	check ip -n "$A" addr add 198.51.100.1/24 dev lag1
	check settle
	check wait_active "$A" lag0 3 40
	check wait_active "$A" lag1 3 40

	# The netlink writer is part of the churn: without the plugin, fail.
	if ! check netlink_ok; then
		note "'ip link help lag' fails with IP_LIB_DIR=$LAG_TOP/tools/iproute2: build it (make -C tools/iproute2)"
	fi

	# traffic throughout, bounded: ip netns exec execs ping, so $! is ping
	# (a flood would starve the single-CPU guest of the churn itself)
	ip netns exec "$A" ping -i 0.01 -q -W 1 -w $((SECS + 5)) 192.0.2.2 > "$_tmp/ping0" 2>&1 &
	pids+=($!)
	ip netns exec "$A" ping -i 0.01 -q -W 1 -w $((SECS + 5)) 198.51.100.2 > "$_tmp/ping1" 2>&1 &
	pids+=($!)

	if [ "$FLOOD" = 1 ]; then
		check flood_start || note "pktgen in $B: could not set up the flood"
	fi

	END=$((SECONDS + SECS))
	export END
	for name in enslaver flapper updown mtu sysfs_writer ports_writer reader creator; do
		spawn "$name" "$name"
	done
	spawn enslaver2 enslaver
	spawn sysfs_writer2 sysfs_writer
	if netlink_ok; then
		spawn netlink_writer netlink_writer
	fi
	_pids+=("${pids[@]}")

	# the loops end by themselves at END; anything left after is killed
	sleep "$SECS"
	for i in $(seq 1 30); do
		local alive=0 p
		for p in "${pids[@]}"; do kill -0 "$p" 2> /dev/null && alive=1; done
		[ $alive = 0 ] && break
		sleep 1
	done
	for p in "${pids[@]}"; do kill -INT "$p" 2> /dev/null; done
	sleep 1
	for p in "${pids[@]}"; do kill -KILL "$p" 2> /dev/null; done
	[ -n "$flood_pid" ] && flood_stop
	wait 2> /dev/null

	# Each loop writes its count when it ends by itself; one killed, or
	# never started, has none.
	for name in enslaver enslaver2 flapper updown mtu sysfs_writer sysfs_writer2 ports_writer netlink_writer reader creator; do
		n=$(cat "$_tmp/$name.count" 2> /dev/null)
		echo "$name: ${n:-0 (no count)} iterations"
		check test "${n:-0}" -gt 0
	done
	echo "ping lag0: $(grep transmitted "$_tmp/ping0")"
	echo "ping lag1: $(grep transmitted "$_tmp/ping1")"

	# the LAGs that should exist do, the others do not
	check ip -n "$A" link show lag0 > /dev/null
	check ip -n "$A" link show lag1 > /dev/null
	check_fail ip -n "$A" link show lag2 2> /dev/null
	check_eq "$(ip netns list | grep -c "^$NS_PREFIX-tmp")" 0 "namespaces the creator left"
	consistent

	# and they still work
	echo "settling"
	check settle
	check wait_active "$A" lag0 3 40
	check wait_active "$A" lag1 3 40
	check nsx "$A" ping -c 2 -i 0.3 -W 2 192.0.2.2 > /dev/null
	check nsx "$A" ping -c 2 -i 0.3 -W 2 198.51.100.2 > /dev/null

	# rmmod with the LAGs (and their members) still there
	echo "rmmod with lag0, lag1 (three members each) and lag2 present"
	check ip -n "$A" link add lag2 type lag
	check rmmod lag
	check_fail ip -n "$A" link show lag0 2> /dev/null
	for i in $(seq 0 $((N - 1))); do
		check_eq "$(master_of "$A" "a$i")" "" "a$i's master after rmmod"
		check_eq "$(ip -n "$A" -j link show "a$i" | jq -r '.[0].address')" "${addrs[i]}" \
			"a$i's own address after rmmod"
	done
	check insmod "${LAG_MODDIR:-$LAG_TOP/build/uml}/lag.ko"
	check ip -n "$A" link add lag0 type lag
	check ip -n "$A" link del lag0
	echo "lag.ko loaded again"
}

run_test "${SECS}s of churn under traffic, then rmmod with LAGs present" test_churn
finish
