#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# One table of options: every file in /sys/class/net/<lag>/lag/ and
# /sys/class/net/<member>/lag_port/ is a key of `ip -d -j link show` with
# the same value; every settable file takes a value written through sysfs
# that netlink reads back, and the other way round; a refused value gets the
# same words from both (the extack through ip, the kernel log for sysfs);
# and every option and word is in the documentation.

. "$(dirname "$0")/lib.sh"

export IP_LIB_DIR=$LAG_TOP/tools/iproute2
DOC=$LAG_TOP/Documentation/networking/lag.rst

# The one sysfs file that is no option: the member list, which netlink
# carries as each member's master instead.
NOT_OPTIONS="ports"

# ip_val NS DEV KEY {info_data|info_slave_data}: KEY as ip -d -j shows it,
# in sysfs's notation (hex state bits as two digits)
ip_val() {
	link_json "$1" "$2" |
		jq -r --arg k "$3" --arg d "$4" '.[0].linkinfo[$d][$k] // "MISSING"'
}

# same_everywhere NS DEV DIR DATA: each file of DIR equals its ip key
same_everywhere() {
	local ns=$1 dev=$2 dir=$3 data=$4 f name s j n=0
	for f in $(nsx "$ns" ls "/sys/class/net/$dev/$dir"); do
		[[ " $NOT_OPTIONS " == *" $f "* ]] && continue
		s=$(nsx "$ns" cat "/sys/class/net/$dev/$dir/$f")
		j=$(ip_val "$ns" "$dev" "$f" "$data")
		case "$f" in
		actor_state | partner_state) [ "$j" != MISSING ] && j=$(printf '%02x' "$j") ;;
		last_change_ms) # an age: the two reads are a moment apart
			[ "$j" != MISSING ] && [ $((j - s)) -ge 0 ] &&
				[ $((j - s)) -lt 2000 ] && j=$s ;;
		esac
		check_eq "$j" "$s" "$dev $dir/$f: ip -d -j"
		n=$((n + 1))
	done
	note "$dev: $n files of $dir/ match ip -d -j"
	[ "$n" -gt 10 ] || { echo "only $n files in $dir/"; return 1; }
}

test_read_parity() {
	local a b
	a=$(ns_new a) && b=$(ns_new b) || return 1
	lag_pair "$a" lag0 "$b" lag1 2 || return 1
	wait_active "$a" lag0 2 || return 1
	same_everywhere "$a" lag0 lag info_data
	same_everywhere "$a" a0 lag_port info_slave_data
	same_everywhere "$a" a1 lag_port info_slave_data
}

# The settable options: file, then two valid values, the second the default.
LAG_RW=(
	"min_links 2 0"
	"lacp_rate fast slow"
	"lacp_active off on"
	"lacp_fallback on off"
	"xmit_hash_policy encap3+4 layer2"
	"actor_sys_prio 77 65535"
	"actor_system 02:00:00:00:00:09 00:00:00:00:00:00"
	"user_port_key 1023 0"
	"agg_select prio stable"
)
PORT_RW=(
	"port_prio 17 255"
)

# rw_both NS DEV DIR KIND DATA ENTRY...: each value set one way reads back
# the other way
rw_both() {
	local ns=$1 dev=$2 dir=$3 kind=$4 data=$5 e name v1 v2
	shift 5
	for e in "$@"; do
		read -r name v1 v2 <<< "$e"
		check nsx "$ns" test -w "/sys/class/net/$dev/$dir/$name"
		nsx "$ns" sh -c "echo $v1 > /sys/class/net/$dev/$dir/$name"
		check_eq "$(ip_val "$ns" "$dev" "$name" "$data")" "$v1" "$name via sysfs, read by ip"
		check ip -n "$ns" link set "$dev" type "$kind" "$name" "$v2"
		check_eq "$(nsx "$ns" cat "/sys/class/net/$dev/$dir/$name")" "$v2" "$name via ip, read in sysfs"
	done
}

test_write_parity() {
	local a rw f
	a=$(ns_new w) || return 1
	ip -n "$a" link add lag0 type lag || return 1
	ip -n "$a" link add d0 type dummy || return 1
	ip -n "$a" link set d0 master lag0 || return 1
	rw_both "$a" lag0 lag lag info_data "${LAG_RW[@]}"
	rw_both "$a" d0 lag_port lag_slave info_slave_data "${PORT_RW[@]}"
	# No settable file is left out of the lists above.
	rw=" $(printf '%s\n' "${LAG_RW[@]}" "${PORT_RW[@]}" | cut -d' ' -f1 | tr '\n' ' ') $NOT_OPTIONS "
	for f in $(nsx "$a" find /sys/class/net/lag0/lag/ /sys/class/net/d0/lag_port/ -type f -perm -u+w); do
		f=$(basename "$f")
		[[ "$rw" == *" $f "* ]] || { echo "settable $f not tested"; return 1; }
	done
}

# refused NS DEV DIR KIND NAME VALUE: both ways refuse VALUE with one text
refused() {
	local ns=$1 dev=$2 dir=$3 kind=$4 name=$5 val=$6 ipmsg logmsg mark
	ipmsg=$(ip -n "$ns" link set "$dev" type "$kind" "$name" "$val" 2>&1) &&
		{ echo "ip accepted $name $val"; return 1; }
	mark=$(dmesg | wc -l)
	if nsx "$ns" sh -c "echo $val > /sys/class/net/$dev/$dir/$name" 2> /dev/null; then
		echo "sysfs accepted $name $val"
		return 1
	fi
	logmsg=$(dmesg | tail -n +"$((mark + 1))" | grep -o "$dev: .*" | tail -n 1)
	logmsg=${logmsg#"$dev: "}
	note "$name $val: ip said '$ipmsg'; sysfs logged '$logmsg'"
	check test -n "$logmsg"
	check grep -qF -- "$logmsg" <<< "$ipmsg"
}

test_same_refusal() {
	local a
	a=$(ns_new r) || return 1
	ip -n "$a" link add lag0 type lag || return 1
	ip -n "$a" link add d0 type dummy || return 1
	ip -n "$a" link set d0 master lag0 || return 1
	refused "$a" lag0 lag lag min_links 5
	refused "$a" lag0 lag lag actor_sys_prio 0
	refused "$a" lag0 lag lag user_port_key 1024
	refused "$a" lag0 lag lag actor_system 01:00:5e:00:00:01
}

test_documented() {
	local f w nf=0 nw=0
	for f in $(grep -o '^[[:space:]]*{ "[a-z_]*", IFLA_' "$LAG_TOP/include/lag_opts.h" |
			sed 's/.*"\(.*\)".*/\1/' | sort -u); do
		nf=$((nf + 1))
		check grep -q "\`\`$f\`\`" "$DOC" || echo "option $f not in lag.rst"
	done
	for w in $(grep -o '{ [A-Z0-9_]*, "[a-z0-9+_]*" }' "$LAG_TOP/include/lag_opts.h" |
			sed 's/.*"\(.*\)".*/\1/' | sort -u); do
		nw=$((nw + 1))
		check grep -q "\`\`$w\`\`" "$DOC" || echo "word $w not in lag.rst"
	done
	note "$nf options and $nw words, each in lag.rst"
	# The rows were found at all (a renamed table must not pass by default).
	check test "$nf" -gt 30
	check test "$nw" -gt 20
}

run_test "every sysfs file reads the same through ip -d -j (LAG, member)" test_read_parity
run_test "every settable option: set by sysfs read by ip, and back" test_write_parity
run_test "a refused value: the same words from ip and sysfs" test_same_refusal
run_test "every option and word of lag_opts.h is in lag.rst" test_documented
finish
