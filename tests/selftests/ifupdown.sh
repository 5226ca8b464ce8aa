#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The ifupdown hooks (tools/ifupdown/) with Debian's ifupdown: a four-member
# LAG from an /etc/network/interfaces stanza against a bonding partner,
# with traffic, taken down cleanly; a bad option is refused with nothing
# left behind; a member stanza with lag-master. ifupdown runs in a private
# mount namespace whose /etc/network and /run/network are this test's own
# directories (never the host's), and whose /usr/local/sbin holds an "ip"
# that loads the plugin from tools/iproute2 (ifupdown gives hooks a fixed
# PATH and environment).

. "$(dirname "$0")/lib.sh"

HOOKS=$LAG_TOP/tools/ifupdown
PLUGIN=$LAG_TOP/tools/iproute2

etc=$_tmp/etc-network
run=$_tmp/run-network
bin=$_tmp/sbin
mkdir -p "$etc"/if-pre-up.d "$etc"/if-up.d "$etc"/if-down.d "$etc"/if-post-down.d "$run" "$bin"
install -m 0755 "$HOOKS/lag-pre-up" "$etc/if-pre-up.d/lag" 2> /dev/null
install -m 0755 "$HOOKS/lag-post-down" "$etc/if-post-down.d/lag" 2> /dev/null
real_ip=$(command -v ip)
printf '#!/bin/sh\nIP_LIB_DIR=%s exec %s "$@"\n' "$PLUGIN" "$real_ip" > "$bin/ip"
chmod +x "$bin/ip"

# ifx NS CMD...: CMD (ifup, ifdown, ifquery) in NS with our /etc/network
ifx() {
	local ns=$1
	shift
	nsx "$ns" unshare -m sh -c '
		mkdir -p /run/network && mount --bind "$1" /etc/network && mount --bind "$2" /run/network &&
			mount --bind "$3" /usr/local/sbin || exit 99
		shift 3
		exec "$@"' sh "$etc" "$run" "$bin" "$@"
}

links() { # NSA NSB
	local i
	for i in 0 1 2 3; do
		veth "$1" "a$i" "$2" "b$i" || return 1
	done
}

# snapshot NS DEV: what a member must get back (MAC, MTU, up/down, master)
snapshot() {
	ip -n "$1" -j link show dev "$2" |
		jq -r '.[0] | "\(.address) \(.mtu) \(.flags | index("UP") != null) \(.master // "-")"'
}

lag_exists() { ip -n "$1" link show dev "$2" > /dev/null 2>&1; }

test_stanza() {
	local a b i before=() after
	command -v ifup > /dev/null || { echo "ifupdown is not installed"; return 1; }
	a=$(ns_new up-a) || return 1
	b=$(ns_new up-b) || return 1
	check links "$a" "$b"
	check partner_bond "$b" bond0 fast b0 b1 b2 b3
	ip -n "$b" addr add 192.0.2.2/24 dev bond0
	ip -n "$b" addr add 2001:db8::2/64 dev bond0 nodad
	for i in 0 1 2 3; do
		ip -n "$a" link set "a$i" mtu 1400
		before[i]=$(snapshot "$a" "a$i")
	done
	cat > "$etc/interfaces" <<EOT
auto lag0
iface lag0 inet static
	address 192.0.2.1/24
	lag-ports a0 a1 a2 a3
	lag-min-links 2
	lag-lacp-rate fast
	lag-xmit-hash-policy layer3+4
	lag-actor-sys-prio 100
	lag-actor-system 02:00:00:00:00:42
iface lag0 inet6 static
	address 2001:db8::1/64
	dad-attempts 0
EOT
	check ifx "$a" ifup lag0 || return 1
	check_eq "$(lag_sysfs "$a" lag0 ports)" "a0 a1 a2 a3" "ports"
	check_eq "$(lag_sysfs "$a" lag0 min_links)" 2 "min_links"
	check_eq "$(lag_sysfs "$a" lag0 lacp_rate)" fast "lacp_rate"
	check_eq "$(lag_sysfs "$a" lag0 xmit_hash_policy)" layer3+4 "xmit_hash_policy"
	check_eq "$(lag_sysfs "$a" lag0 actor_sys_prio)" 100 "actor_sys_prio"
	check_eq "$(lag_sysfs "$a" lag0 actor_system)" 02:00:00:00:00:42 "actor_system"
	check wait_active "$a" lag0 4 40
	check_eq "$(nsx "$a" cat /sys/class/net/lag0/carrier)" 1 "carrier"
	check nsx "$a" ping -c 3 -i 0.2 -W 2 192.0.2.2 > /dev/null
	check nsx "$a" ping -6 -c 3 -i 0.2 -W 2 2001:db8::2 > /dev/null
	check ifx "$a" ifquery --state lag0 > /dev/null

	check ifx "$a" ifdown lag0
	check_fail lag_exists "$a" lag0
	for i in 0 1 2 3; do
		after=$(snapshot "$a" "a$i")
		check_eq "$after" "${before[i]}" "a$i after ifdown (mac mtu up master)"
	done
	check_fail ifx "$a" ifquery --state lag0 > /dev/null
}

test_bad_option() {
	local a i out
	a=$(ns_new bad-a) || return 1
	for i in 0 1 2 3; do
		ip -n "$a" link add "a$i" type veth peer name "p$i"
	done
	cat > "$etc/interfaces" <<EOT
iface lag1 inet static
	address 198.51.100.1/24
	lag-ports a0 a1
	lag-min-links 9
iface lag2 inet manual
	lag-ports a2 nosuchdev
iface lag3 inet manual
	lag-ports none
	lag-lacp-rate fast
iface a3 inet manual
	lag-master lag3
EOT
	# The kernel refuses min_links 9 (0..4); ifup shows its extack
	# message ("Error: min_links must be 0..4.") and fails.
	out=$(ifx "$a" ifup lag1 2>&1)
	check test $? != 0
	echo "$out"
	check grep -q '^Error: min_links must be 0\.\.4' <<< "$out"
	check_fail lag_exists "$a" lag1
	check_fail ifx "$a" ifquery --state lag1 > /dev/null
	# A member that cannot join: the LAG goes again.
	check_fail ifx "$a" ifup lag2
	check_fail lag_exists "$a" lag2
	for i in 0 1 2; do
		check_eq "$(master_of "$a" "a$i")" "" "a$i master"
	done
	check_eq "$(nsx "$a" ls /sys/class/net | grep -c '^lag')" 0 "lag devices left"
	# A member stanza joins an existing LAG with lag-master.
	check ifx "$a" ifup lag3
	check_eq "$(lag_sysfs "$a" lag3 ports)" "" "lag3 ports (none)"
	check_eq "$(lag_sysfs "$a" lag3 lacp_rate)" fast "lag3 lacp_rate"
	check ifx "$a" ifup a3
	check_eq "$(master_of "$a" a3)" lag3 "a3 master"
	check ifx "$a" ifdown a3
	check_eq "$(master_of "$a" a3)" "" "a3 master after ifdown a3"
	check ifx "$a" ifdown lag3
	check_fail lag_exists "$a" lag3
}

run_test "ifup/ifdown: four-member LAG from a stanza against bonding, traffic, clean teardown" test_stanza
run_test "ifup: a bad option or member is refused with nothing left; lag-master member stanza" test_bad_option
finish
