#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# netconsole (netpoll) over a LAG. netpoll transmits with interrupts off and
# without the qdisc layer, so a LAG must pass it on to its members' own
# netpoll (set up on every member, and on a member that joins later), and
# must refuse it, naming the member, when a member cannot poll: veth sets
# IFF_DISABLE_NETPOLL, so a LAG of veth members is refused, and while
# netconsole uses a LAG a veth cannot join it. A LAG deleted under
# netconsole stops the target, as any device does.
#
# netpoll works only in the initial network namespace: the LAG and its
# devices live there (names nc*), the partner (bonding in 802.3ad mode, a
# UDP listener) in a namespace of its own. The links between them are tap
# pairs (taps poll) copied by tap_relay.py. Every message written to
# /dev/kmsg carries a unique id and must reach the listener exactly once:
# with both members distributing, while the member carrying the messages
# leaves, while it joins back, and once it distributes again. tc counts
# the netconsole frames on both ends of each link: none may pass a
# member's egress hook (dev_queue_xmit with interrupts off is the bug
# netpoll must not hit), and the link of a member that left carries none.
# A target on a device that then joins a LAG stops.

# shellcheck disable=SC2317 # functions called through run_test and traps
. "$(dirname "$0")/lib.sh"

RELAY=$LAG_TOP/tests/selftests/tap_relay.py
PS=$LAG_TOP/tests/selftests/partner_state.py
CFG=/sys/kernel/config
NC=$CFG/netconsole
PORT=6666
# Messages per step, and their level: below the console log level, so that
# every console, netconsole included, prints them.
N=20
LEVEL=5

_targets=()
_devs=()
_saved_printk=""
_tag=$$

# --- the initial namespace's devices and netconsole targets ------------

nc_cleanup() {
	local t d
	for t in ${_targets[@]+"${_targets[@]}"}; do
		[ -d "$NC/$t" ] || continue
		[ "$(cat "$NC/$t/enabled")" = 1 ] && echo 0 > "$NC/$t/enabled"
		rmdir "$NC/$t"
	done
	_targets=()
	for d in ${_devs[@]+"${_devs[@]}"}; do
		[ -e "/sys/class/net/$d" ] && ip link del "$d"
	done
	_devs=()
}

nc_exit() {
	nc_cleanup
	[ -n "$_saved_printk" ] && echo "$_saved_printk" > /proc/sys/kernel/printk
	cleanup
}
trap 'nc_exit' EXIT

# dev_add NAME ARGS...: `ip link add NAME ARGS...` in the initial namespace,
# deleted by nc_cleanup
dev_add() {
	local name=$1
	shift
	ip link add "$name" "$@" || return 1
	_devs+=("$name")
}

# tap_add NAME: a persistent tap in the initial namespace
tap_add() {
	ip tuntap add dev "$1" mode tap || return 1
	_devs+=("$1")
}

# tap_lag_target LAG TARGET TAP...: LAG up, the new taps its members, and
# netconsole target TARGET on it enabled (and reading enabled)
tap_lag_target() {
	local lag=$1 t=$2 tap
	shift 2
	dev_add "$lag" type lag || return 1
	for tap in "$@"; do
		{ tap_add "$tap" && ip link set "$tap" master "$lag"; } || return 1
	done
	ip link set "$lag" up &&
		target "$t" "$lag" 02:00:00:00:00:02 &&
		echo 1 > "$NC/$t/enabled" &&
		test "$(enabled "$t")" = 1
}

master() { ip -j link show dev "$1" | jq -r '.[0].master // empty'; }
txp() { ip -j -s link show dev "$1" | jq '.[0].stats64.tx.packets'; }
ports() { cat "/sys/class/net/$1/lag/ports"; }
_active_is() { test "$(cat "/sys/class/net/$1/lag/active_ports")" = "$2"; }

# target NAME DEV REMOTE_MAC: a dynamic netconsole target, not enabled yet,
# from 192.0.2.1 to 192.0.2.2:$PORT
target() {
	local t=$NC/$1
	mkdir "$t" || return 1
	_targets+=("$1")
	echo "$2" > "$t/dev_name" &&
		echo 192.0.2.1 > "$t/local_ip" &&
		echo 192.0.2.2 > "$t/remote_ip" &&
		echo "$3" > "$t/remote_mac" &&
		echo "$PORT" > "$t/remote_port"
}

enabled() { cat "$NC/$1/enabled"; }

# since MARK: the kernel log after line MARK
since() { dmesg | tail -n +"$(($1 + 1))"; }
mark() { dmesg | wc -l; }

# no_splat MARK: nothing since MARK looks like a splat
no_splat() {
	local hit
	hit=$(since "$1" | grep -m 3 -E 'WARNING:|BUG:|Oops|lockdep|possible (circular|recursive) locking|inconsistent lock state|suspicious RCU usage|refcount_t:')
	if [ -n "$hit" ]; then
		echo "kernel splat: $hit"
		return 1
	fi
}

# --- (a) members that cannot poll --------------------------------------

test_veth_lag_refused() {
	local ns m out rc said
	ns=$(ns_new veth) || return 1
	m=$(mark)
	check dev_add ncv0 type veth peer name w0 netns "$ns"
	check dev_add ncv1 type veth peer name w1 netns "$ns"
	check dev_add nclag0 type lag
	check ip link set ncv0 master nclag0
	check ip link set ncv1 master nclag0
	check ip link set nclag0 up
	check target ncveth nclag0 02:00:00:00:00:02
	out=$( { echo 1 > "$NC/ncveth/enabled"; } 2>&1)
	rc=$?
	echo "echo 1 > enabled: exit $rc, $out"
	check test "$rc" != 0
	check_eq "$(enabled ncveth)" 0 "the target's enabled"
	echo "the kernel said:"
	since "$m" | grep -E 'netconsole|netpoll|nclag0|ncv[01]' | sed 's/^/  /'
	said=$(since "$m" | grep -E 'nclag0' | grep -E 'ncv[01]' | grep -i poll)
	check test -n "$said"
	# Nothing changed for the LAG.
	check_eq "$(ports nclag0)" "ncv0 ncv1" "nclag0's members"
	check no_splat "$m"
	nc_cleanup
}

test_veth_join_refused() {
	local ns m out rc
	ns=$(ns_new join) || return 1
	m=$(mark)
	check tap_lag_target nclag0 ncjoin nct0 nct1
	check dev_add ncv0 type veth peer name w0 netns "$ns"
	out=$(ip link set ncv0 master nclag0 2>&1)
	rc=$?
	echo "ip link set ncv0 master nclag0: exit $rc, ip said: $out"
	check test "$rc" != 0
	check grep -q ncv0 <<< "$out"
	check grep -q -i poll <<< "$out"
	check_eq "$(master ncv0)" "" "ncv0's master"
	# The same through sysfs.
	out=$( { echo +ncv0 > /sys/class/net/nclag0/lag/ports; } 2>&1)
	rc=$?
	echo "echo +ncv0 > ports: exit $rc, $out"
	check test "$rc" != 0
	check_eq "$(master ncv0)" "" "ncv0's master"
	check_eq "$(ports nclag0)" "nct0 nct1" "nclag0's members"
	# A member that can poll joins; the target stays enabled.
	check tap_add nct2
	check ip link set nct2 master nclag0
	check_eq "$(ports nclag0)" "nct0 nct1 nct2" "nclag0's members"
	check_eq "$(enabled ncjoin)" 1 "the target's enabled after a tap joined"
	# Only netconsole kept the veth out: disabled, the veth joins.
	check sh -c "echo 0 > $NC/ncjoin/enabled"
	check ip link set ncv0 master nclag0
	check ip link set ncv0 nomaster
	# And netconsole can be enabled again.
	check sh -c "echo 1 > $NC/ncjoin/enabled"
	check_eq "$(enabled ncjoin)" 1 "enabled again"
	echo "the kernel said:"
	since "$m" | grep -E 'netconsole|netpoll|nclag0|ncv0' | sed 's/^/  /'
	check no_splat "$m"
	nc_cleanup
}

# Through sysfs a member of another LAG moves, checked against this LAG's
# rules before it leaves the other (Documentation/networking/lag.rst): a
# veth moving to a LAG that netconsole uses is refused and stays where it
# was.
test_veth_move_refused() {
	local ns m out rc
	ns=$(ns_new move) || return 1
	m=$(mark)
	check tap_lag_target nclag0 ncmove nct0
	check dev_add nclag1 type lag
	check dev_add ncv0 type veth peer name w0 netns "$ns"
	check ip link set ncv0 master nclag1
	out=$( { echo +ncv0 > /sys/class/net/nclag0/lag/ports; } 2>&1)
	rc=$?
	echo "echo +ncv0 > nclag0/lag/ports: exit $rc, $out"
	check test "$rc" != 0
	check_eq "$(master ncv0)" nclag1 "ncv0's master after the refused move"
	check_eq "$(ports nclag1)" ncv0 "nclag1's members"
	check_eq "$(ports nclag0)" nct0 "nclag0's members"
	echo "the kernel said:"
	since "$m" | grep -E 'nclag[01]|ncv0' | sed 's/^/  /'
	check no_splat "$m"
	nc_cleanup
}

test_lag_deleted() {
	local m
	m=$(mark)
	check tap_lag_target nclag0 ncdel nct0 nct1
	check ip link del nclag0
	check_eq "$(enabled ncdel)" 0 "the target's enabled after the LAG was deleted"
	check sh -c "dmesg | tail -n +$((m + 1)) | grep -q 'network logging stopped on interface nclag0 as it unregistered'"
	# The former members are devices of their own again, usable by netpoll.
	check_eq "$(master nct0)" "" "nct0's master"
	check ip link set nct0 up
	check sh -c "echo nct0 > $NC/ncdel/dev_name"
	check sh -c "echo 1 > $NC/ncdel/enabled"
	check sh -c "echo 0 > $NC/ncdel/enabled"
	check no_splat "$m"
	nc_cleanup
}

# A target on a device that joins a LAG stops (NETDEV_JOIN, as bonding and
# team send): the device's frames are the LAG's from then on.
test_target_on_joining_member() {
	local m
	# Devices of its own: (b)'s topology may still be there.
	m=$(mark)
	check tap_add ncj0
	check dev_add ncjlag0 type lag
	check ip link set ncj0 up
	check target ncjoin ncj0 02:00:00:00:00:02
	check sh -c "echo 1 > $NC/ncjoin/enabled"
	check_eq "$(enabled ncjoin)" 1 "enabled on the tap"
	check ip link set ncj0 master ncjlag0
	check_eq "$(enabled ncjoin)" 0 "the tap's target's enabled after it joined"
	check sh -c "dmesg | tail -n +$((m + 1)) | grep -q 'network logging stopped on interface ncj0 as it is joining a master device'"
	check no_splat "$m"
	nc_cleanup
}

# --- (b) members that can poll, to a bonding partner -------------------

_topo=""	# the partner's namespace, once the topology is up
_relay=""
_init=""	# the initial namespace, for at()
_carrier=""
_idle=""

_partner_up() { # NS N: the bonding partner distributes to N of our ports
	test "$(nsx "$1" python3 "$PS" bond bond0 | jq '[.[] | select(.ours_up)] | length')" = "$2"
}

_bond_sees_down() { # NS PORT: bonding no longer counts PORT's link in
	test "$(nsx "$1" python3 "$PS" bond bond0 | jq ".$2.ours_up")" = false
}

# topology: nclag0 (fast) over nct0 nct1 <relay> pt0 pt1 under bond0 (fast)
# in the partner's namespace, 192.0.2.1 and .2; a UDP listener on .2; a
# netconsole target from nclag0 to it, enabled. Made once, for every case
# below that needs it.
topology() {
	local p i mac
	[ -n "$_topo" ] && return 0
	p=$(ns_new partner) || return 1
	for i in 0 1; do
		tap_add "nct$i" || return 1
		ip -n "$p" tuntap add dev "pt$i" mode tap || return 1
	done
	partner_bond "$p" bond0 fast pt0 pt1 || return 1
	ip -n "$p" addr add 192.0.2.2/24 dev bond0 || return 1
	dev_add nclag0 type lag || return 1
	echo fast > /sys/class/net/nclag0/lag/lacp_rate || return 1
	ip link set nct0 master nclag0 || return 1
	ip link set nct1 master nclag0 || return 1
	ip addr add 192.0.2.1/24 dev nclag0 || return 1
	ip link set nclag0 up || return 1
	for i in 0 1; do
		count_netconsole "$_init" "nct$i" egress || return 1
		count_netconsole "$p" "pt$i" ingress || return 1
	done

	python3 "$RELAY" "$p" nct0:pt0 nct1:pt1 > "$_tmp/relay" 2>&1 &
	_pids+=($!)
	_relay=$!
	wait_for 60 grep -q '^ready' "$_tmp/relay" ||
		{ echo "the relay never got ready:"; cat "$_tmp/relay"; return 1; }
	cat "$_tmp/relay"

	nsx "$p" python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((sys.argv[1], int(sys.argv[2])))
print("ready", flush=True)
while True:
    data = s.recv(65536)
    print(data.decode(errors="replace").rstrip("\n"), flush=True)
' 192.0.2.2 "$PORT" > "$_tmp/rx" 2>&1 &
	_pids+=($!)
	wait_for 60 grep -q '^ready' "$_tmp/rx" ||
		{ echo "the listener never got ready:"; cat "$_tmp/rx"; return 1; }

	wait_for 40 _active_is nclag0 2 || { echo "nclag0 never had 2 members distributing"; return 1; }
	wait_for 20 _partner_up "$p" 2 || { echo "bond0 never distributed to both links"; return 1; }
	ping -c 3 -i 0.2 -W 2 192.0.2.2 > /dev/null || { echo "no ping over the relay"; return 1; }

	mac=$(ip -n "$p" -j link show dev bond0 | jq -r '.[0].address')
	target ncb nclag0 "$mac" || return 1
	echo 1 > "$NC/ncb/enabled" || { echo "netconsole refused nclag0"; return 1; }
	_topo=$p
}

# send STEP: write $N messages "nctest TAG STEP ID" to /dev/kmsg, one open
# each (the rate limit of /dev/kmsg is per open file)
send() {
	local i
	for ((i = 1; i <= N; i++)); do
		echo "<$LEVEL>nctest $_tag $1 $i" > /dev/kmsg
	done
}

_ids() { grep -o "nctest $_tag $1 [0-9]*" "$_tmp/rx" | awk '{ print $4 }'; }
_all_in() { test "$(_ids "$1" | sort -u | wc -l)" -ge "$N"; }

# at NS CMD...: CMD in namespace NS, or here if NS is empty
at() {
	local ns=$1
	shift
	if [ -n "$ns" ]; then
		nsx "$ns" "$@"
	else
		"$@"
	fi
}

# tc_hits NS DEV egress|ingress: packets the filters there matched
tc_hits() {
	at "$1" tc -s -j filter show dev "$2" "$3" |
		jq '[.[] | .options.actions[0].stats.packets // empty] | add // 0'
}

# count_netconsole NS DEV egress|ingress: count the netconsole frames (UDP
# to $PORT) passing there
count_netconsole() {
	at "$1" tc qdisc add dev "$2" clsact 2> /dev/null
	at "$1" tc filter add dev "$2" "$3" protocol ip flower ip_proto udp \
		dst_port "$PORT" action pass
}

# snap: netconsole frames so far that went out of nct0 and nct1 through
# the stack (dev_queue_xmit: their tc egress hook, their qdisc; netpoll's
# own transmit goes around it), and that came in on pt0 and pt1 at the
# partner
snap() {
	echo "$(tc_hits "$_init" nct0 egress) $(tc_hits "$_init" nct1 egress)" \
		"$(tc_hits "$_topo" pt0 ingress) $(tc_hits "$_topo" pt1 ingress)"
}

# step STEP WHAT: STEP's $N messages are written and reach the listener,
# each exactly once, and no netconsole frame goes through a member's stack;
# _carrier is the member whose link carried the most netconsole frames,
# _idle the other when its link carried none
step() {
	local b a got uniq missing s0 s1 w0 w1
	read -r -a b <<< "$(snap)"
	send "$1"
	wait_for 15 _all_in "$1"
	read -r -a a <<< "$(snap)"
	got=$(_ids "$1" | wc -l)
	uniq=$(_ids "$1" | sort -u | wc -l)
	missing=$(_ids "$1" | sort -u | awk -v n="$N" '{ s[$1] = 1 }
		END { for (i = 1; i <= n; i++) if (!(i in s)) printf " %d", i }')
	echo "$2: $N sent, $uniq arrived ($got datagrams)${missing:+, missing ids:$missing}"
	check_eq "$uniq" "$N" "$1: messages that arrived"
	check_eq "$got" "$N" "$1: datagrams (duplicates?)"
	s0=$((a[0] - b[0])) s1=$((a[1] - b[1])) w0=$((a[2] - b[2])) w1=$((a[3] - b[3]))
	_carrier=nct0 _idle=""
	[ "$w1" -gt "$w0" ] && _carrier=nct1
	if [ "$w0" = 0 ] && [ "$w1" != 0 ]; then
		_idle=nct0
	elif [ "$w1" = 0 ] && [ "$w0" != 0 ]; then
		_idle=nct1
	fi
	echo "  netconsole frames on the links: nct0-pt0 +$w0, nct1-pt1 +$w1;" \
		"through a member's stack: nct0 +$s0, nct1 +$s1"
	check_eq "$((s0 + s1))" 0 "$1: netconsole frames through a member's stack"
}

test_deliver() {
	local m
	m=$(mark)
	topology || return 1
	step all "both members distributing"
	# One flow: one member's link, the one the hash picked.
	check test -n "$_idle"
	check no_splat "$m"
}

test_leave_join() {
	local m p via other
	m=$(mark)
	topology || return 1
	p=$_topo
	# Which member carries the messages now (the hash's pick)?
	step pick "both members distributing, before the leave"
	check test -n "$_idle"
	via=$_carrier
	other=nct0
	[ "$via" = nct0 ] && other=nct1
	echo "  $via carries them: it leaves"

	check ip link set "$via" nomaster
	step left "$via just left, $other distributing"
	check_eq "$_idle" "$via" "the member whose link carried nothing after $via left"
	check wait_for 10 _bond_sees_down "$p" "${via/nct/pt}"
	step gone "$via gone (the partner saw it), $other distributing"
	check_eq "$_idle" "$via" "the member whose link carried nothing"

	check ip link set "$via" master nclag0
	step joining "$via joining, $other distributing"
	check wait_for 40 _active_is nclag0 2
	check wait_for 20 _partner_up "$p" 2
	step back "$via back, both members distributing"
	check test -n "$_idle"
	check_eq "$(enabled ncb)" 1 "the target's enabled at the end"
	check no_splat "$m"
}

# The relay's own account, and the topology gone before the LAG module is.
relay_stop() {
	[ -n "$_topo" ] || return 0
	kill "$_relay" 2> /dev/null
	wait "$_relay" 2> /dev/null
	note "tap_relay: $(tr '\n' ';' < "$_tmp/relay")"
	note "netconsole datagrams received in all: $(grep -c . "$_tmp/rx")"
}

# --- main ---------------------------------------------------------------

descs=(
	"netconsole on a LAG of veth members is refused, naming the member"
	"a veth cannot join a LAG netconsole uses; a tap can"
	"a veth moving (sysfs) to a LAG netconsole uses is refused and stays put"
	"deleting a LAG under netconsole stops the target cleanly"
	"netconsole over a LAG of taps reaches a bonding partner, every message"
	"every message arrives while the carrying member leaves and joins back"
	"a netconsole target on a device that joins a LAG stops"
)
# prereq: why this kernel cannot run these cases, empty if it can
prereq() {
	if ! grep -qw configfs /proc/filesystems; then
		echo "no configfs in this kernel (CONFIG_CONFIGFS_FS unset)"
	elif ! mountpoint -q $CFG && ! mount -t configfs none $CFG; then
		echo "configfs cannot be mounted on $CFG"
	elif [ ! -d $NC ]; then
		echo "no $NC: this kernel has no dynamic netconsole (CONFIG_NETCONSOLE, CONFIG_NETCONSOLE_DYNAMIC)"
	elif [ ! -c /dev/net/tun ]; then
		echo "no /dev/net/tun (CONFIG_TUN unset): no device here can poll"
	fi
}

reason=$(prereq 2>&1)
if [ -n "$reason" ]; then
	for d in "${descs[@]}"; do
		skip_test "$d" "$reason"
	done
else
	# The console log level (the first field) above our messages' level.
	if [ "$(awk '{ print $1 }' /proc/sys/kernel/printk)" -le "$LEVEL" ]; then
		_saved_printk=$(tr '\t' ' ' < /proc/sys/kernel/printk)
		dmesg -n 8
	fi
	run_test "${descs[0]}" test_veth_lag_refused
	run_test "${descs[1]}" test_veth_join_refused
	run_test "${descs[2]}" test_veth_move_refused
	run_test "${descs[3]}" test_lag_deleted
	run_test "${descs[4]}" test_deliver
	run_test "${descs[5]}" test_leave_join
	relay_stop
	run_test "${descs[6]}" test_target_on_joining_member
	nc_cleanup
	[ -n "$_saved_printk" ] && echo "$_saved_printk" > /proc/sys/kernel/printk
	_saved_printk=""
fi
finish
